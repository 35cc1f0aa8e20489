/* fr_scan_store.c - the findings store: STORE/findings/FINDINGS, JSON lines
 * closed by a checksum line (STORE_FORMAT.md §6), read whole at the start of a
 * scan and replaced whole at its end through FINDINGS.tmp, fsync and rename, so
 * a crash leaves the old file or the new one, never a mix.
 * Invariant: ids are unique in the file and in memory (the index says where).
 * Workload: thousands to a few hundred thousand findings; a scan reads and
 * writes the file once.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_hash.h"
#include "fr_scan_internal.h"
#include "fr_store.h"
#include "fr_writer.h"

#define FR_FINDINGS_SEED 0x66696e64696e6773ULL /* "findings" */

void fr_fstore_init(fr_fstore *fs) { memset(fs, 0, sizeof *fs); }

void fr_sfinding_free(fr_sfinding *f) {
  fr_free(f->rule);
  fr_free(f->detector);
  fr_free(f->owner);
  fr_free(f->subject);
  fr_free(f->org);
  fr_free(f->summary);
  fr_free(f->ev_table);
  fr_free(f->ev_key);
  for (uint32_t k = 0; f->evidence != NULL && k < f->n_evidence; k++) fr_free(f->evidence[k]);
  fr_free(f->evidence);
  fr_free(f->details);
  for (uint32_t k = 0; f->rows != NULL && k < f->n_rows; k++) fr_free(f->rows[k]);
  fr_free(f->rows);
  fr_free(f->chart);
  fr_free(f->supersedes);
  memset(f, 0, sizeof *f);
}

void fr_fstore_free(fr_fstore *fs) {
  for (uint32_t k = 0; k < fs->n; k++) fr_sfinding_free(&fs->items[k]);
  fr_free(fs->items);
  fr_free(fs->slots);
  fr_free(fs->log);
  fr_free(fs->rules);
  memset(fs, 0, sizeof *fs);
}

static uint64_t fr_id_hash(const char *id) { return fr_hash64(id, strlen(id), 0); }

uint32_t fr_fstore_find(const fr_fstore *fs, const char *id) {
  if (fs->n_slots == 0)
    return UINT32_MAX;
  uint32_t mask = fs->n_slots - 1;
  for (uint32_t s = (uint32_t)fr_id_hash(id) & mask;; s = (s + 1) & mask) {
    uint32_t v = fs->slots[s];
    if (v == 0)
      return UINT32_MAX;
    if (strcmp(fs->items[v - 1].id, id) == 0)
      return v - 1;
  }
}

static fr_status fr_fstore_reindex(fr_fstore *fs, uint32_t n_slots) {
  uint32_t *slots = fr_calloc(n_slots, sizeof *slots);
  if (slots == NULL)
    return FR_ERR_NOMEM;
  fr_free(fs->slots);
  fs->slots = slots;
  fs->n_slots = n_slots;
  for (uint32_t k = 0; k < fs->n; k++) {
    uint32_t s = (uint32_t)fr_id_hash(fs->items[k].id) & (n_slots - 1);
    while (slots[s] != 0) s = (s + 1) & (n_slots - 1);
    slots[s] = k + 1;
  }
  return FR_OK;
}

fr_status fr_fstore_add(fr_fstore *fs, fr_sfinding *f) {
  if (fs->n == fs->cap) {
    uint32_t cap = fs->cap ? fs->cap * 2 : 256;
    fr_sfinding *items = fr_realloc(fs->items, cap * sizeof *items);
    if (items == NULL)
      return FR_ERR_NOMEM;
    fs->items = items;
    fs->cap = cap;
  }
  fs->items[fs->n++] = *f;
  memset(f, 0, sizeof *f);
  if ((uint64_t)fs->n * 2 > fs->n_slots) {
    if (fr_fstore_reindex(fs, fs->n_slots ? fs->n_slots * 2 : 1024) != FR_OK) {
      fs->n--;
      *f = fs->items[fs->n];
      return FR_ERR_NOMEM;
    }
    return FR_OK;
  }
  uint32_t s = (uint32_t)fr_id_hash(fs->items[fs->n - 1].id) & (fs->n_slots - 1);
  while (fs->slots[s] != 0) s = (s + 1) & (fs->n_slots - 1);
  fs->slots[s] = fs->n;
  return FR_OK;
}

