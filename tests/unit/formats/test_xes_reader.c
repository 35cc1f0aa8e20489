/* Unit tests of the XES reader: column names, timestamp normalisation, column
 * discovery and type merging, the rows it makes (trace attributes, fallbacks,
 * events outside traces), block-boundary independence at every block size,
 * malformed XML after and before events, bounded event size, and every
 * allocation failing in turn. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_convert.h"
#include "fr_xes_reader.h"

static char *write_temp(const char *bytes, size_t len) {
  char *path = strdup("/tmp/ferret_test_xes_XXXXXX");
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  cr_assert_eq(write(fd, bytes, len), (ssize_t)len);
  close(fd);
  return path;
}

static const char *const k_log =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<log xmlns=\"http://www.xes-standard.org/\">\n"
    "  <string key=\"concept:name\" value=\"ignored\"/>\n"
    "  <trace>\n"
    "    <string key=\"concept:name\" value=\"C1\"/>\n"
    "    <string key=\"amount\" value=\"5.25\"/>\n"
    "    <event>\n"
    "      <string key=\"concept:name\" value=\"a &lt;1&gt;\"/>\n"
    "      <date key=\"time:timestamp\" value=\"2020-01-02T03:04:05.5+01:00\"/>\n"
    "      <int key=\"n\" value=\"1\"/>\n"
    "    </event>\n"
    "    <event>\n"
    "      <string key=\"concept:name\" value=\"b\"/>\n"
    "      <float key=\"n\" value=\"2.5\"/>\n"
    "      <float key=\"amount\" value=\"7\"/>\n"
    "      <container key=\"c\"><string key=\"x\" value=\"y\"/></container>\n"
    "    </event>\n"
    "    <event/>\n"
    "  </trace>\n"
    "  <event><string key=\"concept:name\" value=\"lonely\"/><id key=\"ts\" value=\"x\"/></event>\n"
    "</log>\n";

Test(xes_reader, column_names) {
  char out[FR_NAME_CAP];
  cr_assert_eq(fr_xes_column_name(out, 1, "concept:name", 12), 7);
  cr_assert_str_eq(out, "case_id");
  cr_assert_gt(fr_xes_column_name(out, 1, "channel", 7), 0);
  cr_assert_str_eq(out, "case:channel");
  cr_assert_gt(fr_xes_column_name(out, 0, "concept:name", 12), 0);
  cr_assert_str_eq(out, "activity");
  cr_assert_gt(fr_xes_column_name(out, 0, "time:timestamp", 14), 0);
  cr_assert_str_eq(out, "ts");
  cr_assert_gt(fr_xes_column_name(out, 0, "org:resource", 12), 0);
  cr_assert_str_eq(out, "actor");
  cr_assert_gt(fr_xes_column_name(out, 0, "amount", 6), 0);
  cr_assert_str_eq(out, "amount");
  cr_assert_gt(fr_xes_column_name(out, 0, "ts", 2), 0);
  cr_assert_str_eq(out, "event:ts");
  cr_assert_gt(fr_xes_column_name(out, 0, "Activity", 8), 0);
  cr_assert_str_eq(out, "event:Activity");
  cr_assert_gt(fr_xes_column_name(out, 0, "Amount", 6), 0);
  cr_assert_str_eq(out, "event:Amount");
  cr_assert_gt(fr_xes_column_name(out, 0, "lifecycle:transition", 20), 0);
  cr_assert_str_eq(out, "lifecycle:transition");
  cr_assert_eq(fr_xes_column_name(out, 0, "", 0), 0);
  char long_key[300];
  memset(long_key, 'k', sizeof long_key);
  cr_assert_eq(fr_xes_column_name(out, 0, long_key, 255), 255);
  cr_assert_eq(fr_xes_column_name(out, 1, long_key, 251), 0, "case: + 251 bytes does not fit");
}

static void expect_ts(const char *in, const char *want) {
  char out[32];
  size_t n = fr_xes_normalize_timestamp(out, in, strlen(in));
  if (want == NULL) {
    cr_expect_eq(n, 0, "%s should be left alone", in);
    return;
  }
  cr_expect_eq(n, strlen(want), "%s", in);
  out[n < sizeof out ? n : 0] = '\0';
  cr_expect_str_eq(out, want, "%s", in);
}

Test(xes_reader, timestamps_keep_the_local_time_as_written) {
  expect_ts("2010-12-30T11:02:00.000+01:00", "2010-12-30 11:02:00.000");
  expect_ts("2010-12-30T11:02:00Z", "2010-12-30 11:02:00");
  expect_ts("2010-12-30T11:02:00", "2010-12-30 11:02:00");
  expect_ts("2010-12-30T23:30:00.123456789-05:00", "2010-12-30 23:30:00.123456");
  expect_ts("2010-12-30 23:30:00-0500", "2010-12-30 23:30:00");
  expect_ts("2010-12-30T23:30:00+05", "2010-12-30 23:30:00");
  expect_ts(" 2016-10-05T00:00:00+02:00 ", "2016-10-05 00:00:00");
  expect_ts("2010-12-30", NULL);             /* a date: the converter reads it */
  expect_ts("2010-12-30T11:02", NULL);
  expect_ts("2010-12-30T11:02:00.+01:00", NULL);
  expect_ts("2010-12-30T11:02:00+1:00", NULL);
  expect_ts("2010-12-30T11:02:00 junk", NULL);
  expect_ts("20101230T110200", NULL);
}

