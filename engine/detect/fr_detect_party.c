/* fr_detect_party.c - F11 related_party and F12 new_vendor_large (DETECTORS.md):
 * payments joined with `entities` (by id) and `relations` (by the unordered pair
 * of its ends).  All three tables intern into one dictionary, so a payee, an
 * entity id and a relation end are equal exactly when their ids are; entities are
 * indexed by id (the first row of an id wins), relations by the sorted pair.
 * The per-payment test runs in parallel into a flag per row; findings are then
 * built in row order.  Workload: 10^7 payments, 10^6 entities and relations.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"
#include "fr_hash.h"

/* ent_of[id] = first entities row whose id column has that string id. */
static fr_status fr_entity_index(uint32_t **out, const fr_lcol *id_col, uint64_t n_rows, uint32_t n_ids,
                                 fr_error *err) {
  uint32_t *ent_of = fr_malloc((n_ids ? n_ids : 1) * sizeof *ent_of);
  FR_FAIL_IF(ent_of == NULL, FR_ERR_NOMEM, err, "out of memory");
  FR_FAIL_IF(n_rows >= UINT32_MAX, FR_ERR_LIMIT, err, "too many entities");
  for (uint32_t k = 0; k < n_ids; k++) ent_of[k] = UINT32_MAX;
  for (uint64_t r = n_rows; r-- > 0;)
    if (id_col->sid[r] != FR_NOID) ent_of[id_col->sid[r]] = (uint32_t)r;
  *out = ent_of;
  return FR_OK;
}

fr_status fr_detect_f12(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[5] = {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0), LC("org", FR_LC_SID, 1),
                    LC("payee", FR_LC_SID, 0), LC("amount", FR_LC_AMOUNT, 0)};
  enum { K, T, O, PE, A };
  fr_lcol ecols[2] = {LC("entities.id", FR_LC_SID, 0), LC("entities.registered", FR_LC_DATE, 0)};
  const int64_t days = fr_dp_i(p, "days"), min_amount = fr_dp_i(p, "min_amount");
  fr_dctx cx;
  fr_ltable ent;
  memset(&ent, 0, sizeof ent);
  uint32_t *ent_of = NULL;
  use[A].has_range = 1; /* amounts below min_amount never count: skip row groups by the zone map */
  use[A].range_lo = min_amount;
  use[A].range_hi = INT64_MAX;
  fr_status status = fr_dctx_open(&cx, store, p, use, 5, K, T, err);
  /* only entities some loaded payment names matter: a semi-join on the id */
  ecols[0].member_of = &cx.dict;
  if (status == FR_OK)
    status = fr_ltable_load(&ent, store, p, "entities", ecols, 2, &cx.dict, err);
  if (status == FR_OK)
    status = fr_entity_index(&ent_of, &ecols[0], ent.n_rows, cx.dict.n, err);
  for (uint64_t r = 0; status == FR_OK && r < cx.t.n_rows; r++) {
    if (!use[A].valid[r] || !use[T].valid[r] || use[PE].sid[r] == FR_NOID || use[A].i64[r] < min_amount)
      continue;
    uint32_t e = ent_of[use[PE].sid[r]];
    if (e == UINT32_MAX || !ecols[1].valid[e])
      continue;
    int64_t age = fr_day_of_ts(use[T].i64[r]) - ecols[1].i64[e];
    if (age < 0 || age > days)
      continue;
    const char *payee = fr_sdict_str(&cx.dict, use[PE].sid[r]);
    char amt[FR_VALUE_TEXT_CAP + 1], reg[FR_VALUE_TEXT_CAP + 1];
    reg[fr_format_date(reg, ecols[1].i64[e])] = '\0';
    char *summary = fr_strf("%s, registered %s, received %s %lld days later", payee, reg,
                            fr_cents_text(amt, use[A].i64[r]), (long long)age);
    fr_jstr(&cx.json, "registered", reg);
    fr_jint(&cx.json, "age_days", age);
    fr_jcents(&cx.json, "amount", use[A].i64[r]);
    uint64_t row = r;
    fr_fbuild_add(&cx.fb, &row, 1, (double)use[A].i64[r] / 100.0, payee,
                  use[O].present ? fr_sdict_str(&cx.dict, use[O].sid[r]) : NULL, summary, fr_jdone(&cx.json));
  }
  fr_free(ent_of);
  fr_ltable_free(&ent);
  return fr_dctx_close(&cx, status, out, err);
}

