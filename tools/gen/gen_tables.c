/* gen_tables.c: writers of entities, relations, posts, tenders + bids, subsidies.
 *
 * Entities and relations are pure functions of the entity index (plus the
 * planted overrides and relations, appended at the end of their ranges); tenders
 * are drawn per tender index on a working-day time map and merged with the
 * planted tenders by publication time; subsidies are monthly payouts per
 * household, month by month, with the planted payouts of a month after its
 * background rows. Background guarantees: bidders are drawn from category pools
 * without vendor-vendor relations (P12), direct awards stay under 90,000.00
 * (P13), each household is paid once per programme and month while alive (W1,
 * W2), and officials' relatives never receive payouts (W3).
 * Workload: about rows/10 entities, rows/12 relations, rows/4 payouts.
 */
#include <stdlib.h>
#include <string.h>

#include "gen_pipe.h"
#include "gen_tables.h"

#define PKEY(idx) FR_GEN_KEY(FR_GEN_K_PERSON, (idx))
#define VKEY(idx) FR_GEN_KEY(FR_GEN_K_VENDOR, (idx))
#define OKEY(idx) FR_GEN_KEY(FR_GEN_K_ORG, (idx))

static void put_key(fr_gen_buf *b, uint64_t key) {
  uint32_t idx = FR_GEN_KEY_IDX(key);
  switch (FR_GEN_KEY_KIND(key)) {
  case FR_GEN_K_ORG: fr_gen_put_id(b, "ORG-", (uint64_t)idx + 1, 4); break;
  case FR_GEN_K_VENDOR: fr_gen_put_id(b, "V-", (uint64_t)idx + 1, 7); break;
  case FR_GEN_K_PERSON: fr_gen_put_id(b, "P-", (uint64_t)idx + 1, 7); break;
  default: break;
  }
}

static void put_date_or_null(fr_gen_buf *b, int32_t day) {
  if (day != FR_GEN_NODAY) fr_gen_put_date(b, day);
}

static void *empty_slot_new(void *ctx) {
  (void)ctx;
  return calloc(1, 1);
}
static void empty_slot_free(void *slot) { free(slot); }
static int no_produce(void *ctx, uint64_t blk, void *slot) {
  (void)ctx, (void)blk, (void)slot;
  return FR_GEN_OK;
}

/* Run a single-output pipe into DIR/TABLE and close the sink. */
static int run_one(fr_gen_pipe *pipe, const char *dir, const char *table, fr_gen_zkind z,
                   fr_gen_err *err) {
  const char *tables[1] = {table};
  return fr_gen_pipe_write(pipe, dir, tables, z, err);
}

/* ---- entities -------------------------------------------------------------- */

#define ENT_BLOCK 16384ULL

static uint64_t n_entities(const fr_gen_world *w) {
  return (uint64_t)w->n_org + w->n_vendor + w->n_person;
}

static int entities_render(void *ctx, uint64_t blk, void *slot, fr_gen_buf *texts) {
  const fr_gen_world *w = ctx;
  (void)slot;
  fr_gen_buf *b = &texts[0];
  if (blk == 0) fr_gen_put_str(b, "id,kind,name,registered,deceased,address,phone,bank_account,id_no\n");
  uint64_t first = blk * ENT_BLOCK, end = first + ENT_BLOCK;
  if (end > n_entities(w)) end = n_entities(w);
  fr_gen_entity e;
  for (uint64_t g = first; g < end; g++) {
    uint64_t key = g < w->n_org                 ? OKEY(g)
                 : g < w->n_org + w->n_vendor ? VKEY(g - w->n_org)
                                              : PKEY(g - w->n_org - w->n_vendor);
    fr_gen_entity_get(w, key, &e);
    fr_gen_put_str(b, e.id);
    fr_gen_put_char(b, ',');
    fr_gen_put_str(b, e.kind);
    fr_gen_put_char(b, ',');
    fr_gen_put_csv(b, e.name);
    fr_gen_put_char(b, ',');
    put_date_or_null(b, e.registered);
    fr_gen_put_char(b, ',');
    put_date_or_null(b, e.deceased);
    fr_gen_put_char(b, ',');
    fr_gen_put_csv(b, e.address);
    fr_gen_put_char(b, ',');
    fr_gen_put_str(b, e.phone);
    fr_gen_put_char(b, ',');
    fr_gen_put_str(b, e.bank);
    fr_gen_put_char(b, ',');
    fr_gen_put_str(b, e.id_no);
    fr_gen_put_char(b, '\n');
  }
  return FR_GEN_OK;
}

