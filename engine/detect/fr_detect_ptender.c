/* fr_detect_ptender.c - P12 shared_contacts, P13 split_direct_awards and P14
 * winner_concentration (DETECTORS.md section P) over the canonical `tenders` and
 * `bids` (P12 with `entities` and `relations`).
 *
 * All tables intern into one dictionary, so a bid's tender_id, a tender's id, a
 * bidder and an entity id are equal exactly when their string ids are.  A tender
 * is its first `tenders` row of that tender_id (later duplicates are ignored); a
 * bid whose tender_id has no `tenders` row belongs to no tender and is skipped.
 * Each rule sorts its qualifying bids once with the record sort (so the result
 * does not depend on the thread count) and scans the groups linearly; P13's
 * windows are F3's: two pointers, exact 128-bit prefix sums, a difference array.
 * Workload: 10^5..10^6 tenders, ~4 bids each; memory 32 bytes per bid.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fr_alloc.h"
#include "fr_detect_pw.h"

fr_status fr_pw_open(fr_dctx *cx, const fr_store *store, const fr_detect_params *p, const char *table_param,
                     fr_lcol *cols, uint32_t n_cols, int key_idx, int ts_idx, fr_error *err) {
  memset(cx, 0, sizeof *cx);
  cx->p = p;
  fr_sdict_init(&cx->dict);
  fr_buf_init(&cx->json);
  fr_status status = fr_ltable_load(&cx->t, store, p, table_param, cols, n_cols, &cx->dict, err);
  if (status == FR_OK)
    status = fr_fbuild_init(&cx->fb, p, &cx->t, &cols[key_idx], ts_idx >= 0 ? &cols[ts_idx] : NULL, err);
  return status;
}

fr_status fr_pw_first_rows(uint32_t **out, const fr_lcol *col, uint64_t n_rows, uint32_t n_ids, fr_error *err) {
  *out = NULL;
  FR_FAIL_IF(n_rows >= UINT32_MAX, FR_ERR_LIMIT, err, "too many rows (%llu)", (unsigned long long)n_rows);
  uint32_t *first = fr_malloc((n_ids ? n_ids : 1) * sizeof *first);
  FR_FAIL_IF(first == NULL, FR_ERR_NOMEM, err, "out of memory");
  for (uint32_t k = 0; k < n_ids; k++) first[k] = UINT32_MAX;
  for (uint64_t r = n_rows; r-- > 0;)
    if (col->sid[r] != FR_NOID) first[col->sid[r]] = (uint32_t)r;
  *out = first;
  return FR_OK;
}

/* The bids table of a P rule, loaded into the kernel's dictionary. */
typedef struct fr_pbids {
  fr_ltable t;
  fr_lcol cols[4];   /* tender_id, bidder, [amount], [won] as requested */
  uint32_t *tender_of; /* per tender sid: first tenders row, UINT32_MAX none */
  uint8_t *won;      /* per bid: won = true */
} fr_pbids;

/* A boolean read as text: "true" / "t" / "1" (any case) is true. */
static int fr_text_true(const char *s) {
  return s != NULL && (strcasecmp(s, "true") == 0 || strcasecmp(s, "t") == 0 || strcmp(s, "1") == 0);
}

/* Loads bids.tender_id, bids.bidder (and bids.amount / bids.won when asked) and
 * indexes the main table's tenders by id (column tcol). */
