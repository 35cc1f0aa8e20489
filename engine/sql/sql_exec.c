/* sql_exec.c - planning and running one SELECT (see fr_sql.h).
 *
 * The plan of a SELECT is a pipeline over batches:
 *
 *   source (row groups of a stored table, or slices of a CTE / subquery)
 *     -> pushed-down filters (zone maps skip whole row groups first)
 *     -> hash-join probes against materialised build sides
 *     -> remaining WHERE conjuncts
 *     -> sink: hash aggregation | projection | materialisation for windows
 *
 * Batches run in parallel (OpenMP, dynamic schedule); each thread owns its
 * decode buffers, batch arena and, for aggregation, a hash table that is
 * merged at the end.  Only columns some expression reads are decoded.  The
 * rest (HAVING, windows, DISTINCT, ORDER BY, LIMIT) works on materialised
 * relations.  Results are deterministic in content at any thread count; row
 * order is fixed only by ORDER BY, and projections keep table order. */
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_hash.h"
#include "fr_sql.h"
#include "sql_rel.h"

/* ----------------------------------------------------------- the plan */

typedef struct sq_source {
  const fr_table_meta *table;   /* a stored table, or NULL */
  const sq_rel *rel;            /* a CTE or subquery result */
  const char *alias;
  int offset;                   /* first scope column */
  int n_cols;
  /* stored table: open segments and the row-group list */
  fr_segment **segs;
  uint32_t n_segs;
  uint32_t *batch_seg, *batch_rg;
  uint64_t n_batches;
  /* filters that read only this source (bound in the global scope) */
  sq_expr **filters;
  int n_filters;
} sq_source;

typedef struct sq_join {
  sq_join_kind kind;
  int right;                    /* source index */
  sq_expr **left_keys, **right_keys;
  int n_keys;
  sq_rel *build;                /* right side, materialised (columns = its scope) */
  /* open addressing over the build rows with a non-NULL key: slots hold
   * (hash tag << 32) | (entry + 1); an entry is one 64-byte line with the key
   * inline when short, so a probe usually touches two cache lines */
  uint64_t *slots;
  uint64_t mask;
  struct sq_jentry *entries;
  uint64_t n_entries;
  int unique;                   /* no two build rows share a key */
  /* LEFT JOIN: ON conditions on the left side only (`ON p.payee = e.id AND
   * p.amount > 100`); a left row for which one is not true matches nothing
   * and keeps its row with NULLs on the right, as DuckDB does */
  sq_expr **left_guards;
  int n_left_guards;
} sq_join;

typedef struct sq_plan {
  sq_ctx *ctx;
  sq_scope scope;
  sq_source sources[8];
  int n_sources;
  sq_join joins[8];
  int n_joins;
  sq_expr **residual;           /* WHERE conjuncts after the joins */
  int n_residual;
  int *needed;                  /* per scope column */
} sq_plan;

/* Per-thread scratch for running batches. */
typedef struct sq_worker {
  fr_arena arena;               /* batch lifetime */
  fr_column *decoded;           /* per stored column */
  int n_decoded;
  fr_buf stored, scratch;
  fr_error err;
} sq_worker;

