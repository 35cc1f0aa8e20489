/* fr_findings.c - findings: building them from evidence rows (stable id = XXH3 of
 * the detector name and the sorted evidence keys), their fixed order, --explain
 * (the evidence rows read back from the store) and rendering as json, csv or an
 * aligned table (DESIGN.md "Findings").
 * Invariant: a finding's evidence keys are distinct and ascending (bytewise), so
 * the id does not depend on how the kernel found them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"
#include "fr_hash.h"
#include "fr_table.h"

char *fr_strf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return NULL;
  char *s = fr_malloc((size_t)n + 1);
  if (s == NULL)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

const char *fr_cents_text(char *buf, int64_t cents) {
  buf[fr_format_decimal(buf, cents)] = '\0';
  return buf;
}

const char *fr_real_text(char *buf, double v) {
  buf[fr_format_float64(buf, v)] = '\0';
  return buf;
}

fr_status fr_fbuild_init(fr_fbuild *fb, const fr_detect_params *p, const fr_ltable *t, const fr_lcol *key,
                         const fr_lcol *ts, fr_error *err) {
  memset(fb, 0, sizeof *fb);
  fb->f = fr_calloc(1, sizeof *fb->f);
  FR_FAIL_IF(fb->f == NULL, FR_ERR_NOMEM, err, "out of memory");
  fb->f->detector = p->d;
  snprintf(fb->f->evidence_table, sizeof fb->f->evidence_table, "%s", t->name);
  snprintf(fb->f->evidence_key, sizeof fb->f->evidence_key, "%s", fr_dp_s(p, key->param));
  fb->key = key;
  fb->table = t;
  fb->ts = ts != NULL && ts->present ? ts : NULL;
  fb->f->rows_scanned = t->n_rows;
  return FR_OK;
}

typedef struct fr_keyrow {
  const char *key;
  uint64_t row;
} fr_keyrow;

static int fr_keyrow_cmp(const void *a, const void *b) {
  const fr_keyrow *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (c != 0)
    return c;
  return (x->row > y->row) - (x->row < y->row);
}

static char *fr_dup_or_null(const char *s, int *failed) {
  if (s == NULL)
    return NULL;
  char *d = fr_strndup(s, strlen(s));
  if (d == NULL)
    *failed = 1;
  return d;
}

static void fr_finding_free(fr_finding *f) {
  fr_free(f->subject);
  fr_free(f->org);
  fr_free(f->summary);
  fr_free(f->details);
  for (uint32_t k = 0; f->evidence != NULL && k < f->n_evidence; k++)
    fr_free(f->evidence[k]);
  for (uint32_t k = 0; f->explain_rows != NULL && k < f->n_evidence; k++)
    fr_free(f->explain_rows[k]);
  fr_free(f->evidence);
  fr_free(f->evidence_rows);
  fr_free(f->explain_rows);
  fr_free(f->evidence_table);
  fr_free(f->evidence_key);
}

/* Evidence keys of finding f from rows[0..n_rows) (reordered): distinct,
 * ascending, the id, first / last ts.  f->evidence and f->evidence_rows hold
 * n_rows entries (rows may be f->evidence_rows itself).  Returns 0 on failure
 * (f then holds what it has, for fr_finding_free). */
