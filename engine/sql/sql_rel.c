/* sql_rel.c - relations, sorting and window functions (see sql_rel.h).
 *
 * Sorting is a parallel merge sort of row indices: each thread sorts a run
 * with a comparison over the key vectors, then runs are merged pairwise.
 * Window functions sort the rows once by (partition keys, order keys) and walk
 * each partition; frame aggregates use prefix sums for sum/count/avg and a
 * monotone deque for min/max over sliding frames, so every frame kind is
 * linear after the sort. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_hash.h"
#include "sql_rel.h"

fr_status sq_ctx_nomem(sq_ctx *ctx) {
  return fr_error_set(ctx->err, FR_ERR_NOMEM, "out of memory running the query");
}

size_t sq_rel_width(sq_type type) {
  switch (sq_type_phys(type)) {
  case SQ_P_I128: return sizeof(fr_i128);
  case SQ_P_F64: return sizeof(double);
  case SQ_P_STR: return sizeof(sq_str);
  default: return sizeof(int64_t);
  }
}

/* a + b, held at INT64_MIN / INT64_MAX instead of overflowing (window frame
 * bounds with offsets as large as a BIGINT literal allows). */
static inline int64_t sq_sat_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}

static fr_status sq_limit_error(sq_ctx *ctx) {
  char limit[64];
  snprintf(limit, sizeof limit, "%.1f MiB", (double)ctx->budget.limit / 1048576.0);
  return fr_error_set(ctx->err, FR_ERR_LIMIT,
                      "the query needs more memory than its limit of %s; raise --memory-limit or make "
                      "the query more selective",
                      limit);
}

fr_status sq_rel_new(sq_ctx *ctx, int n_cols, sq_rel **out) {
  sq_rel *rel = fr_calloc(1, sizeof *rel);
  if (rel == NULL)
    return sq_ctx_nomem(ctx);
  rel->cols = fr_calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof *rel->cols);
  if (rel->cols == NULL) {
    fr_free(rel);
    return sq_ctx_nomem(ctx);
  }
  rel->n_cols = n_cols;
  if (ctx->n_rels == ctx->cap_rels) {
    int cap = ctx->cap_rels == 0 ? 16 : ctx->cap_rels * 2;
    sq_rel **grown = fr_realloc(ctx->rels, (size_t)cap * sizeof *grown);
    if (grown == NULL) {
      fr_free(rel->cols);
      fr_free(rel);
      return sq_ctx_nomem(ctx);
    }
    ctx->rels = grown;
    ctx->cap_rels = cap;
  }
  ctx->rels[ctx->n_rels++] = rel;
  *out = rel;
  return FR_OK;
}

fr_status sq_rel_reserve(sq_ctx *ctx, sq_rel *rel, uint64_t rows) {
  if (rows <= rel->cap_rows)
    return FR_OK;
  uint64_t cap = rel->cap_rows == 0 ? 1024 : rel->cap_rows;
  while (cap < rows)
    cap *= 2;
  uint64_t extra = 0;
  for (int c = 0; c < rel->n_cols; c++)
    if (!rel->cols[c].unused)
      extra += (cap - rel->cap_rows) * (sq_rel_width(rel->cols[c].type) + 1);
  if (fr_budget_charge(&ctx->budget, extra) != 0)
    return sq_limit_error(ctx);
  for (int c = 0; c < rel->n_cols; c++) {
    sq_rcol *col = &rel->cols[c];
    if (col->unused)
      continue;
    size_t w = sq_rel_width(col->type);
    void *data = fr_realloc(col->data, (size_t)cap * w);
    if (data == NULL)
      return sq_ctx_nomem(ctx);
    col->data = data;
    uint8_t *valid = fr_realloc(col->valid, (size_t)cap);
    if (valid == NULL)
      return sq_ctx_nomem(ctx);
    col->valid = valid;
  }
  rel->cap_rows = cap;
  return FR_OK;
}

fr_status sq_rel_append(sq_ctx *ctx, sq_rel *rel, const sq_vec *vecs, uint32_t n, fr_arena *keep) {
  FR_TRY(sq_rel_reserve(ctx, rel, rel->n_rows + n));
  for (int c = 0; c < rel->n_cols; c++) {
    sq_rcol *col = &rel->cols[c];
    if (col->unused)
      continue;
    const sq_vec *v = &vecs[c];
    size_t w = sq_rel_width(col->type);
    if (v->valid != NULL)
      memcpy(col->valid + rel->n_rows, v->valid, n);
    else
      memset(col->valid + rel->n_rows, 1, n);
    if (sq_type_phys(col->type) != SQ_P_STR) {
      memcpy((char *)col->data + rel->n_rows * w, v->data, (size_t)n * w);
      continue;
    }
    sq_str *dst = (sq_str *)col->data + rel->n_rows;
    if (v->codes != NULL && v->dict != NULL && v->n_dict <= n) {
      /* a dictionary-coded batch: its entries are copied once and rows point
       * at them, so equal values share their bytes (less memory, and a later
       * GROUP BY on the column can recognise repeats by pointer) */
      size_t dict_bytes = 0;
      for (uint32_t d = 0; d < v->n_dict; d++)
        dict_bytes += v->dict[d].len;
      char *bytes = fr_arena_alloc(keep, dict_bytes + 1);
      sq_str *entries = fr_arena_alloc(keep, ((size_t)v->n_dict + 1) * sizeof *entries);
      if (bytes == NULL || entries == NULL)
        return keep->over_budget ? sq_limit_error(ctx) : sq_ctx_nomem(ctx);
      size_t at = 0;
      for (uint32_t d = 0; d < v->n_dict; d++) {
        if (v->dict[d].len > 0)
          memcpy(bytes + at, v->dict[d].ptr, v->dict[d].len);
        entries[d] = (sq_str){bytes + at, v->dict[d].len};
        at += v->dict[d].len;
      }
      const sq_str empty = {bytes, 0};
      for (uint32_t i = 0; i < n; i++)
        dst[i] = v->valid == NULL || v->valid[i] ? entries[v->codes[i]] : empty;
      continue;
    }
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++)
      total += v->str[i].len;
    char *bytes = fr_arena_alloc(keep, total == 0 ? 1 : total);
    if (bytes == NULL)
      return keep->over_budget ? sq_limit_error(ctx) : sq_ctx_nomem(ctx);
    size_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
      uint32_t len = v->str[i].len;
      if (len > 0)
        memcpy(bytes + at, v->str[i].ptr, len);
      dst[i].ptr = bytes + at;
      dst[i].len = len;
      at += len;
    }
  }
  rel->n_rows += n;
  return FR_OK;
}

