/* gen_ledger.c: background payments and approval cases, written together.
 *
 * Payments: row i of the background gets its timestamp from a time map (sorted
 * output), an org by Zipf weight, a payee by a per-org Zipf rank, a budget line
 * whose amounts are log-uniform over exactly two decades around the line's
 * centre (each line, hence each org, is Benford-exact, and no amount lies far
 * above its line's median), an approver by amount and requester who hold their
 * posts on that day. Off-hours postings (weekends, a small night tail) are
 * legitimate small payments under 10,000.00. About 8% of office-hours payments
 * come from an approval case (service payment_request) built backwards from the
 * payment; other cases (licences, permits, ...) are built forwards from their
 * submission. Settle (serial, in order) keeps the background away from the
 * definitions it could meet by chance: F2 (equal payer/payee/amount within 3
 * days: shift a cent), F3 (two in-band payments to one payee within 7 days:
 * scale the later one below the band), F9 (December total reaching 2.5x the
 * monthly base: shrink), A5 (an official's returns stay <= 10% of the cases
 * handled), and it numbers the payments in output order. Planted rows are merged
 * by timestamp. Workload: ~10M payments and ~7M approval events in under a minute.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen_pipe.h"
#include "gen_tables.h"

/* ---- time maps ------------------------------------------------------------- */

static uint64_t day_weight(int32_t day, int off_hours) {
  int wd = fr_gen_weekday(day);
  int y, m, d;
  fr_gen_civil_from_days(&y, &m, &d, day);
  if (wd >= 5) return off_hours ? 25 : 0;
  if (fr_gen_is_holiday(day)) return off_hours ? 300 : 0;
  static const uint32_t month_w[12] = {950, 800, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1250};
  return (uint64_t)month_w[m - 1] * (y == 2024 ? 105 : 100);
}

void fr_gen_timemap_init(fr_gen_timemap *m, uint64_t n, int off_hours, uint64_t seed) {
  uint64_t wcum[FR_GEN_NDAYS + 1];
  wcum[0] = 0;
  for (int d = 0; d < FR_GEN_NDAYS; d++) wcum[d + 1] = wcum[d] + day_weight(FR_GEN_DAY0 + d, off_hours);
  m->n = n;
  m->off_hours = off_hours;
  m->seed = seed;
  /* n x wcum fits in 64 bits for n < 2^40 (wcum < 2^24). */
  for (int d = 0; d <= FR_GEN_NDAYS; d++) m->cum[d] = n * wcum[d] / wcum[FR_GEN_NDAYS];
}

