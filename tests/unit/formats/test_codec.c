/* Unit tests of the chunk codecs: every encoding round-trips random and edge
 * data exactly (oracle: the input column), zone maps equal a naive scan, and
 * damaged payloads fail cleanly. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "fr_codec.h"

static uint64_t rng_state = 12345;
static uint64_t rng(void) {
  rng_state += 0x9E3779B97F4A7C15ULL;
  uint64_t z = rng_state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* fr_codec_decode_str_rows of some rows equals the column's rows. */
static void check_rows(const fr_buf *stored, const fr_chunk_meta *meta, const fr_column *col) {
  uint32_t *rows = malloc(((size_t)col->n_rows / 7 + 3) * sizeof *rows);
  cr_assert_not_null(rows);
  size_t n = 0;
  for (uint32_t r = col->n_rows; r > 0; r -= r >= 7 ? 7 : r)
    rows[n++] = r - 1;
  if (col->n_rows > 0) {
    rows[n++] = 0;
    rows[n++] = 0;
  }
  fr_column part;
  fr_column_init(&part, FR_TYPE_STRING);
  fr_buf scratch;
  fr_buf_init(&scratch);
  cr_assert_eq(fr_codec_decode_str_rows(stored->data, stored->len, meta, col->n_rows, rows, n, &part, &scratch, NULL),
               FR_OK);
  cr_assert_eq(part.n_rows, n);
  for (size_t k = 0; k < n; k++) {
    cr_assert_eq(fr_column_is_valid(&part, (uint32_t)k), fr_column_is_valid(col, rows[k]), "row %u validity", rows[k]);
    uint32_t a_len, b_len;
    const char *a = fr_column_str(col, rows[k], &a_len), *b = fr_column_str(&part, (uint32_t)k, &b_len);
    cr_assert(a_len == b_len && memcmp(a, b, a_len) == 0, "row %u alone", rows[k]);
  }
  fr_column_free(&part);
  fr_buf_free(&scratch);
  free(rows);
}

static void roundtrip(const fr_column *col, uint8_t *encoding_out) {
  fr_buf stored, scratch;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  fr_chunk_meta meta;
  cr_assert_eq(fr_codec_encode(col, &stored, &meta, &scratch, NULL), FR_OK);
  fr_column back;
  fr_column_init(&back, col->type);
  cr_assert_eq(fr_codec_decode(stored.data, stored.len, &meta, col->type, col->n_rows, &back, &scratch, NULL), FR_OK);
  cr_assert_eq(back.n_rows, col->n_rows);
  cr_assert_eq(back.null_count, col->validity ? col->null_count : 0);
  int any = 0;
  int64_t min = 0, max = 0;
  for (uint32_t row = 0; row < col->n_rows; row++) {
    cr_assert_eq(fr_column_is_valid(&back, row), fr_column_is_valid(col, row), "row %u validity", row);
    if (!fr_column_is_valid(col, row))
      continue;
    if (col->type == FR_TYPE_STRING) {
      uint32_t a_len, b_len;
      const char *a = fr_column_str(col, row, &a_len);
      const char *b = fr_column_str(&back, row, &b_len);
      cr_assert(a_len == b_len && memcmp(a, b, a_len) == 0, "row %u string", row);
    } else if (col->type == FR_TYPE_FLOAT64) {
      cr_assert(memcmp(&col->f64[row], &back.f64[row], 8) == 0);
    } else {
      cr_assert_eq(back.i64[row], col->i64[row], "row %u", row);
      if (!any || col->i64[row] < min) min = col->i64[row];
      if (!any || col->i64[row] > max) max = col->i64[row];
    }
    any = 1;
  }
  if (fr_type_is_int_like(col->type)) {
    cr_assert_eq(!!(meta.stats_flags & FR_STATS_HAS_MINMAX), any);
    if (any) {
      cr_assert_eq(meta.min_i64, min);
      cr_assert_eq(meta.max_i64, max);
    }
  }
  if (col->type == FR_TYPE_STRING) { /* late decoding: codes and dictionary, or the strings */
    fr_column late;
    fr_column_init(&late, FR_TYPE_STRING);
    late.want_dict = 1;
    cr_assert_eq(fr_codec_decode(stored.data, stored.len, &meta, col->type, col->n_rows, &late, &scratch, NULL),
                 FR_OK);
    cr_assert_eq(late.has_dict, meta.encoding == FR_ENC_DICT_STR);
    cr_assert_eq(late.null_count, col->validity ? col->null_count : 0);
    for (uint32_t row = 0; row < col->n_rows && late.has_dict; row++) {
      cr_assert_lt(late.dict_codes[row], late.n_dict);
      cr_assert_eq(fr_column_is_valid(&late, row), fr_column_is_valid(col, row), "row %u validity", row);
      uint32_t a_len, code = late.dict_codes[row];
      const char *a = fr_column_str(col, row, &a_len);
      cr_assert(a_len == late.dict_offsets[code + 1] - late.dict_offsets[code] &&
                    memcmp(a, late.dict_bytes + late.dict_offsets[code], a_len) == 0,
                "row %u code %u", row, code);
    }
    fr_column_free(&late);
  }
  if (col->type == FR_TYPE_STRING) /* some rows alone: every 7th, backwards, and row 0 twice */
    check_rows(&stored, &meta, col);
  if (encoding_out)
    *encoding_out = meta.encoding;
  fr_column_free(&back);
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
}

