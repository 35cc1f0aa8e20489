/* fr_detect_load.c - the detectors' column loader, string dictionary and sort.
 *
 * The loader reads only the columns a rule needs.  Row groups are decoded in
 * rounds of 2 x threads in parallel (each thread its own chunk buffers); numeric
 * columns are converted straight into the output arrays (disjoint row ranges).
 * String chunks come as dictionary codes where the segment dictionary-encoded
 * them: each row group's distinct strings are hashed (and normalised) in
 * parallel, then interned on one thread in first-seen row order (so string ids -
 * and everything sorted by them - do not depend on the thread count; n_dict
 * lookups per row group, not n_rows), then rows are mapped to ids in parallel.
 * The rounds are pipelined (OpenMP tasks): one round interns while the next one
 * decodes, so the serial interning overlaps the parallel decoding.
 * A GROUP column (case ids: millions of distinct keys compared only with each
 * other) is not interned: each row group's distinct strings are kept, and
 * after the last round they are numbered in parallel by hash partition
 * (fr_group_assign).
 * A lazy key column is not read: fr_lkey_fetch reads only the row groups that
 * hold the rows asked for (the evidence rows), in parallel.  An amount column
 * with a range, a string column that must be a member of an earlier load's
 * dictionary (a semi-join) or equal to another column of the row (same_as), or
 * a timestamp column with a test selects rows (late materialisation): row groups whose
 * zone map lies outside a range are skipped, the others decode the predicate
 * columns first, and the table keeps only the passing rows (in input order), so
 * the other columns are converted - and their strings hashed and interned - for
 * those rows only.  Predicates combine with AND, except those marked select_or,
 * of which a row needs one.
 * A timestamp column can also report the latest and earliest values of the
 * whole table from the zone maps (want_max), so a rule that loads a few rows
 * still knows them, and a rule that loads every row needs no pass for them.
 * A plain string chunk stored in frames, of which a predicate kept at most a
 * sixteenth of the rows, is decoded for those rows only.
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
  uint32_t *slots = fr_calloc_dense(n_slots, sizeof *slots); /* probed at random */
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

/* fr_sdict_intern with h = fr_hash64(s, len, 0) already computed. */
static fr_status fr_sdict_intern_h(fr_sdict *d, const char *s, size_t len, uint64_t h, uint32_t *out_id) {
  if (len > UINT32_MAX / 2)
    return FR_ERR_LIMIT;
  if ((uint64_t)(d->n + 1) * 2 > d->n_slots && fr_sdict_grow_slots(d) != FR_OK)
    return FR_ERR_NOMEM;
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
    uint32_t cap = d->cap ? d->cap * 2 : 1024; /* read at random by the probes: fr_regrow */
    uint64_t *offs = fr_regrow(d->offs, d->n * sizeof *offs, cap * sizeof *offs);
    if (offs == NULL) return FR_ERR_NOMEM;
    d->offs = offs;
    uint32_t *lens = fr_regrow(d->lens, d->n * sizeof *lens, cap * sizeof *lens);
    if (lens == NULL) return FR_ERR_NOMEM;
    d->lens = lens;
    uint64_t *hashes = fr_regrow(d->hashes, d->n * sizeof *hashes, cap * sizeof *hashes);
    if (hashes == NULL) return FR_ERR_NOMEM;
    d->hashes = hashes;
    d->cap = cap;
  }
  if (d->n_bytes + len + 1 > d->cap_bytes) {
    size_t cap = d->cap_bytes ? d->cap_bytes * 2 : 65536;
    while (cap < d->n_bytes + len + 1) cap *= 2;
    char *bytes = fr_regrow(d->bytes, d->n_bytes, cap);
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

fr_status fr_sdict_intern(fr_sdict *d, const char *s, size_t len, uint32_t *out_id) {
  if (len > UINT32_MAX / 2)
    return FR_ERR_LIMIT;
  return fr_sdict_intern_h(d, s, len, fr_hash64(s, len, 0), out_id);
}

/* ---- loader ------------------------------------------------------------------ */

typedef struct fr_load_unit {
  uint32_t seg, rg;
  uint64_t first_row;   /* in the stored table */
  uint32_t n_rows;      /* stored rows */
  int skip;             /* the zone map puts it outside a needed amount range */
  uint64_t out_first;   /* its first row in the loaded table */
  uint32_t n_sel;       /* rows it keeps */
  uint32_t *sel;        /* the rows it keeps (unit-relative, ascending); NULL = all */
  /* values of numeric predicate columns converted while selecting, for the kept
   * rows (per column, NULL = decode it again): loading does not decode them twice */
  int64_t **pre_i64;
  uint8_t **pre_valid;
} fr_load_unit;

/* Frees a unit's values converted while selecting (n_cols columns). */
static void fr_unit_free_pre(fr_load_unit *u, uint32_t n_cols) {
  for (uint32_t c = 0; c < n_cols; c++) {
    if (u->pre_i64 != NULL)
      fr_free(u->pre_i64[c]);
    if (u->pre_valid != NULL)
      fr_free(u->pre_valid[c]);
  }
  fr_free(u->pre_i64);
  fr_free(u->pre_valid);
  u->pre_i64 = NULL;
  u->pre_valid = NULL;
}

/* Unit-relative stored row of the unit's i-th kept row. */
static inline uint32_t fr_unit_row(const fr_load_unit *u, uint32_t i) { return u->sel != NULL ? u->sel[i] : i; }

static void fr_units_free(fr_load_unit *units, size_t n) {
  for (size_t k = 0; units != NULL && k < n; k++) fr_free(units[k].sel);
  fr_free(units);
}

/* Where a table's lazy key texts are read from (fr_lkey_fetch). */
struct fr_lsrc {
  const fr_store *store;
  const fr_table_meta *table;
  fr_load_unit *units;
  size_t n_units;
  int col_idx[64];
  /* the table's segments, left open by the load when there are few (at most
   * FR_LSRC_OPEN_SEGMENTS; else NULL and each fetch opens its own): opening one
   * reads and checks its footer, which cost more than the few keys a row group
   * gives (30-40 ms of a 10M-row detector's 200).  Reads are preads: shared by
   * the threads. */
  fr_segment **segs;
  uint32_t n_segs;
};

#define FR_LSRC_OPEN_SEGMENTS 64

/* One string chunk made ready for interning (built in parallel, per row group):
 * its distinct entries (the chunk's dictionary, or one per row) with their texts
 * and hashes, each row's entry, and the entries in first-seen row order. */
typedef struct fr_strprep {
  uint32_t n_ent, cap_ent;
  uint64_t *off;        /* per entry: text at base + off */
  uint32_t *len;        /* per entry; UINT32_MAX = NULL */
  uint64_t *hash;
  uint32_t *map;        /* per entry: global id (after interning) */
  uint32_t *order;      /* entries in first-seen order */
  uint32_t n_order;
  uint32_t *code;       /* per row: entry, UINT32_MAX = NULL */
  uint32_t cap_rows;
  const char *base;
  char *nbuf;           /* texts made here (normalised / formatted) */
  size_t nbuf_len, nbuf_cap;
} fr_strprep;

typedef struct fr_load_slot {
  fr_column *columns;   /* one per loaded column */
  fr_strprep *prep;     /* one per loaded column */
  fr_buf stored, scratch;
  fr_status status;
  fr_error err;
} fr_load_slot;

static void fr_strprep_free(fr_strprep *sp) {
  fr_free(sp->off);
  fr_free(sp->len);
  fr_free(sp->hash);
  fr_free(sp->map);
  fr_free(sp->order);
  fr_free(sp->code);
  fr_free(sp->nbuf);
  memset(sp, 0, sizeof *sp);
}

static int fr_strprep_reserve(fr_strprep *sp, uint32_t n_ent, uint32_t n_rows) {
  if (n_ent > sp->cap_ent) {
    uint32_t cap = n_ent;
    uint64_t *off = fr_realloc(sp->off, (size_t)cap * sizeof *off);
    if (off == NULL) return 0;
    sp->off = off;
    uint32_t *len = fr_realloc(sp->len, (size_t)cap * sizeof *len);
    if (len == NULL) return 0;
    sp->len = len;
    uint64_t *hash = fr_realloc(sp->hash, (size_t)cap * sizeof *hash);
    if (hash == NULL) return 0;
    sp->hash = hash;
    uint32_t *map = fr_realloc(sp->map, (size_t)cap * sizeof *map);
    if (map == NULL) return 0;
    sp->map = map;
    uint32_t *order = fr_realloc(sp->order, (size_t)cap * sizeof *order);
    if (order == NULL) return 0;
    sp->order = order;
    sp->cap_ent = cap;
  }
  if (n_rows > sp->cap_rows) {
    uint32_t *code = fr_realloc(sp->code, (size_t)n_rows * sizeof *code);
    if (code == NULL) return 0;
    sp->code = code;
    sp->cap_rows = n_rows;
  }
  return 1;
}

static int fr_strprep_append(fr_strprep *sp, const char *s, size_t len) {
  if (sp->nbuf_len + len + 1 > sp->nbuf_cap) {
    size_t cap = sp->nbuf_cap ? sp->nbuf_cap * 2 : 65536;
    while (cap < sp->nbuf_len + len + 1) cap *= 2;
    char *b = fr_realloc(sp->nbuf, cap);
    if (b == NULL) return 0;
    sp->nbuf = b;
    sp->nbuf_cap = cap;
  }
  if (len > 0)
    memcpy(sp->nbuf + sp->nbuf_len, s, len);
  sp->nbuf_len += len;
  return 1;
}

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

/* Value of row r of a decoded numeric chunk in lc's unit (cents, microseconds,
 * days) into *out; 0 when NULL or out of range. */
static int fr_numeric_value(const fr_lcol *lc, const fr_column *col, uint32_t r, int64_t *out) {
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
  *out = ok ? v : 0;
  return ok;
}

/* Converts the kept rows of one decoded numeric chunk into the output arrays. */
static void fr_convert_numeric(fr_lcol *lc, const fr_column *col, const fr_load_unit *u) {
  const int same_unit = (lc->kind == FR_LC_TS && col->type == FR_TYPE_TIMESTAMP) ||
                        (lc->kind == FR_LC_DATE && col->type == FR_TYPE_DATE) ||
                        (lc->kind == FR_LC_AMOUNT && col->type == FR_TYPE_DECIMAL);
  if (same_unit && u->sel == NULL) { /* every row, nothing to convert: a copy (a NULL's value reads 0) */
    int64_t *out = lc->i64 + u->out_first;
    uint8_t *valid = lc->valid + u->out_first;
    memcpy(out, col->i64, (size_t)u->n_sel * sizeof *out);
    if (col->validity == NULL) {
      memset(valid, 1, u->n_sel);
      return;
    }
    for (uint32_t i = 0; i < u->n_sel; i++) {
      valid[i] = (uint8_t)((col->validity[i >> 3] >> (i & 7)) & 1);
      out[i] = valid[i] ? out[i] : 0;
    }
    return;
  }
  for (uint32_t i = 0; i < u->n_sel; i++) {
    int64_t v;
    int ok = fr_numeric_value(lc, col, fr_unit_row(u, i), &v);
    lc->valid[u->out_first + i] = (uint8_t)ok;
    lc->i64[u->out_first + i] = v;
  }
}

/* Text of row r of a decoded column (any type, dictionary chunks included);
 * returns its length, or -1 for NULL. */
static long fr_cell_text(const fr_column *col, uint32_t r, char *buf, const char **out) {
  if (!fr_column_is_valid(col, r))
    return -1;
  if (col->type == FR_TYPE_STRING) {
    if (col->has_dict) {
      uint32_t code = col->dict_codes[r];
      *out = col->dict_bytes + col->dict_offsets[code];
      return (long)(col->dict_offsets[code + 1] - col->dict_offsets[code]);
    }
    uint32_t len;
    *out = fr_column_str(col, r, &len);
    return (long)len;
  }
  *out = buf;
  return (long)fr_format_value(buf, col->type, col->i64 != NULL ? col->i64[r] : 0,
                               col->f64 != NULL ? col->f64[r] : 0.0);
}

/* Normalised invoice text of s[0..len) into norm (capacity 4096); -1 when empty. */
static long fr_norm_invoice(const char *s, long len, char *norm) {
  size_t n = 0;
  for (long k = 0; k < len && n < 4096; k++) {
    char c = s[k];
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) norm[n++] = c;
  }
  return n == 0 ? -1 : (long)n;
}

