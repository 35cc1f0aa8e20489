/* sql_bind.c - name resolution and DuckDB's typing rules (see sql_expr.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fr_table.h"
#include "sql_expr.h"

static fr_status sq_bind_fail(sq_binder *b, fr_status code, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static fr_status sq_bind_fail(sq_binder *b, fr_status code, uint32_t pos, const char *fmt, ...) {
  char what[600], where[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  sq_format_location(b->sql, pos, where, sizeof where);
  return fr_error_set(b->err, code, "%s %s", what, where);
}

static sq_expr *sq_new_expr(sq_binder *b, sq_expr_kind kind, sq_type type, int n_args) {
  sq_expr *e = fr_arena_alloc(b->arena, sizeof *e);
  if (e == NULL)
    return NULL;
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->type = type;
  e->n_args = n_args;
  if (n_args > 0) {
    e->args = fr_arena_alloc(b->arena, (size_t)n_args * sizeof *e->args);
    if (e->args == NULL)
      return NULL;
    memset(e->args, 0, (size_t)n_args * sizeof *e->args);
  }
  return e;
}

#define SQ_NEW_EXPR(b, var, kind, type, n)                                              \
  do {                                                                                  \
    (var) = sq_new_expr((b), (kind), (type), (n));                                      \
    if ((var) == NULL)                                                                  \
      return fr_error_set((b)->err, FR_ERR_NOMEM, "out of memory binding the statement"); \
  } while (0)

sq_agg_fn sq_agg_lookup(const char *name) {
  static const struct {
    const char *name;
    sq_agg_fn fn;
  } names[] = {{"count", SQ_AGG_COUNT}, {"sum", SQ_AGG_SUM}, {"avg", SQ_AGG_AVG}, {"mean", SQ_AGG_AVG},
               {"min", SQ_AGG_MIN}, {"max", SQ_AGG_MAX}, {"median", SQ_AGG_MEDIAN},
               {"quantile_cont", SQ_AGG_QUANTILE}, {"stddev_samp", SQ_AGG_STDDEV},
               {"stddev", SQ_AGG_STDDEV}, {"count_star", SQ_AGG_COUNT_STAR}};
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
    if (strcmp(names[k].name, name) == 0)
      return names[k].fn;
  return 0;
}

int sq_ast_has_aggregate(const sq_ast *ast) {
  if (ast == NULL)
    return 0;
  if (ast->kind == SQ_A_FUNC && ast->window == NULL && sq_agg_lookup(ast->name) != 0)
    return 1;
  if (ast->kind == SQ_A_FUNC && ast->window != NULL) {
    /* A window's arguments may hold aggregates of the grouped query
     * (sum(sum(x)) OVER ...). */
    for (int i = 0; i < ast->n_args; i++)
      if (sq_ast_has_aggregate(ast->args[i]))
        return 1;
    for (int i = 0; i < ast->window->n_partition; i++)
      if (sq_ast_has_aggregate(ast->window->partition[i]))
        return 1;
    for (int i = 0; i < ast->window->n_order; i++)
      if (sq_ast_has_aggregate(ast->window->order[i].expr))
        return 1;
    return 0;
  }
  for (int i = 0; i < ast->n_args; i++)
    if (sq_ast_has_aggregate(ast->args[i]))
      return 1;
  return 0;
}

int sq_ast_has_window(const sq_ast *ast) {
  if (ast == NULL)
    return 0;
  if (ast->kind == SQ_A_FUNC && ast->window != NULL)
    return 1;
  for (int i = 0; i < ast->n_args; i++)
    if (sq_ast_has_window(ast->args[i]))
      return 1;
  return 0;
}

/* ------------------------------------------------------------------ types */

static int sq_int_digits(int64_t v) {
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  int d = 1;
  while (m >= 10) {
    m /= 10;
    d++;
  }
  return d;
}

/* Digits before the point an operand may have, and its scale, as a decimal. */
static void sq_decimal_shape(const sq_expr *e, int *int_digits, int *scale) {
  switch (e->type.kind) {
  case SQ_T_DECIMAL:
    *int_digits = e->type.width - e->type.scale;
    *scale = e->type.scale;
    return;
  case SQ_T_HUGEINT:
    *int_digits = 38;
    *scale = 0;
    return;
  case SQ_T_BOOL:
    *int_digits = 1;
    *scale = 0;
    return;
  default:
    *int_digits = e->kind == SQ_E_CONST && e->int_digits > 0 ? e->int_digits : 19;
    *scale = 0;
  }
}

static sq_type sq_decimal_of(int int_digits, int scale) {
  int width = int_digits + scale;
  if (width > 38)
    width = 38;
  if (scale > width)
    scale = width;
  return sq_type_decimal(width < 1 ? 1 : width, scale);
}

fr_status sq_common_type(sq_binder *b, const sq_expr *x, const sq_expr *y, uint32_t pos, sq_type *out) {
  sq_type tx = x->type, ty = y->type;
  if (tx.kind == SQ_T_NULL) {
    *out = ty;
    return FR_OK;
  }
  if (ty.kind == SQ_T_NULL || sq_type_equal(tx, ty)) {
    *out = tx;
    return FR_OK;
  }
  /* A string literal takes the other side's type (DuckDB's implicit cast of
   * literals); a string column compared with a number is an error. */
  if (tx.kind == SQ_T_VARCHAR && x->kind == SQ_E_CONST) {
    *out = ty;
    return FR_OK;
  }
  if (ty.kind == SQ_T_VARCHAR && y->kind == SQ_E_CONST) {
    *out = tx;
    return FR_OK;
  }
  if ((tx.kind == SQ_T_DATE && ty.kind == SQ_T_TIMESTAMP) || (tx.kind == SQ_T_TIMESTAMP && ty.kind == SQ_T_DATE)) {
    *out = sq_type_make(SQ_T_TIMESTAMP);
    return FR_OK;
  }
  int nx = sq_type_is_numeric(tx) || tx.kind == SQ_T_BOOL, ny = sq_type_is_numeric(ty) || ty.kind == SQ_T_BOOL;
  if (nx && ny && (tx.kind != SQ_T_BOOL || ty.kind != SQ_T_BOOL)) {
    if (tx.kind == SQ_T_DOUBLE || ty.kind == SQ_T_DOUBLE) {
      *out = sq_type_make(SQ_T_DOUBLE);
      return FR_OK;
    }
    if (tx.kind == SQ_T_DECIMAL || ty.kind == SQ_T_DECIMAL) {
      int dx, sx, dy, sy;
      sq_decimal_shape(x, &dx, &sx);
      sq_decimal_shape(y, &dy, &sy);
      *out = sq_decimal_of(dx > dy ? dx : dy, sx > sy ? sx : sy);
      return FR_OK;
    }
    if (tx.kind == SQ_T_HUGEINT || ty.kind == SQ_T_HUGEINT) {
      *out = sq_type_make(SQ_T_HUGEINT);
      return FR_OK;
    }
    *out = sq_type_make(SQ_T_INT);
    return FR_OK;
  }
  char nx_name[24], ny_name[24];
  return sq_bind_fail(b, FR_ERR_INVALID, pos, "cannot compare or combine %s with %s (add a CAST)",
                      sq_type_name(tx, nx_name), sq_type_name(ty, ny_name));
}

fr_status sq_bind_cast(sq_binder *b, sq_expr *e, sq_type type, uint32_t pos, sq_expr **out) {
  if (sq_type_equal(e->type, type)) {
    *out = e;
    return FR_OK;
  }
  if (e->kind == SQ_E_CONST) {
    sq_expr *c;
    SQ_NEW_EXPR(b, c, SQ_E_CONST, type, 0);
    fr_error cast_err;
    fr_error_clear(&cast_err);
    fr_status status = sq_cast_value(&e->value, type, &c->value, b->arena, &cast_err);
    if (status == FR_ERR_NOMEM)
      return fr_error_set(b->err, status, "out of memory binding the statement");
    if (status != FR_OK)
      return sq_bind_fail(b, status, pos, "%s", cast_err.msg);
    c->int_digits = e->int_digits;
    *out = c;
    return FR_OK;
  }
  sq_expr *c;
  SQ_NEW_EXPR(b, c, SQ_E_CAST, type, 1);
  c->args[0] = e;
  *out = c;
  return FR_OK;
}

/* ----------------------------------------------------------------- columns */

static int sq_name_eq(const char *a, const char *b) { return a != NULL && b != NULL && strcasecmp(a, b) == 0; }

/* Resolves a column reference in `scope`: returns the index, -1 when absent,
 * -2 when ambiguous. */
int sq_scope_find(const sq_scope *scope, const char *qualifier, const char *name) {
  int found = -1;
  for (int i = 0; i < scope->n; i++) {
    if (!sq_name_eq(scope->cols[i].name, name))
      continue;
    if (qualifier != NULL && !sq_name_eq(scope->cols[i].qualifier, qualifier))
      continue;
    if (found >= 0)
      return -2;
    found = i;
  }
  return found;
}