static void make_ints(fr_column *col, uint32_t n, int64_t (*gen)(uint32_t), int with_nulls) {
  fr_column_init(col, FR_TYPE_INT64);
  cr_assert_eq(fr_column_reserve(col, n, 0), FR_OK);
  col->n_rows = n;
  for (uint32_t row = 0; row < n; row++)
    col->i64[row] = gen(row);
  if (with_nulls) {
    cr_assert_eq(fr_column_ensure_validity(col), FR_OK);
    for (uint32_t row = 0; row < n; row += 7) {
      fr_column_set_null_bit(col, row);
      col->i64[row] = 0;
      col->null_count++;
    }
  }
}

static int64_t gen_small(uint32_t row) { return (int64_t)(rng() % 1000) - 500; }
static int64_t gen_sorted(uint32_t row) { return 1700000000000000LL + (int64_t)row * 1000003 + (int64_t)(rng() % 1000); }
static int64_t gen_wide(uint32_t row) { return (int64_t)rng(); }
static int64_t gen_const(uint32_t row) { return 42; }
static int64_t gen_extremes(uint32_t row) { return row % 2 ? INT64_MAX : INT64_MIN; }

Test(codec, int_encodings_roundtrip) {
  struct { int64_t (*gen)(uint32_t); uint8_t want; } cases[] = {
      {gen_small, FR_ENC_FOR_I64}, {gen_sorted, FR_ENC_DELTA_I64}, {gen_wide, FR_ENC_PLAIN_I64},
      {gen_const, FR_ENC_FOR_I64}, {gen_extremes, FR_ENC_DELTA_I64}, /* deltas wrap to +-1 */
  };
  uint32_t sizes[] = {1, 2, 7, 64, 1000, 131072};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
      for (int nulls = 0; nulls < 2; nulls++) {
        fr_column col;
        make_ints(&col, sizes[s], cases[c].gen, nulls);
        uint8_t enc;
        roundtrip(&col, &enc);
        if (sizes[s] >= 1000 && !nulls)
          cr_assert_eq(enc, cases[c].want, "case %zu size %u picked encoding %u", c, sizes[s], enc);
        fr_column_free(&col);
      }
    }
  }
}

/* A string column of n rows: text_of writes row r's value into buf (room for
 * 64 bytes) and returns its length, or -1 for NULL. */
static void make_column(fr_column *col, uint32_t n, int with_nulls, int (*text_of)(uint32_t r, char *buf, uint32_t arg),
                        uint32_t arg) {
  fr_column_init(col, FR_TYPE_STRING);
  cr_assert_eq(fr_column_reserve(col, n, 16), FR_OK);
  if (with_nulls)
    cr_assert_eq(fr_column_ensure_validity(col), FR_OK);
  col->str_offsets[0] = 0;
  for (uint32_t row = 0; row < n; row++) {
    char text[64];
    int len = text_of(row, text, arg);
    if (len < 0) {
      cr_assert(with_nulls);
      fr_column_set_null_bit(col, row);
      col->null_count++;
      len = 0;
    }
    cr_assert_eq(fr_column_push_str(col, text, (size_t)len), FR_OK);
    col->str_offsets[row + 1] = (uint32_t)col->str_len;
  }
  col->n_rows = n;
}

/* arg: distinct values, plus 1 << 31 for every 5th row NULL; now and then ''. */
static int value_text(uint32_t row, char *buf, uint32_t arg) {
  if ((arg >> 31) && row % 5 == 0)
    return -1;
  int len = snprintf(buf, 64, "value-%u-中文", (unsigned)(rng() % (arg & 0x7fffffffu)));
  return rng() % 50 == 0 ? 0 : len;
}

