/* fr_table.h - reading whole tables from a store snapshot: export and the
 * per-column summary that `info` shows.
 *
 * Scans run over row groups in parallel (OpenMP): each thread decodes and renders
 * its own row group into its own buffer, and the buffers are emitted in table
 * order, so output is identical at any thread count.
 */
#ifndef FR_TABLE_H
#define FR_TABLE_H

#include "fr_codec.h"
#include "fr_store.h"
#include "fr_writer.h"

/* Receives output bytes in order; returns 0 to go on, non-zero to stop with an
 * I/O error (a closed pipe, a full disk). */
typedef int (*fr_emit_fn)(void *ctx, const void *bytes, size_t len);

/* Writes table `table` of the snapshot as CSV (with header) or JSON lines.
 * Errors: FR_ERR_NOTFOUND (no such table; the message suggests the nearest
 * name), FR_ERR_CORRUPT (a damaged chunk: named), FR_ERR_IO (emit failed),
 * FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_table_export(const fr_store *store, const char *table,
                                      fr_output_format format, fr_emit_fn emit, void *emit_ctx,
                                      fr_error *err);

typedef struct fr_column_summary {
  uint64_t null_count;
  uint64_t stored_bytes;      /* chunk bytes on disk */
  uint64_t raw_bytes;         /* chunk bytes after decompression */
  uint32_t n_chunks;
  uint32_t n_zstd_chunks;
  uint32_t encoding_chunks[6];/* chunks per FR_ENC_* id */
  int has_minmax;
  int64_t min_i64, max_i64;
  double min_f64, max_f64;
  char min_str[FR_STATS_STR_CAP + 1], max_str[FR_STATS_STR_CAP + 1];
  int max_truncated;
} fr_column_summary;

/* Summarises every column of `table` from the segment footers (no chunk is
 * read).  `out` has table->schema.n_columns entries.  Errors as fr_segment_open. */
FR_MUST_USE fr_status fr_table_summarize(const fr_store *store, const fr_table_meta *table,
                                         fr_column_summary *out, fr_error *err);

/* Finds a table or fails with FR_ERR_NOTFOUND naming the nearest table. */
FR_MUST_USE fr_status fr_table_find(const fr_store *store, const char *name,
                                    const fr_table_meta **out, fr_error *err);

/* Levenshtein distance, for "did you mean" suggestions. */
size_t fr_edit_distance(const char *a, const char *b);

#endif