int fr_gen_entities_write(const fr_gen_world *w, const char *dir, fr_gen_zkind z, fr_gen_err *err) {
  fr_gen_pipe pipe = {.ctx = (void *)w,
                      .n_blocks = (n_entities(w) + ENT_BLOCK - 1) / ENT_BLOCK,
                      .n_outs = 1,
                      .slot_new = empty_slot_new,
                      .slot_free = empty_slot_free,
                      .produce = no_produce,
                      .render = entities_render};
  return run_one(&pipe, dir, "entities", z, err);
}

/* ---- relations --------------------------------------------------------------- */

#define REL_BLOCK 16384ULL

typedef struct rel_ctx {
  const fr_gen_world *w;
  const fr_gen_plant *p;
  uint64_t n_units; /* officials, then vendors, then households */
  uint64_t n_blocks;
} rel_ctx;

static void put_rel(fr_gen_buf *b, uint64_t a, uint64_t bb, int kind, int32_t since, int32_t until) {
  put_key(b, a);
  fr_gen_put_char(b, ',');
  put_key(b, bb);
  fr_gen_put_char(b, ',');
  fr_gen_put_str(b, fr_gen_rel_kinds[kind]);
  fr_gen_put_char(b, ',');
  put_date_or_null(b, since);
  fr_gen_put_char(b, ',');
  put_date_or_null(b, until);
  fr_gen_put_char(b, '\n');
}

static int relations_render(void *ctx, uint64_t blk, void *slot, fr_gen_buf *texts) {
  const rel_ctx *R = ctx;
  const fr_gen_world *w = R->w;
  (void)slot;
  fr_gen_buf *b = &texts[0];
  if (blk == 0) fr_gen_put_str(b, "a,b,kind,since,until\n");
  uint64_t first = blk * REL_BLOCK, end = first + REL_BLOCK;
  if (end > R->n_units) end = R->n_units;
  for (uint64_t u = first; u < end; u++) {
    fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_REL, u);
    if (u < w->n_official) {
      /* An official's close kin: never a payee, bidder or beneficiary. */
      int n = 1 + (int)fr_gen_below(&r, 2);
      for (int j = 0; j < n; j++) {
        static const int kinds[5] = {FR_GEN_R_SPOUSE, FR_GEN_R_PARENT, FR_GEN_R_CHILD, FR_GEN_R_SIBLING,
                                     FR_GEN_R_IN_LAW};
        int kind = j == 0 ? FR_GEN_R_SPOUSE : kinds[1 + fr_gen_below(&r, 4)];
        int32_t since = FR_GEN_NODAY, until = FR_GEN_NODAY;
        if (kind == FR_GEN_R_SPOUSE || kind == FR_GEN_R_IN_LAW)
          since = (int32_t)fr_gen_range(&r, fr_gen_days_from_civil(1985, 1, 1), fr_gen_days_from_civil(2020, 12, 31));
        if (kind == FR_GEN_R_SPOUSE && fr_gen_chance(&r, 0.04))
          until = since + (int32_t)fr_gen_range(&r, 300, 3000);
        uint64_t a = PKEY(u), kin = PKEY(w->off_relative + 2 * u + (uint64_t)j);
        if (fr_gen_chance(&r, 0.5)) put_rel(b, a, kin, kind, since, until);
        else put_rel(b, kin, a, kind, since, until);
      }
    } else if (u < (uint64_t)w->n_official + w->n_vendor_bg) {
      uint32_t v = (uint32_t)(u - w->n_official);
      int32_t reg = fr_gen_vendor_registered(w, v);
      uint32_t owner = w->off_owner + (uint32_t)(fr_gen_mix64(w->seed ^ v) % w->n_owner);
      put_rel(b, VKEY(v), PKEY(owner), FR_GEN_R_LEGAL_REP, reg, FR_GEN_NODAY);
      if (fr_gen_chance(&r, 0.3)) {
        uint32_t sh = w->off_owner + (uint32_t)fr_gen_below(&r, w->n_owner);
        if (sh != owner) put_rel(b, PKEY(sh), VKEY(v), FR_GEN_R_SHAREHOLDER, reg, FR_GEN_NODAY);
      }
    } else {
      uint32_t h = (uint32_t)(u - w->n_official - w->n_vendor_bg);
      if (h + 1 < w->n_household && h / 50 == (h + 1) / 50 && fr_gen_chance(&r, 0.15))
        put_rel(b, PKEY(w->off_household + h), PKEY(w->off_household + h + 1), FR_GEN_R_SIBLING, FR_GEN_NODAY,
                FR_GEN_NODAY);
    }
  }
  if (blk + 1 == R->n_blocks)
    for (uint32_t k = 0; k < R->p->n_rel; k++) {
      const fr_gen_prel *pr = &R->p->rel[k];
      put_rel(b, pr->a, pr->b, pr->kind, pr->since, pr->until);
    }
  return FR_GEN_OK;
}

