/* check_gen.c: an independent check of a `ferret gen` data set against
 * DETECTORS.md, written apart from the generator (it shares no code with it).
 *
 *   check_gen DIR     (DIR from `ferret gen DIR --compress none`)
 *
 * It reads the uncompressed CSVs and truth.csv and verifies:
 *  - F1, F2, F3 and F5 straight from their definitions (naive code, quadratic
 *    inside a partition), over ALL payments, background included: every planted
 *    truth row is exactly one finding, every finding is a planted truth row, and
 *    no finding touches a decoy's keys;
 *  - referential integrity: payees, payers, requesters, approvers, actors,
 *    applicants, bidders, beneficiaries, officials and relation ends exist in
 *    entities; payments' case_id exist in approvals; bids belong to tenders; keys
 *    are unique; approvers hold a post in the paying org on the payment date, and
 *    officials acting in approvals hold a post in that org on the event date.
 * Exit status 0 when all holds, 1 otherwise (each offending row is printed), 2 on
 * bad usage or unreadable input.
 * Workload: a few hundred thousand rows (memory holds the tables).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
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
  size_t n = t_pay.n_rows;
  pay *p = malloc((n + 1) * sizeof *p);
  int ct = col(&t_pay, "txn_id"), cts = col(&t_pay, "ts"), co = col(&t_pay, "org"), cp = col(&t_pay, "payer"),
      ce = col(&t_pay, "payee"), ca = col(&t_pay, "amount"), ci = col(&t_pay, "invoice_no");
  for (size_t r = 0; r < n; r++)
    p[r] = (pay){cell(&t_pay, r, ct), cell(&t_pay, r, co), cell(&t_pay, r, cp), cell(&t_pay, r, ce),
                 cell(&t_pay, r, ci), parse_ts(cell(&t_pay, r, cts)), parse_cents(cell(&t_pay, r, ca)), r};
  int bad = 0;
  findings f1 = {0}, f2 = {0}, f3 = {0}, f5 = {0};
  detect_f1(p, n, &f1);
  bad |= compare("F1", &f1, &t_truth);
  detect_f2(p, n, &f2);
  bad |= compare("F2", &f2, &t_truth);
  detect_f3(p, n, &f3);
  bad |= compare("F3", &f3, &t_truth);
  detect_f5(p, n, &f5);
  bad |= compare("F5", &f5, &t_truth);
  bad |= integrity(&t_pay, &t_apr, &t_posts, &t_ent, &t_rel, &t_tend, &t_bids, &t_sub);
  printf("check_gen: %s\n", bad ? "FAILED" : "all checks passed");
  findings_free(&f1);
  findings_free(&f2);
  findings_free(&f3);
  findings_free(&f5);
  free(p);
  table *all[] = {&t_pay, &t_apr, &t_posts, &t_ent, &t_rel, &t_tend, &t_bids, &t_sub, &t_truth};
  for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) table_free(all[k]);
  return bad ? 1 : 0;
}