static int fr_finding_keys(const fr_fbuild *fb, fr_finding *f, uint64_t *rows, uint32_t n_rows) {
  fr_keyrow *kr = fr_malloc((n_rows ? n_rows : 1) * sizeof *kr);
  if (kr == NULL)
    return 0;
  for (uint32_t k = 0; k < n_rows; k++) kr[k] = (fr_keyrow){fr_lkey(fb->key, rows[k]), rows[k]};
  qsort(kr, n_rows, sizeof *kr, fr_keyrow_cmp);
  XXH3_state_t *state = XXH3_createState();
  if (state == NULL) {
    fr_free(kr);
    return 0;
  }
  int failed = 0;
  f->n_evidence = 0;
  XXH3_64bits_reset(state);
  XXH3_64bits_update(state, f->detector, strlen(f->detector) + 1);
  for (uint32_t k = 0; k < n_rows; k++) {
    if (k > 0 && strcmp(kr[k].key, kr[k - 1].key) == 0)
      continue;
    size_t len = strlen(kr[k].key);
    char *key = fr_strndup(kr[k].key, len);
    if (key == NULL) {
      failed = 1;
      break;
    }
    XXH3_64bits_update(state, key, len + 1);
    f->evidence[f->n_evidence] = key;
    f->evidence_rows[f->n_evidence++] = fr_ltable_stored_row(fb->table, kr[k].row);
    if (fb->ts != NULL && fb->ts->valid[kr[k].row]) {
      int64_t ts = fb->ts->i64[kr[k].row];
      if (!f->has_ts || ts < f->first_ts) f->first_ts = ts;
      if (!f->has_ts || ts > f->last_ts) f->last_ts = ts;
      f->has_ts = 1;
    }
  }
  snprintf(f->id, sizeof f->id, "%016llx", (unsigned long long)XXH3_64bits_digest(state));
  XXH3_freeState(state);
  fr_free(kr);
  return !failed;
}

void fr_fbuild_add(fr_fbuild *fb, uint64_t *rows, uint32_t n_rows, double score, const char *subject,
                   const char *org, char *summary, char *details) {
  if (fb->status != FR_OK || summary == NULL || details == NULL) {
    fb->status = fb->status != FR_OK ? fb->status : FR_ERR_NOMEM;
    fr_free(summary);
    fr_free(details);
    return;
  }
  fr_findings *fs = fb->f;
  const int lazy = fb->lazy_key != NULL && fb->lazy_key->lazy;
  if (fs->n == fb->cap) {
    uint32_t cap = fb->cap ? fb->cap * 2 : 64;
    fr_finding *items = fr_realloc(fs->items, cap * sizeof *items);
    if (items == NULL) {
      fb->status = FR_ERR_NOMEM;
      fr_free(summary);
      fr_free(details);
      return;
    }
    fs->items = items;
    if (lazy) {
      uint32_t *n_raw = fr_realloc(fb->n_raw, cap * sizeof *n_raw);
      if (n_raw == NULL) {
        fb->status = FR_ERR_NOMEM;
        fr_free(summary);
        fr_free(details);
        return;
      }
      fb->n_raw = n_raw;
    }
    fb->cap = cap;
  }
  fr_finding *f = &fs->items[fs->n];
  memset(f, 0, sizeof *f);
  f->detector = fs->detector->name;
  f->summary = summary;
  f->details = details;
  f->score = score;
  int failed = 0;
  f->subject = fr_dup_or_null(subject, &failed);
  f->org = fr_dup_or_null(org, &failed);
  f->evidence = fr_calloc(n_rows ? n_rows : 1, sizeof *f->evidence);
  f->evidence_rows = fr_calloc(n_rows ? n_rows : 1, sizeof *f->evidence_rows);
  if (f->evidence == NULL || f->evidence_rows == NULL || failed) {
    fr_finding_free(f);
    fb->status = FR_ERR_NOMEM;
    return;
  }
  if (lazy) { /* keys later, in fr_fbuild_finish */
    if (n_rows > 0)
      memcpy(f->evidence_rows, rows, n_rows * sizeof *rows);
    fb->n_raw[fs->n++] = n_rows;
    return;
  }
  if (!fr_finding_keys(fb, f, rows, n_rows)) {
    fr_finding_free(f);
    fb->status = FR_ERR_NOMEM;
    return;
  }
  fs->n++;
}