static fr_status sq_fail(sq_ctx *ctx, fr_status code, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static fr_status sq_fail(sq_ctx *ctx, fr_status code, uint32_t pos, const char *fmt, ...) {
  char what[600], where[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  sq_format_location(ctx->sql, pos, where, sizeof where);
  return fr_error_set(ctx->err, code, "%s %s", what, where);
}

static void *sq_plan_alloc(sq_ctx *ctx, size_t bytes) {
  void *p = fr_arena_alloc(&ctx->plan, bytes == 0 ? 16 : bytes);
  if (p != NULL)
    memset(p, 0, bytes == 0 ? 16 : bytes);
  return p;
}

/* Splits an AND tree into conjuncts. */
static int sq_conjuncts(sq_expr *e, sq_expr **out, int n, int cap) {
  if (e == NULL)
    return n;
  if (e->kind == SQ_E_AND) {
    n = sq_conjuncts(e->args[0], out, n, cap);
    return sq_conjuncts(e->args[1], out, n, cap);
  }
  if (n < cap)
    out[n] = e;
  return n + 1;
}

typedef struct sq_col_range {
  int lo, hi;                   /* columns seen: min, max */
} sq_col_range;

static void sq_visit_range(void *ctx, int col) {
  sq_col_range *r = ctx;
  if (col < r->lo)
    r->lo = col;
  if (col > r->hi)
    r->hi = col;
}

/* Index of the single source an expression reads, -1 for none (a constant),
 * -2 for several. */
static int sq_expr_source(const sq_plan *plan, const sq_expr *e) {
  sq_col_range r = {1 << 30, -1};
  sq_expr_columns(e, sq_visit_range, &r);
  if (r.hi < 0)
    return -1;
  for (int s = 0; s < plan->n_sources; s++) {
    const sq_source *src = &plan->sources[s];
    if (r.lo >= src->offset && r.hi < src->offset + src->n_cols)
      return s;
  }
  return -2;
}

static void sq_mark_needed(void *ctx, int col) {
  int *needed = ctx;
  needed[col] = 1;
}

static void sq_mark_byte(void *ctx, int col) {
  uint8_t *marks = ctx;
  marks[col] = 1;
}

/* ------------------------------------------------------------- batches */

static fr_status sq_worker_init(sq_ctx *ctx, sq_worker *w, int n_decoded) {
  memset(w, 0, sizeof *w);
  fr_arena_init(&w->arena, &ctx->budget);
  /* a batch's vectors (~1 MB each at a row group of 2^17 rows) pack into big
   * blocks, which fr_malloc advises for huge pages: a fresh process faults a
   * few 2 MiB pages per worker instead of thousands of 4 KiB ones (not under a
   * small --memory-limit, where a block must stay a small share of it) */
  if (ctx->budget.limit == 0 || ctx->budget.limit >= ((uint64_t)1 << 30))
    w->arena.block_bytes = (size_t)4 << 20;
  fr_buf_init(&w->stored);
  fr_buf_init(&w->scratch);
  w->n_decoded = n_decoded;
  if (n_decoded > 0) {
    w->decoded = fr_calloc((size_t)n_decoded, sizeof *w->decoded);
    if (w->decoded == NULL)
      return sq_ctx_nomem(ctx);
  }
  return FR_OK;
}

static void sq_worker_free(sq_worker *w) {
  for (int i = 0; i < w->n_decoded; i++)
    fr_column_free(&w->decoded[i]);
  fr_free(w->decoded);
  fr_buf_free(&w->stored);
  fr_buf_free(&w->scratch);
  fr_arena_free(&w->arena);
}

/* Wraps a decoded store column as a vector (strings become views): every row,
 * or with sel the rows sel[0..count) only (a filter's survivors: the other
 * columns of a batch are wrapped for them alone, not wrapped whole and then
 * gathered).  A dictionary chunk keeps its codes and dictionary unless the
 * selected rows are few against the dictionary. */
static fr_status sq_wrap_column(sq_worker *w, const fr_column *col, sq_type type, sq_vec *out, const uint32_t *sel,
                                uint32_t count, fr_error *err) {
  memset(out, 0, sizeof *out);
  out->type = type;
  const uint32_t n = sel != NULL ? count : col->n_rows;
  out->n = n;
#define SQ_ROW(i) (sel != NULL ? sel[(i)] : (i))
  if (col->type == FR_TYPE_STRING && col->has_dict && (sel == NULL || (uint64_t)count * 4 >= col->n_dict)) {
    sq_str *s = fr_arena_alloc(&w->arena, (size_t)n * sizeof *s + 16);
    sq_str *dict = fr_arena_alloc(&w->arena, (size_t)col->n_dict * sizeof *dict + 16);
    uint32_t *codes = sel != NULL ? fr_arena_alloc(&w->arena, (size_t)n * sizeof *codes + 16) : col->dict_codes;
    if (s == NULL || dict == NULL || codes == NULL)
      return fr_error_set(err, w->arena.over_budget ? FR_ERR_LIMIT : FR_ERR_NOMEM,
                          "the query needs more memory than its limit (raise --memory-limit)");
    for (uint32_t d = 0; d < col->n_dict; d++) {
      dict[d].ptr = col->dict_bytes + col->dict_offsets[d];
      dict[d].len = col->dict_offsets[d + 1] - col->dict_offsets[d];
    }
    if (sel != NULL)
      for (uint32_t i = 0; i < n; i++) codes[i] = col->dict_codes[sel[i]];
    for (uint32_t i = 0; i < n; i++)
      s[i] = dict[codes[i]];
    out->str = s;
    out->codes = codes;
    out->dict = dict;
    out->n_dict = col->n_dict;
  } else if (col->type == FR_TYPE_STRING) {
    sq_str *s = fr_arena_alloc(&w->arena, (size_t)n * sizeof *s + 16);
    if (s == NULL)
      return fr_error_set(err, w->arena.over_budget ? FR_ERR_LIMIT : FR_ERR_NOMEM,
                          "the query needs more memory than its limit (raise --memory-limit)");
    if (col->has_dict) /* a few rows of a dictionary chunk: views of their entries */
      for (uint32_t i = 0; i < n; i++) {
        const uint32_t code = col->dict_codes[SQ_ROW(i)];
        s[i].ptr = col->dict_bytes + col->dict_offsets[code];
        s[i].len = col->dict_offsets[code + 1] - col->dict_offsets[code];
      }
    else
      for (uint32_t i = 0; i < n; i++) {
        const uint32_t r = SQ_ROW(i);
        s[i].ptr = col->str_bytes + col->str_offsets[r];
        s[i].len = col->str_offsets[r + 1] - col->str_offsets[r];
      }
    out->str = s;
  } else if (sel != NULL) {
    int64_t *v = fr_arena_alloc(&w->arena, (size_t)n * 8 + 16); /* f64 and i64 alike: 8 bytes a row */
    if (v == NULL)
      return fr_error_set(err, w->arena.over_budget ? FR_ERR_LIMIT : FR_ERR_NOMEM,
                          "the query needs more memory than its limit (raise --memory-limit)");
    const char *src = col->type == FR_TYPE_FLOAT64 ? (const char *)col->f64 : (const char *)col->i64;
    for (uint32_t i = 0; i < n; i++) memcpy(&v[i], src + (size_t)sel[i] * 8, 8);
    out->data = v;
  } else if (col->type == FR_TYPE_FLOAT64) {
    out->f64 = col->f64;
  } else {
    out->i64 = col->i64;
  }
  if (col->validity != NULL && col->null_count > 0) {
    uint8_t *v = fr_arena_alloc(&w->arena, n + 16);
    if (v == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
      const uint32_t r = SQ_ROW(i);
      v[i] = (uint8_t)((col->validity[r >> 3] >> (r & 7)) & 1);
    }
    out->valid = v;
  }
#undef SQ_ROW
  return FR_OK;
}

/* Zone map of one chunk `m` (not NULL) against `column op constant` (the
 * constant not NULL): 1 when it can be true for some row, or cannot tell. */
static int sq_zone_cmp_may(const sq_expr *col, int op, const sq_expr *cst, const fr_chunk_meta *m) {
  if (!(m->stats_flags & FR_STATS_HAS_MINMAX))
    return 0; /* every value NULL: a comparison is never true */
  sq_phys p = sq_type_phys(col->type);
  if (p == SQ_P_I64) {
    int64_t v = cst->value.i64, lo = m->min_i64, hi = m->max_i64;
    switch (op) {
    case SQ_OP_EQ: return v >= lo && v <= hi;
    case SQ_OP_LT: return lo < v;
    case SQ_OP_LE: return lo <= v;
    case SQ_OP_GT: return hi > v;
    case SQ_OP_GE: return hi >= v;
    default: return 1;
    }
  }
  if (p == SQ_P_STR) {
    sq_str v = cst->value.str;
    sq_str lo = {m->min_str, m->min_str_len}, hi = {m->max_str, m->max_str_len};
    int hi_exact = !(m->stats_flags & FR_STATS_MAX_TRUNCATED);
    uint32_t ml = v.len < lo.len ? v.len : lo.len;
    int c_lo = memcmp(v.ptr, lo.ptr, ml);
    if (c_lo == 0)
      c_lo = (v.len > lo.len) - (v.len < lo.len);
    uint32_t mh = v.len < hi.len ? v.len : hi.len;
    int c_hi = memcmp(v.ptr, hi.ptr, mh);
    if (c_hi == 0)
      c_hi = (v.len > hi.len) - (v.len < hi.len);
    /* min is always a lower bound; max only when not truncated */
    switch (op) {
    case SQ_OP_EQ: return c_lo >= 0 && (!hi_exact || c_hi <= 0);
    case SQ_OP_LT: return c_lo > 0;
    case SQ_OP_LE: return c_lo >= 0;
    case SQ_OP_GT: return !hi_exact || c_hi < 0;
    case SQ_OP_GE: return !hi_exact || c_hi <= 0;
    default: return 1;
    }
  }
  if (p == SQ_P_F64) {
    double v = cst->value.f64, lo = m->min_f64, hi = m->max_f64;
    switch (op) {
    case SQ_OP_EQ: return v >= lo && v <= hi;
    case SQ_OP_LT: return lo < v;
    case SQ_OP_LE: return lo <= v;
    case SQ_OP_GT: return hi > v;
    case SQ_OP_GE: return hi >= v;
    default: return 1;
    }
  }
  return 1;
}

/* Zone maps: returns 1 when filter `f` can be true for some row of chunk
 * metadata `meta` (or when it cannot tell): `column op constant`, and `column
 * IN (constants)` (true only where one of them can be equal). */
static int sq_zone_may_match(const sq_expr *f, const sq_source *src, const fr_chunk_meta *const *metas) {
  if (f->kind == SQ_E_IN && !f->negated && f->args[0]->kind == SQ_E_COL) {
    const fr_chunk_meta *m = metas[f->args[0]->col - src->offset];
    if (m == NULL)
      return 1;
    for (int j = 1; j < f->n_args; j++) {
      const sq_expr *cst = f->args[j];
      if (cst->kind != SQ_E_CONST)
        return 1;
      if (!cst->value.is_null && sq_zone_cmp_may(f->args[0], SQ_OP_EQ, cst, m))
        return 1;
    }
    return 0; /* no item can be equal (a NULL item never is) */
  }
  if (f->kind != SQ_E_CMP || f->op == SQ_OP_NSEQ || f->op == SQ_OP_NSNE) /* null-safe: NULLs may match */
    return 1;
  const sq_expr *col = f->args[0], *cst = f->args[1];
  if (col->kind != SQ_E_COL || cst->kind != SQ_E_CONST || cst->value.is_null)
    return cst->kind == SQ_E_CONST && cst->value.is_null && col->kind == SQ_E_COL ? 0 : 1;
  const fr_chunk_meta *m = metas[col->col - src->offset];
  return m == NULL || sq_zone_cmp_may(col, f->op, cst, m);
}

/* Copies one fixed-width cell; the common widths as constants, so the compiler
 * copies in registers (a memcpy call per row costs more than the copy). */
static inline void sq_copy_cell(char *dst, const char *src, size_t width) {
  if (width == 8)
    memcpy(dst, src, 8);
  else if (width == 16)
    memcpy(dst, src, 16);
  else
    memcpy(dst, src, width);
}

/* Replaces v by its rows sel[0..count) (data, validity and dictionary codes),
 * in w's arena. */
static fr_status sq_vec_gather(sq_plan *plan, sq_worker *w, sq_vec *v, const uint32_t *sel, uint32_t count) {
  size_t width = sq_rel_width(v->type);
  char *data = fr_arena_alloc(&w->arena, (size_t)count * width + 16);
  if (data == NULL)
    return sq_ctx_nomem(plan->ctx);
  const char *src = v->data;
  for (uint32_t i = 0; i < count; i++) sq_copy_cell(data + (size_t)i * width, src + (size_t)sel[i] * width, width);
  if (v->valid != NULL) {
    uint8_t *valid = fr_arena_alloc(&w->arena, count + 16);
    if (valid == NULL)
      return sq_ctx_nomem(plan->ctx);
    for (uint32_t i = 0; i < count; i++)
      valid[i] = v->valid[sel[i]];
    v->valid = valid;
  }
  if (v->codes != NULL) {
    uint32_t *codes = fr_arena_alloc(&w->arena, (size_t)count * sizeof *codes + 16);
    if (codes == NULL)
      return sq_ctx_nomem(plan->ctx);
    for (uint32_t i = 0; i < count; i++)
      codes[i] = v->codes[sel[i]];
    v->codes = codes;
  }
  v->data = data;
  v->n = count;
  return FR_OK;
}

/* Keeps the rows whose `mask` is TRUE: compacts every needed vector that is
 * loaded, and `row_of` (the batch row of each current row) when not NULL. */
static fr_status sq_apply_mask(sq_plan *plan, sq_worker *w, sq_vec *cols, uint32_t *n, const sq_vec *mask,
                               uint32_t *row_of) {
  uint32_t count = 0, total = *n;
  uint32_t *sel = fr_arena_alloc(&w->arena, (size_t)total * sizeof *sel + 16);
  if (sel == NULL)
    return sq_ctx_nomem(plan->ctx);
  for (uint32_t i = 0; i < total; i++) {
    sel[count] = i;
    count += (uint32_t)((mask->valid == NULL || mask->valid[i]) && mask->i64[i] != 0);
  }
  if (count == total)
    return FR_OK;
  for (int c = 0; c < plan->scope.n; c++)
    if (plan->needed[c] && cols[c].data != NULL)
      FR_TRY(sq_vec_gather(plan, w, &cols[c], sel, count));
  for (uint32_t i = 0; row_of != NULL && i < count; i++)
    row_of[i] = row_of[sel[i]];
  *n = count;
  return FR_OK;
}

/* Applies `filters` in turn (see sq_apply_mask for row_of, which may be NULL). */
static fr_status sq_filter(sq_plan *plan, sq_worker *w, sq_vec *cols, uint32_t *n, sq_expr *const *filters,
                           int n_filters, uint32_t *row_of) {
  for (int f = 0; f < n_filters && *n > 0; f++) {
    sq_eval_ctx ec = {cols, *n, &w->arena, &w->err};
    sq_vec mask;
    FR_TRY(sq_eval(&ec, filters[f], &mask));
    FR_TRY(sq_apply_mask(plan, w, cols, n, &mask, row_of));
  }
  return FR_OK;
}

/* Loads batch `b` of source `s` into cols[src->offset ..]; *skipped is set when
 * zone maps rule the whole batch out. */
static fr_status sq_load_batch(sq_plan *plan, sq_worker *w, int s, uint64_t b, sq_vec *cols, uint32_t *n,
                               int *skipped) {
  sq_source *src = &plan->sources[s];
  *skipped = 0;
  if (src->rel != NULL) {
    uint64_t start = b * 65536;
    uint32_t count = (uint32_t)(src->rel->n_rows - start < 65536 ? src->rel->n_rows - start : 65536);
    for (int c = 0; c < src->n_cols; c++)
      if (plan->needed[src->offset + c])
        sq_rel_view(src->rel, c, start, count, &cols[src->offset + c]);
    *n = count;
    return sq_filter(plan, w, cols, n, src->filters, src->n_filters, NULL);
  }
  fr_segment *seg = src->segs[src->batch_seg[b]];
  uint32_t rg = src->batch_rg[b];
  const fr_chunk_meta **metas = fr_arena_alloc(&w->arena, (size_t)(src->n_cols + 1) * sizeof *metas);
  if (metas == NULL)
    return sq_ctx_nomem(plan->ctx);
  for (int c = 0; c < src->n_cols; c++)
    metas[c] = fr_segment_chunk(seg, rg, (uint32_t)c);
  for (int f = 0; f < src->n_filters; f++)
    if (!sq_zone_may_match(src->filters[f], src, metas)) {
      *skipped = 1;
      *n = 0;
      return FR_OK;
    }
  uint32_t rows = fr_segment_rowgroup_rows(seg, rg);
  /* Filter columns first: when the pushed filters need fewer columns than the
   * query, they are decoded and filtered alone, remembering which batch rows
   * pass; a batch where none does is dropped before the other columns are
   * decoded (a lookup on a column the zone maps cannot narrow decodes one
   * column per row group, not all), else the other columns are decoded and
   * gathered for the passing rows. */
  uint8_t *in_filter = NULL;
  int others = 0;
  if (src->n_filters > 0) {
    in_filter = fr_arena_alloc(&w->arena, (size_t)plan->scope.n + 16);
    if (in_filter == NULL)
      return sq_ctx_nomem(plan->ctx);
    memset(in_filter, 0, (size_t)plan->scope.n);
    for (int f = 0; f < src->n_filters; f++)
      sq_expr_columns(src->filters[f], sq_mark_byte, in_filter);
    for (int c = 0; c < src->n_cols; c++)
      others |= plan->needed[src->offset + c] && !in_filter[src->offset + c];
  }
  uint32_t *row_of = NULL;
  *n = rows;
  for (int pass = others ? 0 : 1; pass < 2; pass++) {
    for (int c = 0; c < src->n_cols; c++) {
      int gc = src->offset + c;
      /* pass 0: the filter columns; pass 1: the rest (everything without pass 0) */
      if (!plan->needed[gc] || (others && (in_filter[gc] != 0) != (pass == 0)))
        continue;
      fr_column *col = &w->decoded[gc];
      /* a plain string chunk stored in frames, or a dictionary chunk, after a
       * filter that kept few rows (a lookup): only those rows are decoded
       * (inflating only their frames; reading only their codes), and the
       * column is theirs already */
      const fr_chunk_meta *meta = fr_segment_chunk(seg, rg, (uint32_t)c);
      if (pass == 1 && row_of != NULL && *n <= rows / 16 && meta != NULL &&
          (meta->compression == FR_COMP_ZSTD_FRAMES || meta->encoding == FR_ENC_DICT_STR) &&
          fr_segment_schema(seg)->columns[c].type == FR_TYPE_STRING) {
        col->want_dict = 0;
        if (fr_segment_read_str_rows(seg, rg, (uint32_t)c, row_of, *n, col, &w->stored, &w->scratch,
                                     plan->ctx->err) != FR_OK)
          return fr_error_prefix(plan->ctx->err, "table %s: ", src->table->name);
        FR_TRY(sq_wrap_column(w, col, plan->scope.cols[gc].type, &cols[gc], NULL, *n, plan->ctx->err));
        continue;
      }
      col->want_dict = 1;
      fr_status status = fr_segment_read_chunk(seg, rg, (uint32_t)c, col, &w->stored, &w->scratch, plan->ctx->err);
      if (status != FR_OK)
        return fr_error_prefix(plan->ctx->err, "table %s: ", src->table->name);
      FR_TRY(sq_wrap_column(w, col, plan->scope.cols[gc].type, &cols[gc], row_of != NULL && *n < rows ? row_of : NULL,
                            *n, plan->ctx->err));
    }
    if (pass == 0) {
      row_of = fr_arena_alloc(&w->arena, (size_t)rows * sizeof *row_of + 16);
      if (row_of == NULL)
        return sq_ctx_nomem(plan->ctx);
      for (uint32_t i = 0; i < rows; i++)
        row_of[i] = i;
      FR_TRY(sq_filter(plan, w, cols, n, src->filters, src->n_filters, row_of));
      if (*n == 0)
        return FR_OK;
    }
  }
  return others ? FR_OK : sq_filter(plan, w, cols, n, src->filters, src->n_filters, NULL);
}

/* ------------------------------------------------------------ hash join */

/* Serialises one row's key values (NULL -> returns 0: never matches). */
static int sq_key_bytes(const sq_vec *keys, int n_keys, uint32_t row, uint8_t *buf, uint32_t cap, uint32_t *len) {
  uint32_t at = 0;
  for (int k = 0; k < n_keys; k++) {
    const sq_vec *v = &keys[k];
    if (!sq_vec_valid(v, row))
      return 0;
    switch (sq_type_phys(v->type)) {
    case SQ_P_I64: if (at + 8 > cap) return -1; memcpy(buf + at, &v->i64[row], 8); at += 8; break;
    case SQ_P_I128: if (at + 16 > cap) return -1; memcpy(buf + at, &v->i128[row], 16); at += 16; break;
    case SQ_P_F64: {
      double d = v->f64[row] == 0 ? 0.0 : v->f64[row];
      if (at + 8 > cap) return -1;
      memcpy(buf + at, &d, 8);
      at += 8;
      break;
    }
    case SQ_P_STR: {
      uint32_t l = v->str[row].len;
      if (at + 4 + l > cap) return -1;
      memcpy(buf + at, &l, 4);
      if (l > 0)
        memcpy(buf + at + 4, v->str[row].ptr, l);
      at += 4 + l;
      break;
    }
    }
  }
  *len = at;
  return 1;
}

typedef struct sq_jentry {
  uint64_t hash;
  uint32_t len;
  uint32_t row;
  union {
    uint8_t inl[48];
    const uint8_t *ptr;
  } key;
} sq_jentry;

static inline const uint8_t *sq_jentry_key(const sq_jentry *e) {
  return e->len <= sizeof e->key.inl ? e->key.inl : e->key.ptr;
}

/* Calls back every build row whose key equals `key` (stops after the first
 * when build keys are unique).  Returns the number of matches. */
#define SQ_JOIN_FOREACH(j, key, len, h, ROW, BODY)                                                  \
  do {                                                                                              \
    uint64_t sq_s_ = (h) & (j)->mask, sq_tag_ = (h) & 0xFFFFFFFF00000000ull;                          \
    for (;;) {                                                                                      \
      uint64_t sq_e_ = (j)->slots[sq_s_];                                                           \
      if (sq_e_ == 0)                                                                               \
        break;                                                                                      \
      if ((sq_e_ & 0xFFFFFFFF00000000ull) == sq_tag_) {                                             \
        const sq_jentry *sq_je_ = &(j)->entries[(sq_e_ & 0xFFFFFFFFull) - 1];                       \
        if (sq_je_->hash == (h) && sq_je_->len == (len) && memcmp(sq_jentry_key(sq_je_), (key), (len)) == 0) { \
          uint64_t ROW = sq_je_->row;                                                               \
          BODY;                                                                                     \
          if ((j)->unique)                                                                          \
            break;                                                                                  \
        }                                                                                           \
      }                                                                                             \
      sq_s_ = (sq_s_ + 1) & (j)->mask;                                                              \
    }                                                                                               \
  } while (0)

/* Builds the hash table over a join's materialised right side. */
static fr_status sq_join_build(sq_plan *plan, sq_join *j) {
  sq_ctx *ctx = plan->ctx;
  sq_rel *build = j->build;
  uint64_t n = build->n_rows;
  if (n >= 0xFFFFFFFFull)
    return fr_error_set(ctx->err, FR_ERR_LIMIT, "a join's build side has more than 4 billion rows");
  uint64_t cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  j->mask = cap - 1;
  if (fr_budget_charge(&ctx->budget, cap * 8 + n * sizeof(sq_jentry)) != 0)
    return fr_error_set(ctx->err, FR_ERR_LIMIT,
                        "the join's build side (%llu rows) needs more memory than the limit; raise --memory-limit",
                        (unsigned long long)n);
  /* dense: a big table gets huge pages (its probes are random, and with 4 KiB
   * pages each one missed the TLB too) */
  j->slots = fr_calloc_dense(cap, sizeof *j->slots);
  j->entries = fr_malloc((size_t)(n + 1) * sizeof *j->entries);
  if (j->slots == NULL || j->entries == NULL)
    return sq_ctx_nomem(ctx);
  /* evaluate the right keys over the build relation laid out at its scope offset */
  const sq_source *src = &plan->sources[j->right];
  fr_arena arena;
  fr_arena_init(&arena, &ctx->budget);
  sq_vec *cols = fr_arena_alloc(&arena, (size_t)plan->scope.n * sizeof *cols + 16);
  sq_vec *keys = fr_arena_alloc(&arena, (size_t)j->n_keys * sizeof *keys + 16);
  fr_status status = cols == NULL || keys == NULL ? sq_ctx_nomem(ctx) : FR_OK;
  if (status == FR_OK) {
    memset(cols, 0, (size_t)plan->scope.n * sizeof *cols);
    for (int c = 0; c < src->n_cols; c++)
      sq_rel_view(build, c, 0, (uint32_t)n, &cols[src->offset + c]);
    sq_eval_ctx ec = {cols, (uint32_t)n, &arena, ctx->err};
    for (int k = 0; k < j->n_keys && status == FR_OK; k++)
      status = sq_eval(&ec, j->right_keys[k], &keys[k]);
  }
  uint8_t buf[4096];
  j->unique = 1;
  j->n_entries = 0;
  /* the keys' hashes first, in parallel; then the inserts, one thread, with
   * the slot of the row 16 ahead prefetched (the inserts are cache misses) */
  uint64_t *hashes = status == FR_OK ? fr_malloc((size_t)(n + 1) * sizeof *hashes) : NULL;
  if (status == FR_OK && hashes == NULL)
    status = sq_ctx_nomem(ctx);
  int too_long = 0;
  if (status == FR_OK) {
#pragma omp parallel for schedule(static) num_threads(ctx->threads) reduction(| : too_long)
    for (int64_t r = 0; r < (int64_t)n; r++) {
      uint8_t kb[4096];
      uint32_t len;
      int ok = sq_key_bytes(keys, j->n_keys, (uint32_t)r, kb, sizeof kb, &len);
      too_long |= ok < 0;
      hashes[r] = ok > 0 ? fr_hash64(kb, len, 0) : 0;
    }
  }
  if (status == FR_OK && too_long)
    status = fr_error_set(ctx->err, FR_ERR_UNSUPPORTED, "join keys longer than 4 KiB are not supported");
  for (uint64_t r = 0; r < n && status == FR_OK; r++) {
    if (r + 16 < n)
      __builtin_prefetch(&j->slots[hashes[r + 16] & j->mask]);
    uint32_t len;
    int ok = sq_key_bytes(keys, j->n_keys, (uint32_t)r, buf, sizeof buf, &len);
    if (ok == 0)
      continue; /* a NULL key never matches */
    uint64_t h = hashes[r];
    if (j->unique)
      SQ_JOIN_FOREACH(j, buf, len, h, dup_row, { (void)dup_row; j->unique = 0; });
    sq_jentry *e = &j->entries[j->n_entries];
    e->hash = h;
    e->len = len;
    e->row = (uint32_t)r;
    if (len <= sizeof e->key.inl) {
      memcpy(e->key.inl, buf, len);
    } else {
      uint8_t *copy = fr_arena_alloc(&ctx->keep[0], len);
      if (copy == NULL) {
        status = sq_ctx_nomem(ctx);
        break;
      }
      memcpy(copy, buf, len);
      e->key.ptr = copy;
    }
    uint64_t slot = h & j->mask;
    while (j->slots[slot] != 0)
      slot = (slot + 1) & j->mask;
    j->slots[slot] = (h & 0xFFFFFFFF00000000ull) | (j->n_entries + 1);
    j->n_entries++;
  }
  fr_free(hashes);
  fr_arena_free(&arena);
  return status;
}

static void sq_join_free(sq_join *j) {
  fr_free(j->slots);
  fr_free(j->entries);
}

/* Matched (left row, right row or -1) pairs of one probed batch. */
typedef struct sq_pairs {
  uint32_t *left;
  int64_t *right;
  uint64_t n, cap;
} sq_pairs;

/* Appends a pair; returns -1 when memory runs out (the pairs stay valid). */
static int sq_pairs_push(sq_pairs *p, uint32_t left, int64_t right) {
  if (p->n == p->cap) {
    uint64_t cap = p->cap * 2;
    uint32_t *l = fr_realloc(p->left, cap * sizeof *l);
    if (l == NULL)
      return -1;
    p->left = l;
    int64_t *r = fr_realloc(p->right, cap * sizeof *r);
    if (r == NULL)
      return -1;
    p->right = r;
    p->cap = cap;
  }
  p->left[p->n] = left;
  p->right[p->n] = right;
  p->n++;
  return 0;
}

/* Probes join j with the batch in cols; replaces the batch with the joined rows. */
static fr_status sq_join_probe(sq_plan *plan, sq_worker *w, sq_join *j, sq_vec *cols, uint32_t *n) {
  sq_ctx *ctx = plan->ctx;
  uint32_t count = *n;
  sq_vec keys[16];
  sq_eval_ctx ec = {cols, count, &w->arena, &w->err};
  for (int k = 0; k < j->n_keys; k++)
    FR_TRY(sq_eval(&ec, j->left_keys[k], &keys[k]));
  /* the rows every left guard holds for (true, not NULL); NULL = all */
  uint8_t *guard_ok = NULL;
  if (j->n_left_guards > 0) {
    guard_ok = fr_arena_alloc(&w->arena, (size_t)count + 16);
    if (guard_ok == NULL)
      return sq_ctx_nomem(ctx);
    memset(guard_ok, 1, count);
    for (int f = 0; f < j->n_left_guards; f++) {
      sq_vec g;
      FR_TRY(sq_eval(&ec, j->left_guards[f], &g));
      for (uint32_t i = 0; i < count; i++)
        guard_ok[i] &= (uint8_t)((g.valid == NULL || g.valid[i]) && g.i64[i] != 0);
    }
  }
  sq_pairs pairs = {NULL, NULL, 0, (uint64_t)count + 16};
  pairs.left = fr_malloc(pairs.cap * sizeof *pairs.left);
  pairs.right = fr_malloc(pairs.cap * sizeof *pairs.right);
  if (pairs.left == NULL || pairs.right == NULL) {
    fr_free(pairs.left);
    fr_free(pairs.right);
    return sq_ctx_nomem(ctx);
  }
  uint8_t buf[4096];
  fr_status status = FR_OK;
  /* One dictionary-coded key against unique build keys: look each dictionary
   * entry up once. */
  int64_t *dict_match = NULL;
  if (j->n_keys == 1 && j->unique && keys[0].codes != NULL && keys[0].n_dict < count) {
    dict_match = fr_arena_alloc(&w->arena, (size_t)(keys[0].n_dict + 1) * sizeof *dict_match);
    if (dict_match == NULL) {
      fr_free(pairs.left);
      fr_free(pairs.right);
      return sq_ctx_nomem(ctx);
    }
    sq_vec dv;
    memset(&dv, 0, sizeof dv);
    dv.type = keys[0].type;
    dv.n = keys[0].n_dict;
    dv.str = (sq_str *)keys[0].dict;
    for (uint32_t d = 0; d < keys[0].n_dict; d++) {
      uint32_t len = 0;
      dict_match[d] = -1;
      if (sq_key_bytes(&dv, 1, d, buf, sizeof buf, &len) <= 0)
        continue;
      uint64_t h = fr_hash64(buf, len, 0);
      SQ_JOIN_FOREACH(j, buf, len, h, row, { dict_match[d] = (int64_t)row; });
    }
    for (uint32_t i = 0; i < count; i++) {
      int64_t r = sq_vec_valid(&keys[0], i) && (guard_ok == NULL || guard_ok[i]) ? dict_match[keys[0].codes[i]] : -1;
      if (r < 0 && j->kind != SQ_JOIN_LEFT)
        continue;
      pairs.left[pairs.n] = i; /* at most one pair per row: within the initial capacity */
      pairs.right[pairs.n] = r;
      pairs.n++;
    }
  }
  /* general path: serialise and hash a chunk of keys, then probe with the
   * slots of rows ahead prefetched (the probes are cache misses) */
  enum { SQ_PROBE_CHUNK = 1024 };
  uint64_t hashes[SQ_PROBE_CHUNK];
  uint32_t key_at[SQ_PROBE_CHUNK], key_len[SQ_PROBE_CHUNK];
  uint8_t *kbuf = dict_match == NULL ? fr_arena_alloc(&w->arena, (size_t)SQ_PROBE_CHUNK * 4096) : NULL;
  if (dict_match == NULL && kbuf == NULL)
    status = sq_ctx_nomem(ctx);
  for (uint32_t from = 0; from < count && dict_match == NULL && status == FR_OK; from += SQ_PROBE_CHUNK) {
    uint32_t m = count - from < SQ_PROBE_CHUNK ? count - from : SQ_PROBE_CHUNK;
    uint32_t at = 0;
    for (uint32_t i = 0; i < m; i++) {
      uint32_t len = 0;
      int ok = guard_ok != NULL && !guard_ok[from + i] ? 0 /* a left guard fails: matches nothing */
                                                         : sq_key_bytes(keys, j->n_keys, from + i, kbuf + at, 4096, &len);
      key_at[i] = at;
      key_len[i] = ok > 0 ? len : UINT32_MAX; /* NULL key (or too long: never stored) */
      hashes[i] = ok > 0 ? fr_hash64(kbuf + at, len, 0) : 0;
      at += ok > 0 ? len : 0;
    }
    for (uint32_t i = 0; i < m && status == FR_OK; i++) {
      /* two stages: the slot 16 rows ahead, then (its slot by now cached) the
       * entry 8 rows ahead */
      if (i + 16 < m && key_len[i + 16] != UINT32_MAX)
        __builtin_prefetch(&j->slots[hashes[i + 16] & j->mask]);
      if (i + 8 < m && key_len[i + 8] != UINT32_MAX) {
        uint64_t e = j->slots[hashes[i + 8] & j->mask];
        if (e != 0)
          __builtin_prefetch(&j->entries[(e & 0xFFFFFFFFull) - 1]);
      }
      int matched = 0;
      if (key_len[i] != UINT32_MAX) {
        const uint8_t *key = kbuf + key_at[i];
        uint32_t len = key_len[i];
        uint64_t h = hashes[i];
        SQ_JOIN_FOREACH(j, key, len, h, row, {
          if (sq_pairs_push(&pairs, from + i, (int64_t)row) != 0) {
            status = sq_ctx_nomem(ctx);
            break;
          }
          matched = 1;
        });
      }
      if (status == FR_OK && !matched && j->kind == SQ_JOIN_LEFT && sq_pairs_push(&pairs, from + i, -1) != 0)
        status = sq_ctx_nomem(ctx);
    }
  }
  uint64_t used = pairs.n;
  const uint32_t *lidx = pairs.left;
  const int64_t *ridx = pairs.right;
  if (status == FR_OK && used > UINT32_MAX / 2)
    status = fr_error_set(ctx->err, FR_ERR_LIMIT, "a join produced too many rows for one batch");
  const sq_source *right = &plan->sources[j->right];
  for (int c = 0; c < plan->scope.n && status == FR_OK; c++) {
    if (!plan->needed[c])
      continue;
    int is_right = c >= right->offset && c < right->offset + right->n_cols;
    int is_left = c < right->offset;
    if (!is_right && !is_left)
      continue;
    sq_vec *v = &cols[c];
    if (is_left) {
      status = sq_vec_gather(plan, w, v, lidx, (uint32_t)used);
      continue;
    }
    sq_type type = plan->scope.cols[c].type;
    size_t width = sq_rel_width(type);
    char *data = fr_arena_alloc(&w->arena, (size_t)used * width + 16);
    uint8_t *valid = fr_arena_alloc(&w->arena, (size_t)used + 16);
    if (data == NULL || valid == NULL) {
      status = sq_ctx_nomem(ctx);
      break;
    }
    const sq_rcol *rc = &j->build->cols[c - right->offset];
    for (uint64_t i = 0; i < used; i++) {
      if (ridx[i] < 0) {
        memset(data + i * width, 0, width);
        valid[i] = 0;
      } else {
        sq_copy_cell(data + i * width, (const char *)rc->data + (size_t)ridx[i] * width, width);
        valid[i] = rc->valid[ridx[i]];
      }
    }
    memset(v, 0, sizeof *v);
    v->type = type;
    v->n = (uint32_t)used;
    v->data = data;
    v->valid = valid;
  }
  fr_free(pairs.left);
  fr_free(pairs.right);
  *n = (uint32_t)used;
  return status;
}

/* ------------------------------------------------------------ the pipeline */

/* Receives one batch of rows (after joins and WHERE): `cols` is the scope. */
typedef fr_status (*sq_sink_fn)(void *sink, int tid, uint64_t batch, sq_worker *w, sq_vec *cols, uint32_t n);

/* Runs every batch of the plan through `sink`, in parallel.  When
 * `stop_after` is non-zero, batches run in waves and stop once the sink has
 * seen that many rows (LIMIT without ORDER BY). */
static fr_status sq_run(sq_plan *plan, sq_sink_fn sink, void *sink_ctx, uint64_t stop_after) {
  sq_ctx *ctx = plan->ctx;
  sq_source *src0 = &plan->sources[0];
  uint64_t n_batches = src0->rel != NULL ? (src0->rel->n_rows + 65535) / 65536 : src0->n_batches;
  int threads = ctx->threads;
  sq_worker *workers = fr_calloc((size_t)threads, sizeof *workers);
  if (workers == NULL)
    return sq_ctx_nomem(ctx);
  fr_status status = FR_OK;
  for (int t = 0; t < threads && status == FR_OK; t++)
    status = sq_worker_init(ctx, &workers[t], plan->scope.n);
  volatile int failed = status != FR_OK;
  fr_status first_status = status;
  uint64_t seen = 0;
  uint64_t wave = stop_after > 0 ? (uint64_t)threads : n_batches;
  if (wave == 0)
    wave = 1;
  for (uint64_t from = 0; from < n_batches && !failed; from += wave) {
    uint64_t to = from + wave < n_batches ? from + wave : n_batches;
    uint64_t wave_rows = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) reduction(+ : wave_rows)
    for (uint64_t b = from; b < to; b++) {
      if (failed)
        continue;
      int tid = omp_get_thread_num();
      sq_worker *w = &workers[tid];
      fr_error_clear(&w->err);
      fr_arena_reset(&w->arena);
      sq_vec *cols = fr_arena_alloc(&w->arena, (size_t)plan->scope.n * sizeof *cols + 16);
      fr_status st = cols == NULL ? FR_ERR_NOMEM : FR_OK;
      fr_error local;
      fr_error_clear(&local);
      uint32_t n = 0;
      int skipped = 0;
      if (st == FR_OK) {
        memset(cols, 0, (size_t)plan->scope.n * sizeof *cols);
        for (int c = 0; c < plan->scope.n; c++)
          cols[c].type = plan->scope.cols[c].type;
        /* errors from the shared paths land in ctx->err under a lock below */
        fr_error *saved = ctx->err;
        (void)saved;
        st = sq_load_batch(plan, w, 0, b, cols, &n, &skipped);
      }
      for (int j = 0; j < plan->n_joins && st == FR_OK && !skipped && n > 0; j++)
        st = sq_join_probe(plan, w, &plan->joins[j], cols, &n);
      if (st == FR_OK && !skipped && n > 0)
        st = sq_filter(plan, w, cols, &n, plan->residual, plan->n_residual, NULL);
      if (st == FR_OK && !skipped && n > 0)
        st = sink(sink_ctx, tid, b, w, cols, n);
      if (st == FR_OK)
        wave_rows += n;
      if (st != FR_OK) {
#pragma omp critical(sq_error)
        {
          if (!failed) {
            failed = 1;
            first_status = st;
            if (w->err.code != FR_OK && ctx->err->code == FR_OK)
              *ctx->err = w->err;
            if (ctx->err->code == FR_OK)
              fr_error_set(ctx->err, st, "%s while running the query",
                           st == FR_ERR_LIMIT ? "the memory limit was reached" : fr_status_str(st));
          }
        }
      }
    }
    seen += wave_rows;
    if (stop_after > 0 && seen >= stop_after)
      break;
  }
  for (int t = 0; t < threads; t++)
    sq_worker_free(&workers[t]);
  fr_free(workers);
  if (failed) {
    if (ctx->err->code == FR_OK)
      fr_error_set(ctx->err, first_status, "query failed");
    return ctx->err->code;
  }
  return FR_OK;
}

/* -------------------------------------------------- sink: materialise */

/* ORDER BY ... LIMIT k without DISTINCT: each batch keeps only its best k rows. */
typedef struct sq_topk {
  uint64_t k;
  int n_keys;
  const int *cols;          /* output columns that are the sort keys */
  const int *desc, *nulls_first;
} sq_topk;

typedef struct sq_collect {
  const sq_topk *topk;
  sq_plan *plan;
  sq_ctx *ctx;
  sq_expr **exprs;      /* evaluated per batch into the output columns */
  int n_exprs;
  sq_type *types;
  sq_rel **chunks;      /* per batch */
  uint64_t n_chunks;
} sq_collect;

/* Keeps the k best rows of a batch (ties broken by row position, so the
 * final stable sort gives the same rows at any thread count): a bounded
 * max-heap of the k best seen, then the kept rows in position order. */
static int sq_topk_worse(const sq_sort_key *keys, int n_keys, uint64_t a, uint64_t b) {
  int c = sq_sort_compare(keys, n_keys, a, b);
  return c != 0 ? c > 0 : a > b;
}

static void sq_heap_down(const sq_sort_key *keys, int n_keys, uint64_t *heap, uint64_t n, uint64_t at) {
  for (;;) {
    uint64_t l = 2 * at + 1, r = l + 1, big = at;
    if (l < n && sq_topk_worse(keys, n_keys, heap[l], heap[big]))
      big = l;
    if (r < n && sq_topk_worse(keys, n_keys, heap[r], heap[big]))
      big = r;
    if (big == at)
      return;
    uint64_t t = heap[at];
    heap[at] = heap[big];
    heap[big] = t;
    at = big;
  }
}

static int sq_u64_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static fr_status sq_topk_select(sq_ctx *ctx, sq_worker *w, const sq_topk *t, sq_vec *out, int n_out, uint32_t *n) {
  uint64_t k = t->k, rows = *n;
  sq_sort_key *keys = fr_arena_alloc(&w->arena, (size_t)(t->n_keys + 1) * sizeof *keys);
  uint64_t *heap = fr_arena_alloc(&w->arena, (size_t)(k + 1) * sizeof *heap);
  if (keys == NULL || heap == NULL)
    return sq_ctx_nomem(ctx);
  for (int i = 0; i < t->n_keys; i++) {
    keys[i].vec = out[t->cols[i]];
    keys[i].desc = t->desc[i];
    keys[i].nulls_first = t->nulls_first[i];
  }
  uint64_t size = 0;
  for (uint64_t r = 0; r < rows; r++) {
    if (size < k) {
      heap[size++] = r;
      for (uint64_t at = size - 1; at > 0;) {
        uint64_t parent = (at - 1) / 2;
        if (!sq_topk_worse(keys, t->n_keys, heap[at], heap[parent]))
          break;
        uint64_t tmp = heap[at];
        heap[at] = heap[parent];
        heap[parent] = tmp;
        at = parent;
      }
    } else if (sq_topk_worse(keys, t->n_keys, heap[0], r)) {
      heap[0] = r;
      sq_heap_down(keys, t->n_keys, heap, size, 0);
    }
  }
  qsort(heap, size, sizeof *heap, sq_u64_cmp);
  for (int c = 0; c < n_out; c++) {
    sq_vec *v = &out[c];
    if (v->data == NULL)
      continue;
    size_t width = sq_rel_width(v->type);
    char *data = fr_arena_alloc(&w->arena, (size_t)size * width + 16);
    uint8_t *valid = v->valid != NULL ? fr_arena_alloc(&w->arena, (size_t)size + 16) : NULL;
    if (data == NULL || (v->valid != NULL && valid == NULL))
      return sq_ctx_nomem(ctx);
    for (uint64_t i = 0; i < size; i++) {
      memcpy(data + i * width, (const char *)v->data + heap[i] * width, width);
      if (valid != NULL)
        valid[i] = v->valid[heap[i]];
    }
    v->data = data;
    v->valid = valid;
    v->codes = NULL;
    v->n = (uint32_t)size;
  }
  *n = (uint32_t)size;
  return FR_OK;
}

static fr_status sq_collect_sink(void *sink, int tid, uint64_t batch, sq_worker *w, sq_vec *cols, uint32_t n) {
  sq_collect *c = sink;
  sq_ctx *ctx = c->ctx;
  sq_vec *out = fr_arena_alloc(&w->arena, (size_t)(c->n_exprs + 1) * sizeof *out);
  if (out == NULL)
    return sq_ctx_nomem(ctx);
  sq_eval_ctx ec = {cols, n, &w->arena, &w->err};
  for (int i = 0; i < c->n_exprs; i++)
    if (c->exprs[i] != NULL)
      FR_TRY(sq_eval(&ec, c->exprs[i], &out[i]));
  if (c->topk != NULL && n > c->topk->k)
    FR_TRY(sq_topk_select(ctx, w, c->topk, out, c->n_exprs, &n));
  sq_rel *chunk = fr_calloc(1, sizeof *chunk);
  if (chunk == NULL)
    return sq_ctx_nomem(ctx);
  chunk->n_cols = c->n_exprs;
  chunk->cols = fr_calloc((size_t)(c->n_exprs + 1), sizeof *chunk->cols);
  if (chunk->cols == NULL) {
    fr_free(chunk);
    return sq_ctx_nomem(ctx);
  }
  for (int i = 0; i < c->n_exprs; i++) {
    chunk->cols[i].type = c->types[i];
    chunk->cols[i].unused = c->exprs[i] == NULL;
  }
  c->chunks[batch] = chunk;
  return sq_rel_append(ctx, chunk, out, n, &ctx->keep[tid]);
}

/* Concatenates chunks (in batch order) into `rel`, freeing them. */
static fr_status sq_concat_chunks(sq_ctx *ctx, sq_rel *rel, sq_rel **chunks, uint64_t n_chunks) {
  uint64_t total = rel->n_rows;
  for (uint64_t b = 0; b < n_chunks; b++)
    if (chunks[b] != NULL)
      total += chunks[b]->n_rows;
  fr_status status = sq_rel_reserve(ctx, rel, total);
  for (uint64_t b = 0; b < n_chunks; b++) {
    sq_rel *chunk = chunks[b];
    if (chunk == NULL)
      continue;
    if (status == FR_OK) {
      for (int c = 0; c < rel->n_cols; c++) {
        sq_rcol *dst = &rel->cols[c];
        if (dst->unused)
          continue;
        size_t width = sq_rel_width(dst->type);
        memcpy((char *)dst->data + rel->n_rows * width, chunk->cols[c].data, chunk->n_rows * width);
        memcpy(dst->valid + rel->n_rows, chunk->cols[c].valid, chunk->n_rows);
      }
      rel->n_rows += chunk->n_rows;
    }
    sq_rel_clear(ctx, chunk);
    fr_free(chunk->cols);
    fr_free(chunk);
    chunks[b] = NULL;
  }
  return status;
}

static uint64_t sq_plan_batches(const sq_plan *plan) {
  const sq_source *s = &plan->sources[0];
  return s->rel != NULL ? (s->rel->n_rows + 65535) / 65536 : s->n_batches;
}

/* Runs the pipeline and materialises `exprs` for every surviving row. */
static fr_status sq_materialize(sq_plan *plan, sq_expr **exprs, int n_exprs, sq_rel *out, uint64_t stop_after,
                                const sq_topk *topk) {
  sq_ctx *ctx = plan->ctx;
  sq_collect c;
  memset(&c, 0, sizeof c);
  c.plan = plan;
  c.topk = topk;
  c.ctx = ctx;
  c.exprs = exprs;
  c.n_exprs = n_exprs;
  c.types = fr_calloc((size_t)(n_exprs + 1), sizeof *c.types);
  c.n_chunks = sq_plan_batches(plan);
  c.chunks = fr_calloc(c.n_chunks + 1, sizeof *c.chunks);
  if (c.types == NULL || c.chunks == NULL) {
    fr_free(c.types);
    fr_free(c.chunks);
    return sq_ctx_nomem(ctx);
  }
  for (int i = 0; i < n_exprs; i++)
    c.types[i] = out->cols[i].type;
  fr_status status = sq_run(plan, sq_collect_sink, &c, stop_after);
  fr_status cat = sq_concat_chunks(ctx, out, c.chunks, c.n_chunks);
  if (status == FR_OK)
    status = cat;
  fr_free(c.types);
  fr_free(c.chunks);
  return status;
}

/* -------------------------------------------------- sink: aggregate */

typedef union sq_agg_state {
  struct { fr_i128 sum; int64_t count; } i;
  struct { double sum; int64_t count; } d;
  struct { fr_i128 v; int64_t has; } m128;
  struct { int64_t v; int64_t has; } m64;
  struct { double v; int64_t has; } mf;
  struct { sq_str v; int64_t has; } ms;
  struct { double mean, m2; int64_t n; } sd;
} sq_agg_state;

/* Values collected for holistic aggregates (distinct counts, quantiles). */
typedef struct sq_collected {
  uint64_t n, cap;
  uint32_t *group;
  void *vals;           /* i64 / i128 / f64 / sq_str */
} sq_collected;

/* One group: its hash and serialised key (inline when short, so a probe
 * touches one cache line). */
typedef struct sq_gentry {
  uint64_t hash;
  uint32_t len;
  union {
    uint8_t inl[52];        /* one 64-byte line per group for keys up to 52 bytes */
    const uint8_t *ptr;
  } key;
} __attribute__((packed, aligned(4))) sq_gentry;

static inline const uint8_t *sq_gentry_key(const sq_gentry *e) {
  return e->len <= sizeof e->key.inl ? e->key.inl : e->key.ptr;
}

typedef struct sq_groups {
  uint64_t n, cap;      /* groups */
  uint64_t *slots;      /* open addressing: (hash tag << 32) | (group + 1) */
  uint64_t mask;
  sq_gentry *entries;
  sq_agg_state *states; /* n_aggs per group */
  sq_collected *collected; /* per aggregate */
  fr_arena arena;
} sq_groups;

typedef struct sq_aggregate {
  sq_plan *plan;
  sq_ctx *ctx;
  sq_expr **keys;
  int n_keys;
  sq_agg *aggs;
  int n_aggs;
  sq_groups *tables;    /* per thread, n_parts each */
  int n_parts;
} sq_aggregate;

static int sq_agg_collects(sq_agg_fn fn) {
  return fn == SQ_AGG_COUNT_DISTINCT || fn == SQ_AGG_SUM_DISTINCT || fn == SQ_AGG_MEDIAN || fn == SQ_AGG_QUANTILE;
}

static fr_status sq_groups_init(sq_ctx *ctx, sq_groups *g, int n_aggs) {
  memset(g, 0, sizeof *g);
  fr_arena_init(&g->arena, &ctx->budget);
  g->collected = fr_calloc((size_t)(n_aggs + 1), sizeof *g->collected);
  return g->collected == NULL ? sq_ctx_nomem(ctx) : FR_OK;
}

static void sq_groups_free(sq_groups *g, int n_aggs) {
  fr_free(g->slots);
  fr_free(g->entries);
  fr_free(g->states);
  if (g->collected != NULL)
    for (int a = 0; a < n_aggs; a++) {
      fr_free(g->collected[a].group);
      fr_free(g->collected[a].vals);
    }
  fr_free(g->collected);
  fr_arena_free(&g->arena);
}

static fr_status sq_groups_grow(sq_ctx *ctx, sq_groups *g, int n_aggs) {
  uint64_t cap = g->cap == 0 ? 1024 : g->cap * 2;
  uint64_t slots = cap * 2;
  uint64_t bytes = slots * 8 + cap * (sizeof(sq_gentry) + (uint64_t)n_aggs * sizeof(sq_agg_state));
  if (fr_budget_charge(&ctx->budget, bytes) != 0)
    return fr_error_set(ctx->err, FR_ERR_LIMIT,
                        "the GROUP BY needs more memory than the limit (%llu groups so far); raise --memory-limit",
                        (unsigned long long)g->n);
  /* fresh blocks (fr_regrow), not realloc'd: big ones are advised for huge
   * pages, and a table of millions of groups then faults 2 MiB at a time */
  const size_t state_bytes = (size_t)(n_aggs > 0 ? n_aggs : 1) * sizeof(sq_agg_state);
  sq_gentry *entries = fr_regrow(g->entries, g->n * sizeof *entries, cap * sizeof *entries);
  if (entries != NULL)
    g->entries = entries;
  sq_agg_state *states = fr_regrow(g->states, g->n * state_bytes, cap * state_bytes);
  if (states != NULL)
    g->states = states;
  uint64_t *table = fr_calloc_dense(slots, sizeof *table);
  if (entries == NULL || states == NULL || table == NULL) {
    fr_free(table);
    return sq_ctx_nomem(ctx);
  }
  fr_free(g->slots);
  g->slots = table;
  g->mask = slots - 1;
  for (uint64_t i = 0; i < g->n; i++) {
    uint64_t h = g->entries[i].hash;
    uint64_t s = h & g->mask;
    while (g->slots[s] != 0)
      s = (s + 1) & g->mask;
    g->slots[s] = (h & 0xFFFFFFFF00000000ull) | (i + 1);
  }
  g->cap = cap;
  return FR_OK;
}

static void sq_state_init(const sq_agg *aggs, int n_aggs, sq_agg_state *states) {
  memset(states, 0, (size_t)n_aggs * sizeof *states);
  for (int a = 0; a < n_aggs; a++)
    (void)aggs;
}

/* Finds or inserts the group with this key; returns its index. */
static fr_status sq_groups_find(sq_ctx *ctx, sq_groups *g, const sq_agg *aggs, int n_aggs, const uint8_t *key,
                                uint32_t len, uint64_t h, uint64_t *out) {
  if (g->n * 2 + 2 > g->cap * 2 || g->cap == 0)
    FR_TRY(sq_groups_grow(ctx, g, n_aggs));
  uint64_t s = h & g->mask, tag = h & 0xFFFFFFFF00000000ull;
  for (;;) {
    uint64_t e = g->slots[s];
    if (e == 0)
      break;
    if ((e & 0xFFFFFFFF00000000ull) == tag) {
      uint64_t gi = (e & 0xFFFFFFFFull) - 1;
      const sq_gentry *ge = &g->entries[gi];
      if (ge->hash == h && ge->len == len && (len == 0 || memcmp(sq_gentry_key(ge), key, len) == 0)) {
        *out = gi;
        return FR_OK;
      }
    }
    s = (s + 1) & g->mask;
  }
  if (g->n + 1 > g->cap) {
    FR_TRY(sq_groups_grow(ctx, g, n_aggs));
    s = h & g->mask;
    while (g->slots[s] != 0)
      s = (s + 1) & g->mask;
  }
  if (g->n >= 0xFFFFFFFEull)
    return fr_error_set(ctx->err, FR_ERR_LIMIT, "more than 4 billion groups");
  uint64_t gi = g->n++;
  sq_gentry *ge = &g->entries[gi];
  ge->hash = h;
  ge->len = len;
  if (len <= sizeof ge->key.inl) {
    if (len > 0)
      memcpy(ge->key.inl, key, len);
  } else {
    uint8_t *copy = fr_arena_alloc(&g->arena, len);
    if (copy == NULL)
      return g->arena.over_budget ? fr_error_set(ctx->err, FR_ERR_LIMIT, "the GROUP BY needs more memory than the limit; raise --memory-limit")
                                  : sq_ctx_nomem(ctx);
    memcpy(copy, key, len);
    ge->key.ptr = copy;
  }
  g->slots[s] = tag | (gi + 1);
  sq_state_init(aggs, n_aggs, g->states + gi * (uint64_t)n_aggs);
  *out = gi;
  return FR_OK;
}

/* Group keys serialise with a NULL flag per key so NULL is its own group. */
static fr_status sq_group_key(const sq_vec *keys, int n_keys, uint32_t row, uint8_t *buf, uint32_t cap,
                              uint32_t *len, fr_error *err) {
  uint32_t at = 0;
  for (int k = 0; k < n_keys; k++) {
    const sq_vec *v = &keys[k];
    if (at + 1 > cap)
      goto too_long;
    int valid = sq_vec_valid(v, row);
    buf[at++] = (uint8_t)valid;
    if (!valid)
      continue;
    switch (sq_type_phys(v->type)) {
    case SQ_P_I64: if (at + 8 > cap) goto too_long; memcpy(buf + at, &v->i64[row], 8); at += 8; break;
    case SQ_P_I128: if (at + 16 > cap) goto too_long; memcpy(buf + at, &v->i128[row], 16); at += 16; break;
    case SQ_P_F64: {
      double d = v->f64[row] == 0 ? 0.0 : v->f64[row];
      if (at + 8 > cap) goto too_long;
      memcpy(buf + at, &d, 8);
      at += 8;
      break;
    }
    case SQ_P_STR: {
      uint32_t l = v->str[row].len;
      if (at + 4 + l > cap) goto too_long;
      memcpy(buf + at, &l, 4);
      if (l > 0)
        memcpy(buf + at + 4, v->str[row].ptr, l);
      at += 4 + l;
      break;
    }
    }
  }
  *len = at;
  return FR_OK;
too_long:
  return fr_error_set(err, FR_ERR_UNSUPPORTED, "GROUP BY keys longer than 64 KiB are not supported");
}

static fr_status sq_collect_push(sq_ctx *ctx, sq_collected *c, sq_type type, uint32_t group, const sq_vec *v,
                                 uint32_t row, fr_arena *keep) {
  size_t width = sq_rel_width(type);
  if (c->n == c->cap) {
    uint64_t cap = c->cap == 0 ? 1024 : c->cap * 2;
    if (fr_budget_charge(&ctx->budget, (cap - c->cap) * (width + 4)) != 0)
      return fr_error_set(ctx->err, FR_ERR_LIMIT,
                          "a distinct count or quantile needs more memory than the limit; raise --memory-limit");
    uint32_t *g = fr_realloc(c->group, cap * sizeof *g);
    if (g != NULL)
      c->group = g;
    void *vals = fr_realloc(c->vals, cap * width);
    if (vals != NULL)
      c->vals = vals;
    if (g == NULL || vals == NULL)
      return sq_ctx_nomem(ctx);
    c->cap = cap;
  }
  c->group[c->n] = group;
  if (sq_type_phys(type) == SQ_P_STR) {
    sq_str s = v->str[row];
    char *copy = fr_arena_alloc(keep, s.len + 1);
    if (copy == NULL)
      return sq_ctx_nomem(ctx);
    if (s.len > 0)
      memcpy(copy, s.ptr, s.len);
    ((sq_str *)c->vals)[c->n] = (sq_str){copy, s.len};
  } else {
    memcpy((char *)c->vals + c->n * width, (const char *)v->data + (size_t)row * width, width);
  }
  c->n++;
  return FR_OK;
}

static int sq_str_less(sq_str a, sq_str b) {
  uint32_t m = a.len < b.len ? a.len : b.len;
  int c = m > 0 ? memcmp(a.ptr, b.ptr, m) : 0;
  return c < 0 || (c == 0 && a.len < b.len);
}

/* Updates aggregate `a` of the groups `gids` with argument vector `v`. */
/* sp[i] is row i's group state block; gids[i] its group number (used by the
 * collecting aggregates only). */
static fr_status sq_agg_update(sq_ctx *ctx, sq_groups *g, const sq_agg *agg, int a, sq_agg_state *const *sp,
                               const uint64_t *gids, const sq_vec *v, uint32_t n, fr_arena *keep) {
  sq_phys p = v != NULL ? sq_type_phys(v->type) : SQ_P_I64;
  switch (agg->fn) {
  case SQ_AGG_COUNT_STAR:
    for (uint32_t i = 0; i < n; i++)
      sp[i][a].i.count++;
    return FR_OK;
  case SQ_AGG_COUNT:
    for (uint32_t i = 0; i < n; i++)
      sp[i][a].i.count += sq_vec_valid(v, i);
    return FR_OK;
  case SQ_AGG_SUM:
  case SQ_AGG_AVG:
    if (p == SQ_P_F64) {
      for (uint32_t i = 0; i < n; i++) {
        if (!sq_vec_valid(v, i))
          continue;
        sq_agg_state *s = &sp[i][a];
        s->d.sum += v->f64[i];
        s->d.count++;
      }
    } else if (p == SQ_P_I64) {
      if (v->valid == NULL)
        for (uint32_t i = 0; i < n; i++) {
          sq_agg_state *s = &sp[i][a];
          s->i.sum += v->i64[i];
          s->i.count++;
        }
      else /* a NULL's value is whatever its expression left there (NULL + 5 holds 5): masked */
        for (uint32_t i = 0; i < n; i++) {
          sq_agg_state *s = &sp[i][a];
          s->i.sum += v->i64[i] & -(int64_t)(v->valid[i] != 0);
          s->i.count += v->valid[i];
        }
    } else {
      for (uint32_t i = 0; i < n; i++) {
        if (!sq_vec_valid(v, i))
          continue;
        sq_agg_state *s = &sp[i][a];
        s->i.sum += v->i128[i];
        s->i.count++;
      }
    }
    return FR_OK;
  case SQ_AGG_STDDEV:
    for (uint32_t i = 0; i < n; i++) {
      if (!sq_vec_valid(v, i))
        continue;
      sq_agg_state *s = &sp[i][a];
      double x = p == SQ_P_F64 ? v->f64[i]
               : (double)(p == SQ_P_I128 ? v->i128[i] : (fr_i128)v->i64[i]) /
                     (double)sq_pow10(v->type.kind == SQ_T_DECIMAL ? v->type.scale : 0);
      s->sd.n++;
      double delta = x - s->sd.mean;
      s->sd.mean += delta / (double)s->sd.n;
      s->sd.m2 += delta * (x - s->sd.mean);
    }
    return FR_OK;
  case SQ_AGG_MIN:
  case SQ_AGG_MAX: {
    int want_min = agg->fn == SQ_AGG_MIN;
    for (uint32_t i = 0; i < n; i++) {
      if (!sq_vec_valid(v, i))
        continue;
      sq_agg_state *s = &sp[i][a];
      switch (p) {
      case SQ_P_I64:
        if (!s->m64.has || (want_min ? v->i64[i] < s->m64.v : v->i64[i] > s->m64.v)) {
          s->m64.v = v->i64[i];
          s->m64.has = 1;
        }
        break;
      case SQ_P_I128:
        if (!s->m128.has || (want_min ? v->i128[i] < s->m128.v : v->i128[i] > s->m128.v)) {
          s->m128.v = v->i128[i];
          s->m128.has = 1;
        }
        break;
      case SQ_P_F64:
        if (!s->mf.has || (want_min ? v->f64[i] < s->mf.v : v->f64[i] > s->mf.v)) {
          s->mf.v = v->f64[i];
          s->mf.has = 1;
        }
        break;
      case SQ_P_STR:
        if (!s->ms.has || (want_min ? sq_str_less(v->str[i], s->ms.v) : sq_str_less(s->ms.v, v->str[i]))) {
          sq_str src = v->str[i];
          char *copy = fr_arena_alloc(keep, src.len + 1);
          if (copy == NULL)
            return sq_ctx_nomem(ctx);
          if (src.len > 0)
            memcpy(copy, src.ptr, src.len);
          s->ms.v = (sq_str){copy, src.len};
          s->ms.has = 1;
        }
        break;
      }
    }
    return FR_OK;
  }
  default:
    for (uint32_t i = 0; i < n; i++) {
      if (!sq_vec_valid(v, i))
        continue;
      FR_TRY(sq_collect_push(ctx, &g->collected[a], v->type, (uint32_t)gids[i], v, i, keep));
    }
    return FR_OK;
  }
}

/* Aggregation runs in one of two ways.  With only distributive aggregates
 * (count, sum, avg, min, max, stddev) each thread keeps 64 tables, one per
 * hash partition, and the partitions are merged in parallel at the end (a
 * thread's partition is freed as soon as it is merged, so the peak stays near
 * one copy of the groups).  Holistic aggregates (distinct counts, quantiles)
 * keep one table per thread, merged at the end, because their collected values
 * refer to group numbers. */
#define SQ_AGG_PARTS 64
#define SQ_AGG_CHUNK 4096

/* A cached group of one string key, by the string's address (sq_agg_sink). */
typedef struct sq_pcache {
  const char *ptr;
  uint32_t len;
  uint32_t row;    /* state 1: the row of chunk `from` that will find the group */
  uint32_t from;
  uint32_t state;  /* 0 empty, 1 pending (only within chunk `from`), 2 resolved */
  uint8_t part;
  uint64_t gid;
} sq_pcache;
#define SQ_PCACHE 1024
/* key_at[] markers: the row's group is known (DONE) or is row key_len[i]'s (SAME) */
#define SQ_KEY_SAME (UINT32_MAX - 2)
#define SQ_KEY_DONE (UINT32_MAX - 1)

/* A batch grouped by one dictionary-coded key with only counts and integer
 * (or decimal) sums and averages: the batch is folded into dense per-code
 * counters first - a sequential pass per aggregate, no per-row state pointers -
 * and each used code's counters are added to its group's state once. */
static int sq_agg_dense_ok(const sq_aggregate *ag, const sq_vec *args) {
  for (int a = 0; a < ag->n_aggs; a++) {
    sq_agg_fn fn = ag->aggs[a].fn;
    if (fn == SQ_AGG_COUNT_STAR)
      continue;
    if (ag->aggs[a].arg == NULL)
      return 0;
    if (fn == SQ_AGG_COUNT)
      continue;
    if ((fn == SQ_AGG_SUM || fn == SQ_AGG_AVG) && sq_type_phys(args[a].type) == SQ_P_I64)
      continue;
    return 0;
  }
  return 1;
}

static fr_status sq_agg_dense(sq_worker *w, const sq_aggregate *ag, const sq_vec *keys, const sq_vec *args,
                              uint32_t n, sq_groups *tables, const uint64_t *dict_gid, const uint8_t *dict_part,
                              const uint8_t *used, int any_null, uint64_t null_gid, uint8_t null_part) {
  const uint32_t nd = keys[0].n_dict, width = nd + 1; /* code nd: the NULL key */
  const int n_aggs = ag->n_aggs;
  uint32_t *code = fr_arena_alloc(&w->arena, (size_t)n * sizeof *code + 16);
  int64_t *cnt = fr_arena_alloc(&w->arena, (size_t)width * (size_t)n_aggs * sizeof *cnt + 16);
  fr_i128 *sum = fr_arena_alloc(&w->arena, (size_t)width * (size_t)n_aggs * sizeof *sum + 16);
  if (code == NULL || cnt == NULL || sum == NULL)
    return sq_ctx_nomem(ag->ctx);
  memset(cnt, 0, (size_t)width * (size_t)n_aggs * sizeof *cnt);
  memset(sum, 0, (size_t)width * (size_t)n_aggs * sizeof *sum);
  const uint32_t *codes = keys[0].codes;
  const uint8_t *kvalid = keys[0].valid;
  for (uint32_t i = 0; i < n; i++)
    code[i] = kvalid == NULL || kvalid[i] ? codes[i] : nd;
  for (int a = 0; a < n_aggs; a++) {
    int64_t *c = cnt + (size_t)a * width;
    fr_i128 *s = sum + (size_t)a * width;
    const sq_vec *v = &args[a];
    switch (ag->aggs[a].fn) {
    case SQ_AGG_COUNT_STAR:
      for (uint32_t i = 0; i < n; i++) c[code[i]]++;
      break;
    case SQ_AGG_COUNT:
      if (v->valid == NULL)
        for (uint32_t i = 0; i < n; i++) c[code[i]]++;
      else
        for (uint32_t i = 0; i < n; i++) c[code[i]] += v->valid[i];
      break;
    default: /* SUM, AVG over int64 (sq_agg_dense_ok) */
      if (v->valid == NULL)
        for (uint32_t i = 0; i < n; i++) {
          s[code[i]] += v->i64[i];
          c[code[i]]++;
        }
      else
        for (uint32_t i = 0; i < n; i++) {
          s[code[i]] += v->valid[i] ? v->i64[i] : 0;
          c[code[i]] += v->valid[i];
        }
      break;
    }
  }
  for (uint32_t d = 0; d <= nd; d++) {
    if (d < nd ? !used[d] : !any_null)
      continue;
    const uint64_t gid = d < nd ? dict_gid[d] : null_gid;
    sq_agg_state *st = tables[d < nd ? dict_part[d] : null_part].states + gid * (uint64_t)n_aggs;
    for (int a = 0; a < n_aggs; a++) {
      st[a].i.count += cnt[(size_t)a * width + d];
      st[a].i.sum += sum[(size_t)a * width + d];
    }
  }
  return FR_OK;
}

static fr_status sq_agg_sink(void *sink, int tid, uint64_t batch, sq_worker *w, sq_vec *cols, uint32_t n) {
  (void)batch;
  sq_aggregate *ag = sink;
  sq_ctx *ctx = ag->ctx;
  int parts = ag->n_parts;
  sq_groups *tables = &ag->tables[(size_t)tid * (size_t)parts];
  sq_eval_ctx ec = {cols, n, &w->arena, &w->err};
  sq_vec keys[64];
  for (int k = 0; k < ag->n_keys; k++)
    FR_TRY(sq_eval(&ec, ag->keys[k], &keys[k]));
  sq_vec *args = fr_arena_alloc(&w->arena, (size_t)(ag->n_aggs + 1) * sizeof *args);
  uint64_t *gids = fr_arena_alloc(&w->arena, (size_t)SQ_AGG_CHUNK * sizeof *gids + 16);
  uint8_t *part = fr_arena_alloc(&w->arena, (size_t)SQ_AGG_CHUNK + 16);
  sq_agg_state **sp = fr_arena_alloc(&w->arena, (size_t)SQ_AGG_CHUNK * sizeof *sp + 16);
  uint64_t *hashes = fr_arena_alloc(&w->arena, (size_t)SQ_AGG_CHUNK * sizeof *hashes + 16);
  uint32_t *key_at = fr_arena_alloc(&w->arena, (size_t)SQ_AGG_CHUNK * sizeof *key_at + 16);
  uint32_t *key_len = fr_arena_alloc(&w->arena, (size_t)SQ_AGG_CHUNK * sizeof *key_len + 16);
  if (args == NULL || gids == NULL || part == NULL || sp == NULL || hashes == NULL || key_at == NULL || key_len == NULL)
    return sq_ctx_nomem(ctx);
  for (int a = 0; a < ag->n_aggs; a++)
    if (ag->aggs[a].arg != NULL)
      FR_TRY(sq_eval(&ec, ag->aggs[a].arg, &args[a]));
  uint8_t *buf = fr_arena_alloc(&w->arena, 1 << 20);
  if (buf == NULL)
    return sq_ctx_nomem(ctx);
  const size_t buf_cap = 1 << 20;
  /* One dictionary-coded key: find each dictionary entry's group once, then
   * map rows by code (no per-row hashing). */
  uint64_t *dict_gid = NULL;
  uint8_t *dict_part = NULL;
  uint8_t *used = NULL;
  uint64_t null_gid = 0;
  uint8_t null_part = 0;
  int any_null = 0;
  if (ag->n_keys == 1 && keys[0].codes != NULL) {
    uint32_t nd = keys[0].n_dict;
    dict_gid = fr_arena_alloc(&w->arena, (size_t)(nd + 1) * sizeof *dict_gid);
    dict_part = fr_arena_alloc(&w->arena, (size_t)nd + 16);
    if (dict_gid == NULL || dict_part == NULL)
      return sq_ctx_nomem(ctx);
    /* only entries some valid row uses become groups */
    used = fr_arena_alloc(&w->arena, (size_t)nd + 16);
    if (used == NULL)
      return sq_ctx_nomem(ctx);
    memset(used, 0, nd);
    /* local pointers: stores through uint8_t may alias anything, so keys[0]'s
     * fields would be reloaded for every row */
    const uint32_t *codes = keys[0].codes;
    const uint8_t *kvalid = keys[0].valid;
    if (kvalid == NULL) {
      for (uint32_t i = 0; i < n; i++)
        used[codes[i]] = 1;
    } else {
      for (uint32_t i = 0; i < n; i++) {
        used[codes[i]] |= kvalid[i];
        any_null |= !kvalid[i];
      }
    }
    sq_vec dv;
    memset(&dv, 0, sizeof dv);
    dv.type = keys[0].type;
    dv.n = nd;
    dv.str = (sq_str *)keys[0].dict;
    for (uint32_t d = 0; d < nd; d++) {
      if (!used[d])
        continue;
      uint32_t len = 0;
      FR_TRY(sq_group_key(&dv, 1, d, buf, (uint32_t)buf_cap, &len, ctx->err));
      uint64_t h = fr_hash64(buf, len, 0);
      dict_part[d] = parts > 1 ? (uint8_t)(h >> 58) : 0;
      FR_TRY(sq_groups_find(ctx, &tables[dict_part[d]], ag->aggs, ag->n_aggs, buf, len, h, &dict_gid[d]));
    }
    if (any_null) {
      uint8_t null_key = 0;
      uint64_t h = fr_hash64(&null_key, 1, 0);
      null_part = parts > 1 ? (uint8_t)(h >> 58) : 0;
      FR_TRY(sq_groups_find(ctx, &tables[null_part], ag->aggs, ag->n_aggs, &null_key, 1, h, &null_gid));
    }
  }
  /* the pointer cache of one string key (see the chunk loop); entries of a
   * chunk are all resolved (state 2) or overwritten when the chunk ends */
  sq_pcache *pcache = NULL;
  if (dict_gid == NULL && ag->n_keys == 1 && sq_type_phys(keys[0].type) == SQ_P_STR) {
    pcache = fr_arena_alloc(&w->arena, SQ_PCACHE * sizeof *pcache);
    if (pcache == NULL)
      return sq_ctx_nomem(ctx);
    memset(pcache, 0, SQ_PCACHE * sizeof *pcache);
  }
  if (dict_gid != NULL && sq_agg_dense_ok(ag, args))
    return sq_agg_dense(w, ag, keys, args, n, tables, dict_gid, dict_part, used, any_null, null_gid, null_part);
  for (uint32_t from = 0; from < n; from += SQ_AGG_CHUNK) {
    uint32_t m = n - from < SQ_AGG_CHUNK ? n - from : SQ_AGG_CHUNK;
    if (dict_gid != NULL) {
      const uint32_t *codes = keys[0].codes + from;
      const uint8_t *valid = keys[0].valid != NULL ? keys[0].valid + from : NULL;
      for (uint32_t i = 0; i < m; i++) {
        int v = valid == NULL || valid[i];
        gids[i] = v ? dict_gid[codes[i]] : null_gid;
        part[i] = v ? dict_part[codes[i]] : null_part;
      }
    } else if (ag->n_keys == 0) {
      uint64_t gi;
      FR_TRY(sq_groups_find(ctx, &tables[0], ag->aggs, ag->n_aggs, NULL, 0, 0, &gi));
      memset(gids, 0, (size_t)m * sizeof *gids);
      memset(part, 0, m);
    } else {
      /* serialise and hash the chunk's keys first, then probe with the
       * slots of rows a little ahead prefetched: the probes are cache misses.
       * One string key: a row whose string has the same address and length
       * as an earlier row's (values from one dictionary share their bytes)
       * takes that row's group without serialising, hashing or probing. */
      uint32_t at = 0;
      for (uint32_t i = 0; i < m; i++) {
        uint32_t len;
        if (pcache != NULL && sq_vec_valid(&keys[0], from + i)) {
          const sq_str k = keys[0].str[from + i];
          sq_pcache *c = &pcache[fr_hash_u64((uint64_t)(uintptr_t)k.ptr, k.len) & (SQ_PCACHE - 1)];
          if (c->ptr == k.ptr && c->len == k.len && (c->state == 2 || (c->state == 1 && c->from == from))) {
            if (c->state == 2) {
              gids[i] = c->gid;
              part[i] = c->part;
              key_at[i] = SQ_KEY_DONE;
            } else {
              key_len[i] = c->row; /* the row of this chunk that finds the group */
              key_at[i] = SQ_KEY_SAME;
            }
            continue;
          }
          *c = (sq_pcache){k.ptr, k.len, i, from, 1, 0, 0};
        }
        if (buf_cap - at < 65536) {
          /* rare: huge keys; hash them one by one below */
          uint8_t one[65536];
          FR_TRY(sq_group_key(keys, ag->n_keys, from + i, one, sizeof one, &len, ctx->err));
          hashes[i] = fr_hash64(one, len, 0);
          key_at[i] = UINT32_MAX;
          part[i] = parts > 1 ? (uint8_t)(hashes[i] >> 58) : 0;
          continue;
        }
        FR_TRY(sq_group_key(keys, ag->n_keys, from + i, buf + at, (uint32_t)(buf_cap - at), &len, ctx->err));
        hashes[i] = fr_hash64(buf + at, len, 0);
        key_at[i] = at;
        key_len[i] = len;
        at += len;
        part[i] = parts > 1 ? (uint8_t)(hashes[i] >> 58) : 0;
      }
      for (uint32_t i = 0; i < m; i++) {
        /* two stages: the slot 16 rows ahead, the entry its slot names 8 rows ahead */
        if (i + 16 < m && key_at[i + 16] < SQ_KEY_SAME) {
          const sq_groups *pg = &tables[part[i + 16]];
          if (pg->slots != NULL)
            __builtin_prefetch(&pg->slots[hashes[i + 16] & pg->mask]);
        }
        if (i + 8 < m && key_at[i + 8] < SQ_KEY_SAME) {
          const sq_groups *pg = &tables[part[i + 8]];
          if (pg->slots != NULL) {
            uint64_t e = pg->slots[hashes[i + 8] & pg->mask];
            if (e != 0)
              __builtin_prefetch(&pg->entries[(e & 0xFFFFFFFFull) - 1]);
          }
        }
        if (key_at[i] == SQ_KEY_DONE)
          continue;
        if (key_at[i] == SQ_KEY_SAME) {
          gids[i] = gids[key_len[i]];
          part[i] = part[key_len[i]];
          continue;
        }
        if (key_at[i] == UINT32_MAX) {
          /* did not fit the chunk buffer: serialise it alone */
          uint32_t len;
          uint8_t one[65536];
          FR_TRY(sq_group_key(keys, ag->n_keys, from + i, one, sizeof one, &len, ctx->err));
          FR_TRY(sq_groups_find(ctx, &tables[part[i]], ag->aggs, ag->n_aggs, one, len, hashes[i], &gids[i]));
          continue;
        }
        FR_TRY(sq_groups_find(ctx, &tables[part[i]], ag->aggs, ag->n_aggs, buf + key_at[i], key_len[i], hashes[i],
                              &gids[i]));
        if (pcache != NULL && sq_vec_valid(&keys[0], from + i)) {
          const sq_str k = keys[0].str[from + i];
          sq_pcache *c = &pcache[fr_hash_u64((uint64_t)(uintptr_t)k.ptr, k.len) & (SQ_PCACHE - 1)];
          if (c->state == 1 && c->from == from && c->row == i) {
            c->state = 2;
            c->gid = gids[i];
            c->part = part[i];
          }
        }
      }
    }
    /* tables may have grown during the finds: take state pointers now */
    for (uint32_t i = 0; i < m; i++)
      sp[i] = tables[part[i]].states + gids[i] * (uint64_t)ag->n_aggs;
    for (int a = 0; a < ag->n_aggs; a++) {
      sq_vec slice;
      const sq_vec *argp = NULL;
      if (ag->aggs[a].arg != NULL) {
        slice = args[a];
        slice.n = m;
        slice.data = (char *)args[a].data + (size_t)from * sq_rel_width(args[a].type);
        slice.valid = args[a].valid != NULL ? args[a].valid + from : NULL;
        argp = &slice;
      }
      FR_TRY(sq_agg_update(ctx, &tables[0], &ag->aggs[a], a, sp, gids, argp, m, &ctx->keep[tid]));
    }
  }
  return FR_OK;
}

static void sq_state_merge(const sq_agg *agg, sq_agg_state *dst, const sq_agg_state *src) {
  switch (agg->fn) {
  case SQ_AGG_COUNT_STAR:
  case SQ_AGG_COUNT:
    dst->i.count += src->i.count;
    return;
  case SQ_AGG_SUM:
  case SQ_AGG_AVG:
    if (sq_type_phys(agg->arg->type) == SQ_P_F64) {
      dst->d.sum += src->d.sum;
      dst->d.count += src->d.count;
    } else {
      dst->i.sum += src->i.sum;
      dst->i.count += src->i.count;
    }
    return;
  case SQ_AGG_STDDEV: {
    if (src->sd.n == 0)
      return;
    if (dst->sd.n == 0) {
      *dst = *src;
      return;
    }
    double na = (double)dst->sd.n, nb = (double)src->sd.n, n = na + nb;
    double delta = src->sd.mean - dst->sd.mean;
    dst->sd.mean += delta * nb / n;
    dst->sd.m2 += src->sd.m2 + delta * delta * na * nb / n;
    dst->sd.n += src->sd.n;
    return;
  }
  case SQ_AGG_MIN:
  case SQ_AGG_MAX: {
    int want_min = agg->fn == SQ_AGG_MIN;
    switch (sq_type_phys(agg->arg->type)) {
    case SQ_P_I64:
      if (src->m64.has && (!dst->m64.has || (want_min ? src->m64.v < dst->m64.v : src->m64.v > dst->m64.v)))
        dst->m64 = src->m64;
      break;
    case SQ_P_I128:
      if (src->m128.has && (!dst->m128.has || (want_min ? src->m128.v < dst->m128.v : src->m128.v > dst->m128.v)))
        dst->m128 = src->m128;
      break;
    case SQ_P_F64:
      if (src->mf.has && (!dst->mf.has || (want_min ? src->mf.v < dst->mf.v : src->mf.v > dst->mf.v)))
        dst->mf = src->mf;
      break;
    case SQ_P_STR:
      if (src->ms.has && (!dst->ms.has || (want_min ? sq_str_less(src->ms.v, dst->ms.v) : sq_str_less(dst->ms.v, src->ms.v))))
        dst->ms = src->ms;
      break;
    }
    return;
  }
  default:
    return;
  }
}

/* Sort context for collected values of one group range. */
typedef struct sq_coll_sort {
  const sq_collected *c;
  sq_type type;
} sq_coll_sort;

static int sq_coll_cmp_val(const sq_collected *c, sq_type type, uint64_t a, uint64_t b) {
  switch (sq_type_phys(type)) {
  case SQ_P_I64: { int64_t x = ((int64_t *)c->vals)[a], y = ((int64_t *)c->vals)[b]; return (x > y) - (x < y); }
  case SQ_P_I128: { fr_i128 x = ((fr_i128 *)c->vals)[a], y = ((fr_i128 *)c->vals)[b]; return (x > y) - (x < y); }
  case SQ_P_F64: { double x = ((double *)c->vals)[a], y = ((double *)c->vals)[b]; return (x > y) - (x < y); }
  default: {
    sq_str x = ((sq_str *)c->vals)[a], y = ((sq_str *)c->vals)[b];
    return sq_str_less(x, y) ? -1 : sq_str_less(y, x) ? 1 : 0;
  }
  }
}

static int sq_coll_cmp(const void *pa, const void *pb, void *arg) {
  const sq_coll_sort *s = arg;
  uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
  uint32_t ga = s->c->group[a], gb = s->c->group[b];
  if (ga != gb)
    return ga < gb ? -1 : 1;
  int c = sq_coll_cmp_val(s->c, s->type, a, b);
  if (c != 0)
    return c;
  return (a > b) - (a < b);
}

static double sq_coll_double(const sq_collected *c, sq_type type, uint64_t i) {
  switch (sq_type_phys(type)) {
  case SQ_P_F64: return ((double *)c->vals)[i];
  case SQ_P_I128: return (double)((fr_i128 *)c->vals)[i];
  default: return (double)((int64_t *)c->vals)[i];
  }
}

/* Hash of collected value i with its group; -0.0 hashes as 0.0 and every NaN
 * alike, as they compare equal (sq_coll_cmp_val). */
static uint64_t sq_coll_hash(const sq_collected *c, sq_type type, uint64_t i) {
  uint64_t h = fr_hash_u64(c->group[i], 0x9E3779B97F4A7C15ull);
  switch (sq_type_phys(type)) {
  case SQ_P_I64: return fr_hash_u64((uint64_t)((int64_t *)c->vals)[i], h);
  case SQ_P_I128: {
    fr_i128 v = ((fr_i128 *)c->vals)[i];
    return fr_hash_u64((uint64_t)v, fr_hash_u64((uint64_t)(v >> 64), h));
  }
  case SQ_P_F64: {
    double d = ((double *)c->vals)[i];
    if (d == 0)
      d = 0.0;
    uint64_t bits;
    memcpy(&bits, &d, 8);
    return d != d ? fr_hash_u64(0x7ff8000000000000ull, h) : fr_hash_u64(bits, h);
  }
  default: {
    sq_str v = ((sq_str *)c->vals)[i];
    return fr_hash64(v.ptr, v.len, h);
  }
  }
}

/* Whether collected values a and b are equal (as sq_coll_cmp_val orders them:
 * -0.0 equals 0.0, NaN equals NaN). */
static int sq_coll_eq(const sq_collected *c, sq_type type, uint64_t a, uint64_t b) {
  switch (sq_type_phys(type)) {
  case SQ_P_I64: return ((int64_t *)c->vals)[a] == ((int64_t *)c->vals)[b];
  case SQ_P_I128: return ((fr_i128 *)c->vals)[a] == ((fr_i128 *)c->vals)[b];
  case SQ_P_F64: {
    double x = ((double *)c->vals)[a], y = ((double *)c->vals)[b];
    return x == y || (x != x && y != y);
  }
  default: {
    sq_str x = ((sq_str *)c->vals)[a], y = ((sq_str *)c->vals)[b];
    return x.len == y.len && (x.len == 0 || memcmp(x.ptr, y.ptr, x.len) == 0);
  }
  }
}

/* Marks first[i] = 1 for one collected value of each distinct (group, value)
 * (the first in collection order), 0 for the others: the values are split into
 * partitions by hash and each partition dedups with a hash table of its own, in
 * parallel; the marks do not depend on the thread count. */
static fr_status sq_coll_first(sq_ctx *ctx, const sq_collected *c, sq_type type, uint8_t *first) {
  enum { PARTS = 256 };
  const uint64_t n = c->n;
  uint64_t *h = fr_malloc((size_t)(n + 1) * sizeof *h);
  uint64_t *by_part = fr_malloc((size_t)(n + 1) * sizeof *by_part);
  uint64_t start[PARTS + 1];
  memset(start, 0, sizeof start);
  if (h == NULL || by_part == NULL) {
    fr_free(h);
    fr_free(by_part);
    return sq_ctx_nomem(ctx);
  }
#pragma omp parallel for schedule(static) num_threads(ctx->threads)
  for (uint64_t i = 0; i < n; i++)
    h[i] = sq_coll_hash(c, type, i);
  for (uint64_t i = 0; i < n; i++)
    start[(h[i] >> 56) + 1]++;
  for (int p = 0; p < PARTS; p++)
    start[p + 1] += start[p];
  uint64_t next[PARTS];
  memcpy(next, start, sizeof next);
  for (uint64_t i = 0; i < n; i++)
    by_part[next[h[i] >> 56]++] = i; /* ascending within a partition */
  int failed = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(ctx->threads)
  for (int p = 0; p < PARTS; p++) {
    const uint64_t a = start[p], m = start[p + 1] - a;
    if (m == 0)
      continue;
    uint64_t n_slots = 16;
    while (n_slots < 2 * m)
      n_slots *= 2;
    uint64_t *slots = fr_calloc((size_t)n_slots, sizeof *slots); /* collected index + 1 */
    if (slots == NULL) {
#pragma omp atomic write
      failed = 1;
      continue;
    }
    for (uint64_t k = 0; k < m; k++) {
      const uint64_t i = by_part[a + k];
      uint64_t s = h[i] & (n_slots - 1);
      first[i] = 1;
      for (; slots[s] != 0; s = (s + 1) & (n_slots - 1)) {
        const uint64_t j = slots[s] - 1;
        if (h[j] == h[i] && c->group[j] == c->group[i] && sq_coll_eq(c, type, j, i)) {
          first[i] = 0;
          break;
        }
      }
      if (first[i])
        slots[s] = i + 1;
    }
    fr_free(slots);
  }
  fr_free(h);
  fr_free(by_part);
  return failed ? sq_ctx_nomem(ctx) : FR_OK;
}

/* count(DISTINCT) and sum(DISTINCT) by hashing (sq_coll_first), no sort. */
static fr_status sq_finish_distinct(sq_ctx *ctx, const sq_agg *agg, const sq_collected *c, sq_rcol *col,
                                    uint64_t n_groups) {
  const sq_type vt = agg->arg->type;
  uint8_t *first = fr_malloc((size_t)(c->n + 1));
  fr_i128 *isum = NULL;
  double *dsum = NULL;
  const int want_sum = agg->fn == SQ_AGG_SUM_DISTINCT, is_f64 = sq_type_phys(vt) == SQ_P_F64;
  if (first != NULL && want_sum) {
    if (is_f64)
      dsum = fr_calloc((size_t)(n_groups + 1), sizeof *dsum);
    else
      isum = fr_calloc((size_t)(n_groups + 1), sizeof *isum);
  }
  if (first == NULL || (want_sum && isum == NULL && dsum == NULL)) {
    fr_free(first);
    fr_free(isum);
    fr_free(dsum);
    return sq_ctx_nomem(ctx);
  }
  fr_status status = sq_coll_first(ctx, c, vt, first);
  const size_t w = sq_rel_width(col->type);
  for (uint64_t g = 0; g < n_groups && status == FR_OK; g++) {
    col->valid[g] = agg->fn == SQ_AGG_COUNT_DISTINCT; /* a sum over no values is NULL */
    memset((char *)col->data + g * w, 0, w);
  }
  /* in collection order (a float sum may differ in its last bits from one in
   * value order; DESIGN.md allows that between thread counts too) */
  for (uint64_t i = 0; i < c->n && status == FR_OK; i++) {
    if (!first[i])
      continue;
    const uint32_t g = c->group[i];
    col->valid[g] = 1;
    if (!want_sum)
      ((int64_t *)col->data)[g]++;
    else if (is_f64)
      dsum[g] += ((double *)c->vals)[i];
    else
      isum[g] += sq_type_phys(vt) == SQ_P_I128 ? ((fr_i128 *)c->vals)[i] : (fr_i128)((int64_t *)c->vals)[i];
  }
  for (uint64_t g = 0; g < n_groups && status == FR_OK && want_sum; g++) {
    if (!col->valid[g])
      continue;
    if (sq_type_phys(col->type) == SQ_P_F64)
      ((double *)col->data)[g] = dsum[g];
    else if (sq_type_phys(col->type) == SQ_P_I128)
      ((fr_i128 *)col->data)[g] = isum[g];
    else
      ((int64_t *)col->data)[g] = (int64_t)isum[g];
  }
  fr_free(first);
  fr_free(isum);
  fr_free(dsum);
  return status;
}

/* The k-th smallest of v[0..n) (k < n), rearranging v so that every value after
 * position k is >= it: quickselect with a median-of-three pivot and a three-way
 * partition (runs of equal values cost nothing). */
static int64_t sq_select_i64(int64_t *v, int64_t n, int64_t k) {
  int64_t lo = 0, hi = n - 1;
  while (hi > lo) {
    const int64_t mid = lo + (hi - lo) / 2, x = v[lo], y = v[mid], z = v[hi];
    const int64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    int64_t lt = lo, i = lo, gt = hi;
    while (i <= gt) {
      if (v[i] < pivot) {
        int64_t t = v[lt];
        v[lt++] = v[i];
        v[i++] = t;
      } else if (v[i] > pivot) {
        int64_t t = v[gt];
        v[gt--] = v[i];
        v[i] = t;
      } else {
        i++;
      }
    }
    /* [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot */
    if (k < lt)
      hi = lt - 1;
    else if (k > gt)
      lo = gt + 1;
    else
      return pivot;
  }
  return v[k];
}

/* x + (y - x) * frac in integer units: DuckDB rounds a timestamp's (or a
 * date's, as a timestamp) microsecond to the nearest and truncates the rest. */
static int64_t sq_interpolate_i64(sq_type vt, int64_t x, int64_t y, double frac) {
  const double step = (double)(y - x) * frac;
  if (vt.kind == SQ_T_TIMESTAMP || vt.kind == SQ_T_DATE)
    return x + (int64_t)llround(step);
  return x + (int64_t)step;
}

/* quantile_cont of one group's values, order[0..cnt) (collected indices, any
 * order; cnt > 0): linear interpolation at q * (cnt - 1) (DuckDB); decimals
 * interpolate in their integer units, truncated, times rounded.  Integer-like values are
 * selected (quickselect on a copy in scratch[0..cnt)); others sorted. */
static void sq_quantile_group(const sq_agg *agg, const sq_collected *c, sq_rcol *col, uint64_t g, uint64_t *order,
                              uint64_t cnt, int64_t *scratch) {
  const sq_type vt = agg->arg->type;
  const double pos = agg->quantile * (double)(cnt - 1);
  const uint64_t lo = (uint64_t)pos, hi = lo + 1 < cnt ? lo + 1 : lo;
  const double frac = pos - (double)lo;
  col->valid[g] = 1;
  if (scratch != NULL && sq_type_phys(vt) == SQ_P_I64 &&
      (col->type.kind == SQ_T_DOUBLE || sq_type_phys(col->type) == SQ_P_I64)) {
    for (uint64_t k = 0; k < cnt; k++) scratch[k] = ((const int64_t *)c->vals)[order[k]];
    int64_t x = sq_select_i64(scratch, (int64_t)cnt, (int64_t)lo), y = x;
    if (hi != lo) {
      y = scratch[hi];
      for (uint64_t k = hi + 1; k < cnt; k++) y = scratch[k] < y ? scratch[k] : y;
    }
    if (col->type.kind == SQ_T_DOUBLE) {
      const double scale = vt.kind == SQ_T_DECIMAL ? (double)sq_pow10(vt.scale) : 1.0;
      ((double *)col->data)[g] = ((double)x + ((double)y - (double)x) * frac) / scale;
    } else {
      if (vt.kind == SQ_T_DATE) {
        x *= FR_US_PER_DAY;
        y *= FR_US_PER_DAY;
      }
      ((int64_t *)col->data)[g] = sq_interpolate_i64(vt, x, y, frac);
    }
    return;
  }
  sq_coll_sort s = {c, vt};
  qsort_r(order, (size_t)cnt, sizeof *order, sq_coll_cmp, &s);
  const uint64_t a = order[lo], b = order[hi];
  if (sq_type_phys(col->type) == SQ_P_STR) {
    ((sq_str *)col->data)[g] = ((sq_str *)c->vals)[order[(uint64_t)((double)(cnt - 1) * agg->quantile)]];
  } else if (col->type.kind == SQ_T_DOUBLE) {
    double x = sq_coll_double(c, vt, a), y = sq_coll_double(c, vt, b);
    double scale = vt.kind == SQ_T_DECIMAL ? (double)sq_pow10(vt.scale) : 1.0;
    ((double *)col->data)[g] = (x + (y - x) * frac) / scale;
  } else if (sq_type_phys(col->type) == SQ_P_I128) {
    fr_i128 x = ((fr_i128 *)c->vals)[a], y = ((fr_i128 *)c->vals)[b];
    ((fr_i128 *)col->data)[g] = x + (fr_i128)((double)(y - x) * frac);
  } else {
    int64_t x = ((int64_t *)c->vals)[a], y = ((int64_t *)c->vals)[b];
    if (vt.kind == SQ_T_DATE) {
      x *= FR_US_PER_DAY;
      y *= FR_US_PER_DAY;
    }
    ((int64_t *)col->data)[g] = sq_interpolate_i64(vt, x, y, frac);
  }
}

/* Writes the holistic aggregate `agg` (values in c, group ids global) into
 * column `col` of `rel`: the values are grouped by a stable counting sort, then
 * the groups are finished in parallel. */
static fr_status sq_finish_collected(sq_ctx *ctx, const sq_agg *agg, const sq_collected *c, sq_rcol *col,
                                     uint64_t n_groups) {
  if (agg->fn == SQ_AGG_COUNT_DISTINCT || agg->fn == SQ_AGG_SUM_DISTINCT)
    return sq_finish_distinct(ctx, agg, c, col, n_groups);
  const uint64_t n = c->n;
  const size_t w = sq_rel_width(col->type);
  for (uint64_t g = 0; g < n_groups; g++) {
    col->valid[g] = 0;
    memset((char *)col->data + g * w, 0, w);
  }
  uint64_t *order = fr_malloc((size_t)(n + 1) * sizeof *order);
  uint64_t *start = fr_calloc((size_t)(n_groups + 2), sizeof *start);
  int64_t *scratch = sq_type_phys(agg->arg->type) == SQ_P_I64 ? fr_malloc((size_t)(n + 1) * sizeof *scratch) : NULL;
  if (order == NULL || start == NULL || (sq_type_phys(agg->arg->type) == SQ_P_I64 && scratch == NULL)) {
    fr_free(order);
    fr_free(start);
    fr_free(scratch);
    return sq_ctx_nomem(ctx);
  }
  for (uint64_t i = 0; i < n; i++) start[c->group[i] + 2]++;
  for (uint64_t g = 0; g < n_groups; g++) start[g + 2] += start[g + 1];
  for (uint64_t i = 0; i < n; i++) order[start[c->group[i] + 1]++] = i;
  /* now start[g] is group g's first position */
#pragma omp parallel for schedule(dynamic, 1) num_threads(ctx->threads)
  for (uint64_t g = 0; g < n_groups; g++) {
    const uint64_t a = start[g], cnt = start[g + 1] - a;
    if (cnt > 0)
      sq_quantile_group(agg, c, col, g, order + a, cnt, scratch != NULL ? scratch + a : NULL);
  }
  fr_free(order);
  fr_free(start);
  fr_free(scratch);
  return FR_OK;
}

/* Writes the groups of `g0` (keys then finished aggregates) into rows
 * [base, base + g0->n) of `out`, which has room for them. */
static fr_status sq_groups_emit(sq_ctx *ctx, sq_groups *g0, const sq_agg *aggs, int n_aggs, int n_keys, sq_rel *out,
                                uint64_t base, const uint8_t *keep) {
  fr_status status = FR_OK;
  uint64_t n = g0->n;
  sq_rel view = *out;
  sq_rcol *cols = fr_malloc((size_t)(out->n_cols + 1) * sizeof *cols);
  if (cols == NULL)
    return sq_ctx_nomem(ctx);
  /* shift every column by `base` rows so the code below indexes from 0 */
  for (int c = 0; c < out->n_cols; c++) {
    cols[c] = out->cols[c];
    if (!cols[c].unused && cols[c].data != NULL) {
      cols[c].data = (char *)cols[c].data + base * sq_rel_width(cols[c].type);
      cols[c].valid = cols[c].valid + base;
    }
  }
  view.cols = cols;
  out = &view;
  {
    /* keys (none when the key columns are not wanted: HAVING's first look) */
    for (uint64_t gi = 0, at_row = 0; gi < n && (n_keys == 0 || !out->cols[0].unused); gi++) {
      if (keep != NULL && !keep[gi])
        continue;
      const uint64_t row = at_row++;
      const uint8_t *k = sq_gentry_key(&g0->entries[gi]);
      uint32_t at = 0;
      for (int c = 0; c < n_keys; c++) {
        sq_rcol *col = &out->cols[c];
        size_t w = sq_rel_width(col->type);
        int valid = k[at++];
        col->valid[row] = (uint8_t)valid;
        memset((char *)col->data + row * w, 0, w);
        if (!valid)
          continue;
        switch (sq_type_phys(col->type)) {
        case SQ_P_I64: memcpy((char *)col->data + row * 8, k + at, 8); at += 8; break;
        case SQ_P_I128: memcpy((char *)col->data + row * 16, k + at, 16); at += 16; break;
        case SQ_P_F64: memcpy((char *)col->data + row * 8, k + at, 8); at += 8; break;
        case SQ_P_STR: {
          uint32_t l;
          memcpy(&l, k + at, 4);
          char *copy = fr_arena_alloc(&ctx->keep[0], l + 1);
          if (copy == NULL) {
            status = sq_ctx_nomem(ctx);
            l = 0;
          } else if (l > 0) {
            memcpy(copy, k + at + 4, l);
          }
          ((sq_str *)col->data)[row] = (sq_str){copy != NULL ? copy : "", l};
          at += 4 + l;
          break;
        }
        }
      }
    }
    /* aggregates */
    for (int a = 0; a < n_aggs && status == FR_OK; a++) {
      const sq_agg *agg = &aggs[a];
      sq_rcol *col = &out->cols[n_keys + a];
      if (sq_agg_collects(agg->fn)) { /* never with keep (sq_having_early) */
        status = sq_finish_collected(ctx, agg, &g0->collected[a], col, n);
        continue;
      }
      for (uint64_t gi = 0, at_row = 0; gi < n; gi++) {
        if (keep != NULL && !keep[gi])
          continue;
        const uint64_t row = at_row++;
        const sq_agg_state *s = &g0->states[gi * (uint64_t)n_aggs + (uint64_t)a];
        int valid = 1;
        switch (agg->fn) {
        case SQ_AGG_COUNT_STAR:
        case SQ_AGG_COUNT:
          ((int64_t *)col->data)[row] = s->i.count;
          break;
        case SQ_AGG_SUM:
          if (sq_type_phys(agg->arg->type) == SQ_P_F64) {
            valid = s->d.count > 0;
            ((double *)col->data)[row] = s->d.sum;
          } else {
            valid = s->i.count > 0;
            if (sq_type_phys(col->type) == SQ_P_I128)
              ((fr_i128 *)col->data)[row] = s->i.sum;
            else
              ((int64_t *)col->data)[row] = (int64_t)s->i.sum;
          }
          break;
        case SQ_AGG_AVG:
          if (sq_type_phys(agg->arg->type) == SQ_P_F64) {
            valid = s->d.count > 0;
            ((double *)col->data)[row] = valid ? s->d.sum / (double)s->d.count : 0;
          } else {
            valid = s->i.count > 0;
            double scale = agg->arg->type.kind == SQ_T_DECIMAL ? (double)sq_pow10(agg->arg->type.scale) : 1.0;
            /* DuckDB divides the exact sum by count * 10^scale */
            ((double *)col->data)[row] = valid ? (double)s->i.sum / ((double)s->i.count * scale) : 0;
          }
          break;
        case SQ_AGG_STDDEV:
          valid = s->sd.n > 1;
          ((double *)col->data)[row] = valid ? sqrt(s->sd.m2 / (double)(s->sd.n - 1)) : 0;
          break;
        case SQ_AGG_MIN:
        case SQ_AGG_MAX:
          switch (sq_type_phys(col->type)) {
          case SQ_P_I64: valid = (int)s->m64.has; ((int64_t *)col->data)[row] = s->m64.v; break;
          case SQ_P_I128: valid = (int)s->m128.has; ((fr_i128 *)col->data)[row] = s->m128.v; break;
          case SQ_P_F64: valid = (int)s->mf.has; ((double *)col->data)[row] = s->mf.v; break;
          case SQ_P_STR: valid = (int)s->ms.has; ((sq_str *)col->data)[row] = s->ms.v; break;
          }
          break;
        default:
          break;
        }
        col->valid[row] = (uint8_t)valid;
      }
    }
  }
  fr_free(cols);
  return status;
}

/* HAVING before the groups are written (duplicate searches keep a few of
 * millions): when `having` reads only aggregates none of which collects values,
 * each partition's aggregates are written alone first and HAVING is evaluated
 * on them; only the groups it keeps get their keys (strings copied) and rows.
 * Sets keep[p] (NULL: every group) and kept[p] per partition.  The caller still
 * applies HAVING to the result (a no-op on kept groups). */
static fr_status sq_having_early(sq_ctx *ctx, sq_aggregate *ag, const sq_rel *out, const sq_expr *having,
                                 uint8_t **keep, uint64_t *kept) {
  const int parts = ag->n_parts, n_keys = ag->n_keys, n_aggs = ag->n_aggs;
  for (int p = 0; p < parts; p++) {
    keep[p] = NULL;
    kept[p] = ag->tables[p].n;
  }
  if (having == NULL)
    return FR_OK;
  for (int a = 0; a < n_aggs; a++)
    if (sq_agg_collects(ag->aggs[a].fn))
      return FR_OK;
  uint8_t *reads = fr_calloc((size_t)out->n_cols + 1, 1);
  if (reads == NULL)
    return sq_ctx_nomem(ctx);
  sq_expr_columns(having, sq_mark_byte, reads);
  int on_keys = 0;
  for (int c = 0; c < n_keys; c++) on_keys |= reads[c];
  fr_free(reads);
  if (on_keys)
    return FR_OK;
  fr_status status = FR_OK;
  sq_rel t;
  memset(&t, 0, sizeof t);
  t.n_cols = out->n_cols;
  t.cols = fr_calloc((size_t)out->n_cols + 1, sizeof *t.cols);
  if (t.cols == NULL)
    return sq_ctx_nomem(ctx);
  for (int c = 0; c < out->n_cols; c++) {
    t.cols[c].type = out->cols[c].type;
    t.cols[c].unused = c < n_keys || c >= n_keys + n_aggs;
  }
  for (int p = 0; p < parts && status == FR_OK; p++) {
    sq_groups *g = &ag->tables[p];
    if (g->n == 0)
      continue;
    status = sq_rel_reserve(ctx, &t, g->n);
    if (status == FR_OK)
      status = sq_groups_emit(ctx, g, ag->aggs, n_aggs, n_keys, &t, 0, NULL);
    t.n_rows = g->n;
    fr_arena tmp;
    fr_arena_init(&tmp, &ctx->budget);
    sq_vec mask;
    if (status == FR_OK)
      status = sq_rel_eval(ctx, &t, having, &tmp, &mask);
    if (status == FR_OK && (keep[p] = fr_malloc(g->n)) == NULL)
      status = sq_ctx_nomem(ctx);
    if (status == FR_OK) {
      uint64_t k = 0;
      for (uint64_t i = 0; i < g->n; i++) {
        keep[p][i] = (uint8_t)((mask.valid == NULL || mask.valid[i]) && mask.i64[i] != 0);
        k += keep[p][i];
      }
      kept[p] = k;
    }
    fr_arena_free(&tmp);
    t.n_rows = 0;
  }
  sq_rel_clear(ctx, &t);
  fr_free(t.cols);
  return status;
}

/* Phase two of the partitioned aggregation: merges every thread's partition p
 * into thread 0's, partitions in parallel, and writes the groups to out (those
 * HAVING keeps, when it can tell early: sq_having_early). */
static fr_status sq_aggregate_partitions(sq_ctx *ctx, sq_aggregate *ag, sq_rel *out, const sq_expr *having) {
  int n_aggs = ag->n_aggs, threads = ctx->threads, parts = ag->n_parts;
  fr_status status = FR_OK;
  volatile int failed = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int p = 0; p < parts; p++) {
    if (failed)
      continue;
    sq_groups *g = &ag->tables[p];
    fr_status st = FR_OK;
    for (int t = 1; t < threads && st == FR_OK; t++) {
      sq_groups *gt = &ag->tables[(size_t)t * (size_t)parts + (size_t)p];
      for (uint64_t i = 0; i < gt->n && st == FR_OK; i++) {
        const sq_gentry *e = &gt->entries[i];
        uint64_t gi;
        st = sq_groups_find(ctx, g, ag->aggs, n_aggs, sq_gentry_key(e), e->len, e->hash, &gi);
        if (st != FR_OK)
          break;
        for (int a = 0; a < n_aggs; a++)
          sq_state_merge(&ag->aggs[a], &g->states[gi * (uint64_t)n_aggs + (uint64_t)a],
                         &gt->states[i * (uint64_t)n_aggs + (uint64_t)a]);
      }
      /* keys longer than the inline space now live in g's arena */
      sq_groups_free(gt, n_aggs);
      memset(gt, 0, sizeof *gt);
    }
    if (st != FR_OK) {
#pragma omp critical(sq_error)
      failed = 1;
    }
  }
  if (failed)
    status = ctx->err->code != FR_OK ? ctx->err->code : sq_ctx_nomem(ctx);
  if (status == FR_OK && ag->n_keys == 0 && ag->tables[0].n == 0) {
    uint64_t gi; /* a global aggregate over no rows still has its one row */
    status = sq_groups_find(ctx, &ag->tables[0], ag->aggs, n_aggs, NULL, 0, 0, &gi);
  }
  uint8_t **keep = fr_calloc((size_t)parts, sizeof *keep);
  uint64_t *kept = fr_calloc((size_t)parts, sizeof *kept);
  if (status == FR_OK && (keep == NULL || kept == NULL))
    status = sq_ctx_nomem(ctx);
  if (status == FR_OK)
    status = sq_having_early(ctx, ag, out, having, keep, kept);
  uint64_t total = 0;
  for (int p = 0; p < parts && status == FR_OK; p++)
    total += kept[p];
  if (status == FR_OK)
    status = sq_rel_reserve(ctx, out, total);
  uint64_t base = 0;
  for (int p = 0; p < parts && status == FR_OK; p++) {
    status = sq_groups_emit(ctx, &ag->tables[p], ag->aggs, n_aggs, ag->n_keys, out, base, keep[p]);
    base += kept[p];
  }
  if (status == FR_OK)
    out->n_rows = total;
  for (int p = 0; keep != NULL && p < parts; p++) fr_free(keep[p]);
  fr_free(keep);
  fr_free(kept);
  return status;
}

