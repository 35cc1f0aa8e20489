/* fr_source.h - a streamed input file: plain, zstd or gzip, or standard input.
 *
 * The compression is recognised by magic bytes; a name ending in .zst or .gz
 * whose bytes are not of that kind is an error (a mislabelled or damaged file
 * must not be read as text).  Decompression is streamed through fixed buffers, so
 * memory does not grow with the input.  A truncated compressed stream, corrupt
 * compressed data or trailing garbage after the last frame is an FR_ERR_PARSE
 * naming the file and the compressed byte offset.
 */
#ifndef FR_SOURCE_H
#define FR_SOURCE_H

#include <stdint.h>
#include <stddef.h>

#include "fr_status.h"

typedef struct fr_source fr_source;

typedef enum fr_compression {
  FR_COMPRESSION_NONE = 0,
  FR_COMPRESSION_ZSTD = 1,
  FR_COMPRESSION_GZIP = 2,
} fr_compression;

/* Opens `path` ("-" = standard input) for streaming.  On success *out is the
 * caller's, to close with fr_source_close.  Errors: FR_ERR_IO (cannot open),
 * FR_ERR_PARSE (name and content disagree), FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_source_open(fr_source **out, const char *path, fr_error *err);

/* Reads up to `cap` decompressed bytes into `dst`; *n_read == 0 means end of
 * input.  Errors: FR_ERR_IO, FR_ERR_PARSE (corrupt/truncated compressed data). */
FR_MUST_USE fr_status fr_source_read(fr_source *src, void *dst, size_t cap, size_t *n_read,
                                     fr_error *err);

/* Display name ("<stdin>" for "-"), borrowed until close. */
const char *fr_source_name(const fr_source *src);
fr_compression fr_source_compression(const fr_source *src);
/* Raw (compressed) bytes consumed so far, and the file size when known (else 0);
 * used for progress. */
uint64_t fr_source_raw_pos(const fr_source *src);
uint64_t fr_source_raw_size(const fr_source *src);

/* Closes the file and frees everything; accepts NULL. */
void fr_source_close(fr_source *src);

#endif
