/* fr_cardinal.c - the cardinal-rs indicators over the OCDS tables (fr_cardinal.h).
 *
 * Each contracting process is its compiled release, kept whole in the `release`
 * column of PREFIX_processes, parsed again here with json-c, so every rule reads
 * exactly the JSON values cardinal-rs reads (types included: an id that is a
 * number is not a string id), in batches parsed in parallel.  Processes are
 * folded in ingest order on one thread; the per-organisation rules keep exact counts (fractions) and are
 * finalised with cardinal-rs's fences: Hyndman-Fan type 8 quartiles, inclusive
 * comparisons.  Results are kept as (group, key, indicator) -> value, the last
 * write winning, and printed as one JSON object.
 * Workload: 10^6 processes of a few KiB; memory: one batch of release texts and
 * their parse trees, the dictionary of ids, the per-organisation fractions.
 */
#include <ctype.h>
#include <json.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_cardinal.h"
#include "fr_detect_internal.h"
#include "fr_writer.h"

/* qsort, but an empty (possibly NULL) array is left alone: qsort's pointer
 * must never be NULL, even for zero elements. */
static void fr_sort_any(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  if (n > 1)
    qsort(base, n, size, cmp);
}

/* ---- settings (cardinal-rs's INI file) ------------------------------------------------- */

enum { IND_R003, IND_R018, IND_R024, IND_R025, IND_R028, IND_R030, IND_R035, IND_R036, IND_R038, IND_R048,
       IND_R058, IND_N };
static const char *const fr_ind_names[IND_N] = {"R003", "R018", "R024", "R025", "R028", "R030",
                                                "R035", "R036", "R038", "R048", "R058"};
enum { GRP_OCID, GRP_BUYER, GRP_PE, GRP_TENDERER, GRP_N };
static const char *const fr_grp_names[GRP_N] = {"OCID", "Buyer", "ProcuringEntity", "Tenderer"};

#define CARD_MAX_KV 256
typedef struct fr_card_kv {
  char section[64], key[128], value[512];
} fr_card_kv;

typedef struct fr_card_settings {
  int enabled[IND_N];
  fr_card_kv kv[CARD_MAX_KV];
  int n_kv;
} fr_card_settings;

static const char *fr_set_get(const fr_card_settings *s, const char *section, const char *key) {
  for (int k = s->n_kv - 1; k >= 0; k--)
    if (strcmp(s->kv[k].section, section) == 0 && strcmp(s->kv[k].key, key) == 0)
      return s->kv[k].value;
  return NULL;
}

static char *fr_trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = '\0';
  return s;
}

static fr_status fr_settings_read(fr_card_settings *s, const char *path, fr_error *err) {
  memset(s, 0, sizeof *s);
  if (path == NULL) {
    for (int k = 0; k < IND_N; k++) s->enabled[k] = 1;
    return FR_OK;
  }
  FILE *f = fopen(path, "r");
  FR_FAIL_IF(f == NULL, FR_ERR_NOTFOUND, err, "cannot read settings file %s", path);
  char line[1024], section[64] = "";
  int line_no = 0;
  fr_status status = FR_OK;
  while (status == FR_OK && fgets(line, sizeof line, f) != NULL) {
    line_no++;
    char *p = fr_trim(line);
    if (*p == '\0' || *p == ';' || *p == '#')
      continue;
    if (*p == '[') {
      char *e = strchr(p, ']');
      if (e == NULL || e - p - 1 >= (long)sizeof section) {
        status = fr_error_set(err, FR_ERR_PARSE, "%s:%d: bad section header", path, line_no);
        break;
      }
      *e = '\0';
      snprintf(section, sizeof section, "%s", fr_trim(p + 1));
      for (int k = 0; k < IND_N; k++)
        if (strcmp(section, fr_ind_names[k]) == 0) s->enabled[k] = 1;
      continue;
    }
    char *eq = strchr(p, '=');
    if (eq == NULL) {
      status = fr_error_set(err, FR_ERR_PARSE, "%s:%d: expected `name = value`", path, line_no);
      break;
    }
    *eq = '\0';
    char *value = eq + 1;
    /* an inline comment starts with " ;" or " #" */
    for (char *c = value; *c; c++)
      if ((*c == ';' || *c == '#') && c > value && (c[-1] == ' ' || c[-1] == '\t')) {
        *c = '\0';
        break;
      }
    if (s->n_kv == CARD_MAX_KV) {
      status = fr_error_set(err, FR_ERR_LIMIT, "%s:%d: too many settings", path, line_no);
      break;
    }
    fr_card_kv *kv = &s->kv[s->n_kv++];
    snprintf(kv->section, sizeof kv->section, "%s", section);
    snprintf(kv->key, sizeof kv->key, "%s", fr_trim(p));
    snprintf(kv->value, sizeof kv->value, "%s", fr_trim(value));
  }
  fclose(f);
  return status;
}

/* value in the pipe-separated list (cardinal-rs's split_terminator('|')) */
static int fr_in_pipes(const char *list, const char *v) {
  if (list == NULL || v == NULL)
    return 0;
  size_t n = strlen(v);
  for (const char *p = list;;) {
    const char *e = strchr(p, '|');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && memcmp(p, v, n) == 0 && !(e == NULL && len == 0))
      return 1;
    if (e == NULL)
      return 0;
    p = e + 1;
  }
}
static int fr_pipes_empty(const char *list) { return list == NULL || list[0] == '\0'; }

/* ---- JSON access --------------------------------------------------------------------- */

static json_object *jget(json_object *o, const char *key) {
  json_object *v = NULL;
  if (json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v))
    return v;
  return NULL;
}
static const char *jstr(json_object *o, const char *key) {
  json_object *v = jget(o, key);
  return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}
static size_t jlen(json_object *a) { return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0; }
static json_object *jat(json_object *a, size_t k) { return json_object_array_get_idx(a, k); }
static int jnum(json_object *v, double *out) {
  if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
    *out = json_object_get_double(v);
    return 1;
  }
  return 0;
}
static int jis(json_object *o, const char *key, const char *want) {
  const char *s = jstr(o, key);
  return s != NULL && strcmp(s, want) == 0;
}