fr_rule_state *fr_fstore_rule(fr_fstore *fs, const char *name) {
  for (uint32_t k = 0; k < fs->n_rules; k++)
    if (strcmp(fs->rules[k].name, name) == 0)
      return &fs->rules[k];
  return NULL;
}

fr_status fr_fstore_rule_upsert(fr_fstore *fs, const char *name, fr_rule_state **out, fr_error *err) {
  *out = fr_fstore_rule(fs, name);
  if (*out != NULL)
    return FR_OK;
  if (fs->n_rules == fs->cap_rules) {
    uint32_t cap = fs->cap_rules ? fs->cap_rules * 2 : 32;
    fr_rule_state *rules = fr_realloc(fs->rules, cap * sizeof *rules);
    FR_FAIL_IF(rules == NULL, FR_ERR_NOMEM, err, "out of memory");
    fs->rules = rules;
    fs->cap_rules = cap;
  }
  fr_rule_state *r = &fs->rules[fs->n_rules++];
  memset(r, 0, sizeof *r);
  snprintf(r->name, sizeof r->name, "%s", name);
  *out = r;
  return FR_OK;
}

const char *fr_scan_utc_text(char *buf, int64_t us) {
  size_t n = fr_format_timestamp(buf, us);
  buf[n] = 'Z';
  buf[n + 1] = '\0';
  return buf;
}

/* ---- writing (SPEC §6) ------------------------------------------------------ */

static void fr_put(fr_buf *b, const char *s) { fr_buf_put(b, s, strlen(s)); }

static void fr_put_jstr(fr_buf *b, const char *s) {
  if (s == NULL) fr_put(b, "null");
  else fr_write_json_string(b, s, strlen(s));
}

static void fr_put_u64(fr_buf *b, uint64_t v) {
  char num[32];
  snprintf(num, sizeof num, "%llu", (unsigned long long)v);
  fr_put(b, num);
}

static void fr_put_i64(fr_buf *b, int64_t v) {
  char num[32];
  snprintf(num, sizeof num, "%lld", (long long)v);
  fr_put(b, num);
}

static void fr_put_ts(fr_buf *b, int has, int64_t ts) {
  if (!has) {
    fr_put(b, "null");
    return;
  }
  char text[FR_VALUE_TEXT_CAP + 1];
  size_t n = fr_format_timestamp(text, ts);
  fr_write_json_string(b, text, n);
}

/* The fields DESIGN.md's finding and the findings store share, from "score"
 * to "last_ts", each preceded by a comma. */
static void fr_put_finding_core(fr_buf *b, const fr_sfinding *f) {
  char num[FR_VALUE_TEXT_CAP + 1];
  fr_put(b, ",\"score\":");
  num[fr_format_float64(num, f->score)] = '\0';
  fr_put(b, num);
  fr_put(b, ",\"subject\":");
  fr_put_jstr(b, f->subject);
  fr_put(b, ",\"org\":");
  fr_put_jstr(b, f->org);
  fr_put(b, ",\"summary\":");
  fr_put_jstr(b, f->summary);
  fr_put(b, ",\"first_ts\":");
  fr_put_ts(b, f->has_ts, f->first_ts);
  fr_put(b, ",\"last_ts\":");
  fr_put_ts(b, f->has_ts, f->last_ts);
}

