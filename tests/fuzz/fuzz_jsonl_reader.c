/* fuzz_jsonl_reader.c - JSON-lines input: source -> line splitter ->
 * fr_json_infer_schema -> conversion, as ingest runs them.
 *
 * Input layout: 2 configuration bytes, then the file's bytes (plain, zstd or gzip).
 *   byte 0: bits 0-2 target_bytes, bits 3-5 max_records for the streamed pass,
 *           bit 6 names a canonical table ("payments": canonical types win over
 *           inference), bit 7 converts with a cycled schema as well
 *   byte 1: bits 0-1 max_record_bytes for the small-record pass, bits 2-4 first
 *           type of the cycled schema
 *
 * Properties:
 *  P1 memory safety, no UB, no leak in splitter, json-c glue, inference, converter;
 *  P2 block structure and block-boundary independence (fuzz_records.h);
 *  P3 nothing lost: per block, rows stored + rows rejected == lines read;
 *  P4 columns well formed (equal row counts, null counts match the bitmaps,
 *     string offsets consistent, stored text NUL-free UTF-8), one reject per bad
 *     line, in order, with a reason;
 *  P5 inference agrees with conversion: in the block the schema was inferred
 *     from, a column inferred as a non-text type accepts every value (a line
 *     with a key written twice is rejected whatever its values).
 */
#include "fuzz_records.h"

#include "fr_column.h"
#include "fr_convert.h"
#include "fr_json_infer.h"
#include "fr_schema.h"

static const size_t fz_targets[] = {1, 2, 7, 64, 300, 4096, 1 << 20, 1 << 20};
static const uint32_t fz_max_recs[] = {1, 2, 3, 5, 16, 1000, 1 << 20, 1 << 20};
static const size_t fz_small_records[] = {1, 8, 32, 100};
static const fr_type fz_cycle[] = {FR_TYPE_STRING, FR_TYPE_INT64, FR_TYPE_DECIMAL, FR_TYPE_TIMESTAMP,
                                   FR_TYPE_DATE,   FR_TYPE_BOOL,  FR_TYPE_FLOAT64};

typedef struct fz_conv {
  int ready;
  int skip;   /* inference failed: ingest stops, nothing to convert */
  int cycled; /* 1: types cycled instead of inferred */
  unsigned type_offset;
  const char *table;
  int infer_oracle; /* P5 applies to the first block */
  int first_block;
  fr_schema schema;
  fr_convert_spec spec;
  fr_column *columns;
  uint32_t n_columns;
  fr_reject_list rejects;
} fz_conv;

static void fz_conv_setup(fz_conv *cv, const fr_record_block *b) {
  cv->ready = 1;
  cv->first_block = 1;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_json_infer_schema(&cv->schema, b, cv->table, "fuzz.jsonl", &err);
  if (status != FR_OK) {
    FZ_CHECK_TAG("status", status == FR_ERR_PARSE || status == FR_ERR_INVALID, "fr_json_infer_schema: %s: %s",
                 fr_status_str(status), err.msg);
    FZ_CHECK(err.msg[0] != '\0', "fr_json_infer_schema failed without a message");
    FZ_CHECK(cv->schema.n_columns == 0 && cv->schema.columns == NULL, "failed inference left a schema");
    cv->skip = 1;
    return;
  }
  FZ_CHECK(cv->schema.n_columns > 0, "inference succeeded with no column");
  for (uint32_t c = 0; c < cv->schema.n_columns; c++) {
    const fr_schema_column *col = &cv->schema.columns[c];
    size_t len = strnlen(col->name, FR_NAME_CAP);
    FZ_CHECK(len > 0 && len < FR_NAME_CAP, "inferred column %u has a bad name", c);
    FZ_CHECK(fr_schema_find(&cv->schema, col->name, len) == (int)c, "inferred column \"%s\" twice",
             col->name);
    FZ_CHECK(col->type >= FR_TYPE_STRING && col->type <= FR_TYPE_BOOL, "inferred type %d", (int)col->type);
    if (cv->cycled)
      cv->schema.columns[c].type = fz_cycle[(c + cv->type_offset) % 7];
  }
  cv->n_columns = cv->schema.n_columns;
  cv->columns = calloc(cv->n_columns, sizeof *cv->columns);
  if (cv->columns == NULL)
    abort();
  for (uint32_t c = 0; c < cv->n_columns; c++)
    fr_column_init(&cv->columns[c], cv->schema.columns[c].type);
  cv->spec.schema = &cv->schema;
  cv->spec.field_of_column = NULL;
  cv->spec.n_input_fields = 0;
  cv->spec.jsonl = 1;
}

