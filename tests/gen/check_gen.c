/* check_gen.c: an independent check of a `ferret gen` data set against
 * DETECTORS.md, written apart from the generator (it shares no code with it).
 *
 *   check_gen DIR     (DIR from `ferret gen DIR --compress none`)
 *
 * It reads the uncompressed CSVs and truth.csv and verifies:
 *  - every detector the generator plants -- F1..F12, A1..A7, P12..P14, W1..W3 --
 *    straight from its definition in DETECTORS.md with the default parameters (naive
 *    code: sort into partitions, then quadratic loops / depth-first search inside each),
 *    over ALL rows, background included: every planted truth row is exactly one
 *    finding (the same evidence keys), every finding is a planted truth row, and no
 *    finding touches a decoy's keys; a truth row of any other detector is an error;
 *  - referential integrity: payees, payers, requesters, approvers, actors,
 *    applicants, bidders, beneficiaries, officials and relation ends exist in
 *    entities; payments' case_id exist in approvals; bids belong to tenders; keys
 *    are unique; approvers hold a post in the paying org on the payment date, and
 *    officials acting in approvals hold a post in that org on the event date.
 * Where DETECTORS.md leaves room, the reading taken (the most literal one) is written
 * in a comment at the detector.
 * Exit status 0 when all holds, 1 otherwise (each offending row is printed), 2 on
 * bad usage or unreadable input.
 * Workload: up to a few million rows (memory holds the tables; 1,000,000 payments take
 * about 15 s and 1.6 GB).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CSV --------------------------------------------------------------------- */

typedef struct table {
  char **cells;    /* row-major, n_rows x n_cols, NUL-terminated; NULL cell = "" */
  size_t n_rows, n_cols;
  char **header;
} table;

static int read_field(FILE *f, char **out, int *end_of_row) {
  size_t cap = 32, n = 0;
  char *s = malloc(cap);
  int c = fgetc(f), quoted = 0;
  if (!s) return -1;
  if (c == EOF) {
    free(s);
    return 1;
  }
  if (c == '"') {
    quoted = 1;
    c = fgetc(f);
  }
  for (;;) {
    if (quoted) {
      if (c == EOF) break;
      if (c == '"') {
        c = fgetc(f);
        if (c != '"') quoted = 0;
        else {
          c = '"';
          goto put;
        }
        continue;
      }
    } else if (c == ',' || c == '\n' || c == EOF) {
      break;
    } else if (c == '\r') {
      c = fgetc(f);
      continue;
    }
  put:
    if (n + 1 >= cap) {
      cap *= 2;
      char *ns = realloc(s, cap);
      if (!ns) {
        free(s);
        return -1;
      }
      s = ns;
    }
    s[n++] = (char)c;
    c = fgetc(f);
  }
  s[n] = 0;
  *out = s;
  *end_of_row = c != ',';
  return 0;
}

static int load(table *t, const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.csv", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "check_gen: cannot open %s (generate with --compress none)\n", path);
    return -1;
  }
  memset(t, 0, sizeof *t);
  size_t cap = 0, n = 0, cols = 0, row_cells = 0;
  char **cells = NULL;
  for (;;) {
    char *s;
    int eor, rc = read_field(f, &s, &eor);
    if (rc == 1) break;
    if (rc < 0) return -1;
    if (n == cap) {
      cap = cap ? cap * 2 : 1024;
      cells = realloc(cells, cap * sizeof *cells);
      if (!cells) return -1;
    }
    cells[n++] = s;
    row_cells++;
    if (eor) {
      if (!cols) cols = row_cells;
      else if (row_cells != cols) {
        fprintf(stderr, "check_gen: %s: row %zu has %zu fields, header has %zu\n", path, n / cols, row_cells, cols);
        fclose(f);
        return -1;
      }
      row_cells = 0;
    }
  }
  fclose(f);
  t->n_cols = cols;
  t->header = cells;
  t->cells = cells + cols;
  t->n_rows = cols ? n / cols - 1 : 0;
  return 0;
}

static int col(const table *t, const char *name) {
  for (size_t k = 0; k < t->n_cols; k++)
    if (strcmp(t->header[k], name) == 0) return (int)k;
  fprintf(stderr, "check_gen: missing column %s\n", name);
  exit(2);
}

static const char *cell(const table *t, size_t r, int c) { return t->cells[r * t->n_cols + (size_t)c]; }

static void table_free(table *t) {
  size_t n = (t->n_rows + 1) * t->n_cols;
  for (size_t k = 0; k < n; k++) free(t->header[k]);
  free(t->header);
  memset(t, 0, sizeof *t);
}

/* ---- string set ------------------------------------------------------------------ */

typedef struct strset {
  const char **keys;
  size_t cap, n;
} strset;

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* Adds s; returns 1 when it was already present. */
static int set_add(strset *s, const char *k) {
  if ((s->n + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 1024;
    const char **nk = calloc(cap, sizeof *nk);
    for (size_t i = 0; i < s->cap; i++) {
      if (!s->keys[i]) continue;
      size_t j = hash_str(s->keys[i]) & (cap - 1);
      while (nk[j]) j = (j + 1) & (cap - 1);
      nk[j] = s->keys[i];
    }
    free(s->keys);
    s->keys = nk;
    s->cap = cap;
  }
  size_t j = hash_str(k) & (s->cap - 1);
  while (s->keys[j]) {
    if (strcmp(s->keys[j], k) == 0) return 1;
    j = (j + 1) & (s->cap - 1);
  }
  s->keys[j] = k;
  s->n++;
  return 0;
}

static int set_has(const strset *s, const char *k) {
  if (!s->cap) return 0;
  size_t j = hash_str(k) & (s->cap - 1);
  while (s->keys[j]) {
    if (strcmp(s->keys[j], k) == 0) return 1;
    j = (j + 1) & (s->cap - 1);
  }
  return 0;
}

/* ---- values ------------------------------------------------------------------------ */

static int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD[ HH:MM:SS[.ffffff]]" to microseconds. */
static int64_t parse_ts(const char *s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  long us = 0;
  sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &se);
  const char *dot = strchr(s, '.');
  if (dot) {
    char frac[7] = "000000";
    for (int k = 0; k < 6 && dot[1 + k] >= '0' && dot[1 + k] <= '9'; k++) frac[k] = dot[1 + k];
    us = strtol(frac, NULL, 10);
  }
  return ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) * 1000000LL) + us;
}

static int64_t parse_cents(const char *s) {
  int neg = *s == '-';
  if (neg) s++;
  int64_t ip = 0, fp = 0;
  int nf = 0;
  for (; *s && *s != '.'; s++) ip = ip * 10 + (*s - '0');
  if (*s == '.')
    for (s++; *s && nf < 2; s++, nf++) fp = fp * 10 + (*s - '0');
  while (nf++ < 2) fp *= 10;
  return (neg ? -1 : 1) * (ip * 100 + fp);
}

static int64_t day_of(int64_t ts) { return ts / (86400LL * 1000000); }

/* ---- payments and findings --------------------------------------------------------------- */

typedef struct pay {
  const char *txn, *org, *payer, *payee, *invoice;
  int64_t ts, amount;
  size_t input; /* row number */
  const char *budget, *requester, *approver, *ts_text;
  int has_amount; /* amount not NULL */
} pay;

typedef struct finding {
  char *keys; /* sorted, space-separated */
} finding;

typedef struct findings {
  finding *f;
  size_t n, cap;
} findings;

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add_finding(findings *fs, const char **keys, size_t n) {
  qsort(keys, n, sizeof *keys, str_cmp);
  size_t len = 0;
  for (size_t k = 0; k < n; k++) len += strlen(keys[k]) + 1;
  char *s = malloc(len + 1), *o = s;
  for (size_t k = 0; k < n; k++) {
    if (k) *o++ = ' ';
    size_t l = strlen(keys[k]);
    memcpy(o, keys[k], l);
    o += l;
  }
  *o = 0;
  if (fs->n == fs->cap) {
    fs->cap = fs->cap ? fs->cap * 2 : 64;
    fs->f = realloc(fs->f, fs->cap * sizeof *fs->f);
  }
  fs->f[fs->n++].keys = s;
}

static void norm_invoice(char *out, const char *s) {
  for (; *s; s++) {
    char c = *s;
    if (c >= 'a' && c <= 'z') c = (char)(c - 32);
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) *out++ = c;
  }
  *out = 0;
}

static pay *g_pays; /* for comparators */

static int by_f1(const void *a, const void *b) {
  const pay *x = &g_pays[*(const size_t *)a], *y = &g_pays[*(const size_t *)b];
  int c = strcmp(x->payee, y->payee);
  if (c) return c;
  if (x->amount != y->amount) return x->amount < y->amount ? -1 : 1;
  char nx[64], ny[64];
  norm_invoice(nx, x->invoice);
  norm_invoice(ny, y->invoice);
  return strcmp(nx, ny);
}

static void detect_f1(pay *p, size_t n, findings *fs) {
  size_t *ix = malloc(n * sizeof *ix), m = 0;
  char nn[64];
  for (size_t k = 0; k < n; k++) {
    if (!p[k].invoice[0]) continue;
    norm_invoice(nn, p[k].invoice);
    if (nn[0]) ix[m++] = k;
  }
  g_pays = p;
  qsort(ix, m, sizeof *ix, by_f1);
  const char **keys = malloc((m + 1) * sizeof *keys);
  for (size_t a = 0, b; a < m; a = b) {
    for (b = a + 1; b < m && by_f1(&ix[a], &ix[b]) == 0; b++) {
    }
    if (b - a < 2) continue;
    for (size_t k = a; k < b; k++) keys[k - a] = p[ix[k]].txn;
    add_finding(fs, keys, b - a);
  }
  free(keys);
  free(ix);
}

/* partition compare (a, b, c string keys + amount), then ts, then input order */
static int by_f2(const void *a, const void *b) {
  const pay *x = &g_pays[*(const size_t *)a], *y = &g_pays[*(const size_t *)b];
  int c = strcmp(x->payer, y->payer);
  if (c) return c;
  if ((c = strcmp(x->payee, y->payee))) return c;
  if (x->amount != y->amount) return x->amount < y->amount ? -1 : 1;
  if (x->ts != y->ts) return x->ts < y->ts ? -1 : 1;
  return x->input < y->input ? -1 : x->input > y->input;
}