void fr_sfinding_write_json(fr_buf *b, const fr_sfinding *f, int rows) {
  fr_put(b, "{\"detector\":");
  fr_put_jstr(b, f->detector);
  fr_put(b, ",\"id\":");
  fr_put_jstr(b, f->id);
  fr_put_finding_core(b, f);
  fr_put(b, ",\"evidence\":{\"table\":");
  fr_put_jstr(b, f->ev_table);
  fr_put(b, ",\"key\":");
  fr_put_jstr(b, f->ev_key);
  fr_put(b, ",\"values\":[");
  for (uint32_t e = 0; e < f->n_evidence; e++) {
    if (e) fr_buf_put_u8(b, ',');
    fr_put_jstr(b, f->evidence[e]);
  }
  fr_put(b, "]");
  if (rows) {
    fr_put(b, ",\"rows\":[");
    for (uint32_t e = 0; e < f->n_rows; e++) {
      if (e) fr_buf_put_u8(b, ',');
      fr_put(b, f->rows[e] != NULL ? f->rows[e] : "null");
    }
    fr_put(b, "]");
  }
  fr_put(b, "},\"details\":");
  fr_put(b, f->details != NULL ? f->details : "{}");
  fr_put(b, ",\"rule\":");
  fr_put_jstr(b, f->rule);
  fr_put(b, ",\"severity\":");
  fr_put_jstr(b, fr_severity_name(f->severity));
  fr_put(b, ",\"owner\":");
  fr_put_jstr(b, f->owner);
  fr_put(b, ",\"status\":");
  fr_put_jstr(b, f->is_new ? "new" : f->open ? "open" : "closed");
  char t[40];
  fr_put(b, ",\"first_seen\":");
  fr_put_jstr(b, fr_scan_utc_text(t, f->first_seen_us));
  fr_put(b, ",\"last_seen\":");
  fr_put_jstr(b, fr_scan_utc_text(t, f->last_seen_us));
  fr_put(b, ",\"supersedes\":");
  fr_put_jstr(b, f->supersedes);
  fr_put(b, "}");
}

/* A finding's store line: every field as text or integer so that reading and
 * writing it again gives the same bytes (details, rows and chart are JSON texts
 * kept as JSON strings). */
static void fr_write_finding_line(fr_buf *b, const fr_sfinding *f) {
  fr_put(b, "{\"finding\":");
  fr_put_jstr(b, f->id);
  fr_put(b, ",\"rule\":");
  fr_put_jstr(b, f->rule);
  fr_put(b, ",\"detector\":");
  fr_put_jstr(b, f->detector);
  fr_put(b, ",\"severity\":");
  fr_put_jstr(b, fr_severity_name(f->severity));
  fr_put(b, ",\"owner\":");
  fr_put_jstr(b, f->owner);
  fr_put_finding_core(b, f);
  fr_put(b, ",\"table\":");
  fr_put_jstr(b, f->ev_table);
  fr_put(b, ",\"key\":");
  fr_put_jstr(b, f->ev_key);
  fr_put(b, ",\"evidence\":[");
  for (uint32_t e = 0; e < f->n_evidence; e++) {
    if (e) fr_buf_put_u8(b, ',');
    fr_put_jstr(b, f->evidence[e]);
  }
  fr_put(b, "],\"details\":");
  fr_put_jstr(b, f->details);
  fr_put(b, ",\"rows\":[");
  for (uint32_t e = 0; e < f->n_rows; e++) {
    if (e) fr_buf_put_u8(b, ',');
    fr_put_jstr(b, f->rows[e]);
  }
  fr_put(b, "],\"chart\":");
  fr_put_jstr(b, f->chart);
  fr_put(b, ",\"first_seen_scan\":");
  fr_put_u64(b, f->first_seen_scan);
  fr_put(b, ",\"first_seen_us\":");
  fr_put_i64(b, f->first_seen_us);
  fr_put(b, ",\"last_seen_scan\":");
  fr_put_u64(b, f->last_seen_scan);
  fr_put(b, ",\"last_seen_us\":");
  fr_put_i64(b, f->last_seen_us);
  fr_put(b, ",\"open\":");
  fr_put(b, f->open ? "true" : "false");
  fr_put(b, ",\"closed_scan\":");
  fr_put_u64(b, f->closed_scan);
  fr_put(b, ",\"closed_us\":");
  fr_put_i64(b, f->closed_us);
  fr_put(b, ",\"superseded_by\":");
  fr_put_jstr(b, f->superseded_by[0] ? f->superseded_by : NULL);
  fr_put(b, ",\"supersedes\":");
  fr_put_jstr(b, f->supersedes);
  fr_put(b, "}\n");
}