static void discover(const char *text, fr_schema *found, fr_xes_stats *stats) {
  char *path = write_temp(text, strlen(text));
  fr_source *src;
  cr_assert_eq(fr_source_open(&src, path, NULL), FR_OK);
  fr_schema_init(found);
  fr_error err;
  fr_error_clear(&err);
  cr_assert_eq(fr_xes_discover(found, src, 0, NULL, stats, &err), FR_OK, "%s", err.msg);
  fr_source_close(src);
  unlink(path);
  free(path);
}

static fr_type type_of(const fr_schema *schema, const char *name) {
  int col = fr_schema_find(schema, name, strlen(name));
  cr_assert_geq(col, 0, "no column %s", name);
  return schema->columns[col].type;
}

Test(xes_reader, discovery_types_and_counts) {
  fr_schema found;
  fr_xes_stats stats;
  discover(k_log, &found, &stats);
  cr_expect_eq(stats.n_traces, 1);
  cr_expect_eq(stats.n_events, 4);
  cr_expect_eq(stats.failed, 0);
  cr_expect_eq(stats.n_skipped, 2, "the container and the attribute inside it");
  cr_expect_eq(type_of(&found, "case_id"), FR_TYPE_STRING);
  cr_expect_eq(type_of(&found, "case:amount"), FR_TYPE_STRING);
  cr_expect_eq(type_of(&found, "activity"), FR_TYPE_STRING);
  cr_expect_eq(type_of(&found, "ts"), FR_TYPE_TIMESTAMP);
  cr_expect_eq(type_of(&found, "amount"), FR_TYPE_DECIMAL, "canonical type wins");
  cr_expect_eq(type_of(&found, "n"), FR_TYPE_FLOAT64, "int + float");
  cr_expect_eq(type_of(&found, "event:ts"), FR_TYPE_STRING);
  cr_expect_eq(fr_schema_find(&found, "c", 1), -1, "containers are not columns");
  cr_expect_eq(fr_schema_find(&found, "case:concept:name", 17), -1);
  fr_schema_free(&found);

  discover("<log><trace><event><date key=\"d\" value=\"2020-01-01T00:00:00\"/></event>"
           "<event><boolean key=\"d\" value=\"true\"/></event></trace></log>",
           &found, &stats);
  cr_expect_eq(type_of(&found, "d"), FR_TYPE_STRING, "date + boolean -> string");
  fr_schema_free(&found);
}

Test(xes_reader, discovery_reports_malformed_xml_with_its_place) {
  fr_schema found;
  fr_xes_stats stats;
  discover("<log>\n<trace><event></trace>\n</log>", &found, &stats);
  cr_expect_eq(stats.failed, 1);
  cr_expect_eq(stats.n_events, 0);
  cr_expect_eq(stats.fail_line, 2);
  cr_expect(strstr(stats.fail_msg, "mismatched tag") != NULL, "%s", stats.fail_msg);
  fr_schema_free(&found);
  discover("<records/>", &found, &stats);
  cr_expect_eq(stats.failed, 1);
  cr_expect(strstr(stats.fail_msg, "not an XES log") != NULL, "%s", stats.fail_msg);
  fr_schema_free(&found);
}