/* tender.procurementMethodDetails matches: an allow list when include is set, else a deny list */
static int fr_matches_pmd(json_object *rel, const char *include, const char *exclude) {
  const char *pmd = jstr(jget(rel, "tender"), "procurementMethodDetails");
  if (pmd == NULL)
    return fr_pipes_empty(include);
  if (fr_pipes_empty(include))
    return !fr_in_pipes(exclude, pmd);
  return fr_in_pipes(include, pmd);
}

/* Bids of status string other than invited / withdrawn. */
static int fr_submitted(json_object *bid) {
  const char *st = jstr(bid, "status");
  return st != NULL && strcmp(st, "invited") != 0 && strcmp(st, "withdrawn") != 0;
}

/* The active awards when every award with a string status is active, cancelled or
 * unsuccessful (else none: -1); *details = bids.details. */
static int fr_complete_awards(json_object *rel, json_object **active, int cap, json_object **details) {
  json_object *awards = jget(rel, "awards"), *d = jget(jget(rel, "bids"), "details");
  if (!json_object_is_type(awards, json_type_array) || !json_object_is_type(d, json_type_array))
    return -1;
  int n = 0;
  for (size_t k = 0; k < jlen(awards); k++) {
    const char *st = jstr(jat(awards, k), "status");
    if (st == NULL)
      continue;
    if (strcmp(st, "active") == 0) {
      if (n < cap) active[n] = jat(awards, k);
      n++;
    } else if (strcmp(st, "cancelled") != 0 && strcmp(st, "unsuccessful") != 0) {
      return -1;
    }
  }
  *details = d;
  return n;
}

/* ---- RFC 3339 ------------------------------------------------------------------------- */

static int fr_digits(const char *s, int n, int *out) {
  int v = 0;
  for (int k = 0; k < n; k++) {
    if (!isdigit((unsigned char)s[k])) return 0;
    v = v * 10 + (s[k] - '0');
  }
  *out = v;
  return 1;
}

/* Seconds since the epoch (UTC) and nanoseconds of an RFC 3339 date-time. */
static int fr_rfc3339(const char *s, int64_t *sec, int64_t *nsec) {
  int y, mo, d, h, mi, se;
  size_t n = strlen(s);
  if (n < 20 || !fr_digits(s, 4, &y) || s[4] != '-' || !fr_digits(s + 5, 2, &mo) || s[7] != '-' ||
      !fr_digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !fr_digits(s + 11, 2, &h) ||
      s[13] != ':' || !fr_digits(s + 14, 2, &mi) || s[16] != ':' || !fr_digits(s + 17, 2, &se))
    return 0;
  static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
    return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap)
    return 0;
  const char *p = s + 19;
  int64_t ns = 0;
  if (*p == '.') {
    p++;
    int digits = 0;
    while (isdigit((unsigned char)*p)) {
      if (digits < 9) ns = ns * 10 + (*p - '0');
      digits++;
      p++;
    }
    if (digits == 0) return 0;
    for (; digits < 9; digits++) ns *= 10;
  }
  int64_t off = 0;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int oh, om;
    if (!fr_digits(p + 1, 2, &oh) || p[3] != ':' || !fr_digits(p + 4, 2, &om) || oh > 23 || om > 59) return 0;
    off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
    p += 6;
  } else {
    return 0;
  }
  if (*p != '\0')
    return 0;
  if (se == 60) se = 59, ns += 1000000000; /* a leap second, as chrono keeps it */
  *sec = fr_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - off;
  *nsec = ns;
  return 1;
}

/* ---- results --------------------------------------------------------------------------- */

typedef struct fr_card_res {
  uint8_t grp, ind;
  uint32_t key;   /* dictionary id */
  uint32_t seq;
  double value;
} fr_card_res;

typedef struct fr_frac {
  uint64_t num, den;
} fr_frac;

typedef struct fr_card {
  fr_sdict dict;
  fr_card_res *res;
  size_t n_res, cap_res;
  fr_status status;
  /* per dictionary id */
  fr_frac *r025, *r038[3];
  uint64_t *r048_n;    /* processes with the supplier */
  /* R048 codes: (supplier, code) pairs */
  uint64_t *r048_pairs;
  size_t n_pairs, cap_pairs;
  /* second-lowest-bid ratios: (ocid, ratio, winner, lowest non-winner) */
  struct { uint32_t ocid, winner, loser; double ratio; } *slb;
  size_t n_slb, cap_slb;
  uint32_t cap_ids;
  char *currency;      /* the selected or first observed currency */
} fr_card;

static uint32_t fr_card_id(fr_card *c, const char *s) {
  uint32_t id = FR_NOID;
  if (c->status != FR_OK)
    return 0;
  c->status = fr_sdict_intern(&c->dict, s, strlen(s), &id);
  if (c->status != FR_OK)
    return 0;
  if (c->dict.n > c->cap_ids) {
    uint32_t cap = c->cap_ids ? c->cap_ids * 2 : 1024;
    while (cap < c->dict.n) cap *= 2;
    fr_frac *r025 = fr_realloc(c->r025, cap * sizeof *r025);
    if (r025 != NULL) c->r025 = r025;
    int ok = r025 != NULL;
    for (int g = 0; g < 3 && ok; g++) {
      fr_frac *f = fr_realloc(c->r038[g], cap * sizeof *f);
      if (f == NULL) ok = 0;
      else c->r038[g] = f;
    }
    uint64_t *n48 = ok ? fr_realloc(c->r048_n, cap * sizeof *n48) : NULL;
    if (n48 == NULL) {
      c->status = FR_ERR_NOMEM;
      return 0;
    }
    c->r048_n = n48;
    memset(c->r025 + c->cap_ids, 0, (cap - c->cap_ids) * sizeof *c->r025);
    for (int g = 0; g < 3; g++) memset(c->r038[g] + c->cap_ids, 0, (cap - c->cap_ids) * sizeof(fr_frac));
    memset(c->r048_n + c->cap_ids, 0, (cap - c->cap_ids) * sizeof *c->r048_n);
    c->cap_ids = cap;
  }
  return id;
}