/* Builds sp from a decoded SID / INVOICE chunk for the unit's kept rows (thread
 * safe: own buffers only): code[i] is the entry of kept row i.  Only the entries
 * the kept rows use are normalised and hashed. */
static int fr_strprep_build(fr_strprep *sp, const fr_lcol *lc, const fr_column *col, const fr_load_unit *u) {
  const uint32_t n = u->n_sel;
  const int dict = col->type == FR_TYPE_STRING && col->has_dict;
  const int own = lc->kind == FR_LC_INVOICE || col->type != FR_TYPE_STRING;
  const uint32_t n_ent = dict ? col->n_dict : n;
  sp->n_ent = n_ent;
  sp->n_order = 0;
  sp->nbuf_len = 0;
  if (!fr_strprep_reserve(sp, n_ent ? n_ent : 1, n ? n : 1))
    return 0;
  /* each kept row's entry: its dictionary code, or (no dictionary) the row itself */
  for (uint32_t i = 0; i < n; i++) {
    uint32_t r = fr_unit_row(u, i);
    sp->code[i] = !fr_column_is_valid(col, r) ? UINT32_MAX : dict ? col->dict_codes[r] : i;
  }
  /* the entries in first-seen order (map doubles as the seen mark) */
  memset(sp->map, 0, (size_t)(n_ent ? n_ent : 1) * sizeof *sp->map);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t e = sp->code[i];
    if (e != UINT32_MAX && sp->map[e] == 0) {
      sp->map[e] = 1;
      sp->order[sp->n_order++] = e;
    }
  }
  /* their texts and hashes; an entry left empty by invoice normalisation is NULL */
  char buf[FR_VALUE_TEXT_CAP + 1];
  char norm[4096];
  uint32_t n_kept = 0;
  for (uint32_t k = 0; k < sp->n_order; k++) {
    const uint32_t e = sp->order[k];
    const uint32_t r = dict ? 0 : fr_unit_row(u, e);
    const char *s = NULL;
    long len;
    if (dict) {
      s = col->dict_bytes + col->dict_offsets[e];
      len = (long)(col->dict_offsets[e + 1] - col->dict_offsets[e]);
    } else {
      len = fr_cell_text(col, r, buf, &s);
    }
    if (len >= 0 && lc->kind == FR_LC_INVOICE) {
      len = fr_norm_invoice(s, len, norm);
      s = norm;
    }
    if (len < 0) {
      sp->len[e] = UINT32_MAX;
      continue;
    }
    if (own) {
      sp->off[e] = sp->nbuf_len;
      if (!fr_strprep_append(sp, s, (size_t)len))
        return 0;
    } else {
      sp->off[e] = dict ? col->dict_offsets[e] : col->str_offsets[r];
    }
    sp->len[e] = (uint32_t)len;
    sp->hash[e] = fr_hash64(s, (size_t)len, 0);
    sp->order[n_kept++] = e;
  }
  if (n_kept != sp->n_order) {
    sp->n_order = n_kept;
    for (uint32_t i = 0; i < n; i++)
      if (sp->code[i] != UINT32_MAX && sp->len[sp->code[i]] == UINT32_MAX)
        sp->code[i] = UINT32_MAX;
  }
  sp->base = own ? sp->nbuf : dict ? col->dict_bytes : col->str_bytes;
  if (sp->base == NULL)
    sp->base = "";
  return 1;
}

/* Grows key_bytes of a KEY column (eager or lazy) to hold `more` bytes past
 * key_len (doubling).  Returns 0 when out of memory. */
static int fr_key_reserve(fr_lcol *lc, size_t more) {
  if (lc->key_len + more <= lc->key_cap)
    return 1;
  size_t cap = lc->key_cap ? lc->key_cap * 2 : 1 << 20;
  while (cap < lc->key_len + more) cap *= 2;
  char *bytes = fr_realloc(lc->key_bytes, cap);
  if (bytes == NULL)
    return 0;
  lc->key_bytes = bytes;
  lc->key_cap = cap;
  return 1;
}

/* Appends the key texts of the unit's kept rows of a decoded chunk (eager KEY
 * column). */
static fr_status fr_convert_keys(fr_lcol *lc, const fr_column *col, const fr_load_unit *u, fr_error *err) {
  char buf[FR_VALUE_TEXT_CAP + 1];
  const uint64_t first = u->out_first;
  for (uint32_t r = 0; r < u->n_sel; r++) {
    const char *s = NULL;
    long len = fr_cell_text(col, fr_unit_row(u, r), buf, &s);
    size_t l = len < 0 ? 0 : (size_t)len;
    if (!fr_key_reserve(lc, l + 1))
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory loading keys");
    lc->key_off[first + r] = lc->key_len;
    if (l > 0)
      memcpy(lc->key_bytes + lc->key_len, s, l);
    lc->key_bytes[lc->key_len + l] = '\0';
    lc->key_len += l + 1;
  }
  lc->key_off[first + u->n_sel] = lc->key_len;
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
    fr_free(lc->grp_off);
    fr_free(lc->grp_bytes);
    lc->grp_off = NULL;
    lc->grp_bytes = NULL;
    lc->n_groups = 0;
    lc->key_len = lc->key_cap = 0;
    lc->i64 = NULL;
    lc->sid = NULL;
    lc->valid = NULL;
    lc->key_off = NULL;
    lc->key_bytes = NULL;
    lc->present = 0;
  }
  if (t->src != NULL) {
    for (uint32_t s = 0; t->src->segs != NULL && s < t->src->n_segs; s++)
      if (t->src->segs[s] != NULL)
        fr_segment_close(t->src->segs[s]);
    fr_free(t->src->segs);
    fr_free(t->src); /* its units are t's */
    t->src = NULL;
  }
  fr_units_free(t->units, t->n_units);
  t->units = NULL;
  t->n_units = 0;
  t->n_rows = 0;
}

static int fr_is_str_kind(fr_lc_kind kind) {
  return kind == FR_LC_SID || kind == FR_LC_INVOICE || kind == FR_LC_GROUP;
}

/* Zone map test: 1 when row group `rg` certainly holds no amount in lc's range. */
static int fr_unit_outside(const fr_lcol *lc, fr_segment *seg, uint32_t rg, uint32_t col_idx, fr_type type,
                           uint32_t n_rows) {
  const fr_chunk_meta *m = fr_segment_chunk(seg, rg, col_idx);
  if (m == NULL)
    return 0;
  if (!(m->stats_flags & FR_STATS_HAS_MINMAX))
    return m->null_count == n_rows; /* every amount NULL */
  fr_dx128 lo = m->min_i64, hi = m->max_i64;
  if (type == FR_TYPE_INT64) { /* units: cents are x 100 (out-of-range values read as NULL) */
    lo *= 100;
    hi *= 100;
  } else if (type != FR_TYPE_DECIMAL) {
    return 0;
  }
  return hi < (fr_dx128)lc->range_lo || lo > (fr_dx128)lc->range_hi;
}

/* 1 when lc selects rows: an amount range, a dictionary to be a member of, or a
 * timestamp test. */
static int fr_has_pred(const fr_lcol *lc) {
  return lc->present && ((lc->kind == FR_LC_AMOUNT && lc->has_range) ||
                         (lc->kind == FR_LC_SID && (lc->member_of != NULL || lc->same_as > 0)) ||
                         (lc->kind == FR_LC_TS && lc->keep_ts != NULL));
}