int fr_gen_relations_write(const fr_gen_world *w, const fr_gen_plant *p, const char *dir, fr_gen_zkind z,
                           fr_gen_err *err) {
  rel_ctx R = {w, p, (uint64_t)w->n_official + w->n_vendor_bg + w->n_household, 0};
  R.n_blocks = (R.n_units + REL_BLOCK - 1) / REL_BLOCK;
  if (!R.n_blocks) R.n_blocks = 1;
  fr_gen_pipe pipe = {.ctx = &R,
                      .n_blocks = R.n_blocks,
                      .n_outs = 1,
                      .slot_new = empty_slot_new,
                      .slot_free = empty_slot_free,
                      .produce = no_produce,
                      .render = relations_render};
  return run_one(&pipe, dir, "relations", z, err);
}

/* ---- posts ------------------------------------------------------------------- */

#define POST_BLOCK 16384ULL

static int posts_render(void *ctx, uint64_t blk, void *slot, fr_gen_buf *texts) {
  const fr_gen_world *w = ctx;
  (void)slot;
  fr_gen_buf *b = &texts[0];
  if (blk == 0) fr_gen_put_str(b, "org,post,official,start_date,end_date\n");
  uint64_t first = blk * POST_BLOCK, end = first + POST_BLOCK;
  if (end > w->n_posts) end = w->n_posts;
  char name[24];
  for (uint64_t k = first; k < end; k++) {
    const fr_gen_post *p = &w->posts[k];
    put_key(b, OKEY(p->org));
    fr_gen_put_char(b, ',');
    fr_gen_post_name(name, p->post);
    fr_gen_put_str(b, name);
    fr_gen_put_char(b, ',');
    put_key(b, PKEY(p->official));
    fr_gen_put_char(b, ',');
    put_date_or_null(b, p->start);
    fr_gen_put_char(b, ',');
    put_date_or_null(b, p->end);
    fr_gen_put_char(b, '\n');
  }
  return FR_GEN_OK;
}

int fr_gen_posts_write(const fr_gen_world *w, const char *dir, fr_gen_zkind z, fr_gen_err *err) {
  uint64_t nb = (w->n_posts + POST_BLOCK - 1) / POST_BLOCK;
  fr_gen_pipe pipe = {.ctx = (void *)w,
                      .n_blocks = nb ? nb : 1,
                      .n_outs = 1,
                      .slot_new = empty_slot_new,
                      .slot_free = empty_slot_free,
                      .produce = no_produce,
                      .render = posts_render};
  return run_one(&pipe, dir, "posts", z, err);
}

