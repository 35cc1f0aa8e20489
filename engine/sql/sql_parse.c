/* sql_parse.c - tokenizer and recursive-descent parser for the SQL subset of
 * DESIGN.md.  Produces the tree of sql_ast.h; knows nothing about tables.
 *
 * Anything valid in DuckDB but outside the subset (subqueries in expressions,
 * UNION, RIGHT/FULL/CROSS joins, named windows, frame EXCLUDE, ...) fails with
 * FR_ERR_UNSUPPORTED naming the construct, so a user can tell "ferret does not
 * do this" from "I mistyped". */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fr_alloc.h"
#include "sql_ast.h"

typedef enum sq_tok_kind {
  SQ_TOK_EOF = 0,
  SQ_TOK_IDENT,     /* bare identifier or keyword */
  SQ_TOK_QIDENT,    /* "quoted identifier" */
  SQ_TOK_INT,
  SQ_TOK_DECIMAL,   /* digits with a point */
  SQ_TOK_FLOAT,     /* with an exponent */
  SQ_TOK_STRING,    /* 'text' */
  SQ_TOK_OP,        /* punctuation; text in .op */
} sq_tok_kind;

typedef struct sq_token {
  sq_tok_kind kind;
  uint32_t pos, len;
  char op[3];
} sq_token;

typedef struct sq_parser {
  const char *sql;
  size_t sql_len;
  sq_token *toks;
  size_t n_toks;
  size_t at;
  fr_arena *arena;
  fr_error *err;
  int depth;
} sq_parser;

#define SQ_MAX_DEPTH 600

void sq_format_location(const char *sql, uint32_t pos, char *out, size_t cap) {
  if (cap == 0)
    return;
  uint32_t line = 1, line_start = 0;
  for (uint32_t i = 0; i < pos && sql[i] != '\0'; i++)
    if (sql[i] == '\n') {
      line++;
      line_start = i + 1;
    }
  uint32_t line_end = line_start;
  while (sql[line_end] != '\0' && sql[line_end] != '\n')
    line_end++;
  /* Columns count characters, not UTF-8 continuation bytes. */
  uint32_t column = 1;
  for (uint32_t i = line_start; i < pos; i++)
    if (((unsigned char)sql[i] & 0xC0) != 0x80)
      column++;
  /* Show at most 120 bytes of the line around the position (long one-line
   * statements), starting on a character boundary. */
  uint32_t from = pos > line_start + 80 ? pos - 80 : line_start;
  while (from > line_start && ((unsigned char)sql[from] & 0xC0) == 0x80)
    from--;
  uint32_t to = from + 120 < line_end ? from + 120 : line_end;
  while (to > from && to < line_end && ((unsigned char)sql[to] & 0xC0) == 0x80)
    to--;
  int n = snprintf(out, cap, "at line %u, column %u:\n  %s%.*s%s\n  %s", line, column, from > line_start ? "..." : "",
                   (int)(to - from), sql + from, to < line_end ? "..." : "", from > line_start ? "   " : "");
  size_t len = n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
  for (uint32_t i = from; i < pos && i < to && len + 2 < cap; i++) {
    if (((unsigned char)sql[i] & 0xC0) == 0x80)
      continue;
    out[len++] = sql[i] == '\t' ? '\t' : ' ';
  }
  if (len + 2 <= cap)
    out[len++] = '^';
  out[len < cap ? len : cap - 1] = '\0';
}

static fr_status sq_fail_at(sq_parser *p, fr_status code, uint32_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static fr_status sq_fail_at(sq_parser *p, fr_status code, uint32_t pos, const char *fmt, ...) {
  char what[512], where[700];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  sq_format_location(p->sql, pos, where, sizeof where);
  return fr_error_set(p->err, code, "%s %s", what, where);
}

/* ------------------------------------------------------------------ lexer */

static fr_status sq_tokenize(sq_parser *p) {
  const char *s = p->sql;
  size_t n = p->sql_len, cap = 64, count = 0;
  sq_token *toks = fr_malloc(cap * sizeof *toks);
  if (toks == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  size_t i = 0;
  for (;;) {
    while (i < n && isspace((unsigned char)s[i]))
      i++;
    if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
      while (i < n && s[i] != '\n')
        i++;
      continue;
    }
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
      /* block comments nest, as in DuckDB (PostgreSQL's grammar) */
      size_t start = i, depth = 1;
      i += 2;
      while (i + 1 < n && depth > 0) {
        if (s[i] == '/' && s[i + 1] == '*') {
          depth++;
          i += 2;
        } else if (s[i] == '*' && s[i + 1] == '/') {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
      if (depth > 0) {
        p->toks = toks;
        return sq_fail_at(p, FR_ERR_PARSE, (uint32_t)start, "syntax error: unterminated /* comment");
      }
      continue;
    }
    if (count + 1 >= cap) {
      cap *= 2;
      sq_token *grown = fr_realloc(toks, cap * sizeof *toks);
      if (grown == NULL) {
        fr_free(toks);
        return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
      }
      toks = grown;
    }
    sq_token *t = &toks[count];
    memset(t, 0, sizeof *t);
    t->pos = (uint32_t)i;
    if (i >= n) {
      t->kind = SQ_TOK_EOF;
      count++;
      break;
    }
    unsigned char c = (unsigned char)s[i];
    if (isalpha(c) || c == '_' || c >= 0x80) {
      while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80))
        i++;
      t->kind = SQ_TOK_IDENT;
    } else if (isdigit(c) || (c == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))) {
      t->kind = SQ_TOK_INT;
      while (i < n && isdigit((unsigned char)s[i]))
        i++;
      if (i < n && s[i] == '.') {
        t->kind = SQ_TOK_DECIMAL;
        i++;
        while (i < n && isdigit((unsigned char)s[i]))
          i++;
      }
      if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-'))
          j++;
        if (j < n && isdigit((unsigned char)s[j])) {
          t->kind = SQ_TOK_FLOAT;
          i = j;
          while (i < n && isdigit((unsigned char)s[i]))
            i++;
        }
      }
    } else if (c == '\'' || c == '"') {
      t->kind = c == '\'' ? SQ_TOK_STRING : SQ_TOK_QIDENT;
      i++;
      for (;;) {
        if (i >= n) {
          p->toks = toks;
          p->n_toks = count;
          return sq_fail_at(p, FR_ERR_PARSE, t->pos, "syntax error: unterminated %s",
                            c == '\'' ? "string literal" : "quoted identifier");
        }
        if ((unsigned char)s[i] == c) {
          if (i + 1 < n && (unsigned char)s[i + 1] == c) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
    } else {
      static const char *two[] = {"<>", "!=", "<=", ">=", "||", "::", "//", "=="};
      t->kind = SQ_TOK_OP;
      t->op[0] = (char)c;
      i++;
      for (size_t k = 0; k < sizeof two / sizeof two[0]; k++)
        if (i < n && two[k][0] == (char)c && two[k][1] == s[i]) {
          t->op[1] = s[i];
          i++;
          break;
        }
      if (strchr("+-*/%=<>(),.;!|:", c) == NULL || (t->op[1] == '\0' && (c == '!' || c == '|'))) {
        p->toks = toks;
        p->n_toks = count;
        return sq_fail_at(p, FR_ERR_PARSE, t->pos, "syntax error: unexpected character '%c'", c);
      }
      if (c == ':' && t->op[1] != ':') {
        p->toks = toks;
        p->n_toks = count;
        return sq_fail_at(p, FR_ERR_PARSE, t->pos, "syntax error: unexpected ':'");
      }
    }
    t->len = (uint32_t)(i - t->pos);
    count++;
  }
  p->toks = toks;
  p->n_toks = count;
  return FR_OK;
}

/* ------------------------------------------------------------ token helpers */

static sq_token *sq_peek(sq_parser *p) { return &p->toks[p->at]; }
static sq_token *sq_peek_at(sq_parser *p, size_t ahead) {
  size_t k = p->at + ahead;
  return &p->toks[k < p->n_toks ? k : p->n_toks - 1];
}
static void sq_advance(sq_parser *p) {
  if (p->toks[p->at].kind != SQ_TOK_EOF)
    p->at++;
}