static void make_strings(fr_column *col, uint32_t n, uint32_t distinct, int with_nulls) {
  make_column(col, n, with_nulls, value_text, distinct | (with_nulls ? 1u << 31 : 0));
}

Test(codec, string_encodings_roundtrip) {
  uint32_t distincts[] = {1, 10, 100000};
  for (size_t d = 0; d < 3; d++) {
    for (int nulls = 0; nulls < 2; nulls++) {
      fr_column col;
      make_strings(&col, 5000, distincts[d], nulls);
      uint8_t enc;
      roundtrip(&col, &enc);
      cr_assert_eq(enc, distincts[d] <= 100 ? FR_ENC_DICT_STR : FR_ENC_PLAIN_STR);
      fr_column_free(&col);
    }
  }
}

Test(codec, string_zone_map_ignores_nulls) {
  fr_column col;
  fr_column_init(&col, FR_TYPE_STRING);
  cr_assert_eq(fr_column_reserve(&col, 4, 16), FR_OK);
  cr_assert_eq(fr_column_ensure_validity(&col), FR_OK);
  const char *values[] = {"m", "", "b", "z"};
  col.str_offsets[0] = 0;
  for (uint32_t row = 0; row < 4; row++) {
    cr_assert_eq(fr_column_push_str(&col, values[row], strlen(values[row])), FR_OK);
    col.str_offsets[row + 1] = (uint32_t)col.str_len;
  }
  fr_column_set_null_bit(&col, 1);
  col.null_count = 1;
  col.n_rows = 4;
  fr_buf stored, scratch;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  fr_chunk_meta meta;
  cr_assert_eq(fr_codec_encode(&col, &stored, &meta, &scratch, NULL), FR_OK);
  cr_assert_eq(meta.min_str_len, 1);
  cr_assert_eq(meta.min_str[0], 'b');
  cr_assert_eq(meta.max_str[0], 'z');
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
  fr_column_free(&col);
}

Test(codec, damaged_payload_fails_cleanly) {
  fr_column col;
  make_strings(&col, 300, 10, 1);
  fr_buf stored, scratch;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  fr_chunk_meta meta;
  cr_assert_eq(fr_codec_encode(&col, &stored, &meta, &scratch, NULL), FR_OK);
  fr_column back;
  fr_column_init(&back, FR_TYPE_STRING);
  int failures = 0;
  for (size_t pos = 0; pos < stored.len; pos++) {
    for (int bit = 0; bit < 8; bit += 3) {
      stored.data[pos] ^= (uint8_t)(1u << bit);
      fr_status status = fr_codec_decode(stored.data, stored.len, &meta, FR_TYPE_STRING, 300, &back, &scratch, NULL);
      failures += status != FR_OK;
      stored.data[pos] ^= (uint8_t)(1u << bit);
    }
  }
  /* Not every flip is detectable by structure alone (checksums catch the rest);
   * what matters is that none crashed, and that truncation always fails. */
  cr_assert_gt(failures, 0);
  for (size_t cut = 0; cut < stored.len; cut++)
    cr_assert_neq(fr_codec_decode(stored.data, cut, &meta, FR_TYPE_STRING, 300, &back, &scratch, NULL), FR_OK);
  fr_column_free(&back);
  fr_column_free(&col);
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
}

/* n distinct ids "T000000000123" (every 9th NULL when with_nulls): plain, and
 * zstd shrinks them far below a third, so the writer stores them in frames. */
/* arg 1: every 9th row (from row 4) NULL. */
static int id_text(uint32_t row, char *buf, uint32_t arg) {
  return arg && row % 9 == 4 ? -1 : snprintf(buf, 64, "T%012u", row * 7u);
}

static void make_ids(fr_column *col, uint32_t n, int with_nulls) {
  make_column(col, n, with_nulls, id_text, (uint32_t)with_nulls);
}

Test(codec, plain_strings_go_in_frames_and_read_by_row) {
  for (int nulls = 0; nulls < 2; nulls++) {
    fr_column col;
    make_ids(&col, 40000, nulls);
    fr_buf stored, scratch;
    fr_buf_init(&stored);
    fr_buf_init(&scratch);
    fr_chunk_meta meta;
    cr_assert_eq(fr_codec_encode(&col, &stored, &meta, &scratch, NULL), FR_OK);
    cr_assert_eq(meta.encoding, FR_ENC_PLAIN_STR);
    cr_assert_eq(meta.compression, FR_COMP_ZSTD_FRAMES);
    cr_assert_gt(meta.raw_len, 8 * FR_ZSTD_FRAME_BYTES); /* several frames */
    roundtrip(&col, NULL); /* whole, and some rows alone */
    fr_buf_free(&stored);
    fr_buf_free(&scratch);
    fr_column_free(&col);
  }
}

