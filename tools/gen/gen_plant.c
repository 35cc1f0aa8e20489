/* gen_plant.c: planted anomalies and decoys for the detectors of DETECTORS.md.
 *
 * Each scenario builds its rows with fresh payees, bidders, beneficiaries and
 * cases in special orgs (pooled ones for case-level rules, dedicated ones for
 * the per-org, per-approver and per-actor rules), and declares which rows must
 * be found (planted) and which must not (decoy). Every shape comes in "sets":
 * one set holds each planted shape and each decoy once, and the number of sets
 * grows with anomaly-rate x rows. Timestamps sit in office hours on working days
 * unless the shape is about off-hours postings. The truth is not taken from the
 * declarations alone: gen_eval.c re-checks all of them against the definitions.
 * Workload: anomaly-rate x rows scenarios, a few rows each; all in memory.
 */
#include "gen_plant.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_time.h"

const char *const fr_gen_det_id[FR_GEN_N_DET] = {
    "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12", "A1",
    "A2", "A3", "A4", "A5", "A6", "A7", "P12", "P13", "P14", "W1", "W2", "W3"};
const char *const fr_gen_det_name[FR_GEN_N_DET] = {
    "duplicate_payment", "near_duplicate_payment", "split_payment", "benford", "round_trip",
    "pass_through", "scatter_gather", "off_hours", "year_end_spike", "amount_outlier",
    "related_party", "new_vendor_large", "self_approval", "sequence_violation", "sla_breach",
    "bottleneck", "repeated_visits", "handover_stall", "rubber_stamp", "shared_contacts",
    "split_direct_awards", "winner_concentration", "duplicate_beneficiary",
    "deceased_beneficiary", "official_relative"};
const char *const fr_gen_act_name[FR_GEN_N_ACT] = {"submit", "accept", "review", "approve",
                                                   "final_approve", "reject", "return", "resubmit",
                                                   "visit", "pay", "close"};
const char *const fr_gen_services[FR_GEN_N_SERVICES] = {"payment_request", "business_license",
                                                        "building_permit", "subsidy_application",
                                                        "household_registration", "environmental_permit"};
const char *const fr_gen_methods[FR_GEN_N_METHODS] = {"open", "selective", "negotiated", "single_source"};
const char *const fr_gen_rel_kinds[FR_GEN_N_REL_KINDS] = {"spouse", "parent", "child", "sibling", "legal_rep",
                                                          "shareholder", "supervisor", "parent_company", "in_law"};

/* ---- plan ------------------------------------------------------------------------ */

typedef struct plan {
  uint32_t sets;      /* light scenario sets */
  uint32_t sets_f4;   /* 0 when rows are too few for 1,000-payment orgs */
  uint32_t sets_f9;
  uint32_t sets_a4, sets_a5, sets_p14;
  uint32_t pool, dedicated;
} plan;

static uint32_t at_least_1(double x) { return x < 1 ? 1 : (uint32_t)x; }

static void make_plan(plan *pl, uint64_t rows, double rate) {
  memset(pl, 0, sizeof *pl);
  if (rate <= 0) return;
  double base = rate * (double)rows;
  pl->sets = at_least_1(base / 150);
  pl->sets_f4 = rows >= 50000 ? at_least_1(base / 5000) : 0;
  pl->sets_f9 = rows >= 5000 ? at_least_1(base / 2000) : 0;
  pl->sets_a4 = at_least_1(base / 2000);
  pl->sets_a5 = at_least_1(base / 2000);
  pl->sets_p14 = at_least_1(base / 1000);
  pl->pool = 20 * pl->sets < 12 ? 12 : 20 * pl->sets;
  pl->dedicated = 4 * pl->sets_f4 + 5 * pl->sets + 7 * pl->sets_f9 + 4 * pl->sets_a4 + 3 * pl->sets_a5 +
                  2 * pl->sets + 5 * pl->sets_p14;
}

void fr_gen_plant_plan(uint32_t *out_pool, uint32_t *out_dedicated, uint64_t rows, double rate) {
  plan pl;
  make_plan(&pl, rows, rate);
  *out_pool = pl.pool;
  *out_dedicated = pl.dedicated;
}

/* ---- building blocks --------------------------------------------------------------- */

typedef struct planter {
  fr_gen_plant *p;
  fr_gen_world *w;
  fr_gen_rng r;
  uint32_t code_next;  /* rotation over the general planted budget codes */
  uint32_t f10_next;   /* F10 groups: (pool org, code) pairs never reused */
  uint32_t village_next; /* fresh village numbers for planted payouts */
  uint32_t cur_case;   /* case being built */
  int64_t cur_amount;  /* its default event amount */
  fr_gen_pent scratch; /* target of ent() for a key that is not planted (a bug) */
} planter;

#define PUSH(P, arr, n, cap)                                                           \
  ((P)->p->n < (P)->p->cap || grow_arr((void **)&(P)->p->arr, &(P)->p->cap, sizeof *(P)->p->arr) == 0 \
       ? &(P)->p->arr[(P)->p->n++]                                                     \
       : ((P)->p->oom = 1, (void *)0))

static int grow_arr(void **arr, uint32_t *cap, size_t elem) {
  uint32_t nc = *cap ? *cap * 2 : 256;
  void *np = realloc(*arr, (size_t)nc * elem);
  if (!np) return -1;
  *arr = np;
  *cap = nc;
  return 0;
}

#define PKEY(idx) FR_GEN_KEY(FR_GEN_K_PERSON, (idx))
#define VKEY(idx) FR_GEN_KEY(FR_GEN_K_VENDOR, (idx))
#define OKEY(idx) FR_GEN_KEY(FR_GEN_K_ORG, (idx))
#define DAYS(n) ((int64_t)(n) * FR_GEN_US_PER_DAY)
#define HOURS(n) ((int64_t)(n) * 3600 * FR_GEN_US_PER_S)
#define MINUTES(n) ((int64_t)(n) * 60 * FR_GEN_US_PER_S)
#define SECONDS(n) ((int64_t)(n) * FR_GEN_US_PER_S)

static uint32_t pool_org(planter *P) {
  return P->w->n_org_bg + P->p->next_pool++ % P->p->n_pool;
}

static uint32_t dedicated_org(planter *P) {
  uint32_t k = P->p->next_dedicated++;
  if (k >= P->p->n_dedicated) { /* the plan and the build disagree: stay valid, flag */
    P->p->oom = 2;
    k = 0;
  }
  return P->w->n_org_bg + P->p->n_pool + k;
}

static uint64_t new_vendor(planter *P) {
  fr_gen_pent *e = PUSH(P, vend, n_vend, cap_vend);
  if (!e) return VKEY(0);
  memset(e, 0, sizeof *e);
  e->registered = FR_GEN_NODAY;
  e->deceased = FR_GEN_NODAY;
  P->w->n_vendor++;
  return VKEY(P->w->n_vendor_bg + P->p->n_vend - 1);
}

static uint64_t new_person(planter *P) {
  fr_gen_pent *e = PUSH(P, pers, n_pers, cap_pers);
  if (!e) return PKEY(0);
  memset(e, 0, sizeof *e);
  e->registered = FR_GEN_NODAY;
  e->deceased = FR_GEN_NODAY;
  P->w->n_person++;
  return PKEY(P->w->n_person_bg + P->p->n_pers - 1);
}

/* The overrides of a planted vendor or person; valid until the next new_*(). */
static fr_gen_pent *ent(planter *P, uint64_t key) {
  uint32_t idx = FR_GEN_KEY_IDX(key);
  if (FR_GEN_KEY_KIND(key) == FR_GEN_K_VENDOR && idx >= P->w->n_vendor_bg && idx - P->w->n_vendor_bg < P->p->n_vend)
    return &P->p->vend[idx - P->w->n_vendor_bg];
  if (FR_GEN_KEY_KIND(key) == FR_GEN_K_PERSON && idx >= P->w->n_person_bg && idx - P->w->n_person_bg < P->p->n_pers)
    return &P->p->pers[idx - P->w->n_person_bg];
  P->p->oom = 2; /* only planted entities take overrides */
  return &P->scratch;
}

static uint64_t official(planter *P, uint32_t org, int type, int num, int32_t day) {
  uint32_t who = fr_gen_holder(P->w, org, FR_GEN_POST(type, num), day);
  return who == FR_GEN_NONE ? 0 : PKEY(who);
}

static int64_t rnd(planter *P, int64_t lo, int64_t hi) { return fr_gen_range(&P->r, lo, hi); }

/* Cents uniform in [lo_yuan, hi_yuan). */
static int64_t cents(planter *P, int64_t lo_yuan, int64_t hi_yuan) { return rnd(P, lo_yuan * 100, hi_yuan * 100 - 1); }

static int is_workday(int32_t d) { return fr_gen_weekday(d) < 5 && !fr_gen_is_holiday(d); }

/* A working day between DAY0+lo and DAY0+hi with weekday wd (-1: any). */
static int32_t pick_day(planter *P, int lo, int hi, int wd) {
  for (int tries = 0; tries < 10000; tries++) {
    int32_t d = FR_GEN_DAY0 + (int32_t)rnd(P, lo, hi);
    if (!is_workday(d)) continue;
    if (wd >= 0 && fr_gen_weekday(d) != wd) continue;
    return d;
  }
  return fr_gen_next_workday(FR_GEN_DAY0 + lo);
}

/* A Saturday (wd 5) or Sunday (wd 6) between DAY0+lo and DAY0+hi. */
static int32_t pick_weekend(planter *P, int lo, int hi, int wd) {
  for (;;) {
    int32_t d = FR_GEN_DAY0 + (int32_t)rnd(P, lo, hi);
    if (fr_gen_weekday(d) == wd) return d;
  }
}

/* An office-hours instant (09:00-15:59:59, whole seconds) on day d. */
static int64_t office(planter *P, int32_t d) {
  /* one draw per statement: C leaves the order of argument evaluation open */
  int h = 9 + (int)rnd(P, 0, 6);
  int m = (int)rnd(P, 0, 59);
  int s = (int)rnd(P, 0, 59);
  return fr_gen_ts(d, h, m, s);
}

/* 09:00-09:59:59 on day d. */
static int64_t early(planter *P, int32_t d) {
  int m = (int)rnd(P, 0, 59);
  int s = (int)rnd(P, 0, 59);
  return fr_gen_ts(d, 9, m, s);
}

/* Same time of day, on the first Monday-Friday >= d + n (holidays are not skipped:
 * they are not off-hours for F8, and skipping them would stretch planned gaps). */
static int64_t later_workday(int64_t ts, int n) {
  int32_t d = fr_gen_day_of(ts);
  int64_t tod = ts - (int64_t)d * FR_GEN_US_PER_DAY;
  return (int64_t)fr_gen_next_workday(d + n) * FR_GEN_US_PER_DAY + tod;
}

static uint16_t next_code(planter *P) { return (uint16_t)(FR_GEN_N_BG_CODES + P->code_next++ % 12); }

/* A payment; org officials as requester/approver when the payer is the org. */
static uint32_t pay(planter *P, uint32_t org, uint64_t payer, uint64_t payee, int64_t ts, int64_t amount) {
  fr_gen_ppay *py = PUSH(P, pay, n_pay, cap_pay);
  if (!py) return 0;
  memset(py, 0, sizeof *py);
  py->ts = ts;
  py->amount = amount;
  py->org = org;
  py->payer = payer;
  py->payee = payee;
  py->code = next_code(P);
  if (FR_GEN_KEY_KIND(payer) == FR_GEN_K_ORG) {
    int32_t d = fr_gen_day_of(ts);
    uint32_t porg = FR_GEN_KEY_IDX(payer);
    py->requester = official(P, porg, FR_GEN_POST_SECTION, 2, d);
    py->approver = official(P, porg, amount >= 10000000 ? FR_GEN_POST_DIRECTOR : FR_GEN_POST_DEPUTY, 1, d);
  }
  snprintf(py->invoice, sizeof py->invoice, "INV-%010u", 900000000u + P->p->invoice_serial++);
  return P->p->n_pay - 1;
}

