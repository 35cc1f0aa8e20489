/* fr_detect_time.c - F8 off_hours and F9 year_end_spike (DETECTORS.md): rules on
 * the calendar position of a payment's naive local ts.  F8 filters and groups by
 * approver; F9 sums months exactly per (org, calendar year), in dense per-thread
 * arrays, then buckets the December rows of the flagged groups.
 * Workload: one or two passes over 10^7 payments.
 */
#include <omp.h>
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

/* F8's calendar test: Saturday, Sunday, a holiday, or an hour >= night_start or
 * < night_end.  The weekday and hour depend only on the hour of the week, so a
 * 168-bit table answers them with one floor division and a bit test (the test
 * runs on every large payment); holidays, when listed, are looked up by day. */
typedef struct fr_f8_when {
  uint64_t off_hour[3]; /* bit h: hour h of the week (0 = Sunday 00:00-00:59) is off hours */
  const fr_param_value *holidays;
} fr_f8_when;

static void fr_f8_when_init(fr_f8_when *w, int64_t night_start, int64_t night_end, const fr_param_value *holidays) {
  memset(w, 0, sizeof *w);
  w->holidays = holidays;
  for (int h = 0; h < 168; h++) {
    const int weekday = h / 24, hour = h % 24;
    if (weekday == 0 || weekday == 6 || hour >= night_start || hour < night_end)
      w->off_hour[h >> 6] |= 1ULL << (h & 63);
  }
}

