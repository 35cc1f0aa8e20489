/* fuzz_csv_reader.c - CSV input: source -> RFC 4180 splitter -> inference ->
 * conversion, as ingest runs them.
 *
 * Input layout: 3 configuration bytes, then the file's bytes (plain text, or a
 * zstd / gzip stream, recognised by fr_source from its magic bytes).
 *   byte 0: delimiter  (, ; TAB | space : a letter, or 0 = sniffed from the header)
 *   byte 1: bits 0-2 target_bytes, bits 3-5 max_records for the streamed pass
 *   byte 2: bits 0-1 max_record_bytes for the small-record pass, bits 2-4 first
 *           type of the cycled schema, bit 5 maps columns to fields in reverse
 *
 * Properties (any violation aborts, so libFuzzer keeps the input):
 *  P1 memory safety and no UB in reader, inference and converter (ASan, UBSan);
 *  P2 block structure (fuzz_records.h) and block-boundary independence: the
 *     streamed pass yields exactly the records of the one-block pass;
 *  P3 nothing lost: per block, rows stored + rows rejected == records - header;
 *  P4 what is stored is what was read: every stored row's values equal the
 *     parse of its fields (NULL rules of fr_convert.c), rejects are one per bad
 *     record, in order, with a reason;
 *  P5 inference agrees with conversion: a column inferred from the block as a
 *     non-text type accepts every value of that block.
 */
#include <math.h>

#include "fuzz_records.h"

#include "fr_column.h"
#include "fr_convert.h"
#include "fr_schema.h"
#include "fr_types.h"

static const char fz_delims[] = {',', ';', '\t', '|', ' ', ':', 'a', 0};
static const size_t fz_targets[] = {1, 2, 7, 64, 300, 4096, 1 << 20, 1 << 20};
static const uint32_t fz_max_recs[] = {1, 2, 3, 5, 16, 1000, 1 << 20, 1 << 20};
static const size_t fz_small_records[] = {1, 8, 32, 100};
static const fr_type fz_cycle[] = {FR_TYPE_STRING, FR_TYPE_INT64, FR_TYPE_DECIMAL, FR_TYPE_TIMESTAMP,
                                   FR_TYPE_DATE,   FR_TYPE_BOOL,  FR_TYPE_FLOAT64};

typedef struct fz_conv {
  int ready;         /* header seen and schema built */
  int skip;          /* header malformed: nothing to convert (ingest fails) */
  int use_inference; /* schema from fr_schema_infer_csv (P5 applies) */
  int reverse;
  unsigned type_offset;
  fr_schema schema;
  int32_t *field_of_column;
  fr_convert_spec spec;
  fr_column *columns;
  uint32_t n_columns;
  fr_reject_list rejects;
  uint64_t records, stored, rejected;
} fz_conv;

static fr_parse_why fz_parse(fr_type type, int64_t *out, const char *text, size_t len) {
  switch (type) {
  case FR_TYPE_INT64:
    return fr_parse_int64(out, text, len);
  case FR_TYPE_DECIMAL:
    return fr_parse_decimal(out, text, len);
  case FR_TYPE_BOOL:
    return fr_parse_bool(out, text, len);
  case FR_TYPE_DATE:
    return fr_parse_date(out, text, len);
  case FR_TYPE_TIMESTAMP:
    return fr_parse_timestamp(out, text, len);
  default:
    return "not int-like";
  }
}