/* A chunk's payload stored again in zstd: in frames of frame_raw bytes
 * (compression 2, STORE_FORMAT.md, as writers store large plain string chunks
 * and readers accept for any chunk), or with frame_raw 0 as one frame. */
static void store_in_zstd(const fr_buf *stored, const fr_chunk_meta *meta, uint32_t frame_raw, fr_buf *out,
                          fr_chunk_meta *out_meta) {
  uint8_t *raw = malloc(meta->raw_len + 1);
  cr_assert_not_null(raw);
  if (meta->compression == FR_COMP_ZSTD)
    cr_assert_eq(ZSTD_decompress(raw, meta->raw_len, stored->data, stored->len), meta->raw_len);
  else
    memcpy(raw, stored->data, meta->raw_len);
  const uint32_t frame = frame_raw ? frame_raw : (uint32_t)meta->raw_len;
  const uint32_t n_frames = (uint32_t)((meta->raw_len + frame - 1) / frame);
  fr_buf_init(out);
  size_t lens_at = 0;
  if (frame_raw) {
    fr_buf_put_u32(out, frame_raw);
    fr_buf_put_u32(out, n_frames);
    lens_at = out->len;
    for (uint32_t f = 0; f < n_frames; f++) fr_buf_put_u32(out, 0);
  }
  for (uint32_t f = 0; f < n_frames; f++) {
    const size_t at = (size_t)f * frame, len = meta->raw_len - at < frame ? meta->raw_len - at : frame;
    const size_t bound = ZSTD_compressBound(len);
    cr_assert_eq(fr_buf_reserve(out, bound), FR_OK);
    const size_t n = ZSTD_compress(out->data + out->len, bound, raw + at, len, 1);
    cr_assert(!ZSTD_isError(n));
    const uint32_t n32 = (uint32_t)n;
    if (frame_raw)
      memcpy(out->data + lens_at + 4 * f, &n32, 4);
    out->len += n;
  }
  *out_meta = *meta;
  out_meta->compression = frame_raw ? FR_COMP_ZSTD_FRAMES : FR_COMP_ZSTD;
  free(raw);
}

/* Dictionary chunks read by row (fr_codec_decode_str_rows reads the wanted
 * rows' codes and entries only) for each way a chunk can be stored: as is, one
 * zstd frame, zstd in frames (small ones, so a row's code and entry lie in
 * other frames than the header); with and without NULLs; whole reads agree. */
Test(codec, dictionary_strings_read_by_row_however_stored) {
  const struct {
    uint32_t rows, distinct;
  } sizes[] = {{300, 3}, {5000, 100}, {60000, 2000}};
  int seen[2] = {0, 0}; /* by the writer's compression: none, zstd */
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    for (int nulls = 0; nulls < 2; nulls++) {
      fr_column col;
      make_strings(&col, sizes[k].rows, sizes[k].distinct, nulls);
      fr_buf stored, scratch, framed;
      fr_buf_init(&stored);
      fr_buf_init(&scratch);
      fr_chunk_meta meta, framed_meta;
      cr_assert_eq(fr_codec_encode(&col, &stored, &meta, &scratch, NULL), FR_OK);
      cr_assert_eq(meta.encoding, FR_ENC_DICT_STR, "%u rows, %u distinct", sizes[k].rows, sizes[k].distinct);
      cr_assert_lt(meta.compression, 2);
      seen[meta.compression] = 1;
      roundtrip(&col, NULL); /* whole, and some rows alone, as the writer stores it */
      for (int form = 0; form < 2; form++) {
        store_in_zstd(&stored, &meta, form ? 1024 : 0, &framed, &framed_meta);
        check_rows(&framed, &framed_meta, &col);
        fr_column back;
        fr_column_init(&back, FR_TYPE_STRING);
        cr_assert_eq(fr_codec_decode(framed.data, framed.len, &framed_meta, FR_TYPE_STRING, col.n_rows, &back,
                                     &scratch, NULL),
                     FR_OK);
        for (uint32_t r = 0; r < col.n_rows; r++) {
          uint32_t a_len, b_len;
          const char *a = fr_column_str(&col, r, &a_len), *b = fr_column_str(&back, r, &b_len);
          cr_assert(a_len == b_len && memcmp(a, b, a_len) == 0 &&
                        fr_column_is_valid(&col, r) == fr_column_is_valid(&back, r),
                    "row %u", r);
        }
        fr_column_free(&back);
        fr_buf_free(&framed);
      }
      fr_buf_free(&stored);
      fr_buf_free(&scratch);
      fr_column_free(&col);
    }
  }
  cr_assert(seen[FR_COMP_NONE], "no dictionary chunk stored as is");
}