int64_t fr_gen_timemap_ts(const fr_gen_timemap *m, uint64_t i) {
  int lo = 0, hi = FR_GEN_NDAYS - 1;
  while (lo < hi) { /* last day d with cum[d] <= i */
    int mid = (lo + hi + 1) / 2;
    if (m->cum[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  uint64_t nd = m->cum[lo + 1] - m->cum[lo];
  double f = ((double)(i - m->cum[lo]) + 0.5) / (double)nd;
  int32_t day = FR_GEN_DAY0 + lo;
  int64_t tod;
  if (fr_gen_weekday(day) >= 5) {
    tod = 9LL * 3600 * FR_GEN_US_PER_S + (int64_t)(f * 8.0 * 3600e6);
  } else if (!m->off_hours || f < 0.998) {
    double g = m->off_hours ? f / 0.998 : f;
    tod = FR_GEN_WORK_START_US + (int64_t)(g * (double)FR_GEN_WORK_DAY_US);
  } else {
    tod = 22LL * 3600 * FR_GEN_US_PER_S + (int64_t)((f - 0.998) / 0.002 * 110.0 * 60e6);
  }
  int64_t ts = (int64_t)day * FR_GEN_US_PER_DAY + tod;
  int64_t sec = ts / FR_GEN_US_PER_S;
  /* A second keeps its microseconds or drops them as a whole, so ts stays monotone. */
  if (fr_gen_hash3(m->seed, FR_GEN_S_USEC, (uint64_t)sec) % 8 != 0) ts = sec * FR_GEN_US_PER_S;
  return ts;
}

uint64_t fr_gen_timemap_count_le(const fr_gen_timemap *m, int64_t ts) {
  uint64_t lo = 0, hi = m->n; /* answer in [lo, hi] */
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (fr_gen_timemap_ts(m, mid) <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

int fr_gen_is_off_hours(int64_t ts_us) {
  int32_t day = fr_gen_day_of(ts_us);
  int hour = (int)((ts_us - (int64_t)day * FR_GEN_US_PER_DAY) / (3600 * FR_GEN_US_PER_S));
  return fr_gen_weekday(day) >= 5 || hour >= 22 || hour < 6;
}

/* ---- dedup tables: latest timestamp per key over a sliding window ----------- */

typedef struct dedup_tab {
  uint64_t *key; /* 0 = empty */
  int64_t *ts;
  uint64_t cap, n;
} dedup_tab;

typedef struct dedup {
  dedup_tab t[2];  /* current and previous generation */
  int cur;
  int64_t start;   /* when the current generation began */
  int64_t window;  /* us */
} dedup;

static int tab_put(dedup_tab *t, uint64_t key, int64_t ts) {
  if ((t->n + 1) * 2 > t->cap) {
    uint64_t cap = t->cap ? t->cap * 2 : 4096;
    uint64_t *nk = calloc(cap, sizeof *nk);
    int64_t *nt = malloc(cap * sizeof *nt);
    if (!nk || !nt) {
      free(nk);
      free(nt);
      return FR_GEN_ENOMEM;
    }
    for (uint64_t k = 0; k < t->cap; k++) {
      if (!t->key[k]) continue;
      uint64_t s = t->key[k] & (cap - 1);
      while (nk[s]) s = (s + 1) & (cap - 1);
      nk[s] = t->key[k];
      nt[s] = t->ts[k];
    }
    free(t->key);
    free(t->ts);
    t->key = nk;
    t->ts = nt;
    t->cap = cap;
  }
  uint64_t s = key & (t->cap - 1);
  while (t->key[s] && t->key[s] != key) s = (s + 1) & (t->cap - 1);
  if (!t->key[s]) t->n++;
  t->key[s] = key;
  t->ts[s] = ts;
  return FR_GEN_OK;
}

static int64_t tab_get(const dedup_tab *t, uint64_t key) {
  if (!t->cap) return FR_GEN_NOTS;
  uint64_t s = key & (t->cap - 1);
  while (t->key[s]) {
    if (t->key[s] == key) return t->ts[s];
    s = (s + 1) & (t->cap - 1);
  }
  return FR_GEN_NOTS;
}

/* Rows arrive in ts order. A generation lives at least `window`, so every key
 * seen within the window is in the current or the previous generation. */
static void dedup_roll(dedup *d, int64_t now) {
  if (now - d->start < d->window) return;
  d->cur ^= 1;
  dedup_tab *t = &d->t[d->cur];
  if (t->cap) memset(t->key, 0, t->cap * sizeof *t->key);
  t->n = 0;
  d->start = now;
}

static int dedup_recent(const dedup *d, uint64_t key, int64_t now) {
  for (int g = 0; g < 2; g++) {
    int64_t ts = tab_get(&d->t[g], key);
    if (ts != FR_GEN_NOTS && now - ts <= d->window) return 1;
  }
  return 0;
}

static void dedup_free(dedup *d) {
  for (int g = 0; g < 2; g++) {
    free(d->t[g].key);
    free(d->t[g].ts);
  }
}

/* ---- the ledger ------------------------------------------------------------ */

typedef struct bg_pay {
  int64_t ts;
  int64_t amount;      /* cents */
  uint64_t row;        /* background index */
  uint32_t org, payee; /* org index, vendor index */
  uint32_t requester;  /* person index or FR_GEN_NONE */
  uint32_t approver;   /* person index */
  uint32_t case_idx;   /* slot case index or FR_GEN_NONE */
  uint8_t code, inv_fmt, off;
} bg_pay;

typedef struct bg_ev {
  int64_t ts;
  uint64_t actor; /* entity key */
  uint8_t act;
} bg_ev;

typedef struct bg_case {
  uint64_t seq;
  uint64_t applicant; /* entity key */
  int64_t amount;     /* cents or FR_GEN_NOTS; linked cases use their payment's */
  uint32_t org;
  uint32_t pay_idx;   /* linked: slot payment index, else FR_GEN_NONE */
  uint32_t ev_a, n_a; /* events without a return */
  uint32_t ev_b, n_b; /* events with a return (n_b = 0: not a candidate) */
  uint32_t returner;  /* person index of the return's actor (variant b) */
  uint8_t service, use_b;
} bg_case;

typedef struct ledger_slot {
  bg_pay *pays;
  size_t n_pay, cap_pay;
  bg_case *cases;
  size_t n_case, cap_case;
  bg_ev *ev;
  size_t n_ev, cap_ev;
  int64_t *merge;     /* >= 0: slot payment index; < 0: planted payment -(k+1) */
  size_t n_merge, cap_merge;
  uint64_t first_txn; /* number of merge[0] */
  int oom;
} ledger_slot;

typedef struct ledger {
  const fr_gen_world *w;
  fr_gen_plant *p;
  fr_gen_timemap pay_map;  /* background payments */
  fr_gen_timemap svc_map;  /* background service cases */
  uint64_t n_bg, n_blocks;
  uint32_t *pay_first;     /* n_blocks + 1: planted payments of a block in pay_order */
  uint32_t *case_first;    /* n_blocks + 1: planted cases of a block in case_order */
  uint64_t next_txn;
  dedup f2, f3;
  int64_t *month_sum;      /* n_org_bg x 24, cents */
  uint32_t *month_cnt;
  uint32_t *digits;        /* n_org_bg x 90: first-two-digit counts of amounts >= 10.00 */
  int64_t *wait_sum;       /* n_org_bg x FR_GEN_N_ACT, us */
  int64_t *wait_all;       /* n_org_bg */
  uint32_t *org_cases;     /* n_org_bg */
  uint32_t *handled;       /* n_official: background cases each official acted in */
  uint32_t *returned;      /* n_official: of which returned by them */
  int64_t as_of;
  fr_gen_ledger_stats st;
} ledger;

#define VEC_PUSH(s, arr, n, cap)                                                  \
  ((s)->n < (s)->cap || vec_grow((void **)&(s)->arr, &(s)->cap, sizeof *(s)->arr) == 0 \
       ? &(s)->arr[(s)->n++]                                                      \
       : ((s)->oom = 1, (void *)0))

static int vec_grow(void **arr, size_t *cap, size_t elem) {
  size_t nc = *cap ? *cap * 2 : 1024;
  void *np = realloc(*arr, nc * elem);
  if (!np) return -1;
  *arr = np;
  *cap = nc;
  return 0;
}

static uint64_t n_bg_payments(const fr_gen_world *w, const fr_gen_plant *p) {
  return w->rows > p->n_pay ? w->rows - p->n_pay : 0;
}

static uint64_t n_ledger_blocks(uint64_t n_bg) {
  uint64_t nb = (n_bg + FR_GEN_LEDGER_BLOCK - 1) / FR_GEN_LEDGER_BLOCK;
  return nb ? nb : 1;
}

static uint64_t block_of(uint64_t bg_before, uint64_t n_blocks) {
  uint64_t b = bg_before ? (bg_before - 1) / FR_GEN_LEDGER_BLOCK : 0;
  return b < n_blocks ? b : n_blocks - 1;
}

int fr_gen_ledger_place(const fr_gen_world *w, fr_gen_plant *p) {
  fr_gen_timemap map;
  uint64_t n_bg = n_bg_payments(w, p), nb = n_ledger_blocks(n_bg);
  fr_gen_timemap_init(&map, n_bg, 1, w->seed);
  for (uint32_t k = 0; k < p->n_pay; k++) p->pay[k].bg_before = fr_gen_timemap_count_le(&map, p->pay[k].ts);
  for (uint32_t c = 0; c < p->n_case; c++) {
    const fr_gen_pcase *pc = &p->cases[c];
    int64_t t0 = pc->ev_n ? p->ev[pc->ev_first].ts : FR_GEN_TS_END;
    p->cases[c].block = block_of(fr_gen_timemap_count_le(&map, t0), nb);
  }
  return fr_gen_plant_sort(p);
}

/* A heavy-tailed wait in working time between lo_h and hi_h working hours. */
static int64_t draw_wait(fr_gen_rng *r, double lo_h, double hi_h) {
  double u = fr_gen_unit(r);
  return (int64_t)(lo_h * pow(hi_h / lo_h, u * u) * 3600.0) * FR_GEN_US_PER_S; /* whole seconds */
}

static int64_t work_add(int64_t ts, int64_t w_us) { return fr_gen_ts_from_work(fr_gen_work_from_ts(ts) + w_us); }
static int64_t work_sub(int64_t ts, int64_t w_us) { return fr_gen_ts_from_work(fr_gen_work_from_ts(ts) - w_us); }

#define PKEY(idx) FR_GEN_KEY(FR_GEN_K_PERSON, (idx))

static void push_ev(ledger_slot *s, int64_t ts, uint64_t actor, uint8_t act) {
  bg_ev *e = VEC_PUSH(s, ev, n_ev, cap_ev);
  if (e) *e = (bg_ev){ts, actor, act};
}

/* A payment_request case built backwards from its payment: submit, accept,
 * review, approve (finance head), final_approve (the payment's approver), pay. */
static void linked_case(const ledger *L, ledger_slot *s, uint32_t pay_idx, uint16_t approver_post) {
  const fr_gen_world *w = L->w;
  bg_pay *py = &s->pays[pay_idx];
  fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_LINK, py->row);
  double u_req = fr_gen_unit(&r), u_rev = fr_gen_unit(&r), u_clk = fr_gen_unit(&r);
  /* The long wait sits in final_approve, a terminal step: A4 counts it in every
   * org's total but never flags it, which keeps the other steps' shares low. */
  int64_t w_pay = draw_wait(&r, 0.5, 6), w_fin = draw_wait(&r, 4.5, 36), w_apr = draw_wait(&r, 0.17, 6);
  int64_t w_rev = draw_wait(&r, 0.5, 6), w_acc = draw_wait(&r, 0.17, 6);
  uint32_t org = py->org;
  int64_t t_pay = py->ts;
  int64_t t_fin = work_sub(t_pay, w_pay);
  uint32_t fin = fr_gen_holder(w, org, approver_post, fr_gen_day_of(t_fin));
  if (fin != py->approver) {
    /* The approver changed between approval and payment: approve on the day. */
    t_fin = t_pay - 300 * FR_GEN_US_PER_S;
    fin = py->approver;
  }
  int64_t t_apr = work_sub(t_fin, w_fin);
  int64_t t_rev = work_sub(t_apr, w_apr);
  int64_t t_acc = work_sub(t_rev, w_rev);
  int64_t t_sub = work_sub(t_acc, w_acc);
  uint32_t req = fr_gen_pick_requester(w, org, fr_gen_day_of(t_sub), u_req);
  py->requester = req;
  bg_case *c = VEC_PUSH(s, cases, n_case, cap_case);
  if (!c) return;
  py->case_idx = (uint32_t)(s->n_case - 1);
  memset(c, 0, sizeof *c);
  c->seq = py->row;
  c->org = org;
  c->service = 0;
  c->applicant = FR_GEN_KEY(FR_GEN_K_VENDOR, py->payee);
  c->amount = FR_GEN_NOTS;
  c->pay_idx = pay_idx;
  c->ev_a = (uint32_t)s->n_ev;
  push_ev(s, t_sub, PKEY(req), FR_GEN_ACT_SUBMIT);
  push_ev(s, t_acc, PKEY(fr_gen_pick_clerk(w, org, fr_gen_day_of(t_acc), u_clk)), FR_GEN_ACT_ACCEPT);
  push_ev(s, t_rev, PKEY(fr_gen_pick_reviewer(w, org, fr_gen_day_of(t_rev), u_rev)), FR_GEN_ACT_REVIEW);
  push_ev(s, t_apr, PKEY(fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_FINANCE, 1), fr_gen_day_of(t_apr))),
          FR_GEN_ACT_APPROVE);
  push_ev(s, t_fin, PKEY(fin), FR_GEN_ACT_FINAL);
  push_ev(s, t_pay, PKEY(fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_CASHIER, 1), fr_gen_day_of(t_pay))),
          FR_GEN_ACT_PAY);
  c->n_a = (uint32_t)s->n_ev - c->ev_a;
  c->returner = FR_GEN_NONE;
}

