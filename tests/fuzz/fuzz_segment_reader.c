/* fuzz_segment_reader.c - stored data: chunk decoders, segment files, manifests.
 *
 * Checksums protect every stored structure, so mutated bytes would almost never
 * get past them; the modes that matter most bypass or repair the checksums to
 * reach the parsers behind them, as a damaged-but-checksum-colliding or a
 * hand-crafted file would.  The first byte picks the mode ((byte & 127) % 5;
 * bit 7 also checks segments against their own manifest-style description):
 *
 *  0 codec: fr_codec_decode of the bytes after a 12-byte chunk descriptor:
 *      h[0] encoding, h[1] compression (bits 0-1; bit 7: raw_len taken from
 *      h[7..10] instead of derived), h[2] type (% 7 + 1), h[3..4] rows
 *      (% 4097), h[5..6] null_count, h[7..10] raw_len.  A chunk that decodes
 *      must be well formed and survive encode -> decode unchanged, with a zone
 *      map that bounds its values.
 *  1 segment: the bytes are a segment file, opened as is (checksums intact).
 *  2 segment, footer checksum repaired: the trailer's footer checksum is
 *      recomputed so the footer parser sees the mutated footer; every chunk is
 *      then read through fr_segment_read_chunk and also decoded directly (no
 *      chunk checksum) with its footer descriptor.
 *  3 manifest, checksum repaired: fr_manifest_decode; a manifest that decodes
 *      must encode to bytes that decode again to the same encoding.
 *  4 manifest as is.
 *
 * A decode that fails must fail with FR_ERR_CORRUPT (or NOMEM) and a message.
 */
#include <math.h>
#include <zstd.h>

#include "fuzz_common.h"

#include "fr_buf.h"
#include "fr_codec.h"
#include "fr_column.h"
#include "fr_hash.h"
#include "fr_schema.h"
#include "fr_segment.h"
#include "fr_store.h"

/* Kept in step with formats/fr_segment.c and formats/fr_store.c (on-disk
 * constants, STORE_FORMAT.md): used only to repair checksums. */
#define FZ_SEGMENT_HEADER_BYTES 16
#define FZ_SEGMENT_TRAILER_BYTES 32
#define FZ_FOOTER_SEED 0x66657272657446ULL
#define FZ_MANIFEST_SEED 0x6d616e6966657374ULL

/* Work caps for the direct decodes (a real reader verifies the chunk checksum
 * first; these keep the fuzzer from spending its time in huge allocations). */
#define FZ_MAX_ROWS 65536u
#define FZ_MAX_RAW ((uint32_t)1 << 24)

static void fz_check_failure(fr_status status, const fr_error *err, const char *what) {
  FZ_CHECK_TAG("status", status == FR_ERR_CORRUPT || status == FR_ERR_NOMEM || status == FR_ERR_IO,
               "%s failed with %s (%s)", what, fr_status_str(status), err->msg);
  FZ_CHECK_TAG("status", err->code == status && err->msg[0] != '\0', "%s failed without a message", what);
}

/* Structure of a decoded column. */
static void fz_check_column(const fr_column *col, fr_type type, uint32_t n_rows, uint32_t null_count) {
  FZ_CHECK(col->type == type, "decoded column has type %d, asked %d", (int)col->type, (int)type);
  FZ_CHECK(col->n_rows == n_rows, "decoded %u rows, asked %u", col->n_rows, n_rows);
  FZ_CHECK(col->n_rows <= col->cap_rows || n_rows == 0, "rows %u > cap %u", col->n_rows, col->cap_rows);
  uint32_t nulls = 0;
  for (uint32_t r = 0; r < n_rows; r++)
    nulls += !fr_column_is_valid(col, r);
  FZ_CHECK(nulls == null_count, "decoded %u NULLs, descriptor says %u", nulls, null_count);
  FZ_CHECK(col->validity == NULL || col->null_count == nulls, "null_count %u, bitmap %u", col->null_count,
           nulls);
  if (type == FR_TYPE_STRING) {
    FZ_CHECK(col->str_offsets != NULL && col->str_offsets[0] == 0, "bad str_offsets[0]");
    for (uint32_t r = 0; r < n_rows; r++)
      FZ_CHECK(col->str_offsets[r] <= col->str_offsets[r + 1], "string offsets decrease at row %u", r);
    FZ_CHECK(col->str_offsets[n_rows] == col->str_len && col->str_len <= col->str_cap,
             "str_offsets[n] %u, str_len %zu, str_cap %zu", col->str_offsets[n_rows], col->str_len,
             col->str_cap);
  }
  /* fr_column.h: "a NULL row holds 0 (or an empty string) in the value arrays
   * so kernels can run without branches". */
  for (uint32_t r = 0; r < n_rows; r++) {
    if (fr_column_is_valid(col, r))
      continue;
    if (type == FR_TYPE_STRING) {
      uint32_t len;
      fr_column_str(col, r, &len);
      FZ_CHECK_TAG("nulls", len == 0, "NULL string row %u holds %u bytes", r, len);
    } else if (type == FR_TYPE_FLOAT64) {
      FZ_CHECK_TAG("nulls", col->f64[r] == 0, "NULL float64 row %u holds %g", r, col->f64[r]);
    } else {
      FZ_CHECK_TAG("nulls", col->i64[r] == 0, "NULL %s row %u holds %lld", fr_type_name(type), r,
                   (long long)col->i64[r]);
    }
  }
}

