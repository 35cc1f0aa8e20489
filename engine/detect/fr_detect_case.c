/* fr_detect_case.c - the case-reconstruction kernel the approval detectors share.
 *
 * Cases are numbered in first-seen order; a counting sort by case number puts
 * each case's rows together in input order, and one parallel pass per case sorts
 * them by ts (stable: ties keep input order, DETECTORS.md section A) and fills the
 * per-position arrays (row, ts, wait, roles, actor, org).  Nothing depends on the
 * thread count.
 * Workload: 10^4..10^8 events, cases of a few to a few thousand events; memory is
 * the loaded columns plus ~45 bytes per event.
 */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_case.h"

static const struct {
  const char *param;
  uint8_t role;
} fr_role_params[] = {
    {"submit", FR_ROLE_SUBMIT}, {"approve", FR_ROLE_APPROVE}, {"final", FR_ROLE_FINAL},
    {"pay", FR_ROLE_PAY},       {"return", FR_ROLE_RETURN},   {"visit", FR_ROLE_VISIT},
    {"terminal", FR_ROLE_TERMINAL},
};

double fr_case_quantile(const int64_t *sorted, uint64_t n, double q) {
  double rn = (double)(n - 1) * q;
  uint64_t lo = (uint64_t)rn;
  if (lo + 1 >= n)
    return (double)sorted[n - 1];
  double a = (double)sorted[lo], b = (double)sorted[lo + 1];
  return a + (b - a) * (rn - (double)lo);
}

void fr_case_log_sync(fr_case_log *log) {
  static char empty[1];
  log->cols[FR_CL_KEY].key_bytes = log->cols[FR_CL_CASE].grp_bytes != NULL ? log->cols[FR_CL_CASE].grp_bytes : empty;
}

void fr_case_log_free(fr_case_log *log) {
  log->cols[FR_CL_KEY].key_bytes = NULL; /* the dictionary's, not the table's */
  fr_ltable_free(&log->t);
  fr_sdict_free(&log->dict);
  fr_free(log->case_first);
  fr_free(log->case_of);
  fr_free(log->row);
  fr_free(log->ts);
  fr_free(log->wait);
  fr_free(log->role);
  fr_free(log->actor);
  fr_free(log->org);
  fr_free(log->role_of);
  memset(log, 0, sizeof *log);
}

static fr_status fr_case_log_build(fr_case_log *log, const fr_store *store, const fr_detect_params *p,
                                   unsigned need, unsigned roles, int unordered, fr_error *err);

fr_status fr_case_log_open(fr_case_log *log, const fr_store *store, const fr_detect_params *p, unsigned need,
                           fr_error *err) {
  return fr_case_log_build(log, store, p, need, 0, 0, err);
}

fr_status fr_case_log_open_roles(fr_case_log *log, const fr_store *store, const fr_detect_params *p, unsigned need,
                                 unsigned roles, fr_error *err) {
  return fr_case_log_build(log, store, p, need, roles, 0, err);
}

fr_status fr_case_log_load_roles(fr_case_log *log, const fr_store *store, const fr_detect_params *p, unsigned need,
                                 unsigned roles, fr_error *err) {
  return fr_case_log_build(log, store, p, need, roles, 1, err);
}

