/* cmd_ingest.c - `ferret ingest STORE TABLE FILE...`: load files, print the
 * reconciliation and control totals, show progress on a terminal. */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli.h"

static const char fr_ingest_help[] =
    "usage: ferret ingest STORE TABLE FILE... [options]\n"
    "\n"
    "Loads CSV, JSON-lines or XES files (plain, .zst or .gz; - for standard input) into\n"
    "TABLE of the store STORE (created when missing).  Every input row is either\n"
    "stored or written to the rejects file with its file, line, column and reason;\n"
    "the whole ingest commits atomically.\n"
    "\n"
    "options:\n"
    "  --format FMT         csv, jsonl, xes or ocds (default: from the file name; .jsonl,\n"
    "                       .ndjson and .json are JSON lines, .xes XES, the rest CSV;\n"
    "                       ocds only when given: OCDS compiled releases, one per line,\n"
    "                       into TABLE_processes, _parties, _bids, _awards, _items)\n"
    "  --schema FILE        column types, one `name type` per line (types: string,\n"
    "                       int64, float64, decimal(18,2), timestamp, date, bool)\n"
    "  --delimiter C        CSV field separator (\\t for tab; default: sniffed from the\n"
    "                       header line, , unless it has none and has ; tab or |)\n"
    "  --rejects FILE       where rejected rows go (default STORE/rejects/TABLE-vN-TIME.csv)\n"
    "  --strict             store nothing when any row is bad\n"
    "  --max-record SIZE    longest accepted record (default 4M)\n"
    "  --threads N          worker threads (default: all cores or OMP_NUM_THREADS)\n"
    "  --quiet              print nothing on success\n"
    "\n"
    "Column types: --schema, else the canonical audit schema for canonical tables\n"
    "(payments, approvals, posts, entities, relations, tenders, bids, subsidies),\n"
    "else inferred from the first rows.  Appending to an existing table requires the\n"
    "same column names (any order).\n"
    "\n"
    "XES event logs give one row per event: case_id (the trace's concept:name), ts\n"
    "(time:timestamp, the local time as written, its zone offset dropped), activity\n"
    "(concept:name), actor (org:resource), org, service, applicant, amount (attributes\n"
    "of those names, the event's or else the trace's), then every other event\n"
    "attribute under its key and every trace attribute as case:KEY, typed by the XES\n"
    "element.  Columns are found by a first pass over the file (standard input: its\n"
    "first 64 MiB).  Malformed XML keeps the events before it and rejects the rest of\n"
    "the file with the line and column of the error.  Appending a log to a table\n"
    "needs every column the log fills to exist there.\n"
    "\n"
    "exit status: 0 all rows stored; 2 bad usage, bad input, or rows rejected (the\n"
    "good rows are stored unless --strict); 3 I/O or internal failure.\n";

typedef struct fr_progress_state {
  double start_s;
  double last_s;
  int shown;
} fr_progress_state;

static double fr_now_s(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void fr_ingest_progress(void *ctx, uint64_t done, uint64_t total, uint64_t rows) {
  fr_progress_state *state = ctx;
  double now = fr_now_s();
  if (now - state->last_s < 0.2)
    return;
  state->last_s = now;
  state->shown = 1;
  double rate = (double)rows / (now - state->start_s + 1e-9);
  if (total > 0) {
    double frac = (double)done / (double)total;
    if (frac > 1)
      frac = 1;
    int width = 30, filled = (int)(frac * width);
    char bar[31];
    for (int idx = 0; idx < width; idx++)
      bar[idx] = idx < filled ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r  [%s] %3.0f%%  %llu rows  %.1fM rows/s ", bar, frac * 100,
            (unsigned long long)rows, rate / 1e6);
  } else {
    fprintf(stderr, "\r  %llu rows  %.1fM rows/s ", (unsigned long long)rows, rate / 1e6);
  }
  fflush(stderr);
}