static void fr_fstore_encode(const fr_fstore *fs, fr_buf *b) {
  char hex[20];
  fr_put(b, "{\"ferret_findings\":");
  fr_put_u64(b, FR_FINDINGS_FORMAT_VERSION);
  fr_put(b, ",\"scans\":");
  fr_put_u64(b, fs->n_scans);
  fr_put(b, ",\"findings\":");
  fr_put_u64(b, fs->n);
  fr_put(b, "}\n");
  for (uint32_t k = 0; k < fs->n_log; k++) {
    const fr_scan_log *l = &fs->log[k];
    fr_put(b, "{\"scan\":");
    fr_put_u64(b, l->seq);
    fr_put(b, ",\"at_us\":");
    fr_put_i64(b, l->at_us);
    fr_put(b, ",\"store_version\":");
    fr_put_u64(b, l->store_version);
    fr_put(b, ",\"new\":");
    fr_put_u64(b, l->n_new);
    fr_put(b, ",\"open\":");
    fr_put_u64(b, l->n_open);
    fr_put(b, ",\"closed\":");
    fr_put_u64(b, l->n_closed);
    fr_put(b, "}\n");
  }
  for (uint32_t k = 0; k < fs->n_rules; k++) {
    const fr_rule_state *r = &fs->rules[k];
    fr_put(b, "{\"rule\":");
    fr_put_jstr(b, r->name);
    fr_put(b, ",\"detector\":");
    fr_put_jstr(b, r->detector);
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)r->fingerprint);
    fr_put(b, ",\"fingerprint\":");
    fr_put_jstr(b, hex);
    fr_put(b, ",\"scan\":");
    fr_put_u64(b, r->scan_seq);
    fr_put(b, ",\"tables\":[");
    for (uint32_t t = 0; t < r->n_tables; t++) {
      fr_put(b, t ? ",{\"table\":" : "{\"table\":");
      fr_put_jstr(b, r->tables[t].name);
      fr_put(b, ",\"segments\":");
      fr_put_u64(b, r->tables[t].n_segments);
      snprintf(hex, sizeof hex, "%016llx", (unsigned long long)r->tables[t].prefix_hash);
      fr_put(b, ",\"prefix\":");
      fr_put_jstr(b, hex);
      fr_put(b, "}");
    }
    fr_put(b, "]}\n");
  }
  for (uint32_t k = 0; k < fs->n; k++) fr_write_finding_line(b, &fs->items[k]);
  uint64_t sum = fr_hash64(b->data, b->len, FR_FINDINGS_SEED);
  snprintf(hex, sizeof hex, "%016llx", (unsigned long long)sum);
  fr_put(b, "{\"end\":");
  fr_put_jstr(b, hex);
  fr_put(b, "}\n");
}

static fr_status fr_write_synced(const char *path, const fr_buf *buf, fr_error *err) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return fr_error_set(err, FR_ERR_IO, "cannot create %s: %s", path, strerror(errno));
  size_t done_bytes = 0;
  fr_status status = FR_OK;
  while (done_bytes < buf->len) {
    ssize_t n = write(fd, buf->data + done_bytes, buf->len - done_bytes);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      status = fr_error_set(err, FR_ERR_IO, "cannot write %s: %s", path, strerror(errno));
      break;
    }
    done_bytes += (size_t)n;
  }
  if (status == FR_OK && fsync(fd) != 0)
    status = fr_error_set(err, FR_ERR_IO, "cannot fsync %s: %s", path, strerror(errno));
  if (close(fd) != 0 && status == FR_OK)
    status = fr_error_set(err, FR_ERR_IO, "cannot close %s: %s", path, strerror(errno));
  return status;
}

static fr_status fr_fsync_dir(const char *path, fr_error *err) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return fr_error_set(err, FR_ERR_IO, "cannot open directory %s: %s", path, strerror(errno));
  int rc = fsync(fd);
  close(fd);
  if (rc != 0)
    return fr_error_set(err, FR_ERR_IO, "cannot fsync directory %s: %s", path, strerror(errno));
  return FR_OK;
}