/* Runs the aggregation; `out` gets the key columns then the aggregates. */
static fr_status sq_aggregate_run(sq_plan *plan, sq_expr **keys, int n_keys, sq_agg *aggs, int n_aggs,
                                  const sq_expr *having, sq_rel *out) {
  sq_ctx *ctx = plan->ctx;
  sq_aggregate ag;
  memset(&ag, 0, sizeof ag);
  ag.plan = plan;
  ag.ctx = ctx;
  ag.keys = keys;
  ag.n_keys = n_keys;
  ag.aggs = aggs;
  ag.n_aggs = n_aggs;
  if (n_keys > 64)
    return fr_error_set(ctx->err, FR_ERR_UNSUPPORTED, "more than 64 GROUP BY keys are not supported");
  int holistic = 0;
  for (int a = 0; a < n_aggs; a++)
    holistic |= sq_agg_collects(aggs[a].fn);
  ag.n_parts = holistic ? 1 : SQ_AGG_PARTS;
  size_t n_tables = (size_t)ctx->threads * (size_t)ag.n_parts;
  ag.tables = fr_calloc(n_tables, sizeof *ag.tables);
  if (ag.tables == NULL)
    return sq_ctx_nomem(ctx);
  fr_status status = FR_OK;
  for (size_t t = 0; t < n_tables && status == FR_OK; t++)
    status = sq_groups_init(ctx, &ag.tables[t], n_aggs);
  if (status == FR_OK)
    status = sq_run(plan, sq_agg_sink, &ag, 0);
  if (!holistic) {
    if (status == FR_OK)
      status = sq_aggregate_partitions(ctx, &ag, out, having);
    for (size_t t = 0; t < n_tables; t++)
      sq_groups_free(&ag.tables[t], n_aggs);
    fr_free(ag.tables);
    return status;
  }
  /* merge thread tables into table 0 */
  sq_groups *g0 = &ag.tables[0];
  if (status == FR_OK && n_keys == 0 && g0->n == 0) {
    uint64_t gi;
    status = sq_groups_find(ctx, g0, aggs, n_aggs, NULL, 0, 0, &gi);
  }
  for (int t = 1; t < ctx->threads && status == FR_OK; t++) {
    sq_groups *gt = &ag.tables[t];
    uint32_t *remap = fr_malloc((size_t)(gt->n + 1) * sizeof *remap);
    if (remap == NULL) {
      status = sq_ctx_nomem(ctx);
      break;
    }
    for (uint64_t i = 0; i < gt->n && status == FR_OK; i++) {
      uint64_t gi;
      const sq_gentry *ge = &gt->entries[i];
      status = sq_groups_find(ctx, g0, aggs, n_aggs, sq_gentry_key(ge), ge->len, ge->hash, &gi);
      if (status != FR_OK)
        break;
      remap[i] = (uint32_t)gi;
      for (int a = 0; a < n_aggs; a++)
        sq_state_merge(&aggs[a], &g0->states[gi * (uint64_t)n_aggs + (uint64_t)a],
                       &gt->states[i * (uint64_t)n_aggs + (uint64_t)a]);
    }
    for (int a = 0; a < n_aggs && status == FR_OK; a++) {
      sq_collected *src = &gt->collected[a];
      for (uint64_t k = 0; k < src->n && status == FR_OK; k++) {
        sq_vec one;
        memset(&one, 0, sizeof one);
        one.type = aggs[a].arg->type;
        one.n = 1;
        one.data = (char *)src->vals + k * sq_rel_width(one.type);
        status = sq_collect_push(ctx, &g0->collected[a], one.type, remap[src->group[k]], &one, 0, &ctx->keep[0]);
      }
    }
    fr_free(remap);
  }
  if (status == FR_OK)
    status = sq_rel_reserve(ctx, out, g0->n);
  if (status == FR_OK) {
    status = sq_groups_emit(ctx, g0, aggs, n_aggs, n_keys, out, 0, NULL);
    out->n_rows = g0->n;
  }
  /* Key strings were copied into ctx->keep; min/max strings live there too. */
  for (int t = 0; t < ctx->threads; t++)
    sq_groups_free(&ag.tables[t], n_aggs);
  fr_free(ag.tables);
  return status;
}

