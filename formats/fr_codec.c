/* fr_codec.c - chunk encoding choice, zone maps and decoding (STORE_FORMAT.md §4).
 *
 * Encode runs once per chunk at ingest (parallel over row groups); decode runs on
 * every scan, so decoders are simple loops over bit-packed arrays and every
 * length read from disk is checked before use: a damaged chunk that slipped past
 * its checksum still yields FR_ERR_CORRUPT, never an out-of-bounds access.
 */
#include "fr_codec.h"

#include <string.h>
#include <zstd.h>

#include "fr_alloc.h"
#include "fr_hash.h"

#define FR_MAX_PACK_WIDTH 56

const char *fr_encoding_name(uint8_t encoding) {
  switch (encoding) {
  case FR_ENC_PLAIN_I64: return "plain";
  case FR_ENC_FOR_I64: return "for-bitpack";
  case FR_ENC_DELTA_I64: return "delta-bitpack";
  case FR_ENC_PLAIN_F64: return "plain";
  case FR_ENC_PLAIN_STR: return "plain";
  case FR_ENC_DICT_STR: return "dictionary";
  }
  return "unknown";
}

/* n u64 of working space in scratch, past its first scratch->len bytes (a
 * decompressed payload being decoded, kept in place: fr_codec_decode reserves
 * room for every request up front, so the payload never moves). */
static fr_status fr_scratch_u64(fr_buf *scratch, uint32_t n, uint64_t **out) {
  const size_t keep = scratch->len, need = (size_t)n * 8 + 8;
  if (keep + need > scratch->cap || scratch->data == NULL) {
    if (keep > 0)
      return FR_ERR_NOMEM; /* not reached: the payload would move */
    FR_TRY(fr_buf_reserve(scratch, need));
  }
  *out = (uint64_t *)(void *)(scratch->data + keep);
  return FR_OK;
}

/* Appends `n` values bit-packed with `width` (u8 width, then the bits). */
static void fr_put_packed(fr_buf *out, const uint64_t *values, uint32_t n, unsigned width) {
  fr_buf_put_u8(out, (uint8_t)width);
  size_t n_bytes = fr_bitpack_size(n, width);
  if (fr_buf_reserve(out, n_bytes) != FR_OK)
    return;
  fr_bitpack(out->data + out->len, values, n, width);
  out->len += n_bytes;
}

static void fr_int_stats(const fr_column *col, fr_chunk_meta *meta) {
  int64_t min = INT64_MAX, max = INT64_MIN;
  int any = 0;
  for (uint32_t row = 0; row < col->n_rows; row++) {
    if (!fr_column_is_valid(col, row))
      continue;
    int64_t v = col->i64[row];
    min = v < min ? v : min;
    max = v > max ? v : max;
    any = 1;
  }
  if (any) {
    meta->stats_flags |= FR_STATS_HAS_MINMAX;
    meta->min_i64 = min;
    meta->max_i64 = max;
  }
}

static fr_status fr_encode_int(const fr_column *col, fr_buf *out, fr_chunk_meta *meta,
                               fr_buf *scratch) {
  const uint32_t n = col->n_rows;
  fr_int_stats(col, meta);
  int64_t base = (meta->stats_flags & FR_STATS_HAS_MINMAX) ? meta->min_i64 : 0;
  uint64_t for_range = (meta->stats_flags & FR_STATS_HAS_MINMAX)
                           ? (uint64_t)meta->max_i64 - (uint64_t)meta->min_i64 : 0;
  unsigned for_width = fr_bit_width(for_range);
  /* Delta: NULL rows repeat the previous value (delta 0). */
  uint64_t *values;
  FR_TRY(fr_scratch_u64(scratch, n, &values));
  int64_t prev = base;
  int64_t first = base;
  int first_set = 0;
  uint64_t delta_min = UINT64_MAX, delta_max = 0;
  int64_t delta_min_signed = INT64_MAX, delta_max_signed = INT64_MIN;
  for (uint32_t row = 0; row < n; row++) {
    int64_t v = fr_column_is_valid(col, row) ? col->i64[row] : prev;
    if (!first_set) {
      first = v;
      first_set = 1;
    } else {
      int64_t delta = (int64_t)((uint64_t)v - (uint64_t)prev);
      delta_min_signed = delta < delta_min_signed ? delta : delta_min_signed;
      delta_max_signed = delta > delta_max_signed ? delta : delta_max_signed;
    }
    prev = v;
  }
  unsigned delta_width = 64;
  if (n > 1) {
    /* The range of deltas, computed without signed overflow. */
    delta_min = (uint64_t)delta_min_signed;
    delta_max = (uint64_t)delta_max_signed;
    int overflow = (delta_max_signed > 0 && delta_min_signed < 0 &&
                    (uint64_t)delta_max_signed + ((uint64_t)0 - (uint64_t)delta_min_signed) <
                        (uint64_t)delta_max_signed);
    if (!overflow)
      delta_width = fr_bit_width(delta_max - delta_min);
  }
  if (delta_width + 1 < for_width && delta_width <= FR_MAX_PACK_WIDTH && n > 1) {
    meta->encoding = FR_ENC_DELTA_I64;
    prev = first;
    for (uint32_t row = 1; row < n; row++) {
      int64_t v = fr_column_is_valid(col, row) ? col->i64[row] : prev;
      values[row - 1] = ((uint64_t)v - (uint64_t)prev) - delta_min;
      prev = v;
    }
    fr_buf_put_u64(out, (uint64_t)first);
    fr_buf_put_u64(out, delta_min);
    fr_put_packed(out, values, n - 1, delta_width);
  } else if (for_width <= FR_MAX_PACK_WIDTH) {
    meta->encoding = FR_ENC_FOR_I64;
    for (uint32_t row = 0; row < n; row++)
      values[row] = fr_column_is_valid(col, row) ? (uint64_t)col->i64[row] - (uint64_t)base : 0;
    fr_buf_put_u64(out, (uint64_t)base);
    fr_put_packed(out, values, n, for_width);
  } else {
    meta->encoding = FR_ENC_PLAIN_I64;
    fr_buf_put(out, col->i64, (size_t)n * 8);
  }
  return out->failed ? FR_ERR_NOMEM : FR_OK;
}

static fr_status fr_encode_float(const fr_column *col, fr_buf *out, fr_chunk_meta *meta) {
  double min = 0, max = 0;
  int any = 0;
  for (uint32_t row = 0; row < col->n_rows; row++) {
    if (!fr_column_is_valid(col, row))
      continue;
    double v = col->f64[row];
    if (!any || v < min) min = v;
    if (!any || v > max) max = v;
    any = 1;
  }
  if (any) {
    meta->stats_flags |= FR_STATS_HAS_MINMAX;
    meta->min_f64 = min;
    meta->max_f64 = max;
  }
  meta->encoding = FR_ENC_PLAIN_F64;
  fr_buf_put(out, col->f64, (size_t)col->n_rows * 8);
  return out->failed ? FR_ERR_NOMEM : FR_OK;
}

