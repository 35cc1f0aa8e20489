/* fr_detect_catalog.c - the detector catalogue of DETECTORS.md section F: each
 * detector's id, name, concern, tables and parameters with their defaults;
 * parsing and validating `--set NAME=VALUE`; the --list text; dispatch to the
 * kernels.  Invariant: a parameter value is valid once set (the kernels never
 * re-check a range). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"

#define P_TABLE(name, help) {name, FR_PARAM_TABLE, name, 0, 0, NULL, help}
#define P_PAY(name, help) {name, FR_PARAM_COLUMN, name, 0, 0, "payments", help}
#define P_ENT(col, help) {"entities." col, FR_PARAM_COLUMN, col, 0, 0, "entities", help}
#define P_REL(col, help) {"relations." col, FR_PARAM_COLUMN, col, 0, 0, "relations", help}
#define P_INT(name, def, lo, hi, help) {name, FR_PARAM_INT, def, lo, hi, NULL, help}
#define P_DEC(name, def, help) {name, FR_PARAM_DECIMAL, def, 0, 0, NULL, help}
#define P_RATIO(name, def, help) {name, FR_PARAM_RATIO, def, 0, 0, NULL, help}
#define P_REAL(name, def, help) {name, FR_PARAM_REAL, def, 0, 0, NULL, help}

#define PAY_TABLE P_TABLE("payments", "the payments table")
#define PAY_KEY P_PAY("txn_id", "evidence key column")
#define PAY_TS P_PAY("ts", "timestamp column")
#define PAY_ORG P_PAY("org", "paying organisation column")
#define PAY_PAYER P_PAY("payer", "payer account column")
#define PAY_PAYEE P_PAY("payee", "payee account column")
#define PAY_AMOUNT P_PAY("amount", "amount column, decimal(18,2)")

static const fr_param_spec f1_params[] = {
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYEE, PAY_AMOUNT,
    P_PAY("invoice_no", "invoice number column (normalised: A-Z0-9 upper-cased)"),
};
static const fr_param_spec f2_params[] = {
    P_INT("window_days", "3", 0, 36500, "largest gap between linked payments, days"),
    P_DEC("min_amount", "1000.00", "smallest amount considered"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYER, PAY_PAYEE, PAY_AMOUNT,
};
static const fr_param_spec f3_params[] = {
    P_DEC("threshold", "100000.00", "the approval / tender threshold"),
    P_RATIO("floor", "0.8", "band floor as a share of the threshold"),
    P_INT("window_days", "7", 0, 36500, "window length, days"),
    P_INT("min_parts", "2", 1, 1000000, "payments a window needs"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYEE, PAY_AMOUNT,
};
static const fr_param_spec f4_params[] = {
    {"group_by", FR_PARAM_COLUMN, "org", 0, 0, "payments", "column that forms the groups"},
    P_INT("min_count", "1000", 1, 1000000000, "smallest group tested"),
    P_DEC("min_amount", "10.00", "smallest amount in the sample"),
    P_REAL("mad_limit", "0.0022", "largest excess MAD of a conforming group"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_AMOUNT,
};
static const fr_param_spec f5_params[] = {
    P_INT("min_len", "2", 1, 6, "fewest payments in a cycle"),
    P_INT("max_len", "4", 1, 6, "most payments in a cycle"),
    P_INT("window_days", "30", 0, 36500, "longest time from first to last payment, days"),
    P_RATIO("tolerance", "0.10", "largest deviation from the first amount, as a share of it"),
    P_DEC("min_amount", "10000.00", "smallest first amount"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYER, PAY_PAYEE, PAY_AMOUNT,
};
static const fr_param_spec f6_params[] = {
    P_INT("hours", "48", 0, 876000, "how long after the inflow outflows count, hours"),
    P_RATIO("ratio", "0.9", "outflow share of the inflow that flags"),
    P_DEC("min_amount", "50000.00", "smallest inflow considered"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYER, PAY_PAYEE, PAY_AMOUNT,
};
static const fr_param_spec f7_params[] = {
    P_INT("min_fan", "5", 1, 1000000, "payees that must gather to one account"),
    P_INT("scatter_days", "3", 0, 36500, "scatter window, days"),
    P_INT("gather_days", "7", 0, 36500, "gather window after a payee's first receipt, days"),
    P_RATIO("ratio", "0.8", "share of what a payee received that it must pass on"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYER, PAY_PAYEE, PAY_AMOUNT,
};
static const fr_param_spec f8_params[] = {
    P_DEC("min_amount", "10000.00", "smallest amount considered"),
    P_INT("min_count", "3", 1, 1000000000, "off-hours payments an approver needs"),
    P_INT("night_start", "22", 0, 24, "night begins at this hour"),
    P_INT("night_end", "6", 0, 24, "night ends at this hour"),
    {"holidays", FR_PARAM_DATES, "", 0, 0, NULL, "holiday dates, YYYY-MM-DD, comma separated"},
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_AMOUNT,
    P_PAY("approver", "approver column"),
};
static const fr_param_spec f9_params[] = {
    P_RATIO("ratio", "3.0", "December total over the January-November monthly mean"),
    P_DEC("min_amount", "1000000.00", "smallest December total"),
    P_INT("min_months", "6", 0, 11, "months of January-November with payments"),
    P_INT("min_payments", "10", 0, 1000000000, "fewest December payments"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_AMOUNT,
};
static const fr_param_spec f10_params[] = {
    P_INT("min_count", "50", 1, 1000000000, "smallest (org, budget line) tested"),
    P_REAL("z", "5.0", "robust z-score that flags"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYEE, PAY_AMOUNT,
    P_PAY("budget_code", "budget line column"),
};
static const fr_param_spec f11_params[] = {
    {"kinds", FR_PARAM_WORDS, "", 0, 0, NULL, "relation kinds that count, comma separated (empty: all)"},
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYEE,
    P_PAY("requester", "requester column"),
    P_PAY("approver", "approver column"),
    P_TABLE("entities", "the entities table"),
    P_ENT("id", "entity id column"),
    P_ENT("phone", "phone column"),
    P_ENT("address", "address column"),
    P_ENT("bank_account", "bank account column"),
    P_TABLE("relations", "the relations table"),
    P_REL("a", "first party column"),
    P_REL("b", "second party column"),
    P_REL("kind", "relation kind column"),
    P_REL("since", "first valid date column"),
    P_REL("until", "last valid date column"),
};
static const fr_param_spec f12_params[] = {
    P_INT("days", "90", 0, 36500, "largest age of the payee at the payment, days"),
    P_DEC("min_amount", "500000.00", "smallest amount considered"),
    PAY_TABLE, PAY_KEY, PAY_TS, PAY_ORG, PAY_PAYEE, PAY_AMOUNT,
    P_TABLE("entities", "the entities table"),
    P_ENT("id", "entity id column"),
    P_ENT("registered", "registration date column"),
};

#define N_OF(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))
#define DET(id, name, concern, params) {id, name, concern, "payments", "txn_id", params, N_OF(params)}

static const fr_detector_info fr_catalog_fund[] = {
    DET("F1", "duplicate_payment", "paying the same invoice twice", f1_params),
    DET("F2", "near_duplicate_payment", "same amount paid twice in a few days", f2_params),
    DET("F3", "split_payment", "splitting a purchase to stay under a threshold (化整为零)", f3_params),
    DET("F4", "benford", "fabricated amounts (first-two-digit Benford test)", f4_params),
    DET("F5", "round_trip", "funds cycling back to their origin", f5_params),
    DET("F6", "pass_through", "an account used as a conduit", f6_params),
    DET("F7", "scatter_gather", "funds scattered to many accounts and collected again (虚报冒领)", f7_params),
    DET("F8", "off_hours", "postings at night, weekends, holidays", f8_params),
    DET("F9", "year_end_spike", "December rush spending (突击花钱)", f9_params),
    DET("F10", "amount_outlier", "an amount far out of line for its org and budget line", f10_params),
    DET("F11", "related_party", "approver tied to payee (权钱交易)", f11_params),
    DET("F12", "new_vendor_large", "a fresh company receiving a large payment", f12_params),
};

static const fr_detect_fn fr_kernels_fund[] = {
    fr_detect_f1, fr_detect_f2, fr_detect_f3, fr_detect_f4,  fr_detect_f5,  fr_detect_f6,
    fr_detect_f7, fr_detect_f8, fr_detect_f9, fr_detect_f10, fr_detect_f11, fr_detect_f12,
};

_Static_assert(sizeof fr_catalog_fund / sizeof fr_catalog_fund[0] == sizeof fr_kernels_fund / sizeof fr_kernels_fund[0],
               "one kernel per detector");

static const fr_catalog_section fr_section_fund = {fr_catalog_fund, fr_kernels_fund, N_OF(fr_catalog_fund)};

/* The catalogue is the concatenation of its sections, in DETECTORS.md order:
 * F (this file), A (fr_detect_approval.c), P and W (fr_detect_procure.c). */