/* ---- tenders and bids ---------------------------------------------------------- */

#define TENDER_BLOCK 8192ULL
#define MAX_BIDS 8

typedef struct bg_tender {
  uint64_t k;
  int64_t published, awarded; /* awarded FR_GEN_NOTS = NULL */
  int64_t reserve;
  uint32_t org;
  uint8_t category, method, n_bids, winner; /* winner = MAX_BIDS: none */
  uint32_t bidder[MAX_BIDS];
  int64_t amount[MAX_BIDS];
  int64_t bid_ts[MAX_BIDS];
} bg_tender;

typedef struct tender_slot {
  bg_tender *t;
  size_t n, cap;
  int64_t *merge; /* >= 0 background index in t; < 0 planted -(k+1) */
  size_t n_merge, cap_merge;
  uint64_t first_no;
} tender_slot;

typedef struct tender_ctx {
  const fr_gen_world *w;
  fr_gen_plant *p;
  fr_gen_timemap map;
  uint64_t n_blocks;
  uint32_t *first; /* n_blocks + 1 into tend_order */
  uint64_t next_no;
} tender_ctx;

static void *tender_slot_new(void *ctx) {
  (void)ctx;
  return calloc(1, sizeof(tender_slot));
}
static void tender_slot_free(void *slot) {
  tender_slot *s = slot;
  if (!s) return;
  free(s->t);
  free(s->merge);
  free(s);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t nc = *cap ? *cap : 256;
  while (nc < need) nc *= 2;
  void *np = realloc(*arr, nc * elem);
  if (!np) return -1;
  *arr = np;
  *cap = nc;
  return 0;
}

static void gen_tender(const tender_ctx *T, bg_tender *t, uint64_t k) {
  const fr_gen_world *w = T->w;
  fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_TENDER, k);
  t->k = k;
  t->published = fr_gen_timemap_ts(&T->map, k);
  t->org = fr_gen_pick_org(w, fr_gen_unit(&r));
  t->category = (uint8_t)fr_gen_below(&r, FR_GEN_N_CATEGORIES);
  double um = fr_gen_unit(&r);
  t->method = um < 0.6 ? FR_GEN_M_OPEN : um < 0.7 ? FR_GEN_M_SELECTIVE : um < 0.85 ? FR_GEN_M_NEGOTIATED : FR_GEN_M_SINGLE;
  int direct = t->method >= FR_GEN_M_NEGOTIATED;
  t->reserve = direct ? llround(fr_gen_loguniform(&r, 20000, 89000)) * 100
                      : llround(fr_gen_loguniform(&r, 100000, 20000000) / 100) * 10000;
  int64_t deadline = fr_gen_ts_from_work(fr_gen_work_from_ts(t->published) +
                                         fr_gen_range(&r, 10, 20) * FR_GEN_WORK_DAY_US);
  int64_t award_days = fr_gen_range(&r, 3, 15);
  int64_t award_s = fr_gen_range(&r, 0, 8 * 3600);
  int64_t awarded = fr_gen_ts_from_work(fr_gen_work_from_ts(deadline) + award_days * FR_GEN_WORK_DAY_US +
                                        award_s * FR_GEN_US_PER_S);
  int cancelled = fr_gen_chance(&r, 0.04);
  t->awarded = cancelled || awarded > FR_GEN_TS_END ? FR_GEN_NOTS : awarded / FR_GEN_US_PER_S * FR_GEN_US_PER_S;
  int nb = t->method == FR_GEN_M_OPEN        ? (int)fr_gen_range(&r, 3, 8)
         : t->method == FR_GEN_M_SELECTIVE ? (int)fr_gen_range(&r, 3, 5)
         : t->method == FR_GEN_M_NEGOTIATED ? (int)fr_gen_range(&r, 2, 3)
                                            : 1;
  uint32_t pool = w->n_vendor_bg / FR_GEN_N_CATEGORIES;
  t->n_bids = 0;
  t->winner = MAX_BIDS;
  for (int j = 0; j < nb; j++) {
    uint32_t v = 0;
    int fresh = 0;
    for (int tries = 0; tries < 16 && !fresh; tries++) {
      v = t->category + FR_GEN_N_CATEGORIES * (uint32_t)fr_gen_below(&r, pool);
      fresh = 1;
      for (int q = 0; q < t->n_bids; q++) fresh &= t->bidder[q] != v;
    }
    if (!fresh) continue;
    int64_t amt = llround((double)t->reserve * (0.78 + 0.22 * fr_gen_unit(&r)));
    for (int q = 0; q < t->n_bids; q++)
      if (t->amount[q] == amt) amt -= 1;
    int64_t span = deadline - t->published;
    t->bid_ts[t->n_bids] = (t->published + (int64_t)((double)span * fr_gen_unit(&r))) / FR_GEN_US_PER_S * FR_GEN_US_PER_S;
    t->bidder[t->n_bids] = v;
    t->amount[t->n_bids] = amt;
    t->n_bids++;
  }
  if (t->awarded != FR_GEN_NOTS && t->n_bids) {
    int best = 0;
    for (int q = 1; q < t->n_bids; q++)
      if (t->amount[q] < t->amount[best]) best = q;
    t->winner = (uint8_t)best;
  }
}