static void fr_set_result(fr_card *c, int grp, const char *key, int ind, double value) {
  uint32_t id = fr_card_id(c, key);
  if (c->status != FR_OK)
    return;
  if (c->n_res == c->cap_res) {
    size_t cap = c->cap_res ? c->cap_res * 2 : 256;
    fr_card_res *r = fr_realloc(c->res, cap * sizeof *r);
    if (r == NULL) {
      c->status = FR_ERR_NOMEM;
      return;
    }
    c->res = r;
    c->cap_res = cap;
  }
  c->res[c->n_res] = (fr_card_res){(uint8_t)grp, (uint8_t)ind, id, (uint32_t)c->n_res, value};
  c->n_res++;
}

/* The selected currency, or the first observed one (as cardinal-rs's get_or_insert). */
static int fr_currency_ok(fr_card *c, const char *currency) {
  if (c->currency == NULL) {
    c->currency = fr_strndup(currency, strlen(currency));
    if (c->currency == NULL) {
      c->status = FR_ERR_NOMEM;
      return 0;
    }
  }
  return strcmp(c->currency, currency) == 0;
}

/* ---- quartiles (Hyndman-Fan type 8, as statrs) ---------------------------------------- */

static int fr_cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double fr_quantile(const double *sorted, size_t n, double tau) {
  if (n == 0 || tau < 0 || tau > 1)
    return NAN;
  double h = ((double)n + 1.0 / 3.0) * tau + 1.0 / 3.0;
  long hf = (long)h;
  if (hf <= 0 || tau == 0.0)
    return sorted[0];
  if (hf >= (long)n || tau == 1.0)
    return sorted[n - 1];
  double a = sorted[hf - 1], b = sorted[hf];
  return a + (h - (double)hf) * (b - a);
}

/* ---- fold ------------------------------------------------------------------------------ */

typedef struct fr_card_cfg {
  const fr_card_settings *s;
  const char *no_price, *price, *exclude;
  int64_t r003_threshold;
  const char *r003_methods;
  const char *r018_methods;
  int r035_threshold;
  int r048_digits;
} fr_card_cfg;

static int fr_price_ok(const fr_card_cfg *cfg, json_object *rel) {
  return fr_matches_pmd(rel, cfg->price, cfg->no_price);
}