/* pay() from an org's own account. */
static uint32_t opay(planter *P, uint32_t org, uint64_t payee, int64_t ts, int64_t amount) {
  return pay(P, org, OKEY(org), payee, ts, amount);
}

static void declare(planter *P, int det, int decoy, int table, const uint32_t *rows, uint32_t n,
                    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void declare(planter *P, int det, int decoy, int table, const uint32_t *rows, uint32_t n,
                    const char *fmt, ...) {
  fr_gen_decl *d = PUSH(P, decl, n_decl, cap_decl);
  if (!d) return;
  d->det = (uint8_t)det;
  d->decoy = (uint8_t)decoy;
  d->table = (uint8_t)table;
  d->overlap = det == FR_GEN_F4 || det == FR_GEN_F9;
  d->ref_first = P->p->n_refs;
  d->ref_n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->desc, sizeof d->desc, fmt, ap);
  va_end(ap);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t *r = PUSH(P, refs, n_refs, cap_refs);
    if (!r) return;
    *r = rows[k];
    d->ref_n++;
  }
}

/* Cases are built one at a time; events are appended in case order. */
static uint32_t begin_case(planter *P, uint32_t org, int service, uint64_t applicant, int64_t amount) {
  fr_gen_pcase *c = PUSH(P, cases, n_case, cap_case);
  if (!c) return 0;
  memset(c, 0, sizeof *c);
  c->org = org;
  c->service = (uint8_t)service;
  c->applicant = applicant;
  c->ev_first = P->p->n_ev;
  c->seq = 8000000000ULL + P->p->n_case - 1;
  P->cur_case = P->p->n_case - 1;
  P->cur_amount = amount;
  return P->cur_case;
}

static void evt_amount(planter *P, int64_t ts, int act, uint64_t actor, int64_t amount) {
  fr_gen_pev *e = PUSH(P, ev, n_ev, cap_ev);
  if (!e) return;
  e->ts = ts;
  e->act = (uint8_t)act;
  e->actor = actor;
  e->amount = amount;
  P->p->cases[P->cur_case].ev_n++;
}

static void evt(planter *P, int64_t ts, int act, uint64_t actor) { evt_amount(P, ts, act, actor, P->cur_amount); }

static int64_t wadd(int64_t ts, double hours) {
  return fr_gen_ts_from_work(fr_gen_work_from_ts(ts) + (int64_t)(hours * 3600e6));
}

static uint32_t tender(planter *P, uint32_t org, int cat, int method, int64_t reserve, int64_t published,
                       int64_t awarded) {
  fr_gen_ptender *t = PUSH(P, tend, n_tend, cap_tend);
  if (!t) return 0;
  memset(t, 0, sizeof *t);
  t->org = org;
  t->category = (uint8_t)cat;
  t->method = (uint8_t)method;
  t->reserve = reserve;
  t->published = published;
  t->awarded = awarded;
  t->bid_first = P->p->n_bid;
  return P->p->n_tend - 1;
}

/* A bid on the tender being built (the last one). */
static void bid(planter *P, uint64_t bidder, int64_t amount, int won) {
  fr_gen_ptender *t = &P->p->tend[P->p->n_tend - 1];
  fr_gen_pbid *b = PUSH(P, bids, n_bid, cap_bid);
  if (!b) return;
  b->bidder = bidder;
  b->amount = amount;
  b->ts = t->published + DAYS(1 + t->bid_n) + HOURS(1);
  b->won = (uint8_t)won;
  t->bid_n++;
}

static uint32_t payout(planter *P, uint32_t org, uint32_t village, uint64_t ben, int program, int64_t ts,
                       int64_t amount) {
  fr_gen_ppayout *o = PUSH(P, out, n_out, cap_out);
  if (!o) return 0;
  o->ts = ts;
  o->program = (uint8_t)program;
  o->org = org;
  o->village = village;
  o->beneficiary = ben;
  o->amount = amount;
  o->payout_no = 0;
  return P->p->n_out - 1;
}

static void relate(planter *P, uint64_t a, uint64_t b, int kind, int32_t since, int32_t until) {
  fr_gen_prel *r = PUSH(P, rel, n_rel, cap_rel);
  if (!r) return;
  *r = (fr_gen_prel){a, b, (uint8_t)kind, since, until};
}

/* ---- F: fund flows ------------------------------------------------------------------ */

static void plant_f1(planter *P) {
  uint32_t r[4];
  uint32_t org = pool_org(P);
  uint64_t v = new_vendor(P);
  int64_t a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, -1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, later_workday(t, (int)rnd(P, 10, 40)), a);
  strcpy(P->p->pay[r[1]].invoice, P->p->pay[r[0]].invoice);
  declare(P, FR_GEN_F1, 0, FR_GEN_T_PAY, r, 2, "same invoice, payee and amount paid twice %s", "weeks apart");

  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, -1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, later_workday(t, (int)rnd(P, 5, 30)), a);
  char i0[sizeof P->p->pay[0].invoice];
  memcpy(i0, P->p->pay[r[0]].invoice, sizeof i0);
  snprintf(P->p->pay[r[1]].invoice, sizeof i0, "inv %s", i0 + 4); /* "inv 0900..." normalises alike */
  declare(P, FR_GEN_F1, 0, FR_GEN_T_PAY, r, 2, "invoice re-keyed in another format (%s / %s)", i0,
          P->p->pay[r[1]].invoice);

  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 600, -1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, later_workday(t, (int)rnd(P, 5, 20)), a);
  r[2] = opay(P, org, v, later_workday(P->p->pay[r[1]].ts, (int)rnd(P, 5, 20)), a);
  strcpy(P->p->pay[r[1]].invoice, P->p->pay[r[0]].invoice);
  strcpy(P->p->pay[r[2]].invoice, P->p->pay[r[0]].invoice);
  declare(P, FR_GEN_F1, 0, FR_GEN_T_PAY, r, 3, "one invoice paid three times");

  uint32_t org2 = pool_org(P);
  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, -1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org2, v, later_workday(t, 1), a);
  strcpy(P->p->pay[r[1]].invoice, P->p->pay[r[0]].invoice);
  declare(P, FR_GEN_F1, 0, FR_GEN_T_PAY, r, 2, "same invoice paid by two different payers");

  /* decoys */
  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, -1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, later_workday(t, 10), a + 1);
  strcpy(P->p->pay[r[1]].invoice, P->p->pay[r[0]].invoice);
  declare(P, FR_GEN_F1, 1, FR_GEN_T_PAY, r, 2, "same invoice and payee, amounts differ by 0.01");
  org = pool_org(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, -1));
  r[0] = opay(P, org, new_vendor(P), t, a);
  r[1] = opay(P, org, new_vendor(P), later_workday(t, 10), a);
  strcpy(P->p->pay[r[1]].invoice, P->p->pay[r[0]].invoice);
  declare(P, FR_GEN_F1, 1, FR_GEN_T_PAY, r, 2, "same invoice and amount, different payees");
  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, -1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, later_workday(t, 12), a);
  strcpy(P->p->pay[r[0]].invoice, "--");
  strcpy(P->p->pay[r[1]].invoice, "- / -");
  declare(P, FR_GEN_F1, 1, FR_GEN_T_PAY, r, 2, "invoice numbers that normalise to empty");
  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, -1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, later_workday(t, 12), a);
  P->p->pay[r[0]].invoice[0] = P->p->pay[r[1]].invoice[0] = 0;
  declare(P, FR_GEN_F1, 1, FR_GEN_T_PAY, r, 2, "invoice NULL on both payments");
}

static void plant_f2(planter *P) {
  uint32_t r[3];
  uint32_t org = pool_org(P);
  uint64_t v = new_vendor(P);
  int64_t a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, t + HOURS(rnd(P, 20, 30)), a);
  declare(P, FR_GEN_F2, 0, FR_GEN_T_PAY, r, 2, "same payer, payee and amount a day apart");

  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, 0));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, t + DAYS(2), a);
  r[2] = opay(P, org, v, t + DAYS(4), a);
  declare(P, FR_GEN_F2, 0, FR_GEN_T_PAY, r, 3, "a run of three, each two days after the last");

  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, 0));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, t + DAYS(3), a);
  declare(P, FR_GEN_F2, 0, FR_GEN_T_PAY, r, 2, "exactly 3 days (259200 s) apart");

  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, 100000);
  r[1] = opay(P, org, v, t + HOURS(24), 100000);
  declare(P, FR_GEN_F2, 0, FR_GEN_T_PAY, r, 2, "amount exactly min_amount 1000.00");

  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, 0));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, t + DAYS(3) + SECONDS(1), a);
  declare(P, FR_GEN_F2, 1, FR_GEN_T_PAY, r, 2, "3 days and 1 second apart");
  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, 99999);
  r[1] = opay(P, org, v, t + HOURS(1), 99999);
  declare(P, FR_GEN_F2, 1, FR_GEN_T_PAY, r, 2, "999.99 twice, under min_amount");
  uint32_t org2 = pool_org(P);
  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org2, v, t + HOURS(24), a);
  declare(P, FR_GEN_F2, 1, FR_GEN_T_PAY, r, 2, "same payee and amount from two payers");
  org = pool_org(P), v = new_vendor(P), a = cents(P, 1000, 70000), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, a);
  r[1] = opay(P, org, v, t + HOURS(24), a + 1);
  declare(P, FR_GEN_F2, 1, FR_GEN_T_PAY, r, 2, "amounts differ by 0.01");
}

static void plant_f3(planter *P) {
  uint32_t r[3];
  uint32_t org = pool_org(P);
  uint64_t v = new_vendor(P);
  int64_t t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, cents(P, 85000, 99000));
  int64_t gap = HOURS(rnd(P, 20, 40));
  r[1] = opay(P, org, v, t + gap, P->p->pay[r[0]].amount - cents(P, 1000, 5000));
  declare(P, FR_GEN_F3, 0, FR_GEN_T_PAY, r, 2, "two parts just under 100000.00 within two days");

  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 640, 0));
  r[0] = opay(P, org, v, t, cents(P, 90000, 99000));
  r[1] = opay(P, org, v, t + DAYS(4), cents(P, 82000, 89000));
  r[2] = opay(P, org, v, t + DAYS(8), cents(P, 80000, 81900));
  declare(P, FR_GEN_F3, 0, FR_GEN_T_PAY, r, 3, "three parts chained over eight days");

  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 640, 1));
  r[0] = opay(P, org, v, t, cents(P, 90000, 99000));
  r[1] = opay(P, org, v, t + DAYS(7), cents(P, 80000, 89000));
  declare(P, FR_GEN_F3, 0, FR_GEN_T_PAY, r, 2, "two parts exactly 7 days apart");

  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, 8000000);
  r[1] = opay(P, org, v, t + HOURS(24), 9999999);
  declare(P, FR_GEN_F3, 0, FR_GEN_T_PAY, r, 2, "parts at the band edges 80000.00 and 99999.99");

  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 640, 1));
  r[0] = opay(P, org, v, t, cents(P, 90000, 99000));
  r[1] = opay(P, org, v, t + DAYS(7) + SECONDS(1), cents(P, 80000, 89000));
  declare(P, FR_GEN_F3, 1, FR_GEN_T_PAY, r, 2, "7 days and 1 second apart");
  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, 7999999);
  r[1] = opay(P, org, v, t + HOURS(24), 9999999);
  declare(P, FR_GEN_F3, 1, FR_GEN_T_PAY, r, 2, "79999.99 is below the floor, one part alone");
  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, 10000000);
  r[1] = opay(P, org, v, t + HOURS(24), 9500000);
  declare(P, FR_GEN_F3, 1, FR_GEN_T_PAY, r, 2, "100000.00 is not under the threshold");
  uint32_t org2 = pool_org(P);
  org = pool_org(P), v = new_vendor(P), t = office(P, pick_day(P, 10, 650, 1));
  r[0] = opay(P, org, v, t, cents(P, 85000, 99000));
  r[1] = opay(P, org2, v, t + HOURS(24), cents(P, 85000, 99000));
  declare(P, FR_GEN_F3, 1, FR_GEN_T_PAY, r, 2, "in-band parts to one payee from two orgs");
}

