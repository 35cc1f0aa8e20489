/* cmd_export.c - `ferret export STORE TABLE [--format csv|json]`: a table back
 * to text, exactly as ingest reads it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char fr_export_help[] =
    "usage: ferret export STORE TABLE [--format csv|json] [--threads N]\n"
    "\n"
    "Writes every row of TABLE to standard output: csv (RFC 4180 with a header row;\n"
    "NULL is an empty field, an empty string is \"\") or json (one object per line).\n"
    "Every chunk is checksum-verified as it is read.\n";

static int fr_emit_stdout(void *ctx, const void *bytes, size_t len) {
  (void)ctx;
  return fwrite(bytes, 1, len, stdout) == len ? 0 : -1;
}

int fr_cmd_export(int argc, char **argv) {
  const char *format = NULL;
  fr_cli_opt opts[] = {{"format", 1, &format, NULL}, {NULL, 0, NULL, NULL}};
  fr_cli_args args;
  int rc = fr_cli_parse("export", argc, argv, opts, &args);
  if (rc != 0)
    return rc;
  if (args.help) {
    fputs(fr_export_help, stdout);
    return FR_EXIT_OK;
  }
  if (args.n_pos != 2)
    return fr_cli_usage("export", "expected STORE TABLE");
  fr_output_format out_format = FR_OUTPUT_CSV;
  if (format != NULL && (fr_output_format_parse(&out_format, format) != 0 || out_format == FR_OUTPUT_TABLE))
    return fr_cli_usage("export", "unknown --format %s (expected csv or json)", format);
  static char buffer[1 << 20];
  setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  fr_store *store;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_store_open(&store, args.pos[0], &err);
  if (status != FR_OK)
    return fr_cli_fail("export", status, &err);
  status = fr_table_export(store, args.pos[1], out_format, fr_emit_stdout, NULL, &err);
  fr_store_close(store);
  if (fflush(stdout) != 0 && status == FR_OK)
    status = fr_error_set(&err, FR_ERR_IO, "cannot write standard output");
  if (status != FR_OK)
    return fr_cli_fail("export", status, &err);
  return FR_EXIT_OK;
}
