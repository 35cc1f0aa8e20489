/* sql_rel.h - materialised relations and the query context (internal).
 *
 * A relation is a set of equally long columns held in memory: CTE results,
 * the build side of a hash join, groups after aggregation, the rows a window
 * or ORDER BY needs at once, and the final result.  Column storage is charged
 * to the query's memory budget; strings point into arenas that live as long as
 * the query (ctx->keep). */
#ifndef SQL_REL_H
#define SQL_REL_H

#include "fr_arena.h"
#include "sql_expr.h"

typedef struct sq_rcol {
  sq_type type;
  const char *name;
  const char *qualifier;
  uint8_t *valid;           /* one byte per row, always allocated (NULL when the column is unused) */
  void *data;
  int unused;               /* a source column no expression reads: not stored */
} sq_rcol;

typedef struct sq_rel {
  int n_cols;
  sq_rcol *cols;
  uint64_t n_rows;
  uint64_t cap_rows;
} sq_rel;

typedef struct sq_ctx {
  const fr_store *store;
  const char *sql;
  fr_error *err;
  int threads;
  fr_budget budget;
  fr_arena plan;            /* parse tree, bound expressions, names */
  fr_arena *keep;           /* per thread: strings that outlive a batch */
  int n_keep;
  /* relations to free at the end */
  sq_rel **rels;
  int n_rels, cap_rels;
  /* CTEs in scope, innermost last */
  const char **cte_names;
  sq_rel **cte_rels;
  int n_ctes, cap_ctes;
  /* set for the next sq_exec_select only (a CTE's body): the column names
   * the rest of the statement can read; output columns named otherwise are
   * not stored (NULL: keep every column) */
  const struct sq_names *prune;
} sq_ctx;

/* A new empty relation with `n_cols` columns (types and names set by the
 * caller), owned by the context. */
FR_MUST_USE fr_status sq_rel_new(sq_ctx *ctx, int n_cols, sq_rel **out);
/* Grows every used column to hold `rows` rows. */
FR_MUST_USE fr_status sq_rel_reserve(sq_ctx *ctx, sq_rel *rel, uint64_t rows);
/* Appends `n` rows: vecs[i] feeds column i; strings are copied into `keep`. */
FR_MUST_USE fr_status sq_rel_append(sq_ctx *ctx, sq_rel *rel, const sq_vec *vecs, uint32_t n, fr_arena *keep);
/* Views rows [start, start + n) of column `c` as a vector (no copy). */
void sq_rel_view(const sq_rel *rel, int c, uint64_t start, uint32_t n, sq_vec *out);
/* Releases a relation's storage (it stays registered, empty). */
void sq_rel_clear(sq_ctx *ctx, sq_rel *rel);
size_t sq_rel_width(sq_type type);

FR_MUST_USE fr_status sq_ctx_nomem(sq_ctx *ctx);

/* Sorting: compares rows a and b of `keys` (vectors over a whole relation). */
typedef struct sq_sort_key {
  sq_vec vec;
  int desc;
  int nulls_first;
} sq_sort_key;
int sq_sort_compare(const sq_sort_key *keys, int n_keys, uint64_t a, uint64_t b);
/* Sorts `idx` (n entries) by `keys`, stable, in parallel.  Errors: FR_ERR_NOMEM. */
FR_MUST_USE fr_status sq_sort_indices(sq_ctx *ctx, uint64_t *idx, uint64_t n, const sq_sort_key *keys, int n_keys);

/* Windows: computes ctx-bound window `win` over relation `rel` (whose columns
 * are the window's scope) into column `target` of `rel`. */
FR_MUST_USE fr_status sq_window_compute(sq_ctx *ctx, sq_rel *rel, const sq_win *win, int target);

/* Evaluates `e` over all rows of `rel` (columns = scope) into `out`, with
 * memory from `arena`. */
FR_MUST_USE fr_status sq_rel_eval(sq_ctx *ctx, const sq_rel *rel, const sq_expr *e, fr_arena *arena, sq_vec *out);

/* Runs one SELECT (with its WITH queries) into a new relation owned by ctx. */
FR_MUST_USE fr_status sq_exec_select(sq_ctx *ctx, const sq_select *s, sq_rel **out);

#endif
