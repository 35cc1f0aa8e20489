/* fr_records.h - a block of input records, the unit handed from the sequential
 * reader (which finds record boundaries) to the parallel converter.
 *
 * A block owns a copy of the raw input text of its records.  For CSV each record
 * also carries its field boundaries (found by the RFC 4180 state machine); JSON
 * lines carry none, their fields are extracted during conversion.  Byte offsets
 * are relative to `bytes`; a block holds at most UINT32_MAX bytes.
 */
#ifndef FR_RECORDS_H
#define FR_RECORDS_H

#include <stdint.h>

#include "fr_status.h"

/* Field flags. */
#define FR_FIELD_QUOTED 1u  /* the field was quoted ("" is then an empty string, not NULL) */
#define FR_FIELD_ESCAPED 2u /* the quoted field contains doubled quotes to undo */

typedef struct fr_record_block {
  uint8_t *bytes;           /* raw text, owned */
  size_t n_bytes;
  size_t cap_bytes;
  uint32_t n_records;
  uint32_t cap_records;
  uint64_t *rec_line;       /* physical line number (1-based) where each record starts */
  uint32_t *rec_start;      /* record text [start, end), terminator excluded */
  uint32_t *rec_end;
  uint32_t *rec_field;      /* n_records + 1: index of each record's first field */
  const char **rec_error;   /* static reason the record is malformed, or NULL */
  uint32_t *rec_error_at;   /* byte offset of the malformation */
  uint32_t n_fields;
  uint32_t cap_fields;
  uint32_t *field_start;    /* field content (inside quotes) */
  uint32_t *field_len;
  uint8_t *field_flags;
  uint64_t file_idx;        /* which input file (index into the caller's list) */
} fr_record_block;

void fr_record_block_init(fr_record_block *block);
void fr_record_block_free(fr_record_block *block);
/* Empties the block, keeping its buffers. */
void fr_record_block_clear(fr_record_block *block);

/* Computes the 1-based line and column (in bytes) of byte `offset` of record
 * `rec_idx`, counting newlines inside the record. */
void fr_record_block_locate(const fr_record_block *block, uint32_t rec_idx, uint32_t offset,
                            uint64_t *line, uint64_t *column);

/* Copies the value of field `field_idx` into `scratch` when it needs unescaping
 * and returns a pointer to the value (borrowed from the block or scratch);
 * `scratch` must hold field_len bytes. */
const char *fr_record_field_text(const fr_record_block *block, uint32_t field_idx, char *scratch,
                                 uint32_t *len);

#endif