static int fz_str_cmp(const char *a, size_t a_len, const char *b, size_t b_len) {
  int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
  return c != 0 ? c : (a_len > b_len) - (a_len < b_len);
}

/* The encoder's zone map bounds the column's non-NULL values. */
static void fz_check_zone_map(const fr_column *col, const fr_chunk_meta *meta) {
  int any = 0;
  for (uint32_t r = 0; r < col->n_rows; r++)
    any |= fr_column_is_valid(col, r);
  FZ_CHECK_TAG("zonemap", !!(meta->stats_flags & FR_STATS_HAS_MINMAX) == any,
               "zone map flag %u with %s non-NULL value", meta->stats_flags, any ? "a" : "no");
  if (!any)
    return;
  for (uint32_t r = 0; r < col->n_rows; r++) {
    if (!fr_column_is_valid(col, r))
      continue;
    if (col->type == FR_TYPE_STRING) {
      uint32_t len;
      const char *s = fr_column_str(col, r, &len);
      /* A truncated min is a prefix of the true min: still a lower bound. */
      FZ_CHECK_TAG("zonemap", fz_str_cmp(meta->min_str, meta->min_str_len, s, len) <= 0,
                   "row %u (\"%.*s\") is below the zone map min \"%.*s\"", r, (int)len, s, meta->min_str_len,
                   meta->min_str);
      if (!(meta->stats_flags & FR_STATS_MAX_TRUNCATED))
        FZ_CHECK_TAG("zonemap", fz_str_cmp(s, len, meta->max_str, meta->max_str_len) <= 0,
                     "row %u (\"%.*s\") is above the zone map max \"%.*s\"", r, (int)len, s,
                     meta->max_str_len, meta->max_str);
    } else if (col->type == FR_TYPE_FLOAT64) {
      double v = col->f64[r];
      if (!isnan(v) && !isnan(meta->min_f64) && !isnan(meta->max_f64))
        FZ_CHECK_TAG("zonemap", meta->min_f64 <= v && v <= meta->max_f64,
                     "row %u (%g) outside zone map [%g, %g]", r, v, meta->min_f64, meta->max_f64);
    } else {
      int64_t v = col->i64[r];
      FZ_CHECK_TAG("zonemap", meta->min_i64 <= v && v <= meta->max_i64,
                   "row %u (%lld) outside zone map [%lld, %lld]", r, (long long)v, (long long)meta->min_i64,
                   (long long)meta->max_i64);
    }
  }
}

/* Non-NULL values and the NULL pattern of two columns agree. */
static void fz_check_same(const fr_column *a, const fr_column *b) {
  FZ_CHECK_TAG("roundtrip", a->n_rows == b->n_rows && a->type == b->type, "round trip changed the shape");
  for (uint32_t r = 0; r < a->n_rows; r++) {
    int va = fr_column_is_valid(a, r), vb = fr_column_is_valid(b, r);
    FZ_CHECK_TAG("roundtrip", va == vb, "round trip changed NULL-ness of row %u", r);
    if (!va)
      continue;
    if (a->type == FR_TYPE_STRING) {
      uint32_t la, lb;
      const char *sa = fr_column_str(a, r, &la), *sb = fr_column_str(b, r, &lb);
      FZ_CHECK_TAG("roundtrip", la == lb && memcmp(sa, sb, la) == 0, "round trip changed string row %u", r);
    } else if (a->type == FR_TYPE_FLOAT64) {
      FZ_CHECK_TAG("roundtrip", memcmp(&a->f64[r], &b->f64[r], 8) == 0, "round trip changed float row %u", r);
    } else {
      FZ_CHECK_TAG("roundtrip", a->i64[r] == b->i64[r], "round trip changed row %u: %lld -> %lld", r,
                   (long long)a->i64[r], (long long)b->i64[r]);
    }
  }
}