static int sq_tok_is_kw(const sq_parser *p, const sq_token *t, const char *kw) {
  return t->kind == SQ_TOK_IDENT && strlen(kw) == t->len && strncasecmp(p->sql + t->pos, kw, t->len) == 0;
}
static int sq_is_kw(sq_parser *p, const char *kw) { return sq_tok_is_kw(p, sq_peek(p), kw); }
static int sq_accept_kw(sq_parser *p, const char *kw) {
  if (!sq_is_kw(p, kw))
    return 0;
  sq_advance(p);
  return 1;
}
static int sq_is_op(sq_parser *p, const char *op) {
  const sq_token *t = sq_peek(p);
  return t->kind == SQ_TOK_OP && strcmp(t->op, op) == 0;
}
static int sq_accept_op(sq_parser *p, const char *op) {
  if (!sq_is_op(p, op))
    return 0;
  sq_advance(p);
  return 1;
}

static fr_status sq_unexpected(sq_parser *p, const char *expected) {
  sq_token *t = sq_peek(p);
  if (t->kind == SQ_TOK_EOF)
    return sq_fail_at(p, FR_ERR_PARSE, t->pos, "syntax error: expected %s but the statement ended",
                      expected);
  return sq_fail_at(p, FR_ERR_PARSE, t->pos, "syntax error: expected %s, found \"%.*s\"", expected,
                    (int)(t->len > 40 ? 40 : t->len), p->sql + t->pos);
}

static fr_status sq_expect_kw(sq_parser *p, const char *kw) {
  if (sq_accept_kw(p, kw))
    return FR_OK;
  return sq_unexpected(p, kw);
}
static fr_status sq_expect_op(sq_parser *p, const char *op) {
  if (sq_accept_op(p, op))
    return FR_OK;
  char what[8];
  snprintf(what, sizeof what, "'%s'", op);
  return sq_unexpected(p, what);
}

static void *sq_new(sq_parser *p, size_t size) {
  void *out = fr_arena_alloc(p->arena, size);
  if (out != NULL)
    memset(out, 0, size);
  return out;
}
#define SQ_NEW(p, type, out)                                                               \
  do {                                                                                     \
    (out) = (type *)sq_new((p), sizeof(type));                                             \
    if ((out) == NULL)                                                                     \
      return fr_error_set((p)->err, FR_ERR_NOMEM, "out of memory parsing the statement"); \
  } while (0)

/* Words that end an expression or a select item rather than naming an alias. */
static const char *const sq_reserved[] = {
    "select", "from", "where", "group", "having", "order", "limit", "offset", "join", "inner",
    "left", "right", "full", "cross", "on", "as", "and", "or", "not", "union", "except",
    "intersect", "with", "by", "asc", "desc", "nulls", "when", "then", "else", "end", "case",
    "is", "in", "between", "like", "ilike", "over", "partition", "rows", "range", "distinct",
    "null", "true", "false", "using", "natural", "window", "qualify", "outer", "all", "filter",
    NULL};

static int sq_tok_reserved(const sq_parser *p, const sq_token *t) {
  if (t->kind != SQ_TOK_IDENT)
    return 0;
  for (int k = 0; sq_reserved[k] != NULL; k++)
    if (sq_tok_is_kw(p, t, sq_reserved[k]))
      return 1;
  return 0;
}

/* Copies an identifier token: bare ones fold to lower case, quoted ones keep
 * their case with "" unescaped. */
static char *sq_ident_text(sq_parser *p, const sq_token *t) {
  const char *s = p->sql + t->pos;
  if (t->kind == SQ_TOK_QIDENT) {
    char *out = fr_arena_alloc(p->arena, t->len);
    if (out == NULL)
      return NULL;
    size_t k = 0;
    for (uint32_t i = 1; i + 1 < t->len; i++) {
      out[k++] = s[i];
      if (s[i] == '"')
        i++;
    }
    out[k] = '\0';
    return out;
  }
  char *out = fr_arena_strndup(p->arena, s, t->len);
  if (out != NULL)
    for (char *c = out; *c; c++)
      *c = (char)tolower((unsigned char)*c);
  return out;
}

/* The alias after AS: any word, reserved ones too (`AS rows`, `AS select`), as
 * in DuckDB's grammar (a ColLabel). */
