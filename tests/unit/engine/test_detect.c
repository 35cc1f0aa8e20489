/* test_detect.c - the detector framework (engine/detect/): catalogue and
 * parameters, the record sort against a naive oracle at 1 and 2 threads, stable
 * finding ids, and the kernels on tiny hand-made stores that sit on the rule
 * boundaries (inclusive windows, exact amounts, invoice normalisation), under
 * injected allocation failures too.  The full truth / DuckDB comparisons are the
 * end-to-end tests tests/e2e/test_detect_*.sh. */
#include <criterion/criterion.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"
#include "fr_ingest.h"
#include "detect_harness.h"

#define PAY_HEADER "txn_id,ts,org,payer,payee,amount,currency,budget_code,requester,approver,invoice_no,contract_id,case_id,memo\n"

TestSuite(detect, .init = make_tmp, .fini = rm_tmp);

Test(detect, catalogue_has_f1_to_f12_with_valid_defaults) {
  /* F1-F12 come first; the A, P and W sections follow them */
  cr_assert_geq(fr_detect_count(), 12);
  for (uint32_t k = 0; k < 12; k++) {
    const fr_detector_info *d = fr_detect_at(k);
    char id[16];
    snprintf(id, sizeof id, "F%u", k + 1);
    cr_assert_str_eq(d->id, id);
    cr_assert_eq(fr_detect_find(d->name), d);
    cr_assert_eq(fr_detect_find(id), d);
    fr_detect_params *p;
    fr_error err;
    fr_error_clear(&err);
    cr_assert_eq(fr_detect_params_create(&p, d, &err), FR_OK, "%s: %s", d->name, err.msg);
    for (uint32_t q = 0; q < d->n_params; q++) cr_assert_not_null(fr_dp(p, d->params[q].name));
    fr_detect_params_destroy(p);
  }
  cr_assert_null(fr_detect_find("F13"));
  cr_assert_eq(fr_detect_find("SPLIT_PAYMENT"), fr_detect_at(2));
}

Test(detect, parameters_validate_and_name_the_valid_ones) {
  fr_detect_params *p;
  fr_error err;
  fr_error_clear(&err);
  cr_assert_eq(fr_detect_params_create(&p, fr_detect_find("F3"), &err), FR_OK);
  cr_assert_eq(fr_dp_i(p, "threshold"), 10000000);
  cr_assert_eq(fr_dp_i(p, "floor"), 800000000);
  cr_assert_eq(fr_detect_params_set(p, "thresold", "1", &err), FR_ERR_INVALID);
  cr_assert(strstr(err.msg, "valid parameters: threshold, floor, window_days, min_parts") != NULL, "%s", err.msg);
  fr_error_clear(&err);
  cr_assert_eq(fr_detect_params_set(p, "threshold", "1e5", &err), FR_ERR_INVALID);
  fr_error_clear(&err);
  cr_assert_eq(fr_detect_params_set(p, "floor", "0.1234567891", &err), FR_ERR_INVALID); /* 10 places */
  fr_error_clear(&err);
  cr_assert_eq(fr_detect_params_set(p, "floor", "-0.5", &err), FR_ERR_INVALID);
  fr_error_clear(&err);
  cr_assert_eq(fr_detect_params_set(p, "min_parts", "0", &err), FR_ERR_INVALID);
  fr_error_clear(&err);
  cr_assert_eq(fr_detect_params_set(p, "floor", "0.123456789", &err), FR_OK);
  cr_assert_eq(fr_dp_i(p, "floor"), 123456789);
  cr_assert_eq(fr_detect_params_set_pair(p, "threshold=50000.5", &err), FR_OK);
  cr_assert_eq(fr_dp_i(p, "threshold"), 5000050);
  cr_assert_eq(fr_detect_params_set_pair(p, "payee=", &err), FR_ERR_INVALID);
  fr_detect_params_destroy(p);
  cr_assert_eq(fr_detect_params_create(&p, fr_detect_find("F8"), &err), FR_OK);
  cr_assert_eq(fr_detect_params_set(p, "holidays", "2024-02-10, 2024-01-01 2024-05-01", &err), FR_OK);
  const fr_param_value *h = fr_dp(p, "holidays");
  cr_assert_eq(h->n_items, 3);
  cr_assert(h->dates[0] < h->dates[1] && h->dates[1] < h->dates[2]);
  fr_detect_params_destroy(p);
}

static void sort_oracle(int threads) {
  omp_set_num_threads(threads);
  size_t n = 200000;
  fr_srec *a = malloc(n * sizeof *a);
  unsigned seed = 12345;
  for (size_t k = 0; k < n; k++) {
    seed = seed * 1103515245u + 12345u;
    a[k] = (fr_srec){seed % 7, fr_skey((int64_t)(seed >> 8) % 1000 - 500), seed % 3, n - k};
  }
  fr_error err;
  cr_assert_eq(fr_srec_sort(a, n, &err), FR_OK);
  for (size_t k = 1; k < n; k++) {
    const fr_srec *x = &a[k - 1], *y = &a[k];
    int le = x->a < y->a ||
             (x->a == y->a && (x->b < y->b || (x->b == y->b && (x->c < y->c || (x->c == y->c && x->row < y->row)))));
    cr_assert(le, "out of order at %zu", k);
  }
  free(a);
}