static fr_status sq_unknown_column(sq_binder *b, const sq_scope *scope, const sq_ast *ast) {
  const char *best = NULL, *best_q = NULL;
  size_t best_d = (size_t)-1;
  int qualifier_known = ast->qualifier == NULL;
  for (int i = 0; i < scope->n; i++) {
    if (ast->qualifier != NULL && sq_name_eq(scope->cols[i].qualifier, ast->qualifier))
      qualifier_known = 1;
    size_t d = fr_edit_distance(ast->name, scope->cols[i].name);
    if (d < best_d) {
      best_d = d;
      best = scope->cols[i].name;
      best_q = scope->cols[i].qualifier;
    }
  }
  for (int i = 0; i < b->n_alias_items; i++) {
    const char *alias = b->alias_items[i].alias;
    if (alias == NULL)
      continue;
    size_t d = fr_edit_distance(ast->name, alias);
    if (d < best_d) {
      best_d = d;
      best = alias;
      best_q = NULL;
    }
  }
  if (!qualifier_known)
    return sq_bind_fail(b, FR_ERR_NOTFOUND, ast->pos, "unknown table or alias \"%s\" in \"%s.%s\"",
                        ast->qualifier, ast->qualifier, ast->name);
  char full[300];
  if (ast->qualifier != NULL)
    snprintf(full, sizeof full, "%s.%s", ast->qualifier, ast->name);
  else
    snprintf(full, sizeof full, "%s", ast->name);
  if (best != NULL && best_d <= 3 + strlen(ast->name) / 3) {
    char suggestion[300];
    if (ast->qualifier != NULL && best_q != NULL)
      snprintf(suggestion, sizeof suggestion, "%s.%s", best_q, best);
    else
      snprintf(suggestion, sizeof suggestion, "%s", best);
    return sq_bind_fail(b, FR_ERR_NOTFOUND, ast->pos, "unknown column \"%s\"; did you mean \"%s\"?", full,
                        suggestion);
  }
  return sq_bind_fail(b, FR_ERR_NOTFOUND, ast->pos, "unknown column \"%s\"", full);
}

/* ------------------------------------------------------------- functions */

static fr_status sq_bind_args(sq_binder *b, const sq_ast *ast, sq_expr **args) {
  for (int i = 0; i < ast->n_args; i++)
    FR_TRY(sq_bind(b, ast->args[i], &args[i]));
  return FR_OK;
}

static fr_status sq_expect_args(sq_binder *b, const sq_ast *ast, int min, int max) {
  if (ast->n_args < min || ast->n_args > max) {
    if (min == max)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "%s() takes %d argument%s, not %d", ast->name, min,
                          min == 1 ? "" : "s", ast->n_args);
    return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "%s() takes %d to %d arguments, not %d", ast->name, min,
                        max, ast->n_args);
  }
  return FR_OK;
}

static fr_status sq_require(sq_binder *b, const sq_ast *ast, const sq_expr *e, int ok, const char *what) {
  if (ok)
    return FR_OK;
  char tn[24];
  return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "%s() needs %s, not %s", ast->name, what,
                      sq_type_name(e->type, tn));
}

/* Date parts date_trunc / date_part accept. */
static int sq_known_part(const sq_value *v, int for_trunc) {
  static const char *const trunc_parts[] = {"microseconds", "microsecond", "milliseconds", "millisecond",
                                            "second", "seconds", "minute", "minutes", "hour", "hours",
                                            "day", "days", "week", "weeks", "month", "months", "quarter",
                                            "quarters", "year", "years", "decade", "century", "millennium",
                                            NULL};
  static const char *const part_parts[] = {
      "year", "years", "month", "months", "day", "days", "hour", "hours", "minute", "minutes", "second",
      "seconds", "millisecond", "milliseconds", "microsecond", "microseconds", "dow", "dayofweek", "isodow",
      "doy", "dayofyear", "week", "weeks", "weekofyear", "quarter", "epoch", "decade", "century",
      "millennium", "isoyear", "yearweek", "dayofmonth", NULL};
  const char *const *parts = for_trunc ? trunc_parts : part_parts;
  if (v->is_null || v->type.kind != SQ_T_VARCHAR)
    return 0;
  for (int k = 0; parts[k] != NULL; k++)
    if (strlen(parts[k]) == v->str.len && strncasecmp(parts[k], v->str.ptr, v->str.len) == 0)
      return 1;
  return 0;
}

