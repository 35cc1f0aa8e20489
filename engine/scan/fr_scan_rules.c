/* fr_scan_rules.c - rule packs: the INI-like text format of engine/scan/README.md
 * ("Rule packs"), its parser, the default pack built from the detector catalogue
 * at run time, and the writer that renders a pack back as text.
 * Invariant: a pack that parses holds only rules whose detector exists and whose
 * every setting fr_detect_params_set accepted, so a scan never fails on a
 * parameter value.  Packs are small (tens of rules); nothing here is hot.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fr_alloc.h"
#include "fr_hash.h"
#include "fr_scan.h"
#include "fr_store.h"

#define FR_PACK_MAX_PROBLEMS 50

static const char *const fr_severity_names[] = {"", "low", "medium", "high", "critical"};

const char *fr_severity_name(int severity) {
  return severity >= FR_SEV_LOW && severity <= FR_SEV_CRITICAL ? fr_severity_names[severity] : "medium";
}

static int fr_severity_parse(const char *text) {
  for (int s = FR_SEV_LOW; s <= FR_SEV_CRITICAL; s++)
    if (strcasecmp(text, fr_severity_names[s]) == 0)
      return s;
  return 0;
}

/* Severity of a detector in the default pack: what an inspector should open
 * first.  Direct evidence of a loss or a conflict of interest is high; group
 * statistics that need judgement are low; anything not listed (detectors added
 * later) is medium. */
static int fr_default_severity(const char *id) {
  static const char *const high[] = {"F1", "F3", "F5", "F7", "F11", "A1", "A2", "P5", "P12", "W2", "W3"};
  static const char *const low[] = {"F4", "F8", "F9", "F10", "A4", "P14"};
  for (size_t k = 0; k < sizeof high / sizeof high[0]; k++)
    if (strcmp(id, high[k]) == 0)
      return FR_SEV_HIGH;
  for (size_t k = 0; k < sizeof low / sizeof low[0]; k++)
    if (strcmp(id, low[k]) == 0)
      return FR_SEV_LOW;
  return FR_SEV_MEDIUM;
}

static void fr_rule_free(fr_scan_rule *r) {
  fr_detect_params_destroy(r->params);
  for (uint32_t k = 0; k < r->n_sets; k++) {
    fr_free(r->set_names[k]);
    fr_free(r->set_values[k]);
  }
  fr_free(r->set_names);
  fr_free(r->set_values);
}

void fr_rule_pack_destroy(fr_rule_pack *pack) {
  if (pack == NULL)
    return;
  for (uint32_t k = 0; k < pack->n_rules; k++) fr_rule_free(&pack->rules[k]);
  fr_free(pack->rules);
  fr_free(pack);
}

/* Fingerprint: the detector and its settings sorted by name, so reordering the
 * lines of a section does not make the scan start the rule afresh. */
static void fr_rule_fingerprint(fr_scan_rule *r) {
  uint32_t order[256];
  uint32_t n = r->n_sets < 256 ? r->n_sets : 256;
  for (uint32_t k = 0; k < n; k++) order[k] = k;
  for (uint32_t a = 1; a < n; a++)
    for (uint32_t b = a; b > 0 && strcmp(r->set_names[order[b - 1]], r->set_names[order[b]]) > 0; b--) {
      uint32_t t = order[b];
      order[b] = order[b - 1];
      order[b - 1] = t;
    }
  uint64_t h = fr_hash64(r->detector->name, strlen(r->detector->name), 0x72756c65);
  for (uint32_t k = 0; k < n; k++) {
    h = fr_hash64(r->set_names[order[k]], strlen(r->set_names[order[k]]) + 1, h);
    h = fr_hash64(r->set_values[order[k]], strlen(r->set_values[order[k]]) + 1, h);
  }
  r->fingerprint = h;
}

