/* cmd_scan.c - `ferret scan STORE [--rules FILE] [--out DIR] [--since last|TS]
 * [--full] [--fail-on-findings]`: the nightly scan (engine/scan/): runs a rule
 * pack over what is new in the store, keeps the findings store inside it, writes
 * findings.json, findings.csv and report.html, and tells a scheduler by its exit
 * status whether anything new was found. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char fr_scan_help[] =
    "usage: ferret scan STORE [--rules FILE] [--out DIR] [--since last|TS] [--full]\n"
    "                         [--fail-on-findings] [--no-wait] [--quiet] [--threads N]\n"
    "       ferret scan --print-default-rules\n"
    "       ferret scan --check --rules FILE\n"
    "\n"
    "Runs a rule pack over the store and reports the findings not reported before.\n"
    "Each rule is re-run only when a table it reads has new rows since its last scan;\n"
    "rules with a bounded look-back (F2, F3, F5, F6, F9, F11, F12) read only the new\n"
    "rows plus that look-back, the others the whole table.  Findings are kept in\n"
    "STORE/findings/FINDINGS with first-seen and last-seen times; a finding already\n"
    "reported is listed as still open, not as new.\n"
    "\n"
    "options:\n"
    "  --rules FILE          rule pack (default: every detector of `ferret detect --list`\n"
    "                        with its defaults; see --print-default-rules)\n"
    "  --out DIR             where findings.json, findings.csv and report.html go\n"
    "                        (default STORE/report)\n"
    "  --since last|TS       what counts as new: rows added since the last scan (last,\n"
    "                        the default) or rows from timestamp/date TS on\n"
    "  --full                run every rule over whole tables\n"
    "  --fail-on-findings    exit 1 when there are new findings\n"
    "  --no-wait             fail (exit 3) instead of waiting while an ingest or another\n"
    "                        scan holds the store's lock\n"
    "  --check               only check the rule pack (line numbers for each problem)\n"
    "  --print-default-rules print the default pack in rule-pack syntax and exit\n"
    "  --quiet               print nothing on success\n"
    "\n"
    "Exit status: 0 done (no new findings, or no --fail-on-findings), 1 new findings\n"
    "with --fail-on-findings, 2 bad usage, rule pack or store path, 3 I/O failure, a\n"
    "damaged store or a busy lock with --no-wait.  A scan that stops early records\n"
    "nothing; the next one redoes its work.\n";

static int fr_write_stdout(const fr_buf *text) {
  return text->failed || fwrite(text->data, 1, text->len, stdout) != text->len || fflush(stdout) != 0;
}

int fr_cmd_scan(int argc, char **argv) {
  const char *rules_path = NULL, *out_dir = NULL, *since = NULL;
  int full = 0, fail_on = 0, no_wait = 0, print_default = 0, check = 0, quiet = 0;
  fr_cli_opt opts[] = {{"rules", 1, &rules_path, NULL},
                       {"out", 1, &out_dir, NULL},
                       {"since", 1, &since, NULL},
                       {"full", 0, NULL, &full},
                       {"fail-on-findings", 0, NULL, &fail_on},
                       {"no-wait", 0, NULL, &no_wait},
                       {"print-default-rules", 0, NULL, &print_default},
                       {"check", 0, NULL, &check},
                       {"quiet", 0, NULL, &quiet},
                       {NULL, 0, NULL, NULL}};
  fr_cli_args args;
  int rc = fr_cli_parse("scan", argc, argv, opts, &args);
  if (rc != 0)
    return rc;
  if (args.help) {
    fputs(fr_scan_help, stdout);
    return FR_EXIT_OK;
  }
  fr_error err;
  fr_error_clear(&err);
  if (print_default) {
    if (args.n_pos != 0 || rules_path != NULL)
      return fr_cli_usage("scan", "--print-default-rules takes no other arguments");
    fr_rule_pack *pack = NULL;
    fr_status status = fr_rule_pack_default(&pack, &err);
    if (status != FR_OK)
      return fr_cli_fail("scan", status, &err);
    fr_buf text;
    fr_buf_init(&text);
    fr_rule_pack_write(&text, pack);
    int failed = fr_write_stdout(&text);
    fr_buf_free(&text);
    fr_rule_pack_destroy(pack);
    return failed ? FR_EXIT_FAILURE : FR_EXIT_OK;
  }
  if (check) {
    if (rules_path == NULL || args.n_pos > 1)
      return fr_cli_usage("scan", "--check needs --rules FILE");
  } else if (args.n_pos != 1) {
    return fr_cli_usage("scan", "expected one STORE");
  }
  if (full && since != NULL)
    return fr_cli_usage("scan", "--full and --since exclude each other");
  fr_scan_options opt;
  memset(&opt, 0, sizeof opt);
  opt.store_dir = args.n_pos ? args.pos[0] : NULL;
  opt.out_dir = out_dir;
  opt.full = full;
  opt.wait = !no_wait;
  if (since != NULL && strcmp(since, "last") != 0) {
    int64_t v;
    if (fr_parse_timestamp(&v, since, strlen(since)) == NULL) {
      opt.since_us = v;
    } else if (fr_parse_date(&v, since, strlen(since)) == NULL) {
      opt.since_us = v * FR_US_PER_DAY;
    } else {
      return fr_cli_usage("scan", "--since \"%s\": expected last, YYYY-MM-DD or YYYY-MM-DD HH:MM:SS", since);
    }
    opt.has_since = 1;
  }
  /* The rule pack is checked whole before anything runs. */
  fr_rule_pack *pack = NULL;
  fr_buf diag;
  fr_buf_init(&diag);
  fr_status status = rules_path != NULL ? fr_rule_pack_load(&pack, rules_path, &diag, &err)
                                        : fr_rule_pack_default(&pack, &err);
  if (diag.len > 0)
    fwrite(diag.data, 1, diag.len, stderr);
  fr_buf_free(&diag);
  if (status != FR_OK)
    return fr_cli_fail("scan", status, &err);
  if (check) {
    if (!quiet)
      printf("%s: %u rule%s, ok\n", pack->source, pack->n_rules, pack->n_rules == 1 ? "" : "s");
    fr_rule_pack_destroy(pack);
    return FR_EXIT_OK;
  }
  opt.pack = pack;
  fr_scan_result *res = NULL;
  status = fr_scan_run(&res, &opt, &err);
  if (status != FR_OK) {
    fr_rule_pack_destroy(pack);
    return fr_cli_fail("scan", status, &err);
  }
  if (!quiet) {
    fr_buf text;
    fr_buf_init(&text);
    char line[1200];
    int n = snprintf(line, sizeof line,
                     "scan %llu of %s (store version %llu): %u new finding%s (%u updating an earlier one), "
                     "%u still open, %u closed\n",
                     (unsigned long long)res->scan_seq, opt.store_dir, (unsigned long long)res->store_version,
                     res->n_new, res->n_new == 1 ? "" : "s", res->n_updated, res->n_open, res->n_closed);
    fr_buf_put(&text, line, (size_t)n);
    for (uint32_t k = 0; k < res->n_rules; k++) {
      const fr_scan_rule_result *r = &res->rules[k];
      n = snprintf(line, sizeof line, "  %-24s %-4s %-9s %9llu of %9llu rows read, %4u new, %4u closed  (%s)\n",
                   r->rule->name, r->rule->detector->id, fr_scan_mode_name(r->mode),
                   (unsigned long long)r->rows_loaded, (unsigned long long)r->rows_total, r->n_new, r->n_closed,
                   r->why);
      fr_buf_put(&text, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
    n = snprintf(line, sizeof line, "report: %s/report.html\n", res->out_dir);
    fr_buf_put(&text, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    if (fr_write_stdout(&text))
      fprintf(stderr, "ferret scan: cannot write standard output\n");
    fr_buf_free(&text);
  }
  for (uint32_t k = 0; k < res->n_rules; k++)
    if (res->rules[k].mode == FR_SCAN_SKIPPED && rules_path != NULL)
      fprintf(stderr, "ferret scan: rule [%s] not run: %s\n", res->rules[k].rule->name, res->rules[k].why);
  int exit_code = fail_on && res->n_new > 0 ? FR_EXIT_FINDINGS : FR_EXIT_OK;
  fr_scan_result_destroy(res);
  fr_rule_pack_destroy(pack);
  return exit_code;
}
