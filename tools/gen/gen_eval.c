/* gen_eval.c: reference evaluators of DETECTORS.md over the planted rows, and
 * truth.csv.
 *
 * Each evaluator is the naive, literal reading of one definition with its
 * default parameters, run over the planted payments, cases, tenders and payouts
 * (the background shares no partition with them; see gen_plant.h). Their output
 * is the truth: every finding becomes a `planted` row (described by the
 * declaration it matches, or as incidental when a planted row meets another
 * definition too), every decoy declaration a `decoy` row. A planted declaration
 * that no finding matches, or a decoy that a finding touches, is an internal
 * error: the generator would otherwise publish a wrong answer key.
 * Workload: anomaly-rate x rows planted rows; quadratic only inside partitions.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_plant.h"
#include "gen_tables.h"
#include "gen_time.h"

typedef struct finding {
  uint8_t det, table;
  uint32_t first, n;  /* rows in E->rows, sorted, unique */
} finding;

typedef struct evalctx {
  const fr_gen_world *w;
  const fr_gen_plant *p;
  finding *f;
  uint32_t nf, capf;
  uint32_t *rows;
  uint32_t nrows, caprows;
  int oom;
} evalctx;

static int u32_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* Row order of evidence: by key, which follows output order for every table. */
static uint64_t row_key(const fr_gen_plant *p, int table, uint32_t r) {
  switch (table) {
  case FR_GEN_T_PAY: return p->pay[r].txn_no;
  case FR_GEN_T_CASE: return fr_gen_case_number(p->cases[r].seq);
  case FR_GEN_T_TENDER: return p->tend[r].tender_no;
  default: return p->out[r].payout_no;
  }
}

static void add_finding(evalctx *E, int det, int table, const uint32_t *rows, uint32_t n) {
  if (E->nf == E->capf) {
    uint32_t cap = E->capf ? E->capf * 2 : 256;
    finding *nf = realloc(E->f, cap * sizeof *nf);
    if (!nf) {
      E->oom = 1;
      return;
    }
    E->f = nf;
    E->capf = cap;
  }
  while (E->nrows + n > E->caprows) {
    uint32_t cap = E->caprows ? E->caprows * 2 : 4096;
    uint32_t *nr = realloc(E->rows, cap * sizeof *nr);
    if (!nr) {
      E->oom = 1;
      return;
    }
    E->rows = nr;
    E->caprows = cap;
  }
  uint32_t *dst = E->rows + E->nrows;
  memcpy(dst, rows, n * sizeof *rows);
  qsort(dst, n, sizeof *dst, u32_cmp);
  uint32_t m = 0;
  for (uint32_t k = 0; k < n; k++)
    if (!m || dst[m - 1] != dst[k]) dst[m++] = dst[k];
  E->f[E->nf++] = (finding){(uint8_t)det, (uint8_t)table, E->nrows, m};
  E->nrows += m;
}

/* ---- sorting helpers (qsort has no context: sort (key, row) pairs) ------------- */

typedef struct kv {
  uint64_t k1, k2, k3, k4;
  uint32_t row;
} kv;

static int kv_cmp(const void *a, const void *b) {
  const kv *x = a, *y = b;
  if (x->k1 != y->k1) return x->k1 < y->k1 ? -1 : 1;
  if (x->k2 != y->k2) return x->k2 < y->k2 ? -1 : 1;
  if (x->k3 != y->k3) return x->k3 < y->k3 ? -1 : 1;
  if (x->k4 != y->k4) return x->k4 < y->k4 ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

static uint64_t ts_key(int64_t ts) { return (uint64_t)ts ^ 0x8000000000000000ULL; }

static kv *kv_alloc(evalctx *E, uint32_t n) {
  kv *v = malloc((n ? n : 1) * sizeof *v);
  if (!v) E->oom = 1;
  return v;
}

#define DAY_US FR_GEN_US_PER_DAY

/* ---- F ------------------------------------------------------------------------------- */

static uint64_t invoice_norm_hash(const char *s, int *out_empty) {
  uint64_t h = 1469598103934665603ULL;
  int n = 0;
  for (; *s; s++) {
    char c = *s;
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      h = (h ^ (unsigned char)c) * 1099511628211ULL;
      n++;
    }
  }
  *out_empty = n == 0;
  return h;
}

static void norm_text(char *out, const char *s) {
  for (; *s; s++) {
    char c = *s;
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) *out++ = c;
  }
  *out = 0;
}

static void eval_f1(evalctx *E) {
  const fr_gen_plant *p = E->p;
  kv *v = kv_alloc(E, p->n_pay);
  if (!v) return;
  uint32_t n = 0;
  for (uint32_t k = 0; k < p->n_pay; k++) {
    int empty;
    if (!p->pay[k].invoice[0]) continue;
    uint64_t h = invoice_norm_hash(p->pay[k].invoice, &empty);
    if (empty) continue;
    v[n++] = (kv){p->pay[k].payee, (uint64_t)p->pay[k].amount, h, p->pay[k].txn_no, k};
  }
  qsort(v, n, sizeof *v, kv_cmp);
  uint32_t rows[256];
  for (uint32_t a = 0, b; a < n; a = b) {
    char na[32], nb[32];
    norm_text(na, p->pay[v[a].row].invoice);
    uint32_t m = 0;
    for (b = a; b < n && v[b].k1 == v[a].k1 && v[b].k2 == v[a].k2 && v[b].k3 == v[a].k3; b++) {
      norm_text(nb, p->pay[v[b].row].invoice);
      if (strcmp(na, nb) == 0 && m < 256) rows[m++] = v[b].row; /* guard the hash */
    }
    if (m >= 2) add_finding(E, FR_GEN_F1, FR_GEN_T_PAY, rows, m);
  }
  free(v);
}

static void eval_f2(evalctx *E) {
  const fr_gen_plant *p = E->p;
  kv *v = kv_alloc(E, p->n_pay);
  if (!v) return;
  uint32_t n = 0;
  for (uint32_t k = 0; k < p->n_pay; k++)
    if (p->pay[k].amount >= 100000)
      v[n++] = (kv){p->pay[k].payer, p->pay[k].payee, (uint64_t)p->pay[k].amount,
                    ts_key(p->pay[k].ts) , k};
  qsort(v, n, sizeof *v, kv_cmp); /* runs depend on gaps only, not on tie order */
  uint32_t rows[512];
  for (uint32_t a = 0, b; a < n; a = b) {
    for (b = a; b < n && v[b].k1 == v[a].k1 && v[b].k2 == v[a].k2 && v[b].k3 == v[a].k3; b++) {
    }
    uint32_t m = 0;
    for (uint32_t k = a; k < b; k++) {
      if (m && p->pay[v[k].row].ts - p->pay[rows[m - 1]].ts > 3 * DAY_US) {
        if (m >= 2) add_finding(E, FR_GEN_F2, FR_GEN_T_PAY, rows, m);
        m = 0;
      }
      if (m < 512) rows[m++] = v[k].row;
    }
    if (m >= 2) add_finding(E, FR_GEN_F2, FR_GEN_T_PAY, rows, m);
  }
  free(v);
}