/* Adds rule `r` (moved in) to the pack. */
static fr_status fr_pack_push(fr_rule_pack *pack, fr_scan_rule *r, uint32_t *cap, fr_error *err) {
  if (pack->n_rules == *cap) {
    uint32_t ncap = *cap ? *cap * 2 : 16;
    fr_scan_rule *rules = fr_realloc(pack->rules, ncap * sizeof *rules);
    if (rules == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    pack->rules = rules;
    *cap = ncap;
  }
  pack->rules[pack->n_rules++] = *r;
  memset(r, 0, sizeof *r);
  return FR_OK;
}

/* Records a setting as written (the params already hold its value). */
static fr_status fr_rule_add_set(fr_scan_rule *r, const char *name, const char *value) {
  char **names = fr_realloc(r->set_names, (r->n_sets + 1) * sizeof *names);
  if (names == NULL)
    return FR_ERR_NOMEM;
  r->set_names = names;
  char **values = fr_realloc(r->set_values, (r->n_sets + 1) * sizeof *values);
  if (values == NULL)
    return FR_ERR_NOMEM;
  r->set_values = values;
  names[r->n_sets] = fr_strndup(name, strlen(name));
  values[r->n_sets] = fr_strndup(value, strlen(value));
  if (names[r->n_sets] == NULL || values[r->n_sets] == NULL) {
    fr_free(names[r->n_sets]);
    fr_free(values[r->n_sets]);
    return FR_ERR_NOMEM;
  }
  r->n_sets++;
  return FR_OK;
}

fr_status fr_rule_pack_default(fr_rule_pack **out, fr_error *err) {
  *out = NULL;
  fr_rule_pack *pack = fr_calloc(1, sizeof *pack);
  FR_FAIL_IF(pack == NULL, FR_ERR_NOMEM, err, "out of memory");
  snprintf(pack->source, sizeof pack->source, "(default pack)");
  uint32_t cap = 0;
  fr_status status = FR_OK;
  for (uint32_t d = 0; d < fr_detect_count() && status == FR_OK; d++) {
    const fr_detector_info *info = fr_detect_at(d);
    fr_scan_rule r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "%s", info->name);
    r.detector = info;
    r.severity = fr_default_severity(info->id);
    snprintf(r.owner, sizeof r.owner, "audit");
    status = fr_detect_params_create(&r.params, info, err);
    if (status == FR_OK) {
      fr_rule_fingerprint(&r);
      status = fr_pack_push(pack, &r, &cap, err);
    }
    fr_rule_free(&r);
  }
  if (status != FR_OK) {
    fr_rule_pack_destroy(pack);
    return status;
  }
  *out = pack;
  return FR_OK;
}