static fr_status sq_parse_label(sq_parser *p, char **out) {
  sq_token *t = sq_peek(p);
  if (t->kind != SQ_TOK_IDENT && t->kind != SQ_TOK_QIDENT)
    return sq_unexpected(p, "an alias");
  *out = sq_ident_text(p, t);
  if (*out == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  sq_advance(p);
  return FR_OK;
}

static fr_status sq_parse_ident(sq_parser *p, char **out, const char *what) {
  sq_token *t = sq_peek(p);
  if ((t->kind != SQ_TOK_IDENT || sq_tok_reserved(p, t)) && t->kind != SQ_TOK_QIDENT)
    return sq_unexpected(p, what);
  *out = sq_ident_text(p, t);
  if (*out == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  sq_advance(p);
  return FR_OK;
}

/* Unescapes a 'string' token into the arena. */
static fr_status sq_string_text(sq_parser *p, const sq_token *t, sq_str *out) {
  const char *s = p->sql + t->pos;
  char *text = fr_arena_alloc(p->arena, t->len);
  if (text == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  uint32_t k = 0;
  for (uint32_t i = 1; i + 1 < t->len; i++) {
    text[k++] = s[i];
    if (s[i] == '\'')
      i++;
  }
  text[k] = '\0';
  out->ptr = text;
  out->len = k;
  return FR_OK;
}

/* ------------------------------------------------------------- expressions */

static fr_status sq_parse_expr(sq_parser *p, sq_ast **out);
static fr_status sq_parse_select(sq_parser *p, sq_select **out);

static fr_status sq_node(sq_parser *p, sq_ast_kind kind, uint32_t pos, int n_args, sq_ast **out) {
  sq_ast *node;
  SQ_NEW(p, sq_ast, node);
  node->kind = kind;
  node->pos = pos;
  node->n_args = n_args;
  if (n_args > 0) {
    node->args = sq_new(p, (size_t)n_args * sizeof *node->args);
    if (node->args == NULL)
      return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  }
  *out = node;
  return FR_OK;
}

/* Parses a comma-separated expression list into a growable array. */
static fr_status sq_parse_expr_list(sq_parser *p, sq_ast ***out, int *n_out) {
  int cap = 4, n = 0;
  sq_ast **items = sq_new(p, (size_t)cap * sizeof *items);
  if (items == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  do {
    if (n == cap) {
      sq_ast **grown = sq_new(p, (size_t)cap * 2 * sizeof *items);
      if (grown == NULL)
        return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
      memcpy(grown, items, (size_t)n * sizeof *items);
      items = grown;
      cap *= 2;
    }
    FR_TRY(sq_parse_expr(p, &items[n]));
    n++;
  } while (sq_accept_op(p, ","));
  *out = items;
  *n_out = n;
  return FR_OK;
}

/* Type name after CAST ... AS or ::. */
static fr_status sq_parse_type(sq_parser *p, sq_type *out) {
  sq_token *t = sq_peek(p);
  if (t->kind != SQ_TOK_IDENT)
    return sq_unexpected(p, "a type name");
  static const struct {
    const char *name;
    sq_kind kind;
  } names[] = {{"varchar", SQ_T_VARCHAR}, {"text", SQ_T_VARCHAR}, {"string", SQ_T_VARCHAR},
               {"char", SQ_T_VARCHAR}, {"bpchar", SQ_T_VARCHAR},
               {"integer", SQ_T_INT}, {"int", SQ_T_INT}, {"bigint", SQ_T_INT},
               {"smallint", SQ_T_INT}, {"tinyint", SQ_T_INT}, {"int4", SQ_T_INT}, {"int8", SQ_T_INT},
               {"long", SQ_T_INT}, {"hugeint", SQ_T_HUGEINT},
               {"double", SQ_T_DOUBLE}, {"float", SQ_T_DOUBLE}, {"float8", SQ_T_DOUBLE},
               {"real", SQ_T_DOUBLE}, {"decimal", SQ_T_DECIMAL}, {"numeric", SQ_T_DECIMAL},
               {"date", SQ_T_DATE}, {"timestamp", SQ_T_TIMESTAMP}, {"datetime", SQ_T_TIMESTAMP},
               {"boolean", SQ_T_BOOL}, {"bool", SQ_T_BOOL}, {"interval", SQ_T_INTERVAL}};
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
    if (!sq_tok_is_kw(p, t, names[k].name))
      continue;
    sq_advance(p);
    *out = sq_type_make(names[k].kind);
    if (names[k].kind == SQ_T_DECIMAL) {
      int width = 18, scale = 3; /* DuckDB's DECIMAL without arguments */
      if (sq_accept_op(p, "(")) {
        sq_token *w = sq_peek(p);
        if (w->kind != SQ_TOK_INT)
          return sq_unexpected(p, "the decimal width");
        width = atoi(p->sql + w->pos);
        sq_advance(p);
        scale = 0;
        if (sq_accept_op(p, ",")) {
          sq_token *s = sq_peek(p);
          if (s->kind != SQ_TOK_INT)
            return sq_unexpected(p, "the decimal scale");
          scale = atoi(p->sql + s->pos);
          sq_advance(p);
        }
        FR_TRY(sq_expect_op(p, ")"));
        if (width < 1 || width > 38 || scale > width)
          return sq_fail_at(p, FR_ERR_PARSE, t->pos,
                            "DECIMAL(%d,%d) is invalid: width must be 1..38 and scale at most the width",
                            width, scale);
      }
      *out = sq_type_decimal(width, scale);
    } else if (names[k].kind == SQ_T_VARCHAR && sq_accept_op(p, "(")) {
      if (sq_peek(p)->kind != SQ_TOK_INT)
        return sq_unexpected(p, "a length");
      sq_advance(p);
      FR_TRY(sq_expect_op(p, ")"));
    }
    if (names[k].kind == SQ_T_TIMESTAMP && sq_is_kw(p, "with"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos,
                        "TIMESTAMP WITH TIME ZONE is not supported (ferret's timestamps are naive)");
    return FR_OK;
  }
  return sq_fail_at(p, FR_ERR_UNSUPPORTED, t->pos, "type \"%.*s\" is not supported", (int)t->len,
                    p->sql + t->pos);
}

/* Microseconds in one unit of an interval, or 0 when the unit is unknown;
 * *months is set for month-based units (not supported). */
static int64_t sq_interval_unit(const char *s, size_t len, int *months) {
  static const struct {
    const char *name;
    int64_t us;
  } units[] = {{"microsecond", 1}, {"microseconds", 1}, {"us", 1},
               {"millisecond", 1000}, {"milliseconds", 1000}, {"ms", 1000},
               {"second", 1000000}, {"seconds", 1000000}, {"s", 1000000},
               {"minute", 60000000LL}, {"minutes", 60000000LL}, {"m", 60000000LL},
               {"hour", 3600000000LL}, {"hours", 3600000000LL}, {"h", 3600000000LL},
               {"day", 86400000000LL}, {"days", 86400000000LL}, {"d", 86400000000LL},
               {"week", 604800000000LL}, {"weeks", 604800000000LL}};
  *months = 0;
  for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
    if (strlen(units[k].name) == len && strncasecmp(units[k].name, s, len) == 0)
      return units[k].us;
  static const char *const month_units[] = {"month", "months", "year", "years", "quarter",
                                            "quarters", "decade", "century", NULL};
  for (int k = 0; month_units[k] != NULL; k++)
    if (strlen(month_units[k]) == len && strncasecmp(month_units[k], s, len) == 0)
      *months = 1;
  return 0;
}

/* INTERVAL '7 days' | INTERVAL '7' DAY | INTERVAL 7 DAYS */
static fr_status sq_parse_interval(sq_parser *p, uint32_t pos, sq_ast **out) {
  sq_token *t = sq_peek(p);
  double amount;
  const char *unit = NULL;
  size_t unit_len = 0;
  char text[128];
  if (t->kind == SQ_TOK_STRING) {
    sq_str s = {"", 0};
    FR_TRY(sq_string_text(p, t, &s));
    snprintf(text, sizeof text, "%.*s", (int)(s.len > 100 ? 100 : s.len), s.ptr);
    sq_advance(p);
    char *end;
    errno = 0;
    amount = strtod(text, &end);
    if (end == text || errno != 0)
      return sq_fail_at(p, FR_ERR_PARSE, t->pos, "invalid interval '%s' (write e.g. INTERVAL '7 days')", text);
    while (*end == ' ')
      end++;
    if (*end != '\0') {
      unit = end;
      unit_len = strlen(end);
      while (unit_len > 0 && unit[unit_len - 1] == ' ')
        unit_len--;
    }
  } else if (t->kind == SQ_TOK_INT || t->kind == SQ_TOK_DECIMAL) {
    amount = strtod(p->sql + t->pos, NULL);
    sq_advance(p);
  } else {
    return sq_unexpected(p, "an interval amount ('7 days' or 7 DAYS)");
  }
  if (unit == NULL) {
    sq_token *u = sq_peek(p);
    if (u->kind != SQ_TOK_IDENT)
      return sq_unexpected(p, "an interval unit (DAY, HOUR, ...)");
    unit = p->sql + u->pos;
    unit_len = u->len;
    sq_advance(p);
  }
  int months;
  int64_t us = sq_interval_unit(unit, unit_len, &months);
  if (months)
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos,
                      "month and year intervals are not supported (use days, or date_trunc)");
  if (us == 0)
    return sq_fail_at(p, FR_ERR_PARSE, pos, "unknown interval unit \"%.*s\"", (int)unit_len, unit);
  double micros = amount * (double)us;
  if (!(micros > -9.2e18 && micros < 9.2e18))
    return sq_fail_at(p, FR_ERR_PARSE, pos, "interval out of range");
  FR_TRY(sq_node(p, SQ_A_LITERAL, pos, 0, out));
  (*out)->lit.type = sq_type_make(SQ_T_INTERVAL);
  (*out)->lit.i64 = (int64_t)(micros + (amount < 0 ? -0.5 : 0.5));
  return FR_OK;
}

static fr_status sq_parse_window(sq_parser *p, sq_window **out);

static fr_status sq_parse_number(sq_parser *p, sq_token *t, sq_ast *node) {
  const char *s = p->sql + t->pos;
  if (t->kind == SQ_TOK_INT) {
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno == 0) {
      node->lit.type = sq_type_make(SQ_T_INT);
      node->lit.i64 = v;
      return FR_OK;
    }
  }
  if (t->kind != SQ_TOK_FLOAT) {
    /* DuckDB: a literal with a point is DECIMAL(digits, digits after the
     * point); past 38 digits it is DOUBLE. */
    int digits = 0, scale = 0, after = 0;
    fr_i128 v = 0;
    for (uint32_t i = 0; i < t->len; i++) {
      if (s[i] == '.') {
        after = 1;
        continue;
      }
      if (digits < 38)
        v = v * 10 + (s[i] - '0');
      digits++;
      scale += after;
    }
    if (digits <= 38) {
      int width = digits > scale ? digits : scale + 1;
      if (width < 1)
        width = 1;
      node->lit.type = t->kind == SQ_TOK_INT ? sq_type_make(SQ_T_HUGEINT) : sq_type_decimal(width, scale);
      node->lit.i64 = (int64_t)v;
      node->lit.i128 = v;
      if (t->kind == SQ_TOK_INT && v <= INT64_MAX) {
        node->lit.type = sq_type_make(SQ_T_INT);
      }
      return FR_OK;
    }
  }
  char buf[128];
  snprintf(buf, sizeof buf, "%.*s", (int)(t->len > 120 ? 120 : t->len), s);
  node->lit.type = sq_type_make(SQ_T_DOUBLE);
  node->lit.f64 = strtod(buf, NULL);
  return FR_OK;
}

static fr_status sq_parse_primary(sq_parser *p, sq_ast **out) {
  sq_token *t = sq_peek(p);
  uint32_t pos = t->pos;
  if (t->kind == SQ_TOK_INT || t->kind == SQ_TOK_DECIMAL || t->kind == SQ_TOK_FLOAT) {
    FR_TRY(sq_node(p, SQ_A_LITERAL, pos, 0, out));
    FR_TRY(sq_parse_number(p, t, *out));
    sq_advance(p);
    return FR_OK;
  }
  if (t->kind == SQ_TOK_STRING) {
    FR_TRY(sq_node(p, SQ_A_LITERAL, pos, 0, out));
    (*out)->lit.type = sq_type_make(SQ_T_VARCHAR);
    FR_TRY(sq_string_text(p, t, &(*out)->lit.str));
    sq_advance(p);
    return FR_OK;
  }
  if (sq_accept_op(p, "(")) {
    if (sq_is_kw(p, "select") || sq_is_kw(p, "with"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos,
                        "subqueries in expressions are not supported (use WITH and a JOIN)");
    FR_TRY(sq_parse_expr(p, out));
    if (sq_is_op(p, ","))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos, "row values (a, b, ...) are not supported");
    return sq_expect_op(p, ")");
  }
  if (sq_is_op(p, "*")) {
    sq_advance(p);
    return sq_node(p, SQ_A_STAR, pos, 0, out);
  }
  if (t->kind != SQ_TOK_IDENT && t->kind != SQ_TOK_QIDENT)
    return sq_unexpected(p, "an expression");
  if (t->kind == SQ_TOK_IDENT) {
    if (sq_accept_kw(p, "null")) {
      FR_TRY(sq_node(p, SQ_A_LITERAL, pos, 0, out));
      (*out)->lit.is_null = 1;
      (*out)->lit.type = sq_type_make(SQ_T_NULL);
      return FR_OK;
    }
    if (sq_is_kw(p, "true") || sq_is_kw(p, "false")) {
      int value = sq_is_kw(p, "true");
      sq_advance(p);
      FR_TRY(sq_node(p, SQ_A_LITERAL, pos, 0, out));
      (*out)->lit.type = sq_type_make(SQ_T_BOOL);
      (*out)->lit.i64 = value;
      return FR_OK;
    }
    if (sq_is_kw(p, "exists"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos, "EXISTS subqueries are not supported");
    if (sq_accept_kw(p, "case")) {
      int cap = 8, n = 0, has_operand = 0, has_else = 0;
      sq_ast **parts = sq_new(p, 64 * sizeof *parts);
      if (parts == NULL)
        return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
      cap = 64;
      if (!sq_is_kw(p, "when")) {
        FR_TRY(sq_parse_expr(p, &parts[n++]));
        has_operand = 1;
      }
      if (!sq_is_kw(p, "when"))
        return sq_unexpected(p, "WHEN");
      while (sq_accept_kw(p, "when")) {
        if (n + 3 > cap)
          return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos, "CASE with more than 30 branches is not supported");
        FR_TRY(sq_parse_expr(p, &parts[n++]));
        FR_TRY(sq_expect_kw(p, "then"));
        FR_TRY(sq_parse_expr(p, &parts[n++]));
      }
      if (sq_accept_kw(p, "else")) {
        FR_TRY(sq_parse_expr(p, &parts[n++]));
        has_else = 1;
      }
      FR_TRY(sq_expect_kw(p, "end"));
      FR_TRY(sq_node(p, SQ_A_CASE, pos, 0, out));
      (*out)->args = parts;
      (*out)->n_args = n;
      (*out)->has_operand = has_operand;
      (*out)->has_else = has_else;
      return FR_OK;
    }
    if (sq_is_kw(p, "cast") && sq_tok_is_kw(p, sq_peek_at(p, 0), "cast") && sq_peek_at(p, 1)->kind == SQ_TOK_OP &&
        strcmp(sq_peek_at(p, 1)->op, "(") == 0) {
      sq_advance(p);
      sq_advance(p);
      FR_TRY(sq_node(p, SQ_A_CAST, pos, 1, out));
      FR_TRY(sq_parse_expr(p, &(*out)->args[0]));
      FR_TRY(sq_expect_kw(p, "as"));
      FR_TRY(sq_parse_type(p, &(*out)->cast_type));
      return sq_expect_op(p, ")");
    }
    if (sq_is_kw(p, "extract") && sq_peek_at(p, 1)->kind == SQ_TOK_OP && strcmp(sq_peek_at(p, 1)->op, "(") == 0) {
      sq_advance(p);
      sq_advance(p);
      sq_token *part = sq_peek(p);
      if (part->kind != SQ_TOK_IDENT && part->kind != SQ_TOK_STRING)
        return sq_unexpected(p, "a date part (YEAR, MONTH, ...)");
      FR_TRY(sq_node(p, SQ_A_FUNC, pos, 2, out));
      (*out)->name = "date_part";
      FR_TRY(sq_node(p, SQ_A_LITERAL, part->pos, 0, &(*out)->args[0]));
      (*out)->args[0]->lit.type = sq_type_make(SQ_T_VARCHAR);
      if (part->kind == SQ_TOK_STRING) {
        FR_TRY(sq_string_text(p, part, &(*out)->args[0]->lit.str));
      } else {
        char *word = sq_ident_text(p, part);
        if (word == NULL)
          return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
        (*out)->args[0]->lit.str.ptr = word;
        (*out)->args[0]->lit.str.len = (uint32_t)strlen(word);
      }
      sq_advance(p);
      FR_TRY(sq_expect_kw(p, "from"));
      FR_TRY(sq_parse_expr(p, &(*out)->args[1]));
      return sq_expect_op(p, ")");
    }
    /* Typed literals: TIMESTAMP '...', DATE '...', INTERVAL ... */
    if ((sq_is_kw(p, "timestamp") || sq_is_kw(p, "date")) && sq_peek_at(p, 1)->kind == SQ_TOK_STRING) {
      int is_ts = sq_is_kw(p, "timestamp");
      sq_advance(p);
      FR_TRY(sq_node(p, SQ_A_CAST, pos, 1, out));
      (*out)->cast_type = sq_type_make(is_ts ? SQ_T_TIMESTAMP : SQ_T_DATE);
      return sq_parse_primary(p, &(*out)->args[0]);
    }
    if (sq_is_kw(p, "interval")) {
      sq_advance(p);
      return sq_parse_interval(p, pos, out);
    }
    /* LEFT and RIGHT are join words, and functions when a '(' follows;
     * ROWS, RANGE, PARTITION, FILTER and NULLS end expressions elsewhere but
     * are DuckDB's unreserved words, so where an expression starts they name
     * a column (an alias written after AS) */
    if (sq_tok_reserved(p, t) &&
        !((sq_is_kw(p, "left") || sq_is_kw(p, "right")) && sq_peek_at(p, 1)->kind == SQ_TOK_OP &&
          strcmp(sq_peek_at(p, 1)->op, "(") == 0) &&
        !sq_is_kw(p, "rows") && !sq_is_kw(p, "range") && !sq_is_kw(p, "partition") && !sq_is_kw(p, "filter") &&
        !sq_is_kw(p, "nulls"))
      return sq_unexpected(p, "an expression");
  }
  /* identifier: column, qualified column, qualifier.*, or function call */
  char *first = sq_ident_text(p, t);
  if (first == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  sq_advance(p);
  if (sq_accept_op(p, "(")) {
    FR_TRY(sq_node(p, SQ_A_FUNC, pos, 0, out));
    sq_ast *fn = *out;
    fn->name = first;
    if (sq_accept_kw(p, "distinct"))
      fn->distinct = 1;
    else
      (void)sq_accept_kw(p, "all");
    if (!sq_is_op(p, ")"))
      FR_TRY(sq_parse_expr_list(p, &fn->args, &fn->n_args));
    if (sq_is_kw(p, "order"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos,
                        "ORDER BY inside an aggregate's arguments is not supported");
    if (sq_is_kw(p, "ignore") || sq_is_kw(p, "respect"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "IGNORE/RESPECT NULLS is not supported");
    FR_TRY(sq_expect_op(p, ")"));
    /* DuckDB's one-part functions (dayofweek(ts), quarter(ts), epoch(ts), ...)
     * are date_part with that part, as EXTRACT is */
    static const char *const part_fns[] = {"dayofweek", "dayofyear", "dayofmonth", "week", "weekofyear", "quarter",
                                           "minute", "second", "millisecond", "microsecond", "isodow", "isoyear",
                                           "yearweek", "decade", "century", "millennium", "epoch", NULL};
    for (int k = 0; part_fns[k] != NULL && fn->n_args == 1 && !fn->distinct; k++) {
      if (strcmp(fn->name, part_fns[k]) != 0)
        continue;
      sq_ast **args = sq_new(p, 2 * sizeof *args);
      if (args == NULL)
        return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
      FR_TRY(sq_node(p, SQ_A_LITERAL, pos, 0, &args[0]));
      args[0]->lit.type = sq_type_make(SQ_T_VARCHAR);
      args[0]->lit.str.ptr = part_fns[k];
      args[0]->lit.str.len = (uint32_t)strlen(part_fns[k]);
      args[1] = fn->args[0];
      fn->args = args;
      fn->n_args = 2;
      fn->name = "date_part";
      break;
    }
    if (sq_accept_kw(p, "filter")) {
      /* agg(x) FILTER (WHERE c) is agg(CASE WHEN c THEN x END); count(*)
       * counts CASE WHEN c THEN 1 END */
      uint32_t fpos = sq_peek(p)->pos;
      FR_TRY(sq_expect_op(p, "("));
      FR_TRY(sq_expect_kw(p, "where"));
      sq_ast *cond;
      FR_TRY(sq_parse_expr(p, &cond));
      FR_TRY(sq_expect_op(p, ")"));
      if (fn->n_args == 0 || (fn->n_args == 1 && fn->args[0]->kind == SQ_A_STAR)) {
        sq_ast *one;
        FR_TRY(sq_node(p, SQ_A_LITERAL, fpos, 0, &one));
        one->lit.type = sq_type_make(SQ_T_INT);
        one->lit.i64 = 1;
        if (fn->n_args == 0) {
          fn->args = sq_new(p, sizeof *fn->args);
          if (fn->args == NULL)
            return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
          fn->n_args = 1;
        }
        fn->args[0] = one;
      }
      sq_ast *when;
      FR_TRY(sq_node(p, SQ_A_CASE, fpos, 2, &when));
      when->args[0] = cond;
      when->args[1] = fn->args[0];
      fn->args[0] = when;
    }
    if (sq_accept_kw(p, "over"))
      FR_TRY(sq_parse_window(p, &fn->window));
    return FR_OK;
  }
  if (sq_accept_op(p, ".")) {
    if (sq_is_op(p, "*")) {
      sq_advance(p);
      FR_TRY(sq_node(p, SQ_A_STAR, pos, 0, out));
      (*out)->qualifier = first;
      return FR_OK;
    }
    sq_token *col = sq_peek(p);
    if (col->kind != SQ_TOK_IDENT && col->kind != SQ_TOK_QIDENT)
      return sq_unexpected(p, "a column name after '.'");
    FR_TRY(sq_node(p, SQ_A_COLUMN, pos, 0, out));
    (*out)->qualifier = first;
    (*out)->name = sq_ident_text(p, col);
    if ((*out)->name == NULL)
      return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
    sq_advance(p);
    if (sq_is_op(p, "."))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos, "schema-qualified names are not supported");
    return FR_OK;
  }
  FR_TRY(sq_node(p, SQ_A_COLUMN, pos, 0, out));
  (*out)->name = first;
  return FR_OK;
}

static fr_status sq_parse_postfix(sq_parser *p, sq_ast **out) {
  FR_TRY(sq_parse_primary(p, out));
  while (sq_is_op(p, "::")) {
    uint32_t pos = sq_peek(p)->pos;
    sq_advance(p);
    sq_ast *cast;
    FR_TRY(sq_node(p, SQ_A_CAST, pos, 1, &cast));
    cast->args[0] = *out;
    FR_TRY(sq_parse_type(p, &cast->cast_type));
    *out = cast;
  }
  return FR_OK;
}

__extension__ typedef unsigned __int128 sq_u128;

static fr_status sq_parse_unary(sq_parser *p, sq_ast **out) {
  if (++p->depth > SQ_MAX_DEPTH)
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "expression nested too deeply (more than %d levels)", SQ_MAX_DEPTH);
  fr_status status;
  uint32_t pos = sq_peek(p)->pos;
  if (sq_is_op(p, "-") || sq_is_op(p, "+")) {
    int negate = sq_is_op(p, "-");
    sq_advance(p);
    sq_ast *operand;
    status = sq_parse_unary(p, &operand);
    if (status != FR_OK)
      return status;
    if (!negate) {
      *out = operand;
    } else if (operand->kind == SQ_A_LITERAL && !operand->lit.is_null &&
               (operand->lit.type.kind == SQ_T_INT || operand->lit.type.kind == SQ_T_DECIMAL ||
                operand->lit.type.kind == SQ_T_DOUBLE || operand->lit.type.kind == SQ_T_HUGEINT)) {
      /* Fold the sign into a numeric literal, as DuckDB does. */
      /* negated as unsigned: the i64 field of 9223372036854775808 (a HUGEINT
       * until negated) holds INT64_MIN, whose signed negation is undefined */
      operand->lit.i64 = (int64_t)(0 - (uint64_t)operand->lit.i64);
      operand->lit.i128 = (fr_i128)(0 - (sq_u128)operand->lit.i128);
      operand->lit.f64 = -operand->lit.f64;
      operand->pos = pos;
      *out = operand;
    } else {
      FR_TRY(sq_node(p, SQ_A_UNARY, pos, 1, out));
      (*out)->op = '-';
      (*out)->args[0] = operand;
    }
  } else {
    status = sq_parse_postfix(p, out);
    if (status != FR_OK)
      return status;
  }
  p->depth--;
  return FR_OK;
}

static fr_status sq_binary(sq_parser *p, int op, uint32_t pos, sq_ast *left, sq_ast *right, sq_ast **out) {
  FR_TRY(sq_node(p, SQ_A_BINARY, pos, 2, out));
  (*out)->op = op;
  (*out)->args[0] = left;
  (*out)->args[1] = right;
  return FR_OK;
}

static fr_status sq_parse_mul(sq_parser *p, sq_ast **out) {
  FR_TRY(sq_parse_unary(p, out));
  for (;;) {
    int op = sq_is_op(p, "*") ? SQ_OP_MUL : sq_is_op(p, "/") ? SQ_OP_DIV : sq_is_op(p, "//") ? SQ_OP_IDIV
           : sq_is_op(p, "%") ? SQ_OP_MOD : 0;
    if (op == 0)
      return FR_OK;
    uint32_t pos = sq_peek(p)->pos;
    sq_advance(p);
    sq_ast *right;
    FR_TRY(sq_parse_unary(p, &right));
    FR_TRY(sq_binary(p, op, pos, *out, right, out));
  }
}

static fr_status sq_parse_add(sq_parser *p, sq_ast **out) {
  FR_TRY(sq_parse_mul(p, out));
  for (;;) {
    int op = sq_is_op(p, "+") ? SQ_OP_ADD : sq_is_op(p, "-") ? SQ_OP_SUB : 0;
    if (op == 0)
      return FR_OK;
    uint32_t pos = sq_peek(p)->pos;
    sq_advance(p);
    sq_ast *right;
    FR_TRY(sq_parse_mul(p, &right));
    FR_TRY(sq_binary(p, op, pos, *out, right, out));
  }
}

static fr_status sq_parse_concat(sq_parser *p, sq_ast **out) {
  FR_TRY(sq_parse_add(p, out));
  while (sq_is_op(p, "||")) {
    uint32_t pos = sq_peek(p)->pos;
    sq_advance(p);
    sq_ast *right;
    FR_TRY(sq_parse_add(p, &right));
    FR_TRY(sq_binary(p, SQ_OP_CONCAT, pos, *out, right, out));
  }
  return FR_OK;
}

static fr_status sq_parse_comparison(sq_parser *p, sq_ast **out) {
  FR_TRY(sq_parse_concat(p, out));
  for (;;) {
    uint32_t pos = sq_peek(p)->pos;
    int op = sq_is_op(p, "=") || sq_is_op(p, "==") ? SQ_OP_EQ
           : sq_is_op(p, "<>") || sq_is_op(p, "!=") ? SQ_OP_NE
           : sq_is_op(p, "<") ? SQ_OP_LT : sq_is_op(p, "<=") ? SQ_OP_LE
           : sq_is_op(p, ">") ? SQ_OP_GT : sq_is_op(p, ">=") ? SQ_OP_GE : 0;
    if (op != 0) {
      sq_advance(p);
      if (sq_is_kw(p, "any") || sq_is_kw(p, "all") || sq_is_kw(p, "some"))
        return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "ANY/ALL comparisons are not supported");
      sq_ast *right;
      FR_TRY(sq_parse_concat(p, &right));
      FR_TRY(sq_binary(p, op, pos, *out, right, out));
      continue;
    }
    if (sq_is_kw(p, "is")) {
      sq_advance(p);
      int negated = sq_accept_kw(p, "not");
      if (sq_accept_kw(p, "distinct")) {
        FR_TRY(sq_expect_kw(p, "from"));
        sq_ast *right;
        FR_TRY(sq_parse_concat(p, &right));
        FR_TRY(sq_binary(p, negated ? SQ_OP_NSEQ : SQ_OP_NSNE, pos, *out, right, out));
        continue;
      }
      FR_TRY(sq_expect_kw(p, "null"));
      sq_ast *node;
      FR_TRY(sq_node(p, SQ_A_ISNULL, pos, 1, &node));
      node->args[0] = *out;
      node->negated = negated;
      *out = node;
      continue;
    }
    /* [NOT] IN / BETWEEN / LIKE / ILIKE */
    int negated = 0;
    if (sq_is_kw(p, "not") && (sq_tok_is_kw(p, sq_peek_at(p, 1), "in") || sq_tok_is_kw(p, sq_peek_at(p, 1), "between") ||
                               sq_tok_is_kw(p, sq_peek_at(p, 1), "like") || sq_tok_is_kw(p, sq_peek_at(p, 1), "ilike"))) {
      sq_advance(p);
      negated = 1;
    }
    if (sq_accept_kw(p, "in")) {
      FR_TRY(sq_expect_op(p, "("));
      if (sq_is_kw(p, "select") || sq_is_kw(p, "with"))
        return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos,
                          "IN (subquery) is not supported (use WITH and a JOIN)");
      sq_ast **list;
      int n_list;
      FR_TRY(sq_parse_expr_list(p, &list, &n_list));
      FR_TRY(sq_expect_op(p, ")"));
      sq_ast *node;
      FR_TRY(sq_node(p, SQ_A_IN, pos, n_list + 1, &node));
      node->args[0] = *out;
      memcpy(node->args + 1, list, (size_t)n_list * sizeof *list);
      node->negated = negated;
      *out = node;
      continue;
    }
    if (sq_accept_kw(p, "between")) {
      sq_ast *node;
      FR_TRY(sq_node(p, SQ_A_BETWEEN, pos, 3, &node));
      node->args[0] = *out;
      FR_TRY(sq_parse_concat(p, &node->args[1]));
      FR_TRY(sq_expect_kw(p, "and"));
      FR_TRY(sq_parse_concat(p, &node->args[2]));
      node->negated = negated;
      *out = node;
      continue;
    }
    if (sq_is_kw(p, "like") || sq_is_kw(p, "ilike")) {
      int ci = sq_is_kw(p, "ilike");
      sq_advance(p);
      sq_ast *node;
      FR_TRY(sq_node(p, SQ_A_LIKE, pos, 2, &node));
      node->args[0] = *out;
      FR_TRY(sq_parse_concat(p, &node->args[1]));
      if (sq_is_kw(p, "escape"))
        return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "LIKE ... ESCAPE is not supported");
      node->negated = negated;
      node->case_insensitive = ci;
      *out = node;
      continue;
    }
    if (negated)
      return sq_unexpected(p, "IN, BETWEEN or LIKE after NOT");
    if (sq_is_kw(p, "similar") || sq_is_kw(p, "glob"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "SIMILAR TO / GLOB are not supported (use LIKE)");
    return FR_OK;
  }
}

static fr_status sq_parse_not(sq_parser *p, sq_ast **out) {
  if (sq_is_kw(p, "not")) {
    uint32_t pos = sq_peek(p)->pos;
    sq_advance(p);
    if (++p->depth > SQ_MAX_DEPTH)
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos, "expression nested too deeply (more than %d levels)", SQ_MAX_DEPTH);
    sq_ast *operand;
    FR_TRY(sq_parse_not(p, &operand));
    p->depth--;
    FR_TRY(sq_node(p, SQ_A_UNARY, pos, 1, out));
    (*out)->op = 'N';
    (*out)->args[0] = operand;
    return FR_OK;
  }
  return sq_parse_comparison(p, out);
}