/* F4: one dedicated org with n payments spread over the span, payees in a pool of
 * 60 fresh vendors, amounts from `draw` (distinct within the org). */
typedef int64_t (*amount_fn)(planter *P, uint32_t k);

static int64_t amt_uniform_digits(planter *P, uint32_t k) { (void)k; return cents(P, 1000, 10000); }
static int64_t amt_benford(planter *P, uint32_t k) {
  (void)k;
  return llround(fr_gen_loguniform(&P->r, 10.0, 10000.0) * 100);
}
static int64_t amt_under_5000(planter *P, uint32_t k) {
  (void)k;
  return fr_gen_chance(&P->r, 0.7) ? cents(P, 4500, 5000) : amt_benford(P, 0);
}
static int64_t amt_999_then_small(planter *P, uint32_t k) {
  return k < 999 ? cents(P, 1000, 10000) : rnd(P, 100, 999);
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static void benford_org(planter *P, uint32_t n, amount_fn draw, int decoy, const char *what) {
  uint32_t org = dedicated_org(P);
  uint64_t vendors[60];
  for (int k = 0; k < 60; k++) vendors[k] = new_vendor(P);
  int64_t *amts = malloc(n * sizeof *amts), *sorted = malloc(n * sizeof *sorted);
  uint32_t *rows = malloc(n * sizeof *rows);
  if (!amts || !sorted || !rows) {
    P->p->oom = 1;
    goto done;
  }
  for (uint32_t k = 0; k < n; k++) amts[k] = draw(P, k);
  /* distinct amounts: F2 then cannot link two of them */
  for (int again = 1; again;) {
    again = 0;
    memcpy(sorted, amts, n * sizeof *amts);
    qsort(sorted, n, sizeof *sorted, cmp_i64);
    for (uint32_t k = 1; k < n && !again; k++)
      if (sorted[k] == sorted[k - 1])
        for (uint32_t j = 0; j < n; j++)
          if (amts[j] == sorted[k]) {
            amts[j] += 1;
            again = 1;
            break;
          }
  }
  for (uint32_t k = 0; k < n; k++) {
    rows[k] = opay(P, org, vendors[k % 60], office(P, pick_day(P, 0, 725, -1)), amts[k]);
    /* 36 budget lines keep every (org, line) under F10's min_count of 50 */
    P->p->pay[rows[k]].code = (uint16_t)(k % 36);
  }
  declare(P, FR_GEN_F4, decoy, FR_GEN_T_PAY, rows, n, "%s", what);
done:
  free(amts);
  free(sorted);
  free(rows);
}

static void plant_f4(planter *P) {
  benford_org(P, 1200, amt_uniform_digits, 0, "1200 payments with first two digits uniform (fabricated)");
  benford_org(P, 1100, amt_under_5000, 0, "1100 payments, most just under 5000.00");
  benford_org(P, 1500, amt_benford, 1, "1500 Benford-conforming payments (log-uniform over 3 decades)");
  benford_org(P, 1059, amt_999_then_small, 1, "999 uniform-digit payments >= 10.00, 60 under min_amount");
}

static void plant_f5(planter *P) {
  uint32_t r[5];
  uint32_t org = pool_org(P);
  uint64_t a = new_vendor(P), b = new_vendor(P), c = new_vendor(P), d = new_vendor(P), e = new_vendor(P);
  int64_t t = office(P, pick_day(P, 10, 600, -1)), x = cents(P, 150000, 400000);
  r[0] = pay(P, org, a, b, t, x);
  r[1] = pay(P, org, b, a, later_workday(t, 4), x - x * rnd(P, 1, 5) / 100);
  declare(P, FR_GEN_F5, 0, FR_GEN_T_PAY, r, 2, "A->B->A within days, 1-5%% kept");

  org = pool_org(P), a = new_vendor(P), b = new_vendor(P), c = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, -1)), x = cents(P, 200000, 600000);
  r[0] = pay(P, org, a, b, t, x);
  r[1] = pay(P, org, b, c, later_workday(t, 4), x * 98 / 100);
  r[2] = pay(P, org, c, a, later_workday(P->p->pay[r[1]].ts, 4), x * 96 / 100);
  declare(P, FR_GEN_F5, 0, FR_GEN_T_PAY, r, 3, "3-cycle with hops four days apart");

  org = pool_org(P), a = new_vendor(P), b = new_vendor(P), c = new_vendor(P), d = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, -1)), x = cents(P, 30000, 45000);
  r[0] = pay(P, org, a, b, t, x);
  r[1] = pay(P, org, b, c, later_workday(t, 3), x * 97 / 100);
  r[2] = pay(P, org, c, d, later_workday(P->p->pay[r[1]].ts, 3), x * 95 / 100);
  r[3] = pay(P, org, d, a, later_workday(P->p->pay[r[2]].ts, 3), x * 91 / 100);
  declare(P, FR_GEN_F5, 0, FR_GEN_T_PAY, r, 4, "4-cycle, the last hop 9%% short");

  org = pool_org(P), a = new_vendor(P), b = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, 1)), x = cents(P, 10000, 45000);
  r[0] = pay(P, org, a, b, t, x);
  r[1] = pay(P, org, b, a, t + HOURS(rnd(P, 20, 28)), x - 50000);
  declare(P, FR_GEN_F5, 0, FR_GEN_T_PAY, r, 2, "small 2-cycle within a day");

  org = pool_org(P), a = new_vendor(P), b = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, -1)), x = cents(P, 150000, 300000);
  r[0] = opay(P, org, a, t, x);
  r[1] = pay(P, org, a, b, later_workday(t, 3), x * 98 / 100);
  r[2] = pay(P, org, b, OKEY(org), later_workday(P->p->pay[r[1]].ts, 3), x * 95 / 100);
  declare(P, FR_GEN_F5, 0, FR_GEN_T_PAY, r, 3, "funds return to the org's own account");

  /* decoys */
  org = pool_org(P), a = new_vendor(P), b = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, 0)), x = cents(P, 150000, 300000);
  r[0] = pay(P, org, a, b, t, x);
  r[1] = pay(P, org, b, a, t + DAYS(30) + SECONDS(1), x * 98 / 100);
  declare(P, FR_GEN_F5, 1, FR_GEN_T_PAY, r, 2, "returns 30 days and 1 second later");
  org = pool_org(P), a = new_vendor(P), b = new_vendor(P), c = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, -1));
  r[0] = pay(P, org, a, b, t, 20000000);
  r[1] = pay(P, org, b, c, later_workday(t, 4), 19500000);
  r[2] = pay(P, org, c, a, later_workday(P->p->pay[r[1]].ts, 4), 17999800);
  declare(P, FR_GEN_F5, 1, FR_GEN_T_PAY, r, 3, "last hop 10.001%% below the first");
  org = pool_org(P), a = new_vendor(P), b = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, 1));
  r[0] = pay(P, org, a, b, t, 999999);
  r[1] = pay(P, org, b, a, t + HOURS(24), 980000);
  declare(P, FR_GEN_F5, 1, FR_GEN_T_PAY, r, 2, "first hop 9999.99, under min_amount");
  org = pool_org(P), a = new_vendor(P), b = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, -1)), x = cents(P, 10000, 45000);
  r[0] = pay(P, org, a, b, t, x);
  r[1] = pay(P, org, b, a, t, x - 20000);
  declare(P, FR_GEN_F5, 1, FR_GEN_T_PAY, r, 2, "both hops at the same instant (not increasing)");
  org = pool_org(P), a = new_vendor(P), b = new_vendor(P), c = new_vendor(P), d = new_vendor(P), e = new_vendor(P);
  t = office(P, pick_day(P, 10, 600, -1)), x = cents(P, 60000, 70000);
  r[0] = pay(P, org, a, b, t, x);
  r[1] = pay(P, org, b, c, later_workday(t, 4), x);
  r[2] = pay(P, org, c, d, later_workday(P->p->pay[r[1]].ts, 4), x);
  r[3] = pay(P, org, d, e, later_workday(P->p->pay[r[2]].ts, 4), x);
  r[4] = pay(P, org, e, a, later_workday(P->p->pay[r[3]].ts, 4), x);
  declare(P, FR_GEN_F5, 1, FR_GEN_T_PAY, r, 5, "a 5-cycle is longer than max_len 4");
}

static void plant_f6(planter *P) {
  uint32_t r[3];
  uint32_t org = pool_org(P);
  uint64_t x = new_vendor(P), y = new_vendor(P), y2;
  int64_t t = early(P, pick_day(P, 10, 650, 0));
  r[0] = opay(P, org, x, t, 20000000);
  r[1] = pay(P, org, x, y, t + HOURS(30), 19000000);
  declare(P, FR_GEN_F6, 0, FR_GEN_T_PAY, r, 2, "200000.00 in, 190000.00 out 30 hours later");

  org = pool_org(P), x = new_vendor(P), y = new_vendor(P), y2 = new_vendor(P);
  t = early(P, pick_day(P, 10, 650, 0));
  r[0] = opay(P, org, x, t, 20000000);
  r[1] = pay(P, org, x, y, t + HOURS(6), 11000000);
  r[2] = pay(P, org, x, y2, t + HOURS(28), 7500000);
  declare(P, FR_GEN_F6, 0, FR_GEN_T_PAY, r, 3, "forwarded in two parts");

  org = pool_org(P), x = new_vendor(P), y = new_vendor(P);
  t = early(P, pick_day(P, 10, 650, 0)) + HOURS(1);
  r[0] = opay(P, org, x, t, 20000000);
  r[1] = pay(P, org, x, y, t + HOURS(48), 18000000);
  declare(P, FR_GEN_F6, 0, FR_GEN_T_PAY, r, 2, "exactly 90%% forwarded exactly 48 hours later");

  org = pool_org(P), x = new_vendor(P), y = new_vendor(P);
  t = early(P, pick_day(P, 10, 650, 0)) + HOURS(1);
  r[0] = opay(P, org, x, t, 20000000);
  r[1] = pay(P, org, x, y, t + HOURS(48) + SECONDS(1), 19000000);
  declare(P, FR_GEN_F6, 1, FR_GEN_T_PAY, r, 2, "forwarded 48 hours and 1 second later");
  org = pool_org(P), x = new_vendor(P), y = new_vendor(P);
  t = fr_gen_ts(pick_day(P, 10, 650, 0), 10, 0, 0);
  r[0] = opay(P, org, x, t, 20000000);
  r[1] = pay(P, org, x, y, t + HOURS(24), 17999999);
  declare(P, FR_GEN_F6, 1, FR_GEN_T_PAY, r, 2, "forwarded 179999.99, under 90%%");
  org = pool_org(P), x = new_vendor(P), y = new_vendor(P);
  t = fr_gen_ts(pick_day(P, 10, 650, 0), 10, 0, 0);
  r[0] = opay(P, org, x, t, 4999999);
  r[1] = pay(P, org, x, y, t + HOURS(1), 4900000);
  declare(P, FR_GEN_F6, 1, FR_GEN_T_PAY, r, 2, "inflow 49999.99, under min_amount");
  org = pool_org(P), x = new_vendor(P), y = new_vendor(P);
  t = fr_gen_ts(pick_day(P, 10, 650, 0), 11, 0, 0);
  r[0] = opay(P, org, x, t, 20000000);
  r[1] = pay(P, org, x, y, t, 19000000);
  declare(P, FR_GEN_F6, 1, FR_GEN_T_PAY, r, 2, "outflow at the same instant (not after)");
}