static void eval_f3(evalctx *E) {
  const fr_gen_plant *p = E->p;
  kv *v = kv_alloc(E, p->n_pay);
  uint8_t *flag = calloc(p->n_pay ? p->n_pay : 1, 1);
  if (!v || !flag) {
    E->oom = 1;
    free(v);
    free(flag);
    return;
  }
  uint32_t n = 0;
  for (uint32_t k = 0; k < p->n_pay; k++)
    if (p->pay[k].amount >= 8000000 && p->pay[k].amount < 10000000)
      v[n++] = (kv){p->pay[k].org, p->pay[k].payee, ts_key(p->pay[k].ts), p->pay[k].txn_no, k};
  qsort(v, n, sizeof *v, kv_cmp);
  uint32_t rows[512];
  for (uint32_t a = 0, b; a < n; a = b) {
    for (b = a; b < n && v[b].k1 == v[a].k1 && v[b].k2 == v[a].k2; b++) {
    }
    for (uint32_t q = a; q < b; q++) {
      int64_t t0 = p->pay[v[q].row].ts, sum = 0;
      uint32_t cnt = 0;
      for (uint32_t k = a; k < b; k++) {
        int64_t t = p->pay[v[k].row].ts;
        if (t >= t0 && t <= t0 + 7 * DAY_US) sum += p->pay[v[k].row].amount, cnt++;
      }
      if (cnt >= 2 && sum >= 10000000)
        for (uint32_t k = a; k < b; k++) {
          int64_t t = p->pay[v[k].row].ts;
          if (t >= t0 && t <= t0 + 7 * DAY_US) flag[v[k].row] = 1;
        }
    }
    uint32_t m = 0;
    for (uint32_t k = a; k < b; k++) {
      uint32_t r = v[k].row;
      if (!flag[r]) continue;
      if (m && p->pay[r].ts - p->pay[rows[m - 1]].ts > 7 * DAY_US) {
        add_finding(E, FR_GEN_F3, FR_GEN_T_PAY, rows, m);
        m = 0;
      }
      if (m < 512) rows[m++] = r;
    }
    if (m) add_finding(E, FR_GEN_F3, FR_GEN_T_PAY, rows, m);
  }
  free(v);
  free(flag);
}

static int first_two(int64_t cents) {
  int64_t ip = cents / 100;
  while (ip >= 100) ip /= 10;
  return (int)ip;
}

static void eval_f4(evalctx *E) {
  const fr_gen_plant *p = E->p;
  kv *v = kv_alloc(E, p->n_pay);
  uint32_t *rows = malloc((p->n_pay ? p->n_pay : 1) * sizeof *rows);
  if (!v || !rows) {
    E->oom = 1;
    free(v);
    free(rows);
    return;
  }
  uint32_t n = 0;
  for (uint32_t k = 0; k < p->n_pay; k++)
    if (p->pay[k].amount >= 1000) v[n++] = (kv){p->pay[k].org, p->pay[k].txn_no, 0, 0, k};
  qsort(v, n, sizeof *v, kv_cmp);
  for (uint32_t a = 0, b; a < n; a = b) {
    for (b = a; b < n && v[b].k1 == v[a].k1; b++) {
    }
    uint32_t cnt = b - a;
    if (cnt < 1000) continue;
    uint32_t c[100] = {0};
    for (uint32_t k = a; k < b; k++) c[first_two(p->pay[v[k].row].amount)]++;
    double mad = 0, sd = 0, ex[100];
    for (int d = 10; d < 100; d++) {
      double e = log10(1.0 + 1.0 / d), pd = (double)c[d] / cnt;
      mad += fabs(pd - e);
      sd += sqrt(e * (1 - e));
      ex[d] = pd - e;
    }
    mad /= 90, sd /= 90;
    if (mad - sqrt(2.0 / (M_PI * cnt)) * sd <= 0.0022) continue;
    int top[3] = {0, 0, 0};
    for (int t = 0; t < 3; t++)
      for (int d = 10; d < 100; d++) {
        if (d == top[0] || d == top[1]) continue;
        if (!top[t] || ex[d] > ex[top[t]]) top[t] = d;
      }
    uint32_t m = 0;
    for (uint32_t k = a; k < b && m < 1000; k++) { /* v is in txn order within the org */
      int d = first_two(p->pay[v[k].row].amount);
      if (d == top[0] || d == top[1] || d == top[2]) rows[m++] = v[k].row;
    }
    add_finding(E, FR_GEN_F4, FR_GEN_T_PAY, rows, m);
  }
  free(v);
  free(rows);
}

/* Payments by payer, in ts order (ties: output order). */
typedef struct by_payer {
  kv *v;
  uint32_t n;
} by_payer;

static int by_payer_init(evalctx *E, by_payer *bp) {
  const fr_gen_plant *p = E->p;
  bp->v = kv_alloc(E, p->n_pay);
  if (!bp->v) return -1;
  for (uint32_t k = 0; k < p->n_pay; k++)
    bp->v[k] = (kv){p->pay[k].payer, ts_key(p->pay[k].ts), p->pay[k].txn_no, 0, k};
  bp->n = p->n_pay;
  qsort(bp->v, bp->n, sizeof *bp->v, kv_cmp);
  return 0;
}