void sq_rel_view(const sq_rel *rel, int c, uint64_t start, uint32_t n, sq_vec *out) {
  const sq_rcol *col = &rel->cols[c];
  memset(out, 0, sizeof *out);
  out->type = col->type;
  out->n = n;
  if (col->unused || col->data == NULL) {
    out->data = NULL;
    return;
  }
  out->valid = col->valid + start;
  out->data = (char *)col->data + start * sq_rel_width(col->type);
}

void sq_rel_clear(sq_ctx *ctx, sq_rel *rel) {
  uint64_t bytes = 0;
  for (int c = 0; c < rel->n_cols; c++) {
    if (!rel->cols[c].unused)
      bytes += rel->cap_rows * (sq_rel_width(rel->cols[c].type) + 1);
    fr_free(rel->cols[c].data);
    fr_free(rel->cols[c].valid);
    rel->cols[c].data = NULL;
    rel->cols[c].valid = NULL;
  }
  fr_budget_release(&ctx->budget, bytes);
  rel->n_rows = rel->cap_rows = 0;
}

fr_status sq_rel_eval(sq_ctx *ctx, const sq_rel *rel, const sq_expr *e, fr_arena *arena, sq_vec *out) {
  sq_vec *cols = fr_arena_alloc(arena, (size_t)(rel->n_cols + 1) * sizeof *cols);
  if (cols == NULL)
    return sq_ctx_nomem(ctx);
  for (int c = 0; c < rel->n_cols; c++)
    sq_rel_view(rel, c, 0, (uint32_t)rel->n_rows, &cols[c]);
  sq_eval_ctx ec = {cols, (uint32_t)rel->n_rows, arena, ctx->err};
  return sq_eval(&ec, e, out);
}

/* ------------------------------------------------------------------ sort */

static int sq_str_order(sq_str a, sq_str b) {
  if (a.ptr == b.ptr && a.len == b.len)
    return 0; /* one dictionary entry's bytes, shared by its rows: not read */
  uint32_t m = a.len < b.len ? a.len : b.len;
  int c = m > 0 ? memcmp(a.ptr, b.ptr, m) : 0;
  if (c != 0)
    return c < 0 ? -1 : 1;
  return a.len < b.len ? -1 : a.len > b.len;
}

int sq_sort_compare(const sq_sort_key *keys, int n_keys, uint64_t a, uint64_t b) {
  for (int k = 0; k < n_keys; k++) {
    const sq_vec *v = &keys[k].vec;
    int va = v->valid == NULL || v->valid[a], vb = v->valid == NULL || v->valid[b];
    if (!va || !vb) {
      if (va == vb)
        continue;
      /* NULLs sort by their own rule, whatever the direction */
      int a_first = !va ? keys[k].nulls_first : !keys[k].nulls_first;
      return a_first ? -1 : 1;
    }
    int c;
    switch (sq_type_phys(v->type)) {
    case SQ_P_I64: c = (v->i64[a] > v->i64[b]) - (v->i64[a] < v->i64[b]); break;
    case SQ_P_I128: c = (v->i128[a] > v->i128[b]) - (v->i128[a] < v->i128[b]); break;
    case SQ_P_F64: c = (v->f64[a] > v->f64[b]) - (v->f64[a] < v->f64[b]); break;
    default: c = sq_str_order(v->str[a], v->str[b]); break;
    }
    if (c != 0)
      return keys[k].desc ? -c : c;
  }
  return 0;
}

typedef struct sq_sort_run {
  const sq_sort_key *keys;
  int n_keys;
} sq_sort_run;

static void sq_merge(const sq_sort_run *run, const uint64_t *a, uint64_t na, const uint64_t *b, uint64_t nb,
                     uint64_t *out) {
  uint64_t i = 0, j = 0, k = 0;
  while (i < na && j < nb) {
    /* stable: take from the left run on ties */
    if (sq_sort_compare(run->keys, run->n_keys, b[j], a[i]) < 0)
      out[k++] = b[j++];
    else
      out[k++] = a[i++];
  }
  while (i < na)
    out[k++] = a[i++];
  while (j < nb)
    out[k++] = b[j++];
}

