/* sql_ast.h - the parse tree of one SQL statement (internal to engine/sql).
 *
 * The parser (sql_parse.c) builds these nodes in an arena; every node records
 * the byte offset of its first token in the statement so later stages can point
 * at it in an error message.  Names are kept as written, folded to lower case
 * unless they were double-quoted (DuckDB's identifier rules). */
#ifndef SQL_AST_H
#define SQL_AST_H

#include <stdint.h>

#include "fr_arena.h"
#include "fr_status.h"
#include "sql_types.h"

typedef enum sq_ast_kind {
  SQ_A_COLUMN,     /* [qualifier.]name */
  SQ_A_STAR,       /* * or qualifier.* (only in a select list or count(*)) */
  SQ_A_LITERAL,    /* value in .lit */
  SQ_A_UNARY,      /* op: '-', 'N' (NOT) */
  SQ_A_BINARY,     /* op: see sq_binop */
  SQ_A_FUNC,       /* name(args) [OVER (...)] */
  SQ_A_CASE,       /* args: [operand?] when,then pairs [else?] */
  SQ_A_CAST,       /* args[0] AS cast_type */
  SQ_A_IN,         /* args[0] [NOT] IN (args[1..]) */
  SQ_A_BETWEEN,    /* args[0] [NOT] BETWEEN args[1] AND args[2] */
  SQ_A_LIKE,       /* args[0] [NOT] LIKE|ILIKE args[1] */
  SQ_A_ISNULL,     /* args[0] IS [NOT] NULL */
} sq_ast_kind;

typedef enum sq_binop {
  SQ_OP_ADD = 1, SQ_OP_SUB, SQ_OP_MUL, SQ_OP_DIV, SQ_OP_IDIV, SQ_OP_MOD, SQ_OP_CONCAT,
  SQ_OP_EQ, SQ_OP_NE, SQ_OP_LT, SQ_OP_LE, SQ_OP_GT, SQ_OP_GE,
  SQ_OP_AND, SQ_OP_OR,
  /* null-safe comparisons: a IS NOT DISTINCT FROM b (NSEQ), a IS DISTINCT FROM b
   * (NSNE) - two NULLs are not distinct, a NULL and a value are; never NULL */
  SQ_OP_NSEQ, SQ_OP_NSNE,
} sq_binop;

typedef struct sq_ast sq_ast;
typedef struct sq_select sq_select;

/* Set operations between the SELECTs of a chain. */
enum { SQ_SET_UNION = 0, SQ_SET_EXCEPT, SQ_SET_INTERSECT };

typedef enum sq_bound_kind {
  SQ_BOUND_UNBOUNDED_PRECEDING = 1, SQ_BOUND_PRECEDING, SQ_BOUND_CURRENT,
  SQ_BOUND_FOLLOWING, SQ_BOUND_UNBOUNDED_FOLLOWING,
} sq_bound_kind;

typedef struct sq_order_item {
  sq_ast *expr;
  int desc;
  int nulls_first;          /* -1 = default (NULLS LAST, DuckDB's default) */
} sq_order_item;

typedef struct sq_window {
  sq_ast **partition;
  int n_partition;
  sq_order_item *order;
  int n_order;
  int has_frame;
  int frame_rows;           /* 1 = ROWS, 0 = RANGE */
  sq_bound_kind start_kind, end_kind;
  sq_ast *start_offset, *end_offset;
} sq_window;

struct sq_ast {
  sq_ast_kind kind;
  int op;                   /* sq_binop, or '-' / 'N' for unary */
  uint32_t pos;             /* byte offset in the statement */
  char *name;               /* column or function name */
  char *qualifier;          /* table qualifier of a column, or NULL */
  sq_value lit;             /* SQ_A_LITERAL */
  sq_type cast_type;        /* SQ_A_CAST */
  sq_ast **args;
  int n_args;
  int negated;              /* NOT IN / NOT BETWEEN / NOT LIKE / IS NOT NULL */
  int case_insensitive;     /* ILIKE */
  int distinct;             /* count(DISTINCT x) */
  int has_operand, has_else;/* SQ_A_CASE */
  sq_window *window;        /* OVER (...), or NULL */
};

