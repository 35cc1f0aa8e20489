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
 * W2), and officials' relatives never receive payouts (W3). With --ocds the
 * tender pass renders a third output, ocds.jsonl: each tender with its bids as an
 * OCDS compiled release, whose OCDS-only fields draw from streams of their own.
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
  int64_t deadline;           /* submission deadline (not in the CSV; OCDS tenderPeriod) */
  int64_t reserve;
  uint32_t org;
  uint8_t category, method, n_bids, winner; /* winner = MAX_BIDS: none */
  uint8_t cancelled;
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
  int ocds;        /* render ocds.jsonl as the third output */
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
  t->deadline = deadline;
  t->cancelled = (uint8_t)cancelled;
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

/* ---- OCDS compiled releases (--ocds) ------------------------------------------------ */

/* The fields that exist only in OCDS (bid statuses, the tender period's end, items)
 * draw from streams of their own (gen_rng.h, FR_GEN_S_OCDS...), so that
 * tenders.csv and bids.csv consume exactly the draws they consume without --ocds. */

#define OCDS_MAX_BIDS 64
#define OCDS_MAX_ITEMS 3
/* Per-tender shapes, by one uniform draw (each needs an awarded winner; see README). */
#define OCDS_P_LATE 0.004      /* the winning bid came after tenderPeriod.endDate (R030) */
#define OCDS_P_WITHDRAWN 0.009 /* open/selective: every other bid withdrawn (R018) */
#define OCDS_P_ALL_DISQ 0.019  /* every other bid disqualified (R035) */
#define OCDS_DISQ_RATE 0.03    /* a losing bid disqualified, ordinary orgs */
#define OCDS_STRICT_RATE 0.30  /* ... in the 4% of orgs that disqualify a lot (R038) */
#define OCDS_STRICT_PCT 4
#define OCDS_HETERO_PERMILLE 5 /* vendors whose contracts span unrelated CPV divisions (R048) */

_Static_assert(FR_GEN_N_CATEGORIES == 8 && FR_GEN_N_METHODS == 4, "OCDS tables follow the vocabularies");

/* gen method -> OCDS procurementMethod (the gen name is kept in procurementMethodDetails) */
static const char *const ocds_method[FR_GEN_N_METHODS] = {"open", "selective", "limited", "direct"};
/* category -> mainProcurementCategory, CPV code of the main item, related CPV codes */
static const char *const ocds_main_category[FR_GEN_N_CATEGORIES] = {"goods", "goods", "works", "works",
                                                                   "services", "goods", "goods", "services"};
typedef struct ocds_cpv {
  const char *id, *desc;
} ocds_cpv;
static const char *const ocds_cpv_main[FR_GEN_N_CATEGORIES] = {"30200000", "30190000", "45000000", "45233141",
                                                                "79411000", "33140000", "34100000", "79810000"};
static const ocds_cpv ocds_cpv_related[FR_GEN_N_CATEGORIES][3] = {
    {{"48000000", "Software package and information systems"}, {"72000000", "IT services"},
     {"32420000", "Network equipment"}},
    {{"22800000", "Paper or paperboard registers"}, {"39100000", "Furniture"}, {"30120000", "Photocopying equipment"}},
    {{"44100000", "Construction materials"}, {"71000000", "Architectural and engineering services"},
     {"31500000", "Lighting equipment"}},
    {{"44113600", "Bitumen and asphalt"}, {"34992000", "Road signs"}, {"90610000", "Street-cleaning services"}},
    {{"73000000", "Research and development services"}, {"80500000", "Training services"},
     {"72220000", "Systems and technical consultancy services"}},
    {{"33600000", "Pharmaceutical products"}, {"38000000", "Laboratory equipment"},
     {"18143000", "Protective gear"}},
    {{"50110000", "Repair and maintenance of motor vehicles"}, {"09130000", "Petroleum and distillates"},
     {"34300000", "Parts and accessories for vehicles"}},
    {{"22100000", "Printed books, brochures and leaflets"}, {"30197000", "Small office equipment"},
     {"79820000", "Services related to printing"}}};