/* F7: S = a pooled org scatters to fresh persons who gather to G. */
static void scatter(planter *P, int n_fan, int n_gather, int spread_days, int late_one, int short_one,
                    int g_is_s, int exact80, int decoy, const char *what) {
  uint32_t rows[32];
  uint32_t nr = 0;
  uint32_t org = pool_org(P);
  uint64_t g = g_is_s ? OKEY(org) : new_person(P);
  int32_t d0 = pick_day(P, 10, 640, 0);
  int64_t t0[16];
  uint32_t scat[16];
  for (int k = 0; k < n_fan; k++) {
    int32_t d = spread_days ? fr_gen_next_workday(d0 + k) : d0 + k / 3;
    int64_t ts = early(P, d) + HOURS(1 + 2 * (k % 3));
    int64_t amt = cents(P, 25000, 40000) / 10 * 10;
    uint64_t m = new_person(P);
    scat[k] = opay(P, org, m, ts, amt);
    t0[k] = ts;
  }
  for (int k = 0; k < n_fan; k++) {
    const fr_gen_ppay *s = &P->p->pay[scat[k]];
    int64_t rec = s->amount;
    if (k >= n_gather) continue;
    int64_t amt = g_is_s ? rec * 85 / 100 : rec * 90 / 100;
    int64_t ts = later_workday(t0[k], (int)rnd(P, 1, 4));
    if (exact80 && k == 0) amt = rec * 8 / 10;
    if (exact80 && k == 1) ts = t0[k] + DAYS(7);
    if (late_one && k == 0) ts = t0[k] + DAYS(7) + SECONDS(1);
    if (short_one && k == 1) amt = rec * 79 / 100;
    uint32_t gr = pay(P, org, s->payee, g, ts, amt);
    rows[nr++] = scat[k];
    rows[nr++] = gr;
  }
  for (int k = n_gather; k < n_fan; k++) rows[nr++] = scat[k];
  declare(P, FR_GEN_F7, decoy, FR_GEN_T_PAY, rows, nr, "%s", what);
}

static void plant_f7(planter *P) {
  scatter(P, 5, 5, 0, 0, 0, 0, 0, 0, "5 payees paid within two days forward 90% to one account");
  scatter(P, 7, 7, 0, 0, 0, 0, 1, 0, "fan of 7; one forwards exactly 80%, one exactly 7 days later");
  scatter(P, 6, 6, 0, 0, 0, 1, 0, 0, "6 payees pay 85% back to the source org");
  scatter(P, 5, 4, 0, 0, 0, 0, 0, 1, "only 4 of 5 payees forward");
  scatter(P, 5, 5, 1, 0, 0, 0, 0, 1, "scatter spread over 5 working days (3-day windows hold 4)");
  scatter(P, 5, 5, 0, 1, 1, 0, 0, 1, "one forwards 7 days + 1 s late, one only 79%");
}

/* F8: a dedicated org whose deputy approves postings at the given instants. */
static void off_hours(planter *P, const int64_t *ts, const int64_t *amt, int n, int decoy, const char *what) {
  uint32_t rows[8];
  uint32_t org = dedicated_org(P);
  for (int k = 0; k < n; k++) rows[k] = opay(P, org, new_vendor(P), ts[k], amt[k]);
  declare(P, FR_GEN_F8, decoy, FR_GEN_T_PAY, rows, (uint32_t)n, "%s", what);
}

static void plant_f8(planter *P) {
  int64_t ts[5], am[5];
  for (int k = 0; k < 5; k++) am[k] = cents(P, 10000, 50000);
  ts[0] = fr_gen_ts(pick_weekend(P, 7, 700, 5), 10, 0, 0);
  ts[1] = fr_gen_ts(pick_weekend(P, 7, 700, 6), 15, 30, 0);
  ts[2] = fr_gen_ts(pick_day(P, 7, 700, 2), 23, 15, 0);
  off_hours(P, ts, am, 3, 0, "Saturday, Sunday and 23:15 postings by one approver");
  ts[0] = fr_gen_ts(pick_day(P, 7, 700, 1), 22, 0, 0);
  ts[1] = fr_gen_ts(pick_day(P, 7, 700, 3), 5, 59, 59);
  ts[2] = fr_gen_ts(pick_weekend(P, 7, 700, 5), 11, 0, 0);
  ts[3] = fr_gen_ts(pick_weekend(P, 7, 700, 6), 9, 0, 0);
  ts[4] = fr_gen_ts(pick_day(P, 7, 700, 4), 23, 59, 59);
  off_hours(P, ts, am, 5, 0, "five postings including 22:00:00 and 05:59:59");
  am[0] = 1000000;
  ts[0] = fr_gen_ts(pick_weekend(P, 7, 700, 5), 14, 0, 0);
  ts[1] = fr_gen_ts(pick_weekend(P, 7, 700, 5), 10, 0, 0);
  ts[2] = fr_gen_ts(pick_day(P, 7, 700, 0), 2, 0, 0);
  off_hours(P, ts, am, 3, 0, "three postings, one of exactly 10000.00");
  am[0] = cents(P, 10000, 50000);
  ts[0] = fr_gen_ts(pick_weekend(P, 7, 700, 5), 10, 0, 0);
  ts[1] = fr_gen_ts(pick_day(P, 7, 700, 1), 23, 0, 0);
  ts[2] = fr_gen_ts(pick_day(P, 7, 700, 2), 21, 59, 59);
  ts[3] = fr_gen_ts(pick_day(P, 7, 700, 3), 6, 0, 0);
  off_hours(P, ts, am, 4, 1, "two off-hours postings plus 21:59:59 and 06:00:00");
  am[2] = 999999;
  ts[0] = fr_gen_ts(pick_weekend(P, 7, 700, 6), 10, 0, 0);
  ts[1] = fr_gen_ts(pick_day(P, 7, 700, 1), 23, 0, 0);
  ts[2] = fr_gen_ts(pick_weekend(P, 7, 700, 5), 12, 0, 0);
  off_hours(P, ts, am, 3, 1, "three off-hours postings, one of 9999.99");
}

/* F9: a dedicated org with `per_month` payments in months [1, months] of year y and
 * `n_dec` December payments; the December amounts come from lo..hi, or, when
 * target_ratio > 0, add up to that multiple of the monthly base. */
static void spike(planter *P, int months, int per_month, int64_t lo, int64_t hi, int n_dec, int64_t dlo,
                  int64_t dhi, double target_ratio, int tie, int decoy, const char *what) {
  uint32_t org = dedicated_org(P);
  int y = 2023 + (int)rnd(P, 0, 1);
  uint64_t vend[20];
  for (int k = 0; k < 20; k++) vend[k] = new_vendor(P);
  uint32_t rows[64];
  uint32_t nr = 0, vk = 0;
  int64_t jan_nov = 0;
  for (int m = 1; m <= months; m++)
    for (int k = 0; k < per_month; k++) {
      int32_t d = fr_gen_days_from_civil(y, m, 1) + (int32_t)rnd(P, 0, 27);
      int64_t ts = office(P, fr_gen_next_workday(d));
      uint32_t i = opay(P, org, vend[vk++ % 20], ts, cents(P, lo, hi) + k);
      jan_nov += P->p->pay[i].amount;
    }
  int64_t each = target_ratio > 0 ? (int64_t)(target_ratio * (double)jan_nov / 11.0 / n_dec) : 0;
  int64_t step = (dhi - dlo) * 100 / (n_dec + 1);
  for (int k = 0; k < n_dec; k++) {
    int32_t d = fr_gen_next_workday(fr_gen_days_from_civil(y, 12, 1) + (int32_t)rnd(P, 0, 26));
    int64_t a = target_ratio > 0 ? each + k : cents(P, dlo, dhi) + k;
    /* tie: descending amounts, ranks 19 and 20 (0-based) equal, so the evidence cut
     * at 20 falls inside a tie and the smaller txn_id must win */
    if (tie) a = dhi * 100 - step * (k == 20 ? 19 : k);
    rows[nr++] = opay(P, org, vend[vk++ % 20], office(P, d), a);
  }
  declare(P, FR_GEN_F9, decoy, FR_GEN_T_PAY, rows, nr, "%s", what);
}

static void plant_f9(planter *P) {
  spike(P, 11, 10, 20000, 79000, 15, 150000, 400000, 0, 0, 0, "December spending about 8x the monthly mean");
  spike(P, 11, 10, 20000, 79000, 25, 100000, 300000, 0, 1, 0, "25 December payments; evidence keeps 20 (a tie at the cut)");
  spike(P, 6, 10, 20000, 79000, 10, 200000, 400000, 0, 0, 0, "exactly 6 months and 10 December payments");
  spike(P, 11, 10, 20000, 79000, 12, 0, 0, 2.9, 0, 1, "December 2.9x the monthly mean");
  spike(P, 11, 10, 1000, 3000, 12, 8000, 9000, 0, 0, 1, "ratio 5x but December under 1000000.00");
  spike(P, 5, 10, 20000, 79000, 15, 150000, 400000, 0, 0, 1, "only 5 months January-November");
  spike(P, 11, 10, 20000, 79000, 9, 300000, 400000, 0, 0, 1, "only 9 December payments");
}

/* F10: a (pooled org, reserved code) group of log-uniform amounts plus extras. */
static uint32_t f10_group(planter *P, uint32_t *out_org, uint16_t *out_code, int n, int rent) {
  uint32_t k = P->f10_next++;
  uint32_t org = P->w->n_org_bg + k % P->p->n_pool;
  uint16_t code = (uint16_t)(36 + (k / P->p->n_pool) % 4);
  uint64_t vend[8];
  for (int j = 0; j < 8; j++) vend[j] = new_vendor(P);
  uint32_t first = P->p->n_pay;
  int32_t d0 = pick_day(P, 10, 400, 1);
  for (int j = 0; j < n; j++) {
    uint32_t i;
    if (j < rent) i = opay(P, org, vend[0], office(P, d0) + DAYS(7 * j), 120000);
    else {
      int64_t ts = office(P, pick_day(P, 5, 720, -1));
      i = opay(P, org, vend[1 + j % 7], ts, llround(fr_gen_loguniform(&P->r, 2000, 20000) * 100));
    }
    P->p->pay[i].code = code;
  }
  *out_org = org;
  *out_code = code;
  return first;
}

static uint32_t f10_extra(planter *P, uint32_t org, uint16_t code, int64_t amount) {
  uint32_t i = opay(P, org, new_vendor(P), office(P, pick_day(P, 5, 720, -1)), amount);
  P->p->pay[i].code = code;
  return i;
}

/* The x that makes (ln x - med) / (1.4826 mad) = z over the group [first, first+n). */
static int64_t f10_amount_for_z(planter *P, uint32_t first, int n, double z) {
  double *x = malloc((size_t)n * sizeof *x);
  if (!x) {
    P->p->oom = 1;
    return 100;
  }
  for (int j = 0; j < n; j++) x[j] = log((double)P->p->pay[first + (uint32_t)j].amount / 100.0);
  /* med and mad of the group with one more value above every member. */
  int m = n + 1;
  double *s = malloc((size_t)m * sizeof *s);
  if (!s) {
    free(x);
    P->p->oom = 1;
    return 100;
  }
  memcpy(s, x, (size_t)n * sizeof *s);
  s[n] = 1e9;
  for (int a = 1; a < m; a++)
    for (int b = a; b > 0 && s[b] < s[b - 1]; b--) {
      double t = s[b]; s[b] = s[b - 1]; s[b - 1] = t;
    }
  double med = m % 2 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
  for (int a = 0; a < n; a++) s[a] = fabs(x[a] - med);
  s[n] = 1e9;
  for (int a = 1; a < m; a++)
    for (int b = a; b > 0 && s[b] < s[b - 1]; b--) {
      double t = s[b]; s[b] = s[b - 1]; s[b - 1] = t;
    }
  double mad = m % 2 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
  free(x);
  free(s);
  return llround(exp(med + z * 1.4826 * mad) * 100);
}