/* Records row r's test result `in`: a plain predicate (mark NULL) keeps the row
 * in the list (sel[*kept], counted when it passes), an OR-ed one marks it. */
static inline void fr_sel_note(uint32_t *sel, uint32_t *kept, uint8_t *mark, uint32_t r, int in) {
  if (mark != NULL) {
    mark[r] |= (uint8_t)in;
  } else {
    sel[*kept] = r;
    *kept += (uint32_t)in;
  }
}

/* Applies a same_as predicate to the listed rows sel[0..*n) of two decoded
 * chunks a and b (a row passes when both texts are present and equal); plain or
 * OR-ed as fr_pred_rows.  When both chunks are dictionary-coded with small
 * dictionaries (a quarter of the rows together), each of b's entries is matched
 * to a's entry with the same text first (a table of a's entries in sp), so a row
 * costs one lookup; otherwise rows compare texts.  Returns 0 when out of memory. */
static int fr_pred_same(const fr_column *a, const fr_column *b, uint32_t *sel, uint32_t *n, uint8_t *mark,
                        fr_strprep *sp) {
  const int dict = a->type == FR_TYPE_STRING && a->has_dict && b->type == FR_TYPE_STRING && b->has_dict &&
                   ((uint64_t)a->n_dict + b->n_dict) * 4 <= *n;
  uint32_t *match = NULL; /* per entry of b: the entry of a with its text, UINT32_MAX none */
  if (dict) {
    uint32_t n_slots = 16;
    while (n_slots < 2 * (a->n_dict + 1)) n_slots *= 2;
    if (!fr_strprep_reserve(sp, n_slots + b->n_dict, 1))
      return 0;
    uint32_t *slots = sp->map; /* entry of a + 1, 0 = empty */
    match = sp->order;
    memset(slots, 0, (size_t)n_slots * sizeof *slots);
    for (uint32_t e = 0; e < a->n_dict; e++) {
      const uint32_t len = a->dict_offsets[e + 1] - a->dict_offsets[e];
      uint32_t h = (uint32_t)fr_hash64(a->dict_bytes + a->dict_offsets[e], len, 0);
      while (slots[h & (n_slots - 1)] != 0) h++;
      slots[h & (n_slots - 1)] = e + 1;
    }
    for (uint32_t e = 0; e < b->n_dict; e++) {
      const char *t = b->dict_bytes + b->dict_offsets[e];
      const uint32_t len = b->dict_offsets[e + 1] - b->dict_offsets[e];
      match[e] = UINT32_MAX;
      for (uint32_t h = (uint32_t)fr_hash64(t, len, 0);; h++) {
        const uint32_t x = slots[h & (n_slots - 1)];
        if (x == 0)
          break;
        if (a->dict_offsets[x] - a->dict_offsets[x - 1] == len &&
            memcmp(a->dict_bytes + a->dict_offsets[x - 1], t, len) == 0) {
          match[e] = x - 1;
          break;
        }
      }
    }
  }
  char abuf[FR_VALUE_TEXT_CAP + 1], bbuf[FR_VALUE_TEXT_CAP + 1];
  uint32_t kept = 0;
  if (dict && mark == NULL) {
    /* the common case, branch-free: a NULL row's code is still an entry's */
    const uint32_t *ac = a->dict_codes, *bc = b->dict_codes;
    for (uint32_t i = 0; i < *n; i++) {
      const uint32_t r = sel[i];
      sel[kept] = r;
      kept += (uint32_t)(fr_column_is_valid(a, r) & fr_column_is_valid(b, r) & (match[bc[r]] == ac[r]));
    }
    *n = kept;
    return 1;
  }
  for (uint32_t i = 0; i < *n; i++) {
    const uint32_t r = sel[i];
    int in;
    if (!fr_column_is_valid(a, r) || !fr_column_is_valid(b, r)) {
      in = 0;
    } else if (dict) {
      in = match[b->dict_codes[r]] == a->dict_codes[r];
    } else {
      const char *x = NULL, *y = NULL;
      long lx = fr_cell_text(a, r, abuf, &x), ly = fr_cell_text(b, r, bbuf, &y);
      in = lx == ly && memcmp(x, y, (size_t)lx) == 0;
    }
    fr_sel_note(sel, &kept, mark, r, in);
  }
  if (mark == NULL)
    *n = kept;
  return 1;
}

/* Applies lc's predicate to the listed rows sel[0..*n) of a decoded chunk: a plain
 * predicate (mark NULL) keeps the passing rows in the list; an OR-ed one sets
 * mark[row] for them.  sp is scratch (a member_of test per dictionary entry).
 * Returns 0 when out of memory. */
static int fr_pred_rows(const fr_lcol *lc, const fr_column *col, uint32_t *sel, uint32_t *n, uint8_t *mark,
                        fr_strprep *sp) {
  uint32_t kept = 0;
  if (lc->kind == FR_LC_AMOUNT && col->type == FR_TYPE_DECIMAL && mark == NULL) {
    /* the common range on cents: no conversion, one branch-free test a row */
    const int64_t *v = col->i64, lo = lc->range_lo, hi = lc->range_hi;
    for (uint32_t i = 0; i < *n; i++) {
      const uint32_t r = sel[i];
      sel[kept] = r;
      kept += (uint32_t)(fr_column_is_valid(col, r) & (v[r] >= lo) & (v[r] <= hi));
    }
  } else if (lc->kind == FR_LC_AMOUNT || lc->kind == FR_LC_TS) {
    for (uint32_t i = 0; i < *n; i++) {
      int64_t v;
      int in = fr_numeric_value(lc, col, sel[i], &v) &&
               (lc->kind == FR_LC_TS ? lc->keep_ts(v, lc->keep_ctx) : v >= lc->range_lo && v <= lc->range_hi);
      fr_sel_note(sel, &kept, mark, sel[i], in);
    }
  } else { /* SID member_of: per dictionary entry when the chunk has one, else per row */
    const int dict = col->type == FR_TYPE_STRING && col->has_dict;
    uint8_t *in_dict = NULL;
    if (dict) {
      if (!fr_strprep_reserve(sp, col->n_dict ? col->n_dict : 1, 1))
        return 0;
      in_dict = (uint8_t *)sp->order; /* scratch of n_dict bytes at least */
      for (uint32_t e = 0; e < col->n_dict; e++) {
        const char *s = col->dict_bytes + col->dict_offsets[e];
        in_dict[e] = fr_sdict_lookup(lc->member_of, s, col->dict_offsets[e + 1] - col->dict_offsets[e]) != FR_NOID;
      }
    }
    char buf[FR_VALUE_TEXT_CAP + 1];
    for (uint32_t i = 0; i < *n; i++) {
      const uint32_t r = sel[i];
      int in;
      if (!fr_column_is_valid(col, r)) {
        in = 0;
      } else if (dict) {
        in = in_dict[col->dict_codes[r]];
      } else {
        const char *s = NULL;
        long len = fr_cell_text(col, r, buf, &s);
        in = len >= 0 && fr_sdict_lookup(lc->member_of, s, (size_t)len) != FR_NOID;
      }
      fr_sel_note(sel, &kept, mark, r, in);
    }
  }
  if (mark == NULL)
    *n = kept;
  return 1;
}

/* ---- GROUP columns ---------------------------------------------------------- */

/* A GROUP column's strings of one unit, kept past its round (the round's slot is
 * reused): its distinct entries in first-seen order with their hashes and texts,
 * and each kept row's entry. */
typedef struct fr_gunit {
  uint32_t n_ent;
  uint64_t *hash;     /* per entry */
  uint64_t *off;      /* n_ent + 1: entry e is bytes[off[e], off[e + 1]) */
  char *bytes;
  uint32_t *row_ent;  /* per kept row: its entry, UINT32_MAX = NULL */
  uint32_t *gid;      /* per entry: id within its hash partition, then as fr_group_assign says */
} fr_gunit;

static void fr_gunit_free(fr_gunit *g) {
  fr_free(g->hash);
  fr_free(g->off);
  fr_free(g->bytes);
  fr_free(g->row_ent);
  fr_free(g->gid);
  memset(g, 0, sizeof *g);
}

/* Copies a prepared chunk's entries (first-seen order) and row entries into g
 * (sp->map is used as scratch).  Returns 0 when out of memory. */
static int fr_gunit_build(fr_gunit *g, fr_strprep *sp, uint32_t n_rows) {
  const uint32_t n = sp->n_order;
  size_t total = 0;
  for (uint32_t k = 0; k < n; k++) total += sp->len[sp->order[k]];
  g->n_ent = n;
  g->hash = fr_malloc((n ? n : 1) * sizeof *g->hash);
  g->off = fr_malloc(((size_t)n + 1) * sizeof *g->off);
  g->bytes = fr_malloc(total ? total : 1);
  g->row_ent = fr_malloc((n_rows ? n_rows : 1) * sizeof *g->row_ent);
  g->gid = fr_malloc((n ? n : 1) * sizeof *g->gid);
  if (g->hash == NULL || g->off == NULL || g->bytes == NULL || g->row_ent == NULL || g->gid == NULL)
    return 0;
  size_t at = 0;
  for (uint32_t k = 0; k < n; k++) {
    const uint32_t e = sp->order[k];
    sp->map[e] = k;
    g->hash[k] = sp->hash[e];
    g->off[k] = at;
    memcpy(g->bytes + at, sp->base + sp->off[e], sp->len[e]);
    at += sp->len[e];
  }
  g->off[n] = at;
  for (uint32_t i = 0; i < n_rows; i++) g->row_ent[i] = sp->code[i] == UINT32_MAX ? UINT32_MAX : sp->map[sp->code[i]];
  return 1;
}

/* An entry of a GROUP column as its hash partition holds it. */
typedef struct fr_gref {
  uint64_t hash;
  uint32_t unit, ent;
  uint32_t len;        /* text bytes; FR_GREF_FIRST set: the first occurrence */
  uint32_t gid;        /* id within the partition */
} fr_gref;
#define FR_GREF_FIRST 0x80000000u