static int tender_produce(void *ctx, uint64_t blk, void *slot) {
  const tender_ctx *T = ctx;
  tender_slot *s = slot;
  uint64_t first = blk * TENDER_BLOCK, end = first + TENDER_BLOCK;
  if (end > T->map.n) end = T->map.n;
  s->n = end > first ? end - first : 0;
  if (grow((void **)&s->t, &s->cap, s->n, sizeof *s->t)) return FR_GEN_ENOMEM;
  for (uint64_t k = first; k < end; k++) gen_tender(T, &s->t[k - first], k);
  return FR_GEN_OK;
}

static int tender_settle(void *ctx, uint64_t blk, void *slot) {
  tender_ctx *T = ctx;
  tender_slot *s = slot;
  fr_gen_plant *p = T->p;
  uint32_t q = T->first[blk], qend = T->first[blk + 1];
  if (grow((void **)&s->merge, &s->cap_merge, s->n + (qend - q), sizeof *s->merge)) return FR_GEN_ENOMEM;
  s->n_merge = 0;
  s->first_no = T->next_no + 1;
  for (size_t k = 0; k <= s->n; k++) {
    uint64_t row = k < s->n ? s->t[k].k : UINT64_MAX;
    while (q < qend && (k == s->n || p->tend[p->tend_order[q]].bg_before <= row)) {
      s->merge[s->n_merge++] = -(int64_t)p->tend_order[q] - 1;
      p->tend[p->tend_order[q]].tender_no = ++T->next_no;
      q++;
    }
    if (k == s->n) break;
    s->merge[s->n_merge++] = (int64_t)k;
    ++T->next_no;
  }
  return FR_GEN_OK;
}

static void put_tender(fr_gen_buf *b, uint64_t no, uint32_t org, int cat, int method, int64_t reserve,
                       int64_t published, int64_t awarded) {
  fr_gen_put_id(b, "TD", no, 10);
  fr_gen_put_char(b, ',');
  put_key(b, OKEY(org));
  fr_gen_put_char(b, ',');
  fr_gen_put_str(b, fr_gen_categories[cat]);
  fr_gen_put_char(b, ',');
  fr_gen_put_str(b, fr_gen_methods[method]);
  fr_gen_put_char(b, ',');
  fr_gen_put_cents(b, reserve);
  fr_gen_put_char(b, ',');
  fr_gen_put_ts(b, published);
  fr_gen_put_char(b, ',');
  if (awarded != FR_GEN_NOTS) fr_gen_put_ts(b, awarded);
  fr_gen_put_char(b, '\n');
}