static fr_status sq_parse_and(sq_parser *p, sq_ast **out) {
  FR_TRY(sq_parse_not(p, out));
  while (sq_is_kw(p, "and")) {
    uint32_t pos = sq_peek(p)->pos;
    sq_advance(p);
    sq_ast *right;
    FR_TRY(sq_parse_not(p, &right));
    FR_TRY(sq_binary(p, SQ_OP_AND, pos, *out, right, out));
  }
  return FR_OK;
}

static fr_status sq_parse_expr(sq_parser *p, sq_ast **out) {
  if (++p->depth > SQ_MAX_DEPTH)
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "expression nested too deeply (more than %d levels)", SQ_MAX_DEPTH);
  FR_TRY(sq_parse_and(p, out));
  while (sq_is_kw(p, "or")) {
    uint32_t pos = sq_peek(p)->pos;
    sq_advance(p);
    sq_ast *right;
    FR_TRY(sq_parse_and(p, &right));
    FR_TRY(sq_binary(p, SQ_OP_OR, pos, *out, right, out));
  }
  p->depth--;
  return FR_OK;
}

/* ------------------------------------------------------ ORDER BY, windows */

/* [ASC|DESC] [NULLS FIRST|LAST] after an ORDER BY item, into it (nulls_first
 * -1 when not given). */
