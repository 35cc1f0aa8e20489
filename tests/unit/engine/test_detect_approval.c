/* test_detect_approval.c - the approval detectors A1-A7 (engine/detect/
 * fr_detect_approval.c) and their case kernel (fr_detect_case.c) on tiny
 * hand-made stores (3 rows per row group) that sit on the rule boundaries: ties in
 * ts kept in input order, inclusive SLA and handover windows, strict "< 120 s",
 * exact medians and quantiles of the bottleneck picture, thread invariance and
 * injected allocation failures.  The truth / DuckDB comparisons on generated and
 * real logs are tests/e2e/test_detect_approval.sh. */
#include <criterion/criterion.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_detect_case.h"
#include "fr_ingest.h"
#include "detect_harness.h"

#define APR "case_id,ts,activity,actor,org,service,applicant,amount\n"

TestSuite(detect_approval, .init = make_tmp, .fini = rm_tmp);

Test(detect_approval, catalogue_has_a1_to_a7_after_f) {
  const char *names[] = {"self_approval", "sequence_violation", "sla_breach", "bottleneck",
                         "repeated_visits", "handover_stall", "rubber_stamp"};
  for (uint32_t k = 0; k < 7; k++) {
    char id[8];
    snprintf(id, sizeof id, "A%u", k + 1);
    const fr_detector_info *d = fr_detect_find(id);
    cr_assert_not_null(d, "%s", id);
    cr_assert_str_eq(d->name, names[k]);
    cr_assert_eq(fr_detect_find(names[k]), d);
    fr_detect_params *p;
    fr_error err;
    fr_error_clear(&err);
    cr_assert_eq(fr_detect_params_create(&p, d, &err), FR_OK, "%s: %s", d->name, err.msg);
    for (uint32_t q = 0; q < d->n_params; q++) cr_assert_not_null(fr_dp(p, d->params[q].name));
    fr_detect_params_destroy(p);
  }
  cr_assert_null(fr_detect_find("A8"));
}

Test(detect_approval, median_and_quantile_are_exact) {
  int64_t odd[] = {1, 5, 9}, even[] = {1, 2, 4, 7};
  cr_assert_eq(fr_case_median2(odd, 3), 10);
  cr_assert_eq(fr_case_median2(even, 4), 6);
  /* quantile_cont(0.9) of 1,2,4,7: h = 2.7 -> 4 + 0.7 x 3 */
  cr_assert_float_eq(fr_case_quantile(even, 4, 0.9), 6.1, 1e-12);
  cr_assert_float_eq(fr_case_quantile(odd, 1, 0.9), 1.0, 0);
}