static fr_status sq_bind_scalar(sq_binder *b, const sq_ast *ast, sq_expr **out) {
  static const struct {
    const char *name;
    sq_func fn;
    int min, max;
  } fns[] = {{"abs", SQ_F_ABS, 1, 1}, {"round", SQ_F_ROUND, 1, 2}, {"floor", SQ_F_FLOOR, 1, 1},
             {"ceil", SQ_F_CEIL, 1, 1}, {"ceiling", SQ_F_CEIL, 1, 1}, {"lower", SQ_F_LOWER, 1, 1},
             {"lcase", SQ_F_LOWER, 1, 1}, {"upper", SQ_F_UPPER, 1, 1}, {"ucase", SQ_F_UPPER, 1, 1},
             {"length", SQ_F_LENGTH, 1, 1}, {"len", SQ_F_LENGTH, 1, 1}, {"char_length", SQ_F_LENGTH, 1, 1},
             {"substr", SQ_F_SUBSTR, 2, 3}, {"substring", SQ_F_SUBSTR, 2, 3},
             {"date_trunc", SQ_F_DATE_TRUNC, 2, 2}, {"datetrunc", SQ_F_DATE_TRUNC, 2, 2},
             {"date_part", SQ_F_DATE_PART, 2, 2}, {"datepart", SQ_F_DATE_PART, 2, 2},
             {"strftime", SQ_F_STRFTIME, 2, 2}, {"concat", SQ_F_CONCAT, 1, 64}, {"nullif", SQ_F_NULLIF, 2, 2},
             {"trim", SQ_F_TRIM, 1, 1}, {"sqrt", SQ_F_SQRT, 1, 1}, {"ln", SQ_F_LN, 1, 1},
             {"pow", SQ_F_POW, 2, 2}, {"power", SQ_F_POW, 2, 2}, {"sign", SQ_F_SIGN, 1, 1},
             {"left", SQ_F_LEFT, 2, 2}, {"right", SQ_F_RIGHT, 2, 2}, {"contains", SQ_F_CONTAINS, 2, 2},
             {"starts_with", SQ_F_STARTS_WITH, 2, 2}, {"replace", SQ_F_REPLACE, 3, 3},
             {"greatest", SQ_F_GREATEST, 1, 64}, {"least", SQ_F_LEAST, 1, 64}, {"year", SQ_F_YEAR, 1, 1},
             {"month", SQ_F_MONTH, 1, 1}, {"day", SQ_F_DAY, 1, 1}, {"hour", SQ_F_HOUR, 1, 1},
             {"date_diff", SQ_F_DATE_DIFF, 3, 3}, {"datediff", SQ_F_DATE_DIFF, 3, 3}};
  if (strcmp(ast->name, "coalesce") == 0 || strcmp(ast->name, "ifnull") == 0) {
    if (ast->n_args < 1)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "coalesce() needs at least one argument");
    sq_expr *e;
    SQ_NEW_EXPR(b, e, SQ_E_COALESCE, sq_type_make(SQ_T_NULL), ast->n_args);
    FR_TRY(sq_bind_args(b, ast, e->args));
    sq_type t = e->args[0]->type;
    sq_expr probe = *e->args[0];
    for (int i = 1; i < e->n_args; i++) {
      FR_TRY(sq_common_type(b, &probe, e->args[i], ast->args[i]->pos, &t));
      probe.type = t;
      probe.kind = SQ_E_CAST;
    }
    for (int i = 0; i < e->n_args; i++)
      FR_TRY(sq_bind_cast(b, e->args[i], t, ast->args[i]->pos, &e->args[i]));
    e->type = t;
    *out = e;
    return FR_OK;
  }
  size_t k;
  for (k = 0; k < sizeof fns / sizeof fns[0]; k++)
    if (strcmp(fns[k].name, ast->name) == 0)
      break;
  if (k == sizeof fns / sizeof fns[0]) {
    static const char *const known[] = {"abs", "round", "floor", "ceil", "lower", "upper", "length", "substr",
                                        "date_trunc", "date_part", "strftime", "coalesce", "concat", "count",
                                        "sum", "avg", "min", "max", "median", "quantile_cont", "stddev_samp",
                                        "row_number", "rank", "lag", "lead", "nullif", "trim", "date_diff", NULL};
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (int i = 0; known[i] != NULL; i++) {
      size_t d = fr_edit_distance(ast->name, known[i]);
      if (d < best_d) {
        best_d = d;
        best = known[i];
      }
    }
    if (best_d <= 2)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "function %s() is not supported; did you mean %s()?",
                          ast->name, best);
    return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "function %s() is not supported", ast->name);
  }
  FR_TRY(sq_expect_args(b, ast, fns[k].min, fns[k].max));
  if (ast->distinct)
    return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "DISTINCT is only allowed in aggregate functions");
  sq_expr *e;
  SQ_NEW_EXPR(b, e, SQ_E_FUNC, sq_type_make(SQ_T_NULL), ast->n_args);
  e->fn = fns[k].fn;
  FR_TRY(sq_bind_args(b, ast, e->args));
  sq_expr **a = e->args;
  sq_type t0 = a[0]->type;
  int numeric0 = sq_type_is_numeric(t0) || t0.kind == SQ_T_NULL;
  switch (e->fn) {
  case SQ_F_ABS:
  case SQ_F_SIGN:
    FR_TRY(sq_require(b, ast, a[0], numeric0, "a number"));
    e->type = e->fn == SQ_F_SIGN ? sq_type_make(SQ_T_INT) : (t0.kind == SQ_T_NULL ? sq_type_make(SQ_T_INT) : t0);
    break;
  case SQ_F_ROUND: {
    FR_TRY(sq_require(b, ast, a[0], numeric0, "a number"));
    int digits = 0;
    if (e->n_args == 2) {
      if (a[1]->kind != SQ_E_CONST || a[1]->type.kind != SQ_T_INT)
        return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->args[1]->pos,
                            "round()'s precision must be an integer constant");
      digits = (int)a[1]->value.i64;
    }
    if (t0.kind == SQ_T_DECIMAL) {
      /* DuckDB: round(DECIMAL(w,s), n) is DECIMAL(w, n) for 0 <= n < s. */
      int scale = digits < 0 ? 0 : digits < t0.scale ? digits : t0.scale;
      e->type = sq_type_decimal(t0.width, scale);
    } else {
      e->type = t0.kind == SQ_T_NULL ? sq_type_make(SQ_T_DOUBLE) : t0;
    }
    e->op = digits;
    break;
  }
  case SQ_F_FLOOR:
  case SQ_F_CEIL:
    FR_TRY(sq_require(b, ast, a[0], numeric0, "a number"));
    e->type = t0.kind == SQ_T_DECIMAL ? sq_type_decimal(t0.width, 0) : t0.kind == SQ_T_NULL ? sq_type_make(SQ_T_DOUBLE) : t0;
    break;
  case SQ_F_SQRT:
  case SQ_F_LN:
    FR_TRY(sq_require(b, ast, a[0], numeric0, "a number"));
    FR_TRY(sq_bind_cast(b, a[0], sq_type_make(SQ_T_DOUBLE), ast->args[0]->pos, &a[0]));
    e->type = sq_type_make(SQ_T_DOUBLE);
    break;
  case SQ_F_POW:
    for (int i = 0; i < 2; i++) {
      FR_TRY(sq_require(b, ast, a[i], sq_type_is_numeric(a[i]->type) || a[i]->type.kind == SQ_T_NULL, "numbers"));
      FR_TRY(sq_bind_cast(b, a[i], sq_type_make(SQ_T_DOUBLE), ast->args[i]->pos, &a[i]));
    }
    e->type = sq_type_make(SQ_T_DOUBLE);
    break;
  case SQ_F_LOWER:
  case SQ_F_UPPER:
  case SQ_F_TRIM:
  case SQ_F_LENGTH:
    FR_TRY(sq_require(b, ast, a[0], t0.kind == SQ_T_VARCHAR || t0.kind == SQ_T_NULL, "a string"));
    /* an untyped NULL becomes a VARCHAR NULL: the kernels read strings */
    FR_TRY(sq_bind_cast(b, a[0], sq_type_make(SQ_T_VARCHAR), ast->args[0]->pos, &a[0]));
    e->type = e->fn == SQ_F_LENGTH ? sq_type_make(SQ_T_INT) : sq_type_make(SQ_T_VARCHAR);
    break;
  case SQ_F_SUBSTR:
  case SQ_F_LEFT:
  case SQ_F_RIGHT:
    FR_TRY(sq_require(b, ast, a[0], t0.kind == SQ_T_VARCHAR || t0.kind == SQ_T_NULL, "a string"));
    FR_TRY(sq_bind_cast(b, a[0], sq_type_make(SQ_T_VARCHAR), ast->args[0]->pos, &a[0]));
    for (int i = 1; i < e->n_args; i++) {
      FR_TRY(sq_require(b, ast, a[i], a[i]->type.kind == SQ_T_INT || a[i]->type.kind == SQ_T_NULL,
                        "integer positions"));
      FR_TRY(sq_bind_cast(b, a[i], sq_type_make(SQ_T_INT), ast->args[i]->pos, &a[i]));
    }
    e->type = sq_type_make(SQ_T_VARCHAR);
    break;
  case SQ_F_CONTAINS:
  case SQ_F_STARTS_WITH:
  case SQ_F_REPLACE:
    for (int i = 0; i < e->n_args; i++)
      FR_TRY(sq_require(b, ast, a[i], a[i]->type.kind == SQ_T_VARCHAR || a[i]->type.kind == SQ_T_NULL, "strings"));
    for (int i = 0; i < e->n_args; i++)
      FR_TRY(sq_bind_cast(b, a[i], sq_type_make(SQ_T_VARCHAR), ast->args[i]->pos, &a[i]));
    e->type = sq_type_make(e->fn == SQ_F_REPLACE ? SQ_T_VARCHAR : SQ_T_BOOL);
    break;
  case SQ_F_CONCAT:
    for (int i = 0; i < e->n_args; i++)
      FR_TRY(sq_bind_cast(b, a[i], sq_type_make(SQ_T_VARCHAR), ast->args[i]->pos, &a[i]));
    e->type = sq_type_make(SQ_T_VARCHAR);
    break;
  case SQ_F_NULLIF:
  case SQ_F_GREATEST:
  case SQ_F_LEAST: {
    sq_type t = t0;
    sq_expr probe = *a[0];
    for (int i = 1; i < e->n_args; i++) {
      FR_TRY(sq_common_type(b, &probe, a[i], ast->args[i]->pos, &t));
      probe.type = t;
      probe.kind = SQ_E_CAST;
    }
    for (int i = 0; i < e->n_args; i++)
      FR_TRY(sq_bind_cast(b, a[i], t, ast->args[i]->pos, &a[i]));
    e->type = t;
    break;
  }
  case SQ_F_DATE_TRUNC:
  case SQ_F_DATE_PART: {
    if (a[0]->kind != SQ_E_CONST || a[0]->type.kind != SQ_T_VARCHAR)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->args[0]->pos,
                          "%s()'s first argument must be a constant part name such as 'month'", ast->name);
    if (!sq_known_part(&a[0]->value, e->fn == SQ_F_DATE_TRUNC))
      return sq_bind_fail(b, FR_ERR_INVALID, ast->args[0]->pos, "unknown date part '%.*s' for %s()",
                          (int)a[0]->value.str.len, a[0]->value.str.ptr, ast->name);
    sq_type t1 = a[1]->type;
    if (t1.kind == SQ_T_VARCHAR && a[1]->kind == SQ_E_CONST)
      FR_TRY(sq_bind_cast(b, a[1], sq_type_make(SQ_T_TIMESTAMP), ast->args[1]->pos, &a[1]));
    t1 = a[1]->type;
    FR_TRY(sq_require(b, ast, a[1], t1.kind == SQ_T_DATE || t1.kind == SQ_T_TIMESTAMP || t1.kind == SQ_T_NULL,
                      "a date or timestamp"));
    if (e->fn == SQ_F_DATE_TRUNC) {
      e->type = sq_type_make(SQ_T_TIMESTAMP);
    } else {
      int epoch = a[0]->value.str.len == 5 && strncasecmp(a[0]->value.str.ptr, "epoch", 5) == 0;
      e->type = sq_type_make(epoch ? SQ_T_DOUBLE : SQ_T_INT);
    }
    break;
  }
  case SQ_F_DATE_DIFF: {
    /* date_diff('part', start, end): the parts of date_trunc but century and
     * millennium (whose boundaries DuckDB counts its own way) */
    if (a[0]->kind != SQ_E_CONST || a[0]->type.kind != SQ_T_VARCHAR)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->args[0]->pos,
                          "%s()'s first argument must be a constant part name such as 'day'", ast->name);
    const sq_str part = a[0]->value.str;
    if (!sq_known_part(&a[0]->value, 1) || (part.len == 7 && strncasecmp(part.ptr, "century", 7) == 0) ||
        (part.len == 10 && strncasecmp(part.ptr, "millennium", 10) == 0))
      return sq_bind_fail(b, FR_ERR_INVALID, ast->args[0]->pos,
                          "unknown date part '%.*s' for %s() (year, quarter, month, week, day, hour, minute, "
                          "second, millisecond, microsecond, decade)",
                          (int)part.len, part.ptr, ast->name);
    for (int i = 1; i <= 2; i++) {
      if (a[i]->type.kind == SQ_T_VARCHAR && a[i]->kind == SQ_E_CONST)
        FR_TRY(sq_bind_cast(b, a[i], sq_type_make(SQ_T_TIMESTAMP), ast->args[i]->pos, &a[i]));
      FR_TRY(sq_require(b, ast, a[i],
                        a[i]->type.kind == SQ_T_DATE || a[i]->type.kind == SQ_T_TIMESTAMP || a[i]->type.kind == SQ_T_NULL,
                        "a date or timestamp"));
    }
    e->type = sq_type_make(SQ_T_INT);
    break;
  }
  case SQ_F_YEAR:
  case SQ_F_MONTH:
  case SQ_F_DAY:
  case SQ_F_HOUR:
    FR_TRY(sq_require(b, ast, a[0], t0.kind == SQ_T_DATE || t0.kind == SQ_T_TIMESTAMP || t0.kind == SQ_T_NULL,
                      "a date or timestamp"));
    e->type = sq_type_make(SQ_T_INT);
    break;
  case SQ_F_STRFTIME:
    if (t0.kind == SQ_T_VARCHAR && a[1]->type.kind != SQ_T_VARCHAR) {
      /* strftime(format, value) is accepted by DuckDB too */
      sq_expr *tmp = a[0];
      a[0] = a[1];
      a[1] = tmp;
      t0 = a[0]->type;
    }
    FR_TRY(sq_require(b, ast, a[0], t0.kind == SQ_T_DATE || t0.kind == SQ_T_TIMESTAMP || t0.kind == SQ_T_NULL,
                      "a date or timestamp"));
    if (a[1]->kind != SQ_E_CONST || a[1]->type.kind != SQ_T_VARCHAR)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->args[1]->pos, "strftime()'s format must be a constant string");
    e->type = sq_type_make(SQ_T_VARCHAR);
    break;
  }
  *out = e;
  return FR_OK;
}

