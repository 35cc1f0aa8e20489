/* fr_convert.h - the parallel stage of ingest: records to typed columns.
 *
 * Converts the records of one fr_record_block into one fr_column per schema
 * column.  A record that cannot be stored whole (wrong field count, a value that
 * does not parse as its column's type, invalid UTF-8, a malformation found while
 * splitting) is not stored at all and is described by an fr_reject instead, so
 * rows read = rows stored + rows rejected holds for every block.
 *
 * Thread safety: distinct blocks may be converted concurrently; each call uses
 * only its arguments.
 */
#ifndef FR_CONVERT_H
#define FR_CONVERT_H

#include "fr_column.h"
#include "fr_records.h"
#include "fr_schema.h"

typedef struct fr_reject {
  uint32_t rec_idx;     /* record in the block */
  int32_t column;       /* schema column at fault, or -1 for the whole record */
  uint32_t offset;      /* byte offset in the block where the problem is */
  const char *why;      /* static reason */
  char detail[96];      /* extra text (the bad key of a JSON object...), may be empty */
} fr_reject;

typedef struct fr_reject_list {
  fr_reject *items;
  uint32_t n;
  uint32_t cap;
} fr_reject_list;

void fr_reject_list_free(fr_reject_list *list);

typedef struct fr_convert_spec {
  const fr_schema *schema;       /* the table's columns, in stored order */
  const int32_t *field_of_column;/* CSV: input field index of each schema column */
  uint32_t n_input_fields;       /* CSV: fields every record must have */
  int jsonl;                     /* 1: records are JSON objects, matched by key */
} fr_convert_spec;

/* Converts records [first_rec, block->n_records) into `columns` (an array of
 * spec->schema->n_columns columns, reset by the call) and appends rejects to
 * `rejects`.  Errors: FR_ERR_NOMEM only (bad input becomes rejects). */
FR_MUST_USE fr_status fr_convert_block(const fr_record_block *block, uint32_t first_rec,
                                       const fr_convert_spec *spec, fr_column *columns,
                                       fr_reject_list *rejects);

/* Returns 1 when bytes[0..len) is valid UTF-8 (no overlongs, no surrogates); else
 * 0 and *bad_at is the offset of the first bad byte. */
int fr_utf8_valid(const uint8_t *bytes, size_t len, size_t *bad_at);

#endif
