/* fr_csv_reader.h - streaming RFC 4180 record splitter.
 *
 * Reads decompressed text from an fr_source and cuts it into fr_record_blocks of
 * whole records with field boundaries.  Accepts quoted fields with separators,
 * quotes ("" escapes) and newlines inside, CRLF or LF line ends, and a UTF-8 BOM.
 * Blank lines are skipped.  A record longer than `max_record_bytes` is returned as
 * a malformed record holding its first bytes; the rest of it is skipped up to the
 * next line end, so memory stays bounded whatever the input.  Malformations found
 * while splitting (a quote inside an unquoted field, text after a closing quote, a
 * NUL byte, an unterminated quote at end of input) mark the record, which the
 * converter then rejects with its location.
 *
 * Not thread safe: one reader is driven by one thread (the ingest producer).
 */
#ifndef FR_CSV_READER_H
#define FR_CSV_READER_H

#include "fr_records.h"
#include "fr_source.h"

typedef struct fr_csv_reader fr_csv_reader;

typedef struct fr_csv_options {
  char delimiter;             /* 0 = sniff from the header line (default ',') */
  size_t max_record_bytes;    /* default 4 MiB */
  int jsonl;                  /* 1: records are lines, no field splitting */
} fr_csv_options;

void fr_csv_options_default(fr_csv_options *opts);

/* Wraps `src` (borrowed: the caller closes it after destroying the reader).
 * Returns FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_csv_reader_create(fr_csv_reader **out, fr_source *src,
                                           const fr_csv_options *opts, fr_error *err);
void fr_csv_reader_destroy(fr_csv_reader *rd);

/* After a failure of fr_csv_reader_next: the unconsumed input (an unfinished
 * record cut off by the failure, borrowed) and the line where it starts. */
void fr_csv_reader_tail(const fr_csv_reader *rd, const uint8_t **bytes, size_t *len,
                        uint64_t *line);

/* Fills `block` (cleared first) with up to `max_records` whole records and about
 * `target_bytes` of text.  Sets *eof when the input is exhausted (the block may
 * still hold records).  Errors: FR_ERR_IO / FR_ERR_PARSE from the source,
 * FR_ERR_NOMEM.  A source failure after some records were split is reported on
 * the call after the one that hands those records over, so none is lost. */
FR_MUST_USE fr_status fr_csv_reader_next(fr_csv_reader *rd, fr_record_block *block,
                                         uint32_t max_records, size_t target_bytes, int *eof,
                                         fr_error *err);

#endif