/* The three above; `unordered`: stop after the load (fr_case_log_load_roles). */
static fr_status fr_case_log_build(fr_case_log *log, const fr_store *store, const fr_detect_params *p,
                                   unsigned need, unsigned roles, int unordered, fr_error *err) {
  memset(log, 0, sizeof *log);
  fr_sdict_init(&log->dict);
  fr_sdict role_names; /* roles: the activity names that play one of them */
  fr_sdict_init(&role_names);
  log->org_all = FR_NOID;
  fr_lcol *c = log->cols;
  c[FR_CL_KEY] = (fr_lcol)LC("case_id", FR_LC_KEY, 0);
  /* case ids are numbered in their own column, in parallel: interned one at a
   * time into the shared dictionary, millions of distinct ids were the load's
   * largest serial cost */
  c[FR_CL_CASE] = (fr_lcol)LC("case_id", FR_LC_GROUP, 0);
  c[FR_CL_TS] = (fr_lcol)LC("ts", FR_LC_TS, 0);
  c[FR_CL_ACT] = (fr_lcol)LC("activity", FR_LC_SID, 0);
  c[FR_CL_ACTOR] = (fr_lcol)LC("actor", FR_LC_SID, 0);
  c[FR_CL_ORG] = (fr_lcol)LC("org", FR_LC_SID, 0);
  c[FR_CL_SERVICE] = (fr_lcol)LC("service", FR_LC_SID, 1);
  c[FR_CL_AMOUNT] = (fr_lcol)LC("amount", FR_LC_AMOUNT, 0);
  int org_all = (need & FR_CLN_ORG) && strcmp(fr_dp_s(p, "org"), FR_CASE_ORG_ALL) == 0;
  fr_status status = FR_OK;
  if (roles != 0) {
    /* only the events whose activity plays a wanted role are loaded (a semi-join
     * on the role names); the latest ts of the table comes from its zone maps */
    log->roles_only = 1;
    c[FR_CL_TS].want_max = 1;
    c[FR_CL_ACT].member_of = &role_names;
    for (size_t k = 0; k < sizeof fr_role_params / sizeof fr_role_params[0] && status == FR_OK; k++) {
      const fr_param_value *v = fr_dp(p, fr_role_params[k].param);
      for (uint32_t w = 0; (roles & fr_role_params[k].role) && v != NULL && w < v->n_items && status == FR_OK; w++) {
        uint32_t id;
        status = fr_sdict_intern(&role_names, v->words[w], strlen(v->words[w]), &id);
      }
    }
    if (status != FR_OK) {
      fr_sdict_free(&role_names);
      return fr_error_set(err, status, "out of memory");
    }
  }
  /* the loader takes a dense list: move the columns not needed to the end */
  fr_lcol want[FR_CL_N];
  int slot_of[FR_CL_N];
  uint32_t n_want = 0;
  for (int k = 0; k < FR_CL_N; k++) {
    int needed = (k != FR_CL_KEY && k <= FR_CL_ACT) || (k == FR_CL_ACTOR && (need & FR_CLN_ACTOR)) ||
                 (k == FR_CL_ORG && (need & FR_CLN_ORG) && !org_all) ||
                 (k == FR_CL_SERVICE && (need & FR_CLN_SERVICE)) || (k == FR_CL_AMOUNT && (need & FR_CLN_AMOUNT));
    slot_of[k] = needed ? (int)n_want : -1;
    if (needed)
      want[n_want++] = c[k];
  }
  status = fr_ltable_load(&log->t, store, p, "approvals", want, n_want, &log->dict, err);
  fr_sdict_free(&role_names);
  /* the table keeps pointing at `want`'s arrays: hand them to log->cols */
  for (int k = 0; k < FR_CL_N; k++) {
    if (slot_of[k] >= 0)
      c[k] = want[slot_of[k]];
    else
      c[k].present = 0;
  }
  log->t.cols = c;
  log->t.n_cols = FR_CL_N;
  if (status != FR_OK)
    return status;
  if (org_all) {
    status = fr_sdict_intern(&log->dict, FR_CASE_ORG_ALL, 1, &log->org_all);
    if (status != FR_OK)
      return fr_error_set(err, status, "out of memory");
  }

  const uint64_t n_rows = log->t.n_rows;
  const uint32_t *case_sid = c[FR_CL_CASE].sid;
  /* the key texts are the case column's: offsets of each row's case id (a NULL
   * one points at the empty text after the last; such rows are never evidence) */
  const uint32_t n_ids = c[FR_CL_CASE].n_groups;
  const uint64_t *id_off = c[FR_CL_CASE].grp_off;
  c[FR_CL_KEY].key_off = fr_malloc(((size_t)n_rows + 1) * sizeof *c[FR_CL_KEY].key_off);
  if (c[FR_CL_KEY].key_off == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  c[FR_CL_KEY].present = 1;
  const uint64_t empty_off = id_off != NULL ? id_off[n_ids] : 0;
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < (int64_t)n_rows; r++)
    c[FR_CL_KEY].key_off[r] = case_sid[r] == FR_NOID ? empty_off : id_off[case_sid[r]];
  c[FR_CL_KEY].key_off[n_rows] = empty_off;
  fr_case_log_sync(log);
  const int64_t *ts = c[FR_CL_TS].i64;
  const uint8_t *ts_ok = c[FR_CL_TS].valid;
  uint64_t n = 0;
  if (log->roles_only) { /* the rows loaded are not all: the table's latest ts */
    log->has_max_ts = c[FR_CL_TS].has_max;
    log->max_ts = c[FR_CL_TS].max_ts;
  }
  for (uint64_t r = 0; r < n_rows; r++) {
    if (!log->roles_only && ts_ok[r] && (!log->has_max_ts || ts[r] > log->max_ts)) {
      log->max_ts = ts[r];
      log->has_max_ts = 1;
    }
    n += case_sid[r] != FR_NOID && ts_ok[r];
  }
  log->n_events = n;
  /* roles of the activity names named by the parameters */
  uint8_t *role_of = log->role_of = fr_calloc(log->dict.n ? log->dict.n : 1, 1);
  if (role_of == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  for (size_t k = 0; k < sizeof fr_role_params / sizeof fr_role_params[0]; k++) {
    const fr_param_value *v = fr_dp(p, fr_role_params[k].param);
    for (uint32_t w = 0; v != NULL && w < v->n_items; w++) {
      uint32_t sid = fr_sdict_lookup(&log->dict, v->words[w], strlen(v->words[w]));
      if (sid != FR_NOID)
        role_of[sid] |= fr_role_params[k].role;
    }
  }
  if (unordered)
    return FR_OK;
  size_t n_alloc = n ? (size_t)n : 1;
  fr_srec *recs = NULL; /* sort space for cases of more than 32 events */
  uint32_t *case_no = fr_malloc((n_ids ? n_ids : 1) * sizeof *case_no);
  log->case_of = fr_malloc(n_alloc * sizeof *log->case_of);
  log->row = fr_malloc(n_alloc * sizeof *log->row);
  log->ts = fr_malloc(n_alloc * sizeof *log->ts);
  log->wait = log->roles_only ? NULL : fr_malloc(n_alloc * sizeof *log->wait);
  log->role = fr_malloc(n_alloc);
  log->actor = fr_malloc(n_alloc * sizeof *log->actor);
  log->org = fr_malloc(n_alloc * sizeof *log->org);
  if (case_no == NULL || log->case_of == NULL || log->row == NULL || log->ts == NULL ||
      (log->wait == NULL && !log->roles_only) || log->role == NULL || log->actor == NULL || log->org == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory ordering %llu events", (unsigned long long)n);
    goto done;
  }
  memset(case_no, 0xff, (n_ids ? n_ids : 1) * sizeof *case_no);
  /* case numbers in first-seen order; a counting sort by case keeps input order
   * within each case, so the per-case sort by ts below only has to be stable */
  for (uint64_t r = 0; r < n_rows; r++)
    if (case_sid[r] != FR_NOID && ts_ok[r] && case_no[case_sid[r]] == UINT32_MAX)
      case_no[case_sid[r]] = log->n_cases++;
  const uint32_t n_cases = log->n_cases;
  log->case_first = fr_calloc_dense((size_t)n_cases + 2, sizeof *log->case_first); /* counted at random */
  if (log->case_first == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  uint64_t *fill = log->case_first + 1; /* fill[c] counts, then the next free slot of case c */
  for (uint64_t r = 0; r < n_rows; r++)
    if (case_sid[r] != FR_NOID && ts_ok[r])
      fill[case_no[case_sid[r]]]++;
  uint64_t at = 0, longest = 0;
  for (uint32_t ci = 0; ci < n_cases; ci++) {
    uint64_t k = fill[ci];
    fill[ci] = at;
    at += k;
    longest = k > longest ? k : longest;
  }
  if (longest > 32 && (recs = fr_malloc(n_alloc * sizeof *recs)) == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory ordering %llu events", (unsigned long long)n);
    goto done;
  }
  for (uint64_t r = 0; r < n_rows; r++)
    if (case_sid[r] != FR_NOID && ts_ok[r])
      log->row[fill[case_no[case_sid[r]]]++] = r;
  /* now fill[c] = case_first[c + 1]; case_first[0] = 0 */
  const uint32_t *act = c[FR_CL_ACT].sid;
  const uint32_t *actor = c[FR_CL_ACTOR].present ? c[FR_CL_ACTOR].sid : NULL;
  const uint32_t *org = c[FR_CL_ORG].present ? c[FR_CL_ORG].sid : NULL;
  const uint32_t org_const = log->org_all;
  /* one pass per case: order by (ts, input row), then positions, waits, roles */
#pragma omp parallel for schedule(dynamic, 1024)
  for (int64_t ci = 0; ci < (int64_t)n_cases; ci++) {
    const uint64_t a = log->case_first[ci], b = log->case_first[ci + 1];
    uint64_t *rows = log->row + a;
    const uint64_t m = b - a;
    fr_rows_sort_by_ts(rows, m, ts, recs != NULL ? recs + a : NULL);
    for (uint64_t k = a; k < b; k++) {
      uint64_t r = log->row[k];
      log->case_of[k] = (uint32_t)ci;
      log->ts[k] = ts[r];
      if (log->wait != NULL)
        log->wait[k] = k == a ? -1 : ts[r] - ts[log->row[k - 1]];
      log->role[k] = act[r] == FR_NOID ? 0 : role_of[act[r]];
      log->actor[k] = actor != NULL ? actor[r] : FR_NOID;
      log->org[k] = org != NULL ? org[r] : org_const;
    }
  }
done:
  fr_free(recs);
  fr_free(case_no);
  return status;
}