static fr_status sq_parse_direction(sq_parser *p, sq_order_item *it) {
  it->desc = 0;
  it->nulls_first = -1;
  if (sq_accept_kw(p, "desc"))
    it->desc = 1;
  else
    (void)sq_accept_kw(p, "asc");
  if (sq_accept_kw(p, "nulls")) {
    if (sq_accept_kw(p, "first"))
      it->nulls_first = 1;
    else if (sq_accept_kw(p, "last"))
      it->nulls_first = 0;
    else
      return sq_unexpected(p, "FIRST or LAST");
  }
  return FR_OK;
}

static fr_status sq_parse_order_list(sq_parser *p, sq_order_item **out, int *n_out) {
  int cap = 4, n = 0;
  sq_order_item *items = sq_new(p, (size_t)cap * sizeof *items);
  if (items == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  do {
    if (n == cap) {
      sq_order_item *grown = sq_new(p, (size_t)cap * 2 * sizeof *items);
      if (grown == NULL)
        return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
      memcpy(grown, items, (size_t)n * sizeof *items);
      items = grown;
      cap *= 2;
    }
    sq_order_item *it = &items[n++];
    FR_TRY(sq_parse_expr(p, &it->expr));
    FR_TRY(sq_parse_direction(p, it));
  } while (sq_accept_op(p, ","));
  *out = items;
  *n_out = n;
  return FR_OK;
}

static fr_status sq_parse_bound(sq_parser *p, sq_bound_kind *kind, sq_ast **offset) {
  *offset = NULL;
  if (sq_accept_kw(p, "unbounded")) {
    if (sq_accept_kw(p, "preceding"))
      *kind = SQ_BOUND_UNBOUNDED_PRECEDING;
    else if (sq_accept_kw(p, "following"))
      *kind = SQ_BOUND_UNBOUNDED_FOLLOWING;
    else
      return sq_unexpected(p, "PRECEDING or FOLLOWING");
    return FR_OK;
  }
  if (sq_accept_kw(p, "current")) {
    *kind = SQ_BOUND_CURRENT;
    return sq_expect_kw(p, "row");
  }
  FR_TRY(sq_parse_concat(p, offset));
  if (sq_accept_kw(p, "preceding"))
    *kind = SQ_BOUND_PRECEDING;
  else if (sq_accept_kw(p, "following"))
    *kind = SQ_BOUND_FOLLOWING;
  else
    return sq_unexpected(p, "PRECEDING or FOLLOWING");
  return FR_OK;
}

static fr_status sq_parse_window(sq_parser *p, sq_window **out) {
  if (sq_peek(p)->kind == SQ_TOK_IDENT && !sq_is_op(p, "("))
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "named windows are not supported");
  FR_TRY(sq_expect_op(p, "("));
  sq_window *w;
  SQ_NEW(p, sq_window, w);
  if (sq_accept_kw(p, "partition")) {
    FR_TRY(sq_expect_kw(p, "by"));
    FR_TRY(sq_parse_expr_list(p, &w->partition, &w->n_partition));
  }
  if (sq_accept_kw(p, "order")) {
    FR_TRY(sq_expect_kw(p, "by"));
    FR_TRY(sq_parse_order_list(p, &w->order, &w->n_order));
  }
  if (sq_is_kw(p, "groups"))
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "GROUPS frames are not supported");
  if (sq_is_kw(p, "rows") || sq_is_kw(p, "range")) {
    w->has_frame = 1;
    w->frame_rows = sq_is_kw(p, "rows");
    sq_advance(p);
    if (sq_accept_kw(p, "between")) {
      FR_TRY(sq_parse_bound(p, &w->start_kind, &w->start_offset));
      FR_TRY(sq_expect_kw(p, "and"));
      FR_TRY(sq_parse_bound(p, &w->end_kind, &w->end_offset));
    } else {
      FR_TRY(sq_parse_bound(p, &w->start_kind, &w->start_offset));
      w->end_kind = SQ_BOUND_CURRENT;
    }
    if (sq_is_kw(p, "exclude"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "window frame EXCLUDE is not supported");
  }
  *out = w;
  return sq_expect_op(p, ")");
}

