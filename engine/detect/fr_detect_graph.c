/* fr_detect_graph.c - F5 round_trip, F6 pass_through, F7 scatter_gather
 * (DETECTORS.md): rules over the temporal graph of accounts.  The graph is the
 * payments as edges payer -> payee, sorted by (payer, ts, input order) into an
 * adjacency array indexed by payer id (CSR), with (for F6) exact 128-bit prefix
 * sums of the amounts, so "payments of X in (t, t + h]" is two binary searches.
 * F5 is a bounded depth-first search from every large first payment; F6 one
 * range sum per large inflow; F7 slides the scatter window over each source's
 * payments to accounts that pay onwards (the only payees that can gather).
 * All three run their outer loop in parallel (dynamic schedule) into per-thread
 * lists that are merged and ordered afterwards, so results do not depend on the
 * thread count.  Workload: 10^7 edges; memory 32 bytes per edge (48 with the
 * prefix sums).
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"

enum { K, T, O, PR, PE, A, N_GCOLS };

typedef struct fr_graph {
  uint32_t n_nodes;     /* dictionary ids */
  uint64_t n_edges;
  uint64_t *start;      /* n_nodes + 1: edges of payer v are [start[v], start[v + 1]) */
  int64_t *ts;          /* per edge, ascending within a payer */
  int64_t *amount;
  uint32_t *payer;
  uint32_t *payee;      /* FR_NOID when NULL */
  uint64_t *row;
  fr_dx128 *prefix;     /* n_edges + 1 running sums of amount (NULL unless asked for: F6) */
} fr_graph;

static void fr_graph_free(fr_graph *g) {
  fr_free(g->start);
  fr_free(g->ts);
  fr_free(g->amount);
  fr_free(g->payer);
  fr_free(g->payee);
  fr_free(g->row);
  fr_free(g->prefix);
  memset(g, 0, sizeof *g);
}

/* A payer with more edges than this is sorted after the parallel pass, by the
 * parallel radix sort, so one huge payer does not hold a single thread. */
#define FR_GRAPH_BIG_PAYER ((uint64_t)1 << 16)

/* Edges: rows with payer, ts and amount present (payee may be NULL), in (payer,
 * ts, row) order.  A counting sort by payer id lays the rows out in ascending
 * order within each payer (one scatter of 8-byte row numbers, not passes over
 * 32-byte records), and each payer's edges are then put in ts order on their own,
 * in parallel; the order is the unique one, whatever the thread count. */