static int fr_f8_off_hours(int64_t ts, const void *ctx) {
  const fr_f8_when *w = ctx;
  const int64_t us_per_hour = 3600LL * 1000000;
  int64_t hours = ts / us_per_hour;
  hours -= (ts % us_per_hour) < 0; /* floor */
  /* 1970-01-01 00:00 was a Thursday, hour 4 * 24 of a week from Sunday */
  int64_t hw = (hours + 4 * 24) % 168;
  hw += hw < 0 ? 168 : 0;
  if ((w->off_hour[hw >> 6] >> (hw & 63)) & 1)
    return 1;
  return w->holidays->n_items > 0 && fr_has_date(w->holidays, fr_day_of_ts(ts));
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
  /* only payments >= min_amount at off hours are loaded (row selection: the
   * amount and ts columns decoded first, the approver interned for those) */
  fr_f8_when when;
  fr_f8_when_init(&when, night_start, night_end, holidays);
  use[A].has_range = 1;
  use[A].range_lo = min_amount;
  use[A].range_hi = INT64_MAX;
  use[T].keep_ts = fr_f8_off_hours;
  use[T].keep_ctx = &when;
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
    if (fr_f8_off_hours(use[T].i64[r], &when))
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

/* One (org, calendar year) of F9: its January-November months and sums. */
typedef struct fr_f9_group {
  fr_dx128 jan_nov, dec;
  uint32_t n_dec;
  uint16_t months;      /* bit m: a payment in month m (1..11) */
} fr_f9_group;

/* Groups are dense: (org id) x (index among the calendar years present). */
#define FR_F9_MAX_GROUPS (1u << 24)
/* A ts range of at most this many days gets a (year, month) table; a wider one
 * (a stray far-future date) works the calendar out per payment. */
#define FR_F9_MAX_DAYS (1 << 20)

/* Calendar of the payments' days: the year (offset from y_min) and month of day d. */
typedef struct fr_f9_cal {
  int64_t d_min, y_min;
  uint64_t n_days;          /* table size; 0 = no table */
  int32_t *day_year;        /* per day: year - y_min */
  uint8_t *day_month;
  uint32_t *year_idx;       /* per year - y_min: its index among the years present */
} fr_f9_cal;

static inline void fr_f9_when(const fr_f9_cal *c, int64_t day, uint64_t *year_off, unsigned *month) {
  if (c->n_days) {
    uint64_t d = (uint64_t)(day - c->d_min);
    *year_off = (uint64_t)c->day_year[d];
    *month = c->day_month[d];
  } else {
    int64_t y;
    unsigned md;
    fr_civil_from_days(day, &y, month, &md);
    *year_off = (uint64_t)(y - c->y_min);
  }
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
  uint64_t *dec_rows = NULL, *dec_start = NULL;
  fr_f9_group *groups = NULL;
  fr_f9_cal cal = {0};
  uint8_t *year_seen = NULL;
  uint32_t *flag_idx = NULL;
  uint32_t *day_code = NULL; /* per day of the calendar table: (year index << 4) | month */
  uint64_t *dec_cand = NULL; /* per thread: its December rows, ascending */
  uint64_t *dec_at = NULL, *dec_n = NULL; /* per thread: its first row (and n), its December rows' count */
  use[T].want_max = 1; /* the day range from the zone maps, not from a pass */
  fr_status status = fr_dctx_open(&cx, store, p, use, 4, K, T, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  const int n_threads = omp_get_max_threads();
#define F9_ROW_OK(r) (use[T].valid[r] && use[O].sid[r] != FR_NOID && use[A].valid[r])
  /* the day range of every ts of the table (the zone maps': it may hold days of
   * rows left out for a NULL org or amount, which only widens the calendar); a
   * (year, month) per day when it is not too wide: the calendar is worked out
   * once per day, not per payment */
  if (!use[T].has_max)
    goto done; /* every ts NULL: no payment to group */
  const int64_t d_min = fr_day_of_ts(use[T].min_ts), d_max = fr_day_of_ts(use[T].max_ts);
  unsigned mo, md;
  int64_t y_max;
  fr_civil_from_days(d_min, &cal.y_min, &mo, &md);
  fr_civil_from_days(d_max, &y_max, &mo, &md);
  cal.d_min = d_min;
  const uint64_t year_span = (uint64_t)(y_max - cal.y_min + 1);
  if ((uint64_t)(d_max - d_min) < FR_F9_MAX_DAYS) {
    cal.n_days = (uint64_t)(d_max - d_min + 1);
    cal.day_year = fr_malloc(cal.n_days * sizeof *cal.day_year);
    cal.day_month = fr_malloc(cal.n_days);
    if (cal.day_year == NULL || cal.day_month == NULL) {
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      goto done;
    }
    for (uint64_t d = 0; d < cal.n_days; d++) {
      int64_t y;
      fr_civil_from_days(d_min + (int64_t)d, &y, &mo, &md);
      cal.day_year[d] = (int32_t)(y - cal.y_min);
      cal.day_month[d] = (uint8_t)mo;
    }
  }
  /* the years, numbered: every year of the span when (orgs x span) groups fit
   * (a year without payments makes groups that are never flagged); else only
   * the years present, found by a pass */
  cal.year_idx = fr_malloc(year_span * sizeof *cal.year_idx);
  if (cal.year_idx == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  uint64_t n_years = 0;
  /* a ts outside the zone maps' range (a store whose zone maps lie) would index
   * past the calendar and the groups: such rows are counted, not used, and
   * fail the rule as a damaged store */
  int outside = 0;
  if ((uint64_t)cx.dict.n * year_span <= FR_F9_MAX_GROUPS) {
    for (uint64_t y = 0; y < year_span; y++) cal.year_idx[y] = (uint32_t)n_years++;
  } else {
    year_seen = fr_calloc(year_span, 1);
    if (year_seen == NULL) {
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      goto done;
    }
#pragma omp parallel for schedule(static)
    for (uint64_t r = 0; r < n; r++) {
      if (!F9_ROW_OK(r))
        continue;
      uint64_t yo;
      unsigned m;
      const int64_t day = fr_day_of_ts(use[T].i64[r]);
      if (day < d_min || day > d_max) {
        outside = 1; /* every writer writes 1 */
        continue;
      }
      fr_f9_when(&cal, day, &yo, &m);
      year_seen[yo] = 1; /* every writer writes 1 */
    }
    for (uint64_t y = 0; y < year_span; y++) cal.year_idx[y] = year_seen[y] ? (uint32_t)n_years++ : UINT32_MAX;
  }
  const uint64_t n_groups = (uint64_t)cx.dict.n * n_years;
  if (n_groups > FR_F9_MAX_GROUPS) {
    status = fr_error_set(err, FR_ERR_LIMIT,
                          "year_end_spike: %u orgs x %llu calendar years = %llu groups; at most %u are supported",
                          cx.dict.n, (unsigned long long)n_years, (unsigned long long)n_groups, FR_F9_MAX_GROUPS);
    goto done;
  }
  if (cal.n_days > 0 && n_years < (1u << 27)) {
    day_code = fr_malloc(cal.n_days * sizeof *day_code);
    if (day_code == NULL) {
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      goto done;
    }
    /* a day's year is one with payments when any row of the pass has that
     * day; other days' codes are never read */
    for (uint64_t d = 0; d < cal.n_days; d++)
      day_code[d] = (cal.year_idx[cal.day_year[d]] << 4) | cal.day_month[d];
  }
  groups = fr_calloc((size_t)n_threads * n_groups, sizeof *groups);
  dec_cand = fr_malloc((size_t)(n ? n : 1) * sizeof *dec_cand); /* touched only where a December row goes */
  dec_at = fr_malloc(((size_t)n_threads + 1) * sizeof *dec_at);
  dec_n = fr_malloc((size_t)n_threads * sizeof *dec_n);
  if (groups == NULL || dec_cand == NULL || dec_at == NULL || dec_n == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory (%llu groups)", (unsigned long long)n_groups);
    goto done;
  }
  /* per thread sums over a contiguous range of rows, merged into the first
   * copy (exact 128-bit sums); each thread lists its December rows in its part
   * of dec_cand, so the flagged groups' December rows come without another
   * pass over every row */
  for (int t = 0; t <= n_threads; t++) dec_at[t] = n * (uint64_t)t / (uint64_t)n_threads;
#pragma omp parallel for schedule(static, 1) num_threads(n_threads)
  for (int t = 0; t < n_threads; t++) { /* a part per iteration: every part runs, whatever the team */
    fr_f9_group *mine = groups + (size_t)t * n_groups;
    uint64_t *cand = dec_cand + dec_at[t], n_cand = 0;
    const int64_t *ts = use[T].i64, *amounts = use[A].i64;
    const uint8_t *ts_ok = use[T].valid, *amount_ok = use[A].valid;
    const uint32_t *org = use[O].sid;
    for (uint64_t r = dec_at[t]; r < dec_at[t + 1]; r++) {
      if (!(ts_ok[r] & amount_ok[r]) || org[r] == FR_NOID)
        continue;
      uint64_t yi;
      unsigned m;
      const int64_t day = fr_day_of_ts(ts[r]);
      if (day < d_min || day > d_max) {
#pragma omp atomic write
        outside = 1;
        continue;
      }
      if (day_code != NULL) { /* the table's (year index, month): one load */
        const uint32_t code = day_code[day - cal.d_min];
        yi = code >> 4;
        m = code & 15;
      } else {
        fr_f9_when(&cal, day, &yi, &m);
        yi = cal.year_idx[yi];
      }
      fr_f9_group *g = &mine[(uint64_t)org[r] * n_years + yi];
      const int64_t amount = amounts[r];
      if (m == 12) {
        g->dec += amount;
        g->n_dec++;
        cand[n_cand++] = r;
      } else {
        g->months |= (uint16_t)(1u << m);
        g->jan_nov += amount;
      }
    }
    dec_n[t] = n_cand;
  }
  if (outside) {
    status = fr_error_set(err, FR_ERR_CORRUPT,
                          "year_end_spike: a payment's ts lies outside the range of its table's zone maps (a damaged "
                          "store)");
    goto done;
  }
  for (int t = 1; t < n_threads; t++)
    for (uint64_t g = 0; g < n_groups; g++) {
      const fr_f9_group *x = &groups[(size_t)t * n_groups + g];
      groups[g].jan_nov += x->jan_nov;
      groups[g].dec += x->dec;
      groups[g].n_dec += x->n_dec;
      groups[g].months |= x->months;
    }
  /* the flagged groups, numbered; their December rows bucketed by that number */
  flag_idx = fr_malloc(n_groups * sizeof *flag_idx);
  if (flag_idx == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  uint32_t n_flag = 0;
  uint64_t n_dec_rows = 0;
  for (uint64_t g = 0; g < n_groups; g++) {
    const fr_f9_group *x = &groups[g];
    int flagged = __builtin_popcount(x->months) >= min_months && x->n_dec >= min_payments &&
                  x->dec * 11 * FR_RATIO_SCALE >= (fr_dx128)ratio * x->jan_nov && x->dec >= min_amount;
    flag_idx[g] = flagged ? n_flag++ : UINT32_MAX;
    n_dec_rows += flagged ? x->n_dec : 0;
  }
  dec_rows = fr_malloc((n_dec_rows ? n_dec_rows : 1) * sizeof *dec_rows);
  dec_start = fr_calloc((size_t)n_flag + 1, sizeof *dec_start);
  if (dec_rows == NULL || dec_start == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (uint64_t g = 0; g < n_groups; g++)
    if (flag_idx[g] != UINT32_MAX) dec_start[flag_idx[g] + 1] = groups[g].n_dec;
  for (uint32_t f = 0; f < n_flag; f++) dec_start[f + 1] += dec_start[f];
  /* the threads' lists in thread order: every December row, ascending */
  for (int t = 0; n_flag > 0 && t < n_threads; t++)
    for (uint64_t i = 0; i < dec_n[t]; i++) {
      const uint64_t r = dec_cand[dec_at[t] + i];
      uint64_t yo;
      unsigned m;
      fr_f9_when(&cal, fr_day_of_ts(use[T].i64[r]), &yo, &m);
      uint32_t f = flag_idx[(uint64_t)use[O].sid[r] * n_years + cal.year_idx[yo]];
      if (f != UINT32_MAX)
        dec_rows[dec_start[f]++] = r;
    }
#undef F9_ROW_OK
  for (uint32_t f = n_flag; f > 0; f--) dec_start[f] = dec_start[f - 1];
  dec_start[0] = 0;
  const fr_lcol *cmp_cols[2] = {&use[K], &use[A]};
  /* the keys of every flagged group's December rows in one fetch (a fetch
   * decodes each row group its rows lie in once) */
  if (n_flag > 0)
    status = fr_lkey_fetch(&cx.t, &use[K], dec_rows, (size_t)dec_start[n_flag], err);
  for (uint64_t g = 0; g < n_groups && status == FR_OK; g++) {
    if (flag_idx[g] == UINT32_MAX)
      continue;
    const fr_f9_group *x = &groups[g];
    uint64_t *dr = dec_rows + dec_start[flag_idx[g]];
    const uint32_t n_dec = x->n_dec;
    qsort_r(dr, n_dec, sizeof *dr, fr_dec_cmp, (void *)cmp_cols);
    uint32_t kept = n_dec < 20 ? n_dec : 20;
    const char *org = fr_sdict_str(&cx.dict, (uint32_t)(g / n_years));
    int64_t year = 0;
    for (uint64_t y = 0; y < year_span; y++) /* the year whose index this is */
      if (cal.year_idx[y] == g % n_years) year = cal.y_min + (int64_t)y;
    double base = (double)x->jan_nov / 11.0 / 100.0, dec_units = (double)x->dec / 100.0;
    double score = x->jan_nov > 0 ? dec_units / base : 0.0;
    int64_t dec64 = x->dec > INT64_MAX ? INT64_MAX : (int64_t)x->dec;
    char dtext[FR_VALUE_TEXT_CAP + 1];
    char *summary = fr_strf("%s paid %s in %u December %lld payments, %.2f times its January-November monthly mean "
                            "of %.2f",
                            org, fr_cents_text(dtext, dec64), n_dec, (long long)year, score, base);
    fr_jint(&cx.json, "year", year);
    fr_jcents(&cx.json, "december_total", dec64);
    fr_jint(&cx.json, "december_payments", n_dec);
    fr_jreal(&cx.json, "monthly_base", base);
    fr_jint(&cx.json, "months_jan_nov", __builtin_popcount(x->months));
    fr_fbuild_add(&cx.fb, dr, kept, score, org, org, summary, fr_jdone(&cx.json));
  }
done:
  fr_free(dec_rows);
  fr_free(dec_start);
  fr_free(groups);
  fr_free(cal.day_year);
  fr_free(cal.day_month);
  fr_free(cal.year_idx);
  fr_free(year_seen);
  fr_free(flag_idx);
  fr_free(dec_cand);
  fr_free(day_code);
  fr_free(dec_at);
  fr_free(dec_n);
  return fr_dctx_close(&cx, status, out, err);
}