void fr_rule_pack_write(fr_buf *out, const fr_rule_pack *pack) {
  char line[1024];
  int n = snprintf(line, sizeof line,
                   "# ferret rule pack (%s).  One [section] per rule: detector (id or name),\n"
                   "# severity (low, medium, high, critical), owner, enabled, and any parameter\n"
                   "# of the detector as NAME = VALUE (see `ferret detect --list`).\n",
                   pack->source);
  fr_buf_put(out, line, (size_t)n);
  for (uint32_t k = 0; k < pack->n_rules; k++) {
    const fr_scan_rule *r = &pack->rules[k];
    n = snprintf(line, sizeof line, "\n# %s: %s\n[%s]\ndetector = %s\nseverity = %s\n", r->detector->id,
                 r->detector->concern, r->name, r->detector->id, fr_severity_name(r->severity));
    fr_buf_put(out, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    if (r->owner[0]) {
      n = snprintf(line, sizeof line, "owner = %s\n", r->owner);
      fr_buf_put(out, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
    for (uint32_t s = 0; s < r->n_sets; s++) {
      n = snprintf(line, sizeof line, "%s = %s\n", r->set_names[s], r->set_values[s]);
      fr_buf_put(out, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
  }
}

/* ---- parser ------------------------------------------------------------------ */

typedef struct fr_pack_parser {
  const char *source;
  fr_buf *diag;
  uint32_t n_problems;
  int nomem;
} fr_pack_parser;

static void fr_problem(fr_pack_parser *pp, uint32_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fr_problem(fr_pack_parser *pp, uint32_t line, const char *fmt, ...) {
  pp->n_problems++;
  if (pp->n_problems > FR_PACK_MAX_PROBLEMS)
    return;
  char msg[1400];
  int n = snprintf(msg, sizeof msg, "%s:%u: ", pp->source, line);
  va_list ap;
  va_start(ap, fmt);
  n += vsnprintf(msg + n, sizeof msg - (size_t)n - 2, fmt, ap);
  va_end(ap);
  if ((size_t)n > sizeof msg - 2)
    n = (int)sizeof msg - 2;
  msg[n++] = '\n';
  fr_buf_put(pp->diag, msg, (size_t)n);
}

static char *fr_trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t len = strlen(s);
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r')) s[--len] = '\0';
  return s;
}

static int fr_valid_rule_name(const char *s) {
  size_t len = strlen(s);
  if (len == 0 || len >= 64)
    return 0;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
      return 0;
  return 1;
}

/* One section as read, before its detector is known (keys may come in any order). */
typedef struct fr_pending_kv {
  char key[64];
  char *value;
  uint32_t line;
} fr_pending_kv;

typedef struct fr_section {
  char name[64];
  uint32_t line;
  int is_defaults;
  fr_pending_kv *kv;
  uint32_t n_kv, cap_kv;
} fr_section;

static void fr_section_clear(fr_section *s) {
  for (uint32_t k = 0; k < s->n_kv; k++) fr_free(s->kv[k].value);
  fr_free(s->kv);
  memset(s, 0, sizeof *s);
}

/* Turns a finished section into a rule (or the defaults), reporting problems. */
static fr_status fr_section_finish(fr_pack_parser *pp, fr_section *sec, fr_rule_pack *pack, uint32_t *cap,
                                   int *def_severity, char *def_owner, fr_error *err) {
  if (sec->is_defaults) {
    for (uint32_t k = 0; k < sec->n_kv; k++) {
      const fr_pending_kv *kv = &sec->kv[k];
      if (strcmp(kv->key, "severity") == 0) {
        int s = fr_severity_parse(kv->value);
        if (s == 0)
          fr_problem(pp, kv->line, "severity \"%s\" is not one of low, medium, high, critical", kv->value);
        else
          *def_severity = s;
      } else if (strcmp(kv->key, "owner") == 0) {
        snprintf(def_owner, 128, "%s", kv->value);
      } else {
        fr_problem(pp, kv->line, "[defaults] takes only severity and owner, not \"%s\"", kv->key);
      }
    }
    return FR_OK;
  }
  for (uint32_t k = 0; k < pack->n_rules; k++)
    if (strcmp(pack->rules[k].name, sec->name) == 0) {
      fr_problem(pp, sec->line, "rule [%s] is defined twice (first at line %u)", sec->name, pack->rules[k].line);
      return FR_OK;
    }
  const char *det_name = sec->name;
  uint32_t det_line = sec->line;
  for (uint32_t k = 0; k < sec->n_kv; k++)
    if (strcmp(sec->kv[k].key, "detector") == 0) {
      det_name = sec->kv[k].value;
      det_line = sec->kv[k].line;
    }
  const fr_detector_info *d = fr_detect_find(det_name);
  if (d == NULL) {
    fr_problem(pp, det_line, "unknown detector \"%s\" for rule [%s] (see `ferret detect --list`)%s", det_name,
               sec->name, det_name == sec->name ? "; name it with `detector = ID`" : "");
    return FR_OK;
  }
  fr_scan_rule r;
  memset(&r, 0, sizeof r);
  snprintf(r.name, sizeof r.name, "%s", sec->name);
  r.detector = d;
  r.line = sec->line;
  r.severity = *def_severity;
  snprintf(r.owner, sizeof r.owner, "%s", def_owner);
  fr_status status = fr_detect_params_create(&r.params, d, err);
  int enabled = 1, bad = 0;
  for (uint32_t k = 0; k < sec->n_kv && status == FR_OK; k++) {
    const fr_pending_kv *kv = &sec->kv[k];
    for (uint32_t j = 0; j < k; j++)
      if (strcmp(sec->kv[j].key, kv->key) == 0) {
        fr_problem(pp, kv->line, "\"%s\" is set twice in [%s] (first at line %u)", kv->key, sec->name,
                   sec->kv[j].line);
        bad = 1;
      }
    if (strcmp(kv->key, "detector") == 0)
      continue;
    if (strcmp(kv->key, "severity") == 0) {
      int s = fr_severity_parse(kv->value);
      if (s == 0) {
        fr_problem(pp, kv->line, "severity \"%s\" is not one of low, medium, high, critical", kv->value);
        bad = 1;
      } else {
        r.severity = s;
      }
    } else if (strcmp(kv->key, "owner") == 0) {
      snprintf(r.owner, sizeof r.owner, "%s", kv->value);
    } else if (strcmp(kv->key, "enabled") == 0) {
      if (strcasecmp(kv->value, "yes") == 0 || strcasecmp(kv->value, "true") == 0 || strcmp(kv->value, "1") == 0)
        enabled = 1;
      else if (strcasecmp(kv->value, "no") == 0 || strcasecmp(kv->value, "false") == 0 ||
               strcmp(kv->value, "0") == 0)
        enabled = 0;
      else {
        fr_problem(pp, kv->line, "enabled = \"%s\": expected yes or no", kv->value);
        bad = 1;
      }
    } else {
      fr_error perr;
      fr_error_clear(&perr);
      fr_status ps = fr_detect_params_set(r.params, kv->key, kv->value, &perr);
      if (ps == FR_ERR_NOMEM) {
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      } else if (ps != FR_OK) {
        fr_problem(pp, kv->line, "rule [%s]: %s", sec->name, perr.msg);
        bad = 1;
      } else if (fr_rule_add_set(&r, kv->key, kv->value) != FR_OK) {
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      }
    }
  }
  if (status == FR_OK && !bad && enabled) {
    fr_rule_fingerprint(&r);
    status = fr_pack_push(pack, &r, cap, err);
  }
  fr_rule_free(&r);
  return status;
}

fr_status fr_rule_pack_parse(fr_rule_pack **out, const char *text, size_t len, const char *source, fr_buf *diag,
                             fr_error *err) {
  *out = NULL;
  fr_rule_pack *pack = fr_calloc(1, sizeof *pack);
  char *copy = fr_strndup(text, len);
  if (pack == NULL || copy == NULL) {
    fr_free(pack);
    fr_free(copy);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  snprintf(pack->source, sizeof pack->source, "%s", source);
  fr_pack_parser pp = {source, diag, 0, 0};
  fr_section sec;
  memset(&sec, 0, sizeof sec);
  int in_section = 0, def_severity = FR_SEV_MEDIUM, seen_rule = 0;
  char def_owner[128] = "";
  uint32_t cap = 0, line_no = 0;
  fr_status status = FR_OK;
  if (memchr(text, '\0', len) != NULL)
    fr_problem(&pp, 1, "the file holds a NUL byte: not a text rule pack");
  char *p = copy;
  while (status == FR_OK && p != NULL && *p != '\0') {
    char *nl = strchr(p, '\n');
    if (nl != NULL)
      *nl = '\0';
    line_no++;
    char *line = fr_trim(p);
    p = nl != NULL ? nl + 1 : NULL;
    if (line_no == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
        (unsigned char)line[2] == 0xBF)
      line = fr_trim(line + 3); /* UTF-8 byte order mark */
    if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
      continue;
    if (line[0] == '[') {
      char *close = strchr(line, ']');
      if (close == NULL || fr_trim(close + 1)[0] != '\0') {
        fr_problem(&pp, line_no, "a section header is [NAME] alone on its line");
        in_section = 0;
        continue;
      }
      if (in_section)
        status = fr_section_finish(&pp, &sec, pack, &cap, &def_severity, def_owner, err);
      fr_section_clear(&sec);
      *close = '\0';
      char *name = fr_trim(line + 1);
      if (strcasecmp(name, "defaults") == 0) {
        if (seen_rule)
          fr_problem(&pp, line_no, "[defaults] must come before the first rule");
        sec.is_defaults = 1;
      } else if (!fr_valid_rule_name(name)) {
        fr_problem(&pp, line_no, "rule name \"%s\": use 1-63 letters, digits, _ - or .", name);
        in_section = 0;
        continue;
      } else {
        seen_rule = 1;
      }
      snprintf(sec.name, sizeof sec.name, "%s", name);
      sec.line = line_no;
      in_section = 1;
      continue;
    }
    char *eq = strchr(line, '=');
    if (eq == NULL) {
      fr_problem(&pp, line_no, "expected KEY = VALUE, a [section] or a # comment, got \"%.60s\"", line);
      continue;
    }
    *eq = '\0';
    char *key = fr_trim(line);
    char *value = fr_trim(eq + 1);
    size_t vlen = strlen(value);
    if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
      value[vlen - 1] = '\0';
      value++;
    }
    if (!in_section) {
      fr_problem(&pp, line_no, "\"%s\" outside any [section]", key);
      continue;
    }
    if (key[0] == '\0' || strlen(key) >= 64) {
      fr_problem(&pp, line_no, "a key of 1 to 63 bytes is expected before '='");
      continue;
    }
    if (sec.n_kv == sec.cap_kv) {
      uint32_t ncap = sec.cap_kv ? sec.cap_kv * 2 : 8;
      fr_pending_kv *kv = fr_realloc(sec.kv, ncap * sizeof *kv);
      if (kv == NULL) {
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
        break;
      }
      sec.kv = kv;
      sec.cap_kv = ncap;
    }
    fr_pending_kv *kv = &sec.kv[sec.n_kv];
    snprintf(kv->key, sizeof kv->key, "%s", key);
    kv->value = fr_strndup(value, strlen(value));
    kv->line = line_no;
    if (kv->value == NULL) {
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      break;
    }
    sec.n_kv++;
  }
  if (status == FR_OK && in_section)
    status = fr_section_finish(&pp, &sec, pack, &cap, &def_severity, def_owner, err);
  fr_section_clear(&sec);
  fr_free(copy);
  if (status == FR_OK && pp.n_problems == 0 && pack->n_rules == 0)
    fr_problem(&pp, line_no ? line_no : 1, "the pack names no enabled rule");
  if (status == FR_OK && pp.n_problems > 0) {
    if (pp.n_problems > FR_PACK_MAX_PROBLEMS) {
      char msg[128];
      int n = snprintf(msg, sizeof msg, "%s: ... and %u more problems\n", source,
                       pp.n_problems - FR_PACK_MAX_PROBLEMS);
      fr_buf_put(diag, msg, (size_t)n);
    }
    status = fr_error_set(err, FR_ERR_PARSE, "%u problem%s in rule pack %s; nothing was run", pp.n_problems,
                          pp.n_problems == 1 ? "" : "s", source);
  }
  if (status != FR_OK) {
    fr_rule_pack_destroy(pack);
    return status;
  }
  *out = pack;
  return FR_OK;
}

fr_status fr_rule_pack_load(fr_rule_pack **out, const char *path, fr_buf *diag, fr_error *err) {
  *out = NULL;
  fr_buf text;
  fr_buf_init(&text);
  int missing = 0;
  fr_status status = fr_store_read_file(path, &text, &missing, err);
  if (status == FR_OK && missing)
    status = fr_error_set(err, FR_ERR_NOTFOUND, "rule pack %s does not exist", path);
  if (status == FR_OK)
    status = fr_rule_pack_parse(out, text.len ? (const char *)text.data : "", text.len, path, diag, err);
  fr_buf_free(&text);
  return status;
}
