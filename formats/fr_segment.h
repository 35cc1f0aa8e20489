/* fr_segment.h - segment files: one immutable file of row groups per table per
 * ingest (STORE_FORMAT.md §3).
 *
 * Writing: encode row groups in parallel with fr_segment_encode_rowgroup, then
 * append them in order with fr_segment_writer_append (one thread), then finish
 * (footer, trailer, fsync).  Reading: fr_segment_open checks the trailer, the
 * footer checksum and, when the caller gives them, the size and footer checksum
 * recorded in the manifest; fr_segment_read_chunk verifies each chunk's checksum,
 * which is seeded by the chunk's identity (segment id, row group, column), so a
 * chunk moved or swapped with another valid chunk fails too.
 *
 * An open segment may be read from several threads at once (pread, no shared
 * cursor) as long as each thread passes its own scratch buffers.
 */
#ifndef FR_SEGMENT_H
#define FR_SEGMENT_H

#include <stdint.h>

#include "fr_codec.h"
#include "fr_schema.h"

#define FR_SEGMENT_FORMAT_VERSION 1u

/* One encoded row group, ready to append. */
typedef struct fr_encoded_rowgroup {
  uint32_t n_rows;
  uint32_t n_columns;
  fr_buf *chunks;           /* n_columns stored chunks, owned */
  fr_chunk_meta *metas;     /* n_columns, offset/checksum filled by append */
} fr_encoded_rowgroup;

void fr_encoded_rowgroup_free(fr_encoded_rowgroup *rg);

/* Encodes `columns` (n_columns, equal n_rows) into `out` (initialised by the
 * call).  Thread safe.  Errors: FR_ERR_NOMEM, FR_ERR_LIMIT. */
FR_MUST_USE fr_status fr_segment_encode_rowgroup(fr_encoded_rowgroup *out, const fr_column *columns,
                                                 uint32_t n_columns, fr_error *err);

typedef struct fr_segment_writer fr_segment_writer;

/* Creates `path` (which must not exist) for table `table` with `schema`.
 * Errors: FR_ERR_IO, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_segment_writer_create(fr_segment_writer **out, const char *path,
                                               uint64_t segment_id, const char *table,
                                               const fr_schema *schema, fr_error *err);
/* Appends a row group; its chunk offsets and checksums are filled in. */
FR_MUST_USE fr_status fr_segment_writer_append(fr_segment_writer *w, fr_encoded_rowgroup *rg,
                                               fr_error *err);

typedef struct fr_segment_info {
  uint64_t segment_id;
  uint64_t file_bytes;
  uint64_t footer_checksum;
  uint64_t n_rows;
  uint32_t n_row_groups;
  uint64_t raw_bytes;       /* decoded payload bytes of all chunks */
} fr_segment_info;

/* Writes footer and trailer, fsyncs and closes; frees the writer. */
FR_MUST_USE fr_status fr_segment_writer_finish(fr_segment_writer *w, fr_segment_info *info,
                                               fr_error *err);
/* Closes and deletes the unfinished file; frees the writer.  Accepts NULL. */
void fr_segment_writer_abort(fr_segment_writer *w);

typedef struct fr_segment fr_segment;

/* Opens a finished segment.  When `expect` is non-NULL its segment_id,
 * file_bytes and footer_checksum must match (the manifest's record).  Errors:
 * FR_ERR_IO, FR_ERR_CORRUPT (message names the file and what is wrong). */
FR_MUST_USE fr_status fr_segment_open(fr_segment **out, const char *path,
                                      const fr_segment_info *expect, fr_error *err);
void fr_segment_close(fr_segment *seg);

const fr_schema *fr_segment_schema(const fr_segment *seg);
uint32_t fr_segment_n_row_groups(const fr_segment *seg);
uint32_t fr_segment_rowgroup_rows(const fr_segment *seg, uint32_t rg_idx);
uint64_t fr_segment_n_rows(const fr_segment *seg);
const fr_chunk_meta *fr_segment_chunk(const fr_segment *seg, uint32_t rg_idx, uint32_t col_idx);

/* Reads, verifies and decodes one chunk into `out`.  `stored` and `scratch` are
 * the calling thread's buffers.  Errors: FR_ERR_IO, FR_ERR_CORRUPT (the message
 * names segment, row group and column), FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_segment_read_chunk(const fr_segment *seg, uint32_t rg_idx,
                                            uint32_t col_idx, fr_column *out, fr_buf *stored,
                                            fr_buf *scratch, fr_error *err);

/* As fr_segment_read_chunk for a string column, decoding only the rows
 * rows[0..n_sel) of the chunk into `out` (row k = rows[k]; see
 * fr_codec_decode_str_rows: a framed chunk inflates only the frames it needs).
 * The whole stored chunk is still read and its checksum verified.  Errors: as
 * fr_segment_read_chunk. */
FR_MUST_USE fr_status fr_segment_read_str_rows(const fr_segment *seg, uint32_t rg_idx, uint32_t col_idx,
                                               const uint32_t *rows, size_t n_sel, fr_column *out,
                                               fr_buf *stored, fr_buf *scratch, fr_error *err);

#endif