/* The schema a new table gets: approvals columns, then the discovered others. */
static void table_schema(const char *text, fr_schema *schema) {
  static const char *const approvals[8] = {"case_id", "ts",      "activity",  "actor",
                                           "org",     "service", "applicant", "amount"};
  fr_schema found;
  fr_xes_stats stats;
  discover(text, &found, &stats);
  fr_schema_init(schema);
  for (int idx = 0; idx < 8; idx++) {
    fr_type type = FR_TYPE_STRING;
    fr_schema_canonical_type("approvals", approvals[idx], &type);
    cr_assert_eq(fr_schema_add(schema, approvals[idx], strlen(approvals[idx]), type, NULL), FR_OK);
  }
  for (uint32_t c = 0; c < found.n_columns; c++)
    if (fr_schema_find(schema, found.columns[c].name, strlen(found.columns[c].name)) < 0)
      cr_assert_eq(fr_schema_add(schema, found.columns[c].name, strlen(found.columns[c].name),
                                 found.columns[c].type, NULL),
                   FR_OK);
  fr_schema_free(&found);
}

/* Reads `text` in blocks of at most `max_records` and renders every record as
 * "v1|v2|...|\n" (NULL as ~, a rejected record as "!reason@line:col\n"). */
static fr_status read_all(const char *text, const fr_schema *schema, uint32_t max_records,
                          size_t target_bytes, char *out, size_t cap, fr_error *err) {
  char *path = write_temp(text, strlen(text));
  fr_source *src = NULL;
  fr_xes_reader *rd = NULL;
  fr_status status = fr_source_open(&src, path, err);
  if (status == FR_OK)
    status = fr_xes_reader_create(&rd, src, NULL, 0, schema, 0, err);
  fr_record_block block;
  fr_record_block_init(&block);
  fr_xes_positions pos;
  fr_xes_positions_init(&pos);
  out[0] = '\0';
  size_t used = 0;
  int eof = 0;
  while (status == FR_OK && !eof) {
    status = fr_xes_reader_next(rd, &block, &pos, max_records, target_bytes, &eof, err);
    if (status != FR_OK)
      break;
    cr_assert_leq(block.n_records, max_records);
    for (uint32_t rec = 0; rec < block.n_records; rec++) {
      cr_assert_eq(block.rec_field[rec + 1] - block.rec_field[rec], schema->n_columns);
      if (block.rec_error[rec] != NULL) {
        used += (size_t)snprintf(out + used, cap - used, "!%s@%llu:%u\n", block.rec_error[rec],
                                 (unsigned long long)pos.err_line[rec], pos.err_column[rec]);
        continue;
      }
      for (uint32_t f = block.rec_field[rec]; f < block.rec_field[rec + 1]; f++) {
        if (block.field_flags[f] == 0)
          used += (size_t)snprintf(out + used, cap - used, "~|");
        else
          used += (size_t)snprintf(out + used, cap - used, "%.*s|", (int)block.field_len[f],
                                   (const char *)block.bytes + block.field_start[f]);
      }
      used += (size_t)snprintf(out + used, cap - used, "\n");
      cr_assert_lt(used, cap);
    }
  }
  fr_xes_positions_free(&pos);
  fr_record_block_free(&block);
  fr_xes_reader_destroy(rd);
  fr_source_close(src);
  unlink(path);
  free(path);
  return status;
}

Test(xes_reader, rows_at_every_block_size) {
  fr_schema schema;
  table_schema(k_log, &schema);
  /* columns: 8 approvals, then case:amount, n, event:ts */
  const char *want =
      "C1|2020-01-02 03:04:05.5|a <1>|~|~|~|~|5.25|5.25|1|~|\n"
      "C1|~|b|~|~|~|~|7|5.25|2.5|~|\n"
      "C1|~|~|~|~|~|~|5.25|5.25|~|~|\n"
      "~|~|lonely|~|~|~|~|~|~|~|x|\n";
  static char got[8192];
  for (uint32_t max_records = 1; max_records <= 5; max_records++) {
    for (size_t target = 1; target <= 1 << 20; target *= 64) {
      fr_error err;
      fr_error_clear(&err);
      cr_assert_eq(read_all(k_log, &schema, max_records, target, got, sizeof got, &err), FR_OK,
                   "%s", err.msg);
      cr_expect_str_eq(got, want, "max_records %u, target %zu", max_records, target);
    }
  }
  fr_schema_free(&schema);
}