/* --------------------------------------------------------- aggregates */

static fr_status sq_bind_aggregate(sq_binder *b, const sq_ast *ast, sq_expr **out) {
  if (!b->aggregating)
    return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "aggregate %s() is not allowed in %s", ast->name,
                        b->clause != NULL ? b->clause : "this clause");
  for (int i = 0; i < b->n_aggs; i++)
    if (sq_ast_equal(b->aggs[i].ast, ast)) {
      SQ_NEW_EXPR(b, *out, SQ_E_COL, b->aggs[i].type, 0);
      (*out)->col = b->n_groups + i;
      return FR_OK;
    }
  sq_agg agg;
  memset(&agg, 0, sizeof agg);
  agg.ast = ast;
  agg.fn = sq_agg_lookup(ast->name);
  agg.quantile = 0.5;
  int is_star = ast->n_args == 1 && ast->args[0]->kind == SQ_A_STAR && ast->args[0]->qualifier == NULL;
  if (agg.fn == SQ_AGG_COUNT_STAR || (agg.fn == SQ_AGG_COUNT && (ast->n_args == 0 || is_star))) {
    if (ast->distinct)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "count(DISTINCT *) is not valid");
    agg.fn = SQ_AGG_COUNT_STAR;
    agg.type = sq_type_make(SQ_T_INT);
  } else {
    int max_args = agg.fn == SQ_AGG_QUANTILE ? 2 : 1;
    FR_TRY(sq_expect_args(b, ast, max_args, max_args));
    /* Arguments are bound below the aggregation, where aggregates are not allowed. */
    sq_binder inner = *b;
    inner.scope = b->pre_scope;
    inner.aggregating = 0;
    inner.group_exprs = NULL;
    inner.n_groups = 0;
    inner.allow_windows = 0;
    inner.clause = "an aggregate's argument";
    if (sq_ast_has_aggregate(ast->args[0]))
      return sq_bind_fail(b, FR_ERR_INVALID, ast->args[0]->pos, "aggregate calls cannot be nested");
    if (sq_ast_has_window(ast->args[0]))
      return sq_bind_fail(b, FR_ERR_INVALID, ast->args[0]->pos, "window functions are not allowed inside aggregates");
    fr_status status = sq_bind(&inner, ast->args[0], &agg.arg);
    /* propagate column-use marks and growth of shared arrays */
    if (status != FR_OK)
      return status;
    sq_type t = agg.arg->type;
    char tn[24];
    int numeric = sq_type_is_numeric(t) || t.kind == SQ_T_NULL || t.kind == SQ_T_BOOL;
    switch (agg.fn) {
    case SQ_AGG_COUNT:
      agg.fn = ast->distinct ? SQ_AGG_COUNT_DISTINCT : SQ_AGG_COUNT;
      agg.type = sq_type_make(SQ_T_INT);
      break;
    case SQ_AGG_SUM:
      if (t.kind == SQ_T_BOOL) { /* DuckDB: the number of true values, HUGEINT */
        FR_TRY(sq_bind_cast(b, agg.arg, sq_type_make(SQ_T_INT), ast->args[0]->pos, &agg.arg));
        t = agg.arg->type;
      }
      if (!numeric)
        return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "sum() needs a number, not %s", sq_type_name(t, tn));
      agg.fn = ast->distinct ? SQ_AGG_SUM_DISTINCT : SQ_AGG_SUM;
      agg.type = t.kind == SQ_T_DECIMAL ? sq_type_decimal(38, t.scale)
               : t.kind == SQ_T_DOUBLE ? t : sq_type_make(SQ_T_HUGEINT);
      break;
    case SQ_AGG_AVG:
    case SQ_AGG_STDDEV:
      if (!numeric || t.kind == SQ_T_BOOL)
        return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "%s() needs a number, not %s", ast->name,
                            sq_type_name(t, tn));
      agg.type = sq_type_make(SQ_T_DOUBLE);
      break;
    case SQ_AGG_MIN:
    case SQ_AGG_MAX:
      agg.type = t.kind == SQ_T_NULL ? sq_type_make(SQ_T_INT) : t;
      break;
    case SQ_AGG_QUANTILE:
    case SQ_AGG_MEDIAN:
      if (agg.fn == SQ_AGG_QUANTILE) {
        const sq_ast *q = ast->args[1];
        if (q->kind != SQ_A_LITERAL || q->lit.is_null ||
            (q->lit.type.kind != SQ_T_DECIMAL && q->lit.type.kind != SQ_T_DOUBLE && q->lit.type.kind != SQ_T_INT))
          return sq_bind_fail(b, FR_ERR_UNSUPPORTED, q->pos, "quantile_cont()'s fraction must be a number constant");
        agg.quantile = q->lit.type.kind == SQ_T_DOUBLE ? q->lit.f64
                     : q->lit.type.kind == SQ_T_INT ? (double)q->lit.i64
                     : (double)q->lit.i64 / (double)sq_pow10(q->lit.type.scale);
        if (!(agg.quantile >= 0 && agg.quantile <= 1))
          return sq_bind_fail(b, FR_ERR_INVALID, q->pos, "quantile_cont()'s fraction must be between 0 and 1");
      }
      if (t.kind == SQ_T_VARCHAR && agg.fn == SQ_AGG_MEDIAN) {
        agg.type = t; /* DuckDB: the median of strings is the lower middle value */
      } else if (t.kind == SQ_T_DECIMAL || t.kind == SQ_T_DOUBLE || t.kind == SQ_T_DATE || t.kind == SQ_T_TIMESTAMP) {
        agg.type = t.kind == SQ_T_DATE ? sq_type_make(SQ_T_TIMESTAMP) : t;
      } else if (t.kind == SQ_T_INT || t.kind == SQ_T_HUGEINT || t.kind == SQ_T_NULL) {
        agg.type = sq_type_make(SQ_T_DOUBLE);
      } else {
        return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "%s() needs a number or a time, not %s", ast->name,
                            sq_type_name(t, tn));
      }
      break;
    default:
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "aggregate %s() is not supported", ast->name);
    }
    if (ast->distinct && agg.fn != SQ_AGG_COUNT_DISTINCT && agg.fn != SQ_AGG_SUM_DISTINCT &&
        agg.fn != SQ_AGG_MIN && agg.fn != SQ_AGG_MAX)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "%s(DISTINCT ...) is not supported", ast->name);
  }
  if (b->n_aggs == b->cap_aggs) {
    int cap = b->cap_aggs == 0 ? 8 : b->cap_aggs * 2;
    sq_agg *grown = fr_arena_alloc(b->arena, (size_t)cap * sizeof *grown);
    if (grown == NULL)
      return fr_error_set(b->err, FR_ERR_NOMEM, "out of memory binding the statement");
    if (b->n_aggs > 0)
      memcpy(grown, b->aggs, (size_t)b->n_aggs * sizeof *grown);
    b->aggs = grown;
    b->cap_aggs = cap;
  }
  b->aggs[b->n_aggs] = agg;
  SQ_NEW_EXPR(b, *out, SQ_E_COL, agg.type, 0);
  (*out)->col = b->n_groups + b->n_aggs;
  b->n_aggs++;
  return FR_OK;
}

/* ------------------------------------------------------------ windows */