/* Bottom-up merge sort of idx[0..n) using tmp; result in idx. */
static void sq_merge_sort(const sq_sort_run *run, uint64_t *idx, uint64_t *tmp, uint64_t n) {
  /* insertion sort small blocks */
  const uint64_t block = 16;
  for (uint64_t s = 0; s < n; s += block) {
    uint64_t e = s + block < n ? s + block : n;
    for (uint64_t i = s + 1; i < e; i++) {
      uint64_t v = idx[i], j = i;
      while (j > s && sq_sort_compare(run->keys, run->n_keys, v, idx[j - 1]) < 0) {
        idx[j] = idx[j - 1];
        j--;
      }
      idx[j] = v;
    }
  }
  uint64_t *src = idx, *dst = tmp;
  for (uint64_t width = block; width < n; width *= 2) {
    for (uint64_t s = 0; s < n; s += 2 * width) {
      uint64_t mid = s + width < n ? s + width : n;
      uint64_t e = s + 2 * width < n ? s + 2 * width : n;
      sq_merge(run, src + s, mid - s, src + mid, e - mid, dst + s);
    }
    uint64_t *t = src;
    src = dst;
    dst = t;
  }
  if (src != idx)
    memcpy(idx, src, (size_t)n * sizeof *idx);
}

fr_status sq_sort_indices(sq_ctx *ctx, uint64_t *idx, uint64_t n, const sq_sort_key *keys, int n_keys) {
  if (n < 2 || n_keys == 0)
    return FR_OK;
  uint64_t *tmp = fr_malloc((size_t)n * sizeof *tmp);
  if (tmp == NULL)
    return sq_ctx_nomem(ctx);
  sq_sort_run run = {keys, n_keys};
  int parts = ctx->threads > 1 && n > 65536 ? ctx->threads : 1;
  /* power of two parts for pairwise merging */
  int p2 = 1;
  while (p2 * 2 <= parts)
    p2 *= 2;
  parts = p2;
  uint64_t chunk = (n + (uint64_t)parts - 1) / (uint64_t)parts;
#pragma omp parallel for schedule(static, 1) num_threads(parts)
  for (int p = 0; p < parts; p++) {
    uint64_t s = (uint64_t)p * chunk, e = s + chunk < n ? s + chunk : n;
    if (s < e)
      sq_merge_sort(&run, idx + s, tmp + s, e - s);
  }
  for (uint64_t width = chunk; width < n; width *= 2) {
    int n_merges = (int)((n + 2 * width - 1) / (2 * width));
#pragma omp parallel for schedule(static, 1)
    for (int m = 0; m < n_merges; m++) {
      uint64_t s = (uint64_t)m * 2 * width;
      uint64_t mid = s + width < n ? s + width : n;
      uint64_t e = s + 2 * width < n ? s + 2 * width : n;
      sq_merge(&run, idx + s, mid - s, idx + mid, e - mid, tmp + s);
    }
    memcpy(idx, tmp, (size_t)n * sizeof *idx);
  }
  fr_free(tmp);
  return FR_OK;
}

/* --------------------------------------------------------------- windows */

/* Copies one value; strings are copied into `keep` (the source vector's
 * memory dies with the window computation). */
static int sq_put_value(fr_arena *keep, sq_rcol *col, uint64_t row, const sq_vec *src, uint64_t src_row) {
  size_t w = sq_rel_width(col->type);
  int valid = src->valid == NULL || src->valid[src_row];
  col->valid[row] = (uint8_t)valid;
  memcpy((char *)col->data + row * w, (const char *)src->data + src_row * w, w);
  if (sq_type_phys(col->type) == SQ_P_STR && valid) {
    sq_str *dst = (sq_str *)col->data + row;
    char *copy = fr_arena_alloc(keep, dst->len + 1);
    if (copy == NULL)
      return -1;
    if (dst->len > 0)
      memcpy(copy, dst->ptr, dst->len);
    dst->ptr = copy;
  }
  return 0;
}

/* Numeric value of row r of v as int128 (integer-like) or double. */
static fr_i128 sq_get_i128(const sq_vec *v, uint64_t r) {
  return sq_type_phys(v->type) == SQ_P_I128 ? v->i128[r] : (fr_i128)v->i64[r];
}

/* 1 when the first n values of v are all non-NULL (a materialised column keeps
 * a validity array even when nothing is NULL). */
static int sq_vec_no_nulls(const sq_vec *v, uint64_t n) {
  return v->valid == NULL || memchr(v->valid, 0, (size_t)n) == NULL;
}

/* Hash of row r's partition key values (NULL hashes as its own value). */
static uint64_t sq_partition_hash(const sq_sort_key *keys, int n_keys, uint64_t r) {
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (int k = 0; k < n_keys; k++) {
    const sq_vec *v = &keys[k].vec;
    if (v->valid != NULL && !v->valid[r]) {
      h = fr_hash_u64(h ^ 0x5bd1e995u, (uint64_t)k);
      continue;
    }
    switch (sq_type_phys(v->type)) {
    case SQ_P_I64: h = fr_hash_u64((uint64_t)v->i64[r], h); break;
    case SQ_P_I128: h = fr_hash_u64((uint64_t)v->i128[r], fr_hash_u64((uint64_t)(v->i128[r] >> 64), h)); break;
    case SQ_P_F64: {
      double d = v->f64[r] == 0 ? 0.0 : v->f64[r];
      uint64_t bits;
      memcpy(&bits, &d, 8);
      h = fr_hash_u64(bits, h);
      break;
    }
    default: h = fr_hash64(v->str[r].ptr, v->str[r].len, h); break;
    }
  }
  return h;
}