/* A row read inflates only the frames it needs: with the last frame damaged,
 * the first row still reads and the last row fails as corrupt (so does the
 * whole chunk); a row past the chunk and a damaged frame table fail too. */
Test(codec, frame_reads_touch_only_their_frames) {
  fr_column col;
  make_ids(&col, 40000, 0);
  fr_buf stored, scratch;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  fr_chunk_meta meta;
  cr_assert_eq(fr_codec_encode(&col, &stored, &meta, &scratch, NULL), FR_OK);
  cr_assert_eq(meta.compression, FR_COMP_ZSTD_FRAMES);
  fr_column part;
  fr_column_init(&part, FR_TYPE_STRING);
  fr_error err;
  const uint32_t first = 0, last = 39999, past = 40000;
  /* the last frame's magic number (its first byte), from the frame table */
  uint32_t n_frames, last_len;
  memcpy(&n_frames, stored.data + 4, 4);
  memcpy(&last_len, stored.data + 8 + 4 * (n_frames - 1), 4);
  const size_t magic = stored.len - last_len;
  stored.data[magic] ^= 0x55;
  fr_error_clear(&err);
  cr_assert_eq(fr_codec_decode_str_rows(stored.data, stored.len, &meta, 40000, &first, 1, &part, &scratch, &err), FR_OK,
               "%s", err.msg);
  uint32_t len;
  const char *text = fr_column_str(&part, 0, &len);
  cr_assert(len == 13 && memcmp(text, "T000000000000", 13) == 0);
  fr_error_clear(&err);
  cr_assert_eq(fr_codec_decode_str_rows(stored.data, stored.len, &meta, 40000, &last, 1, &part, &scratch, &err),
               FR_ERR_CORRUPT);
  cr_assert(strstr(err.msg, "zstd frame") != NULL, "%s", err.msg);
  cr_assert_eq(fr_codec_decode(stored.data, stored.len, &meta, FR_TYPE_STRING, 40000, &part, &scratch, NULL),
               FR_ERR_CORRUPT);
  stored.data[magic] ^= 0x55;
  fr_error_clear(&err);
  cr_assert_eq(fr_codec_decode_str_rows(stored.data, stored.len, &meta, 40000, &past, 1, &part, &scratch, &err),
               FR_ERR_CORRUPT);
  cr_assert(strstr(err.msg, "a row past") != NULL, "%s", err.msg);
  /* frame table: a frame count that does not fit raw_len, lengths that do not
   * add up to the stored bytes */
  stored.data[4] ^= 1;
  fr_error_clear(&err);
  cr_assert_eq(fr_codec_decode(stored.data, stored.len, &meta, FR_TYPE_STRING, 40000, &part, &scratch, &err),
               FR_ERR_CORRUPT);
  cr_assert(strstr(err.msg, "bad frame table") != NULL, "%s", err.msg);
  stored.data[4] ^= 1;
  stored.data[8] ^= 1;
  fr_error_clear(&err);
  cr_assert_eq(fr_codec_decode_str_rows(stored.data, stored.len, &meta, 40000, &first, 1, &part, &scratch, &err),
               FR_ERR_CORRUPT);
  cr_assert(strstr(err.msg, "frame lengths do not add up") != NULL, "%s", err.msg);
  stored.data[8] ^= 1;
  cr_assert_eq(fr_codec_decode(stored.data, stored.len, &meta, FR_TYPE_STRING, 40000, &part, &scratch, NULL), FR_OK);
  cr_assert_eq(part.n_rows, 40000);
  fr_column_free(&part);
  fr_column_free(&col);
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
}

/* A dictionary code past the dictionary is caught, with and without late
 * decoding: 300 rows of 3 values pack their codes in 2 bits (room for a 3). */