/* ============================================================ planning */

fr_status sq_exec_select(sq_ctx *ctx, const sq_select *s, sq_rel **out);

/* Offset of the first token of an expression (a binary node records its
 * operator). */
static uint32_t sq_ast_start(const sq_ast *e) {
  uint32_t pos = e->pos;
  for (int i = 0; i < e->n_args; i++) {
    uint32_t p = sq_ast_start(e->args[i]);
    if (p < pos)
      pos = p;
  }
  return pos;
}

static const char *sq_item_name(sq_ctx *ctx, const sq_scope *scope, const sq_select_item *item) {
  if (item->alias != NULL)
    return item->alias;
  const sq_ast *e = item->expr;
  if (e->kind == SQ_A_COLUMN) {
    /* the column's own spelling (identifiers match case-insensitively) */
    int c = sq_scope_find(scope, e->qualifier, e->name);
    return c >= 0 ? scope->cols[c].name : e->name;
  }
  if (e->kind == SQ_A_FUNC && e->window == NULL && e->n_args == 1 && e->args[0]->kind == SQ_A_STAR &&
      strcmp(e->name, "count") == 0)
    return "count_star()";
  /* DuckDB names other expressions by their text */
  uint32_t a = sq_ast_start(e), b = item->end_pos;
  if (b <= a)
    return "?column?";
  char *name = fr_arena_strndup(&ctx->plan, ctx->sql + a, b - a);
  return name != NULL ? name : "?column?";
}