static uint32_t by_payer_first(const by_payer *bp, uint64_t payer) {
  uint32_t lo = 0, hi = bp->n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (bp->v[mid].k1 < payer) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static void cycle_dfs(evalctx *E, const by_payer *bp, uint32_t *path, int k) {
  const fr_gen_plant *p = E->p;
  const fr_gen_ppay *p1 = &p->pay[path[0]], *last = &p->pay[path[k - 1]];
  for (uint32_t j = by_payer_first(bp, last->payee); j < bp->n && bp->v[j].k1 == last->payee; j++) {
    const fr_gen_ppay *q = &p->pay[bp->v[j].row];
    if (q->ts <= last->ts || q->ts - p1->ts > 30 * DAY_US) continue;
    int64_t diff = q->amount - p1->amount;
    if ((diff < 0 ? -diff : diff) * 10 > p1->amount) continue;
    int dup = 0;
    for (int i = 0; i < k && !dup; i++) dup = p->pay[path[i]].payer == q->payer;
    if (dup) continue;
    path[k] = bp->v[j].row;
    if (q->payee == p1->payer) add_finding(E, FR_GEN_F5, FR_GEN_T_PAY, path, (uint32_t)k + 1);
    else if (k + 1 < 4) cycle_dfs(E, bp, path, k + 1);
  }
}

static void eval_f5_f6_f7(evalctx *E) {
  const fr_gen_plant *p = E->p;
  by_payer bp;
  if (by_payer_init(E, &bp)) return;
  uint32_t path[4];
  for (uint32_t k = 0; k < p->n_pay; k++)
    if (p->pay[k].amount >= 1000000) {
      path[0] = k;
      cycle_dfs(E, &bp, path, 1);
    }
  /* F6 */
  uint32_t rows[256];
  for (uint32_t k = 0; k < p->n_pay; k++) {
    const fr_gen_ppay *in = &p->pay[k];
    if (in->amount < 5000000) continue;
    uint32_t m = 0;
    int64_t out = 0;
    rows[m++] = k;
    for (uint32_t j = by_payer_first(&bp, in->payee); j < bp.n && bp.v[j].k1 == in->payee; j++) {
      const fr_gen_ppay *o = &p->pay[bp.v[j].row];
      if (o->ts > in->ts && o->ts <= in->ts + 48 * 3600 * FR_GEN_US_PER_S) {
        out += o->amount;
        if (m < 256) rows[m++] = bp.v[j].row;
      }
    }
    if (out * 10 >= in->amount * 9) add_finding(E, FR_GEN_F6, FR_GEN_T_PAY, rows, m);
  }
  /* F7: per source S and window start q; evidence is collected per (S, G). */
  typedef struct mrec { uint64_t m; int64_t rec, t0; } mrec;
  typedef struct grec { uint32_t mi; uint64_t g; int64_t got; } grec;
  typedef struct sg { uint64_t s, g; uint32_t *rows; uint32_t n, cap; } sg;
  sg *acc = NULL;
  mrec *ms = malloc((p->n_pay ? p->n_pay : 1) * sizeof *ms);
  grec *gs = NULL;
  uint32_t nacc = 0, capacc = 0, capgs = 0;
  if (!ms) {
    E->oom = 1;
    goto f7_done;
  }
  for (uint32_t a = 0, b; a < bp.n; a = b) {
    for (b = a; b < bp.n && bp.v[b].k1 == bp.v[a].k1; b++) {
    }
    uint64_t S = bp.v[a].k1;
    for (uint32_t q = a; q < b; q++) {
      int64_t t0 = p->pay[bp.v[q].row].ts;
      uint32_t w0 = q, w1 = q, nm = 0, ng = 0;
      while (w0 > a && p->pay[bp.v[w0 - 1].row].ts == t0) w0--;
      while (w1 < b && p->pay[bp.v[w1].row].ts <= t0 + 3 * DAY_US) w1++;
      for (uint32_t i = w0; i < w1; i++) {
        const fr_gen_ppay *s = &p->pay[bp.v[i].row];
        uint32_t k;
        for (k = 0; k < nm && ms[k].m != s->payee; k++) {
        }
        if (k == nm) ms[nm++] = (mrec){s->payee, 0, INT64_MAX};
        ms[k].rec += s->amount;
        if (s->ts < ms[k].t0) ms[k].t0 = s->ts;
      }
      for (uint32_t k = 0; k < nm; k++)
        for (uint32_t j = by_payer_first(&bp, ms[k].m); j < bp.n && bp.v[j].k1 == ms[k].m; j++) {
          const fr_gen_ppay *g = &p->pay[bp.v[j].row];
          if (g->ts < ms[k].t0 || g->ts > ms[k].t0 + 7 * DAY_US) continue;
          uint32_t x;
          for (x = 0; x < ng && !(gs[x].mi == k && gs[x].g == g->payee); x++) {
          }
          if (x == ng) {
            if (ng == capgs) {
              uint32_t nc = capgs ? capgs * 2 : 64;
              grec *nn = realloc(gs, nc * sizeof *nn);
              if (!nn) {
                E->oom = 1;
                goto f7_done;
              }
              gs = nn;
              capgs = nc;
            }
            gs[ng++] = (grec){k, g->payee, 0};
          }
          gs[x].got += g->amount;
        }
      for (uint32_t x = 0; x < ng; x++) {
        uint64_t G = gs[x].g;
        int first = 1;
        for (uint32_t y = 0; y < x && first; y++) first = gs[y].g != G;
        if (!first) continue;
        uint32_t fan = 0;
        for (uint32_t y = x; y < ng; y++)
          if (gs[y].g == G && gs[y].got * 10 >= ms[gs[y].mi].rec * 8) fan++;
        if (fan < 5) continue;
        uint32_t s;
        for (s = 0; s < nacc && !(acc[s].s == S && acc[s].g == G); s++) {
        }
        if (s == nacc) {
          if (nacc == capacc) {
            uint32_t nc = capacc ? capacc * 2 : 16;
            sg *na = realloc(acc, nc * sizeof *na);
            if (!na) {
              E->oom = 1;
              goto f7_done;
            }
            acc = na;
            capacc = nc;
          }
          acc[nacc++] = (sg){S, G, NULL, 0, 0};
        }
        for (uint32_t y = x; y < ng; y++) {
          if (gs[y].g != G || gs[y].got * 10 < ms[gs[y].mi].rec * 8) continue;
          const mrec *m = &ms[gs[y].mi];
          for (int pass = 0; pass < 2; pass++) {
            uint32_t lo = pass ? by_payer_first(&bp, m->m) : w0, hi = pass ? bp.n : w1;
            for (uint32_t j = lo; j < hi; j++) {
              const fr_gen_ppay *r = &p->pay[bp.v[j].row];
              if (pass && bp.v[j].k1 != m->m) break;
              int take = pass ? r->payee == G && r->ts >= m->t0 && r->ts <= m->t0 + 7 * DAY_US : r->payee == m->m;
              if (!take) continue;
              sg *t = &acc[s];
              if (t->n == t->cap) {
                uint32_t nc = t->cap ? t->cap * 2 : 32;
                uint32_t *nr = realloc(t->rows, nc * sizeof *nr);
                if (!nr) {
                  E->oom = 1;
                  goto f7_done;
                }
                t->rows = nr;
                t->cap = nc;
              }
              t->rows[t->n++] = bp.v[j].row;
            }
          }
        }
      }
    }
  }
  for (uint32_t s = 0; s < nacc; s++) add_finding(E, FR_GEN_F7, FR_GEN_T_PAY, acc[s].rows, acc[s].n);
f7_done:
  for (uint32_t s = 0; s < nacc; s++) free(acc[s].rows);
  free(acc);
  free(ms);
  free(gs);
  free(bp.v);
}

static void eval_f8(evalctx *E) {
  const fr_gen_plant *p = E->p;
  kv *v = kv_alloc(E, p->n_pay);
  if (!v) return;
  uint32_t n = 0;
  for (uint32_t k = 0; k < p->n_pay; k++)
    if (p->pay[k].amount >= 1000000 && p->pay[k].approver && fr_gen_is_off_hours(p->pay[k].ts))
      v[n++] = (kv){p->pay[k].approver, p->pay[k].txn_no, 0, 0, k};
  qsort(v, n, sizeof *v, kv_cmp);
  uint32_t rows[512];
  for (uint32_t a = 0, b; a < n; a = b) {
    uint32_t m = 0;
    for (b = a; b < n && v[b].k1 == v[a].k1; b++)
      if (m < 512) rows[m++] = v[b].row;
    if (m >= 3) add_finding(E, FR_GEN_F8, FR_GEN_T_PAY, rows, m);
  }
  free(v);
}

static void eval_f9(evalctx *E) {
  const fr_gen_plant *p = E->p;
  kv *v = kv_alloc(E, p->n_pay);
  if (!v) return;
  for (uint32_t k = 0; k < p->n_pay; k++) {
    int mi = fr_gen_month_index(fr_gen_day_of(p->pay[k].ts));
    v[k] = (kv){p->pay[k].org, (uint64_t)(mi / 12), (uint64_t)(mi % 12), 0, k};
  }
  qsort(v, p->n_pay, sizeof *v, kv_cmp);
  kv dec[4096];
  uint32_t rows[20];
  for (uint32_t a = 0, b; a < p->n_pay; a = b) {
    for (b = a; b < p->n_pay && v[b].k1 == v[a].k1 && v[b].k2 == v[a].k2; b++) {
    }
    int months[12] = {0};
    int64_t jan_nov = 0, dtot = 0;
    uint32_t nd = 0;
    for (uint32_t k = a; k < b; k++) {
      const fr_gen_ppay *py = &p->pay[v[k].row];
      months[v[k].k3] = 1;
      if (v[k].k3 < 11) jan_nov += py->amount;
      else {
        dtot += py->amount;
        if (nd < 4096) dec[nd++] = (kv){(uint64_t)(INT64_MAX - py->amount), py->txn_no, 0, 0, v[k].row};
      }
    }
    int nmon = 0;
    for (int m = 0; m < 11; m++) nmon += months[m];
    if (nmon < 6 || nd < 10) continue;
    if (!(dtot * 11 >= 3 * jan_nov && dtot >= 100000000)) continue;
    qsort(dec, nd, sizeof *dec, kv_cmp); /* largest first, ties to the smaller key */
    uint32_t m = nd < 20 ? nd : 20;
    for (uint32_t k = 0; k < m; k++) rows[k] = dec[k].row;
    add_finding(E, FR_GEN_F9, FR_GEN_T_PAY, rows, m);
  }
  free(v);
}

static int dbl_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median_sorted(const double *s, uint32_t n) {
  return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void eval_f10(evalctx *E) {
  const fr_gen_plant *p = E->p;
  kv *v = kv_alloc(E, p->n_pay);
  double *x = malloc((p->n_pay ? p->n_pay : 1) * sizeof *x), *s = malloc((p->n_pay ? p->n_pay : 1) * sizeof *s);
  if (!v || !x || !s) {
    E->oom = 1;
    goto done;
  }
  uint32_t n = 0;
  for (uint32_t k = 0; k < p->n_pay; k++)
    if (p->pay[k].amount > 0) v[n++] = (kv){p->pay[k].org, p->pay[k].code, 0, 0, k};
  qsort(v, n, sizeof *v, kv_cmp);
  for (uint32_t a = 0, b; a < n; a = b) {
    for (b = a; b < n && v[b].k1 == v[a].k1 && v[b].k2 == v[a].k2; b++) {
    }
    uint32_t cnt = b - a;
    if (cnt < 50) continue;
    for (uint32_t k = 0; k < cnt; k++) s[k] = x[k] = log((double)p->pay[v[a + k].row].amount / 100.0);
    qsort(s, cnt, sizeof *s, dbl_cmp);
    double med = median_sorted(s, cnt);
    for (uint32_t k = 0; k < cnt; k++) s[k] = fabs(x[k] - med);
    qsort(s, cnt, sizeof *s, dbl_cmp);
    double mad = median_sorted(s, cnt);
    if (!(mad > 0)) continue;
    for (uint32_t k = 0; k < cnt; k++)
      if (x[k] > med && (x[k] - med) / (1.4826 * mad) >= 5.0) add_finding(E, FR_GEN_F10, FR_GEN_T_PAY, &v[a + k].row, 1);
  }
done:
  free(v);
  free(x);
  free(s);
}

static int rel_valid(const fr_gen_prel *r, int32_t day) {
  return (r->since == FR_GEN_NODAY || r->since <= day) && (r->until == FR_GEN_NODAY || day <= r->until);
}

static int linked(const fr_gen_plant *p, uint64_t x, uint64_t y, int32_t day, int any_validity) {
  for (uint32_t k = 0; k < p->n_rel; k++) {
    const fr_gen_prel *r = &p->rel[k];
    if (!((r->a == x && r->b == y) || (r->a == y && r->b == x))) continue;
    if (any_validity || rel_valid(r, day)) return 1;
  }
  return 0;
}

static int share_contact(const fr_gen_entity *a, const fr_gen_entity *b) {
  return (a->phone[0] && strcmp(a->phone, b->phone) == 0) || (a->address[0] && strcmp(a->address, b->address) == 0) ||
         (a->bank[0] && strcmp(a->bank, b->bank) == 0);
}

static void eval_f11_f12_a1(evalctx *E) {
  const fr_gen_plant *p = E->p;
  const fr_gen_world *w = E->w;
  fr_gen_entity pe, oe;
  for (uint32_t k = 0; k < p->n_pay; k++) {
    const fr_gen_ppay *py = &p->pay[k];
    int32_t day = fr_gen_day_of(py->ts);
    uint64_t who[2] = {py->approver, py->requester};
    int hit = 0;
    fr_gen_entity_get(w, py->payee, &pe);
    for (int j = 0; j < 2 && !hit; j++) {
      if (!who[j]) continue;
      if (linked(p, who[j], py->payee, day, 0)) hit = 1;
      fr_gen_entity_get(w, who[j], &oe);
      if (share_contact(&oe, &pe)) hit = 1;
    }
    if (hit) add_finding(E, FR_GEN_F11, FR_GEN_T_PAY, &k, 1);
    if (py->amount >= 50000000 && pe.registered != FR_GEN_NODAY && day - pe.registered >= 0 &&
        day - pe.registered <= 90)
      add_finding(E, FR_GEN_F12, FR_GEN_T_PAY, &k, 1);
    if (py->approver && py->approver == py->requester) add_finding(E, FR_GEN_A1, FR_GEN_T_PAY, &k, 1);
  }
}

/* ---- A ---------------------------------------------------------------------------------- */

/* A case's events in case order: by ts, ties in input order. */
static uint32_t case_events(const fr_gen_plant *p, uint32_t c, const fr_gen_pev **out, uint32_t *scratch) {
  const fr_gen_pcase *pc = &p->cases[c];
  uint32_t n = pc->ev_n;
  for (uint32_t k = 0; k < n; k++) scratch[k] = pc->ev_first + k;
  for (uint32_t a = 1; a < n; a++) /* stable insertion sort; cases are short */
    for (uint32_t b = a; b > 0 && p->ev[scratch[b]].ts < p->ev[scratch[b - 1]].ts; b--) {
      uint32_t t = scratch[b];
      scratch[b] = scratch[b - 1];
      scratch[b - 1] = t;
    }
  for (uint32_t k = 0; k < n; k++) out[k] = &p->ev[scratch[k]];
  return n;
}

#define MAX_EV 64

static void eval_a_cases(evalctx *E) {
  const fr_gen_plant *p = E->p;
  const fr_gen_pev *ev[MAX_EV];
  uint32_t scratch[MAX_EV];
  for (uint32_t c = 0; c < p->n_case; c++) {
    if (p->cases[c].ev_n > MAX_EV) {
      E->oom = 2;
      return;
    }
    uint32_t n = case_events(p, c, ev, scratch);
    /* A1 */
    int a1 = 0;
    for (uint32_t i = 0; i < n && !a1; i++) {
      if (ev[i]->act != FR_GEN_ACT_APPROVE && ev[i]->act != FR_GEN_ACT_FINAL) continue;
      for (uint32_t j = 0; j < n && !a1; j++) {
        if (ev[j]->actor != ev[i]->actor) continue;
        if (ev[j]->act == FR_GEN_ACT_SUBMIT) a1 = 1;
        if (ev[i]->act == FR_GEN_ACT_APPROVE && ev[j]->act == FR_GEN_ACT_FINAL) a1 = 1;
      }
    }
    if (a1) add_finding(E, FR_GEN_A1, FR_GEN_T_CASE, &c, 1);
    /* A2 */
    int seen_final = 0, pay_before = 0, any_pay = 0;
    for (uint32_t i = 0; i < n; i++) {
      if (ev[i]->act == FR_GEN_ACT_FINAL) seen_final = 1;
      if (ev[i]->act == FR_GEN_ACT_PAY) {
        any_pay = 1;
        if (!seen_final) pay_before = 1;
      }
    }
    if (any_pay && (pay_before || !seen_final)) add_finding(E, FR_GEN_A2, FR_GEN_T_CASE, &c, 1);
    /* A3 */
    int64_t sub = FR_GEN_NOTS, term = FR_GEN_NOTS;
    for (uint32_t i = 0; i < n; i++) {
      if (ev[i]->act == FR_GEN_ACT_SUBMIT && sub == FR_GEN_NOTS) sub = ev[i]->ts;
      if (FR_GEN_ACT_TERMINAL(ev[i]->act) && term == FR_GEN_NOTS) term = ev[i]->ts;
    }
    if (sub != FR_GEN_NOTS) {
      int64_t end = term != FR_GEN_NOTS ? term : p->approvals_as_of;
      if (end - sub > 20 * DAY_US) add_finding(E, FR_GEN_A3, FR_GEN_T_CASE, &c, 1);
    }
    /* A5 visits */
    int visits = 0;
    for (uint32_t i = 0; i < n; i++) visits += ev[i]->act == FR_GEN_ACT_VISIT;
    if (visits > 1) add_finding(E, FR_GEN_A5, FR_GEN_T_CASE, &c, 1);
    /* A7 */
    int64_t amt = FR_GEN_NOTS;
    for (uint32_t i = 0; i < n; i++)
      if (ev[i]->amount != FR_GEN_NOTS && (amt == FR_GEN_NOTS || ev[i]->amount > amt)) amt = ev[i]->amount;
    if (amt != FR_GEN_NOTS && amt >= 100000000) {
      int quick = 0;
      for (uint32_t i = 1; i < n; i++)
        if ((ev[i]->act == FR_GEN_ACT_APPROVE || ev[i]->act == FR_GEN_ACT_FINAL) &&
            ev[i]->ts - ev[i - 1]->ts < 120 * FR_GEN_US_PER_S)
          quick = 1;
      if (quick) add_finding(E, FR_GEN_A7, FR_GEN_T_CASE, &c, 1);
    }
  }
}

/* Waits of one org at one activity: (wait, case, actor). */
typedef struct waitrec {
  int64_t wait;
  uint32_t c;
  uint64_t actor;
} waitrec;

static int i64_cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Twice the median of the waits (exact in integers). */
static int64_t median2(int64_t *w, uint32_t n) {
  qsort(w, n, sizeof *w, i64_cmp);
  return n % 2 ? 2 * w[n / 2] : w[n / 2 - 1] + w[n / 2];
}

/* Up to 20 cases of recs (filtered by actor when actor != 0), by their longest wait
 * (descending), ties to the smaller case key. */
static void longest_cases(evalctx *E, const waitrec *recs, uint32_t n, uint64_t actor, int det) {
  kv *v = kv_alloc(E, n);
  if (!v) return;
  uint32_t m = 0;
  for (uint32_t k = 0; k < n; k++) {
    if (actor && recs[k].actor != actor) continue;
    v[m++] = (kv){fr_gen_case_number(E->p->cases[recs[k].c].seq), (uint64_t)(INT64_MAX - recs[k].wait), 0, 0,
                  recs[k].c};
  }
  /* per case keep its longest wait: sort by case, then by wait */
  qsort(v, m, sizeof *v, kv_cmp);
  uint32_t u = 0;
  for (uint32_t k = 0; k < m; k++)
    if (!u || v[u - 1].k1 != v[k].k1) v[u++] = v[k];
  for (uint32_t k = 0; k < u; k++) {
    uint64_t t = v[k].k1;
    v[k].k1 = v[k].k2;
    v[k].k2 = t;
  }
  qsort(v, u, sizeof *v, kv_cmp);
  uint32_t rows[20];
  uint32_t r = u < 20 ? u : 20;
  for (uint32_t k = 0; k < r; k++) rows[k] = v[k].row;
  add_finding(E, det, FR_GEN_T_CASE, rows, r);
  free(v);
}

static void eval_a4_a5(evalctx *E) {
  const fr_gen_plant *p = E->p;
  kv *byorg = kv_alloc(E, p->n_case);
  waitrec *recs = malloc((p->n_ev ? p->n_ev : 1) * sizeof *recs);
  int64_t *ws = malloc((p->n_ev ? p->n_ev : 1) * sizeof *ws);
  uint32_t *hits = malloc((p->n_case ? p->n_case : 1) * sizeof *hits);
  if (!byorg || !recs || !ws || !hits) {
    E->oom = 1;
    goto done;
  }
  for (uint32_t c = 0; c < p->n_case; c++) byorg[c] = (kv){p->cases[c].org, 0, 0, 0, c};
  qsort(byorg, p->n_case, sizeof *byorg, kv_cmp);
  const fr_gen_pev *ev[MAX_EV];
  uint32_t scratch[MAX_EV];
  for (uint32_t a = 0, b; a < p->n_case; a = b) {
    for (b = a; b < p->n_case && byorg[b].k1 == byorg[a].k1; b++) {
    }
    uint32_t ncases = b - a;
    /* ---- A4 ---- */
    if (ncases >= 20) {
      int64_t total = 0, per_act[FR_GEN_N_ACT] = {0};
      for (uint32_t k = a; k < b; k++) {
        uint32_t n = case_events(p, byorg[k].row, ev, scratch);
        for (uint32_t i = 1; i < n; i++) {
          total += ev[i]->ts - ev[i - 1]->ts;
          per_act[ev[i]->act] += ev[i]->ts - ev[i - 1]->ts;
        }
      }
      for (int act = 0; act < FR_GEN_N_ACT; act++) {
        if (act == FR_GEN_ACT_SUBMIT || FR_GEN_ACT_TERMINAL(act)) continue;
        if (!(total > 0 && per_act[act] * 10 >= total * 4)) continue;
        uint32_t nr = 0;
        for (uint32_t k = a; k < b; k++) {
          uint32_t n = case_events(p, byorg[k].row, ev, scratch);
          for (uint32_t i = 1; i < n; i++)
            if (ev[i]->act == act) recs[nr++] = (waitrec){ev[i]->ts - ev[i - 1]->ts, byorg[k].row, ev[i]->actor};
        }
        longest_cases(E, recs, nr, 0, FR_GEN_A4);
        for (uint32_t k = 0; k < nr; k++) ws[k] = recs[k].wait;
        int64_t all2 = median2(ws, nr);
        if (all2 <= 0) continue;
        for (uint32_t k = 0; k < nr; k++) {
          uint64_t actor = recs[k].actor;
          int first = 1;
          for (uint32_t j = 0; j < k && first; j++) first = recs[j].actor != actor;
          if (!first) continue;
          uint32_t m = 0;
          for (uint32_t j = k; j < nr; j++)
            if (recs[j].actor == actor) ws[m++] = recs[j].wait;
          if (m < 10) continue;
          if (median2(ws, m) >= 3 * all2) longest_cases(E, recs, nr, actor, FR_GEN_A4);
        }
      }
    }
    /* ---- A5 per actor ---- */
    uint32_t org_ret = 0;
    for (uint32_t k = a; k < b; k++) {
      const fr_gen_pcase *pc = &p->cases[byorg[k].row];
      int r = 0;
      for (uint32_t i = 0; i < pc->ev_n; i++) r |= p->ev[pc->ev_first + i].act == FR_GEN_ACT_RETURN;
      org_ret += (uint32_t)r;
    }
    /* every actor of the org's events */
    for (uint32_t k = a; k < b; k++) {
      const fr_gen_pcase *pc = &p->cases[byorg[k].row];
      for (uint32_t i = 0; i < pc->ev_n; i++) {
        uint64_t actor = p->ev[pc->ev_first + i].actor;
        /* consider each actor once: at its first appearance in this org */
        int first = 1;
        for (uint32_t k2 = a; k2 <= k && first; k2++) {
          const fr_gen_pcase *q = &p->cases[byorg[k2].row];
          uint32_t lim = k2 == k ? i : q->ev_n;
          for (uint32_t i2 = 0; i2 < lim && first; i2++) first = p->ev[q->ev_first + i2].actor != actor;
        }
        if (!first) continue;
        uint32_t handled = 0, nret = 0;
        for (uint32_t k2 = a; k2 < b; k2++) {
          const fr_gen_pcase *q = &p->cases[byorg[k2].row];
          int has = 0, ret = 0;
          for (uint32_t i2 = 0; i2 < q->ev_n; i2++) {
            const fr_gen_pev *e = &p->ev[q->ev_first + i2];
            if (e->actor != actor) continue;
            has = 1;
            ret |= e->act == FR_GEN_ACT_RETURN;
          }
          handled += (uint32_t)has;
          if (ret) hits[nret++] = byorg[k2].row;
        }
        if (handled >= 20 && (uint64_t)nret * 5 >= handled &&
            (uint64_t)nret * ncases >= 3ULL * org_ret * handled)
          add_finding(E, FR_GEN_A5, FR_GEN_T_CASE, hits, nret);
      }
    }
  }
done:
  free(byorg);
  free(recs);
  free(ws);
  free(hits);
}

static void eval_a6(evalctx *E) {
  const fr_gen_plant *p = E->p;
  const fr_gen_world *w = E->w;
  kv *byorg = kv_alloc(E, p->n_case);
  if (!byorg) return;
  for (uint32_t c = 0; c < p->n_case; c++) byorg[c] = (kv){p->cases[c].org, 0, 0, 0, c};
  qsort(byorg, p->n_case, sizeof *byorg, kv_cmp);
  const fr_gen_pev *ev[MAX_EV];
  uint32_t scratch[MAX_EV];
  for (uint32_t k = 0; k < w->n_posts; k++) {
    const fr_gen_post *row = &w->posts[k];
    if (row->end == FR_GEN_NODAY || row->org < w->n_org_bg) continue; /* planted cases live in special orgs */
    int32_t h = row->end;
    uint32_t lo = 0, hi = p->n_case;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      if (byorg[mid].k1 < row->org) lo = mid + 1;
      else hi = mid;
    }
    for (uint32_t j = lo; j < p->n_case && byorg[j].k1 == row->org; j++) {
      uint32_t n = case_events(p, byorg[j].row, ev, scratch);
      int before = 0, closed = 0, after = 0;
      const fr_gen_pev *last = NULL;
      for (uint32_t i = 0; i < n; i++) {
        int32_t d = fr_gen_day_of(ev[i]->ts);
        if (d <= h) {
          before = 1;
          last = ev[i];
          if (FR_GEN_ACT_TERMINAL(ev[i]->act)) closed = 1;
        } else if (d <= h + 60) {
          after = 1;
        }
      }
      if (before && !closed && !after && last->actor == FR_GEN_KEY(FR_GEN_K_PERSON, row->official))
        add_finding(E, FR_GEN_A6, FR_GEN_T_CASE, &byorg[j].row, 1);
    }
  }
  free(byorg);
}

/* ---- P ------------------------------------------------------------------------------------ */

static void eval_p(evalctx *E) {
  const fr_gen_plant *p = E->p;
  const fr_gen_world *w = E->w;
  fr_gen_entity ea, eb;
  /* P12 */
  for (uint32_t t = 0; t < p->n_tend; t++) {
    const fr_gen_ptender *td = &p->tend[t];
    int hit = 0;
    for (uint32_t i = 0; i < td->bid_n && !hit; i++)
      for (uint32_t j = i + 1; j < td->bid_n && !hit; j++) {
        uint64_t a = p->bids[td->bid_first + i].bidder, b = p->bids[td->bid_first + j].bidder;
        if (a == b) continue;
        fr_gen_entity_get(w, a, &ea);
        fr_gen_entity_get(w, b, &eb);
        hit = share_contact(&ea, &eb) || linked(p, a, b, 0, 1);
      }
    if (hit) add_finding(E, FR_GEN_P12, FR_GEN_T_TENDER, &t, 1);
  }
  /* P13: awards = (tender, won bid) of direct methods */
  kv *v = kv_alloc(E, p->n_bid);
  uint8_t *flag = calloc(p->n_tend ? p->n_tend : 1, 1);
  if (!v || !flag) {
    E->oom = 1;
    free(v);
    free(flag);
    return;
  }
  uint32_t n = 0;
  for (uint32_t t = 0; t < p->n_tend; t++) {
    const fr_gen_ptender *td = &p->tend[t];
    if (td->awarded == FR_GEN_NOTS || (td->method != FR_GEN_M_SINGLE && td->method != FR_GEN_M_NEGOTIATED)) continue;
    for (uint32_t i = 0; i < td->bid_n; i++) {
      const fr_gen_pbid *bd = &p->bids[td->bid_first + i];
      if (bd->won && bd->amount < 100000000)
        v[n++] = (kv){td->org, bd->bidder, ts_key(td->awarded), (uint64_t)bd->amount, t};
    }
  }
  qsort(v, n, sizeof *v, kv_cmp);
  uint32_t rows[256];
  for (uint32_t a = 0, b; a < n; a = b) {
    for (b = a; b < n && v[b].k1 == v[a].k1 && v[b].k2 == v[a].k2; b++) {
    }
    for (uint32_t q = a; q < b; q++) {
      int64_t t0 = p->tend[v[q].row].awarded, sum = 0;
      uint32_t cnt = 0;
      for (uint32_t k = a; k < b; k++) {
        int64_t d = p->tend[v[k].row].awarded - t0;
        if (d >= 0 && d <= 90 * DAY_US) sum += (int64_t)v[k].k4, cnt++;
      }
      if (cnt >= 2 && sum >= 100000000)
        for (uint32_t k = a; k < b; k++) {
          int64_t d = p->tend[v[k].row].awarded - t0;
          if (d >= 0 && d <= 90 * DAY_US) flag[v[k].row] = 1;
        }
    }
    uint32_t m = 0;
    int64_t prev = 0;
    for (uint32_t k = a; k < b; k++) {
      if (!flag[v[k].row]) continue;
      int64_t at = p->tend[v[k].row].awarded;
      if (m && at - prev > 90 * DAY_US) {
        add_finding(E, FR_GEN_P13, FR_GEN_T_TENDER, rows, m);
        m = 0;
      }
      if (m < 256) rows[m++] = v[k].row;
      prev = at;
    }
    if (m) add_finding(E, FR_GEN_P13, FR_GEN_T_TENDER, rows, m);
  }
  /* P14 */
  n = 0;
  for (uint32_t t = 0; t < p->n_tend; t++)
    if (p->tend[t].awarded != FR_GEN_NOTS) v[n++] = (kv){p->tend[t].org, p->tend[t].category, 0, 0, t};
  qsort(v, n, sizeof *v, kv_cmp);
  for (uint32_t a = 0, b; a < n; a = b) {
    for (b = a; b < n && v[b].k1 == v[a].k1 && v[b].k2 == v[a].k2; b++) {
    }
    uint32_t cnt = b - a;
    if (cnt < 10) continue;
    for (uint32_t k = a; k < b; k++) {
      const fr_gen_ptender *td = &p->tend[v[k].row];
      for (uint32_t i = 0; i < td->bid_n; i++) {
        if (!p->bids[td->bid_first + i].won) continue;
        uint64_t who = p->bids[td->bid_first + i].bidder;
        /* count each winner once, at its first won tender of the group */
        int first = 1;
        for (uint32_t k2 = a; k2 < k && first; k2++) {
          const fr_gen_ptender *t2 = &p->tend[v[k2].row];
          for (uint32_t j = 0; j < t2->bid_n; j++)
            if (p->bids[t2->bid_first + j].won && p->bids[t2->bid_first + j].bidder == who) first = 0;
        }
        if (!first) continue;
        uint32_t m = 0;
        for (uint32_t k2 = a; k2 < b; k2++) {
          const fr_gen_ptender *t2 = &p->tend[v[k2].row];
          for (uint32_t j = 0; j < t2->bid_n; j++)
            if (p->bids[t2->bid_first + j].won && p->bids[t2->bid_first + j].bidder == who && m < 256) {
              rows[m++] = v[k2].row;
              break;
            }
        }
        if (2 * m >= cnt) add_finding(E, FR_GEN_P14, FR_GEN_T_TENDER, rows, m);
      }
    }
  }
  free(v);
  free(flag);
}

/* ---- W ------------------------------------------------------------------------------------ */

static uint64_t text_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static int holds_post(const fr_gen_world *w, uint64_t person, uint32_t org, int32_t day) {
  if (FR_GEN_KEY_KIND(person) != FR_GEN_K_PERSON) return 0;
  for (uint32_t k = w->org_post_first[org]; k < w->org_post_first[org + 1]; k++) {
    const fr_gen_post *r = &w->posts[k];
    if (r->official != FR_GEN_KEY_IDX(person)) continue;
    if ((r->start == FR_GEN_NODAY || r->start <= day) && (r->end == FR_GEN_NODAY || day <= r->end)) return 1;
  }
  return 0;
}

static void eval_w(evalctx *E) {
  const fr_gen_plant *p = E->p;
  const fr_gen_world *w = E->w;
  fr_gen_entity e;
  kv *v = kv_alloc(E, p->n_out);
  if (!v) return;
  for (uint32_t k = 0; k < p->n_out; k++) {
    const fr_gen_ppayout *o = &p->out[k];
    int32_t day = fr_gen_day_of(o->ts);
    fr_gen_entity_get(w, o->beneficiary, &e);
    v[k] = (kv){o->program, e.id_no[0] ? text_hash(e.id_no) : text_hash(e.id),
                (uint64_t)fr_gen_month_index(day), 0, k};
    if (e.deceased != FR_GEN_NODAY && day > e.deceased) add_finding(E, FR_GEN_W2, FR_GEN_T_PAYOUT, &k, 1);
    int hit = 0;
    for (uint32_t r = 0; r < p->n_rel && !hit; r++) {
      const fr_gen_prel *rl = &p->rel[r];
      if (!rel_valid(rl, day)) continue;
      if (rl->a == o->beneficiary) hit = holds_post(w, rl->b, o->org, day);
      else if (rl->b == o->beneficiary) hit = holds_post(w, rl->a, o->org, day);
    }
    if (hit) add_finding(E, FR_GEN_W3, FR_GEN_T_PAYOUT, &k, 1);
  }
  qsort(v, p->n_out, sizeof *v, kv_cmp);
  uint32_t rows[64];
  for (uint32_t a = 0, b; a < p->n_out; a = b) {
    uint32_t m = 0;
    for (b = a; b < p->n_out && v[b].k1 == v[a].k1 && v[b].k2 == v[a].k2 && v[b].k3 == v[a].k3; b++)
      if (m < 64) rows[m++] = v[b].row;
    if (m >= 2) add_finding(E, FR_GEN_W1, FR_GEN_T_PAYOUT, rows, m);
  }
  free(v);
}

/* ---- truth ----------------------------------------------------------------------------------- */

static void put_key_text(const fr_gen_plant *p, int table, uint32_t r, char *out) {
  switch (table) {
  case FR_GEN_T_PAY: sprintf(out, "T%012llu", (unsigned long long)p->pay[r].txn_no); break;
  case FR_GEN_T_CASE: sprintf(out, "C%010llu", (unsigned long long)fr_gen_case_number(p->cases[r].seq)); break;
  case FR_GEN_T_TENDER: sprintf(out, "TD%010llu", (unsigned long long)p->tend[r].tender_no); break;
  default: sprintf(out, "S%012llu", (unsigned long long)p->out[r].payout_no); break;
  }
}

typedef struct truth_row {
  uint8_t det, decoy;
  uint64_t first_key;   /* for ordering */
  const uint32_t *rows; /* in evidence-key order */
  uint32_t n;
  uint8_t table;
  char desc[320];
} truth_row;

static int truth_cmp(const void *a, const void *b) {
  const truth_row *x = a, *y = b;
  if (x->det != y->det) return x->det < y->det ? -1 : 1;
  if (x->decoy != y->decoy) return x->decoy < y->decoy ? -1 : 1;
  if (x->first_key != y->first_key) return x->first_key < y->first_key ? -1 : 1;
  return (x->n > y->n) - (x->n < y->n);
}

static int sets_equal(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb) {
  return na == nb && memcmp(a, b, na * sizeof *a) == 0;
}

static int sets_meet(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb) {
  for (uint32_t i = 0, j = 0; i < na && j < nb;) {
    if (a[i] == b[j]) return 1;
    if (a[i] < b[j]) i++;
    else j++;
  }
  return 0;
}

static void csv_field(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

int fr_gen_truth_write(const fr_gen_world *w, const fr_gen_plant *p, const char *dir, fr_gen_err *err) {
  evalctx E = {.w = w, .p = p};
  int rc = FR_GEN_OK;
  truth_row *tr = NULL;
  uint32_t *drows = NULL;
  FILE *f = NULL;
  char path[1100], tmp[1110];
  eval_f1(&E);
  eval_f2(&E);
  eval_f3(&E);
  eval_f4(&E);
  eval_f5_f6_f7(&E);
  eval_f8(&E);
  eval_f9(&E);
  eval_f10(&E);
  eval_f11_f12_a1(&E);
  eval_a_cases(&E);
  eval_a4_a5(&E);
  eval_a6(&E);
  eval_p(&E);
  eval_w(&E);
  if (E.oom) {
    fr_gen_err_set(err, "truth: %s", E.oom == 2 ? "a planted case has too many events" : "out of memory");
    rc = E.oom == 2 ? FR_GEN_EINTERNAL : FR_GEN_ENOMEM;
    goto done;
  }
  /* Declarations: sorted copies of their rows, then the checks. */
  drows = malloc((p->n_refs ? p->n_refs : 1) * sizeof *drows);
  tr = calloc((size_t)E.nf + p->n_decl + 1, sizeof *tr);
  if (!drows || !tr) {
    rc = FR_GEN_ENOMEM;
    fr_gen_err_set(err, "truth: out of memory");
    goto done;
  }
  if (p->n_refs > 0)
    memcpy(drows, p->refs, p->n_refs * sizeof *drows);
  for (uint32_t d = 0; d < p->n_decl; d++)
    qsort(drows + p->decl[d].ref_first, p->decl[d].ref_n, sizeof *drows, u32_cmp);
  uint32_t ntr = 0, bad = 0;
  char msg[400] = "";
  for (uint32_t d = 0; d < p->n_decl; d++) {
    const fr_gen_decl *dc = &p->decl[d];
    const uint32_t *dr = drows + dc->ref_first;
    int matched = 0;
    for (uint32_t k = 0; k < E.nf && !matched; k++) {
      const finding *fd = &E.f[k];
      if (fd->det != dc->det || fd->table != dc->table) continue;
      const uint32_t *fr = E.rows + fd->first;
      matched = dc->decoy || dc->overlap ? sets_meet(fr, fd->n, dr, dc->ref_n) : sets_equal(fr, fd->n, dr, dc->ref_n);
    }
    if (matched == !dc->decoy) continue;
    if (getenv("FERRET_GEN_DEBUG")) { /* the rows behind a disagreement, for whoever changes the scenarios */
      char key[24];
      fprintf(stderr, "declaration %s %s '%s':", fr_gen_det_id[dc->det], dc->decoy ? "decoy" : "planted", dc->desc);
      for (uint32_t j = 0; j < dc->ref_n; j++) {
        put_key_text(p, dc->table, dr[j], key);
        fprintf(stderr, " %s", key);
      }
      fprintf(stderr, "\n");
      for (uint32_t k = 0; k < E.nf; k++) {
        if (E.f[k].det != dc->det) continue;
        fprintf(stderr, "  finding:");
        for (uint32_t j = 0; j < E.f[k].n; j++) {
          put_key_text(p, E.f[k].table, E.rows[E.f[k].first + j], key);
          fprintf(stderr, " %s", key);
        }
        fprintf(stderr, "\n");
      }
    }
    if (!bad++)
      snprintf(msg, sizeof msg, "%s %s '%s'", fr_gen_det_id[dc->det], dc->decoy ? "decoy is flagged" : "planted case is not found",
               dc->desc);
  }
  if (bad) {
    fr_gen_err_set(err, "truth: %u declaration(s) disagree with the definitions, first: %s", bad, msg);
    rc = FR_GEN_EINTERNAL;
    goto done;
  }
  /* Findings, described by the declaration they match best. */
  for (uint32_t k = 0; k < E.nf; k++) {
    const finding *fd = &E.f[k];
    const uint32_t *fr = E.rows + fd->first;
    truth_row *t = &tr[ntr++];
    t->det = fd->det;
    t->decoy = 0;
    t->table = fd->table;
    t->rows = fr;
    t->n = fd->n;
    /* Best description: an equal declaration of this detector, else one it
     * overlaps (sampled evidence), else any declaration sharing its rows. */
    const fr_gen_decl *best = NULL;
    for (int pass = 0; pass < 3 && !best; pass++)
      for (uint32_t d = 0; d < p->n_decl && !best; d++) {
        const fr_gen_decl *dc = &p->decl[d];
        if (dc->table != fd->table || (pass < 2 && (dc->decoy || dc->det != fd->det))) continue;
        const uint32_t *dr = drows + dc->ref_first;
        if (pass == 0 ? !dc->overlap && sets_equal(fr, fd->n, dr, dc->ref_n)
                      : (pass == 2 || dc->overlap) && sets_meet(fr, fd->n, dr, dc->ref_n))
          best = dc;
      }
    if (best && best->det == fd->det) snprintf(t->desc, sizeof t->desc, "%s: %s", fr_gen_det_name[fd->det], best->desc);
    else if (best)
      snprintf(t->desc, sizeof t->desc, "%s: incidental, rows built as a %s for %s (%s)", fr_gen_det_name[fd->det],
               best->decoy ? "decoy" : "case", fr_gen_det_id[best->det], best->desc);
    else snprintf(t->desc, sizeof t->desc, "%s: incidental", fr_gen_det_name[fd->det]);
  }
  for (uint32_t d = 0; d < p->n_decl; d++) {
    const fr_gen_decl *dc = &p->decl[d];
    if (!dc->decoy) continue;
    truth_row *t = &tr[ntr++];
    t->det = dc->det;
    t->decoy = 1;
    t->table = dc->table;
    t->rows = drows + dc->ref_first;
    t->n = dc->ref_n;
    snprintf(t->desc, sizeof t->desc, "%s: %s", fr_gen_det_name[dc->det], dc->desc);
  }
  /* Keys in ascending order (row order within a table follows the keys, except
   * cases, whose numbers are scrambled: sort those by key). */
  for (uint32_t k = 0; k < ntr; k++) {
    truth_row *t = &tr[k];
    uint64_t mn = UINT64_MAX;
    for (uint32_t j = 0; j < t->n; j++) {
      uint64_t key = row_key(p, t->table, t->rows[j]);
      if (key < mn) mn = key;
    }
    t->first_key = mn;
  }
  qsort(tr, ntr, sizeof *tr, truth_cmp);
  snprintf(path, sizeof path, "%s/truth.csv", dir);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  f = fopen(tmp, "wb");
  if (!f) {
    fr_gen_err_set(err, "%s: cannot create", tmp);
    rc = FR_GEN_EIO;
    goto done;
  }
  fputs("detector,kind,keys,description\n", f);
  for (uint32_t k = 0; k < ntr; k++) {
    const truth_row *t = &tr[k];
    kv *order = kv_alloc(&E, t->n);
    if (!order) {
      rc = FR_GEN_ENOMEM;
      goto done;
    }
    for (uint32_t j = 0; j < t->n; j++) order[j] = (kv){row_key(p, t->table, t->rows[j]), 0, 0, 0, t->rows[j]};
    qsort(order, t->n, sizeof *order, kv_cmp);
    fprintf(f, "%s,%s,", fr_gen_det_id[t->det], t->decoy ? "decoy" : "planted");
    for (uint32_t j = 0; j < t->n; j++) {
      char key[24];
      put_key_text(p, t->table, order[j].row, key);
      if (j) fputc(' ', f);
      fputs(key, f);
    }
    fputc(',', f);
    csv_field(f, t->desc);
    fputc('\n', f);
    free(order);
  }
  if (ferror(f) | fclose(f)) {
    f = NULL;
    fr_gen_err_set(err, "%s: write failed", tmp);
    rc = FR_GEN_EIO;
    goto done;
  }
  f = NULL;
  if (rename(tmp, path) != 0) {
    fr_gen_err_set(err, "%s: cannot rename into place", path);
    rc = FR_GEN_EIO;
  }
done:
  if (f) fclose(f);
  free(tr);
  free(drows);
  free(E.f);
  free(E.rows);
  return rc;
}