static void put_bid(fr_gen_buf *b, uint64_t no, uint64_t bidder, int64_t amount, int64_t ts, int won) {
  fr_gen_put_id(b, "TD", no, 10);
  fr_gen_put_char(b, ',');
  put_key(b, bidder);
  fr_gen_put_char(b, ',');
  fr_gen_put_cents(b, amount);
  fr_gen_put_char(b, ',');
  fr_gen_put_ts(b, ts);
  fr_gen_put_str(b, won ? ",true\n" : ",false\n");
}

static int tender_render(void *ctx, uint64_t blk, void *slot, fr_gen_buf *texts) {
  const tender_ctx *T = ctx;
  const tender_slot *s = slot;
  const fr_gen_plant *p = T->p;
  if (blk == 0) {
    fr_gen_put_str(&texts[0], "tender_id,org,category,method,reserve_price,published,awarded\n");
    fr_gen_put_str(&texts[1], "tender_id,bidder,amount,ts,won\n");
  }
  for (size_t k = 0; k < s->n_merge; k++) {
    uint64_t no = s->first_no + k;
    if (s->merge[k] < 0) {
      const fr_gen_ptender *t = &p->tend[-s->merge[k] - 1];
      put_tender(&texts[0], no, t->org, t->category, t->method, t->reserve, t->published, t->awarded);
      for (uint32_t j = t->bid_first; j < t->bid_first + t->bid_n; j++)
        put_bid(&texts[1], no, p->bids[j].bidder, p->bids[j].amount, p->bids[j].ts, p->bids[j].won);
    } else {
      const bg_tender *t = &s->t[s->merge[k]];
      put_tender(&texts[0], no, t->org, t->category, t->method, t->reserve, t->published, t->awarded);
      for (int j = 0; j < t->n_bids; j++)
        put_bid(&texts[1], no, VKEY(t->bidder[j]), t->amount[j], t->bid_ts[j], j == t->winner);
    }
  }
  return FR_GEN_OK;
}

int fr_gen_tenders_write(const fr_gen_world *w, fr_gen_plant *p, const char *dir, fr_gen_zkind z,
                         fr_gen_err *err) {
  int rc = FR_GEN_ENOMEM;
  tender_ctx *T = calloc(1, sizeof *T);
  if (!T) return FR_GEN_ENOMEM;
  T->w = w;
  T->p = p;
  fr_gen_timemap_init(&T->map, w->n_tenders_bg, 0, w->seed ^ 0x7e7e);
  T->n_blocks = (w->n_tenders_bg + TENDER_BLOCK - 1) / TENDER_BLOCK;
  if (!T->n_blocks) T->n_blocks = 1;
  T->first = calloc(T->n_blocks + 1, sizeof *T->first);
  if (!T->first) goto done;
  /* Planted tenders go after the background tenders published at or before them. */
  for (uint32_t k = 0; k < p->n_tend; k++)
    p->tend[k].bg_before = fr_gen_timemap_count_le(&T->map, p->tend[k].published);
  for (uint32_t q = 0, b = 0; b < T->n_blocks; b++) {
    while (q < p->n_tend) {
      uint64_t bb = p->tend[p->tend_order[q]].bg_before;
      uint64_t blk = bb ? (bb - 1) / TENDER_BLOCK : 0;
      if (blk >= T->n_blocks) blk = T->n_blocks - 1;
      if (blk >= b) break;
      q++;
    }
    T->first[b] = q;
  }
  T->first[T->n_blocks] = p->n_tend;
  {
    fr_gen_pipe pipe = {.ctx = T,
                        .n_blocks = T->n_blocks,
                        .n_outs = 2,
                        .slot_new = tender_slot_new,
                        .slot_free = tender_slot_free,
                        .produce = tender_produce,
                        .settle = tender_settle,
                        .render = tender_render};
    const char *tables[2] = {"tenders", "bids"};
    rc = fr_gen_pipe_write(&pipe, dir, tables, z, err);
  }
done:
  free(T->first);
  free(T);
  return rc;
}

/* ---- subsidies ------------------------------------------------------------------- */

#define HH_CHUNK 65536ULL