static fr_status fr_pbids_load(fr_pbids *b, fr_dctx *cx, const fr_store *store, const fr_lcol *tcol, int amount,
                               int won, fr_error *err) {
  memset(b, 0, sizeof *b);
  uint32_t n = 0;
  b->cols[n++] = (fr_lcol)LC("bids.tender_id", FR_LC_SID, 0);
  b->cols[n++] = (fr_lcol)LC("bids.bidder", FR_LC_SID, 0);
  if (amount) b->cols[n++] = (fr_lcol)LC("bids.amount", FR_LC_AMOUNT, 0);
  if (won) b->cols[n++] = (fr_lcol)LC("bids.won", FR_LC_SID, 0);
  FR_TRY(fr_ltable_load(&b->t, store, cx->p, "bids", b->cols, n, &cx->dict, err));
  FR_TRY(fr_pw_first_rows(&b->tender_of, tcol, cx->t.n_rows, cx->dict.n, err));
  if (won) {
    b->won = fr_calloc(b->t.n_rows ? b->t.n_rows : 1, 1);
    FR_FAIL_IF(b->won == NULL, FR_ERR_NOMEM, err, "out of memory");
    uint8_t *is_true = fr_calloc(cx->dict.n ? cx->dict.n : 1, 1);
    FR_FAIL_IF(is_true == NULL, FR_ERR_NOMEM, err, "out of memory");
    for (uint32_t id = 0; id < cx->dict.n; id++) is_true[id] = (uint8_t)fr_text_true(fr_sdict_str(&cx->dict, id));
    const fr_lcol *w = &b->cols[n - 1];
    for (uint64_t r = 0; r < b->t.n_rows; r++) b->won[r] = w->sid[r] != FR_NOID && is_true[w->sid[r]];
    fr_free(is_true);
  }
  return FR_OK;
}

static void fr_pbids_free(fr_pbids *b) {
  fr_ltable_free(&b->t);
  fr_free(b->tender_of);
  fr_free(b->won);
}

/* The tenders row of bid r, or UINT32_MAX. */
static inline uint32_t fr_pbid_tender(const fr_pbids *b, uint64_t r) {
  uint32_t tid = b->cols[0].sid[r];
  return tid == FR_NOID ? UINT32_MAX : b->tender_of[tid];
}

/* ---- P12 ------------------------------------------------------------------------ */

enum { WHY_PHONE = 1, WHY_ADDRESS = 2, WHY_BANK = 4, WHY_RELATION = 8 };

static int fr_pw_same(const fr_sdict *d, const fr_lcol *c, uint32_t x, uint32_t y) {
  uint32_t a = c->sid[x], b = c->sid[y];
  return a != FR_NOID && a == b && d->lens[a] > 0;
}

static int fr_pair_linked(const fr_srec *pairs, size_t n_pairs, uint32_t x, uint32_t y) {
  uint64_t lo = x < y ? x : y, hi = x < y ? y : x, key = (lo << 32) | hi;
  size_t a = 0, b = n_pairs;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (pairs[mid].a < key) a = mid + 1;
    else b = mid;
  }
  return a < n_pairs && pairs[a].a == key;
}

/* P12: per tender, every pair of distinct bidders: same non-empty phone / address /
 * bank_account (first entities row of each id), or any relations row between them. */