static void plant_f10(planter *P) {
  uint32_t org, r[2];
  uint16_t code;
  f10_group(P, &org, &code, 60, 0);
  r[0] = f10_extra(P, org, code, 800000000);
  declare(P, FR_GEN_F10, 0, FR_GEN_T_PAY, r, 1, "8000000.00 in a budget line of 2000-20000 payments");
  f10_group(P, &org, &code, 49, 0);
  r[0] = f10_extra(P, org, code, 800000000);
  declare(P, FR_GEN_F10, 0, FR_GEN_T_PAY, r, 1, "outlier in a group of exactly min_count 50");
  f10_group(P, &org, &code, 60, 0);
  r[0] = f10_extra(P, org, code, 600000000);
  r[1] = f10_extra(P, org, code, 900000000);
  declare(P, FR_GEN_F10, 0, FR_GEN_T_PAY, r, 1, "first of two outliers in one line");
  declare(P, FR_GEN_F10, 0, FR_GEN_T_PAY, r + 1, 1, "second of two outliers in one line");
  f10_group(P, &org, &code, 48, 0);
  r[0] = f10_extra(P, org, code, 200000000);
  declare(P, FR_GEN_F10, 1, FR_GEN_T_PAY, r, 1, "outlier in a group of 49, under min_count");
  f10_group(P, &org, &code, 60, 40);
  r[0] = f10_extra(P, org, code, 200000000);
  declare(P, FR_GEN_F10, 1, FR_GEN_T_PAY, r, 1, "mad = 0: 40 identical weekly rents 1200.00 in the line");
  uint32_t first = f10_group(P, &org, &code, 60, 0);
  r[0] = f10_extra(P, org, code, f10_amount_for_z(P, first, 60, 4.5));
  declare(P, FR_GEN_F10, 1, FR_GEN_T_PAY, r, 1, "robust z about 4.5, under 5");
  f10_group(P, &org, &code, 60, 0);
  r[0] = f10_extra(P, org, code, 500);
  declare(P, FR_GEN_F10, 1, FR_GEN_T_PAY, r, 1, "far below the median (5.00)");
}

static void plant_f11(planter *P) {
  uint32_t r[1];
  for (int shape = 0; shape < 10; shape++) {
    uint32_t org = pool_org(P);
    uint64_t v = new_vendor(P);
    int32_t d = pick_day(P, 10, 700, -1);
    int64_t ts = office(P, d);
    r[0] = opay(P, org, v, ts, cents(P, 10000, 70000));
    uint64_t appr = P->p->pay[r[0]].approver, req = P->p->pay[r[0]].requester;
    switch (shape) {
    case 0:
      relate(P, appr, v, FR_GEN_R_SHAREHOLDER, d - 400, FR_GEN_NODAY);
      declare(P, FR_GEN_F11, 0, FR_GEN_T_PAY, r, 1, "approver is a shareholder of the payee");
      break;
    case 1:
      relate(P, v, req, FR_GEN_R_SUPERVISOR, FR_GEN_NODAY, FR_GEN_NODAY);
      declare(P, FR_GEN_F11, 0, FR_GEN_T_PAY, r, 1, "payee lists the requester as supervisor (b->a)");
      break;
    case 2:
      ent(P, v)->phone_from = appr;
      declare(P, FR_GEN_F11, 0, FR_GEN_T_PAY, r, 1, "payee's phone is the approver's");
      break;
    case 3:
      ent(P, v)->bank_from = req;
      declare(P, FR_GEN_F11, 0, FR_GEN_T_PAY, r, 1, "payee's bank account is the requester's");
      break;
    case 4:
      ent(P, v)->address_from = appr;
      declare(P, FR_GEN_F11, 0, FR_GEN_T_PAY, r, 1, "payee's address is the approver's");
      break;
    case 5:
      relate(P, appr, v, FR_GEN_R_LEGAL_REP, d, FR_GEN_NODAY);
      declare(P, FR_GEN_F11, 0, FR_GEN_T_PAY, r, 1, "relation valid from the payment date itself");
      break;
    case 6:
      relate(P, appr, v, FR_GEN_R_SHAREHOLDER, d - 800, d - 1);
      declare(P, FR_GEN_F11, 1, FR_GEN_T_PAY, r, 1, "relation ended the day before the payment");
      break;
    case 7:
      relate(P, appr, v, FR_GEN_R_SHAREHOLDER, d + 1, FR_GEN_NODAY);
      declare(P, FR_GEN_F11, 1, FR_GEN_T_PAY, r, 1, "relation begins the day after the payment");
      break;
    case 8:
      relate(P, official(P, org, FR_GEN_POST_CASHIER, 1, d), v, FR_GEN_R_LEGAL_REP, FR_GEN_NODAY, FR_GEN_NODAY);
      declare(P, FR_GEN_F11, 1, FR_GEN_T_PAY, r, 1, "payee tied to the cashier, neither approver nor requester");
      break;
    default: {
      uint32_t other = pool_org(P);
      ent(P, v)->phone_from = official(P, other, FR_GEN_POST_DEPUTY, 1, d);
      declare(P, FR_GEN_F11, 1, FR_GEN_T_PAY, r, 1, "payee shares a phone with another org's official");
      break;
    }
    }
  }
}

static void plant_f12(planter *P) {
  static const struct { int days; int64_t amount; int decoy; const char *what; } s[6] = {
      {30, 60000000, 0, "registered 30 days before a 600000.00 payment"},
      {0, 50000000, 0, "registered the same day; exactly 500000.00"},
      {90, 75000000, 0, "registered exactly 90 days before"},
      {91, 80000000, 1, "registered 91 days before"},
      {10, 49999999, 1, "fresh company, 499999.99"},
      {-5, 90000000, 1, "registered 5 days after the payment"}};
  for (int k = 0; k < 6; k++) {
    uint32_t org = pool_org(P);
    uint64_t v = new_vendor(P);
    int32_t d = pick_day(P, 100, 700, -1);
    ent(P, v)->registered = d - s[k].days;
    uint32_t r = opay(P, org, v, office(P, d), s[k].amount);
    declare(P, FR_GEN_F12, s[k].decoy, FR_GEN_T_PAY, &r, 1, "%s", s[k].what);
  }
}

/* ---- A: approvals --------------------------------------------------------------------- */

typedef struct staff {
  uint64_t clerk, rev, rev2, req, dep, dir, fin, cash;
} staff;

static staff staff_of(planter *P, uint32_t org, int32_t d) {
  staff s;
  s.clerk = official(P, org, FR_GEN_POST_CLERK, 1, d);
  s.rev = official(P, org, FR_GEN_POST_SECTION, 1, d);
  s.rev2 = official(P, org, FR_GEN_POST_SECTION, 2, d);
  s.req = s.rev2;
  s.dep = official(P, org, FR_GEN_POST_DEPUTY, 1, d);
  s.dir = official(P, org, FR_GEN_POST_DIRECTOR, 1, d);
  s.fin = official(P, org, FR_GEN_POST_FINANCE, 1, d);
  s.cash = official(P, org, FR_GEN_POST_CASHIER, 1, d);
  return s;
}

static void plant_a1(planter *P) {
  uint32_t r[1];
  uint32_t org = pool_org(P);
  int64_t t = office(P, pick_day(P, 10, 700, -1));
  staff s = staff_of(P, org, fr_gen_day_of(t));
  r[0] = begin_case(P, org, 0, new_vendor(P), cents(P, 2000, 20000));
  evt(P, t, FR_GEN_ACT_SUBMIT, s.req);
  evt(P, t = wadd(t, 1), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, t = wadd(t, 3), FR_GEN_ACT_REVIEW, s.rev);
  evt(P, t = wadd(t, 2), FR_GEN_ACT_APPROVE, s.req);
  evt(P, t = wadd(t, 2), FR_GEN_ACT_FINAL, s.dir);
  evt(P, wadd(t, 4), FR_GEN_ACT_PAY, s.cash);
  declare(P, FR_GEN_A1, 0, FR_GEN_T_CASE, r, 1, "the requester approved the own request");

  org = pool_org(P), t = office(P, pick_day(P, 10, 700, -1)), s = staff_of(P, org, fr_gen_day_of(t));
  r[0] = begin_case(P, org, 1, new_person(P), FR_GEN_NOTS);
  evt(P, t, FR_GEN_ACT_SUBMIT, P->p->cases[r[0]].applicant);
  evt(P, t = wadd(t, 1), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, t = wadd(t, 3), FR_GEN_ACT_REVIEW, s.rev);
  evt(P, t = wadd(t, 2), FR_GEN_ACT_APPROVE, s.dir);
  evt(P, t = wadd(t, 2), FR_GEN_ACT_FINAL, s.dir);
  evt(P, wadd(t, 1), FR_GEN_ACT_CLOSE, s.clerk);
  declare(P, FR_GEN_A1, 0, FR_GEN_T_CASE, r, 1, "one official gave both approve and final_approve");

  org = pool_org(P), t = office(P, pick_day(P, 10, 700, -1)), s = staff_of(P, org, fr_gen_day_of(t));
  r[0] = begin_case(P, org, 0, new_vendor(P), cents(P, 2000, 20000));
  evt(P, t, FR_GEN_ACT_SUBMIT, s.rev);
  evt(P, t = wadd(t, 1), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, t = wadd(t, 3), FR_GEN_ACT_REVIEW, s.rev);
  evt(P, t = wadd(t, 2), FR_GEN_ACT_APPROVE, s.dep);
  evt(P, t = wadd(t, 2), FR_GEN_ACT_FINAL, s.dir);
  evt(P, wadd(t, 4), FR_GEN_ACT_PAY, s.cash);
  declare(P, FR_GEN_A1, 1, FR_GEN_T_CASE, r, 1, "the submitter only reviewed (four eyes kept)");

  org = pool_org(P), t = office(P, pick_day(P, 10, 700, -1)), s = staff_of(P, org, fr_gen_day_of(t));
  r[0] = opay(P, org, new_vendor(P), t, cents(P, 2000, 50000));
  P->p->pay[r[0]].requester = P->p->pay[r[0]].approver;
  declare(P, FR_GEN_A1, 0, FR_GEN_T_PAY, r, 1, "payment approved by its own requester");
  r[0] = opay(P, org, new_vendor(P), later_workday(t, 2), cents(P, 2000, 50000));
  P->p->pay[r[0]].requester = 0;
  declare(P, FR_GEN_A1, 1, FR_GEN_T_PAY, r, 1, "payment without requester (NULL is skipped)");
}

static void plant_a2(planter *P) {
  uint32_t r[1];
  for (int shape = 0; shape < 5; shape++) {
    uint32_t org = pool_org(P);
    int64_t t = office(P, pick_day(P, 10, 700, -1));
    staff s = staff_of(P, org, fr_gen_day_of(t));
    r[0] = begin_case(P, org, 0, new_vendor(P), cents(P, 5000, 50000));
    evt(P, t, FR_GEN_ACT_SUBMIT, s.req);
    evt(P, t = wadd(t, 1), FR_GEN_ACT_ACCEPT, s.clerk);
    evt(P, t = wadd(t, 3), FR_GEN_ACT_REVIEW, s.rev);
    if (shape == 1) {
      evt(P, t = wadd(t, 2), FR_GEN_ACT_REJECT, s.dir);
      evt(P, wadd(t, 3), FR_GEN_ACT_PAY, s.cash);
      declare(P, FR_GEN_A2, 0, FR_GEN_T_CASE, r, 1, "paid although rejected (no final_approve)");
      continue;
    }
    evt(P, t = wadd(t, 2), FR_GEN_ACT_APPROVE, s.dep);
    t = wadd(t, 3);
    switch (shape) {
    case 0: {
      evt(P, t, FR_GEN_ACT_PAY, s.cash);
      evt(P, wadd(t, 2), FR_GEN_ACT_FINAL, s.dir);
      uint32_t py = opay(P, org, P->p->cases[r[0]].applicant, t, P->cur_amount);
      P->p->pay[py].case_ref = r[0] + 1;
      declare(P, FR_GEN_A2, 0, FR_GEN_T_CASE, r, 1, "paid two hours before final_approve (payment row linked)");
      break;
    }
    case 2:
      evt(P, t, FR_GEN_ACT_PAY, s.cash);
      evt(P, t, FR_GEN_ACT_FINAL, s.dir);
      declare(P, FR_GEN_A2, 0, FR_GEN_T_CASE, r, 1, "pay and final_approve at one instant, pay first in input order");
      break;
    case 3:
      evt(P, t, FR_GEN_ACT_FINAL, s.dir);
      evt(P, t, FR_GEN_ACT_PAY, s.cash);
      declare(P, FR_GEN_A2, 1, FR_GEN_T_CASE, r, 1, "final_approve and pay at one instant, final first");
      break;
    default:
      evt(P, t, FR_GEN_ACT_FINAL, s.dir);
      evt(P, wadd(t, 2), FR_GEN_ACT_CLOSE, s.clerk);
      declare(P, FR_GEN_A2, 1, FR_GEN_T_CASE, r, 1, "approved, never paid");
      break;
    }
  }
}