/* A chunk that decodes whole gives the same rows when only some are asked for
 * (fr_codec_decode_str_rows; framed chunks inflate only their frames): every
 * third row backwards, then the last row alone. */
static void fz_check_rows(const uint8_t *stored, size_t stored_len, const fr_chunk_meta *meta, uint32_t n_rows,
                          const fr_column *whole) {
  uint32_t *rows = malloc(((size_t)n_rows / 3 + 2) * sizeof *rows);
  if (rows == NULL)
    abort();
  size_t n_sel = 0;
  for (uint32_t r = n_rows; r > 0; r -= r >= 3 ? 3 : r)
    rows[n_sel++] = r - 1;
  fr_column part;
  fr_column_init(&part, FR_TYPE_STRING);
  fr_buf scratch;
  fr_buf_init(&scratch);
  fr_error err;
  fr_error_clear(&err);
  for (int pass = 0; pass < 2; pass++) {
    const size_t n = pass == 0 ? n_sel : (n_sel > 0 ? 1 : 0);
    fr_status status = fr_codec_decode_str_rows(stored, stored_len, meta, n_rows, rows, n, &part, &scratch, &err);
    FZ_CHECK_TAG("roundtrip", status == FR_OK, "a chunk that decodes whole fails a row read: %s", err.msg);
    if (status != FR_OK)
      break;
    FZ_CHECK_TAG("roundtrip", part.n_rows == n, "row read gave %u rows, not %zu", part.n_rows, n);
    for (uint32_t k = 0; k < part.n_rows; k++) {
      int va = fr_column_is_valid(&part, k), vb = fr_column_is_valid(whole, rows[k]);
      uint32_t la, lb;
      const char *sa = fr_column_str(&part, k, &la), *sb = fr_column_str(whole, rows[k], &lb);
      FZ_CHECK_TAG("roundtrip", va == vb && la == lb && memcmp(sa, sb, la) == 0,
                   "row read of row %u differs from the whole decode", rows[k]);
    }
  }
  fr_column_free(&part);
  fr_buf_free(&scratch);
  free(rows);
}

/* Decodes one chunk; on success checks it and its encode -> decode round trip. */
static void fz_decode_chunk(const uint8_t *stored, size_t stored_len, const fr_chunk_meta *meta, fr_type type,
                            uint32_t n_rows, int roundtrip) {
  fr_column col, again;
  fr_column_init(&col, type);
  fr_column_init(&again, type);
  fr_buf scratch, out, scratch2;
  fr_buf_init(&scratch);
  fr_buf_init(&out);
  fr_buf_init(&scratch2);
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_codec_decode(stored, stored_len, meta, type, n_rows, &col, &scratch, &err);
  if (status != FR_OK) {
    fz_check_failure(status, &err, "fr_codec_decode");
    goto done;
  }
  fz_check_column(&col, type, n_rows, meta->null_count);
  if (type == FR_TYPE_STRING)
    fz_check_rows(stored, stored_len, meta, n_rows, &col);
  if (!roundtrip)
    goto done;
  fr_chunk_meta meta2;
  fr_error_clear(&err);
  status = fr_codec_encode(&col, &out, &meta2, &scratch, &err);
  FZ_CHECK_TAG("roundtrip", status == FR_OK, "re-encoding a decoded chunk failed: %s", err.msg);
  if (status != FR_OK)
    goto done; /* only when the check is ignored */
  FZ_CHECK_TAG("roundtrip", meta2.stored_len == out.len, "encoder's stored_len %u, wrote %zu",
               meta2.stored_len, out.len);
  FZ_CHECK_TAG("roundtrip", meta2.null_count == meta->null_count, "encoder's null_count %u, column has %u",
               meta2.null_count, meta->null_count);
  fz_check_zone_map(&col, &meta2);
  fr_error_clear(&err);
  status = fr_codec_decode(out.data, out.len, &meta2, type, n_rows, &again, &scratch2, &err);
  FZ_CHECK_TAG("roundtrip", status == FR_OK, "decoding a freshly encoded chunk (%s, %s, %u rows) failed: %s",
               fr_type_name(type), fr_encoding_name(meta2.encoding), n_rows, err.msg);
  if (status != FR_OK)
    goto done;
  fz_check_column(&again, type, n_rows, meta2.null_count);
  fz_check_same(&col, &again);
done:
  fr_column_free(&col);
  fr_column_free(&again);
  fr_buf_free(&scratch);
  fr_buf_free(&scratch2);
  fr_buf_free(&out);
}