static void fr_fold(fr_card *c, const fr_card_cfg *cfg, json_object *rel, const char *ocid) {
  const fr_card_settings *s = cfg->s;
  json_object *tender = jget(rel, "tender");
  json_object *active[64], *details = NULL;
  /* second-lowest bid ratio (R024, R058) */
  if ((s->enabled[IND_R024] || s->enabled[IND_R058]) && fr_price_ok(cfg, rel)) {
    int n_active = fr_complete_awards(rel, active, 64, &details);
    json_object *sup = n_active == 1 ? jget(active[0], "suppliers") : NULL;
    const char *supplier = jlen(sup) == 1 ? jstr(jat(sup, 0), "id") : NULL;
    const char *winner = NULL, *loser = NULL;
    double w_amt = 0, l_amt = 0;
    for (size_t k = 0; supplier != NULL && k < jlen(details); k++) {
      json_object *bid = jat(details, k), *value = jget(bid, "value"), *tenderers = jget(bid, "tenderers");
      double amount;
      const char *currency = jstr(value, "currency"), *tid = jlen(tenderers) == 1 ? jstr(jat(tenderers, 0), "id") : NULL;
      if (!jis(bid, "status", "valid") || !json_object_is_type(value, json_type_object) ||
          !jnum(jget(value, "amount"), &amount) || currency == NULL || !json_object_is_type(tenderers, json_type_array) ||
          tid == NULL)
        continue;
      if (!fr_currency_ok(c, currency))
        continue;
      if (strcmp(supplier, tid) == 0) {
        if (winner == NULL || amount < w_amt) winner = tid, w_amt = amount;
      } else if (loser == NULL || amount < l_amt) {
        loser = tid, l_amt = amount;
      }
    }
    if (winner != NULL && loser != NULL && l_amt >= w_amt) {
      if (c->n_slb == c->cap_slb) {
        size_t cap = c->cap_slb ? c->cap_slb * 2 : 256;
        void *p = fr_realloc(c->slb, cap * sizeof *c->slb);
        if (p == NULL) {
          c->status = FR_ERR_NOMEM;
          return;
        }
        c->slb = p;
        c->cap_slb = cap;
      }
      uint32_t o = fr_card_id(c, ocid), wi = fr_card_id(c, winner), lo = fr_card_id(c, loser);
      c->slb[c->n_slb].ocid = o;
      c->slb[c->n_slb].winner = wi;
      c->slb[c->n_slb].loser = lo;
      c->slb[c->n_slb].ratio = (l_amt - w_amt) / w_amt;
      c->n_slb++;
    }
  }
  /* R003 */
  if (s->enabled[IND_R003] && json_object_is_type(tender, json_type_object)) {
    const char *pm = jstr(tender, "procurementMethod");
    int method_ok = fr_pipes_empty(cfg->r003_methods) || (pm != NULL && fr_in_pipes(cfg->r003_methods, pm));
    json_object *period = jget(tender, "tenderPeriod");
    const char *sd = jstr(period, "startDate"), *ed = jstr(period, "endDate");
    int64_t s0, n0, s1, n1;
    if (method_ok && sd != NULL && ed != NULL && fr_rfc3339(sd, &s0, &n0) && fr_rfc3339(ed, &s1, &n1)) {
      int64_t secs = s1 - s0, ns = n1 - n0;
      if (secs > 0 && ns < 0) secs--, ns += 1000000000;
      if (secs < 0 && ns > 0) secs++, ns -= 1000000000;
      int64_t days = secs / 86400;
      int64_t threshold = cfg->r003_threshold;
      const char *details_s = jstr(tender, "procurementMethodDetails");
      const char *t = details_s ? fr_set_get(s, "R003.procurement_method_details", details_s) : NULL;
      if (t != NULL) threshold = strtoll(t, NULL, 10);
      if (days < threshold) fr_set_result(c, GRP_OCID, ocid, IND_R003, 1.0);
    }
  }
  /* R018 */
  if (s->enabled[IND_R018] && json_object_is_type(tender, json_type_object)) {
    const char *pm = jstr(tender, "procurementMethod");
    int method_ok = fr_pipes_empty(cfg->r018_methods) || (pm != NULL && fr_in_pipes(cfg->r018_methods, pm));
    json_object *nt = jget(tender, "numberOfTenderers");
    if (method_ok && json_object_is_type(nt, json_type_int) && json_object_get_int64(nt) == 1)
      fr_set_result(c, GRP_OCID, ocid, IND_R018, 1.0);
  }
  /* R025 */
  if (s->enabled[IND_R025]) {
    int n_active = fr_complete_awards(rel, active, 64, &details);
    json_object *sup = n_active == 1 ? jget(active[0], "suppliers") : NULL;
    const char *supplier = jlen(sup) == 1 ? jstr(jat(sup, 0), "id") : NULL;
    uint32_t seen[256];
    int n_seen = 0;
    for (size_t k = 0; supplier != NULL && k < jlen(details) && c->status == FR_OK; k++) {
      json_object *bid = jat(details, k), *tenderers = jget(bid, "tenderers");
      const char *tid = jlen(tenderers) == 1 ? jstr(jat(tenderers, 0), "id") : NULL;
      if (!jis(bid, "status", "valid") || tid == NULL)
        continue;
      uint32_t id = fr_card_id(c, tid);
      int dup = 0;
      for (int x = 0; x < n_seen && !dup; x++) dup = seen[x] == id;
      if (dup || n_seen == 256)
        continue;
      seen[n_seen++] = id;
      c->r025[id].num += strcmp(supplier, tid) == 0;
      c->r025[id].den += 1;
    }
  }
  /* R028 */
  if (s->enabled[IND_R028] && fr_price_ok(cfg, rel)) {
    json_object *d = jget(jget(rel, "bids"), "details");
    size_t nb = jlen(d);
    int flagged = 0;
    for (size_t k = 0; k < nb; k++) {
      json_object *bid = jat(d, k), *value = jget(bid, "value"), *tenderers = jget(bid, "tenderers");
      double amount;
      const char *currency = jstr(value, "currency");
      if (!fr_submitted(bid) || !json_object_is_type(tenderers, json_type_array) ||
          !jnum(jget(value, "amount"), &amount) || currency == NULL)
        continue;
      int has_id = 0;
      for (size_t t = 0; t < jlen(tenderers); t++) has_id |= jstr(jat(tenderers, t), "id") != NULL;
      if (!has_id)
        continue;
      /* the last earlier bid with the same price and ids (prices.insert overwrites) */
      for (size_t q = k; q-- > 0;) {
        json_object *ob = jat(d, q), *ov = jget(ob, "value"), *ot = jget(ob, "tenderers");
        double oa;
        const char *oc = jstr(ov, "currency");
        if (!fr_submitted(ob) || !json_object_is_type(ot, json_type_array) || !jnum(jget(ov, "amount"), &oa) ||
            oc == NULL || oa != amount || strcmp(oc, currency) != 0)
          continue;
        int o_has = 0;
        for (size_t t = 0; t < jlen(ot); t++) o_has |= jstr(jat(ot, t), "id") != NULL;
        if (!o_has)
          continue;
        /* set equality of the string ids */
        int same = 1;
        for (size_t t = 0; t < jlen(tenderers) && same; t++) {
          const char *a = jstr(jat(tenderers, t), "id");
          if (a == NULL) continue;
          int found = 0;
          for (size_t u = 0; u < jlen(ot) && !found; u++) found = jstr(jat(ot, u), "id") && !strcmp(a, jstr(jat(ot, u), "id"));
          same = found;
        }
        for (size_t u = 0; u < jlen(ot) && same; u++) {
          const char *a = jstr(jat(ot, u), "id");
          if (a == NULL) continue;
          int found = 0;
          for (size_t t = 0; t < jlen(tenderers) && !found; t++)
            found = jstr(jat(tenderers, t), "id") && !strcmp(a, jstr(jat(tenderers, t), "id"));
          same = found;
        }
        if (!same) {
          flagged = 1;
          for (size_t t = 0; t < jlen(tenderers); t++)
            if (jstr(jat(tenderers, t), "id")) fr_set_result(c, GRP_TENDERER, jstr(jat(tenderers, t), "id"), IND_R028, 1.0);
          for (size_t u = 0; u < jlen(ot); u++)
            if (jstr(jat(ot, u), "id")) fr_set_result(c, GRP_TENDERER, jstr(jat(ot, u), "id"), IND_R028, 1.0);
        }
        break;
      }
    }
    if (flagged) fr_set_result(c, GRP_OCID, ocid, IND_R028, 1.0);
  }
  /* R030 */
  if (s->enabled[IND_R030]) {
    const char *end = jstr(jget(tender, "tenderPeriod"), "endDate");
    json_object *awards = jget(rel, "awards"), *d = jget(jget(rel, "bids"), "details");
    if (end != NULL && json_object_is_type(awards, json_type_array) && json_object_is_type(d, json_type_array)) {
      for (size_t k = 0; k < jlen(d); k++) {
        json_object *bid = jat(d, k), *tenderers = jget(bid, "tenderers");
        const char *date = jstr(bid, "date");
        if (!jis(bid, "status", "valid") || date == NULL || strcmp(date, end) <= 0 ||
            !json_object_is_type(tenderers, json_type_array))
          continue;
        for (size_t t = 0; t < jlen(tenderers); t++) {
          const char *id = jstr(jat(tenderers, t), "id");
          int won = 0;
          for (size_t a = 0; id != NULL && a < jlen(awards) && !won; a++) {
            json_object *aw = jat(awards, a), *sup = jget(aw, "suppliers");
            if (!jis(aw, "status", "active")) continue;
            for (size_t x = 0; x < jlen(sup) && !won; x++) won = jstr(jat(sup, x), "id") && !strcmp(id, jstr(jat(sup, x), "id"));
          }
          if (won) {
            fr_set_result(c, GRP_OCID, ocid, IND_R030, 1.0);
            fr_set_result(c, GRP_TENDERER, id, IND_R030, 1.0);
            break;
          }
        }
      }
    }
  }
  /* R035 */
  if (s->enabled[IND_R035]) {
    int n_active = fr_complete_awards(rel, active, 64, &details);
    const char *valid[64], *disq[64], *sup_ids[64];
    int nv = 0, nd = 0, ns = 0;
    for (int a = 0; a < n_active && a < 64; a++) {
      json_object *sup = jget(active[a], "suppliers");
      for (size_t x = 0; x < jlen(sup); x++) {
        const char *id = jstr(jat(sup, x), "id");
        int dup = 0;
        for (int y = 0; id && y < ns && !dup; y++) dup = !strcmp(sup_ids[y], id);
        if (id && !dup && ns < 64) sup_ids[ns++] = id;
      }
    }
    for (size_t k = 0; n_active >= 0 && k < jlen(details); k++) {
      json_object *bid = jat(details, k), *tenderers = jget(bid, "tenderers");
      const char *st = jstr(bid, "status");
      if (st == NULL || !json_object_is_type(tenderers, json_type_array)) continue;
      const char **set = !strcmp(st, "valid") ? valid : !strcmp(st, "disqualified") ? disq : NULL;
      int *n = set == valid ? &nv : &nd;
      if (set == NULL) continue;
      for (size_t t = 0; t < jlen(tenderers); t++) {
        const char *id = jstr(jat(tenderers, t), "id");
        int dup = 0;
        for (int y = 0; id && y < *n && !dup; y++) dup = !strcmp(set[y], id);
        if (id && !dup && *n < 64) set[(*n)++] = id;
      }
    }
    if (nv == 1 && ns == 1 && !strcmp(valid[0], sup_ids[0])) {
      int diff = 0;
      for (int y = 0; y < nd; y++) diff += strcmp(disq[y], valid[0]) != 0;
      if (diff >= cfg->r035_threshold) {
        fr_set_result(c, GRP_OCID, ocid, IND_R035, (double)diff);
        fr_set_result(c, GRP_TENDERER, valid[0], IND_R035, 0.0);
      }
    }
  }
  /* R036 */
  if (s->enabled[IND_R036] && fr_price_ok(cfg, rel)) {
    json_object *awards = jget(rel, "awards");
    int any_active = 0;
    for (size_t a = 0; a < jlen(awards); a++) any_active |= jis(jat(awards, a), "status", "active");
    json_object *d = jget(jget(rel, "bids"), "details");
    /* R036.md: one or more active awards, one or more valid bids with amounts, and
     * the lowest submitted bid (of those with an amount in the main currency) is
     * disqualified; a submitted bid without an amount is passed over */
    int have = 0, disq = 0, any_valid = 0;
    double lowest = 0;
    for (size_t k = 0; any_active && json_object_is_type(awards, json_type_array) && k < jlen(d); k++) {
      json_object *bid = jat(d, k), *value = jget(bid, "value");
      double amount;
      const char *currency = jstr(value, "currency");
      if (!fr_submitted(bid) || !jnum(jget(value, "amount"), &amount))
        continue;
      if (currency == NULL || !fr_currency_ok(c, currency))
        continue;
      any_valid |= jis(bid, "status", "valid");
      if (!have || amount < lowest) {
        have = 1;
        lowest = amount;
        disq = jis(bid, "status", "disqualified");
      }
    }
    if (disq && any_valid) fr_set_result(c, GRP_OCID, ocid, IND_R036, 1.0);
  }
  /* R038 */
  if (s->enabled[IND_R038]) {
    json_object *d = jget(jget(rel, "bids"), "details");
    uint64_t n_sub = 0, n_disq = 0;
    for (size_t k = 0; k < jlen(d) && c->status == FR_OK; k++) {
      json_object *bid = jat(d, k), *tenderers = jget(bid, "tenderers");
      if (!fr_submitted(bid)) continue;
      n_sub++;
      int inc = jis(bid, "status", "disqualified");
      n_disq += (uint64_t)inc;
      for (size_t t = 0; t < jlen(tenderers); t++) {
        const char *id = jstr(jat(tenderers, t), "id");
        if (id == NULL) continue;
        uint32_t x = fr_card_id(c, id);
        if (c->status != FR_OK) break;
        c->r038[2][x].num += (uint64_t)inc;
        c->r038[2][x].den += 1;
      }
    }
    const char *buyer = jstr(jget(rel, "buyer"), "id"), *pe = jstr(jget(tender, "procuringEntity"), "id");
    if (n_sub > 0 && buyer != NULL) {
      uint32_t x = fr_card_id(c, buyer);
      if (c->status == FR_OK) c->r038[0][x].num += n_disq, c->r038[0][x].den += n_sub;
    }
    if (n_sub > 0 && pe != NULL) {
      uint32_t x = fr_card_id(c, pe);
      if (c->status == FR_OK) c->r038[1][x].num += n_disq, c->r038[1][x].den += n_sub;
    }
  }
  /* R048 */
  if (s->enabled[IND_R048]) {
    json_object *awards = jget(rel, "awards");
    uint32_t counted[64];
    int n_counted = 0;
    for (size_t a = 0; a < jlen(awards) && c->status == FR_OK; a++) {
      json_object *aw = jat(awards, a), *sup = jget(aw, "suppliers"), *items = jget(aw, "items");
      const char *sid = jlen(sup) == 1 ? jstr(jat(sup, 0), "id") : NULL;
      if (!jis(aw, "status", "active") || sid == NULL || !json_object_is_type(items, json_type_array))
        continue;
      uint32_t x = fr_card_id(c, sid);
      int dup = 0;
      for (int y = 0; y < n_counted && !dup; y++) dup = counted[y] == x;
      if (!dup && n_counted < 64) {
        counted[n_counted++] = x;
        c->r048_n[x]++;
      }
      for (size_t i = 0; i < jlen(items) && c->status == FR_OK; i++) {
        const char *cid = jstr(jget(jat(items, i), "classification"), "id");
        if (cid == NULL) continue;
        /* the first `digits` characters (UTF-8 code points) */
        size_t bytes = 0;
        for (int ch = 0; ch < cfg->r048_digits && cid[bytes]; ch++) {
          bytes++;
          while (((unsigned char)cid[bytes] & 0xC0) == 0x80) bytes++;
        }
        char code[256];
        snprintf(code, sizeof code, "%.*s", (int)(bytes < 255 ? bytes : 255), cid);
        uint32_t y = fr_card_id(c, code);
        if (c->n_pairs == c->cap_pairs) {
          size_t cap = c->cap_pairs ? c->cap_pairs * 2 : 1024;
          uint64_t *p = fr_realloc(c->r048_pairs, cap * sizeof *p);
          if (p == NULL) {
            c->status = FR_ERR_NOMEM;
            break;
          }
          c->r048_pairs = p;
          c->cap_pairs = cap;
        }
        c->r048_pairs[c->n_pairs++] = ((uint64_t)x << 32) | y;
      }
    }
  }
}