/* Looks up a CTE by name, innermost first. */
static sq_rel *sq_find_cte(sq_ctx *ctx, const char *name) {
  for (int i = ctx->n_ctes - 1; i >= 0; i--)
    if (strcasecmp(ctx->cte_names[i], name) == 0)
      return ctx->cte_rels[i];
  return NULL;
}

static fr_status sq_push_cte(sq_ctx *ctx, const char *name, sq_rel *rel) {
  if (ctx->n_ctes == ctx->cap_ctes) {
    int cap = ctx->cap_ctes == 0 ? 8 : ctx->cap_ctes * 2;
    const char **names = fr_arena_alloc(&ctx->plan, (size_t)cap * sizeof *names);
    sq_rel **rels = fr_arena_alloc(&ctx->plan, (size_t)cap * sizeof *rels);
    if (names == NULL || rels == NULL)
      return sq_ctx_nomem(ctx);
    if (ctx->n_ctes > 0) {
      memcpy(names, ctx->cte_names, (size_t)ctx->n_ctes * sizeof *names);
      memcpy(rels, ctx->cte_rels, (size_t)ctx->n_ctes * sizeof *rels);
    }
    ctx->cte_names = names;
    ctx->cte_rels = rels;
    ctx->cap_ctes = cap;
  }
  ctx->cte_names[ctx->n_ctes] = name;
  ctx->cte_rels[ctx->n_ctes] = rel;
  ctx->n_ctes++;
  return FR_OK;
}

