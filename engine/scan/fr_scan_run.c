/* fr_scan_run.c - the nightly scan runner: for each rule of the pack decide what
 * changed since its last scan, run its detector over the whole table or over a
 * time window of it, merge the findings into the findings store, write the
 * report files, then commit the findings store (engine/scan/README.md).
 *
 * Windows.  A rule with a bounded look-back L and trust margin M (table below)
 * runs over a view of the store whose main table keeps only the segments whose
 * ts zone map reaches C = (earliest ts of the new rows) - L.  Every row with
 * ts >= C is then present, some older ones too.  For these rules a finding whose
 * first_ts >= C + M is exactly the finding a run over the whole table yields,
 * and every such finding of the whole table appears (README "Why windows are
 * exact"); those findings are kept and compared with the findings store.  A
 * finding that starts earlier and holds a new row could be cut by the window:
 * the rule is then run again over the whole table.  Others (older, not touching
 * new rows) were settled by earlier scans and are dropped.
 *
 * Invariant: nothing is written to the store directory before every rule has
 * run; the findings store is replaced last, atomically.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_hash.h"
#include "fr_scan_internal.h"
#include "fr_segment.h"
#include "fr_store.h"

const char *fr_scan_mode_name(int mode) {
  switch (mode) {
  case FR_SCAN_UNCHANGED: return "unchanged";
  case FR_SCAN_WINDOW: return "window";
  case FR_SCAN_FULL: return "full";
  default: return "skipped";
  }
}

void fr_scan_result_destroy(fr_scan_result *result) {
  if (result == NULL)
    return;
  fr_free(result->rules);
  fr_free(result);
}

static double fr_now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The text of parameter `name` of a rule: the pack's setting, else the default;
 * NULL when the detector has no such parameter. */
static const char *fr_rule_param(const fr_scan_rule *r, const char *name) {
  for (uint32_t k = r->n_sets; k > 0; k--)
    if (strcmp(r->set_names[k - 1], name) == 0)
      return r->set_values[k - 1];
  for (uint32_t k = 0; k < r->detector->n_params; k++)
    if (strcmp(r->detector->params[k].name, name) == 0)
      return r->detector->params[k].def;
  return NULL;
}

static int64_t fr_rule_int(const fr_scan_rule *r, const char *name) {
  const char *t = fr_rule_param(r, name);
  return t != NULL ? strtoll(t, NULL, 10) : 0;
}

/* ---- look-backs ---------------------------------------------------------------
 * What each rule's windows need (DETECTORS.md).  lookback: how far before the
 * earliest new row the window starts; trust: how far past the window start a
 * finding must begin to be exact; year: the window starts on 1 January of the
 * earliest new row's year.  Rules not listed depend on rows arbitrarily far back
 * (F1 one invoice at any distance, F4/F8/F10 group statistics over all time, F7
 * the union of every window of a source and gatherer) or are not yet analysed
 * (A, P, W): they run over the whole table whenever a table they read changed. */
typedef struct fr_lookback {
  int bounded;
  int year;
  int64_t lookback_us, trust_us;
} fr_lookback;

static fr_lookback fr_rule_lookback(const fr_scan_rule *r) {
  fr_lookback lb = {0, 0, 0, 0};
  const char *id = r->detector->id;
  const int64_t day = FR_US_PER_DAY;
  if (strcmp(id, "F2") == 0) { /* chains of gaps <= W: a run starting >= C + W is whole */
    int64_t w = fr_rule_int(r, "window_days") * day;
    lb = (fr_lookback){1, 0, 2 * w, w};
  } else if (strcmp(id, "F3") == 0) { /* flags exact from C + W on, chains whole from C + 2W */
    int64_t w = fr_rule_int(r, "window_days") * day;
    lb = (fr_lookback){1, 0, 3 * w, 2 * w};
  } else if (strcmp(id, "F5") == 0) { /* a cycle spans <= W from its first payment */
    lb = (fr_lookback){1, 0, fr_rule_int(r, "window_days") * day, 0};
  } else if (strcmp(id, "F6") == 0) { /* outflows within `hours` after the inflow */
    lb = (fr_lookback){1, 0, fr_rule_int(r, "hours") * 3600LL * 1000000LL, 0};
  } else if (strcmp(id, "F9") == 0) { /* per calendar year */
    lb = (fr_lookback){1, 1, 0, 0};
  } else if (strcmp(id, "F11") == 0 || strcmp(id, "F12") == 0) { /* one payment at a time */
    lb = (fr_lookback){1, 0, 0, 0};
  }
  return lb;
}

static int64_t fr_window_start(const fr_lookback *lb, int64_t newmin_us) {
  if (lb->year) {
    int64_t days = newmin_us >= 0 ? newmin_us / FR_US_PER_DAY : -((-newmin_us + FR_US_PER_DAY - 1) / FR_US_PER_DAY);
    int64_t year;
    unsigned month, mday;
    fr_civil_from_days(days, &year, &month, &mday);
    return fr_days_from_civil(year, 1, 1) * FR_US_PER_DAY;
  }
  return newmin_us - lb->lookback_us;
}

/* ---- tables a rule reads -------------------------------------------------------- */