/* ---- finalize ------------------------------------------------------------------------------ */

static int fr_cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static const char *fr_opt(const fr_card_settings *s, const char *section, const char *key, double *out) {
  const char *v = fr_set_get(s, section, key);
  if (v != NULL) *out = strtod(v, NULL);
  return v;
}

static void fr_finalize(fr_card *c, const fr_card_cfg *cfg) {
  const fr_card_settings *s = cfg->s;
  double *data = fr_malloc((c->dict.n + c->n_slb + 1) * sizeof *data);
  if (data == NULL) {
    c->status = FR_ERR_NOMEM;
    return;
  }
  double t;
  /* R024, R058 */
  size_t n = c->n_slb;
  for (size_t k = 0; k < n; k++) data[k] = c->slb[k].ratio;
  fr_sort_any(data, n, sizeof *data, fr_cmp_dbl);
  double q1 = fr_quantile(data, n, 0.25), q3 = fr_quantile(data, n, 0.75);
  if (s->enabled[IND_R024] && n > 0) {
    int given = fr_opt(s, "R024", "threshold", &t) != NULL;
    double fence = given ? t : fma(q3 - q1, -1.5, q1);
    if ((given ? 1.0 : q1) > 0 && fence > 0) /* cardinal-rs: a given threshold stands for Q1, the fence must be > 0 */
      for (size_t k = 0; k < n; k++)
        if (c->slb[k].ratio <= fence) {
          fr_set_result(c, GRP_OCID, fr_sdict_str(&c->dict, c->slb[k].ocid), IND_R024, c->slb[k].ratio);
          fr_set_result(c, GRP_TENDERER, fr_sdict_str(&c->dict, c->slb[k].winner), IND_R024, 0.0);
          fr_set_result(c, GRP_TENDERER, fr_sdict_str(&c->dict, c->slb[k].loser), IND_R024, 0.0);
        }
  }
  if (s->enabled[IND_R058] && n > 0) {
    int given = fr_opt(s, "R058", "threshold", &t) != NULL;
    double fence = given ? t : fma(q3 - q1, 1.5, q3);
    if (fence > 0)
      for (size_t k = 0; k < n; k++)
        if (c->slb[k].ratio >= fence) {
          fr_set_result(c, GRP_OCID, fr_sdict_str(&c->dict, c->slb[k].ocid), IND_R058, c->slb[k].ratio);
          fr_set_result(c, GRP_TENDERER, fr_sdict_str(&c->dict, c->slb[k].winner), IND_R058, 0.0);
        }
  }
  uint32_t n_ids = c->dict.n;
  /* R025 */
  if (s->enabled[IND_R025]) {
    double pct = 75;
    fr_opt(s, "R025", "percentile", &pct);
    n = 0;
    for (uint32_t id = 0; id < n_ids; id++)
      if (c->r025[id].den > 0) data[n++] = (double)c->r025[id].den;
    fr_sort_any(data, n, sizeof *data, fr_cmp_dbl);
    double upper = fr_quantile(data, n, pct / 100.0);
    n = 0;
    for (uint32_t id = 0; id < n_ids; id++)
      if (c->r025[id].den > 0) data[n++] = (double)c->r025[id].num / (double)c->r025[id].den;
    fr_sort_any(data, n, sizeof *data, fr_cmp_dbl);
    double a = fr_quantile(data, n, 0.25), b = fr_quantile(data, n, 0.75);
    int given = fr_opt(s, "R025", "threshold", &t) != NULL;
    double lower = given ? t : fma(b - a, -1.5, a);
    /* cardinal-rs flags only with Q1 > 0 and a lower fence > 0 (Q1 counts as 1
     * when the threshold is given); this includes DETECTORS.md's "skipped when
     * Q1, Q3 and the IQR are all zero" */
    double q1_used = given ? 1.0 : a;
    for (uint32_t id = 0; q1_used > 0 && lower > 0 && id < n_ids; id++) {
      if (c->r025[id].den == 0) continue;
      double ratio = (double)c->r025[id].num / (double)c->r025[id].den;
      if ((double)c->r025[id].den >= upper && ratio <= lower)
        fr_set_result(c, GRP_TENDERER, fr_sdict_str(&c->dict, id), IND_R025, ratio);
    }
  }
  /* R038 */
  if (s->enabled[IND_R038]) {
    double min_procs = 2, min_bids = 2;
    fr_opt(s, "R038", "minimum_contracting_processes", &min_procs);
    fr_opt(s, "R038", "minimum_submitted_bids", &min_bids);
    int given = fr_opt(s, "R038", "threshold", &t) != NULL;
    for (int g = 0; g < 3; g++) {
      double minimum = g == 2 ? min_bids : min_procs;
      n = 0;
      for (uint32_t id = 0; id < n_ids; id++)
        if (c->r038[g][id].den > 0 && (double)c->r038[g][id].den >= minimum)
          data[n++] = (double)c->r038[g][id].num / (double)c->r038[g][id].den;
      if (n == 0) continue;
      fr_sort_any(data, n, sizeof *data, fr_cmp_dbl);
      double a = fr_quantile(data, n, 0.25), b = fr_quantile(data, n, 0.75);
      if (!given && a == 0 && b == 0) continue;
      double fence = given ? t : fma(b - a, 1.5, b);
      for (uint32_t id = 0; id < n_ids; id++) {
        const fr_frac *f = &c->r038[g][id];
        if (f->den == 0 || (double)f->den < minimum) continue;
        double ratio = (double)f->num / (double)f->den;
        if (ratio >= fence) fr_set_result(c, g == 0 ? GRP_BUYER : g == 1 ? GRP_PE : GRP_TENDERER, fr_sdict_str(&c->dict, id), IND_R038, ratio);
      }
    }
  }
  /* R048 */
  if (s->enabled[IND_R048]) {
    double min_procs = 20;
    fr_opt(s, "R048", "minimum_contracting_processes", &min_procs);
    fr_sort_any(c->r048_pairs, c->n_pairs, sizeof *c->r048_pairs, fr_cmp_u64);
    uint32_t *codes = fr_calloc(n_ids ? n_ids : 1, sizeof *codes);
    if (codes == NULL) {
      c->status = FR_ERR_NOMEM;
      fr_free(data);
      return;
    }
    for (size_t k = 0; k < c->n_pairs; k++)
      if (k == 0 || c->r048_pairs[k] != c->r048_pairs[k - 1]) codes[c->r048_pairs[k] >> 32]++;
    n = 0;
    for (uint32_t id = 0; id < n_ids; id++)
      if (c->r048_n[id] > 0 && (double)c->r048_n[id] >= min_procs) data[n++] = (double)codes[id];
    if (n > 0) {
      fr_sort_any(data, n, sizeof *data, fr_cmp_dbl);
      double a = fr_quantile(data, n, 0.25), b = fr_quantile(data, n, 0.75);
      int given = fr_opt(s, "R048", "threshold", &t) != NULL;
      double fence = given ? t : ceil(fma(b - a, 1.5, b));
      if (given || !(a == 0 && b == 0))
        for (uint32_t id = 0; id < n_ids; id++)
          if (c->r048_n[id] > 0 && (double)c->r048_n[id] >= min_procs && (double)codes[id] >= fence)
            fr_set_result(c, GRP_TENDERER, fr_sdict_str(&c->dict, id), IND_R048, (double)codes[id]);
    }
    fr_free(codes);
  }
  fr_free(data);
}