static void gen_payment(const ledger *L, ledger_slot *s, uint64_t i) {
  const fr_gen_world *w = L->w;
  fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_PAY, i);
  bg_pay *py = VEC_PUSH(s, pays, n_pay, cap_pay);
  if (!py) return;
  py->row = i;
  py->ts = fr_gen_timemap_ts(&L->pay_map, i);
  py->off = (uint8_t)fr_gen_is_off_hours(py->ts);
  uint32_t org = fr_gen_pick_org(w, fr_gen_unit(&r));
  py->org = org;
  uint32_t cat = w->org_catalog[org];
  uint64_t rank = (uint64_t)exp(fr_gen_unit(&r) * log((double)cat + 1.0)) - 1;
  if (rank >= cat) rank = cat - 1;
  py->payee = (uint32_t)(fr_gen_mix64(((uint64_t)org << 32) ^ rank ^ w->seed) % w->n_vendor_bg);
  double ul = fr_gen_unit(&r);
  uint32_t line = (uint32_t)(ul * ul * w->org_nlines[org]);
  py->code = w->line_code[org * FR_GEN_MAX_LINES + line];
  double x;
  if (py->off) x = fr_gen_loguniform(&r, 50.0, 9999.0);
  else x = exp((double)w->line_center[org * FR_GEN_MAX_LINES + line] + (2.0 * fr_gen_unit(&r) - 1.0) * M_LN10);
  int64_t cents = llround(x * 100.0);
  if (fr_gen_chance(&r, 0.15) && cents >= 100000) cents = cents / 100 * 100;
  py->amount = cents < 100 ? 100 : cents;
  uint16_t apost = FR_GEN_POST(py->amount >= 10000000 ? FR_GEN_POST_DIRECTOR : FR_GEN_POST_DEPUTY, 1);
  int32_t day = fr_gen_day_of(py->ts);
  py->approver = fr_gen_holder(w, org, apost, day);
  int no_req = fr_gen_chance(&r, 0.02);
  double u_req = fr_gen_unit(&r);
  py->requester = no_req ? FR_GEN_NONE : fr_gen_pick_requester(w, org, day, u_req);
  double inv = fr_gen_unit(&r);
  py->inv_fmt = inv < 0.04 ? 0 : inv < 0.6 ? 1 : inv < 0.85 ? 2 : 3;
  py->case_idx = FR_GEN_NONE;
  if (!py->off && !no_req && fr_gen_chance(&r, 0.08)) linked_case(L, s, (uint32_t)(s->n_pay - 1), apost);
}

