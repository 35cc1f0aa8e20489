/* fuzz_xes.c - XES input: source -> fr_xes_discover (columns) -> fr_xes_reader
 * (record blocks) -> conversion, as ingest runs them.
 *
 * Input layout: 1 configuration byte, then the file's bytes (plain XML, or a
 * zstd / gzip stream, recognised by fr_source from its magic bytes).
 *   byte 0: bits 0-2 max_records, bits 3-4 target_bytes of the streamed pass,
 *           bits 5-6 max_record_bytes of both passes
 *
 * Properties (any violation aborts, so libFuzzer keeps the input):
 *  P1 memory safety, no UB, no leak in expat glue, discovery, reader, converter;
 *  P2 block structure: every record has one field per column, its text and
 *     fields lie inside the block's bytes, a present field has a place (line > 0),
 *     blocks never exceed max_records;
 *  P3 block-boundary independence: reading in tiny blocks gives exactly the
 *     records (text, line, malformation, every field) of a one-block read, and
 *     the same failure (message, line, column) at the same point, for logs whose
 *     trace attributes precede the trace's events (as the XES schema has it);
 *  P4 both passes agree: the read pass sees the events and the failure the
 *     discovery pass saw, and every attribute it meets has a column;
 *  P5 nothing lost: per block, rows stored + rows rejected == records.
 */
#include "fuzz_common.h"

#include "fr_column.h"
#include "fr_convert.h"
#include "fr_source.h"
#include "fr_xes_reader.h"

static const uint32_t fz_max_recs[] = {1, 2, 3, 5, 16, 1000, 1 << 20, 1 << 20};
static const size_t fz_targets[] = {1, 64, 4096, 1 << 20};
static const size_t fz_max_record[] = {64, 1024, 1 << 16, 4 << 20};

/* One run's records, rendered to bytes so two runs compare with memcmp. */
typedef struct fz_out {
  uint8_t *bytes;
  size_t len, cap;
  uint64_t n_records;
  int failed;
  char fail_msg[FR_ERROR_MSG_CAP];
  uint64_t fail_line, fail_column;
} fz_out;

static void fz_put(fz_out *out, const void *src, size_t len) {
  if (out->len + len > out->cap) {
    size_t cap = out->cap ? out->cap : 4096;
    while (cap < out->len + len)
      cap *= 2;
    out->bytes = realloc(out->bytes, cap);
    if (out->bytes == NULL)
      abort();
    out->cap = cap;
  }
  memcpy(out->bytes + out->len, src, len);
  out->len += len;
}

static void fz_put_u64(fz_out *out, uint64_t v) { fz_put(out, &v, sizeof v); }

static void fz_check_block(const fr_record_block *b, const fr_xes_positions *pos, uint32_t n_columns,
                           uint32_t max_records) {
  FZ_CHECK(b->n_records <= max_records, "%u records, max_records %u", b->n_records, max_records);
  for (uint32_t rec = 0; rec < b->n_records; rec++) {
    FZ_CHECK(b->rec_start[rec] <= b->rec_end[rec] && b->rec_end[rec] <= b->n_bytes,
             "record %u text [%u, %u) outside %zu bytes", rec, b->rec_start[rec], b->rec_end[rec],
             b->n_bytes);
    FZ_CHECK(b->rec_field[rec + 1] - b->rec_field[rec] == n_columns, "record %u has %u fields, not %u",
             rec, b->rec_field[rec + 1] - b->rec_field[rec], n_columns);
    FZ_CHECK(b->rec_line[rec] >= 1 && (rec == 0 || b->rec_line[rec] >= b->rec_line[rec - 1]),
             "record %u line %llu", rec, (unsigned long long)b->rec_line[rec]);
    FZ_CHECK(pos->rec_column[rec] >= 1, "record %u has no column", rec);
    FZ_CHECK(b->rec_error[rec] == NULL || pos->err_line[rec] >= 1, "record %u: error without a place",
             rec);
    for (uint32_t f = b->rec_field[rec]; f < b->rec_field[rec + 1]; f++) {
      FZ_CHECK((uint64_t)b->field_start[f] + b->field_len[f] <= b->n_bytes, "field %u outside the block",
               f);
      FZ_CHECK(b->field_flags[f] == 0 || b->field_flags[f] == FR_FIELD_QUOTED, "field %u flags %u", f,
               b->field_flags[f]);
      FZ_CHECK(b->field_flags[f] != 0 || b->field_len[f] == 0, "absent field %u has bytes", f);
      FZ_CHECK(b->field_flags[f] == 0 || pos->field_line[f] >= 1, "present field %u has no line", f);
    }
  }
  FZ_CHECK(b->n_records == 0 || b->rec_field[b->n_records] == b->n_fields, "n_fields %u, rec_field end %u",
           b->n_fields, b->rec_field[b->n_records]);
}