static fr_status fr_graph_build(fr_graph *g, const fr_lcol *use, uint64_t n_rows, uint32_t n_nodes, int want_prefix,
                                fr_error *err) {
  memset(g, 0, sizeof *g);
  const uint32_t *payer = use[PR].sid;
  const uint8_t *ts_ok = use[T].valid, *amount_ok = use[A].valid;
  const int64_t *ts = use[T].i64;
  g->n_nodes = n_nodes;
  g->start = fr_calloc_dense((size_t)n_nodes + 2, sizeof *g->start); /* counted at random */
  FR_FAIL_IF(g->start == NULL, FR_ERR_NOMEM, err, "out of memory");
  uint64_t *fill = g->start + 1; /* fill[v] counts, then the next free slot of payer v */
  uint64_t m = 0;
  for (uint64_t r = 0; r < n_rows; r++)
    if (payer[r] != FR_NOID && ts_ok[r] && amount_ok[r]) {
      fill[payer[r]]++;
      m++;
    }
  uint64_t at = 0;
  for (uint32_t v = 0; v < n_nodes; v++) {
    uint64_t k = fill[v];
    fill[v] = at;
    at += k;
  }
  g->n_edges = m;
  size_t ne = m ? m : 1;
  g->ts = fr_malloc(ne * sizeof *g->ts);
  g->amount = fr_malloc(ne * sizeof *g->amount);
  g->payer = fr_malloc(ne * sizeof *g->payer);
  g->payee = fr_malloc(ne * sizeof *g->payee);
  g->row = fr_malloc(ne * sizeof *g->row);
  g->prefix = want_prefix ? fr_malloc((ne + 1) * sizeof *g->prefix) : NULL;
  fr_status status = FR_OK;
  if (g->ts == NULL || g->amount == NULL || g->payee == NULL || g->payer == NULL || g->row == NULL ||
      (want_prefix && g->prefix == NULL)) {
    fr_graph_free(g);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  for (uint64_t r = 0; r < n_rows; r++)
    if (payer[r] != FR_NOID && ts_ok[r] && amount_ok[r])
      g->row[fill[payer[r]]++] = r;
  /* now fill[v] = start[v + 1]; start[0] = 0 */
  int failed = 0;
#pragma omp parallel
  {
    fr_srec *tmp = NULL; /* this thread's sort space */
    uint64_t cap = 0;
#pragma omp for schedule(dynamic, 256)
    for (int64_t v = 0; v < (int64_t)n_nodes; v++) {
      const uint64_t lo = g->start[v], n = g->start[v + 1] - lo;
      if (n < 2 || n > FR_GRAPH_BIG_PAYER)
        continue;
      if (n > 32 && n > cap) {
        fr_free(tmp);
        cap = n < 4096 ? 4096 : n;
        if ((tmp = fr_malloc((size_t)cap * sizeof *tmp)) == NULL) {
          cap = 0;
#pragma omp atomic write
          failed = 1;
          continue;
        }
      }
      fr_rows_sort_by_ts(g->row + lo, n, ts, tmp);
    }
    fr_free(tmp);
  }
  if (failed)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory sorting %llu edges", (unsigned long long)m);
  fr_srec *big = NULL;
  uint64_t cap_big = 0;
  for (uint32_t v = 0; v < n_nodes && status == FR_OK; v++) {
    const uint64_t lo = g->start[v], n = g->start[v + 1] - lo;
    if (n <= FR_GRAPH_BIG_PAYER)
      continue;
    uint64_t k = 1;
    while (k < n && ts[g->row[lo + k - 1]] <= ts[g->row[lo + k]]) k++;
    if (k >= n)
      continue; /* in ts order already */
    if (n > cap_big) {
      fr_free(big);
      if ((big = fr_malloc((size_t)n * sizeof *big)) == NULL) {
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory sorting %llu edges", (unsigned long long)n);
        break;
      }
      cap_big = n;
    }
    for (uint64_t x = 0; x < n; x++) big[x] = (fr_srec){fr_skey(ts[g->row[lo + x]]), 0, 0, g->row[lo + x]};
    status = fr_srec_sort(big, (size_t)n, err);
    for (uint64_t x = 0; status == FR_OK && x < n; x++) g->row[lo + x] = big[x].row;
  }
  fr_free(big);
  if (status != FR_OK) {
    fr_graph_free(g);
    return status;
  }
#pragma omp parallel for schedule(static)
  for (int64_t e = 0; e < (int64_t)m; e++) {
    const uint64_t r = g->row[e];
    g->ts[e] = ts[r];
    g->amount[e] = use[A].i64[r];
    g->payer[e] = payer[r];
    g->payee[e] = use[PE].sid[r];
  }
  if (want_prefix) {
    g->prefix[0] = 0;
    for (uint64_t e = 0; e < m; e++) g->prefix[e + 1] = g->prefix[e] + g->amount[e];
  }
  return FR_OK;
}

/* First edge of payer v with ts > t (strict) or >= t. */
static uint64_t fr_graph_after(const fr_graph *g, uint32_t v, int64_t t, int strict) {
  uint64_t lo = g->start[v], hi = g->start[v + 1];
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (strict ? g->ts[mid] <= t : g->ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* A growable list of uint64 per thread. */
typedef struct fr_u64vec {
  uint64_t *v;
  size_t n, cap;
  int failed;
} fr_u64vec;

static void fr_u64vec_push(fr_u64vec *vec, uint64_t x) {
  if (vec->failed)
    return;
  if (vec->n == vec->cap) {
    size_t cap = vec->cap ? vec->cap * 2 : 256;
    uint64_t *v = fr_realloc(vec->v, cap * sizeof *v);
    if (v == NULL) {
      vec->failed = 1;
      return;
    }
    vec->v = v;
    vec->cap = cap;
  }
  vec->v[vec->n++] = x;
}

static fr_status fr_graph_open(fr_dctx *cx, fr_graph *g, fr_lcol *use, const fr_store *store,
                               const fr_detect_params *p, int want_prefix, fr_error *err) {
  FR_TRY(fr_dctx_open(cx, store, p, use, N_GCOLS, K, T, err));
  return fr_graph_build(g, use, cx->t.n_rows, cx->dict.n, want_prefix, err);
}

#define GRAPH_COLS                                                                                    \
  {LC("txn_id", FR_LC_KEY, 0), LC("ts", FR_LC_TS, 0),      LC("org", FR_LC_SID, 1),                 \
   LC("payer", FR_LC_SID, 0),  LC("payee", FR_LC_SID, 0), LC("amount", FR_LC_AMOUNT, 0)}

/* ---- F5 round_trip ------------------------------------------------------------- */

typedef struct fr_f5 {
  const fr_graph *g;
  int64_t min_len, max_len, window_us, tolerance;
  uint64_t path[8];     /* edge indexes */
  fr_u64vec *out;       /* per cycle: its length, then its edges */
} fr_f5;

static int fr_f5_in_tolerance(const fr_f5 *s, int64_t a1, int64_t a) {
  fr_dx128 d = (fr_dx128)a - a1;
  if (d < 0) d = -d;
  fr_dx128 base = a1 < 0 ? -(fr_dx128)a1 : (fr_dx128)a1;
  return d * FR_RATIO_SCALE <= (fr_dx128)s->tolerance * base;
}

/* Extends a path of k edges (k >= 1) whose last payee is `at`. */
static void fr_f5_extend(fr_f5 *s, int k, uint32_t origin) {
  const fr_graph *g = s->g;
  uint64_t e1 = s->path[0], last = s->path[k - 1];
  uint32_t at = g->payee[last];
  if (at == FR_NOID)
    return;
  for (int i = 0; i < k; i++) /* the next payer (at) must be new */
    if (i == 0 ? origin == at : g->payee[s->path[i - 1]] == at)
      return;
  int64_t limit = g->ts[e1] + s->window_us;
  for (uint64_t e = fr_graph_after(g, at, g->ts[last], 1); e < g->start[at + 1] && g->ts[e] <= limit; e++) {
    if (g->payee[e] == FR_NOID || !fr_f5_in_tolerance(s, g->amount[e1], g->amount[e]))
      continue;
    s->path[k] = e;
    if (g->payee[e] == origin) {
      if (k + 1 >= s->min_len) {
        fr_u64vec_push(s->out, (uint64_t)(k + 1));
        for (int i = 0; i <= k; i++) fr_u64vec_push(s->out, s->path[i]);
      }
    } else if (k + 1 < s->max_len) {
      fr_f5_extend(s, k + 1, origin);
    }
  }
}

fr_status fr_detect_f5(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[N_GCOLS] = GRAPH_COLS;
  const int64_t min_len = fr_dp_i(p, "min_len"), max_len = fr_dp_i(p, "max_len");
  const int64_t min_amount = fr_dp_i(p, "min_amount");
  *out = NULL;
  FR_FAIL_IF(min_len > max_len, FR_ERR_INVALID, err, "round_trip: min_len %lld is above max_len %lld",
             (long long)min_len, (long long)max_len);
  const int64_t tolerance = fr_dp_i(p, "tolerance");
  if (min_amount > 0 && tolerance < FR_RATIO_SCALE) {
    /* every payment of a cycle lies within tolerance of a first amount >= min_amount,
     * so at or above min_amount x (1 - tolerance): only those rows are loaded
     * (the bound is rounded down, the kernel tests each edge exactly) */
    use[A].has_range = 1;
    use[A].range_lo = (int64_t)((fr_dx128)min_amount * (FR_RATIO_SCALE - tolerance) / FR_RATIO_SCALE);
    use[A].range_hi = INT64_MAX;
  }
  fr_dctx cx;
  fr_graph g;
  memset(&g, 0, sizeof g);
  int n_threads = omp_get_max_threads();
  fr_u64vec *found = fr_calloc((size_t)n_threads, sizeof *found);
  fr_status status = fr_graph_open(&cx, &g, use, store, p, 0, err);
  if (status == FR_OK && found == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  if (status == FR_OK) {
#pragma omp parallel
    {
      fr_f5 s = {&g, min_len, max_len, fr_dp_i(p, "window_days") * FR_US_PER_DAY, tolerance, {0},
                 &found[omp_get_thread_num()]};
#pragma omp for schedule(dynamic, 4096)
      for (uint64_t e = 0; e < g.n_edges; e++) {
        if (g.amount[e] < min_amount || g.payee[e] == FR_NOID)
          continue;
        s.path[0] = e;
        uint32_t origin = g.payer[e];
        if (g.payee[e] == origin) {
          if (min_len <= 1) {
            fr_u64vec_push(s.out, 1);
            fr_u64vec_push(s.out, e);
          }
          continue;
        }
        if (max_len >= 2)
          fr_f5_extend(&s, 1, origin);
      }
    }
    for (int t = 0; t < n_threads; t++)
      if (found[t].failed)
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory collecting cycles");
  }
  for (int t = 0; status == FR_OK && t < n_threads; t++) {
    for (size_t at = 0; at < found[t].n;) {
      uint32_t k = (uint32_t)found[t].v[at++];
      uint64_t rows[8], edges[8];
      for (uint32_t i = 0; i < k; i++) {
        edges[i] = found[t].v[at++];
        rows[i] = g.row[edges[i]];
      }
      const char *origin = fr_sdict_str(&cx.dict, use[PR].sid[rows[0]]);
      char via[512] = "";
      size_t used = 0;
      for (uint32_t i = 0; i + 1 < k && used + 1 < sizeof via; i++) {
        int w = snprintf(via + used, sizeof via - used, "%s%s", i ? ", " : " through ",
                         fr_sdict_str(&cx.dict, g.payee[edges[i]]));
        used += w > 0 ? (size_t)w : 0;
      }
      char amt[FR_VALUE_TEXT_CAP + 1];
      double days = (double)(g.ts[edges[k - 1]] - g.ts[edges[0]]) / (double)FR_US_PER_DAY;
      char *summary = fr_strf("%u payments cycle %s from %s%s back to %s within %.2f days", k,
                              fr_cents_text(amt, g.amount[edges[0]]), origin, via, origin, days);
      fr_jint(&cx.json, "length", k);
      fr_jcents(&cx.json, "first_amount", g.amount[edges[0]]);
      fr_jcents(&cx.json, "last_amount", g.amount[edges[k - 1]]);
      fr_jreal(&cx.json, "span_days", days);
      fr_fbuild_add(&cx.fb, rows, k, (double)g.amount[edges[0]] / 100.0, origin,
                    use[O].present ? fr_sdict_str(&cx.dict, use[O].sid[rows[0]]) : NULL, summary,
                    fr_jdone(&cx.json));
    }
  }
  for (int t = 0; found != NULL && t < n_threads; t++) fr_free(found[t].v);
  fr_free(found);
  fr_graph_free(&g);
  return fr_dctx_close(&cx, status, out, err);
}

/* ---- F6 pass_through ------------------------------------------------------------ */

fr_status fr_detect_f6(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[N_GCOLS] = GRAPH_COLS;
  const int64_t hours_us = fr_dp_i(p, "hours") * 3600LL * 1000000;
  const int64_t ratio = fr_dp_i(p, "ratio");
  const int64_t min_amount = fr_dp_i(p, "min_amount");
  /* Only two kinds of payment matter: inflows (amount >= min_amount) and payments
   * by an account that received one.  A first load reads the inflows' payees (the
   * amount column, then the payees of the rows that pass); the graph is then
   * loaded for the rows with amount >= min_amount OR payer among those payees. */
  *out = NULL;
  fr_sdict conduits;
  fr_sdict_init(&conduits);
  {
    fr_lcol in_cols[2] = {LC("payee", FR_LC_SID, 0), LC("amount", FR_LC_AMOUNT, 0)};
    in_cols[1].has_range = 1;
    in_cols[1].range_lo = min_amount;
    in_cols[1].range_hi = INT64_MAX;
    fr_ltable in;
    fr_status st = fr_ltable_load(&in, store, p, "payments", in_cols, 2, &conduits, err);
    fr_ltable_free(&in);
    if (st != FR_OK) {
      fr_sdict_free(&conduits);
      return st;
    }
  }
  use[A].has_range = 1;
  use[A].range_lo = min_amount;
  use[A].range_hi = INT64_MAX;
  use[A].select_or = 1;
  use[PR].member_of = &conduits;
  use[PR].select_or = 1;
  fr_dctx cx;
  fr_graph g;
  memset(&g, 0, sizeof g);
  int n_threads = omp_get_max_threads();
  fr_u64vec *found = fr_calloc((size_t)n_threads, sizeof *found);
  fr_status status = fr_graph_open(&cx, &g, use, store, p, 1, err);
  fr_sdict_free(&conduits);
  if (status == FR_OK && found == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  if (status == FR_OK) {
    /* per flagged inflow: the inflow edge, then the outflow range [lo, hi) */
#pragma omp parallel for schedule(dynamic, 4096)
    for (uint64_t e = 0; e < g.n_edges; e++) {
      uint32_t x = g.payee[e];
      if (x == FR_NOID || g.amount[e] < min_amount)
        continue;
      uint64_t lo = fr_graph_after(&g, x, g.ts[e], 1), hi = fr_graph_after(&g, x, g.ts[e] + hours_us, 1);
      fr_dx128 outflow = g.prefix[hi] - g.prefix[lo];
      if (hi > lo && outflow * FR_RATIO_SCALE >= (fr_dx128)ratio * g.amount[e]) {
        fr_u64vec *v = &found[omp_get_thread_num()];
        fr_u64vec_push(v, e);
        fr_u64vec_push(v, lo);
        fr_u64vec_push(v, hi);
      }
    }
    for (int t = 0; t < n_threads; t++)
      if (found[t].failed)
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  uint64_t *rows = NULL;
  size_t cap_rows = 0;
  for (int t = 0; status == FR_OK && t < n_threads; t++) {
    for (size_t at = 0; at + 2 < found[t].n; at += 3) {
      uint64_t e = found[t].v[at], lo = found[t].v[at + 1], hi = found[t].v[at + 2];
      size_t k = (size_t)(hi - lo) + 1;
      if (k > cap_rows) {
        uint64_t *r = fr_realloc(rows, k * sizeof *r);
        if (r == NULL) {
          status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
          break;
        }
        rows = r;
        cap_rows = k;
      }
      rows[0] = g.row[e];
      for (uint64_t o = lo; o < hi; o++) rows[1 + (o - lo)] = g.row[o];
      fr_dx128 outflow = g.prefix[hi] - g.prefix[lo];
      int64_t out64 = outflow > INT64_MAX ? INT64_MAX : outflow < INT64_MIN ? INT64_MIN : (int64_t)outflow;
      const char *conduit = fr_sdict_str(&cx.dict, g.payee[e]);
      const char *from = fr_sdict_str(&cx.dict, g.payer[e]);
      char in_t[FR_VALUE_TEXT_CAP + 1], out_t[FR_VALUE_TEXT_CAP + 1];
      double share = g.amount[e] != 0 ? (double)outflow / (double)g.amount[e] : 0.0;
      char *summary = fr_strf("%s received %s from %s and paid out %s (%.1f%%) in %zu payments within %lld hours",
                              conduit, fr_cents_text(in_t, g.amount[e]), from, fr_cents_text(out_t, out64),
                              100.0 * share, k - 1, (long long)fr_dp_i(p, "hours"));
      fr_jcents(&cx.json, "inflow", g.amount[e]);
      fr_jcents(&cx.json, "outflow", out64);
      fr_jstr(&cx.json, "from", from);
      fr_jint(&cx.json, "outgoing_payments", (int64_t)(k - 1));
      fr_fbuild_add(&cx.fb, rows, (uint32_t)k, share, conduit,
                    use[O].present ? fr_sdict_str(&cx.dict, use[O].sid[g.row[e]]) : NULL, summary,
                    fr_jdone(&cx.json));
    }
  }
  fr_free(rows);
  for (int t = 0; found != NULL && t < n_threads; t++) fr_free(found[t].v);
  fr_free(found);
  fr_graph_free(&g);
  return fr_dctx_close(&cx, status, out, err);
}

/* ---- F7 scatter_gather -------------------------------------------------------------- */

typedef struct fr_f7_in {   /* a window payment of S to a forwarding payee */
  uint32_t m;
  int64_t ts, amount;
  uint64_t edge;
} fr_f7_in;

typedef struct fr_f7_pair { /* payee index in the window gathers to G */
  uint32_t G, mi;
} fr_f7_pair;

typedef struct fr_f7_out {  /* m's payment to G */
  uint32_t G;
  int64_t amount;
} fr_f7_out;

static int fr_f7_in_cmp(const void *a, const void *b) {
  const fr_f7_in *x = a, *y = b;
  if (x->m != y->m) return x->m < y->m ? -1 : 1;
  if (x->ts != y->ts) return x->ts < y->ts ? -1 : 1;
  return (x->edge > y->edge) - (x->edge < y->edge);
}
static int fr_f7_pair_cmp(const void *a, const void *b) {
  const fr_f7_pair *x = a, *y = b;
  if (x->G != y->G) return x->G < y->G ? -1 : 1;
  return (x->mi > y->mi) - (x->mi < y->mi);
}
static int fr_f7_out_cmp(const void *a, const void *b) {
  const fr_f7_out *x = a, *y = b;
  return (x->G > y->G) - (x->G < y->G);
}
static int fr_u64x3_cmp(const void *a, const void *b) {
  const uint64_t *x = a, *y = b;
  for (int k = 0; k < 3; k++)
    if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
  return 0;
}

typedef struct fr_f7_scratch {
  fr_f7_in *in;
  fr_f7_pair *pairs;
  fr_f7_out *outs;
  uint64_t *m_start;      /* per distinct payee: its first entry in `in` */
  size_t cap_in, cap_outs;
  int failed;
} fr_f7_scratch;

static int fr_reserve(void **p, size_t *cap, size_t need, size_t item) {
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap : 64;
  while (c < need) c *= 2;
  void *q = fr_realloc(*p, c * item);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

typedef struct fr_f7_params {
  int64_t min_fan, scatter_us, gather_us, ratio;
} fr_f7_params;

/* One window: the forwarding-payee payments fwd[lo, hi) of S.  Appends (S, G,
 * edge) triples of the evidence to `ev`. */
static void fr_f7_window(const fr_graph *g, const fr_f7_params *fp, uint32_t S, const uint64_t *fwd, size_t lo,
                         size_t hi, fr_f7_scratch *sc, fr_u64vec *ev) {
  size_t n_in = hi - lo;
  size_t cap_pairs = sc->cap_in;
  if (fr_reserve((void **)&sc->in, &sc->cap_in, n_in, sizeof *sc->in) != 0) {
    sc->failed = 1;
    return;
  }
  if (cap_pairs != sc->cap_in || sc->pairs == NULL) {
    fr_f7_pair *pr = fr_realloc(sc->pairs, sc->cap_in * sizeof *pr);
    uint64_t *ms = fr_realloc(sc->m_start, (sc->cap_in + 1) * sizeof *ms);
    if (pr != NULL) sc->pairs = pr;
    if (ms != NULL) sc->m_start = ms;
    if (pr == NULL || ms == NULL) {
      sc->failed = 1;
      return;
    }
  }
  for (size_t k = 0; k < n_in; k++) {
    uint64_t e = fwd[lo + k];
    sc->in[k] = (fr_f7_in){g->payee[e], g->ts[e], g->amount[e], e};
  }
  qsort(sc->in, n_in, sizeof *sc->in, fr_f7_in_cmp);
  size_t n_m = 0;
  for (size_t k = 0; k < n_in; k++)
    if (k == 0 || sc->in[k].m != sc->in[k - 1].m) sc->m_start[n_m++] = k;
  sc->m_start[n_m] = n_in;
  if ((int64_t)n_m < fp->min_fan)
    return;
  size_t n_pairs = 0;
  for (size_t mi = 0; mi < n_m; mi++) {
    uint32_t m = sc->in[sc->m_start[mi]].m;
    int64_t t0 = sc->in[sc->m_start[mi]].ts;
    fr_dx128 received = 0;
    for (uint64_t k = sc->m_start[mi]; k < sc->m_start[mi + 1]; k++) received += sc->in[k].amount;
    uint64_t a = fr_graph_after(g, m, t0, 0), b = fr_graph_after(g, m, t0 + fp->gather_us, 1);
    size_t n_out = 0;
    if (fr_reserve((void **)&sc->outs, &sc->cap_outs, (size_t)(b - a) + 1, sizeof *sc->outs) != 0) {
      sc->failed = 1;
      return;
    }
    for (uint64_t e = a; e < b; e++)
      if (g->payee[e] != FR_NOID) sc->outs[n_out++] = (fr_f7_out){g->payee[e], g->amount[e]};
    qsort(sc->outs, n_out, sizeof *sc->outs, fr_f7_out_cmp);
    for (size_t x = 0, y; x < n_out; x = y) {
      fr_dx128 sum = 0;
      for (y = x; y < n_out && sc->outs[y].G == sc->outs[x].G; y++) sum += sc->outs[y].amount;
      if (sum * FR_RATIO_SCALE >= (fr_dx128)fp->ratio * received)
        sc->pairs[n_pairs++] = (fr_f7_pair){sc->outs[x].G, (uint32_t)mi};
    }
  }
  qsort(sc->pairs, n_pairs, sizeof *sc->pairs, fr_f7_pair_cmp);
  for (size_t x = 0, y; x < n_pairs; x = y) {
    for (y = x; y < n_pairs && sc->pairs[y].G == sc->pairs[x].G; y++) {
    }
    if ((int64_t)(y - x) < fp->min_fan)
      continue;
    uint32_t G = sc->pairs[x].G;
    for (size_t t = x; t < y; t++) {
      size_t mi = sc->pairs[t].mi;
      uint32_t m = sc->in[sc->m_start[mi]].m;
      int64_t t0 = sc->in[sc->m_start[mi]].ts;
      for (uint64_t k = sc->m_start[mi]; k < sc->m_start[mi + 1]; k++) {
        fr_u64vec_push(ev, S);
        fr_u64vec_push(ev, G);
        fr_u64vec_push(ev, sc->in[k].edge);
      }
      uint64_t a = fr_graph_after(g, m, t0, 0), b = fr_graph_after(g, m, t0 + fp->gather_us, 1);
      for (uint64_t e = a; e < b; e++)
        if (g->payee[e] == G) {
          fr_u64vec_push(ev, S);
          fr_u64vec_push(ev, G);
          fr_u64vec_push(ev, e);
        }
    }
  }
}

fr_status fr_detect_f7(fr_findings **out, const fr_store *store, const fr_detect_params *p, fr_error *err) {
  fr_lcol use[N_GCOLS] = GRAPH_COLS;
  const fr_f7_params fp = {fr_dp_i(p, "min_fan"), fr_dp_i(p, "scatter_days") * FR_US_PER_DAY,
                           fr_dp_i(p, "gather_days") * FR_US_PER_DAY, fr_dp_i(p, "ratio")};
  fr_dctx cx;
  fr_graph g;
  memset(&g, 0, sizeof g);
  int n_threads = omp_get_max_threads();
  fr_u64vec *found = fr_calloc((size_t)n_threads, sizeof *found);
  fr_status status = fr_graph_open(&cx, &g, use, store, p, 0, err);
  if (status == FR_OK && found == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  int failed = 0;
  if (status == FR_OK) {
#pragma omp parallel reduction(| : failed)
    {
      fr_f7_scratch sc;
      memset(&sc, 0, sizeof sc);
      uint64_t *fwd = NULL;
      size_t cap_fwd = 0;
      fr_u64vec *ev = &found[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 64)
      for (uint32_t S = 0; S < g.n_nodes; S++) {
        uint64_t s0 = g.start[S], s1 = g.start[S + 1];
        if (s1 - s0 < (uint64_t)fp.min_fan || failed)
          continue;
        /* S's payments to payees that pay onwards */
        size_t n_fwd = 0;
        for (uint64_t e = s0; e < s1; e++) {
          uint32_t m = g.payee[e];
          if (m == FR_NOID || g.start[m + 1] == g.start[m])
            continue;
          if (fr_reserve((void **)&fwd, &cap_fwd, n_fwd + 1, sizeof *fwd) != 0) {
            failed = 1;
            break;
          }
          fwd[n_fwd++] = e;
        }
        if ((int64_t)n_fwd < fp.min_fan)
          continue;
        /* a window starts at every payment q of S; its forwarding part is fwd[lo, hi) */
        /* a payment with a NULL payee starts no window (a row with NULL in a
         * column the rule needs is skipped, DETECTORS.md), as it is in none */
        size_t lo = 0, hi = 0, prev_lo = SIZE_MAX, prev_hi = SIZE_MAX;
        uint64_t last_start = UINT64_MAX;
        for (uint64_t q = s0; q < s1 && !failed; q++) {
          if (g.payee[q] == FR_NOID || (last_start != UINT64_MAX && g.ts[q] == g.ts[last_start]))
            continue;
          last_start = q;
          while (lo < n_fwd && g.ts[fwd[lo]] < g.ts[q]) lo++;
          if (hi < lo) hi = lo;
          while (hi < n_fwd && g.ts[fwd[hi]] - g.ts[q] <= fp.scatter_us) hi++;
          if ((lo == prev_lo && hi == prev_hi) || (int64_t)(hi - lo) < fp.min_fan)
            continue;
          prev_lo = lo;
          prev_hi = hi;
          fr_f7_window(&g, &fp, S, fwd, lo, hi, &sc, ev);
          failed |= sc.failed | ev->failed;
        }
      }
      fr_free(fwd);
      fr_free(sc.in);
      fr_free(sc.pairs);
      fr_free(sc.outs);
      fr_free(sc.m_start);
    }
    if (failed)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  /* merge: (S, G, edge) triples sorted, one finding per (S, G) */
  fr_u64vec all = {0};
  for (int t = 0; status == FR_OK && t < n_threads; t++)
    for (size_t k = 0; k < found[t].n; k++) fr_u64vec_push(&all, found[t].v[k]);
  if (all.failed)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  uint64_t *rows = NULL;
  if (status == FR_OK && all.n > 0) {
    qsort(all.v, all.n / 3, 3 * sizeof *all.v, fr_u64x3_cmp);
    rows = fr_malloc(all.n / 3 * sizeof *rows);
    if (rows == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  for (size_t x = 0, y; status == FR_OK && x < all.n; x = y) {
    uint32_t k = 0;
    fr_dx128 scattered = 0, gathered = 0;
    uint32_t S = (uint32_t)all.v[x], G = (uint32_t)all.v[x + 1];
    for (y = x; y < all.n && all.v[y] == S && all.v[y + 1] == G; y += 3) {
      uint64_t e = all.v[y + 2];
      if (k > 0 && g.row[e] == rows[k - 1])
        continue;
      rows[k++] = g.row[e];
      if (g.payer[e] == S && g.payee[e] != G) scattered += g.amount[e];
      else if (g.payee[e] == G) gathered += g.amount[e];
    }
    const char *src = fr_sdict_str(&cx.dict, S), *dst = fr_sdict_str(&cx.dict, G);
    char st[FR_VALUE_TEXT_CAP + 1], gt[FR_VALUE_TEXT_CAP + 1];
    int64_t s64 = scattered > INT64_MAX ? INT64_MAX : (int64_t)scattered;
    int64_t g64 = gathered > INT64_MAX ? INT64_MAX : (int64_t)gathered;
    char *summary = fr_strf("%s scattered %s to intermediaries that passed %s on to %s (%u payments)", src,
                            fr_cents_text(st, s64), fr_cents_text(gt, g64), dst, k);
    fr_jstr(&cx.json, "source", src);
    fr_jstr(&cx.json, "gatherer", dst);
    fr_jcents(&cx.json, "scattered", s64);
    fr_jcents(&cx.json, "gathered", g64);
    fr_fbuild_add(&cx.fb, rows, k, (double)g64 / 100.0, src,
                  use[O].present ? fr_sdict_str(&cx.dict, use[O].sid[rows[0]]) : NULL, summary, fr_jdone(&cx.json));
  }
  fr_free(rows);
  fr_free(all.v);
  for (int t = 0; found != NULL && t < n_threads; t++) fr_free(found[t].v);
  fr_free(found);
  fr_graph_free(&g);
  return fr_dctx_close(&cx, status, out, err);
}