/* Numbers the texts of GROUP column c (lc) from every unit's fr_gunit (g[u *
 * n_cols + c]) and writes the kept rows' ids.  The entries (hash, length, where
 * they are) are scattered by the top bits of their hash into partitions of a
 * few thousand, each in (unit, entry) order; one thread deduplicates a
 * partition in a table that fits in cache, reading the texts only to confirm a
 * hash match; id = the partition's first id + the order of first occurrence
 * within it.  Each unit then copies the texts it holds first occurrences of.
 * Errors: FR_ERR_NOMEM, FR_ERR_LIMIT (more than 2^31 - 2 groups, or a text of
 * 2 GiB). */
static fr_status fr_group_assign(fr_lcol *lc, fr_gunit *g, uint32_t c, uint32_t n_cols, const fr_load_unit *units,
                                 size_t n_units, fr_error *err) {
  size_t n_ent = 0;
  for (size_t u = 0; u < n_units; u++) n_ent += g[u * n_cols + c].n_ent;
  int bits = 0; /* partitions of ~2048 entries, at most 2^16, and at most 4M (partition, unit) cells */
  while (bits < 16 && ((size_t)2048 << bits) < n_ent && ((size_t)2 << bits) * n_units <= ((size_t)1 << 22)) bits++;
  const size_t n_parts = (size_t)1 << bits;
#define FR_GPART(h) (bits ? (size_t)((h) >> (64 - bits)) : 0)
  uint64_t *cell = fr_calloc(n_parts * n_units + 1, sizeof *cell); /* [p * n_units + u]: count, then start */
  fr_gref *refs = fr_malloc((n_ent ? n_ent : 1) * sizeof *refs);   /* partition-major */
  uint64_t *gbase = fr_calloc(n_parts + 1, sizeof *gbase), *bbase = fr_calloc(n_parts + 1, sizeof *bbase);
  fr_status status = FR_OK;
  int failed = 0;
  if (cell == NULL || refs == NULL || gbase == NULL || bbase == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory numbering %zu strings", n_ent);
    goto done;
  }
#pragma omp parallel for schedule(dynamic, 1) reduction(| : failed)
  for (int64_t u = 0; u < (int64_t)n_units; u++) {
    const fr_gunit *gu = &g[(size_t)u * n_cols + c];
    for (uint32_t k = 0; k < gu->n_ent; k++) {
      cell[FR_GPART(gu->hash[k]) * n_units + (size_t)u]++;
      failed |= gu->off[k + 1] - gu->off[k] >= FR_GREF_FIRST;
    }
  }
  if (failed) {
    status = fr_error_set(err, FR_ERR_LIMIT, "column %s holds a text of 2 GiB or more", lc->param);
    goto done;
  }
  uint64_t at = 0;
  for (size_t x = 0; x < n_parts * n_units; x++) {
    uint64_t k = cell[x];
    cell[x] = at;
    at += k;
  }
  cell[n_parts * n_units] = at;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : failed)
  for (int64_t u = 0; u < (int64_t)n_units; u++) { /* unit u owns cells [p * n_units + u] */
    const fr_gunit *gu = &g[(size_t)u * n_cols + c];
    if (gu->n_ent == 0)
      continue;
    uint64_t *next = fr_malloc(n_parts * sizeof *next);
    if (next == NULL) {
      failed = 1;
      continue;
    }
    for (size_t p = 0; p < n_parts; p++) next[p] = cell[p * n_units + (size_t)u];
    for (uint32_t k = 0; k < gu->n_ent; k++) {
      const uint64_t h = gu->hash[k];
      refs[next[FR_GPART(h)]++] = (fr_gref){h, (uint32_t)u, k, (uint32_t)(gu->off[k + 1] - gu->off[k]), 0};
    }
    fr_free(next);
  }
  if (failed) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory numbering %zu strings", n_ent);
    goto done;
  }
  failed = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : failed)
  for (int64_t p = 0; p < (int64_t)n_parts; p++) {
    const uint64_t a = cell[(size_t)p * n_units], b = cell[((size_t)p + 1) * n_units];
    uint32_t size = 16;
    while (size < 2 * (b - a)) size *= 2;
    uint32_t *slot = fr_calloc(size, sizeof *slot); /* ref index - a + 1, 0 = empty */
    if (slot == NULL) {
      failed = 1;
      continue;
    }
    uint32_t n_local = 0;
    uint64_t n_bytes = 0;
    for (uint64_t x = a; x < b; x++) {
      fr_gref *r = &refs[x];
      uint32_t s = (uint32_t)r->hash & (size - 1);
      for (;; s = (s + 1) & (size - 1)) {
        if (slot[s] == 0) {
          slot[s] = (uint32_t)(x - a + 1);
          r->gid = n_local++;
          n_bytes += (uint64_t)r->len + 1;
          r->len |= FR_GREF_FIRST;
          break;
        }
        const fr_gref *q = &refs[a + slot[s] - 1];
        if (q->hash != r->hash || (q->len & ~FR_GREF_FIRST) != r->len)
          continue;
        const fr_gunit *gq = &g[(size_t)q->unit * n_cols + c], *gr = &g[(size_t)r->unit * n_cols + c];
        if (memcmp(gq->bytes + gq->off[q->ent], gr->bytes + gr->off[r->ent], r->len) == 0) {
          r->gid = q->gid;
          break;
        }
      }
    }
    fr_free(slot);
    gbase[p + 1] = n_local;
    bbase[p + 1] = n_bytes;
  }
  if (failed) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory numbering %zu strings", n_ent);
    goto done;
  }
  for (size_t p = 0; p < n_parts; p++) {
    gbase[p + 1] += gbase[p];
    bbase[p + 1] += bbase[p];
  }
  if (gbase[n_parts] >= UINT32_MAX - 1) {
    status = fr_error_set(err, FR_ERR_LIMIT, "column %s holds more than 2^32 - 2 distinct texts", lc->param);
    goto done;
  }
  lc->n_groups = (uint32_t)gbase[n_parts];
  lc->grp_off = fr_malloc(((size_t)lc->n_groups + 1) * sizeof *lc->grp_off);
  lc->grp_bytes = fr_malloc((size_t)bbase[n_parts] + 1);
  if (lc->grp_off == NULL || lc->grp_bytes == NULL) {
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory numbering %zu strings", n_ent);
    goto done;
  }
  lc->grp_off[lc->n_groups] = bbase[n_parts];
  lc->grp_bytes[bbase[n_parts]] = '\0';
  /* where each text goes: a partition's first occurrences, in id order */
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t p = 0; p < (int64_t)n_parts; p++) {
    uint64_t w = bbase[p];
    for (uint64_t x = cell[(size_t)p * n_units]; x < cell[((size_t)p + 1) * n_units]; x++) {
      if (!(refs[x].len & FR_GREF_FIRST))
        continue;
      lc->grp_off[gbase[p] + refs[x].gid] = w;
      w += (refs[x].len & ~FR_GREF_FIRST) + 1;
    }
  }
  /* per unit: its entries' ids, the texts it holds first, its rows' ids */
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t u = 0; u < (int64_t)n_units; u++) {
    fr_gunit *gu = &g[(size_t)u * n_cols + c];
    for (size_t p = 0; p < n_parts && gu->n_ent > 0; p++) {
      for (uint64_t x = cell[p * n_units + (size_t)u]; x < cell[p * n_units + (size_t)u + 1]; x++) {
        const fr_gref *r = &refs[x];
        const uint32_t id = (uint32_t)gbase[p] + r->gid;
        gu->gid[r->ent] = id;
        if (r->len & FR_GREF_FIRST) {
          const uint32_t len = r->len & ~FR_GREF_FIRST;
          memcpy(lc->grp_bytes + lc->grp_off[id], gu->bytes + gu->off[r->ent], len);
          lc->grp_bytes[lc->grp_off[id] + len] = '\0';
        }
      }
    }
    uint32_t *out = lc->sid + units[u].out_first;
    for (uint32_t i = 0; i < units[u].n_sel; i++) {
      const uint32_t e = gu->row_ent[i];
      out[i] = e == UINT32_MAX ? FR_NOID : gu->gid[e];
    }
  }
#undef FR_GPART
done:
  fr_free(cell);
  fr_free(refs);
  fr_free(gbase);
  fr_free(bbase);
  return status;
}

/* Decodes the loaded columns of unit u into slot: numbers converted into the
 * output arrays, strings hashed for interning (fr_strprep).  Records a failure in
 * slot->status / slot->err.  Runs in parallel with other units' decodes. */