Test(codec, dictionary_code_out_of_range_fails) {
  fr_column col;
  fr_column_init(&col, FR_TYPE_STRING);
  cr_assert_eq(fr_column_reserve(&col, 300, 16), FR_OK);
  col.str_offsets[0] = 0;
  for (uint32_t row = 0; row < 300; row++) {
    cr_assert_eq(fr_column_push_str(&col, row % 3 == 0 ? "a" : row % 3 == 1 ? "b" : "c", 1), FR_OK);
    col.str_offsets[row + 1] = (uint32_t)col.str_len;
  }
  col.n_rows = 300;
  fr_buf stored, scratch;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  fr_chunk_meta meta;
  cr_assert_eq(fr_codec_encode(&col, &stored, &meta, &scratch, NULL), FR_OK);
  cr_assert_eq(meta.encoding, FR_ENC_DICT_STR);
  cr_assert_eq(meta.compression, FR_COMP_NONE);
  /* the codes end the payload: a width byte (2), then the packed bits + 8 pad */
  const size_t packed = fr_bitpack_size(300, 2);
  cr_assert_eq(stored.data[stored.len - packed - 1], 2);
  stored.data[stored.len - packed] = 0xff; /* rows 0..3: code 3 */
  for (int late = 0; late < 2; late++) {
    fr_column back;
    fr_column_init(&back, FR_TYPE_STRING);
    back.want_dict = late;
    fr_error err;
    fr_error_clear(&err);
    cr_assert_eq(fr_codec_decode(stored.data, stored.len, &meta, FR_TYPE_STRING, 300, &back, &scratch, &err),
                 FR_ERR_CORRUPT);
    cr_assert(strstr(err.msg, "dictionary code out of range") != NULL, "%s", err.msg);
    fr_column_free(&back);
  }
  /* read by row: a damaged row's code fails, a sound row reads */
  const uint32_t damaged = 1, sound = 10;
  fr_column part;
  fr_column_init(&part, FR_TYPE_STRING);
  fr_error err;
  fr_error_clear(&err);
  cr_assert_eq(fr_codec_decode_str_rows(stored.data, stored.len, &meta, 300, &damaged, 1, &part, &scratch, &err),
               FR_ERR_CORRUPT);
  cr_assert(strstr(err.msg, "dictionary code out of range") != NULL, "%s", err.msg);
  cr_assert_eq(fr_codec_decode_str_rows(stored.data, stored.len, &meta, 300, &sound, 1, &part, &scratch, NULL), FR_OK);
  uint32_t len;
  const char *text = fr_column_str(&part, 0, &len);
  cr_assert(len == 1 && text[0] == "abc"[sound % 3]);
  fr_column_free(&part);
  fr_column_free(&col);
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
}

Test(codec, bitunpack32_matches_bitunpack_and_returns_the_largest) {
  uint64_t values[257], wide[257];
  uint32_t narrow[257];
  uint8_t packed[257 * 8 + 16];
  for (unsigned width = 0; width <= 32; width++) {
    uint64_t mask = (1ULL << width) - 1, largest = 0;
    for (int idx = 0; idx < 257; idx++) {
      values[idx] = rng() & mask;
      largest = values[idx] > largest ? values[idx] : largest;
    }
    fr_bitpack(packed, values, 257, width);
    fr_bitunpack(wide, packed, 257, width);
    cr_assert_eq(fr_bitunpack32(narrow, packed, 257, width), largest, "width %u", width);
    for (int idx = 0; idx < 257; idx++) cr_assert_eq(narrow[idx], wide[idx], "width %u value %d", width, idx);
  }
  cr_assert_eq(fr_bitunpack32(narrow, packed, 0, 7), 0);
}

Test(codec, bitpack_matches_naive) {
  uint64_t values[257], back[257];
  uint8_t packed[257 * 8 + 16];
  for (unsigned width = 0; width <= 56; width++) {
    uint64_t mask = width == 64 ? ~0ULL : (1ULL << width) - 1;
    for (int idx = 0; idx < 257; idx++)
      values[idx] = rng() & mask;
    fr_bitpack(packed, values, 257, width);
    fr_bitunpack(back, packed, 257, width);
    cr_assert(memcmp(values, back, sizeof values) == 0, "width %u", width);
    /* naive bit-by-bit reading of the stream */
    for (int idx = 0; idx < 257; idx++) {
      uint64_t v = 0;
      for (unsigned b = 0; b < width; b++) {
        size_t bit = (size_t)idx * width + b;
        v |= (uint64_t)((packed[bit / 8] >> (bit % 8)) & 1) << b;
      }
      cr_assert_eq(v, values[idx]);
    }
  }
}