static void fz_mode_codec(const uint8_t *data, size_t size) {
  if (size < 11)
    return;
  const uint8_t *h = data;
  fr_chunk_meta meta;
  memset(&meta, 0, sizeof meta);
  meta.encoding = h[0] & 7;
  meta.compression = h[1] & 3;
  fr_type type = (fr_type)(h[2] % 7 + 1);
  uint32_t n_rows = fz_u16(h + 3) % 4097;
  meta.null_count = fz_u16(h + 5);
  const uint8_t *stored = data + 11;
  size_t stored_len = size - 11;
  meta.stored_len = (uint32_t)stored_len;
  uint32_t raw_len = fz_u32(h + 7) % (FZ_MAX_RAW + 1);
  if (!(h[1] & 0x80)) {
    if (meta.compression == FR_COMP_ZSTD) {
      unsigned long long content = ZSTD_getFrameContentSize(stored, stored_len);
      if (content <= FZ_MAX_RAW)
        raw_len = (uint32_t)content;
    } else {
      raw_len = (uint32_t)stored_len;
    }
  }
  meta.raw_len = raw_len;
  fz_decode_chunk(stored, stored_len, &meta, type, n_rows, 1);
}

static void fz_mode_segment(const uint8_t *data, size_t size, int repair, int with_expect) {
  uint8_t *file = malloc(size ? size : 1);
  if (file == NULL)
    abort();
  memcpy(file, data, size);
  fr_segment_info expect;
  memset(&expect, 0, sizeof expect);
  int have_expect = 0;
  if (size >= FZ_SEGMENT_HEADER_BYTES + FZ_SEGMENT_TRAILER_BYTES) {
    uint8_t *trailer = file + size - FZ_SEGMENT_TRAILER_BYTES;
    uint64_t segment_id = fz_u64(file + 8);
    uint64_t footer_offset = fz_u64(trailer);
    uint32_t footer_len = fz_u32(trailer + 8);
    if (repair && footer_offset >= FZ_SEGMENT_HEADER_BYTES && footer_offset <= size &&
        footer_len <= size - footer_offset) {
      uint64_t sum = fr_hash64(file + footer_offset, footer_len, FZ_FOOTER_SEED ^ segment_id);
      memcpy(trailer + 16, &sum, 8);
    }
    expect.segment_id = segment_id;
    expect.file_bytes = size;
    expect.footer_checksum = fz_u64(trailer + 16);
    have_expect = with_expect;
  }
  const char *path = fz_write_input(file, size);
  fr_segment *seg = NULL;
  fr_error err;
  fr_error_clear(&err);
  /* With an expectation, n_rows is compared after parsing: take it from a
   * first open so that the comparison passes and the rest is exercised. */
  fr_status status = fr_segment_open(&seg, path, NULL, &err);
  if (status == FR_OK && have_expect) {
    expect.n_rows = fr_segment_n_rows(seg);
    fr_segment_close(seg);
    seg = NULL;
    fr_error_clear(&err);
    status = fr_segment_open(&seg, path, &expect, &err);
    FZ_CHECK_TAG("roundtrip", status == FR_OK, "a segment that opens fails against its own description: %s",
                 err.msg);
  }
  if (status != FR_OK) {
    FZ_CHECK(seg == NULL, "failed fr_segment_open returned a segment");
    fz_check_failure(status, &err, "fr_segment_open");
    free(file);
    return;
  }
  const fr_schema *schema = fr_segment_schema(seg);
  uint32_t n_rgs = fr_segment_n_row_groups(seg);
  FZ_CHECK(schema->n_columns > 0, "segment with no column");
  uint64_t total = 0;
  fr_buf stored, scratch;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  fr_column col;
  fr_column_init(&col, FR_TYPE_STRING);
  for (uint32_t rg = 0; rg < n_rgs; rg++) {
    uint32_t rows = fr_segment_rowgroup_rows(seg, rg);
    total += rows;
    for (uint32_t c = 0; c < schema->n_columns; c++) {
      const fr_chunk_meta *meta = fr_segment_chunk(seg, rg, c);
      fr_type type = schema->columns[c].type;
      FZ_CHECK(meta->offset >= FZ_SEGMENT_HEADER_BYTES && meta->offset <= size &&
                   meta->stored_len <= size - meta->offset,
               "row group %u column %u: chunk [%llu, +%u) outside the %zu-byte file", rg, c,
               (unsigned long long)meta->offset, meta->stored_len, size);
      FZ_CHECK(meta->null_count <= rows, "chunk with %u NULLs in %u rows", meta->null_count, rows);
      int small = rows <= FZ_MAX_ROWS && (meta->compression == FR_COMP_NONE || meta->raw_len <= FZ_MAX_RAW);
      if (small) {
        fr_error_clear(&err);
        status = fr_segment_read_chunk(seg, rg, c, &col, &stored, &scratch, &err);
        if (status == FR_OK)
          fz_check_column(&col, type, rows, meta->null_count);
        else
          fz_check_failure(status, &err, "fr_segment_read_chunk");
        fz_decode_chunk(file + meta->offset, meta->stored_len, meta, type, rows, 0);
      }
    }
  }
  FZ_CHECK(total == fr_segment_n_rows(seg), "row groups hold %llu rows, segment says %llu",
           (unsigned long long)total, (unsigned long long)fr_segment_n_rows(seg));
  fr_column_free(&col);
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
  fr_segment_close(seg);
  free(file);
}