/* Lazy keys: fetches the keys of every finding's rows, then builds the keys. */
static fr_status fr_fbuild_resolve(fr_fbuild *fb, fr_error *err) {
  fr_findings *fs = fb->f;
  size_t total = 0;
  for (uint32_t k = 0; k < fs->n; k++) total += fb->n_raw[k];
  uint64_t *all = fr_malloc((total ? total : 1) * sizeof *all);
  FR_FAIL_IF(all == NULL, FR_ERR_NOMEM, err, "out of memory building findings");
  size_t at = 0;
  for (uint32_t k = 0; k < fs->n; k++) {
    memcpy(all + at, fs->items[k].evidence_rows, fb->n_raw[k] * sizeof *all);
    at += fb->n_raw[k];
  }
  fr_status status = fr_lkey_fetch(fb->lazy_t, fb->lazy_key, all, total, err);
  if (status == FR_OK && fb->lazy_ts != NULL)
    status = fr_lkey_fetch(fb->lazy_t, fb->lazy_ts, all, total, err);
  fr_free(all);
  if (status != FR_OK)
    return status;
  int failed = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : failed)
  for (int64_t k = 0; k < (int64_t)fs->n; k++) {
    fr_finding *f = &fs->items[k];
    if (!fr_finding_keys(fb, f, f->evidence_rows, fb->n_raw[k]))
      failed = 1;
  }
  FR_FAIL_IF(failed, FR_ERR_NOMEM, err, "out of memory building findings");
  return FR_OK;
}

static int fr_finding_order(const void *a, const void *b) {
  const fr_finding *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp(x->id, y->id);
}

fr_status fr_fbuild_finish(fr_fbuild *fb, fr_findings **out, fr_error *err) {
  *out = NULL;
  if (fb->status != FR_OK) {
    fr_findings_destroy(fb->f);
    fb->f = NULL;
    fr_free(fb->n_raw);
    fb->n_raw = NULL;
    return fr_error_set(err, fb->status, "out of memory building findings");
  }
  if (fb->lazy_key != NULL && fb->lazy_key->lazy && fb->f->n > 0) {
    fr_status status = fr_fbuild_resolve(fb, err);
    fr_free(fb->n_raw);
    fb->n_raw = NULL;
    if (status != FR_OK) {
      fr_findings_destroy(fb->f);
      fb->f = NULL;
      return status;
    }
  }
  fr_free(fb->n_raw);
  fb->n_raw = NULL;
  if (fb->f->n > 1)
    qsort(fb->f->items, fb->f->n, sizeof *fb->f->items, fr_finding_order);
  *out = fb->f;
  fb->f = NULL;
  return FR_OK;
}

fr_status fr_findings_append(fr_findings *into, fr_findings *from, fr_error *err) {
  if (from == NULL)
    return FR_OK;
  fr_status status = FR_OK;
  fr_finding *items = fr_realloc(into->items, ((size_t)into->n + from->n + 1) * sizeof *items);
  if (items == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory building findings");
  } else {
    into->items = items;
    const int same_table = strcmp(into->evidence_table, from->evidence_table) == 0 &&
                           strcmp(into->evidence_key, from->evidence_key) == 0;
    for (uint32_t k = 0; k < from->n; k++) {
      fr_finding *f = &from->items[k];
      int failed = 0;
      if (!same_table && f->evidence_table == NULL) {
        f->evidence_table = fr_dup_or_null(from->evidence_table, &failed);
        f->evidence_key = fr_dup_or_null(from->evidence_key, &failed);
      }
      if (failed) {
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory building findings");
        break;
      }
    }
    if (status == FR_OK) {
      memcpy(into->items + into->n, from->items, (size_t)from->n * sizeof *items);
      into->n += from->n;
      from->n = 0;
      if (into->n > 1)
        qsort(into->items, into->n, sizeof *into->items, fr_finding_order);
    }
  }
  fr_findings_destroy(from);
  return status;
}

void fr_findings_destroy(fr_findings *fs) {
  if (fs == NULL)
    return;
  for (uint32_t k = 0; k < fs->n; k++) fr_finding_free(&fs->items[k]);
  fr_free(fs->items);
  fr_free(fs);
}

void fr_jstr(fr_buf *b, const char *key, const char *value) {
  fr_buf_put_u8(b, b->len == 0 ? '{' : ',');
  fr_write_json_string(b, key, strlen(key));
  fr_buf_put_u8(b, ':');
  if (value == NULL) fr_buf_put(b, "null", 4);
  else fr_write_json_string(b, value, strlen(value));
}

