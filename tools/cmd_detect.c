/* cmd_detect.c - `ferret detect --list` and `ferret detect STORE DETECTOR
 * [--set NAME=VALUE]... [--explain] [--format table|csv|json]`: runs one detector
 * of DETECTORS.md over a store and prints its findings. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fr_cardinal.h"

static const char fr_detect_help[] =
    "usage: ferret detect --list\n"
    "       ferret detect STORE DETECTOR [--set NAME=VALUE]... [--explain]\n"
    "                                    [--format table|csv|json] [--threads N]\n"
    "       ferret detect STORE cardinal [--settings FILE] [--set prefix=NAME]\n"
    "\n"
    "Runs one detector (by id, e.g. F3, or name, e.g. split_payment) over the store\n"
    "and prints one finding per line: table (aligned, default), csv (header row) or\n"
    "json (one object per line: detector, id, score, subject, org, summary, first_ts,\n"
    "last_ts, evidence, details).  --set overrides a parameter or names a column or\n"
    "table (`--set payee=vendor_id`, `--set payments=spend`); --list shows every\n"
    "detector with its parameters and defaults.  --explain adds the evidence rows.\n"
    "`cardinal` runs the cardinal-rs indicators (settings file in its INI format) over\n"
    "the tables of `ingest --format ocds` (prefix ocds) and prints its JSON result.\n"
    "Exit status: 0 (with or without findings), 2 bad usage or input, 3 failure.\n";

#define FR_MAX_SETS 256

/* `detect STORE cardinal`: its only --set is prefix=NAME (the OCDS tables). */
static int fr_cmd_detect_cardinal(const char *store_dir, const char *settings, const char *const *sets, int n_sets) {
  const char *prefix = "ocds";
  for (int k = 0; k < n_sets; k++) {
    if (strncmp(sets[k], "prefix=", 7) != 0 || sets[k][7] == '\0')
      return fr_cli_usage("detect", "cardinal takes only --set prefix=NAME, got \"%s\"", sets[k]);
    prefix = sets[k] + 7;
  }
  fr_error err;
  fr_error_clear(&err);
  fr_store *store = NULL;
  fr_status status = fr_store_open(&store, store_dir, &err);
  fr_buf text;
  fr_buf_init(&text);
  if (status == FR_OK)
    status = fr_cardinal_run(&text, store, prefix, settings, &err);
  fr_store_close(store);
  if (status != FR_OK) {
    fr_buf_free(&text);
    return fr_cli_fail("detect", status, &err);
  }
  /* an empty result has no buffer: fwrite must not see a NULL pointer */
  int failed = text.failed || (text.len > 0 && fwrite(text.data, 1, text.len, stdout) != text.len) ||
               fflush(stdout) != 0;
  fr_buf_free(&text);
  if (failed) {
    fprintf(stderr, "ferret detect: cannot write standard output\n");
    return FR_EXIT_FAILURE;
  }
  return FR_EXIT_OK;
}

