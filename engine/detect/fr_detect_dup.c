/* fr_detect_dup.c - F1 duplicate_payment, F2 near_duplicate_payment, F3
 * split_payment (DETECTORS.md section F): sort-based grouping and sliding
 * windows.  Each sorts the qualifying rows once by (partition ids, amount or ts,
 * input order) with the parallel record sort, then scans partitions linearly;
 * F3's windows use two pointers and exact 128-bit prefix sums.
 * Workload: 10^7 payments; memory 32 bytes per qualifying row.
 */
#include <stdio.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"

/* F1: group by (payee, amount, norm(invoice_no)); each group of 2+ rows. */
fr_status fr_detect_f1(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[6] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 1),          LC("org", FR_LC_SID, 1),
                    LC("payee", FR_LC_SID, 0),  LC("amount", FR_LC_AMOUNT, 0), LC("invoice_no", FR_LC_INVOICE, 0)};
  enum { K, T, O, PE, A, I };
  fr_dctx cx;
  fr_srec *recs = NULL;
  uint64_t *rows = NULL;
  fr_status status = fr_dctx_open(&cx, store, p, use, 6, K, T, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  status = fr_row_scratch(n, &recs, &rows, err);
  if (status != FR_OK)
    goto done;
  size_t m = 0;
  for (uint64_t r = 0; r < n; r++)
    if (use[PE].sid[r] != FR_NOID && use[A].valid[r] && use[I].sid[r] != FR_NOID)
      recs[m++] = (fr_srec){((uint64_t)use[PE].sid[r] << 32) | use[I].sid[r], fr_skey(use[A].i64[r]), 0, r};
  status = fr_srec_sort(recs, m, err);
  for (size_t a = 0, b; a < m && status == FR_OK; a = b) {
    for (b = a + 1; b < m && recs[b].a == recs[a].a && recs[b].b == recs[a].b; b++) {
    }
    if (b - a < 2)
      continue;
    uint32_t k = 0;
    for (size_t x = a; x < b; x++) rows[k++] = recs[x].row;
    uint64_t r0 = recs[a].row;
    int64_t amount = use[A].i64[r0];
    char amt[FR_VALUE_TEXT_CAP + 1];
    const char *payee = fr_sdict_str(&cx.dict, use[PE].sid[r0]);
    const char *inv = fr_sdict_str(&cx.dict, use[I].sid[r0]);
    char *summary = fr_strf("%u payments of %s to %s for the same invoice %s", k, fr_cents_text(amt, amount),
                            payee, inv);
    fr_jcents(&cx.json, "amount", amount);
    fr_jstr(&cx.json, "invoice", inv);
    fr_jint(&cx.json, "count", k);
    fr_fbuild_add(&cx.fb, rows, k, (double)amount / 100.0 * (double)(k - 1), payee,
                  fr_common_sid(&cx.dict, &use[O], rows, k), summary, fr_jdone(&cx.json));
  }
done:
  fr_free(recs);
  fr_free(rows);
  return fr_dctx_close(&cx, status, out, err);
}

/* F2: amount >= min_amount, partition (payer, payee, amount), order by ts; runs of
 * consecutive rows with gaps <= window_days. */