typedef struct fr_rule_tables {
  uint32_t n;
  const char *names[FR_SCAN_MAX_TABLES]; /* [0] = the main table */
} fr_rule_tables;

static void fr_rule_tables_of(const fr_scan_rule *r, fr_rule_tables *out) {
  out->n = 0;
  const char *main_name = fr_rule_param(r, r->detector->table);
  out->names[out->n++] = main_name != NULL ? main_name : r->detector->table;
  for (uint32_t k = 0; k < r->detector->n_params && out->n < FR_SCAN_MAX_TABLES; k++) {
    if (r->detector->params[k].kind != FR_PARAM_TABLE)
      continue;
    const char *t = fr_rule_param(r, r->detector->params[k].name);
    int dup = 0;
    for (uint32_t j = 0; j < out->n; j++) dup |= strcmp(out->names[j], t) == 0;
    if (!dup)
      out->names[out->n++] = t;
  }
}

static uint64_t fr_prefix_hash(const fr_table_meta *t, uint32_t n_segments) {
  uint64_t h = 0x7072656669780000ULL;
  for (uint32_t s = 0; s < n_segments && s < t->n_segments; s++) {
    const fr_segment_info *i = &t->segments[s].info;
    uint64_t ids[3] = {i->segment_id, i->file_bytes, i->footer_checksum};
    h = fr_hash64(ids, sizeof ids, h);
  }
  return h;
}

/* ---- segment time ranges ------------------------------------------------------- */

typedef struct fr_seg_range {
  int has;                  /* the ts column has a non-NULL value in the segment */
  int64_t min_us, max_us;
} fr_seg_range;

/* Reads the ts zone maps of every segment of `t` (footers only).  Errors:
 * FR_ERR_INVALID (no such column or not a time), segment errors. */
static fr_status fr_segment_ranges(const fr_store *store, const fr_table_meta *t, const char *ts_col,
                                   fr_seg_range *out, fr_error *err) {
  int col = fr_schema_find(&t->schema, ts_col, strlen(ts_col));
  FR_FAIL_IF(col < 0, FR_ERR_INVALID, err, "table %s has no column %s", t->name, ts_col);
  fr_type type = t->schema.columns[col].type;
  FR_FAIL_IF(type != FR_TYPE_TIMESTAMP && type != FR_TYPE_DATE, FR_ERR_INVALID, err,
             "column %s.%s is not a timestamp or date", t->name, ts_col);
  for (uint32_t s = 0; s < t->n_segments; s++) {
    const fr_segment_record *rec = &t->segments[s];
    char path[4096];
    fr_store_path(store, rec->file, path, sizeof path);
    fr_segment *seg;
    FR_TRY(fr_segment_open(&seg, path, &rec->info, err));
    int seg_col = fr_schema_find(fr_segment_schema(seg), ts_col, strlen(ts_col));
    out[s].has = 0;
    for (uint32_t rg = 0; seg_col >= 0 && rg < fr_segment_n_row_groups(seg); rg++) {
      const fr_chunk_meta *m = fr_segment_chunk(seg, rg, (uint32_t)seg_col);
      if (!(m->stats_flags & FR_STATS_HAS_MINMAX))
        continue;
      int64_t lo = m->min_i64, hi = m->max_i64;
      if (type == FR_TYPE_DATE) {
        lo *= FR_US_PER_DAY;
        hi = hi * FR_US_PER_DAY + FR_US_PER_DAY - 1;
      }
      if (!out[s].has || lo < out[s].min_us) out[s].min_us = lo;
      if (!out[s].has || hi > out[s].max_us) out[s].max_us = hi;
      out[s].has = 1;
    }
    fr_segment_close(seg);
  }
  return FR_OK;
}

/* ---- a view of the store with one table cut to some segments ------------------- */

typedef struct fr_view {
  fr_store store;           /* shares dir and history with the real store */
  fr_table_meta *tables;    /* shallow copies; tables[main].segments is ours */
  fr_segment_record *segments;
  uint64_t *new_start, *new_end; /* row ranges of new segments in the cut table */
  uint32_t n_new;
} fr_view;

static void fr_view_free(fr_view *v) {
  fr_free(v->tables);
  fr_free(v->segments);
  fr_free(v->new_start);
  fr_free(v->new_end);
  memset(v, 0, sizeof *v);
}

/* Builds the view: table `main_idx` keeps segment s where keep[s]; is_new[s]
 * marks the new ones (a subset of the kept). */