typedef struct sq_select_item {
  sq_ast *expr;
  char *alias;              /* NULL when none was written */
  uint32_t end_pos;         /* offset just past the expression (for its name) */
} sq_select_item;

typedef enum sq_join_kind { SQ_JOIN_NONE = 0, SQ_JOIN_INNER, SQ_JOIN_LEFT } sq_join_kind;

typedef struct sq_table_ref {
  char *table;              /* base table or CTE name; NULL for a subquery */
  sq_select *subquery;
  char *alias;
  sq_join_kind join;        /* how it joins the refs before it (NONE for the first) */
  sq_ast *on;
  uint32_t pos;
} sq_table_ref;

typedef struct sq_cte {
  char *name;
  sq_select *select;
} sq_cte;

struct sq_select {
  sq_cte *ctes;
  int n_ctes;
  int distinct;
  sq_select_item *items;
  int n_items;
  sq_table_ref *from;
  int n_from;
  sq_ast *where;
  sq_ast **group_by;
  int n_group_by;
  sq_ast *having;
  sq_order_item *order_by;
  int n_order_by;
  /* DuckDB's GROUP BY ALL (every select item without an aggregate) and ORDER
   * BY ALL (every select item, left to right, in order_all's direction): the
   * planner turns them into positions once * is expanded */
  int group_by_all, order_by_all;
  uint32_t group_all_pos;
  sq_order_item order_all;
  sq_ast *limit, *offset;
  uint32_t pos;
  /* A set-operation chain hangs off its first SELECT: set_next is the next
   * operand, whose set_op and set_all say how it joins what comes before it
   * (UNION ALL keeps duplicates, UNION removes them, EXCEPT [ALL] and
   * INTERSECT [ALL] as in SQL; left to right).  The chain's ORDER BY,
   * LIMIT and OFFSET are the first SELECT's and apply to the whole. */
  sq_select *set_next;
  int set_all;
  int set_op;               /* with set_all: how this operand joins what comes before it */
  /* QUALIFY: a filter on the select's rows after its windows (and before
   * DISTINCT, ORDER BY and LIMIT) */
  sq_ast *qualify;
};

/* The tail of a select (ORDER BY, ORDER BY ALL, LIMIT, OFFSET), which a set
 * operation chain moves from its last operand to its first: copies from's
 * into to; sq_tail_clear removes s's. */
static inline void sq_tail_copy(sq_select *to, const sq_select *from) {
  to->order_by = from->order_by;
  to->n_order_by = from->n_order_by;
  to->order_by_all = from->order_by_all;
  to->order_all = from->order_all;
  to->limit = from->limit;
  to->offset = from->offset;
}
static inline void sq_tail_clear(sq_select *s) {
  s->order_by = NULL;
  s->n_order_by = 0;
  s->order_by_all = 0;
  s->limit = s->offset = NULL;
}

/* Parses one statement.  Nodes live in `arena`.  Errors: FR_ERR_PARSE (message
 * with line, column and a caret line), FR_ERR_UNSUPPORTED (a construct outside
 * the subset, named), FR_ERR_NOMEM. */
FR_MUST_USE fr_status sq_parse(const char *sql, fr_arena *arena, sq_select **out, fr_error *err);

/* Formats "at line L, column C:\n  <line text>\n  <spaces>^" for offset `pos`
 * into `out` (cap bytes). */
void sq_format_location(const char *sql, uint32_t pos, char *out, size_t cap);

/* Structural equality of two expressions (for matching GROUP BY expressions). */
int sq_ast_equal(const sq_ast *a, const sq_ast *b);

#endif