fr_status fr_detect_p12(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol all[4] = {LC("tender_id", FR_LC_SID, 0), LC("org", FR_LC_SID, 1), LC("published", FR_LC_TS, 1),
                    LC("tender_id", FR_LC_KEY, 0)};
  enum { K, O, PUB, KEY };
  fr_lcol ecols[4] = {LC("entities.id", FR_LC_SID, 0), LC("entities.phone", FR_LC_SID, 0),
                      LC("entities.address", FR_LC_SID, 0), LC("entities.bank_account", FR_LC_SID, 0)};
  fr_lcol rcols[2] = {LC("relations.a", FR_LC_SID, 0), LC("relations.b", FR_LC_SID, 0)};
  fr_dctx cx;
  fr_pbids bids;
  fr_ltable ent, rel;
  memset(&bids, 0, sizeof bids);
  memset(&ent, 0, sizeof ent);
  memset(&rel, 0, sizeof rel);
  uint32_t *ent_of = NULL, *who = NULL;
  fr_srec *pairs = NULL, *recs = NULL;
  size_t n_pairs = 0, m = 0;
  fr_status status = fr_pw_open(&cx, store, p, "tenders", all, 4, KEY, PUB, err);
  if (status == FR_OK)
    status = fr_ltable_load(&ent, store, p, "entities", ecols, 4, &cx.dict, err);
  if (status == FR_OK)
    status = fr_ltable_load(&rel, store, p, "relations", rcols, 2, &cx.dict, err);
  if (status == FR_OK)
    status = fr_pbids_load(&bids, &cx, store, &all[K], 0, 0, err);
  if (status == FR_OK)
    status = fr_pw_first_rows(&ent_of, &ecols[0], ent.n_rows, cx.dict.n, err);
  if (status != FR_OK)
    goto done;
  pairs = fr_malloc((rel.n_rows ? rel.n_rows : 1) * sizeof *pairs);
  recs = fr_malloc((bids.t.n_rows ? bids.t.n_rows : 1) * sizeof *recs);
  who = fr_malloc((bids.t.n_rows ? bids.t.n_rows : 1) * sizeof *who);
  if (pairs == NULL || recs == NULL || who == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (uint64_t r = 0; r < rel.n_rows; r++) {
    uint64_t a = rcols[0].sid[r], b = rcols[1].sid[r];
    if (a == FR_NOID || b == FR_NOID || a == b)
      continue;
    pairs[n_pairs++] = (fr_srec){a < b ? (a << 32) | b : (b << 32) | a, 0, 0, r};
  }
  status = fr_srec_sort(pairs, n_pairs, err);
  for (uint64_t r = 0; r < bids.t.n_rows && status == FR_OK; r++) {
    uint32_t t = fr_pbid_tender(&bids, r), bidder = bids.cols[1].sid[r];
    if (t != UINT32_MAX && bidder != FR_NOID)
      recs[m++] = (fr_srec){t, bidder, 0, r};
  }
  if (status == FR_OK)
    status = fr_srec_sort(recs, m, err);
  for (size_t a = 0, b; a < m && status == FR_OK; a = b) {
    uint32_t k = 0;
    for (b = a; b < m && recs[b].a == recs[a].a; b++)
      if (b == a || recs[b].b != recs[b - 1].b) who[k++] = (uint32_t)recs[b].b;
    uint32_t n_linked = 0, first_x = 0, first_y = 0;
    uint8_t first_why = 0;
    for (uint32_t x = 0; x < k; x++)
      for (uint32_t y = x + 1; y < k; y++) {
        uint8_t why = 0;
        uint32_t ex = ent_of[who[x]], ey = ent_of[who[y]];
        if (ex != UINT32_MAX && ey != UINT32_MAX) {
          if (fr_pw_same(&cx.dict, &ecols[1], ex, ey)) why |= WHY_PHONE;
          if (fr_pw_same(&cx.dict, &ecols[2], ex, ey)) why |= WHY_ADDRESS;
          if (fr_pw_same(&cx.dict, &ecols[3], ex, ey)) why |= WHY_BANK;
        }
        if (fr_pair_linked(pairs, n_pairs, who[x], who[y])) why |= WHY_RELATION;
        if (why == 0)
          continue;
        if (n_linked++ == 0) {
          first_x = who[x];
          first_y = who[y];
          first_why = why;
        }
      }
    if (n_linked == 0)
      continue;
    uint64_t row = recs[a].a;
    const char *bx = fr_sdict_str(&cx.dict, first_x), *by = fr_sdict_str(&cx.dict, first_y);
    char how[128];
    snprintf(how, sizeof how, "%s%s%s%s", (first_why & WHY_PHONE) ? ", phone" : "",
             (first_why & WHY_ADDRESS) ? ", address" : "", (first_why & WHY_BANK) ? ", bank account" : "",
             (first_why & WHY_RELATION) ? ", a relation" : "");
    char *summary = fr_strf("tender %s: bidders %s and %s share %s (%u linked pair%s among %u bidders)",
                            fr_sdict_str(&cx.dict, all[K].sid[row]), bx, by, how + 2, n_linked,
                            n_linked == 1 ? "" : "s", k);
    fr_jint(&cx.json, "bidders", k);
    fr_jint(&cx.json, "linked_pairs", n_linked);
    fr_jstr(&cx.json, "bidder_a", bx);
    fr_jstr(&cx.json, "bidder_b", by);
    fr_jint(&cx.json, "shared_phone", (first_why & WHY_PHONE) != 0);
    fr_jint(&cx.json, "shared_address", (first_why & WHY_ADDRESS) != 0);
    fr_jint(&cx.json, "shared_bank_account", (first_why & WHY_BANK) != 0);
    fr_jint(&cx.json, "relation", (first_why & WHY_RELATION) != 0);
    fr_fbuild_add(&cx.fb, &row, 1, (double)n_linked, bx, all[O].present ? fr_sdict_str(&cx.dict, all[O].sid[row]) : NULL,
                  summary, fr_jdone(&cx.json));
  }
done:
  fr_free(ent_of);
  fr_free(who);
  fr_free(pairs);
  fr_free(recs);
  fr_pbids_free(&bids);
  fr_ltable_free(&ent);
  fr_ltable_free(&rel);
  return fr_dctx_close(&cx, status, out, err);
}

/* ---- P13 ------------------------------------------------------------------------ */

/* P13: awards = winning bids (amount < threshold) of tenders with awarded not NULL
 * and a direct method, partitioned by (org, bidder) in awarded order; F3's windows
 * [q.awarded, q.awarded + W] with >= 2 awards summing to >= threshold flag their
 * awards; flagged awards chained by gaps <= W form one finding. */
fr_status fr_detect_p13(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol all[5] = {LC("tender_id", FR_LC_SID, 0), LC("org", FR_LC_SID, 0), LC("method", FR_LC_SID, 0),
                    LC("awarded", FR_LC_TS, 0), LC("tender_id", FR_LC_KEY, 0)};
  enum { ID, O, M, AW, K };
  const int64_t window_us = fr_dp_i(p, "window_days") * FR_US_PER_DAY;
  const int64_t threshold = fr_dp_i(p, "threshold");
  const fr_param_value *methods = fr_dp(p, "methods");
  fr_dctx cx;
  fr_pbids bids;
  memset(&bids, 0, sizeof bids);
  fr_srec *recs = NULL;
  uint64_t *rows = NULL;
  fr_dx128 *prefix = NULL;
  int32_t *cover = NULL;
  uint8_t *direct = NULL;
  size_t m = 0;
  fr_status status = fr_pw_open(&cx, store, p, "tenders", all, 5, K, AW, err);
  if (status == FR_OK)
    status = fr_pbids_load(&bids, &cx, store, &all[ID], 1, 1, err);
  if (status != FR_OK)
    goto done;
  const uint64_t nb = bids.t.n_rows;
  recs = fr_malloc((nb ? nb : 1) * sizeof *recs);
  rows = fr_malloc((nb ? nb : 1) * sizeof *rows);
  prefix = fr_malloc((nb + 1) * sizeof *prefix);
  cover = fr_calloc(nb + 1, sizeof *cover);
  direct = fr_calloc(cx.dict.n ? cx.dict.n : 1, 1);
  if (recs == NULL || rows == NULL || prefix == NULL || cover == NULL || direct == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  for (uint32_t w = 0; w < methods->n_items; w++) {
    uint32_t id = fr_sdict_lookup(&cx.dict, methods->words[w], strlen(methods->words[w]));
    if (id != FR_NOID) direct[id] = 1;
  }
  const fr_lcol *bbid = &bids.cols[1], *bamt = &bids.cols[2];
  for (uint64_t r = 0; r < nb; r++) {
    uint32_t t = fr_pbid_tender(&bids, r);
    if (!bids.won[r] || t == UINT32_MAX || bbid->sid[r] == FR_NOID || !bamt->valid[r] || bamt->i64[r] >= threshold)
      continue;
    uint32_t method = all[M].sid[t];
    if (!all[AW].valid[t] || all[O].sid[t] == FR_NOID || method == FR_NOID ||
        (methods->n_items > 0 && !direct[method]))
      continue;
    recs[m++] = (fr_srec){((uint64_t)all[O].sid[t] << 32) | bbid->sid[r], fr_skey(all[AW].i64[t]), 0, r};
  }
  status = fr_srec_sort(recs, m, err);
  if (status != FR_OK)
    goto done;
#define P13_AT(x) all[AW].i64[bids.tender_of[bids.cols[0].sid[recs[x].row]]]
  prefix[0] = 0;
  for (size_t x = 0; x < m; x++) prefix[x + 1] = prefix[x] + bamt->i64[recs[x].row];
  for (size_t a = 0, b; a < m; a = b) {
    for (b = a + 1; b < m && recs[b].a == recs[a].a; b++) {
    }
    size_t lo = a, hi = a;
    cover[a] = 0;
    for (size_t q = a; q < b; q++) {
      int64_t qts = P13_AT(q);
      if (q > a && P13_AT(q - 1) == qts)
        continue; /* the same window as the previous start */
      lo = q;
      if (hi < q) hi = q;
      while (hi < b && P13_AT(hi) - qts <= window_us) hi++;
      if (hi - lo >= 2 && prefix[hi] - prefix[lo] >= threshold) {
        cover[lo]++;
        cover[hi]--;
      }
    }
    int32_t depth = 0;
    uint32_t k = 0;
    fr_dx128 sum = 0;
    int64_t first_ts = 0, last_ts = 0;
    for (size_t x = a; x <= b; x++) {
      int flagged = 0;
      if (x < b) {
        depth += cover[x];
        flagged = depth > 0;
      }
      int64_t ts = x < b ? P13_AT(x) : 0;
      if (k > 0 && (x == b || (flagged && ts - last_ts > window_us))) {
        uint64_t t0 = rows[0];
        char thr[FR_VALUE_TEXT_CAP + 1], tot[FR_VALUE_TEXT_CAP + 1];
        double days = (double)(last_ts - first_ts) / (double)FR_US_PER_DAY;
        uint64_t b0 = recs[x - 1].row;
        const char *bidder = fr_sdict_str(&cx.dict, bbid->sid[b0]);
        const char *org = fr_sdict_str(&cx.dict, all[O].sid[t0]);
        int64_t sum64 = sum > INT64_MAX ? INT64_MAX : (int64_t)sum;
        char *summary = fr_strf("%u direct awards by %s to %s within %.2f days, each under %s, together %s", k, org,
                                bidder, days, fr_cents_text(thr, threshold), fr_cents_text(tot, sum64));
        fr_jcents(&cx.json, "total", sum64);
        fr_jcents(&cx.json, "threshold", threshold);
        fr_jint(&cx.json, "awards", k);
        fr_jreal(&cx.json, "span_days", days);
        fr_fbuild_add(&cx.fb, rows, k, threshold > 0 ? (double)sum / (double)threshold : 0.0, bidder, org, summary,
                      fr_jdone(&cx.json));
        k = 0;
        sum = 0;
      }
      if (flagged) {
        if (k == 0) first_ts = ts;
        rows[k++] = bids.tender_of[bids.cols[0].sid[recs[x].row]];
        sum += bamt->i64[recs[x].row];
        last_ts = ts;
      }
    }
  }
#undef P13_AT
  status = cx.fb.status;
done:
  fr_free(recs);
  fr_free(rows);
  fr_free(prefix);
  fr_free(cover);
  fr_free(direct);
  fr_pbids_free(&bids);
  return fr_dctx_close(&cx, status, out, err);
}

/* ---- P14 ------------------------------------------------------------------------ */

/* P14: per (org, category), n = its awarded tenders; a bidder with a winning bid in
 * m distinct of them, m >= share x n and n >= min_tenders, is one finding whose
 * evidence is those m tenders. */
fr_status fr_detect_p14(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol all[5] = {LC("tender_id", FR_LC_SID, 0), LC("org", FR_LC_SID, 0), LC("category", FR_LC_SID, 0),
                    LC("awarded", FR_LC_TS, 0), LC("tender_id", FR_LC_KEY, 0)};
  enum { ID, O, C, AW, K };
  const int64_t min_tenders = fr_dp_i(p, "min_tenders"), share = fr_dp_i(p, "share");
  fr_dctx cx;
  fr_pbids bids;
  memset(&bids, 0, sizeof bids);
  fr_srec *groups = NULL, *recs = NULL;
  uint64_t *rows = NULL;
  size_t ng = 0, m = 0;
  fr_status status = fr_pw_open(&cx, store, p, "tenders", all, 5, K, AW, err);
  if (status == FR_OK)
    status = fr_pbids_load(&bids, &cx, store, &all[ID], 0, 1, err);
  if (status != FR_OK)
    goto done;
  const uint64_t nt = cx.t.n_rows, nb = bids.t.n_rows;
  groups = fr_malloc((nt ? nt : 1) * sizeof *groups);
  recs = fr_malloc((nb ? nb : 1) * sizeof *recs);
  rows = fr_malloc((nb ? nb : 1) * sizeof *rows);
  if (groups == NULL || recs == NULL || rows == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  /* a tender counts when it is the first row of its id, awarded, with org and category */
  for (uint64_t t = 0; t < nt; t++) {
    uint32_t id = all[ID].sid[t];
    if (id == FR_NOID || bids.tender_of[id] != t || !all[AW].valid[t] || all[O].sid[t] == FR_NOID ||
        all[C].sid[t] == FR_NOID)
      continue;
    groups[ng++] = (fr_srec){((uint64_t)all[O].sid[t] << 32) | all[C].sid[t], 0, 0, t};
  }
  status = fr_srec_sort(groups, ng, err);
  for (uint64_t r = 0; r < nb && status == FR_OK; r++) {
    uint32_t t = fr_pbid_tender(&bids, r);
    if (!bids.won[r] || t == UINT32_MAX || bids.cols[1].sid[r] == FR_NOID || !all[AW].valid[t] ||
        all[O].sid[t] == FR_NOID || all[C].sid[t] == FR_NOID)
      continue;
    recs[m++] = (fr_srec){((uint64_t)all[O].sid[t] << 32) | all[C].sid[t], bids.cols[1].sid[r], t, r};
  }
  if (status == FR_OK)
    status = fr_srec_sort(recs, m, err);
  for (size_t a = 0, b, g = 0; a < m && status == FR_OK; a = b) {
    uint32_t k = 0;
    for (b = a; b < m && recs[b].a == recs[a].a && recs[b].b == recs[a].b; b++)
      if (b == a || recs[b].c != recs[b - 1].c) rows[k++] = recs[b].c;
    while (g < ng && groups[g].a < recs[a].a) g++;
    size_t g_end = g;
    while (g_end < ng && groups[g_end].a == recs[a].a) g_end++;
    int64_t n = (int64_t)(g_end - g);
    if (n < min_tenders || (fr_dx128)k * FR_RATIO_SCALE < (fr_dx128)share * n)
      continue;
    const char *bidder = fr_sdict_str(&cx.dict, (uint32_t)recs[a].b);
    const char *org = fr_sdict_str(&cx.dict, all[O].sid[recs[a].c]);
    const char *cat = fr_sdict_str(&cx.dict, all[C].sid[recs[a].c]);
    char *summary = fr_strf("%s won %u of the %lld awarded tenders of %s in category %s", bidder, k, (long long)n,
                            org, cat);
    fr_jstr(&cx.json, "category", cat);
    fr_jint(&cx.json, "won", k);
    fr_jint(&cx.json, "awarded", n);
    fr_fbuild_add(&cx.fb, rows, k, (double)k / (double)n, bidder, org, summary, fr_jdone(&cx.json));
  }
done:
  fr_free(groups);
  fr_free(recs);
  fr_free(rows);
  fr_pbids_free(&bids);
  return fr_dctx_close(&cx, status, out, err);
}