static void fr_load_decode(fr_load_slot *slot, const fr_load_unit *u, fr_lcol *cols, uint32_t n_cols,
                           fr_segment **segs, const int *col_idx, fr_gunit *gu) {
  slot->status = FR_OK;
  fr_error_clear(&slot->err);
  for (uint32_t c = 0; c < n_cols && slot->status == FR_OK && u->n_sel > 0; c++) {
    fr_lcol *lc = &cols[c];
    if (!lc->present || lc->lazy)
      continue;
    if (u->pre_i64 != NULL && u->pre_i64[c] != NULL) { /* converted while selecting */
      memcpy(lc->i64 + u->out_first, u->pre_i64[c], (size_t)u->n_sel * sizeof *lc->i64);
      memcpy(lc->valid + u->out_first, u->pre_valid[c], u->n_sel);
      continue;
    }
    fr_column *col = &slot->columns[c];
    /* a plain string chunk stored in frames, or a dictionary chunk, when a
     * predicate kept few of the unit's rows (F12's large amounts): only those
     * rows are decoded (inflating only their frames; reading only their codes
     * and entries, so only their strings are interned); the column then holds
     * the kept rows in order, so the strings are prepared as a unit keeping all */
    const fr_chunk_meta *meta = fr_segment_chunk(segs[u->seg], u->rg, (uint32_t)col_idx[c]);
    if (fr_is_str_kind(lc->kind) && u->sel != NULL && u->n_sel <= u->n_rows / 16 &&
        fr_segment_schema(segs[u->seg])->columns[col_idx[c]].type == FR_TYPE_STRING && meta != NULL &&
        (meta->compression == FR_COMP_ZSTD_FRAMES || meta->encoding == FR_ENC_DICT_STR)) {
      col->want_dict = 0;
      slot->status = fr_segment_read_str_rows(segs[u->seg], u->rg, (uint32_t)col_idx[c], u->sel, u->n_sel, col,
                                              &slot->stored, &slot->scratch, &slot->err);
      if (slot->status != FR_OK)
        break;
      fr_load_unit kept = *u;
      kept.sel = NULL;
      if (!fr_strprep_build(&slot->prep[c], lc, col, &kept) ||
          (lc->kind == FR_LC_GROUP && !fr_gunit_build(&gu[c], &slot->prep[c], u->n_sel)))
        slot->status = fr_error_set(&slot->err, FR_ERR_NOMEM, "out of memory interning strings");
      continue;
    }
    col->want_dict = fr_is_str_kind(lc->kind);
    slot->status = fr_segment_read_chunk(segs[u->seg], u->rg, (uint32_t)col_idx[c], col, &slot->stored,
                                         &slot->scratch, &slot->err);
    if (slot->status == FR_OK && col->n_rows != u->n_rows)
      slot->status = fr_error_set(&slot->err, FR_ERR_CORRUPT, "row group %u of a segment holds %u rows, not %u",
                                  u->rg, col->n_rows, u->n_rows);
    if (slot->status != FR_OK)
      break;
    if (lc->kind == FR_LC_TS || lc->kind == FR_LC_DATE || lc->kind == FR_LC_AMOUNT)
      fr_convert_numeric(lc, col, u);
    else if (fr_is_str_kind(lc->kind) &&
             (!fr_strprep_build(&slot->prep[c], lc, col, u) ||
              (lc->kind == FR_LC_GROUP && !fr_gunit_build(&gu[c], &slot->prep[c], u->n_sel))))
      slot->status = fr_error_set(&slot->err, FR_ERR_NOMEM, "out of memory interning strings");
  }
}

/* Interns the strings of a decoded round (slots[0..in_round) holding units[0..)),
 * chunk by chunk in row order (ids in first-seen order whatever the thread
 * count), and converts eager key columns.  One thread at a time.  Errors: a
 * slot's decode failure, FR_ERR_NOMEM. */
static fr_status fr_load_intern(const char *table_name, fr_load_slot *slots, const fr_load_unit *units,
                                int in_round, fr_lcol *cols, uint32_t n_cols, fr_sdict *dict, fr_error *err) {
  fr_status status = FR_OK;
  for (int s = 0; s < in_round && status == FR_OK; s++) {
    if (slots[s].status != FR_OK)
      return fr_error_set(err, slots[s].status, "table %s: %s", table_name, slots[s].err.msg);
    const fr_load_unit *u = &units[s];
    for (uint32_t c = 0; c < n_cols && status == FR_OK && u->n_sel > 0; c++) {
      fr_lcol *lc = &cols[c];
      if (!lc->present)
        continue;
      if (lc->kind == FR_LC_KEY && !lc->lazy) {
        status = fr_convert_keys(lc, &slots[s].columns[c], u, err);
      } else if (fr_is_str_kind(lc->kind) && lc->kind != FR_LC_GROUP) { /* GROUP: fr_group_assign */
        fr_strprep *sp = &slots[s].prep[c];
        for (uint32_t k = 0; k < sp->n_order && status == FR_OK; k++) {
          uint32_t e = sp->order[k];
          /* the probes are cache misses: the slot of the entry 8 ahead is
           * fetched while this one is interned */
          if (k + 8 < sp->n_order && dict->n_slots != 0)
            __builtin_prefetch(&dict->slots[(uint32_t)sp->hash[sp->order[k + 8]] & (dict->n_slots - 1)]);
          status = fr_sdict_intern_h(dict, sp->base + sp->off[e], sp->len[e], sp->hash[e], &sp->map[e]);
          if (status != FR_OK)
            status = fr_error_set(err, status, "out of memory interning strings");
        }
      }
    }
  }
  return status;
}

