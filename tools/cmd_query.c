/* cmd_query.c - `ferret query STORE SQL`: one SQL statement over a store
 * snapshot, printed as an aligned table, CSV or JSON lines. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char fr_query_help[] =
    "usage: ferret query STORE SQL [--format table|csv|json] [--memory-limit SIZE] [--threads N]\n"
    "\n"
    "Runs one SELECT over the tables of STORE and prints the result: table (aligned, for\n"
    "people; the default), csv (RFC 4180 with a header row; NULL is an empty field) or\n"
    "json (one object per row).  Values are rendered as DuckDB renders them.\n"
    "\n"
    "The SQL subset (DESIGN.md): SELECT [DISTINCT], expressions and aliases, FROM one table\n"
    "or INNER / LEFT equi-joins, WHERE, GROUP BY [ALL], HAVING, ORDER BY ... [NULLS FIRST|LAST]\n"
    "(or ORDER BY ALL), LIMIT / OFFSET, WITH, UNION / EXCEPT / INTERSECT [ALL], QUALIFY;\n"
    "count, count(DISTINCT), sum, avg, min, max, median, quantile_cont, stddev_samp; CASE,\n"
    "CAST, COALESCE, IN, BETWEEN, LIKE / ILIKE, IS NULL, IS [NOT] DISTINCT FROM, abs, round,\n"
    "floor, ceil, lower, upper, length, substr, date_trunc, date_part, date_diff, extract,\n"
    "strftime; window functions row_number, rank, lag, lead and sum / count / min / max /\n"
    "avg OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE ...).\n"
    "\n"
    "--memory-limit SIZE  stop with an error when the query needs more (e.g. 512M, 4G;\n"
    "                     default 80%% of physical memory)\n"
    "\n"
    "example:\n"
    "  ferret query store \"SELECT payee, sum(amount) AS total FROM payments\n"
    "                      WHERE ts >= '2024-12-01' GROUP BY payee ORDER BY total DESC LIMIT 20\"\n";

static int fr_query_emit(void *ctx, const void *bytes, size_t len) {
  (void)ctx;
  return fwrite(bytes, 1, len, stdout) == len ? 0 : -1;
}

int fr_cmd_query(int argc, char **argv) {
  const char *format = NULL, *memory = NULL;
  fr_cli_opt opts[] = {{"format", 1, &format, NULL}, {"memory-limit", 1, &memory, NULL}, {NULL, 0, NULL, NULL}};
  fr_cli_args args;
  int rc = fr_cli_parse("query", argc, argv, opts, &args);
  if (rc != 0)
    return rc;
  if (args.help) {
    printf(fr_query_help);
    return FR_EXIT_OK;
  }
  if (args.n_pos != 2)
    return fr_cli_usage("query", "expected STORE and one SQL statement (quote it)");
  fr_output_format out_format = FR_OUTPUT_TABLE;
  if (format != NULL && fr_output_format_parse(&out_format, format) != 0)
    return fr_cli_usage("query", "unknown --format %s (expected table, csv or json)", format);
  fr_query_options qopts = {args.threads, 0};
  if (memory != NULL) {
    size_t bytes;
    if (fr_cli_parse_size(memory, &bytes) != 0 || bytes == 0)
      return fr_cli_usage("query", "bad --memory-limit %s (write e.g. 512M or 4G)", memory);
    qopts.memory_limit = bytes;
  }
  static char buffer[1 << 20];
  setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  fr_error err;
  fr_error_clear(&err);
  fr_store *store;
  fr_status status = fr_store_open(&store, args.pos[0], &err);
  if (status != FR_OK)
    return fr_cli_fail("query", status, &err);
  fr_result *result;
  status = fr_sql_execute(store, args.pos[1], &qopts, &result, &err);
  if (status == FR_OK) {
    status = fr_result_render(result, out_format, fr_query_emit, NULL, &err);
    fr_result_free(result);
  }
  fr_store_close(store);
  if (fflush(stdout) != 0 && status == FR_OK)
    status = fr_error_set(&err, FR_ERR_IO, "cannot write standard output");
  if (status != FR_OK)
    return fr_cli_fail("query", status, &err);
  return FR_EXIT_OK;
}