fr_status fr_detect_f2(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[6] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0),     LC("org", FR_LC_SID, 1),
                    LC("payer", FR_LC_SID, 0),  LC("payee", FR_LC_SID, 0), LC("amount", FR_LC_AMOUNT, 0)};
  enum { K, T, O, PR, PE, A };
  const int64_t window_us = fr_dp_i(p, "window_days") * FR_US_PER_DAY;
  const int64_t min_amount = fr_dp_i(p, "min_amount");
  fr_dctx cx;
  fr_srec *recs = NULL;
  uint64_t *rows = NULL;
  fr_status status = fr_dctx_open(&cx, store, p, use, 6, K, T, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  status = fr_row_scratch(n, &recs, &rows, err);
  if (status != FR_OK)
    goto done;
  size_t m = 0;
  for (uint64_t r = 0; r < n; r++)
    if (use[PR].sid[r] != FR_NOID && use[PE].sid[r] != FR_NOID && use[A].valid[r] && use[T].valid[r] &&
        use[A].i64[r] >= min_amount)
      recs[m++] = (fr_srec){((uint64_t)use[PR].sid[r] << 32) | use[PE].sid[r], fr_skey(use[A].i64[r]),
                            fr_skey(use[T].i64[r]), r};
  status = fr_srec_sort(recs, m, err);
  for (size_t a = 0, b; a < m && status == FR_OK; a = b) {
    for (b = a + 1; b < m && recs[b].a == recs[a].a && recs[b].b == recs[a].b &&
                    use[T].i64[recs[b].row] - use[T].i64[recs[b - 1].row] <= window_us;
         b++) {
    }
    if (b - a < 2)
      continue;
    uint32_t k = 0;
    for (size_t x = a; x < b; x++) rows[k++] = recs[x].row;
    uint64_t r0 = recs[a].row;
    int64_t amount = use[A].i64[r0];
    double days = (double)(use[T].i64[recs[b - 1].row] - use[T].i64[r0]) / (double)FR_US_PER_DAY;
    char amt[FR_VALUE_TEXT_CAP + 1];
    const char *payer = fr_sdict_str(&cx.dict, use[PR].sid[r0]);
    const char *payee = fr_sdict_str(&cx.dict, use[PE].sid[r0]);
    char *summary = fr_strf("%u payments of %s from %s to %s within %.2f days", k, fr_cents_text(amt, amount),
                            payer, payee, days);
    fr_jcents(&cx.json, "amount", amount);
    fr_jstr(&cx.json, "payer", payer);
    fr_jint(&cx.json, "count", k);
    fr_jreal(&cx.json, "span_days", days);
    fr_fbuild_add(&cx.fb, rows, k, (double)amount / 100.0 * (double)(k - 1), payee,
                  fr_common_sid(&cx.dict, &use[O], rows, k), summary, fr_jdone(&cx.json));
  }
done:
  fr_free(recs);
  fr_free(rows);
  return fr_dctx_close(&cx, status, out, err);
}

/* F3: payments with floor x threshold <= amount < threshold, partition (org,
 * payee) in ts order.  A window starting at q holds the partition's rows with
 * q.ts <= ts <= q.ts + W (rows at q's instant that come earlier in input order
 * included); a window of >= min_parts rows summing to >= threshold flags all its
 * rows; flagged rows chained by gaps <= W form one finding. */