static fr_status sq_open_source(sq_ctx *ctx, sq_plan *plan, const sq_table_ref *ref, int index) {
  sq_source *src = &plan->sources[index];
  memset(src, 0, sizeof *src);
  if (ref->subquery != NULL) {
    sq_rel *rel;
    FR_TRY(sq_exec_select(ctx, ref->subquery, &rel));
    src->rel = rel;
    src->alias = ref->alias;
  } else {
    sq_rel *cte = sq_find_cte(ctx, ref->table);
    if (cte != NULL) {
      src->rel = cte;
    } else {
      const fr_table_meta *table;
      fr_error lookup;
      fr_error_clear(&lookup);
      if (fr_table_find(ctx->store, ref->table, &table, &lookup) != FR_OK) {
        /* say it in SQL terms, pointing at the name */
        const char *hint = strstr(lookup.msg, "did you mean");
        if (hint != NULL)
          return sq_fail(ctx, FR_ERR_NOTFOUND, ref->pos, "unknown table \"%s\"; %s", ref->table, hint);
        return sq_fail(ctx, FR_ERR_NOTFOUND, ref->pos, "unknown table \"%s\" (%s)", ref->table, lookup.msg);
      }
      src->table = table;
    }
    src->alias = ref->alias != NULL ? ref->alias : ref->table;
  }
  src->offset = plan->scope.n;
  src->n_cols = src->rel != NULL ? src->rel->n_cols : (int)src->table->schema.n_columns;
  return FR_OK;
}

/* Opens the segments of a stored source and lists its row groups. */
static fr_status sq_source_segments(sq_ctx *ctx, sq_source *src) {
  const fr_table_meta *t = src->table;
  src->segs = fr_calloc((size_t)t->n_segments + 1, sizeof *src->segs);
  if (src->segs == NULL)
    return sq_ctx_nomem(ctx);
  uint64_t n_batches = 0;
  for (uint32_t i = 0; i < t->n_segments; i++) {
    char path[4096];
    fr_store_path(ctx->store, t->segments[i].file, path, sizeof path);
    fr_status status = fr_segment_open(&src->segs[i], path, &t->segments[i].info, ctx->err);
    if (status != FR_OK)
      return fr_error_prefix(ctx->err, "table %s: ", t->name);
    src->n_segs = i + 1;
    if (fr_segment_schema(src->segs[i])->n_columns != t->schema.n_columns)
      return fr_error_set(ctx->err, FR_ERR_CORRUPT, "table %s: segment %s does not match the table's columns",
                          t->name, t->segments[i].file);
    n_batches += fr_segment_n_row_groups(src->segs[i]);
  }
  src->batch_seg = fr_malloc((size_t)(n_batches + 1) * sizeof *src->batch_seg);
  src->batch_rg = fr_malloc((size_t)(n_batches + 1) * sizeof *src->batch_rg);
  if (src->batch_seg == NULL || src->batch_rg == NULL)
    return sq_ctx_nomem(ctx);
  uint64_t b = 0;
  for (uint32_t i = 0; i < src->n_segs; i++)
    for (uint32_t rg = 0; rg < fr_segment_n_row_groups(src->segs[i]); rg++) {
      src->batch_seg[b] = i;
      src->batch_rg[b] = rg;
      b++;
    }
  src->n_batches = n_batches;
  return FR_OK;
}

static void sq_plan_free(sq_plan *plan) {
  for (int i = 0; i < plan->n_sources; i++) {
    sq_source *src = &plan->sources[i];
    for (uint32_t k = 0; k < src->n_segs; k++)
      fr_segment_close(src->segs[k]);
    fr_free(src->segs);
    fr_free(src->batch_seg);
    fr_free(src->batch_rg);
  }
  for (int j = 0; j < plan->n_joins; j++)
    sq_join_free(&plan->joins[j]);
}

static fr_status sq_add_filter(sq_ctx *ctx, sq_expr ***list, int *n, sq_expr *e) {
  sq_expr **grown = fr_arena_alloc(&ctx->plan, (size_t)(*n + 1) * sizeof *grown);
  if (grown == NULL)
    return sq_ctx_nomem(ctx);
  if (*n > 0)
    memcpy(grown, *list, (size_t)*n * sizeof *grown);
  grown[*n] = e;
  *list = grown;
  (*n)++;
  return FR_OK;
}

/* Replaces window references by columns from `base` on. */
static void sq_fix_winrefs(sq_expr *e, int base) {
  if (e == NULL)
    return;
  if (e->kind == SQ_E_WINREF) {
    e->kind = SQ_E_COL;
    e->col = base + e->col;
  }
  for (int i = 0; i < e->n_args; i++)
    sq_fix_winrefs(e->args[i], base);
}

/* A column reference expression. */
static sq_expr *sq_col_expr(sq_ctx *ctx, int col, sq_type type) {
  sq_expr *e = sq_plan_alloc(ctx, sizeof *e);
  if (e != NULL) {
    e->kind = SQ_E_COL;
    e->col = col;
    e->type = type;
  }
  return e;
}

/* Materialises source `j`'s needed columns (after its pushed filters). */
static fr_status sq_materialize_source(sq_plan *plan, int j, sq_rel **out) {
  sq_ctx *ctx = plan->ctx;
  sq_source *src = &plan->sources[j];
  sq_plan sub = *plan;
  sub.sources[0] = *src;
  sub.n_sources = 1;
  sub.n_joins = 0;
  sub.n_residual = 0;
  sq_rel *rel;
  FR_TRY(sq_rel_new(ctx, src->n_cols, &rel));
  sq_expr **exprs = sq_plan_alloc(ctx, (size_t)(src->n_cols + 1) * sizeof *exprs);
  if (exprs == NULL)
    return sq_ctx_nomem(ctx);
  for (int c = 0; c < src->n_cols; c++) {
    sq_scope_col *sc = &plan->scope.cols[src->offset + c];
    rel->cols[c].type = sc->type;
    rel->cols[c].name = sc->name;
    rel->cols[c].qualifier = sc->qualifier;
    rel->cols[c].unused = !plan->needed[src->offset + c];
    if (!rel->cols[c].unused) {
      exprs[c] = sq_col_expr(ctx, src->offset + c, sc->type);
      if (exprs[c] == NULL)
        return sq_ctx_nomem(ctx);
    }
  }
  *out = rel;
  return sq_materialize(&sub, exprs, src->n_cols, rel, 0, NULL);
}

/* Keeps the rows of `rel` where `mask` is TRUE (in place). */
static fr_status sq_rel_keep(sq_ctx *ctx, sq_rel *rel, const sq_vec *mask) {
  uint64_t k = 0;
  for (uint64_t i = 0; i < rel->n_rows; i++) {
    if (!((mask->valid == NULL || mask->valid[i]) && mask->i64[i]))
      continue;
    if (k != i)
      for (int c = 0; c < rel->n_cols; c++) {
        sq_rcol *col = &rel->cols[c];
        if (col->unused || col->data == NULL)
          continue;
        size_t w = sq_rel_width(col->type);
        memcpy((char *)col->data + k * w, (char *)col->data + i * w, w);
        col->valid[k] = col->valid[i];
      }
    k++;
  }
  rel->n_rows = k;
  (void)ctx;
  return FR_OK;
}

/* Keeps the rows r of rel with keep[r] != 0, in order. */
static fr_status sq_rel_keep_rows(sq_ctx *ctx, sq_rel *rel, int64_t *keep) {
  sq_vec mask;
  memset(&mask, 0, sizeof mask);
  mask.type = sq_type_make(SQ_T_BOOL);
  mask.i64 = keep;
  return sq_rel_keep(ctx, rel, &mask);
}

/* Applies the row order `idx` (n entries) to every column of `rel`. */
static fr_status sq_rel_permute(sq_ctx *ctx, sq_rel *rel, const uint64_t *idx, uint64_t n) {
  for (int c = 0; c < rel->n_cols; c++) {
    sq_rcol *col = &rel->cols[c];
    if (col->unused || col->data == NULL)
      continue;
    size_t w = sq_rel_width(col->type);
    char *data = fr_malloc((size_t)(n + 1) * w);
    uint8_t *valid = fr_malloc((size_t)n + 1);
    if (data == NULL || valid == NULL) {
      fr_free(data);
      fr_free(valid);
      return sq_ctx_nomem(ctx);
    }
    for (uint64_t i = 0; i < n; i++) {
      memcpy(data + i * w, (char *)col->data + idx[i] * w, w);
      valid[i] = col->valid[idx[i]];
    }
    fr_free(col->data);
    fr_free(col->valid);
    col->data = data;
    col->valid = valid;
  }
  /* capacity changed to n: keep the budget's books roughly right */
  rel->cap_rows = rel->cap_rows > n ? rel->cap_rows : n;
  rel->n_rows = n;
  return FR_OK;
}

static fr_status sq_const_count(sq_ctx *ctx, const sq_ast *ast, const char *what, uint64_t *out) {
  if (ast == NULL)
    return FR_OK;
  if (ast->kind != SQ_A_LITERAL || ast->lit.is_null || ast->lit.type.kind != SQ_T_INT || ast->lit.i64 < 0)
    return sq_fail(ctx, FR_ERR_UNSUPPORTED, ast->pos, "%s must be a non-negative integer constant", what);
  *out = (uint64_t)ast->lit.i64;
  return FR_OK;
}

/* Output item: either a select-list expression or a hidden ORDER BY key. */
typedef struct sq_item {
  const sq_ast *ast;
  const char *name;
  sq_expr *expr;
} sq_item;

/* Whether every column `e` reads is one of the outputs outs[0..n_outs) as a
 * plain column (so e is a function of the output row).  scope_n: the columns
 * e may read. */
static int sq_follows_outputs(sq_ctx *ctx, int scope_n, const sq_expr *e, const sq_item *outs, int n_outs) {
  uint8_t *reads = sq_plan_alloc(ctx, (size_t)scope_n + 16);
  if (reads == NULL)
    return 0;
  memset(reads, 0, (size_t)scope_n + 16);
  sq_expr_columns(e, sq_mark_byte, reads);
  for (int c = 0; c < scope_n; c++) {
    if (!reads[c])
      continue;
    int found = 0;
    for (int i = 0; i < n_outs && !found; i++)
      found = outs[i].expr != NULL && outs[i].expr->kind == SQ_E_COL && outs[i].expr->col == c;
    if (!found)
      return 0;
  }
  return 1;
}

/* Column names a statement can read: every column reference's name; star set
 * when a select list holds a * (count(*)'s does not count), or when memory ran
 * out (then nothing is pruned). */
typedef struct sq_names {
  const char **v;
  int n, cap;
  int star;
} sq_names;

static void sq_names_add(sq_ctx *ctx, sq_names *nm, const char *name) {
  if (name == NULL || nm->star)
    return;
  if (nm->n == nm->cap) {
    int cap = nm->cap ? nm->cap * 2 : 32;
    const char **grown = sq_plan_alloc(ctx, (size_t)cap * sizeof *grown);
    if (grown == NULL) {
      nm->star = 1;
      return;
    }
    if (nm->n > 0)
      memcpy(grown, nm->v, (size_t)nm->n * sizeof *grown);
    nm->v = grown;
    nm->cap = cap;
  }
  nm->v[nm->n++] = name;
}

static int sq_names_has(const sq_names *nm, const char *name) {
  for (int i = 0; i < nm->n; i++)
    if (strcasecmp(nm->v[i], name) == 0)
      return 1;
  return 0;
}

static void sq_names_select(sq_ctx *ctx, sq_names *nm, const sq_select *s, int with_ctes);

static void sq_names_ast(sq_ctx *ctx, sq_names *nm, const sq_ast *a) {
  if (a == NULL)
    return;
  if (a->kind == SQ_A_COLUMN)
    sq_names_add(ctx, nm, a->name);
  for (int i = 0; i < a->n_args; i++)
    sq_names_ast(ctx, nm, a->args[i]);
  if (a->window != NULL) {
    for (int i = 0; i < a->window->n_partition; i++)
      sq_names_ast(ctx, nm, a->window->partition[i]);
    for (int i = 0; i < a->window->n_order; i++)
      sq_names_ast(ctx, nm, a->window->order[i].expr);
    sq_names_ast(ctx, nm, a->window->start_offset);
    sq_names_ast(ctx, nm, a->window->end_offset);
  }
}

/* The names select s reads: its expressions, FROM subqueries, UNION operands
 * and (with_ctes) its CTE bodies. */
static void sq_names_select(sq_ctx *ctx, sq_names *nm, const sq_select *s, int with_ctes) {
  for (; s != NULL; s = s->set_next) {
    for (int i = 0; i < s->n_items; i++) {
      if (s->items[i].expr->kind == SQ_A_STAR)
        nm->star = 1;
      sq_names_ast(ctx, nm, s->items[i].expr);
    }
    sq_names_ast(ctx, nm, s->where);
    for (int i = 0; i < s->n_group_by; i++)
      sq_names_ast(ctx, nm, s->group_by[i]);
    sq_names_ast(ctx, nm, s->having);
    sq_names_ast(ctx, nm, s->qualify);
    for (int i = 0; i < s->n_order_by; i++)
      sq_names_ast(ctx, nm, s->order_by[i].expr);
    for (int i = 0; i < s->n_from; i++) {
      sq_names_ast(ctx, nm, s->from[i].on);
      if (s->from[i].subquery != NULL)
        sq_names_select(ctx, nm, s->from[i].subquery, 1);
    }
    for (int i = 0; with_ctes && i < s->n_ctes; i++)
      sq_names_select(ctx, nm, s->ctes[i].select, 1);
  }
}

/* SELECT * FROM rel [DISTINCT] [ORDER BY / LIMIT / OFFSET of `tail`] into *out:
 * rel is visible as a CTE under a name no query can write while it runs. */
static fr_status sq_select_from_rel(sq_ctx *ctx, sq_rel *rel, int distinct, const sq_select *tail, sq_rel **out) {
  static char name[] = "\001set";
  sq_select *w = sq_plan_alloc(ctx, sizeof *w);
  sq_select_item *star = sq_plan_alloc(ctx, sizeof *star);
  sq_ast *star_ast = sq_plan_alloc(ctx, sizeof *star_ast);
  sq_table_ref *from = sq_plan_alloc(ctx, sizeof *from);
  if (w == NULL || star == NULL || star_ast == NULL || from == NULL)
    return sq_ctx_nomem(ctx);
  memset(w, 0, sizeof *w);
  memset(star, 0, sizeof *star);
  memset(star_ast, 0, sizeof *star_ast);
  memset(from, 0, sizeof *from);
  star_ast->kind = SQ_A_STAR;
  star_ast->pos = tail != NULL ? tail->pos : 0;
  star->expr = star_ast;
  from->table = name;
  w->items = star;
  w->n_items = 1;
  w->from = from;
  w->n_from = 1;
  w->distinct = distinct;
  if (tail != NULL) {
    w->pos = tail->pos;
    sq_tail_copy(w, tail);
  }
  const int ctes_before = ctx->n_ctes;
  FR_TRY(sq_push_cte(ctx, name, rel));
  fr_status status = sq_exec_select(ctx, w, out);
  ctx->n_ctes = ctes_before;
  return status;
}

/* 1 when every row of column c of rel is NULL (a `SELECT NULL` item, typed
 * BIGINT in a result): it joins a UNION column of any type. */