/* the CPV divisions, for the occasional unrelated item */
static const ocds_cpv ocds_cpv_division[] = {
    {"03000000", "Agricultural and forestry products"}, {"09000000", "Petroleum products, fuel and energy"},
    {"14000000", "Mining and basic metals"}, {"15000000", "Food and beverages"},
    {"16000000", "Agricultural machinery"}, {"18000000", "Clothing and footwear"},
    {"19000000", "Leather, textiles, plastic and rubber"}, {"22000000", "Printed matter"},
    {"24000000", "Chemical products"}, {"30000000", "Office and computing machinery"},
    {"31000000", "Electrical machinery and lighting"}, {"32000000", "Communication equipment"},
    {"33000000", "Medical equipment and pharmaceuticals"}, {"34000000", "Transport equipment"},
    {"35000000", "Security and fire-fighting equipment"}, {"37000000", "Sports goods, games and toys"},
    {"38000000", "Laboratory and precision equipment"}, {"39000000", "Furniture and domestic appliances"},
    {"41000000", "Collected and purified water"}, {"42000000", "Industrial machinery"},
    {"43000000", "Construction machinery"}, {"44000000", "Construction structures and materials"},
    {"45000000", "Construction work"}, {"48000000", "Software packages"},
    {"50000000", "Repair and maintenance services"}, {"51000000", "Installation services"},
    {"55000000", "Hotel and restaurant services"}, {"60000000", "Transport services"},
    {"63000000", "Auxiliary transport services"}, {"64000000", "Postal and telecommunications services"},
    {"65000000", "Public utilities"}, {"66000000", "Financial and insurance services"},
    {"70000000", "Real estate services"}, {"71000000", "Architectural and engineering services"},
    {"72000000", "IT services"}, {"73000000", "Research and development services"},
    {"75000000", "Administration services"}, {"77000000", "Agricultural and forestry services"},
    {"79000000", "Business services"}, {"80000000", "Education and training services"},
    {"85000000", "Health and social work services"}, {"90000000", "Sewage, refuse and cleaning services"},
    {"92000000", "Recreational, cultural and sporting services"}, {"98000000", "Other community services"}};
#define OCDS_N_DIVISIONS (sizeof ocds_cpv_division / sizeof ocds_cpv_division[0])

enum { OCDS_VALID, OCDS_DISQUALIFIED, OCDS_WITHDRAWN };
static const char *const ocds_bid_status[3] = {"valid", "disqualified", "withdrawn"};
enum { OCDS_NORMAL, OCDS_LATE, OCDS_OTHERS_WITHDRAWN, OCDS_OTHERS_DISQ };

/* One tender as the OCDS writer sees it, background or planted. */
typedef struct ocds_tender {
  uint64_t no;
  uint32_t org;
  int category, method, cancelled;
  int64_t reserve, published, deadline, awarded; /* awarded FR_GEN_NOTS = none */
  int n;
  uint64_t bidder[OCDS_MAX_BIDS];
  int64_t amount[OCDS_MAX_BIDS], ts[OCDS_MAX_BIDS];
  uint8_t won[OCDS_MAX_BIDS];
} ocds_tender;

typedef struct ocds_item {
  const char *id, *desc;
  int64_t quantity, unit; /* unit price in cents */
} ocds_item;

/* A JSON string of printable ASCII (every generated OCDS string is). */
static void j_str(fr_gen_buf *b, const char *s) {
  fr_gen_put_char(b, '"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fr_gen_put_char(b, '\\');
    fr_gen_put_char(b, *s);
  }
  fr_gen_put_char(b, '"');
}

/* "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" */
static void j_ts(fr_gen_buf *b, int64_t ts) {
  char t[40];
  int n = fr_gen_fmt_ts(t, ts);
  t[10] = 'T';
  fr_gen_put_char(b, '"');
  fr_gen_put_raw(b, t, (size_t)n);
  fr_gen_put_raw(b, "Z\"", 2);
}

/* {"id":K,"name":K} (names are the ids: short, and free of any escaping) */
static void j_org_ref(fr_gen_buf *b, uint64_t key) {
  fr_gen_put_str(b, "{\"id\":\"");
  put_key(b, key);
  fr_gen_put_str(b, "\",\"name\":\"");
  put_key(b, key);
  fr_gen_put_str(b, "\"}");
}

static void j_value(fr_gen_buf *b, int64_t cents) {
  fr_gen_put_str(b, "{\"amount\":");
  fr_gen_put_cents(b, cents);
  fr_gen_put_str(b, ",\"currency\":\"CNY\"}");
}