/* A service case built forwards from its submission; a return candidate gets a
 * second event list with return + resubmit, chosen or not in settle. */
static void gen_service_case(const ledger *L, ledger_slot *s, uint64_t k) {
  const fr_gen_world *w = L->w;
  fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_CASE, k);
  int64_t t0 = fr_gen_timemap_ts(&L->svc_map, k);
  uint32_t org = fr_gen_pick_org(w, fr_gen_unit(&r));
  uint8_t service = (uint8_t)(1 + fr_gen_below(&r, FR_GEN_N_SERVICES - 1));
  double ua = fr_gen_unit(&r);
  uint64_t applicant = ua < 0.5   ? PKEY(w->off_household + (uint32_t)fr_gen_below(&r, w->n_household))
                     : ua < 0.8 ? PKEY(w->off_owner + (uint32_t)fr_gen_below(&r, w->n_owner))
                                : FR_GEN_KEY(FR_GEN_K_VENDOR, fr_gen_below(&r, w->n_vendor_bg));
  int64_t amount = service == 3 ? llround(fr_gen_loguniform(&r, 500, 20000) * 100) : FR_GEN_NOTS;
  int visit = fr_gen_chance(&r, 0.25), reject = fr_gen_chance(&r, 0.08), ret = fr_gen_chance(&r, 0.06);
  double u_clk = fr_gen_unit(&r), u_rev = fr_gen_unit(&r);
  int64_t w_acc = draw_wait(&r, 0.17, 4.5), w_vis = draw_wait(&r, 1, 9), w_ret = draw_wait(&r, 1, 9);
  int64_t w_res = draw_wait(&r, 1, 9), w_rev = draw_wait(&r, 0.5, 6), w_apr = draw_wait(&r, 0.17, 6);
  int64_t w_fin = draw_wait(&r, 4.5, 36), w_cls = draw_wait(&r, 0.5, 9);
  bg_case *c = VEC_PUSH(s, cases, n_case, cap_case);
  if (!c) return;
  memset(c, 0, sizeof *c);
  c->seq = 2000000000ULL + k;
  c->org = org;
  c->service = service;
  c->applicant = applicant;
  c->amount = amount;
  c->pay_idx = FR_GEN_NONE;
  c->returner = FR_GEN_NONE;
  for (int variant = 0; variant < 1 + ret; variant++) {
    uint32_t first = (uint32_t)s->n_ev;
    int64_t t = t0;
    int32_t d;
    push_ev(s, t, applicant, FR_GEN_ACT_SUBMIT);
    t = work_add(t, w_acc);
    push_ev(s, t, PKEY(fr_gen_pick_clerk(w, org, fr_gen_day_of(t), u_clk)), FR_GEN_ACT_ACCEPT);
    if (visit) {
      t = work_add(t, w_vis);
      push_ev(s, t, applicant, FR_GEN_ACT_VISIT);
    }
    if (variant) {
      t = work_add(t, w_ret);
      c->returner = fr_gen_pick_reviewer(w, org, fr_gen_day_of(t), u_rev);
      push_ev(s, t, PKEY(c->returner), FR_GEN_ACT_RETURN);
      t = work_add(t, w_res);
      push_ev(s, t, applicant, FR_GEN_ACT_RESUBMIT);
    }
    t = work_add(t, w_rev);
    push_ev(s, t, PKEY(fr_gen_pick_reviewer(w, org, fr_gen_day_of(t), u_rev)), FR_GEN_ACT_REVIEW);
    if (!reject) {
      t = work_add(t, w_apr);
      d = fr_gen_day_of(t);
      push_ev(s, t, PKEY(fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_DEPUTY, 1), d)), FR_GEN_ACT_APPROVE);
    }
    t = work_add(t, w_fin);
    d = fr_gen_day_of(t);
    push_ev(s, t, PKEY(fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_DIRECTOR, 1), d)),
            reject ? FR_GEN_ACT_REJECT : FR_GEN_ACT_FINAL);
    t = work_add(t, w_cls);
    push_ev(s, t, PKEY(fr_gen_pick_clerk(w, org, fr_gen_day_of(t), u_clk)), FR_GEN_ACT_CLOSE);
    /* The export ends with the span: later events are not in it yet. */
    uint32_t n = (uint32_t)s->n_ev - first;
    while (n > 1 && s->ev[first + n - 1].ts > FR_GEN_TS_END) n--;
    s->n_ev = first + n;
    if (variant) c->ev_b = first, c->n_b = n;
    else c->ev_a = first, c->n_a = n;
  }
}