static void fz_record(fz_out *out, const fr_record_block *b, const fr_xes_positions *pos, uint32_t rec) {
  fz_put_u64(out, b->rec_line[rec]);
  fz_put_u64(out, pos->rec_column[rec]);
  uint32_t len = b->rec_end[rec] - b->rec_start[rec];
  fz_put_u64(out, len);
  fz_put(out, b->bytes + b->rec_start[rec], len);
  const char *why = b->rec_error[rec] ? b->rec_error[rec] : "";
  fz_put(out, why, strlen(why) + 1);
  if (b->rec_error[rec] != NULL) {
    fz_put_u64(out, pos->err_line[rec]);
    fz_put_u64(out, pos->err_column[rec]);
    return; /* the fields of a rejected record are not used */
  }
  for (uint32_t f = b->rec_field[rec]; f < b->rec_field[rec + 1]; f++) {
    fz_put_u64(out, b->field_flags[f]);
    fz_put_u64(out, b->field_len[f]);
    fz_put(out, b->bytes + b->field_start[f], b->field_len[f]);
    fz_put_u64(out, pos->field_line[f]);
    fz_put_u64(out, pos->field_column[f]);
  }
}

/* Reads the whole input; returns 0, or -1 when a hard error (memory, limits)
 * stopped it. */
static int fz_read(const char *path, const fr_schema *schema, uint32_t max_records, size_t target,
                   size_t max_record, fz_out *out) {
  fr_source *src;
  fr_error err;
  fr_error_clear(&err);
  if (fr_source_open(&src, path, &err) != FR_OK)
    return -1;
  fr_xes_reader *rd;
  fr_status status = fr_xes_reader_create(&rd, src, NULL, 0, schema, max_record, &err);
  FZ_CHECK(status == FR_OK, "fr_xes_reader_create: %s", err.msg);
  fr_record_block block;
  fr_record_block_init(&block);
  fr_xes_positions pos;
  fr_xes_positions_init(&pos);
  int32_t *identity = calloc(schema->n_columns, sizeof *identity);
  fr_column *columns = calloc(schema->n_columns, sizeof *columns);
  if (identity == NULL || columns == NULL)
    abort();
  for (uint32_t c = 0; c < schema->n_columns; c++) {
    identity[c] = (int32_t)c;
    fr_column_init(&columns[c], schema->columns[c].type);
  }
  fr_convert_spec spec = {schema, identity, schema->n_columns, 0};
  int eof = 0, rc = 0;
  for (long calls = 0; !eof; calls++) {
    FZ_CHECK(calls < 100000000L, "the reader makes no progress");
    fr_error_clear(&err);
    status = fr_xes_reader_next(rd, &block, &pos, max_records, target, &eof, &err);
    if (status == FR_ERR_PARSE) {
      FZ_CHECK(err.msg[0] != '\0', "FR_ERR_PARSE without a message");
      const uint8_t *tail;
      size_t tail_len;
      uint64_t line, column;
      fr_xes_reader_tail(rd, &tail, &tail_len, &line, &column);
      FZ_CHECK(tail_len <= 1024, "tail of %zu bytes", tail_len);
      out->failed = 1;
      snprintf(out->fail_msg, sizeof out->fail_msg, "%s", err.msg);
      out->fail_line = line;
      out->fail_column = column;
      break;
    }
    if (status != FR_OK) {
      FZ_CHECK(status == FR_ERR_LIMIT || status == FR_ERR_NOMEM, "fr_xes_reader_next: %s: %s",
               fr_status_str(status), err.msg);
      rc = -1;
      break;
    }
    fz_check_block(&block, &pos, schema->n_columns, max_records);
    for (uint32_t rec = 0; rec < block.n_records; rec++) {
      FZ_CHECK(block.rec_error[rec] == NULL || strncmp(block.rec_error[rec], "attribute has no column", 23) != 0,
               "P4: the read pass met an attribute the discovery pass did not");
      fz_record(out, &block, &pos, rec);
    }
    out->n_records += block.n_records;
    fr_reject_list rejects = {0};
    status = fr_convert_block(&block, 0, &spec, columns, &rejects);
    FZ_CHECK(status == FR_OK, "fr_convert_block: %s", fr_status_str(status));
    FZ_CHECK(columns[0].n_rows + rejects.n == block.n_records, "P5: %u stored + %u rejected != %u records",
             columns[0].n_rows, rejects.n, block.n_records);
    fr_reject_list_free(&rejects);
  }
  const fr_xes_stats *stats = fr_xes_reader_stats(rd);
  if (rc == 0)
    FZ_CHECK(stats->n_events == out->n_records, "stats say %llu events, %llu records read",
             (unsigned long long)stats->n_events, (unsigned long long)out->n_records);
  for (uint32_t c = 0; c < schema->n_columns; c++)
    fr_column_free(&columns[c]);
  free(columns);
  free(identity);
  fr_xes_positions_free(&pos);
  fr_record_block_free(&block);
  fr_xes_reader_destroy(rd);
  fr_source_close(src);
  return rc;
}