/* Groups rows by partition key for a window, in parallel: every row's key is
 * hashed, rows are scattered (stably) into 256 buckets by the hash's top bits,
 * and each bucket finds its partitions with a hash table of its own - rows of
 * one partition keep their input order.  Partitions come bucket by bucket, in
 * first-appearance order within a bucket (any order is correct: the result is
 * per row), the same at any thread count.  Fills idx (n) and *bounds_out
 * (partition starts, *n_pids_out + 1 entries, owned by the caller). */
#define SQ_WIN_BUCKETS 256
static fr_status sq_window_partition(sq_ctx *ctx, uint64_t n, const sq_sort_key *keys, int n_part, uint64_t *idx,
                                     uint64_t **bounds_out, uint64_t *n_pids_out) {
  const int chunks = ctx->threads > 0 ? ctx->threads : 1;
  uint64_t *h = fr_malloc((size_t)n * sizeof *h);
  uint64_t *brow = fr_malloc((size_t)n * sizeof *brow);
  uint64_t *tcount = fr_calloc((size_t)chunks * SQ_WIN_BUCKETS, sizeof *tcount);
  uint64_t **lbounds = fr_calloc(SQ_WIN_BUCKETS, sizeof *lbounds); /* per bucket: its partitions' starts */
  uint64_t bstart[SQ_WIN_BUCKETS + 1], bparts[SQ_WIN_BUCKETS + 1];
  uint64_t *bounds = NULL;
  fr_status status = FR_OK;
  int failed = 0;
  if (h == NULL || brow == NULL || tcount == NULL || lbounds == NULL) {
    status = sq_ctx_nomem(ctx);
    goto out;
  }
  /* hashes and per-chunk bucket counts; chunks are contiguous row ranges */
#pragma omp parallel for schedule(static, 1) num_threads(chunks)
  for (int t = 0; t < chunks; t++) {
    uint64_t lo = n * (uint64_t)t / (uint64_t)chunks, hi = n * (uint64_t)(t + 1) / (uint64_t)chunks;
    uint64_t *cnt = tcount + (size_t)t * SQ_WIN_BUCKETS;
    for (uint64_t r = lo; r < hi; r++) {
      h[r] = sq_partition_hash(keys, n_part, r);
      cnt[h[r] >> 56]++;
    }
  }
  /* bucket starts; each chunk's slice of a bucket follows the previous chunk's */
  uint64_t at = 0;
  for (int b = 0; b < SQ_WIN_BUCKETS; b++) {
    bstart[b] = at;
    for (int t = 0; t < chunks; t++) {
      uint64_t k = tcount[(size_t)t * SQ_WIN_BUCKETS + (size_t)b];
      tcount[(size_t)t * SQ_WIN_BUCKETS + (size_t)b] = at;
      at += k;
    }
  }
  bstart[SQ_WIN_BUCKETS] = at;
#pragma omp parallel for schedule(static, 1) num_threads(chunks)
  for (int t = 0; t < chunks; t++) {
    uint64_t lo = n * (uint64_t)t / (uint64_t)chunks, hi = n * (uint64_t)(t + 1) / (uint64_t)chunks;
    uint64_t *next = tcount + (size_t)t * SQ_WIN_BUCKETS;
    for (uint64_t r = lo; r < hi; r++)
      brow[next[h[r] >> 56]++] = r;
  }
  /* each bucket: partitions by hash table, then a stable counting sort */
#pragma omp parallel for schedule(dynamic, 1) num_threads(chunks)
  for (int b = 0; b < SQ_WIN_BUCKETS; b++) {
    const uint64_t first = bstart[b], m = bstart[b + 1] - first;
    bparts[b] = 0;
    int stop;
#pragma omp atomic read
    stop = failed;
    if (m == 0 || stop)
      continue;
    uint64_t n_slots = 16;
    while (n_slots < 2 * m)
      n_slots *= 2;
    uint64_t *slots = fr_calloc((size_t)n_slots, sizeof *slots); /* local pid + 1 */
    uint64_t *rep = fr_malloc((size_t)m * sizeof *rep);           /* per local pid: its first row */
    uint32_t *lpid = fr_malloc((size_t)m * sizeof *lpid);
    uint64_t *lb = fr_malloc((size_t)(m + 1) * sizeof *lb);
    if (slots == NULL || rep == NULL || lpid == NULL || lb == NULL) {
      fr_free(slots);
      fr_free(rep);
      fr_free(lpid);
      fr_free(lb);
#pragma omp atomic write
      failed = 1;
      continue;
    }
    uint64_t np = 0;
    const uint64_t mask = n_slots - 1;
    for (uint64_t k = 0; k < m; k++) {
      const uint64_t r = brow[first + k], hr = h[r];
      for (uint64_t s = hr & mask;; s = (s + 1) & mask) {
        uint64_t e = slots[s];
        if (e == 0) {
          rep[np] = r;
          slots[s] = np + 1;
          lpid[k] = (uint32_t)np++;
          break;
        }
        if (h[rep[e - 1]] == hr && sq_sort_compare(keys, n_part, rep[e - 1], r) == 0) {
          lpid[k] = (uint32_t)(e - 1);
          break;
        }
      }
    }
    /* lb[p]: partition p's next slot (counts, then starts) */
    memset(lb, 0, (size_t)(np + 1) * sizeof *lb);
    for (uint64_t k = 0; k < m; k++)
      lb[lpid[k] + 1]++;
    for (uint64_t p = 0; p < np; p++)
      lb[p + 1] += lb[p];
    for (uint64_t k = 0; k < m; k++)
      idx[first + lb[lpid[k]]++] = brow[first + k];
    /* now lb[p] = end of p = start of p + 1; shift back to starts */
    for (uint64_t p = np; p > 0; p--)
      lb[p] = lb[p - 1];
    lb[0] = 0;
    for (uint64_t p = 0; p < np; p++)
      lb[p] += first;
    fr_free(slots);
    fr_free(rep);
    fr_free(lpid);
    lbounds[b] = lb;
    bparts[b] = np;
  }
  if (failed) {
    status = sq_ctx_nomem(ctx);
    goto out;
  }
  uint64_t n_pids = 0;
  for (int b = 0; b < SQ_WIN_BUCKETS; b++)
    n_pids += bparts[b];
  bounds = fr_malloc((size_t)(n_pids + 1) * sizeof *bounds);
  if (bounds == NULL) {
    status = sq_ctx_nomem(ctx);
    goto out;
  }
  uint64_t p0 = 0;
  for (int b = 0; b < SQ_WIN_BUCKETS; b++) {
    if (bparts[b] > 0)
      memcpy(bounds + p0, lbounds[b], (size_t)bparts[b] * sizeof *bounds);
    p0 += bparts[b];
  }
  bounds[n_pids] = n;
  *bounds_out = bounds;
  *n_pids_out = n_pids;
out:
  for (int b = 0; lbounds != NULL && b < SQ_WIN_BUCKETS; b++)
    fr_free(lbounds[b]);
  fr_free(lbounds);
  fr_free(tcount);
  fr_free(brow);
  fr_free(h);
  return status;
}