fr_status fr_scan_write_atomic(const char *dir, const char *name, const fr_buf *buf, fr_error *err) {
  FR_FAIL_IF(buf->failed, FR_ERR_NOMEM, err, "out of memory rendering %s", name);
  char path[4096], tmp[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  fr_status status = fr_write_synced(tmp, buf, err);
  if (status == FR_OK && rename(tmp, path) != 0)
    status = fr_error_set(err, FR_ERR_IO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
  if (status == FR_OK)
    status = fr_fsync_dir(dir, err);
  if (status != FR_OK)
    unlink(tmp);
  return status;
}

fr_status fr_fstore_commit(const fr_fstore *fs, const char *store_dir, fr_error *err) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/%s", store_dir, FR_FINDINGS_DIR);
  if (mkdir(dir, 0755) != 0 && errno != EEXIST)
    return fr_error_set(err, FR_ERR_IO, "cannot create directory %s: %s", dir, strerror(errno));
  fr_buf b;
  fr_buf_init(&b);
  fr_fstore_encode(fs, &b);
  /* SPEC §6: FINDINGS.tmp, fsync, rename over FINDINGS (the commit point),
   * fsync findings/; the store directory is fsynced once findings/ is new. */
  fr_status status = fr_scan_write_atomic(dir, "FINDINGS", &b, err);
  if (status == FR_OK)
    status = fr_fsync_dir(store_dir, err);
  fr_buf_free(&b);
  return status;
}

/* ---- reading ---------------------------------------------------------------- */

static const char *fr_jget_str(json_object *o, const char *key) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || v == NULL || !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

static int64_t fr_jget_i64(json_object *o, const char *key, int *bad) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || v == NULL || !json_object_is_type(v, json_type_int)) {
    *bad = 1;
    return 0;
  }
  return json_object_get_int64(v);
}

static char *fr_dup_opt(const char *s, int *nomem) {
  if (s == NULL)
    return NULL;
  char *d = fr_strndup(s, strlen(s));
  if (d == NULL)
    *nomem = 1;
  return d;
}

static int fr_parse_ts_opt(json_object *o, const char *key, int64_t *out) {
  const char *s = fr_jget_str(o, key);
  if (s == NULL)
    return 0;
  return fr_parse_timestamp(out, s, strlen(s)) == NULL ? 1 : -1;
}

/* Parses one finding line into *f.  Returns 0, -1 (bad line) or -2 (no memory). */
static int fr_read_finding(json_object *o, fr_sfinding *f) {
  memset(f, 0, sizeof *f);
  int bad = 0, nomem = 0;
  const char *id = fr_jget_str(o, "finding");
  if (id == NULL || strlen(id) != 16)
    return -1;
  memcpy(f->id, id, 17);
  f->rule = fr_dup_opt(fr_jget_str(o, "rule"), &nomem);
  f->detector = fr_dup_opt(fr_jget_str(o, "detector"), &nomem);
  const char *sev = fr_jget_str(o, "severity");
  f->severity = FR_SEV_MEDIUM;
  for (int s = FR_SEV_LOW; sev != NULL && s <= FR_SEV_CRITICAL; s++)
    if (strcmp(sev, fr_severity_name(s)) == 0)
      f->severity = s;
  f->owner = fr_dup_opt(fr_jget_str(o, "owner"), &nomem);
  json_object *v;
  if (json_object_object_get_ex(o, "score", &v) && v != NULL)
    f->score = json_object_get_double(v);
  f->subject = fr_dup_opt(fr_jget_str(o, "subject"), &nomem);
  f->org = fr_dup_opt(fr_jget_str(o, "org"), &nomem);
  f->summary = fr_dup_opt(fr_jget_str(o, "summary"), &nomem);
  int a = fr_parse_ts_opt(o, "first_ts", &f->first_ts), b = fr_parse_ts_opt(o, "last_ts", &f->last_ts);
  if (a < 0 || b < 0 || a != b)
    bad = 1;
  f->has_ts = a == 1;
  f->ev_table = fr_dup_opt(fr_jget_str(o, "table"), &nomem);
  f->ev_key = fr_dup_opt(fr_jget_str(o, "key"), &nomem);
  f->details = fr_dup_opt(fr_jget_str(o, "details"), &nomem);
  f->chart = fr_dup_opt(fr_jget_str(o, "chart"), &nomem);
  f->supersedes = fr_dup_opt(fr_jget_str(o, "supersedes"), &nomem);
  const char *sup = fr_jget_str(o, "superseded_by");
  if (sup != NULL)
    snprintf(f->superseded_by, sizeof f->superseded_by, "%s", sup);
  if (f->rule == NULL || f->detector == NULL || f->summary == NULL || f->details == NULL)
    bad = 1;
  static const char *const lists[2] = {"evidence", "rows"};
  for (int l = 0; l < 2 && !bad && !nomem; l++) {
    json_object *arr;
    if (!json_object_object_get_ex(o, lists[l], &arr) || !json_object_is_type(arr, json_type_array)) {
      bad = 1;
      break;
    }
    size_t n = json_object_array_length(arr);
    char **items = fr_calloc(n ? n : 1, sizeof *items);
    if (items == NULL) {
      nomem = 1;
      break;
    }
    if (l == 0) {
      f->evidence = items;
      f->n_evidence = (uint32_t)n;
    } else {
      f->rows = items;
      f->n_rows = (uint32_t)n;
    }
    for (size_t k = 0; k < n && !nomem; k++) {
      json_object *it = json_object_array_get_idx(arr, k);
      if (it == NULL || !json_object_is_type(it, json_type_string)) {
        bad = 1;
        break;
      }
      items[k] = fr_dup_opt(json_object_get_string(it), &nomem);
    }
  }
  f->first_seen_scan = (uint64_t)fr_jget_i64(o, "first_seen_scan", &bad);
  f->first_seen_us = fr_jget_i64(o, "first_seen_us", &bad);
  f->last_seen_scan = (uint64_t)fr_jget_i64(o, "last_seen_scan", &bad);
  f->last_seen_us = fr_jget_i64(o, "last_seen_us", &bad);
  f->closed_scan = (uint64_t)fr_jget_i64(o, "closed_scan", &bad);
  f->closed_us = fr_jget_i64(o, "closed_us", &bad);
  if (json_object_object_get_ex(o, "open", &v) && v != NULL && json_object_is_type(v, json_type_boolean))
    f->open = json_object_get_boolean(v);
  else
    bad = 1;
  if (nomem || bad) {
    fr_sfinding_free(f);
    return nomem ? -2 : -1;
  }
  return 0;
}