/* ------------------------------------------------------------------ SELECT */

static fr_status sq_parse_table_ref(sq_parser *p, sq_table_ref *ref) {
  ref->pos = sq_peek(p)->pos;
  if (sq_accept_op(p, "(")) {
    if (!sq_is_kw(p, "select") && !sq_is_kw(p, "with"))
      return sq_unexpected(p, "SELECT (a subquery)");
    FR_TRY(sq_parse_select(p, &ref->subquery));
    FR_TRY(sq_expect_op(p, ")"));
  } else {
    FR_TRY(sq_parse_ident(p, &ref->table, "a table name"));
    if (sq_is_op(p, "("))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, ref->pos,
                        "table functions are not supported (ingest the file with `ferret ingest`)");
    if (sq_is_op(p, "."))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, ref->pos, "schema-qualified table names are not supported");
  }
  if (sq_accept_kw(p, "as"))
    FR_TRY(sq_parse_label(p, &ref->alias));
  else if (sq_peek(p)->kind == SQ_TOK_QIDENT || (sq_peek(p)->kind == SQ_TOK_IDENT && !sq_tok_reserved(p, sq_peek(p))))
    FR_TRY(sq_parse_ident(p, &ref->alias, "an alias"));
  if (sq_is_op(p, "("))
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "column alias lists are not supported");
  if (ref->subquery != NULL && ref->alias == NULL)
    ref->alias = "subquery";
  return FR_OK;
}