static void *ledger_slot_new(void *ctx) {
  (void)ctx;
  return calloc(1, sizeof(ledger_slot));
}

static void ledger_slot_free(void *slot) {
  ledger_slot *s = slot;
  if (!s) return;
  free(s->pays);
  free(s->cases);
  free(s->ev);
  free(s->merge);
  free(s);
}

static int ledger_produce(void *ctx, uint64_t blk, void *slot) {
  const ledger *L = ctx;
  ledger_slot *s = slot;
  s->n_pay = s->n_case = s->n_ev = s->n_merge = 0;
  s->oom = 0;
  uint64_t first = blk * FR_GEN_LEDGER_BLOCK, end = first + FR_GEN_LEDGER_BLOCK;
  if (end > L->n_bg) end = L->n_bg;
  for (uint64_t i = first; i < end; i++) gen_payment(L, s, i);
  uint64_t ns = L->w->n_service_cases;
  uint64_t k0 = ns * blk / L->n_blocks, k1 = ns * (blk + 1) / L->n_blocks;
  for (uint64_t k = k0; k < k1; k++) gen_service_case(L, s, k);
  return s->oom ? FR_GEN_ENOMEM : FR_GEN_OK;
}

/* F9 guard: in December, keep the org's running December total below 2.5x its
 * January-November monthly mean (F9 needs 3x). */
static void guard_december(ledger *L, bg_pay *py) {
  int mi = fr_gen_month_index(fr_gen_day_of(py->ts));
  if (mi % 12 != 11) return;
  const int64_t *ms = &L->month_sum[(size_t)py->org * 24 + (size_t)(mi - 11)];
  const uint32_t *mc = &L->month_cnt[(size_t)py->org * 24 + (size_t)(mi - 11)];
  int64_t jan_nov = 0;
  int months = 0;
  for (int m = 0; m < 11; m++) jan_nov += ms[m], months += mc[m] > 0;
  if (months < 6) return;
  while (py->amount > 100 && (ms[11] + py->amount) * 22 >= 5 * jan_nov) py->amount /= 10;
}

static uint64_t f2_key(const bg_pay *py) {
  return (fr_gen_mix64(((uint64_t)py->org << 40) ^ ((uint64_t)py->payee << 8) ^ 0xf2) ^
          fr_gen_mix64((uint64_t)py->amount)) | 1;
}
static uint64_t f3_key(const bg_pay *py) {
  return fr_gen_mix64(((uint64_t)py->org << 40) ^ ((uint64_t)py->payee << 8) ^ 0xf3) | 1;
}

#define IN_BAND(a) ((a) >= 8000000 && (a) < 10000000)

static int settle_payment(ledger *L, bg_pay *py) {
  dedup_roll(&L->f2, py->ts);
  dedup_roll(&L->f3, py->ts);
  guard_december(L, py);
  for (int iter = 0; iter < 64; iter++) {
    int changed = 0;
    if (IN_BAND(py->amount) && dedup_recent(&L->f3, f3_key(py), py->ts)) {
      py->amount = py->amount * 8 / 10;
      changed = 1;
    }
    if (py->amount >= 100000 && dedup_recent(&L->f2, f2_key(py), py->ts)) {
      py->amount -= 1;
      changed = 1;
    }
    if (!changed) break;
  }
  if (IN_BAND(py->amount) && tab_put(&L->f3.t[L->f3.cur], f3_key(py), py->ts)) return FR_GEN_ENOMEM;
  if (py->amount >= 100000 && tab_put(&L->f2.t[L->f2.cur], f2_key(py), py->ts)) return FR_GEN_ENOMEM;
  int mi = fr_gen_month_index(fr_gen_day_of(py->ts));
  L->month_sum[(size_t)py->org * 24 + (size_t)mi] += py->amount;
  L->month_cnt[(size_t)py->org * 24 + (size_t)mi]++;
  if (py->amount >= 1000) {
    int64_t ip = py->amount / 100;
    while (ip >= 100) ip /= 10;
    L->digits[(size_t)py->org * 90 + (size_t)(ip - 10)]++;
  }
  return FR_GEN_OK;
}

static int is_official(const ledger *L, uint64_t key) {
  return FR_GEN_KEY_KIND(key) == FR_GEN_K_PERSON && FR_GEN_KEY_IDX(key) < L->w->n_official;
}