/* Builds the schema from the header record (record 0 of `b`). */
static void fz_conv_setup(fz_conv *cv, const fr_record_block *b) {
  cv->ready = 1;
  if (b->rec_error[0] != NULL) {
    cv->skip = 1;
    return;
  }
  uint32_t n = b->rec_field[1] - b->rec_field[0];
  fr_schema_init(&cv->schema);
  cv->n_columns = n;
  cv->field_of_column = calloc(n ? n : 1, sizeof *cv->field_of_column);
  cv->columns = calloc(n ? n : 1, sizeof *cv->columns);
  if (!cv->field_of_column || !cv->columns)
    abort();
  /* Schema column c reads input field field_of_column[c]. */
  for (uint32_t c = 0; c < n; c++)
    cv->field_of_column[c] = (int32_t)(cv->reverse ? n - 1 - c : c);
  char scratch[FR_NAME_CAP];
  int names_ok = 1;
  for (uint32_t c = 0; c < n && cv->use_inference; c++) {
    uint32_t f = (uint32_t)cv->field_of_column[c];
    uint32_t field = b->rec_field[0] + f;
    if (b->field_len[field] >= FR_NAME_CAP) {
      names_ok = 0;
      break;
    }
    uint32_t len;
    const char *text = fr_record_field_text(b, field, scratch, &len);
    FZ_CHECK(len <= b->field_len[field], "unescaped header field longer than the field");
    fr_type type = fr_schema_infer_csv(b, 1, f, n);
    FZ_CHECK(type >= FR_TYPE_STRING && type <= FR_TYPE_BOOL, "inferred type %d", (int)type);
    fr_error err;
    fr_error_clear(&err);
    if (fr_schema_add(&cv->schema, text, len, type, &err) != FR_OK) {
      FZ_CHECK(err.code == FR_ERR_INVALID, "fr_schema_add: %s", err.msg);
      names_ok = 0;
      break;
    }
  }
  if (!cv->use_inference || !names_ok) {
    /* Synthetic names; inferred or cycled types. */
    fr_schema keep = cv->schema;
    fr_schema_init(&cv->schema);
    for (uint32_t c = 0; c < n; c++) {
      char name[32];
      int len = snprintf(name, sizeof name, "c%u", c);
      fr_type type = cv->use_inference ? fr_schema_infer_csv(b, 1, (uint32_t)cv->field_of_column[c], n)
                                       : fz_cycle[(c + cv->type_offset) % 7];
      fr_error err;
      FZ_CHECK(fr_schema_add(&cv->schema, name, (size_t)len, type, &err) == FR_OK, "schema: %s", err.msg);
    }
    fr_schema_free(&keep);
  }
  for (uint32_t c = 0; c < n; c++)
    fr_column_init(&cv->columns[c], cv->schema.columns[c].type);
  cv->spec.schema = &cv->schema;
  cv->spec.field_of_column = cv->field_of_column;
  cv->spec.n_input_fields = n;
  cv->spec.jsonl = 0;
}

static void fz_conv_free(fz_conv *cv) {
  for (uint32_t c = 0; c < cv->n_columns && cv->columns; c++)
    fr_column_free(&cv->columns[c]);
  free(cv->columns);
  free(cv->field_of_column);
  fr_schema_free(&cv->schema);
  fr_reject_list_free(&cv->rejects);
}

/* P4: checks stored row `row` against the fields of record `rec`. */
static void fz_check_row(fz_conv *cv, const fr_record_block *b, uint32_t rec, uint32_t row, char *scratch) {
  for (uint32_t c = 0; c < cv->n_columns; c++) {
    const fr_column *col = &cv->columns[c];
    uint32_t field = b->rec_field[rec] + (uint32_t)cv->field_of_column[c];
    uint32_t len;
    const char *text = fr_record_field_text(b, field, scratch, &len);
    int quoted = (b->field_flags[field] & FR_FIELD_QUOTED) != 0;
    int expect_null = (len == 0 && !quoted) || (col->type != FR_TYPE_STRING && len == 0);
    int valid = fr_column_is_valid(col, row);
    FZ_CHECK(valid == !expect_null, "record %u column %u (%s): stored %s, field is \"%.*s\"%s", rec, c,
             fr_type_name(col->type), valid ? "a value" : "NULL", (int)len, text, quoted ? " (quoted)" : "");
    if (col->type == FR_TYPE_STRING) {
      uint32_t got_len;
      const char *got = fr_column_str(col, row, &got_len);
      if (expect_null) {
        FZ_CHECK(got_len == 0, "record %u column %u: NULL string row holds %u bytes", rec, c, got_len);
      } else {
        FZ_CHECK(got_len == len && memcmp(got, text, len) == 0,
                 "record %u column %u: stored \"%.*s\", field is \"%.*s\"", rec, c, (int)got_len, got,
                 (int)len, text);
        size_t bad_at;
        FZ_CHECK(fr_utf8_valid((const uint8_t *)got, got_len, &bad_at) && memchr(got, 0, got_len) == NULL,
                 "record %u column %u: stored text is not NUL-free UTF-8", rec, c);
      }
    } else if (col->type == FR_TYPE_FLOAT64) {
      if (expect_null) {
        FZ_CHECK(col->f64[row] == 0, "record %u column %u: NULL float row holds %g", rec, c, col->f64[row]);
      } else {
        double want;
        FZ_CHECK(fr_parse_float64(&want, text, len) == NULL,
                 "record %u column %u: stored float64 from unparsable \"%.*s\"", rec, c, (int)len, text);
        FZ_CHECK(memcmp(&want, &col->f64[row], 8) == 0,
                 "record %u column %u: stored %.17g, parse gives %.17g", rec, c, col->f64[row], want);
      }
    } else {
      if (expect_null) {
        FZ_CHECK(col->i64[row] == 0, "record %u column %u: NULL row holds %lld", rec, c,
                 (long long)col->i64[row]);
      } else {
        int64_t want = 0;
        fr_parse_why why = fz_parse(col->type, &want, text, len);
        FZ_CHECK(why == NULL, "record %u column %u: stored %s from \"%.*s\" which does not parse: %s", rec, c,
                 fr_type_name(col->type), (int)len, text, why);
        FZ_CHECK(want == col->i64[row], "record %u column %u (%s): stored %lld, parse gives %lld", rec, c,
                 fr_type_name(col->type), (long long)col->i64[row], (long long)want);
      }
    }
  }
}