static fr_status sq_parse_from(sq_parser *p, sq_select *s) {
  int cap = 8;
  s->from = sq_new(p, (size_t)cap * sizeof *s->from);
  if (s->from == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  FR_TRY(sq_parse_table_ref(p, &s->from[0]));
  s->n_from = 1;
  for (;;) {
    uint32_t pos = sq_peek(p)->pos;
    sq_join_kind kind;
    if (sq_is_op(p, ","))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos,
                        "comma joins (cross products) are not supported (write JOIN ... ON)");
    if (sq_is_kw(p, "right") || sq_is_kw(p, "full") || sq_is_kw(p, "cross") || sq_is_kw(p, "natural") ||
        sq_is_kw(p, "semi") || sq_is_kw(p, "anti") || sq_is_kw(p, "asof") || sq_is_kw(p, "positional"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos,
                        "%.*s JOIN is not supported (INNER and LEFT equi-joins are)",
                        (int)sq_peek(p)->len, p->sql + pos);
    if (sq_accept_kw(p, "join")) {
      kind = SQ_JOIN_INNER;
    } else if (sq_accept_kw(p, "inner")) {
      FR_TRY(sq_expect_kw(p, "join"));
      kind = SQ_JOIN_INNER;
    } else if (sq_accept_kw(p, "left")) {
      (void)sq_accept_kw(p, "outer");
      FR_TRY(sq_expect_kw(p, "join"));
      kind = SQ_JOIN_LEFT;
    } else {
      return FR_OK;
    }
    if (s->n_from == cap)
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, pos, "more than 8 tables in one FROM is not supported");
    sq_table_ref *ref = &s->from[s->n_from++];
    FR_TRY(sq_parse_table_ref(p, ref));
    ref->join = kind;
    if (sq_is_kw(p, "using"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "JOIN ... USING is not supported (write ON a.x = b.x)");
    FR_TRY(sq_expect_kw(p, "on"));
    FR_TRY(sq_parse_expr(p, &ref->on));
  }
}

static fr_status sq_parse_select(sq_parser *p, sq_select **out) {
  if (++p->depth > SQ_MAX_DEPTH)
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "statement nested too deeply (more than %d levels)", SQ_MAX_DEPTH);
  sq_select *s;
  SQ_NEW(p, sq_select, s);
  s->pos = sq_peek(p)->pos;
  if (sq_accept_kw(p, "with")) {
    if (sq_is_kw(p, "recursive"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "WITH RECURSIVE is not supported");
    int cap = 16;
    s->ctes = sq_new(p, (size_t)cap * sizeof *s->ctes);
    if (s->ctes == NULL)
      return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
    do {
      if (s->n_ctes == cap)
        return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "more than 16 common table expressions");
      sq_cte *cte = &s->ctes[s->n_ctes++];
      FR_TRY(sq_parse_ident(p, &cte->name, "a name for the WITH query"));
      if (sq_is_op(p, "("))
        return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "column lists on WITH queries are not supported");
      FR_TRY(sq_expect_kw(p, "as"));
      if (sq_is_kw(p, "materialized") || sq_is_kw(p, "not"))
        return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "[NOT] MATERIALIZED is not supported");
      FR_TRY(sq_expect_op(p, "("));
      FR_TRY(sq_parse_select(p, &cte->select));
      FR_TRY(sq_expect_op(p, ")"));
    } while (sq_accept_op(p, ","));
  }
  if (sq_is_kw(p, "from"))
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "FROM-first syntax is not supported (start with SELECT)");
  FR_TRY(sq_expect_kw(p, "select"));
  if (sq_accept_kw(p, "distinct")) {
    if (sq_is_kw(p, "on"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "DISTINCT ON is not supported");
    s->distinct = 1;
  } else {
    (void)sq_accept_kw(p, "all");
  }
  int cap = 16;
  s->items = sq_new(p, (size_t)cap * sizeof *s->items);
  if (s->items == NULL)
    return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
  do {
    if (s->n_items == cap) {
      sq_select_item *grown = sq_new(p, (size_t)cap * 2 * sizeof *grown);
      if (grown == NULL)
        return fr_error_set(p->err, FR_ERR_NOMEM, "out of memory parsing the statement");
      memcpy(grown, s->items, (size_t)cap * sizeof *grown);
      s->items = grown;
      cap *= 2;
    }
    sq_select_item *item = &s->items[s->n_items++];
    FR_TRY(sq_parse_expr(p, &item->expr));
    item->end_pos = sq_peek(p)->pos;
    {
      /* end_pos: just past the expression's last token */
      sq_token *prev = &p->toks[p->at > 0 ? p->at - 1 : 0];
      item->end_pos = prev->pos + prev->len;
    }
    if (sq_accept_kw(p, "as"))
      FR_TRY(sq_parse_label(p, &item->alias));
    else if (sq_peek(p)->kind == SQ_TOK_QIDENT || (sq_peek(p)->kind == SQ_TOK_IDENT && !sq_tok_reserved(p, sq_peek(p))))
      FR_TRY(sq_parse_ident(p, &item->alias, "an alias"));
  } while (sq_accept_op(p, ","));
  if (sq_accept_kw(p, "from"))
    FR_TRY(sq_parse_from(p, s));
  if (sq_accept_kw(p, "where"))
    FR_TRY(sq_parse_expr(p, &s->where));
  if (sq_accept_kw(p, "group")) {
    FR_TRY(sq_expect_kw(p, "by"));
    if (sq_is_kw(p, "all")) {
      s->group_by_all = 1;
      s->group_all_pos = sq_peek(p)->pos;
      sq_advance(p);
    } else {
      if (sq_is_kw(p, "rollup") || sq_is_kw(p, "cube") || sq_is_kw(p, "grouping"))
        return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "GROUP BY %.*s is not supported",
                          (int)sq_peek(p)->len, p->sql + sq_peek(p)->pos);
      FR_TRY(sq_parse_expr_list(p, &s->group_by, &s->n_group_by));
    }
  }
  if (sq_accept_kw(p, "having"))
    FR_TRY(sq_parse_expr(p, &s->having));
  if (sq_is_kw(p, "window"))
    return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "%.*s clauses are not supported",
                      (int)sq_peek(p)->len, p->sql + sq_peek(p)->pos);
  if (sq_accept_kw(p, "qualify"))
    FR_TRY(sq_parse_expr(p, &s->qualify));
  if (sq_is_kw(p, "union") || sq_is_kw(p, "except") || sq_is_kw(p, "intersect")) {
    /* the next operand parses as a whole SELECT: the chain's ORDER BY /
     * LIMIT / OFFSET, written after the last operand, end up in it and move
     * here, and its own chain is appended to this one (evaluated left to
     * right: UNION and EXCEPT share a precedence; INTERSECT, which binds
     * tighter in SQL, is taken only in chains of INTERSECTs) */
    const uint32_t op_pos = sq_peek(p)->pos;
    const int op = sq_accept_kw(p, "union") ? SQ_SET_UNION : sq_accept_kw(p, "except") ? SQ_SET_EXCEPT
                 : (sq_advance(p), SQ_SET_INTERSECT);
    int all = sq_accept_kw(p, "all");
    if (!all)
      (void)sq_accept_kw(p, "distinct");
    if (sq_is_kw(p, "by"))
      return sq_fail_at(p, FR_ERR_UNSUPPORTED, sq_peek(p)->pos, "UNION BY NAME is not supported");
    if (!sq_is_kw(p, "select"))
      return sq_unexpected(p, op == SQ_SET_UNION ? "SELECT after UNION" : op == SQ_SET_EXCEPT ? "SELECT after EXCEPT"
                                                                                              : "SELECT after INTERSECT");
    sq_select *next;
    FR_TRY(sq_parse_select(p, &next));
    for (const sq_select *x = next->set_next; x != NULL; x = x->set_next)
      if ((x->set_op == SQ_SET_INTERSECT) != (op == SQ_SET_INTERSECT))
        return sq_fail_at(p, FR_ERR_UNSUPPORTED, op_pos,
                          "INTERSECT in a chain with UNION or EXCEPT is not supported (INTERSECT binds tighter: "
                          "compute it in a WITH query)");
    next->set_op = op;
    next->set_all = all;
    sq_tail_copy(s, next);
    sq_tail_clear(next);
    s->set_next = next;
    p->depth--;
    *out = s;
    return FR_OK;
  }
  if (sq_accept_kw(p, "order")) {
    FR_TRY(sq_expect_kw(p, "by"));
    if (sq_accept_kw(p, "all")) { /* ALL [ASC|DESC] [NULLS FIRST|LAST] */
      s->order_by_all = 1;
      FR_TRY(sq_parse_direction(p, &s->order_all));
    } else {
      FR_TRY(sq_parse_order_list(p, &s->order_by, &s->n_order_by));
    }
  }
  for (int round = 0; round < 2; round++) {
    if (s->limit == NULL && sq_accept_kw(p, "limit"))
      FR_TRY(sq_parse_expr(p, &s->limit));
    if (s->offset == NULL && sq_accept_kw(p, "offset"))
      FR_TRY(sq_parse_expr(p, &s->offset));
  }
  p->depth--;
  *out = s;
  return FR_OK;
}

