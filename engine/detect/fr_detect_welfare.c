/* fr_detect_welfare.c - W1 duplicate_beneficiary, W2 deceased_beneficiary and W3
 * official_relative (DETECTORS.md section W) over `subsidies`, joined with
 * `entities` (by id; the first row of an id wins, as in F11/F12), `relations`
 * (indexed by each end) and `posts` (indexed by (official, org)).
 * All tables intern into one dictionary, so ids compare as integers.  W1 sorts the
 * payouts by (program, person, period, input order); W2 is a lookup per payout;
 * W3 tests each payout in parallel into one flag byte per row, findings are then
 * built in row order.  Workload: 10^6..10^7 payouts, 10^6 entities and relations.
 */
#include <stdio.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_pw.h"

/* W1: person = "N" + id_no of the beneficiary's entity when not empty, else "B" +
 * the beneficiary id (the two kinds never meet); period = calendar month or year
 * of date(ts); each (program, person, period) with 2+ payouts is one finding. */
fr_status fr_detect_w1(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[5] = {LC("payout_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0), LC("org", FR_LC_SID, 1),
                    LC("program", FR_LC_SID, 0), LC("beneficiary", FR_LC_SID, 0)};
  enum { K, T, O, PG, BN };
  fr_lcol ecols[2] = {LC("entities.id", FR_LC_SID, 0), LC("entities.id_no", FR_LC_SID, 0)};
  const fr_param_value *period = fr_dp(p, "period");
  int by_year = 0;
  fr_dctx cx;
  fr_ltable ent;
  memset(&ent, 0, sizeof ent);
  uint32_t *ent_of = NULL;
  fr_srec *recs = NULL;
  uint64_t *rows = NULL;
  size_t m = 0;
  fr_status status = fr_pw_open(&cx, store, p, "subsidies", use, 5, K, T, err);
  if (status != FR_OK)
    goto done;
  if (period->n_items == 1 && strcmp(period->words[0], "year") == 0) {
    by_year = 1;
  } else if (period->n_items != 1 || strcmp(period->words[0], "month") != 0) {
    status = fr_error_set(err, FR_ERR_INVALID, "parameter period: \"%s\" is not month or year", period->text);
    goto done;
  }
  ecols[0].member_of = &cx.dict; /* only entities some payout names matter (a semi-join) */
  status = fr_ltable_load(&ent, store, p, "entities", ecols, 2, &cx.dict, err);
  if (status == FR_OK)
    status = fr_pw_first_rows(&ent_of, &ecols[0], ent.n_rows, cx.dict.n, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  status = fr_row_scratch(n, &recs, &rows, err);
  if (status != FR_OK)
    goto done;
  for (uint64_t r = 0; r < n; r++) {
    uint32_t ben = use[BN].sid[r];
    if (!use[T].valid[r] || use[PG].sid[r] == FR_NOID || ben == FR_NOID)
      continue;
    uint32_t e = ent_of[ben], id_no = e == UINT32_MAX ? FR_NOID : ecols[1].sid[e];
    uint64_t person = id_no != FR_NOID && cx.dict.lens[id_no] > 0 ? (1ULL << 32) | id_no : ben;
    int64_t year;
    unsigned month, day;
    fr_civil_from_days(fr_day_of_ts(use[T].i64[r]), &year, &month, &day);
    int64_t per = by_year ? year : year * 12 + (int64_t)month - 1;
    recs[m++] = (fr_srec){use[PG].sid[r], person, fr_skey(per), r};
  }
  status = fr_srec_sort(recs, m, err);
  for (size_t a = 0, b; a < m && status == FR_OK; a = b) {
    for (b = a + 1; b < m && recs[b].a == recs[a].a && recs[b].b == recs[a].b && recs[b].c == recs[a].c; b++) {
    }
    if (b - a < 2)
      continue;
    uint32_t k = 0;
    for (size_t x = a; x < b; x++) rows[k++] = recs[x].row;
    uint64_t r0 = recs[a].row;
    const char *program = fr_sdict_str(&cx.dict, use[PG].sid[r0]);
    const char *person = fr_sdict_str(&cx.dict, (uint32_t)recs[a].b);
    int64_t year;
    unsigned month, day;
    fr_civil_from_days(fr_day_of_ts(use[T].i64[r0]), &year, &month, &day);
    char per[32];
    if (by_year) snprintf(per, sizeof per, "%04lld", (long long)year);
    else snprintf(per, sizeof per, "%04lld-%02u", (long long)year, month);
    char *summary = fr_strf("%u payouts of %s to %s %s in %s", k, program,
                            (recs[a].b >> 32) ? "the person with id_no" : "beneficiary", person, per);
    fr_jstr(&cx.json, "program", program);
    fr_jstr(&cx.json, "person", person);
    fr_jstr(&cx.json, "person_by", (recs[a].b >> 32) ? "id_no" : "beneficiary");
    fr_jstr(&cx.json, "period", per);
    fr_jint(&cx.json, "payouts", k);
    fr_fbuild_add(&cx.fb, rows, k, (double)k, person, fr_common_sid(&cx.dict, &use[O], rows, k), summary,
                  fr_jdone(&cx.json));
  }
done:
  fr_free(ent_of);
  fr_free(recs);
  fr_free(rows);
  fr_ltable_free(&ent);
  return fr_dctx_close(&cx, status, out, err);
}

/* W2: date(ts) > deceased of the beneficiary's entity. */
fr_status fr_detect_w2(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[4] = {LC("payout_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0), LC("org", FR_LC_SID, 1),
                    LC("beneficiary", FR_LC_SID, 0)};
  enum { K, T, O, BN };
  fr_lcol ecols[2] = {LC("entities.id", FR_LC_SID, 0), LC("entities.deceased", FR_LC_DATE, 0)};
  fr_dctx cx;
  fr_ltable ent;
  memset(&ent, 0, sizeof ent);
  uint32_t *ent_of = NULL;
  fr_status status = fr_pw_open(&cx, store, p, "subsidies", use, 4, K, T, err);
  ecols[0].member_of = &cx.dict; /* only entities some payout names matter (a semi-join) */
  if (status == FR_OK)
    status = fr_ltable_load(&ent, store, p, "entities", ecols, 2, &cx.dict, err);
  if (status == FR_OK)
    status = fr_pw_first_rows(&ent_of, &ecols[0], ent.n_rows, cx.dict.n, err);
  for (uint64_t r = 0; status == FR_OK && r < cx.t.n_rows; r++) {
    uint32_t ben = use[BN].sid[r];
    if (!use[T].valid[r] || ben == FR_NOID)
      continue;
    uint32_t e = ent_of[ben];
    if (e == UINT32_MAX || !ecols[1].valid[e])
      continue;
    int64_t after = fr_day_of_ts(use[T].i64[r]) - ecols[1].i64[e];
    if (after <= 0)
      continue;
    const char *who = fr_sdict_str(&cx.dict, ben);
    char died[FR_VALUE_TEXT_CAP + 1];
    died[fr_format_date(died, ecols[1].i64[e])] = '\0';
    char *summary = fr_strf("payout to %s, who died %s, %lld days after the death", who, died, (long long)after);
    fr_jstr(&cx.json, "deceased", died);
    fr_jint(&cx.json, "days_after", after);
    uint64_t row = r;
    fr_fbuild_add(&cx.fb, &row, 1, (double)after, who, use[O].present ? fr_sdict_str(&cx.dict, use[O].sid[r]) : NULL,
                  summary, fr_jdone(&cx.json));
  }
  fr_free(ent_of);
  fr_ltable_free(&ent);
  return fr_dctx_close(&cx, status, out, err);
}

static inline int fr_valid_on(const fr_lcol *since, const fr_lcol *until, uint64_t r, int64_t day) {
  return (!since->valid[r] || since->i64[r] <= day) && (!until->valid[r] || day <= until->i64[r]);
}

/* Index of the first record with key a >= key in recs sorted by a. */
static size_t fr_lower_a(const fr_srec *recs, size_t n, uint64_t key) {
  size_t x = 0, y = n;
  while (x < y) {
    size_t mid = x + (y - x) / 2;
    if (recs[mid].a < key) x = mid + 1;
    else y = mid;
  }
  return x;
}

/* W3: a relations row with the beneficiary at one end, valid on date(ts), whose other
 * end holds a post (posts row valid on that date) in the payout's org.  The first
 * such (relation, post), in relations then posts input order, is reported. */
fr_status fr_detect_w3(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[4] = {LC("payout_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0), LC("org", FR_LC_SID, 0),
                    LC("beneficiary", FR_LC_SID, 0)};
  enum { K, T, O, BN };
  fr_lcol rcols[5] = {LC("relations.a", FR_LC_SID, 0), LC("relations.b", FR_LC_SID, 0),
                      LC("relations.kind", FR_LC_SID, 1), LC("relations.since", FR_LC_DATE, 0),
                      LC("relations.until", FR_LC_DATE, 0)};
  fr_lcol pcols[5] = {LC("posts.org", FR_LC_SID, 0), LC("posts.post", FR_LC_SID, 1), LC("posts.official", FR_LC_SID, 0),
                      LC("posts.start_date", FR_LC_DATE, 0), LC("posts.end_date", FR_LC_DATE, 0)};
  fr_dctx cx;
  fr_ltable rel, post;
  memset(&rel, 0, sizeof rel);
  memset(&post, 0, sizeof post);
  fr_srec *ends = NULL, *held = NULL;
  uint64_t *hit_rel = NULL, *hit_post = NULL;
  uint32_t *n_ties = NULL;
  size_t n_ends = 0, n_held = 0;
  fr_status status = fr_pw_open(&cx, store, p, "subsidies", use, 4, K, T, err);
  if (status == FR_OK)
    status = fr_ltable_load(&rel, store, p, "relations", rcols, 5, &cx.dict, err);
  if (status == FR_OK)
    status = fr_ltable_load(&post, store, p, "posts", pcols, 5, &cx.dict, err);
  if (status != FR_OK)
    goto done;
  const uint64_t n = cx.t.n_rows;
  ends = fr_malloc((rel.n_rows ? 2 * rel.n_rows : 1) * sizeof *ends);
  held = fr_malloc((post.n_rows ? post.n_rows : 1) * sizeof *held);
  hit_rel = fr_malloc((n ? n : 1) * sizeof *hit_rel);
  hit_post = fr_malloc((n ? n : 1) * sizeof *hit_post);
  n_ties = fr_calloc(n ? n : 1, sizeof *n_ties);
  if (ends == NULL || held == NULL || hit_rel == NULL || hit_post == NULL || n_ties == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    goto done;
  }
  /* ends: (end, other) per relation row and direction; held: (official, org) per post */
  for (uint64_t r = 0; r < rel.n_rows; r++) {
    uint32_t a = rcols[0].sid[r], b = rcols[1].sid[r];
    if (a == FR_NOID || b == FR_NOID)
      continue;
    ends[n_ends++] = (fr_srec){a, b, 0, r};
    if (a != b) ends[n_ends++] = (fr_srec){b, a, 0, r};
  }
  for (uint64_t r = 0; r < post.n_rows; r++)
    if (pcols[0].sid[r] != FR_NOID && pcols[2].sid[r] != FR_NOID)
      held[n_held++] = (fr_srec){((uint64_t)pcols[2].sid[r] << 32) | pcols[0].sid[r], 0, 0, r};
  status = fr_srec_sort(ends, n_ends, err);
  if (status == FR_OK)
    status = fr_srec_sort(held, n_held, err);
  if (status != FR_OK)
    goto done;
  /* sorted by (key, 0, 0, row): within one key, input order */
#pragma omp parallel for schedule(dynamic, 16384)
  for (int64_t r = 0; r < (int64_t)n; r++) {
    uint32_t ben = use[BN].sid[r], org = use[O].sid[r];
    if (!use[T].valid[r] || ben == FR_NOID || org == FR_NOID)
      continue;
    int64_t day = fr_day_of_ts(use[T].i64[r]);
    for (size_t x = fr_lower_a(ends, n_ends, ben); x < n_ends && ends[x].a == ben; x++) {
      if (!fr_valid_on(&rcols[3], &rcols[4], ends[x].row, day))
        continue;
      uint64_t key = (ends[x].b << 32) | org;
      for (size_t y = fr_lower_a(held, n_held, key); y < n_held && held[y].a == key; y++) {
        if (!fr_valid_on(&pcols[3], &pcols[4], held[y].row, day))
          continue;
        if (n_ties[r]++ == 0) {
          hit_rel[r] = ends[x].row;
          hit_post[r] = held[y].row;
        }
      }
    }
  }
  for (uint64_t r = 0; r < n && status == FR_OK; r++) {
    if (n_ties[r] == 0)
      continue;
    uint64_t q = hit_rel[r], h = hit_post[r];
    uint32_t ben = use[BN].sid[r];
    uint32_t official = rcols[0].sid[q] == ben ? rcols[1].sid[q] : rcols[0].sid[q];
    const char *who = fr_sdict_str(&cx.dict, ben), *off = fr_sdict_str(&cx.dict, official);
    const char *kind = rcols[2].present ? fr_sdict_str(&cx.dict, rcols[2].sid[q]) : NULL;
    const char *pname = pcols[1].present ? fr_sdict_str(&cx.dict, pcols[1].sid[h]) : NULL;
    const char *org = fr_sdict_str(&cx.dict, use[O].sid[r]);
    char *summary = fr_strf("payout by %s to %s, related (%s) to %s, who holds the post %s there", org, who,
                            kind != NULL ? kind : "any", off, pname != NULL ? pname : "(unnamed)");
    fr_jstr(&cx.json, "official", off);
    fr_jstr(&cx.json, "relation", kind);
    fr_jstr(&cx.json, "post", pname);
    fr_jint(&cx.json, "ties", n_ties[r]);
    uint64_t row = r;
    fr_fbuild_add(&cx.fb, &row, 1, (double)n_ties[r], off, org, summary, fr_jdone(&cx.json));
  }
done:
  fr_free(ends);
  fr_free(held);
  fr_free(hit_rel);
  fr_free(hit_post);
  fr_free(n_ties);
  fr_ltable_free(&rel);
  fr_ltable_free(&post);
  return fr_dctx_close(&cx, status, out, err);
}