static void settle_case(ledger *L, ledger_slot *s, bg_case *c) {
  if (c->n_b) {
    uint32_t r = c->returner;
    c->use_b = (uint64_t)(L->returned[r] + 1) * 10 <= (uint64_t)L->handled[r] + 1;
    if (c->use_b) L->returned[r]++;
  }
  uint32_t first = c->use_b ? c->ev_b : c->ev_a, n = c->use_b ? c->n_b : c->n_a;
  const bg_ev *ev = &s->ev[first];
  for (uint32_t k = 0; k < n; k++) {
    if (ev[k].ts > L->as_of) L->as_of = ev[k].ts;
    if (k) {
      int64_t wt = ev[k].ts - ev[k - 1].ts;
      L->wait_sum[(size_t)c->org * FR_GEN_N_ACT + ev[k].act] += wt;
      L->wait_all[c->org] += wt;
    }
    if (!is_official(L, ev[k].actor)) continue;
    int seen = 0;
    for (uint32_t j = 0; j < k && !seen; j++) seen = ev[j].actor == ev[k].actor;
    if (!seen) L->handled[FR_GEN_KEY_IDX(ev[k].actor)]++;
  }
  L->org_cases[c->org]++;
  L->st.n_cases++;
  L->st.n_events += n;
}

static int ledger_settle(void *ctx, uint64_t blk, void *slot) {
  ledger *L = ctx;
  ledger_slot *s = slot;
  fr_gen_plant *p = L->p;
  for (size_t k = 0; k < s->n_pay; k++)
    if (settle_payment(L, &s->pays[k])) return FR_GEN_ENOMEM;
  /* Merge planted payments by time and number everything in output order. */
  uint32_t q = L->pay_first[blk], qend = L->pay_first[blk + 1];
  s->first_txn = L->next_txn + 1;
  for (size_t k = 0; k <= s->n_pay; k++) {
    uint64_t row = k < s->n_pay ? s->pays[k].row : UINT64_MAX;
    while (q < qend && (k == s->n_pay || p->pay[p->pay_order[q]].bg_before <= row)) {
      int64_t *m = VEC_PUSH(s, merge, n_merge, cap_merge);
      if (!m) return FR_GEN_ENOMEM;
      *m = -(int64_t)p->pay_order[q] - 1;
      p->pay[p->pay_order[q]].txn_no = ++L->next_txn;
      q++;
    }
    if (k == s->n_pay) break;
    int64_t *m = VEC_PUSH(s, merge, n_merge, cap_merge);
    if (!m) return FR_GEN_ENOMEM;
    *m = (int64_t)k;
    ++L->next_txn;
  }
  L->st.n_payments += s->n_merge;
  for (size_t k = 0; k < s->n_case; k++) settle_case(L, s, &s->cases[k]);
  for (uint32_t c = L->case_first[blk]; c < L->case_first[blk + 1]; c++) {
    const fr_gen_pcase *pc = &p->cases[p->case_order[c]];
    for (uint32_t e = 0; e < pc->ev_n; e++)
      if (p->ev[pc->ev_first + e].ts > L->as_of) L->as_of = p->ev[pc->ev_first + e].ts;
    L->st.n_cases++;
    L->st.n_events += pc->ev_n;
  }
  return FR_GEN_OK;
}

/* ---- rendering --------------------------------------------------------------- */

static void put_key(fr_gen_buf *b, uint64_t key) {
  uint32_t idx = FR_GEN_KEY_IDX(key);
  switch (FR_GEN_KEY_KIND(key)) {
  case FR_GEN_K_ORG: fr_gen_put_id(b, "ORG-", (uint64_t)idx + 1, 4); break;
  case FR_GEN_K_VENDOR: fr_gen_put_id(b, "V-", (uint64_t)idx + 1, 7); break;
  case FR_GEN_K_PERSON: fr_gen_put_id(b, "P-", (uint64_t)idx + 1, 7); break;
  default: break;
  }
}

static void put_case_id(fr_gen_buf *b, uint64_t seq) { fr_gen_put_id(b, "C", fr_gen_case_number(seq), 10); }

static void render_bg_payment(const ledger *L, const ledger_slot *s, const bg_pay *py, uint64_t txn,
                              fr_gen_buf *b) {
  char memo[160];
  fr_gen_put_id(b, "T", txn, 12);
  fr_gen_put_char(b, ',');
  fr_gen_put_ts(b, py->ts);
  fr_gen_put_char(b, ',');
  put_key(b, FR_GEN_KEY(FR_GEN_K_ORG, py->org));
  fr_gen_put_char(b, ',');
  put_key(b, FR_GEN_KEY(FR_GEN_K_ORG, py->org));
  fr_gen_put_char(b, ',');
  put_key(b, FR_GEN_KEY(FR_GEN_K_VENDOR, py->payee));
  fr_gen_put_char(b, ',');
  fr_gen_put_cents(b, py->amount);
  fr_gen_put_str(b, ",CNY,");
  fr_gen_put_str(b, fr_gen_budget_codes[py->code]);
  fr_gen_put_char(b, ',');
  if (py->requester != FR_GEN_NONE) put_key(b, PKEY(py->requester));
  fr_gen_put_char(b, ',');
  put_key(b, PKEY(py->approver));
  fr_gen_put_char(b, ',');
  int y = 2023 + (fr_gen_day_of(py->ts) - FR_GEN_DAY0 >= 365);
  switch (py->inv_fmt) {
  case 1: fr_gen_put_id(b, "INV-", py->row, 10); break;
  case 2: fr_gen_put_id(b, "No. ", py->row, 10); break;
  case 3:
    fr_gen_put_u64(b, (uint64_t)y, 4);
    fr_gen_put_id(b, "-", py->row, 10);
    break;
  default: break;
  }
  fr_gen_put_char(b, ',');
  if (py->amount >= 10000000 && py->row % 10 < 7) {
    fr_gen_put_str(b, "HT-");
    fr_gen_put_u64(b, (uint64_t)y, 4);
    fr_gen_put_id(b, "-", py->row % 1000000, 6);
  }
  fr_gen_put_char(b, ',');
  if (py->case_idx != FR_GEN_NONE) put_case_id(b, s->cases[py->case_idx].seq);
  fr_gen_put_char(b, ',');
  fr_gen_memo(memo, sizeof memo, L->w->seed, py->row);
  fr_gen_put_csv(b, memo);
  fr_gen_put_char(b, '\n');
}