/* Zone map of a string chunk over the rows listed in `rows` (all rows when NULL):
 * a dictionary-encoded chunk passes one representative row per distinct value
 * that some non-NULL row holds, so the comparisons scale with the dictionary. */
static void fr_str_stats(const fr_column *col, fr_chunk_meta *meta, const uint32_t *rows,
                         uint32_t n_rows) {
  const char *min = NULL, *max = NULL;
  uint32_t min_len = 0, max_len = 0;
  for (uint32_t idx = 0; idx < n_rows; idx++) {
    uint32_t row = rows ? rows[idx] : idx;
    if (rows == NULL && !fr_column_is_valid(col, row))
      continue;
    uint32_t len;
    const char *s = fr_column_str(col, row, &len);
    if (min == NULL || fr_bytes_cmp(s, len, min, min_len) < 0) {
      min = s;
      min_len = len;
    }
    if (max == NULL || fr_bytes_cmp(s, len, max, max_len) > 0) {
      max = s;
      max_len = len;
    }
  }
  if (min == NULL)
    return;
  meta->stats_flags |= FR_STATS_HAS_MINMAX;
  if (min_len > FR_STATS_STR_CAP) {
    min_len = FR_STATS_STR_CAP;
    meta->stats_flags |= FR_STATS_MIN_TRUNCATED;
  }
  if (max_len > FR_STATS_STR_CAP) {
    max_len = FR_STATS_STR_CAP;
    meta->stats_flags |= FR_STATS_MAX_TRUNCATED;
  }
  memcpy(meta->min_str, min, min_len);
  meta->min_str_len = (uint16_t)min_len;
  memcpy(meta->max_str, max, max_len);
  meta->max_str_len = (uint16_t)max_len;
}

/* Dictionary of distinct strings by XXH3; gives up (returns 0) when the strings
 * are too varied for a dictionary to pay (more than half distinct). */
static int fr_build_dict(const fr_column *col, uint32_t *codes, uint32_t *dict_rows,
                         uint32_t *n_dict) {
  const uint32_t n = col->n_rows;
  uint32_t limit = n / 2 + 1;
  uint32_t slots = 64;
  while (slots < limit * 2)
    slots *= 2;
  uint32_t *table = fr_malloc((size_t)slots * sizeof *table); /* dict index + 1, 0 = empty */
  if (table == NULL)
    return 0;
  memset(table, 0, (size_t)slots * sizeof *table);
  uint32_t count = 0;
  int ok = 1;
  for (uint32_t row = 0; row < n && ok; row++) {
    uint32_t len;
    const char *s = fr_column_str(col, row, &len);
    uint32_t slot = (uint32_t)fr_hash64(s, len, 0) & (slots - 1);
    for (;;) {
      uint32_t entry = table[slot];
      if (entry == 0) {
        if (count >= limit) {
          ok = 0;
          break;
        }
        dict_rows[count] = row;
        table[slot] = ++count;
        codes[row] = count - 1;
        break;
      }
      uint32_t other_len;
      const char *other = fr_column_str(col, dict_rows[entry - 1], &other_len);
      if (other_len == len && memcmp(other, s, len) == 0) {
        codes[row] = entry - 1;
        break;
      }
      slot = (slot + 1) & (slots - 1);
    }
  }
  fr_free(table);
  *n_dict = count;
  return ok;
}

static fr_status fr_encode_str(const fr_column *col, fr_buf *out, fr_chunk_meta *meta,
                               fr_buf *scratch) {
  const uint32_t n = col->n_rows;
  uint64_t *values;
  FR_TRY(fr_scratch_u64(scratch, n * 2 + 2, &values));
  uint32_t *codes = (uint32_t *)(void *)(values + n + 1);
  uint32_t *dict_rows = codes + n + 1;
  uint32_t n_dict = 0;
  if (n > 0 && fr_build_dict(col, codes, dict_rows, &n_dict) && n_dict <= n / 2 + 1) {
    meta->encoding = FR_ENC_DICT_STR;
    /* Stats over the distinct values that non-NULL rows hold (values[] is free
     * here and serves as the list of such representatives). */
    uint32_t *valid_rows = (uint32_t *)(void *)values;
    uint32_t n_valid = 0;
    if (col->validity == NULL) {
      fr_str_stats(col, meta, dict_rows, n_dict);
    } else {
      uint8_t *seen = fr_calloc(n_dict, 1);
      if (seen == NULL)
        return FR_ERR_NOMEM;
      for (uint32_t row = 0; row < n; row++)
        if (fr_column_is_valid(col, row) && !seen[codes[row]]) {
          seen[codes[row]] = 1;
          valid_rows[n_valid++] = row;
        }
      fr_free(seen);
      fr_str_stats(col, meta, valid_rows, n_valid);
    }
    uint64_t max_len = 0, total = 0;
    for (uint32_t idx = 0; idx < n_dict; idx++) {
      uint32_t len;
      fr_column_str(col, dict_rows[idx], &len);
      values[idx] = len;
      max_len = len > max_len ? len : max_len;
      total += len;
    }
    fr_buf_put_u32(out, n_dict);
    fr_buf_put_u32(out, (uint32_t)total);
    fr_put_packed(out, values, n_dict, fr_bit_width(max_len));
    for (uint32_t idx = 0; idx < n_dict; idx++) {
      uint32_t len;
      const char *s = fr_column_str(col, dict_rows[idx], &len);
      fr_buf_put(out, s, len);
    }
    for (uint32_t row = 0; row < n; row++)
      values[row] = codes[row];
    fr_put_packed(out, values, n, fr_bit_width(n_dict ? n_dict - 1 : 0));
  } else {
    meta->encoding = FR_ENC_PLAIN_STR;
    fr_str_stats(col, meta, NULL, n);
    uint64_t max_len = 0;
    for (uint32_t row = 0; row < n; row++) {
      values[row] = col->str_offsets[row + 1] - col->str_offsets[row];
      max_len = values[row] > max_len ? values[row] : max_len;
    }
    uint32_t total = col->str_offsets[n] - col->str_offsets[0];
    fr_buf_put_u32(out, total);
    fr_put_packed(out, values, n, fr_bit_width(max_len));
    fr_buf_put(out, col->str_bytes + col->str_offsets[0], total);
  }
  return out->failed ? FR_ERR_NOMEM : FR_OK;
}