static int fr_read_rule(json_object *o, fr_rule_state *r) {
  memset(r, 0, sizeof *r);
  int bad = 0;
  const char *name = fr_jget_str(o, "rule"), *det = fr_jget_str(o, "detector"), *fp = fr_jget_str(o, "fingerprint");
  if (name == NULL || det == NULL || fp == NULL || strlen(name) >= sizeof r->name || strlen(det) >= sizeof r->detector)
    return -1;
  snprintf(r->name, sizeof r->name, "%s", name);
  snprintf(r->detector, sizeof r->detector, "%s", det);
  r->fingerprint = strtoull(fp, NULL, 16);
  r->scan_seq = (uint64_t)fr_jget_i64(o, "scan", &bad);
  json_object *arr;
  if (!json_object_object_get_ex(o, "tables", &arr) || !json_object_is_type(arr, json_type_array) ||
      json_object_array_length(arr) > FR_SCAN_MAX_TABLES)
    return -1;
  r->n_tables = (uint32_t)json_object_array_length(arr);
  for (uint32_t t = 0; t < r->n_tables; t++) {
    json_object *it = json_object_array_get_idx(arr, t);
    const char *tn = it != NULL ? fr_jget_str(it, "table") : NULL;
    const char *ph = it != NULL ? fr_jget_str(it, "prefix") : NULL;
    if (tn == NULL || ph == NULL || strlen(tn) >= FR_NAME_CAP)
      return -1;
    snprintf(r->tables[t].name, FR_NAME_CAP, "%s", tn);
    r->tables[t].n_segments = (uint32_t)fr_jget_i64(it, "segments", &bad);
    r->tables[t].prefix_hash = strtoull(ph, NULL, 16);
  }
  return bad ? -1 : 0;
}