static int sq_rel_all_null(const sq_rel *rel, int c) {
  return rel->n_rows == 0 || memchr(rel->cols[c].valid, 1, (size_t)rel->n_rows) == NULL;
}

/* The type a UNION column of types a and b takes (DuckDB's widening: numbers to
 * the wider number, DATE with TIMESTAMP to TIMESTAMP, anything with VARCHAR to
 * VARCHAR, an all-NULL column to the other's); 0 when ferret does not combine
 * them. */
static int sq_union_type(sq_type a, int a_null, sq_type b, int b_null, sq_type *out) {
  if (sq_type_equal(a, b) || b_null) {
    *out = a;
    return 1;
  }
  if (a_null) {
    *out = b;
    return 1;
  }
  if (a.kind == SQ_T_VARCHAR || b.kind == SQ_T_VARCHAR) {
    *out = sq_type_make(SQ_T_VARCHAR);
    return 1;
  }
  if ((a.kind == SQ_T_DATE || a.kind == SQ_T_TIMESTAMP) && (b.kind == SQ_T_DATE || b.kind == SQ_T_TIMESTAMP)) {
    *out = sq_type_make(SQ_T_TIMESTAMP);
    return 1;
  }
  if (!sq_type_is_numeric(a) || !sq_type_is_numeric(b))
    return 0;
  if (a.kind == SQ_T_DOUBLE || b.kind == SQ_T_DOUBLE) {
    *out = sq_type_make(SQ_T_DOUBLE);
  } else if (a.kind == SQ_T_DECIMAL || b.kind == SQ_T_DECIMAL) {
    /* the larger scale; room for any integer beside it */
    int scale = (a.kind == SQ_T_DECIMAL ? a.scale : 0) > (b.kind == SQ_T_DECIMAL ? b.scale : 0)
                    ? a.scale : b.scale;
    *out = sq_type_decimal(38, scale);
  } else {
    *out = sq_type_make(a.kind == SQ_T_HUGEINT || b.kind == SQ_T_HUGEINT ? SQ_T_HUGEINT : SQ_T_INT);
  }
  return 1;
}

/* Appends every row of `from` to `to`, casting columns whose type differs from
 * to's (casts evaluated per slice of 65536 rows).  Errors: a cast's, NOMEM. */
static fr_status sq_union_append(sq_ctx *ctx, sq_rel *to, const sq_rel *from) {
  const int n = to->n_cols;
  sq_vec *views = sq_plan_alloc(ctx, (size_t)(2 * n + 1) * sizeof *views);
  sq_expr **casts = sq_plan_alloc(ctx, (size_t)(n + 1) * sizeof *casts);
  if (views == NULL || casts == NULL)
    return sq_ctx_nomem(ctx);
  for (int c = 0; c < n; c++) {
    casts[c] = NULL;
    if (sq_type_equal(from->cols[c].type, to->cols[c].type))
      continue;
    sq_expr *col = sq_col_expr(ctx, c, from->cols[c].type);
    sq_expr *cast = sq_plan_alloc(ctx, sizeof *cast);
    sq_expr **args = sq_plan_alloc(ctx, sizeof *args);
    if (col == NULL || cast == NULL || args == NULL)
      return sq_ctx_nomem(ctx);
    memset(cast, 0, sizeof *cast);
    cast->kind = SQ_E_CAST;
    cast->type = to->cols[c].type;
    cast->n_args = 1;
    cast->args = args;
    args[0] = col;
    casts[c] = cast;
  }
  fr_status status = FR_OK;
  for (uint64_t at = 0; at < from->n_rows && status == FR_OK; at += 65536) {
    uint32_t m = (uint32_t)(from->n_rows - at < 65536 ? from->n_rows - at : 65536);
    fr_arena arena;
    fr_arena_init(&arena, &ctx->budget);
    for (int c = 0; c < n; c++)
      sq_rel_view(from, c, at, m, &views[c]);
    sq_eval_ctx ec = {views, m, &arena, ctx->err};
    for (int c = 0; c < n && status == FR_OK; c++)
      if (casts[c] != NULL) {
        sq_vec out;
        status = sq_eval(&ec, casts[c], &out);
        views[n + c] = out;
      }
    for (int c = 0; c < n && status == FR_OK; c++)
      if (casts[c] != NULL)
        views[c] = views[n + c];
    if (status == FR_OK)
      status = sq_rel_append(ctx, to, views, m, &ctx->keep[0]);
    fr_arena_free(&arena);
  }
  return status;
}

/* EXCEPT [ALL] / INTERSECT [ALL] over cat, whose rows [0, na) are the left
 * side and the rest the right: keeps the left rows the operation keeps (rows
 * compare as DISTINCT does, NULLs equal), in their order.  Without ALL one row
 * of each distinct kept row; with ALL, EXCEPT takes one right row off per left
 * row and INTERSECT keeps as many as both sides have.  Errors: NOMEM, a key
 * over 64 KiB. */
static fr_status sq_set_filter(sq_ctx *ctx, sq_rel *cat, uint64_t na, int op, int all) {
  const uint64_t n = cat->n_rows;
  sq_groups set;
  fr_status status = sq_groups_init(ctx, &set, 0);
  sq_vec *views = sq_plan_alloc(ctx, (size_t)(cat->n_cols + 1) * sizeof *views);
  uint64_t *gid = fr_malloc((size_t)(n + 1) * sizeof *gid);
  uint64_t *right = fr_calloc((size_t)(n + 1), sizeof *right); /* per group: right rows not yet matched */
  uint8_t *seen = fr_calloc((size_t)(n + 1), 1);               /* per group: a left row kept already */
  int64_t *keep = fr_malloc((size_t)(n + 1) * sizeof *keep);
  uint8_t *buf = fr_malloc(65536);
  if (status == FR_OK && (views == NULL || gid == NULL || right == NULL || seen == NULL || keep == NULL || buf == NULL))
    status = sq_ctx_nomem(ctx);
  for (int c = 0; c < cat->n_cols && status == FR_OK; c++)
    sq_rel_view(cat, c, 0, (uint32_t)n, &views[c]);
  for (uint64_t r = 0; r < n && status == FR_OK; r++) {
    uint32_t len;
    status = sq_group_key(views, cat->n_cols, (uint32_t)r, buf, 65536, &len, ctx->err);
    if (status == FR_OK)
      status = sq_groups_find(ctx, &set, NULL, 0, buf, len, fr_hash64(buf, len, 0), &gid[r]);
    if (status == FR_OK && r >= na)
      right[gid[r]]++;
  }
  for (uint64_t r = 0; r < n && status == FR_OK; r++) {
    const uint64_t g = gid[r];
    int k = 0;
    if (r < na) {
      if (op == SQ_SET_EXCEPT)
        k = all ? right[g] == 0 : right[g] == 0 && !seen[g];
      else
        k = all ? right[g] > 0 : right[g] > 0 && !seen[g];
      if (all && right[g] > 0)
        right[g]--; /* EXCEPT ALL: this left row takes one right row off; INTERSECT ALL: pairs with it */
      seen[g] |= (uint8_t)k;
    }
    keep[r] = k;
  }
  if (status == FR_OK)
    status = sq_rel_keep_rows(ctx, cat, keep);
  fr_free(gid);
  fr_free(right);
  fr_free(seen);
  fr_free(keep);
  fr_free(buf);
  sq_groups_free(&set, 0);
  return status;
}

/* A UNION chain (s and its set_next operands, s's CTEs already in scope): each
 * operand runs alone, results are appended left to right, UNION (not ALL)
 * keeps one row of each distinct row so far; then the chain's ORDER BY /
 * LIMIT / OFFSET.  Operands must agree on the number and types of columns
 * (names come from the first).  Errors: FR_ERR_INVALID, FR_ERR_UNSUPPORTED
 * (columns of different types), an operand's. */
static fr_status sq_exec_union(sq_ctx *ctx, const sq_select *s, sq_rel **out) {
  sq_rel *acc = NULL;
  int operand = 0;
  for (const sq_select *x = s; x != NULL; x = x->set_next, operand++) {
    sq_select core = *x;
    core.set_next = NULL;
    sq_tail_clear(&core);
    if (x == s)
      core.n_ctes = 0; /* in scope already */
    sq_rel *r;
    FR_TRY(sq_exec_select(ctx, &core, &r));
    if (acc == NULL) {
      acc = r;
      continue;
    }
    const char *op_name = x->set_op == SQ_SET_EXCEPT ? "EXCEPT" : x->set_op == SQ_SET_INTERSECT ? "INTERSECT" : "UNION";
    if (r->n_cols != acc->n_cols)
      return sq_fail(ctx, FR_ERR_INVALID, x->pos, "%s operand %d has %d columns, the first has %d", op_name,
                     operand + 1, r->n_cols, acc->n_cols);
    sq_rel *cat;
    FR_TRY(sq_rel_new(ctx, acc->n_cols, &cat));
    for (int c = 0; c < acc->n_cols; c++) {
      if (!sq_union_type(acc->cols[c].type, sq_rel_all_null(acc, c), r->cols[c].type, sq_rel_all_null(r, c),
                         &cat->cols[c].type)) {
        char ta[24], tb[24];
        return sq_fail(ctx, FR_ERR_UNSUPPORTED, x->pos,
                       "%s of %s and %s in column %d is not supported (CAST both to one type)", op_name,
                       sq_type_name(acc->cols[c].type, ta), sq_type_name(r->cols[c].type, tb), c + 1);
      }
      cat->cols[c].name = acc->cols[c].name;
    }
    FR_TRY(sq_rel_reserve(ctx, cat, acc->n_rows + r->n_rows));
    FR_TRY(sq_union_append(ctx, cat, acc));
    FR_TRY(sq_union_append(ctx, cat, r));
    const uint64_t n_left = acc->n_rows;
    sq_rel_clear(ctx, acc);
    sq_rel_clear(ctx, r);
    acc = cat;
    if (x->set_op != SQ_SET_UNION)
      FR_TRY(sq_set_filter(ctx, acc, n_left, x->set_op, x->set_all));
    else if (!x->set_all)
      FR_TRY(sq_select_from_rel(ctx, acc, 1, NULL, &acc));
  }
  if (s->n_order_by == 0 && !s->order_by_all && s->limit == NULL && s->offset == NULL) {
    *out = acc;
    return FR_OK;
  }
  return sq_select_from_rel(ctx, acc, 0, s, out);
}