fr_status fr_detect_f3(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[5] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0), LC("org", FR_LC_SID, 0),
                    LC("payee", FR_LC_SID, 0), LC("amount", FR_LC_AMOUNT, 0)};
  enum { K, T, O, PE, A };
  const int64_t window_us = fr_dp_i(p, "window_days") * FR_US_PER_DAY;
  const int64_t threshold = fr_dp_i(p, "threshold");
  const int64_t floor_ratio = fr_dp_i(p, "floor");
  const int64_t min_parts = fr_dp_i(p, "min_parts");
  fr_dctx cx;
  fr_srec *recs = NULL;
  uint64_t *rows = NULL;
  fr_dx128 *prefix = NULL;
  int32_t *cover = NULL;
  { /* only amounts in [floor x threshold, threshold) count: row groups outside are skipped */
    fr_dx128 lo = (fr_dx128)floor_ratio * threshold / FR_RATIO_SCALE; /* <= the exact bound */
    use[A].has_range = 1;
    use[A].range_lo = lo < INT64_MIN ? INT64_MIN : lo > INT64_MAX ? INT64_MAX : (int64_t)lo;
    use[A].range_hi = threshold == INT64_MIN ? INT64_MIN : threshold - 1;
  }
  fr_status status = fr_dctx_open(&cx, store, p, use, 5, K, T, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  size_t m = 0;
  for (uint64_t r = 0; r < n; r++) {
    if (use[O].sid[r] == FR_NOID || use[PE].sid[r] == FR_NOID || !use[A].valid[r] || !use[T].valid[r])
      continue;
    int64_t amount = use[A].i64[r];
    if (amount < threshold && (fr_dx128)amount * FR_RATIO_SCALE >= (fr_dx128)floor_ratio * threshold)
      m++;
  }
  recs = fr_malloc((m ? m : 1) * sizeof *recs);
  rows = fr_malloc((m ? m : 1) * sizeof *rows);
  prefix = fr_malloc((m + 1) * sizeof *prefix);
  cover = fr_calloc(m + 1, sizeof *cover);
  if (recs == NULL || rows == NULL || prefix == NULL || cover == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  m = 0;
  for (uint64_t r = 0; r < n; r++) {
    if (use[O].sid[r] == FR_NOID || use[PE].sid[r] == FR_NOID || !use[A].valid[r] || !use[T].valid[r])
      continue;
    int64_t amount = use[A].i64[r];
    if (amount < threshold && (fr_dx128)amount * FR_RATIO_SCALE >= (fr_dx128)floor_ratio * threshold)
      recs[m++] = (fr_srec){((uint64_t)use[O].sid[r] << 32) | use[PE].sid[r], fr_skey(use[T].i64[r]), 0, r};
  }
  status = fr_srec_sort(recs, m, err);
  if (status != FR_OK)
    goto done;
  prefix[0] = 0;
  for (size_t x = 0; x < m; x++) prefix[x + 1] = prefix[x] + use[A].i64[recs[x].row];
  for (size_t a = 0, b; a < m; a = b) {
    for (b = a + 1; b < m && recs[b].a == recs[a].a; b++) {
    }
    /* windows: lo = first row at q's instant, hi = one past the last row <= q.ts + W */
    size_t lo = a, hi = a;
    cover[a] = 0; /* the previous partition's end marker */
    for (size_t q = a; q < b; q++) {
      int64_t qts = use[T].i64[recs[q].row];
      if (q > a && use[T].i64[recs[q - 1].row] == qts)
        continue; /* same window as the previous start */
      lo = q;
      if (hi < q) hi = q;
      while (hi < b && use[T].i64[recs[hi].row] - qts <= window_us) hi++;
      if ((int64_t)(hi - lo) >= min_parts && prefix[hi] - prefix[lo] >= threshold) {
        cover[lo]++;
        cover[hi]--;
      }
    }
    /* flagged rows, chained by gaps <= W */
    int32_t depth = 0;
    uint32_t k = 0;
    fr_dx128 sum = 0;
    int64_t last_ts = 0;
    for (size_t x = a; x <= b; x++) {
      int flagged = 0;
      if (x < b) {
        depth += cover[x];
        flagged = depth > 0;
      }
      int64_t ts = x < b ? use[T].i64[recs[x].row] : 0;
      if (k > 0 && (x == b || (flagged && ts - last_ts > window_us))) {
        uint64_t r0 = rows[0];
        char thr[FR_VALUE_TEXT_CAP + 1], tot[FR_VALUE_TEXT_CAP + 1];
        double days = (double)(last_ts - use[T].i64[r0]) / (double)FR_US_PER_DAY;
        const char *payee = fr_sdict_str(&cx.dict, use[PE].sid[r0]);
        const char *org = fr_sdict_str(&cx.dict, use[O].sid[r0]);
        int64_t sum64 = sum > INT64_MAX ? INT64_MAX : (int64_t)sum;
        char *summary = fr_strf("%u payments to %s within %.2f days, each under %s, together %s", k, payee, days,
                                fr_cents_text(thr, threshold), fr_cents_text(tot, sum64));
        fr_jcents(&cx.json, "total", sum64);
        fr_jcents(&cx.json, "threshold", threshold);
        fr_jint(&cx.json, "count", k);
        fr_jreal(&cx.json, "span_days", days);
        fr_fbuild_add(&cx.fb, rows, k, threshold > 0 ? (double)sum / (double)threshold : 0.0, payee, org, summary,
                      fr_jdone(&cx.json));
        k = 0;
        sum = 0;
      }
      if (flagged) {
        rows[k++] = recs[x].row;
        sum += use[A].i64[recs[x].row];
        last_ts = ts;
      }
    }
  }
  status = cx.fb.status;
done:
  fr_free(recs);
  fr_free(rows);
  fr_free(prefix);
  fr_free(cover);
  return fr_dctx_close(&cx, status, out, err);
}