fr_status fr_fstore_load(fr_fstore *fs, const char *store_dir, fr_error *err) {
  fr_fstore_init(fs);
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", store_dir, FR_FINDINGS_FILE);
  fr_buf text;
  fr_buf_init(&text);
  int missing = 0;
  fr_status status = fr_store_read_file(path, &text, &missing, err);
  if (status != FR_OK || missing) {
    fr_buf_free(&text);
    return status;
  }
  /* SPEC §6: the last line is {"end":"<hex>"}, the XXH3 of every byte before it. */
  size_t body = text.len;
  if (body > 0 && text.data[body - 1] == '\n')
    body--;
  while (body > 0 && text.data[body - 1] != '\n') body--;
  char want[20];
  unsigned long long sum = (unsigned long long)fr_hash64(text.data, body, FR_FINDINGS_SEED);
  snprintf(want, sizeof want, "%016llx", sum);
  char end_line[64];
  snprintf(end_line, sizeof end_line, "{\"end\":\"%s\"}\n", want);
  if (text.len - body != strlen(end_line) || memcmp(text.data + body, end_line, strlen(end_line)) != 0) {
    fr_buf_free(&text);
    return fr_error_set(err, FR_ERR_CORRUPT,
                        "%s is damaged (checksum line missing or wrong); move it away to start the findings "
                        "store afresh (every open finding is then reported as new once)",
                        path);
  }
  json_tokener *tok = json_tokener_new();
  if (tok == NULL) {
    fr_buf_free(&text);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  size_t pos = 0;
  uint32_t line_no = 0;
  while (pos < body && status == FR_OK) {
    const char *line = (const char *)text.data + pos;
    const char *nl = memchr(line, '\n', body - pos);
    size_t len = nl != NULL ? (size_t)(nl - line) : body - pos;
    pos += len + 1;
    line_no++;
    json_tokener_reset(tok);
    json_object *o = json_tokener_parse_ex(tok, line, (int)len);
    int bad = o == NULL || !json_object_is_type(o, json_type_object);
    if (!bad && line_no == 1) {
      int b2 = 0;
      if (fr_jget_i64(o, "ferret_findings", &b2) != FR_FINDINGS_FORMAT_VERSION || b2)
        status = fr_error_set(err, FR_ERR_CORRUPT, "%s: unknown findings store format (this ferret reads version %d)",
                              path, FR_FINDINGS_FORMAT_VERSION);
      else
        fs->n_scans = (uint64_t)fr_jget_i64(o, "scans", &bad);
    } else if (!bad && json_object_object_get_ex(o, "finding", NULL)) {
      fr_sfinding f;
      int rc = fr_read_finding(o, &f);
      if (rc == -2)
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      else if (rc < 0 || fr_fstore_find(fs, f.id) != UINT32_MAX)
        bad = 1;
      if (rc == 0 && !bad && fr_fstore_add(fs, &f) != FR_OK)
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      fr_sfinding_free(&f);
    } else if (!bad && json_object_object_get_ex(o, "rule", NULL)) {
      fr_rule_state r, *slot;
      if (fr_read_rule(o, &r) != 0)
        bad = 1;
      else if ((status = fr_fstore_rule_upsert(fs, r.name, &slot, err)) == FR_OK)
        *slot = r;
    } else if (!bad && json_object_object_get_ex(o, "scan", NULL)) {
      if (fs->n_log == fs->cap_log) {
        uint32_t cap = fs->cap_log ? fs->cap_log * 2 : 64;
        fr_scan_log *log = fr_realloc(fs->log, cap * sizeof *log);
        if (log == NULL)
          status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
        else {
          fs->log = log;
          fs->cap_log = cap;
        }
      }
      if (status == FR_OK) {
        fr_scan_log *l = &fs->log[fs->n_log++];
        l->seq = (uint64_t)fr_jget_i64(o, "scan", &bad);
        l->at_us = fr_jget_i64(o, "at_us", &bad);
        l->store_version = (uint64_t)fr_jget_i64(o, "store_version", &bad);
        l->n_new = (uint32_t)fr_jget_i64(o, "new", &bad);
        l->n_open = (uint32_t)fr_jget_i64(o, "open", &bad);
        l->n_closed = (uint32_t)fr_jget_i64(o, "closed", &bad);
      }
    } else {
      bad = 1;
    }
    if (o != NULL)
      json_object_put(o);
    if (bad && status == FR_OK)
      status = fr_error_set(err, FR_ERR_CORRUPT, "%s:%u: not a valid findings store record", path, line_no);
  }
  json_tokener_free(tok);
  fr_buf_free(&text);
  if (status != FR_OK)
    fr_fstore_free(fs);
  return status;
}