static fr_status sq_frame_offset(sq_binder *b, const sq_ast *ast, int rows, sq_type order_type, int64_t *out) {
  if (ast->kind != SQ_A_LITERAL || ast->lit.is_null)
    return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "window frame offsets must be constants");
  if (rows) {
    if (ast->lit.type.kind != SQ_T_INT || ast->lit.i64 < 0)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "ROWS frame offsets must be non-negative integers");
    *out = ast->lit.i64;
    return FR_OK;
  }
  switch (order_type.kind) {
  case SQ_T_TIMESTAMP:
  case SQ_T_DATE:
    if (ast->lit.type.kind != SQ_T_INTERVAL)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "a RANGE frame over a %s needs an INTERVAL offset",
                          order_type.kind == SQ_T_DATE ? "date" : "timestamp");
    *out = order_type.kind == SQ_T_DATE ? ast->lit.i64 / FR_US_PER_DAY : ast->lit.i64;
    if (order_type.kind == SQ_T_DATE && ast->lit.i64 % FR_US_PER_DAY != 0)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "a RANGE offset over a date must be whole days");
    return FR_OK;
  case SQ_T_INT:
    if (ast->lit.type.kind != SQ_T_INT)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "a RANGE frame over an integer needs an integer offset");
    *out = ast->lit.i64;
    return FR_OK;
  case SQ_T_DECIMAL:
    /* scaled to the key's decimal places; an offset past any BIGINT is held at
     * INT64_MAX (no key is that far from another) */
    if (ast->lit.type.kind == SQ_T_INT || (ast->lit.type.kind == SQ_T_DECIMAL && ast->lit.type.scale <= order_type.scale)) {
      const int from = ast->lit.type.kind == SQ_T_INT ? 0 : ast->lit.type.scale;
      if (ast->lit.i64 < 0)
        return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "RANGE frame offsets must not be negative");
      if (__builtin_mul_overflow(ast->lit.i64, (int64_t)sq_pow10(order_type.scale - from), out))
        *out = INT64_MAX;
      return FR_OK;
    }
    break;
  default:
    break;
  }
  return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos,
                      "RANGE frames with an offset are supported over integer, decimal, date and timestamp keys");
}

static fr_status sq_bind_window(sq_binder *b, const sq_ast *ast, sq_expr **out) {
  if (!b->allow_windows)
    return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "window functions are not allowed in %s",
                        b->clause != NULL ? b->clause : "this clause");
  for (int i = 0; i < b->n_wins; i++)
    if (b->wins[i].ast == ast) {
      SQ_NEW_EXPR(b, *out, SQ_E_WINREF, b->wins[i].type, 0);
      (*out)->col = i;
      return FR_OK;
    }
  const sq_window *w = ast->window;
  sq_win win;
  memset(&win, 0, sizeof win);
  win.ast = ast;
  sq_binder inner = *b;
  inner.allow_windows = 0;
  inner.clause = "a window's arguments";
  if (strcmp(ast->name, "row_number") == 0 || strcmp(ast->name, "rank") == 0 ||
      strcmp(ast->name, "dense_rank") == 0) {
    FR_TRY(sq_expect_args(b, ast, 0, 0));
    win.fn = ast->name[0] == 'r' && ast->name[1] == 'o' ? SQ_WIN_ROW_NUMBER
           : ast->name[0] == 'r' ? SQ_WIN_RANK : SQ_WIN_DENSE_RANK;
    win.type = sq_type_make(SQ_T_INT);
  } else if (strcmp(ast->name, "lag") == 0 || strcmp(ast->name, "lead") == 0) {
    FR_TRY(sq_expect_args(b, ast, 1, 3));
    win.fn = ast->name[1] == 'a' ? SQ_WIN_LAG : SQ_WIN_LEAD;
    FR_TRY(sq_bind(&inner, ast->args[0], &win.arg));
    win.offset = 1;
    if (ast->n_args >= 2) {
      const sq_ast *o = ast->args[1];
      if (o->kind != SQ_A_LITERAL || o->lit.type.kind != SQ_T_INT || o->lit.i64 == INT64_MIN)
        return sq_bind_fail(b, FR_ERR_UNSUPPORTED, o->pos, "%s()'s offset must be an integer constant",
                            ast->name);
      /* DuckDB: a negative offset looks the other way (lag(x, -1) = lead(x, 1)) */
      win.offset = o->lit.i64 < 0 ? -o->lit.i64 : o->lit.i64;
      if (o->lit.i64 < 0)
        win.fn = win.fn == SQ_WIN_LAG ? SQ_WIN_LEAD : SQ_WIN_LAG;
    }
    win.type = win.arg->type;
    if (ast->n_args == 3) {
      /* DESIGN.md: the default takes x's type (DuckDB casts it: lag(int, 1, 2.5)
       * is 3); an untyped NULL x takes the default's */
      FR_TRY(sq_bind(&inner, ast->args[2], &win.default_value));
      if (win.arg->type.kind == SQ_T_NULL) {
        FR_TRY(sq_bind_cast(b, win.arg, win.default_value->type, ast->args[0]->pos, &win.arg));
        win.type = win.default_value->type;
      } else {
        FR_TRY(sq_bind_cast(b, win.default_value, win.arg->type, ast->args[2]->pos, &win.default_value));
      }
    }
  } else {
    sq_agg_fn fn = sq_agg_lookup(ast->name);
    if (fn != SQ_AGG_SUM && fn != SQ_AGG_COUNT && fn != SQ_AGG_MIN && fn != SQ_AGG_MAX && fn != SQ_AGG_AVG &&
        fn != SQ_AGG_COUNT_STAR)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos,
                          "%s() OVER (...) is not supported (window functions: row_number, rank, dense_rank, "
                          "lag, lead, sum, count, min, max, avg)",
                          ast->name);
    if (ast->distinct)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "DISTINCT in window aggregates is not supported");
    win.fn = SQ_WIN_AGG;
    int is_star = ast->n_args == 0 || (ast->n_args == 1 && ast->args[0]->kind == SQ_A_STAR);
    if ((fn == SQ_AGG_COUNT || fn == SQ_AGG_COUNT_STAR) && is_star) {
      win.agg_fn = SQ_AGG_COUNT_STAR;
      win.type = sq_type_make(SQ_T_INT);
    } else {
      FR_TRY(sq_expect_args(b, ast, 1, 1));
      FR_TRY(sq_bind(&inner, ast->args[0], &win.arg));
      win.agg_fn = fn;
      if (fn == SQ_AGG_SUM && win.arg->type.kind == SQ_T_BOOL) /* as the aggregate: trues counted */
        FR_TRY(sq_bind_cast(b, win.arg, sq_type_make(SQ_T_INT), ast->args[0]->pos, &win.arg));
      sq_type t = win.arg->type;
      char tn[24];
      int numeric = sq_type_is_numeric(t) || t.kind == SQ_T_NULL;
      if ((fn == SQ_AGG_SUM || fn == SQ_AGG_AVG) && !numeric)
        return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "%s() needs a number, not %s", ast->name, sq_type_name(t, tn));
      win.type = fn == SQ_AGG_COUNT ? sq_type_make(SQ_T_INT)
               : fn == SQ_AGG_AVG ? sq_type_make(SQ_T_DOUBLE)
               : fn == SQ_AGG_SUM ? (t.kind == SQ_T_DECIMAL ? sq_type_decimal(38, t.scale)
                                     : t.kind == SQ_T_DOUBLE ? t : sq_type_make(SQ_T_HUGEINT))
               : t;
    }
  }
  win.n_partition = w->n_partition;
  win.partition = fr_arena_alloc(b->arena, (size_t)(w->n_partition + 1) * sizeof *win.partition);
  win.n_order = w->n_order;
  win.order = fr_arena_alloc(b->arena, (size_t)(w->n_order + 1) * sizeof *win.order);
  win.order_desc = fr_arena_alloc(b->arena, (size_t)(w->n_order + 1) * sizeof(int));
  win.order_nulls_first = fr_arena_alloc(b->arena, (size_t)(w->n_order + 1) * sizeof(int));
  if (win.partition == NULL || win.order == NULL || win.order_desc == NULL || win.order_nulls_first == NULL)
    return fr_error_set(b->err, FR_ERR_NOMEM, "out of memory binding the statement");
  for (int i = 0; i < w->n_partition; i++)
    FR_TRY(sq_bind(&inner, w->partition[i], &win.partition[i]));
  for (int i = 0; i < w->n_order; i++) {
    FR_TRY(sq_bind(&inner, w->order[i].expr, &win.order[i]));
    win.order_desc[i] = w->order[i].desc;
    win.order_nulls_first[i] = w->order[i].nulls_first < 0 ? 0 : w->order[i].nulls_first;
  }
  if ((win.fn == SQ_WIN_RANK || win.fn == SQ_WIN_DENSE_RANK) && w->n_order == 0) {
    /* DuckDB: without ORDER BY every row is a peer: rank 1 */
  }
  win.has_frame = w->has_frame;
  if (w->has_frame) {
    if (win.fn != SQ_WIN_AGG)
      return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "a frame clause has no effect on %s(); remove it",
                          ast->name);
    win.frame_rows = w->frame_rows;
    win.start_kind = w->start_kind;
    win.end_kind = w->end_kind;
    if (w->start_kind == SQ_BOUND_UNBOUNDED_FOLLOWING || w->end_kind == SQ_BOUND_UNBOUNDED_PRECEDING)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "invalid window frame bounds");
    int need_offset = w->start_offset != NULL || w->end_offset != NULL;
    if (!w->frame_rows && need_offset && w->n_order != 1)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "a RANGE frame with an offset needs exactly one ORDER BY key");
    sq_type order_type = w->n_order > 0 ? win.order[0]->type : sq_type_make(SQ_T_INT);
    if (w->start_offset != NULL)
      FR_TRY(sq_frame_offset(b, w->start_offset, w->frame_rows, order_type, &win.start_offset));
    if (w->end_offset != NULL)
      FR_TRY(sq_frame_offset(b, w->end_offset, w->frame_rows, order_type, &win.end_offset));
  }
  if (b->n_wins == b->cap_wins) {
    int cap = b->cap_wins == 0 ? 4 : b->cap_wins * 2;
    sq_win *grown = fr_arena_alloc(b->arena, (size_t)cap * sizeof *grown);
    if (grown == NULL)
      return fr_error_set(b->err, FR_ERR_NOMEM, "out of memory binding the statement");
    if (b->n_wins > 0)
      memcpy(grown, b->wins, (size_t)b->n_wins * sizeof *grown);
    b->wins = grown;
    b->cap_wins = cap;
  }
  /* inner may have registered aggregates (sum(x) inside a window of a grouped
   * query): carry them back. */
  b->aggs = inner.aggs;
  b->n_aggs = inner.n_aggs;
  b->cap_aggs = inner.cap_aggs;
  b->wins[b->n_wins] = win;
  SQ_NEW_EXPR(b, *out, SQ_E_WINREF, win.type, 0);
  (*out)->col = b->n_wins;
  b->n_wins++;
  return FR_OK;
}