fr_status sq_parse(const char *sql, fr_arena *arena, sq_select **out, fr_error *err) {
  sq_parser p;
  memset(&p, 0, sizeof p);
  p.sql = sql;
  p.sql_len = strlen(sql);
  p.arena = arena;
  p.err = err;
  fr_status status = sq_tokenize(&p);
  if (status == FR_OK) {
    if (sq_peek(&p)->kind == SQ_TOK_EOF)
      status = fr_error_set(err, FR_ERR_PARSE, "empty statement: write a SELECT");
    else if (!sq_is_kw(&p, "select") && !sq_is_kw(&p, "with") && !sq_is_kw(&p, "from")) {
      sq_token *t = sq_peek(&p);
      status = sq_fail_at(&p, t->kind == SQ_TOK_IDENT ? FR_ERR_UNSUPPORTED : FR_ERR_PARSE, t->pos,
                          "only SELECT statements are supported, not \"%.*s\" (the store is changed only by `ferret ingest`)",
                          (int)(t->len > 30 ? 30 : t->len), sql + t->pos);
    } else {
      status = sq_parse_select(&p, out);
    }
  }
  if (status == FR_OK) {
    while (sq_accept_op(&p, ";")) {
    }
    if (sq_peek(&p)->kind != SQ_TOK_EOF)
      status = sq_unexpected(&p, "the end of the statement");
  }
  fr_free(p.toks);
  return status;
}

int sq_ast_equal(const sq_ast *a, const sq_ast *b) {
  if (a == b)
    return 1;
  if (a == NULL || b == NULL || a->kind != b->kind || a->op != b->op || a->n_args != b->n_args ||
      a->negated != b->negated || a->case_insensitive != b->case_insensitive || a->distinct != b->distinct ||
      a->has_operand != b->has_operand || a->has_else != b->has_else)
    return 0;
  if ((a->name == NULL) != (b->name == NULL) || (a->name && strcmp(a->name, b->name) != 0))
    return 0;
  if ((a->qualifier == NULL) != (b->qualifier == NULL) || (a->qualifier && strcmp(a->qualifier, b->qualifier) != 0))
    return 0;
  if (a->window != NULL || b->window != NULL)
    return 0;
  if (a->kind == SQ_A_LITERAL) {
    if (!sq_type_equal(a->lit.type, b->lit.type) || a->lit.is_null != b->lit.is_null || a->lit.i64 != b->lit.i64 ||
        a->lit.i128 != b->lit.i128 || a->lit.f64 != b->lit.f64 || a->lit.str.len != b->lit.str.len ||
        (a->lit.str.len > 0 && memcmp(a->lit.str.ptr, b->lit.str.ptr, a->lit.str.len) != 0))
      return 0;
  }
  if (a->kind == SQ_A_CAST && !sq_type_equal(a->cast_type, b->cast_type))
    return 0;
  for (int i = 0; i < a->n_args; i++)
    if (!sq_ast_equal(a->args[i], b->args[i]))
      return 0;
  return 1;
}