static void detect_f2(pay *p, size_t n, findings *fs) {
  const int64_t W = 3 * 86400LL * 1000000;
  size_t *ix = malloc(n * sizeof *ix), m = 0;
  for (size_t k = 0; k < n; k++)
    if (p[k].amount >= 100000) ix[m++] = k;
  g_pays = p;
  qsort(ix, m, sizeof *ix, by_f2);
  const char **keys = malloc((m + 1) * sizeof *keys);
  size_t run = 0;
  for (size_t k = 0; k <= m; k++) {
    int link = k > 0 && k < m && !strcmp(p[ix[k]].payer, p[ix[k - 1]].payer) &&
               !strcmp(p[ix[k]].payee, p[ix[k - 1]].payee) && p[ix[k]].amount == p[ix[k - 1]].amount &&
               p[ix[k]].ts - p[ix[k - 1]].ts <= W;
    if (!link) {
      if (run >= 2) add_finding(fs, keys, run);
      run = 0;
    }
    if (k < m) keys[run++] = p[ix[k]].txn;
  }
  free(keys);
  free(ix);
}

static int by_f3(const void *a, const void *b) {
  const pay *x = &g_pays[*(const size_t *)a], *y = &g_pays[*(const size_t *)b];
  int c = strcmp(x->org, y->org);
  if (c) return c;
  if ((c = strcmp(x->payee, y->payee))) return c;
  if (x->ts != y->ts) return x->ts < y->ts ? -1 : 1;
  return x->input < y->input ? -1 : x->input > y->input;
}

static void detect_f3(pay *p, size_t n, findings *fs) {
  const int64_t W = 7 * 86400LL * 1000000, thr = 10000000, lo = 8000000;
  size_t *ix = malloc(n * sizeof *ix), m = 0;
  for (size_t k = 0; k < n; k++)
    if (p[k].amount >= lo && p[k].amount < thr) ix[m++] = k;
  g_pays = p;
  qsort(ix, m, sizeof *ix, by_f3);
  char *flag = calloc(m + 1, 1);
  const char **keys = malloc((m + 1) * sizeof *keys);
  for (size_t a = 0, b; a < m; a = b) {
    for (b = a + 1; b < m && !strcmp(p[ix[b]].org, p[ix[a]].org) && !strcmp(p[ix[b]].payee, p[ix[a]].payee); b++) {
    }
    for (size_t q = a; q < b; q++) { /* a window starts at every payment */
      int64_t sum = 0;
      size_t cnt = 0;
      for (size_t k = a; k < b; k++)
        if (p[ix[k]].ts >= p[ix[q]].ts && p[ix[k]].ts <= p[ix[q]].ts + W) sum += p[ix[k]].amount, cnt++;
      if (cnt >= 2 && sum >= thr)
        for (size_t k = a; k < b; k++)
          if (p[ix[k]].ts >= p[ix[q]].ts && p[ix[k]].ts <= p[ix[q]].ts + W) flag[k] = 1;
    }
    size_t run = 0;
    int64_t last = 0;
    for (size_t k = a; k < b; k++) {
      if (!flag[k]) continue;
      if (run && p[ix[k]].ts - last > W) {
        add_finding(fs, keys, run);
        run = 0;
      }
      keys[run++] = p[ix[k]].txn;
      last = p[ix[k]].ts;
    }
    if (run) add_finding(fs, keys, run);
  }
  free(flag);
  free(keys);
  free(ix);
}

static int by_payer(const void *a, const void *b) {
  const pay *x = &g_pays[*(const size_t *)a], *y = &g_pays[*(const size_t *)b];
  return strcmp(x->payer, y->payer);
}

typedef struct payer_index {
  size_t *ix;
  size_t n;
} payer_index;