/* Writes the string ids of unit u's kept rows from its interned chunk. */
static void fr_load_map(const fr_load_slot *slot, const fr_load_unit *u, fr_lcol *cols, uint32_t n_cols) {
  for (uint32_t c = 0; c < n_cols && u->n_sel > 0; c++) {
    fr_lcol *lc = &cols[c];
    if (!lc->present || !fr_is_str_kind(lc->kind) || lc->kind == FR_LC_GROUP)
      continue;
    const fr_strprep *sp = &slot->prep[c];
    uint32_t *out = lc->sid + u->out_first;
    for (uint32_t i = 0; i < u->n_sel; i++) {
      uint32_t e = sp->code[i];
      out[i] = e == UINT32_MAX ? FR_NOID : sp->map[e];
    }
  }
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
  int any_lazy = 0;
  for (uint32_t c = 0; c < n_cols; c++) {
    fr_lcol *lc = &cols[c];
    const char *name = fr_dp_s(p, lc->param);
    col_idx[c] = fr_schema_find(&table->schema, name, strlen(name));
    lc->present = 0;
    lc->has_max = 0;
    lc->max_ts = 0;
    lc->min_ts = 0;
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
    FR_FAIL_IF(lc->lazy && (lc->kind != FR_LC_KEY && lc->kind != FR_LC_TS), FR_ERR_INVALID, err,
               "%s: column %s: only key and timestamp columns load lazily", p->d->name, lc->param);
    FR_FAIL_IF(lc->lazy && lc->keep_ts != NULL, FR_ERR_INVALID, err,
               "%s: column %s: a lazy timestamp cannot select rows", p->d->name, lc->param);
    if (lc->lazy)
      any_lazy = 1;
  }
  for (uint32_t c = 0; c < n_cols; c++) {
    const fr_lcol *lc = &cols[c];
    FR_FAIL_IF(lc->present && lc->same_as > 0 &&
                   (lc->kind != FR_LC_SID || lc->member_of != NULL || lc->same_as > n_cols || lc->same_as - 1 == c ||
                    !cols[lc->same_as - 1].present),
               FR_ERR_INVALID, err, "%s: column %s cannot be compared with column %s", p->d->name, lc->param,
               lc->same_as > 0 && lc->same_as <= n_cols ? cols[lc->same_as - 1].param : "?");
  }
  const uint64_t n_rows = table->n_rows;
  int any_range = 0;
  for (uint32_t c = 0; c < n_cols; c++)
    any_range |= fr_has_pred(&cols[c]);
  if (any_lazy) {
    t->src = fr_calloc(1, sizeof *t->src);
    if (t->src == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    t->src->store = store;
    t->src->table = table;
    memcpy(t->src->col_idx, col_idx, sizeof col_idx);
  }

  /* open every segment and list the row groups with their first row */
  fr_segment **segs = fr_calloc(table->n_segments ? table->n_segments : 1, sizeof *segs);
  size_t n_units = 0, cap_units = 0;
  fr_load_unit *units = NULL;
  int n_slots = 2 * omp_get_max_threads(); /* row groups per round; two rounds' slots */
  fr_load_slot *slots = fr_calloc(2 * (size_t)n_slots, sizeof *slots);
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
      for (uint32_t c = 0; c < n_cols && status == FR_OK; c++) {
        fr_lcol *lc = &cols[c];
        if (!lc->present || lc->kind != FR_LC_TS || !lc->want_max)
          continue;
        const fr_chunk_meta *m = fr_segment_chunk(segs[s], rg, (uint32_t)col_idx[c]);
        if (m == NULL) {
          status = fr_error_set(err, FR_ERR_CORRUPT, "table %s: segment %s lacks the zone map of column %s",
                                table->name, rec->file, fr_dp_s(p, lc->param));
          break;
        }
        if (!(m->stats_flags & FR_STATS_HAS_MINMAX))
          continue; /* every value NULL */
        int64_t v = m->max_i64, lo = m->min_i64;
        if (table->schema.columns[col_idx[c]].type == FR_TYPE_DATE) {
          /* a date that does not fit reads as NULL; ingest writes no such date
           * (years 1 to 9999) */
          const int64_t fits = INT64_MAX / FR_US_PER_DAY;
          if (v > fits || v < -fits || lo > fits || lo < -fits)
            continue;
          v *= FR_US_PER_DAY;
          lo *= FR_US_PER_DAY;
        }
        if (!lc->has_max || v > lc->max_ts)
          lc->max_ts = v;
        if (!lc->has_max || lo < lc->min_ts)
          lc->min_ts = lo;
        lc->has_max = 1;
      }
      if (status != FR_OK)
        break;
      int skip = 0;
      for (uint32_t c = 0; c < n_cols && !skip; c++)
        if (cols[c].present && cols[c].kind == FR_LC_AMOUNT && cols[c].has_range && !cols[c].select_or)
          skip = fr_unit_outside(&cols[c], segs[s], rg, (uint32_t)col_idx[c],
                                 table->schema.columns[col_idx[c]].type, rows);
      units[n_units++] = (fr_load_unit){s, rg, row, rows, skip, row, skip ? 0 : rows, NULL, NULL, NULL};
      row += rows;
    }
  }
  if (status == FR_OK && row != n_rows)
    status = fr_error_set(err, FR_ERR_CORRUPT, "table %s: the segments hold %llu rows, the manifest %llu",
                          table->name, (unsigned long long)row, (unsigned long long)n_rows);
  for (int s = 0; s < 2 * n_slots && status == FR_OK; s++)
    if ((slots[s].columns = fr_calloc(n_cols, sizeof(fr_column))) == NULL ||
        (slots[s].prep = fr_calloc(n_cols, sizeof(fr_strprep))) == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");

  /* the rows to keep: with predicates (amount ranges, member_of), each row
   * group's predicate columns decoded first and its passing rows listed (in
   * parallel) */
  if (status == FR_OK && any_range) {
    int failed = 0;
    fr_error perr;
    fr_error_clear(&perr);
#pragma omp parallel
    {
      fr_load_slot *slot = &slots[omp_get_thread_num() % n_slots];
      fr_column *col = &slot->columns[0];
      fr_error terr;
      fr_error_clear(&terr);
      uint32_t *sel = NULL; /* this thread's list of passing rows; a unit keeps a copy */
      uint32_t cap_sel = 0;
      uint32_t *pre_rows[64] = {NULL}, pre_n[64] = {0}, pre_cap[64] = {0}; /* per column: the rows it kept */
#pragma omp for schedule(dynamic, 1)
      for (int64_t x = 0; x < (int64_t)n_units; x++) {
        fr_load_unit *u = &units[x];
        if (failed || u->n_sel == 0)
          continue;
        fr_status st = FR_OK;
        if (u->n_rows > cap_sel) {
          fr_free(sel);
          cap_sel = u->n_rows;
          if ((sel = fr_malloc((size_t)cap_sel * sizeof *sel)) == NULL)
            cap_sel = 0;
        }
        uint8_t *mark = NULL;
        uint32_t n_sel = u->n_rows;
        if (sel == NULL)
          st = fr_error_set(&terr, FR_ERR_NOMEM, "out of memory selecting rows");
        for (uint32_t r = 0; st == FR_OK && r < n_sel; r++) sel[r] = r;
        /* plain predicates narrow the list in turn; OR-ed ones mark rows, and the
         * list keeps the marked rows after the last of them */
        int any_or = 0;
        for (uint32_t c = 0; c < n_cols && st == FR_OK; c++)
          any_or |= fr_has_pred(&cols[c]) && cols[c].select_or;
        if (any_or && st == FR_OK && (mark = fr_calloc(u->n_rows, 1)) == NULL)
          st = fr_error_set(&terr, FR_ERR_NOMEM, "out of memory selecting rows");
        /* a timestamp test (a call per row) goes after the others, which
         * usually leave it fewer rows (F8: 26% of the payments are large) */
        for (int pass = 0; pass < 2 && st == FR_OK && n_sel > 0; pass++) {
          for (uint32_t cc = 0; cc < 2 * n_cols && st == FR_OK && n_sel > 0; cc++) {
            const uint32_t c = cc % n_cols;
            const fr_lcol *lc = &cols[c];
            if (!fr_has_pred(lc) || (lc->select_or != 0) != pass || (lc->keep_ts != NULL) != (cc >= n_cols))
              continue;
            /* a same_as test decodes the other column into the second buffer */
            for (int side = 0; side < 1 + (lc->same_as > 0) && st == FR_OK; side++) {
              fr_column *into = &slot->columns[side];
              const uint32_t ci = side ? lc->same_as - 1 : c;
              into->want_dict = lc->member_of != NULL || lc->same_as > 0;
              st = fr_segment_read_chunk(segs[u->seg], u->rg, (uint32_t)col_idx[ci], into, &slot->stored,
                                         &slot->scratch, &terr);
              if (st == FR_OK && into->n_rows != u->n_rows)
                st = fr_error_set(&terr, FR_ERR_CORRUPT, "row group %u of a segment holds %u rows, not %u",
                                  u->rg, into->n_rows, u->n_rows);
            }
            if (st == FR_OK && (lc->same_as > 0 ? !fr_pred_same(&slot->columns[1], col, sel, &n_sel,
                                                                pass ? mark : NULL, &slot->prep[0])
                                                : !fr_pred_rows(lc, col, sel, &n_sel, pass ? mark : NULL,
                                                                &slot->prep[0])))
              st = fr_error_set(&terr, FR_ERR_NOMEM, "out of memory selecting rows");
            /* a plain numeric predicate's values for the rows it kept, with those
             * rows (pre_rows, this thread's), so loading need not decode it again */
            if (st == FR_OK && pass == 0 && n_sel > 0 && (lc->kind == FR_LC_AMOUNT || lc->kind == FR_LC_TS)) {
              if (u->pre_i64 == NULL && ((u->pre_i64 = fr_calloc(n_cols, sizeof *u->pre_i64)) == NULL ||
                                         (u->pre_valid = fr_calloc(n_cols, sizeof *u->pre_valid)) == NULL))
                st = fr_error_set(&terr, FR_ERR_NOMEM, "out of memory selecting rows");
              if (st == FR_OK && u->n_rows > pre_cap[c]) {
                fr_free(pre_rows[c]);
                pre_cap[c] = (pre_rows[c] = fr_malloc((size_t)u->n_rows * sizeof **pre_rows)) != NULL ? u->n_rows : 0;
              }
              if (st == FR_OK && ((u->pre_i64[c] = fr_malloc((size_t)n_sel * sizeof **u->pre_i64)) == NULL ||
                                  (u->pre_valid[c] = fr_malloc(n_sel)) == NULL || pre_rows[c] == NULL))
                st = fr_error_set(&terr, FR_ERR_NOMEM, "out of memory selecting rows");
              for (uint32_t i = 0; st == FR_OK && i < n_sel; i++) {
                int64_t v;
                u->pre_valid[c][i] = (uint8_t)fr_numeric_value(lc, col, sel[i], &v);
                u->pre_i64[c][i] = v;
                pre_rows[c][i] = sel[i];
              }
              pre_n[c] = n_sel;
            }
          }
          if (pass == 1 && any_or && st == FR_OK) {
            uint32_t kept = 0;
            for (uint32_t i = 0; i < n_sel; i++) {
              sel[kept] = sel[i];
              kept += mark[sel[i]];
            }
            n_sel = kept;
          }
        }
        fr_free(mark);
        /* the kept values, in kept-row order: the kept rows are a subsequence
         * of the rows each column tested */
        for (uint32_t c = 0; st == FR_OK && u->pre_i64 != NULL && c < n_cols; c++) {
          if (u->pre_i64[c] == NULL)
            continue;
          uint32_t k = 0;
          for (uint32_t i = 0; st == FR_OK && i < n_sel; i++) {
            while (k + 1 < pre_n[c] && pre_rows[c][k] != sel[i]) k++;
            u->pre_i64[c][i] = u->pre_i64[c][k];
            u->pre_valid[c][i] = u->pre_valid[c][k];
          }
        }
        if (st != FR_OK)
          fr_unit_free_pre(u, n_cols);
        u->n_sel = n_sel;
        if (st == FR_OK && n_sel > 0 && n_sel < u->n_rows) {
          if ((u->sel = fr_malloc((size_t)n_sel * sizeof *u->sel)) == NULL)
            st = fr_error_set(&terr, FR_ERR_NOMEM, "out of memory selecting rows");
          else
            memcpy(u->sel, sel, (size_t)n_sel * sizeof *sel);
        }
        if (st != FR_OK) {
#pragma omp critical(fr_ltable_select_err)
          {
            if (!failed) {
              failed = 1;
              perr = terr;
              status = st;
            }
          }
        }
      }
      fr_free(sel);
      for (uint32_t c = 0; c < n_cols; c++) fr_free(pre_rows[c]);
    }
    if (failed)
      status = fr_error_set(err, status, "table %s: %s", table->name, perr.msg);
  }
  uint64_t n_out = 0;
  for (size_t k = 0; k < n_units; k++) {
    units[k].out_first = n_out;
    n_out += units[k].n_sel;
  }
  t->n_rows = n_out;

  /* the output arrays, for the kept rows */
  size_t n_alloc = n_out ? (size_t)n_out : 1;
  for (uint32_t c = 0; c < n_cols && status == FR_OK; c++) {
    fr_lcol *lc = &cols[c];
    if (!lc->present)
      continue;
    int ok = 1;
    switch (lc->kind) {
    case FR_LC_KEY: /* lazy: zero offsets read as "" until fetched (untouched pages cost nothing) */
      ok = (lc->key_off = fr_calloc(n_alloc + 1, sizeof *lc->key_off)) != NULL &&
           (lc->key_bytes = fr_calloc(1, 1)) != NULL;
      lc->key_len = lc->key_cap = lc->lazy; /* lazy: offset 0 is the shared "" of rows not fetched */
      break;
    case FR_LC_SID:
    case FR_LC_INVOICE:
    case FR_LC_GROUP: ok = (lc->sid = fr_malloc(n_alloc * sizeof *lc->sid)) != NULL; break;
    default: /* a lazy ts reads as NULL until fetched (untouched pages cost nothing) */
      ok = (lc->i64 = lc->lazy ? fr_calloc(n_alloc, sizeof *lc->i64) : fr_malloc(n_alloc * sizeof *lc->i64)) != NULL &&
           (lc->valid = lc->lazy ? fr_calloc(n_alloc, 1) : fr_malloc(n_alloc)) != NULL;
      break;
    }
    if (!ok)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory loading %s (%llu rows)", table->name,
                            (unsigned long long)n_out);
  }

  /* GROUP columns keep each unit's strings until every unit is read */
  fr_gunit *gunits = NULL;
  for (uint32_t c = 0; c < n_cols && status == FR_OK && gunits == NULL; c++)
    if (cols[c].present && cols[c].kind == FR_LC_GROUP &&
        (gunits = fr_calloc((n_units ? n_units : 1) * n_cols, sizeof *gunits)) == NULL)
      status = fr_error_set(err, FR_ERR_NOMEM, "out of memory loading %s", table->name);

  /* Rounds of n_slots row groups, pipelined: while the tasks of round r decode
   * (and convert, and hash their strings) into one half of the slots, this thread
   * interns round r - 1's strings from the other half, in round and slot order -
   * the same order as without the pipeline, so ids stay thread-count independent
   * - and then hands out round r - 1's row-to-id mapping as tasks. */
  const size_t n_rounds = (n_units + (size_t)n_slots - 1) / (size_t)n_slots;
  if (status == FR_OK && n_rounds > 0) {
#pragma omp parallel
#pragma omp single
    for (size_t r = 0; r <= n_rounds && status == FR_OK; r++) {
      if (r < n_rounds) {
        fr_load_slot *cur = slots + (r % 2) * (size_t)n_slots;
        const size_t first = r * (size_t)n_slots;
        const int in_round = (int)(n_units - first < (size_t)n_slots ? n_units - first : (size_t)n_slots);
        for (int s = 0; s < in_round; s++) {
#pragma omp task firstprivate(s, cur, first)
          fr_load_decode(&cur[s], &units[first + (size_t)s], cols, n_cols, segs, col_idx,
                         gunits != NULL ? gunits + (first + (size_t)s) * n_cols : NULL);
        }
      }
      if (r > 0) {
        fr_load_slot *prev = slots + ((r - 1) % 2) * (size_t)n_slots;
        const size_t first = (r - 1) * (size_t)n_slots;
        const int in_round = (int)(n_units - first < (size_t)n_slots ? n_units - first : (size_t)n_slots);
        status = fr_load_intern(table->name, prev, &units[first], in_round, cols, n_cols, dict, err);
        for (int s = 0; s < in_round && status == FR_OK; s++) {
#pragma omp task firstprivate(s, prev, first)
          fr_load_map(&prev[s], &units[first + (size_t)s], cols, n_cols);
        }
      }
#pragma omp taskwait
    }
  }
  for (int s = 0; slots != NULL && s < 2 * n_slots; s++) {
    for (uint32_t c = 0; slots[s].columns != NULL && c < n_cols; c++)
      fr_column_free(&slots[s].columns[c]);
    for (uint32_t c = 0; slots[s].prep != NULL && c < n_cols; c++)
      fr_strprep_free(&slots[s].prep[c]);
    fr_free(slots[s].columns);
    fr_free(slots[s].prep);
    fr_buf_free(&slots[s].stored);
    fr_buf_free(&slots[s].scratch);
  }
  fr_free(slots);
  /* after the slots are freed: their memory serves the numbering (fresh pages cost more than the work) */
  for (uint32_t c = 0; gunits != NULL && c < n_cols && status == FR_OK; c++)
    if (cols[c].present && cols[c].kind == FR_LC_GROUP)
      status = fr_group_assign(&cols[c], gunits, c, n_cols, units, n_units, err);
  for (size_t x = 0; gunits != NULL && x < n_units * n_cols; x++) fr_gunit_free(&gunits[x]);
  fr_free(gunits);
  if (status == FR_OK && t->src != NULL && table->n_segments <= FR_LSRC_OPEN_SEGMENTS) {
    t->src->segs = segs; /* kept open for fr_lkey_fetch */
    t->src->n_segs = table->n_segments;
    segs = NULL;
  }
  for (uint32_t s = 0; segs != NULL && s < table->n_segments; s++)
    if (segs[s] != NULL)
      fr_segment_close(segs[s]);
  fr_free(segs);
  for (size_t k = 0; units != NULL && k < n_units; k++) fr_unit_free_pre(&units[k], n_cols);
  if (status == FR_OK && (t->src != NULL || n_out < table->n_rows)) {
    t->units = units; /* lazy keys read by unit; selected rows map back by unit */
    t->n_units = n_units;
    if (t->src != NULL) {
      t->src->units = units;
      t->src->n_units = n_units;
    }
    units = NULL;
  }
  fr_units_free(units, n_units);
  if (status != FR_OK)
    fr_ltable_free(t);
  return status;
}

