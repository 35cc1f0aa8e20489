/* fr_detect_load.c - the detectors' column loader, string dictionary and sort.
 *
 * The loader reads only the columns a rule needs.  Row groups are decoded in
 * rounds of 2 x threads in parallel (each thread its own chunk buffers); numeric
 * columns are converted straight into the output arrays (disjoint row ranges),
 * string columns are interned afterwards in row order on one thread, so string
 * ids - and everything sorted by them - do not depend on the thread count.
 * Workload: 10^5..10^8 rows, a handful of columns; memory is the loaded columns
 * (8-9 bytes per row per numeric column, 4 per string column, the key texts)
 * plus one round of decoded row groups.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_detect_internal.h"
#include "fr_hash.h"
#include "fr_table.h"

/* ---- string dictionary ------------------------------------------------------ */

void fr_sdict_init(fr_sdict *d) { memset(d, 0, sizeof *d); }

void fr_sdict_free(fr_sdict *d) {
  fr_free(d->bytes);
  fr_free(d->offs);
  fr_free(d->lens);
  fr_free(d->hashes);
  fr_free(d->slots);
  memset(d, 0, sizeof *d);
}

static fr_status fr_sdict_grow_slots(fr_sdict *d) {
  uint32_t n_slots = d->n_slots ? d->n_slots * 2 : 1024;
  uint32_t *slots = fr_calloc(n_slots, sizeof *slots);
  if (slots == NULL)
    return FR_ERR_NOMEM;
  for (uint32_t id = 0; id < d->n; id++) {
    uint32_t s = (uint32_t)d->hashes[id] & (n_slots - 1);
    while (slots[s] != 0) s = (s + 1) & (n_slots - 1);
    slots[s] = id + 1;
  }
  fr_free(d->slots);
  d->slots = slots;
  d->n_slots = n_slots;
  return FR_OK;
}

uint32_t fr_sdict_lookup(const fr_sdict *d, const char *s, size_t len) {
  if (d->n_slots == 0)
    return FR_NOID;
  uint64_t h = fr_hash64(s, len, 0);
  for (uint32_t slot = (uint32_t)h & (d->n_slots - 1);; slot = (slot + 1) & (d->n_slots - 1)) {
    uint32_t e = d->slots[slot];
    if (e == 0)
      return FR_NOID;
    uint32_t id = e - 1;
    if (d->hashes[id] == h && d->lens[id] == len && memcmp(d->bytes + d->offs[id], s, len) == 0)
      return id;
  }
}

fr_status fr_sdict_intern(fr_sdict *d, const char *s, size_t len, uint32_t *out_id) {
  if (len > UINT32_MAX / 2)
    return FR_ERR_LIMIT;
  if ((uint64_t)(d->n + 1) * 2 > d->n_slots && fr_sdict_grow_slots(d) != FR_OK)
    return FR_ERR_NOMEM;
  uint64_t h = fr_hash64(s, len, 0);
  uint32_t slot = (uint32_t)h & (d->n_slots - 1);
  for (;; slot = (slot + 1) & (d->n_slots - 1)) {
    uint32_t e = d->slots[slot];
    if (e == 0)
      break;
    uint32_t id = e - 1;
    if (d->hashes[id] == h && d->lens[id] == len && memcmp(d->bytes + d->offs[id], s, len) == 0) {
      *out_id = id;
      return FR_OK;
    }
  }
  if (d->n == UINT32_MAX - 1)
    return FR_ERR_LIMIT;
  if (d->n == d->cap) {
    uint32_t cap = d->cap ? d->cap * 2 : 1024;
    uint64_t *offs = fr_realloc(d->offs, cap * sizeof *offs);
    if (offs == NULL) return FR_ERR_NOMEM;
    d->offs = offs;
    uint32_t *lens = fr_realloc(d->lens, cap * sizeof *lens);
    if (lens == NULL) return FR_ERR_NOMEM;
    d->lens = lens;
    uint64_t *hashes = fr_realloc(d->hashes, cap * sizeof *hashes);
    if (hashes == NULL) return FR_ERR_NOMEM;
    d->hashes = hashes;
    d->cap = cap;
  }
  if (d->n_bytes + len + 1 > d->cap_bytes) {
    size_t cap = d->cap_bytes ? d->cap_bytes * 2 : 65536;
    while (cap < d->n_bytes + len + 1) cap *= 2;
    char *bytes = fr_realloc(d->bytes, cap);
    if (bytes == NULL)
      return FR_ERR_NOMEM;
    d->bytes = bytes;
    d->cap_bytes = cap;
  }
  if (len > 0)
    memcpy(d->bytes + d->n_bytes, s, len);
  d->bytes[d->n_bytes + len] = '\0';
  uint32_t id = d->n++;
  d->offs[id] = d->n_bytes;
  d->lens[id] = (uint32_t)len;
  d->hashes[id] = h;
  d->n_bytes += len + 1;
  d->slots[slot] = id + 1;
  *out_id = id;
  return FR_OK;
}