/* A3: submit (unless no_submit) at t0, accept, review, then approve at t0 + appr and
 * final_approve at t0 + fin (fin < 0: none). */
static void sla_case(planter *P, int64_t t0, int64_t appr, int64_t fin, int no_submit, int decoy, const char *what) {
  uint32_t org = pool_org(P);
  staff s = staff_of(P, org, fr_gen_day_of(t0));
  uint32_t r = begin_case(P, org, 2, new_person(P), FR_GEN_NOTS);
  int64_t t = t0;
  if (!no_submit) evt(P, t, FR_GEN_ACT_SUBMIT, P->p->cases[r].applicant);
  evt(P, t = wadd(t, 1.5), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, wadd(t, 9), FR_GEN_ACT_REVIEW, s.rev);
  if (appr >= 0) evt(P, t0 + appr, FR_GEN_ACT_APPROVE, s.dep);
  if (fin >= 0) {
    evt(P, t0 + fin, FR_GEN_ACT_FINAL, s.dir);
    evt(P, wadd(t0 + fin, 1), FR_GEN_ACT_CLOSE, s.clerk);
  }
  declare(P, FR_GEN_A3, decoy, FR_GEN_T_CASE, &r, 1, "%s", what);
}

static void plant_a3(planter *P) {
  sla_case(P, office(P, pick_day(P, 10, 650, 0)), DAYS(21), DAYS(25), 0, 0, "decided 25 days after submission");
  sla_case(P, office(P, pick_day(P, 10, 650, 2)), DAYS(14), DAYS(20) + SECONDS(1), 0, 0, "decided 20 days and 1 second after");
  sla_case(P, fr_gen_ts(fr_gen_days_from_civil(2024, 9, 2), 10, 0, 0), -1, -1, 0, 0,
           "still open at as_of since 2024-09-02");
  sla_case(P, office(P, pick_day(P, 10, 650, 2)), DAYS(14), DAYS(20), 0, 1, "decided exactly 20 days after");
  sla_case(P, office(P, pick_day(P, 10, 650, 0)), DAYS(35), DAYS(37), 1, 1, "no submit event (skipped)");
  uint32_t org = pool_org(P);
  int64_t t = fr_gen_ts(fr_gen_days_from_civil(2024, 12, 30), 9, 30, 0);
  uint32_t r = begin_case(P, org, 2, new_person(P), FR_GEN_NOTS);
  evt(P, t, FR_GEN_ACT_SUBMIT, P->p->cases[r].applicant);
  evt(P, t + MINUTES(90), FR_GEN_ACT_ACCEPT, staff_of(P, org, fr_gen_day_of(t)).clerk);
  declare(P, FR_GEN_A3, 1, FR_GEN_T_CASE, &r, 1, "open, but submitted 2024-12-30 (within sla of as_of)");
}

/* A4: n cases; the first n_slow reviewed by section chief 1 with waits of slo..shi
 * working hours, the rest by section chief 2 with flo..fhi; accept alo..ahi, the
 * steps after the review olo..ohi. */
static void bottleneck(planter *P, int n, int n_slow, double slo, double shi, double flo, double fhi, double alo,
                       double ahi, double olo, double ohi, int kind) {
  uint32_t org = dedicated_org(P);
  uint32_t all[40], slow[40];
  uint32_t ns = 0;
  for (int k = 0; k < n; k++) {
    /* Submitted 09:xx: accept and a fast review then end the same afternoon, so
     * no fast review wait spans a night and the medians stay apart. */
    int64_t t = early(P, pick_day(P, 10, 680, -1));
    staff s = staff_of(P, org, fr_gen_day_of(t));
    uint32_t c = begin_case(P, org, 1 + (int)rnd(P, 0, 4), new_person(P), FR_GEN_NOTS);
    all[k] = c;
    int is_slow = k < n_slow;
    if (is_slow) slow[ns++] = c;
    double u = fr_gen_unit(&P->r);
    evt(P, t, FR_GEN_ACT_SUBMIT, P->p->cases[c].applicant);
    evt(P, t = wadd(t, alo + (ahi - alo) * fr_gen_unit(&P->r)), FR_GEN_ACT_ACCEPT, s.clerk);
    evt(P, t = wadd(t, is_slow ? slo + (shi - slo) * u : flo + (fhi - flo) * u), FR_GEN_ACT_REVIEW,
        is_slow ? s.rev : s.rev2);
    evt(P, t = wadd(t, olo + (ohi - olo) * fr_gen_unit(&P->r)), FR_GEN_ACT_APPROVE, s.dep);
    evt(P, t = wadd(t, olo + (ohi - olo) * fr_gen_unit(&P->r)), FR_GEN_ACT_FINAL, s.dir);
    evt(P, wadd(t, olo + (ohi - olo) * fr_gen_unit(&P->r)), FR_GEN_ACT_CLOSE, s.clerk);
  }
  fr_gen_decl *d;
  switch (kind) {
  case 0:
    declare(P, FR_GEN_A4, 0, FR_GEN_T_CASE, slow, ns, "review holds most of the org's waiting time");
    d = &P->p->decl[P->p->n_decl - 1];
    d->overlap = 1;
    declare(P, FR_GEN_A4, 0, FR_GEN_T_CASE, slow, ns, "one section chief's reviews wait days (median >= 3x)");
    break;
  case 1:
    declare(P, FR_GEN_A4, 1, FR_GEN_T_CASE, all, (uint32_t)n, "a slow reviewer, but review is < 40%% of the waits");
    break;
  case 2:
    declare(P, FR_GEN_A4, 1, FR_GEN_T_CASE, all, (uint32_t)n, "19 cases, under min_cases");
    break;
  default:
    declare(P, FR_GEN_A4, 0, FR_GEN_T_CASE, slow, ns,
            "review holds most waits; its slow reviewer has only 9 events (must not be flagged)");
    P->p->decl[P->p->n_decl - 1].overlap = 1;
    break;
  }
}

static void plant_a4(planter *P) {
  bottleneck(P, 30, 12, 27, 45, 2, 4, 1, 3, 1, 3, 0);
  /* the slow reviews (3-4 h) end before 17:30, the later steps span nights */
  bottleneck(P, 30, 10, 3, 4, 0.5, 1, 0.5, 1, 4, 6, 1);
  bottleneck(P, 19, 19, 27, 45, 2, 4, 1, 3, 1, 3, 2);
  bottleneck(P, 30, 9, 27, 45, 2, 4, 1, 3, 1, 3, 3);
}

/* A5 per actor: n cases, section chief 1 reviews the first n1 and returns r1 of them,
 * section chief 2 the rest and returns r2. */
static void returns_org(planter *P, int n, int n1, int r1, int r2, int decoy, const char *what) {
  uint32_t org = dedicated_org(P);
  uint32_t ret[40];
  uint32_t nr = 0;
  for (int k = 0; k < n; k++) {
    int64_t t = office(P, pick_day(P, 10, 680, -1));
    staff s = staff_of(P, org, fr_gen_day_of(t));
    uint64_t app = new_person(P);
    uint32_t c = begin_case(P, org, 1 + (int)rnd(P, 0, 4), app, FR_GEN_NOTS);
    int first = k < n1;
    uint64_t rv = first ? s.rev : s.rev2;
    int back = first ? k < r1 : k - n1 < r2;
    if (back && first) ret[nr++] = c;
    evt(P, t, FR_GEN_ACT_SUBMIT, app);
    evt(P, t = wadd(t, 1 + 2 * fr_gen_unit(&P->r)), FR_GEN_ACT_ACCEPT, s.clerk);
    if (back) {
      evt(P, t = wadd(t, 2 + 2 * fr_gen_unit(&P->r)), FR_GEN_ACT_RETURN, rv);
      evt(P, t = wadd(t, 2 + 2 * fr_gen_unit(&P->r)), FR_GEN_ACT_RESUBMIT, app);
    }
    evt(P, t = wadd(t, 2 + 2 * fr_gen_unit(&P->r)), FR_GEN_ACT_REVIEW, rv);
    evt(P, t = wadd(t, 2 + 2 * fr_gen_unit(&P->r)), FR_GEN_ACT_APPROVE, s.dep);
    evt(P, t = wadd(t, 2 + 2 * fr_gen_unit(&P->r)), FR_GEN_ACT_FINAL, s.dir);
    evt(P, wadd(t, 1 + fr_gen_unit(&P->r)), FR_GEN_ACT_CLOSE, s.clerk);
  }
  declare(P, FR_GEN_A5, decoy, FR_GEN_T_CASE, ret, nr, "%s", what);
}

static void plant_a5_actor(planter *P) {
  returns_org(P, 100, 25, 8, 1, 0, "a section chief returns 8 of 25 cases; org rate 9%");
  returns_org(P, 40, 19, 10, 0, 1, "returns 10 of 19 cases, under min_cases 20");
  returns_org(P, 60, 30, 8, 7, 1, "returns 8 of 30, but the org returns 25% (factor 3 not met)");
}

static void plant_a5_visits(planter *P) {
  for (int shape = 0; shape < 3; shape++) {
    uint32_t org = pool_org(P);
    int64_t t = office(P, pick_day(P, 10, 680, -1));
    staff s = staff_of(P, org, fr_gen_day_of(t));
    uint64_t app = new_person(P);
    uint32_t c = begin_case(P, org, 4, app, FR_GEN_NOTS);
    int visits = shape == 0 ? 2 : shape == 1 ? 3 : 1;
    evt(P, t, FR_GEN_ACT_SUBMIT, app);
    evt(P, t = wadd(t, 1), FR_GEN_ACT_ACCEPT, s.clerk);
    for (int v = 0; v < visits; v++) {
      evt(P, t = wadd(t, 4), FR_GEN_ACT_VISIT, app);
      if (v + 1 < visits) {
        evt(P, t = wadd(t, 2), FR_GEN_ACT_RETURN, s.rev);
        evt(P, t = wadd(t, 8), FR_GEN_ACT_RESUBMIT, app);
      }
    }
    evt(P, t = wadd(t, 3), FR_GEN_ACT_REVIEW, s.rev);
    evt(P, t = wadd(t, 2), FR_GEN_ACT_APPROVE, s.dep);
    evt(P, t = wadd(t, 2), FR_GEN_ACT_FINAL, s.dir);
    evt(P, wadd(t, 1), FR_GEN_ACT_CLOSE, s.clerk);
    declare(P, FR_GEN_A5, shape == 2, FR_GEN_T_CASE, &c, 1, "%s",
            shape == 0 ? "applicant had to visit twice" : shape == 1 ? "applicant had to visit three times"
                                                                     : "one visit only");
  }
}

/* The posts row of section chief 1 in org, which planting may end. */
static fr_gen_post *chief_row(planter *P, uint32_t org) {
  for (uint32_t k = P->w->org_post_first[org]; k < P->w->org_post_first[org + 1]; k++)
    if (P->w->posts[k].post == FR_GEN_POST(FR_GEN_POST_SECTION, 1)) return &P->w->posts[k];
  return NULL;
}