/* ---------------------------------------------------------- arithmetic */

static fr_status sq_bind_arith(sq_binder *b, const sq_ast *ast, sq_expr *l, sq_expr *r, sq_expr **out) {
  int op = ast->op;
  sq_type tl = l->type, tr = r->type;
  uint32_t pos = ast->pos;
  char nl[24], nr[24];
  /* Literal strings next to times read as times (ts - '2024-01-01'). */
  if (tl.kind == SQ_T_VARCHAR && l->kind == SQ_E_CONST && (tr.kind == SQ_T_TIMESTAMP || tr.kind == SQ_T_DATE)) {
    FR_TRY(sq_bind_cast(b, l, tr, pos, &l));
    tl = tr;
  }
  if (tr.kind == SQ_T_VARCHAR && r->kind == SQ_E_CONST && (tl.kind == SQ_T_TIMESTAMP || tl.kind == SQ_T_DATE) &&
      op == SQ_OP_SUB) {
    FR_TRY(sq_bind_cast(b, r, tl, pos, &r));
    tr = tl;
  }
  if (tr.kind == SQ_T_VARCHAR && r->kind == SQ_E_CONST && tl.kind != SQ_T_VARCHAR && tl.kind != SQ_T_NULL &&
      sq_type_is_numeric(tl)) {
    FR_TRY(sq_bind_cast(b, r, tl, pos, &r));
    tr = tl;
  }
  if (tl.kind == SQ_T_VARCHAR && l->kind == SQ_E_CONST && tr.kind != SQ_T_VARCHAR && tr.kind != SQ_T_NULL &&
      sq_type_is_numeric(tr)) {
    FR_TRY(sq_bind_cast(b, l, tr, pos, &l));
    tl = tr;
  }
  if (tl.kind == SQ_T_NULL)
    tl = tr.kind == SQ_T_NULL ? sq_type_make(SQ_T_INT) : tr;
  if (tr.kind == SQ_T_NULL)
    tr = tl;
  sq_expr *e;
  SQ_NEW_EXPR(b, e, SQ_E_ARITH, tl, 2);
  e->op = op;
  /* times */
  int lt = tl.kind == SQ_T_TIMESTAMP || tl.kind == SQ_T_DATE, rt = tr.kind == SQ_T_TIMESTAMP || tr.kind == SQ_T_DATE;
  if (lt || rt || tl.kind == SQ_T_INTERVAL || tr.kind == SQ_T_INTERVAL) {
    sq_type ts = sq_type_make(SQ_T_TIMESTAMP), iv = sq_type_make(SQ_T_INTERVAL), in = sq_type_make(SQ_T_INT);
    if (op == SQ_OP_SUB && tl.kind == SQ_T_DATE && tr.kind == SQ_T_DATE) {
      e->type = in; /* days */
    } else if ((op == SQ_OP_ADD || op == SQ_OP_SUB) && tl.kind == SQ_T_DATE && tr.kind == SQ_T_INT) {
      e->type = tl;
    } else if (op == SQ_OP_ADD && tl.kind == SQ_T_INT && tr.kind == SQ_T_DATE) {
      e->type = tr;
      sq_expr *tmp = l;
      l = r;
      r = tmp;
    } else if (op == SQ_OP_SUB && lt && rt) {
      FR_TRY(sq_bind_cast(b, l, ts, pos, &l));
      FR_TRY(sq_bind_cast(b, r, ts, pos, &r));
      e->type = iv;
    } else if ((op == SQ_OP_ADD || op == SQ_OP_SUB) && lt && tr.kind == SQ_T_INTERVAL) {
      FR_TRY(sq_bind_cast(b, l, ts, pos, &l));
      e->type = ts;
    } else if (op == SQ_OP_ADD && tl.kind == SQ_T_INTERVAL && rt) {
      FR_TRY(sq_bind_cast(b, r, ts, pos, &r));
      sq_expr *tmp = l;
      l = r;
      r = tmp;
      e->type = ts;
    } else if ((op == SQ_OP_ADD || op == SQ_OP_SUB) && tl.kind == SQ_T_INTERVAL && tr.kind == SQ_T_INTERVAL) {
      e->type = iv;
    } else if (op == SQ_OP_MUL && tl.kind == SQ_T_INTERVAL && tr.kind == SQ_T_INT) {
      e->type = iv;
    } else {
      return sq_bind_fail(b, FR_ERR_INVALID, pos, "no operator %s for %s and %s",
                          op == SQ_OP_ADD ? "+" : op == SQ_OP_SUB ? "-" : op == SQ_OP_MUL ? "*" : "/",
                          sq_type_name(tl, nl), sq_type_name(tr, nr));
    }
    e->args[0] = l;
    e->args[1] = r;
    *out = e;
    return FR_OK;
  }
  if (!(sq_type_is_numeric(tl) || tl.kind == SQ_T_BOOL) || !(sq_type_is_numeric(tr) || tr.kind == SQ_T_BOOL) ||
      tl.kind == SQ_T_BOOL || tr.kind == SQ_T_BOOL)
    return sq_bind_fail(b, FR_ERR_INVALID, pos, "no arithmetic operator for %s and %s (add a CAST)",
                        sq_type_name(tl, nl), sq_type_name(tr, nr));
  sq_type result;
  if (op == SQ_OP_DIV || tl.kind == SQ_T_DOUBLE || tr.kind == SQ_T_DOUBLE) {
    /* DuckDB: `/` is floating-point division, even for integers and decimals */
    result = sq_type_make(SQ_T_DOUBLE);
    if (op == SQ_OP_IDIV && tl.kind != SQ_T_DOUBLE && tr.kind != SQ_T_DOUBLE)
      result = sq_type_make(SQ_T_INT);
    FR_TRY(sq_bind_cast(b, l, result, pos, &l));
    FR_TRY(sq_bind_cast(b, r, result, pos, &r));
  } else if (tl.kind == SQ_T_DECIMAL || tr.kind == SQ_T_DECIMAL) {
    int dl, sl, dr, sr;
    sq_decimal_shape(l, &dl, &sl);
    sq_decimal_shape(r, &dr, &sr);
    if (op == SQ_OP_MUL) {
      /* scales add; operands keep their own types */
      result = sq_decimal_of(dl + dr, sl + sr);
      if (sl + sr > 38)
        return sq_bind_fail(b, FR_ERR_INVALID, pos, "decimal multiplication needs a scale over 38");
      FR_TRY(sq_bind_cast(b, l, sq_decimal_of(dl, sl), pos, &l));
      FR_TRY(sq_bind_cast(b, r, sq_decimal_of(dr, sr), pos, &r));
    } else if (op == SQ_OP_IDIV) {
      result = sq_type_make(SQ_T_DOUBLE);
      FR_TRY(sq_bind_cast(b, l, result, pos, &l));
      FR_TRY(sq_bind_cast(b, r, result, pos, &r));
    } else {
      int s = sl > sr ? sl : sr, d = dl > dr ? dl : dr;
      sq_type common = sq_decimal_of(d, s);
      result = op == SQ_OP_MOD ? common : sq_decimal_of(d + 1, s);
      FR_TRY(sq_bind_cast(b, l, common, pos, &l));
      FR_TRY(sq_bind_cast(b, r, common, pos, &r));
    }
  } else if (tl.kind == SQ_T_HUGEINT || tr.kind == SQ_T_HUGEINT) {
    result = sq_type_make(SQ_T_HUGEINT);
    FR_TRY(sq_bind_cast(b, l, result, pos, &l));
    FR_TRY(sq_bind_cast(b, r, result, pos, &r));
  } else {
    result = sq_type_make(SQ_T_INT);
  }
  e->type = result;
  e->args[0] = l;
  e->args[1] = r;
  *out = e;
  return FR_OK;
}