typedef struct bg_payout {
  int64_t ts, amount;
  uint32_t hh;
  uint8_t program;
} bg_payout;

typedef struct payout_slot {
  bg_payout *rows;
  size_t n, cap;
  uint64_t first_no;
} payout_slot;

typedef struct payout_ctx {
  const fr_gen_world *w;
  fr_gen_plant *p;
  uint64_t n_chunks, n_blocks;
  uint32_t *first; /* 24 + 1: planted payouts of month m in out_order */
  uint64_t next_no;
} payout_ctx;

/* A household's enrolment: programme, months [m0, m1], monthly amount (cents). */
typedef struct enrolment {
  int program, m0, m1;
  int64_t amount;
} enrolment;

static int household_enrolments(const fr_gen_world *w, uint32_t h, enrolment *out) {
  fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_HH, h);
  double u = fr_gen_unit(&r);
  int n = 0;
  int prog = u < 0.5 ? 0 : u < 0.6 ? 1 : u < 0.85 ? 2 : 3;
  for (int k = 0; k < 2; k++) {
    enrolment *e = &out[n];
    e->program = prog;
    e->m0 = fr_gen_chance(&r, 0.6) ? 0 : (int)fr_gen_below(&r, 24);
    e->m1 = fr_gen_chance(&r, 0.85) ? 23 : e->m0 + (int)fr_gen_below(&r, (uint64_t)(24 - e->m0));
    switch (prog) {
    case 0: e->amount = fr_gen_range(&r, 300, 1500) * 100; break;
    case 1: e->amount = fr_gen_range(&r, 900, 1600) * 100; break;
    case 2: e->amount = (1 + (int64_t)fr_gen_below(&r, 3)) * 10000; break;
    default: e->amount = fr_gen_range(&r, 90, 160) * 100; break;
    }
    n++;
    if (prog == 3 || !fr_gen_chance(&r, 0.15)) break;
    prog = 3; /* a second programme: disability allowance */
  }
  return n;
}

static uint32_t household_org(const fr_gen_world *w, uint32_t h) {
  return (uint32_t)(fr_gen_mix64(w->seed ^ 0x0b11a9e000000000ULL ^ (h / 50)) % w->n_org_bg);
}

static int64_t payout_ts(const fr_gen_world *w, uint32_t org, int month, uint32_t h) {
  int y = 2023 + month / 12, m = month % 12 + 1;
  int32_t day = fr_gen_next_workday(fr_gen_days_from_civil(y, m, w->org_payday[org]));
  return fr_gen_ts(day, 9, 0, 0) + (int64_t)(h % 3600) * FR_GEN_US_PER_S;
}

static void *payout_slot_new(void *ctx) {
  (void)ctx;
  return calloc(1, sizeof(payout_slot));
}
static void payout_slot_free(void *slot) {
  payout_slot *s = slot;
  if (!s) return;
  free(s->rows);
  free(s);
}

static int payout_produce(void *ctx, uint64_t blk, void *slot) {
  const payout_ctx *P = ctx;
  const fr_gen_world *w = P->w;
  payout_slot *s = slot;
  int month = (int)(blk / P->n_chunks);
  uint64_t first = (blk % P->n_chunks) * HH_CHUNK, end = first + HH_CHUNK;
  if (end > w->n_household) end = w->n_household;
  s->n = 0;
  if (grow((void **)&s->rows, &s->cap, 2 * (end - first), sizeof *s->rows)) return FR_GEN_ENOMEM;
  enrolment en[2];
  for (uint64_t h = first; h < end; h++) {
    int n = household_enrolments(w, (uint32_t)h, en);
    uint32_t org = household_org(w, (uint32_t)h);
    int64_t ts = payout_ts(w, org, month, (uint32_t)h);
    int32_t dead = fr_gen_household_deceased(w, (uint32_t)h);
    if (dead != FR_GEN_NODAY && fr_gen_day_of(ts) > dead) continue;
    for (int k = 0; k < n; k++) {
      if (month < en[k].m0 || month > en[k].m1) continue;
      int64_t amount = en[k].amount;
      if (month >= 12 && en[k].program <= 1) amount = amount * 105 / 100;
      s->rows[s->n++] = (bg_payout){ts, amount, (uint32_t)h, (uint8_t)en[k].program};
    }
  }
  return FR_GEN_OK;
}