static void plant_a6(planter *P) {
  uint32_t org = dedicated_org(P);
  int32_t h = pick_day(P, 150, 540, -1);
  fr_gen_post *row = chief_row(P, org);
  if (!row) {
    P->p->oom = 2;
    return;
  }
  row->end = h;
  uint64_t leaver = PKEY(row->official);
  uint64_t succ = new_person(P);
  fr_gen_post np = {org, FR_GEN_POST(FR_GEN_POST_SECTION, 1), FR_GEN_KEY_IDX(succ), h + 1, FR_GEN_NODAY};
  if (fr_gen_world_add_post(P->w, &np)) P->p->oom = 1;
  staff s = staff_of(P, org, h);
#define AT(k) fr_gen_ts(h + (k), 10, 30, 0) /* distinct days keep case order */
  uint32_t c;
  c = begin_case(P, org, 2, new_person(P), FR_GEN_NOTS);
  evt(P, AT(-10), FR_GEN_ACT_SUBMIT, P->p->cases[c].applicant);
  evt(P, AT(-9), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, AT(-3), FR_GEN_ACT_REVIEW, leaver);
  evt(P, AT(75), FR_GEN_ACT_APPROVE, s.dep);
  evt(P, AT(76), FR_GEN_ACT_FINAL, s.dir);
  declare(P, FR_GEN_A6, 0, FR_GEN_T_CASE, &c, 1, "left by the outgoing section chief, next touched 75 days later");
  c = begin_case(P, org, 2, new_person(P), FR_GEN_NOTS);
  evt(P, AT(-5), FR_GEN_ACT_SUBMIT, P->p->cases[c].applicant);
  evt(P, AT(-4), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, fr_gen_ts(h, 11, 0, 0), FR_GEN_ACT_REVIEW, leaver);
  declare(P, FR_GEN_A6, 0, FR_GEN_T_CASE, &c, 1, "reviewed on the last day in post, never touched again");
  c = begin_case(P, org, 2, new_person(P), FR_GEN_NOTS);
  evt(P, AT(-8), FR_GEN_ACT_SUBMIT, P->p->cases[c].applicant);
  evt(P, AT(-7), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, AT(-2), FR_GEN_ACT_REVIEW, leaver);
  evt(P, fr_gen_ts(h + 60, 10, 0, 0), FR_GEN_ACT_APPROVE, s.dep);
  evt(P, AT(61), FR_GEN_ACT_FINAL, s.dir);
  declare(P, FR_GEN_A6, 1, FR_GEN_T_CASE, &c, 1, "picked up on day h + 60 exactly");
  c = begin_case(P, org, 2, new_person(P), FR_GEN_NOTS);
  evt(P, AT(-10), FR_GEN_ACT_SUBMIT, P->p->cases[c].applicant);
  evt(P, AT(-9), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, AT(-8), FR_GEN_ACT_REVIEW, leaver);
  evt(P, AT(-2), FR_GEN_ACT_APPROVE, s.dep);
  evt(P, AT(80), FR_GEN_ACT_FINAL, s.dir);
  declare(P, FR_GEN_A6, 1, FR_GEN_T_CASE, &c, 1, "stalled, but its last event before h was the deputy's");
  c = begin_case(P, org, 2, new_person(P), FR_GEN_NOTS);
  evt(P, AT(-20), FR_GEN_ACT_SUBMIT, P->p->cases[c].applicant);
  evt(P, AT(-19), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, AT(-15), FR_GEN_ACT_REVIEW, leaver);
  evt(P, AT(-12), FR_GEN_ACT_APPROVE, s.dep);
  evt(P, AT(-10), FR_GEN_ACT_FINAL, s.dir);
  evt(P, AT(-9), FR_GEN_ACT_CLOSE, s.clerk);
  declare(P, FR_GEN_A6, 1, FR_GEN_T_CASE, &c, 1, "decided before the handover");
  /* A post left vacant: no successor. */
  org = dedicated_org(P);
  h = pick_day(P, 150, 540, -1);
  row = chief_row(P, org);
  if (!row) {
    P->p->oom = 2;
    return;
  }
  row->end = h;
  leaver = PKEY(row->official);
  s = staff_of(P, org, h);
  c = begin_case(P, org, 2, new_person(P), FR_GEN_NOTS);
  evt(P, AT(-6), FR_GEN_ACT_SUBMIT, P->p->cases[c].applicant);
  evt(P, AT(-5), FR_GEN_ACT_ACCEPT, s.clerk);
  evt(P, AT(-1), FR_GEN_ACT_REVIEW, leaver);
  declare(P, FR_GEN_A6, 0, FR_GEN_T_CASE, &c, 1, "left by a section chief whose post stayed vacant (no successor)");
#undef AT
}

static void plant_a7(planter *P) {
  static const struct { int64_t amount; int where; int64_t wait_s; int decoy; const char *what; } s7[6] = {
      {200000000, 2, 45, 0, "2000000.00 case, final_approve 45 s after approve"},
      {100000000, 1, 10, 0, "exactly 1000000.00, approve 10 s after review"},
      {150000000, 3, 60, 0, "amount only on the submit event; final_approve after 60 s"},
      {300000000, 2, 120, 1, "waits exactly 120 s"},
      {99999999, 2, 30, 1, "999999.99 case approved in 30 s"},
      {200000000, 0, 30, 1, "only the review came 30 s after the previous step"}};
  for (int k = 0; k < 6; k++) {
    uint32_t org = pool_org(P);
    int64_t t = office(P, pick_day(P, 10, 700, -1));
    staff s = staff_of(P, org, fr_gen_day_of(t));
    int only_submit = s7[k].where == 3;
    uint32_t c = begin_case(P, org, 0, new_vendor(P), only_submit ? FR_GEN_NOTS : s7[k].amount);
    int64_t w = SECONDS(s7[k].wait_s);
    evt_amount(P, t, FR_GEN_ACT_SUBMIT, s.req, only_submit ? s7[k].amount : P->cur_amount);
    evt(P, t = wadd(t, 1), FR_GEN_ACT_ACCEPT, s.clerk);
    evt(P, t = s7[k].where == 0 ? t + w : wadd(t, 3), FR_GEN_ACT_REVIEW, s.rev);
    evt(P, t = s7[k].where == 1 ? t + w : wadd(t, 2), FR_GEN_ACT_APPROVE, s.dep);
    evt(P, t = s7[k].where >= 2 ? t + w : wadd(t, 2), FR_GEN_ACT_FINAL, s.dir);
    evt(P, wadd(t, 3), FR_GEN_ACT_PAY, s.cash);
    declare(P, FR_GEN_A7, s7[k].decoy, FR_GEN_T_CASE, &c, 1, "%s", s7[k].what);
  }
}

/* ---- P: procurement ----------------------------------------------------------------------- */

/* An open tender with the given bidders; bidder `winner` (index, -1: none) bids lowest. */
static uint32_t open_tender(planter *P, uint32_t org, int cat, int64_t published, int awarded,
                            const uint64_t *bidders, int n, int winner) {
  int64_t reserve = cents(P, 500000, 5000000) / 10000 * 10000;
  uint32_t t = tender(P, org, cat, FR_GEN_M_OPEN, reserve, published,
                      awarded ? later_workday(published, 30) : FR_GEN_NOTS);
  for (int k = 0; k < n; k++) {
    int64_t a = k == winner ? reserve * 85 / 100 : reserve * (90 + k) / 100;
    bid(P, bidders[k], a, awarded && k == winner);
  }
  return t;
}

static void plant_p12(planter *P) {
  uint64_t b[3];
  uint32_t t[2];
  for (int shape = 0; shape < 7; shape++) {
    uint32_t org = pool_org(P);
    int cat = (int)rnd(P, 0, FR_GEN_N_CATEGORIES - 1);
    for (int k = 0; k < 3; k++) b[k] = new_vendor(P);
    int64_t pub = office(P, pick_day(P, 10, 650, -1));
    const char *what = "";
    int decoy = shape >= 4;
    switch (shape) {
    case 0: ent(P, b[1])->phone_from = b[0], what = "two bidders share a phone number"; break;
    case 1: ent(P, b[2])->bank_from = b[0], what = "two bidders share a bank account"; break;
    case 2: ent(P, b[1])->address_from = b[0], what = "two bidders share an address"; break;
    case 3:
      relate(P, b[0], b[1], FR_GEN_R_PARENT_CO, fr_gen_days_from_civil(2015, 3, 1),
             fr_gen_days_from_civil(2019, 6, 30));
      what = "two bidders linked by an expired parent_company relation";
      break;
    case 4: {
      uint64_t o[3];
      o[0] = new_vendor(P);
      o[1] = b[1];
      o[2] = new_vendor(P);
      ent(P, b[1])->phone_from = b[0];
      t[1] = open_tender(P, org, cat, later_workday(pub, 3), 1, o, 3, 0);
      what = "bidders sharing a phone, but in different tenders";
      b[1] = new_vendor(P);
      break;
    }
    case 5:
      relate(P, b[0], new_vendor(P), FR_GEN_R_PARENT_CO, FR_GEN_NODAY, FR_GEN_NODAY);
      what = "a bidder related to a company that did not bid";
      break;
    default:
      ent(P, b[0])->null_mask = FR_GEN_NULL_PHONE;
      ent(P, b[1])->null_mask = FR_GEN_NULL_PHONE;
      what = "two bidders with no phone (empty is not shared)";
      break;
    }
    t[0] = open_tender(P, org, cat, pub, 1, b, 3, (int)rnd(P, 0, 2));
    declare(P, FR_GEN_P12, decoy, FR_GEN_T_TENDER, t, shape == 4 ? 2 : 1, "%s", what);
  }
}

/* A direct award of `amount` to `winner` at instant `awarded`. */
static uint32_t award(planter *P, uint32_t org, int cat, int method, uint64_t winner, int64_t amount, int64_t awarded) {
  uint32_t t = tender(P, org, cat, method, amount * 105 / 100, awarded - DAYS(25), awarded);
  if (method == FR_GEN_M_OPEN) {
    bid(P, new_vendor(P), amount + 100000, 0);
    bid(P, new_vendor(P), amount + 200000, 0);
  }
  if (method == FR_GEN_M_NEGOTIATED) bid(P, new_vendor(P), amount + 150000, 0);
  bid(P, winner, amount, 1);
  return t;
}

static void awards(planter *P, const int64_t *amount, const int64_t *gap, const int *method, int n, int decoy,
                   const char *what) {
  uint32_t org = pool_org(P), t[3];
  int cat = (int)rnd(P, 0, FR_GEN_N_CATEGORIES - 1);
  uint64_t w = new_vendor(P);
  int64_t at = office(P, pick_day(P, 40, 620, 1));
  for (int k = 0; k < n; k++) {
    at += gap[k];
    t[k] = award(P, org, cat, method[k], w, amount[k], at);
  }
  declare(P, FR_GEN_P13, decoy, FR_GEN_T_TENDER, t, (uint32_t)n, "%s", what);
}

static void plant_p13(planter *P) {
  const int S = FR_GEN_M_SINGLE, N = FR_GEN_M_NEGOTIATED, O = FR_GEN_M_OPEN;
  awards(P, (int64_t[]){60000000, 50000000}, (int64_t[]){0, DAYS(40)}, (int[]){S, N}, 2, 0,
         "two direct awards 600000 + 500000 within 40 days");
  awards(P, (int64_t[]){40000000, 40000000, 40000000}, (int64_t[]){0, DAYS(45), DAYS(45)}, (int[]){S, S, N}, 3, 0,
         "three awards of 400000 45 days apart");
  awards(P, (int64_t[]){55000000, 55000000}, (int64_t[]){0, DAYS(90)}, (int[]){S, S}, 2, 0,
         "two awards exactly 90 days apart");
  awards(P, (int64_t[]){60000000, 60000000}, (int64_t[]){0, DAYS(90) + SECONDS(1)}, (int[]){S, S}, 2, 1,
         "90 days and 1 second apart");
  awards(P, (int64_t[]){50000000, 49999999}, (int64_t[]){0, DAYS(30)}, (int[]){S, N}, 2, 1,
         "together 999999.99, under the threshold");
  awards(P, (int64_t[]){60000000, 60000000}, (int64_t[]){0, DAYS(30)}, (int[]){O, S}, 2, 1,
         "one of the two was an open tender");
  awards(P, (int64_t[]){120000000, 30000000}, (int64_t[]){0, DAYS(30)}, (int[]){S, S}, 2, 1,
         "the 1200000 award is itself over the threshold");
}