fr_status sq_exec_select(sq_ctx *ctx, const sq_select *s, sq_rel **out) {
  const sq_names *prune = ctx->prune; /* for this select's own result only */
  ctx->prune = NULL;
  int ctes_before = ctx->n_ctes;
  fr_status status = FR_OK;
  for (int i = 0; i < s->n_ctes && status == FR_OK; i++) {
    /* a CTE stores only the columns the rest of the statement names (the
     * main query and the CTEs after it); a * there keeps them all */
    sq_names used;
    memset(&used, 0, sizeof used);
    sq_names_select(ctx, &used, s, 0);
    for (int j = i + 1; j < s->n_ctes; j++)
      sq_names_select(ctx, &used, s->ctes[j].select, 1);
    sq_rel *rel;
    ctx->prune = used.star ? NULL : &used;
    status = sq_exec_select(ctx, s->ctes[i].select, &rel);
    ctx->prune = NULL;
    if (status == FR_OK)
      status = sq_push_cte(ctx, s->ctes[i].name, rel);
  }
  if (status != FR_OK)
    return status;
  if (s->set_next != NULL) {
    status = sq_exec_union(ctx, s, out);
    ctx->n_ctes = ctes_before;
    return status;
  }

  sq_plan plan;
  memset(&plan, 0, sizeof plan);
  plan.ctx = ctx;
  /* ---- sources and scope */
  if (s->n_from == 0) {
    sq_rel *one;
    FR_TRY(sq_rel_new(ctx, 0, &one));
    one->n_rows = 1;
    plan.sources[0].rel = one;
    plan.sources[0].alias = "";
    plan.n_sources = 1;
  }
  int total_cols = 0;
  for (int i = 0; i < s->n_from; i++) {
    status = sq_open_source(ctx, &plan, &s->from[i], i);
    if (status != FR_OK) {
      sq_plan_free(&plan);
      return status;
    }
    plan.n_sources = i + 1;
    plan.scope.n += plan.sources[i].n_cols;
    total_cols += plan.sources[i].n_cols;
  }
  plan.scope.cols = sq_plan_alloc(ctx, (size_t)(total_cols + 1) * sizeof *plan.scope.cols);
  plan.needed = sq_plan_alloc(ctx, (size_t)(total_cols + 1) * sizeof *plan.needed);
  if (plan.scope.cols == NULL || plan.needed == NULL) {
    sq_plan_free(&plan);
    return sq_ctx_nomem(ctx);
  }
  for (int i = 0; i < plan.n_sources && s->n_from > 0; i++) {
    sq_source *src = &plan.sources[i];
    for (int c = 0; c < src->n_cols; c++) {
      sq_scope_col *sc = &plan.scope.cols[src->offset + c];
      sc->qualifier = src->alias;
      if (src->rel != NULL) {
        sc->name = src->rel->cols[c].name;
        sc->type = src->rel->cols[c].type;
      } else {
        sc->name = src->table->schema.columns[c].name;
        sc->type = sq_type_from_store(src->table->schema.columns[c].type);
      }
    }
  }
  /* ---- the select list, with * expanded */
  int n_items = 0;
  for (int i = 0; i < s->n_items; i++) {
    const sq_ast *e = s->items[i].expr;
    if (e->kind != SQ_A_STAR) {
      n_items++;
      continue;
    }
    int matched = 0;
    for (int c = 0; c < plan.scope.n; c++)
      if (e->qualifier == NULL || strcasecmp(plan.scope.cols[c].qualifier, e->qualifier) == 0)
        matched++;
    if (matched == 0 && e->qualifier != NULL) {
      sq_plan_free(&plan);
      return sq_fail(ctx, FR_ERR_NOTFOUND, e->pos, "unknown table or alias \"%s\" in %s.*", e->qualifier, e->qualifier);
    }
    if (s->n_from == 0) {
      sq_plan_free(&plan);
      return sq_fail(ctx, FR_ERR_INVALID, e->pos, "SELECT * needs a FROM clause");
    }
    n_items += matched;
  }
  sq_select_item *items = sq_plan_alloc(ctx, (size_t)(n_items + 1) * sizeof *items);
  if (items == NULL) {
    sq_plan_free(&plan);
    return sq_ctx_nomem(ctx);
  }
  int k = 0;
  for (int i = 0; i < s->n_items; i++) {
    const sq_ast *e = s->items[i].expr;
    if (e->kind != SQ_A_STAR) {
      items[k++] = s->items[i];
      continue;
    }
    for (int c = 0; c < plan.scope.n; c++) {
      if (e->qualifier != NULL && strcasecmp(plan.scope.cols[c].qualifier, e->qualifier) != 0)
        continue;
      sq_ast *col = sq_plan_alloc(ctx, sizeof *col);
      if (col == NULL) {
        sq_plan_free(&plan);
        return sq_ctx_nomem(ctx);
      }
      col->kind = SQ_A_COLUMN;
      col->pos = e->pos;
      col->name = (char *)plan.scope.cols[c].name;
      col->qualifier = (char *)plan.scope.cols[c].qualifier;
      items[k].expr = col;
      items[k].alias = NULL;
      k++;
    }
  }

  /* ---- binder over the source scope */
  sq_binder b;
  memset(&b, 0, sizeof b);
  b.sql = ctx->sql;
  b.arena = &ctx->plan;
  b.err = ctx->err;
  b.scope = &plan.scope;
  b.pre_scope = &plan.scope;
  b.alias_items = items;
  b.n_alias_items = n_items;

  /* joins */
  for (int i = 1; i < plan.n_sources && status == FR_OK; i++) {
    const sq_table_ref *ref = &s->from[i];
    sq_join *j = &plan.joins[plan.n_joins++];
    j->kind = ref->join;
    j->right = i;
    b.clause = "a JOIN condition";
    sq_expr *on;
    status = sq_bind(&b, ref->on, &on);
    if (status != FR_OK)
      break;
    sq_expr *conj[64];
    int n_conj = sq_conjuncts(on, conj, 0, 64);
    if (n_conj > 64) {
      status = sq_fail(ctx, FR_ERR_UNSUPPORTED, ref->on->pos, "more than 64 conditions in one ON clause");
      break;
    }
    j->left_keys = sq_plan_alloc(ctx, 16 * sizeof *j->left_keys);
    j->right_keys = sq_plan_alloc(ctx, 16 * sizeof *j->right_keys);
    if (j->left_keys == NULL || j->right_keys == NULL) {
      status = sq_ctx_nomem(ctx);
      break;
    }
    for (int c = 0; c < n_conj && status == FR_OK; c++) {
      sq_expr *e = conj[c];
      int src_all = sq_expr_source(&plan, e);
      if (e->kind == SQ_E_CMP && e->op == SQ_OP_EQ) {
        int a = sq_expr_source(&plan, e->args[0]), bsrc = sq_expr_source(&plan, e->args[1]);
        int a_left = a >= 0 && a < i, b_left = bsrc >= 0 && bsrc < i;
        sq_col_range ra = {1 << 30, -1}, rb = {1 << 30, -1};
        sq_expr_columns(e->args[0], sq_visit_range, &ra);
        sq_expr_columns(e->args[1], sq_visit_range, &rb);
        /* a side may span several left sources */
        if (a == -2 && ra.hi < plan.sources[i].offset && ra.hi >= 0)
          a_left = 1;
        if (bsrc == -2 && rb.hi < plan.sources[i].offset && rb.hi >= 0)
          b_left = 1;
        if ((a_left && bsrc == i) || (b_left && a == i)) {
          if (j->n_keys == 16) {
            status = sq_fail(ctx, FR_ERR_UNSUPPORTED, ref->on->pos, "more than 16 join keys");
            break;
          }
          j->left_keys[j->n_keys] = a_left ? e->args[0] : e->args[1];
          j->right_keys[j->n_keys] = a_left ? e->args[1] : e->args[0];
          j->n_keys++;
          continue;
        }
      }
      sq_col_range re = {1 << 30, -1};
      sq_expr_columns(e, sq_visit_range, &re);
      if (src_all == i) {
        status = sq_add_filter(ctx, &plan.sources[i].filters, &plan.sources[i].n_filters, e);
      } else if (j->kind == SQ_JOIN_INNER) {
        status = sq_add_filter(ctx, &plan.residual, &plan.n_residual, e);
      } else if (re.hi < plan.sources[i].offset) { /* LEFT, on the left side only (or constant) */
        status = sq_add_filter(ctx, &j->left_guards, &j->n_left_guards, e);
      } else {
        status = sq_fail(ctx, FR_ERR_UNSUPPORTED, ref->on->pos,
                         "this LEFT JOIN condition is not supported: ON may hold equalities between the two sides "
                         "and conditions on one side only");
      }
    }
    if (status == FR_OK && j->n_keys == 0)
      status = sq_fail(ctx, FR_ERR_UNSUPPORTED, ref->on->pos,
                       "a JOIN needs at least one equality between the two sides (non-equi joins are not supported)");
  }
  /* WHERE */
  if (status == FR_OK && s->where != NULL) {
    if (sq_ast_has_aggregate(s->where))
      status = sq_fail(ctx, FR_ERR_INVALID, s->where->pos, "aggregates are not allowed in WHERE (use HAVING)");
    else if (sq_ast_has_window(s->where))
      status = sq_fail(ctx, FR_ERR_INVALID, s->where->pos,
                       "window functions are not allowed in WHERE (compute them in a WITH query first)");
    sq_expr *where = NULL;
    b.clause = "WHERE";
    if (status == FR_OK)
      status = sq_bind(&b, s->where, &where);
    if (status == FR_OK && where->type.kind != SQ_T_BOOL && where->type.kind != SQ_T_NULL) {
      char tn[24];
      status = sq_fail(ctx, FR_ERR_INVALID, s->where->pos, "WHERE needs a boolean condition, not %s",
                       sq_type_name(where->type, tn));
    }
    sq_expr *conj[256];
    int n_conj = status == FR_OK ? sq_conjuncts(where, conj, 0, 256) : 0;
    for (int c = 0; c < n_conj && c < 256 && status == FR_OK; c++) {
      int src = sq_expr_source(&plan, conj[c]);
      int pushable = src >= 0 && (src == 0 || plan.joins[src - 1].kind == SQ_JOIN_INNER);
      if (pushable)
        status = sq_add_filter(ctx, &plan.sources[src].filters, &plan.sources[src].n_filters, conj[c]);
      else
        status = sq_add_filter(ctx, &plan.residual, &plan.n_residual, conj[c]);
    }
    if (n_conj > 256 && status == FR_OK)
      status = sq_fail(ctx, FR_ERR_UNSUPPORTED, s->where->pos, "more than 256 AND-ed conditions in WHERE");
  }
  if (status != FR_OK) {
    sq_plan_free(&plan);
    return status;
  }

  /* ---- GROUP BY ALL / ORDER BY ALL: positions in the expanded select list */
  if (s->group_by_all || s->order_by_all) {
    sq_select *all = sq_plan_alloc(ctx, sizeof *all);
    sq_ast *pos_ast = sq_plan_alloc(ctx, (size_t)(n_items + 1) * sizeof *pos_ast);
    if (all == NULL || pos_ast == NULL) {
      sq_plan_free(&plan);
      return sq_ctx_nomem(ctx);
    }
    *all = *s;
    memset(pos_ast, 0, (size_t)(n_items + 1) * sizeof *pos_ast);
    for (int i = 0; i < n_items; i++) {
      pos_ast[i].kind = SQ_A_LITERAL;
      pos_ast[i].lit.type = sq_type_make(SQ_T_INT);
      pos_ast[i].lit.i64 = i + 1;
      pos_ast[i].pos = s->group_by_all ? s->group_all_pos : s->pos;
    }
    if (s->group_by_all) { /* every item without an aggregate (or a window) */
      all->group_by = sq_plan_alloc(ctx, (size_t)(n_items + 1) * sizeof *all->group_by);
      if (all->group_by == NULL) {
        sq_plan_free(&plan);
        return sq_ctx_nomem(ctx);
      }
      all->n_group_by = 0;
      for (int i = 0; i < n_items; i++) {
        if (sq_ast_has_window(items[i].expr)) { /* DuckDB refuses these too */
          sq_plan_free(&plan);
          return sq_fail(ctx, FR_ERR_UNSUPPORTED, items[i].expr->pos,
                         "GROUP BY ALL with a window function in the select list is not supported "
                         "(name the GROUP BY columns)");
        }
        if (!sq_ast_has_aggregate(items[i].expr))
          all->group_by[all->n_group_by++] = &pos_ast[i];
      }
    }
    if (s->order_by_all) { /* every item, left to right */
      all->order_by = sq_plan_alloc(ctx, (size_t)(n_items + 1) * sizeof *all->order_by);
      if (all->order_by == NULL) {
        sq_plan_free(&plan);
        return sq_ctx_nomem(ctx);
      }
      for (int i = 0; i < n_items; i++) {
        all->order_by[i] = s->order_all;
        all->order_by[i].expr = &pos_ast[i];
      }
      all->n_order_by = n_items;
    }
    s = all;
  }

  /* ---- aggregation? */
  int aggregating = s->n_group_by > 0 || (s->having != NULL);
  for (int i = 0; i < n_items; i++)
    aggregating |= sq_ast_has_aggregate(items[i].expr);
  for (int i = 0; i < s->n_order_by; i++)
    aggregating |= sq_ast_has_aggregate(s->order_by[i].expr);
  if (s->qualify != NULL)
    aggregating |= sq_ast_has_aggregate(s->qualify);

  sq_ast **group_asts = NULL;
  sq_expr **group_exprs = NULL;
  sq_scope post;
  memset(&post, 0, sizeof post);
  if (aggregating) {
    group_asts = sq_plan_alloc(ctx, (size_t)(s->n_group_by + 1) * sizeof *group_asts);
    group_exprs = sq_plan_alloc(ctx, (size_t)(s->n_group_by + 1) * sizeof *group_exprs);
    post.cols = sq_plan_alloc(ctx, (size_t)(s->n_group_by + 1) * sizeof *post.cols);
    if (group_asts == NULL || group_exprs == NULL || post.cols == NULL) {
      sq_plan_free(&plan);
      return sq_ctx_nomem(ctx);
    }
    b.clause = "GROUP BY";
    for (int g = 0; g < s->n_group_by && status == FR_OK; g++) {
      sq_ast *ga = s->group_by[g];
      /* GROUP BY 2 / GROUP BY alias */
      if (ga->kind == SQ_A_LITERAL && ga->lit.type.kind == SQ_T_INT) {
        if (ga->lit.i64 < 1 || ga->lit.i64 > n_items) {
          status = sq_fail(ctx, FR_ERR_INVALID, ga->pos, "GROUP BY position %lld is not in the select list",
                           (long long)ga->lit.i64);
          break;
        }
        ga = items[ga->lit.i64 - 1].expr;
      } else if (ga->kind == SQ_A_COLUMN && ga->qualifier == NULL &&
                 sq_scope_find(&plan.scope, NULL, ga->name) < 0) {
        for (int i = 0; i < n_items; i++)
          if (items[i].alias != NULL && strcasecmp(items[i].alias, ga->name) == 0) {
            ga = items[i].expr;
            break;
          }
      }
      if (sq_ast_has_aggregate(ga)) {
        status = sq_fail(ctx, FR_ERR_INVALID, ga->pos, "aggregates are not allowed in GROUP BY");
        break;
      }
      group_asts[g] = ga;
      status = sq_bind(&b, ga, &group_exprs[g]);
      if (status != FR_OK)
        break;
      post.cols[g].type = group_exprs[g]->type;
      post.cols[g].name = ga->kind == SQ_A_COLUMN ? ga->name : "group";
      post.n = g + 1;
    }
    b.scope = &post;
    b.pre_scope = &plan.scope;
    b.aggregating = 1;
    b.group_exprs = group_asts;
    b.n_groups = s->n_group_by;
  }
  /* select items */
  int n_order = s->n_order_by;
  sq_item *outs = sq_plan_alloc(ctx, (size_t)(n_items + n_order + 2) * sizeof *outs); /* + QUALIFY's */
  int *order_col = sq_plan_alloc(ctx, (size_t)(n_order + 1) * sizeof *order_col);
  if (outs == NULL || order_col == NULL) {
    sq_plan_free(&plan);
    return sq_ctx_nomem(ctx);
  }
  b.allow_windows = 1;
  b.clause = "the select list";
  for (int i = 0; i < n_items && status == FR_OK; i++) {
    outs[i].ast = items[i].expr;
    outs[i].name = sq_item_name(ctx, &plan.scope, &items[i]);
    status = sq_bind(&b, items[i].expr, &outs[i].expr);
  }
  /* ORDER BY: an output position, an output name, a select-list expression,
   * or any other expression (a hidden output column) */
  int n_outs = n_items;
  b.clause = "ORDER BY";
  for (int o = 0; o < n_order && status == FR_OK; o++) {
    const sq_ast *oa = s->order_by[o].expr;
    order_col[o] = -1;
    if (oa->kind == SQ_A_LITERAL && oa->lit.type.kind == SQ_T_INT) {
      if (oa->lit.i64 < 1 || oa->lit.i64 > n_items) {
        status = sq_fail(ctx, FR_ERR_INVALID, oa->pos, "ORDER BY position %lld is not in the select list",
                         (long long)oa->lit.i64);
        break;
      }
      order_col[o] = (int)oa->lit.i64 - 1;
      continue;
    }
    if (oa->kind == SQ_A_COLUMN && oa->qualifier == NULL)
      for (int i = 0; i < n_items; i++)
        if (items[i].alias != NULL && strcasecmp(items[i].alias, oa->name) == 0) {
          order_col[o] = i;
          break;
        }
    for (int i = 0; i < n_items && order_col[o] < 0; i++)
      if (sq_ast_equal(items[i].expr, oa))
        order_col[o] = i;
    if (order_col[o] >= 0)
      continue;
    outs[n_outs].ast = oa;
    outs[n_outs].name = "order key";
    status = sq_bind(&b, oa, &outs[n_outs].expr);
    /* with DISTINCT, a hidden order key must be a function of the select
     * list's columns (DuckDB: ORDER BY lower(org) after DISTINCT org; a column
     * of SELECT DISTINCT *): it then changes no distinct row */
    if (status == FR_OK && s->distinct && !sq_follows_outputs(ctx, b.scope->n, outs[n_outs].expr, outs, n_items)) {
      status = sq_fail(ctx, FR_ERR_INVALID, oa->pos,
                       "with SELECT DISTINCT, ORDER BY expressions must appear in the select list");
      break;
    }
    order_col[o] = n_outs++;
  }
  /* QUALIFY: a hidden output column, filtered on once the windows are in
   * (before DISTINCT, ORDER BY and LIMIT) */
  int qualify_col = -1;
  if (status == FR_OK && s->qualify != NULL) {
    int any_window = sq_ast_has_window(s->qualify);
    for (int i = 0; i < n_items; i++)
      any_window |= sq_ast_has_window(items[i].expr);
    if (!any_window) { /* as DuckDB */
      sq_plan_free(&plan);
      return sq_fail(ctx, FR_ERR_INVALID, s->qualify->pos,
                     "QUALIFY needs a window function in the select list or in QUALIFY (use WHERE)");
    }
    b.clause = "QUALIFY";
    outs[n_outs].ast = s->qualify;
    outs[n_outs].name = "qualify";
    status = sq_bind(&b, s->qualify, &outs[n_outs].expr);
    if (status == FR_OK && outs[n_outs].expr->type.kind != SQ_T_BOOL && outs[n_outs].expr->type.kind != SQ_T_NULL) {
      char tn[24];
      status = sq_fail(ctx, FR_ERR_INVALID, s->qualify->pos, "QUALIFY needs a boolean condition, not %s",
                       sq_type_name(outs[n_outs].expr->type, tn));
    }
    qualify_col = n_outs++;
  }
  sq_expr *having = NULL;
  if (status == FR_OK && s->having != NULL) {
    b.allow_windows = 0;
    b.clause = "HAVING";
    if (!aggregating)
      status = sq_fail(ctx, FR_ERR_INVALID, s->having->pos, "HAVING needs GROUP BY or aggregates");
    else
      status = sq_bind(&b, s->having, &having);
    if (status == FR_OK && having->type.kind != SQ_T_BOOL && having->type.kind != SQ_T_NULL)
      status = sq_fail(ctx, FR_ERR_INVALID, s->having->pos, "HAVING needs a boolean condition");
  }
  uint64_t limit = UINT64_MAX, offset = 0;
  if (status == FR_OK)
    status = sq_const_count(ctx, s->limit, "LIMIT", &limit);
  if (status == FR_OK)
    status = sq_const_count(ctx, s->offset, "OFFSET", &offset);
  if (status != FR_OK) {
    sq_plan_free(&plan);
    return status;
  }
  if (aggregating && b.n_aggs + s->n_group_by > 4096) {
    sq_plan_free(&plan);
    return fr_error_set(ctx->err, FR_ERR_UNSUPPORTED, "too many aggregates");
  }

  /* ---- which columns the scan must decode */
  for (int i = 0; i < plan.n_sources; i++)
    for (int f = 0; f < plan.sources[i].n_filters; f++)
      sq_expr_columns(plan.sources[i].filters[f], sq_mark_needed, plan.needed);
  for (int f = 0; f < plan.n_residual; f++)
    sq_expr_columns(plan.residual[f], sq_mark_needed, plan.needed);
  for (int j = 0; j < plan.n_joins; j++) {
    for (int kk = 0; kk < plan.joins[j].n_keys; kk++) {
      sq_expr_columns(plan.joins[j].left_keys[kk], sq_mark_needed, plan.needed);
      sq_expr_columns(plan.joins[j].right_keys[kk], sq_mark_needed, plan.needed);
    }
    for (int f = 0; f < plan.joins[j].n_left_guards; f++)
      sq_expr_columns(plan.joins[j].left_guards[f], sq_mark_needed, plan.needed);
  }
  if (aggregating) {
    for (int g = 0; g < s->n_group_by; g++)
      sq_expr_columns(group_exprs[g], sq_mark_needed, plan.needed);
    for (int a = 0; a < b.n_aggs; a++)
      sq_expr_columns(b.aggs[a].arg, sq_mark_needed, plan.needed);
  } else {
    for (int i = 0; i < n_outs; i++)
      sq_expr_columns(outs[i].expr, sq_mark_needed, plan.needed);
    for (int w = 0; w < b.n_wins; w++) {
      sq_expr_columns(b.wins[w].arg, sq_mark_needed, plan.needed);
      sq_expr_columns(b.wins[w].default_value, sq_mark_needed, plan.needed);
      for (int kk = 0; kk < b.wins[w].n_partition; kk++)
        sq_expr_columns(b.wins[w].partition[kk], sq_mark_needed, plan.needed);
      for (int kk = 0; kk < b.wins[w].n_order; kk++)
        sq_expr_columns(b.wins[w].order[kk], sq_mark_needed, plan.needed);
    }
  }

  /* ---- open stored sources, build the join sides */
  for (int i = 0; i < plan.n_sources && status == FR_OK; i++)
    if (plan.sources[i].table != NULL)
      status = sq_source_segments(ctx, &plan.sources[i]);
  for (int j = 0; j < plan.n_joins && status == FR_OK; j++) {
    status = sq_materialize_source(&plan, plan.joins[j].right, &plan.joins[j].build);
    if (status == FR_OK)
      status = sq_join_build(&plan, &plan.joins[j]);
  }

  /* ---- run */
  sq_rel *result = NULL;
  if (status == FR_OK)
    status = sq_rel_new(ctx, n_outs, &result);
  if (status == FR_OK)
    for (int i = 0; i < n_outs; i++) {
      result->cols[i].type = outs[i].expr->type.kind == SQ_T_NULL ? sq_type_make(SQ_T_INT) : outs[i].expr->type;
      result->cols[i].name = outs[i].name;
    }
  /* a CTE's output columns that no later part of the statement names are
   * neither evaluated nor stored (those its own ORDER BY needs excepted; with
   * DISTINCT every column counts) */
  uint8_t *pruned = NULL;
  if (status == FR_OK && prune != NULL && !s->distinct) {
    pruned = sq_plan_alloc(ctx, (size_t)n_outs + 1);
    if (pruned == NULL)
      status = sq_ctx_nomem(ctx);
    for (int i = 0; i < n_outs && status == FR_OK; i++)
      pruned[i] = i < n_items && !sq_names_has(prune, outs[i].name);
    for (int o = 0; o < n_order && status == FR_OK; o++)
      if (order_col[o] >= 0)
        pruned[order_col[o]] = 0;
    for (int i = 0; i < n_outs && status == FR_OK; i++)
      result->cols[i].unused = pruned[i];
  }
  int simple = !aggregating && b.n_wins == 0;
  /* ORDER BY ... LIMIT k: batches keep their k best rows only */
  sq_topk topk;
  const sq_topk *topk_ptr = NULL;
  if (n_order > 0 && limit != UINT64_MAX && !s->distinct && qualify_col < 0 && limit + offset <= 100000 &&
      limit + offset > 0) {
    int *desc = sq_plan_alloc(ctx, (size_t)(n_order + 1) * sizeof *desc);
    int *nf = sq_plan_alloc(ctx, (size_t)(n_order + 1) * sizeof *nf);
    if (desc != NULL && nf != NULL) {
      for (int o = 0; o < n_order; o++) {
        desc[o] = s->order_by[o].desc;
        nf[o] = s->order_by[o].nulls_first < 0 ? 0 : s->order_by[o].nulls_first;
      }
      topk.k = limit + offset;
      topk.n_keys = n_order;
      topk.cols = order_col;
      topk.desc = desc;
      topk.nulls_first = nf;
      topk_ptr = &topk;
    }
  }
  if (status == FR_OK && simple) {
    uint64_t stop = 0;
    if (limit != UINT64_MAX && n_order == 0 && !s->distinct && qualify_col < 0)
      stop = limit + offset == 0 ? 1 : limit + offset;
    /* collect the output expressions into one array */
    sq_expr **exprs = sq_plan_alloc(ctx, (size_t)(n_outs + 1) * sizeof *exprs);
    if (exprs == NULL)
      status = sq_ctx_nomem(ctx);
    for (int i = 0; i < n_outs && status == FR_OK; i++)
      exprs[i] = pruned != NULL && pruned[i] ? NULL : outs[i].expr;
    if (status == FR_OK)
      status = sq_materialize(&plan, exprs, n_outs, result, stop, topk_ptr);
  } else if (status == FR_OK) {
    /* stage relation: groups + aggregates (or the needed source columns),
     * then window columns */
    sq_rel *stage = NULL;
    int base;
    if (aggregating) {
      base = s->n_group_by + b.n_aggs;
      status = sq_rel_new(ctx, base + b.n_wins, &stage);
      for (int g = 0; g < s->n_group_by && status == FR_OK; g++) {
        stage->cols[g].type = group_exprs[g]->type;
        stage->cols[g].name = post.cols[g].name;
      }
      for (int a = 0; a < b.n_aggs && status == FR_OK; a++) {
        stage->cols[s->n_group_by + a].type = b.aggs[a].type;
        stage->cols[s->n_group_by + a].name = "aggregate";
      }
      for (int w = 0; w < b.n_wins && status == FR_OK; w++) {
        stage->cols[base + w].type = b.wins[w].type;
        stage->cols[base + w].unused = 1; /* allocated after HAVING */
      }
      if (status == FR_OK)
        status = sq_aggregate_run(&plan, group_exprs, s->n_group_by, b.aggs, b.n_aggs, having, stage);
      if (status == FR_OK && having != NULL) {
        fr_arena tmp;
        fr_arena_init(&tmp, &ctx->budget);
        sq_vec mask;
        status = sq_rel_eval(ctx, stage, having, &tmp, &mask);
        if (status == FR_OK)
          status = sq_rel_keep(ctx, stage, &mask);
        fr_arena_free(&tmp);
      }
    } else {
      base = plan.scope.n;
      status = sq_rel_new(ctx, base + b.n_wins, &stage);
      sq_expr **exprs = sq_plan_alloc(ctx, (size_t)(base + 1) * sizeof *exprs);
      if (exprs == NULL && status == FR_OK)
        status = sq_ctx_nomem(ctx);
      for (int c = 0; c < base && status == FR_OK; c++) {
        stage->cols[c].type = plan.scope.cols[c].type;
        stage->cols[c].name = plan.scope.cols[c].name;
        stage->cols[c].unused = !plan.needed[c];
        exprs[c] = plan.needed[c] ? sq_col_expr(ctx, c, plan.scope.cols[c].type) : NULL;
      }
      for (int w = 0; w < b.n_wins && status == FR_OK; w++) {
        stage->cols[base + w].type = b.wins[w].type;
        stage->cols[base + w].unused = 1;
      }
      if (status == FR_OK)
        status = sq_materialize(&plan, exprs, base, stage, 0, NULL);
    }
    /* window columns */
    if (status == FR_OK && b.n_wins > 0) {
      uint64_t rows = stage->n_rows;
      for (int w = 0; w < b.n_wins && status == FR_OK; w++) {
        sq_rcol *col = &stage->cols[base + w];
        col->unused = 0;
        size_t width = sq_rel_width(col->type);
        if (fr_budget_charge(&ctx->budget, (rows + 1) * (width + 1)) != 0) {
          status = fr_error_set(ctx->err, FR_ERR_LIMIT, "the window functions need more memory than the limit; raise --memory-limit");
          break;
        }
        col->data = fr_calloc(rows + 1, width);
        col->valid = fr_calloc(rows + 1, 1);
        if (col->data == NULL || col->valid == NULL)
          status = sq_ctx_nomem(ctx);
      }
      if (stage->cap_rows < rows)
        stage->cap_rows = rows;
      for (int w = 0; w < b.n_wins && status == FR_OK; w++)
        status = sq_window_compute(ctx, stage, &b.wins[w], base + w);
    }
    /* the select list over the stage relation */
    if (status == FR_OK) {
      sq_plan over;
      memset(&over, 0, sizeof over);
      over.ctx = ctx;
      over.sources[0].rel = stage;
      over.sources[0].n_cols = stage->n_cols;
      over.n_sources = 1;
      over.scope.n = stage->n_cols;
      over.scope.cols = sq_plan_alloc(ctx, (size_t)(stage->n_cols + 1) * sizeof *over.scope.cols);
      over.needed = sq_plan_alloc(ctx, (size_t)(stage->n_cols + 1) * sizeof *over.needed);
      sq_expr **exprs = sq_plan_alloc(ctx, (size_t)(n_outs + 1) * sizeof *exprs);
      if (over.scope.cols == NULL || over.needed == NULL || exprs == NULL)
        status = sq_ctx_nomem(ctx);
      for (int c = 0; c < stage->n_cols && status == FR_OK; c++) {
        over.scope.cols[c].type = stage->cols[c].type;
        over.needed[c] = !stage->cols[c].unused;
      }
      for (int i = 0; i < n_outs && status == FR_OK; i++) {
        sq_fix_winrefs(outs[i].expr, base);
        exprs[i] = pruned != NULL && pruned[i] ? NULL : outs[i].expr;
      }
      if (status == FR_OK)
        status = sq_materialize(&over, exprs, n_outs, result, 0, topk_ptr);
    }
  }
  sq_plan_free(&plan);
  if (status != FR_OK)
    return status;

  /* ---- QUALIFY: the rows whose condition is true */
  if (qualify_col >= 0) {
    sq_vec mask;
    sq_rel_view(result, qualify_col, 0, (uint32_t)result->n_rows, &mask);
    FR_TRY(sq_rel_keep(ctx, result, &mask));
  }
  /* ---- DISTINCT */
  if (s->distinct && result->n_rows > 0) {
    sq_groups seen;
    status = sq_groups_init(ctx, &seen, 0);
    sq_vec *views = sq_plan_alloc(ctx, (size_t)(n_items + 1) * sizeof *views);
    int64_t *ones = fr_malloc((result->n_rows + 1) * sizeof *ones);
    if (views == NULL || ones == NULL)
      status = sq_ctx_nomem(ctx);
    for (int c = 0; c < n_items && status == FR_OK; c++)
      sq_rel_view(result, c, 0, (uint32_t)result->n_rows, &views[c]);
    uint8_t *buf = status == FR_OK ? fr_malloc(65536) : NULL;
    if (status == FR_OK && buf == NULL)
      status = sq_ctx_nomem(ctx);
    for (uint64_t r = 0; r < result->n_rows && status == FR_OK; r++) {
      uint32_t len;
      status = sq_group_key(views, n_items, (uint32_t)r, buf, 65536, &len, ctx->err);
      if (status != FR_OK)
        break;
      uint64_t before = seen.n, gi;
      status = sq_groups_find(ctx, &seen, NULL, 0, buf, len, fr_hash64(buf, len, 0), &gi);
      ones[r] = seen.n > before;
    }
    if (status == FR_OK)
      status = sq_rel_keep_rows(ctx, result, ones);
    fr_free(buf);
    fr_free(ones);
    sq_groups_free(&seen, 0);
    if (status != FR_OK)
      return status;
  }
  /* ---- ORDER BY, OFFSET, LIMIT */
  uint64_t n = result->n_rows;
  uint64_t first = offset < n ? offset : n;
  uint64_t count = n - first < limit ? n - first : limit;
  if (n_order > 0 && n > 0) {
    sq_sort_key *keys = sq_plan_alloc(ctx, (size_t)(n_order + 1) * sizeof *keys);
    uint64_t *idx = fr_malloc((size_t)(n + 1) * sizeof *idx);
    if (keys == NULL || idx == NULL) {
      fr_free(idx);
      return sq_ctx_nomem(ctx);
    }
    for (int o = 0; o < n_order; o++) {
      sq_rel_view(result, order_col[o], 0, (uint32_t)n, &keys[o].vec);
      keys[o].desc = s->order_by[o].desc;
      keys[o].nulls_first = s->order_by[o].nulls_first < 0 ? 0 : s->order_by[o].nulls_first;
    }
    for (uint64_t i = 0; i < n; i++)
      idx[i] = i;
    status = sq_sort_indices(ctx, idx, n, keys, n_order);
    if (status == FR_OK)
      status = sq_rel_permute(ctx, result, idx + first, count);
    fr_free(idx);
  } else if (first > 0 || count < n) {
    uint64_t *idx = fr_malloc((size_t)(count + 1) * sizeof *idx);
    if (idx == NULL)
      return sq_ctx_nomem(ctx);
    for (uint64_t i = 0; i < count; i++)
      idx[i] = first + i;
    status = sq_rel_permute(ctx, result, idx, count);
    fr_free(idx);
  }
  if (status != FR_OK)
    return status;
  /* drop hidden ORDER BY columns */
  for (int c = n_items; c < n_outs; c++) {
    fr_free(result->cols[c].data);
    fr_free(result->cols[c].valid);
    result->cols[c].data = NULL;
    result->cols[c].valid = NULL;
  }
  result->n_cols = n_items;
  ctx->n_ctes = ctes_before;
  *out = result;
  return FR_OK;
}