/* -------------------------------------------------------------- bind */

static fr_status sq_bind_column(sq_binder *b, const sq_ast *ast, sq_expr **out) {
  if (b->aggregating) {
    /* After GROUP BY a column is visible only as (part of) a group key. */
    int pre = sq_scope_find(b->pre_scope, ast->qualifier, ast->name);
    if (pre >= 0) {
      for (int k = 0; k < b->n_groups; k++) {
        const sq_ast *g = b->group_exprs[k];
        if (g->kind == SQ_A_COLUMN && sq_scope_find(b->pre_scope, g->qualifier, g->name) == pre) {
          SQ_NEW_EXPR(b, *out, SQ_E_COL, b->scope->cols[k].type, 0);
          (*out)->col = k;
          return FR_OK;
        }
      }
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos,
                          "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function",
                          ast->name);
    }
    if (pre == -2)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "column reference \"%s\" is ambiguous (qualify it)",
                          ast->name);
  } else {
    int idx = sq_scope_find(b->scope, ast->qualifier, ast->name);
    if (idx == -2)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "column reference \"%s\" is ambiguous (qualify it)",
                          ast->name);
    if (idx >= 0) {
      b->scope->cols[idx].used = 1;
      SQ_NEW_EXPR(b, *out, SQ_E_COL, b->scope->cols[idx].type, 0);
      (*out)->col = idx;
      return FR_OK;
    }
  }
  /* An alias of the select list (DuckDB allows them in WHERE, GROUP BY,
   * HAVING and ORDER BY). */
  if (ast->qualifier == NULL && b->alias_depth < 8)
    for (int i = 0; i < b->n_alias_items; i++)
      if (b->alias_items[i].alias != NULL && sq_name_eq(b->alias_items[i].alias, ast->name)) {
        if (b->alias_items[i].expr == ast)
          break;
        b->alias_depth++;
        fr_status status = sq_bind(b, b->alias_items[i].expr, out);
        b->alias_depth--;
        return status;
      }
  return sq_unknown_column(b, b->aggregating ? b->pre_scope : b->scope, ast);
}

static fr_status sq_bind_node(sq_binder *b, const sq_ast *ast, sq_expr **out);

/* Binding recurses once per level of the expression tree, and so does every
 * later pass over the bound tree (folding, evaluation): a chain of thousands of
 * operators (`1+1+...+1`, `x OR x OR ...`), which the parser builds in a loop,
 * would overflow the stack.  So a tree deeper than SQ_MAX_EXPR_DEPTH is refused
 * here, before any of them runs (DuckDB's own limit is 1000). */
#define SQ_MAX_EXPR_DEPTH 1000

fr_status sq_bind(sq_binder *b, const sq_ast *ast, sq_expr **out) {
  if (b->depth >= SQ_MAX_EXPR_DEPTH)
    return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos,
                        "expression nested too deeply (more than %d levels of operators or functions)",
                        SQ_MAX_EXPR_DEPTH);
  b->depth++;
  fr_status status = sq_bind_node(b, ast, out);
  b->depth--;
  return status;
}