static void fz_mode_manifest(const uint8_t *data, size_t size, int repair) {
  uint8_t *bytes = malloc(size ? size : 1);
  if (bytes == NULL)
    abort();
  memcpy(bytes, data, size);
  if (repair && size >= 16) {
    uint64_t sum = fr_hash64(bytes, size - 8, FZ_MANIFEST_SEED);
    memcpy(bytes + size - 8, &sum, 8);
  }
  fr_manifest m;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_manifest_decode(&m, bytes, size, "MANIFEST", &err);
  free(bytes);
  if (status != FR_OK) {
    fz_check_failure(status, &err, "fr_manifest_decode");
    FZ_CHECK(m.n_tables == 0 && m.tables == NULL && m.history == NULL, "failed decode left a manifest");
    return;
  }
  for (uint32_t t = 0; t < m.n_tables; t++) {
    const fr_table_meta *table = &m.tables[t];
    FZ_CHECK(memchr(table->name, 0, FR_NAME_CAP) != NULL, "table name not terminated");
    FZ_CHECK(fr_manifest_table(&m, table->name) != NULL, "fr_manifest_table cannot find \"%s\"", table->name);
    for (uint32_t s = 0; s < table->n_segments; s++) {
      const char *file = table->segments[s].file;
      FZ_CHECK(memchr(file, 0, FR_NAME_CAP) != NULL, "segment name not terminated");
      FZ_CHECK(file[0] != '/' && strstr(file, "..") == NULL,
               "manifest names segment \"%s\" outside the store", file);
    }
  }
  for (uint32_t h = 0; h < m.n_history; h++)
    FZ_CHECK(memchr(m.history[h].sources, 0, sizeof m.history[h].sources) != NULL, "sources not terminated");
  /* Round trip: what we write, we read back. */
  fr_buf once, twice;
  fr_buf_init(&once);
  fr_buf_init(&twice);
  FZ_CHECK(fr_manifest_encode(&m, &once) == FR_OK, "fr_manifest_encode failed");
  fr_manifest copy;
  fr_error_clear(&err);
  status = fr_manifest_decode(&copy, once.data, once.len, "MANIFEST (re-encoded)", &err);
  FZ_CHECK_TAG("roundtrip", status == FR_OK, "a decoded manifest, re-encoded, does not decode: %s", err.msg);
  FZ_CHECK_TAG("roundtrip",
               copy.version == m.version && copy.n_tables == m.n_tables && copy.n_history == m.n_history,
               "manifest round trip changed its shape");
  FZ_CHECK_TAG("roundtrip", fr_manifest_encode(&copy, &twice) == FR_OK, "fr_manifest_encode failed");
  FZ_CHECK_TAG("roundtrip", once.len == twice.len && memcmp(once.data, twice.data, once.len) == 0,
               "manifest encode -> decode -> encode is not stable (%zu vs %zu bytes)", once.len, twice.len);
  fr_manifest dup;
  fr_manifest_init(&dup); /* fr_manifest_copy leaves it unset when encoding fails */
  FZ_CHECK_TAG("roundtrip", fr_manifest_copy(&dup, &m) == FR_OK, "fr_manifest_copy failed");
  fr_manifest_free(&dup);
  fr_manifest_free(&copy);
  fr_buf_free(&once);
  fr_buf_free(&twice);
  fr_manifest_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t mode = data[0];
  switch ((mode & 0x7f) % 5) {
  case 0:
    fz_mode_codec(data + 1, size - 1);
    break;
  case 1:
    fz_mode_segment(data + 1, size - 1, 0, (mode >> 7) & 1);
    break;
  case 2:
    fz_mode_segment(data + 1, size - 1, 1, (mode >> 7) & 1);
    break;
  case 3:
    fz_mode_manifest(data + 1, size - 1, 1);
    break;
  case 4:
    fz_mode_manifest(data + 1, size - 1, 0);
    break;
  }
  return 0;
}