/* Orders rows for a window: rows of one partition together (partitions in
 * first-appearance order: any order is correct, the result is per row), each
 * partition sorted by the ORDER BY keys.  Partitions are found by hashing, not
 * by sorting strings, and a partition already in order (the usual case for a
 * log sorted by time) is only checked.  Fills idx (n) and bounds (partition
 * starts, *n_parts + 1 entries, owned by the caller). */
static fr_status sq_window_order(sq_ctx *ctx, uint64_t n, const sq_sort_key *keys, int n_part, int n_order,
                                 uint64_t *idx, uint64_t **bounds_out, uint64_t *n_parts_out) {
  const sq_sort_key *okeys = keys + n_part;
  uint64_t *bounds = NULL;
  uint64_t n_pids = 0;
  fr_status status = FR_OK;
  if (n_part == 0) {
    bounds = fr_malloc(2 * sizeof *bounds);
    if (bounds == NULL)
      return sq_ctx_nomem(ctx);
    for (uint64_t i = 0; i < n; i++)
      idx[i] = i;
    bounds[0] = 0;
    bounds[1] = n;
    n_pids = 1;
  } else {
    status = sq_window_partition(ctx, n, keys, n_part, idx, &bounds, &n_pids);
    if (status != FR_OK)
      goto out;
  }
  if (n_order > 0) {
    uint64_t *tmp = fr_malloc((size_t)(n + 1) * sizeof *tmp);
    if (tmp == NULL) {
      status = sq_ctx_nomem(ctx);
      goto out;
    }
    sq_sort_run run = {okeys, n_order};
    const int64_t *ik = n_order == 1 && sq_vec_no_nulls(&okeys[0].vec, n) && sq_type_phys(okeys[0].vec.type) == SQ_P_I64
                            ? okeys[0].vec.i64 : NULL;
    int desc = okeys[0].desc;
    if (ik != NULL) {
      /* one non-NULL integer key (a timestamp): compare values directly */
#pragma omp parallel for schedule(dynamic, 256) num_threads(ctx->threads)
      for (uint64_t p = 0; p < n_pids; p++) {
        uint64_t a = bounds[p], b = bounds[p + 1];
        int sorted = 1;
        for (uint64_t i = a + 1; i < b && sorted; i++)
          sorted = desc ? ik[idx[i - 1]] >= ik[idx[i]] : ik[idx[i - 1]] <= ik[idx[i]];
        if (!sorted)
          sq_merge_sort(&run, idx + a, tmp + a, b - a);
      }
    } else if (n_pids == 1) {
      status = sq_sort_indices(ctx, idx, n, okeys, n_order);
    } else {
#pragma omp parallel for schedule(dynamic, 256) num_threads(ctx->threads)
      for (uint64_t p = 0; p < n_pids; p++) {
        uint64_t a = bounds[p], b = bounds[p + 1];
        int sorted = 1;
        for (uint64_t i = a + 1; i < b && sorted; i++)
          sorted = sq_sort_compare(okeys, n_order, idx[i - 1], idx[i]) <= 0;
        if (!sorted)
          sq_merge_sort(&run, idx + a, tmp + a, b - a);
      }
    }
    fr_free(tmp);
  }
out:
  if (status != FR_OK) {
    fr_free(bounds);
    return status;
  }
  *bounds_out = bounds;
  *n_parts_out = n_pids;
  return FR_OK;
}

/* The exact sum of a frame [lo, hi) from whichever prefix array holds it. */
#define SQ_PSUM(hi, lo) (pn != NULL ? (fr_i128)(pn[hi] - pn[lo]) : pi[hi] - pi[lo])