static void fz_conv_free(fz_conv *cv) {
  for (uint32_t c = 0; c < cv->n_columns; c++)
    fr_column_free(&cv->columns[c]);
  free(cv->columns);
  fr_schema_free(&cv->schema);
  fr_reject_list_free(&cv->rejects);
}

static int fz_is_value_reason(const char *why) {
  static const char *const allowed[] = {"invalid UTF-8", "NUL byte in a text value"};
  for (size_t idx = 0; idx < sizeof allowed / sizeof allowed[0]; idx++)
    if (strcmp(why, allowed[idx]) == 0)
      return 1;
  return 0;
}

static void fz_conv_block(void *ctx, fr_record_block *b, uint32_t first_rec) {
  fz_conv *cv = ctx;
  (void)first_rec;
  if (!cv->ready) {
    if (b->n_records == 0)
      return;
    fz_conv_setup(cv, b);
  } else {
    cv->first_block = 0;
  }
  if (cv->skip)
    return;
  uint32_t rej_before = cv->rejects.n;
  fr_status status = fr_convert_block(b, 0, &cv->spec, cv->columns, &cv->rejects);
  FZ_CHECK(status == FR_OK, "fr_convert_block: %s", fr_status_str(status));
  uint32_t rows = cv->columns[0].n_rows;
  uint32_t n_rej = cv->rejects.n - rej_before;
  for (uint32_t c = 0; c < cv->n_columns; c++) {
    const fr_column *col = &cv->columns[c];
    FZ_CHECK(col->n_rows == rows, "column %u holds %u rows, column 0 %u", c, col->n_rows, rows);
    FZ_CHECK(col->type == cv->schema.columns[c].type, "column %u changed type", c);
    uint32_t nulls = 0;
    for (uint32_t r = 0; r < rows; r++) {
      int valid = fr_column_is_valid(col, r);
      nulls += !valid;
      if (!valid && col->type == FR_TYPE_FLOAT64)
        FZ_CHECK(col->f64[r] == 0, "column %u: NULL float row %u holds %g", c, r, col->f64[r]);
      else if (!valid && col->type != FR_TYPE_STRING)
        FZ_CHECK(col->i64[r] == 0, "column %u: NULL row %u holds %lld", c, r, (long long)col->i64[r]);
      if (col->type == FR_TYPE_BOOL && valid)
        FZ_CHECK(col->i64[r] == 0 || col->i64[r] == 1, "column %u: bool row %u holds %lld", c, r,
                 (long long)col->i64[r]);
    }
    FZ_CHECK(nulls == (col->validity ? col->null_count : 0), "column %u: null_count %u, bitmap says %u", c,
             col->null_count, nulls);
    if (col->type == FR_TYPE_STRING) {
      FZ_CHECK(col->str_offsets[0] == 0, "column %u: str_offsets[0] = %u", c, col->str_offsets[0]);
      for (uint32_t r = 0; r < rows; r++) {
        FZ_CHECK(col->str_offsets[r] <= col->str_offsets[r + 1], "column %u: offsets decrease at row %u", c,
                 r);
        uint32_t len;
        const char *s = fr_column_str(col, r, &len);
        size_t bad_at;
        FZ_CHECK(fr_column_is_valid(col, r) || len == 0, "column %u: NULL row %u holds %u bytes", c, r, len);
        FZ_CHECK(memchr(s, 0, len) == NULL && fr_utf8_valid((const uint8_t *)s, len, &bad_at),
                 "column %u row %u: stored text is not NUL-free UTF-8", c, r);
      }
      FZ_CHECK(col->str_offsets[rows] == col->str_len && col->str_len <= col->str_cap,
               "column %u: str_offsets[%u] = %u, str_len %zu, str_cap %zu", c, rows, col->str_offsets[rows],
               col->str_len, col->str_cap);
    }
  }
  /* P3 */
  FZ_CHECK(rows + n_rej == b->n_records, "rows stored (%u) + rejected (%u) != lines read (%u)", rows, n_rej,
           b->n_records);
  /* P4, P5 */
  uint32_t prev = 0;
  for (uint32_t ri = rej_before; ri < cv->rejects.n; ri++) {
    const fr_reject *rj = &cv->rejects.items[ri];
    FZ_CHECK(rj->rec_idx < b->n_records, "reject names record %u of %u", rj->rec_idx, b->n_records);
    FZ_CHECK(ri == rej_before || rj->rec_idx > prev, "record %u rejected twice or out of order", rj->rec_idx);
    prev = rj->rec_idx;
    FZ_CHECK(rj->why != NULL && rj->why[0] != '\0', "reject of line %u has no reason", rj->rec_idx);
    FZ_CHECK(rj->column >= -1 && rj->column < (int32_t)cv->n_columns, "reject names column %d", rj->column);
    FZ_CHECK_TAG("location", rj->offset <= b->n_bytes, "reject at offset %u past the block (%zu bytes)",
                 rj->offset, b->n_bytes);
    FZ_CHECK(memchr(rj->detail, 0, sizeof rj->detail) != NULL, "reject detail not terminated");
    /* a key written twice is a fault of the line, whatever the column's type */
    if (cv->infer_oracle && cv->first_block && rj->column >= 0 && strcmp(rj->why, "duplicate key") != 0) {
      fr_type type = cv->schema.columns[rj->column].type;
      uint32_t rec = rj->rec_idx;
      FZ_CHECK_TAG(
          "infer", type == FR_TYPE_STRING && fz_is_value_reason(rj->why),
          "P5: line %llu rejected for column \"%s\" (inferred %s from this block): %s [%s]; line: %.*s",
          (unsigned long long)b->rec_line[rec], cv->schema.columns[rj->column].name, fr_type_name(type),
          rj->why, rj->detail, (int)(b->rec_end[rec] - b->rec_start[rec]),
          (const char *)b->bytes + b->rec_start[rec]);
    }
  }
  cv->rejects.n = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  uint8_t c0 = data[0], c1 = data[1];
  const char *path = fz_write_input(data + 2, size - 2);
  size_t input_size = size - 2;
  const char *table = (c0 & 0x40) ? "payments" : "events";

  fr_csv_options opts;
  fr_csv_options_default(&opts);
  opts.jsonl = 1;

  /* Pass A: one block, inferred schema (P5 unless canonical). */
  fz_stream whole = {0};
  fz_conv conv_a = {0};
  conv_a.table = table;
  conv_a.infer_oracle = !(c0 & 0x40);
  long n_a =
      fz_read_all(path, &opts, 1u << 20, (size_t)1 << 20, input_size, 0, &whole, fz_conv_block, &conv_a);
  fz_conv_free(&conv_a);

  /* Pass B: tiny blocks; schema inferred from the first of them, or cycled. */
  fz_stream streamed = {0};
  fz_conv conv_b = {0};
  conv_b.table = table;
  conv_b.cycled = (c0 >> 7) & 1;
  conv_b.type_offset = (c1 >> 2) & 7;
  long n_b = fz_read_all(path, &opts, fz_max_recs[(c0 >> 3) & 7], fz_targets[c0 & 7], input_size, 0,
                         &streamed, fz_conv_block, &conv_b);
  if (n_a >= 0 && n_b >= 0) {
    char how[96];
    snprintf(how, sizeof how, "streamed (target_bytes %zu, max_records %u)", fz_targets[c0 & 7],
             fz_max_recs[(c0 >> 3) & 7]);
    fz_stream_compare(&whole, &streamed, how);
  }
  fz_conv_free(&conv_b);
  fz_stream_free(&whole);
  fz_stream_free(&streamed);

  /* Pass C: tiny max_record_bytes. */
  fr_csv_options small = opts;
  small.max_record_bytes = fz_small_records[c1 & 3];
  fz_conv conv_c = {0};
  conv_c.table = table;
  conv_c.cycled = 1;
  conv_c.type_offset = (c1 >> 2) & 7;
  fz_read_all(path, &small, fz_max_recs[(c0 >> 3) & 7], fz_targets[(c0 + 3) & 7], input_size, 0, NULL,
              fz_conv_block, &conv_c);
  fz_conv_free(&conv_c);
  return 0;
}