uint64_t fr_ltable_stored_row(const fr_ltable *t, uint64_t row) {
  if (t->units == NULL || t->n_units == 0)
    return row;
  /* the last unit whose first output row is <= row (an empty unit shares its
   * out_first with the next one, so the last such unit holds the row) */
  size_t lo = 0, hi = t->n_units;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->units[mid].out_first <= row) lo = mid;
    else hi = mid;
  }
  const fr_load_unit *u = &t->units[lo];
  return u->first_row + fr_unit_row(u, (uint32_t)(row - u->out_first));
}

/* ---- lazy keys ------------------------------------------------------------------ */

static int fr_u64_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

fr_status fr_lkey_fetch(fr_ltable *t, fr_lcol *key, const uint64_t *rows, size_t n, fr_error *err) {
  if (!key->lazy || !key->present || t->src == NULL || n == 0)
    return FR_OK;
  fr_lsrc *src = t->src;
  const uint32_t c = (uint32_t)(key - t->cols);
  FR_FAIL_IF(c >= t->n_cols, FR_ERR_INVALID, err, "key column not of the table");
  const int is_ts = key->kind == FR_LC_TS; /* values into i64 / valid, not texts */
  /* the rows not fetched yet (a NULL ts may be fetched again), ascending and distinct */
  uint64_t *want = fr_malloc(n * sizeof *want);
  FR_FAIL_IF(want == NULL, FR_ERR_NOMEM, err, "out of memory reading keys");
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (rows[k] < t->n_rows && (is_ts ? !key->valid[rows[k]] : key->key_off[rows[k]] == 0))
      want[m++] = rows[k];
  qsort(want, m, sizeof *want, fr_u64_cmp);
  size_t w = 0;
  for (size_t k = 0; k < m; k++)
    if (w == 0 || want[k] != want[w - 1])
      want[w++] = want[k];
  m = w;
  /* the row groups holding them: [first want index, end) per needed unit */
  size_t *ustart = fr_malloc((src->n_units + 1) * sizeof *ustart);
  size_t *uidx = fr_malloc((src->n_units + 1) * sizeof *uidx);
  char **texts = fr_calloc(src->n_units + 1, sizeof *texts);
  size_t *tlen = fr_calloc(src->n_units + 1, sizeof *tlen);
  fr_status status = FR_OK;
  if (ustart == NULL || uidx == NULL || texts == NULL || tlen == NULL)
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory reading keys");
  size_t n_need = 0;
  for (size_t k = 0, u = 0; status == FR_OK && k < m;) {
    while (u < src->n_units && src->units[u].out_first + src->units[u].n_sel <= want[k]) u++;
    if (u == src->n_units)
      break;
    uidx[n_need] = u;
    ustart[n_need++] = k;
    while (k < m && want[k] < src->units[u].out_first + src->units[u].n_sel) k++;
  }
  if (ustart != NULL)
    ustart[n_need] = m;
  const fr_table_meta *table = src->table;
  const uint32_t col_idx = (uint32_t)src->col_idx[c];
  int failed = 0;
  fr_error perr;
  fr_error_clear(&perr);
  if (status == FR_OK) {
#pragma omp parallel
    {
      fr_buf stored, scratch;
      fr_buf_init(&stored);
      fr_buf_init(&scratch);
      fr_column col;
      memset(&col, 0, sizeof col);
      fr_error terr;
      fr_error_clear(&terr);
#pragma omp for schedule(dynamic, 1)
      for (int64_t x = 0; x < (int64_t)n_need; x++) {
        if (failed)
          continue;
        const fr_load_unit *u = &src->units[uidx[x]];
        const fr_segment_record *rec = &table->segments[u->seg];
        char path[4096];
        fr_store_path(src->store, rec->file, path, sizeof path);
        fr_segment *seg = src->segs != NULL ? src->segs[u->seg] : NULL;
        fr_status st = seg != NULL ? FR_OK : fr_segment_open(&seg, path, &rec->info, &terr);
        /* a string key decodes only its wanted rows (a chunk stored in frames
         * inflates only theirs): row k of `col` is want[ustart[x] + k] */
        const int by_rows = !is_ts && table->schema.columns[col_idx].type == FR_TYPE_STRING;
        if (st == FR_OK && by_rows) {
          const size_t cnt = ustart[x + 1] - ustart[x];
          uint32_t *local = fr_malloc(cnt * sizeof *local);
          if (local == NULL)
            st = fr_error_set(&terr, FR_ERR_NOMEM, "out of memory reading keys");
          for (size_t k = 0; st == FR_OK && k < cnt; k++)
            local[k] = fr_unit_row(u, (uint32_t)(want[ustart[x] + k] - u->out_first));
          if (st == FR_OK && fr_segment_rowgroup_rows(seg, u->rg) != u->n_rows)
            st = fr_error_set(&terr, FR_ERR_CORRUPT, "row group %u of a segment holds %u rows, not %u", u->rg,
                              fr_segment_rowgroup_rows(seg, u->rg), u->n_rows);
          if (st == FR_OK)
            st = fr_segment_read_str_rows(seg, u->rg, col_idx, local, cnt, &col, &stored, &scratch, &terr);
          fr_free(local);
        } else if (st == FR_OK) {
          col.want_dict = 1;
          st = fr_segment_read_chunk(seg, u->rg, col_idx, &col, &stored, &scratch, &terr);
          if (st == FR_OK && col.n_rows != u->n_rows)
            st = fr_error_set(&terr, FR_ERR_CORRUPT, "row group %u of a segment holds %u rows, not %u", u->rg,
                              col.n_rows, u->n_rows);
        }
        if (seg != NULL && src->segs == NULL)
          fr_segment_close(seg);
        /* a ts column's values go straight to the rows (each row is one unit's) */
        for (size_t k = ustart[x]; is_ts && st == FR_OK && k < ustart[x + 1]; k++) {
          int64_t v;
          key->valid[want[k]] = (uint8_t)fr_numeric_value(key, &col, fr_unit_row(u, (uint32_t)(want[k] - u->out_first)), &v);
          key->i64[want[k]] = v;
        }
        /* texts of the wanted rows, each NUL-terminated, in row order */
        size_t cap = 0, len = 0;
        char *buf = NULL;
        char vbuf[FR_VALUE_TEXT_CAP + 1];
        for (size_t k = ustart[x]; !is_ts && st == FR_OK && k < ustart[x + 1]; k++) {
          const char *s = NULL;
          const uint32_t r = by_rows ? (uint32_t)(k - ustart[x]) : fr_unit_row(u, (uint32_t)(want[k] - u->out_first));
          long l = fr_cell_text(&col, r, vbuf, &s);
          size_t ln = l < 0 ? 0 : strnlen(s, (size_t)l); /* a key reads up to its first NUL */
          if (len + ln + 1 > cap) {
            size_t nc = cap ? cap * 2 : 4096;
            while (nc < len + ln + 1) nc *= 2;
            char *b = fr_realloc(buf, nc);
            if (b == NULL) {
              st = fr_error_set(&terr, FR_ERR_NOMEM, "out of memory reading keys");
              break;
            }
            buf = b;
            cap = nc;
          }
          if (ln > 0)
            memcpy(buf + len, s, ln);
          buf[len + ln] = '\0';
          len += ln + 1;
        }
        texts[x] = buf;
        tlen[x] = len;
        if (st != FR_OK) {
#pragma omp critical(fr_lkey_fetch_err)
          {
            if (!failed) {
              failed = 1;
              perr = terr;
              status = st;
            }
          }
        }
      }
      fr_column_free(&col);
      fr_buf_free(&stored);
      fr_buf_free(&scratch);
    }
    if (failed)
      status = fr_error_set(err, status, "table %s: %s", table->name, perr.msg);
  }
  /* append them to key_bytes (a ts column has none); a row's offset is never 0
   * once fetched */
  const size_t n_texts = is_ts ? 0 : n_need;
  size_t total = 0;
  for (size_t x = 0; status == FR_OK && x < n_texts; x++) total += tlen[x];
  if (status == FR_OK && !fr_key_reserve(key, total))
    status = fr_error_set(err, FR_ERR_NOMEM, "out of memory reading keys");
  for (size_t x = 0; status == FR_OK && x < n_texts; x++) {
    const char *p = texts[x];
    for (size_t k = ustart[x]; k < ustart[x + 1]; k++) {
      size_t ln = strlen(p);
      memcpy(key->key_bytes + key->key_len, p, ln + 1);
      key->key_off[want[k]] = key->key_len;
      key->key_len += ln + 1;
      p += ln + 1;
    }
  }
  for (size_t x = 0; texts != NULL && x < n_need; x++) fr_free(texts[x]);
  fr_free(texts);
  fr_free(tlen);
  fr_free(ustart);
  fr_free(uidx);
  fr_free(want);
  return status;
}