Test(detect_approval, ties_in_ts_keep_input_order) {
  ingest("approvals", APR
         "C1,2024-01-01 10:00:00,submit,S,O,,,\n"
         "C1,2024-01-02 10:00:00,pay,X,O,,,\n"
         "C1,2024-01-02 10:00:00,final_approve,F,O,,,\n"
         "C2,2024-01-01 10:00:00,submit,S,O,,,\n"
         "C2,2024-01-02 10:00:00,final_approve,F,O,,,\n"
         "C2,2024-01-02 10:00:00,pay,X,O,,,\n"
         "C3,2024-01-01 10:00:00,submit,S,O,,,\n"
         "C3,2024-01-01 11:00:00,approve,A,O,,,\n"
         "C4,2024-01-01 10:00:00,submit,S,O,,,\n"
         "C4,,pay,X,O,,,\n");
  char got[4096];
  cr_assert_eq(run("A2", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "C1"); /* C4's pay has no ts: in no case */
}

Test(detect_approval, self_approval_both_parts) {
  ingest("approvals", APR
         "C1,2024-01-01 10:00:00,submit,P1,O,,,\n"
         "C1,2024-01-02 10:00:00,approve,P1,O,,,\n"
         "C2,2024-01-01 10:00:00,submit,P1,O,,,\n"
         "C2,2024-01-02 10:00:00,review,P1,O,,,\n"
         "C2,2024-01-03 10:00:00,approve,P2,O,,,\n"
         "C2,2024-01-04 10:00:00,final_approve,P3,O,,,\n"
         "C3,2024-01-01 10:00:00,submit,P1,O,,,\n"
         "C3,2024-01-03 10:00:00,approve,P2,O,,,\n"
         "C3,2024-01-04 10:00:00,final_approve,P2,O,,,\n"
         "C4,2024-01-01 10:00:00,submit,,O,,,\n"
         "C4,2024-01-03 10:00:00,approve,,O,,,\n");
  ingest("payments", "txn_id,ts,org,requester,approver\nT1,2024-01-01 10:00:00,O,R,R\nT2,2024-01-01 10:00:00,O,,\n"
                     "T3,2024-01-01 10:00:00,O,R,A\n");
  char got[4096];
  cr_assert_eq(run("A1", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "C1|C3|T1"); /* both parts by default (DETECTORS.md A1 is one rule) */
  const char *cases[] = {"part=cases", NULL};
  cr_assert_eq(run("A1", cases, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "C1|C3");
  const char *pay[] = {"part=payments", NULL};
  cr_assert_eq(run("A1", pay, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1");
  const char *bad[] = {"part=both", NULL};
  cr_assert_eq(run("A1", bad, got, sizeof got, NULL), FR_ERR_INVALID);
}

Test(detect_approval, sla_is_exclusive_and_open_cases_run_to_as_of) {
  ingest("approvals", APR
         "C1,2024-01-01 10:00:00,submit,S,O,permit,,\n"
         "C1,2024-01-21 10:00:00,final_approve,F,O,permit,,\n"
         "C2,2024-01-01 10:00:00,submit,S,O,permit,,\n"
         "C2,2024-01-21 10:00:01,reject,F,O,permit,,\n"
         "C3,2024-01-01 10:00:00,review,S,O,permit,,\n"
         "C3,2024-03-01 10:00:00,close,F,O,permit,,\n"
         "C4,2024-02-01 10:00:00,submit,S,O,fast,,\n"
         "C4,2024-02-05 10:00:00,review,S,O,fast,,\n");
  char got[4096];
  cr_assert_eq(run("A3", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "C2|C4"); /* C4: open from Feb 1 to the latest ts, Mar 1 */
  const char *asof[] = {"as_of=2024-02-21 10:00:00", NULL};
  cr_assert_eq(run("A3", asof, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "C2");
  const char *svc[] = {"as_of=2024-02-21 10:00:00", "sla_by_service=fast=3", NULL};
  cr_assert_eq(run("A3", svc, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "C2|C4");
  const char *bad[] = {"as_of=soon", NULL};
  cr_assert_eq(run("A3", bad, got, sizeof got, NULL), FR_ERR_INVALID);
}

/* A3 loads only submit and terminal events, yet as_of is the latest ts of the
 * whole table: here a review (in a row group of its own, after every loaded
 * event) makes C1's open case 24 days old; and with a date-typed ts column the
 * zone maps' days become midnights (C1 open 21 days). */
Test(detect_approval, sla_as_of_is_the_latest_event_of_any_activity) {
  ingest("approvals", APR
         "C1,2024-01-01 10:00:00,submit,S,O,permit,,\n"
         "C2,2024-01-01 12:00:00,submit,S,O,permit,,\n"
         "C2,2024-01-02 10:00:00,close,F,O,permit,,\n"
         "C3,2024-01-25 10:00:00,review,S,O,permit,,\n"
         "C3,,submit,S,O,permit,,\n");
  char got[4096];
  cr_assert_eq(run("A3", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "C1");
  ingest("days", "case_id,ts,activity,org\nD1,2024-01-01,submit,O\nD2,2024-01-01,submit,O\nD2,2024-01-02,reject,O\n"
                 "D3,2024-01-22,visit,O\n");
  const char *days[] = {"approvals=days", NULL};
  cr_assert_eq(run("A3", days, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "D1");
  const char *short_sla[] = {"approvals=days", "sla_days=21", NULL};
  cr_assert_eq(run("A3", short_sla, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, ""); /* 21 days exactly: not beyond */
}

Test(detect_approval, rubber_stamp_is_strictly_under_min_seconds) {
  ingest("approvals", APR
         "C1,2024-01-01 10:00:00,submit,S,O,,,1000000.00\n"
         "C1,2024-01-01 10:02:00,approve,A,O,,,\n"
         "C2,2024-01-01 10:00:00,submit,S,O,,,1000000.00\n"
         "C2,2024-01-01 10:01:59,approve,A,O,,,\n"
         "C3,2024-01-01 10:00:00,submit,S,O,,,999999.99\n"
         "C3,2024-01-01 10:00:01,final_approve,A,O,,,\n"
         "C4,2024-01-01 10:00:00,approve,S,O,,,5000000.00\n"
         "C5,2024-01-01 10:00:00,submit,S,O,,,2000000.00\n"
         "C5,2024-01-01 10:00:10,review,S,O,,,\n");
  char got[4096];
  cr_assert_eq(run("A7", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "C2"); /* C4's approve is its first event: no wait */
}

Test(detect_approval, handover_window_is_inclusive_and_names_the_successor) {
  ingest("approvals", APR
         "C1,2024-01-10 10:00:00,submit,X,O,,,\n"
         "C1,2024-01-31 10:00:00,review,P1,O,,,\n"
         "C1,2024-04-01 10:00:00,approve,P2,O,,,\n"
         "C2,2024-01-10 10:00:00,submit,X,O,,,\n"
         "C2,2024-01-31 10:00:00,review,P1,O,,,\n"
         "C2,2024-03-31 10:00:00,approve,P2,O,,,\n"
         "C3,2024-01-10 10:00:00,submit,X,O,,,\n"
         "C3,2024-01-20 10:00:00,review,P1,O,,,\n"
         "C3,2024-01-21 10:00:00,close,P1,O,,,\n"
         "C4,2024-01-10 10:00:00,review,P1,Q,,,\n");
  ingest("posts", "org,post,official,start_date,end_date\nO,chief,P0,,2023-12-31\nO,chief,P1,2024-01-01,2024-01-31\n"
                  "O,chief,P2,2024-02-05,\nO,chief,P9,2024-02-01,2024-02-04\n");
  char got[4096];
  fr_findings *fs;
  cr_assert_eq(run("A6", NULL, got, sizeof got, &fs), FR_OK);
  cr_assert_str_eq(got, "C1"); /* C2 is picked up on h + 60 exactly; C3 closed; C4 in another org */
  cr_assert_str_eq(fs->items[0].subject, "P9");
  fr_findings_destroy(fs);
}

/* Org O: 2 cases, waits review 10 h and 30 h, approve 2 h and 2 h. */
#define BOTTLENECK_CSV                                                                                                 \
  APR "C1,2024-01-01 00:00:00,submit,S,O,,,\n"                                                                         \
      "C1,2024-01-01 10:00:00,review,R1,O,,,\n"                                                                        \
      "C1,2024-01-01 12:00:00,approve,A,O,,,\n"                                                                        \
      "C2,2024-01-01 00:00:00,submit,S,O,,,\n"                                                                         \
      "C2,2024-01-02 06:00:00,review,R2,O,,,\n"                                                                        \
      "C2,2024-01-02 08:00:00,approve,A,O,,,\n"

Test(detect_approval, bottleneck_flags_the_step_and_reports_the_picture) {
  ingest("approvals", BOTTLENECK_CSV);
  char got[4096];
  const char *flag[] = {"min_cases=2", "min_events=1", NULL};
  fr_findings *fs;
  cr_assert_eq(run("A4", flag, got, sizeof got, &fs), FR_OK);
  /* review holds 40 of the 44 h of waiting; no actor: R2's 30 h < 3 x the median 20 h */
  cr_assert_str_eq(got, "C1 C2");
  cr_assert_float_eq(fs->items[0].score, 40.0 / 44.0, 1e-12);
  fr_findings_destroy(fs);
  const char *report[] = {"report=1", NULL};
  cr_assert_eq(run("bottleneck", report, got, sizeof got, &fs), FR_OK);
  cr_assert_eq(fs->n, 2);
  cr_assert_str_eq(fs->items[0].subject, "review");
  cr_assert(strstr(fs->items[0].details, "\"median_wait_s\":72000,") != NULL, "%s", fs->items[0].details);
  cr_assert(strstr(fs->items[0].details, "\"p90_wait_s\":100800,") != NULL, "%s", fs->items[0].details);
  cr_assert(strstr(fs->items[0].details, "\"cases\":2,") != NULL, "%s", fs->items[0].details);
  cr_assert(strstr(fs->items[0].details, "\"flagged\":false") != NULL, "%s", fs->items[0].details); /* min_cases 20 */
  cr_assert_str_neq(fs->items[0].id, fs->items[1].id); /* same two cases, different steps */
  fr_findings_destroy(fs);
}

Test(detect_approval, repeated_visits_per_case_and_per_actor) {
  char csv[16384] = APR;
  /* 20 cases at O handled by R, R returns 5 (25%); 40 more cases at O without a
   * return, so the org's rate is 5 / 61 and 3 x that is 24.6% */
  for (int c = 0; c < 20; c++) {
    char line[256];
    snprintf(line, sizeof line, "K%02d,2024-01-01 10:00:00,submit,S,O,,,\nK%02d,2024-01-02 10:00:00,%s,R,O,,,\n", c, c,
             c < 5 ? "return" : "review");
    strcat(csv, line);
  }
  for (int c = 0; c < 40; c++) {
    char line[256];
    snprintf(line, sizeof line, "L%02d,2024-01-01 10:00:00,submit,S,O,,,\nL%02d,2024-01-02 10:00:00,review,R9,O,,,\n", c,
             c);
    strcat(csv, line);
  }
  strcat(csv, "V1,2024-01-01 10:00:00,visit,,O,,,\nV1,2024-01-02 10:00:00,visit,,O,,,\n");
  ingest("approvals", csv);
  char got[4096];
  cr_assert_eq(run("A5", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "K00 K01 K02 K03 K04|V1");
  const char *strict[] = {"min_rate=0.26", NULL};
  cr_assert_eq(run("A5", strict, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "V1");
}

Test(detect_approval, identical_at_1_and_2_threads_and_allocation_failures_are_reported) {
  ingest("approvals", BOTTLENECK_CSV);
  ingest("posts", "org,post,official,start_date,end_date\nO,chief,R1,,2024-01-01\n");
  ingest("payments", "txn_id,ts,org,requester,approver\nT1,2024-01-01 10:00:00,O,R,R\n");
  const char *names[] = {"A1", "A2", "A3", "A4", "A5", "A6", "A7"};
  char dir[512];
  snprintf(dir, sizeof dir, "%s/store", tmp_dir);
  for (size_t d = 0; d < sizeof names / sizeof names[0]; d++) {
    char got1[4096], got2[4096];
    omp_set_num_threads(1);
    cr_assert_eq(run(names[d], NULL, got1, sizeof got1, NULL), FR_OK);
    omp_set_num_threads(2);
    cr_assert_eq(run(names[d], NULL, got2, sizeof got2, NULL), FR_OK);
    cr_assert_str_eq(got1, got2);
    for (long n_ok = 0; n_ok < 300; n_ok += 2) {
      fr_store *store;
      fr_error err;
      fr_error_clear(&err);
      cr_assert_eq(fr_store_open(&store, dir, &err), FR_OK);
      fr_findings *fs = NULL;
      fr_alloc_fail_after(n_ok);
      fr_status st = fr_detect_run(&fs, store, fr_detect_find(names[d]), NULL, &err);
      fr_alloc_fail_after(-1);
      cr_assert(st == FR_OK || st == FR_ERR_NOMEM || st == FR_ERR_CORRUPT || st == FR_ERR_IO,
                "%s after %ld allocations: %d %s", names[d], n_ok, st, err.msg);
      cr_assert(st == FR_OK || fs == NULL);
      fr_findings_destroy(fs);
      fr_store_close(store);
    }
  }
}