static void fz_conv_block(void *ctx, fr_record_block *b, uint32_t first_rec) {
  fz_conv *cv = ctx;
  if (!cv->ready) {
    if (first_rec == 0)
      return; /* blocks before the header hold no records */
    fz_conv_setup(cv, b);
  }
  if (cv->skip)
    return;
  uint32_t n_recs = b->n_records > first_rec ? b->n_records - first_rec : 0;
  uint32_t rej_before = cv->rejects.n;
  fr_status status = fr_convert_block(b, first_rec, &cv->spec, cv->columns, &cv->rejects);
  FZ_CHECK(status == FR_OK, "fr_convert_block: %s", fr_status_str(status));
  uint32_t rows = cv->n_columns ? cv->columns[0].n_rows : 0;
  uint32_t n_rej = cv->rejects.n - rej_before;
  for (uint32_t c = 0; c < cv->n_columns; c++) {
    const fr_column *col = &cv->columns[c];
    FZ_CHECK(col->n_rows == rows, "column %u holds %u rows, column 0 %u", c, col->n_rows, rows);
    FZ_CHECK(col->type == cv->schema.columns[c].type, "column %u changed type", c);
    FZ_CHECK(col->n_rows <= col->cap_rows, "column %u: %u rows > cap %u", c, col->n_rows, col->cap_rows);
    uint32_t nulls = 0;
    for (uint32_t r = 0; r < rows; r++)
      nulls += !fr_column_is_valid(col, r);
    FZ_CHECK(nulls == (col->validity ? col->null_count : 0), "column %u: null_count %u, bitmap says %u", c,
             col->null_count, nulls);
    if (col->type == FR_TYPE_STRING) {
      FZ_CHECK(col->str_offsets[0] == 0, "column %u: str_offsets[0] = %u", c, col->str_offsets[0]);
      for (uint32_t r = 0; r < rows; r++)
        FZ_CHECK(col->str_offsets[r] <= col->str_offsets[r + 1], "column %u: offsets decrease at row %u", c,
                 r);
      FZ_CHECK(col->str_offsets[rows] == col->str_len && col->str_len <= col->str_cap,
               "column %u: str_offsets[%u] = %u, str_len %zu, str_cap %zu", c, rows, col->str_offsets[rows],
               col->str_len, col->str_cap);
    }
  }
  /* P3 */
  if (cv->n_columns > 0)
    FZ_CHECK(rows + n_rej == n_recs,
             "rows stored (%u) + rejected (%u) != records read (%u) in a block of %u records (first_rec %u)",
             rows, n_rej, n_recs, b->n_records, first_rec);
  /* P4 and P5 */
  char *scratch = malloc(b->n_bytes + 1);
  if (scratch == NULL)
    abort();
  uint32_t ri = rej_before, row = 0;
  for (uint32_t rec = first_rec; rec < b->n_records; rec++) {
    if (ri < cv->rejects.n && cv->rejects.items[ri].rec_idx == rec) {
      const fr_reject *rj = &cv->rejects.items[ri++];
      FZ_CHECK(rj->why != NULL && rj->why[0] != '\0', "reject of record %u has no reason", rec);
      FZ_CHECK(rj->column >= -1 && rj->column < (int32_t)cv->n_columns, "reject of record %u names column %d",
               rec, rj->column);
      FZ_CHECK_TAG("location", rj->offset <= b->n_bytes,
                   "reject of record %u at offset %u past the block (%zu bytes)", rec, rj->offset,
                   b->n_bytes);
      FZ_CHECK(memchr(rj->detail, 0, sizeof rj->detail) != NULL, "reject detail not terminated");
      FZ_CHECK(ri == cv->rejects.n || cv->rejects.items[ri].rec_idx > rec,
               "record %u rejected twice or rejects out of order", rec);
      int splitting_ok =
          b->rec_error[rec] == NULL && b->rec_field[rec + 1] - b->rec_field[rec] == cv->spec.n_input_fields;
      if (!splitting_ok)
        FZ_CHECK(rj->column == -1, "record %u is malformed/short but rejected for column %d (%s)", rec,
                 rj->column, rj->why);
      if (cv->use_inference && first_rec == 1 && splitting_ok) {
        FZ_CHECK(rj->column >= 0, "well-split record %u rejected as a whole: %s", rec, rj->why);
        fr_type type = cv->schema.columns[rj->column].type;
        uint32_t field = b->rec_field[rec] + (uint32_t)cv->field_of_column[rj->column];
        FZ_CHECK_TAG(
            "infer", type == FR_TYPE_STRING,
            "P5: column %d was inferred as %s from this block, but record %u (line %llu) value \"%.*s\" "
            "is rejected: %s",
            rj->column, fr_type_name(type), rec, (unsigned long long)b->rec_line[rec],
            (int)b->field_len[field], (const char *)b->bytes + b->field_start[field], rj->why);
      }
      continue;
    }
    FZ_CHECK(b->rec_error[rec] == NULL, "malformed record %u (%s) was stored", rec, b->rec_error[rec]);
    FZ_CHECK(b->rec_field[rec + 1] - b->rec_field[rec] == cv->spec.n_input_fields,
             "record %u with %u fields stored, header has %u", rec, b->rec_field[rec + 1] - b->rec_field[rec],
             cv->spec.n_input_fields);
    if (cv->n_columns > 0) {
      FZ_CHECK(row < rows, "more well-formed records than stored rows");
      fz_check_row(cv, b, rec, row, scratch);
    }
    row++;
  }
  free(scratch);
  FZ_CHECK(ri == cv->rejects.n, "a reject names a record outside [first_rec, n_records)");
  if (cv->n_columns > 0)
    FZ_CHECK(row == rows, "%u records not rejected, %u rows stored", row, rows);
  cv->records += n_recs;
  cv->stored += rows;
  cv->rejected += n_rej;
  /* Rejects are per block in ingest. */
  cv->rejects.n = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3)
    return 0;
  uint8_t c0 = data[0], c1 = data[1], c2 = data[2];
  const char *path = fz_write_input(data + 3, size - 3);
  size_t input_size = size - 3;

  fr_csv_options opts;
  fr_csv_options_default(&opts);
  opts.delimiter = fz_delims[c0 & 7];

  /* Pass A: one block (ingest's first block), inferred schema. */
  fz_stream whole = {0};
  fz_conv conv_a = {0};
  conv_a.use_inference = 1;
  conv_a.reverse = (c2 >> 5) & 1;
  long n_a =
      fz_read_all(path, &opts, 1u << 20, (size_t)1 << 20, input_size, 1, &whole, fz_conv_block, &conv_a);
  fz_conv_free(&conv_a);

  /* Pass B: tiny blocks, cycled schema; same records as pass A. */
  fz_stream streamed = {0};
  fz_conv conv_b = {0};
  conv_b.reverse = (c2 >> 5) & 1;
  conv_b.type_offset = (c2 >> 2) & 7;
  long n_b = fz_read_all(path, &opts, fz_max_recs[(c1 >> 3) & 7], fz_targets[c1 & 7], input_size, 1,
                         &streamed, fz_conv_block, &conv_b);
  if (n_a >= 0 && n_b >= 0) {
    char how[96];
    snprintf(how, sizeof how, "streamed (target_bytes %zu, max_records %u)", fz_targets[c1 & 7],
             fz_max_recs[(c1 >> 3) & 7]);
    fz_stream_compare(&whole, &streamed, how);
  }
  fz_conv_free(&conv_b);
  fz_stream_free(&whole);
  fz_stream_free(&streamed);

  /* Pass C: tiny max_record_bytes (the oversized-record path), cycled schema. */
  fr_csv_options small = opts;
  small.max_record_bytes = fz_small_records[c2 & 3];
  fz_conv conv_c = {0};
  conv_c.reverse = !((c2 >> 5) & 1);
  conv_c.type_offset = (c2 >> 2) & 7;
  fz_read_all(path, &small, fz_max_recs[(c1 >> 3) & 7], fz_targets[(c1 + 3) & 7], input_size, 1, NULL,
              fz_conv_block, &conv_c);
  fz_conv_free(&conv_c);
  return 0;
}