static void fz_out_free(fz_out *out) { free(out->bytes); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t c0 = data[0];
  const char *path = fz_write_input(data + 1, size - 1);
  size_t max_record = fz_max_record[(c0 >> 5) & 3];

  /* Pass 1: discovery, then the schema a new table gets. */
  fr_source *src;
  if (fr_source_open(&src, path, NULL) != FR_OK)
    return 0;
  fr_schema found;
  fr_schema_init(&found);
  fr_xes_stats stats;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_xes_discover(&found, src, 0, NULL, &stats, &err);
  fr_source_close(src);
  if (status != FR_OK) {
    FZ_CHECK(status == FR_ERR_LIMIT && err.msg[0] != '\0', "fr_xes_discover: %s: %s", fr_status_str(status),
             err.msg);
    fr_schema_free(&found);
    return 0;
  }
  static const char *const approvals[8] = {"case_id", "ts",      "activity",  "actor",
                                           "org",     "service", "applicant", "amount"};
  fr_schema schema;
  fr_schema_init(&schema);
  for (int idx = 0; idx < 8; idx++) {
    fr_type type = FR_TYPE_STRING;
    fr_schema_canonical_type("approvals", approvals[idx], &type);
    if (fr_schema_add(&schema, approvals[idx], strlen(approvals[idx]), type, NULL) != FR_OK)
      abort();
  }
  for (uint32_t c = 0; c < found.n_columns; c++) {
    const char *name = found.columns[c].name;
    if (fr_schema_find(&schema, name, strlen(name)) < 0 &&
        fr_schema_add(&schema, name, strlen(name), found.columns[c].type, NULL) != FR_OK)
      abort();
  }
  fr_schema_free(&found);

  /* Pass 2 twice: one block, then tiny blocks. */
  fz_out whole = {0}, streamed = {0};
  int rc_whole = fz_read(path, &schema, 1u << 30, (size_t)1 << 30, max_record, &whole);
  int rc_streamed = fz_read(path, &schema, fz_max_recs[c0 & 7], fz_targets[(c0 >> 3) & 3], max_record,
                            &streamed);
  /* Trace attributes after events reach only the events still in the block
   * (fr_xes_reader.h): P3 holds for logs without them. */
  if (rc_whole == 0 && rc_streamed == 0 && stats.n_late == 0) {
    FZ_CHECK_TAG("stream", whole.n_records == streamed.n_records && whole.len == streamed.len &&
                 (whole.len == 0 || memcmp(whole.bytes, streamed.bytes, whole.len) == 0),
             "P3: %llu records in one block, %llu in blocks of %u", (unsigned long long)whole.n_records,
             (unsigned long long)streamed.n_records, fz_max_recs[c0 & 7]);
    FZ_CHECK_TAG("stream", whole.failed == streamed.failed && strcmp(whole.fail_msg, streamed.fail_msg) == 0 &&
                 whole.fail_line == streamed.fail_line && whole.fail_column == streamed.fail_column,
             "P3: failure differs: [%s] %llu:%llu vs [%s] %llu:%llu", whole.fail_msg,
             (unsigned long long)whole.fail_line, (unsigned long long)whole.fail_column, streamed.fail_msg,
             (unsigned long long)streamed.fail_line, (unsigned long long)streamed.fail_column);
    /* P4: with the default record limit both passes see the same events and
     * failure (a smaller limit may stop the read pass on a long token first). */
    if (max_record == fz_max_record[3]) {
      FZ_CHECK(whole.n_records == stats.n_events, "P4: discovery saw %llu events, the read pass %llu",
               (unsigned long long)stats.n_events, (unsigned long long)whole.n_records);
      FZ_CHECK(whole.failed == stats.failed &&
                   (!stats.failed || (whole.fail_line == stats.fail_line && whole.fail_column == stats.fail_column)),
               "P4: discovery failure %d at %llu:%llu, read pass %d at %llu:%llu", stats.failed,
               (unsigned long long)stats.fail_line, (unsigned long long)stats.fail_column, whole.failed,
               (unsigned long long)whole.fail_line, (unsigned long long)whole.fail_column);
    }
  }
  fz_out_free(&whole);
  fz_out_free(&streamed);
  fr_schema_free(&schema);
  return 0;
}
