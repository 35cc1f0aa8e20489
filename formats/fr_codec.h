/* fr_codec.h - column chunk encodings (STORE_FORMAT.md §4).
 *
 * A chunk is one column of one row group.  fr_codec_encode analyses the values
 * and picks the encoding that makes the chunk smallest among those that decode
 * near memory speed: frame-of-reference or delta bit-packing for int-like types,
 * a dictionary with bit-packed codes for repetitive strings, plain otherwise; then
 * zstd on top only where it saves enough to pay for its decode time.  It also
 * computes the chunk's zone map (min, max, null count).
 *
 * Both directions are pure functions of their arguments: safe to run on many
 * chunks in parallel.
 */
#ifndef FR_CODEC_H
#define FR_CODEC_H

#include <stdint.h>

#include "fr_buf.h"
#include "fr_column.h"

/* SPEC §4.1 encoding ids (stable on disk). */
enum {
  FR_ENC_PLAIN_I64 = 0,
  FR_ENC_FOR_I64 = 1,
  FR_ENC_DELTA_I64 = 2,
  FR_ENC_PLAIN_F64 = 3,
  FR_ENC_PLAIN_STR = 4,
  FR_ENC_DICT_STR = 5,
};
/* SPEC §4.2 compression ids.  FR_COMP_ZSTD_FRAMES: the payload cut into frames
 * of a fixed raw size, each its own zstd frame, so a reader that wants a few
 * rows of a plain string chunk inflates only the frames that hold them. */
enum { FR_COMP_NONE = 0, FR_COMP_ZSTD = 1, FR_COMP_ZSTD_FRAMES = 2 };
/* Raw bytes per frame the writer uses (readers take any size from the chunk). */
#define FR_ZSTD_FRAME_BYTES (32u << 10)

/* SPEC §3.3 zone-map flags. */
#define FR_STATS_HAS_MINMAX 1u    /* at least one non-NULL value */
#define FR_STATS_MAX_TRUNCATED 2u /* string max is a prefix, not an upper bound */
#define FR_STATS_MIN_TRUNCATED 4u /* string min is a prefix (still a lower bound) */
#define FR_STATS_STR_CAP 64       /* bytes of a string kept in min/max */

typedef struct fr_chunk_meta {
  uint64_t offset;        /* byte offset of the stored chunk in the segment file */
  uint32_t stored_len;    /* bytes on disk */
  uint32_t raw_len;       /* bytes after decompression */
  uint32_t null_count;
  uint8_t encoding;       /* FR_ENC_* */
  uint8_t compression;    /* FR_COMP_* */
  uint8_t stats_flags;    /* FR_STATS_* */
  int64_t min_i64, max_i64;   /* int-like zone map */
  double min_f64, max_f64;    /* float64 zone map */
  uint16_t min_str_len, max_str_len;
  char min_str[FR_STATS_STR_CAP], max_str[FR_STATS_STR_CAP];
  uint64_t checksum;      /* SPEC §3.4: XXH3 of the stored bytes, seeded by identity */
} fr_chunk_meta;

/* Encodes `col` into `out` (appended; the stored bytes) and fills every field of
 * `meta` except offset and checksum.  `scratch` is reused working memory.
 * Errors: FR_ERR_NOMEM, FR_ERR_LIMIT (chunk over 4 GiB). */
FR_MUST_USE fr_status fr_codec_encode(const fr_column *col, fr_buf *out, fr_chunk_meta *meta,
                                      fr_buf *scratch, fr_error *err);

/* Decodes stored chunk bytes into `out` (reset to `type`, rows = n_rows).
 * `scratch` holds the decompressed payload.  Every length is checked against the
 * input, so damaged bytes give FR_ERR_CORRUPT, never a crash.  Errors:
 * FR_ERR_CORRUPT, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_codec_decode(const uint8_t *stored, size_t stored_len,
                                      const fr_chunk_meta *meta, fr_type type, uint32_t n_rows,
                                      fr_column *out, fr_buf *scratch, fr_error *err);

/* Decodes only rows rows[0..n_sel) (indexes into the chunk's n_rows, any order,
 * repeats allowed) of a string chunk into `out` (reset to a string column of
 * n_sel rows, row k = rows[k]; validity set where one is NULL).  A plain chunk
 * stored in frames (FR_COMP_ZSTD_FRAMES) inflates only the frames holding the
 * header, the lengths and the wanted strings; any other chunk is decoded whole
 * first.  The checks are fr_codec_decode's.  Errors: FR_ERR_CORRUPT (also a row
 * index >= n_rows or a non-string chunk), FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_codec_decode_str_rows(const uint8_t *stored, size_t stored_len,
                                               const fr_chunk_meta *meta, uint32_t n_rows,
                                               const uint32_t *rows, size_t n_sel, fr_column *out,
                                               fr_buf *scratch, fr_error *err);

/* Bit-packing (SPEC §4.3): n values of `width` bits (0..56), LSB first, plus 8
 * bytes of padding so decoders may load 64 bits at any value. */
size_t fr_bitpack_size(uint32_t n, unsigned width);
void fr_bitpack(uint8_t *dst, const uint64_t *values, uint32_t n, unsigned width);
void fr_bitunpack(uint64_t *dst, const uint8_t *src, uint32_t n, unsigned width);
/* As fr_bitunpack for widths 0..32, into 32-bit values; returns the largest (0
 * when n is 0), so a caller checks a bound once instead of per value. */
uint32_t fr_bitunpack32(uint32_t *dst, const uint8_t *src, uint32_t n, unsigned width);
unsigned fr_bit_width(uint64_t max_value);

/* Name of an encoding id for `info` ("for", "delta", "dict", ...). */
const char *fr_encoding_name(uint8_t encoding);

#endif