static void j_items(fr_gen_buf *b, const ocds_item *it, int n) {
  fr_gen_put_char(b, '[');
  for (int k = 0; k < n; k++) {
    fr_gen_put_str(b, k ? ",{\"id\":\"" : "{\"id\":\"");
    fr_gen_put_u64(b, (uint64_t)k + 1, 1);
    fr_gen_put_str(b, "\",\"classification\":{\"scheme\":\"CPV\",\"id\":\"");
    fr_gen_put_str(b, it[k].id);
    fr_gen_put_str(b, "\",\"description\":");
    j_str(b, it[k].desc);
    fr_gen_put_str(b, "},\"quantity\":");
    fr_gen_put_u64(b, (uint64_t)it[k].quantity, 1);
    fr_gen_put_str(b, ",\"unit\":{\"value\":");
    j_value(b, it[k].unit);
    fr_gen_put_str(b, "}}");
  }
  fr_gen_put_char(b, ']');
}

static int64_t ceil_second(int64_t ts) {
  return (ts + FR_GEN_US_PER_S - 1) / FR_GEN_US_PER_S * FR_GEN_US_PER_S;
}

/* One compiled release on one line. Everything beyond the CSV rows (statuses, the
 * period's end, items) is a function of (seed, tender number, org, winner). */