int fr_cmd_detect(int argc, char **argv) {
  /* --set may repeat: collect its values before the common parser sees them */
  const char *sets[FR_MAX_SETS];
  int n_sets = 0;
  char *rest[4096];
  int n_rest = 0;
  for (int k = 0; k < argc; k++) {
    const char *arg = argv[k];
    if (strcmp(arg, "--") == 0) {
      for (; k < argc && n_rest < 4096; k++) rest[n_rest++] = argv[k];
      break;
    }
    const char *value = NULL;
    if (strcmp(arg, "--set") == 0) {
      if (k + 1 >= argc)
        return fr_cli_usage("detect", "option --set needs NAME=VALUE");
      value = argv[++k];
    } else if (strncmp(arg, "--set=", 6) == 0) {
      value = arg + 6;
    }
    if (value != NULL) {
      if (n_sets == FR_MAX_SETS)
        return fr_cli_usage("detect", "too many --set options");
      sets[n_sets++] = value;
      continue;
    }
    if (n_rest == 4096)
      return fr_cli_usage("detect", "too many arguments");
    rest[n_rest++] = argv[k];
  }
  const char *format = NULL, *settings = NULL;
  int list = 0, explain = 0;
  fr_cli_opt opts[] = {{"format", 1, &format, NULL},
                       {"settings", 1, &settings, NULL},
                       {"list", 0, NULL, &list},
                       {"explain", 0, NULL, &explain},
                       {NULL, 0, NULL, NULL}};
  fr_cli_args args;
  int rc = fr_cli_parse("detect", n_rest, rest, opts, &args);
  if (rc != 0)
    return rc;
  if (args.help) {
    fputs(fr_detect_help, stdout);
    return FR_EXIT_OK;
  }
  if (list) {
    if (args.n_pos != 0 || n_sets != 0)
      return fr_cli_usage("detect", "--list takes no other arguments");
    fr_buf text;
    fr_buf_init(&text);
    fr_detect_write_list(&text);
    /* an empty result has no buffer: fwrite must not see a NULL pointer */
  int failed = text.failed || (text.len > 0 && fwrite(text.data, 1, text.len, stdout) != text.len) ||
               fflush(stdout) != 0;
    fr_buf_free(&text);
    return failed ? FR_EXIT_FAILURE : FR_EXIT_OK;
  }
  if (args.n_pos != 2)
    return fr_cli_usage("detect", "expected STORE DETECTOR (or --list)");
  fr_output_format out_format = FR_OUTPUT_TABLE;
  if (format != NULL && fr_output_format_parse(&out_format, format) != 0)
    return fr_cli_usage("detect", "unknown --format %s (expected table, csv or json)", format);
  if (explain && out_format == FR_OUTPUT_CSV)
    return fr_cli_usage("detect", "--explain works with --format table or json");
  if (strcmp(args.pos[1], "cardinal") == 0)
    return fr_cmd_detect_cardinal(args.pos[0], settings, sets, n_sets);
  if (settings != NULL)
    return fr_cli_usage("detect", "--settings is for `detect STORE cardinal`");
  const fr_detector_info *d = fr_detect_find(args.pos[1]);
  if (d == NULL) {
    fprintf(stderr, "ferret detect: unknown detector \"%s\"; known:", args.pos[1]);
    for (uint32_t k = 0; k < fr_detect_count(); k++)
      fprintf(stderr, " %s (%s)%s", fr_detect_at(k)->id, fr_detect_at(k)->name,
              k + 1 < fr_detect_count() ? "," : "\n");
    return FR_EXIT_USAGE;
  }
  fr_error err;
  fr_error_clear(&err);
  fr_detect_params *params = NULL;
  fr_status status = fr_detect_params_create(&params, d, &err);
  for (int k = 0; k < n_sets && status == FR_OK; k++)
    status = fr_detect_params_set_pair(params, sets[k], &err);
  if (status != FR_OK) {
    fr_detect_params_destroy(params);
    return fr_cli_fail("detect", status, &err);
  }
  fr_store *store = NULL;
  status = fr_store_open(&store, args.pos[0], &err);
  fr_findings *findings = NULL;
  if (status == FR_OK)
    status = fr_detect_run(&findings, store, d, params, &err);
  if (status == FR_OK && explain)
    status = fr_detect_explain(findings, store, &err);
  fr_detect_params_destroy(params);
  if (status != FR_OK) {
    fr_findings_destroy(findings);
    fr_store_close(store);
    return fr_cli_fail("detect", status, &err);
  }
  fr_buf text;
  fr_buf_init(&text);
  fr_findings_write(&text, findings, out_format, explain);
  /* an empty result has no buffer: fwrite must not see a NULL pointer */
  int failed = text.failed || (text.len > 0 && fwrite(text.data, 1, text.len, stdout) != text.len) ||
               fflush(stdout) != 0;
  fr_buf_free(&text);
  fr_findings_destroy(findings);
  fr_store_close(store);
  if (failed) {
    fprintf(stderr, "ferret detect: cannot write standard output\n");
    return FR_EXIT_FAILURE;
  }
  return FR_EXIT_OK;
}
