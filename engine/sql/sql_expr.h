/* sql_expr.h - bound expressions and their vectorized evaluation (internal).
 *
 * The binder turns parse-tree expressions into sq_expr trees over a scope (the
 * columns visible at that point of the plan), checks and infers types with
 * DuckDB's rules (integer `/` gives DOUBLE, decimal `+` keeps the larger scale,
 * `*` adds scales, comparisons cast to a common type, a string literal compared
 * with a timestamp is read as a timestamp) and folds constants.
 *
 * Evaluation is a vector at a time: sq_eval computes an expression for every
 * row of a batch (one sq_vec per scope column) into vectors allocated in the
 * batch's arena.  NULL propagates through a validity byte per row; kernels run
 * over all rows and fix NULL rows afterwards instead of branching per row. */
#ifndef SQL_EXPR_H
#define SQL_EXPR_H

#include "fr_arena.h"
#include "sql_ast.h"
#include "sql_types.h"

typedef enum sq_expr_kind {
  SQ_E_COL = 1,     /* batch column `col` */
  SQ_E_CONST,       /* `value` */
  SQ_E_CAST,        /* args[0] to `type` */
  SQ_E_ARITH,       /* op: SQ_OP_ADD..SQ_OP_MOD, operands already cast for it */
  SQ_E_NEG,
  SQ_E_CMP,         /* op: SQ_OP_EQ..SQ_OP_GE or SQ_OP_NSEQ / NSNE, operands cast to one type */
  SQ_E_AND, SQ_E_OR, SQ_E_NOT,
  SQ_E_ISNULL,      /* negated = IS NOT NULL */
  SQ_E_IN,          /* args[0] IN args[1..], all of one type */
  SQ_E_LIKE,        /* args[0] LIKE args[1]; ci = ILIKE */
  SQ_E_CASE,        /* args: when,then pairs, then else (or NULL const) */
  SQ_E_COALESCE,
  SQ_E_FUNC,        /* scalar function `fn` */
  SQ_E_WINREF,      /* window result `col` (rewritten to SQ_E_COL by the planner) */
} sq_expr_kind;

typedef enum sq_func {
  SQ_F_ABS = 1, SQ_F_ROUND, SQ_F_FLOOR, SQ_F_CEIL, SQ_F_LOWER, SQ_F_UPPER, SQ_F_LENGTH,
  SQ_F_SUBSTR, SQ_F_DATE_TRUNC, SQ_F_DATE_PART, SQ_F_STRFTIME, SQ_F_CONCAT, SQ_F_NULLIF,
  SQ_F_TRIM, SQ_F_SQRT, SQ_F_LN, SQ_F_POW, SQ_F_SIGN, SQ_F_LEFT, SQ_F_RIGHT,
  SQ_F_CONTAINS, SQ_F_STARTS_WITH, SQ_F_REPLACE, SQ_F_GREATEST, SQ_F_LEAST, SQ_F_YEAR,
  SQ_F_MONTH, SQ_F_DAY, SQ_F_HOUR, SQ_F_DATE_DIFF,
} sq_func;

typedef struct sq_expr sq_expr;
struct sq_expr {
  sq_expr_kind kind;
  sq_type type;
  int op;
  int col;
  int negated, ci;
  sq_func fn;
  int int_digits;           /* SQ_E_CONST of INT: digits, for common-type width */
  sq_value value;
  sq_expr **args;
  int n_args;
};

/* Aggregate functions. */
typedef enum sq_agg_fn {
  SQ_AGG_COUNT_STAR = 1, SQ_AGG_COUNT, SQ_AGG_COUNT_DISTINCT, SQ_AGG_SUM, SQ_AGG_AVG,
  SQ_AGG_MIN, SQ_AGG_MAX, SQ_AGG_MEDIAN, SQ_AGG_QUANTILE, SQ_AGG_STDDEV, SQ_AGG_SUM_DISTINCT,
} sq_agg_fn;

typedef struct sq_agg {
  sq_agg_fn fn;
  sq_expr *arg;             /* NULL for count(*) */
  sq_type type;             /* result type */
  double quantile;          /* SQ_AGG_MEDIAN (0.5) / SQ_AGG_QUANTILE */
  const sq_ast *ast;        /* for de-duplication */
} sq_agg;

/* Window functions. */
typedef enum sq_win_fn {
  SQ_WIN_ROW_NUMBER = 1, SQ_WIN_RANK, SQ_WIN_DENSE_RANK, SQ_WIN_LAG, SQ_WIN_LEAD,
  SQ_WIN_AGG,               /* agg_fn over a frame */
} sq_win_fn;