void fr_jraw(fr_buf *b, const char *key, const char *raw) {
  fr_buf_put_u8(b, b->len == 0 ? '{' : ',');
  fr_write_json_string(b, key, strlen(key));
  fr_buf_put_u8(b, ':');
  fr_buf_put(b, raw, strlen(raw));
}

void fr_jint(fr_buf *b, const char *key, int64_t v) {
  char num[32];
  snprintf(num, sizeof num, "%lld", (long long)v);
  fr_jraw(b, key, num);
}

void fr_jcents(fr_buf *b, const char *key, int64_t cents) {
  char num[FR_VALUE_TEXT_CAP + 1];
  fr_jraw(b, key, fr_cents_text(num, cents));
}

void fr_jreal(fr_buf *b, const char *key, double v) {
  char num[FR_VALUE_TEXT_CAP + 1];
  fr_jraw(b, key, fr_real_text(num, v));
}

char *fr_jdone(fr_buf *b) {
  if (b->len == 0) fr_buf_put_u8(b, '{');
  fr_buf_put_u8(b, '}');
  char *s = b->failed ? NULL : fr_strndup((const char *)b->data, b->len);
  fr_buf_reset(b);
  return s;
}

const char *fr_common_sid(const fr_sdict *dict, const fr_lcol *col, const uint64_t *rows, uint32_t n) {
  if (col == NULL || !col->present || n == 0)
    return NULL;
  uint32_t id = col->sid[rows[0]];
  for (uint32_t k = 1; k < n; k++)
    if (col->sid[rows[k]] != id)
      return NULL;
  return fr_sdict_str(dict, id);
}

/* ---- explain ---------------------------------------------------------------- */

typedef struct fr_need {
  uint64_t row;
  uint32_t finding, ev;
} fr_need;

static int fr_need_cmp(const void *a, const void *b) {
  const fr_need *x = a, *y = b;
  if (x->row != y->row) return (x->row > y->row) - (x->row < y->row);
  if (x->finding != y->finding) return (x->finding > y->finding) - (x->finding < y->finding);
  return (x->ev > y->ev) - (x->ev < y->ev);
}

/* Renders row r of the decoded columns as one JSON object. */
static void fr_render_row(fr_buf *out, const fr_column *cols, const fr_schema *schema, uint32_t r) {
  fr_buf_put_u8(out, '{');
  for (uint32_t c = 0; c < schema->n_columns; c++) {
    if (c) fr_buf_put_u8(out, ',');
    fr_write_json_string(out, schema->columns[c].name, strlen(schema->columns[c].name));
    fr_buf_put_u8(out, ':');
    const fr_column *col = &cols[c];
    if (!fr_column_is_valid(col, r)) {
      fr_buf_put(out, "null", 4);
      continue;
    }
    fr_type type = col->type;
    if (type == FR_TYPE_STRING) {
      uint32_t len;
      const char *s = fr_column_str(col, r, &len);
      fr_write_json_string(out, s, len);
    } else if (type == FR_TYPE_TIMESTAMP || type == FR_TYPE_DATE) {
      char buf[FR_VALUE_TEXT_CAP + 1];
      size_t len = fr_format_value(buf, type, col->i64[r], 0.0);
      fr_write_json_string(out, buf, len);
    } else {
      fr_write_value_text(out, col, r);
    }
  }
  fr_buf_put_u8(out, '}');
}