static void put_ocds(fr_gen_buf *b, uint64_t seed, const ocds_tender *t) {
  fr_gen_rng r = fr_gen_rng_at(seed, FR_GEN_S_OCDS, t->no);
  int winner = -1;
  for (int j = 0; j < t->n && winner < 0 && t->awarded != FR_GEN_NOTS; j++)
    if (t->won[j]) winner = j;
  double u_kind = fr_gen_unit(&r);
  double u_shift = fr_gen_unit(&r);
  double u_items = fr_gen_unit(&r);
  double rate = fr_gen_hash3(seed, FR_GEN_S_OCDS_ORG, t->org) % 100 < OCDS_STRICT_PCT ? OCDS_STRICT_RATE
                                                                                     : OCDS_DISQ_RATE;
  int competitive = t->method == FR_GEN_M_OPEN || t->method == FR_GEN_M_SELECTIVE;
  int kind = OCDS_NORMAL;
  if (winner >= 0) {
    if (u_kind < OCDS_P_LATE) kind = OCDS_LATE;
    else if (u_kind < OCDS_P_WITHDRAWN && competitive && t->n >= 2) kind = OCDS_OTHERS_WITHDRAWN;
    else if (u_kind >= OCDS_P_WITHDRAWN && u_kind < OCDS_P_ALL_DISQ && t->n >= 2) kind = OCDS_OTHERS_DISQ;
  }
  uint8_t status[OCDS_MAX_BIDS];
  int n_tenderers = 0;
  for (int j = 0; j < t->n; j++) {
    double u = fr_gen_unit(&r);
    status[j] = t->won[j] && t->awarded != FR_GEN_NOTS ? OCDS_VALID
              : kind == OCDS_OTHERS_WITHDRAWN         ? OCDS_WITHDRAWN
              : kind == OCDS_OTHERS_DISQ              ? OCDS_DISQUALIFIED
              : u < rate                              ? OCDS_DISQUALIFIED
                                                      : OCDS_VALID;
    n_tenderers += status[j] != OCDS_WITHDRAWN;
  }
  int64_t end = ceil_second(t->deadline);
  if (kind == OCDS_LATE) {
    int64_t bid = t->ts[winner] / FR_GEN_US_PER_S * FR_GEN_US_PER_S;
    int64_t shift = (3600 + (int64_t)(u_shift * 3 * 86400)) * FR_GEN_US_PER_S;
    end = bid - shift;
    if (end < ceil_second(t->published)) end = ceil_second(t->published);
  }
  /* items: the category's main CPV code, sometimes related ones; a heterogeneous
   * winner's contracts also hold items of unrelated divisions */
  ocds_item items[OCDS_MAX_ITEMS];
  int hetero = winner >= 0 && fr_gen_hash3(seed, FR_GEN_S_OCDS_VENDOR, t->bidder[winner]) % 1000 < OCDS_HETERO_PERMILLE;
  int n_items = hetero || u_items < 0.1 ? 3 : u_items < 0.3 ? 2 : 1;
  int works = !strcmp(ocds_main_category[t->category], "works");
  int64_t left = t->reserve;
  for (int k = 0; k < n_items; k++) {
    double u_src = fr_gen_unit(&r);
    uint64_t pick = fr_gen_below(&r, 3);
    uint64_t div = fr_gen_below(&r, OCDS_N_DIVISIONS);
    double u_share = fr_gen_unit(&r);
    int64_t quantity = fr_gen_range(&r, 1, 200);
    if (k == 0) {
      items[k].id = ocds_cpv_main[t->category];
      items[k].desc = fr_gen_categories[t->category];
    } else if (!hetero && u_src < 0.9) {
      items[k].id = ocds_cpv_related[t->category][pick].id;
      items[k].desc = ocds_cpv_related[t->category][pick].desc;
    } else {
      items[k].id = ocds_cpv_division[div].id;
      items[k].desc = ocds_cpv_division[div].desc;
    }
    int64_t value = k + 1 == n_items ? left
                  : k == 0         ? llround((double)t->reserve * (0.5 + 0.4 * u_share))
                                   : left / (n_items - k);
    left -= value;
    items[k].quantity = works && k == 0 ? 1 : quantity;
    items[k].unit = llround((double)value / (double)items[k].quantity);
    if (items[k].unit < 1) items[k].unit = 1;
  }

  fr_gen_put_str(b, "{\"ocid\":\"ocds-ferret-");
  fr_gen_put_id(b, "TD", t->no, 10);
  fr_gen_put_str(b, "\",\"id\":\"");
  fr_gen_put_id(b, "TD", t->no, 10);
  fr_gen_put_str(b, "\",\"date\":");
  j_ts(b, t->awarded != FR_GEN_NOTS ? t->awarded : t->published);
  fr_gen_put_str(b, ",\"tag\":[\"compiled\"],\"initiationType\":\"tender\",\"buyer\":");
  j_org_ref(b, OKEY(t->org));
  fr_gen_put_str(b, ",\"parties\":[{\"id\":\"");
  put_key(b, OKEY(t->org));
  fr_gen_put_str(b, "\",\"name\":\"");
  put_key(b, OKEY(t->org));
  fr_gen_put_str(b, "\",\"roles\":[\"buyer\",\"procuringEntity\"]}");
  for (int j = 0; j < t->n; j++) {
    int seen = 0, supplier = 0;
    for (int q = 0; q < t->n; q++) {
      if (t->bidder[q] != t->bidder[j]) continue;
      seen |= q < j;
      supplier |= t->won[q] && t->awarded != FR_GEN_NOTS;
    }
    if (seen) continue;
    fr_gen_put_str(b, ",{\"id\":\"");
    put_key(b, t->bidder[j]);
    fr_gen_put_str(b, "\",\"name\":\"");
    put_key(b, t->bidder[j]);
    fr_gen_put_str(b, supplier ? "\",\"roles\":[\"tenderer\",\"supplier\"]}" : "\",\"roles\":[\"tenderer\"]}");
  }
  fr_gen_put_str(b, "],\"tender\":{\"id\":\"");
  fr_gen_put_id(b, "TD", t->no, 10);
  fr_gen_put_str(b, "\",\"status\":\"");
  fr_gen_put_str(b, t->awarded != FR_GEN_NOTS ? "complete" : t->cancelled ? "cancelled" : "active");
  fr_gen_put_str(b, "\",\"procurementMethod\":\"");
  fr_gen_put_str(b, ocds_method[t->method]);
  fr_gen_put_str(b, "\",\"procurementMethodDetails\":\"");
  fr_gen_put_str(b, fr_gen_methods[t->method]);
  fr_gen_put_str(b, "\",\"mainProcurementCategory\":\"");
  fr_gen_put_str(b, ocds_main_category[t->category]);
  fr_gen_put_str(b, "\",\"value\":");
  j_value(b, t->reserve);
  fr_gen_put_str(b, ",\"tenderPeriod\":{\"startDate\":");
  j_ts(b, t->published);
  fr_gen_put_str(b, ",\"endDate\":");
  j_ts(b, end);
  fr_gen_put_str(b, "},\"procuringEntity\":");
  j_org_ref(b, OKEY(t->org));
  fr_gen_put_str(b, ",\"items\":");
  j_items(b, items, n_items);
  fr_gen_put_str(b, ",\"numberOfTenderers\":");
  fr_gen_put_u64(b, (uint64_t)n_tenderers, 1);
  fr_gen_put_str(b, "},\"bids\":{\"details\":[");
  for (int j = 0; j < t->n; j++) {
    fr_gen_put_str(b, j ? ",{\"id\":\"" : "{\"id\":\"");
    fr_gen_put_id(b, "TD", t->no, 10);
    fr_gen_put_str(b, "-B");
    fr_gen_put_u64(b, (uint64_t)j + 1, 1);
    fr_gen_put_str(b, "\",\"date\":");
    j_ts(b, t->ts[j]);
    fr_gen_put_str(b, ",\"status\":\"");
    fr_gen_put_str(b, ocds_bid_status[status[j]]);
    fr_gen_put_str(b, "\",\"value\":");
    j_value(b, t->amount[j]);
    fr_gen_put_str(b, ",\"tenderers\":[");
    j_org_ref(b, t->bidder[j]);
    fr_gen_put_str(b, "]}");
  }
  fr_gen_put_str(b, "]},\"awards\":[");
  int n_awards = 0;
  for (int j = 0; j < t->n && t->awarded != FR_GEN_NOTS; j++) {
    if (!t->won[j]) continue;
    fr_gen_put_str(b, n_awards ? ",{\"id\":\"" : "{\"id\":\"");
    fr_gen_put_id(b, "TD", t->no, 10);
    fr_gen_put_str(b, "-A");
    fr_gen_put_u64(b, (uint64_t)++n_awards, 1);
    fr_gen_put_str(b, "\",\"status\":\"active\",\"date\":");
    j_ts(b, t->awarded);
    fr_gen_put_str(b, ",\"value\":");
    j_value(b, t->amount[j]);
    fr_gen_put_str(b, ",\"suppliers\":[");
    j_org_ref(b, t->bidder[j]);
    fr_gen_put_str(b, "],\"items\":");
    j_items(b, items, n_items);
    fr_gen_put_char(b, '}');
  }
  fr_gen_put_str(b, "]}\n");
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
      if (T->ocds) {
        if (t->bid_n > OCDS_MAX_BIDS) return FR_GEN_EINTERNAL;
        /* planted tenders have no deadline of their own: 20 days (their bids come
         * within days, their awards after 25 days or more) */
        ocds_tender o = {.no = no, .org = t->org, .category = t->category, .method = t->method,
                         .reserve = t->reserve, .published = t->published,
                         .deadline = t->published + 20 * FR_GEN_US_PER_DAY, .awarded = t->awarded,
                         .n = (int)t->bid_n};
        for (uint32_t j = 0; j < t->bid_n; j++) {
          const fr_gen_pbid *pb = &p->bids[t->bid_first + j];
          o.bidder[j] = pb->bidder;
          o.amount[j] = pb->amount;
          o.ts[j] = pb->ts;
          o.won[j] = pb->won;
        }
        put_ocds(&texts[2], T->w->seed, &o);
      }
    } else {
      const bg_tender *t = &s->t[s->merge[k]];
      put_tender(&texts[0], no, t->org, t->category, t->method, t->reserve, t->published, t->awarded);
      for (int j = 0; j < t->n_bids; j++)
        put_bid(&texts[1], no, VKEY(t->bidder[j]), t->amount[j], t->bid_ts[j], j == t->winner);
      if (T->ocds) {
        ocds_tender o = {.no = no, .org = t->org, .category = t->category, .method = t->method,
                         .cancelled = t->cancelled, .reserve = t->reserve, .published = t->published,
                         .deadline = t->deadline, .awarded = t->awarded, .n = t->n_bids};
        for (int j = 0; j < t->n_bids; j++) {
          o.bidder[j] = VKEY(t->bidder[j]);
          o.amount[j] = t->amount[j];
          o.ts[j] = t->bid_ts[j];
          o.won[j] = j == t->winner;
        }
        put_ocds(&texts[2], T->w->seed, &o);
      }
    }
  }
  return FR_GEN_OK;
}

int fr_gen_tenders_write(const fr_gen_world *w, fr_gen_plant *p, const char *dir, fr_gen_zkind z, int ocds,
                         fr_gen_err *err) {
  int rc = FR_GEN_ENOMEM;
  tender_ctx *T = calloc(1, sizeof *T);
  if (!T) return FR_GEN_ENOMEM;
  T->w = w;
  T->p = p;
  T->ocds = ocds;
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
                        .n_outs = ocds ? 3 : 2,
                        .slot_new = tender_slot_new,
                        .slot_free = tender_slot_free,
                        .produce = tender_produce,
                        .settle = tender_settle,
                        .render = tender_render};
    const char *tables[3] = {"tenders", "bids", "ocds.jsonl"};
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