/* ---- output ------------------------------------------------------------------------------ */

static int fr_res_cmp(const void *a, const void *b) {
  const fr_card_res *x = a, *y = b;
  if (x->grp != y->grp) return x->grp - y->grp;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  if (x->ind != y->ind) return x->ind - y->ind;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

static void fr_put_f64(fr_buf *out, double v) {
  if (!isfinite(v)) { /* serde_json, which cardinal-rs prints with, writes NaN and infinities as null */
    fr_buf_put(out, "null", 4);
    return;
  }
  char t[64];
  int n = snprintf(t, sizeof t, "%.17g", v);
  for (int p = 1; p <= 17; p++) {
    char u[64];
    int m = snprintf(u, sizeof u, "%.*g", p, v);
    if (strtod(u, NULL) == v) {
      memcpy(t, u, (size_t)m + 1);
      n = m;
      break;
    }
  }
  fr_buf_put(out, t, (size_t)n);
  if (strpbrk(t, ".eEn") == NULL) fr_buf_put(out, ".0", 2);
}

static void fr_write_results(fr_card *c, fr_buf *out) {
  fr_sort_any(c->res, c->n_res, sizeof *c->res, fr_res_cmp);
  fr_buf_put_u8(out, '{');
  int first_grp = 1;
  for (size_t k = 0; k < c->n_res;) {
    int g = c->res[k].grp;
    if (!first_grp) fr_buf_put_u8(out, ',');
    first_grp = 0;
    fr_write_json_string(out, fr_grp_names[g], strlen(fr_grp_names[g]));
    fr_buf_put(out, ":{", 2);
    int first_key = 1;
    while (k < c->n_res && c->res[k].grp == g) {
      uint32_t key = c->res[k].key;
      if (!first_key) fr_buf_put_u8(out, ',');
      first_key = 0;
      const char *ks = fr_sdict_str(&c->dict, key);
      fr_write_json_string(out, ks, strlen(ks));
      fr_buf_put(out, ":{", 2);
      int first_ind = 1;
      while (k < c->n_res && c->res[k].grp == g && c->res[k].key == key) {
        size_t last = k;
        while (last + 1 < c->n_res && c->res[last + 1].grp == g && c->res[last + 1].key == key &&
               c->res[last + 1].ind == c->res[k].ind)
          last++;
        if (!first_ind) fr_buf_put_u8(out, ',');
        first_ind = 0;
        const char *is = fr_ind_names[c->res[last].ind];
        fr_write_json_string(out, is, strlen(is));
        fr_buf_put_u8(out, ':');
        fr_put_f64(out, c->res[last].value);
        k = last + 1;
      }
      fr_buf_put_u8(out, '}');
    }
    fr_buf_put_u8(out, '}');
  }
  fr_buf_put(out, "}\n", 2);
}

/* ---- run ----------------------------------------------------------------------------------- */

static const fr_param_spec fr_card_params[] = {
    {"processes", FR_PARAM_TABLE, "ocds_processes", 0, 0, NULL, "the OCDS processes table"},
    {"release", FR_PARAM_COLUMN, "release", 0, 0, "processes", "compiled release column"},
    {"ocid", FR_PARAM_COLUMN, "ocid", 0, 0, "processes", "ocid column"},
};
static const fr_detector_info fr_card_info = {"cardinal", "cardinal", "cardinal-rs indicators", "processes",
                                              "ocid", fr_card_params, 3};

fr_status fr_cardinal_run(fr_buf *out, const fr_store *store, const char *prefix, const char *settings_path,
                          fr_error *err) {
  fr_card_settings *s = fr_calloc(1, sizeof *s);
  FR_FAIL_IF(s == NULL, FR_ERR_NOMEM, err, "out of memory");
  fr_status status = fr_settings_read(s, settings_path, err);
  fr_detect_params *p = NULL;
  fr_card c;
  memset(&c, 0, sizeof c);
  fr_sdict_init(&c.dict);
  fr_sdict scratch;
  fr_sdict_init(&scratch);
  fr_lcol cols[1] = {LC("release", FR_LC_KEY, 0)};
  cols[0].lazy = 1; /* read batch by batch */
  fr_ltable t;
  memset(&t, 0, sizeof t);
  char table[FR_NAME_CAP];
  snprintf(table, sizeof table, "%s_processes", prefix);
  if (status == FR_OK)
    status = fr_detect_params_create(&p, &fr_card_info, err);
  if (status == FR_OK)
    status = fr_detect_params_set(p, "processes", table, err);
  if (status == FR_OK)
    status = fr_ltable_load(&t, store, p, "processes", cols, 1, &scratch, err);
  if (status == FR_OK) {
    fr_card_cfg cfg = {s, NULL, NULL, NULL, 15, NULL, "open|selective", 1, 2};
    cfg.no_price = fr_set_get(s, "", "no_price_comparison_procurement_methods");
    cfg.price = fr_set_get(s, "", "price_comparison_procurement_methods");
    cfg.exclude = fr_set_get(s, "exclusions", "procurement_method_details");
    const char *v;
    if ((v = fr_set_get(s, "R003", "threshold")) != NULL) cfg.r003_threshold = strtoll(v, NULL, 10);
    cfg.r003_methods = fr_set_get(s, "R003", "procurement_methods");
    if ((v = fr_set_get(s, "R018", "procurement_methods")) != NULL) cfg.r018_methods = v;
    if ((v = fr_set_get(s, "R035", "threshold")) != NULL) cfg.r035_threshold = atoi(v) < 1 ? 1 : atoi(v);
    if ((v = fr_set_get(s, "R048", "digits")) != NULL) cfg.r048_digits = atoi(v);
    if ((v = fr_set_get(s, "", "currency")) != NULL) {
      c.currency = fr_strndup(v, strlen(v));
      if (c.currency == NULL) c.status = FR_ERR_NOMEM;
    }
    /* in batches: the batch's texts read (lazily, row groups decoded in
     * parallel), parsed in parallel, folded in ingest order on this thread, the
     * parse trees freed in parallel; the texts are then forgotten, so memory is
     * one batch, not the table */
    enum { CARD_BATCH = 16384, CARD_PARSE = 256 };
    json_object **rels = fr_malloc(CARD_PARSE * sizeof *rels);
    uint64_t *rows = fr_malloc(CARD_BATCH * sizeof *rows);
    if (rels == NULL || rows == NULL)
      c.status = FR_ERR_NOMEM;
    for (uint64_t base = 0; base < t.n_rows && c.status == FR_OK; base += CARD_BATCH) {
      const int64_t m = (int64_t)(t.n_rows - base < CARD_BATCH ? t.n_rows - base : CARD_BATCH);
      for (int64_t i = 0; i < m; i++) rows[i] = base + (uint64_t)i;
      status = fr_lkey_fetch(&t, &cols[0], rows, (size_t)m, err);
      if (status != FR_OK)
        break;
      /* parse trees are ~10x their text: a few hundred at a time stay in cache */
      for (int64_t sub = 0; sub < m && c.status == FR_OK; sub += CARD_PARSE) {
        const int64_t e = m - sub < CARD_PARSE ? m : sub + CARD_PARSE;
        /* static schedules over the same range: the thread that parsed a tree frees
         * it (glibc's malloc is slow at freeing another thread's blocks) */
#pragma omp parallel for schedule(static)
        for (int64_t i = sub; i < e; i++) rels[i - sub] = json_tokener_parse(fr_lkey(&cols[0], base + (uint64_t)i));
        for (int64_t i = sub; i < e && c.status == FR_OK; i++) {
          json_object *rel = rels[i - sub];
          const char *ocid = jstr(rel, "ocid");
          if (ocid != NULL && !jis(jget(rel, "tender"), "status", "cancelled") &&
              fr_matches_pmd(rel, NULL, cfg.exclude))
            fr_fold(&c, &cfg, rel, ocid);
        }
#pragma omp parallel for schedule(static)
        for (int64_t i = sub; i < e; i++) json_object_put(rels[i - sub]);
      }
      fr_lkey_reset(&t, &cols[0], base, (uint64_t)m);
    }
    fr_free(rels);
    fr_free(rows);
    if (status == FR_OK && c.status == FR_OK)
      fr_finalize(&c, &cfg);
    if (status == FR_OK && c.status == FR_OK)
      fr_write_results(&c, out);
    if (status == FR_OK && c.status != FR_OK)
      status = fr_error_set(err, c.status, "cardinal: out of memory");
  }
  fr_ltable_free(&t);
  fr_sdict_free(&scratch);
  fr_sdict_free(&c.dict);
  fr_free(c.res);
  fr_free(c.r025);
  for (int g = 0; g < 3; g++) fr_free(c.r038[g]);
  fr_free(c.r048_n);
  fr_free(c.r048_pairs);
  fr_free(c.slb);
  fr_free(c.currency);
  fr_detect_params_destroy(p);
  fr_free(s);
  return status;
}
