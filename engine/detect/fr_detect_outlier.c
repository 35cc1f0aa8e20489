/* fr_detect_outlier.c - F10 amount_outlier: per (org, budget_code) the median and
 * MAD of x = ln(amount) (amount in currency units, > 0), computed in double; rows
 * sort by (group, amount) so x comes out ordered and the median is read off;
 * the deviations are sorted per group for their median.  The payee only names a
 * flagged payment in its finding, so it is read lazily (a key column: the texts
 * of the flagged rows only, no interning of every payee); an empty or NULL
 * payee is reported as unknown.
 * Workload: 10^7 payments, groups of 10..10^5 rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"

static int fr_dbl_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

fr_status fr_detect_f10(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[6] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 1),      LC("org", FR_LC_SID, 0),
                    LC("payee", FR_LC_KEY, 1),  LC("amount", FR_LC_AMOUNT, 0), LC("budget_code", FR_LC_SID, 0)};
  enum { K, T, O, PE, A, B };
  const int64_t min_count = fr_dp_i(p, "min_count");
  const double z_limit = fr_dp_f(p, "z");
  fr_dctx cx;
  fr_srec *recs = NULL;
  double *x = NULL, *dev = NULL;
  use[T].lazy = 1;  /* only the findings' first / last time */
  use[PE].lazy = 1; /* only the flagged payments' texts */
  typedef struct {
    uint64_t row, cnt;
    double z, med, mad;
  } f10_flag;
  f10_flag *flags = NULL;
  size_t n_flags = 0, cap_flags = 0;
  uint64_t *flag_rows = NULL;
  fr_status status = fr_dctx_open(&cx, store, p, use, 6, K, T, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  recs = fr_malloc((n ? n : 1) * sizeof *recs);
  x = fr_malloc((n ? n : 1) * sizeof *x);
  dev = fr_malloc((n ? n : 1) * sizeof *dev);
  if (recs == NULL || x == NULL || dev == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  size_t m = 0;
  for (uint64_t r = 0; r < n; r++)
    if (use[O].sid[r] != FR_NOID && use[B].sid[r] != FR_NOID && use[A].valid[r] && use[A].i64[r] > 0)
      recs[m++] = (fr_srec){((uint64_t)use[O].sid[r] << 32) | use[B].sid[r], fr_skey(use[A].i64[r]), 0, r};
  status = fr_srec_sort(recs, m, err);
  for (size_t a = 0, b; a < m && status == FR_OK; a = b) {
    for (b = a + 1; b < m && recs[b].a == recs[a].a; b++) {
    }
    size_t cnt = b - a;
    if ((int64_t)cnt < min_count)
      continue;
    for (size_t k = 0; k < cnt; k++) x[k] = log((double)use[A].i64[recs[a + k].row] / 100.0);
    double med = cnt % 2 ? x[cnt / 2] : (x[cnt / 2 - 1] + x[cnt / 2]) / 2;
    for (size_t k = 0; k < cnt; k++) dev[k] = fabs(x[k] - med);
    qsort(dev, cnt, sizeof *dev, fr_dbl_cmp);
    double mad = cnt % 2 ? dev[cnt / 2] : (dev[cnt / 2 - 1] + dev[cnt / 2]) / 2;
    if (!(mad > 0))
      continue;
    for (size_t k = cnt; k-- > 0;) {
      if (!(x[k] > med))
        break;
      double z = (x[k] - med) / (1.4826 * mad);
      if (!(z >= z_limit))
        break; /* x descends from here */
      if (n_flags == cap_flags) {
        cap_flags = cap_flags ? 2 * cap_flags : 64;
        f10_flag *grown = fr_realloc(flags, cap_flags * sizeof *flags);
        if (grown == NULL) {
          status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
          break;
        }
        flags = grown;
      }
      flags[n_flags++] = (f10_flag){recs[a + k].row, cnt, z, med, mad};
    }
  }
  /* the flagged payments' payees in one fetch, then their findings */
  if (status == FR_OK && n_flags > 0 && (flag_rows = fr_malloc(n_flags * sizeof *flag_rows)) == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  for (size_t f = 0; status == FR_OK && f < n_flags; f++) flag_rows[f] = flags[f].row;
  if (status == FR_OK && n_flags > 0)
    status = fr_lkey_fetch(&cx.t, &use[PE], flag_rows, n_flags, err);
  for (size_t f = 0; status == FR_OK && f < n_flags; f++) {
    uint64_t row = flags[f].row;
    const double z = flags[f].z, med = flags[f].med, mad = flags[f].mad;
    const char *org = fr_sdict_str(&cx.dict, use[O].sid[row]);
    const char *line = fr_sdict_str(&cx.dict, use[B].sid[row]);
    const char *payee = use[PE].present && fr_lkey(&use[PE], row)[0] != '\0' ? fr_lkey(&use[PE], row) : NULL;
    char amt[FR_VALUE_TEXT_CAP + 1];
    char *summary = fr_strf("%s paid %s to %s on budget line %s: robust z %.2f against the line's median %.2f "
                            "(%llu payments)",
                            org, fr_cents_text(amt, use[A].i64[row]), payee != NULL ? payee : "(unknown payee)",
                            line, z, exp(med), (unsigned long long)flags[f].cnt);
    fr_jstr(&cx.json, "budget_code", line);
    fr_jcents(&cx.json, "amount", use[A].i64[row]);
    fr_jreal(&cx.json, "median_amount", exp(med));
    fr_jreal(&cx.json, "mad_ln", mad);
    fr_jreal(&cx.json, "z", z);
    fr_jint(&cx.json, "line_payments", (int64_t)flags[f].cnt);
    fr_fbuild_add(&cx.fb, &row, 1, z, payee, org, summary, fr_jdone(&cx.json));
  }
done:
  fr_free(flags);
  fr_free(flag_rows);
  fr_free(recs);
  fr_free(x);
  fr_free(dev);
  return fr_dctx_close(&cx, status, out, err);
}