void fr_lkey_reset(fr_ltable *t, fr_lcol *key, uint64_t first, uint64_t n) {
  if (!key->lazy || !key->present || t->src == NULL || first >= t->n_rows)
    return;
  if (n > t->n_rows - first)
    n = t->n_rows - first;
  memset(key->key_off + first, 0, (size_t)n * sizeof *key->key_off);
  key->key_len = 1; /* offset 0 is the shared "" */
}

/* ---- sorting ------------------------------------------------------------------ */

static inline int fr_srec_less(const fr_srec *x, const fr_srec *y) {
  if (x->a != y->a) return x->a < y->a;
  if (x->b != y->b) return x->b < y->b;
  if (x->c != y->c) return x->c < y->c;
  return x->row < y->row;
}

int fr_srec_cmp(const void *pa, const void *pb) {
  const fr_srec *x = pa, *y = pb;
  return fr_srec_less(y, x) - fr_srec_less(x, y);
}

/* LSD radix sort by bytes (stable): only the bytes that differ between records
 * are passes; the row bytes are skipped when the records come in ascending row
 * order (stability then keeps it).  The result is the unique order by (a, b, c,
 * row), as with any correct sort. */
static fr_status fr_srec_radix(fr_srec *recs, size_t n, fr_error *err) {
  uint64_t diff[4] = {0, 0, 0, 0};
  const fr_srec *r0 = &recs[0];
  int rows_sorted = 1;
  for (size_t i = 0; i < n; i++) {
    diff[0] |= recs[i].a ^ r0->a;
    diff[1] |= recs[i].b ^ r0->b;
    diff[2] |= recs[i].c ^ r0->c;
    diff[3] |= recs[i].row ^ r0->row;
    if (i > 0 && recs[i].row <= recs[i - 1].row)
      rows_sorted = 0;
  }
  int passes[32], n_passes = 0; /* field * 8 + byte, least significant first */
  for (int f = 3; f >= 0; f--) {
    if (f == 3 && rows_sorted)
      continue;
    for (int byte = 0; byte < 8; byte++)
      if ((diff[f] >> (8 * byte)) & 0xFF)
        passes[n_passes++] = f * 8 + byte;
  }
  if (n_passes == 0)
    return FR_OK;
  fr_srec *tmp = fr_malloc(n * sizeof *tmp);
  FR_FAIL_IF(tmp == NULL, FR_ERR_NOMEM, err, "out of memory sorting %zu rows", n);
  /* each pass in parallel: every thread counts the digits of its contiguous
   * slice, the slices' offsets are laid out digit by digit in slice order, and
   * every thread scatters its slice in order - a stable pass, so the result
   * does not depend on the thread count */
  const int max_threads = n >= ((size_t)1 << 16) ? omp_get_max_threads() : 1;
  size_t *count = fr_malloc((size_t)max_threads * 256 * sizeof *count);
  if (count == NULL) {
    fr_free(tmp);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory sorting %zu rows", n);
  }
  fr_srec *src = recs, *dst = tmp;
  for (int ps = 0; ps < n_passes; ps++) {
    const int f = passes[ps] / 8, shift = 8 * (passes[ps] % 8);
    int team = 1;
#define FR_FIELD(x) (f == 0 ? (x).a : f == 1 ? (x).b : f == 2 ? (x).c : (x).row)
#pragma omp parallel num_threads(max_threads)
    {
#pragma omp single
      team = omp_get_num_threads();
      /* the implicit barrier of single: team is known to every thread */
      const int t = omp_get_thread_num();
      const size_t lo = n * (size_t)t / (size_t)team, hi = n * (size_t)(t + 1) / (size_t)team;
      size_t *mine = count + (size_t)t * 256;
      memset(mine, 0, 256 * sizeof *mine);
      for (size_t i = lo; i < hi; i++) mine[(FR_FIELD(src[i]) >> shift) & 0xFF]++;
#pragma omp barrier
#pragma omp single
      {
        size_t at = 0;
        for (int d = 0; d < 256; d++)
          for (int u = 0; u < team; u++) {
            size_t k = count[(size_t)u * 256 + (size_t)d];
            count[(size_t)u * 256 + (size_t)d] = at;
            at += k;
          }
      }
      for (size_t i = lo; i < hi; i++) dst[mine[(FR_FIELD(src[i]) >> shift) & 0xFF]++] = src[i];
    }
#undef FR_FIELD
    fr_srec *sw = src;
    src = dst;
    dst = sw;
  }
  if (src != recs)
    memcpy(recs, src, n * sizeof *recs);
  fr_free(count);
  fr_free(tmp);
  return FR_OK;
}

fr_status fr_srec_sort(fr_srec *recs, size_t n, fr_error *err) {
  if (n < 256) {
    qsort(recs, n, sizeof *recs, fr_srec_cmp);
    return FR_OK;
  }
  return fr_srec_radix(recs, n, err);
}

void fr_rows_sort_by_ts(uint64_t *rows, uint64_t n, const int64_t *ts, fr_srec *tmp) {
  uint64_t k = 1;
  while (k < n && ts[rows[k - 1]] <= ts[rows[k]]) k++;
  if (k >= n)
    return;
  if (n <= 32) { /* stable insertion sort from the first row out of order */
    for (uint64_t x = k; x < n; x++)
      for (uint64_t y = x; y > 0 && ts[rows[y]] < ts[rows[y - 1]]; y--) {
        uint64_t t = rows[y];
        rows[y] = rows[y - 1];
        rows[y - 1] = t;
      }
    return;
  }
  for (uint64_t x = 0; x < n; x++) tmp[x] = (fr_srec){fr_skey(ts[rows[x]]), 0, 0, rows[x]};
  qsort(tmp, (size_t)n, sizeof *tmp, fr_srec_cmp);
  for (uint64_t x = 0; x < n; x++) rows[x] = tmp[x].row;
}

/* ---- kernel working set ----------------------------------------------------------- */

fr_status fr_dctx_open(fr_dctx *cx, const fr_store *store, const fr_detect_params *p, fr_lcol *cols,
                       uint32_t n_cols, int key_idx, int ts_idx, fr_error *err) {
  memset(cx, 0, sizeof *cx);
  cx->p = p;
  fr_sdict_init(&cx->dict);
  fr_buf_init(&cx->json);
  cols[key_idx].lazy = 1; /* keys are read for the evidence rows only */
  fr_status status = fr_ltable_load(&cx->t, store, p, "payments", cols, n_cols, &cx->dict, err);
  if (status == FR_OK)
    status = fr_fbuild_init(&cx->fb, p, &cx->t, &cols[key_idx], ts_idx >= 0 ? &cols[ts_idx] : NULL, err);
  if (status == FR_OK) {
    cx->fb.lazy_t = &cx->t;
    cx->fb.lazy_key = &cols[key_idx];
    cx->fb.lazy_ts = ts_idx >= 0 && cols[ts_idx].present && cols[ts_idx].lazy ? &cols[ts_idx] : NULL;
  }
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
  fr_free(cx->fb.n_raw);
  cx->fb.n_raw = NULL;
  fr_ltable_free(&cx->t);
  fr_sdict_free(&cx->dict);
  fr_buf_free(&cx->json);
  return status;
}

fr_status fr_row_scratch(uint64_t n, fr_srec **recs, uint64_t **rows, fr_error *err) {
  *recs = fr_malloc((n ? n : 1) * sizeof **recs);
  *rows = fr_malloc((n ? n : 1) * sizeof **rows);
  if (*recs == NULL || *rows == NULL) {
    fr_free(*recs);
    fr_free(*rows);
    *recs = NULL;
    *rows = NULL;
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  return FR_OK;
}