Test(xes_reader, malformed_xml_after_events_keeps_them) {
  const char *text = "<log><trace><string key=\"concept:name\" value=\"T\"/>\n"
                     "<event><string key=\"concept:name\" value=\"a\"/></event>\n"
                     "<event><string key=\"concept:name\" value=\"b\"/></event>\n"
                     "<event><string key=\"concept:name\" value=\"c\"></event>\n"
                     "</trace></log>\n";
  fr_schema schema;
  table_schema(text, &schema);
  for (uint32_t max_records = 1; max_records <= 3; max_records++) {
    char *path = write_temp(text, strlen(text));
    fr_source *src;
    cr_assert_eq(fr_source_open(&src, path, NULL), FR_OK);
    fr_xes_reader *rd;
    cr_assert_eq(fr_xes_reader_create(&rd, src, NULL, 0, &schema, 0, NULL), FR_OK);
    fr_record_block block;
    fr_record_block_init(&block);
    fr_xes_positions pos;
    fr_xes_positions_init(&pos);
    uint32_t n = 0;
    int eof = 0;
    fr_status status = FR_OK;
    fr_error err;
    fr_error_clear(&err);
    while (!eof && (status = fr_xes_reader_next(rd, &block, &pos, max_records, 1 << 20, &eof, &err)) == FR_OK)
      n += block.n_records;
    cr_expect_eq(n, 2, "the two complete events (max_records %u)", max_records);
    cr_expect_eq(status, FR_ERR_PARSE);
    cr_expect(strstr(err.msg, "malformed XML: mismatched tag") != NULL, "%s", err.msg);
    const uint8_t *tail;
    size_t tail_len;
    uint64_t line, column;
    fr_xes_reader_tail(rd, &tail, &tail_len, &line, &column);
    cr_expect_eq(line, 4);
    cr_expect_gt(column, 40);
    cr_expect(tail_len > 6 && memcmp(tail, "<event", 6) == 0, "the tail starts at the cut event");
    /* Once reported, the reader ends. */
    cr_expect_eq(fr_xes_reader_next(rd, &block, &pos, max_records, 1 << 20, &eof, NULL), FR_OK);
    cr_expect_eq(eof, 1);
    cr_expect_eq(block.n_records, 0);
    fr_xes_positions_free(&pos);
    fr_record_block_free(&block);
    fr_xes_reader_destroy(rd);
    fr_source_close(src);
    unlink(path);
    free(path);
  }
  fr_schema_free(&schema);
}

Test(xes_reader, bad_values_are_rejected_with_their_place) {
  const char *text = "<log><trace><string key=\"concept:name\" value=\"T\"/>\n"
                     "<event><date key=\"time:timestamp\" value=\"2020-02-30T00:00:00\"/></event>\n"
                     "<event><string key=\"x\" value=\"1\"/>\n"
                     "  <string key=\"x\" value=\"2\"/></event>\n"
                     "<event><string value=\"no key\"/></event>\n"
                     "<event><string key=\"only_later\" value=\"1\"/></event>\n"
                     "</trace></log>\n";
  fr_schema schema;
  table_schema(text, &schema);
  static char got[4096];
  cr_assert_eq(read_all(text, &schema, 100, 1 << 20, got, sizeof got, NULL), FR_OK);
  cr_expect_str_eq(got,
                   "T|2020-02-30 00:00:00|~|~|~|~|~|~|~|~|\n"
                   "!attribute key appears twice in the event@4:3\n"
                   "!an attribute has no key@5:8\n"
                   "T|~|~|~|~|~|~|~|~|1|\n");
  /* The impossible date is left for the converter, which rejects it in column ts. */
  char *path = write_temp(text, strlen(text));
  fr_source *src;
  cr_assert_eq(fr_source_open(&src, path, NULL), FR_OK);
  fr_xes_reader *rd;
  cr_assert_eq(fr_xes_reader_create(&rd, src, NULL, 0, &schema, 0, NULL), FR_OK);
  fr_record_block block;
  fr_record_block_init(&block);
  fr_xes_positions pos;
  fr_xes_positions_init(&pos);
  int eof;
  cr_assert_eq(fr_xes_reader_next(rd, &block, &pos, 100, 1 << 20, &eof, NULL), FR_OK);
  int32_t *identity = calloc(schema.n_columns, sizeof *identity);
  for (uint32_t c = 0; c < schema.n_columns; c++)
    identity[c] = (int32_t)c;
  fr_convert_spec spec = {&schema, identity, schema.n_columns, 0};
  fr_column *columns = calloc(schema.n_columns, sizeof *columns);
  for (uint32_t c = 0; c < schema.n_columns; c++)
    fr_column_init(&columns[c], schema.columns[c].type);
  fr_reject_list rejects = {0};
  cr_assert_eq(fr_convert_block(&block, 0, &spec, columns, &rejects), FR_OK);
  cr_expect_eq(columns[0].n_rows + rejects.n, block.n_records, "stored + rejected = events");
  cr_assert_eq(rejects.n, 3);
  cr_expect_eq(rejects.items[0].column, 1, "the ts column");
  uint32_t field = block.rec_field[rejects.items[0].rec_idx] + 1;
  cr_expect_eq(pos.field_line[field], 2, "the line of the time:timestamp attribute");
  cr_expect_eq(pos.field_column[field], 8);
  for (uint32_t c = 0; c < schema.n_columns; c++)
    fr_column_free(&columns[c]);
  free(columns);
  free(identity);
  fr_reject_list_free(&rejects);
  fr_xes_positions_free(&pos);
  fr_record_block_free(&block);
  fr_xes_reader_destroy(rd);
  fr_source_close(src);
  unlink(path);
  free(path);
  fr_schema_free(&schema);
}

