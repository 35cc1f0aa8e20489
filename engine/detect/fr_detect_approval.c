/* fr_detect_approval.c - the approval-pattern detectors A1-A7 of DETECTORS.md
 * section A (catalogue entries and kernels) and the bottleneck picture (A4 with
 * `report=1`: per org and step, cases, median / p90 wait and share of waiting).
 *
 * Every rule runs over the case order of fr_detect_case.c (events by case, ts,
 * input order; waits computed once).  Per-case tests run in parallel into one
 * result slot per case; per-org statistics come from one record sort by (org,
 * activity, wait), so medians and quantiles are read off sorted runs.  Findings
 * are added on one thread in case order; the builder's order (score, id) makes
 * the output independent of the thread count.  Exactness: waits and durations
 * are integer microseconds, shares and ratios compared as exact fractions
 * (ratio parameters are x 1e9, products in 128 bits); scores are doubles.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_case.h"
#include "fr_table.h"
#include "fr_hash.h"

/* ---- catalogue ------------------------------------------------------------------ */

#define A_TABLE(name, help) {name, FR_PARAM_TABLE, name, 0, 0, NULL, help}
#define A_COL(name, help) {name, FR_PARAM_COLUMN, name, 0, 0, "approvals", help}
#define A_QCOL(table, col, help) {table "." col, FR_PARAM_COLUMN, col, 0, 0, table, help}
#define A_INT(name, def, lo, hi, help) {name, FR_PARAM_INT, def, lo, hi, NULL, help}
#define A_DEC(name, def, help) {name, FR_PARAM_DECIMAL, def, 0, 0, NULL, help}
#define A_RATIO(name, def, help) {name, FR_PARAM_RATIO, def, 0, 0, NULL, help}
#define A_WORDS(name, def, help) {name, FR_PARAM_WORDS, def, 0, 0, NULL, help}

#define APR_TABLE A_TABLE("approvals", "the approvals (event log) table")
#define APR_CASE A_COL("case_id", "case column (evidence key)")
#define APR_TS A_COL("ts", "event timestamp column")
#define APR_ACT A_COL("activity", "activity name column")
#define APR_ACTOR A_COL("actor", "actor column")
#define APR_ORG A_COL("org", "org column of each event (\"*\": the whole log is one org)")
#define APR_BASE APR_TABLE, APR_CASE, APR_TS, APR_ACT

#define R_SUBMIT A_WORDS("submit", "submit", "activity names that submit a case, comma separated")
#define R_APPROVE A_WORDS("approve", "approve", "activity names of an approval")
#define R_FINAL A_WORDS("final", "final_approve", "activity names of the final approval")
#define R_PAY A_WORDS("pay", "pay", "activity names of a payment")
#define R_RETURN A_WORDS("return", "return", "activity names that send a case back to the applicant")
#define R_VISIT A_WORDS("visit", "visit", "activity names of an applicant's visit")
#define R_TERMINAL A_WORDS("terminal", "final_approve,reject,close", "activity names that end a case")

static const fr_param_spec a1_params[] = {
    A_WORDS("part", "all",
            "all: both rules (payments skipped when the store has no payments table); cases: the approvals "
            "rule; payments: approver = requester in payments"),
    R_SUBMIT, R_APPROVE, R_FINAL, APR_BASE, APR_ACTOR, APR_ORG,
    A_TABLE("payments", "the payments table (part=payments)"),
    A_QCOL("payments", "txn_id", "payment key column"),
    A_QCOL("payments", "ts", "payment timestamp column"),
    A_QCOL("payments", "org", "paying org column"),
    A_QCOL("payments", "requester", "requester column"),
    A_QCOL("payments", "approver", "approver column"),
};
static const fr_param_spec a2_params[] = {
    R_FINAL, R_PAY, APR_BASE, APR_ORG,
};
static const fr_param_spec a3_params[] = {
    A_INT("sla_days", "20", 1, 36500, "promised days from submission to a terminal event"),
    A_WORDS("as_of", "latest", "open cases are measured to this timestamp (latest: the table's latest ts)"),
    A_WORDS("sla_by_service", "none", "per-service overrides SERVICE=DAYS, comma separated"),
    R_SUBMIT, R_TERMINAL, APR_BASE, APR_ORG,
    A_COL("service", "service column (for sla_by_service)"),
};
static const fr_param_spec a4_params[] = {
    A_RATIO("share", "0.40", "share of an org's waiting that flags a step"),
    A_INT("min_cases", "20", 1, 1000000000, "cases an org needs"),
    A_RATIO("factor", "3.0", "actor median wait over the step's median that flags"),
    A_INT("min_events", "10", 1, 1000000000, "waited events an actor needs at the step"),
    A_INT("report", "0", 0, 1, "1: instead of findings, one row per (org, step): cases, median / p90 wait, share"),
    R_SUBMIT, R_TERMINAL, APR_BASE, APR_ACTOR, APR_ORG,
};
static const fr_param_spec a5_params[] = {
    A_INT("max_visits", "1", 0, 1000000000, "visits a case may need"),
    A_INT("min_cases", "20", 1, 1000000000, "cases an actor must have handled in the org"),
    A_RATIO("factor", "3.0", "actor return rate over the org's rate that flags"),
    A_RATIO("min_rate", "0.20", "smallest actor return rate that flags"),
    R_RETURN, R_VISIT, APR_BASE, APR_ACTOR, APR_ORG,
};
static const fr_param_spec a6_params[] = {
    A_INT("days", "60", 0, 36500, "days after the handover without an event"),
    R_TERMINAL, APR_BASE, APR_ACTOR, APR_ORG,
    A_TABLE("posts", "the posts table"),
    A_QCOL("posts", "org", "org column"),
    A_QCOL("posts", "post", "post column"),
    A_QCOL("posts", "official", "official column"),
    A_QCOL("posts", "start_date", "first day in post column"),
    A_QCOL("posts", "end_date", "last day in post column"),
};
static const fr_param_spec a7_params[] = {
    A_INT("min_seconds", "120", 0, 1000000000, "an approval after a shorter wait is a rubber stamp"),
    A_DEC("min_amount", "1000000.00", "smallest case amount"),
    R_APPROVE, R_FINAL, APR_BASE, APR_ORG,
    A_COL("amount", "amount column, decimal(18,2)"),
};

#define A_N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))
#define A_DET(id, name, concern, params) {id, name, concern, "approvals", "case_id", params, A_N(params)}

static const fr_detector_info fr_approval_infos[] = {
    A_DET("A1", "self_approval", "four-eyes / segregation of duties", a1_params),
    A_DET("A2", "sequence_violation", "paying before approval", a2_params),
    A_DET("A3", "sla_breach", "delay beyond the promised time (工作延误)", a3_params),
    A_DET("A4", "bottleneck", "a middle step holding cases; inaction of one official (中梗阻)", a4_params),
    A_DET("A5", "repeated_visits", "applicants sent back again and again (最多跑一次 / 小鬼难缠)", a5_params),
    A_DET("A6", "handover_stall", "open cases left to rot after a handover (新官不理旧账)", a6_params),
    A_DET("A7", "rubber_stamp", "large cases approved in seconds", a7_params),
};