static const fr_catalog_section *const fr_sections[] = {&fr_section_fund, &fr_catalog_approval,
                                                         &fr_catalog_procurement};

/* Finds the section and index of catalogue entry `idx`. */
static const fr_catalog_section *fr_section_of(uint32_t idx, uint32_t *local) {
  for (uint32_t s = 0; s < N_OF(fr_sections); s++) {
    if (idx < fr_sections[s]->count) {
      *local = idx;
      return fr_sections[s];
    }
    idx -= fr_sections[s]->count;
  }
  return NULL;
}

uint32_t fr_detect_count(void) {
  uint32_t n = 0;
  for (uint32_t s = 0; s < N_OF(fr_sections); s++)
    n += fr_sections[s]->count;
  return n;
}

const fr_detector_info *fr_detect_at(uint32_t idx) {
  uint32_t local;
  const fr_catalog_section *sec = fr_section_of(idx, &local);
  return sec != NULL ? &sec->infos[local] : NULL;
}

const fr_detector_info *fr_detect_find(const char *name) {
  for (uint32_t d = 0; d < fr_detect_count(); d++) {
    const fr_detector_info *info = fr_detect_at(d);
    if (strcasecmp(name, info->id) == 0 || strcasecmp(name, info->name) == 0)
      return info;
  }
  return NULL;
}

