/* cmd_verify.c - `ferret verify STORE`: read and check every chunk. */
#include <stdio.h>

#include "cli.h"

static const char fr_verify_help[] =
    "usage: ferret verify STORE [--threads N]\n"
    "\n"
    "Reads every chunk of every segment of every table, checks its checksum (bound to\n"
    "the chunk's place, so swapped chunks are caught) and that it decodes, checks the\n"
    "segments against the manifest and the manifest against its history, and\n"
    "recomputes each table's control totals.  Names each damaged table, segment,\n"
    "row group and column.  Exit status 0 when intact, 3 on any damage.\n";

int fr_cmd_verify(int argc, char **argv) {
  fr_cli_args args;
  int rc = fr_cli_parse("verify", argc, argv, NULL, &args);
  if (rc != 0)
    return rc;
  if (args.help) {
    fputs(fr_verify_help, stdout);
    return FR_EXIT_OK;
  }
  if (args.n_pos != 1)
    return fr_cli_usage("verify", "expected STORE");
  fr_verify_report report;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_store_verify(args.pos[0], &report, &err);
  if (status != FR_OK)
    return fr_cli_fail("verify", status, &err);
  for (uint32_t idx = 0; idx < report.n_notes; idx++)
    fprintf(stderr, "note: %s\n", report.notes[idx]);
  for (uint32_t idx = 0; idx < report.n_problems; idx++)
    fprintf(stderr, "DAMAGED: %s\n", report.problems[idx]);
  if (report.n_problems > 0) {
    fprintf(stderr, "ferret verify: %s: %u problem%s found; restore the damaged files from a backup "
                    "or re-ingest the tables named above\n",
            args.pos[0], report.n_problems, report.n_problems == 1 ? "" : "s");
    rc = FR_EXIT_FAILURE;
  } else {
    printf("ok: %llu tables, %llu segments, %llu chunks, %llu rows verified (%.1f MB read)\n",
           (unsigned long long)report.n_tables, (unsigned long long)report.n_segments,
           (unsigned long long)report.n_chunks, (unsigned long long)report.n_rows,
           (double)report.bytes_read / 1e6);
  }
  fr_verify_report_free(&report);
  return rc;
}