static fr_status fr_detect_a1(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
static fr_status fr_detect_a2(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
static fr_status fr_detect_a3(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
static fr_status fr_detect_a4(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
static fr_status fr_detect_a5(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
static fr_status fr_detect_a6(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);
static fr_status fr_detect_a7(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);

static const fr_detect_fn fr_approval_kernels[] = {
    fr_detect_a1, fr_detect_a2, fr_detect_a3, fr_detect_a4, fr_detect_a5, fr_detect_a6, fr_detect_a7,
};

_Static_assert(sizeof fr_approval_infos / sizeof fr_approval_infos[0] ==
                   sizeof fr_approval_kernels / sizeof fr_approval_kernels[0],
               "one kernel per detector");

const fr_catalog_section fr_catalog_approval = {fr_approval_infos, fr_approval_kernels, A_N(fr_approval_infos)};

/* ---- shared helpers ----------------------------------------------------------------- */

#define FR_US_PER_S 1000000LL
#define FR_NONE UINT64_MAX

/* Days, as text with one decimal, of a microsecond span (for summaries). */
static double fr_days(double us) { return us / (double)FR_US_PER_DAY; }

static fr_status fr_a_close(fr_fbuild *fb, fr_status status, fr_findings **out, fr_error *err) {
  *out = NULL;
  if (fb->f != NULL) {
    if (status == FR_OK)
      status = fr_fbuild_finish(fb, out, err);
    else
      fr_findings_destroy(fb->f);
    fb->f = NULL;
  }
  return status;
}

/* Opens the case log (only the events playing one of `roles`, all when 0) and
 * the findings over it. */
static fr_status fr_a_open(fr_case_log *log, fr_fbuild *fb, const fr_store *store, const fr_detect_params *p,
                           unsigned need, unsigned roles, fr_error *err) {
  memset(fb, 0, sizeof *fb);
  fr_status status = roles ? fr_case_log_open_roles(log, store, p, need, roles, err)
                           : fr_case_log_open(log, store, p, need, err);
  if (status == FR_OK)
    status = fr_fbuild_init(fb, p, &log->t, &log->cols[FR_CL_KEY], &log->cols[FR_CL_TS], err);
  return status;
}

/* The org of a position, or NULL. */
static const char *fr_a_org(const fr_case_log *log, uint64_t pos) {
  return log->org[pos] == FR_NOID ? NULL : fr_sdict_str(&log->dict, log->org[pos]);
}

/* Adds a finding whose evidence is the case of position `pos`. */
static void fr_a_add_case(fr_fbuild *fb, const fr_case_log *log, uint64_t pos, double score, const char *subject,
                          const char *org, char *summary, char *details) {
  uint64_t row = log->row[pos];
  fr_fbuild_add(fb, &row, 1, score, subject, org, summary, details);
}

/* An event of an actor (A5, A6): its org, case and case-log position. */
typedef struct fr_aev {
  uint32_t org, c;
  uint64_t pos;
} fr_aev;

static int fr_aev_cmp(const void *a, const void *b) {
  const fr_aev *x = a, *y = b;
  if (x->org != y->org) return x->org < y->org ? -1 : 1;
  return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Sorts one actor's events (in position order) by (org, position). */
static void fr_aev_sort(fr_aev *ev, uint64_t n) {
  uint64_t k = 1;
  while (k < n && ev[k - 1].org <= ev[k].org) k++;
  if (k >= n) /* in order already: an actor who works at one org */
    return;
  if (n > 32) {
    qsort(ev, (size_t)n, sizeof *ev, fr_aev_cmp);
    return;
  }
  for (uint64_t x = 1; x < n; x++) /* stable: positions stay ascending within an org */
    for (uint64_t y = x; y > 0 && ev[y].org < ev[y - 1].org; y--) {
      fr_aev t = ev[y];
      ev[y] = ev[y - 1];
      ev[y - 1] = t;
    }
}

/* The events with an actor and an org grouped by actor (a counting sort: the
 * sids are dense, below n_ids), each actor's by (org, position): *ev holds them,
 * actor a's at [(*first)[a], (*first)[a + 1]); within an (actor, org) run the
 * positions ascend, so each case's events are together.  *longest = the most
 * events of one actor.  Both arrays are the caller's (fr_free, also on
 * failure).  Errors: FR_ERR_NOMEM. */
static fr_status fr_events_by_actor(const fr_case_log *log, uint32_t n_ids, fr_aev **ev, uint64_t **first,
                                    uint64_t *longest, fr_error *err) {
  *ev = fr_malloc((log->n_events ? (size_t)log->n_events : 1) * sizeof **ev);
  *first = fr_calloc_dense((size_t)n_ids + 2, sizeof **first);
  FR_FAIL_IF(*ev == NULL || *first == NULL, FR_ERR_NOMEM, err, "out of memory grouping %llu events",
             (unsigned long long)log->n_events);
  fr_aev *e = *ev;
  uint64_t *f = *first;
  for (uint64_t i = 0; i < log->n_events; i++)
    if (log->actor[i] != FR_NOID && log->org[i] != FR_NOID)
      f[log->actor[i] + 1]++;
  for (uint32_t a = 0; a < n_ids; a++) f[a + 1] += f[a];
  /* f[a] is now actor a's first slot; filling advances it to a + 1's */
  for (uint64_t i = 0; i < log->n_events; i++)
    if (log->actor[i] != FR_NOID && log->org[i] != FR_NOID)
      e[f[log->actor[i]]++] = (fr_aev){log->org[i], log->case_of[i], i};
  memmove(f + 1, f, (size_t)n_ids * sizeof *f);
  f[0] = 0;
  uint64_t most = 0;
#pragma omp parallel for schedule(dynamic, 256) reduction(max : most)
  for (int64_t a = 0; a < (int64_t)n_ids; a++) {
    fr_aev_sort(e + f[a], f[a + 1] - f[a]);
    most = f[a + 1] - f[a] > most ? f[a + 1] - f[a] : most;
  }
  *longest = most;
  return FR_OK;
}

/* ---- A1 self_approval ---------------------------------------------------------------- */

static fr_status fr_a1_payments(fr_findings **out, const fr_store *store, const fr_detect_params *p,
                                fr_error *err) {
  fr_sdict dict;
  fr_sdict_init(&dict);
  fr_ltable t;
  fr_lcol cols[] = {LC("payments.txn_id", FR_LC_KEY, 0), LC("payments.requester", FR_LC_SID, 0),
                    LC("payments.approver", FR_LC_SID, 0), LC("payments.ts", FR_LC_TS, 1),
                    LC("payments.org", FR_LC_SID, 1)};
  fr_fbuild fb;
  memset(&fb, 0, sizeof fb);
  fr_buf json;
  fr_buf_init(&json);
  cols[0].lazy = 1;    /* keys only for the flagged rows */
  cols[2].same_as = 2; /* only rows whose approver is their requester are loaded */
  uint64_t *flagged = NULL;
  size_t n_flagged = 0;
  fr_status status = fr_ltable_load(&t, store, p, "payments", cols, A_N(cols), &dict, err);
  if (status == FR_OK)
    status = fr_fbuild_init(&fb, p, &t, &cols[0], &cols[3], err);
  if (status == FR_OK && (flagged = fr_malloc((t.n_rows ? t.n_rows : 1) * sizeof *flagged)) == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  for (uint64_t r = 0; status == FR_OK && r < t.n_rows; r++)
    if (cols[1].sid[r] != FR_NOID && cols[1].sid[r] == cols[2].sid[r])
      flagged[n_flagged++] = r;
  if (status == FR_OK)
    status = fr_lkey_fetch(&t, &cols[0], flagged, n_flagged, err);
  for (size_t x = 0; status == FR_OK && x < n_flagged; x++) {
    const uint64_t r = flagged[x];
    uint32_t who = cols[1].sid[r];
    const char *name = fr_sdict_str(&dict, who);
    fr_jstr(&json, "part", "payments");
    fr_jstr(&json, "approver", name);
    uint64_t row = r;
    fr_fbuild_add(&fb, &row, 1, 1.0, name, cols[4].present ? fr_sdict_str(&dict, cols[4].sid[r]) : NULL,
                  fr_strf("payment %s approved by its own requester %s", fr_lkey(&cols[0], r), name),
                  fr_jdone(&json));
  }
  status = fr_a_close(&fb, status, out, err);
  fr_free(flagged);
  fr_ltable_free(&t);
  fr_sdict_free(&dict);
  fr_buf_free(&json);
  return status;
}

static fr_status fr_a1_cases(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err);

/* DETECTORS.md A1 is one rule over two tables: the cases of approvals and the
 * payments whose approver is their requester.  part=all (the default) runs both
 * into one set of findings, each naming its own evidence table; a store without
 * a payments table (an event log alone) gets the cases part, unless the payments
 * table was named with --set. */
static fr_status fr_detect_a1(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  *out = NULL;
  const char *part = fr_dp_s(p, "part");
  if (strcmp(part, "payments") == 0)
    return fr_a1_payments(out, store, p, err);
  if (strcmp(part, "cases") == 0)
    return fr_a1_cases(out, store, p, err);
  FR_FAIL_IF(strcmp(part, "all") != 0, FR_ERR_INVALID, err,
             "self_approval: parameter part: \"%s\" is none of all, cases, payments", part);
  const fr_table_meta *payments;
  fr_error ignored;
  int with_payments = fr_dp(p, "payments")->set || fr_table_find(store, fr_dp_s(p, "payments"), &payments, &ignored) == FR_OK;
  fr_findings *cases = NULL, *paid = NULL;
  FR_TRY(fr_a1_cases(&cases, store, p, err));
  fr_status status = with_payments ? fr_a1_payments(&paid, store, p, err) : FR_OK;
  if (status == FR_OK)
    status = fr_findings_append(cases, paid, err);
  else
    fr_findings_destroy(paid);
  if (status != FR_OK) {
    fr_findings_destroy(cases);
    return status;
  }
  *out = cases;
  return FR_OK;
}

static fr_status fr_a1_cases(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  *out = NULL;
  fr_case_log log;
  fr_fbuild fb;
  fr_buf json;
  fr_buf_init(&json);
  fr_status status = fr_a_open(&log, &fb, store, p, FR_CLN_ACTOR | FR_CLN_ORG,
                                FR_ROLE_SUBMIT | FR_ROLE_APPROVE | FR_ROLE_FINAL, err);
  uint64_t *hit = NULL;
  uint8_t *kind = NULL;
  if (status == FR_OK) {
    hit = fr_malloc(((size_t)log.n_cases + 1) * sizeof *hit);
    kind = fr_malloc((size_t)log.n_cases + 1);
    if (hit == NULL || kind == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK) {
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t c = 0; c < (int64_t)log.n_cases; c++) {
      uint64_t a = log.case_first[c], b = log.case_first[c + 1];
      hit[c] = FR_NONE;
      kind[c] = 0;
      for (uint64_t i = a; i < b && hit[c] == FR_NONE; i++) {
        if (!(log.role[i] & (FR_ROLE_APPROVE | FR_ROLE_FINAL)) || log.actor[i] == FR_NOID)
          continue;
        for (uint64_t j = a; j < b; j++) {
          if (j == i || log.actor[j] != log.actor[i])
            continue;
          if (log.role[j] & FR_ROLE_SUBMIT) {
            hit[c] = i;
            kind[c] = 1;
            break;
          }
          if ((log.role[i] & FR_ROLE_APPROVE) && (log.role[j] & FR_ROLE_FINAL)) {
            hit[c] = i;
            kind[c] = 2;
            break;
          }
        }
      }
    }
    for (uint32_t c = 0; c < log.n_cases; c++) {
      if (hit[c] == FR_NONE)
        continue;
      const char *who = fr_case_str(&log, log.actor[hit[c]]);
      fr_jstr(&json, "part", "cases");
      fr_jstr(&json, "actor", who);
      fr_jstr(&json, "kind", kind[c] == 1 ? "submitted and approved" : "approve and final approval");
      fr_a_add_case(&fb, &log, hit[c], 1.0, who, fr_a_org(&log, hit[c]),
                    kind[c] == 1 ? fr_strf("case %s: %s submitted it and approved it", fr_case_key(&log, hit[c]), who)
                                 : fr_strf("case %s: %s gave both the approval and the final approval",
                                           fr_case_key(&log, hit[c]), who),
                    fr_jdone(&json));
    }
  }
  fr_free(hit);
  fr_free(kind);
  status = fr_a_close(&fb, status, out, err);
  fr_case_log_free(&log);
  fr_buf_free(&json);
  return status;
}

/* ---- A2 sequence_violation ------------------------------------------------------------- */

static fr_status fr_detect_a2(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_case_log log;
  fr_fbuild fb;
  fr_buf json;
  fr_buf_init(&json);
  fr_status status = fr_a_open(&log, &fb, store, p, FR_CLN_ORG, 0, err);
  uint64_t *hit = NULL;
  uint8_t *kind = NULL;
  if (status == FR_OK) {
    hit = fr_malloc(((size_t)log.n_cases + 1) * sizeof *hit);
    kind = fr_malloc((size_t)log.n_cases + 1);
    if (hit == NULL || kind == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK) {
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t c = 0; c < (int64_t)log.n_cases; c++) {
      uint64_t first_pay = FR_NONE;
      int seen_final = 0, early = 0;
      for (uint64_t i = log.case_first[c]; i < log.case_first[c + 1]; i++) {
        if (log.role[i] & FR_ROLE_FINAL)
          seen_final = 1;
        if (log.role[i] & FR_ROLE_PAY) {
          if (first_pay == FR_NONE) first_pay = i;
          if (!seen_final) early = 1;
        }
      }
      hit[c] = first_pay != FR_NONE && (early || !seen_final) ? first_pay : FR_NONE;
      kind[c] = (uint8_t)seen_final;
    }
    for (uint32_t c = 0; c < log.n_cases; c++) {
      if (hit[c] == FR_NONE)
        continue;
      fr_jstr(&json, "kind", kind[c] ? "paid before the final approval" : "paid without a final approval");
      fr_a_add_case(&fb, &log, hit[c], 1.0, NULL, fr_a_org(&log, hit[c]),
                    fr_strf("case %s: %s", fr_case_key(&log, hit[c]),
                            kind[c] ? "paid before its final approval" : "paid without any final approval"),
                    fr_jdone(&json));
    }
  }
  fr_free(hit);
  fr_free(kind);
  status = fr_a_close(&fb, status, out, err);
  fr_case_log_free(&log);
  fr_buf_free(&json);
  return status;
}

/* ---- A3 sla_breach -------------------------------------------------------------------- */

static fr_status fr_detect_a3(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  *out = NULL;
  const fr_param_value *as_of_v = fr_dp(p, "as_of");
  const fr_param_value *by_svc = fr_dp(p, "sla_by_service");
  int64_t as_of = 0;
  int as_of_latest = strcmp(as_of_v->text, "latest") == 0;
  FR_FAIL_IF(!as_of_latest && fr_parse_timestamp(&as_of, as_of_v->text, strlen(as_of_v->text)) != NULL,
             FR_ERR_INVALID, err, "sla_breach: parameter as_of: \"%s\" is not a timestamp (or latest)",
             as_of_v->text);
  const int64_t sla_days = fr_dp_i(p, "sla_days");
  const uint32_t n_over = by_svc->n_items == 1 && strcmp(by_svc->words[0], "none") == 0 ? 0 : by_svc->n_items;
  for (uint32_t k = 0; k < n_over; k++) {
    const char *eq = strrchr(by_svc->words[k], '=');
    int64_t d;
    FR_FAIL_IF(eq == NULL || eq == by_svc->words[k] || fr_parse_int64(&d, eq + 1, strlen(eq + 1)) != NULL || d < 1 ||
                   d > 36500,
               FR_ERR_INVALID, err, "sla_breach: parameter sla_by_service: \"%s\" is not SERVICE=DAYS (1 to 36500)",
               by_svc->words[k]);
  }
  /* per case (no case order needed): the first submit in case order = the
   * smallest (ts, input row) of its submit events; the first terminal ts = the
   * smallest ts of its terminal events */
  fr_case_log log;
  fr_fbuild fb;
  memset(&fb, 0, sizeof fb);
  fr_buf json;
  fr_buf_init(&json);
  fr_status status = fr_case_log_load_roles(&log, store, p, FR_CLN_ORG | (n_over ? FR_CLN_SERVICE : 0),
                                            FR_ROLE_SUBMIT | FR_ROLE_TERMINAL, err);
  if (status == FR_OK)
    status = fr_fbuild_init(&fb, p, &log.t, &log.cols[FR_CL_KEY], &log.cols[FR_CL_TS], err);
  if (status == FR_OK && n_over && !log.cols[FR_CL_SERVICE].present)
    status = fr_error_set(err, FR_ERR_NOTFOUND, "sla_breach: sla_by_service needs a service column (--set service=COLUMN)");
  if (status == FR_OK && as_of_latest)
    as_of = log.max_ts;
  int32_t *sla_of = NULL;  /* per sid: override days, 0 none */
  int64_t *sub_ts = NULL, *term_ts = NULL;
  uint64_t *sub_row = NULL;
  const uint32_t n_ids = log.cols[FR_CL_CASE].n_groups;
  if (status == FR_OK) {
    sla_of = fr_calloc(log.dict.n ? log.dict.n : 1, sizeof *sla_of);
    sub_ts = fr_malloc(((size_t)n_ids + 1) * sizeof *sub_ts);
    term_ts = fr_malloc(((size_t)n_ids + 1) * sizeof *term_ts);
    sub_row = fr_malloc(((size_t)n_ids + 1) * sizeof *sub_row);
    if (sla_of == NULL || sub_ts == NULL || term_ts == NULL || sub_row == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK) {
    for (uint32_t k = 0; k < n_over; k++) {
      const char *w = by_svc->words[k], *eq = strrchr(w, '=');
      int64_t d = 0;
      (void)fr_parse_int64(&d, eq + 1, strlen(eq + 1));
      uint32_t sid = fr_sdict_lookup(&log.dict, w, (size_t)(eq - w));
      if (sid != FR_NOID)
        sla_of[sid] = (int32_t)d;
    }
    for (uint32_t c = 0; c < n_ids; c++) {
      sub_ts[c] = term_ts[c] = INT64_MAX;
      sub_row[c] = FR_NONE;
    }
    const uint32_t *case_id = log.cols[FR_CL_CASE].sid, *act = log.cols[FR_CL_ACT].sid;
    const int64_t *ts = log.cols[FR_CL_TS].i64;
    const uint8_t *ts_ok = log.cols[FR_CL_TS].valid;
    for (uint64_t r = 0; r < log.t.n_rows; r++) { /* rows ascend: a tie keeps the earlier row */
      const uint32_t c = case_id[r];
      if (c == FR_NOID || !ts_ok[r] || act[r] == FR_NOID)
        continue;
      const uint8_t role = log.role_of[act[r]];
      if ((role & FR_ROLE_SUBMIT) && ts[r] < sub_ts[c]) {
        sub_ts[c] = ts[r];
        sub_row[c] = r;
      }
      if ((role & FR_ROLE_TERMINAL) && ts[r] < term_ts[c])
        term_ts[c] = ts[r];
    }
    const fr_lcol *svc = &log.cols[FR_CL_SERVICE], *org = &log.cols[FR_CL_ORG];
    for (uint32_t c = 0; c < n_ids; c++) {
      uint64_t r = sub_row[c];
      if (r == FR_NONE)
        continue;
      int64_t days = sla_days;
      uint32_t s = svc->present ? svc->sid[r] : FR_NOID;
      if (s != FR_NOID && sla_of[s] > 0)
        days = sla_of[s];
      const int open = term_ts[c] == INT64_MAX;
      int64_t dur = (open ? as_of : term_ts[c]) - sub_ts[c];
      if (dur <= days * FR_US_PER_DAY)
        continue;
      double score = (double)dur / (double)(days * FR_US_PER_DAY);
      fr_jreal(&json, "duration_days", fr_days((double)dur));
      fr_jint(&json, "sla_days", days);
      fr_jraw(&json, "open", open ? "true" : "false");
      const uint32_t o = org->present ? org->sid[r] : log.org_all;
      fr_fbuild_add(&fb, &r, 1, score, NULL, o == FR_NOID ? NULL : fr_sdict_str(&log.dict, o),
                    fr_strf("case %s %s %.2f days after submission (promised %lld)", fr_lkey(&log.cols[FR_CL_KEY], r),
                            open ? "still open" : "ended", fr_days((double)dur), (long long)days),
                    fr_jdone(&json));
    }
  }
  fr_free(sla_of);
  fr_free(sub_ts);
  fr_free(term_ts);
  fr_free(sub_row);
  status = fr_a_close(&fb, status, out, err);
  fr_case_log_free(&log);
  fr_buf_free(&json);
  return status;
}

/* ---- A4 bottleneck and the bottleneck picture --------------------------------------------- */

/* A waited event at one step: its case, wait and position. */
typedef struct fr_wcase {
  uint32_t c;
  int64_t wait;
  uint64_t pos;
  const char *key;
} fr_wcase;

static int fr_wcase_by_case(const void *a, const void *b) {
  const fr_wcase *x = a, *y = b;
  if (x->c != y->c) return (x->c > y->c) - (x->c < y->c);
  if (x->wait != y->wait) return x->wait > y->wait ? -1 : 1;
  return (x->pos > y->pos) - (x->pos < y->pos);
}

static int fr_wcase_by_wait(const void *a, const void *b) {
  const fr_wcase *x = a, *y = b;
  if (x->wait != y->wait) return x->wait > y->wait ? -1 : 1;
  return strcmp(x->key, y->key);
}

/* Up to 20 rows of the cases with the longest single wait among recs[0..n)
 * (records of one step, .row = position), ties to the smaller case key; only
 * recs whose actor is `actor` when actor != FR_NOID.  Returns the count and
 * sets *n_cases to the number of distinct cases among them. */
static uint32_t fr_a4_longest(const fr_case_log *log, const fr_srec *recs, uint64_t n, uint32_t actor,
                              fr_wcase *scratch, uint64_t *rows_out, uint64_t *n_cases) {
  uint64_t m = 0;
  for (uint64_t k = 0; k < n; k++) {
    uint64_t pos = recs[k].row;
    if (actor != FR_NOID && log->actor[pos] != actor)
      continue;
    scratch[m++] = (fr_wcase){log->case_of[pos], log->wait[pos], pos, fr_case_key(log, pos)};
  }
  qsort(scratch, m, sizeof *scratch, fr_wcase_by_case);
  uint64_t u = 0;
  for (uint64_t k = 0; k < m; k++)
    if (u == 0 || scratch[u - 1].c != scratch[k].c)
      scratch[u++] = scratch[k];
  qsort(scratch, u, sizeof *scratch, fr_wcase_by_wait);
  uint32_t r = u < 20 ? (uint32_t)u : 20;
  for (uint32_t k = 0; k < r; k++) rows_out[k] = log->row[scratch[k].pos];
  *n_cases = u;
  return r;
}

static int fr_srec_cmp_c(const void *pa, const void *pb) {
  const fr_srec *x = pa, *y = pb;
  if (x->c != y->c) return x->c < y->c ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

/* Fills recs with the waited events that have an org, as (org, activity or
 * UINT64_MAX for NULL, wait, position), grouped by (org, activity) - each org's
 * groups together - and ordered by (wait, position) within a group: a counting
 * sort on dense (org, activity) numbers, then (sort_groups) the groups sorted in
 * parallel; without sort_groups the caller sorts the groups it reads.  Falls back
 * to one record sort when the group numbers would not be dense. */
static fr_status fr_a4_group_sort(const fr_case_log *log, const uint32_t *act, fr_srec *recs, uint64_t *n_out,
                                  int sort_groups, fr_error *err) {
  const size_t n_dict = log->dict.n ? log->dict.n : 1;
  uint32_t *org_no = fr_malloc(n_dict * sizeof *org_no), *act_no = fr_malloc(n_dict * sizeof *act_no);
  uint64_t *first = NULL, n = 0, n_org = 0, n_act = 0;
  fr_status status = FR_OK;
  if (org_no == NULL || act_no == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  memset(org_no, 0xff, n_dict * sizeof *org_no);
  memset(act_no, 0xff, n_dict * sizeof *act_no);
  for (uint64_t i = 0; i < log->n_events; i++) {
    if (log->wait[i] < 0 || log->org[i] == FR_NOID)
      continue;
    uint32_t a = act[log->row[i]];
    if (org_no[log->org[i]] == UINT32_MAX) org_no[log->org[i]] = (uint32_t)n_org++;
    if (a != FR_NOID && act_no[a] == UINT32_MAX) act_no[a] = (uint32_t)n_act++;
    n++;
  }
  *n_out = n;
  const uint64_t n_groups = n_org * (n_act + 1);
  if (n_groups > n + 1024) {
    /* sparse: many orgs times many activities */
    n = 0;
    for (uint64_t i = 0; i < log->n_events; i++)
      if (log->wait[i] >= 0 && log->org[i] != FR_NOID) {
        uint32_t a = act[log->row[i]];
        recs[n++] = (fr_srec){log->org[i], a == FR_NOID ? UINT64_MAX : a, (uint64_t)log->wait[i], i};
      }
    status = fr_srec_sort(recs, (size_t)n, err);
    goto done;
  }
  first = fr_calloc((size_t)n_groups + 2, sizeof *first);
  if (first == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  uint64_t *fill = first + 1;
  for (uint64_t i = 0; i < log->n_events; i++) {
    if (log->wait[i] < 0 || log->org[i] == FR_NOID)
      continue;
    uint32_t a = act[log->row[i]];
    fill[(uint64_t)org_no[log->org[i]] * (n_act + 1) + (a == FR_NOID ? n_act : act_no[a])]++;
  }
  uint64_t at = 0;
  for (uint64_t g = 0; g < n_groups; g++) {
    uint64_t k = fill[g];
    fill[g] = at;
    at += k;
  }
  for (uint64_t i = 0; i < log->n_events; i++) {
    if (log->wait[i] < 0 || log->org[i] == FR_NOID)
      continue;
    uint32_t a = act[log->row[i]];
    uint64_t g = (uint64_t)org_no[log->org[i]] * (n_act + 1) + (a == FR_NOID ? n_act : act_no[a]);
    recs[fill[g]++] = (fr_srec){log->org[i], a == FR_NOID ? UINT64_MAX : a, (uint64_t)log->wait[i], i};
  }
#pragma omp parallel for schedule(dynamic, 1) if (sort_groups)
  for (int64_t g = 0; g < (int64_t)n_groups; g++)
    if (sort_groups && first[g + 1] - first[g] > 1)
      qsort(recs + first[g], (size_t)(first[g + 1] - first[g]), sizeof *recs, fr_srec_cmp_c);
done:
  fr_free(org_no);
  fr_free(act_no);
  fr_free(first);
  return status;
}

static int fr_report_order(const void *a, const void *b) {
  const fr_finding *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp(x->id, y->id);
}

/* Report rows are one per (org, step), so their id is a hash of the detector,
 * org and step rather than of the evidence (two steps may share their 20 cases). */
static void fr_report_ids(fr_findings *fs) {
  for (uint32_t k = 0; k < fs->n; k++) {
    fr_finding *f = &fs->items[k];
    uint64_t h = fr_hash64("bottleneck-step", 16, 0);
    h = fr_hash64(f->org != NULL ? f->org : "", f->org != NULL ? strlen(f->org) + 1 : 1, h);
    h = fr_hash64(f->subject != NULL ? f->subject : "", f->subject != NULL ? strlen(f->subject) + 1 : 1, h);
    snprintf(f->id, sizeof f->id, "%016llx", (unsigned long long)h);
  }
  if (fs->n > 1)
    qsort(fs->items, fs->n, sizeof *fs->items, fr_report_order);
}

static fr_status fr_detect_a4(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  const int64_t share = fr_dp_i(p, "share"), factor = fr_dp_i(p, "factor");
  const int64_t min_cases = fr_dp_i(p, "min_cases"), min_events = fr_dp_i(p, "min_events");
  const int report = fr_dp_i(p, "report") != 0;
  fr_case_log log;
  fr_fbuild fb;
  fr_buf json;
  fr_buf_init(&json);
  fr_status status = fr_a_open(&log, &fb, store, p, FR_CLN_ACTOR | FR_CLN_ORG, 0, err);
  fr_srec *recs = NULL, *arecs = NULL;
  fr_wcase *scratch = NULL;
  int64_t *waits = NULL;
  uint32_t *org_cases = NULL, *stamp = NULL;
  uint64_t n = 0;
  if (status == FR_OK) {
    size_t n_alloc = log.n_events ? (size_t)log.n_events : 1, n_dict = log.dict.n ? log.dict.n : 1;
    recs = fr_malloc(n_alloc * sizeof *recs);
    arecs = fr_malloc(n_alloc * sizeof *arecs);
    scratch = fr_malloc(n_alloc * sizeof *scratch);
    waits = fr_malloc(n_alloc * sizeof *waits);
    org_cases = fr_calloc(n_dict, sizeof *org_cases);
    stamp = fr_calloc(n_dict, sizeof *stamp);
    if (recs == NULL || arecs == NULL || scratch == NULL || waits == NULL || org_cases == NULL || stamp == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK) {
    const uint32_t *act = log.cols[FR_CL_ACT].sid;
    /* distinct cases per org: cases with any event in the org */
    for (uint32_t c = 0; c < log.n_cases; c++)
      for (uint64_t i = log.case_first[c]; i < log.case_first[c + 1]; i++) {
        uint32_t o = log.org[i];
        if (o != FR_NOID && stamp[o] != c + 1) {
          stamp[o] = c + 1;
          org_cases[o]++;
        }
      }
    /* waited events in an org by (org, activity, wait); a NULL activity sorts last
     * in its org and counts only in the org's total */
    status = fr_a4_group_sort(&log, act, recs, &n, report, err);
  }
  uint64_t rows[20];
  for (uint64_t o0 = 0, o1; status == FR_OK && o0 < n; o0 = o1) {
    fr_dx128 total = 0;
    for (o1 = o0; o1 < n && recs[o1].a == recs[o0].a; o1++) total += (fr_dx128)recs[o1].c;
    const uint32_t org = (uint32_t)recs[o0].a;
    const char *org_name = fr_sdict_str(&log.dict, org);
    const int org_ok = org_cases[org] >= (uint64_t)min_cases;
    for (uint64_t g0 = o0, g1; status == FR_OK && g0 < o1; g0 = g1) {
      fr_dx128 sum = 0;
      for (g1 = g0; g1 < o1 && recs[g1].b == recs[g0].b; g1++) sum += (fr_dx128)recs[g1].c;
      if (recs[g0].b == UINT64_MAX)
        continue;
      const uint64_t m = g1 - g0;
      const uint8_t role = log.role[recs[g0].row];
      const char *step = fr_sdict_str(&log.dict, (uint32_t)recs[g0].b);
      const int flag = org_ok && !(role & (FR_ROLE_SUBMIT | FR_ROLE_TERMINAL)) && total > 0 &&
                       sum * FR_RATIO_SCALE >= (fr_dx128)share * total;
      if (!flag && !report)
        continue;
      if (!report)
        qsort(recs + g0, (size_t)m, sizeof *recs, fr_srec_cmp_c);
      for (uint64_t k = 0; k < m; k++) waits[k] = (int64_t)recs[g0 + k].c;
      const int64_t med2 = fr_case_median2(waits, m);
      const double p90 = fr_case_quantile(waits, m, 0.9);
      const double sh = total > 0 ? (double)sum / (double)total : 0.0;
      uint64_t n_cases = 0;
      uint32_t n_rows = fr_a4_longest(&log, recs + g0, m, FR_NOID, scratch, rows, &n_cases);
      fr_jstr(&json, "step", step);
      fr_jint(&json, "org_cases", org_cases[org]);
      fr_jint(&json, "cases", (int64_t)n_cases);
      fr_jint(&json, "events", (int64_t)m);
      fr_jreal(&json, "median_wait_s", (double)med2 / 2e6);
      fr_jreal(&json, "p90_wait_s", p90 / 1e6);
      fr_jreal(&json, "total_wait_s", (double)sum / 1e6);
      fr_jreal(&json, "share", sh);
      if (report) {
        fr_jraw(&json, "flagged", flag ? "true" : "false");
        fr_fbuild_add(&fb, rows, n_rows, sh, step, org_name,
                      fr_strf("%s at %s: %llu cases, median wait %.2f days, p90 %.2f days, %.1f%% of the org's "
                              "waiting%s",
                              step, org_name, (unsigned long long)n_cases, fr_days((double)med2 / 2), fr_days(p90),
                              100 * sh, flag ? " (bottleneck)" : ""),
                      fr_jdone(&json));
        continue;
      }
      fr_fbuild_add(&fb, rows, n_rows, sh, step, org_name,
                    fr_strf("%s holds %.1f%% of the waiting at %s (%llu cases, median wait %.2f days)", step,
                            100 * sh, org_name, (unsigned long long)n_cases, fr_days((double)med2 / 2)),
                    fr_jdone(&json));
      if (med2 <= 0)
        continue;
      /* actors at the flagged step, by (actor, wait) */
      uint64_t na = 0;
      for (uint64_t k = g0; k < g1; k++) {
        uint64_t pos = recs[k].row;
        if (log.actor[pos] != FR_NOID)
          arecs[na++] = (fr_srec){log.actor[pos], recs[k].c, 0, pos};
      }
      status = fr_srec_sort(arecs, (size_t)na, err);
      for (uint64_t a0 = 0, a1; status == FR_OK && a0 < na; a0 = a1) {
        for (a1 = a0; a1 < na && arecs[a1].a == arecs[a0].a; a1++) {
        }
        if (a1 - a0 < (uint64_t)min_events)
          continue;
        for (uint64_t k = a0; k < a1; k++) waits[k - a0] = (int64_t)arecs[k].b;
        const int64_t amed2 = fr_case_median2(waits, a1 - a0);
        if ((fr_dx128)amed2 * FR_RATIO_SCALE < (fr_dx128)factor * med2)
          continue;
        const uint32_t actor = (uint32_t)arecs[a0].a;
        const char *who = fr_sdict_str(&log.dict, actor);
        uint64_t a_cases = 0;
        uint32_t nr = fr_a4_longest(&log, recs + g0, m, actor, scratch, rows, &a_cases);
        fr_jstr(&json, "step", step);
        fr_jstr(&json, "actor", who);
        fr_jint(&json, "actor_events", (int64_t)(a1 - a0));
        fr_jint(&json, "actor_cases", (int64_t)a_cases);
        fr_jreal(&json, "actor_median_wait_s", (double)amed2 / 2e6);
        fr_jreal(&json, "median_wait_s", (double)med2 / 2e6);
        fr_fbuild_add(&fb, rows, nr, (double)amed2 / (double)med2, who, org_name,
                      fr_strf("%s's %s waits at %s: median %.2f days, %.1fx the step's median %.2f days (%llu "
                              "events)",
                              who, step, org_name, fr_days((double)amed2 / 2), (double)amed2 / (double)med2,
                              fr_days((double)med2 / 2), (unsigned long long)(a1 - a0)),
                      fr_jdone(&json));
      }
    }
  }
  fr_free(recs);
  fr_free(arecs);
  fr_free(scratch);
  fr_free(waits);
  fr_free(org_cases);
  fr_free(stamp);
  status = fr_a_close(&fb, status, out, err);
  if (status == FR_OK && report)
    fr_report_ids(*out);
  fr_case_log_free(&log);
  fr_buf_free(&json);
  return status;
}

/* ---- A5 repeated_visits ------------------------------------------------------------------ */

static fr_status fr_detect_a5(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  const int64_t max_visits = fr_dp_i(p, "max_visits"), min_cases = fr_dp_i(p, "min_cases");
  const int64_t factor = fr_dp_i(p, "factor"), min_rate = fr_dp_i(p, "min_rate");
  fr_case_log log;
  fr_fbuild fb;
  fr_buf json;
  fr_buf_init(&json);
  fr_status status = fr_a_open(&log, &fb, store, p, FR_CLN_ACTOR | FR_CLN_ORG, 0, err);
  fr_aev *ev = NULL;
  uint64_t *ev_first = NULL, longest = 0;
  uint64_t *visits = NULL, *last_visit = NULL, *hits = NULL;
  uint32_t *org_cases = NULL, *org_ret = NULL, *stamp = NULL, *stamp_ret = NULL;
  if (status == FR_OK) {
    const size_t n_dict = log.dict.n ? log.dict.n : 1;
    visits = fr_malloc(((size_t)log.n_cases + 1) * sizeof *visits);
    last_visit = fr_malloc(((size_t)log.n_cases + 1) * sizeof *last_visit);
    org_cases = fr_calloc(n_dict, sizeof *org_cases);
    org_ret = fr_calloc(n_dict, sizeof *org_ret);
    stamp = fr_calloc(n_dict, sizeof *stamp);
    stamp_ret = fr_calloc(n_dict, sizeof *stamp_ret);
    if (visits == NULL || last_visit == NULL || org_cases == NULL || org_ret == NULL || stamp == NULL ||
        stamp_ret == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK) {
    /* per case: visits */
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t c = 0; c < (int64_t)log.n_cases; c++) {
      visits[c] = 0;
      last_visit[c] = FR_NONE;
      for (uint64_t i = log.case_first[c]; i < log.case_first[c + 1]; i++)
        if (log.role[i] & FR_ROLE_VISIT) {
          visits[c]++;
          last_visit[c] = i;
        }
    }
    for (uint32_t c = 0; c < log.n_cases; c++) {
      if (visits[c] <= (uint64_t)max_visits)
        continue;
      fr_jint(&json, "visits", (int64_t)visits[c]);
      fr_a_add_case(&fb, &log, last_visit[c], (double)visits[c], NULL, fr_a_org(&log, last_visit[c]),
                    fr_strf("case %s: the applicant came %llu times (at most %lld expected)",
                            fr_case_key(&log, last_visit[c]), (unsigned long long)visits[c], (long long)max_visits),
                    fr_jdone(&json));
    }
    /* per org: cases, and cases with a return event in the org */
    for (uint32_t c = 0; c < log.n_cases; c++)
      for (uint64_t i = log.case_first[c]; i < log.case_first[c + 1]; i++) {
        uint32_t o = log.org[i];
        if (o == FR_NOID)
          continue;
        if (stamp[o] != c + 1) {
          stamp[o] = c + 1;
          org_cases[o]++;
        }
        if ((log.role[i] & FR_ROLE_RETURN) && stamp_ret[o] != c + 1) {
          stamp_ret[o] = c + 1;
          org_ret[o]++;
        }
      }
  }
  /* per (actor, org, case): handled, and returned by the actor there (an
   * (actor, org) run of the grouped events holds each case's events together) */
  const uint32_t n_ids = log.dict.n;
  if (status == FR_OK)
    status = fr_events_by_actor(&log, n_ids, &ev, &ev_first, &longest, err);
  if (status == FR_OK && (hits = fr_malloc((longest ? (size_t)longest : 1) * sizeof *hits)) == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  uint32_t actor = 0;
  for (uint64_t a0 = 0, a1, n = 0; status == FR_OK; a0 = a1) {
    while (actor < n_ids && a0 == ev_first[actor + 1]) actor++; /* the next actor with events */
    if (actor == n_ids)
      break;
    n = ev_first[actor + 1];
    uint64_t handled = 0, n_hits = 0;
    const uint32_t org = ev[a0].org;
    for (a1 = a0; a1 < n && ev[a1].org == org;) {
      uint64_t c1 = a1, ret = FR_NONE;
      for (; c1 < n && ev[c1].org == org && ev[c1].c == ev[a1].c; c1++)
        if ((log.role[ev[c1].pos] & FR_ROLE_RETURN) && ret == FR_NONE)
          ret = ev[c1].pos;
      handled++;
      if (ret != FR_NONE)
        hits[n_hits++] = log.row[ret];
      a1 = c1;
    }
    if (handled < (uint64_t)min_cases || n_hits == 0)
      continue;
    if ((fr_dx128)n_hits * FR_RATIO_SCALE < (fr_dx128)min_rate * handled)
      continue;
    if ((fr_dx128)n_hits * org_cases[org] * FR_RATIO_SCALE < (fr_dx128)factor * org_ret[org] * handled)
      continue;
    const char *who = fr_sdict_str(&log.dict, actor), *org_name = fr_sdict_str(&log.dict, org);
    double rate = (double)n_hits / (double)handled, org_rate = (double)org_ret[org] / (double)org_cases[org];
    fr_jint(&json, "cases_handled", (int64_t)handled);
    fr_jint(&json, "cases_returned", (int64_t)n_hits);
    fr_jreal(&json, "rate", rate);
    fr_jint(&json, "org_cases", org_cases[org]);
    fr_jint(&json, "org_cases_returned", org_ret[org]);
    fr_jreal(&json, "org_rate", org_rate);
    fr_fbuild_add(&fb, hits, (uint32_t)n_hits, rate, who, org_name,
                  fr_strf("%s returned %llu of %llu cases at %s (%.1f%%; the org %.1f%%)", who,
                          (unsigned long long)n_hits, (unsigned long long)handled, org_name, 100 * rate,
                          100 * org_rate),
                  fr_jdone(&json));
  }
  fr_free(ev);
  fr_free(ev_first);
  fr_free(hits);
  fr_free(visits);
  fr_free(last_visit);
  fr_free(org_cases);
  fr_free(org_ret);
  fr_free(stamp);
  fr_free(stamp_ret);
  status = fr_a_close(&fb, status, out, err);
  fr_case_log_free(&log);
  fr_buf_free(&json);
  return status;
}

/* ---- A6 handover_stall ------------------------------------------------------------------- */

enum { PO_ORG, PO_POST, PO_OFFICIAL, PO_START, PO_END, PO_N };


static fr_status fr_detect_a6(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  const int64_t days = fr_dp_i(p, "days");
  fr_case_log log;
  fr_fbuild fb;
  fr_buf json;
  fr_buf_init(&json);
  fr_ltable posts;
  memset(&posts, 0, sizeof posts);
  fr_lcol pc[PO_N] = {LC("posts.org", FR_LC_SID, 0), LC("posts.post", FR_LC_SID, 0),
                      LC("posts.official", FR_LC_SID, 0), LC("posts.start_date", FR_LC_DATE, 0),
                      LC("posts.end_date", FR_LC_DATE, 0)};
  fr_status status = fr_a_open(&log, &fb, store, p, FR_CLN_ACTOR | FR_CLN_ORG, 0, err);
  if (status == FR_OK)
    status = fr_ltable_load(&posts, store, p, "posts", pc, PO_N, &log.dict, err);
  fr_case_log_sync(&log); /* the posts strings may have moved the dictionary */
  fr_aev *ev = NULL;       /* events grouped by actor, each actor's by (org, position) */
  uint64_t *ev_first = NULL; /* per actor sid + 1: its events are ev[ev_first[a], ev_first[a + 1]) */
  fr_srec *succ = NULL;
  int64_t *first_term = NULL;
  uint64_t n_succ = 0;
  const uint32_t n_ids = log.dict.n; /* every actor, org and official sid is below it */
  uint64_t longest = 0;
  if (status == FR_OK)
    status = fr_events_by_actor(&log, n_ids, &ev, &ev_first, &longest, err);
  if (status == FR_OK) {
    succ = fr_malloc((posts.n_rows ? (size_t)posts.n_rows : 1) * sizeof *succ);
    first_term = fr_malloc(((size_t)log.n_cases + 1) * sizeof *first_term);
    if (succ == NULL || first_term == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK) {
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t c = 0; c < (int64_t)log.n_cases; c++) {
      first_term[c] = INT64_MAX;
      for (uint64_t i = log.case_first[c]; i < log.case_first[c + 1]; i++)
        if (log.role[i] & FR_ROLE_TERMINAL) {
          first_term[c] = fr_day_of_ts(log.ts[i]);
          break;
        }
    }
    /* posts with a start by (org, post, start, row).  A posts row reads the
     * events of its official at its org and keeps those on or before its end
     * date (whatever their order: at most one event of a case qualifies, the
     * case's last one by then). */
    for (uint64_t r = 0; r < posts.n_rows; r++)
      if (pc[PO_ORG].sid[r] != FR_NOID && pc[PO_POST].sid[r] != FR_NOID && pc[PO_START].valid[r])
        succ[n_succ++] = (fr_srec){pc[PO_ORG].sid[r], pc[PO_POST].sid[r], fr_skey(pc[PO_START].i64[r]), r};
    status = fr_srec_sort(succ, (size_t)n_succ, err);
  }
  char d1[FR_VALUE_TEXT_CAP + 1];
  const int64_t last_day = log.has_max_ts ? fr_day_of_ts(log.max_ts) : 0;
  for (uint64_t r = 0; status == FR_OK && r < posts.n_rows; r++) {
    const uint32_t org = pc[PO_ORG].sid[r], official = pc[PO_OFFICIAL].sid[r];
    if (!pc[PO_END].valid[r] || org == FR_NOID || official == FR_NOID)
      continue;
    const int64_t h = pc[PO_END].i64[r];
    /* successor: the same org and post, earliest start_date >= h */
    const char *successor = NULL;
    if (pc[PO_POST].sid[r] != FR_NOID) {
      fr_srec key = {org, pc[PO_POST].sid[r], fr_skey(h), 0};
      uint64_t lo = 0, hi = n_succ;
      while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        const fr_srec *s = &succ[mid];
        int less = s->a != key.a ? s->a < key.a : s->b != key.b ? s->b < key.b : s->c < key.c;
        if (less) lo = mid + 1;
        else hi = mid;
      }
      if (lo < n_succ && succ[lo].a == key.a && succ[lo].b == key.b)
        successor = fr_case_str(&log, pc[PO_OFFICIAL].sid[succ[lo].row]);
      if (successor != NULL && pc[PO_OFFICIAL].sid[succ[lo].row] == FR_NOID)
        successor = NULL;
    }
    const uint64_t end = official < n_ids ? ev_first[official + 1] : 0;
    uint64_t lo = official < n_ids ? ev_first[official] : 0, hi = end;
    while (lo < hi) {
      uint64_t mid = (lo + hi) / 2;
      if (ev[mid].org < org) lo = mid + 1;
      else hi = mid;
    }
    for (uint64_t k = lo; k < end && ev[k].org == org; k++) {
      const uint64_t pos = ev[k].pos;
      if (fr_day_of_ts(log.ts[pos]) > h)
        continue;
      const uint32_t c = log.case_of[pos];
      const int has_next = pos + 1 < log.case_first[c + 1];
      const int64_t next_day = has_next ? fr_day_of_ts(log.ts[pos + 1]) : INT64_MAX;
      if (next_day <= h || first_term[c] <= h || next_day <= h + days)
        continue;
      const int64_t idle = (has_next ? next_day : last_day) - h;
      const char *who = fr_sdict_str(&log.dict, official), *org_name = fr_sdict_str(&log.dict, org);
      d1[fr_format_date(d1, h)] = '\0';
      fr_jstr(&json, "official", who);
      fr_jstr(&json, "post", fr_case_str(&log, pc[PO_POST].sid[r]));
      fr_jstr(&json, "handover", d1);
      fr_jstr(&json, "successor", successor);
      if (has_next) fr_jint(&json, "next_event_days", next_day - h);
      else fr_jraw(&json, "next_event_days", "null");
      char *summary =
          has_next ? fr_strf("case %s: open when %s left %s on %s, last handled by them; next event %lld days later",
                             fr_case_key(&log, pos), who, org_name, d1, (long long)(next_day - h))
                   : fr_strf("case %s: open when %s left %s on %s, last handled by them; no event since",
                             fr_case_key(&log, pos), who, org_name, d1);
      fr_a_add_case(&fb, &log, pos, (double)idle, successor, org_name, summary, fr_jdone(&json));
    }
  }
  fr_free(ev);
  fr_free(ev_first);
  fr_free(succ);
  fr_free(first_term);
  fr_ltable_free(&posts);
  status = fr_a_close(&fb, status, out, err);
  fr_case_log_free(&log);
  fr_buf_free(&json);
  return status;
}

/* ---- A7 rubber_stamp ------------------------------------------------------------------------ */

static fr_status fr_detect_a7(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  const int64_t min_us = fr_dp_i(p, "min_seconds") * FR_US_PER_S, min_amount = fr_dp_i(p, "min_amount");
  fr_case_log log;
  fr_fbuild fb;
  fr_buf json;
  fr_buf_init(&json);
  fr_status status = fr_a_open(&log, &fb, store, p, FR_CLN_ORG | FR_CLN_AMOUNT, 0, err);
  uint64_t *hit = NULL;
  int64_t *amount = NULL;
  if (status == FR_OK) {
    hit = fr_malloc(((size_t)log.n_cases + 1) * sizeof *hit);
    amount = fr_malloc(((size_t)log.n_cases + 1) * sizeof *amount);
    if (hit == NULL || amount == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK) {
    const fr_lcol *am = &log.cols[FR_CL_AMOUNT];
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t c = 0; c < (int64_t)log.n_cases; c++) {
      int has = 0;
      int64_t best = 0;
      hit[c] = FR_NONE;
      for (uint64_t i = log.case_first[c]; i < log.case_first[c + 1]; i++) {
        uint64_t r = log.row[i];
        if (am->valid[r] && (!has || am->i64[r] > best)) {
          best = am->i64[r];
          has = 1;
        }
      }
      amount[c] = best;
      if (!has || best < min_amount)
        continue;
      for (uint64_t i = log.case_first[c]; i < log.case_first[c + 1]; i++)
        if ((log.role[i] & (FR_ROLE_APPROVE | FR_ROLE_FINAL)) && log.wait[i] >= 0 && log.wait[i] < min_us) {
          hit[c] = i;
          break;
        }
    }
    char a1[FR_VALUE_TEXT_CAP + 1];
    const uint32_t *act = log.cols[FR_CL_ACT].sid;
    for (uint32_t c = 0; c < log.n_cases; c++) {
      if (hit[c] == FR_NONE)
        continue;
      const uint64_t i = hit[c];
      const char *step = fr_case_str(&log, act[log.row[i]]);
      fr_jcents(&json, "amount", amount[c]);
      fr_jstr(&json, "step", step);
      fr_jreal(&json, "wait_s", (double)log.wait[i] / 1e6);
      fr_a_add_case(&fb, &log, i, (double)amount[c] / 100.0, NULL, fr_a_org(&log, i),
                    fr_strf("case %s of %s: %s %.0f s after the previous step", fr_case_key(&log, i),
                            fr_cents_text(a1, amount[c]), step, (double)log.wait[i] / 1e6),
                    fr_jdone(&json));
    }
  }
  fr_free(hit);
  fr_free(amount);
  status = fr_a_close(&fb, status, out, err);
  fr_case_log_free(&log);
  fr_buf_free(&json);
  return status;
}