static const char *fr_kind_word(fr_param_kind kind) {
  switch (kind) {
  case FR_PARAM_DECIMAL: return "decimal";
  case FR_PARAM_INT: return "integer";
  case FR_PARAM_RATIO: return "ratio";
  case FR_PARAM_REAL: return "number";
  case FR_PARAM_DATES: return "dates";
  case FR_PARAM_WORDS: return "words";
  case FR_PARAM_COLUMN: return "column";
  case FR_PARAM_TABLE: return "table";
  }
  return "?";
}

void fr_detect_write_list(fr_buf *out) {
  char line[1024];
  for (uint32_t d = 0; d < fr_detect_count(); d++) {
    const fr_detector_info *info = fr_detect_at(d);
    int n = snprintf(line, sizeof line, "%s%-4s %s  (table %s, key %s)\n     %s\n", d ? "\n" : "", info->id,
                     info->name, info->table, info->key, info->concern);
    fr_buf_put(out, line, (size_t)n);
    for (uint32_t k = 0; k < info->n_params; k++) {
      const fr_param_spec *s = &info->params[k];
      char def[300];
      snprintf(def, sizeof def, "%s", s->def[0] ? s->def : s->kind == FR_PARAM_WORDS ? "(all)" : "(none)");
      if (s->kind == FR_PARAM_COLUMN)
        n = snprintf(line, sizeof line, "     %-20s %-8s %-12s %s (in %s)\n", s->name, fr_kind_word(s->kind),
                     def, s->help, s->table);
      else
        n = snprintf(line, sizeof line, "     %-20s %-8s %-12s %s\n", s->name, fr_kind_word(s->kind), def,
                     s->help);
      fr_buf_put(out, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
  }
}

/* ---- parameter values ------------------------------------------------------ */

static void fr_value_clear(fr_param_value *v) {
  fr_free(v->text);
  fr_free(v->dates);
  for (uint32_t k = 0; v->words != NULL && k < v->n_items; k++)
    fr_free(v->words[k]);
  fr_free(v->words);
  memset(v, 0, sizeof *v);
}

/* Exact non-negative decimal fraction with at most 9 places, scaled by 1e9. */
/* The largest integer part of a ratio parameter (10^9: ratio x 10^9 stays far
 * inside int64; a larger share or factor could never be met anyway). */
#define FR_RATIO_MAX_INT 1000000000LL

static int fr_parse_ratio(int64_t *out, const char *text) {
  const char *s = text;
  while (*s == ' ') s++;
  if (!isdigit((unsigned char)*s) && *s != '.')
    return -1;
  int64_t ip = 0, fp = 0;
  int n_int = 0, n_frac = 0;
  for (; isdigit((unsigned char)*s); s++, n_int++) {
    ip = ip * 10 + (*s - '0');
    if (ip > FR_RATIO_MAX_INT) /* ip * 10^9 + fp must fit in int64 */
      return -1;
  }
  if (*s == '.') {
    for (s++; isdigit((unsigned char)*s); s++, n_frac++) {
      if (n_frac >= 9)
        return -1;
      fp = fp * 10 + (*s - '0');
    }
  }
  while (*s == ' ') s++;
  if (*s != '\0' || n_int + n_frac == 0)
    return -1;
  for (int k = n_frac; k < 9; k++) fp *= 10;
  *out = ip * FR_RATIO_SCALE + fp;
  return 0;
}

static int fr_cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Parses `text` for spec `s` into a fresh value; FR_ERR_INVALID says what is expected. */
static fr_status fr_value_parse(fr_param_value *v, const fr_param_spec *s, const char *text, fr_error *err) {
  memset(v, 0, sizeof *v);
  size_t len = strlen(text);
  v->text = fr_strndup(text, len);
  if (v->text == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  switch (s->kind) {
  case FR_PARAM_DECIMAL:
    if (fr_parse_decimal(&v->i, text, len) != NULL)
      return fr_error_set(err, FR_ERR_INVALID, "parameter %s: \"%s\" is not a decimal amount (e.g. %s)", s->name,
                          text, s->def);
    v->f = (double)v->i / 100.0;
    return FR_OK;
  case FR_PARAM_INT: {
    int64_t n;
    if (fr_parse_int64(&n, text, len) != NULL || n < s->min || n > s->max)
      return fr_error_set(err, FR_ERR_INVALID, "parameter %s: \"%s\" is not an integer from %lld to %lld",
                          s->name, text, (long long)s->min, (long long)s->max);
    v->i = n;
    v->f = (double)n;
    return FR_OK;
  }
  case FR_PARAM_RATIO:
    if (fr_parse_ratio(&v->i, text) != 0)
      return fr_error_set(err, FR_ERR_INVALID,
                          "parameter %s: \"%s\" is not a decimal from 0 to 1000000000 with at most 9 places (e.g. %s)",
                          s->name, text, s->def);
    v->f = (double)v->i / (double)FR_RATIO_SCALE;
    return FR_OK;
  case FR_PARAM_REAL: {
    char *end = NULL;
    double x = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(x) || x < 0)
      return fr_error_set(err, FR_ERR_INVALID, "parameter %s: \"%s\" is not a finite number >= 0 (e.g. %s)",
                          s->name, text, s->def);
    v->f = x;
    return FR_OK;
  }
  case FR_PARAM_DATES:
  case FR_PARAM_WORDS: {
    /* items separated by commas (and, for dates, spaces) */
    size_t cap = 1;
    for (size_t k = 0; k < len; k++) cap += text[k] == ',' || text[k] == ' ';
    if (s->kind == FR_PARAM_DATES)
      v->dates = fr_calloc(cap, sizeof *v->dates);
    else
      v->words = fr_calloc(cap, sizeof *v->words);
    if (v->dates == NULL && v->words == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    const char *p = text;
    while (*p != '\0') {
      const char *seps = s->kind == FR_PARAM_DATES ? ", " : ",";
      size_t item = strcspn(p, seps);
      const char *a = p, *b = p + item;
      while (a < b && *a == ' ') a++;
      while (b > a && b[-1] == ' ') b--;
      if (b > a) {
        if (s->kind == FR_PARAM_DATES) {
          if (fr_parse_date(&v->dates[v->n_items], a, (size_t)(b - a)) != NULL)
            return fr_error_set(err, FR_ERR_INVALID, "parameter %s: \"%.*s\" is not a date YYYY-MM-DD", s->name,
                                (int)(b - a), a);
        } else {
          v->words[v->n_items] = fr_strndup(a, (size_t)(b - a));
          if (v->words[v->n_items] == NULL)
            return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
        }
        v->n_items++;
      }
      p += item;
      if (*p != '\0') p++;
    }
    if (v->dates != NULL)
      qsort(v->dates, v->n_items, sizeof *v->dates, fr_cmp_i64);
    return FR_OK;
  }
  case FR_PARAM_COLUMN:
  case FR_PARAM_TABLE:
    if (len == 0 || len >= FR_NAME_CAP)
      return fr_error_set(err, FR_ERR_INVALID, "parameter %s: a %s name of 1 to %d bytes is expected", s->name,
                          s->kind == FR_PARAM_TABLE ? "table" : "column", FR_NAME_CAP - 1);
    return FR_OK;
  }
  return fr_error_set(err, FR_ERR_INVALID, "parameter %s: unknown kind", s->name);
}

const fr_param_value *fr_dp(const fr_detect_params *p, const char *name) {
  for (uint32_t k = 0; k < p->d->n_params; k++)
    if (strcmp(p->d->params[k].name, name) == 0)
      return &p->v[k];
  return NULL; /* a kernel asked for a parameter its detector lacks: caught by the tests */
}

fr_status fr_detect_params_create(fr_detect_params **out, const fr_detector_info *d, fr_error *err) {
  *out = NULL;
  fr_detect_params *p = fr_calloc(1, sizeof *p);
  if (p == NULL || (p->v = fr_calloc(d->n_params, sizeof *p->v)) == NULL) {
    fr_free(p);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  p->d = d;
  for (uint32_t k = 0; k < d->n_params; k++) {
    fr_status status = fr_value_parse(&p->v[k], &d->params[k], d->params[k].def, err);
    if (status != FR_OK) {
      fr_detect_params_destroy(p);
      return status;
    }
  }
  *out = p;
  return FR_OK;
}

fr_status fr_detect_params_set(fr_detect_params *p, const char *name, const char *value, fr_error *err) {
  const fr_detector_info *d = p->d;
  /* DETECTORS.md spells A3's per-service override `sla.SERVICE=days`: such a
   * setting joins the sla_by_service list (SERVICE=DAYS items, the last one of
   * a service wins) */
  if (strncmp(name, "sla.", 4) == 0 && name[4] != '\0') {
    for (uint32_t k = 0; k < d->n_params; k++) {
      if (strcmp(d->params[k].name, "sla_by_service") != 0)
        continue;
      const char *before = p->v[k].set && strcmp(p->v[k].text, "none") != 0 ? p->v[k].text : NULL;
      char *items = fr_strf("%s%s%s=%s", before ? before : "", before ? "," : "", name + 4, value);
      if (items == NULL)
        return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      fr_status status = fr_detect_params_set(p, "sla_by_service", items, err);
      fr_free(items);
      return status;
    }
  }
  for (uint32_t k = 0; k < d->n_params; k++) {
    if (strcmp(d->params[k].name, name) != 0)
      continue;
    fr_param_value v;
    fr_status status = fr_value_parse(&v, &d->params[k], value, err);
    if (status != FR_OK) {
      fr_value_clear(&v);
      return status;
    }
    fr_value_clear(&p->v[k]);
    p->v[k] = v;
    p->v[k].set = 1;
    return FR_OK;
  }
  char list[900] = "";
  size_t used = 0;
  for (uint32_t k = 0; k < d->n_params && used + 1 < sizeof list; k++) {
    int n = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", d->params[k].name);
    used += n > 0 ? (size_t)n : 0;
  }
  return fr_error_set(err, FR_ERR_INVALID, "%s has no parameter \"%s\"; valid parameters: %s", d->name, name, list);
}

fr_status fr_detect_params_set_pair(fr_detect_params *p, const char *pair, fr_error *err) {
  const char *eq = strchr(pair, '=');
  if (eq == NULL || eq == pair)
    return fr_error_set(err, FR_ERR_INVALID, "--set needs NAME=VALUE, got \"%s\"", pair);
  char name[FR_NAME_CAP];
  size_t len = (size_t)(eq - pair);
  if (len >= sizeof name)
    return fr_error_set(err, FR_ERR_INVALID, "--set: parameter name too long");
  memcpy(name, pair, len);
  name[len] = '\0';
  return fr_detect_params_set(p, name, eq + 1, err);
}

void fr_detect_params_destroy(fr_detect_params *p) {
  if (p == NULL)
    return;
  for (uint32_t k = 0; p->v != NULL && k < p->d->n_params; k++)
    fr_value_clear(&p->v[k]);
  fr_free(p->v);
  fr_free(p);
}

fr_status fr_detect_run(fr_findings **out, const fr_store *store, const fr_detector_info *d,
                        const fr_detect_params *params, fr_error *err) {
  *out = NULL;
  uint32_t idx = 0;
  while (idx < fr_detect_count() && fr_detect_at(idx) != d) idx++;
  FR_FAIL_IF(idx >= fr_detect_count(), FR_ERR_INVALID, err, "unknown detector");
  uint32_t local = 0;
  const fr_catalog_section *section = fr_section_of(idx, &local);
  FR_FAIL_IF(section == NULL, FR_ERR_INVALID, err, "unknown detector");
  FR_FAIL_IF(params != NULL && params->d != d, FR_ERR_INVALID, err, "parameters of %s given to %s",
             params->d->name, d->name);
  fr_detect_params *defaults = NULL;
  if (params == NULL) {
    FR_TRY(fr_detect_params_create(&defaults, d, err));
    params = defaults;
  }
  fr_status status = section->kernels[local](out, store, params, err);
  fr_detect_params_destroy(defaults);
  return status;
}