static int payout_settle(void *ctx, uint64_t blk, void *slot) {
  payout_ctx *P = ctx;
  payout_slot *s = slot;
  s->first_no = P->next_no + 1;
  P->next_no += s->n;
  if ((blk + 1) % P->n_chunks == 0) { /* planted payouts close their month */
    int month = (int)(blk / P->n_chunks);
    for (uint32_t q = P->first[month]; q < P->first[month + 1]; q++)
      P->p->out[P->p->out_order[q]].payout_no = ++P->next_no;
  }
  return FR_GEN_OK;
}

static void put_payout(const fr_gen_world *w, fr_gen_buf *b, uint64_t no, int64_t ts, int program, uint32_t org,
                       uint32_t village, uint64_t ben, int64_t amount) {
  char vname[64];
  (void)w;
  fr_gen_put_id(b, "S", no, 12);
  fr_gen_put_char(b, ',');
  fr_gen_put_ts(b, ts);
  fr_gen_put_char(b, ',');
  fr_gen_put_str(b, fr_gen_programs[program]);
  fr_gen_put_char(b, ',');
  put_key(b, OKEY(org));
  fr_gen_put_char(b, ',');
  fr_gen_village_name(vname, village);
  fr_gen_put_csv(b, vname);
  fr_gen_put_char(b, ',');
  put_key(b, ben);
  fr_gen_put_char(b, ',');
  fr_gen_put_cents(b, amount);
  fr_gen_put_char(b, '\n');
}

static int payout_render(void *ctx, uint64_t blk, void *slot, fr_gen_buf *texts) {
  const payout_ctx *P = ctx;
  const fr_gen_world *w = P->w;
  const payout_slot *s = slot;
  fr_gen_buf *b = &texts[0];
  if (blk == 0) fr_gen_put_str(b, "payout_id,ts,program,org,village,beneficiary,amount\n");
  for (size_t k = 0; k < s->n; k++) {
    const bg_payout *r = &s->rows[k];
    put_payout(w, b, s->first_no + k, r->ts, r->program, household_org(w, r->hh), r->hh / 50,
               PKEY(w->off_household + r->hh), r->amount);
  }
  if ((blk + 1) % P->n_chunks == 0) {
    int month = (int)(blk / P->n_chunks);
    for (uint32_t q = P->first[month]; q < P->first[month + 1]; q++) {
      const fr_gen_ppayout *o = &P->p->out[P->p->out_order[q]];
      put_payout(w, b, o->payout_no, o->ts, o->program, o->org, o->village, o->beneficiary, o->amount);
    }
  }
  return FR_GEN_OK;
}

int fr_gen_subsidies_write(const fr_gen_world *w, fr_gen_plant *p, const char *dir, fr_gen_zkind z,
                           fr_gen_err *err) {
  payout_ctx P = {w, p, (w->n_household + HH_CHUNK - 1) / HH_CHUNK, 0, NULL, 0};
  if (!P.n_chunks) P.n_chunks = 1;
  P.n_blocks = 24 * P.n_chunks;
  uint32_t first[25];
  for (uint32_t q = 0, m = 0; m <= 24; m++) {
    while (q < p->n_out && fr_gen_month_index(fr_gen_day_of(p->out[p->out_order[q]].ts)) < (int)m) q++;
    first[m] = q;
  }
  first[24] = p->n_out;
  P.first = first;
  fr_gen_pipe pipe = {.ctx = &P,
                      .n_blocks = P.n_blocks,
                      .n_outs = 1,
                      .slot_new = payout_slot_new,
                      .slot_free = payout_slot_free,
                      .produce = payout_produce,
                      .settle = payout_settle,
                      .render = payout_render};
  return run_one(&pipe, dir, "subsidies", z, err);
}