int fr_cmd_ingest(int argc, char **argv) {
  const char *format = NULL, *schema = NULL, *rejects = NULL, *delimiter = NULL, *max_record = NULL;
  int strict = 0, quiet = 0;
  fr_cli_opt opts[] = {
      {"format", 1, &format, NULL},     {"schema", 1, &schema, NULL},
      {"rejects", 1, &rejects, NULL},   {"delimiter", 1, &delimiter, NULL},
      {"max-record", 1, &max_record, NULL},
      {"strict", 0, NULL, &strict},     {"quiet", 0, NULL, &quiet},
      {NULL, 0, NULL, NULL},
  };
  fr_cli_args args;
  int rc = fr_cli_parse("ingest", argc, argv, opts, &args);
  if (rc != 0)
    return rc;
  if (args.help) {
    fputs(fr_ingest_help, stdout);
    return FR_EXIT_OK;
  }
  if (args.n_pos < 3)
    return fr_cli_usage("ingest", "expected STORE TABLE FILE..., got %d argument%s", args.n_pos,
                        args.n_pos == 1 ? "" : "s");
  fr_ingest_options options;
  fr_ingest_options_default(&options);
  options.table = args.pos[1];
  options.files = &args.pos[2];
  options.n_files = (uint32_t)(args.n_pos - 2);
  options.schema_file = schema;
  options.rejects_path = rejects;
  options.strict = strict;
  int stdin_count = 0;
  for (uint32_t f = 0; f < options.n_files; f++)
    stdin_count += strcmp(options.files[f], "-") == 0;
  if (stdin_count > 1)
    return fr_cli_usage("ingest", "standard input (-) can be read only once");
  if (format != NULL) {
    if (strcmp(format, "csv") == 0)
      options.format = FR_INPUT_CSV;
    else if (strcmp(format, "jsonl") == 0 || strcmp(format, "json") == 0)
      options.format = FR_INPUT_JSONL;
    else if (strcmp(format, "xes") == 0)
      options.format = FR_INPUT_XES;
    else if (strcmp(format, "ocds") == 0)
      options.format = FR_INPUT_OCDS;
    else
      return fr_cli_usage("ingest", "unknown --format %s (expected csv, jsonl, xes or ocds)", format);
  }
  if (delimiter != NULL) {
    if (strcmp(delimiter, "\\t") == 0 || strcmp(delimiter, "tab") == 0)
      options.delimiter = '\t';
    else if (strlen(delimiter) == 1 && delimiter[0] != '"' && delimiter[0] != '\n' && delimiter[0] != '\r')
      options.delimiter = delimiter[0];
    else
      return fr_cli_usage("ingest", "--delimiter must be one character other than a quote or newline");
  }
  if (max_record != NULL) {
    size_t bytes;
    if (fr_cli_parse_size(max_record, &bytes) != 0 || bytes < 1024 || bytes > ((size_t)1 << 30))
      return fr_cli_usage("ingest", "--max-record must be a size from 1K to 1G (e.g. 16M)");
    options.max_record_bytes = bytes;
  }
  fr_progress_state progress = {fr_now_s(), fr_now_s(), 0};
  if (isatty(STDERR_FILENO) && !quiet) {
    options.progress = fr_ingest_progress;
    options.progress_ctx = &progress;
  }
  fr_ingest_result res;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_ingest(args.pos[0], &options, &res, &err);
  if (progress.shown)
    fprintf(stderr, "\r%*s\r", 78, "");
  for (uint32_t s = 0; s < res.n_samples; s++)
    fprintf(stderr, "ferret ingest: rejected %s\n", res.samples[s]);
  if (res.rows_rejected > res.n_samples)
    fprintf(stderr, "ferret ingest: ... and %llu more rejected rows\n",
            (unsigned long long)(res.rows_rejected - res.n_samples));
  if (status != FR_OK) {
    rc = fr_cli_fail("ingest", status, &err);
    fr_ingest_result_free(&res);
    return rc;
  }
  double elapsed = fr_now_s() - progress.start_s;
  if (!quiet || res.rows_rejected > 0) {
    printf("ingested %u file%s into %s (store version %llu) in %.2f s\n", options.n_files,
           options.n_files == 1 ? "" : "s", options.table, (unsigned long long)res.version, elapsed);
    printf("  rows read      %llu\n", (unsigned long long)res.rows_read);
    printf("  rows stored    %llu\n", (unsigned long long)res.rows_stored);
    printf("  rows rejected  %llu%s%s\n", (unsigned long long)res.rows_rejected,
           res.rows_rejected ? "  -> " : "", res.rows_rejected ? res.rejects_path : "");
    printf("  reconciliation %llu = %llu + %llu  %s\n", (unsigned long long)res.rows_read,
           (unsigned long long)res.rows_stored, (unsigned long long)res.rows_rejected,
           res.rows_read == res.rows_stored + res.rows_rejected ? "ok" : "MISMATCH");
    printf("  control totals rows %llu", (unsigned long long)res.rows_stored);
    for (uint32_t c = 0; c < res.schema.n_columns; c++) {
      if (res.schema.columns[c].type != FR_TYPE_DECIMAL)
        continue;
      char sum[64];
      fr_format_decimal_sum(sum, res.decimal_sums ? res.decimal_sums[c] : 0);
      printf("; sum(%s) %s", res.schema.columns[c].name, sum);
    }
    printf("\n");
    if (res.xes_traces > 0 || res.xes_events > 0)
      printf("  XES            %llu traces, %llu events%s\n", (unsigned long long)res.xes_traces,
             (unsigned long long)res.xes_events,
             res.xes_skipped ? " (list/container/nested attributes not stored)" : "");
    if (res.input_bytes > 0)
      printf("  input %.1f MB at %.0f MB/s, stored %.1f MB\n", (double)res.input_bytes / 1e6,
             (double)res.input_bytes / 1e6 / (elapsed > 0 ? elapsed : 1e-9),
             (double)res.stored_bytes / 1e6);
  }
  if (res.rows_rejected > 0) {
    fprintf(stderr, "ferret ingest: %llu row%s rejected; the other %llu rows are stored. "
                    "Fix the rows listed in %s and ingest them again.\n",
            (unsigned long long)res.rows_rejected, res.rows_rejected == 1 ? "" : "s",
            (unsigned long long)res.rows_stored, res.rejects_path);
    rc = FR_EXIT_USAGE;
  }
  fr_ingest_result_free(&res);
  return rc;
}