typedef struct sq_win {
  sq_win_fn fn;
  sq_agg_fn agg_fn;
  sq_expr *arg;             /* value (lag/lead/aggregates) */
  int64_t offset;           /* lag/lead */
  sq_expr *default_value;   /* lag/lead, or NULL */
  sq_expr **partition;
  int n_partition;
  sq_expr **order;
  int *order_desc, *order_nulls_first;
  int n_order;
  int has_frame, frame_rows;
  sq_bound_kind start_kind, end_kind;
  int64_t start_offset, end_offset; /* rows, or the order key's units (RANGE) */
  sq_type type;
  const sq_ast *ast;
} sq_win;

/* One visible column. */
typedef struct sq_scope_col {
  const char *qualifier;    /* table name or alias, may be NULL */
  const char *name;
  sq_type type;
  int used;                 /* set when an expression references it */
} sq_scope_col;

typedef struct sq_scope {
  sq_scope_col *cols;
  int n;
} sq_scope;

/* Binding state.  In post-aggregation mode (`group_exprs` set or `aggregating`)
 * an expression equal to GROUP BY item k becomes column k, an aggregate call
 * becomes column n_groups + its index, and any other column reference is an
 * error; aggregate arguments are bound in `pre_scope`. */
typedef struct sq_binder {
  const char *sql;
  fr_arena *arena;
  fr_error *err;
  const sq_scope *scope;
  const sq_scope *pre_scope;
  int aggregating;
  sq_ast **group_exprs;
  int n_groups;
  sq_agg *aggs;
  int n_aggs, cap_aggs;
  int allow_windows;
  sq_win *wins;
  int n_wins, cap_wins;
  const char *clause;       /* "WHERE", "GROUP BY"... for messages */
  /* Output aliases, for ORDER BY / GROUP BY / HAVING references by alias. */
  sq_select_item *alias_items;
  int n_alias_items;
  int alias_depth;
  int depth;                /* sq_bind calls open (the expression tree's depth so far) */
} sq_binder;

/* Index of the column `name` (qualified when `qualifier` is non-NULL) in
 * `scope`: -1 when absent, -2 when ambiguous.  Case-insensitive. */
int sq_scope_find(const sq_scope *scope, const char *qualifier, const char *name);

/* Binds `ast`.  Errors: FR_ERR_NOTFOUND (unknown column, nearest name
 * suggested), FR_ERR_INVALID (type errors, misplaced aggregates),
 * FR_ERR_UNSUPPORTED, FR_ERR_NOMEM; messages point into the statement. */
FR_MUST_USE fr_status sq_bind(sq_binder *b, const sq_ast *ast, sq_expr **out);

/* Wraps `e` in a cast to `type` (no-op when equal). */
FR_MUST_USE fr_status sq_bind_cast(sq_binder *b, sq_expr *e, sq_type type, uint32_t pos, sq_expr **out);

/* The common type two values are compared / unified in, or kind SQ_T_NULL
 * with an error when none exists. */
FR_MUST_USE fr_status sq_common_type(sq_binder *b, const sq_expr *x, const sq_expr *y, uint32_t pos,
                                     sq_type *out);

/* Returns 1 when `ast` contains an aggregate call (outside window functions). */
int sq_ast_has_aggregate(const sq_ast *ast);
int sq_ast_has_window(const sq_ast *ast);
/* Returns the aggregate function for `name`, or 0. */
sq_agg_fn sq_agg_lookup(const char *name);

/* Evaluation context for one batch. */
typedef struct sq_eval_ctx {
  const sq_vec *cols;       /* the scope's columns for this batch */
  uint32_t n;
  fr_arena *arena;          /* batch-lifetime memory */
  fr_error *err;
} sq_eval_ctx;

/* Evaluates `e` for every row of the batch into *out (storage borrowed from the
 * batch or the arena).  Errors: FR_ERR_INVALID (a failed cast, overflow),
 * FR_ERR_NOMEM, FR_ERR_LIMIT. */
FR_MUST_USE fr_status sq_eval(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out);

/* Allocates an empty vector of `n` rows of `type` in the arena (values zeroed,
 * no validity). */
FR_MUST_USE fr_status sq_vec_alloc(sq_eval_ctx *ctx, sq_type type, uint32_t n, sq_vec *out);

/* Casts one value; used for constants and zone maps.  Errors as sq_eval. */
FR_MUST_USE fr_status sq_cast_value(const sq_value *in, sq_type to, sq_value *out, fr_arena *arena,
                                    fr_error *err);

/* Calls `visit` on every column index an expression reads. */
void sq_expr_columns(const sq_expr *e, void (*visit)(void *ctx, int col), void *ctx);

/* Reads value `row` of `v` into a scalar. */
void sq_vec_get(const sq_vec *v, uint32_t row, sq_value *out);

#endif