static size_t payer_first(const payer_index *pi, pay *p, const char *payer) {
  size_t lo = 0, hi = pi->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(p[pi->ix[mid]].payer, payer) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static void cycles(pay *p, const payer_index *pi, size_t *path, int k, findings *fs) {
  const int64_t W = 30 * 86400LL * 1000000;
  const pay *p1 = &p[path[0]], *last = &p[path[k - 1]];
  for (size_t j = payer_first(pi, p, last->payee); j < pi->n && !strcmp(p[pi->ix[j]].payer, last->payee); j++) {
    const pay *q = &p[pi->ix[j]];
    if (q->ts <= last->ts || q->ts - p1->ts > W) continue;
    int64_t d = q->amount - p1->amount;
    if ((d < 0 ? -d : d) * 10 > p1->amount) continue; /* tolerance 0.10 */
    int dup = 0;
    for (int i = 0; i < k; i++) dup |= !strcmp(p[path[i]].payer, q->payer);
    if (dup) continue;
    path[k] = pi->ix[j];
    if (!strcmp(q->payee, p1->payer)) {
      const char *keys[4];
      for (int i = 0; i <= k; i++) keys[i] = p[path[i]].txn;
      add_finding(fs, keys, (size_t)k + 1);
    } else if (k + 1 < 4) {
      cycles(p, pi, path, k + 1, fs);
    }
  }
}

static void detect_f5(pay *p, size_t n, findings *fs) {
  payer_index pi = {malloc(n * sizeof(size_t)), n};
  for (size_t k = 0; k < n; k++) pi.ix[k] = k;
  g_pays = p;
  qsort(pi.ix, n, sizeof *pi.ix, by_payer);
  size_t path[4];
  for (size_t k = 0; k < n; k++)
    if (p[k].amount >= 1000000) {
      path[0] = k;
      cycles(p, &pi, path, 1, fs);
    }
  free(pi.ix);
}

/* ---- helpers for the other detectors ------------------------------------------------ */

__extension__ typedef __int128 i128; /* exact sums of microsecond waits */

#define US_PER_DAY (86400LL * 1000000)
#define NO_DAY INT64_MIN

/* floor division of a timestamp to its calendar day (days since 1970-01-01) */
static int64_t day_floor(int64_t ts) { return ts >= 0 ? ts / US_PER_DAY : -((-ts + US_PER_DAY - 1) / US_PER_DAY); }

/* "YYYY-MM-DD..." to days since 1970-01-01; NO_DAY when empty (NULL) */
static int64_t parse_day(const char *s) {
  int y = 0, m = 0, d = 0;
  if (!s[0] || sscanf(s, "%d-%d-%d", &y, &m, &d) != 3) return NO_DAY;
  return days_from_civil(y, m, d);
}

/* [since, until] inclusive, NO_DAY = open end */
static int valid_on(int64_t since, int64_t until, int64_t day) {
  return (since == NO_DAY || since <= day) && (until == NO_DAY || day <= until);
}

/* a pool for composite keys, freed at exit */
typedef struct pool {
  char **blk;
  size_t n, cap, used, size;
} pool;
static pool g_pool;

static char *pool_alloc(size_t len) {
  if (!g_pool.n || g_pool.used + len > g_pool.size) {
    size_t size = len > (1u << 20) ? len : (1u << 20);
    if (g_pool.n == g_pool.cap) {
      g_pool.cap = g_pool.cap ? g_pool.cap * 2 : 16;
      g_pool.blk = realloc(g_pool.blk, g_pool.cap * sizeof *g_pool.blk);
    }
    g_pool.blk[g_pool.n++] = malloc(size);
    g_pool.used = 0;
    g_pool.size = size;
  }
  char *r = g_pool.blk[g_pool.n - 1] + g_pool.used;
  g_pool.used += len;
  return r;
}

static void pool_free(void) {
  for (size_t k = 0; k < g_pool.n; k++) free(g_pool.blk[k]);
  free(g_pool.blk);
  memset(&g_pool, 0, sizeof g_pool);
}

/* "a<US>b[<US>c]" */
static const char *key3(const char *a, const char *b, const char *c) {
  size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
  char *s = pool_alloc(la + lb + lc + 3), *o = s;
  memcpy(o, a, la), o += la, *o++ = '\x1f';
  memcpy(o, b, lb), o += lb;
  if (c) *o++ = '\x1f', memcpy(o, c, lc), o += lc;
  *o = 0;
  return s;
}

/* string -> index map (first put wins) */
typedef struct strmap {
  const char **k;
  size_t *v;
  size_t cap, n;
} strmap;

static void map_put(strmap *m, const char *k, size_t v) {
  if ((m->n + 1) * 2 > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 1024;
    const char **nk = calloc(cap, sizeof *nk);
    size_t *nv = calloc(cap, sizeof *nv);
    for (size_t i = 0; i < m->cap; i++) {
      if (!m->k[i]) continue;
      size_t j = hash_str(m->k[i]) & (cap - 1);
      while (nk[j]) j = (j + 1) & (cap - 1);
      nk[j] = m->k[i];
      nv[j] = m->v[i];
    }
    free(m->k);
    free(m->v);
    m->k = nk;
    m->v = nv;
    m->cap = cap;
  }
  size_t j = hash_str(k) & (m->cap - 1);
  while (m->k[j]) {
    if (strcmp(m->k[j], k) == 0) return;
    j = (j + 1) & (m->cap - 1);
  }
  m->k[j] = k;
  m->v[j] = v;
  m->n++;
}

static size_t map_get(const strmap *m, const char *k) {
  if (!m->cap) return SIZE_MAX;
  size_t j = hash_str(k) & (m->cap - 1);
  while (m->k[j]) {
    if (strcmp(m->k[j], k) == 0) return m->v[j];
    j = (j + 1) & (m->cap - 1);
  }
  return SIZE_MAX;
}

static void map_free(strmap *m) {
  free(m->k);
  free(m->v);
  memset(m, 0, sizeof *m);
}

/* (key, order, id) triples sorted by key, then order, then id: partitions */
typedef struct kv {
  const char *key;
  int64_t ord;
  size_t id;
} kv;

static int kv_cmp(const void *a, const void *b) {
  const kv *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (c) return c;
  if (x->ord != y->ord) return x->ord < y->ord ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* end of the partition that starts at a */
static size_t kv_end(const kv *v, size_t n, size_t a) {
  size_t b = a + 1;
  while (b < n && !strcmp(v[b].key, v[a].key)) b++;
  return b;
}

/* first entry with key >= key */
static size_t kv_lower(const kv *v, size_t n, const char *key) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(v[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static int cstr_cmp(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* sorts keys, drops repeats, returns the new count */
static size_t uniq_keys(const char **keys, size_t n) {
  qsort(keys, n, sizeof *keys, cstr_cmp);
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (!m || strcmp(keys[m - 1], keys[k])) keys[m++] = keys[k];
  return m;
}

/* ---- entities, relations, posts ------------------------------------------------------ */

typedef struct erow {
  const char *id, *address, *phone, *bank, *id_no;
  int64_t registered, deceased; /* days or NO_DAY */
} erow;

typedef struct relrow {
  const char *a, *b, *kind;
  int64_t since, until;
} relrow;

typedef struct post {
  const char *org, *post, *official;
  int64_t start, end;
} post;

typedef struct world {
  erow *e;
  size_t ne;
  strmap eid; /* id -> index in e */
  relrow *r;
  size_t nr;
  kv *rel_by_a, *rel_by_b; /* id = index in r */
  post *po;
  size_t npo;
  kv *post_by_official; /* id = index in po */
} world;

static const erow *entity(const world *w, const char *id) {
  if (!id[0]) return NULL;
  size_t k = map_get(&w->eid, id);
  return k == SIZE_MAX ? NULL : &w->e[k];
}

/* both non-empty and equal */
static int same_nonempty(const char *a, const char *b) { return a[0] && b[0] && !strcmp(a, b); }

/* Literal reading of "shares a non-empty phone, address or bank_account": the same
 * column in both rows (phone with phone, ...), both non-empty and equal. */
static int shares_contact(const erow *x, const erow *y) {
  return x && y && (same_nonempty(x->phone, y->phone) || same_nonempty(x->address, y->address) ||
                    same_nonempty(x->bank, y->bank));
}

/* calls back for each relation touching id (either end); returns the other end */
typedef struct rel_iter {
  const world *w;
  const char *id;
  int side; /* 0: id is a, 1: id is b */
  size_t j;
} rel_iter;

static const relrow *rel_next(rel_iter *it, const char **other) {
  const world *w = it->w;
  for (; it->side < 2; it->side++, it->j = SIZE_MAX) {
    const kv *v = it->side ? w->rel_by_b : w->rel_by_a;
    if (it->j == SIZE_MAX) it->j = kv_lower(v, w->nr, it->id);
    if (it->j < w->nr && !strcmp(v[it->j].key, it->id)) {
      const relrow *r = &w->r[v[it->j].id];
      it->j++;
      *other = it->side ? r->a : r->b;
      return r;
    }
  }
  return NULL;
}

static rel_iter rel_iter_of(const world *w, const char *id) { return (rel_iter){w, id, 0, SIZE_MAX}; }

/* ---- F4 benford --------------------------------------------------------------------- */

static int first_two(int64_t cents) {
  int64_t ip = cents / 100;
  while (ip >= 100) ip /= 10;
  return (int)ip;
}

/* group_by org, min_count 1000, min_amount 10.00, mad_limit 0.0022.
 * Reading: the group's sample is its payments with amount >= min_amount; the evidence
 * is drawn from that sample (amounts under 10.00 have no two-digit integer part). */
static void detect_f4(pay *p, size_t n, findings *fs) {
  kv *v = malloc((n + 1) * sizeof *v);
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (p[k].has_amount && p[k].org[0] && p[k].amount >= 1000) v[m++] = (kv){p[k].org, 0, k};
  qsort(v, m, sizeof *v, kv_cmp);
  double e[100] = {0}, mean_sd = 0;
  for (int d = 10; d <= 99; d++) {
    e[d] = log10(1.0 + 1.0 / d);
    mean_sd += sqrt(e[d] * (1 - e[d]));
  }
  mean_sd /= 90;
  const char **keys = malloc((m + 1) * sizeof *keys);
  for (size_t a = 0, b; a < m; a = b) {
    b = kv_end(v, m, a);
    size_t cnt = b - a;
    if (cnt < 1000) continue;
    size_t c[100] = {0};
    for (size_t k = a; k < b; k++) c[first_two(p[v[k].id].amount)]++;
    double mad = 0;
    for (int d = 10; d <= 99; d++) mad += fabs((double)c[d] / (double)cnt - e[d]);
    mad /= 90;
    double en = sqrt(2.0 / (acos(-1.0) * (double)cnt)) * mean_sd;
    if (!(mad - en > 0.0022)) continue;
    int top[3] = {0, 0, 0};
    for (int t = 0; t < 3; t++) {
      int best = 0;
      for (int d = 10; d <= 99; d++) {
        if (d == top[0] || d == top[1]) continue;
        if (!best || (double)c[d] / (double)cnt - e[d] > (double)c[best] / (double)cnt - e[best]) best = d;
      }
      top[t] = best;
    }
    size_t nk = 0;
    for (size_t k = a; k < b; k++) {
      int d = first_two(p[v[k].id].amount);
      if (d == top[0] || d == top[1] || d == top[2]) keys[nk++] = p[v[k].id].txn;
    }
    qsort(keys, nk, sizeof *keys, cstr_cmp);
    add_finding(fs, keys, nk < 1000 ? nk : 1000);
  }
  free(keys);
  free(v);
}

/* ---- F6 pass_through ---------------------------------------------------------------- */

/* hours 48, ratio 0.9, min_amount 50000.00 */
static void detect_f6(pay *p, size_t n, const kv *by_payer, findings *fs) {
  const int64_t H = 48LL * 3600 * 1000000;
  const char **keys = malloc((n + 1) * sizeof *keys);
  for (size_t k = 0; k < n; k++) {
    if (!p[k].has_amount || p[k].amount < 5000000 || !p[k].payee[0]) continue;
    int64_t out = 0;
    size_t nk = 0;
    keys[nk++] = p[k].txn;
    for (size_t j = kv_lower(by_payer, n, p[k].payee); j < n && !strcmp(by_payer[j].key, p[k].payee); j++) {
      const pay *q = &p[by_payer[j].id];
      if (q->has_amount && q->ts > p[k].ts && q->ts <= p[k].ts + H) {
        out += q->amount;
        keys[nk++] = q->txn;
      }
    }
    if (out * 10 >= 9 * p[k].amount) add_finding(fs, keys, nk);
  }
  free(keys);
}

/* ---- F7 scatter_gather -------------------------------------------------------------- */

typedef struct sg_ev {
  const char *src, *dst; /* (S, G) */
  const char *txn;
} sg_ev;

static int sg_cmp(const void *a, const void *b) {
  const sg_ev *x = a, *y = b;
  int c = strcmp(x->src, y->src);
  if (c) return c;
  if ((c = strcmp(x->dst, y->dst))) return c;
  return strcmp(x->txn, y->txn);
}

/* min_fan 5, scatter_days 3, gather_days 7, ratio 0.8. by_payer is sorted by (payer, ts).
 * Reading: a window is S's payments with q.ts <= ts <= q.ts + 3 days, q any payment of S;
 * m gathers to G with m's payments to G in [t0(m), t0(m) + 7 days]. */
static void detect_f7(pay *p, size_t n, const kv *by_payer, findings *fs) {
  const int64_t SD = 3 * US_PER_DAY, GD = 7 * US_PER_DAY;
  size_t cap = 1024, ne = 0;
  sg_ev *ev = malloc(cap * sizeof *ev);
  /* per window scratch */
  size_t *win = malloc((n + 1) * sizeof *win);
  const char **payees = malloc((n + 1) * sizeof *payees);
  int64_t *recv = malloc((n + 1) * sizeof *recv), *t0 = malloc((n + 1) * sizeof *t0);
  kv *gsum = malloc((n + 1) * sizeof *gsum); /* (G, m) pairs that gather */
  /* Only a payee that pays someone can gather, and the other payees of M change nothing
   * (neither the count of gatherers nor the evidence): leave them out of the windows. */
  char *fwd = malloc(n + 1);
  for (size_t k = 0; k < n; k++) {
    size_t j = kv_lower(by_payer, n, p[k].payee);
    fwd[k] = j < n && !strcmp(by_payer[j].key, p[k].payee);
  }
  for (size_t a = 0, b; a < n; a = b) {
    b = kv_end(by_payer, n, a);
    const char *S = by_payer[a].key;
    if (!S[0]) continue;
    for (size_t q = a; q < b; q++) {
      int64_t qts = p[by_payer[q].id].ts;
      size_t nw = 0, nm = 0, k0 = q;
      while (k0 > a && p[by_payer[k0 - 1].id].ts == qts) k0--; /* same instant, earlier input */
      for (size_t k = k0; k < b && p[by_payer[k].id].ts <= qts + SD; k++) /* sorted by ts */
        if (p[by_payer[k].id].has_amount && p[by_payer[k].id].payee[0] && fwd[by_payer[k].id])
          win[nw++] = by_payer[k].id;
      /* distinct payees, received, t0 */
      for (size_t k = 0; k < nw; k++) {
        const pay *x = &p[win[k]];
        size_t mi = 0;
        while (mi < nm && strcmp(payees[mi], x->payee)) mi++;
        if (mi == nm) {
          payees[nm] = x->payee;
          recv[nm] = 0;
          t0[nm] = x->ts;
          nm++;
        }
        recv[mi] += x->amount;
        if (x->ts < t0[mi]) t0[mi] = x->ts;
      }
      if (nm < 5) continue;
      /* for each m: sums to each G within [t0, t0 + 7 days] */
      size_t ng = 0;
      for (size_t mi = 0; mi < nm; mi++) {
        const char *m = payees[mi];
        size_t s0 = kv_lower(by_payer, n, m), s1 = s0;
        while (s1 < n && !strcmp(by_payer[s1].key, m)) s1++;
        /* distinct G among m's payments in range */
        for (size_t j = s0; j < s1; j++) {
          const pay *y = &p[by_payer[j].id];
          if (!y->has_amount || !y->payee[0] || y->ts < t0[mi] || y->ts > t0[mi] + GD) continue;
          int seen = 0;
          for (size_t j2 = s0; j2 < j && !seen; j2++) {
            const pay *z = &p[by_payer[j2].id];
            seen = z->has_amount && z->ts >= t0[mi] && z->ts <= t0[mi] + GD && !strcmp(z->payee, y->payee);
          }
          if (seen) continue;
          int64_t sum = 0;
          for (size_t j2 = j; j2 < s1; j2++) {
            const pay *z = &p[by_payer[j2].id];
            if (z->has_amount && z->ts >= t0[mi] && z->ts <= t0[mi] + GD && !strcmp(z->payee, y->payee))
              sum += z->amount;
          }
          if (sum * 10 >= 8 * recv[mi]) gsum[ng++] = (kv){y->payee, 0, mi};
        }
      }
      qsort(gsum, ng, sizeof *gsum, kv_cmp);
      for (size_t g = 0, h; g < ng; g = h) {
        h = kv_end(gsum, ng, g);
        if (h - g < 5) continue; /* payees that gather to G (each m appears once per G) */
        const char *G = gsum[g].key;
        for (size_t t = g; t < h; t++) {
          size_t mi = gsum[t].id;
          const char *m = payees[mi];
          if (ne + nw + n >= cap) {
            while (ne + nw + n >= cap) cap *= 2;
            ev = realloc(ev, cap * sizeof *ev);
          }
          for (size_t k = 0; k < nw; k++)
            if (!strcmp(p[win[k]].payee, m)) ev[ne++] = (sg_ev){S, G, p[win[k]].txn};
          for (size_t j = kv_lower(by_payer, n, m); j < n && !strcmp(by_payer[j].key, m); j++) {
            const pay *z = &p[by_payer[j].id];
            if (z->has_amount && z->ts >= t0[mi] && z->ts <= t0[mi] + GD && !strcmp(z->payee, G))
              ev[ne++] = (sg_ev){S, G, z->txn};
          }
        }
      }
    }
  }
  qsort(ev, ne, sizeof *ev, sg_cmp);
  const char **keys = malloc((ne + 1) * sizeof *keys);
  for (size_t a = 0, b; a < ne; a = b) {
    size_t nk = 0;
    for (b = a; b < ne && !strcmp(ev[b].src, ev[a].src) && !strcmp(ev[b].dst, ev[a].dst); b++)
      if (!nk || strcmp(keys[nk - 1], ev[b].txn)) keys[nk++] = ev[b].txn;
    add_finding(fs, keys, nk);
  }
  free(keys);
  free(ev);
  free(fwd);
  free(win);
  free(payees);
  free(recv);
  free(t0);
  free(gsum);
}

/* ---- F8 off_hours ------------------------------------------------------------------- */

/* min_amount 10000.00, min_count 3, night_start 22, night_end 6, no holidays */
static void detect_f8(pay *p, size_t n, findings *fs) {
  kv *v = malloc((n + 1) * sizeof *v);
  size_t m = 0;
  for (size_t k = 0; k < n; k++) {
    if (!p[k].has_amount || p[k].amount < 1000000 || !p[k].approver[0]) continue;
    int64_t day = day_floor(p[k].ts), sec = (p[k].ts - day * US_PER_DAY) / 1000000;
    int wd = (int)(((day % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
    int hour = (int)(sec / 3600);
    if (wd == 0 || wd == 6 || hour >= 22 || hour < 6) v[m++] = (kv){p[k].approver, 0, k};
  }
  qsort(v, m, sizeof *v, kv_cmp);
  const char **keys = malloc((m + 1) * sizeof *keys);
  for (size_t a = 0, b; a < m; a = b) {
    b = kv_end(v, m, a);
    if (b - a < 3) continue;
    for (size_t k = a; k < b; k++) keys[k - a] = p[v[k].id].txn;
    add_finding(fs, keys, b - a);
  }
  free(keys);
  free(v);
}

/* ---- F9 year_end_spike -------------------------------------------------------------- */

static int by_amount_desc(const void *a, const void *b) {
  const pay *x = *(const pay *const *)a, *y = *(const pay *const *)b;
  if (x->amount != y->amount) return x->amount > y->amount ? -1 : 1;
  return strcmp(x->txn, y->txn); /* ties: the smaller key first */
}

/* ratio 3.0, min_amount 1000000.00, min_months 6, min_payments 10 */
static void detect_f9(pay *p, size_t n, findings *fs) {
  kv *v = malloc((n + 1) * sizeof *v);
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (p[k].has_amount && p[k].org[0]) {
      char year[5];
      memcpy(year, p[k].ts_text, 4);
      year[4] = 0;
      v[m++] = (kv){key3(p[k].org, year, NULL), 0, k}; /* (org, calendar year) */
    }
  qsort(v, m, sizeof *v, kv_cmp);
  const pay **dec = malloc((m + 1) * sizeof *dec);
  const char *keys[20];
  for (size_t a = 0, b; a < m; a = b) {
    b = kv_end(v, m, a);
    int months[13] = {0};
    int64_t jan_nov = 0, dec_total = 0;
    size_t nd = 0;
    for (size_t k = a; k < b; k++) {
      const pay *x = &p[v[k].id];
      int month = atoi(x->ts_text + 5);
      if (month == 12) {
        dec_total += x->amount;
        dec[nd++] = x;
      } else {
        months[month] = 1;
        jan_nov += x->amount;
      }
    }
    int nmonths = 0;
    for (int k = 1; k <= 11; k++) nmonths += months[k];
    if (nmonths < 6 || nd < 10) continue;
    /* dec >= 3 * (jan_nov / 11), exactly */
    if (!((i128)dec_total * 11 >= (i128)jan_nov * 3 && dec_total >= 100000000)) continue;
    qsort(dec, nd, sizeof *dec, by_amount_desc);
    size_t nk = nd < 20 ? nd : 20;
    for (size_t k = 0; k < nk; k++) keys[k] = dec[k]->txn;
    add_finding(fs, keys, nk);
  }
  free(dec);
  free(v);
}

/* ---- F10 amount_outlier ------------------------------------------------------------- */

static int dbl_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median_of(double *x, size_t n) { /* sorts x */
  qsort(x, n, sizeof *x, dbl_cmp);
  return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* min_count 50, z 5.0; partition (org, budget_code), both non-NULL */
static void detect_f10(pay *p, size_t n, findings *fs) {
  kv *v = malloc((n + 1) * sizeof *v);
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (p[k].has_amount && p[k].amount > 0 && p[k].org[0] && p[k].budget[0])
      v[m++] = (kv){key3(p[k].org, p[k].budget, NULL), 0, k};
  qsort(v, m, sizeof *v, kv_cmp);
  double *x = malloc((m + 1) * sizeof *x), *d = malloc((m + 1) * sizeof *d);
  for (size_t a = 0, b; a < m; a = b) {
    b = kv_end(v, m, a);
    size_t cnt = b - a;
    if (cnt < 50) continue;
    for (size_t k = a; k < b; k++) x[k - a] = log((double)p[v[k].id].amount / 100.0);
    double med = median_of(x, cnt);
    for (size_t k = 0; k < cnt; k++) d[k] = fabs(x[k] - med);
    double mad = median_of(d, cnt);
    if (!(mad > 0)) continue;
    for (size_t k = a; k < b; k++) {
      double xi = log((double)p[v[k].id].amount / 100.0);
      if (xi > med && (xi - med) / (1.4826 * mad) >= 5.0) {
        const char *key = p[v[k].id].txn;
        add_finding(fs, &key, 1);
      }
    }
  }
  free(x);
  free(d);
  free(v);
}

/* ---- F11 related_party, F12 new_vendor_large ----------------------------------------- */

/* kinds: all */
static int related_on(const world *w, const char *x, const char *y, int64_t day) {
  if (!x[0] || !y[0]) return 0;
  rel_iter it = rel_iter_of(w, x);
  const char *other;
  for (const relrow *r; (r = rel_next(&it, &other));)
    if (!strcmp(other, y) && valid_on(r->since, r->until, day)) return 1;
  return 0;
}

static void detect_f11(pay *p, size_t n, const world *w, findings *fs) {
  for (size_t k = 0; k < n; k++) {
    if (!p[k].payee[0]) continue;
    int64_t day = day_floor(p[k].ts);
    const erow *payee = entity(w, p[k].payee);
    int hit = 0;
    const char *who[2] = {p[k].approver, p[k].requester};
    for (int i = 0; i < 2 && !hit; i++) {
      if (!who[i][0]) continue;
      hit = related_on(w, who[i], p[k].payee, day) || shares_contact(entity(w, who[i]), payee);
    }
    if (hit) {
      const char *key = p[k].txn;
      add_finding(fs, &key, 1);
    }
  }
}

/* days 90, min_amount 500000.00 */
static void detect_f12(pay *p, size_t n, const world *w, findings *fs) {
  for (size_t k = 0; k < n; k++) {
    if (!p[k].has_amount || p[k].amount < 50000000) continue;
    const erow *e = entity(w, p[k].payee);
    if (!e || e->registered == NO_DAY) continue;
    int64_t age = day_floor(p[k].ts) - e->registered;
    if (age >= 0 && age <= 90) {
      const char *key = p[k].txn;
      add_finding(fs, &key, 1);
    }
  }
}

/* ---- approvals ------------------------------------------------------------------------ */

typedef struct event {
  const char *cas, *activity, *actor, *org, *service;
  int64_t ts, amount;
  int has_amount;
  size_t input;
} event;

typedef struct caselog {
  event *ev;   /* input order */
  size_t n;    /* events */
  size_t *ord; /* event indices in case order: by case, then ts, then input order */
  size_t *start, nc; /* case c holds ord[start[c] .. start[c + 1]) */
} caselog;

static int is_terminal(const char *a) {
  return !strcmp(a, "final_approve") || !strcmp(a, "reject") || !strcmp(a, "close");
}

static void cases_build(caselog *c) {
  kv *v = malloc((c->n + 1) * sizeof *v);
  for (size_t k = 0; k < c->n; k++) v[k] = (kv){c->ev[k].cas, c->ev[k].ts, k};
  qsort(v, c->n, sizeof *v, kv_cmp);
  c->ord = malloc((c->n + 1) * sizeof *c->ord);
  c->start = malloc((c->n + 2) * sizeof *c->start);
  c->nc = 0;
  for (size_t k = 0; k < c->n; k++) {
    c->ord[k] = v[k].id;
    if (!k || strcmp(v[k].key, v[k - 1].key)) c->start[c->nc++] = k;
  }
  c->start[c->nc] = c->n;
  free(v);
}

static const event *case_ev(const caselog *c, size_t cs, size_t i) { return &c->ev[c->ord[c->start[cs] + i]]; }
static size_t case_len(const caselog *c, size_t cs) { return c->start[cs + 1] - c->start[cs]; }

static void add_one(findings *fs, const char *key) { add_finding(fs, &key, 1); }

/* A1: an actor of an approve / final_approve also did the case's submit, or one actor did
 * both approve and final_approve; plus payments with approver = requester (both non-NULL). */
static void detect_a1(const caselog *c, pay *p, size_t n, findings *fs) {
  for (size_t cs = 0; cs < c->nc; cs++) {
    size_t len = case_len(c, cs);
    int hit = 0;
    for (size_t i = 0; i < len && !hit; i++) {
      const event *e = case_ev(c, cs, i);
      int appr = !strcmp(e->activity, "approve"), fin = !strcmp(e->activity, "final_approve");
      if ((!appr && !fin) || !e->actor[0]) continue;
      for (size_t j = 0; j < len && !hit; j++) {
        const event *o = case_ev(c, cs, j);
        if (strcmp(o->actor, e->actor)) continue;
        hit = !strcmp(o->activity, "submit") || (appr && !strcmp(o->activity, "final_approve")) ||
              (fin && !strcmp(o->activity, "approve"));
      }
    }
    if (hit) add_one(fs, case_ev(c, cs, 0)->cas);
  }
  for (size_t k = 0; k < n; k++)
    if (p[k].approver[0] && p[k].requester[0] && !strcmp(p[k].approver, p[k].requester)) add_one(fs, p[k].txn);
}

/* A2: a pay event before the first final_approve in case order, or pay and no final_approve */
static void detect_a2(const caselog *c, findings *fs) {
  for (size_t cs = 0; cs < c->nc; cs++) {
    size_t len = case_len(c, cs), first_fin = SIZE_MAX, first_pay = SIZE_MAX;
    for (size_t i = 0; i < len; i++) {
      const char *a = case_ev(c, cs, i)->activity;
      if (first_fin == SIZE_MAX && !strcmp(a, "final_approve")) first_fin = i;
      if (first_pay == SIZE_MAX && !strcmp(a, "pay")) first_pay = i;
    }
    if (first_pay != SIZE_MAX && first_pay < first_fin) add_one(fs, case_ev(c, cs, 0)->cas);
  }
}

/* A3: sla_days 20, as_of = the latest ts of the table. Reading: "first terminal ts" is the
 * earliest terminal event of the case, wherever it lies relative to the submit. */
static void detect_a3(const caselog *c, findings *fs) {
  int64_t as_of = INT64_MIN;
  for (size_t k = 0; k < c->n; k++)
    if (c->ev[k].ts > as_of) as_of = c->ev[k].ts;
  for (size_t cs = 0; cs < c->nc; cs++) {
    size_t len = case_len(c, cs);
    int64_t sub = INT64_MIN, term = INT64_MIN;
    for (size_t i = 0; i < len; i++) {
      const event *e = case_ev(c, cs, i);
      if (sub == INT64_MIN && !strcmp(e->activity, "submit")) sub = e->ts;
      if (term == INT64_MIN && is_terminal(e->activity)) term = e->ts;
    }
    if (sub == INT64_MIN) continue;
    int64_t end = term == INT64_MIN ? as_of : term;
    if (end - sub > 20 * US_PER_DAY) add_one(fs, case_ev(c, cs, 0)->cas);
  }
}

/* one event with a wait */
typedef struct wev {
  const char *org, *act, *actor, *cas;
  int64_t wait;
} wev;

static int wev_cmp(const void *a, const void *b) {
  const wev *x = a, *y = b;
  int c = strcmp(x->org, y->org);
  if (c) return c;
  if ((c = strcmp(x->act, y->act))) return c;
  if ((c = strcmp(x->actor, y->actor))) return c;
  if ((c = strcmp(x->cas, y->cas))) return c;
  return x->wait < y->wait ? -1 : x->wait > y->wait;
}

static int i64_cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* twice the median (exact) */
static int64_t median2(int64_t *x, size_t n) {
  qsort(x, n, sizeof *x, i64_cmp);
  return n % 2 ? 2 * x[n / 2] : x[n / 2 - 1] + x[n / 2];
}

typedef struct case_wait {
  const char *cas;
  int64_t wait;
} case_wait;

static int cw_cmp(const void *a, const void *b) {
  const case_wait *x = a, *y = b;
  int c = strcmp(x->cas, y->cas);
  if (c) return c;
  return x->wait > y->wait ? -1 : x->wait < y->wait; /* longest first */
}

static int cw_longest(const void *a, const void *b) {
  const case_wait *x = a, *y = b;
  if (x->wait != y->wait) return x->wait > y->wait ? -1 : 1;
  return strcmp(x->cas, y->cas); /* ties: the smaller key */
}

/* the 20 cases with the longest single wait among w[0..n) */
static void top20_cases(const wev *w, size_t n, findings *fs) {
  case_wait *cw = malloc((n + 1) * sizeof *cw);
  for (size_t k = 0; k < n; k++) cw[k] = (case_wait){w[k].cas, w[k].wait};
  qsort(cw, n, sizeof *cw, cw_cmp);
  size_t m = 0;
  for (size_t k = 0; k < n; k++) /* each case's longest wait */
    if (!m || strcmp(cw[m - 1].cas, cw[k].cas)) cw[m++] = cw[k];
  qsort(cw, m, sizeof *cw, cw_longest);
  const char *keys[20];
  size_t nk = m < 20 ? m : 20;
  for (size_t k = 0; k < nk; k++) keys[k] = cw[k].cas;
  add_finding(fs, keys, nk);
  free(cw);
}

/* A4: share 0.40, min_cases 20, factor 3.0, min_events 10.
 * Readings: "sum of all waits in the org" is over every event of the org with a wait,
 * whatever its activity (submit and terminal ones included); "an actor at such an (org,
 * activity)" means at a flagged (org, activity); an org's cases are the distinct cases
 * with any event in that org. */
static void detect_a4(const caselog *c, findings *fs) {
  wev *w = malloc((c->n + 1) * sizeof *w);
  size_t nw = 0;
  kv *oc = malloc((c->n + 1) * sizeof *oc); /* (org, case) */
  size_t noc = 0;
  for (size_t cs = 0; cs < c->nc; cs++) {
    size_t len = case_len(c, cs);
    for (size_t i = 0; i < len; i++) {
      const event *e = case_ev(c, cs, i);
      if (!e->org[0]) continue;
      oc[noc++] = (kv){e->org, 0, cs};
      if (i) w[nw++] = (wev){e->org, e->activity, e->actor, e->cas, e->ts - case_ev(c, cs, i - 1)->ts};
    }
  }
  qsort(oc, noc, sizeof *oc, kv_cmp);
  strmap org_cases = {0}; /* org -> number of distinct caselog */
  for (size_t a = 0, b; a < noc; a = b) {
    b = kv_end(oc, noc, a);
    size_t d = 0;
    for (size_t k = a; k < b; k++) d += k == a || oc[k].id != oc[k - 1].id;
    map_put(&org_cases, oc[a].key, d);
  }
  qsort(w, nw, sizeof *w, wev_cmp);
  int64_t *tmp = malloc((nw + 1) * sizeof *tmp);
  for (size_t oa = 0, ob; oa < nw; oa = ob) { /* org */
    i128 total = 0;
    for (ob = oa; ob < nw && !strcmp(w[ob].org, w[oa].org); ob++) total += w[ob].wait;
    if (map_get(&org_cases, w[oa].org) < 20 || total <= 0) continue;
    for (size_t aa = oa, ab; aa < ob; aa = ab) { /* activity */
      i128 sum = 0;
      for (ab = aa; ab < ob && !strcmp(w[ab].act, w[aa].act); ab++) sum += w[ab].wait;
      if (!strcmp(w[aa].act, "submit") || is_terminal(w[aa].act)) continue;
      if (!(sum * 5 >= total * 2)) continue; /* share >= 0.40 */
      top20_cases(w + aa, ab - aa, fs);
      for (size_t k = aa; k < ab; k++) tmp[k - aa] = w[k].wait;
      int64_t med_all2 = median2(tmp, ab - aa);
      if (med_all2 <= 0) continue;
      for (size_t xa = aa, xb; xa < ab; xa = xb) { /* actor */
        for (xb = xa; xb < ab && !strcmp(w[xb].actor, w[xa].actor); xb++) {
        }
        if (xb - xa < 10 || !w[xa].actor[0]) continue;
        for (size_t k = xa; k < xb; k++) tmp[k - xa] = w[k].wait;
        if ((i128)median2(tmp, xb - xa) >= (i128)med_all2 * 3) top20_cases(w + xa, xb - xa, fs);
      }
    }
  }
  free(tmp);
  map_free(&org_cases);
  free(oc);
  free(w);
}

/* A5: max_visits 1, min_cases 20, factor 3.0, min_rate 0.20 */
typedef struct oac {
  const char *org, *actor;
  size_t cs;
  int ret; /* a return event by this actor in this org */
} oac;

static int oac_cmp(const void *a, const void *b) {
  const oac *x = a, *y = b;
  int c = strcmp(x->org, y->org);
  if (c) return c;
  if ((c = strcmp(x->actor, y->actor))) return c;
  if (x->cs != y->cs) return x->cs < y->cs ? -1 : 1;
  return y->ret - x->ret;
}

static int oc_cmp(const void *a, const void *b) { /* (org, case), returns first */
  const oac *x = a, *y = b;
  int c = strcmp(x->org, y->org);
  if (c) return c;
  if (x->cs != y->cs) return x->cs < y->cs ? -1 : 1;
  return y->ret - x->ret;
}

static void detect_a5(const caselog *c, findings *fs) {
  oac *t = malloc((c->n + 1) * sizeof *t);
  size_t nt = 0;
  for (size_t cs = 0; cs < c->nc; cs++) {
    size_t len = case_len(c, cs), visits = 0;
    for (size_t i = 0; i < len; i++) {
      const event *e = case_ev(c, cs, i);
      visits += !strcmp(e->activity, "visit");
      if (e->org[0] && e->actor[0]) t[nt++] = (oac){e->org, e->actor, cs, !strcmp(e->activity, "return")};
    }
    if (visits > 1) add_one(fs, case_ev(c, cs, 0)->cas);
  }
  /* the org's cases and its cases with any return there */
  oac *o = malloc((nt + 1) * sizeof *o);
  memcpy(o, t, nt * sizeof *o);
  qsort(o, nt, sizeof *o, oc_cmp);
  strmap org_idx = {0};
  size_t *org_n = malloc((nt + 1) * sizeof *org_n), *org_r = malloc((nt + 1) * sizeof *org_r), no = 0;
  for (size_t a = 0, b; a < nt; a = b) {
    size_t cases_n = 0, ret_n = 0;
    for (b = a; b < nt && !strcmp(o[b].org, o[a].org); b++)
      if (b == a || o[b].cs != o[b - 1].cs) cases_n++, ret_n += o[b].ret; /* first of a case has ret if any */
    map_put(&org_idx, o[a].org, no);
    org_n[no] = cases_n;
    org_r[no++] = ret_n;
  }
  qsort(t, nt, sizeof *t, oac_cmp);
  const char **keys = malloc((nt + 1) * sizeof *keys);
  for (size_t a = 0, b; a < nt; a = b) {
    size_t h = 0, r = 0;
    for (b = a; b < nt && !strcmp(t[b].org, t[a].org) && !strcmp(t[b].actor, t[a].actor); b++)
      if (b == a || t[b].cs != t[b - 1].cs) {
        h++;
        if (t[b].ret) keys[r++] = case_ev(c, t[b].cs, 0)->cas;
      }
    size_t oi = map_get(&org_idx, t[a].org);
    /* r/h >= 0.20 and r/h >= 3 * R/C, exactly */
    if (h >= 20 && r * 5 >= h && (uint64_t)r * org_n[oi] >= 3 * (uint64_t)org_r[oi] * h) add_finding(fs, keys, r);
  }
  free(keys);
  free(org_n);
  free(org_r);
  map_free(&org_idx);
  free(o);
  free(t);
}

/* A6: days 60. For each posts row with an end_date h, over the cases in which the row's
 * official has an event in the row's org (the only ones whose last event can be theirs). */
static void detect_a6(const caselog *c, const world *w, findings *fs) {
  kv *by_actor = malloc((c->n + 1) * sizeof *by_actor); /* id = case */
  size_t na = 0;
  for (size_t cs = 0; cs < c->nc; cs++)
    for (size_t i = 0; i < case_len(c, cs); i++) by_actor[na++] = (kv){case_ev(c, cs, i)->actor, 0, cs};
  qsort(by_actor, na, sizeof *by_actor, kv_cmp);
  for (size_t r = 0; r < w->npo; r++) {
    const post *po = &w->po[r];
    if (po->end == NO_DAY) continue;
    int64_t h = po->end;
    size_t last_cs = SIZE_MAX;
    for (size_t j = kv_lower(by_actor, na, po->official); j < na && !strcmp(by_actor[j].key, po->official); j++) {
      size_t cs = by_actor[j].id;
      if (cs == last_cs) continue; /* sorted by case */
      last_cs = cs;
      size_t len = case_len(c, cs);
      const event *last = NULL;
      int closed = 0, touched = 0;
      for (size_t i = 0; i < len; i++) {
        const event *e = case_ev(c, cs, i);
        int64_t d = day_floor(e->ts);
        if (d <= h) {
          last = e; /* case order: the last one with date <= h */
          closed |= is_terminal(e->activity);
        } else if (d <= h + 60) {
          touched = 1;
        }
      }
      if (last && !closed && !touched && !strcmp(last->actor, po->official) && !strcmp(last->org, po->org))
        add_one(fs, case_ev(c, cs, 0)->cas);
    }
  }
  free(by_actor);
}

/* A7: min_seconds 120, min_amount 1000000.00; waits as in A4 */
static void detect_a7(const caselog *c, findings *fs) {
  for (size_t cs = 0; cs < c->nc; cs++) {
    size_t len = case_len(c, cs);
    int64_t amount = INT64_MIN;
    for (size_t i = 0; i < len; i++)
      if (case_ev(c, cs, i)->has_amount && case_ev(c, cs, i)->amount > amount) amount = case_ev(c, cs, i)->amount;
    if (amount == INT64_MIN || amount < 100000000) continue;
    int hit = 0;
    for (size_t i = 1; i < len && !hit; i++) {
      const event *e = case_ev(c, cs, i);
      hit = (!strcmp(e->activity, "approve") || !strcmp(e->activity, "final_approve")) &&
            e->ts - case_ev(c, cs, i - 1)->ts < 120 * 1000000LL;
    }
    if (hit) add_one(fs, case_ev(c, cs, 0)->cas);
  }
}

/* ---- procurement ------------------------------------------------------------------------ */

typedef struct tender {
  const char *id, *org, *category, *method;
  int64_t awarded; /* ts, INT64_MIN when NULL */
} tender;

typedef struct bid {
  const char *tender, *bidder;
  int64_t amount;
  int has_amount, won;
} bid;

/* P12: two different bidders of a tender share a non-empty phone, address or bank
 * account, or are linked by any relations row (either direction, any validity). */
static void detect_p12(const bid *bd, size_t nb, const world *w, findings *fs) {
  kv *v = malloc((nb + 1) * sizeof *v);
  for (size_t k = 0; k < nb; k++) v[k] = (kv){bd[k].tender, 0, k};
  qsort(v, nb, sizeof *v, kv_cmp);
  const char **who = malloc((nb + 1) * sizeof *who);
  for (size_t a = 0, b; a < nb; a = b) {
    b = kv_end(v, nb, a);
    size_t m = 0;
    for (size_t k = a; k < b; k++)
      if (bd[v[k].id].bidder[0]) who[m++] = bd[v[k].id].bidder;
    m = uniq_keys(who, m);
    int hit = 0;
    for (size_t i = 0; i < m && !hit; i++)
      for (size_t j = i + 1; j < m && !hit; j++) {
        hit = shares_contact(entity(w, who[i]), entity(w, who[j]));
        rel_iter it = rel_iter_of(w, who[i]);
        const char *other;
        for (const relrow *r; !hit && (r = rel_next(&it, &other));) hit = !strcmp(other, who[j]);
      }
    if (hit) add_one(fs, v[a].key);
  }
  free(who);
  free(v);
}

/* P13: threshold 1000000.00, window_days 90 */
static void detect_p13(const tender *t, size_t nt, const bid *bd, size_t nb, findings *fs) {
  strmap tix = {0};
  for (size_t k = 0; k < nt; k++) map_put(&tix, t[k].id, k);
  kv *v = malloc((nb + 1) * sizeof *v); /* (org, bidder), awarded; id = bid */
  size_t m = 0;
  for (size_t k = 0; k < nb; k++) {
    if (!bd[k].won || !bd[k].has_amount || bd[k].amount >= 100000000 || !bd[k].bidder[0]) continue;
    size_t ti = map_get(&tix, bd[k].tender);
    if (ti == SIZE_MAX) continue;
    const tender *x = &t[ti];
    if (x->awarded == INT64_MIN || !x->org[0] || (strcmp(x->method, "single_source") && strcmp(x->method, "negotiated")))
      continue;
    v[m++] = (kv){key3(x->org, bd[k].bidder, NULL), x->awarded, k};
  }
  qsort(v, m, sizeof *v, kv_cmp);
  const int64_t W = 90 * US_PER_DAY;
  char *flag = calloc(m + 1, 1);
  const char **keys = malloc((m + 1) * sizeof *keys);
  for (size_t a = 0, b; a < m; a = b) {
    b = kv_end(v, m, a);
    for (size_t q = a; q < b; q++) {
      int64_t sum = 0;
      size_t cnt = 0;
      for (size_t k = a; k < b; k++)
        if (v[k].ord - v[q].ord >= 0 && v[k].ord - v[q].ord <= W) sum += bd[v[k].id].amount, cnt++;
      if (cnt >= 2 && sum >= 100000000)
        for (size_t k = a; k < b; k++)
          if (v[k].ord - v[q].ord >= 0 && v[k].ord - v[q].ord <= W) flag[k] = 1;
    }
    size_t run = 0;
    int64_t last = 0;
    for (size_t k = a; k < b; k++) {
      if (!flag[k]) continue;
      if (run && v[k].ord - last > W) {
        add_finding(fs, keys, run);
        run = 0;
      }
      keys[run++] = bd[v[k].id].tender;
      last = v[k].ord;
    }
    if (run) add_finding(fs, keys, run);
  }
  free(keys);
  free(flag);
  free(v);
  map_free(&tix);
}

/* P14: min_tenders 10, share 0.5. Reading: "its won tenders" are the group's awarded
 * tenders in which it has a winning bid. */
static void detect_p14(const tender *t, size_t nt, const bid *bd, size_t nb, findings *fs) {
  strmap tix = {0}, group_n = {0};
  for (size_t k = 0; k < nt; k++) map_put(&tix, t[k].id, k);
  kv *g = malloc((nt + 1) * sizeof *g);
  size_t ng = 0;
  for (size_t k = 0; k < nt; k++)
    if (t[k].awarded != INT64_MIN && t[k].org[0] && t[k].category[0])
      g[ng++] = (kv){key3(t[k].org, t[k].category, NULL), 0, k};
  qsort(g, ng, sizeof *g, kv_cmp);
  for (size_t a = 0, b; a < ng; a = b) {
    b = kv_end(g, ng, a);
    map_put(&group_n, g[a].key, b - a);
  }
  kv *v = malloc((nb + 1) * sizeof *v); /* (org, category, bidder); id = tender */
  size_t m = 0;
  for (size_t k = 0; k < nb; k++) {
    if (!bd[k].won || !bd[k].bidder[0]) continue;
    size_t ti = map_get(&tix, bd[k].tender);
    if (ti == SIZE_MAX || t[ti].awarded == INT64_MIN || !t[ti].org[0] || !t[ti].category[0]) continue;
    v[m++] = (kv){key3(t[ti].org, t[ti].category, bd[k].bidder), 0, ti};
  }
  qsort(v, m, sizeof *v, kv_cmp);
  const char **keys = malloc((m + 1) * sizeof *keys);
  for (size_t a = 0, b; a < m; a = b) {
    b = kv_end(v, m, a);
    size_t nk = 0;
    for (size_t k = a; k < b; k++)
      if (k == a || v[k].id != v[k - 1].id) keys[nk++] = t[v[k].id].id;
    size_t ti = v[a].id, n_group = map_get(&group_n, key3(t[ti].org, t[ti].category, NULL));
    if (n_group >= 10 && nk * 2 >= n_group) add_finding(fs, keys, nk);
  }
  free(keys);
  free(v);
  free(g);
  map_free(&tix);
  map_free(&group_n);
}

/* ---- subsidies ------------------------------------------------------------------------- */

typedef struct payout {
  const char *id, *ts_text, *program, *org, *beneficiary;
  int64_t ts;
} payout;

/* W1: period month. Reading: person = "N:" id_no, else "B:" beneficiary id (kept apart). */
static void detect_w1(const payout *s, size_t n, const world *w, findings *fs) {
  kv *v = malloc((n + 1) * sizeof *v);
  size_t m = 0;
  char period[8];
  for (size_t k = 0; k < n; k++) {
    if (!s[k].program[0] || !s[k].beneficiary[0]) continue;
    const erow *e = entity(w, s[k].beneficiary);
    const char *person = e && e->id_no[0] ? key3("N", e->id_no, NULL) : key3("B", s[k].beneficiary, NULL);
    memcpy(period, s[k].ts_text, 7);
    period[7] = 0;
    v[m++] = (kv){key3(s[k].program, person, period), s[k].ts, k};
  }
  qsort(v, m, sizeof *v, kv_cmp);
  const char **keys = malloc((m + 1) * sizeof *keys);
  for (size_t a = 0, b; a < m; a = b) {
    b = kv_end(v, m, a);
    if (b - a < 2) continue;
    for (size_t k = a; k < b; k++) keys[k - a] = s[v[k].id].id;
    add_finding(fs, keys, b - a);
  }
  free(keys);
  free(v);
}

/* W2: date(ts) > deceased */
static void detect_w2(const payout *s, size_t n, const world *w, findings *fs) {
  for (size_t k = 0; k < n; k++) {
    const erow *e = entity(w, s[k].beneficiary);
    if (e && e->deceased != NO_DAY && day_floor(s[k].ts) > e->deceased) add_one(fs, s[k].id);
  }
}

/* W3: a relation (either direction, valid on the payout date) to an official holding a
 * post in the payout's org on that date (any post; any relation kind) */
static void detect_w3(const payout *s, size_t n, const world *w, findings *fs) {
  for (size_t k = 0; k < n; k++) {
    if (!s[k].beneficiary[0] || !s[k].org[0]) continue;
    int64_t day = day_floor(s[k].ts);
    rel_iter it = rel_iter_of(w, s[k].beneficiary);
    const char *other;
    int hit = 0;
    for (const relrow *r; !hit && (r = rel_next(&it, &other));) {
      if (!valid_on(r->since, r->until, day)) continue;
      for (size_t j = kv_lower(w->post_by_official, w->npo, other);
           !hit && j < w->npo && !strcmp(w->post_by_official[j].key, other); j++) {
        const post *po = &w->po[w->post_by_official[j].id];
        hit = !strcmp(po->org, s[k].org) && valid_on(po->start, po->end, day);
      }
    }
    if (hit) add_one(fs, s[k].id);
  }
}

/* ---- comparison with truth.csv --------------------------------------------------------- */

static void findings_free(findings *fs) {
  for (size_t k = 0; k < fs->n; k++) free(fs->f[k].keys);
  free(fs->f);
}

static int key_in(const char *keys, const char *key) {
  size_t l = strlen(key);
  for (const char *s = keys; (s = strstr(s, key)); s += l)
    if ((s == keys || s[-1] == ' ') && (s[l] == 0 || s[l] == ' ')) return 1;
  return 0;
}

static int compare(const char *det, const findings *fs, const table *truth) {
  int cd = col(truth, "detector"), ck = col(truth, "kind"), cy = col(truth, "keys"), cs = col(truth, "description");
  int bad = 0;
  size_t planted = 0, decoys = 0;
  strset found = {0};
  for (size_t k = 0; k < fs->n; k++) set_add(&found, fs->f[k].keys);
  strset listed = {0};
  for (size_t r = 0; r < truth->n_rows; r++) {
    if (strcmp(cell(truth, r, cd), det)) continue;
    const char *keys = cell(truth, r, cy);
    if (!strcmp(cell(truth, r, ck), "planted")) {
      planted++;
      set_add(&listed, keys);
      if (!set_has(&found, keys)) {
        printf("%s: planted truth row not found: %s (%s)\n", det, keys, cell(truth, r, cs));
        bad = 1;
      }
    } else {
      decoys++;
      char *copy = strdup(keys), *save = NULL;
      for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
        for (size_t k = 0; k < fs->n; k++)
          if (key_in(fs->f[k].keys, tok)) {
            printf("%s: decoy flagged: %s in finding %s (%s)\n", det, tok, fs->f[k].keys, cell(truth, r, cs));
            bad = 1;
          }
      free(copy);
    }
  }
  for (size_t k = 0; k < fs->n; k++)
    if (!set_has(&listed, fs->f[k].keys)) {
      printf("%s: finding not in truth.csv: %s\n", det, fs->f[k].keys);
      bad = 1;
    }
  printf("%s: %zu findings, %zu planted and %zu decoy truth rows: %s\n", det, fs->n, planted, decoys,
         bad ? "MISMATCH" : "ok");
  free(found.keys);
  free(listed.keys);
  return bad;
}

/* ---- referential integrity ------------------------------------------------------------- */

typedef struct tenure {
  const char *org, *official;
  int64_t start, end; /* days; INT64_MIN / INT64_MAX when NULL */
} tenure;

static int by_official(const void *a, const void *b) {
  return strcmp(((const tenure *)a)->official, ((const tenure *)b)->official);
}

static int holds(const tenure *t, size_t n, const char *who, const char *org, int64_t day) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(t[mid].official, who) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (size_t k = lo; k < n && !strcmp(t[k].official, who); k++)
    if (!strcmp(t[k].org, org) && t[k].start <= day && day <= t[k].end) return 1;
  return 0;
}

static int is_official(const tenure *t, size_t n, const char *who) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(t[mid].official, who) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && !strcmp(t[lo].official, who);
}

static int bad_ref(const char *what, const char *value, size_t row) {
  static int shown;
  if (shown++ < 20) printf("integrity: %s '%s' (row %zu)\n", what, value, row + 1);
  return 1;
}

static int integrity(const table *pay_t, const table *apr, const table *posts, const table *ent, const table *rel,
                     const table *tend, const table *bids, const table *sub) {
  int bad = 0;
  strset ids = {0}, cases = {0}, tenders = {0}, uniq = {0};
  int ci = col(ent, "id");
  for (size_t r = 0; r < ent->n_rows; r++)
    if (set_add(&ids, cell(ent, r, ci))) bad |= bad_ref("duplicate entity id", cell(ent, r, ci), r);
  int cc = col(apr, "case_id");
  for (size_t r = 0; r < apr->n_rows; r++) set_add(&cases, cell(apr, r, cc));
  int ct = col(tend, "tender_id");
  for (size_t r = 0; r < tend->n_rows; r++)
    if (set_add(&tenders, cell(tend, r, ct))) bad |= bad_ref("duplicate tender_id", cell(tend, r, ct), r);
  /* posts, as tenures sorted by official */
  tenure *tn = malloc((posts->n_rows + 1) * sizeof *tn);
  int po = col(posts, "org"), pf = col(posts, "official"), ps = col(posts, "start_date"), pe = col(posts, "end_date");
  for (size_t r = 0; r < posts->n_rows; r++) {
    const char *s = cell(posts, r, ps), *e = cell(posts, r, pe);
    tn[r] = (tenure){cell(posts, r, po), cell(posts, r, pf), s[0] ? day_of(parse_ts(s)) : INT64_MIN,
                     e[0] ? day_of(parse_ts(e)) : INT64_MAX};
    if (!set_has(&ids, tn[r].official)) bad |= bad_ref("posts.official not in entities", tn[r].official, r);
    if (!set_has(&ids, tn[r].org)) bad |= bad_ref("posts.org not in entities", tn[r].org, r);
  }
  qsort(tn, posts->n_rows, sizeof *tn, by_official);
  size_t nt = posts->n_rows;
  /* payments */
  int xt = col(pay_t, "txn_id"), xo = col(pay_t, "org"), xp = col(pay_t, "payer"), xe = col(pay_t, "payee"),
      xr = col(pay_t, "requester"), xa = col(pay_t, "approver"), xc = col(pay_t, "case_id"), xs = col(pay_t, "ts");
  for (size_t r = 0; r < pay_t->n_rows; r++) {
    if (set_add(&uniq, cell(pay_t, r, xt))) bad |= bad_ref("duplicate txn_id", cell(pay_t, r, xt), r);
    const int cols[5] = {xo, xp, xe, xr, xa};
    for (int k = 0; k < 5; k++) {
      const char *v = cell(pay_t, r, cols[k]);
      if ((v[0] || k < 3) && !set_has(&ids, v)) bad |= bad_ref("payments reference not in entities", v, r);
    }
    const char *cs = cell(pay_t, r, xc);
    if (cs[0] && !set_has(&cases, cs)) bad |= bad_ref("payments.case_id not in approvals", cs, r);
    const char *ap = cell(pay_t, r, xa);
    if (ap[0] && !holds(tn, nt, ap, cell(pay_t, r, xo), day_of(parse_ts(cell(pay_t, r, xs)))))
      bad |= bad_ref("approver holds no post in the org on the payment date", ap, r);
  }
  /* approvals */
  int aa = col(apr, "actor"), ao = col(apr, "org"), ap = col(apr, "applicant"), at = col(apr, "ts");
  for (size_t r = 0; r < apr->n_rows; r++) {
    const char *actor = cell(apr, r, aa), *app = cell(apr, r, ap);
    if (!set_has(&ids, actor)) bad |= bad_ref("approvals.actor not in entities", actor, r);
    if (app[0] && !set_has(&ids, app)) bad |= bad_ref("approvals.applicant not in entities", app, r);
    if (is_official(tn, nt, actor) && !holds(tn, nt, actor, cell(apr, r, ao), day_of(parse_ts(cell(apr, r, at)))))
      bad |= bad_ref("official acts without a post in that org on that date", actor, r);
  }
  /* relations, tenders, bids, subsidies */
  int ra = col(rel, "a"), rb = col(rel, "b");
  for (size_t r = 0; r < rel->n_rows; r++) {
    if (!set_has(&ids, cell(rel, r, ra))) bad |= bad_ref("relations.a not in entities", cell(rel, r, ra), r);
    if (!set_has(&ids, cell(rel, r, rb))) bad |= bad_ref("relations.b not in entities", cell(rel, r, rb), r);
  }
  int to = col(tend, "org");
  for (size_t r = 0; r < tend->n_rows; r++)
    if (!set_has(&ids, cell(tend, r, to))) bad |= bad_ref("tenders.org not in entities", cell(tend, r, to), r);
  int bt = col(bids, "tender_id"), bb = col(bids, "bidder");
  for (size_t r = 0; r < bids->n_rows; r++) {
    if (!set_has(&tenders, cell(bids, r, bt))) bad |= bad_ref("bids.tender_id not in tenders", cell(bids, r, bt), r);
    if (!set_has(&ids, cell(bids, r, bb))) bad |= bad_ref("bids.bidder not in entities", cell(bids, r, bb), r);
  }
  int sp = col(sub, "payout_id"), sb = col(sub, "beneficiary"), so = col(sub, "org");
  strset payouts = {0};
  for (size_t r = 0; r < sub->n_rows; r++) {
    if (set_add(&payouts, cell(sub, r, sp))) bad |= bad_ref("duplicate payout_id", cell(sub, r, sp), r);
    if (!set_has(&ids, cell(sub, r, sb))) bad |= bad_ref("subsidies.beneficiary not in entities", cell(sub, r, sb), r);
    if (!set_has(&ids, cell(sub, r, so))) bad |= bad_ref("subsidies.org not in entities", cell(sub, r, so), r);
  }
  printf("integrity: %zu payments, %zu approval events, %zu posts, %zu entities, %zu relations, %zu tenders, "
         "%zu bids, %zu payouts: %s\n",
         pay_t->n_rows, apr->n_rows, posts->n_rows, ent->n_rows, rel->n_rows, tend->n_rows, bids->n_rows,
         sub->n_rows, bad ? "MISMATCH" : "ok");
  free(tn);
  free(ids.keys);
  free(cases.keys);
  free(tenders.keys);
  free(uniq.keys);
  free(payouts.keys);
  return bad;
}

int main(int argc, char **argv) {
  if (argc != 2 || argv[1][0] == '-') {
    fprintf(stderr, "usage: check_gen DIR   (DIR written by `ferret gen DIR --compress none`)\n");
    return 2;
  }
  const char *dir = argv[1];
  table t_pay, t_apr, t_posts, t_ent, t_rel, t_tend, t_bids, t_sub, t_truth;
  if (load(&t_pay, dir, "payments") || load(&t_apr, dir, "approvals") || load(&t_posts, dir, "posts") ||
      load(&t_ent, dir, "entities") || load(&t_rel, dir, "relations") || load(&t_tend, dir, "tenders") ||
      load(&t_bids, dir, "bids") || load(&t_sub, dir, "subsidies") || load(&t_truth, dir, "truth"))
    return 2;
  /* payments */
  size_t n = t_pay.n_rows;
  pay *p = malloc((n + 1) * sizeof *p);
  int ct = col(&t_pay, "txn_id"), cts = col(&t_pay, "ts"), co = col(&t_pay, "org"), cp = col(&t_pay, "payer"),
      ce = col(&t_pay, "payee"), ca = col(&t_pay, "amount"), ci = col(&t_pay, "invoice_no"),
      cb = col(&t_pay, "budget_code"), cr = col(&t_pay, "requester"), cv = col(&t_pay, "approver");
  for (size_t r = 0; r < n; r++) {
    const char *amount = cell(&t_pay, r, ca);
    p[r] = (pay){cell(&t_pay, r, ct), cell(&t_pay, r, co), cell(&t_pay, r, cp), cell(&t_pay, r, ce),
                 cell(&t_pay, r, ci), parse_ts(cell(&t_pay, r, cts)), parse_cents(amount), r,
                 cell(&t_pay, r, cb), cell(&t_pay, r, cr), cell(&t_pay, r, cv), cell(&t_pay, r, cts),
                 amount[0] != 0};
  }
  kv *by_payer = malloc((n + 1) * sizeof *by_payer); /* (payer, ts, input) */
  for (size_t r = 0; r < n; r++) by_payer[r] = (kv){p[r].payer, p[r].ts, r};
  qsort(by_payer, n, sizeof *by_payer, kv_cmp);
  /* entities, relations, posts */
  world w = {0};
  w.ne = t_ent.n_rows;
  w.e = malloc((w.ne + 1) * sizeof *w.e);
  {
    int ei = col(&t_ent, "id"), er = col(&t_ent, "registered"), ed = col(&t_ent, "deceased"),
        ea = col(&t_ent, "address"), ep = col(&t_ent, "phone"), eb = col(&t_ent, "bank_account"),
        en = col(&t_ent, "id_no");
    for (size_t r = 0; r < w.ne; r++) {
      w.e[r] = (erow){cell(&t_ent, r, ei), cell(&t_ent, r, ea), cell(&t_ent, r, ep), cell(&t_ent, r, eb),
                     cell(&t_ent, r, en), parse_day(cell(&t_ent, r, er)), parse_day(cell(&t_ent, r, ed))};
      map_put(&w.eid, w.e[r].id, r);
    }
    int ra = col(&t_rel, "a"), rb = col(&t_rel, "b"), rk = col(&t_rel, "kind"), rs = col(&t_rel, "since"),
        ru = col(&t_rel, "until");
    w.nr = t_rel.n_rows;
    w.r = malloc((w.nr + 1) * sizeof *w.r);
    w.rel_by_a = malloc((w.nr + 1) * sizeof *w.rel_by_a);
    w.rel_by_b = malloc((w.nr + 1) * sizeof *w.rel_by_b);
    for (size_t r = 0; r < w.nr; r++) {
      w.r[r] = (relrow){cell(&t_rel, r, ra), cell(&t_rel, r, rb), cell(&t_rel, r, rk), parse_day(cell(&t_rel, r, rs)),
                     parse_day(cell(&t_rel, r, ru))};
      w.rel_by_a[r] = (kv){w.r[r].a, 0, r};
      w.rel_by_b[r] = (kv){w.r[r].b, 0, r};
    }
    qsort(w.rel_by_a, w.nr, sizeof *w.rel_by_a, kv_cmp);
    qsort(w.rel_by_b, w.nr, sizeof *w.rel_by_b, kv_cmp);
    int po = col(&t_posts, "org"), pp = col(&t_posts, "post"), pf = col(&t_posts, "official"),
        ps = col(&t_posts, "start_date"), pe = col(&t_posts, "end_date");
    w.npo = t_posts.n_rows;
    w.po = malloc((w.npo + 1) * sizeof *w.po);
    w.post_by_official = malloc((w.npo + 1) * sizeof *w.post_by_official);
    for (size_t r = 0; r < w.npo; r++) {
      w.po[r] = (post){cell(&t_posts, r, po), cell(&t_posts, r, pp), cell(&t_posts, r, pf),
                       parse_day(cell(&t_posts, r, ps)), parse_day(cell(&t_posts, r, pe))};
      w.post_by_official[r] = (kv){w.po[r].official, 0, r};
    }
    qsort(w.post_by_official, w.npo, sizeof *w.post_by_official, kv_cmp);
  }
  /* approvals */
  caselog cs = {0};
  cs.n = t_apr.n_rows;
  cs.ev = malloc((cs.n + 1) * sizeof *cs.ev);
  {
    int ac = col(&t_apr, "case_id"), at = col(&t_apr, "ts"), aa = col(&t_apr, "activity"), ar = col(&t_apr, "actor"),
        ao = col(&t_apr, "org"), as = col(&t_apr, "service"), am = col(&t_apr, "amount");
    for (size_t r = 0; r < cs.n; r++) {
      const char *amount = cell(&t_apr, r, am);
      cs.ev[r] = (event){cell(&t_apr, r, ac), cell(&t_apr, r, aa), cell(&t_apr, r, ar), cell(&t_apr, r, ao),
                         cell(&t_apr, r, as), parse_ts(cell(&t_apr, r, at)), parse_cents(amount),
                         amount[0] != 0, r};
    }
    cases_build(&cs);
  }
  /* tenders, bids, subsidies */
  size_t nt = t_tend.n_rows, nb = t_bids.n_rows, ns = t_sub.n_rows;
  tender *td = malloc((nt + 1) * sizeof *td);
  bid *bd = malloc((nb + 1) * sizeof *bd);
  payout *so = malloc((ns + 1) * sizeof *so);
  {
    int ti = col(&t_tend, "tender_id"), to = col(&t_tend, "org"), tc = col(&t_tend, "category"),
        tm = col(&t_tend, "method"), ta = col(&t_tend, "awarded");
    for (size_t r = 0; r < nt; r++) {
      const char *aw = cell(&t_tend, r, ta);
      td[r] = (tender){cell(&t_tend, r, ti), cell(&t_tend, r, to), cell(&t_tend, r, tc), cell(&t_tend, r, tm),
                       aw[0] ? parse_ts(aw) : INT64_MIN};
    }
    int bt = col(&t_bids, "tender_id"), bb = col(&t_bids, "bidder"), ba = col(&t_bids, "amount"),
        bw = col(&t_bids, "won");
    for (size_t r = 0; r < nb; r++) {
      const char *amount = cell(&t_bids, r, ba);
      bd[r] = (bid){cell(&t_bids, r, bt), cell(&t_bids, r, bb), parse_cents(amount), amount[0] != 0,
                    !strcmp(cell(&t_bids, r, bw), "true")};
    }
    int si = col(&t_sub, "payout_id"), st = col(&t_sub, "ts"), sp = col(&t_sub, "program"), sg = col(&t_sub, "org"),
        sb = col(&t_sub, "beneficiary");
    for (size_t r = 0; r < ns; r++)
      so[r] = (payout){cell(&t_sub, r, si), cell(&t_sub, r, st), cell(&t_sub, r, sp), cell(&t_sub, r, sg),
                       cell(&t_sub, r, sb), parse_ts(cell(&t_sub, r, st))};
  }
  int bad = 0;
  static const char *const ids[] = {"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
                                    "A1", "A2", "A3", "A4", "A5", "A6", "A7", "P12", "P13", "P14", "W1", "W2", "W3"};
  for (size_t d = 0; d < sizeof ids / sizeof ids[0]; d++) {
    findings f = {0};
    const char *id = ids[d];
    if (!strcmp(id, "F1")) detect_f1(p, n, &f);
    else if (!strcmp(id, "F2")) detect_f2(p, n, &f);
    else if (!strcmp(id, "F3")) detect_f3(p, n, &f);
    else if (!strcmp(id, "F4")) detect_f4(p, n, &f);
    else if (!strcmp(id, "F5")) detect_f5(p, n, &f);
    else if (!strcmp(id, "F6")) detect_f6(p, n, by_payer, &f);
    else if (!strcmp(id, "F7")) detect_f7(p, n, by_payer, &f);
    else if (!strcmp(id, "F8")) detect_f8(p, n, &f);
    else if (!strcmp(id, "F9")) detect_f9(p, n, &f);
    else if (!strcmp(id, "F10")) detect_f10(p, n, &f);
    else if (!strcmp(id, "F11")) detect_f11(p, n, &w, &f);
    else if (!strcmp(id, "F12")) detect_f12(p, n, &w, &f);
    else if (!strcmp(id, "A1")) detect_a1(&cs, p, n, &f);
    else if (!strcmp(id, "A2")) detect_a2(&cs, &f);
    else if (!strcmp(id, "A3")) detect_a3(&cs, &f);
    else if (!strcmp(id, "A4")) detect_a4(&cs, &f);
    else if (!strcmp(id, "A5")) detect_a5(&cs, &f);
    else if (!strcmp(id, "A6")) detect_a6(&cs, &w, &f);
    else if (!strcmp(id, "A7")) detect_a7(&cs, &f);
    else if (!strcmp(id, "P12")) detect_p12(bd, nb, &w, &f);
    else if (!strcmp(id, "P13")) detect_p13(td, nt, bd, nb, &f);
    else if (!strcmp(id, "P14")) detect_p14(td, nt, bd, nb, &f);
    else if (!strcmp(id, "W1")) detect_w1(so, ns, &w, &f);
    else if (!strcmp(id, "W2")) detect_w2(so, ns, &w, &f);
    else if (!strcmp(id, "W3")) detect_w3(so, ns, &w, &f);
    bad |= compare(id, &f, &t_truth);
    findings_free(&f);
  }
  { /* every detector in truth.csv is one checked above */
    int cd = col(&t_truth, "detector");
    for (size_t r = 0; r < t_truth.n_rows; r++) {
      size_t d = 0;
      while (d < sizeof ids / sizeof ids[0] && strcmp(ids[d], cell(&t_truth, r, cd))) d++;
      if (d == sizeof ids / sizeof ids[0]) {
        printf("truth.csv: row %zu names a detector that is not checked: %s\n", r + 2, cell(&t_truth, r, cd));
        bad = 1;
      }
    }
  }
  bad |= integrity(&t_pay, &t_apr, &t_posts, &t_ent, &t_rel, &t_tend, &t_bids, &t_sub);
  printf("check_gen: %s\n", bad ? "FAILED" : "all checks passed");
  free(p);
  free(by_payer);
  free(w.e);
  map_free(&w.eid);
  free(w.r);
  free(w.rel_by_a);
  free(w.rel_by_b);
  free(w.po);
  free(w.post_by_official);
  free(cs.ev);
  free(cs.ord);
  free(cs.start);
  free(td);
  free(bd);
  free(so);
  pool_free();
  table *all[] = {&t_pay, &t_apr, &t_posts, &t_ent, &t_rel, &t_tend, &t_bids, &t_sub, &t_truth};
  for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) table_free(all[k]);
  return bad ? 1 : 0;
}
