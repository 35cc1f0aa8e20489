/* fr_detect_time.c - F8 off_hours and F9 year_end_spike (DETECTORS.md): rules on
 * the calendar position of a payment's naive local ts.  F8 filters and groups by
 * approver; F9 sorts by (org, calendar year) and sums months exactly.
 * Workload: one pass over 10^7 payments plus a sort of the qualifying rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"

static int fr_has_date(const fr_param_value *v, int64_t day) {
  size_t lo = 0, hi = v->n_items;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (v->dates[mid] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo < v->n_items && v->dates[lo] == day;
}

fr_status fr_detect_f8(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[5] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0), LC("org", FR_LC_SID, 1),
                    LC("amount", FR_LC_AMOUNT, 0), LC("approver", FR_LC_SID, 0)};
  enum { K, T, O, A, AP };
  const int64_t min_amount = fr_dp_i(p, "min_amount");
  const int64_t min_count = fr_dp_i(p, "min_count");
  const int64_t night_start = fr_dp_i(p, "night_start"), night_end = fr_dp_i(p, "night_end");
  const fr_param_value *holidays = fr_dp(p, "holidays");
  fr_dctx cx;
  fr_srec *recs = NULL;
  uint64_t *rows = NULL;
  use[A].has_range = 1; /* amounts below min_amount never count: skip row groups by the zone map */
  use[A].range_lo = min_amount;
  use[A].range_hi = INT64_MAX;
  fr_status status = fr_dctx_open(&cx, store, p, use, 5, K, T, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  status = fr_row_scratch(n, &recs, &rows, err);
  if (status != FR_OK)
    goto done;
  size_t m = 0;
  for (uint64_t r = 0; r < n; r++) {
    if (use[AP].sid[r] == FR_NOID || !use[A].valid[r] || !use[T].valid[r] || use[A].i64[r] < min_amount)
      continue;
    int64_t ts = use[T].i64[r], day = fr_day_of_ts(ts);
    int64_t hour = (ts - day * FR_US_PER_DAY) / (3600LL * 1000000);
    int64_t weekday = ((day % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
    if (weekday == 0 || weekday == 6 || hour >= night_start || hour < night_end || fr_has_date(holidays, day))
      recs[m++] = (fr_srec){use[AP].sid[r], 0, 0, r};
  }
  status = fr_srec_sort(recs, m, err);
  for (size_t a = 0, b; a < m && status == FR_OK; a = b) {
    for (b = a + 1; b < m && recs[b].a == recs[a].a; b++) {
    }
    if ((int64_t)(b - a) < min_count)
      continue;
    uint32_t k = 0;
    fr_dx128 total = 0;
    for (size_t x = a; x < b; x++) {
      rows[k++] = recs[x].row;
      total += use[A].i64[recs[x].row];
    }
    const char *approver = fr_sdict_str(&cx.dict, (uint32_t)recs[a].a);
    char tot[FR_VALUE_TEXT_CAP + 1], lim[FR_VALUE_TEXT_CAP + 1];
    int64_t total64 = total > INT64_MAX ? INT64_MAX : (int64_t)total;
    char *summary = fr_strf("%s approved %u payments of at least %s at night, on weekends or holidays, together %s",
                            approver, k, fr_cents_text(lim, min_amount), fr_cents_text(tot, total64));
    fr_jint(&cx.json, "count", k);
    fr_jcents(&cx.json, "total", total64);
    fr_fbuild_add(&cx.fb, rows, k, (double)k, approver, fr_common_sid(&cx.dict, &use[O], rows, k), summary,
                  fr_jdone(&cx.json));
  }
done:
  fr_free(recs);
  fr_free(rows);
  return fr_dctx_close(&cx, status, out, err);
}

/* December payments by amount descending, ties to the smaller key. */
static int fr_dec_cmp(const void *pa, const void *pb, void *ctx) {
  const fr_lcol *const *cols = ctx; /* [0] key, [1] amount */
  uint64_t x = *(const uint64_t *)pa, y = *(const uint64_t *)pb;
  int64_t ax = cols[1]->i64[x], ay = cols[1]->i64[y];
  if (ax != ay)
    return ax > ay ? -1 : 1;
  return strcmp(fr_lkey(cols[0], x), fr_lkey(cols[0], y));
}

fr_status fr_detect_f9(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[4] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0), LC("org", FR_LC_SID, 0),
                    LC("amount", FR_LC_AMOUNT, 0)};
  enum { K, T, O, A };
  const int64_t ratio = fr_dp_i(p, "ratio");
  const int64_t min_amount = fr_dp_i(p, "min_amount");
  const int64_t min_months = fr_dp_i(p, "min_months");
  const int64_t min_payments = fr_dp_i(p, "min_payments");
  fr_dctx cx;
  fr_srec *recs = NULL;
  uint64_t *rows = NULL;
  fr_status status = fr_dctx_open(&cx, store, p, use, 4, K, T, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  status = fr_row_scratch(n, &recs, &rows, err);
  if (status != FR_OK)
    goto done;
  size_t m = 0;
  for (uint64_t r = 0; r < n; r++) {
    if (use[O].sid[r] == FR_NOID || !use[A].valid[r] || !use[T].valid[r])
      continue;
    int64_t year;
    unsigned month, mday;
    fr_civil_from_days(fr_day_of_ts(use[T].i64[r]), &year, &month, &mday);
    recs[m++] = (fr_srec){use[O].sid[r], fr_skey(year), month, r};
  }
  status = fr_srec_sort(recs, m, err);
  const fr_lcol *cmp_cols[2] = {&use[K], &use[A]};
  for (size_t a = 0, b; a < m && status == FR_OK; a = b) {
    for (b = a + 1; b < m && recs[b].a == recs[a].a && recs[b].b == recs[a].b; b++) {
    }
    unsigned months = 0;
    fr_dx128 jan_nov = 0, dec = 0;
    uint32_t n_dec = 0;
    for (size_t x = a; x < b; x++) {
      int64_t amount = use[A].i64[recs[x].row];
      if (recs[x].c == 12) {
        dec += amount;
        rows[n_dec++] = recs[x].row;
      } else {
        months |= 1u << recs[x].c;
        jan_nov += amount;
      }
    }
    int n_months = __builtin_popcount(months);
    if (n_months < min_months || n_dec < min_payments)
      continue;
    if (!(dec * 11 * FR_RATIO_SCALE >= (fr_dx128)ratio * jan_nov && dec >= min_amount))
      continue;
    status = fr_lkey_fetch(&cx.t, &use[K], rows, n_dec, err);
    if (status != FR_OK)
      break;
    qsort_r(rows, n_dec, sizeof *rows, fr_dec_cmp, (void *)cmp_cols);
    uint32_t kept = n_dec < 20 ? n_dec : 20;
    const char *org = fr_sdict_str(&cx.dict, (uint32_t)recs[a].a);
    int64_t year = (int64_t)(recs[a].b ^ (1ULL << 63));
    double base = (double)jan_nov / 11.0 / 100.0, dec_units = (double)dec / 100.0;
    double score = jan_nov > 0 ? dec_units / base : 0.0;
    int64_t dec64 = dec > INT64_MAX ? INT64_MAX : (int64_t)dec;
    char dtext[FR_VALUE_TEXT_CAP + 1];
    char *summary = fr_strf("%s paid %s in %u December %lld payments, %.2f times its January-November monthly mean "
                            "of %.2f",
                            org, fr_cents_text(dtext, dec64), n_dec, (long long)year, score, base);
    fr_jint(&cx.json, "year", year);
    fr_jcents(&cx.json, "december_total", dec64);
    fr_jint(&cx.json, "december_payments", n_dec);
    fr_jreal(&cx.json, "monthly_base", base);
    fr_jint(&cx.json, "months_jan_nov", n_months);
    fr_fbuild_add(&cx.fb, rows, kept, score, org, org, summary, fr_jdone(&cx.json));
  }
done:
  fr_free(recs);
  fr_free(rows);
  return fr_dctx_close(&cx, status, out, err);
}
