/* sql_result.c - fr_sql_execute and the rendering of results (see fr_sql.h). */
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fr_alloc.h"
#include "fr_buf.h"
#include "fr_sql.h"
#include "sql_rel.h"

struct fr_result {
  sq_ctx *ctx;
  sq_rel *rel;
  char (*type_names)[24];
};

static uint64_t sq_default_memory_limit(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0)
    return 0;
  return (uint64_t)pages * (uint64_t)page / 10 * 8;
}

static void sq_ctx_free(sq_ctx *ctx) {
  if (ctx == NULL)
    return;
  for (int i = 0; i < ctx->n_rels; i++) {
    sq_rel *rel = ctx->rels[i];
    for (int c = 0; c < rel->n_cols || (rel->cols != NULL && c < 0); c++) {
      fr_free(rel->cols[c].data);
      fr_free(rel->cols[c].valid);
    }
    fr_free(rel->cols);
    fr_free(rel);
  }
  fr_free(ctx->rels);
  for (int t = 0; t < ctx->n_keep; t++)
    fr_arena_free(&ctx->keep[t]);
  fr_free(ctx->keep);
  fr_arena_free(&ctx->plan);
  fr_free(ctx);
}

fr_status fr_sql_execute(const fr_store *store, const char *sql, const fr_query_options *opts, fr_result **out,
                         fr_error *err) {
  *out = NULL;
  sq_ctx *ctx = fr_calloc(1, sizeof *ctx);
  if (ctx == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  ctx->store = store;
  ctx->sql = sql;
  ctx->err = err;
  ctx->threads = opts != NULL && opts->threads > 0 ? opts->threads : omp_get_max_threads();
  if (ctx->threads < 1)
    ctx->threads = 1;
  ctx->budget.limit = opts != NULL && opts->memory_limit > 0 ? opts->memory_limit : sq_default_memory_limit();
  fr_arena_init(&ctx->plan, &ctx->budget);
  ctx->keep = fr_calloc((size_t)ctx->threads, sizeof *ctx->keep);
  if (ctx->keep == NULL) {
    sq_ctx_free(ctx);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  ctx->n_keep = ctx->threads;
  for (int t = 0; t < ctx->threads; t++)
    fr_arena_init(&ctx->keep[t], &ctx->budget);
  /* the rows fit in uint32 batches; relations in uint64 */
  sq_select *select;
  fr_status status = sq_parse(sql, &ctx->plan, &select, err);
  sq_rel *rel = NULL;
  if (status == FR_OK)
    status = sq_exec_select(ctx, select, &rel);
  if (status != FR_OK) {
    if (err != NULL && err->code == FR_OK)
      fr_error_set(err, status, "query failed (%s)", fr_status_str(status));
    if (status == FR_ERR_NOMEM && ctx->plan.over_budget)
      status = FR_ERR_LIMIT;
    sq_ctx_free(ctx);
    return status;
  }
  fr_result *result = fr_calloc(1, sizeof *result);
  if (result == NULL) {
    sq_ctx_free(ctx);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  result->ctx = ctx;
  result->rel = rel;
  result->type_names = fr_calloc((size_t)rel->n_cols + 1, sizeof *result->type_names);
  if (result->type_names == NULL) {
    fr_result_free(result);
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  }
  for (int c = 0; c < rel->n_cols; c++) {
    char tmp[24];
    const char *name = sq_type_name(rel->cols[c].type, tmp);
    snprintf(result->type_names[c], sizeof result->type_names[c], "%s", name);
  }
  ctx->err = NULL;
  *out = result;
  return FR_OK;
}

void fr_result_free(fr_result *result) {
  if (result == NULL)
    return;
  sq_ctx_free(result->ctx);
  fr_free(result->type_names);
  fr_free(result);
}

uint32_t fr_result_n_columns(const fr_result *result) { return (uint32_t)result->rel->n_cols; }
uint64_t fr_result_n_rows(const fr_result *result) { return result->rel->n_rows; }
const char *fr_result_column_name(const fr_result *result, uint32_t col) { return result->rel->cols[col].name; }
const char *fr_result_column_type(const fr_result *result, uint32_t col) { return result->type_names[col]; }

/* Text of one cell; returns 0 for NULL (nothing written), else 1.  Strings
 * are returned by pointer, other values formatted into buf. */
static int sq_cell(const sq_rcol *col, uint64_t row, char *buf, const char **text, size_t *len) {
  if (!col->valid[row])
    return 0;
  size_t w = sq_rel_width(col->type);
  const char *p = (const char *)col->data + row * w;
  if (sq_type_phys(col->type) == SQ_P_STR) {
    const sq_str *s = (const sq_str *)p;
    *text = s->ptr;
    *len = s->len;
    return 1;
  }
  int64_t i64 = 0;
  fr_i128 i128 = 0;
  double f64 = 0;
  switch (sq_type_phys(col->type)) {
  case SQ_P_I64: memcpy(&i64, p, 8); break;
  case SQ_P_I128: memcpy(&i128, p, 16); break;
  case SQ_P_F64: memcpy(&f64, p, 8); break;
  default: break;
  }
  *len = sq_format_value(buf, col->type, i64, i128, f64);
  *text = buf;
  return 1;
}

static int sq_is_number(sq_type t) {
  return t.kind == SQ_T_INT || t.kind == SQ_T_HUGEINT || t.kind == SQ_T_DECIMAL || t.kind == SQ_T_DOUBLE;
}

/* Terminal columns of one code point: 2 for East Asian wide and fullwidth
 * characters (CJK ideographs, kana, hangul, fullwidth forms), else 1. */
static size_t sq_cp_width(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                 (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                 (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD)
             ? 2
             : 1;
}

/* Display width of UTF-8 text in terminal columns. */
static size_t sq_display_width(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    uint32_t cp = c;
    size_t extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra > 0 && i + extra < len + 1) {
      cp = c & (0x3F >> extra);
      for (size_t k = 1; k <= extra && i + k < len; k++)
        cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
    }
    n += sq_cp_width(cp);
    i += 1 + extra;
  }
  return n;
}

#define SQ_TABLE_MAX_WIDTH 60

static void sq_put_cell(fr_buf *out, const char *text, size_t len, size_t width, int right) {
  size_t shown = sq_display_width(text, len);
  int cut = shown > SQ_TABLE_MAX_WIDTH;
  if (cut) {
    /* keep whole characters that fit, then an ellipsis */
    size_t cols = 0, i = 0;
    for (;;) {
      size_t j = i + 1;
      while (j < len && ((unsigned char)text[j] & 0xC0) == 0x80)
        j++;
      size_t w = sq_display_width(text + i, j - i);
      if (i >= len || cols + w > SQ_TABLE_MAX_WIDTH - 1)
        break;
      cols += w;
      i = j;
    }
    len = i;
    shown = cols + 1;
  }
  size_t pad = width > shown ? width - shown : 0;
  if (right)
    for (size_t i = 0; i < pad; i++)
      fr_buf_put(out, " ", 1);
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    fr_buf_put(out, c == '\n' || c == '\r' || c == '\t' ? " " : &text[i], 1);
  }
  if (cut)
    fr_buf_put(out, "\xe2\x80\xa6", 3);
  if (!right)
    for (size_t i = 0; i < pad; i++)
      fr_buf_put(out, " ", 1);
}

static fr_status sq_flush(fr_buf *out, fr_emit_fn emit, void *emit_ctx, fr_error *err, int force) {
  if (out->failed)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory rendering the result");
  if (out->len >= (1u << 20) || (force && out->len > 0)) {
    if (emit(emit_ctx, out->data, out->len) != 0)
      return fr_error_set(err, FR_ERR_IO, "cannot write the result (output closed?)");
    fr_buf_reset(out);
  }
  return FR_OK;
}

fr_status fr_result_render(const fr_result *result, fr_output_format format, fr_emit_fn emit, void *emit_ctx,
                           fr_error *err) {
  const sq_rel *rel = result->rel;
  int n_cols = rel->n_cols;
  uint64_t n_rows = rel->n_rows;
  fr_buf out;
  fr_buf_init(&out);
  char buf[128];
  fr_status status = FR_OK;
  if (format == FR_OUTPUT_CSV) {
    for (int c = 0; c < n_cols; c++) {
      if (c > 0)
        fr_buf_put(&out, ",", 1);
      fr_write_csv_field(&out, rel->cols[c].name, strlen(rel->cols[c].name), 0);
    }
    fr_buf_put(&out, "\n", 1);
    for (uint64_t r = 0; r < n_rows && status == FR_OK; r++) {
      for (int c = 0; c < n_cols; c++) {
        if (c > 0)
          fr_buf_put(&out, ",", 1);
        const char *text;
        size_t len;
        if (!sq_cell(&rel->cols[c], r, buf, &text, &len))
          continue;
        if (sq_type_phys(rel->cols[c].type) == SQ_P_STR)
          fr_write_csv_field(&out, text, len, len == 0);
        else
          fr_buf_put(&out, text, len);
      }
      fr_buf_put(&out, "\n", 1);
      status = sq_flush(&out, emit, emit_ctx, err, 0);
    }
  } else if (format == FR_OUTPUT_JSON) {
    for (uint64_t r = 0; r < n_rows && status == FR_OK; r++) {
      fr_buf_put(&out, "{", 1);
      for (int c = 0; c < n_cols; c++) {
        if (c > 0)
          fr_buf_put(&out, ",", 1);
        fr_write_json_string(&out, rel->cols[c].name, strlen(rel->cols[c].name));
        fr_buf_put(&out, ":", 1);
        const char *text;
        size_t len;
        sq_type t = rel->cols[c].type;
        if (!sq_cell(&rel->cols[c], r, buf, &text, &len)) {
          fr_buf_put(&out, "null", 4);
        } else if (t.kind == SQ_T_DOUBLE && memchr(text, 'n', len) != NULL) {
          fr_buf_put(&out, "null", 4); /* JSON has no inf or nan */
        } else if (t.kind == SQ_T_BOOL || sq_is_number(t)) {
          fr_buf_put(&out, text, len);
        } else {
          fr_write_json_string(&out, text, len);
        }
      }
      fr_buf_put(&out, "}\n", 2);
      status = sq_flush(&out, emit, emit_ctx, err, 0);
    }
  } else {
    size_t *width = fr_calloc((size_t)n_cols + 1, sizeof *width);
    if (width == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory rendering the result");
    for (int c = 0; c < n_cols; c++) {
      width[c] = sq_display_width(rel->cols[c].name, strlen(rel->cols[c].name));
      for (uint64_t r = 0; r < n_rows; r++) {
        const char *text;
        size_t len;
        size_t w = sq_cell(&rel->cols[c], r, buf, &text, &len) ? sq_display_width(text, len) : 4;
        if (w > SQ_TABLE_MAX_WIDTH)
          w = SQ_TABLE_MAX_WIDTH;
        if (w > width[c])
          width[c] = w;
      }
    }
    for (int c = 0; c < n_cols; c++) {
      if (c > 0)
        fr_buf_put(&out, "  ", 2);
      sq_put_cell(&out, rel->cols[c].name, strlen(rel->cols[c].name), width[c], sq_is_number(rel->cols[c].type));
    }
    fr_buf_put(&out, "\n", 1);
    for (int c = 0; c < n_cols; c++) {
      if (c > 0)
        fr_buf_put(&out, "  ", 2);
      for (size_t i = 0; i < width[c]; i++)
        fr_buf_put(&out, "-", 1);
    }
    fr_buf_put(&out, "\n", 1);
    for (uint64_t r = 0; r < n_rows && status == FR_OK; r++) {
      for (int c = 0; c < n_cols; c++) {
        if (c > 0)
          fr_buf_put(&out, "  ", 2);
        const char *text;
        size_t len;
        if (!sq_cell(&rel->cols[c], r, buf, &text, &len)) {
          text = "NULL";
          len = 4;
        }
        sq_put_cell(&out, text, len, c + 1 == n_cols && !sq_is_number(rel->cols[c].type) ? 0 : width[c],
                    sq_is_number(rel->cols[c].type));
      }
      fr_buf_put(&out, "\n", 1);
      status = sq_flush(&out, emit, emit_ctx, err, 0);
    }
    if (status == FR_OK) {
      int len = snprintf(buf, sizeof buf, "(%llu row%s)\n", (unsigned long long)n_rows, n_rows == 1 ? "" : "s");
      fr_buf_put(&out, buf, (size_t)len);
    }
    fr_free(width);
  }
  if (status == FR_OK)
    status = sq_flush(&out, emit, emit_ctx, err, 1);
  fr_buf_free(&out);
  return status;
}

int fr_sql_is_complete(const char *sql) {
  int quote = 0;
  for (const char *p = sql; *p; p++) {
    if (quote) {
      if (*p == quote)
        quote = 0;
      continue;
    }
    if (*p == '\'' || *p == '"') {
      quote = *p;
    } else if (p[0] == '-' && p[1] == '-') {
      while (*p && *p != '\n')
        p++;
      if (!*p)
        break;
    } else if (p[0] == '/' && p[1] == '*') {
      const char *end = strstr(p + 2, "*/");
      if (end == NULL)
        return 0;
      p = end + 1;
    } else if (*p == ';') {
      return 1;
    }
  }
  return 0;
}