Test(xes_reader, unknown_attribute_rejects_its_event) {
  fr_schema schema;
  table_schema("<log><trace><event><string key=\"concept:name\" value=\"a\"/></event></trace></log>",
               &schema);
  static char got[1024];
  cr_assert_eq(read_all("<log><trace><event><string key=\"concept:name\" value=\"a\"/></event>"
                        "<event><string key=\"new\" value=\"b\"/></event></trace></log>",
                        &schema, 10, 1 << 20, got, sizeof got, NULL),
               FR_OK);
  cr_expect(strncmp(got, "~|~|a|", 6) == 0, "%s", got);
  cr_expect(strstr(got, "!attribute has no column in the table") != NULL, "%s", got);
  fr_schema_free(&schema);
}

Test(xes_reader, oversized_event_is_one_rejected_record) {
  size_t big = 300000;
  char *text = malloc(big + 512);
  size_t n = (size_t)sprintf(text, "<log><trace><event><string key=\"concept:name\" value=\"");
  memset(text + n, 'v', big);
  n += big;
  n += (size_t)sprintf(text + n, "\"/></event><event><string key=\"concept:name\" value=\"ok\"/>"
                                 "</event></trace></log>");
  text[n] = '\0';
  fr_schema schema;
  table_schema(text, &schema);
  char *path = write_temp(text, n);
  fr_source *src;
  cr_assert_eq(fr_source_open(&src, path, NULL), FR_OK);
  fr_xes_reader *rd;
  /* A 64 KiB limit: the value fits one XML token budget (limit + one chunk), the
   * event does not. */
  cr_assert_eq(fr_xes_reader_create(&rd, src, NULL, 0, &schema, 65536, NULL), FR_OK);
  fr_record_block block;
  fr_record_block_init(&block);
  fr_xes_positions pos;
  fr_xes_positions_init(&pos);
  int eof = 0;
  uint32_t records = 0, rejected = 0;
  while (!eof) {
    cr_assert_eq(fr_xes_reader_next(rd, &block, &pos, 10, 1 << 20, &eof, NULL), FR_OK);
    for (uint32_t rec = 0; rec < block.n_records; rec++) {
      records++;
      if (block.rec_error[rec] != NULL) {
        rejected++;
        cr_expect(strstr(block.rec_error[rec], "maximum record size") != NULL);
        cr_expect_leq(block.rec_end[rec] - block.rec_start[rec], 1024, "an excerpt only");
      }
    }
  }
  cr_expect_eq(records, 2);
  cr_expect_eq(rejected, 1);
  fr_xes_positions_free(&pos);
  fr_record_block_free(&block);
  fr_xes_reader_destroy(rd);
  fr_source_close(src);
  unlink(path);
  free(path);
  free(text);
  fr_schema_free(&schema);
}

Test(xes_reader, every_allocation_failure_is_reported) {
  fr_schema schema;
  table_schema(k_log, &schema);
  static char got[8192];
  int completed = 0;
  for (long n_ok = 0; n_ok < 400 && !completed; n_ok++) {
    fr_error err;
    fr_error_clear(&err);
    fr_alloc_fail_after(n_ok);
    fr_status status = read_all(k_log, &schema, 2, 1 << 20, got, sizeof got, &err);
    fr_alloc_fail_after(-1);
    cr_assert(status == FR_OK || status == FR_ERR_NOMEM, "n_ok %ld: %s", n_ok, fr_status_str(status));
    if (status == FR_ERR_NOMEM)
      cr_expect(err.msg[0] != '\0', "n_ok %ld: no message", n_ok);
    completed = status == FR_OK;
  }
  cr_expect(completed, "the read succeeds once allocations stop failing");
  fr_schema_free(&schema);
}