/* ---- loader ------------------------------------------------------------------ */

typedef struct fr_load_unit {
  uint32_t seg, rg;
  uint64_t first_row;
  uint32_t n_rows;
} fr_load_unit;

typedef struct fr_load_slot {
  fr_column *columns;   /* one per loaded column */
  fr_buf stored, scratch;
  fr_status status;
  fr_error err;
} fr_load_slot;

static const char *fr_kind_expect(fr_lc_kind kind) {
  switch (kind) {
  case FR_LC_TS: return "timestamp or date";
  case FR_LC_DATE: return "date or timestamp";
  case FR_LC_AMOUNT: return "decimal(18,2) or int64";
  default: return "any";
  }
}

static int fr_kind_accepts(fr_lc_kind kind, fr_type type) {
  switch (kind) {
  case FR_LC_TS:
  case FR_LC_DATE: return type == FR_TYPE_TIMESTAMP || type == FR_TYPE_DATE;
  case FR_LC_AMOUNT: return type == FR_TYPE_DECIMAL || type == FR_TYPE_INT64;
  default: return 1;
  }
}

/* Converts one decoded numeric chunk into the output arrays at `first`. */
static void fr_convert_numeric(fr_lcol *lc, const fr_column *col, uint64_t first) {
  for (uint32_t r = 0; r < col->n_rows; r++) {
    int ok = fr_column_is_valid(col, r);
    int64_t v = col->i64[r];
    switch (lc->kind) {
    case FR_LC_TS:
      if (col->type == FR_TYPE_DATE) {
        if (v > INT64_MAX / FR_US_PER_DAY || v < INT64_MIN / FR_US_PER_DAY) ok = 0;
        else v *= FR_US_PER_DAY;
      }
      break;
    case FR_LC_DATE:
      if (col->type == FR_TYPE_TIMESTAMP)
        v = fr_day_of_ts(v);
      break;
    case FR_LC_AMOUNT:
      if (col->type == FR_TYPE_INT64) {
        if (v > FR_DECIMAL_MAX_CENTS / 100 || v < -FR_DECIMAL_MAX_CENTS / 100) ok = 0;
        else v *= 100;
      }
      break;
    default: break;
    }
    lc->valid[first + r] = (uint8_t)ok;
    lc->i64[first + r] = ok ? v : 0;
  }
}

/* Text of row r of a decoded column (any type); returns its length, or -1 for NULL. */
static long fr_cell_text(const fr_column *col, uint32_t r, char *buf, const char **out) {
  if (!fr_column_is_valid(col, r))
    return -1;
  if (col->type == FR_TYPE_STRING) {
    uint32_t len;
    *out = fr_column_str(col, r, &len);
    return (long)len;
  }
  *out = buf;
  return (long)fr_format_value(buf, col->type, col->i64 != NULL ? col->i64[r] : 0,
                               col->f64 != NULL ? col->f64[r] : 0.0);
}

static fr_status fr_convert_strings(fr_lcol *lc, const fr_column *col, uint64_t first, fr_sdict *dict,
                                    size_t *key_len, size_t *key_cap, fr_error *err) {
  char buf[FR_VALUE_TEXT_CAP + 1];
  char norm[4096];
  for (uint32_t r = 0; r < col->n_rows; r++) {
    const char *s = NULL;
    long len = fr_cell_text(col, r, buf, &s);
    if (lc->kind == FR_LC_KEY) {
      size_t l = len < 0 ? 0 : (size_t)len;
      if (*key_len + l + 1 > *key_cap) {
        size_t cap = *key_cap ? *key_cap * 2 : 1 << 20;
        while (cap < *key_len + l + 1) cap *= 2;
        char *bytes = fr_realloc(lc->key_bytes, cap);
        if (bytes == NULL)
          return fr_error_set(err, FR_ERR_NOMEM, "out of memory loading keys");
        lc->key_bytes = bytes;
        *key_cap = cap;
      }
      lc->key_off[first + r] = *key_len;
      if (l > 0)
        memcpy(lc->key_bytes + *key_len, s, l);
      lc->key_bytes[*key_len + l] = '\0';
      *key_len += l + 1;
      continue;
    }
    uint32_t id = FR_NOID;
    if (len >= 0 && lc->kind == FR_LC_INVOICE) {
      size_t n = 0;
      for (long k = 0; k < len && n < sizeof norm; k++) {
        char c = s[k];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) norm[n++] = c;
      }
      s = norm;
      len = n == 0 ? -1 : (long)n;
    }
    if (len >= 0) {
      fr_status status = fr_sdict_intern(dict, s, (size_t)len, &id);
      if (status != FR_OK)
        return fr_error_set(err, status, "out of memory interning strings");
    }
    lc->sid[first + r] = id;
  }
  if (lc->kind == FR_LC_KEY)
    lc->key_off[first + col->n_rows] = *key_len;
  return FR_OK;
}