static fr_status fr_view_build(fr_view *v, const fr_store *store, uint32_t main_idx, const uint8_t *keep,
                               const uint8_t *is_new, fr_error *err) {
  memset(v, 0, sizeof *v);
  const fr_manifest *m = &store->manifest;
  const fr_table_meta *t = &m->tables[main_idx];
  v->tables = fr_calloc(m->n_tables ? m->n_tables : 1, sizeof *v->tables);
  v->segments = fr_calloc(t->n_segments ? t->n_segments : 1, sizeof *v->segments);
  v->new_start = fr_calloc(t->n_segments ? t->n_segments : 1, sizeof *v->new_start);
  v->new_end = fr_calloc(t->n_segments ? t->n_segments : 1, sizeof *v->new_end);
  if (v->tables == NULL || v->segments == NULL || v->new_start == NULL || v->new_end == NULL) {
    fr_view_free(v);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  memcpy(v->tables, m->tables, m->n_tables * sizeof *v->tables);
  uint32_t n = 0;
  uint64_t rows = 0;
  for (uint32_t s = 0; s < t->n_segments; s++) {
    if (!keep[s])
      continue;
    if (is_new[s]) {
      v->new_start[v->n_new] = rows;
      v->new_end[v->n_new++] = rows + t->segments[s].info.n_rows;
    }
    v->segments[n++] = t->segments[s];
    rows += t->segments[s].info.n_rows;
  }
  v->tables[main_idx].segments = v->segments;
  v->tables[main_idx].n_segments = n;
  v->tables[main_idx].n_rows = rows;
  v->store.dir = store->dir;
  v->store.lock_fd = -1;
  v->store.manifest = *m;
  v->store.manifest.tables = v->tables;
  return FR_OK;
}

static int fr_view_row_is_new(const fr_view *v, uint64_t row) {
  for (uint32_t k = 0; k < v->n_new; k++)
    if (row >= v->new_start[k] && row < v->new_end[k])
      return 1;
  return 0;
}

/* ---- Benford digit distribution for the report ------------------------------- */

/* Counts the first two digits of the group's sample (DETECTORS.md F4) so the
 * report can draw the group's curve against Benford's.  The detector's details
 * do not carry the distribution, so it is read here: two columns of the table. */
static fr_status fr_benford_chart(char **out, const fr_store *store, const fr_scan_rule *r, const char *group,
                                  fr_error *err) {
  *out = NULL;
  const char *table_name = fr_rule_param(r, "payments");
  const char *group_col = fr_rule_param(r, "group_by");
  const char *amount_col = fr_rule_param(r, "amount");
  const char *min_text = fr_rule_param(r, "min_amount");
  if (table_name == NULL || group_col == NULL || amount_col == NULL || min_text == NULL || group == NULL)
    return FR_OK;
  int64_t min_cents = 0;
  if (fr_parse_decimal(&min_cents, min_text, strlen(min_text)) != NULL)
    return FR_OK;
  const fr_table_meta *t = fr_manifest_table(&store->manifest, table_name);
  if (t == NULL)
    return FR_OK;
  int gc = fr_schema_find(&t->schema, group_col, strlen(group_col));
  int ac = fr_schema_find(&t->schema, amount_col, strlen(amount_col));
  if (gc < 0 || ac < 0 || t->schema.columns[gc].type != FR_TYPE_STRING ||
      (t->schema.columns[ac].type != FR_TYPE_DECIMAL && t->schema.columns[ac].type != FR_TYPE_INT64))
    return FR_OK;
  int amount_units = t->schema.columns[ac].type == FR_TYPE_INT64;
  uint64_t hist[100] = {0}, n = 0;
  size_t glen = strlen(group);
  fr_column gcol, acol;
  fr_column_init(&gcol, FR_TYPE_STRING);
  fr_column_init(&acol, t->schema.columns[ac].type);
  fr_buf stored, scratch;
  fr_buf_init(&stored);
  fr_buf_init(&scratch);
  fr_status status = FR_OK;
  for (uint32_t s = 0; s < t->n_segments && status == FR_OK; s++) {
    char path[4096];
    fr_store_path(store, t->segments[s].file, path, sizeof path);
    fr_segment *seg;
    status = fr_segment_open(&seg, path, &t->segments[s].info, err);
    if (status != FR_OK)
      break;
    for (uint32_t rg = 0; rg < fr_segment_n_row_groups(seg) && status == FR_OK; rg++) {
      status = fr_segment_read_chunk(seg, rg, (uint32_t)gc, &gcol, &stored, &scratch, err);
      if (status == FR_OK)
        status = fr_segment_read_chunk(seg, rg, (uint32_t)ac, &acol, &stored, &scratch, err);
      for (uint32_t row = 0; status == FR_OK && row < gcol.n_rows; row++) {
        if (!fr_column_is_valid(&gcol, row) || !fr_column_is_valid(&acol, row))
          continue;
        uint32_t len;
        const char *g = fr_column_str(&gcol, row, &len);
        if (len != glen || memcmp(g, group, len) != 0)
          continue;
        int64_t cents = amount_units ? acol.i64[row] * 100 : acol.i64[row];
        if (cents < min_cents)
          continue;
        int64_t ip = cents / 100;
        if (ip < 10)
          continue;
        while (ip >= 100) ip /= 10;
        hist[ip]++;
        n++;
      }
    }
    fr_segment_close(seg);
  }
  fr_column_free(&gcol);
  fr_column_free(&acol);
  fr_buf_free(&stored);
  fr_buf_free(&scratch);
  if (status != FR_OK)
    return status;
  fr_buf j;
  fr_buf_init(&j);
  char num[80];
  int len = snprintf(num, sizeof num, "{\"kind\":\"benford\",\"n\":%llu,\"digits\":[", (unsigned long long)n);
  fr_buf_put(&j, num, (size_t)len);
  for (int d = 10; d <= 99; d++) {
    len = snprintf(num, sizeof num, "%s%llu", d > 10 ? "," : "", (unsigned long long)hist[d]);
    fr_buf_put(&j, num, (size_t)len);
  }
  fr_buf_put(&j, "]}", 2);
  *out = j.failed ? NULL : fr_strndup((const char *)j.data, j.len);
  fr_buf_free(&j);
  FR_FAIL_IF(*out == NULL, FR_ERR_NOMEM, err, "out of memory");
  return FR_OK;
}

/* ---- merging one rule's findings -------------------------------------------------- */

static char *fr_dup(const char *s, int *nomem) {
  if (s == NULL)
    return NULL;
  char *d = fr_strndup(s, strlen(s));
  if (d == NULL)
    *nomem = 1;
  return d;
}

/* Copies finding `f` into a new findings-store record. */
static fr_status fr_sfinding_from(fr_sfinding *out, const fr_finding *f, const fr_findings *fnd,
                                  const fr_scan_rule *r, uint64_t seq, int64_t now_us, fr_error *err) {
  memset(out, 0, sizeof *out);
  int nomem = 0;
  memcpy(out->id, f->id, sizeof out->id);
  out->rule = fr_dup(r->name, &nomem);
  out->detector = fr_dup(f->detector, &nomem);
  out->severity = r->severity;
  out->owner = fr_dup(r->owner, &nomem);
  out->score = f->score;
  out->subject = fr_dup(f->subject, &nomem);
  out->org = fr_dup(f->org, &nomem);
  out->summary = fr_dup(f->summary, &nomem);
  out->has_ts = f->has_ts;
  out->first_ts = f->first_ts;
  out->last_ts = f->last_ts;
  out->ev_table = fr_dup(fr_finding_table(fnd, f), &nomem);
  out->ev_key = fr_dup(fr_finding_key(fnd, f), &nomem);
  out->details = fr_dup(f->details, &nomem);
  out->evidence = fr_calloc(f->n_evidence ? f->n_evidence : 1, sizeof *out->evidence);
  if (out->evidence == NULL)
    nomem = 1;
  for (uint32_t e = 0; !nomem && e < f->n_evidence; e++) {
    out->evidence[e] = fr_dup(f->evidence[e], &nomem);
    out->n_evidence = e + 1;
  }
  out->first_seen_scan = out->last_seen_scan = seq;
  out->first_seen_us = out->last_seen_us = now_us;
  out->open = 1;
  out->is_new = 1;
  out->seen_now = 1;
  if (nomem) {
    fr_sfinding_free(out);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  return FR_OK;
}

/* Explains the new findings (their first `cap` evidence rows) and moves the rows
 * into the findings-store records `dst` (parallel to `which`). */
static fr_status fr_explain_new(const fr_findings *fnd, const uint32_t *which, uint32_t n_which, fr_sfinding **dst,
                                const fr_store *store, uint32_t cap, fr_error *err) {
  if (n_which == 0)
    return FR_OK;
  fr_findings sub = *fnd;
  sub.n = n_which;
  sub.items = fr_calloc(n_which, sizeof *sub.items);
  FR_FAIL_IF(sub.items == NULL, FR_ERR_NOMEM, err, "out of memory");
  for (uint32_t k = 0; k < n_which; k++) {
    sub.items[k] = fnd->items[which[k]];
    sub.items[k].explain_rows = NULL;
    if (sub.items[k].n_evidence > cap)
      sub.items[k].n_evidence = cap;
  }
  fr_status status = fr_detect_explain(&sub, store, err);
  for (uint32_t k = 0; k < n_which; k++) {
    fr_finding *f = &sub.items[k];
    if (f->explain_rows == NULL)
      continue;
    if (status == FR_OK) {
      dst[k]->rows = f->explain_rows;
      dst[k]->n_rows = f->n_evidence;
    } else {
      for (uint32_t e = 0; e < f->n_evidence; e++) fr_free(f->explain_rows[e]);
      fr_free(f->explain_rows);
    }
  }
  fr_free(sub.items);
  return status;
}

/* Key -> new finding index, to tell which older findings a new one overlaps. */
typedef struct fr_keymap {
  uint64_t *hashes;
  uint32_t *owner;          /* index into fs->items + 1, 0 = empty */
  uint32_t n_slots;
} fr_keymap;

static fr_status fr_keymap_build(fr_keymap *km, const fr_fstore *fs, const uint32_t *items, uint32_t n_items) {
  uint64_t n_keys = 0;
  for (uint32_t k = 0; k < n_items; k++) n_keys += fs->items[items[k]].n_evidence;
  uint32_t n_slots = 16;
  while ((uint64_t)n_slots < n_keys * 2 + 16) n_slots *= 2;
  km->hashes = fr_calloc(n_slots, sizeof *km->hashes);
  km->owner = fr_calloc(n_slots, sizeof *km->owner);
  km->n_slots = n_slots;
  if (km->hashes == NULL || km->owner == NULL)
    return FR_ERR_NOMEM;
  for (uint32_t k = 0; k < n_items; k++) {
    const fr_sfinding *f = &fs->items[items[k]];
    for (uint32_t e = 0; e < f->n_evidence; e++) {
      uint64_t h = fr_hash64(f->evidence[e], strlen(f->evidence[e]), 0);
      uint32_t s = (uint32_t)h & (n_slots - 1);
      while (km->owner[s] != 0 && km->hashes[s] != h) s = (s + 1) & (n_slots - 1);
      if (km->owner[s] == 0) {
        km->hashes[s] = h;
        km->owner[s] = items[k] + 1;
      }
    }
  }
  return FR_OK;
}

static uint32_t fr_keymap_get(const fr_keymap *km, const char *key) {
  uint64_t h = fr_hash64(key, strlen(key), 0);
  for (uint32_t s = (uint32_t)h & (km->n_slots - 1); km->owner[s] != 0; s = (s + 1) & (km->n_slots - 1))
    if (km->hashes[s] == h)
      return km->owner[s] - 1;
  return UINT32_MAX;
}

/* Appends " id" to a space-separated list. */
static int fr_list_append(char **list, const char *id) {
  size_t old = *list != NULL ? strlen(*list) : 0;
  if (*list != NULL && strstr(*list, id) != NULL)
    return 0;
  char *grown = fr_realloc(*list, old + 18);
  if (grown == NULL)
    return -1;
  if (old) grown[old++] = ' ';
  memcpy(grown + old, id, 17);
  *list = grown;
  return 0;
}

typedef struct fr_run_ctx {
  const fr_scan_options *opt;
  fr_store *store;
  fr_fstore *fs;
  uint64_t seq;
  int64_t now_us;
  uint32_t rows_cap;
} fr_run_ctx;

/* Merges one run's findings: keep[k] marks the exact ones; `in_zone` tells which
 * stored findings the run settled (found again, or gone). */
static fr_status fr_merge(fr_run_ctx *cx, const fr_scan_rule *r, const fr_findings *fnd, const uint8_t *keep,
                          const fr_store *read_store, int zone_all, int64_t zone_from_us,
                          fr_scan_rule_result *res, fr_error *err) {
  fr_fstore *fs = cx->fs;
  uint32_t first_new = fs->n;
  uint32_t *which = fr_calloc(fnd->n ? fnd->n : 1, sizeof *which);
  FR_FAIL_IF(which == NULL, FR_ERR_NOMEM, err, "out of memory");
  uint32_t n_which = 0;
  fr_status status = FR_OK;
  for (uint32_t k = 0; k < fnd->n && status == FR_OK; k++) {
    if (!keep[k])
      continue;
    const fr_finding *f = &fnd->items[k];
    res->n_found++;
    uint32_t idx = fr_fstore_find(fs, f->id);
    if (idx != UINT32_MAX) {
      fr_sfinding *s = &fs->items[idx];
      if (s->seen_now)
        continue; /* another rule of this scan found it too */
      s->seen_now = 1;
      s->last_seen_scan = cx->seq;
      s->last_seen_us = cx->now_us;
      if (!s->open) { /* back again: open, but not reported as new */
        s->open = 1;
        s->closed_scan = 0;
        s->closed_us = 0;
        s->superseded_by[0] = '\0';
      }
      continue;
    }
    fr_sfinding nf;
    status = fr_sfinding_from(&nf, f, fnd, r, cx->seq, cx->now_us, err);
    if (status == FR_OK && fr_fstore_add(fs, &nf) != FR_OK) {
      fr_sfinding_free(&nf);
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    }
    if (status == FR_OK) {
      which[n_which++] = k;
      res->n_new++;
    }
  }
  /* evidence rows and charts of the new ones */
  fr_sfinding **dst = status == FR_OK ? fr_calloc(n_which ? n_which : 1, sizeof *dst) : NULL;
  if (status == FR_OK && dst == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  for (uint32_t k = 0; status == FR_OK && k < n_which; k++) dst[k] = &fs->items[first_new + k];
  if (status == FR_OK)
    status = fr_explain_new(fnd, which, n_which, dst, read_store, cx->rows_cap, err);
  for (uint32_t k = 0; status == FR_OK && k < n_which; k++)
    if (strcmp(r->detector->name, "benford") == 0)
      status = fr_benford_chart(&dst[k]->chart, read_store, r, dst[k]->subject, err);
  fr_free(dst);
  fr_free(which);
  if (status != FR_OK)
    return status;
  /* close what this run settled and no longer finds; link overlaps */
  uint32_t n_new_items = fs->n - first_new;
  uint32_t *new_items = fr_calloc(n_new_items ? n_new_items : 1, sizeof *new_items);
  FR_FAIL_IF(new_items == NULL, FR_ERR_NOMEM, err, "out of memory");
  for (uint32_t k = 0; k < n_new_items; k++) new_items[k] = first_new + k;
  fr_keymap km = {NULL, NULL, 0};
  if (n_new_items > 0 && fr_keymap_build(&km, fs, new_items, n_new_items) != FR_OK)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  for (uint32_t k = 0; status == FR_OK && k < first_new; k++) {
    fr_sfinding *s = &fs->items[k];
    if (s->rule == NULL || strcmp(s->rule, r->name) != 0)
      continue;
    if (s->open && !s->seen_now && (zone_all || (s->has_ts && s->first_ts >= zone_from_us))) {
      s->open = 0;
      s->closed_now = 1;
      s->closed_scan = cx->seq;
      s->closed_us = cx->now_us;
      res->n_closed++;
    }
    if (n_new_items == 0 || (!s->open && !s->closed_now))
      continue;
    for (uint32_t e = 0; e < s->n_evidence; e++) {
      uint32_t owner = fr_keymap_get(&km, s->evidence[e]);
      if (owner == UINT32_MAX)
        continue;
      fr_sfinding *nf = &fs->items[owner];
      if (fr_list_append(&nf->supersedes, s->id) != 0) {
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
        break;
      }
      if (s->closed_now && !s->superseded_by[0])
        memcpy(s->superseded_by, nf->id, 17);
    }
  }
  fr_free(km.hashes);
  fr_free(km.owner);
  fr_free(new_items);
  return status;
}

/* ---- one rule ------------------------------------------------------------------- */

static fr_status fr_run_rule(fr_run_ctx *cx, const fr_scan_rule *r, fr_scan_rule_result *res, fr_error *err) {
  const fr_manifest *m = &cx->store->manifest;
  fr_rule_tables rt;
  fr_rule_tables_of(r, &rt);
  const fr_table_meta *tables[FR_SCAN_MAX_TABLES];
  for (uint32_t k = 0; k < rt.n; k++) {
    tables[k] = fr_manifest_table(m, rt.names[k]);
    if (tables[k] == NULL) {
      res->mode = FR_SCAN_SKIPPED;
      snprintf(res->why, sizeof res->why, "no table %s in the store", rt.names[k]);
      return FR_OK;
    }
  }
  const fr_table_meta *main_t = tables[0];
  uint32_t main_idx = (uint32_t)(main_t - m->tables);
  res->rows_total = main_t->n_rows;
  fr_rule_state *st = fr_fstore_rule(cx->fs, r->name);
  fr_lookback lb = fr_rule_lookback(r);
  int mode = FR_SCAN_WINDOW;
  uint32_t main_known = 0;
  if (cx->opt->full) {
    mode = FR_SCAN_FULL;
    snprintf(res->why, sizeof res->why, "--full");
  } else if (st == NULL || st->scan_seq == 0) {
    mode = FR_SCAN_FULL;
    snprintf(res->why, sizeof res->why, "first scan of this rule");
  } else if (st->fingerprint != r->fingerprint || strcmp(st->detector, r->detector->name) != 0) {
    mode = FR_SCAN_FULL;
    snprintf(res->why, sizeof res->why, "the rule's detector or parameters changed");
  } else {
    int changed_main = 0, changed_other = 0, rewritten = 0;
    for (uint32_t k = 0; k < rt.n; k++) {
      uint32_t known = 0;
      int found = 0;
      for (uint32_t j = 0; j < st->n_tables; j++)
        if (strcmp(st->tables[j].name, rt.names[k]) == 0) {
          found = 1;
          known = st->tables[j].n_segments;
          if (known > tables[k]->n_segments || fr_prefix_hash(tables[k], known) != st->tables[j].prefix_hash)
            rewritten = 1;
        }
      if (!found)
        rewritten = 1;
      if (k == 0)
        main_known = known;
      if (tables[k]->n_segments > known)
        *(k == 0 ? &changed_main : &changed_other) = 1;
    }
    if (rewritten) {
      mode = FR_SCAN_FULL;
      snprintf(res->why, sizeof res->why, "a table was rewritten since the last scan");
    } else if (changed_other) {
      mode = FR_SCAN_FULL;
      snprintf(res->why, sizeof res->why, "a table other than %s changed", rt.names[0]);
    } else if (!changed_main && !cx->opt->has_since) {
      res->mode = FR_SCAN_UNCHANGED;
      snprintf(res->why, sizeof res->why, "no new rows since scan %llu", (unsigned long long)st->scan_seq);
      return FR_OK;
    } else if (!lb.bounded) {
      mode = FR_SCAN_FULL;
      snprintf(res->why, sizeof res->why, "the rule's look-back is unbounded");
    }
  }
  if (cx->opt->has_since && mode == FR_SCAN_WINDOW && !lb.bounded) {
    mode = FR_SCAN_FULL;
    snprintf(res->why, sizeof res->why, "the rule's look-back is unbounded");
  }
  fr_status status = FR_OK;
  fr_findings *fnd = NULL;
  uint8_t *keep = NULL;
  double t0 = fr_now_seconds();
  if (mode == FR_SCAN_WINDOW) {
    /* new rows: segments after the recorded prefix (or reaching --since) */
    uint32_t n_seg = main_t->n_segments;
    fr_seg_range *rg = fr_calloc(n_seg ? n_seg : 1, sizeof *rg);
    uint8_t *is_new = fr_calloc(n_seg ? n_seg : 1, 1), *keep_seg = fr_calloc(n_seg ? n_seg : 1, 1);
    const char *ts_col = fr_rule_param(r, "ts");
    if (rg == NULL || is_new == NULL || keep_seg == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    else if (ts_col == NULL)
      status = fr_error_set(err, FR_ERR_INVALID, "rule %s has no ts parameter", r->name);
    if (status == FR_OK)
      status = fr_segment_ranges(cx->store, main_t, ts_col, rg, err);
    int have_min = 0;
    int64_t newmin = 0;
    for (uint32_t s = 0; status == FR_OK && s < n_seg; s++) {
      is_new[s] = cx->opt->has_since ? (rg[s].has && rg[s].max_us >= cx->opt->since_us) : s >= main_known;
      if (is_new[s]) {
        res->rows_new += main_t->segments[s].info.n_rows;
        if (rg[s].has && (!have_min || rg[s].min_us < newmin)) {
          newmin = rg[s].min_us;
          have_min = 1;
        }
      }
    }
    if (status == FR_OK && !have_min) {
      if (cx->opt->has_since && res->rows_new == 0) {
        res->mode = FR_SCAN_UNCHANGED;
        snprintf(res->why, sizeof res->why, "no rows from --since on");
        fr_free(rg);
        fr_free(is_new);
        fr_free(keep_seg);
        return FR_OK;
      }
      mode = FR_SCAN_FULL;
      snprintf(res->why, sizeof res->why, "the new rows have no %s", ts_col);
    }
    int64_t c_us = 0;
    fr_view view;
    memset(&view, 0, sizeof view);
    if (status == FR_OK && mode == FR_SCAN_WINDOW) {
      c_us = fr_window_start(&lb, newmin);
      for (uint32_t s = 0; s < n_seg; s++) keep_seg[s] = is_new[s] || !rg[s].has || rg[s].max_us >= c_us;
      status = fr_view_build(&view, cx->store, main_idx, keep_seg, is_new, err);
    }
    if (status == FR_OK && mode == FR_SCAN_WINDOW) {
      res->rows_loaded = view.tables[main_idx].n_rows;
      status = fr_detect_run(&fnd, &view.store, r->detector, r->params, err);
      int64_t zone = c_us + lb.trust_us;
      if (status == FR_OK && (keep = fr_calloc(fnd->n ? fnd->n : 1, 1)) == NULL)
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      int cut = 0;
      for (uint32_t k = 0; status == FR_OK && k < fnd->n; k++) {
        const fr_finding *f = &fnd->items[k];
        if (f->has_ts && f->first_ts >= zone) {
          keep[k] = 1;
          continue;
        }
        /* starts before the exact zone: harmless unless it holds a new row */
        if (strcmp(fr_finding_table(fnd, f), main_t->name) == 0)
          for (uint32_t e = 0; e < f->n_evidence && !cut; e++) cut = fr_view_row_is_new(&view, f->evidence_rows[e]);
      }
      if (status == FR_OK && !cut) {
        char c_text[FR_VALUE_TEXT_CAP + 1];
        c_text[fr_format_timestamp(c_text, c_us)] = '\0';
        snprintf(res->why, sizeof res->why, "%llu new rows; window from %s", (unsigned long long)res->rows_new,
                 c_text);
        status = fr_merge(cx, r, fnd, keep, &view.store, 0, zone, res, err);
      } else if (status == FR_OK) {
        mode = FR_SCAN_FULL;
        snprintf(res->why, sizeof res->why, "a finding with new rows reaches past the look-back");
        res->n_found = 0;
      }
      fr_findings_destroy(fnd);
      fnd = NULL;
      fr_free(keep);
      keep = NULL;
    }
    fr_view_free(&view);
    fr_free(rg);
    fr_free(is_new);
    fr_free(keep_seg);
  }
  if (status == FR_OK && mode == FR_SCAN_FULL) {
    res->rows_loaded = main_t->n_rows;
    if (res->rows_new == 0) /* main_known is 0 unless the recorded prefix still holds */
      for (uint32_t s = main_known; s < main_t->n_segments; s++) res->rows_new += main_t->segments[s].info.n_rows;
    status = fr_detect_run(&fnd, cx->store, r->detector, r->params, err);
    if (status == FR_OK && (keep = fr_malloc(fnd->n ? fnd->n : 1)) == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    if (status == FR_OK) {
      memset(keep, 1, fnd->n ? fnd->n : 1);
      status = fr_merge(cx, r, fnd, keep, cx->store, 1, 0, res, err);
    }
    fr_findings_destroy(fnd);
    fr_free(keep);
  }
  res->mode = mode;
  res->seconds = fr_now_seconds() - t0;
  if (status != FR_OK)
    return fr_error_prefix(err, "rule [%s] (%s)", r->name, r->detector->name);
  /* the rule is now up to date with every table it reads */
  fr_rule_state *ns;
  FR_TRY(fr_fstore_rule_upsert(cx->fs, r->name, &ns, err));
  snprintf(ns->detector, sizeof ns->detector, "%s", r->detector->name);
  ns->fingerprint = r->fingerprint;
  ns->scan_seq = cx->seq;
  ns->n_tables = rt.n;
  for (uint32_t k = 0; k < rt.n; k++) {
    snprintf(ns->tables[k].name, FR_NAME_CAP, "%s", rt.names[k]);
    ns->tables[k].n_segments = tables[k]->n_segments;
    ns->tables[k].prefix_hash = fr_prefix_hash(tables[k], tables[k]->n_segments);
  }
  return FR_OK;
}

/* ---- the scan ----------------------------------------------------------------------- */

static fr_status fr_mkdirs(const char *path, fr_error *err) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
      return fr_error_set(err, FR_ERR_IO, "cannot create directory %s: %s", buf, strerror(errno));
    *p = '/';
  }
  if (mkdir(buf, 0755) != 0 && errno != EEXIST)
    return fr_error_set(err, FR_ERR_IO, "cannot create directory %s: %s", buf, strerror(errno));
  struct stat st;
  FR_FAIL_IF(stat(buf, &st) != 0 || !S_ISDIR(st.st_mode), FR_ERR_IO, err, "%s is not a directory", buf);
  return FR_OK;
}

fr_status fr_scan_run(fr_scan_result **out, const fr_scan_options *opt, fr_error *err) {
  *out = NULL;
  FR_FAIL_IF(opt->pack == NULL || opt->store_dir == NULL, FR_ERR_INVALID, err, "scan needs a store and a rule pack");
  struct stat sb;
  char probe[4096];
  snprintf(probe, sizeof probe, "%s/data", opt->store_dir);
  FR_FAIL_IF(stat(opt->store_dir, &sb) != 0 || !S_ISDIR(sb.st_mode), FR_ERR_NOTFOUND, err,
             "no store at %s (create one with `ferret ingest %s TABLE FILE`)", opt->store_dir, opt->store_dir);
  FR_FAIL_IF(stat(probe, &sb) != 0, FR_ERR_NOTFOUND, err, "%s is not a ferret store (no data/ directory)",
             opt->store_dir);
  fr_scan_result *res = fr_calloc(1, sizeof *res);
  FR_FAIL_IF(res == NULL, FR_ERR_NOMEM, err, "out of memory");
  res->rules = fr_calloc(opt->pack->n_rules ? opt->pack->n_rules : 1, sizeof *res->rules);
  if (res->rules == NULL) {
    fr_free(res);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  res->n_rules = opt->pack->n_rules;
  /* The writer lock: no ingest commits and no other scan runs until we finish. */
  fr_store *store = NULL;
  fr_status status = fr_store_open_writer(&store, opt->store_dir, 0, opt->wait, err);
  fr_fstore fs;
  fr_fstore_init(&fs);
  if (status == FR_OK) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/%s", store->dir, FR_FINDINGS_TMP);
    unlink(tmp); /* left by a scan killed while committing */
    status = fr_fstore_load(&fs, store->dir, err);
  }
  struct timeval tv;
  gettimeofday(&tv, NULL);
  fr_run_ctx cx = {opt, store, &fs, fs.n_scans + 1, (int64_t)tv.tv_sec * 1000000 + tv.tv_usec,
                   opt->rows_per_finding ? opt->rows_per_finding : 50};
  if (status == FR_OK) {
    res->scan_seq = cx.seq;
    res->store_version = store->manifest.version;
  }
  for (uint32_t k = 0; k < opt->pack->n_rules && status == FR_OK; k++) {
    res->rules[k].rule = &opt->pack->rules[k];
    status = fr_run_rule(&cx, &opt->pack->rules[k], &res->rules[k], err);
  }
  if (status == FR_OK) {
    for (uint32_t k = 0; k < fs.n; k++) {
      const fr_sfinding *f = &fs.items[k];
      res->n_new += f->is_new;
      res->n_updated += f->is_new && f->supersedes != NULL;
      res->n_open += f->open && !f->is_new;
      res->n_closed += f->closed_now;
    }
    if (fs.n_log == fs.cap_log) {
      uint32_t cap = fs.cap_log ? fs.cap_log * 2 : 64;
      fr_scan_log *log = fr_realloc(fs.log, cap * sizeof *log);
      if (log == NULL)
        status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
      else {
        fs.log = log;
        fs.cap_log = cap;
      }
    }
  }
  if (status == FR_OK) {
    fs.log[fs.n_log++] = (fr_scan_log){cx.seq, cx.now_us, res->store_version, res->n_new, res->n_open, res->n_closed};
    fs.n_scans = cx.seq;
    if (opt->out_dir != NULL)
      snprintf(res->out_dir, sizeof res->out_dir, "%s", opt->out_dir);
    else
      snprintf(res->out_dir, sizeof res->out_dir, "%s/report", store->dir);
    status = fr_mkdirs(res->out_dir, err);
  }
  if (status == FR_OK) {
    /* Report files first, findings store last: a kill in between reports the
     * same findings again on the next run rather than never. */
    fr_buf json, csv, html;
    fr_buf_init(&json);
    fr_buf_init(&csv);
    fr_buf_init(&html);
    fr_report_input in = {store->dir, opt->pack, res, &fs, cx.now_us, cx.rows_cap};
    fr_report_render(&in, &json, &csv, &html);
    status = fr_scan_write_atomic(res->out_dir, "findings.json", &json, err);
    if (status == FR_OK)
      status = fr_scan_write_atomic(res->out_dir, "findings.csv", &csv, err);
    if (status == FR_OK)
      status = fr_scan_write_atomic(res->out_dir, "report.html", &html, err);
    fr_buf_free(&json);
    fr_buf_free(&csv);
    fr_buf_free(&html);
  }
  if (status == FR_OK)
    status = fr_fstore_commit(&fs, store->dir, err);
  fr_fstore_free(&fs);
  fr_store_close(store);
  if (status != FR_OK) {
    fr_scan_result_destroy(res);
    return status;
  }
  *out = res;
  return FR_OK;
}