static void fr_le32_store(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* STORE_FORMAT.md §4.2 compression 2: u32 frame_raw; u32 n_frames; n_frames x
 * u32 stored length; the frames.  Writes them into `dst` (reset); returns the
 * stored size, or 0 when memory or zstd failed (the chunk then stays raw). */
static size_t fr_zstd_frames(fr_buf *dst, const uint8_t *payload, size_t len, int level) {
  const size_t frame = FR_ZSTD_FRAME_BYTES, n_frames = (len + frame - 1) / frame;
  const size_t head = 8 + 4 * n_frames;
  fr_buf_reset(dst);
  if (fr_buf_reserve(dst, head + n_frames * ZSTD_compressBound(frame)) != FR_OK)
    return 0;
  ZSTD_CCtx *cctx = ZSTD_createCCtx();
  if (cctx == NULL)
    return 0;
  uint8_t *base = dst->data;
  fr_le32_store(base, (uint32_t)frame);
  fr_le32_store(base + 4, (uint32_t)n_frames);
  size_t at = head;
  for (size_t f = 0; f < n_frames; f++) {
    const size_t raw = f + 1 < n_frames ? frame : len - f * frame;
    size_t n = ZSTD_compressCCtx(cctx, base + at, dst->cap - at, payload + f * frame, raw, level);
    if (ZSTD_isError(n) || n > UINT32_MAX) {
      at = 0;
      break;
    }
    fr_le32_store(base + 8 + 4 * f, (uint32_t)n);
    at += n;
  }
  ZSTD_freeCCtx(cctx);
  dst->len = at;
  return at;
}

fr_status fr_codec_encode(const fr_column *col, fr_buf *out, fr_chunk_meta *meta, fr_buf *scratch,
                          fr_error *err) {
  memset(meta, 0, sizeof *meta);
  meta->null_count = col->validity ? col->null_count : 0;
  fr_buf_reset(scratch);
  fr_buf payload;
  fr_buf_init(&payload);
  fr_status status = FR_OK;
  if (meta->null_count > 0)
    fr_buf_put(&payload, col->validity, ((size_t)col->n_rows + 7) / 8);
  if (col->type == FR_TYPE_STRING)
    status = fr_encode_str(col, &payload, meta, scratch);
  else if (col->type == FR_TYPE_FLOAT64)
    status = fr_encode_float(col, &payload, meta);
  else
    status = fr_encode_int(col, &payload, meta, scratch);
  if (status == FR_OK && payload.failed)
    status = FR_ERR_NOMEM;
  if (status != FR_OK) {
    fr_buf_free(&payload);
    return fr_error_set(err, status, "out of memory encoding a column chunk");
  }
  if (payload.len > UINT32_MAX) {
    fr_buf_free(&payload);
    return fr_error_set(err, FR_ERR_LIMIT, "a column chunk exceeds 4 GiB");
  }
  meta->raw_len = (uint32_t)payload.len;
  meta->compression = FR_COMP_NONE;
  /* zstd only where it pays for its decode time: at least a third smaller.  A
   * chunk in the page cache reads at memory speed raw, and zstd decodes at
   * about 1 GB/s: dictionary codes it shrinks by 10-25% (org, payer, approver
   * of a payments log) decoded ~20% slower compressed for 8% of a store's size;
   * ids, texts and timestamps (2-30x smaller) keep it. */
  if (meta->encoding == FR_ENC_PLAIN_STR && payload.len > 2 * (size_t)FR_ZSTD_FRAME_BYTES) {
    /* ids and free texts, whose few evidence rows are fetched by row: frames,
     * at level 1 (level 3 made 10M payments' ingest 7% slower, 32 KiB at a
     * time, for no smaller store: 211 MB either way) */
    size_t n = fr_zstd_frames(scratch, payload.data, payload.len, 1);
    if (n > 0 && n * 3 <= payload.len * 2) {
      meta->compression = FR_COMP_ZSTD_FRAMES;
      meta->stored_len = (uint32_t)n;
      fr_buf_put(out, scratch->data, n);
    }
  } else if (payload.len >= 256) {
    size_t bound = ZSTD_compressBound(payload.len);
    fr_buf_reset(scratch);
    if (fr_buf_reserve(scratch, bound) == FR_OK) {
      int level = col->type == FR_TYPE_STRING ? 3 : 1;
      size_t n = ZSTD_compress(scratch->data, bound, payload.data, payload.len, level);
      if (!ZSTD_isError(n) && n * 3 <= payload.len * 2) {
        meta->compression = FR_COMP_ZSTD;
        meta->stored_len = (uint32_t)n;
        fr_buf_put(out, scratch->data, n);
      }
    }
  }
  if (meta->compression == FR_COMP_NONE) {
    meta->stored_len = (uint32_t)payload.len;
    fr_buf_put(out, payload.data, payload.len);
  }
  fr_buf_free(&payload);
  return out->failed ? fr_error_set(err, FR_ERR_NOMEM, "out of memory encoding a column chunk")
                     : FR_OK;
}

#define FR_CORRUPT(err, what) fr_error_set((err), FR_ERR_CORRUPT, "%s", (what))

/* Reads `n` packed values; checks the width and the length. */
static fr_status fr_get_packed(fr_reader *rd, uint64_t *dst, uint32_t n, unsigned *width_out,
                               fr_error *err) {
  unsigned width = fr_get_u8(rd);
  if (rd->overrun || width > FR_MAX_PACK_WIDTH)
    return FR_CORRUPT(err, "bad bit width");
  const uint8_t *bits = fr_get_bytes(rd, fr_bitpack_size(n, width));
  if (bits == NULL)
    return FR_CORRUPT(err, "bit-packed data shorter than its row count");
  fr_bitunpack(dst, bits, n, width);
  if (width_out)
    *width_out = width;
  return FR_OK;
}

static fr_status fr_decode_str(fr_reader *rd, const fr_chunk_meta *meta, uint32_t n,
                               fr_column *out, fr_buf *work, fr_error *err) {
  uint64_t *values;
  if (meta->encoding == FR_ENC_PLAIN_STR) {
    uint32_t total = fr_get_u32(rd);
    unsigned width = 0;
    FR_TRY(fr_scratch_u64(work, n, &values));
    FR_TRY(fr_get_packed(rd, values, n, &width, err));
    const uint8_t *bytes = fr_get_bytes(rd, total);
    if (bytes == NULL)
      return FR_CORRUPT(err, "string bytes shorter than recorded");
    if (fr_column_reserve(out, n, total) != FR_OK)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
    uint64_t offset = 0;
    out->str_offsets[0] = 0;
    if (width <= 32) {
      /* fewer than 2^32 lengths below 2^32 cannot wrap the sum, and lengths
       * never shrink it: the total is the only check (and a row's offset fits
       * 32 bits whenever the total does) */
      for (uint32_t row = 0; row < n; row++) {
        offset += values[row];
        out->str_offsets[row + 1] = (uint32_t)offset;
      }
    } else {
      for (uint32_t row = 0; row < n; row++) {
        offset += values[row];
        out->str_offsets[row + 1] = (uint32_t)offset;
        if (offset > total)
          return FR_CORRUPT(err, "string lengths exceed the stored bytes");
      }
    }
    if (offset != total)
      return FR_CORRUPT(err, "string lengths do not add up to the stored bytes");
    if (total)
      memcpy(out->str_bytes, bytes, total);
    out->str_len = total;
    return FR_OK;
  }
  if (meta->encoding != FR_ENC_DICT_STR)
    return FR_CORRUPT(err, "unknown string encoding");
  uint32_t n_dict = fr_get_u32(rd);
  uint32_t dict_total = fr_get_u32(rd);
  if (rd->overrun || n_dict > n || (n > 0 && n_dict == 0))
    return FR_CORRUPT(err, "bad dictionary size");
  FR_TRY(fr_scratch_u64(work, n + n_dict + 1, &values));
  uint64_t *dict_len = values + n;
  unsigned len_width = 0;
  FR_TRY(fr_get_packed(rd, dict_len, n_dict, &len_width, err));
  const uint8_t *dict_bytes = fr_get_bytes(rd, dict_total);
  if (dict_bytes == NULL)
    return FR_CORRUPT(err, "dictionary shorter than recorded");
  /* Dictionary offsets in place of lengths (with 32-bit lengths the sum cannot
   * wrap, so the total below is the only check needed, as for plain strings) */
  uint64_t offset = 0;
  for (uint32_t idx = 0; idx < n_dict; idx++) {
    uint64_t len = dict_len[idx];
    dict_len[idx] = offset;
    offset += len;
    if (len_width > 32 && offset > dict_total)
      return FR_CORRUPT(err, "dictionary lengths exceed its bytes");
  }
  if (offset != dict_total)
    return FR_CORRUPT(err, "dictionary lengths do not add up");
  dict_len[n_dict] = offset;
  if (out->want_dict) {
    /* late decoding: hand over codes and dictionary (copied: the payload may
     * live in a buffer freed when decoding ends) */
    if (n > out->dict_codes_cap) {
      uint32_t *codes = fr_realloc(out->dict_codes, (size_t)n * sizeof *codes);
      if (codes == NULL)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
      out->dict_codes = codes;
      out->dict_codes_cap = n;
    }
    if (n_dict + 1 > out->dict_offsets_cap) {
      uint32_t *offsets = fr_realloc(out->dict_offsets, ((size_t)n_dict + 1) * sizeof *offsets);
      if (offsets == NULL)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
      out->dict_offsets = offsets;
      out->dict_offsets_cap = n_dict + 1;
    }
    if (dict_total > out->dict_bytes_cap || out->dict_bytes == NULL) {
      char *bytes = fr_realloc(out->dict_bytes, (size_t)dict_total + 1);
      if (bytes == NULL)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
      out->dict_bytes = bytes;
      out->dict_bytes_cap = (size_t)dict_total + 1;
    }
    /* codes unpacked straight into 32 bits, their bound checked once */
    const unsigned width = fr_get_u8(rd);
    if (rd->overrun || width > FR_MAX_PACK_WIDTH)
      return FR_CORRUPT(err, "bad bit width");
    const uint8_t *bits = fr_get_bytes(rd, fr_bitpack_size(n, width));
    if (bits == NULL)
      return FR_CORRUPT(err, "bit-packed data shorter than its row count");
    if (width <= 32) {
      if (fr_bitunpack32(out->dict_codes, bits, n, width) >= n_dict && n > 0)
        return FR_CORRUPT(err, "dictionary code out of range");
    } else {
      fr_bitunpack(values, bits, n, width);
      for (uint32_t row = 0; row < n; row++) {
        if (values[row] >= n_dict)
          return FR_CORRUPT(err, "dictionary code out of range");
        out->dict_codes[row] = (uint32_t)values[row];
      }
    }
    for (uint32_t idx = 0; idx <= n_dict; idx++)
      out->dict_offsets[idx] = (uint32_t)dict_len[idx];
    if (dict_total > 0)
      memcpy(out->dict_bytes, dict_bytes, dict_total);
    out->n_dict = n_dict;
    out->has_dict = 1;
    return FR_OK;
  }
  FR_TRY(fr_get_packed(rd, values, n, NULL, err));
  uint64_t total = 0;
  for (uint32_t row = 0; row < n; row++) {
    if (values[row] >= n_dict)
      return FR_CORRUPT(err, "dictionary code out of range");
    total += dict_len[values[row] + 1] - dict_len[values[row]];
  }
  if (total > UINT32_MAX)
    return FR_CORRUPT(err, "decoded strings exceed 4 GiB");
  if (fr_column_reserve(out, n, total) != FR_OK)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
  uint32_t pos = 0;
  out->str_offsets[0] = 0;
  for (uint32_t row = 0; row < n; row++) {
    uint64_t start = dict_len[values[row]], len = dict_len[values[row] + 1] - start;
    memcpy(out->str_bytes + pos, dict_bytes + start, len);
    pos += (uint32_t)len;
    out->str_offsets[row + 1] = pos;
  }
  out->str_len = pos;
  return FR_OK;
}

/* A chunk stored in frames (compression 2), its frame table checked: the
 * frame count matches raw_len, the stored lengths add up to the stored bytes. */
typedef struct fr_frames {
  const uint8_t *stored;  /* the whole stored chunk */
  uint32_t frame_raw, n_frames;
  size_t raw_len;
  uint64_t *start;        /* n_frames + 1 offsets into stored (owned) */
  uint8_t *done;          /* n_frames flags: inflated (owned; partial reads) */
  ZSTD_DCtx *dctx;        /* owned */
} fr_frames;

static void fr_frames_free(fr_frames *fs) {
  fr_free(fs->start);
  fr_free(fs->done);
  ZSTD_freeDCtx(fs->dctx);
  memset(fs, 0, sizeof *fs);
}

static fr_status fr_frames_open(fr_frames *fs, const uint8_t *stored, size_t stored_len, size_t raw_len,
                                fr_error *err) {
  memset(fs, 0, sizeof *fs);
  fr_reader rd;
  fr_reader_init(&rd, stored, stored_len);
  fs->stored = stored;
  fs->raw_len = raw_len;
  fs->frame_raw = fr_get_u32(&rd);
  fs->n_frames = fr_get_u32(&rd);
  if (rd.overrun || fs->frame_raw == 0 || (uint64_t)fs->n_frames * 4 > stored_len ||
      fs->n_frames != (raw_len + fs->frame_raw - 1) / fs->frame_raw)
    return FR_CORRUPT(err, "bad frame table");
  fs->start = fr_malloc(((size_t)fs->n_frames + 1) * sizeof *fs->start);
  fs->done = fr_calloc((size_t)fs->n_frames + 1, 1);
  fs->dctx = ZSTD_createDCtx();
  if (fs->start == NULL || fs->done == NULL || fs->dctx == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory decompressing a chunk");
  uint64_t at = 8 + 4 * (uint64_t)fs->n_frames;
  for (uint32_t f = 0; f < fs->n_frames; f++) {
    fs->start[f] = at;
    at += fr_get_u32(&rd);
  }
  fs->start[fs->n_frames] = at;
  if (rd.overrun || at != stored_len)
    return FR_CORRUPT(err, "frame lengths do not add up to the stored bytes");
  return FR_OK;
}

/* Inflates frame f into raw (the payload's buffer, raw_len bytes). */
static fr_status fr_frames_inflate(fr_frames *fs, uint32_t f, uint8_t *raw, fr_error *err) {
  const size_t at = (size_t)f * fs->frame_raw;
  const size_t want = fs->raw_len - at < fs->frame_raw ? fs->raw_len - at : fs->frame_raw;
  size_t n = ZSTD_decompressDCtx(fs->dctx, raw + at, want, fs->stored + fs->start[f],
                                 (size_t)(fs->start[f + 1] - fs->start[f]));
  if (ZSTD_isError(n) || n != want)
    return FR_CORRUPT(err, "zstd frame does not decompress to the recorded size");
  fs->done[f] = 1;
  return FR_OK;
}

/* Makes payload bytes [off, off + len) present in raw (inflating their frames
 * once); FR_ERR_CORRUPT when they lie past raw_len. */
static fr_status fr_frames_need(fr_frames *fs, size_t off, size_t len, uint8_t *raw, fr_error *err) {
  if (off > fs->raw_len || len > fs->raw_len - off)
    return FR_CORRUPT(err, "string chunk shorter than its contents");
  if (len == 0)
    return FR_OK;
  for (size_t f = off / fs->frame_raw; f <= (off + len - 1) / fs->frame_raw; f++)
    if (!fs->done[f])
      FR_TRY(fr_frames_inflate(fs, (uint32_t)f, raw, err));
  return FR_OK;
}

fr_status fr_codec_decode(const uint8_t *stored, size_t stored_len, const fr_chunk_meta *meta,
                          fr_type type, uint32_t n_rows, fr_column *out, fr_buf *scratch,
                          fr_error *err) {
  fr_column_reset(out, type);
  const uint8_t *payload = stored;
  size_t payload_len = stored_len;
  fr_status status = FR_OK;
  fr_buf_reset(scratch);
  if (meta->compression == FR_COMP_ZSTD) {
    /* the payload goes to the front of scratch (reused from chunk to chunk, so
     * no fresh pages per chunk), with room behind it for the largest working
     * array a decoder asks for (2 n + 2 values) */
    const size_t base = ((size_t)meta->raw_len + 15) & ~(size_t)15;
    if (fr_buf_reserve(scratch, base + ((size_t)n_rows * 2 + 3) * 8 + 8) != FR_OK)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory decompressing a chunk");
    size_t n = ZSTD_decompress(scratch->data, meta->raw_len, stored, stored_len);
    if (ZSTD_isError(n) || n != meta->raw_len)
      return FR_CORRUPT(err, "zstd frame does not decompress to the recorded size");
    scratch->len = base;
    payload = scratch->data;
    payload_len = n;
  } else if (meta->compression == FR_COMP_ZSTD_FRAMES) {
    const size_t base = ((size_t)meta->raw_len + 15) & ~(size_t)15;
    if (fr_buf_reserve(scratch, base + ((size_t)n_rows * 2 + 3) * 8 + 8) != FR_OK)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory decompressing a chunk");
    fr_frames fs;
    status = fr_frames_open(&fs, stored, stored_len, meta->raw_len, err);
    for (uint32_t f = 0; status == FR_OK && f < fs.n_frames; f++)
      status = fr_frames_inflate(&fs, f, scratch->data, err);
    fr_frames_free(&fs);
    if (status != FR_OK)
      return status;
    scratch->len = base;
    payload = scratch->data;
    payload_len = meta->raw_len;
  } else if (meta->compression != FR_COMP_NONE || stored_len != meta->raw_len) {
    return FR_CORRUPT(err, "unknown compression or size mismatch");
  }
  fr_reader rd;
  fr_reader_init(&rd, payload, payload_len);
  if (fr_column_reserve(out, n_rows ? n_rows : 1, 0) != FR_OK) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding a chunk");
    goto done;
  }
  if (meta->null_count > n_rows) {
    status = FR_CORRUPT(err, "null count exceeds the row count");
    goto done;
  }
  if (meta->null_count > 0) {
    const uint8_t *bits = fr_get_bytes(&rd, ((size_t)n_rows + 7) / 8);
    if (bits == NULL || fr_column_ensure_validity(out) != FR_OK) {
      status = bits == NULL ? FR_CORRUPT(err, "validity bitmap truncated")
                            : fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      goto done;
    }
    memcpy(out->validity, bits, ((size_t)n_rows + 7) / 8);
    /* valid rows by bytes (the last one masked to the rows it holds) */
    uint64_t valid = 0;
    for (uint32_t k = 0; k < n_rows / 8; k++) valid += (uint64_t)__builtin_popcount(out->validity[k]);
    if (n_rows % 8)
      valid += (uint64_t)__builtin_popcount(out->validity[n_rows / 8] & ((1u << (n_rows % 8)) - 1));
    const uint32_t nulls = n_rows - (uint32_t)valid;
    if (nulls != meta->null_count) {
      status = FR_CORRUPT(err, "validity bitmap disagrees with the null count");
      goto done;
    }
    out->null_count = nulls;
  }
  uint64_t *values;
  switch (meta->encoding) {
  case FR_ENC_PLAIN_I64:
  case FR_ENC_FOR_I64:
  case FR_ENC_DELTA_I64: {
    if (!fr_type_is_int_like(type)) {
      status = FR_CORRUPT(err, "integer encoding on a non-integer column");
      goto done;
    }
    if (meta->encoding == FR_ENC_PLAIN_I64) {
      const uint8_t *raw = fr_get_bytes(&rd, (size_t)n_rows * 8);
      if (raw == NULL) {
        status = FR_CORRUPT(err, "plain values truncated");
        goto done;
      }
      memcpy(out->i64, raw, (size_t)n_rows * 8);
      break;
    }
    status = fr_scratch_u64(scratch, n_rows, &values);
    if (status != FR_OK)
      goto done;
    uint64_t base = fr_get_u64(&rd);
    if (meta->encoding == FR_ENC_FOR_I64) {
      status = fr_get_packed(&rd, values, n_rows, NULL, err);
      if (status != FR_OK)
        goto done;
      for (uint32_t row = 0; row < n_rows; row++)
        out->i64[row] = (int64_t)(base + values[row]);
    } else {
      uint64_t delta_base = fr_get_u64(&rd);
      if (n_rows == 0) {
        status = FR_CORRUPT(err, "delta encoding of an empty chunk");
        goto done;
      }
      status = fr_get_packed(&rd, values, n_rows - 1, NULL, err);
      if (status != FR_OK)
        goto done;
      uint64_t acc = base;
      out->i64[0] = (int64_t)acc;
      for (uint32_t row = 1; row < n_rows; row++) {
        acc += values[row - 1] + delta_base;
        out->i64[row] = (int64_t)acc;
      }
    }
    break;
  }
  case FR_ENC_PLAIN_F64: {
    const uint8_t *raw = fr_get_bytes(&rd, (size_t)n_rows * 8);
    if (type != FR_TYPE_FLOAT64 || raw == NULL) {
      status = FR_CORRUPT(err, "float chunk truncated or on a non-float column");
      goto done;
    }
    memcpy(out->f64, raw, (size_t)n_rows * 8);
    break;
  }
  case FR_ENC_PLAIN_STR:
  case FR_ENC_DICT_STR:
    if (type != FR_TYPE_STRING) {
      status = FR_CORRUPT(err, "string encoding on a non-string column");
      goto done;
    }
    status = fr_decode_str(&rd, meta, n_rows, out, scratch, err);
    if (status != FR_OK)
      goto done;
    break;
  default:
    status = FR_CORRUPT(err, "unknown encoding");
    goto done;
  }
  if (rd.overrun || rd.pos != rd.len) {
    status = FR_CORRUPT(err, "chunk length disagrees with its contents");
    goto done;
  }
  /* fr_column's contract: a NULL row holds 0 (or an empty string). */
  if (out->validity != NULL) {
    for (uint32_t row = 0; row < n_rows; row++) {
      if ((row & 7) == 0 && out->validity[row >> 3] == 0xff && row + 8 <= n_rows) {
        row += 7; /* a byte of valid rows */
        continue;
      }
      if (fr_column_is_valid(out, row))
        continue;
      if (type == FR_TYPE_FLOAT64)
        out->f64[row] = 0;
      else if (type != FR_TYPE_STRING)
        out->i64[row] = 0;
      else if (out->has_dict ? out->dict_offsets[out->dict_codes[row] + 1] != out->dict_offsets[out->dict_codes[row]]
                             : out->str_offsets[row + 1] != out->str_offsets[row]) {
        status = FR_CORRUPT(err, "a NULL row holds a value");
        goto done;
      }
    }
  }
  out->n_rows = n_rows;
done:
  fr_buf_reset(scratch);
  return status;
}

/* out := rows[0..n_sel) of `whole` (a decoded string column with offsets). */
static fr_status fr_str_gather(fr_column *out, const fr_column *whole, const uint32_t *rows, size_t n_sel,
                               fr_error *err) {
  size_t total = 0;
  for (size_t k = 0; k < n_sel; k++)
    total += whole->str_offsets[rows[k] + 1] - whole->str_offsets[rows[k]];
  if (total > UINT32_MAX)
    return FR_CORRUPT(err, "decoded strings exceed 4 GiB");
  if (fr_column_reserve(out, (uint32_t)n_sel, total) != FR_OK)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
  uint32_t pos = 0;
  for (size_t k = 0; k < n_sel; k++) {
    const uint32_t r = rows[k], len = whole->str_offsets[r + 1] - whole->str_offsets[r];
    if (!fr_column_is_valid(whole, r)) {
      if (fr_column_ensure_validity(out) != FR_OK)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
      fr_column_set_null_bit(out, (uint32_t)k);
      out->null_count++;
    }
    if (len)
      memcpy(out->str_bytes + pos, whole->str_bytes + whole->str_offsets[r], len);
    pos += len;
    out->str_offsets[k + 1] = pos;
  }
  out->str_len = pos;
  out->n_rows = (uint32_t)n_sel;
  return FR_OK;
}

/* NULL rows of a validity bitmap of n_rows rows (bits past them ignored). */
static uint64_t fr_null_rows(const uint8_t *validity, uint32_t n_rows) {
  uint64_t valid = 0;
  for (uint32_t k = 0; k < n_rows / 8; k++) valid += (uint64_t)__builtin_popcount(validity[k]);
  if (n_rows % 8)
    valid += (uint64_t)__builtin_popcount(validity[n_rows / 8] & ((1u << (n_rows % 8)) - 1));
  return n_rows - valid;
}

/* A chunk's payload read in parts: whole in memory (no compression, or one zstd
 * frame inflated first), or inflated frame by frame as parts are asked for. */
typedef struct fr_payload {
  const uint8_t *raw;  /* the payload (for frames: the buffer they inflate into) */
  size_t len;
  fr_frames *fs;       /* NULL: raw holds it all */
} fr_payload;

/* Makes payload bytes [off, off + len) present in p->raw; FR_ERR_CORRUPT past the end. */
static fr_status fr_payload_need(fr_payload *p, size_t off, size_t len, fr_error *err) {
  if (p->fs != NULL)
    return fr_frames_need(p->fs, off, len, (uint8_t *)p->raw, err);
  if (off > p->len || len > p->len - off)
    return FR_CORRUPT(err, "string chunk shorter than its contents");
  return FR_OK;
}

/* The validity bitmap heading a payload (NULL when the chunk has no NULLs),
 * checked against the null count; *pos := the offset after it. */
static fr_status fr_payload_validity(fr_payload *pl, const fr_chunk_meta *meta, uint32_t n_rows,
                                     const uint8_t **validity, size_t *pos, fr_error *err) {
  *validity = NULL;
  *pos = 0;
  if (meta->null_count > n_rows)
    return FR_CORRUPT(err, "null count exceeds the row count");
  if (meta->null_count == 0)
    return FR_OK;
  const size_t vbytes = ((size_t)n_rows + 7) / 8;
  FR_TRY(fr_payload_need(pl, 0, vbytes, err));
  if (fr_null_rows(pl->raw, n_rows) != meta->null_count)
    return FR_CORRUPT(err, "validity bitmap disagrees with the null count");
  *validity = pl->raw;
  *pos = vbytes;
  return FR_OK;
}

/* The partial read of a framed PLAIN_STR chunk: the payload (§4.0, §4.1) is
 * parsed as fr_codec_decode parses it, each part through fr_frames_need, so only
 * the frames of the validity bitmap, the header, the lengths and the wanted
 * strings are inflated.  Checked as a whole decode checks: the null count, the
 * lengths against the stored bytes, the payload consumed exactly. */
static fr_status fr_framed_str_rows(fr_frames *fs, const fr_chunk_meta *meta, uint32_t n_rows,
                                    const uint32_t *rows, size_t n_sel, fr_column *out, fr_buf *scratch,
                                    fr_error *err) {
  /* scratch: the payload's buffer (raw_len bytes, touched only where inflated),
   * then n_rows + 1 string offsets */
  const size_t base = (fs->raw_len + 15) & ~(size_t)15;
  if (fr_buf_reserve(scratch, base + ((size_t)n_rows + 2) * 8 + 8) != FR_OK)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory decompressing a chunk");
  uint8_t *raw = scratch->data;
  uint64_t *offs = (uint64_t *)(void *)(scratch->data + base);
  size_t pos = 0;
  const uint8_t *validity = NULL;
  fr_payload pl = {raw, fs->raw_len, fs};
  FR_TRY(fr_payload_validity(&pl, meta, n_rows, &validity, &pos, err));
  FR_TRY(fr_frames_need(fs, pos, 5, raw, err));
  fr_reader rd;
  fr_reader_init(&rd, raw + pos, 5);
  const uint32_t total = fr_get_u32(&rd);
  const unsigned width = fr_get_u8(&rd);
  pos += 5;
  if (width > FR_MAX_PACK_WIDTH)
    return FR_CORRUPT(err, "bad bit width");
  const size_t packed = fr_bitpack_size(n_rows, width);
  FR_TRY(fr_frames_need(fs, pos, packed, raw, err));
  fr_bitunpack(offs + 1, raw + pos, n_rows, width);
  pos += packed;
  offs[0] = 0;
  if (width <= 32) { /* no wrap possible: the total is the check (fr_decode_str) */
    for (uint32_t r = 0; r < n_rows; r++) offs[r + 1] += offs[r];
  } else {
    for (uint32_t r = 0; r < n_rows; r++) {
      offs[r + 1] += offs[r];
      if (offs[r + 1] > total)
        return FR_CORRUPT(err, "string lengths exceed the stored bytes");
    }
  }
  if (offs[n_rows] != total)
    return FR_CORRUPT(err, "string lengths do not add up to the stored bytes");
  if (pos > fs->raw_len || fs->raw_len - pos != total)
    return FR_CORRUPT(err, "chunk length disagrees with its contents");
  size_t want = 0;
  for (size_t k = 0; k < n_sel; k++)
    want += offs[rows[k] + 1] - offs[rows[k]];
  if (want > UINT32_MAX)
    return FR_CORRUPT(err, "decoded strings exceed 4 GiB");
  if (fr_column_reserve(out, (uint32_t)n_sel, want) != FR_OK)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
  uint32_t at = 0;
  for (size_t k = 0; k < n_sel; k++) {
    const uint32_t r = rows[k];
    const size_t len = offs[r + 1] - offs[r];
    if (validity != NULL && !((validity[r >> 3] >> (r & 7)) & 1)) {
      if (len != 0)
        return FR_CORRUPT(err, "a NULL row holds a value");
      if (fr_column_ensure_validity(out) != FR_OK)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
      fr_column_set_null_bit(out, (uint32_t)k);
      out->null_count++;
    }
    FR_TRY(fr_frames_need(fs, pos + offs[r], len, raw, err));
    if (len)
      memcpy(out->str_bytes + at, raw + pos + offs[r], len);
    at += (uint32_t)len;
    out->str_offsets[k + 1] = at;
  }
  out->str_len = at;
  out->n_rows = (uint32_t)n_sel;
  return FR_OK;
}

/* The partial read of a DICT_STR chunk (§4.2): the header, the dictionary's
 * lengths and the wanted rows' codes and entries, not every row's code (a
 * lookup that keeps one row of a row group decodes one code per dictionary
 * column instead of the group's).  Checked as a whole decode checks the parts it
 * reads: the null count, the sizes, the lengths against the dictionary's bytes,
 * the chunk's length, each read code against the dictionary, a NULL row's entry
 * empty; codes of rows not read are not checked (the chunk's checksum is, by
 * the segment reader).  work: room for n_dict + 1 offsets after `base`. */
static fr_status fr_dict_str_rows(fr_payload *pl, const fr_chunk_meta *meta, uint32_t n_rows, const uint32_t *rows,
                                  size_t n_sel, fr_column *out, fr_buf *work, size_t base, fr_error *err) {
  size_t pos = 0;
  const uint8_t *validity = NULL;
  FR_TRY(fr_payload_validity(pl, meta, n_rows, &validity, &pos, err));
  FR_TRY(fr_payload_need(pl, pos, 9, err));
  fr_reader rd;
  fr_reader_init(&rd, pl->raw + pos, 9);
  const uint32_t n_dict = fr_get_u32(&rd), dict_total = fr_get_u32(&rd);
  const unsigned len_width = fr_get_u8(&rd);
  pos += 9;
  if (n_dict > n_rows || (n_rows > 0 && n_dict == 0))
    return FR_CORRUPT(err, "bad dictionary size");
  if (len_width > FR_MAX_PACK_WIDTH)
    return FR_CORRUPT(err, "bad bit width");
  const uint8_t *before = work->data;
  if (fr_buf_reserve(work, base + ((size_t)n_dict + 2) * 8 + 8) != FR_OK)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
  if (pl->raw == before && before != NULL) /* the payload lives in work: it may have moved */
    pl->raw = work->data;
  if (validity != NULL)
    validity = pl->raw;
  uint64_t *offs = (uint64_t *)(void *)(work->data + base);
  const size_t lens_packed = fr_bitpack_size(n_dict, len_width);
  FR_TRY(fr_payload_need(pl, pos, lens_packed, err));
  fr_bitunpack(offs + 1, pl->raw + pos, n_dict, len_width);
  pos += lens_packed;
  offs[0] = 0;
  for (uint32_t e = 0; e < n_dict; e++) {
    offs[e + 1] += offs[e];
    if (len_width > 32 && offs[e + 1] > dict_total) /* else no sum can wrap: the total is the check */
      return FR_CORRUPT(err, "dictionary lengths exceed its bytes");
  }
  if (offs[n_dict] != dict_total)
    return FR_CORRUPT(err, "dictionary lengths do not add up");
  const size_t dict_at = pos;
  if (dict_total > pl->len - (pos < pl->len ? pos : pl->len))
    return FR_CORRUPT(err, "dictionary shorter than recorded");
  pos += dict_total;
  FR_TRY(fr_payload_need(pl, pos, 1, err));
  const unsigned code_width = pl->raw[pos];
  pos += 1;
  if (code_width > FR_MAX_PACK_WIDTH)
    return FR_CORRUPT(err, "bad bit width");
  const size_t codes_at = pos, codes_packed = fr_bitpack_size(n_rows, code_width);
  if (codes_packed != pl->len - (pos < pl->len ? pos : pl->len))
    return FR_CORRUPT(err, "chunk length disagrees with its contents");
  /* the wanted rows' codes (each read through the 8 bytes after its first bit,
   * inside the packing's padding) and their strings' total */
  uint32_t *code = fr_malloc((n_sel ? n_sel : 1) * sizeof *code);
  if (code == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
  const uint64_t mask = code_width == 0 ? 0 : (1ULL << code_width) - 1;
  uint64_t want = 0;
  fr_status status = FR_OK;
  for (size_t k = 0; k < n_sel && status == FR_OK; k++) {
    const size_t bit = (size_t)rows[k] * code_width;
    status = fr_payload_need(pl, codes_at + (bit >> 3), 8, err);
    if (status != FR_OK)
      break;
    const uint64_t c = (fr_load_u64(pl->raw + codes_at + (bit >> 3)) >> (bit & 7)) & mask;
    if (c >= n_dict)
      status = FR_CORRUPT(err, "dictionary code out of range");
    code[k] = (uint32_t)c;
    want += status == FR_OK ? offs[c + 1] - offs[c] : 0;
  }
  if (status == FR_OK && want > UINT32_MAX)
    status = FR_CORRUPT(err, "decoded strings exceed 4 GiB");
  if (status == FR_OK && fr_column_reserve(out, (uint32_t)n_sel, want) != FR_OK)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
  uint32_t at = 0;
  for (size_t k = 0; k < n_sel && status == FR_OK; k++) {
    const uint32_t r = rows[k];
    const size_t len = offs[code[k] + 1] - offs[code[k]];
    if (validity != NULL && !((validity[r >> 3] >> (r & 7)) & 1)) {
      if (len != 0) {
        status = FR_CORRUPT(err, "a NULL row holds a value");
        break;
      }
      if (fr_column_ensure_validity(out) != FR_OK) {
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory decoding strings");
        break;
      }
      fr_column_set_null_bit(out, (uint32_t)k);
      out->null_count++;
    }
    status = fr_payload_need(pl, dict_at + offs[code[k]], len, err);
    if (status == FR_OK && len)
      memcpy(out->str_bytes + at, pl->raw + dict_at + offs[code[k]], len);
    at += (uint32_t)len;
    out->str_offsets[k + 1] = at;
  }
  fr_free(code);
  if (status != FR_OK)
    return status;
  out->str_len = at;
  out->n_rows = (uint32_t)n_sel;
  return FR_OK;
}

fr_status fr_codec_decode_str_rows(const uint8_t *stored, size_t stored_len, const fr_chunk_meta *meta,
                                   uint32_t n_rows, const uint32_t *rows, size_t n_sel, fr_column *out,
                                   fr_buf *scratch, fr_error *err) {
  fr_column_reset(out, FR_TYPE_STRING);
  if (meta->encoding != FR_ENC_PLAIN_STR && meta->encoding != FR_ENC_DICT_STR)
    return FR_CORRUPT(err, "not a string chunk");
  if (n_sel > UINT32_MAX)
    return fr_error_set(err, FR_ERR_LIMIT, "too many rows asked of one chunk");
  for (size_t k = 0; k < n_sel; k++)
    if (rows[k] >= n_rows)
      return FR_CORRUPT(err, "a row past the chunk's rows");
  fr_status status;
  if (meta->encoding == FR_ENC_DICT_STR) {
    /* the payload: as stored, inflated whole (one frame), or by frames; the
     * dictionary's offsets go behind it in scratch */
    fr_frames fs;
    memset(&fs, 0, sizeof fs);
    fr_payload pl = {stored, stored_len, NULL};
    const size_t base = ((size_t)meta->raw_len + 15) & ~(size_t)15;
    fr_buf_reset(scratch);
    status = FR_OK;
    if (meta->compression == FR_COMP_ZSTD || meta->compression == FR_COMP_ZSTD_FRAMES) {
      if (fr_buf_reserve(scratch, base + 16) != FR_OK)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory decompressing a chunk");
      pl.raw = scratch->data;
      pl.len = meta->raw_len;
      if (meta->compression == FR_COMP_ZSTD) {
        size_t n = ZSTD_decompress(scratch->data, meta->raw_len, stored, stored_len);
        if (ZSTD_isError(n) || n != meta->raw_len)
          status = FR_CORRUPT(err, "zstd frame does not decompress to the recorded size");
      } else {
        status = fr_frames_open(&fs, stored, stored_len, meta->raw_len, err);
        pl.fs = &fs;
      }
    } else if (meta->compression != FR_COMP_NONE || stored_len != meta->raw_len) {
      status = FR_CORRUPT(err, "unknown compression or size mismatch");
    }
    if (status == FR_OK)
      status = fr_dict_str_rows(&pl, meta, n_rows, rows, n_sel, out, scratch, base, err);
    if (pl.fs != NULL)
      fr_frames_free(&fs);
    fr_buf_reset(scratch);
    return status;
  }
  if (meta->compression == FR_COMP_ZSTD_FRAMES && meta->encoding == FR_ENC_PLAIN_STR) {
    fr_frames fs;
    fr_buf_reset(scratch);
    status = fr_frames_open(&fs, stored, stored_len, meta->raw_len, err);
    if (status == FR_OK)
      status = fr_framed_str_rows(&fs, meta, n_rows, rows, n_sel, out, scratch, err);
    fr_frames_free(&fs);
    fr_buf_reset(scratch);
    return status;
  }
  fr_column whole;
  fr_column_init(&whole, FR_TYPE_STRING);
  status = fr_codec_decode(stored, stored_len, meta, FR_TYPE_STRING, n_rows, &whole, scratch, err);
  if (status == FR_OK)
    status = fr_str_gather(out, &whole, rows, n_sel, err);
  fr_column_free(&whole);
  return status;
}