/* why a payment is flagged: bits per role (approver 0, requester 1) */
enum { WHY_RELATION = 1, WHY_PHONE = 2, WHY_ADDRESS = 4, WHY_BANK = 8 };

/* An entity's contact ids, packed so a comparison touches one cache line per
 * entity; an empty text counts as absent (FR_NOID). */
typedef struct fr_contacts {
  uint32_t phone, address, bank;
} fr_contacts;

static uint32_t fr_nonempty_sid(const fr_sdict *d, uint32_t sid) {
  return sid != FR_NOID && d->lens[sid] > 0 ? sid : FR_NOID;
}

/* Related pairs by key ((lo << 32) | hi of the two sids): an open-addressing
 * table from key to the first of its records in the key-sorted pairs, so each
 * payment role costs one probe instead of a binary search. */
typedef struct fr_pair_index {
  uint64_t *keys;     /* slot: key, or UINT64_MAX = empty (no sid is FR_NOID in a key) */
  uint32_t *first;    /* slot: index of the key's first record */
  uint64_t mask;
  /* a bit per key's hash, 8 to 16 bits per key: nearly every payment's pair is
   * unrelated, and this bitmap (an eighth of the table's size, so mostly in
   * cache) answers most of those lookups without touching the table */
  uint64_t *bits;
  uint64_t bit_mask;
} fr_pair_index;

static int fr_pair_index_build(fr_pair_index *ix, const fr_srec *pairs, size_t n) {
  uint64_t n_slots = 16;
  while (n_slots < 2 * (uint64_t)n) n_slots *= 2;
  ix->mask = n_slots - 1;
  ix->keys = fr_malloc((size_t)n_slots * sizeof *ix->keys);
  ix->first = fr_malloc((size_t)n_slots * sizeof *ix->first);
  if (ix->keys == NULL || ix->first == NULL)
    return -1;
  memset(ix->keys, 0xff, (size_t)n_slots * sizeof *ix->keys);
  const uint64_t n_bits = 4 * n_slots; /* 8 to 16 bits per key */
  ix->bit_mask = n_bits - 1;
  ix->bits = fr_calloc_dense((size_t)(n_bits / 64), sizeof *ix->bits); /* probed at random */
  if (ix->bits == NULL)
    return -1;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && pairs[i].a == pairs[i - 1].a)
      continue;
    const uint64_t b = (fr_hash_u64(pairs[i].a, 0) >> 20) & ix->bit_mask;
    ix->bits[b >> 6] |= 1ULL << (b & 63);
    uint64_t s = fr_hash_u64(pairs[i].a, 0) & ix->mask;
    while (ix->keys[s] != UINT64_MAX) s = (s + 1) & ix->mask;
    ix->keys[s] = pairs[i].a;
    ix->first[s] = (uint32_t)i;
  }
  return 0;
}

/* Index of key's first record, or SIZE_MAX. */
static size_t fr_pair_index_find(const fr_pair_index *ix, uint64_t key) {
  const uint64_t h = fr_hash_u64(key, 0), b = (h >> 20) & ix->bit_mask;
  if (!(ix->bits[b >> 6] >> (b & 63) & 1))
    return SIZE_MAX;
  for (uint64_t s = h & ix->mask;; s = (s + 1) & ix->mask) {
    if (ix->keys[s] == key)
      return ix->first[s];
    if (ix->keys[s] == UINT64_MAX)
      return SIZE_MAX;
  }
}