fr_status sq_window_compute(sq_ctx *ctx, sq_rel *rel, const sq_win *win, int target) {
  uint64_t n = rel->n_rows;
  sq_rcol *out = &rel->cols[target];
  if (n == 0)
    return FR_OK;
  fr_arena arena;
  fr_arena_init(&arena, &ctx->budget);
  fr_status status = FR_OK;
  int n_keys = win->n_partition + win->n_order;
  sq_sort_key *keys = fr_calloc((size_t)(n_keys + 1), sizeof *keys);
  uint64_t *idx = fr_malloc((size_t)n * sizeof *idx);
  sq_vec arg, def;
  memset(&arg, 0, sizeof arg);
  memset(&def, 0, sizeof def);
  if (keys == NULL || idx == NULL) {
    status = sq_ctx_nomem(ctx);
    goto done;
  }
  for (int k = 0; k < win->n_partition && status == FR_OK; k++)
    status = sq_rel_eval(ctx, rel, win->partition[k], &arena, &keys[k].vec);
  for (int k = 0; k < win->n_order && status == FR_OK; k++) {
    sq_sort_key *key = &keys[win->n_partition + k];
    status = sq_rel_eval(ctx, rel, win->order[k], &arena, &key->vec);
    key->desc = win->order_desc[k];
    key->nulls_first = win->order_nulls_first[k];
  }
  if (status == FR_OK && win->arg != NULL)
    status = sq_rel_eval(ctx, rel, win->arg, &arena, &arg);
  if (status == FR_OK && win->default_value != NULL)
    status = sq_rel_eval(ctx, rel, win->default_value, &arena, &def);
  if (status != FR_OK)
    goto done;
  uint64_t *bounds = NULL, n_parts = 0;
  status = sq_window_order(ctx, n, keys, win->n_partition, win->n_order, idx, &bounds, &n_parts);
  if (status != FR_OK)
    goto done;
  size_t w = sq_rel_width(out->type);
  memset(out->valid, 0, (size_t)n);
  memset(out->data, 0, (size_t)n * w);
  int numeric_double = win->arg != NULL && arg.type.kind == SQ_T_DOUBLE;
  /* prefix arrays for frame aggregates */
  fr_i128 *pre_i = NULL;
  int64_t *pre_n = NULL; /* sums of 64-bit values that cannot pass 2^62: half pre_i's memory */
  double *pre_d = NULL;
  int64_t *pre_c = NULL;
  uint64_t *dq = NULL;
  /* only what the aggregate reads is allocated (10^7 rows: 80 to 160 MB an
   * array, each page of it a fault): counts when some argument is NULL (else a
   * frame's count is its length), sums for sum / avg of a number, the deque
   * for min / max */
  const int need_count = win->arg != NULL && !sq_vec_no_nulls(&arg, n);
  const int need_sum = win->agg_fn == SQ_AGG_SUM || win->agg_fn == SQ_AGG_AVG;
  const int arg_numeric = win->arg != NULL && sq_type_is_numeric(arg.type); /* else the sums stay 0 */
  const int need_dq = win->agg_fn == SQ_AGG_MIN || win->agg_fn == SQ_AGG_MAX;
  if (win->fn == SQ_WIN_AGG) {
    const size_t n_pre = (size_t)(n + n_parts + 1); /* a region of len + 1 per partition */
    if (need_count)
      pre_c = fr_malloc(n_pre * sizeof *pre_c);
    /* 64-bit values whose largest magnitude times the row count stays under
     * 2^62: no prefix sum (nor difference of two) can overflow int64 */
    int narrow = 0;
    if (need_sum && !numeric_double && arg_numeric && sq_type_phys(arg.type) == SQ_P_I64) {
      uint64_t max_abs = 0;
      for (uint64_t r = 0; r < n; r++) {
        if (arg.valid != NULL && !arg.valid[r])
          continue;
        const int64_t v = arg.i64[r];
        const uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        max_abs = a > max_abs ? a : max_abs;
      }
      narrow = max_abs <= ((uint64_t)1 << 62) / (n + 1);
    }
    if (need_sum && numeric_double)
      pre_d = fr_malloc(n_pre * sizeof *pre_d);
    else if (need_sum && narrow)
      pre_n = fr_malloc(n_pre * sizeof *pre_n);
    else if (need_sum)
      pre_i = fr_malloc(n_pre * sizeof *pre_i);
    if (need_dq)
      dq = fr_malloc(n_pre * sizeof *dq);
    if ((need_count && pre_c == NULL) || (need_sum && pre_d == NULL && pre_i == NULL && pre_n == NULL) ||
        (need_dq && dq == NULL)) {
      fr_free(pre_c);
      fr_free(pre_d);
      fr_free(pre_i);
      fr_free(pre_n);
      fr_free(dq);
      status = sq_ctx_nomem(ctx);
      goto done;
    }
  }
  const int order_no_nulls = win->n_order == 1 && sq_vec_no_nulls(&keys[win->n_partition].vec, n);
  /* partitions in parallel: each writes only its own rows, and its prefix
   * sums and deque use a region of their own (partition p's starts at
   * bounds[p] + p and holds len + 1 entries) */
  int oom = 0;
#pragma omp parallel for schedule(dynamic, 16) num_threads(ctx->threads)
  for (uint64_t part = 0; part < n_parts; part++) {
    uint64_t start = bounds[part], end = bounds[part + 1];
    fr_arena *keep = &ctx->keep[omp_get_thread_num() % ctx->n_keep];
    int64_t *pc = pre_c != NULL ? pre_c + start + part : NULL;
    double *pd = pre_d != NULL ? pre_d + start + part : NULL;
    fr_i128 *pi = pre_i != NULL ? pre_i + start + part : NULL;
    int64_t *pn = pre_n != NULL ? pre_n + start + part : NULL;
    uint64_t *dqp = dq != NULL ? dq + start + part : NULL;
    /* partition idx[start..end) in order */
    const sq_sort_key *okeys = keys + win->n_partition;
    int n_ok = win->n_order;
    switch (win->fn) {
    case SQ_WIN_ROW_NUMBER:
      for (uint64_t i = start; i < end; i++) {
        out->valid[idx[i]] = 1;
        ((int64_t *)out->data)[idx[i]] = (int64_t)(i - start + 1);
      }
      break;
    case SQ_WIN_RANK:
    case SQ_WIN_DENSE_RANK: {
      int64_t rank = 1, dense = 1;
      for (uint64_t i = start; i < end; i++) {
        if (i > start && sq_sort_compare(okeys, n_ok, idx[i - 1], idx[i]) != 0) {
          rank = (int64_t)(i - start + 1);
          dense++;
        }
        out->valid[idx[i]] = 1;
        ((int64_t *)out->data)[idx[i]] = win->fn == SQ_WIN_RANK ? rank : dense;
      }
      break;
    }
    case SQ_WIN_LAG:
    case SQ_WIN_LEAD:
      for (uint64_t i = start; i < end; i++) {
        int64_t pos = win->fn == SQ_WIN_LAG ? (int64_t)i - win->offset : (int64_t)i + win->offset;
        int rc = 0;
        if (pos >= (int64_t)start && pos < (int64_t)end)
          rc = sq_put_value(keep, out, idx[i], &arg, idx[pos]);
        else if (win->default_value != NULL)
          rc = sq_put_value(keep, out, idx[i], &def, idx[i]);
        if (rc != 0)
          {
#pragma omp atomic write
          oom = 1;
        }
      }
      break;
    case SQ_WIN_AGG: {
      uint64_t len = end - start;
      /* prefix sums over the partition (position k = rows before k) */
      if (pc != NULL) {
        pc[0] = 0;
        for (uint64_t k = 0; k < len; k++) {
          uint64_t r = idx[start + k];
          pc[k + 1] = pc[k] + (arg.valid == NULL || arg.valid[r]);
        }
      }
      if (pd != NULL) {
        pd[0] = 0;
        for (uint64_t k = 0; k < len; k++) {
          uint64_t r = idx[start + k];
          pd[k + 1] = pd[k] + (arg_numeric && (arg.valid == NULL || arg.valid[r]) ? arg.f64[r] : 0);
        }
      } else if (pn != NULL) {
        pn[0] = 0;
        for (uint64_t k = 0; k < len; k++) {
          uint64_t r = idx[start + k];
          pn[k + 1] = pn[k] + (arg.valid == NULL || arg.valid[r] ? arg.i64[r] : 0);
        }
      } else if (pi != NULL) {
        pi[0] = 0;
        for (uint64_t k = 0; k < len; k++) {
          uint64_t r = idx[start + k];
          pi[k + 1] = pi[k] + (arg_numeric && (arg.valid == NULL || arg.valid[r]) ? sq_get_i128(&arg, r) : 0);
        }
      }
      /* frame bounds per row, as positions [lo, hi) within the partition */
      int rows_frame = win->has_frame && win->frame_rows;
      sq_bound_kind sk = win->has_frame ? win->start_kind : SQ_BOUND_UNBOUNDED_PRECEDING;
      sq_bound_kind ek = win->has_frame ? win->end_kind : (win->n_order > 0 ? SQ_BOUND_CURRENT : SQ_BOUND_UNBOUNDED_FOLLOWING);
      const sq_vec *ov = n_ok > 0 ? &okeys[0].vec : NULL;
      const int64_t *fast_key = n_ok == 1 && order_no_nulls && sq_type_phys(ov->type) == SQ_P_I64 ? ov->i64 : NULL;
      int range_desc = n_ok > 0 ? okeys[0].desc : 0;
      uint64_t peer_lo = 0, peer_hi = 0; /* current peer group */
      uint64_t range_lo = 0, range_hi = 0;
      uint64_t dq_head = 0, dq_tail = 0, dq_next = 0; /* sliding min/max */
      int is_min = win->agg_fn == SQ_AGG_MIN, is_max = win->agg_fn == SQ_AGG_MAX;
      for (uint64_t k = 0; k < len; k++) {
        uint64_t r = idx[start + k];
        /* peers of k (rows equal on all order keys) */
        if (k >= peer_hi) {
          peer_lo = k;
          peer_hi = k + 1;
          if (fast_key != NULL) {
            int64_t kv = fast_key[r];
            while (peer_hi < len && fast_key[idx[start + peer_hi]] == kv)
              peer_hi++;
          } else {
            while (peer_hi < len && sq_sort_compare(okeys, n_ok, idx[start + peer_lo], idx[start + peer_hi]) == 0)
              peer_hi++;
          }
        }
        uint64_t lo, hi;
        /* start bound */
        if (sk == SQ_BOUND_UNBOUNDED_PRECEDING) {
          lo = 0;
        } else if (sk == SQ_BOUND_CURRENT) {
          lo = rows_frame ? k : peer_lo;
        } else if (rows_frame) {
          int64_t off = sk == SQ_BOUND_PRECEDING ? -(int64_t)win->start_offset : (int64_t)win->start_offset;
          int64_t p = sq_sat_add((int64_t)k, off);
          lo = p < 0 ? 0 : (uint64_t)p > len ? len : (uint64_t)p;
        } else {
          /* RANGE offset: first row whose key >= key - offset (ascending) */
          int cur_valid = ov->valid == NULL || ov->valid[r];
          if (!cur_valid) {
            lo = peer_lo;
          } else {
            int64_t key = ov->i64[r];
            int64_t off = sk == SQ_BOUND_PRECEDING ? -win->start_offset : win->start_offset;
            int64_t bound = sq_sat_add(key, range_desc ? -off : off);
            while (range_lo < len) {
              uint64_t rr = idx[start + range_lo];
              int v = ov->valid == NULL || ov->valid[rr];
              if (v && (range_desc ? ov->i64[rr] <= bound : ov->i64[rr] >= bound))
                break;
              if (!v && !okeys[0].nulls_first)
                break;
              range_lo++;
            }
            lo = range_lo;
          }
        }
        /* end bound */
        if (ek == SQ_BOUND_UNBOUNDED_FOLLOWING) {
          hi = len;
        } else if (ek == SQ_BOUND_CURRENT) {
          hi = rows_frame ? k + 1 : peer_hi;
        } else if (rows_frame) {
          int64_t off = ek == SQ_BOUND_PRECEDING ? -(int64_t)win->end_offset : (int64_t)win->end_offset;
          int64_t p = sq_sat_add(sq_sat_add((int64_t)k, off), 1);
          hi = p < 0 ? 0 : (uint64_t)p > len ? len : (uint64_t)p;
        } else {
          int cur_valid = ov->valid == NULL || ov->valid[r];
          if (!cur_valid) {
            hi = peer_hi;
          } else {
            int64_t key = ov->i64[r];
            int64_t off = ek == SQ_BOUND_PRECEDING ? -win->end_offset : win->end_offset;
            int64_t bound = sq_sat_add(key, range_desc ? -off : off);
            /* an end at or after the current row's key starts looking at the
             * current row; an end N PRECEDING may lie before it, so the pointer
             * only moves forward from where the previous row left it (the
             * bounds grow with the key), past leading NULL keys */
            if (ek != SQ_BOUND_PRECEDING && range_hi < k)
              range_hi = k;
            while (range_hi < len) {
              uint64_t rr = idx[start + range_hi];
              int v = ov->valid == NULL || ov->valid[rr];
              if (!v && okeys[0].nulls_first && range_hi < k) {
                range_hi++;
                continue;
              }
              if (!v || (range_desc ? ov->i64[rr] < bound : ov->i64[rr] > bound))
                break;
              range_hi++;
            }
            hi = range_hi;
          }
        }
        if (hi < lo)
          hi = lo;
        int64_t count = pc != NULL ? pc[hi] - pc[lo] : (int64_t)(hi - lo); /* no NULL argument: the frame's length */
        switch (win->agg_fn) {
        case SQ_AGG_COUNT_STAR:
          out->valid[r] = 1;
          ((int64_t *)out->data)[r] = (int64_t)(hi - lo);
          break;
        case SQ_AGG_COUNT:
          out->valid[r] = 1;
          ((int64_t *)out->data)[r] = count;
          break;
        case SQ_AGG_SUM:
        case SQ_AGG_AVG:
          if (count == 0)
            break;
          out->valid[r] = 1;
          if (win->agg_fn == SQ_AGG_AVG) {
            double scale = arg.type.kind == SQ_T_DECIMAL ? (double)sq_pow10(arg.type.scale) : 1.0;
            ((double *)out->data)[r] = numeric_double ? (pd[hi] - pd[lo]) / (double)count
                                                      : (double)SQ_PSUM(hi, lo) / ((double)count * scale);
          } else if (numeric_double) {
            ((double *)out->data)[r] = pd[hi] - pd[lo];
          } else if (sq_type_phys(out->type) == SQ_P_I128) {
            ((fr_i128 *)out->data)[r] = SQ_PSUM(hi, lo);
          } else {
            ((int64_t *)out->data)[r] = (int64_t)SQ_PSUM(hi, lo);
          }
          break;
        default: {
          /* min / max: monotone deque over positions; frames only move forward */
          if (!is_min && !is_max)
            break;
          if (lo < dq_next && dq_next > hi) {
            /* frame went backwards (cannot happen with forward frames); rebuild */
            dq_head = dq_tail = 0;
            dq_next = lo;
          }
          if (dq_next < lo)
            dq_next = lo;
          while (dq_next < hi) {
            uint64_t rr = idx[start + dq_next];
            int v = arg.valid == NULL || arg.valid[rr];
            if (v) {
              while (dq_tail > dq_head) {
                uint64_t last = idx[start + dqp[dq_tail - 1]];
                sq_sort_key cmpk = {arg, 0, 0};
                int c = sq_sort_compare(&cmpk, 1, last, rr);
                if ((is_min && c >= 0) || (is_max && c <= 0))
                  dq_tail--;
                else
                  break;
              }
              dqp[dq_tail++] = dq_next;
            }
            dq_next++;
          }
          while (dq_tail > dq_head && dqp[dq_head] < lo)
            dq_head++;
          if (dq_tail > dq_head)
            if (sq_put_value(keep, out, r, &arg, idx[start + dqp[dq_head]]) != 0) {
#pragma omp atomic write
          oom = 1;
        }
        }
        }
      }
      break;
    }
    }
  }
  if (oom)
    status = sq_ctx_nomem(ctx);
  fr_free(bounds);
  fr_free(pre_c);
  fr_free(pre_d);
  fr_free(pre_i);
  fr_free(pre_n);
  fr_free(dq);
done:
  fr_free(keys);
  fr_free(idx);
  fr_arena_free(&arena);
  return status;
}
