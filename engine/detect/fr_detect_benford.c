/* fr_detect_benford.c - F4 benford: first-two-digit test per group with the
 * finite-sample excess MAD (DETECTORS.md F4).  One pass counts rows per group,
 * a second builds 90-bin digit histograms only for groups of >= min_count rows
 * (so memory is bounded by the tested groups, not the distinct values), a third
 * collects the evidence of the flagged groups.
 * Reading (the literal one): the sample is the group's amounts >= min_amount, and
 * n counts them all; an amount whose integer part has fewer than two digits
 * (under 10.00, or negative with a negative min_amount) has no pair d in 10..99,
 * so it counts in n and in no p_d (with the default min_amount 10.00 there are
 * none).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"

/* The first two digits of the integer part of `cents` (10..99), or 0 when it
 * has fewer than two (under 10.00, negative). */
static int fr_first_two(int64_t cents) {
  if (cents < 1000)
    return 0;
  int64_t ip = cents / 100;
  while (ip >= 100) ip /= 10;
  return (int)ip;
}

static int fr_key_cmp(const void *a, const void *b, void *ctx) {
  const fr_lcol *key = ctx;
  return strcmp(fr_lkey(key, *(const uint64_t *)a), fr_lkey(key, *(const uint64_t *)b));
}

fr_status fr_detect_f4(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[4] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 1), LC("group_by", FR_LC_SID, 0),
                    LC("amount", FR_LC_AMOUNT, 0)};
  enum { K, T, G, A };
  const int64_t min_amount = fr_dp_i(p, "min_amount");
  const int64_t min_count = fr_dp_i(p, "min_count");
  const double mad_limit = fr_dp_f(p, "mad_limit");
  const int group_is_org = strcmp(fr_dp_s(p, "group_by"), "org") == 0;
  fr_dctx cx;
  uint32_t *count = NULL, *slot = NULL;
  uint32_t (*hist)[100] = NULL;
  uint64_t *rows = NULL;
  use[T].lazy = 1; /* only the findings' first / last time */
  fr_status status = fr_dctx_open(&cx, store, p, use, 4, K, T, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  const uint32_t n_groups = cx.dict.n;
  count = fr_calloc(n_groups ? n_groups : 1, sizeof *count);
  slot = fr_malloc((n_groups ? n_groups : 1) * sizeof *slot);
  if (count == NULL || slot == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
#define F4_IN_SAMPLE(r) \
  (use[G].sid[r] != FR_NOID && use[A].valid[r] && use[A].i64[r] >= min_amount)
  for (uint64_t r = 0; r < n; r++)
    if (F4_IN_SAMPLE(r)) count[use[G].sid[r]]++;
  uint32_t n_tested = 0;
  for (uint32_t g = 0; g < n_groups; g++) slot[g] = (int64_t)count[g] >= min_count ? n_tested++ : UINT32_MAX;
  hist = fr_calloc(n_tested ? n_tested : 1, sizeof *hist);
  if (hist == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (uint64_t r = 0; r < n; r++)
    if (F4_IN_SAMPLE(r) && slot[use[G].sid[r]] != UINT32_MAX)
      hist[slot[use[G].sid[r]]][fr_first_two(use[A].i64[r])]++;
  double e[100] = {0}, mean_sd = 0;
  for (int d = 10; d <= 99; d++) {
    e[d] = log10(1.0 + 1.0 / d);
    mean_sd += sqrt(e[d] * (1 - e[d]));
  }
  mean_sd /= 90;
  /* groups in id order (first appearance), so the scan below is deterministic;
   * first the flagged groups and the rows of their top pairs, then one fetch of
   * those rows' keys (a fetch decodes every row group its rows lie in, and a
   * group's rows lie in most of them), then the findings */
  typedef struct {
    uint32_t g, n_rows;
    uint64_t first; /* its rows at rows[first ..) */
    double mad, expected, excess;
    int top[3];
  } f4_flag;
  f4_flag *flags = NULL;
  uint32_t n_flags = 0;
  uint64_t n_all = 0;
  for (uint32_t g = 0; g < n_groups && status == FR_OK; g++) {
    if (slot[g] == UINT32_MAX)
      continue;
    const uint32_t *c = hist[slot[g]];
    const double cnt = (double)count[g];
    double mad = 0;
    for (int d = 10; d <= 99; d++) mad += fabs((double)c[d] / cnt - e[d]);
    mad /= 90;
    double expected = sqrt(2.0 / (acos(-1.0) * cnt)) * mean_sd;
    double excess = mad - expected;
    if (!(excess > mad_limit))
      continue;
    f4_flag fl = {g, 0, n_all, mad, expected, excess, {0, 0, 0}};
    for (int t = 0; t < 3; t++) {
      int best = 0;
      for (int d = 10; d <= 99; d++) {
        if (d == fl.top[0] || d == fl.top[1]) continue;
        if (best == 0 || (double)c[d] / cnt - e[d] > (double)c[best] / cnt - e[best]) best = d;
      }
      fl.top[t] = best;
    }
    for (int t = 0; t < 3; t++) fl.n_rows += c[fl.top[t]];
    n_all += fl.n_rows;
    f4_flag *grown = fr_realloc(flags, (n_flags + 1) * sizeof *flags);
    if (grown == NULL) {
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      break;
    }
    flags = grown;
    flags[n_flags++] = fl;
  }
  if (status == FR_OK && (rows = fr_malloc((n_all ? n_all : 1) * sizeof *rows)) == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  for (uint32_t f = 0; f < n_flags && status == FR_OK; f++) {
    const f4_flag *fl = &flags[f];
    uint64_t *mine = rows + fl->first;
    uint32_t k = 0;
    for (uint64_t r = 0; r < n && k < fl->n_rows; r++) {
      if (!F4_IN_SAMPLE(r) || use[G].sid[r] != fl->g)
        continue;
      int d = fr_first_two(use[A].i64[r]);
      if (d == fl->top[0] || d == fl->top[1] || d == fl->top[2]) mine[k++] = r;
    }
  }
  if (status == FR_OK)
    status = fr_lkey_fetch(&cx.t, &use[K], rows, (size_t)n_all, err);
  for (uint32_t f = 0; f < n_flags && status == FR_OK; f++) {
    const f4_flag *fl = &flags[f];
    const uint32_t g = fl->g, k = fl->n_rows;
    const uint32_t *c = hist[slot[g]];
    const double cnt = (double)count[g];
    uint64_t *mine = rows + fl->first;
    qsort_r(mine, k, sizeof *mine, fr_key_cmp, &use[K]);
    uint32_t kept = k < 1000 ? k : 1000;
    const char *group = fr_sdict_str(&cx.dict, g);
    char *summary = fr_strf("%u amounts of %s break Benford's law: first-two-digit MAD %.5f against %.5f expected "
                            "by chance; most over-represented %d (%.2f%% vs %.2f%%), %d, %d",
                            count[g], group, fl->mad, fl->expected, fl->top[0], 100.0 * c[fl->top[0]] / cnt,
                            100.0 * e[fl->top[0]], fl->top[1], fl->top[2]);
    fr_jint(&cx.json, "n", count[g]);
    fr_jreal(&cx.json, "mad", fl->mad);
    fr_jreal(&cx.json, "expected_mad", fl->expected);
    fr_jreal(&cx.json, "excess_mad", fl->excess);
    char pairs[64];
    snprintf(pairs, sizeof pairs, "[%d,%d,%d]", fl->top[0], fl->top[1], fl->top[2]);
    fr_jraw(&cx.json, "top_pairs", pairs);
    fr_jint(&cx.json, "rows_in_top_pairs", k);
    fr_fbuild_add(&cx.fb, mine, kept, fl->excess, group, group_is_org ? group : NULL, summary, fr_jdone(&cx.json));
  }
  fr_free(flags);
#undef F4_IN_SAMPLE
done:
  fr_free(count);
  fr_free(slot);
  fr_free(hist);
  fr_free(rows);
  return fr_dctx_close(&cx, status, out, err);
}