void fr_ltable_free(fr_ltable *t) {
  for (uint32_t c = 0; c < t->n_cols; c++) {
    fr_lcol *lc = &t->cols[c];
    fr_free(lc->i64);
    fr_free(lc->sid);
    fr_free(lc->valid);
    fr_free(lc->key_off);
    fr_free(lc->key_bytes);
    lc->i64 = NULL;
    lc->sid = NULL;
    lc->valid = NULL;
    lc->key_off = NULL;
    lc->key_bytes = NULL;
    lc->present = 0;
  }
  t->n_rows = 0;
}

fr_status fr_ltable_load(fr_ltable *t, const fr_store *store, const fr_detect_params *p, const char *table_param,
                         fr_lcol *cols, uint32_t n_cols, fr_sdict *dict, fr_error *err) {
  memset(t, 0, sizeof *t);
  t->cols = cols;
  t->n_cols = n_cols;
  const char *table_name = fr_dp_s(p, table_param);
  const fr_table_meta *table;
  fr_status status = fr_table_find(store, table_name, &table, err);
  if (status != FR_OK)
    return fr_error_prefix(err, "%s (set the table with --set %s=NAME): ", p->d->name, table_param);
  snprintf(t->name, sizeof t->name, "%s", table->name);
  int col_idx[64];
  FR_FAIL_IF(n_cols > 64, FR_ERR_INVALID, err, "too many columns");
  for (uint32_t c = 0; c < n_cols; c++) {
    fr_lcol *lc = &cols[c];
    const char *name = fr_dp_s(p, lc->param);
    col_idx[c] = fr_schema_find(&table->schema, name, strlen(name));
    lc->present = 0;
    if (col_idx[c] < 0) {
      if (lc->optional && !fr_dp(p, lc->param)->set)
        continue;
      char list[600] = "";
      size_t used = 0;
      for (uint32_t k = 0; k < table->schema.n_columns && used + 1 < sizeof list; k++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", table->schema.columns[k].name);
        used += n > 0 ? (size_t)n : 0;
      }
      return fr_error_set(err, FR_ERR_NOTFOUND,
                          "%s: table %s has no column \"%s\" for parameter %s; name the column with --set %s=COLUMN "
                          "(columns: %s)",
                          p->d->name, table->name, name, lc->param, lc->param, list);
    }
    fr_type type = table->schema.columns[col_idx[c]].type;
    if (!fr_kind_accepts(lc->kind, type))
      return fr_error_set(err, FR_ERR_INVALID, "%s: column %s.%s (parameter %s) is %s; %s expects %s", p->d->name,
                          table->name, name, lc->param, fr_type_name(type), p->d->name, fr_kind_expect(lc->kind));
    lc->present = 1;
  }
  const uint64_t n_rows = table->n_rows;
  t->n_rows = n_rows;
  size_t n_alloc = n_rows ? (size_t)n_rows : 1;
  for (uint32_t c = 0; c < n_cols; c++) {
    fr_lcol *lc = &cols[c];
    if (!lc->present)
      continue;
    int ok = 1;
    switch (lc->kind) {
    case FR_LC_KEY:
      ok = (lc->key_off = fr_calloc(n_alloc + 1, sizeof *lc->key_off)) != NULL &&
           (lc->key_bytes = fr_calloc(1, 1)) != NULL;
      break;
    case FR_LC_SID:
    case FR_LC_INVOICE: ok = (lc->sid = fr_malloc(n_alloc * sizeof *lc->sid)) != NULL; break;
    default:
      ok = (lc->i64 = fr_malloc(n_alloc * sizeof *lc->i64)) != NULL &&
           (lc->valid = fr_malloc(n_alloc)) != NULL;
      break;
    }
    if (!ok) {
      fr_ltable_free(t);
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory loading %s (%llu rows)", table->name,
                          (unsigned long long)n_rows);
    }
  }
  if (n_rows == 0)
    return FR_OK;

  /* open every segment and list the row groups with their first row */
  fr_segment **segs = fr_calloc(table->n_segments ? table->n_segments : 1, sizeof *segs);
  size_t n_units = 0, cap_units = 0;
  fr_load_unit *units = NULL;
  int n_slots = 2 * omp_get_max_threads();
  fr_load_slot *slots = fr_calloc((size_t)n_slots, sizeof *slots);
  size_t key_len = 0, key_cap = 0;
  uint64_t row = 0;
  if (segs == NULL || slots == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  for (uint32_t s = 0; s < table->n_segments && status == FR_OK; s++) {
    const fr_segment_record *rec = &table->segments[s];
    char path[4096];
    fr_store_path(store, rec->file, path, sizeof path);
    status = fr_segment_open(&segs[s], path, &rec->info, err);
    if (status != FR_OK) {
      fr_error_prefix(err, "table %s: ", table->name);
      break;
    }
    if (fr_segment_schema(segs[s])->n_columns != table->schema.n_columns) {
      status = fr_error_set(err, FR_ERR_CORRUPT, "table %s: segment %s has %u columns, the table %u", table->name,
                            rec->file, fr_segment_schema(segs[s])->n_columns, table->schema.n_columns);
      break;
    }
    for (uint32_t rg = 0; rg < fr_segment_n_row_groups(segs[s]); rg++) {
      if (n_units == cap_units) {
        cap_units = cap_units ? cap_units * 2 : 64;
        fr_load_unit *u = fr_realloc(units, cap_units * sizeof *u);
        if (u == NULL) {
          status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
          break;
        }
        units = u;
      }
      uint32_t rows = fr_segment_rowgroup_rows(segs[s], rg);
      units[n_units++] = (fr_load_unit){s, rg, row, rows};
      row += rows;
    }
  }
  if (status == FR_OK && row != n_rows)
    status = fr_error_set(err, FR_ERR_CORRUPT, "table %s: the segments hold %llu rows, the manifest %llu",
                          table->name, (unsigned long long)row, (unsigned long long)n_rows);
  for (int s = 0; s < n_slots && status == FR_OK; s++)
    if ((slots[s].columns = fr_calloc(n_cols, sizeof(fr_column))) == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");

  for (size_t round = 0; round < n_units && status == FR_OK; round += (size_t)n_slots) {
    int in_round = (int)(n_units - round < (size_t)n_slots ? n_units - round : (size_t)n_slots);
#pragma omp parallel for schedule(dynamic, 1)
    for (int s = 0; s < in_round; s++) {
      fr_load_slot *slot = &slots[s];
      const fr_load_unit *u = &units[round + (size_t)s];
      slot->status = FR_OK;
      fr_error_clear(&slot->err);
      for (uint32_t c = 0; c < n_cols && slot->status == FR_OK; c++) {
        if (!cols[c].present)
          continue;
        slot->status = fr_segment_read_chunk(segs[u->seg], u->rg, (uint32_t)col_idx[c], &slot->columns[c],
                                             &slot->stored, &slot->scratch, &slot->err);
        if (slot->status == FR_OK && slot->columns[c].n_rows != u->n_rows)
          slot->status = fr_error_set(&slot->err, FR_ERR_CORRUPT, "row group %u of a segment holds %u rows, not %u",
                                      u->rg, slot->columns[c].n_rows, u->n_rows);
        if (slot->status == FR_OK && (cols[c].kind == FR_LC_TS || cols[c].kind == FR_LC_DATE ||
                                      cols[c].kind == FR_LC_AMOUNT))
          fr_convert_numeric(&cols[c], &slot->columns[c], u->first_row);
      }
    }
    for (int s = 0; s < in_round && status == FR_OK; s++) {
      if (slots[s].status != FR_OK) {
        status = fr_error_set(err, slots[s].status, "table %s: %s", table->name, slots[s].err.msg);
        break;
      }
      const fr_load_unit *u = &units[round + (size_t)s];
      for (uint32_t c = 0; c < n_cols && status == FR_OK; c++) {
        fr_lcol *lc = &cols[c];
        if (lc->present && (lc->kind == FR_LC_KEY || lc->kind == FR_LC_SID || lc->kind == FR_LC_INVOICE))
          status = fr_convert_strings(lc, &slots[s].columns[c], u->first_row, dict, &key_len, &key_cap, err);
      }
    }
  }
  for (int s = 0; slots != NULL && s < n_slots; s++) {
    for (uint32_t c = 0; slots[s].columns != NULL && c < n_cols; c++)
      fr_column_free(&slots[s].columns[c]);
    fr_free(slots[s].columns);
    fr_buf_free(&slots[s].stored);
    fr_buf_free(&slots[s].scratch);
  }
  fr_free(slots);
  for (uint32_t s = 0; segs != NULL && s < table->n_segments; s++)
    if (segs[s] != NULL)
      fr_segment_close(segs[s]);
  fr_free(segs);
  fr_free(units);
  if (status != FR_OK)
    fr_ltable_free(t);
  return status;
}

/* ---- sorting ------------------------------------------------------------------ */

static inline int fr_srec_less(const fr_srec *x, const fr_srec *y) {
  if (x->a != y->a) return x->a < y->a;
  if (x->b != y->b) return x->b < y->b;
  if (x->c != y->c) return x->c < y->c;
  return x->row < y->row;
}

static int fr_srec_cmp(const void *pa, const void *pb) {
  const fr_srec *x = pa, *y = pb;
  return fr_srec_less(y, x) - fr_srec_less(x, y);
}

/* Sorts runs in parallel with qsort, then merges pairs of runs: the result is the
 * unique order by (a, b, c, row), whatever the thread count. */
fr_status fr_srec_sort(fr_srec *recs, size_t n, fr_error *err) {
  int n_runs = omp_get_max_threads();
  if (n < 65536 || n_runs < 2) {
    qsort(recs, n, sizeof *recs, fr_srec_cmp);
    return FR_OK;
  }
  if (n_runs > 64) n_runs = 64;
  size_t bounds[65];
  for (int r = 0; r <= n_runs; r++) bounds[r] = n * (size_t)r / (size_t)n_runs;
#pragma omp parallel for schedule(static, 1)
  for (int r = 0; r < n_runs; r++)
    qsort(recs + bounds[r], bounds[r + 1] - bounds[r], sizeof *recs, fr_srec_cmp);
  fr_srec *tmp = fr_malloc(n * sizeof *tmp);
  FR_FAIL_IF(tmp == NULL, FR_ERR_NOMEM, err, "out of memory sorting %zu rows", n);
  fr_srec *src = recs, *dst = tmp;
  for (int width = 1; width < n_runs; width *= 2) {
    int n_pairs = (n_runs + 2 * width - 1) / (2 * width);
#pragma omp parallel for schedule(dynamic, 1)
    for (int pr = 0; pr < n_pairs; pr++) {
      int r0 = pr * 2 * width;
      int r1 = r0 + width < n_runs ? r0 + width : n_runs;
      int r2 = r0 + 2 * width < n_runs ? r0 + 2 * width : n_runs;
      size_t x = bounds[r0], xe = bounds[r1], y = bounds[r1], ye = bounds[r2], o = bounds[r0];
      while (x < xe && y < ye) dst[o++] = fr_srec_less(&src[y], &src[x]) ? src[y++] : src[x++];
      while (x < xe) dst[o++] = src[x++];
      while (y < ye) dst[o++] = src[y++];
    }
    fr_srec *sw = src;
    src = dst;
    dst = sw;
  }
  if (src != recs)
    memcpy(recs, src, n * sizeof *recs);
  fr_free(tmp);
  return FR_OK;
}

/* ---- kernel working set ----------------------------------------------------------- */

fr_status fr_dctx_open(fr_dctx *cx, const fr_store *store, const fr_detect_params *p, fr_lcol *cols,
                       uint32_t n_cols, int key_idx, int ts_idx, fr_error *err) {
  memset(cx, 0, sizeof *cx);
  cx->p = p;
  fr_sdict_init(&cx->dict);
  fr_buf_init(&cx->json);
  fr_status status = fr_ltable_load(&cx->t, store, p, "payments", cols, n_cols, &cx->dict, err);
  if (status == FR_OK)
    status = fr_fbuild_init(&cx->fb, p, &cx->t, &cols[key_idx], ts_idx >= 0 ? &cols[ts_idx] : NULL, err);
  return status;
}

fr_status fr_dctx_close(fr_dctx *cx, fr_status status, fr_findings **out, fr_error *err) {
  *out = NULL;
  if (cx->fb.f != NULL) {
    if (status == FR_OK)
      status = fr_fbuild_finish(&cx->fb, out, err);
    else
      fr_findings_destroy(cx->fb.f);
    cx->fb.f = NULL;
  }
  fr_ltable_free(&cx->t);
  fr_sdict_free(&cx->dict);
  fr_buf_free(&cx->json);
  return status;
}