static void render_planted_payment(const ledger *L, uint32_t k, fr_gen_buf *b) {
  const fr_gen_ppay *py = &L->p->pay[k];
  char memo[160];
  fr_gen_put_id(b, "T", py->txn_no, 12);
  fr_gen_put_char(b, ',');
  fr_gen_put_ts(b, py->ts);
  fr_gen_put_char(b, ',');
  put_key(b, FR_GEN_KEY(FR_GEN_K_ORG, py->org));
  fr_gen_put_char(b, ',');
  put_key(b, py->payer);
  fr_gen_put_char(b, ',');
  put_key(b, py->payee);
  fr_gen_put_char(b, ',');
  fr_gen_put_cents(b, py->amount);
  fr_gen_put_str(b, ",CNY,");
  fr_gen_put_str(b, fr_gen_budget_codes[py->code]);
  fr_gen_put_char(b, ',');
  if (py->requester) put_key(b, py->requester);
  fr_gen_put_char(b, ',');
  if (py->approver) put_key(b, py->approver);
  fr_gen_put_char(b, ',');
  fr_gen_put_csv(b, py->invoice);
  fr_gen_put_str(b, ",,");
  if (py->case_ref) put_case_id(b, L->p->cases[py->case_ref - 1].seq);
  fr_gen_put_char(b, ',');
  fr_gen_memo(memo, sizeof memo, L->w->seed, 0x100000000000ULL + k);
  fr_gen_put_csv(b, memo);
  fr_gen_put_char(b, '\n');
}

static void render_event(fr_gen_buf *b, uint64_t seq, int64_t ts, uint8_t act, uint64_t actor, uint32_t org,
                         uint8_t service, uint64_t applicant, int64_t amount) {
  put_case_id(b, seq);
  fr_gen_put_char(b, ',');
  fr_gen_put_ts(b, ts);
  fr_gen_put_char(b, ',');
  fr_gen_put_str(b, fr_gen_act_name[act]);
  fr_gen_put_char(b, ',');
  put_key(b, actor);
  fr_gen_put_char(b, ',');
  put_key(b, FR_GEN_KEY(FR_GEN_K_ORG, org));
  fr_gen_put_char(b, ',');
  fr_gen_put_str(b, fr_gen_services[service]);
  fr_gen_put_char(b, ',');
  if (applicant) put_key(b, applicant);
  fr_gen_put_char(b, ',');
  if (amount != FR_GEN_NOTS) fr_gen_put_cents(b, amount);
  fr_gen_put_char(b, '\n');
}

static int ledger_render(void *ctx, uint64_t blk, void *slot, fr_gen_buf *texts) {
  const ledger *L = ctx;
  ledger_slot *s = slot;
  const fr_gen_plant *p = L->p;
  fr_gen_buf *pb = &texts[0], *ab = &texts[1];
  if (blk == 0) {
    fr_gen_put_str(pb, "txn_id,ts,org,payer,payee,amount,currency,budget_code,requester,approver,"
                       "invoice_no,contract_id,case_id,memo\n");
    fr_gen_put_str(ab, "case_id,ts,activity,actor,org,service,applicant,amount\n");
  }
  for (size_t k = 0; k < s->n_merge; k++) {
    int64_t m = s->merge[k];
    if (m < 0) render_planted_payment(L, (uint32_t)(-m - 1), pb);
    else render_bg_payment(L, s, &s->pays[m], s->first_txn + k, pb);
  }
  for (size_t k = 0; k < s->n_case; k++) {
    const bg_case *c = &s->cases[k];
    uint32_t first = c->use_b ? c->ev_b : c->ev_a, n = c->use_b ? c->n_b : c->n_a;
    int64_t amount = c->pay_idx != FR_GEN_NONE ? s->pays[c->pay_idx].amount : c->amount;
    for (uint32_t e = first; e < first + n; e++)
      render_event(ab, c->seq, s->ev[e].ts, s->ev[e].act, s->ev[e].actor, c->org, c->service, c->applicant,
                   amount);
  }
  for (uint32_t q = L->case_first[blk]; q < L->case_first[blk + 1]; q++) {
    const fr_gen_pcase *c = &p->cases[p->case_order[q]];
    for (uint32_t e = c->ev_first; e < c->ev_first + c->ev_n; e++)
      render_event(ab, c->seq, p->ev[e].ts, p->ev[e].act, p->ev[e].actor, c->org, c->service, c->applicant,
                   p->ev[e].amount);
  }
  return FR_GEN_OK;
}

/* ---- background checks --------------------------------------------------------- */

/* F4's excess MAD of one org's first-two-digit counts (0 when under min_count). */
static double benford_excess(const uint32_t *cnt) {
  uint64_t n = 0;
  for (int d = 0; d < 90; d++) n += cnt[d];
  if (n < 1000) return 0;
  double mad = 0, sd = 0;
  for (int d = 10; d < 100; d++) {
    double e = log10(1.0 + 1.0 / d);
    mad += fabs((double)cnt[d - 10] / (double)n - e);
    sd += sqrt(e * (1 - e));
  }
  mad /= 90, sd /= 90;
  return mad - sqrt(2.0 / (M_PI * (double)n)) * sd;
}