/* fr_detect_explain for the findings whose evidence is from table `name`. */
static fr_status fr_explain_table(fr_findings *fs, const fr_store *store, const char *name, fr_error *err) {
  size_t n_need = 0;
  for (uint32_t k = 0; k < fs->n; k++)
    if (strcmp(fr_finding_table(fs, &fs->items[k]), name) == 0)
      n_need += fs->items[k].n_evidence;
  if (n_need == 0)
    return FR_OK;
  const fr_table_meta *table;
  FR_TRY(fr_table_find(store, name, &table, err));
  fr_need *need = fr_malloc(n_need * sizeof *need);
  FR_FAIL_IF(need == NULL, FR_ERR_NOMEM, err, "out of memory");
  size_t m = 0;
  fr_status status = FR_OK;
  for (uint32_t k = 0; k < fs->n && status == FR_OK; k++) {
    fr_finding *f = &fs->items[k];
    if (strcmp(fr_finding_table(fs, f), name) != 0)
      continue;
    f->explain_rows = fr_calloc(f->n_evidence ? f->n_evidence : 1, sizeof *f->explain_rows);
    if (f->explain_rows == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    for (uint32_t e = 0; e < f->n_evidence; e++) need[m++] = (fr_need){f->evidence_rows[e], k, e};
  }
  qsort(need, m, sizeof *need, fr_need_cmp);
  const uint32_t n_columns = table->schema.n_columns;
  fr_column *cols = fr_calloc(n_columns ? n_columns : 1, sizeof *cols);
  fr_buf stored, scratch, text;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  fr_buf_init(&text);
  if (cols == NULL && status == FR_OK)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  uint64_t first = 0;
  size_t at = 0;
  for (uint32_t s = 0; s < table->n_segments && status == FR_OK && at < m; s++) {
    const fr_segment_record *rec = &table->segments[s];
    char path[4096];
    fr_store_path(store, rec->file, path, sizeof path);
    fr_segment *seg;
    status = fr_segment_open(&seg, path, &rec->info, err);
    if (status != FR_OK)
      break;
    for (uint32_t rg = 0; rg < fr_segment_n_row_groups(seg) && status == FR_OK && at < m; rg++) {
      uint32_t rows = fr_segment_rowgroup_rows(seg, rg);
      if (need[at].row >= first + rows) {
        first += rows;
        continue;
      }
      for (uint32_t c = 0; c < n_columns && status == FR_OK; c++)
        status = fr_segment_read_chunk(seg, rg, c, &cols[c], &stored, &scratch, err);
      for (; status == FR_OK && at < m && need[at].row < first + rows; at++) {
        fr_buf_reset(&text);
        fr_render_row(&text, cols, &table->schema, (uint32_t)(need[at].row - first));
        char *row_text = text.failed ? NULL : fr_strndup((const char *)text.data, text.len);
        if (row_text == NULL)
          status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
        else
          fs->items[need[at].finding].explain_rows[need[at].ev] = row_text;
      }
      first += rows;
    }
    fr_segment_close(seg);
  }
  for (uint32_t c = 0; cols != NULL && c < n_columns; c++) fr_column_free(&cols[c]);
  fr_free(cols);
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
  fr_buf_free(&text);
  fr_free(need);
  return status;
}

fr_status fr_detect_explain(fr_findings *fs, const fr_store *store, fr_error *err) {
  /* each distinct evidence table once (a finding's own, or the set's): a set
   * names one or two, so the list of those done stays tiny */
  const char **done = NULL;
  uint32_t n_done = 0;
  fr_status status = FR_OK;
  for (uint32_t k = 0; k < fs->n && status == FR_OK; k++) {
    const char *name = fr_finding_table(fs, &fs->items[k]);
    uint32_t j = 0;
    while (j < n_done && strcmp(done[j], name) != 0) j++;
    if (j < n_done)
      continue;
    const char **grown = fr_realloc(done, ((size_t)n_done + 1) * sizeof *done);
    if (grown == NULL) {
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      break;
    }
    done = grown;
    done[n_done++] = name;
    status = fr_explain_table(fs, store, name, err);
  }
  fr_free(done);
  return status;
}

/* ---- rendering ---------------------------------------------------------------- */

static void fr_put_str(fr_buf *out, const char *s) { fr_buf_put(out, s, strlen(s)); }

static void fr_put_json_or_null(fr_buf *out, const char *s) {
  if (s == NULL) fr_put_str(out, "null");
  else fr_write_json_string(out, s, strlen(s));
}

static const char *fr_ts_text(char *buf, int has, int64_t ts) {
  if (!has)
    return NULL;
  buf[fr_format_timestamp(buf, ts)] = '\0';
  return buf;
}

static void fr_write_json(fr_buf *out, const fr_findings *fs, int explain) {
  char num[FR_VALUE_TEXT_CAP + 1], t1[FR_VALUE_TEXT_CAP + 1], t2[FR_VALUE_TEXT_CAP + 1];
  for (uint32_t k = 0; k < fs->n; k++) {
    const fr_finding *f = &fs->items[k];
    fr_put_str(out, "{\"detector\":");
    fr_put_json_or_null(out, f->detector);
    fr_put_str(out, ",\"id\":");
    fr_put_json_or_null(out, f->id);
    fr_put_str(out, ",\"score\":");
    fr_put_str(out, fr_real_text(num, f->score));
    fr_put_str(out, ",\"subject\":");
    fr_put_json_or_null(out, f->subject);
    fr_put_str(out, ",\"org\":");
    fr_put_json_or_null(out, f->org);
    fr_put_str(out, ",\"summary\":");
    fr_put_json_or_null(out, f->summary);
    fr_put_str(out, ",\"first_ts\":");
    fr_put_json_or_null(out, fr_ts_text(t1, f->has_ts, f->first_ts));
    fr_put_str(out, ",\"last_ts\":");
    fr_put_json_or_null(out, fr_ts_text(t2, f->has_ts, f->last_ts));
    fr_put_str(out, ",\"evidence\":{\"table\":");
    fr_put_json_or_null(out, fr_finding_table(fs, f));
    fr_put_str(out, ",\"key\":");
    fr_put_json_or_null(out, fr_finding_key(fs, f));
    fr_put_str(out, ",\"values\":[");
    for (uint32_t e = 0; e < f->n_evidence; e++) {
      if (e) fr_buf_put_u8(out, ',');
      fr_put_json_or_null(out, f->evidence[e]);
    }
    fr_buf_put_u8(out, ']');
    if (explain && f->explain_rows != NULL) {
      fr_put_str(out, ",\"rows\":[");
      for (uint32_t e = 0; e < f->n_evidence; e++) {
        if (e) fr_buf_put_u8(out, ',');
        fr_put_str(out, f->explain_rows[e] != NULL ? f->explain_rows[e] : "null");
      }
      fr_buf_put_u8(out, ']');
    }
    fr_put_str(out, "},\"details\":");
    fr_put_str(out, f->details);
    fr_put_str(out, "}\n");
  }
}

static void fr_csv_or_empty(fr_buf *out, const char *s) {
  if (s != NULL) fr_write_csv_field(out, s, strlen(s), 0);
}

static void fr_write_csv(fr_buf *out, const fr_findings *fs) {
  char num[FR_VALUE_TEXT_CAP + 1], t1[FR_VALUE_TEXT_CAP + 1], t2[FR_VALUE_TEXT_CAP + 1];
  fr_put_str(out, "detector,id,score,subject,org,summary,first_ts,last_ts,evidence_table,evidence_key,"
                  "n_evidence,evidence,details\n");
  fr_buf keys;
  fr_buf_init(&keys);
  for (uint32_t k = 0; k < fs->n; k++) {
    const fr_finding *f = &fs->items[k];
    fr_csv_or_empty(out, f->detector);
    fr_buf_put_u8(out, ',');
    fr_put_str(out, f->id);
    fr_buf_put_u8(out, ',');
    fr_put_str(out, fr_real_text(num, f->score));
    fr_buf_put_u8(out, ',');
    fr_csv_or_empty(out, f->subject);
    fr_buf_put_u8(out, ',');
    fr_csv_or_empty(out, f->org);
    fr_buf_put_u8(out, ',');
    fr_csv_or_empty(out, f->summary);
    fr_buf_put_u8(out, ',');
    fr_csv_or_empty(out, fr_ts_text(t1, f->has_ts, f->first_ts));
    fr_buf_put_u8(out, ',');
    fr_csv_or_empty(out, fr_ts_text(t2, f->has_ts, f->last_ts));
    fr_buf_put_u8(out, ',');
    fr_csv_or_empty(out, fr_finding_table(fs, f));
    fr_buf_put_u8(out, ',');
    fr_csv_or_empty(out, fr_finding_key(fs, f));
    fr_buf_put_u8(out, ',');
    snprintf(num, sizeof num, "%u", f->n_evidence);
    fr_put_str(out, num);
    fr_buf_put_u8(out, ',');
    fr_buf_reset(&keys);
    for (uint32_t e = 0; e < f->n_evidence; e++) {
      if (e) fr_buf_put_u8(&keys, ' ');
      fr_put_str(&keys, f->evidence[e]);
    }
    fr_write_csv_field(out, (const char *)keys.data, keys.len, 0);
    fr_buf_put_u8(out, ',');
    fr_csv_or_empty(out, f->details);
    fr_buf_put_u8(out, '\n');
  }
  fr_buf_free(&keys);
}

/* Display width of UTF-8 text: code points, with CJK counted as two columns. */
static size_t fr_text_width(const char *s) {
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xC0) == 0x80) continue;
    w += *p >= 0xE0 ? 2 : 1;
  }
  return w;
}