fr_status fr_detect_f11(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[6] = {LC("txn_id", FR_LC_KEY, 0),   LC("ts", FR_LC_TS, 0),         LC("org", FR_LC_SID, 1),
                    LC("payee", FR_LC_SID, 0),    LC("requester", FR_LC_SID, 0), LC("approver", FR_LC_SID, 0)};
  enum { K, T, O, PE, RQ, AP };
  fr_lcol ecols[4] = {LC("entities.id", FR_LC_SID, 0), LC("entities.phone", FR_LC_SID, 0),
                      LC("entities.address", FR_LC_SID, 0), LC("entities.bank_account", FR_LC_SID, 0)};
  fr_lcol rcols[5] = {LC("relations.a", FR_LC_SID, 0), LC("relations.b", FR_LC_SID, 0),
                      LC("relations.kind", FR_LC_SID, 0), LC("relations.since", FR_LC_DATE, 0),
                      LC("relations.until", FR_LC_DATE, 0)};
  const fr_param_value *kinds = fr_dp(p, "kinds");
  fr_dctx cx;
  fr_ltable ent, rel;
  memset(&ent, 0, sizeof ent);
  memset(&rel, 0, sizeof rel);
  uint32_t *ent_of = NULL, *kind_ids = NULL;
  fr_srec *pairs = NULL;
  uint8_t *why = NULL;
  fr_contacts *contacts = NULL;
  fr_pair_index pix = {NULL, NULL, 0, NULL, 0};
  size_t n_pairs = 0;
  fr_status status = fr_dctx_open(&cx, store, p, use, 6, K, T, err);
  if (status == FR_OK)
    status = fr_ltable_load(&ent, store, p, "entities", ecols, 4, &cx.dict, err);
  if (status == FR_OK)
    status = fr_ltable_load(&rel, store, p, "relations", rcols, 5, &cx.dict, err);
  if (status == FR_OK)
    status = fr_entity_index(&ent_of, &ecols[0], ent.n_rows, cx.dict.n, err);
  if (status == FR_OK) {
    kind_ids = fr_malloc((kinds->n_items ? kinds->n_items : 1) * sizeof *kind_ids);
    pairs = fr_malloc((rel.n_rows ? rel.n_rows : 1) * sizeof *pairs);
    why = fr_calloc(cx.t.n_rows ? cx.t.n_rows : 1, 1);
    if (kind_ids == NULL || pairs == NULL || why == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK) {
    for (uint32_t k = 0; k < kinds->n_items; k++)
      kind_ids[k] = fr_sdict_lookup(&cx.dict, kinds->words[k], strlen(kinds->words[k]));
    for (uint64_t r = 0; r < rel.n_rows; r++) {
      uint32_t a = rcols[0].sid[r], b = rcols[1].sid[r];
      if (a == FR_NOID || b == FR_NOID)
        continue;
      if (kinds->n_items > 0) {
        uint32_t kind = rcols[2].sid[r];
        int ok = 0;
        for (uint32_t k = 0; k < kinds->n_items && !ok; k++) ok = kind != FR_NOID && kind == kind_ids[k];
        if (!ok)
          continue;
      }
      uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
      pairs[n_pairs++] = (fr_srec){(lo << 32) | hi, 0, 0, r};
    }
    status = fr_srec_sort(pairs, n_pairs, err);
  }
  if (status == FR_OK) {
    contacts = fr_malloc((ent.n_rows ? ent.n_rows : 1) * sizeof *contacts);
    if (contacts == NULL || fr_pair_index_build(&pix, pairs, n_pairs) != 0)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  if (status == FR_OK)
    for (uint64_t e = 0; e < ent.n_rows; e++)
      contacts[e] = (fr_contacts){fr_nonempty_sid(&cx.dict, ecols[1].sid[e]), fr_nonempty_sid(&cx.dict, ecols[2].sid[e]),
                                  fr_nonempty_sid(&cx.dict, ecols[3].sid[e])};
  if (status == FR_OK) {
    const int64_t n = (int64_t)cx.t.n_rows;
#pragma omp parallel for schedule(dynamic, 16384)
    for (int64_t r = 0; r < n; r++) {
      uint32_t payee = use[PE].sid[r];
      if (payee == FR_NOID || !use[T].valid[r])
        continue;
      int64_t day = fr_day_of_ts(use[T].i64[r]);
      uint8_t w = 0;
      for (int role = 0; role < 2; role++) {
        uint32_t who = use[role == 0 ? AP : RQ].sid[r];
        if (who == FR_NOID)
          continue;
        uint64_t lo = who < payee ? who : payee, hi = who < payee ? payee : who, key = (lo << 32) | hi;
        size_t x = n_pairs > 0 ? fr_pair_index_find(&pix, key) : SIZE_MAX;
        uint8_t bits = 0;
        for (; x < n_pairs && pairs[x].a == key; x++) {
          uint64_t q = pairs[x].row;
          if ((!rcols[3].valid[q] || rcols[3].i64[q] <= day) && (!rcols[4].valid[q] || day <= rcols[4].i64[q])) {
            bits |= WHY_RELATION;
            break;
          }
        }
        uint32_t ew = ent_of[who], ep = ent_of[payee];
        if (ew != UINT32_MAX && ep != UINT32_MAX) {
          const fr_contacts cw = contacts[ew], cp = contacts[ep];
          if (cw.phone != FR_NOID && cw.phone == cp.phone) bits |= WHY_PHONE;
          if (cw.address != FR_NOID && cw.address == cp.address) bits |= WHY_ADDRESS;
          if (cw.bank != FR_NOID && cw.bank == cp.bank) bits |= WHY_BANK;
        }
        w |= (uint8_t)(bits << (4 * role));
      }
      why[r] = w;
    }
  }
  for (uint64_t r = 0; status == FR_OK && r < cx.t.n_rows; r++) {
    if (why[r] == 0)
      continue;
    int role = (why[r] & 0x0F) ? 0 : 1;
    uint8_t bits = (uint8_t)((why[r] >> (4 * role)) & 0x0F);
    const char *who = fr_sdict_str(&cx.dict, use[role == 0 ? AP : RQ].sid[r]);
    const char *payee = fr_sdict_str(&cx.dict, use[PE].sid[r]);
    char how[128];
    snprintf(how, sizeof how, "%s%s%s%s", (bits & WHY_RELATION) ? ", related" : "",
             (bits & WHY_PHONE) ? ", same phone" : "", (bits & WHY_ADDRESS) ? ", same address" : "",
             (bits & WHY_BANK) ? ", same bank account" : "");
    char *summary = fr_strf("payment to %s %s by %s, who is tied to the payee (%s)", payee,
                            role == 0 ? "approved" : "requested", who, how + 2);
    fr_jstr(&cx.json, "role", role == 0 ? "approver" : "requester");
    fr_jstr(&cx.json, "official", who);
    fr_jint(&cx.json, "relation", (bits & WHY_RELATION) != 0);
    fr_jint(&cx.json, "shared_phone", (bits & WHY_PHONE) != 0);
    fr_jint(&cx.json, "shared_address", (bits & WHY_ADDRESS) != 0);
    fr_jint(&cx.json, "shared_bank_account", (bits & WHY_BANK) != 0);
    fr_jint(&cx.json, "both_roles", (why[r] & 0x0F) && (why[r] & 0xF0));
    uint64_t row = r;
    fr_fbuild_add(&cx.fb, &row, 1, (double)__builtin_popcount(why[r]), who,
                  use[O].present ? fr_sdict_str(&cx.dict, use[O].sid[r]) : NULL, summary, fr_jdone(&cx.json));
  }
  fr_free(ent_of);
  fr_free(kind_ids);
  fr_free(pairs);
  fr_free(why);
  fr_free(contacts);
  fr_free(pix.keys);
  fr_free(pix.first);
  fr_free(pix.bits);
  fr_ltable_free(&ent);
  fr_ltable_free(&rel);
  return fr_dctx_close(&cx, status, out, err);
}