Test(detect, record_sort_matches_the_order_at_1_and_2_threads) {
  sort_oracle(1);
  sort_oracle(2);
}

Test(detect, dictionary_interns_and_looks_up) {
  fr_sdict d;
  fr_sdict_init(&d);
  uint32_t id[5000];
  char s[32];
  for (int k = 0; k < 5000; k++) {
    snprintf(s, sizeof s, "v%d", k % 2500);
    cr_assert_eq(fr_sdict_intern(&d, s, strlen(s), &id[k]), FR_OK);
  }
  cr_assert_eq(d.n, 2500);
  for (int k = 0; k < 2500; k++) {
    cr_assert_eq(id[k], id[k + 2500]);
    snprintf(s, sizeof s, "v%d", k);
    cr_assert_str_eq(fr_sdict_str(&d, id[k]), s);
    cr_assert_eq(fr_sdict_lookup(&d, s, strlen(s)), id[k]);
  }
  cr_assert_eq(fr_sdict_lookup(&d, "nope", 4), FR_NOID);
  cr_assert_null(fr_sdict_str(&d, FR_NOID));
  fr_sdict_free(&d);
}

Test(detect, split_payment_windows_are_inclusive) {
  ingest("payments", PAY_HEADER
         "T1,2024-01-01 10:00:00,O,O,V,80000.00,CNY,1,R,A,I1,,,\n"
         "T2,2024-01-08 10:00:00,O,O,V,90000.00,CNY,1,R,A,I2,,,\n"   /* exactly 7 days later */
         "T3,2024-01-08 10:00:01,O,O,W,90000.00,CNY,1,R,A,I3,,,\n"
         "T4,2024-01-15 10:00:02,O,O,W,90000.00,CNY,1,R,A,I4,,,\n"   /* 7 days + 1 s */
         "T5,2024-01-02 10:00:00,O,O,X,79999.99,CNY,1,R,A,I5,,,\n"   /* below the band */
         "T6,2024-01-02 11:00:00,O,O,X,99999.99,CNY,1,R,A,I6,,,\n"
         "T7,2024-01-02 11:00:00,P,P,X,99999.99,CNY,1,R,A,I7,,,\n");  /* other org */
  char got[4096];
  cr_assert_eq(run("F3", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1 T2");
  const char *lower[] = {"floor=0.7", NULL};
  cr_assert_eq(run("F3", lower, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1 T2|T5 T6");
}

Test(detect, duplicate_payment_normalises_invoices) {
  ingest("payments", PAY_HEADER
         "T1,2024-01-01 10:00:00,O,O,V,500.00,CNY,1,R,A,inv-0001,,,\n"
         "T2,2024-02-01 10:00:00,O,O,V,500.00,CNY,1,R,A,INV 0001,,,\n"
         "T3,2024-02-01 10:00:00,O,O,V,500.01,CNY,1,R,A,INV0001,,,\n"
         "T4,2024-03-01 10:00:00,O,O,V,700.00,CNY,1,R,A,--,,,\n"
         "T5,2024-03-02 10:00:00,O,O,V,700.00,CNY,1,R,A,- / -,,,\n"
         "T6,2024-03-02 10:00:00,O,O,V,700.00,CNY,1,R,A,,,,\n"
         "T7,2024-03-03 10:00:00,O,O,V,700.00,CNY,1,R,A,,,,\n");
  char got[4096];
  cr_assert_eq(run("duplicate_payment", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1 T2");
}

Test(detect, round_trip_needs_strictly_increasing_time) {
  ingest("payments", PAY_HEADER
         "T1,2024-01-01 10:00:00,O,A,B,10000.00,CNY,1,R,X,I1,,,\n"
         "T2,2024-01-02 10:00:00,O,B,A,9000.00,CNY,1,R,X,I2,,,\n"     /* exactly 10% less */
         "T3,2024-02-01 10:00:00,O,C,D,20000.00,CNY,1,R,X,I3,,,\n"
         "T4,2024-02-01 10:00:00,O,D,C,20000.00,CNY,1,R,X,I4,,,\n"    /* same instant */
         "T5,2024-03-01 10:00:00,O,E,F,20000.00,CNY,1,R,X,I5,,,\n"
         "T6,2024-03-02 10:00:00,O,F,G,20000.00,CNY,1,R,X,I6,,,\n"
         "T7,2024-03-03 10:00:00,O,G,E,20000.00,CNY,1,R,X,I7,,,\n");
  char got[4096];
  cr_assert_eq(run("F5", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1 T2|T5 T6 T7");
  const char *two[] = {"max_len=2", NULL};
  cr_assert_eq(run("F5", two, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1 T2");
}

Test(detect, findings_are_identical_at_1_and_2_threads_with_stable_ids) {
  ingest("payments", PAY_HEADER
         "T1,2024-01-01 10:00:00,O,O,V,80000.00,CNY,1,R,A,I1,,,\n"
         "T2,2024-01-02 10:00:00,O,O,V,90000.00,CNY,1,R,A,I2,,,\n"
         "T3,2024-01-03 10:00:00,O,O,W,90000.00,CNY,1,R,A,I3,,,\n"
         "T4,2024-01-04 10:00:00,O,O,W,90000.00,CNY,1,R,A,I4,,,\n"
         "T5,2024-01-05 10:00:00,Q,Q,W,90000.00,CNY,1,R,A,I5,,,\n"
         "T6,2024-01-06 10:00:00,Q,Q,W,90000.00,CNY,1,R,A,I6,,,\n");
  fr_findings *a, *b;
  char got1[4096], got2[4096];
  omp_set_num_threads(1);
  cr_assert_eq(run("F3", NULL, got1, sizeof got1, &a), FR_OK);
  omp_set_num_threads(2);
  cr_assert_eq(run("F3", NULL, got2, sizeof got2, &b), FR_OK);
  cr_assert_str_eq(got1, got2);
  cr_assert_eq(a->n, 3);
  for (uint32_t k = 0; k < a->n; k++) cr_assert_str_eq(a->items[k].id, b->items[k].id);
  /* the id is XXH3 of the detector name and the sorted keys, whatever the order found */
  fr_buf out;
  fr_buf_init(&out);
  fr_findings_write(&out, a, FR_OUTPUT_JSON, 0);
  cr_assert(out.len > 0 && memchr(out.data, '\n', out.len) != NULL);
  fr_buf_free(&out);
  fr_findings_destroy(a);
  fr_findings_destroy(b);
}

Test(detect, missing_column_and_table_are_named) {
  ingest("payments", PAY_HEADER "T1,2024-01-01 10:00:00,O,O,V,80000.00,CNY,1,R,A,I1,,,\n");
  char got[256];
  const char *bad_col[] = {"payee=vendor", NULL};
  cr_assert_eq(run("F1", bad_col, got, sizeof got, NULL), FR_ERR_NOTFOUND);
  const char *bad_table[] = {"payments=spend", NULL};
  cr_assert_eq(run("F1", bad_table, got, sizeof got, NULL), FR_ERR_NOTFOUND);
  cr_assert_eq(run("F12", NULL, got, sizeof got, NULL), FR_ERR_NOTFOUND); /* no entities */
  const char *bad_type[] = {"amount=payee", NULL};
  cr_assert_eq(run("F2", bad_type, got, sizeof got, NULL), FR_ERR_INVALID);
}

Test(detect, allocation_failures_are_reported_not_crashes) {
  ingest("payments", PAY_HEADER
         "T1,2024-01-01 10:00:00,O,A,B,80000.00,CNY,1,R,A,I1,,,\n"
         "T2,2024-01-02 10:00:00,O,B,A,80000.00,CNY,1,R,A,I1,,,\n"
         "T3,2024-01-03 10:00:00,O,A,B,80000.00,CNY,1,R,A,I1,,,\n");
  const char *names[] = {"F1", "F2", "F3", "F5", "F6", "F7", "F8", "F9", "F10"};
  char got[4096];
  for (size_t d = 0; d < sizeof names / sizeof names[0]; d++) {
    for (long n_ok = 0; n_ok < 400; n_ok += 3) {
      char dir[512];
      snprintf(dir, sizeof dir, "%s/store", tmp_dir);
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
  cr_assert_eq(run("F1", NULL, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1 T3");
}

/* The loader with an amount range keeps only the rows inside it, in input order,
 * across row groups (3 rows each here, one wholly outside by its zone map), and
 * a lazy key fetched afterwards is the kept row's own; the same at 1 and 2
 * threads. */
static void load_range_check(int threads) {
  fr_store *store;
  fr_detect_params *p;
  open_store_params("F1", &store, &p);
  fr_error err;
  fr_error_clear(&err);
  fr_lcol cols[4] = {LC("txn_id", FR_LC_KEY, 0), LC("payee", FR_LC_SID, 0), LC("invoice_no", FR_LC_INVOICE, 0),
                     LC("amount", FR_LC_AMOUNT, 0)};
  cols[0].lazy = 1;
  cols[3].has_range = 1;
  cols[3].range_lo = 10000;   /* 100.00 */
  cols[3].range_hi = 50000;   /* 500.00, inclusive */
  omp_set_num_threads(threads);
  fr_sdict dict;
  fr_sdict_init(&dict);
  fr_ltable t;
  cr_assert_eq(fr_ltable_load(&t, store, p, "payments", cols, 4, &dict, &err), FR_OK, "%s", err.msg);
  cr_assert_eq(t.n_rows, 4);
  uint64_t rows[4] = {3, 0, 2, 1};
  cr_assert_eq(fr_lkey_fetch(&t, &cols[0], rows, 4, &err), FR_OK, "%s", err.msg);
  const char *keys[4] = {"T2", "T3", "T7", "T9"}, *payees[4] = {"B", "C", "E", NULL}, *inv[4] = {"X1", NULL, "Z9", "Q"};
  const int64_t cents[4] = {10000, 50000, 20000, 30000};
  for (uint64_t r = 0; r < 4; r++) {
    cr_assert_str_eq(fr_lkey(&cols[0], r), keys[r]);
    const char *pe = fr_sdict_str(&dict, cols[1].sid[r]), *iv = fr_sdict_str(&dict, cols[2].sid[r]);
    cr_assert(pe == payees[r] || (pe && payees[r] && strcmp(pe, payees[r]) == 0), "row %lu payee %s", (unsigned long)r, pe);
    cr_assert(iv == inv[r] || (iv && inv[r] && strcmp(iv, inv[r]) == 0), "row %lu invoice %s", (unsigned long)r, iv);
    cr_assert(cols[3].valid[r]);
    cr_assert_eq(cols[3].i64[r], cents[r]);
  }
  /* only the kept rows' strings were interned: B C E, X1 Z9 Q */
  cr_assert_eq(dict.n, 6);
  fr_ltable_free(&t);
  fr_sdict_free(&dict);
  fr_detect_params_destroy(p);
  fr_store_close(store);
}

Test(detect, amount_range_loads_only_the_rows_inside_it) {
  ingest("payments", PAY_HEADER
         "T1,2024-01-01 10:00:00,O,O,A,99.99,CNY,1,R,A,W1,,,\n"     /* below */
         "T2,2024-01-01 10:00:00,O,O,B,100.00,CNY,1,R,A,x-1,,,\n"   /* low bound */
         "T3,2024-01-01 10:00:00,O,O,C,500.00,CNY,1,R,A,--,,,\n"    /* high bound; invoice normalises to NULL */
         "T4,2024-01-02 10:00:00,O,O,D,900.00,CNY,1,R,A,W2,,,\n"    /* a row group wholly above */
         "T5,2024-01-02 10:00:00,O,O,D,800.00,CNY,1,R,A,W3,,,\n"
         "T6,2024-01-02 10:00:00,O,O,D,,CNY,1,R,A,W4,,,\n"          /* NULL amount */
         "T7,2024-01-03 10:00:00,O,O,E,200.00,CNY,1,R,A,z 9,,,\n"
         "T8,2024-01-03 10:00:00,O,O,F,500.01,CNY,1,R,A,W5,,,\n"    /* above */
         "T9,2024-01-03 10:00:00,O,O,,300.00,CNY,1,R,A,q,,,\n");    /* NULL payee */
  load_range_check(1);
  load_range_check(2);
}

/* F9 groups by (org, calendar year) exactly: jan_nov = 2 x 100.00 over 2 months,
 * so the monthly mean is 200.00 / 11 and December 54.55 (>= 3 x 18.18...) flags
 * while 54.54 does not; a year of its own (2024) and a far-future stray date
 * (which makes the calendar be worked out per payment) stay separate groups. */
static void f9_years(const char *expect) {
  const char *sets[] = {"min_amount=0.01", "min_months=2", "min_payments=2", NULL};
  char got[4096];
  cr_assert_eq(run("F9", sets, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, expect);
}

Test(detect, year_end_spike_groups_by_org_and_calendar_year) {
  ingest("payments", PAY_HEADER
         "T01,2023-01-10 10:00:00,O,O,V,100.00,CNY,1,R,A,I1,,,\n"
         "T02,2023-03-10 10:00:00,O,O,V,100.00,CNY,1,R,A,I2,,,\n"
         "T03,2023-12-01 00:00:00,O,O,V,27.28,CNY,1,R,A,I3,,,\n"
         "T04,2023-12-31 23:59:59,O,O,V,27.27,CNY,1,R,A,I4,,,\n"     /* 54.55: flags */
         "T05,2024-01-01 00:00:00,O,O,V,100.00,CNY,1,R,A,I5,,,\n"    /* 2024: its own group */
         "T06,2024-02-10 10:00:00,O,O,V,100.00,CNY,1,R,A,I6,,,\n"
         "T07,2024-12-01 10:00:00,O,O,V,27.27,CNY,1,R,A,I7,,,\n"
         "T08,2024-12-02 10:00:00,O,O,V,27.27,CNY,1,R,A,I8,,,\n"     /* 54.54: not */
         "T09,2023-02-10 10:00:00,P,P,V,100.00,CNY,1,R,A,I9,,,\n"
         "T10,2023-04-10 10:00:00,P,P,V,100.00,CNY,1,R,A,IA,,,\n"
         "T11,2023-12-10 10:00:00,P,P,V,500.00,CNY,1,R,A,IB,,,\n"
         "T12,2023-12-11 10:00:00,P,P,V,500.00,CNY,1,R,A,IC,,,\n");
  f9_years("T03 T04|T11 T12");
}

Test(detect, year_end_spike_survives_a_stray_far_future_date) {
  ingest("payments", PAY_HEADER
         "T01,2023-01-10 10:00:00,O,O,V,100.00,CNY,1,R,A,I1,,,\n"
         "T02,2023-03-10 10:00:00,O,O,V,100.00,CNY,1,R,A,I2,,,\n"
         "T03,2023-12-01 00:00:00,O,O,V,27.28,CNY,1,R,A,I3,,,\n"
         "T04,2023-12-31 23:59:59,O,O,V,27.27,CNY,1,R,A,I4,,,\n"
         "T05,9999-12-31 10:00:00,O,O,V,1.00,CNY,1,R,A,I5,,,\n");   /* 2,900 years later */
  f9_years("T03 T04");
}

/* A semi-join: rows whose payer is in an earlier load's dictionary OR whose amount
 * is in range; NULLs pass neither; row groups are not skipped by an OR-ed range. */
Test(detect, member_of_or_range_selects_the_union) {
  ingest("payments", PAY_HEADER
         "T1,2024-01-01 10:00:00,O,A,X,10.00,CNY,1,R,A,I1,,,\n"
         "T2,2024-01-01 10:00:00,O,B,X,900.00,CNY,1,R,A,I2,,,\n"     /* amount in range */
         "T3,2024-01-01 10:00:00,O,C,X,10.00,CNY,1,R,A,I3,,,\n"      /* payer C is a member */
         "T4,2024-01-02 10:00:00,O,D,X,10.00,CNY,1,R,A,I4,,,\n"
         "T5,2024-01-02 10:00:00,O,,X,10.00,CNY,1,R,A,I5,,,\n"        /* NULL payer */
         "T6,2024-01-02 10:00:00,O,E,X,,CNY,1,R,A,I6,,,\n"            /* NULL amount, E a member */
         "T7,2024-01-03 10:00:00,O,A,X,20.00,CNY,1,R,A,I7,,,\n");
  fr_store *store;
  fr_detect_params *p;
  open_store_params("F6", &store, &p);
  fr_error err;
  fr_error_clear(&err);
  fr_sdict members;
  fr_sdict_init(&members);
  uint32_t id;
  cr_assert_eq(fr_sdict_intern(&members, "C", 1, &id), FR_OK);
  cr_assert_eq(fr_sdict_intern(&members, "E", 1, &id), FR_OK);
  for (int threads = 1; threads <= 2; threads++) {
    omp_set_num_threads(threads);
    fr_lcol cols[3] = {LC("txn_id", FR_LC_KEY, 0), LC("payer", FR_LC_SID, 0), LC("amount", FR_LC_AMOUNT, 0)};
    cols[1].member_of = &members;
    cols[1].select_or = 1;
    cols[2].has_range = 1;
    cols[2].range_lo = 50000;
    cols[2].range_hi = INT64_MAX;
    cols[2].select_or = 1;
    fr_sdict dict;
    fr_sdict_init(&dict);
    fr_ltable t;
    cr_assert_eq(fr_ltable_load(&t, store, p, "payments", cols, 3, &dict, &err), FR_OK, "%s", err.msg);
    cr_assert_eq(t.n_rows, 3);
    cr_assert_str_eq(fr_lkey(&cols[0], 0), "T2");
    cr_assert_str_eq(fr_lkey(&cols[0], 1), "T3");
    cr_assert_str_eq(fr_lkey(&cols[0], 2), "T6");
    cr_assert(!cols[2].valid[2]);
    cr_assert_str_eq(fr_sdict_str(&dict, cols[1].sid[2]), "E");
    fr_ltable_free(&t);
    fr_sdict_free(&dict);
  }
  fr_sdict_free(&members);
  fr_detect_params_destroy(p);
  fr_store_close(store);
}

/* A row-wise equality (A1's payments part): rows whose approver's text is their
 * requester's, NULLs equal to nothing; in 3-row groups rows compare texts, in
 * 40-row groups with two-entry dictionaries each approver entry is matched to a
 * requester entry once.  The passing rows and only they are loaded. */
Test(detect, same_as_keeps_the_rows_whose_texts_are_equal) {
  ingest("payments", "txn_id,ts,org,requester,approver\n"
                     "T1,2024-01-01 10:00:00,O,R,R\n"
                     "T2,2024-01-01 10:00:00,O,R,A\n"
                     "T3,2024-01-01 10:00:00,O,,\n"    /* both NULL */
                     "T4,2024-01-02 10:00:00,O,R,\n"
                     "T5,2024-01-02 10:00:00,O,Q,Q\n"
                     "T6,2024-01-02 10:00:00,O,QQ,Q\n");
  char csv[4096] = "txn_id,ts,org,requester,approver\n", expect[2048] = "T1 T5";
  for (int i = 0; i < 40; i++) {
    const char *req = i % 2 ? "R" : "S", *appr = i % 7 == 0 ? "" : i % 3 == 0 ? "R" : "S";
    snprintf(csv + strlen(csv), sizeof csv - strlen(csv), "U%02d,2024-01-03 10:00:00,O,%s,%s\n", i, req, appr);
    if (strcmp(req, appr) == 0)
      snprintf(expect + strlen(expect), sizeof expect - strlen(expect), " U%02d", i);
  }
  ingest_rows_per_group = 40;
  ingest("payments", csv);
  ingest_rows_per_group = 3;
  fr_store *store;
  fr_detect_params *p;
  open_store_params("A1", &store, &p);
  fr_error err;
  fr_error_clear(&err);
  for (int threads = 1; threads <= 2; threads++) {
    omp_set_num_threads(threads);
    fr_lcol cols[3] = {LC("payments.txn_id", FR_LC_KEY, 0), LC("payments.requester", FR_LC_SID, 0),
                       LC("payments.approver", FR_LC_SID, 0)};
    cols[2].same_as = 2;
    fr_sdict dict;
    fr_sdict_init(&dict);
    fr_ltable t;
    cr_assert_eq(fr_ltable_load(&t, store, p, "payments", cols, 3, &dict, &err), FR_OK, "%s", err.msg);
    char got[2048] = "";
    for (uint64_t r = 0; r < t.n_rows; r++) {
      snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", r ? " " : "", fr_lkey(&cols[0], r));
      cr_assert_eq(cols[1].sid[r], cols[2].sid[r]);
    }
    cr_assert_str_eq(got, expect);
    fr_ltable_free(&t);
    fr_sdict_free(&dict);
    /* a column compared with itself, or with a column not asked for, is refused */
    fr_lcol self[2] = {LC("payments.txn_id", FR_LC_KEY, 0), LC("payments.requester", FR_LC_SID, 0)};
    self[1].same_as = 2;
    fr_sdict_init(&dict);
    cr_assert_eq(fr_ltable_load(&t, store, p, "payments", self, 2, &dict, &err), FR_ERR_INVALID);
    cr_assert(strstr(err.msg, "cannot be compared") != NULL, "%s", err.msg);
    self[1].same_as = 3;
    cr_assert_eq(fr_ltable_load(&t, store, p, "payments", self, 2, &dict, &err), FR_ERR_INVALID);
    fr_sdict_free(&dict);
  }
  fr_detect_params_destroy(p);
  fr_store_close(store);
}

/* A lazy timestamp reads as NULL until fetched, then holds the fetched rows'
 * values (a NULL stays NULL, a date-typed column gives midnights); a lazy
 * column other than a key or a timestamp is refused. */
Test(detect, lazy_ts_is_read_for_the_fetched_rows_only) {
  ingest("payments", "txn_id,ts,org,day\n"
                     "T1,2024-01-01 10:00:00,O,2024-01-01\n"
                     "T2,,O,2024-01-02\n"
                     "T3,2024-01-03 00:00:01,O,\n"
                     "T4,2024-01-04 23:59:59,O,2024-01-04\n");
  fr_store *store;
  fr_detect_params *p;
  open_store_params("F4", &store, &p);
  fr_error err;
  fr_error_clear(&err);
  for (int date_typed = 0; date_typed < 2; date_typed++) {
    cr_assert_eq(fr_detect_params_set_pair(p, date_typed ? "ts=day" : "ts=ts", &err), FR_OK, "%s", err.msg);
    fr_lcol cols[2] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0)};
    cols[1].lazy = 1;
    fr_sdict dict;
    fr_sdict_init(&dict);
    fr_ltable t;
    cr_assert_eq(fr_ltable_load(&t, store, p, "payments", cols, 2, &dict, &err), FR_OK, "%s", err.msg);
    cr_assert_eq(t.n_rows, 4);
    for (uint64_t r = 0; r < 4; r++) cr_assert(!cols[1].valid[r]);
    uint64_t want[] = {3, 1, 2, 3};
    cr_assert_eq(fr_lkey_fetch(&t, &cols[1], want, 4, &err), FR_OK, "%s", err.msg);
    cr_assert(!cols[1].valid[0]); /* not fetched */
    if (date_typed) {
      cr_assert(cols[1].valid[1]);
      cr_assert_eq(cols[1].i64[1], (19723 + 1) * FR_US_PER_DAY); /* 2024-01-02 */
      cr_assert(!cols[1].valid[2]);
      cr_assert_eq(cols[1].i64[3], (19723 + 3) * FR_US_PER_DAY);
    } else {
      cr_assert(!cols[1].valid[1]);
      cr_assert(cols[1].valid[2]);
      cr_assert_eq(cols[1].i64[2], (19723 + 2) * FR_US_PER_DAY + 1000000);
      cr_assert_eq(cols[1].i64[3], (19723 + 4) * FR_US_PER_DAY - 1000000);
    }
    fr_ltable_free(&t);
    fr_sdict_free(&dict);
  }
  fr_lcol bad[2] = {LC("txn_id", FR_LC_KEY, 0), LC("group_by", FR_LC_SID, 0)};
  bad[1].lazy = 1;
  fr_sdict dict;
  fr_sdict_init(&dict);
  fr_ltable t;
  cr_assert_eq(fr_ltable_load(&t, store, p, "payments", bad, 2, &dict, &err), FR_ERR_INVALID);
  cr_assert(strstr(err.msg, "lazily") != NULL, "%s", err.msg);
  fr_sdict_free(&dict);
  fr_detect_params_destroy(p);
  fr_store_close(store);
}

/* Two lazy key columns of one table keep their own texts: fetched in turns,
 * over rows of several row groups, each reads back its own values (F10 reads
 * payees this way beside the txn_id keys). */
Test(detect, two_lazy_key_columns_keep_their_own_texts) {
  ingest("payments", "txn_id,ts,org,payee\n"
                     "T1,2024-01-01 10:00:00,O,alpha\n"
                     "T2,2024-01-01 10:00:00,O,\n"
                     "T3,2024-01-01 10:00:00,O,gamma-long-name\n"
                     "T4,2024-01-02 10:00:00,O,delta\n");
  fr_store *store;
  fr_detect_params *p;
  open_store_params("F10", &store, &p);
  fr_error err;
  fr_error_clear(&err);
  fr_lcol cols[2] = {LC("txn_id", FR_LC_KEY, 0), LC("payee", FR_LC_KEY, 0)};
  cols[0].lazy = cols[1].lazy = 1;
  fr_sdict dict;
  fr_sdict_init(&dict);
  fr_ltable t;
  cr_assert_eq(fr_ltable_load(&t, store, p, "payments", cols, 2, &dict, &err), FR_OK, "%s", err.msg);
  uint64_t a[] = {3, 0}, b[] = {2, 1, 3}, c[] = {1, 2};
  cr_assert_eq(fr_lkey_fetch(&t, &cols[0], a, 2, &err), FR_OK, "%s", err.msg);
  cr_assert_eq(fr_lkey_fetch(&t, &cols[1], b, 3, &err), FR_OK, "%s", err.msg);
  cr_assert_eq(fr_lkey_fetch(&t, &cols[0], c, 2, &err), FR_OK, "%s", err.msg);
  const char *ids[] = {"T1", "T2", "T3", "T4"}, *payees[] = {"", "", "gamma-long-name", "delta"};
  for (uint64_t r = 0; r < 4; r++) {
    cr_assert_str_eq(fr_lkey(&cols[0], r), ids[r], "row %llu", (unsigned long long)r);
    cr_assert_str_eq(fr_lkey(&cols[1], r), payees[r], "row %llu", (unsigned long long)r); /* row 0 not fetched */
  }
  fr_ltable_free(&t);
  fr_sdict_free(&dict);
  fr_detect_params_destroy(p);
  fr_store_close(store);
}

/* F8 selects rows by amount and by a timestamp test before interning approvers:
 * the boundaries of the night (22:00 in, 06:00 out), the weekend, a holiday, and
 * an amount just below min_amount. */
Test(detect, off_hours_boundaries) {
  ingest("payments", PAY_HEADER
         "T1,2024-01-03 22:00:00,O,O,V,100.00,CNY,1,R,A,I1,,,\n"    /* Wednesday 22:00: night */
         "T2,2024-01-03 21:59:59,O,O,V,100.00,CNY,1,R,A,I2,,,\n"    /* not */
         "T3,2024-01-04 05:59:59,O,O,V,100.00,CNY,1,R,A,I3,,,\n"    /* night */
         "T4,2024-01-04 06:00:00,O,O,V,100.00,CNY,1,R,A,I4,,,\n"    /* not */
         "T5,2024-01-06 12:00:00,O,O,V,100.00,CNY,1,R,A,I5,,,\n"    /* Saturday */
         "T6,2024-01-07 12:00:00,O,O,V,99.99,CNY,1,R,A,I6,,,\n"     /* Sunday, below min_amount */
         "T7,2024-01-09 12:00:00,O,O,V,100.00,CNY,1,R,A,I7,,,\n"    /* Tuesday: a holiday below */
         "T8,2024-01-10 12:00:00,O,O,V,100.00,CNY,1,R,B,I8,,,\n");  /* another approver */
  const char *sets[] = {"min_amount=100.00", "min_count=2", "holidays=2024-01-09", NULL};
  char got[4096];
  cr_assert_eq(run("F8", sets, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1 T3 T5 T7");
  const char *no_holiday[] = {"min_amount=100.00", "min_count=2", NULL};
  cr_assert_eq(run("F8", no_holiday, got, sizeof got, NULL), FR_OK);
  cr_assert_str_eq(got, "T1 T3 T5");
}

/* A GROUP column numbers its texts within itself: equal texts <=> equal ids
 * across row groups, NULL = FR_NOID, each id's text its rows' text, ids dense;
 * with enough distinct texts to span many hash partitions, in dictionary and
 * plain chunks (one row group of distinct payees, others repeating), with a
 * selecting range (the kept rows only), and the same ids at 1 and 2 threads. */
static void group_check(int threads, uint32_t *ids_out, uint64_t n_expect) {
  fr_store *store;
  fr_detect_params *p;
  open_store_params("F1", &store, &p);
  fr_error err;
  fr_error_clear(&err);
  fr_lcol cols[3] = {LC("payee", FR_LC_GROUP, 0), LC("payee", FR_LC_KEY, 0), LC("amount", FR_LC_AMOUNT, 0)};
  cols[2].has_range = 1;
  cols[2].range_lo = 100;   /* 1.00: the rows with amount 0.00 are not loaded */
  cols[2].range_hi = INT64_MAX;
  omp_set_num_threads(threads);
  fr_sdict dict;
  fr_sdict_init(&dict);
  fr_ltable t;
  cr_assert_eq(fr_ltable_load(&t, store, p, "payments", cols, 3, &dict, &err), FR_OK, "%s", err.msg);
  cr_assert_eq(t.n_rows, n_expect);
  cr_assert_eq(dict.n, 0, "a GROUP column does not use the shared dictionary");
  const fr_lcol *g = &cols[0];
  uint8_t *seen = calloc(g->n_groups + 1, 1);
  for (uint64_t r = 0; r < t.n_rows; r++) {
    const char *text = fr_lkey(&cols[1], r);
    if (g->sid[r] == FR_NOID) {
      cr_assert_str_eq(text, "", "row %lu", (unsigned long)r);
      continue;
    }
    cr_assert_lt(g->sid[r], g->n_groups);
    seen[g->sid[r]] = 1;
    cr_assert_str_eq(g->grp_bytes + g->grp_off[g->sid[r]], text, "row %lu", (unsigned long)r);
    ids_out[r] = g->sid[r];
  }
  for (uint32_t id = 0; id < g->n_groups; id++) cr_assert(seen[id], "id %u has no row", id);
  /* distinct ids have distinct texts */
  for (uint32_t a = 0; a + 1 < g->n_groups && a < 300; a++)
    for (uint32_t b = a + 1; b < g->n_groups; b++)
      cr_assert_str_neq(g->grp_bytes + g->grp_off[a], g->grp_bytes + g->grp_off[b]);
  cr_assert_str_eq(g->grp_bytes + g->grp_off[g->n_groups], "");
  free(seen);
  fr_ltable_free(&t);
  fr_sdict_free(&dict);
  fr_detect_params_destroy(p);
  fr_store_close(store);
}

Test(detect, group_column_numbers_equal_texts_alike) {
  /* 12,000 rows in row groups of 4,000: payees V0..V4999 (row group 1: each
   * once, as plain strings when the ingest finds no repetition), then repeats
   * of the same payees in other orders, some NULL, every 7th row amount 0.00 */
  size_t cap = 12000 * 80 + 200, len = 0;
  char *csv = malloc(cap);
  len += (size_t)snprintf(csv + len, cap - len, PAY_HEADER);
  uint64_t kept = 0;
  for (int r = 0; r < 12000; r++) {
    int v = r < 4000 ? r : r < 8000 ? (r * 7919) % 5000 : 4999 - (r % 5000);
    const char *amount = r % 7 == 0 ? "0.00" : "5.00";
    kept += r % 7 != 0;
    if (r % 13 == 5)
      len += (size_t)snprintf(csv + len, cap - len, "T%d,2024-01-01 10:00:00,O,O,,%s,CNY,1,R,A,I,,,\n", r, amount);
    else
      len += (size_t)snprintf(csv + len, cap - len, "T%d,2024-01-01 10:00:00,O,O,V%d,%s,CNY,1,R,A,I,,,\n", r, v,
                              amount);
  }
  ingest_rows_per_group = 4000;
  ingest("payments", csv);
  free(csv);
  uint32_t *one = calloc(kept, sizeof *one), *two = calloc(kept, sizeof *two);
  group_check(1, one, kept);
  group_check(2, two, kept);
  cr_assert_eq(memcmp(one, two, kept * sizeof *one), 0, "ids differ between 1 and 2 threads");
  free(one);
  free(two);
}