static void ledger_check(ledger *L) {
  const fr_gen_world *w = L->w;
  fr_gen_ledger_stats *st = &L->st;
  for (uint32_t o = 0; o < w->n_org_bg; o++) {
    double ex = benford_excess(&L->digits[(size_t)o * 90]);
    if (ex > st->f4_worst_excess) st->f4_worst_excess = ex;
    if (ex > 0.0022) st->f4_orgs_flagged++;
    for (int y = 0; y < 2; y++) {
      const int64_t *ms = &L->month_sum[(size_t)o * 24 + (size_t)y * 12];
      const uint32_t *mc = &L->month_cnt[(size_t)o * 24 + (size_t)y * 12];
      int64_t jan_nov = 0;
      int months = 0;
      for (int m = 0; m < 11; m++) jan_nov += ms[m], months += mc[m] > 0;
      if (months < 6 || mc[11] < 10 || jan_nov <= 0) continue;
      double ratio = (double)ms[11] * 11.0 / (double)jan_nov;
      if (ratio > st->f9_worst_ratio) st->f9_worst_ratio = ratio;
      if (ms[11] * 11 >= 3 * jan_nov && ms[11] >= 100000000) st->f9_flagged++;
    }
    if (L->org_cases[o] < 20 || L->wait_all[o] <= 0) continue;
    for (int a = 0; a < FR_GEN_N_ACT; a++) {
      if (a == FR_GEN_ACT_SUBMIT || FR_GEN_ACT_TERMINAL(a)) continue;
      double share = (double)L->wait_sum[(size_t)o * FR_GEN_N_ACT + (size_t)a] / (double)L->wait_all[o];
      if (share > st->a4_worst_share) st->a4_worst_share = share;
      if (L->wait_sum[(size_t)o * FR_GEN_N_ACT + (size_t)a] * 10 >= L->wait_all[o] * 4) st->a4_flagged++;
    }
  }
}

static void ledger_free(ledger *L) {
  free(L->pay_first);
  free(L->case_first);
  free(L->month_sum);
  free(L->month_cnt);
  free(L->digits);
  free(L->wait_sum);
  free(L->wait_all);
  free(L->org_cases);
  free(L->handled);
  free(L->returned);
  dedup_free(&L->f2);
  dedup_free(&L->f3);
  free(L);
}

int fr_gen_ledger_write(const fr_gen_world *w, fr_gen_plant *p, const char *dir, fr_gen_zkind z,
                        fr_gen_ledger_stats *out_stats, fr_gen_err *err) {
  int rc = FR_GEN_ENOMEM;
  ledger *L = calloc(1, sizeof *L);
  if (!L) return FR_GEN_ENOMEM;
  L->w = w;
  L->p = p;
  L->n_bg = n_bg_payments(w, p);
  L->n_blocks = n_ledger_blocks(L->n_bg);
  fr_gen_timemap_init(&L->pay_map, L->n_bg, 1, w->seed);
  fr_gen_timemap_init(&L->svc_map, w->n_service_cases, 0, w->seed ^ 0x5e5e);
  L->f2.window = 3 * FR_GEN_US_PER_DAY;
  L->f3.window = 7 * FR_GEN_US_PER_DAY;
  L->f2.start = L->f3.start = INT64_MIN / 2;
  L->as_of = INT64_MIN;
  size_t no = w->n_org_bg;
  L->pay_first = calloc(L->n_blocks + 1, sizeof *L->pay_first);
  L->case_first = calloc(L->n_blocks + 1, sizeof *L->case_first);
  L->month_sum = calloc(no * 24, sizeof *L->month_sum);
  L->month_cnt = calloc(no * 24, sizeof *L->month_cnt);
  L->digits = calloc(no * 90, sizeof *L->digits);
  L->wait_sum = calloc(no * FR_GEN_N_ACT, sizeof *L->wait_sum);
  L->wait_all = calloc(no, sizeof *L->wait_all);
  L->org_cases = calloc(no, sizeof *L->org_cases);
  L->handled = calloc(w->n_official, sizeof *L->handled);
  L->returned = calloc(w->n_official, sizeof *L->returned);
  if (!L->pay_first || !L->case_first || !L->month_sum || !L->month_cnt || !L->digits || !L->wait_sum ||
      !L->wait_all || !L->org_cases || !L->handled || !L->returned)
    goto done;
  /* Block ranges of the planted rows (pay_order and case_order are block-sorted). */
  for (uint32_t q = 0, b = 0; b <= L->n_blocks; b++) {
    while (q < p->n_pay && block_of(p->pay[p->pay_order[q]].bg_before, L->n_blocks) < b) q++;
    L->pay_first[b] = q;
  }
  for (uint32_t q = 0, b = 0; b <= L->n_blocks; b++) {
    while (q < p->n_case && p->cases[p->case_order[q]].block < b) q++;
    L->case_first[b] = q;
  }
  L->pay_first[L->n_blocks] = p->n_pay;
  L->case_first[L->n_blocks] = p->n_case;
  {
    fr_gen_pipe pipe = {.ctx = L,
                        .n_blocks = L->n_blocks,
                        .n_outs = 2,
                        .slot_new = ledger_slot_new,
                        .slot_free = ledger_slot_free,
                        .produce = ledger_produce,
                        .settle = ledger_settle,
                        .render = ledger_render};
    const char *tables[2] = {"payments", "approvals"};
    rc = fr_gen_pipe_write(&pipe, dir, tables, z, err);
  }
  if (rc == FR_GEN_OK) {
    ledger_check(L);
    p->approvals_as_of = L->as_of;
    *out_stats = L->st;
  }
done:
  if (rc == FR_GEN_ENOMEM) fr_gen_err_set(err, "writing payments and approvals: out of memory");
  ledger_free(L);
  return rc;
}
