/* fr_ingest.h - loading input files into a table of the store.
 *
 * Pipeline (OpenMP tasks): one thread reads and splits the input into blocks of
 * whole records (fr_csv_reader); each block becomes a task that converts it to
 * typed columns and encodes them into a row group; a chain of writer tasks
 * appends row groups to one new segment in input order and writes rejected
 * records to the rejects file.  At most `2 * threads + 2` blocks are in flight, so
 * memory is bounded whatever the input size.  The segment is committed with the
 * new manifest in one atomic step after the last file (fr_store_commit).
 *
 * XES inputs are read twice: a first pass over every XES file (standard input:
 * its first FR_XES_PREFIX_BYTES, kept in memory and replayed) discovers the
 * columns before the pipeline starts; the second pass feeds the same pipeline
 * with blocks of events.  Malformed XML is handled like a truncated stream: the
 * events before it are stored, the rest of that file is one rejected record with
 * the file, line and column of the error, and the ingest goes on with the next
 * file (exit 2); when it comes before the first event, nothing is committed.
 */
#ifndef FR_INGEST_H
#define FR_INGEST_H

#include <stdint.h>

#include "fr_store.h"

typedef enum fr_input_format {
  FR_INPUT_AUTO = 0, /* from the file name: .jsonl/.ndjson/.json -> JSON lines, .xes -> XES,
                        else CSV (after dropping a .gz or .zst suffix) */
  FR_INPUT_CSV = 1,
  FR_INPUT_JSONL = 2,
  FR_INPUT_XES = 3,  /* XES event log: one row per event (fr_xes_reader.h has the mapping) */
  FR_INPUT_OCDS = 4, /* OCDS compiled releases, one per line: fills TABLE_processes, _parties,
                        _bids, _awards, _items (fr_ocds_reader.h has the columns); never guessed */
} fr_input_format;

/* Called from the writer chain (one call at a time) after each row group. */
typedef void (*fr_progress_fn)(void *ctx, uint64_t raw_bytes_done, uint64_t raw_bytes_total,
                               uint64_t rows_done);

typedef struct fr_ingest_options {
  const char *table;
  const char *const *files;   /* "-" = standard input */
  uint32_t n_files;
  fr_input_format format;
  char delimiter;             /* CSV separator; 0 = sniffed from the header (',' unless absent) */
  const char *schema_file;    /* --schema FILE or NULL */
  const char *rejects_path;   /* NULL = STORE/rejects/TABLE-vN.csv */
  int strict;                 /* store nothing when any row is bad */
  size_t max_record_bytes;    /* 0 = default (4 MiB) */
  uint32_t rows_per_group;    /* 0 = default (131072) */
  fr_progress_fn progress;
  void *progress_ctx;
} fr_ingest_options;

void fr_ingest_options_default(fr_ingest_options *opts);

#define FR_INGEST_SAMPLE_REJECTS 5

typedef struct fr_ingest_result {
  uint64_t rows_read;         /* records seen (header rows and blank lines excluded) */
  uint64_t rows_stored;
  uint64_t rows_rejected;
  uint64_t version;           /* committed store version, 0 when nothing was committed */
  int committed;
  uint64_t input_bytes;       /* decompressed bytes read */
  uint64_t stored_bytes;      /* segment file size */
  fr_schema schema;           /* the table's schema after ingest (owned) */
  fr_i128 *decimal_sums;      /* per schema column, sums of this ingest (owned) */
  char rejects_path[4096];    /* where rejects went ("" when none) */
  uint64_t xes_traces;        /* XES: <trace> elements read (second pass) */
  uint64_t xes_events;        /* XES: <event> elements read (= records) */
  uint64_t xes_skipped;       /* XES: list/container/nested attributes not stored */
  uint32_t n_samples;
  char samples[FR_INGEST_SAMPLE_REJECTS][512]; /* first rejects as messages */
} fr_ingest_result;

void fr_ingest_result_free(fr_ingest_result *res);

/* Ingests opts->files into table opts->table of the store at `store_dir`
 * (created when missing).  Bad rows are rejected, not fatal: the call succeeds
 * and res->rows_rejected says how many.  With opts->strict any bad row makes it
 * fail with FR_ERR_PARSE and commit nothing.  Errors: FR_ERR_PARSE (header or
 * schema problems, strict rejects), FR_ERR_INVALID (schema mismatch with the
 * existing table), FR_ERR_IO, FR_ERR_BUSY, FR_ERR_CORRUPT, FR_ERR_NOMEM.  `res`
 * is filled as far as the ingest got, and must be freed with
 * fr_ingest_result_free. */
FR_MUST_USE fr_status fr_ingest(const char *store_dir, const fr_ingest_options *opts,
                                fr_ingest_result *res, fr_error *err);

#endif