static void concentration(planter *P, int n_awarded, int x_wins, int n_open, int decoy, const char *what) {
  uint32_t org = dedicated_org(P), won[16];
  uint32_t nw = 0;
  int cat = (int)rnd(P, 0, FR_GEN_N_CATEGORIES - 1);
  uint64_t x = new_vendor(P);
  for (int k = 0; k < n_awarded + n_open; k++) {
    uint64_t b[3];
    b[0] = x;
    b[1] = new_vendor(P);
    b[2] = new_vendor(P);
    int awarded = k < n_awarded;
    int winner = awarded ? (k < x_wins ? 0 : 1) : -1;
    uint32_t t = open_tender(P, org, cat, office(P, pick_day(P, 10, 680, -1)), awarded, b, 3, winner);
    if (winner == 0) won[nw++] = t;
  }
  declare(P, FR_GEN_P14, decoy, FR_GEN_T_TENDER, won, nw, "%s", what);
}

static void plant_p14(planter *P) {
  concentration(P, 12, 7, 0, 0, "one firm won 7 of the org's 12 awarded tenders in a category");
  concentration(P, 10, 5, 0, 0, "won exactly 5 of 10 (share 0.5)");
  concentration(P, 10, 5, 2, 0, "won 5 of 10 awarded; 2 more tenders were never awarded");
  concentration(P, 9, 9, 0, 1, "won all 9, under min_tenders");
  concentration(P, 12, 5, 0, 1, "won 5 of 12");
}

/* ---- W: welfare ------------------------------------------------------------------------------- */

static int64_t payday(planter *P, int month) {
  int32_t d = fr_gen_days_from_civil(2023 + month / 12, month % 12 + 1, 8 + (int)rnd(P, 0, 6));
  return early(P, fr_gen_next_workday(d));
}

static uint32_t bg_org(planter *P) { return (uint32_t)rnd(P, 0, P->w->n_org_bg - 1); }

static void plant_w1(planter *P) {
  uint32_t r[3];
  for (int shape = 0; shape < 6; shape++) {
    uint32_t org = bg_org(P), vil = 1000000 + P->village_next++;
    int m = (int)rnd(P, 1, 21);
    int64_t t = payday(P, m);
    uint64_t a = new_person(P), b = new_person(P);
    switch (shape) {
    case 0:
      r[0] = payout(P, org, vil, a, 0, t, 80000);
      r[1] = payout(P, org, vil, a, 0, later_workday(t, 3), 80000);
      declare(P, FR_GEN_W1, 0, FR_GEN_T_PAYOUT, r, 2, "paid twice in one month by one programme");
      break;
    case 1:
      ent(P, b)->idno_from = a;
      r[0] = payout(P, org, vil, a, 0, t, 75000);
      r[1] = payout(P, org, vil, b, 0, t + MINUTES(7), 75000);
      declare(P, FR_GEN_W1, 0, FR_GEN_T_PAYOUT, r, 2, "one id_no registered as two beneficiaries");
      break;
    case 2:
      r[0] = payout(P, org, vil, a, 1, t, 120000);
      r[1] = payout(P, org, vil, a, 1, later_workday(t, 2), 120000);
      r[2] = payout(P, org, vil, a, 1, later_workday(t, 5), 120000);
      declare(P, FR_GEN_W1, 0, FR_GEN_T_PAYOUT, r, 3, "paid three times in one month");
      break;
    case 3:
      r[0] = payout(P, org, vil, a, 0, t, 80000);
      r[1] = payout(P, org, vil, a, 0, payday(P, m + 1), 80000);
      declare(P, FR_GEN_W1, 1, FR_GEN_T_PAYOUT, r, 2, "paid in two consecutive months");
      break;
    case 4:
      ent(P, b)->idno_from = a;
      r[0] = payout(P, org, vil, a, 0, t, 80000);
      r[1] = payout(P, org, vil, b, 2, t + MINUTES(3), 20000);
      declare(P, FR_GEN_W1, 1, FR_GEN_T_PAYOUT, r, 2, "one id_no, two different programmes");
      break;
    default:
      ent(P, a)->null_mask = FR_GEN_NULL_IDNO;
      ent(P, b)->null_mask = FR_GEN_NULL_IDNO;
      r[0] = payout(P, org, vil, a, 0, t, 80000);
      r[1] = payout(P, org, vil, b, 0, t + MINUTES(2), 80000);
      declare(P, FR_GEN_W1, 1, FR_GEN_T_PAYOUT, r, 2, "two beneficiaries without id_no (distinct persons)");
      break;
    }
  }
}

static void plant_w2(planter *P) {
  static const struct { int after; int decoy; const char *what; } s[4] = {
      {31, 0, "paid a month after the recorded death"},
      {1, 0, "paid the day after death"},
      {0, 1, "paid on the day of death"},
      {-20, 1, "died 20 days after the payout"}};
  for (int k = 0; k < 4; k++) {
    uint32_t org = bg_org(P), vil = 1000000 + P->village_next++;
    int64_t t = payday(P, (int)rnd(P, 1, 22));
    uint64_t a = new_person(P);
    ent(P, a)->deceased = fr_gen_day_of(t) - s[k].after;
    uint32_t r = payout(P, org, vil, a, 2, t, 20000);
    declare(P, FR_GEN_W2, s[k].decoy, FR_GEN_T_PAYOUT, &r, 1, "%s", s[k].what);
  }
}

static void plant_w3(planter *P) {
  for (int k = 0; k < 5; k++) {
    uint32_t org = bg_org(P), vil = 1000000 + P->village_next++;
    int64_t t = payday(P, (int)rnd(P, 1, 22));
    int32_t d = fr_gen_day_of(t);
    uint64_t ben = new_person(P);
    uint64_t off = official(P, org, FR_GEN_POST_DIRECTOR, 1, d);
    const char *what;
    int decoy = k >= 2;
    if (k == 0) {
      relate(P, off, ben, FR_GEN_R_SPOUSE, FR_GEN_NODAY, FR_GEN_NODAY);
      what = "spouse of the paying org's director";
    } else if (k == 1) {
      relate(P, ben, off, FR_GEN_R_SIBLING, FR_GEN_NODAY, FR_GEN_NODAY);
      what = "sibling of the paying org's director (b->a)";
    } else if (k == 2) {
      uint32_t other = (org + 1) % P->w->n_org_bg;
      relate(P, official(P, other, FR_GEN_POST_DIRECTOR, 1, d), ben, FR_GEN_R_SPOUSE, FR_GEN_NODAY, FR_GEN_NODAY);
      what = "relative of another org's director";
    } else if (k == 3) {
      /* An official whose tenure in the paying org ended before the payout. */
      const fr_gen_post *ended = NULL;
      for (uint32_t j = 0; j < P->w->n_posts && !ended; j++) {
        const fr_gen_post *q = &P->w->posts[(j * 7919u + (uint32_t)rnd(P, 0, 1000)) % P->w->n_posts];
        if (q->org < P->w->n_org_bg && q->end != FR_GEN_NODAY && q->end > FR_GEN_DAY0 + 30 &&
            q->end < FR_GEN_DAY_END - 60)
          ended = q;
      }
      if (!ended) continue;
      org = ended->org;
      t = fr_gen_ts(fr_gen_next_workday(ended->end + 20), 9, 30, 0);
      d = fr_gen_day_of(t);
      relate(P, PKEY(ended->official), ben, FR_GEN_R_IN_LAW, FR_GEN_NODAY, FR_GEN_NODAY);
      what = "relative of an official who had left the org before the payout";
    } else {
      relate(P, off, ben, FR_GEN_R_SPOUSE, fr_gen_days_from_civil(2010, 5, 1), d - 1);
      what = "relation ended the day before the payout";
    }
    uint32_t r = payout(P, org, vil, ben, 0, t, 90000);
    declare(P, FR_GEN_W3, decoy, FR_GEN_T_PAYOUT, &r, 1, "%s", what);
  }
}

/* ---- build ---------------------------------------------------------------------------------- */

int fr_gen_plant_build(fr_gen_plant *p, fr_gen_world *w, uint64_t rows, double rate) {
  plan pl;
  make_plan(&pl, rows, rate);
  memset(p, 0, sizeof *p);
  p->n_pool = pl.pool;
  p->n_dedicated = pl.dedicated;
  p->approvals_as_of = INT64_MIN;
  w->plant = p;
  planter P;
  memset(&P, 0, sizeof P);
  P.p = p;
  P.w = w;
  P.r = fr_gen_rng_at(w->seed, FR_GEN_S_PLANT, 0);
  for (uint32_t s = 0; s < pl.sets; s++) {
    plant_f1(&P);
    plant_f2(&P);
    plant_f3(&P);
    plant_f5(&P);
    plant_f6(&P);
    plant_f7(&P);
    plant_f8(&P);
    plant_f10(&P);
    plant_f11(&P);
    plant_f12(&P);
    plant_a1(&P);
    plant_a2(&P);
    plant_a3(&P);
    plant_a5_visits(&P);
    plant_a6(&P);
    plant_a7(&P);
    plant_p12(&P);
    plant_p13(&P);
    plant_w1(&P);
    plant_w2(&P);
    plant_w3(&P);
  }
  for (uint32_t s = 0; s < pl.sets_f4; s++) plant_f4(&P);
  for (uint32_t s = 0; s < pl.sets_f9; s++) plant_f9(&P);
  for (uint32_t s = 0; s < pl.sets_a4; s++) plant_a4(&P);
  for (uint32_t s = 0; s < pl.sets_a5; s++) plant_a5_actor(&P);
  for (uint32_t s = 0; s < pl.sets_p14; s++) plant_p14(&P);
  if (p->oom == 2 || p->next_dedicated > p->n_dedicated) return FR_GEN_EINTERNAL;
  if (p->oom) return FR_GEN_ENOMEM;
  return fr_gen_world_index(w);
}

typedef struct sort_key {
  int64_t key;
  uint32_t idx;
} sort_key;

static int sort_key_cmp(const void *a, const void *b) {
  const sort_key *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->idx > y->idx) - (x->idx < y->idx);
}

static uint32_t *order_by(uint32_t n, int64_t (*key)(const fr_gen_plant *, uint32_t), const fr_gen_plant *p) {
  sort_key *s = malloc((n ? n : 1) * sizeof *s);
  uint32_t *out = malloc((n ? n : 1) * sizeof *out);
  if (!s || !out) {
    free(s);
    free(out);
    return NULL;
  }
  for (uint32_t k = 0; k < n; k++) s[k] = (sort_key){key(p, k), k};
  qsort(s, n, sizeof *s, sort_key_cmp);
  for (uint32_t k = 0; k < n; k++) out[k] = s[k].idx;
  free(s);
  return out;
}

static int64_t pay_key(const fr_gen_plant *p, uint32_t k) { return p->pay[k].ts; }
static int64_t case_key(const fr_gen_plant *p, uint32_t k) { return (int64_t)p->cases[k].block; }
static int64_t tend_key(const fr_gen_plant *p, uint32_t k) { return p->tend[k].published; }
static int64_t out_key(const fr_gen_plant *p, uint32_t k) { return p->out[k].ts; }

int fr_gen_plant_sort(fr_gen_plant *p) {
  free(p->pay_order);
  free(p->case_order);
  free(p->tend_order);
  free(p->out_order);
  p->pay_order = order_by(p->n_pay, pay_key, p);
  p->case_order = order_by(p->n_case, case_key, p);
  p->tend_order = order_by(p->n_tend, tend_key, p);
  p->out_order = order_by(p->n_out, out_key, p);
  if (!p->pay_order || !p->case_order || !p->tend_order || !p->out_order) return FR_GEN_ENOMEM;
  return FR_GEN_OK;
}

void fr_gen_plant_free(fr_gen_plant *p) {
  free(p->pay);
  free(p->pay_order);
  free(p->cases);
  free(p->case_order);
  free(p->ev);
  free(p->tend);
  free(p->tend_order);
  free(p->bids);
  free(p->out);
  free(p->out_order);
  free(p->rel);
  free(p->vend);
  free(p->pers);
  free(p->decl);
  free(p->refs);
  memset(p, 0, sizeof *p);
}