static void fr_put_padded(fr_buf *out, const char *s, size_t width) {
  fr_put_str(out, s);
  for (size_t w = fr_text_width(s); w < width; w++) fr_buf_put_u8(out, ' ');
  fr_put_str(out, "  ");
}

static void fr_write_table(fr_buf *out, const fr_findings *fs, int explain) {
  enum { N_COLS = 8 };
  static const char *const heads[N_COLS] = {"id", "score", "subject", "org", "first_ts", "last_ts", "n", "summary"};
  size_t width[N_COLS];
  for (int c = 0; c < N_COLS; c++) width[c] = strlen(heads[c]);
  char cells[N_COLS][FR_VALUE_TEXT_CAP + 80];
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      for (int c = 0; c < N_COLS - 1; c++) fr_put_padded(out, heads[c], width[c]);
      fr_put_str(out, heads[N_COLS - 1]);
      fr_buf_put_u8(out, '\n');
    }
    for (uint32_t k = 0; k < fs->n; k++) {
      const fr_finding *f = &fs->items[k];
      char num[FR_VALUE_TEXT_CAP + 1];
      snprintf(cells[0], sizeof cells[0], "%s", f->id);
      snprintf(cells[1], sizeof cells[1], "%.4g", f->score);
      snprintf(cells[2], sizeof cells[2], "%.60s", f->subject != NULL ? f->subject : "-");
      snprintf(cells[3], sizeof cells[3], "%.60s", f->org != NULL ? f->org : "-");
      snprintf(cells[4], sizeof cells[4], "%s", f->has_ts ? fr_ts_text(num, 1, f->first_ts) : "-");
      snprintf(cells[5], sizeof cells[5], "%s", f->has_ts ? fr_ts_text(num, 1, f->last_ts) : "-");
      snprintf(cells[6], sizeof cells[6], "%u", f->n_evidence);
      if (pass == 0) {
        for (int c = 0; c < N_COLS - 1; c++)
          if (fr_text_width(cells[c]) > width[c]) width[c] = fr_text_width(cells[c]);
        continue;
      }
      for (int c = 0; c < N_COLS - 1; c++) fr_put_padded(out, cells[c], width[c]);
      fr_put_str(out, f->summary);
      fr_buf_put_u8(out, '\n');
      if (explain) {
        for (uint32_t e = 0; e < f->n_evidence; e++) {
          fr_put_str(out, "    ");
          fr_put_str(out, f->explain_rows != NULL && f->explain_rows[e] != NULL ? f->explain_rows[e] : f->evidence[e]);
          fr_buf_put_u8(out, '\n');
        }
      }
    }
  }
  char line[200];
  int n = snprintf(line, sizeof line, "(%u finding%s of %s over %llu rows of %s)\n", fs->n, fs->n == 1 ? "" : "s",
                   fs->detector->name, (unsigned long long)fs->rows_scanned, fs->evidence_table);
  fr_buf_put(out, line, (size_t)n);
}

void fr_findings_write(fr_buf *out, const fr_findings *fs, fr_output_format format, int explain) {
  switch (format) {
  case FR_OUTPUT_JSON: fr_write_json(out, fs, explain); break;
  case FR_OUTPUT_CSV: fr_write_csv(out, fs); break;
  default: fr_write_table(out, fs, explain); break;
  }
}