static fr_status sq_bind_node(sq_binder *b, const sq_ast *ast, sq_expr **out) {
  if (b->aggregating && ast->kind != SQ_A_LITERAL) {
    for (int k = 0; k < b->n_groups; k++)
      if (sq_ast_equal(b->group_exprs[k], ast)) {
        SQ_NEW_EXPR(b, *out, SQ_E_COL, b->scope->cols[k].type, 0);
        (*out)->col = k;
        return FR_OK;
      }
  }
  sq_expr *e;
  switch (ast->kind) {
  case SQ_A_COLUMN:
    return sq_bind_column(b, ast, out);
  case SQ_A_STAR:
    return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "* is only allowed in the select list and count(*)");
  case SQ_A_LITERAL:
    SQ_NEW_EXPR(b, e, SQ_E_CONST, ast->lit.type, 0);
    e->value = ast->lit;
    if (ast->lit.type.kind == SQ_T_INT)
      e->int_digits = sq_int_digits(ast->lit.i64);
    *out = e;
    return FR_OK;
  case SQ_A_UNARY: {
    sq_expr *arg;
    FR_TRY(sq_bind(b, ast->args[0], &arg));
    if (ast->op == 'N') {
      if (arg->type.kind == SQ_T_VARCHAR && arg->kind == SQ_E_CONST)
        FR_TRY(sq_bind_cast(b, arg, sq_type_make(SQ_T_BOOL), ast->pos, &arg));
      if (arg->type.kind != SQ_T_BOOL && arg->type.kind != SQ_T_NULL) {
        char tn[24];
        return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "NOT needs a boolean, not %s", sq_type_name(arg->type, tn));
      }
      SQ_NEW_EXPR(b, e, SQ_E_NOT, sq_type_make(SQ_T_BOOL), 1);
    } else {
      if (!sq_type_is_numeric(arg->type) && arg->type.kind != SQ_T_INTERVAL && arg->type.kind != SQ_T_NULL) {
        char tn[24];
        return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "cannot negate %s", sq_type_name(arg->type, tn));
      }
      SQ_NEW_EXPR(b, e, SQ_E_NEG, arg->type.kind == SQ_T_NULL ? sq_type_make(SQ_T_INT) : arg->type, 1);
    }
    e->args[0] = arg;
    *out = e;
    return FR_OK;
  }
  case SQ_A_BINARY: {
    sq_expr *l, *r;
    FR_TRY(sq_bind(b, ast->args[0], &l));
    FR_TRY(sq_bind(b, ast->args[1], &r));
    if (ast->op == SQ_OP_AND || ast->op == SQ_OP_OR) {
      for (int i = 0; i < 2; i++) {
        sq_expr **side = i == 0 ? &l : &r;
        if ((*side)->type.kind != SQ_T_BOOL && (*side)->type.kind != SQ_T_NULL) {
          char tn[24];
          return sq_bind_fail(b, FR_ERR_INVALID, ast->args[i]->pos, "%s needs booleans, not %s",
                              ast->op == SQ_OP_AND ? "AND" : "OR", sq_type_name((*side)->type, tn));
        }
      }
      SQ_NEW_EXPR(b, e, ast->op == SQ_OP_AND ? SQ_E_AND : SQ_E_OR, sq_type_make(SQ_T_BOOL), 2);
      e->args[0] = l;
      e->args[1] = r;
      *out = e;
      return FR_OK;
    }
    if ((ast->op >= SQ_OP_EQ && ast->op <= SQ_OP_GE) || ast->op == SQ_OP_NSEQ || ast->op == SQ_OP_NSNE) {
      sq_type t;
      FR_TRY(sq_common_type(b, l, r, ast->pos, &t));
      if (t.kind == SQ_T_NULL)
        t = sq_type_make(SQ_T_INT);
      FR_TRY(sq_bind_cast(b, l, t, ast->args[0]->pos, &l));
      FR_TRY(sq_bind_cast(b, r, t, ast->args[1]->pos, &r));
      SQ_NEW_EXPR(b, e, SQ_E_CMP, sq_type_make(SQ_T_BOOL), 2);
      e->op = ast->op;
      e->args[0] = l;
      e->args[1] = r;
      *out = e;
      return FR_OK;
    }
    if (ast->op == SQ_OP_CONCAT) {
      FR_TRY(sq_bind_cast(b, l, sq_type_make(SQ_T_VARCHAR), ast->pos, &l));
      FR_TRY(sq_bind_cast(b, r, sq_type_make(SQ_T_VARCHAR), ast->pos, &r));
      SQ_NEW_EXPR(b, e, SQ_E_FUNC, sq_type_make(SQ_T_VARCHAR), 2);
      e->fn = SQ_F_CONCAT;
      e->op = 1; /* NULL-propagating, unlike concat() */
      e->args[0] = l;
      e->args[1] = r;
      *out = e;
      return FR_OK;
    }
    return sq_bind_arith(b, ast, l, r, out);
  }
  case SQ_A_FUNC:
    if (ast->window != NULL)
      return sq_bind_window(b, ast, out);
    if (sq_agg_lookup(ast->name) != 0)
      return sq_bind_aggregate(b, ast, out);
    if (strcmp(ast->name, "row_number") == 0 || strcmp(ast->name, "rank") == 0 || strcmp(ast->name, "lag") == 0 ||
        strcmp(ast->name, "lead") == 0 || strcmp(ast->name, "dense_rank") == 0)
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "%s() needs an OVER (...) clause", ast->name);
    return sq_bind_scalar(b, ast, out);
  case SQ_A_CASE: {
    int n_pairs = (ast->n_args - ast->has_operand - ast->has_else) / 2;
    SQ_NEW_EXPR(b, e, SQ_E_CASE, sq_type_make(SQ_T_NULL), n_pairs * 2 + 1);
    sq_expr *operand = NULL;
    if (ast->has_operand)
      FR_TRY(sq_bind(b, ast->args[0], &operand));
    sq_type result = sq_type_make(SQ_T_NULL);
    sq_expr probe;
    memset(&probe, 0, sizeof probe);
    probe.kind = SQ_E_CONST;
    probe.type = result;
    for (int i = 0; i < n_pairs; i++) {
      const sq_ast *when = ast->args[ast->has_operand + 2 * i];
      const sq_ast *then = ast->args[ast->has_operand + 2 * i + 1];
      sq_expr *cond, *value;
      FR_TRY(sq_bind(b, when, &cond));
      if (operand != NULL) {
        sq_type t;
        FR_TRY(sq_common_type(b, operand, cond, when->pos, &t));
        sq_expr *lhs, *rhs;
        FR_TRY(sq_bind_cast(b, operand, t, when->pos, &lhs));
        FR_TRY(sq_bind_cast(b, cond, t, when->pos, &rhs));
        sq_expr *cmp;
        SQ_NEW_EXPR(b, cmp, SQ_E_CMP, sq_type_make(SQ_T_BOOL), 2);
        cmp->op = SQ_OP_EQ;
        cmp->args[0] = lhs;
        cmp->args[1] = rhs;
        cond = cmp;
      } else if (cond->type.kind != SQ_T_BOOL && cond->type.kind != SQ_T_NULL) {
        char tn[24];
        return sq_bind_fail(b, FR_ERR_INVALID, when->pos, "CASE WHEN needs a boolean condition, not %s",
                            sq_type_name(cond->type, tn));
      }
      FR_TRY(sq_bind(b, then, &value));
      FR_TRY(sq_common_type(b, &probe, value, then->pos, &result));
      probe.type = result;
      probe.kind = SQ_E_CAST;
      e->args[2 * i] = cond;
      e->args[2 * i + 1] = value;
    }
    sq_expr *else_value;
    if (ast->has_else) {
      FR_TRY(sq_bind(b, ast->args[ast->n_args - 1], &else_value));
      FR_TRY(sq_common_type(b, &probe, else_value, ast->args[ast->n_args - 1]->pos, &result));
    } else {
      SQ_NEW_EXPR(b, else_value, SQ_E_CONST, sq_type_make(SQ_T_NULL), 0);
      else_value->value.is_null = 1;
    }
    if (result.kind == SQ_T_NULL)
      result = sq_type_make(SQ_T_INT);
    for (int i = 0; i < n_pairs; i++)
      FR_TRY(sq_bind_cast(b, e->args[2 * i + 1], result, ast->pos, &e->args[2 * i + 1]));
    FR_TRY(sq_bind_cast(b, else_value, result, ast->pos, &e->args[2 * n_pairs]));
    e->type = result;
    *out = e;
    return FR_OK;
  }
  case SQ_A_CAST: {
    sq_expr *arg;
    FR_TRY(sq_bind(b, ast->args[0], &arg));
    if (arg->type.kind == SQ_T_NULL) {
      SQ_NEW_EXPR(b, e, SQ_E_CONST, ast->cast_type, 0);
      e->value.is_null = 1;
      e->value.type = ast->cast_type;
      *out = e;
      return FR_OK;
    }
    sq_kind from = (sq_kind)arg->type.kind, to = (sq_kind)ast->cast_type.kind;
    int ok = from == to || to == SQ_T_VARCHAR || from == SQ_T_VARCHAR ||
             ((sq_type_is_numeric(arg->type) || from == SQ_T_BOOL) && (sq_type_is_numeric(ast->cast_type) || to == SQ_T_BOOL)) ||
             ((from == SQ_T_DATE || from == SQ_T_TIMESTAMP) && (to == SQ_T_DATE || to == SQ_T_TIMESTAMP));
    if (!ok) {
      char nf[24], nt[24];
      return sq_bind_fail(b, FR_ERR_INVALID, ast->pos, "cannot cast %s to %s", sq_type_name(arg->type, nf),
                          sq_type_name(ast->cast_type, nt));
    }
    if (sq_type_equal(arg->type, ast->cast_type)) {
      *out = arg;
      return FR_OK;
    }
    if (arg->kind == SQ_E_CONST)
      return sq_bind_cast(b, arg, ast->cast_type, ast->pos, out);
    SQ_NEW_EXPR(b, e, SQ_E_CAST, ast->cast_type, 1);
    e->args[0] = arg;
    *out = e;
    return FR_OK;
  }
  case SQ_A_IN: {
    SQ_NEW_EXPR(b, e, SQ_E_IN, sq_type_make(SQ_T_BOOL), ast->n_args);
    e->negated = ast->negated;
    FR_TRY(sq_bind_args(b, ast, e->args));
    sq_type t = e->args[0]->type;
    sq_expr probe = *e->args[0];
    for (int i = 1; i < e->n_args; i++) {
      FR_TRY(sq_common_type(b, &probe, e->args[i], ast->args[i]->pos, &t));
      probe.type = t;
    }
    if (t.kind == SQ_T_NULL)
      t = sq_type_make(SQ_T_INT);
    for (int i = 0; i < e->n_args; i++)
      FR_TRY(sq_bind_cast(b, e->args[i], t, ast->args[i]->pos, &e->args[i]));
    *out = e;
    return FR_OK;
  }
  case SQ_A_BETWEEN: {
    /* x BETWEEN lo AND hi  ==  x >= lo AND x <= hi */
    sq_expr *x, *lo, *hi;
    FR_TRY(sq_bind(b, ast->args[0], &x));
    FR_TRY(sq_bind(b, ast->args[1], &lo));
    FR_TRY(sq_bind(b, ast->args[2], &hi));
    sq_expr *cmps[2];
    for (int i = 0; i < 2; i++) {
      sq_expr *bound = i == 0 ? lo : hi;
      sq_type t;
      FR_TRY(sq_common_type(b, x, bound, ast->args[i + 1]->pos, &t));
      if (t.kind == SQ_T_NULL)
        t = sq_type_make(SQ_T_INT);
      SQ_NEW_EXPR(b, cmps[i], SQ_E_CMP, sq_type_make(SQ_T_BOOL), 2);
      cmps[i]->op = i == 0 ? SQ_OP_GE : SQ_OP_LE;
      FR_TRY(sq_bind_cast(b, x, t, ast->pos, &cmps[i]->args[0]));
      FR_TRY(sq_bind_cast(b, bound, t, ast->args[i + 1]->pos, &cmps[i]->args[1]));
    }
    SQ_NEW_EXPR(b, e, SQ_E_AND, sq_type_make(SQ_T_BOOL), 2);
    e->args[0] = cmps[0];
    e->args[1] = cmps[1];
    if (ast->negated) {
      sq_expr *not;
      SQ_NEW_EXPR(b, not, SQ_E_NOT, sq_type_make(SQ_T_BOOL), 1);
      not->args[0] = e;
      e = not;
    }
    *out = e;
    return FR_OK;
  }
  case SQ_A_LIKE: {
    SQ_NEW_EXPR(b, e, SQ_E_LIKE, sq_type_make(SQ_T_BOOL), 2);
    FR_TRY(sq_bind_args(b, ast, e->args));
    for (int i = 0; i < 2; i++)
      if (e->args[i]->type.kind != SQ_T_VARCHAR && e->args[i]->type.kind != SQ_T_NULL) {
        char tn[24];
        return sq_bind_fail(b, FR_ERR_INVALID, ast->args[i]->pos, "LIKE needs strings, not %s",
                            sq_type_name(e->args[i]->type, tn));
      }
    e->negated = ast->negated;
    e->ci = ast->case_insensitive;
    *out = e;
    return FR_OK;
  }
  case SQ_A_ISNULL: {
    SQ_NEW_EXPR(b, e, SQ_E_ISNULL, sq_type_make(SQ_T_BOOL), 1);
    FR_TRY(sq_bind(b, ast->args[0], &e->args[0]));
    e->negated = ast->negated;
    *out = e;
    return FR_OK;
  }
  }
  return sq_bind_fail(b, FR_ERR_UNSUPPORTED, ast->pos, "unsupported expression");
}

void sq_expr_columns(const sq_expr *e, void (*visit)(void *ctx, int col), void *ctx) {
  if (e == NULL)
    return;
  if (e->kind == SQ_E_COL)
    visit(ctx, e->col);
  for (int i = 0; i < e->n_args; i++)
    sq_expr_columns(e->args[i], visit, ctx);
}
