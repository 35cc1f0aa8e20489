/* sql_eval.c - vectorized evaluation of bound expressions (see sql_expr.h).
 *
 * Every kernel computes all n rows of a batch, NULL rows included (their
 * inputs hold zeros), and the result's validity is the AND of its inputs'; so
 * the inner loops have no per-row branches for NULLs.  Decimal arithmetic runs
 * in int64 when the result type fits 18 digits and in int128 otherwise, with
 * overflow checks where a result can leave its type (DuckDB raises an error
 * there too). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <strings.h>

#include "sql_expr.h"

static fr_status sq_nomem(sq_eval_ctx *ctx) {
  if (ctx->arena->over_budget)
    return fr_error_set(ctx->err, FR_ERR_LIMIT,
                        "the query needs more memory than its limit (raise --memory-limit)");
  return fr_error_set(ctx->err, FR_ERR_NOMEM, "out of memory evaluating the query");
}

static void *sq_alloc(sq_eval_ctx *ctx, size_t bytes) {
  return fr_arena_alloc(ctx->arena, bytes == 0 ? 16 : bytes);
}

static size_t sq_phys_size(sq_type t) {
  switch (sq_type_phys(t)) {
  case SQ_P_I128: return sizeof(fr_i128);
  case SQ_P_F64: return sizeof(double);
  case SQ_P_STR: return sizeof(sq_str);
  default: return sizeof(int64_t);
  }
}

fr_status sq_vec_alloc(sq_eval_ctx *ctx, sq_type type, uint32_t n, sq_vec *out) {
  memset(out, 0, sizeof *out);
  out->type = type;
  out->n = n;
  size_t bytes = sq_phys_size(type) * (size_t)n;
  out->data = sq_alloc(ctx, bytes);
  if (out->data == NULL)
    return sq_nomem(ctx);
  memset(out->data, 0, bytes);
  return FR_OK;
}

static uint8_t *sq_valid_alloc(sq_eval_ctx *ctx, uint32_t n) {
  uint8_t *v = sq_alloc(ctx, n);
  if (v != NULL)
    memset(v, 1, n);
  return v;
}

/* Validity of a result from two inputs: NULL when both are all-valid. */
static fr_status sq_valid_and(sq_eval_ctx *ctx, const uint8_t *a, const uint8_t *b, uint32_t n, uint8_t **out) {
  if (a == NULL && b == NULL) {
    *out = NULL;
    return FR_OK;
  }
  uint8_t *v = sq_alloc(ctx, n);
  if (v == NULL)
    return sq_nomem(ctx);
  if (a != NULL && b != NULL)
    for (uint32_t i = 0; i < n; i++)
      v[i] = a[i] & b[i];
  else
    memcpy(v, a != NULL ? a : b, n);
  *out = v;
  return FR_OK;
}

void sq_vec_get(const sq_vec *v, uint32_t row, sq_value *out) {
  memset(out, 0, sizeof *out);
  out->type = v->type;
  out->is_null = !sq_vec_valid(v, row);
  switch (sq_type_phys(v->type)) {
  case SQ_P_I64: out->i64 = v->i64[row]; out->i128 = out->i64; break;
  case SQ_P_I128: out->i128 = v->i128[row]; out->i64 = (int64_t)out->i128; break;
  case SQ_P_F64: out->f64 = v->f64[row]; break;
  case SQ_P_STR: out->str = v->str[row]; break;
  }
}

/* Broadcasts a constant to n rows. */
/* out := ctx->n NULLs of `type`, holding 0 or the empty string as every
 * vector's NULL rows do (functions run over every row before the validity
 * mask applies: a string function must not meet a NULL pointer). */
static fr_status sq_vec_all_null(sq_eval_ctx *ctx, sq_type type, sq_vec *out) {
  static const char empty[1] = "";
  const uint32_t n = ctx->n;
  FR_TRY(sq_vec_alloc(ctx, type, n, out));
  out->valid = sq_alloc(ctx, n);
  if (out->valid == NULL)
    return sq_nomem(ctx);
  memset(out->valid, 0, n);
  switch (sq_type_phys(type)) {
  case SQ_P_I64: memset(out->i64, 0, (size_t)n * sizeof *out->i64); break;
  case SQ_P_I128: memset(out->i128, 0, (size_t)n * sizeof *out->i128); break;
  case SQ_P_F64: for (uint32_t i = 0; i < n; i++) out->f64[i] = 0; break;
  case SQ_P_STR: for (uint32_t i = 0; i < n; i++) out->str[i] = (sq_str){empty, 0}; break;
  }
  return FR_OK;
}

static fr_status sq_eval_const(sq_eval_ctx *ctx, const sq_value *value, sq_type type, sq_vec *out) {
  if (value->is_null)
    return sq_vec_all_null(ctx, type, out);
  FR_TRY(sq_vec_alloc(ctx, type, ctx->n, out));
  uint32_t n = ctx->n;
  switch (sq_type_phys(type)) {
  case SQ_P_I64: for (uint32_t i = 0; i < n; i++) out->i64[i] = value->i64; break;
  case SQ_P_I128: for (uint32_t i = 0; i < n; i++) out->i128[i] = value->i128; break;
  case SQ_P_F64: for (uint32_t i = 0; i < n; i++) out->f64[i] = value->f64; break;
  case SQ_P_STR: for (uint32_t i = 0; i < n; i++) out->str[i] = value->str; break;
  }
  return FR_OK;
}

/* ------------------------------------------------------------------ casts */

static fr_i128 sq_round_div_i128(fr_i128 v, fr_i128 d) {
  fr_i128 q = v / d, r = v % d;
  if (2 * (r < 0 ? -r : r) >= d)
    q += v < 0 ? -1 : 1;
  return q;
}

static int sq_scale_of(sq_type t) { return t.kind == SQ_T_DECIMAL ? t.scale : 0; }

static fr_status sq_overflow(fr_error *err, sq_type to) {
  char tn[24];
  return fr_error_set(err, FR_ERR_INVALID, "numeric value out of range for %s", sq_type_name(to, tn));
}

/* Limit of an integer/decimal type's magnitude. */
static fr_i128 sq_type_limit(sq_type t) {
  if (t.kind == SQ_T_DECIMAL)
    return sq_pow10(t.width);
  if (t.kind == SQ_T_INT)
    return (fr_i128)INT64_MAX + 1;
  return 0; /* hugeint: unchecked */
}

static size_t sq_text_of(char *buf, sq_type type, const sq_value *v) {
  return sq_format_value(buf, type, v->i64, v->i128, v->f64);
}

/* s without its leading and trailing blanks, NUL-terminated into buf[cap];
 * -1 when that is empty or does not fit. */
static int sq_trimmed_cstr(const sq_str *s, char *buf, size_t cap) {
  size_t a = 0, b = s->len;
  while (a < b && s->ptr[a] == ' ') a++;
  while (b > a && s->ptr[b - 1] == ' ') b--;
  if (b - a == 0 || b - a >= cap)
    return -1;
  memcpy(buf, s->ptr + a, b - a);
  buf[b - a] = '\0';
  return 0;
}

/* The forms of a number DuckDB's string -> integer cast takes beyond plain
 * digits: hexadecimal ('0x10' = 16), a fraction rounded half away from zero
 * ('1.5' = 2), an exponent ('1e3' = 1000).  0 and *v set when s is one of them
 * and fits an int64. */
static int sq_parse_int_loose(const sq_str *s, int64_t *v) {
  char buf[128];
  if (sq_trimmed_cstr(s, buf, sizeof buf) != 0)
    return -1;
  const char *p = buf;
  int neg = *p == '-';
  if (*p == '-' || *p == '+')
    p++;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    uint64_t x = 0;
    if (p[2] == '\0' || neg) /* DuckDB: no sign on hexadecimal */
      return -1;
    for (p += 2; *p; p++) {
      int d = isdigit((unsigned char)*p) ? *p - '0' : isxdigit((unsigned char)*p) ? tolower((unsigned char)*p) - 'a' + 10 : -1;
      if (d < 0 || x > (UINT64_MAX >> 4))
        return -1;
      x = x << 4 | (uint64_t)d;
    }
    if (x > (uint64_t)INT64_MAX)
      return -1;
    *v = (int64_t)x;
    return 0;
  }
  /* digits[.digits] exactly, rounded on the first dropped digit */
  fr_i128 whole = 0;
  const char *q = p;
  while (isdigit((unsigned char)*q)) {
    whole = whole * 10 + (*q++ - '0');
    if (whole > (fr_i128)INT64_MAX + 1)
      return -1;
  }
  if (*q == '.' && (q > p || isdigit((unsigned char)q[1]))) {
    const int up = isdigit((unsigned char)q[1]) && q[1] >= '5';
    for (q++; isdigit((unsigned char)*q); q++) {
    }
    if (*q == '\0') {
      whole += up;
      if (whole > (fr_i128)INT64_MAX + neg)
        return -1;
      *v = (int64_t)(neg ? -whole : whole);
      return 0;
    }
  }
  /* an exponent: through the double (exact for the integers it can hold) */
  char *end = NULL;
  double d = strtod(buf, &end);
  if (end == buf || *end != '\0' || !isfinite(d) || strpbrk(buf, "eE") == NULL)
    return -1;
  d = d < 0 ? -floor(-d + 0.5) : floor(d + 0.5);
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
    return -1;
  *v = (int64_t)d;
  return 0;
}

/* 'inf', 'infinity', 'nan' with an optional sign, any case (DuckDB's double cast). */
static int sq_parse_double_special(const sq_str *s, double *v) {
  char buf[16];
  if (sq_trimmed_cstr(s, buf, sizeof buf) != 0)
    return -1;
  const char *p = buf + (buf[0] == '-' || buf[0] == '+');
  if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0)
    *v = buf[0] == '-' ? -INFINITY : INFINITY;
  else if (strcasecmp(p, "nan") == 0)
    *v = NAN;
  else
    return -1;
  return 0;
}

/* A timestamp in a form DuckDB's cast takes beyond fr_parse_timestamp's: no
 * seconds ('2024-01-01 10:11'), or more than six fraction digits (truncated). */
static fr_parse_why sq_parse_timestamp_loose(int64_t *us, const sq_str *s) {
  fr_parse_why why = fr_parse_timestamp(us, s->ptr, s->len);
  if (why == NULL || s->len >= 64)
    return why;
  char buf[80];
  size_t n = s->len;
  memcpy(buf, s->ptr, n);
  while (n > 0 && buf[n - 1] == ' ') n--;
  buf[n] = '\0';
  const char *dot = strchr(buf, '.');
  if (dot != NULL) { /* keep six fraction digits */
    size_t f = (size_t)(dot - buf) + 1, k = f;
    while (k < n && isdigit((unsigned char)buf[k])) k++;
    if (k - f > 6 && k == n)
      n = f + 6;
  } else if (n == 16 && buf[10] == ' ' && buf[13] == ':') {
    memcpy(buf + n, ":00", 3);
    n += 3;
  }
  return fr_parse_timestamp(us, buf, n) == NULL ? NULL : why;
}

static fr_status sq_parse_to(const sq_str *s, sq_type to, sq_value *out, fr_error *err) {
  fr_parse_why why = NULL;
  char tn[24];
  switch ((sq_kind)to.kind) {
  case SQ_T_INT:
  case SQ_T_HUGEINT:
    why = fr_parse_int64(&out->i64, s->ptr, s->len);
    if (why != NULL && sq_parse_int_loose(s, &out->i64) == 0)
      why = NULL;
    out->i128 = out->i64;
    break;
  case SQ_T_DOUBLE:
    why = fr_parse_float64(&out->f64, s->ptr, s->len);
    if (why != NULL && sq_parse_double_special(s, &out->f64) == 0)
      why = NULL;
    break;
  case SQ_T_BOOL: why = fr_parse_bool(&out->i64, s->ptr, s->len); break;
  case SQ_T_DATE: {
    /* DuckDB casts a timestamp's text to its date */
    int64_t us;
    why = fr_parse_date(&out->i64, s->ptr, s->len);
    if (why != NULL && sq_parse_timestamp_loose(&us, s) == NULL) {
      out->i64 = us >= 0 ? us / FR_US_PER_DAY : -((-us + FR_US_PER_DAY - 1) / FR_US_PER_DAY);
      why = NULL;
    }
    break;
  }
  case SQ_T_TIMESTAMP: why = sq_parse_timestamp_loose(&out->i64, s); break;
  case SQ_T_DECIMAL: {
    double d;
    why = fr_parse_float64(&d, s->ptr, s->len);
    if (why == NULL) {
      /* exact: parse digits directly */
      const char *p = s->ptr, *end = s->ptr + s->len;
      while (p < end && *p == ' ')
        p++;
      int neg = 0;
      if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
      fr_i128 v = 0;
      int frac = -1, ok = 1;
      for (; p < end && *p != ' '; p++) {
        if (*p == '.') {
          frac = 0;
          continue;
        }
        if (*p < '0' || *p > '9') {
          ok = 0;
          break;
        }
        if (frac >= 0) {
          if (frac == to.scale) {
            /* round on the first dropped digit */
            if (*p >= '5')
              v += 1;
            frac++;
            break;
          }
          frac++;
        }
        if (v > sq_pow10(37))
          return sq_overflow(err, to);
        v = v * 10 + (*p - '0');
      }
      if (!ok) {
        /* exponent form: go through the double */
        double scaled = fabs(d) * (double)sq_pow10(to.scale);
        if (!(scaled < 1e38))
          return sq_overflow(err, to);
        v = (fr_i128)(scaled + 0.5);
        frac = to.scale;
      }
      for (int f = frac < 0 ? 0 : frac; f < to.scale; f++) {
        if (v >= sq_pow10(37))
          return sq_overflow(err, to);
        v *= 10;
      }
      if (v >= sq_pow10(to.width))
        return sq_overflow(err, to);
      out->i128 = neg ? -v : v;
      out->i64 = (int64_t)out->i128;
    }
    break;
  }
  case SQ_T_INTERVAL:
    why = "intervals are written as INTERVAL '7 days'";
    break;
  default:
    why = "unsupported";
  }
  if (why != NULL)
    return fr_error_set(err, FR_ERR_INVALID, "could not convert string '%.*s' to %s (%s)",
                        (int)(s->len > 60 ? 60 : s->len), s->ptr, sq_type_name(to, tn), why);
  return FR_OK;
}

fr_status sq_cast_value(const sq_value *in, sq_type to, sq_value *out, fr_arena *arena, fr_error *err) {
  memset(out, 0, sizeof *out);
  out->type = to;
  out->str.ptr = ""; /* a NULL string is empty, never a NULL pointer */
  if (in->is_null || in->type.kind == SQ_T_NULL) {
    out->is_null = 1;
    return FR_OK;
  }
  sq_kind from = (sq_kind)in->type.kind;
  if (sq_type_equal(in->type, to)) {
    *out = *in;
    return FR_OK;
  }
  if (to.kind == SQ_T_VARCHAR) {
    char buf[80];
    size_t len = sq_text_of(buf, in->type, in);
    /* DuckDB's cast writes a timestamp's fraction without trailing zeros
     * ('... 00:00:00.5'; results are rendered with six digits, as its client
     * library does) */
    if (in->type.kind == SQ_T_TIMESTAMP && len > 20 && buf[len - 7] == '.')
      while (buf[len - 1] == '0')
        len--;
    char *text = fr_arena_strndup(arena, buf, len);
    if (text == NULL)
      return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
    out->str.ptr = text;
    out->str.len = (uint32_t)len;
    return FR_OK;
  }
  if (from == SQ_T_VARCHAR)
    return sq_parse_to(&in->str, to, out, err);
  if (from == SQ_T_DATE && to.kind == SQ_T_TIMESTAMP) {
    out->i64 = in->i64 * FR_US_PER_DAY;
    return FR_OK;
  }
  if (from == SQ_T_TIMESTAMP && to.kind == SQ_T_DATE) {
    int64_t d = in->i64 / FR_US_PER_DAY;
    if (in->i64 % FR_US_PER_DAY < 0)
      d--;
    out->i64 = d;
    return FR_OK;
  }
  /* numbers and booleans */
  int from_num = sq_type_is_numeric(in->type) || from == SQ_T_BOOL;
  int to_num = sq_type_is_numeric(to) || to.kind == SQ_T_BOOL;
  if (!from_num || !to_num) {
    char nf[24], nt[24];
    return fr_error_set(err, FR_ERR_INVALID, "cannot cast %s to %s", sq_type_name(in->type, nf), sq_type_name(to, nt));
  }
  if (to.kind == SQ_T_DOUBLE) {
    if (from == SQ_T_DOUBLE)
      out->f64 = in->f64;
    else {
      fr_i128 v = sq_type_phys(in->type) == SQ_P_I128 ? in->i128 : (fr_i128)in->i64;
      out->f64 = (double)v / (double)sq_pow10(sq_scale_of(in->type));
    }
    return FR_OK;
  }
  if (to.kind == SQ_T_BOOL) {
    out->i64 = from == SQ_T_DOUBLE ? in->f64 != 0 : (sq_type_phys(in->type) == SQ_P_I128 ? in->i128 != 0 : in->i64 != 0);
    return FR_OK;
  }
  /* to INT / HUGEINT / DECIMAL */
  int to_scale = sq_scale_of(to);
  fr_i128 v;
  if (from == SQ_T_DOUBLE) {
    double scaled = in->f64 * (double)sq_pow10(to_scale);
    if (!isfinite(scaled) || fabs(scaled) >= 1.7e38)
      return sq_overflow(err, to);
    /* DuckDB: a double becomes an integer rounding half to even (nearbyint),
     * a decimal rounding half away from zero */
    if (to.kind == SQ_T_DECIMAL)
      v = (fr_i128)(scaled < 0 ? -floor(-scaled + 0.5) : floor(scaled + 0.5));
    else
      v = (fr_i128)nearbyint(scaled);
  } else {
    fr_i128 src = sq_type_phys(in->type) == SQ_P_I128 ? in->i128 : (fr_i128)in->i64;
    int from_scale = sq_scale_of(in->type);
    if (to_scale >= from_scale) {
      fr_i128 m = sq_pow10(to_scale - from_scale);
      fr_i128 limit = sq_pow10(38) / m;
      if (src >= limit || src <= -limit)
        return sq_overflow(err, to);
      v = src * m;
    } else {
      v = sq_round_div_i128(src, sq_pow10(from_scale - to_scale));
    }
  }
  fr_i128 limit = sq_type_limit(to);
  if (limit != 0 && (v >= limit || v < -limit))
    return sq_overflow(err, to);
  out->i128 = v;
  out->i64 = (int64_t)v;
  return FR_OK;
}

/* Vector cast: fast paths for the common numeric and time casts, a per-value
 * fallback for the rest. */
static fr_status sq_cast_vec(sq_eval_ctx *ctx, const sq_vec *in, sq_type to, sq_vec *out) {
  uint32_t n = ctx->n;
  if (in->type.kind == SQ_T_NULL)
    return sq_vec_all_null(ctx, to, out);
  FR_TRY(sq_vec_alloc(ctx, to, n, out));
  out->valid = in->valid;
  sq_phys pin = sq_type_phys(in->type), pout = sq_type_phys(to);
  sq_kind from = (sq_kind)in->type.kind;
  int from_scale = sq_scale_of(in->type), to_scale = sq_scale_of(to);
  int int_like_from = from == SQ_T_INT || from == SQ_T_DECIMAL || from == SQ_T_HUGEINT || from == SQ_T_BOOL;
  int int_like_to = to.kind == SQ_T_INT || to.kind == SQ_T_DECIMAL || to.kind == SQ_T_HUGEINT;
  if (int_like_from && int_like_to && to_scale >= from_scale) {
    fr_i128 m = sq_pow10(to_scale - from_scale);
    fr_i128 limit = sq_type_limit(to);
    if (pin == SQ_P_I64 && pout == SQ_P_I64) {
      int64_t m64 = (int64_t)m;
      for (uint32_t i = 0; i < n; i++) {
        int64_t r;
        if (__builtin_mul_overflow(in->i64[i], m64, &r) || (limit != 0 && ((fr_i128)r >= limit || (fr_i128)r < -limit)))
          return sq_overflow(ctx->err, to);
        out->i64[i] = r;
      }
      return FR_OK;
    }
    if (pin == SQ_P_I64 && pout == SQ_P_I128) {
      for (uint32_t i = 0; i < n; i++)
        if (__builtin_mul_overflow((fr_i128)in->i64[i], m, &out->i128[i]) ||
            (limit != 0 && (out->i128[i] >= limit || out->i128[i] <= -limit)))
          return sq_overflow(ctx->err, to);
      return FR_OK;
    }
  }
  if (int_like_from && to.kind == SQ_T_DOUBLE) {
    double d = (double)sq_pow10(from_scale);
    if (pin == SQ_P_I64)
      for (uint32_t i = 0; i < n; i++)
        out->f64[i] = (double)in->i64[i] / d;
    else
      for (uint32_t i = 0; i < n; i++)
        out->f64[i] = (double)in->i128[i] / d;
    return FR_OK;
  }
  if (from == SQ_T_DATE && to.kind == SQ_T_TIMESTAMP) {
    for (uint32_t i = 0; i < n; i++)
      out->i64[i] = in->i64[i] * FR_US_PER_DAY;
    return FR_OK;
  }
  /* general path, one value at a time */
  uint8_t *valid = NULL;
  if (in->valid != NULL) {
    valid = sq_alloc(ctx, n);
    if (valid == NULL)
      return sq_nomem(ctx);
    memcpy(valid, in->valid, n);
  }
  out->valid = valid;
  for (uint32_t i = 0; i < n; i++) {
    if (!sq_vec_valid(in, i))
      continue;
    sq_value v, r;
    sq_vec_get(in, i, &v);
    FR_TRY(sq_cast_value(&v, to, &r, ctx->arena, ctx->err));
    switch (pout) {
    case SQ_P_I64: out->i64[i] = r.i64; break;
    case SQ_P_I128: out->i128[i] = r.i128; break;
    case SQ_P_F64: out->f64[i] = r.f64; break;
    case SQ_P_STR: out->str[i] = r.str; break;
    }
  }
  return FR_OK;
}

/* ------------------------------------------------------------ arithmetic */

static fr_status sq_eval_arith(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out) {
  sq_vec l, r;
  FR_TRY(sq_eval(ctx, e->args[0], &l));
  FR_TRY(sq_eval(ctx, e->args[1], &r));
  uint32_t n = ctx->n;
  FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
  FR_TRY(sq_valid_and(ctx, l.valid, r.valid, n, &out->valid));
  int op = e->op;
  sq_kind lk = (sq_kind)l.type.kind, rk = (sq_kind)r.type.kind;
  /* times */
  if (e->type.kind == SQ_T_TIMESTAMP || e->type.kind == SQ_T_INTERVAL || e->type.kind == SQ_T_DATE ||
      lk == SQ_T_DATE || lk == SQ_T_TIMESTAMP) {
    int64_t sign = op == SQ_OP_SUB ? -1 : 1;
    if (op == SQ_OP_MUL) {
      for (uint32_t i = 0; i < n; i++)
        out->i64[i] = l.i64[i] * r.i64[i];
    } else if (lk == SQ_T_DATE && rk == SQ_T_DATE) {
      for (uint32_t i = 0; i < n; i++)
        out->i64[i] = l.i64[i] - r.i64[i];
    } else {
      for (uint32_t i = 0; i < n; i++)
        out->i64[i] = l.i64[i] + sign * r.i64[i];
    }
    return FR_OK;
  }
  if (e->type.kind == SQ_T_DOUBLE) {
    double *a = l.f64, *b = r.f64, *o = out->f64;
    switch (op) {
    case SQ_OP_ADD: for (uint32_t i = 0; i < n; i++) o[i] = a[i] + b[i]; break;
    case SQ_OP_SUB: for (uint32_t i = 0; i < n; i++) o[i] = a[i] - b[i]; break;
    case SQ_OP_MUL: for (uint32_t i = 0; i < n; i++) o[i] = a[i] * b[i]; break;
    case SQ_OP_DIV: for (uint32_t i = 0; i < n; i++) o[i] = a[i] / b[i]; break; /* IEEE: x/0 = inf */
    case SQ_OP_IDIV:
    case SQ_OP_MOD: {
      /* DuckDB: // and % by zero give NULL */
      if (out->valid == NULL) {
        out->valid = sq_valid_alloc(ctx, n);
        if (out->valid == NULL)
          return sq_nomem(ctx);
      }
      for (uint32_t i = 0; i < n; i++) {
        double d = b[i];
        out->valid[i] &= d != 0;
        double q = d != 0 ? a[i] / d : 0;
        /* DuckDB: // on doubles is plain division (7.5 // 2 = 3.75) */
        o[i] = op == SQ_OP_IDIV ? q : (d != 0 ? fmod(a[i], d) : 0);
      }
      break;
    }
    }
    return FR_OK;
  }
  fr_i128 limit = sq_type_limit(e->type);
  if (sq_type_phys(e->type) == SQ_P_I64 && sq_type_phys(l.type) == SQ_P_I64 && sq_type_phys(r.type) == SQ_P_I64) {
    int64_t *a = l.i64, *b = r.i64, *o = out->i64;
    int overflow = 0;
    switch (op) {
    case SQ_OP_ADD: for (uint32_t i = 0; i < n; i++) overflow |= __builtin_add_overflow(a[i], b[i], &o[i]); break;
    case SQ_OP_SUB: for (uint32_t i = 0; i < n; i++) overflow |= __builtin_sub_overflow(a[i], b[i], &o[i]); break;
    case SQ_OP_MUL: for (uint32_t i = 0; i < n; i++) overflow |= __builtin_mul_overflow(a[i], b[i], &o[i]); break;
    case SQ_OP_IDIV:
    case SQ_OP_MOD:
      if (out->valid == NULL) {
        out->valid = sq_valid_alloc(ctx, n);
        if (out->valid == NULL)
          return sq_nomem(ctx);
      }
      for (uint32_t i = 0; i < n; i++) {
        int64_t d = b[i];
        int ok = d != 0 && !(d == -1 && a[i] == INT64_MIN);
        out->valid[i] &= (uint8_t)(d != 0);
        /* DuckDB: // truncates toward zero like C (-7 // 2 = -3, -7 % 2 = -1) */
        o[i] = !ok ? 0 : op == SQ_OP_IDIV ? a[i] / d : a[i] % d;
      }
      break;
    }
    if (overflow)
      return sq_overflow(ctx->err, e->type);
    if (limit != 0 && e->type.kind == SQ_T_DECIMAL)
      for (uint32_t i = 0; i < n; i++)
        if ((fr_i128)o[i] >= limit || (fr_i128)o[i] <= -limit)
          return sq_overflow(ctx->err, e->type);
    return FR_OK;
  }
  /* int128 path */
  for (uint32_t i = 0; i < n; i++) {
    fr_i128 a = sq_type_phys(l.type) == SQ_P_I128 ? l.i128[i] : (fr_i128)l.i64[i];
    fr_i128 b = sq_type_phys(r.type) == SQ_P_I128 ? r.i128[i] : (fr_i128)r.i64[i];
    fr_i128 v = 0;
    int overflow = 0;
    switch (op) {
    case SQ_OP_ADD: overflow = __builtin_add_overflow(a, b, &v); break;
    case SQ_OP_SUB: overflow = __builtin_sub_overflow(a, b, &v); break;
    case SQ_OP_MUL: overflow = __builtin_mul_overflow(a, b, &v); break;
    case SQ_OP_IDIV:
    case SQ_OP_MOD:
      if (b == 0) {
        if (out->valid == NULL) {
          out->valid = sq_valid_alloc(ctx, n);
          if (out->valid == NULL)
            return sq_nomem(ctx);
        }
        out->valid[i] = 0;
      } else {
        v = op == SQ_OP_MOD ? a % b : a / b;
      }
      break;
    }
    if (sq_vec_valid(out, i) && (overflow || (limit != 0 && (v >= limit || v <= -limit))))
      return sq_overflow(ctx->err, e->type);
    if (sq_type_phys(e->type) == SQ_P_I128)
      out->i128[i] = v;
    else
      out->i64[i] = (int64_t)v;
  }
  return FR_OK;
}

/* ------------------------------------------------------------ comparisons */

static int sq_str_cmp(sq_str a, sq_str b) {
  uint32_t m = a.len < b.len ? a.len : b.len;
  int c = m > 0 ? memcmp(a.ptr, b.ptr, m) : 0;
  if (c != 0)
    return c;
  return a.len < b.len ? -1 : a.len > b.len;
}

#define SQ_CMP_LOOP(A, B, OP) \
  for (uint32_t i = 0; i < n; i++) o[i] = (A) OP (B)

#define SQ_CMP_ALL(OPCODE, A, B)                                 \
  switch (OPCODE) {                                              \
  case SQ_OP_EQ: SQ_CMP_LOOP(A, B, ==); break;                   \
  case SQ_OP_NE: SQ_CMP_LOOP(A, B, !=); break;                   \
  case SQ_OP_LT: SQ_CMP_LOOP(A, B, <); break;                    \
  case SQ_OP_LE: SQ_CMP_LOOP(A, B, <=); break;                   \
  case SQ_OP_GT: SQ_CMP_LOOP(A, B, >); break;                    \
  case SQ_OP_GE: SQ_CMP_LOOP(A, B, >=); break;                   \
  }

/* o[i] = a[i] OP c for strings. */
static void sq_cmp_str_const(const sq_str *a, uint32_t n, sq_str c, int op, int64_t *o) {
  SQ_CMP_ALL(op, sq_str_cmp(a[i], c), 0);
}

static fr_status sq_eval_cmp(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out) {
  uint32_t n = ctx->n;
  const sq_expr *le = e->args[0], *re = e->args[1];
  sq_vec l, r;
  FR_TRY(sq_eval(ctx, le, &l));
  FR_TRY(FR_OK);
  FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
  int64_t *o = out->i64;
  if (e->op == SQ_OP_NSEQ || e->op == SQ_OP_NSNE) {
    /* values compared as by =, then the NULLs: equal when both are NULL,
     * unequal when one is; never NULL itself */
    FR_TRY(sq_eval(ctx, re, &r));
    switch (sq_type_phys(l.type)) {
    case SQ_P_I64: { int64_t *a = l.i64, *b = r.i64; SQ_CMP_ALL(SQ_OP_EQ, a[i], b[i]); break; }
    case SQ_P_I128: { fr_i128 *a = l.i128, *b = r.i128; SQ_CMP_ALL(SQ_OP_EQ, a[i], b[i]); break; }
    case SQ_P_F64: { double *a = l.f64, *b = r.f64; SQ_CMP_ALL(SQ_OP_EQ, a[i], b[i]); break; }
    case SQ_P_STR: { sq_str *a = l.str, *b = r.str; SQ_CMP_ALL(SQ_OP_EQ, sq_str_cmp(a[i], b[i]), 0); break; }
    }
    const int64_t distinct = e->op == SQ_OP_NSNE;
    for (uint32_t i = 0; i < n; i++) {
      const int lv = l.valid == NULL || l.valid[i], rv = r.valid == NULL || r.valid[i];
      const int64_t same = lv && rv ? o[i] != 0 : lv == rv;
      o[i] = same ^ distinct;
    }
    out->valid = NULL;
    return FR_OK;
  }
  /* column op constant: no broadcast of the constant */
  if (re->kind == SQ_E_CONST && !re->value.is_null) {
    out->valid = l.valid;
    switch (sq_type_phys(l.type)) {
    case SQ_P_I64: { int64_t c = re->value.i64; int64_t *a = l.i64; SQ_CMP_ALL(e->op, a[i], c); break; }
    case SQ_P_I128: { fr_i128 c = re->value.i128; fr_i128 *a = l.i128; SQ_CMP_ALL(e->op, a[i], c); break; }
    case SQ_P_F64: { double c = re->value.f64; double *a = l.f64; SQ_CMP_ALL(e->op, a[i], c); break; }
    case SQ_P_STR:
      if (l.codes != NULL && l.n_dict < n) {
        /* compare each dictionary entry once, then map rows by code */
        int64_t *m = sq_alloc(ctx, (size_t)l.n_dict * sizeof *m + 16);
        if (m == NULL)
          return sq_nomem(ctx);
        sq_cmp_str_const(l.dict, l.n_dict, re->value.str, e->op, m);
        for (uint32_t i = 0; i < n; i++)
          o[i] = m[l.codes[i]];
      } else {
        sq_cmp_str_const(l.str, n, re->value.str, e->op, o);
      }
      break;
    }
    return FR_OK;
  }
  FR_TRY(sq_eval(ctx, re, &r));
  FR_TRY(sq_valid_and(ctx, l.valid, r.valid, n, &out->valid));
  switch (sq_type_phys(l.type)) {
  case SQ_P_I64: { int64_t *a = l.i64, *b = r.i64; SQ_CMP_ALL(e->op, a[i], b[i]); break; }
  case SQ_P_I128: { fr_i128 *a = l.i128, *b = r.i128; SQ_CMP_ALL(e->op, a[i], b[i]); break; }
  case SQ_P_F64: { double *a = l.f64, *b = r.f64; SQ_CMP_ALL(e->op, a[i], b[i]); break; }
  case SQ_P_STR: { sq_str *a = l.str, *b = r.str; SQ_CMP_ALL(e->op, sq_str_cmp(a[i], b[i]), 0); break; }
  }
  return FR_OK;
}

/* ------------------------------------------------------------------ LIKE */

/* Unicode simple case mapping of s[0..len) into dst (room for 2 len + 1 bytes:
 * a mapped character is at most half again as long as its UTF-8 form, ASCII
 * stays ASCII), as DuckDB's lower/upper (utf8proc, code point by code point);
 * bytes that are not valid UTF-8 are copied.  Returns the length written. */
static size_t sq_case_map(const char *s, size_t len, char *dst, int upper) {
  size_t at = 0;
  for (size_t i = 0; i < len;) {
    const unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      dst[at++] = (char)(upper ? toupper(c) : tolower(c));
      i++;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) {
      dst[at++] = s[i++];
      continue;
    }
    cp = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
    at += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)dst + at);
    i += (size_t)n;
  }
  return at;
}

static int sq_is_ascii(const char *s, size_t len) {
  unsigned char any = 0;
  for (size_t i = 0; i < len; i++) any |= (unsigned char)s[i];
  return any < 0x80;
}

/* Matches `s` against a LIKE pattern: % any run, _ one UTF-8 character.
 * Iterative with one backtrack point (the last %), linear in practice. */
static int sq_like_match(const unsigned char *s, size_t sn, const unsigned char *p, size_t pn, int ci) {
  size_t si = 0, pi = 0, star_p = (size_t)-1, star_s = 0;
  while (si < sn) {
    if (pi < pn && p[pi] == '%') {
      star_p = ++pi;
      star_s = si;
      continue;
    }
    if (pi < pn && p[pi] == '_') {
      si++;
      while (si < sn && (s[si] & 0xC0) == 0x80)
        si++;
      pi++;
      continue;
    }
    if (pi < pn && (ci ? tolower(p[pi]) == tolower(s[si]) : p[pi] == s[si])) {
      si++;
      pi++;
      continue;
    }
    if (star_p != (size_t)-1) {
      pi = star_p;
      si = ++star_s;
      while (si < sn && (s[si] & 0xC0) == 0x80)
        si = ++star_s;
      continue;
    }
    return 0;
  }
  while (pi < pn && p[pi] == '%')
    pi++;
  return pi == pn;
}

/* ILIKE where either side is not ASCII: both lower-cased by sq_case_map, then
 * LIKE (DuckDB folds them the same way); ASCII compares byte by byte. */
static int sq_ilike(sq_eval_ctx *ctx, sq_str s, sq_str p, int *ok) {
  *ok = 1;
  if (sq_is_ascii(s.ptr, s.len) && sq_is_ascii(p.ptr, p.len))
    return sq_like_match((const unsigned char *)s.ptr, s.len, (const unsigned char *)p.ptr, p.len, 1);
  char *ls = fr_arena_alloc(ctx->arena, 2 * (size_t)s.len + 1), *lp = fr_arena_alloc(ctx->arena, 2 * (size_t)p.len + 1);
  if (ls == NULL || lp == NULL) {
    *ok = 0;
    return 0;
  }
  size_t sn = sq_case_map(s.ptr, s.len, ls, 0), pn = sq_case_map(p.ptr, p.len, lp, 0);
  return sq_like_match((const unsigned char *)ls, sn, (const unsigned char *)lp, pn, 0);
}

static fr_status sq_eval_like(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out) {
  sq_vec s, p;
  FR_TRY(sq_eval(ctx, e->args[0], &s));
  FR_TRY(sq_eval(ctx, e->args[1], &p));
  uint32_t n = ctx->n;
  FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
  FR_TRY(sq_valid_and(ctx, s.valid, p.valid, n, &out->valid));
  if (s.type.kind == SQ_T_NULL || p.type.kind == SQ_T_NULL)
    return FR_OK;
  int neg = e->negated;
  if (s.codes != NULL && s.n_dict < n && e->args[1]->kind == SQ_E_CONST) {
    /* a constant pattern over a dictionary column: match each entry once */
    int64_t *m = sq_alloc(ctx, (size_t)s.n_dict * sizeof *m + 16);
    if (m == NULL)
      return sq_nomem(ctx);
    sq_str pat = e->args[1]->value.str;
    for (uint32_t d = 0; d < s.n_dict; d++) {
      int ok = 1;
      m[d] = (e->ci ? sq_ilike(ctx, s.dict[d], pat, &ok)
                    : sq_like_match((const unsigned char *)s.dict[d].ptr, s.dict[d].len,
                                    (const unsigned char *)pat.ptr, pat.len, 0)) ^ neg;
      if (!ok)
        return sq_nomem(ctx);
    }
    for (uint32_t i = 0; i < n; i++)
      out->i64[i] = m[s.codes[i]];
    return FR_OK;
  }
  for (uint32_t i = 0; i < n; i++) {
    int ok = 1;
    out->i64[i] = (e->ci ? sq_ilike(ctx, s.str[i], p.str[i], &ok)
                         : sq_like_match((const unsigned char *)s.str[i].ptr, s.str[i].len,
                                         (const unsigned char *)p.str[i].ptr, p.str[i].len, 0)) ^ neg;
    if (!ok)
      return sq_nomem(ctx);
  }
  return FR_OK;
}

/* ------------------------------------------------------------- functions */

static fr_status sq_str_out(sq_eval_ctx *ctx, sq_str *dst, const char *src, size_t len) {
  char *copy = fr_arena_alloc(ctx->arena, len == 0 ? 1 : len);
  if (copy == NULL)
    return sq_nomem(ctx);
  if (len > 0)
    memcpy(copy, src, len);
  dst->ptr = copy;
  dst->len = (uint32_t)len;
  return FR_OK;
}

static int64_t sq_utf8_length(sq_str s) {
  int64_t n = 0;
  for (uint32_t i = 0; i < s.len; i++)
    n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
  return n;
}

/* Byte offset of character index `chars` (clamped to the string). */
static uint32_t sq_utf8_offset(sq_str s, int64_t chars) {
  uint32_t i = 0;
  int64_t c = 0;
  while (i < s.len && c < chars) {
    i++;
    while (i < s.len && ((unsigned char)s.ptr[i] & 0xC0) == 0x80)
      i++;
    c++;
  }
  return i;
}

/* DuckDB's substring: 1-based start; a start <= 0 counts positions before
 * the string; a negative start counts from the end. */
static sq_str sq_substr(sq_str s, int64_t start, int64_t len, int has_len) {
  int64_t total = sq_utf8_length(s);
  int64_t from, to;
  if (start > 0) {
    from = start - 1;
  } else if (start == 0) {
    from = -1;
  } else {
    from = total + start;
  }
  if (!has_len)
    to = total;
  else if (len >= 0)
    to = from + len;
  else {
    to = from;
    from = from + len;
  }
  if (from < 0)
    from = 0;
  if (to > total)
    to = total;
  sq_str r = {s.ptr, 0};
  if (to <= from)
    return r;
  uint32_t a = sq_utf8_offset(s, from), b = sq_utf8_offset(s, to);
  r.ptr = s.ptr + a;
  r.len = b - a;
  return r;
}

static void sq_civil(int64_t days, int64_t *y, unsigned *m, unsigned *d) { fr_civil_from_days(days, y, m, d); }

static int64_t sq_floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* Splits microseconds since the epoch into days and time of day. */
static void sq_split_ts(int64_t us, int64_t *days, int64_t *tod) {
  *days = sq_floor_div(us, FR_US_PER_DAY);
  *tod = us - *days * FR_US_PER_DAY;
}

static int sq_part_is(const sq_str *part, const char *a) {
  return strlen(a) == part->len && strncasecmp(part->ptr, a, part->len) == 0;
}
static int sq_part_any(const sq_str *part, const char *a, const char *b) {
  return sq_part_is(part, a) || (b != NULL && sq_part_is(part, b));
}

static int64_t sq_date_trunc(const sq_str *part, int64_t us) {
  int64_t days, tod;
  sq_split_ts(us, &days, &tod);
  int64_t y;
  unsigned m, d;
  if (sq_part_any(part, "microseconds", "microsecond"))
    return us;
  if (sq_part_any(part, "milliseconds", "millisecond"))
    return sq_floor_div(us, 1000) * 1000;
  if (sq_part_any(part, "second", "seconds"))
    return sq_floor_div(us, 1000000) * 1000000;
  if (sq_part_any(part, "minute", "minutes"))
    return sq_floor_div(us, 60000000LL) * 60000000LL;
  if (sq_part_any(part, "hour", "hours"))
    return sq_floor_div(us, 3600000000LL) * 3600000000LL;
  if (sq_part_any(part, "day", "days"))
    return days * FR_US_PER_DAY;
  if (sq_part_any(part, "week", "weeks")) {
    /* ISO weeks start on Monday; 1970-01-01 was a Thursday */
    int64_t dow = ((days % 7) + 7 + 3) % 7; /* 0 = Monday */
    return (days - dow) * FR_US_PER_DAY;
  }
  sq_civil(days, &y, &m, &d);
  if (sq_part_any(part, "month", "months"))
    return fr_days_from_civil(y, m, 1) * FR_US_PER_DAY;
  if (sq_part_any(part, "quarter", "quarters"))
    return fr_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1) * FR_US_PER_DAY;
  if (sq_part_any(part, "year", "years"))
    return fr_days_from_civil(y, 1, 1) * FR_US_PER_DAY;
  if (sq_part_is(part, "decade"))
    return fr_days_from_civil(sq_floor_div(y, 10) * 10, 1, 1) * FR_US_PER_DAY;
  if (sq_part_is(part, "century"))
    return fr_days_from_civil(sq_floor_div(y - 1, 100) * 100 + 1, 1, 1) * FR_US_PER_DAY;
  /* millennium */
  return fr_days_from_civil(sq_floor_div(y - 1, 1000) * 1000 + 1, 1, 1) * FR_US_PER_DAY;
}

/* date_diff(part, start, end) in microseconds since the epoch, as DuckDB counts
 * it: the boundaries of the part crossed going from start to end (the
 * difference of the truncated values in units), except week, which is the
 * whole weeks between the two days (truncated toward zero). */
static int64_t sq_date_diff(const sq_str *part, int64_t from, int64_t to) {
  int64_t d0, t0, d1, t1, y0, y1;
  unsigned m0, m1, day;
  if (sq_part_any(part, "microseconds", "microsecond"))
    return (int64_t)((uint64_t)to - (uint64_t)from); /* wraps only past +-292,000 years */
  if (sq_part_any(part, "milliseconds", "millisecond"))
    return sq_floor_div(to, 1000) - sq_floor_div(from, 1000);
  if (sq_part_any(part, "second", "seconds"))
    return sq_floor_div(to, 1000000) - sq_floor_div(from, 1000000);
  if (sq_part_any(part, "minute", "minutes"))
    return sq_floor_div(to, 60000000LL) - sq_floor_div(from, 60000000LL);
  if (sq_part_any(part, "hour", "hours"))
    return sq_floor_div(to, 3600000000LL) - sq_floor_div(from, 3600000000LL);
  sq_split_ts(from, &d0, &t0);
  sq_split_ts(to, &d1, &t1);
  if (sq_part_any(part, "day", "days"))
    return d1 - d0;
  if (sq_part_any(part, "week", "weeks"))
    return (d1 - d0) / 7;
  sq_civil(d0, &y0, &m0, &day);
  sq_civil(d1, &y1, &m1, &day);
  if (sq_part_any(part, "month", "months"))
    return (y1 * 12 + m1) - (y0 * 12 + m0);
  if (sq_part_any(part, "quarter", "quarters"))
    return (y1 * 4 + (m1 - 1) / 3) - (y0 * 4 + (m0 - 1) / 3);
  if (sq_part_any(part, "year", "years"))
    return y1 - y0;
  return sq_floor_div(y1, 10) - sq_floor_div(y0, 10); /* decade */
}

/* ISO 8601 week number and year of a day. */
static void sq_iso_week(int64_t days, int64_t *iso_year, int64_t *week) {
  int64_t dow = ((days % 7) + 7 + 3) % 7; /* 0 = Monday */
  int64_t thursday = days - dow + 3;
  int64_t y;
  unsigned m, d;
  sq_civil(thursday, &y, &m, &d);
  *iso_year = y;
  *week = (thursday - fr_days_from_civil(y, 1, 1)) / 7 + 1;
}

static double sq_date_part(const sq_str *part, int64_t us, int *is_null) {
  *is_null = 0;
  int64_t days, tod;
  sq_split_ts(us, &days, &tod);
  int64_t y;
  unsigned m, d;
  sq_civil(days, &y, &m, &d);
  if (sq_part_any(part, "year", "years")) return (double)y;
  if (sq_part_any(part, "month", "months")) return m;
  if (sq_part_any(part, "day", "days") || sq_part_is(part, "dayofmonth")) return d;
  if (sq_part_any(part, "hour", "hours")) return (double)(tod / 3600000000LL);
  if (sq_part_any(part, "minute", "minutes")) return (double)(tod / 60000000LL % 60);
  if (sq_part_any(part, "second", "seconds")) return (double)(tod / 1000000 % 60);
  if (sq_part_any(part, "millisecond", "milliseconds")) return (double)(tod / 1000 % 60000);
  if (sq_part_any(part, "microsecond", "microseconds")) return (double)(tod % 60000000LL);
  if (sq_part_any(part, "dow", "dayofweek")) return (double)(((days % 7) + 7 + 4) % 7); /* 0 = Sunday */
  if (sq_part_is(part, "isodow")) return (double)(((days % 7) + 7 + 3) % 7 + 1);
  if (sq_part_any(part, "doy", "dayofyear")) return (double)(days - fr_days_from_civil(y, 1, 1) + 1);
  if (sq_part_any(part, "week", "weeks") || sq_part_is(part, "weekofyear")) {
    int64_t iy, w;
    sq_iso_week(days, &iy, &w);
    return (double)w;
  }
  if (sq_part_is(part, "isoyear")) {
    int64_t iy, w;
    sq_iso_week(days, &iy, &w);
    return (double)iy;
  }
  if (sq_part_is(part, "yearweek")) {
    int64_t iy, w;
    sq_iso_week(days, &iy, &w);
    return (double)(iy * 100 + w);
  }
  if (sq_part_is(part, "quarter")) return (double)((m - 1) / 3 + 1);
  if (sq_part_is(part, "epoch")) return (double)us / 1e6;
  if (sq_part_is(part, "decade")) return (double)sq_floor_div(y, 10);
  if (sq_part_is(part, "century")) return (double)(y > 0 ? (y - 1) / 100 + 1 : -((-y) / 100 + 1));
  if (sq_part_is(part, "millennium")) return (double)(y > 0 ? (y - 1) / 1000 + 1 : -((-y) / 1000 + 1));
  *is_null = 1;
  return 0;
}

static const char *const sq_day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const sq_month_names[] = {"January", "February", "March", "April", "May", "June", "July",
                                             "August", "September", "October", "November", "December"};

static size_t sq_strftime(char *out, size_t cap, sq_str fmt, int64_t us) {
  int64_t days, tod;
  sq_split_ts(us, &days, &tod);
  int64_t y;
  unsigned m, d;
  sq_civil(days, &y, &m, &d);
  int dow = (int)(((days % 7) + 7 + 4) % 7);
  unsigned hh = (unsigned)(tod / 3600000000LL), mi = (unsigned)(tod / 60000000LL % 60),
           ss = (unsigned)(tod / 1000000 % 60);
  unsigned micros = (unsigned)(tod % 1000000);
  size_t len = 0;
  for (uint32_t i = 0; i < fmt.len && len + 40 < cap; i++) {
    char c = fmt.ptr[i];
    if (c != '%' || i + 1 >= fmt.len) {
      out[len++] = c;
      continue;
    }
    char f = fmt.ptr[++i];
    int w = 0;
    switch (f) {
    case 'Y': w = snprintf(out + len, cap - len, "%04lld", (long long)y); break;
    case 'y': w = snprintf(out + len, cap - len, "%02lld", (long long)(y % 100)); break;
    case 'm': w = snprintf(out + len, cap - len, "%02u", m); break;
    case '-': /* %-m, %-d, %-H, %-M, %-S, %-j, %-I, %-y: no padding */
      if (i + 1 < fmt.len) {
        char g = fmt.ptr[++i];
        long long v = g == 'm' ? m : g == 'd' ? d : g == 'H' ? hh : g == 'M' ? mi : g == 'S' ? ss
                    : g == 'j' ? (long long)(days - fr_days_from_civil(y, 1, 1) + 1)
                    : g == 'I' ? (hh % 12 == 0 ? 12 : hh % 12) : g == 'y' ? (long long)(y % 100) : 0;
        w = snprintf(out + len, cap - len, "%lld", v);
      }
      break;
    case 'U': /* week of the year, weeks starting on Sunday (days before the first Sunday: week 0) */
    case 'W': { /* the same with Monday */
      const int64_t yday = days - fr_days_from_civil(y, 1, 1);
      const int64_t wday = f == 'U' ? dow : (dow + 6) % 7;
      w = snprintf(out + len, cap - len, "%02lld", (long long)((yday + 7 - wday) / 7));
      break;
    }
    case 'c': w = snprintf(out + len, cap - len, "%04lld-%02u-%02u %02u:%02u:%02u", (long long)y, m, d, hh, mi, ss); break;
    case 'x': w = snprintf(out + len, cap - len, "%04lld-%02u-%02u", (long long)y, m, d); break;
    case 'X': w = snprintf(out + len, cap - len, "%02u:%02u:%02u", hh, mi, ss); break;
    case 'n': w = snprintf(out + len, cap - len, "%09llu", (unsigned long long)micros * 1000); break;
    case 'd': w = snprintf(out + len, cap - len, "%02u", d); break;
    case 'e': w = snprintf(out + len, cap - len, "%2u", d); break;
    case 'H': w = snprintf(out + len, cap - len, "%02u", hh); break;
    case 'I': w = snprintf(out + len, cap - len, "%02u", hh % 12 == 0 ? 12 : hh % 12); break;
    case 'p': w = snprintf(out + len, cap - len, "%s", hh < 12 ? "AM" : "PM"); break;
    case 'M': w = snprintf(out + len, cap - len, "%02u", mi); break;
    case 'S': w = snprintf(out + len, cap - len, "%02u", ss); break;
    case 'f': w = snprintf(out + len, cap - len, "%06u", micros); break;
    case 'g': w = snprintf(out + len, cap - len, "%03u", micros / 1000); break;
    case 'j': w = snprintf(out + len, cap - len, "%03lld", (long long)(days - fr_days_from_civil(y, 1, 1) + 1)); break;
    case 'a': w = snprintf(out + len, cap - len, "%.3s", sq_day_names[dow]); break;
    case 'A': w = snprintf(out + len, cap - len, "%s", sq_day_names[dow]); break;
    case 'b':
    case 'h': w = snprintf(out + len, cap - len, "%.3s", sq_month_names[m - 1]); break;
    case 'B': w = snprintf(out + len, cap - len, "%s", sq_month_names[m - 1]); break;
    case 'w': w = snprintf(out + len, cap - len, "%d", dow); break;
    case 'u': w = snprintf(out + len, cap - len, "%d", dow == 0 ? 7 : dow); break;
    case 'F': w = snprintf(out + len, cap - len, "%04lld-%02u-%02u", (long long)y, m, d); break;
    case 'T': w = snprintf(out + len, cap - len, "%02u:%02u:%02u", hh, mi, ss); break;
    case 'V': {
      int64_t iy, wk;
      sq_iso_week(days, &iy, &wk);
      w = snprintf(out + len, cap - len, "%02lld", (long long)wk);
      break;
    }
    case 'G': {
      int64_t iy, wk;
      sq_iso_week(days, &iy, &wk);
      w = snprintf(out + len, cap - len, "%04lld", (long long)iy);
      break;
    }
    case '%': out[len++] = '%'; break;
    default:
      out[len++] = '%';
      out[len++] = f;
    }
    if (w > 0)
      len += (size_t)w;
  }
  return len;
}

static double sq_round_half_away(double x) { return x < 0 ? -floor(-x + 0.5) : floor(x + 0.5); }

static fr_status sq_eval_func(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out) {
  uint32_t n = ctx->n;
  sq_vec a[64];
  int n_args = e->n_args < 64 ? e->n_args : 64;
  for (int i = 0; i < n_args; i++)
    FR_TRY(sq_eval(ctx, e->args[i], &a[i]));
  FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
  /* Default validity: AND of all arguments (concat() and the like override). */
  uint8_t *valid = NULL;
  for (int i = 0; i < n_args; i++)
    FR_TRY(sq_valid_and(ctx, valid, a[i].valid, n, &valid));
  out->valid = valid;
  sq_phys p0 = sq_type_phys(a[0].type);
  sq_kind k0 = (sq_kind)a[0].type.kind;
  switch (e->fn) {
  case SQ_F_ABS:
    if (p0 == SQ_P_F64)
      for (uint32_t i = 0; i < n; i++) out->f64[i] = fabs(a[0].f64[i]);
    else if (p0 == SQ_P_I128)
      for (uint32_t i = 0; i < n; i++) out->i128[i] = a[0].i128[i] < 0 ? -a[0].i128[i] : a[0].i128[i];
    else
      for (uint32_t i = 0; i < n; i++) {
        if (a[0].i64[i] == INT64_MIN)
          return sq_overflow(ctx->err, e->type);
        out->i64[i] = a[0].i64[i] < 0 ? -a[0].i64[i] : a[0].i64[i];
      }
    return FR_OK;
  case SQ_F_SIGN:
    for (uint32_t i = 0; i < n; i++) {
      if (p0 == SQ_P_F64) out->i64[i] = (a[0].f64[i] > 0) - (a[0].f64[i] < 0);
      else if (p0 == SQ_P_I128) out->i64[i] = (a[0].i128[i] > 0) - (a[0].i128[i] < 0);
      else out->i64[i] = (a[0].i64[i] > 0) - (a[0].i64[i] < 0);
    }
    return FR_OK;
  case SQ_F_ROUND:
  case SQ_F_FLOOR:
  case SQ_F_CEIL: {
    if (k0 == SQ_T_DOUBLE) {
      double scale = pow(10.0, e->fn == SQ_F_ROUND ? e->op : 0);
      for (uint32_t i = 0; i < n; i++) {
        double x = a[0].f64[i];
        if (e->fn == SQ_F_FLOOR) out->f64[i] = floor(x);
        else if (e->fn == SQ_F_CEIL) out->f64[i] = ceil(x);
        else if (e->op >= 0) {
          double r = sq_round_half_away(x * scale) / scale;
          out->f64[i] = isfinite(r) ? r : x;
        } else {
          /* past 10^308 the scale is infinite and x / s * s NaN: every
           * finite x rounds to 0 there (DuckDB) */
          double s = pow(10.0, -e->op);
          out->f64[i] = isfinite(s) ? sq_round_half_away(x / s) * s : isfinite(x) ? 0.0 : x;
        }
      }
      return FR_OK;
    }
    if (k0 == SQ_T_INT || k0 == SQ_T_HUGEINT) {
      if (e->fn == SQ_F_ROUND && e->op < 0) {
        fr_i128 s = sq_pow10(-e->op);
        for (uint32_t i = 0; i < n; i++) {
          fr_i128 v = p0 == SQ_P_I128 ? a[0].i128[i] : a[0].i64[i];
          v = sq_round_div_i128(v, s) * s;
          if (p0 == SQ_P_I128) out->i128[i] = v; else out->i64[i] = (int64_t)v;
        }
      } else {
        memcpy(out->data, a[0].data, (size_t)n * (p0 == SQ_P_I128 ? 16 : 8));
      }
      return FR_OK;
    }
    if (k0 == SQ_T_NULL)
      return FR_OK;
    /* DECIMAL(w,s) -> DECIMAL(w,s') */
    int drop = a[0].type.scale - e->type.scale;
    int keep_neg_digits = e->fn == SQ_F_ROUND && e->op < 0 ? -e->op : 0;
    fr_i128 div = sq_pow10(drop), mul = 1;
    if (keep_neg_digits > 0) {
      div = sq_pow10(drop + keep_neg_digits);
      mul = sq_pow10(keep_neg_digits);
    }
    for (uint32_t i = 0; i < n; i++) {
      fr_i128 v = p0 == SQ_P_I128 ? a[0].i128[i] : (fr_i128)a[0].i64[i];
      fr_i128 r;
      if (e->fn == SQ_F_ROUND) {
        r = sq_round_div_i128(v, div) * mul;
      } else {
        r = v / div;
        if (v % div != 0) {
          if (e->fn == SQ_F_FLOOR && v < 0) r--;
          if (e->fn == SQ_F_CEIL && v > 0) r++;
        }
      }
      if (sq_type_phys(e->type) == SQ_P_I128) out->i128[i] = r; else out->i64[i] = (int64_t)r;
    }
    return FR_OK;
  }
  case SQ_F_SQRT:
    for (uint32_t i = 0; i < n; i++) {
      double x = a[0].f64[i];
      if (x < 0 && sq_vec_valid(&a[0], i))
        return fr_error_set(ctx->err, FR_ERR_INVALID, "cannot take the square root of a negative number");
      out->f64[i] = sqrt(x < 0 ? 0 : x);
    }
    return FR_OK;
  case SQ_F_LN:
    for (uint32_t i = 0; i < n; i++) {
      double x = a[0].f64[i];
      if (x <= 0 && sq_vec_valid(&a[0], i))
        return fr_error_set(ctx->err, FR_ERR_INVALID, "cannot take the logarithm of zero or a negative number");
      out->f64[i] = x > 0 ? log(x) : 0;
    }
    return FR_OK;
  case SQ_F_POW:
    for (uint32_t i = 0; i < n; i++)
      out->f64[i] = pow(a[0].f64[i], a[1].f64[i]);
    return FR_OK;
  case SQ_F_LOWER:
  case SQ_F_UPPER:
    for (uint32_t i = 0; i < n; i++) {
      sq_str s = a[0].str[i];
      char *t = fr_arena_alloc(ctx->arena, 2 * (size_t)s.len + 1);
      if (t == NULL)
        return sq_nomem(ctx);
      out->str[i].ptr = t;
      out->str[i].len = (uint32_t)sq_case_map(s.ptr, s.len, t, e->fn == SQ_F_UPPER);
    }
    return FR_OK;
  case SQ_F_TRIM:
    for (uint32_t i = 0; i < n; i++) {
      sq_str s = a[0].str[i];
      while (s.len > 0 && s.ptr[0] == ' ') {
        s.ptr++;
        s.len--;
      }
      while (s.len > 0 && s.ptr[s.len - 1] == ' ')
        s.len--;
      out->str[i] = s;
    }
    return FR_OK;
  case SQ_F_LENGTH:
    for (uint32_t i = 0; i < n; i++)
      out->i64[i] = sq_utf8_length(a[0].str[i]);
    return FR_OK;
  case SQ_F_SUBSTR:
    for (uint32_t i = 0; i < n; i++)
      out->str[i] = sq_substr(a[0].str[i], a[1].i64[i], n_args > 2 ? a[2].i64[i] : 0, n_args > 2);
    return FR_OK;
  case SQ_F_LEFT:
  case SQ_F_RIGHT:
    for (uint32_t i = 0; i < n; i++) {
      sq_str s = a[0].str[i];
      int64_t k = a[1].i64[i], total = sq_utf8_length(s);
      if (k < 0)
        k = total + k > 0 ? total + k : 0;
      if (k > total)
        k = total;
      uint32_t cut = sq_utf8_offset(s, e->fn == SQ_F_LEFT ? k : total - k);
      out->str[i] = e->fn == SQ_F_LEFT ? (sq_str){s.ptr, cut} : (sq_str){s.ptr + cut, s.len - cut};
    }
    return FR_OK;
  case SQ_F_CONTAINS:
  case SQ_F_STARTS_WITH:
    for (uint32_t i = 0; i < n; i++) {
      sq_str s = a[0].str[i], t = a[1].str[i];
      if (e->fn == SQ_F_STARTS_WITH)
        out->i64[i] = t.len <= s.len && (t.len == 0 || memcmp(s.ptr, t.ptr, t.len) == 0);
      else
        out->i64[i] = t.len == 0 || (s.len >= t.len && memmem(s.ptr, s.len, t.ptr, t.len) != NULL);
    }
    return FR_OK;
  case SQ_F_REPLACE:
    for (uint32_t i = 0; i < n; i++) {
      sq_str s = a[0].str[i], from = a[1].str[i], to = a[2].str[i];
      if (from.len == 0) {
        out->str[i] = s;
        continue;
      }
      size_t count = 0;
      for (const char *q = s.ptr; (q = memmem(q, (size_t)(s.ptr + s.len - q), from.ptr, from.len)) != NULL; q += from.len)
        count++;
      size_t len = s.len + count * to.len - count * from.len;
      char *t = fr_arena_alloc(ctx->arena, len + 1);
      if (t == NULL)
        return sq_nomem(ctx);
      size_t k = 0;
      const char *q = s.ptr, *end = s.ptr + s.len;
      while (q < end) {
        const char *hit = memmem(q, (size_t)(end - q), from.ptr, from.len);
        if (hit == NULL) {
          memcpy(t + k, q, (size_t)(end - q));
          k += (size_t)(end - q);
          break;
        }
        memcpy(t + k, q, (size_t)(hit - q));
        k += (size_t)(hit - q);
        memcpy(t + k, to.ptr, to.len);
        k += to.len;
        q = hit + from.len;
      }
      out->str[i].ptr = t;
      out->str[i].len = (uint32_t)k;
    }
    return FR_OK;
  case SQ_F_CONCAT: {
    if (e->op == 0)
      out->valid = NULL; /* concat() skips NULLs */
    for (uint32_t i = 0; i < n; i++) {
      size_t len = 0;
      for (int j = 0; j < n_args; j++)
        if (sq_vec_valid(&a[j], i))
          len += a[j].str[i].len;
      char *t = fr_arena_alloc(ctx->arena, len == 0 ? 1 : len);
      if (t == NULL)
        return sq_nomem(ctx);
      size_t k = 0;
      for (int j = 0; j < n_args; j++)
        if (sq_vec_valid(&a[j], i) && a[j].str[i].len > 0) {
          memcpy(t + k, a[j].str[i].ptr, a[j].str[i].len);
          k += a[j].str[i].len;
        }
      out->str[i].ptr = t;
      out->str[i].len = (uint32_t)k;
    }
    return FR_OK;
  }
  case SQ_F_NULLIF: {
    /* NULL when equal, else the first argument */
    uint8_t *v = sq_alloc(ctx, n);
    if (v == NULL)
      return sq_nomem(ctx);
    size_t width = sq_phys_size(e->type);
    for (uint32_t i = 0; i < n; i++) {
      int equal;
      switch (p0) {
      case SQ_P_I64: equal = a[0].i64[i] == a[1].i64[i]; break;
      case SQ_P_I128: equal = a[0].i128[i] == a[1].i128[i]; break;
      case SQ_P_F64: equal = a[0].f64[i] == a[1].f64[i]; break;
      default: equal = sq_str_cmp(a[0].str[i], a[1].str[i]) == 0; break;
      }
      v[i] = (uint8_t)(sq_vec_valid(&a[0], i) && !(sq_vec_valid(&a[1], i) && equal));
    }
    memcpy(out->data, a[0].data, (size_t)n * width);
    out->valid = v;
    return FR_OK;
  }
  case SQ_F_GREATEST:
  case SQ_F_LEAST: {
    /* NULL arguments are skipped (DuckDB) */
    uint8_t *v = sq_alloc(ctx, n);
    if (v == NULL)
      return sq_nomem(ctx);
    int want = e->fn == SQ_F_GREATEST ? 1 : -1;
    for (uint32_t i = 0; i < n; i++) {
      int best = -1;
      for (int j = 0; j < n_args; j++) {
        if (!sq_vec_valid(&a[j], i))
          continue;
        if (best < 0) {
          best = j;
          continue;
        }
        int c;
        switch (p0) {
        case SQ_P_I64: c = (a[j].i64[i] > a[best].i64[i]) - (a[j].i64[i] < a[best].i64[i]); break;
        case SQ_P_I128: c = (a[j].i128[i] > a[best].i128[i]) - (a[j].i128[i] < a[best].i128[i]); break;
        case SQ_P_F64: c = (a[j].f64[i] > a[best].f64[i]) - (a[j].f64[i] < a[best].f64[i]); break;
        default: c = sq_str_cmp(a[j].str[i], a[best].str[i]); break;
        }
        if (c * want > 0)
          best = j;
      }
      v[i] = best >= 0;
      if (best < 0)
        continue;
      switch (p0) {
      case SQ_P_I64: out->i64[i] = a[best].i64[i]; break;
      case SQ_P_I128: out->i128[i] = a[best].i128[i]; break;
      case SQ_P_F64: out->f64[i] = a[best].f64[i]; break;
      default: out->str[i] = a[best].str[i]; break;
      }
    }
    out->valid = v;
    return FR_OK;
  }
  case SQ_F_DATE_DIFF: {
    if (a[1].type.kind == SQ_T_NULL || a[2].type.kind == SQ_T_NULL)
      return FR_OK;
    const sq_str part = e->args[0]->value.str;
    const int64_t scale0 = a[1].type.kind == SQ_T_DATE ? FR_US_PER_DAY : 1,
                  scale1 = a[2].type.kind == SQ_T_DATE ? FR_US_PER_DAY : 1;
    for (uint32_t i = 0; i < n; i++) /* a NULL row's value is not read (a date of it could overflow) */
      out->i64[i] = out->valid != NULL && !out->valid[i] ? 0 : sq_date_diff(&part, a[1].i64[i] * scale0, a[2].i64[i] * scale1);
    return FR_OK;
  }
  case SQ_F_DATE_TRUNC:
  case SQ_F_DATE_PART:
  case SQ_F_YEAR:
  case SQ_F_MONTH:
  case SQ_F_DAY:
  case SQ_F_HOUR: {
    const sq_vec *t = e->fn == SQ_F_DATE_TRUNC || e->fn == SQ_F_DATE_PART ? &a[1] : &a[0];
    int is_date = t->type.kind == SQ_T_DATE;
    sq_str part = e->fn == SQ_F_DATE_TRUNC || e->fn == SQ_F_DATE_PART ? e->args[0]->value.str
                : (sq_str){e->fn == SQ_F_YEAR ? "year" : e->fn == SQ_F_MONTH ? "month" : e->fn == SQ_F_DAY ? "day" : "hour", 0};
    if (part.len == 0)
      part.len = (uint32_t)strlen(part.ptr);
    if (t->type.kind == SQ_T_NULL)
      return FR_OK;
    for (uint32_t i = 0; i < n; i++) {
      int64_t us = is_date ? t->i64[i] * FR_US_PER_DAY : t->i64[i];
      if (e->fn == SQ_F_DATE_TRUNC) {
        out->i64[i] = sq_date_trunc(&part, us);
      } else {
        int unknown;
        double v = sq_date_part(&part, us, &unknown);
        if (e->type.kind == SQ_T_DOUBLE)
          out->f64[i] = v;
        else
          out->i64[i] = (int64_t)v;
      }
    }
    return FR_OK;
  }
  case SQ_F_STRFTIME: {
    int is_date = a[0].type.kind == SQ_T_DATE;
    sq_str fmt = e->args[1]->value.str;
    for (uint32_t i = 0; i < n; i++) {
      if (!sq_vec_valid(&a[0], i))
        continue;
      char buf[512];
      size_t len = sq_strftime(buf, sizeof buf, fmt, is_date ? a[0].i64[i] * FR_US_PER_DAY : a[0].i64[i]);
      FR_TRY(sq_str_out(ctx, &out->str[i], buf, len));
    }
    return FR_OK;
  }
  }
  return fr_error_set(ctx->err, FR_ERR_UNSUPPORTED, "function not implemented");
}

/* ------------------------------------------------------------------ eval */

static fr_status sq_eval_bool_op(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out) {
  /* Three-valued logic: FALSE AND NULL = FALSE, TRUE OR NULL = TRUE. */
  sq_vec l, r;
  FR_TRY(sq_eval(ctx, e->args[0], &l));
  FR_TRY(sq_eval(ctx, e->args[1], &r));
  uint32_t n = ctx->n;
  FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
  int is_and = e->kind == SQ_E_AND;
  if (l.valid == NULL && r.valid == NULL) {
    if (is_and)
      for (uint32_t i = 0; i < n; i++) out->i64[i] = l.i64[i] & r.i64[i];
    else
      for (uint32_t i = 0; i < n; i++) out->i64[i] = l.i64[i] | r.i64[i];
    return FR_OK;
  }
  out->valid = sq_alloc(ctx, n);
  if (out->valid == NULL)
    return sq_nomem(ctx);
  for (uint32_t i = 0; i < n; i++) {
    int lv = sq_vec_valid(&l, i), rv = sq_vec_valid(&r, i);
    int64_t a = l.i64[i], b = r.i64[i];
    if (is_and) {
      int known_false = (lv && !a) || (rv && !b);
      out->valid[i] = (uint8_t)(known_false || (lv && rv));
      out->i64[i] = known_false ? 0 : (a & b);
    } else {
      int known_true = (lv && a) || (rv && b);
      out->valid[i] = (uint8_t)(known_true || (lv && rv));
      out->i64[i] = known_true ? 1 : 0;
    }
  }
  return FR_OK;
}

static fr_status sq_eval_in(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out) {
  /* x IN (a, b, ...): TRUE if equal to one; NULL if none equal and x or some
   * item is NULL; else FALSE. */
  sq_vec x;
  FR_TRY(sq_eval(ctx, e->args[0], &x));
  uint32_t n = ctx->n;
  FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
  uint8_t *found = sq_alloc(ctx, n), *unknown = sq_alloc(ctx, n);
  if (found == NULL || unknown == NULL)
    return sq_nomem(ctx);
  memset(found, 0, n);
  memset(unknown, 0, n);
  sq_phys p = sq_type_phys(x.type);
  int all_const = 1;
  for (int j = 1; j < e->n_args; j++) all_const &= e->args[j]->kind == SQ_E_CONST;
  if (all_const) {
    /* a list of constants (the usual case): no broadcast vectors; over a
     * dictionary column each entry is looked up once, rows map by code */
    int null_item = 0;
    for (int j = 1; j < e->n_args; j++) null_item |= e->args[j]->value.is_null;
    memset(unknown, null_item, n);
    if (p == SQ_P_STR && x.codes != NULL && x.n_dict < n) {
      uint8_t *in_dict = sq_alloc(ctx, (size_t)x.n_dict + 16);
      if (in_dict == NULL)
        return sq_nomem(ctx);
      for (uint32_t d = 0; d < x.n_dict; d++) {
        uint8_t eq = 0;
        for (int j = 1; j < e->n_args; j++)
          eq |= !e->args[j]->value.is_null && sq_str_cmp(x.dict[d], e->args[j]->value.str) == 0;
        in_dict[d] = eq;
      }
      for (uint32_t i = 0; i < n; i++) found[i] = in_dict[x.codes[i]];
    } else {
      for (int j = 1; j < e->n_args; j++) {
        const sq_value *c = &e->args[j]->value;
        if (c->is_null)
          continue;
        switch (p) {
        case SQ_P_I64: for (uint32_t i = 0; i < n; i++) found[i] |= x.i64[i] == c->i64; break;
        case SQ_P_I128: for (uint32_t i = 0; i < n; i++) found[i] |= x.i128[i] == c->i128; break;
        case SQ_P_F64: for (uint32_t i = 0; i < n; i++) found[i] |= x.f64[i] == c->f64; break;
        default: for (uint32_t i = 0; i < n; i++) found[i] |= sq_str_cmp(x.str[i], c->str) == 0; break;
        }
      }
    }
  }
  for (int j = 1; j < e->n_args && !all_const; j++) {
    sq_vec item;
    FR_TRY(sq_eval(ctx, e->args[j], &item));
    for (uint32_t i = 0; i < n; i++) {
      if (!sq_vec_valid(&item, i)) {
        unknown[i] = 1;
        continue;
      }
      int eq;
      switch (p) {
      case SQ_P_I64: eq = x.i64[i] == item.i64[i]; break;
      case SQ_P_I128: eq = x.i128[i] == item.i128[i]; break;
      case SQ_P_F64: eq = x.f64[i] == item.f64[i]; break;
      default: eq = sq_str_cmp(x.str[i], item.str[i]) == 0; break;
      }
      found[i] |= (uint8_t)eq;
    }
  }
  int any_null = 0;
  for (uint32_t i = 0; i < n; i++) {
    int valid = sq_vec_valid(&x, i) && (found[i] || !unknown[i]);
    any_null |= !valid;
    out->i64[i] = found[i] ^ (e->negated & 1);
    unknown[i] = (uint8_t)valid;
  }
  out->valid = any_null ? unknown : NULL;
  return FR_OK;
}

static fr_status sq_eval_case(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out) {
  uint32_t n = ctx->n;
  int n_pairs = (e->n_args - 1) / 2;
  FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
  out->valid = sq_alloc(ctx, n);
  uint8_t *done = sq_alloc(ctx, n);
  if (out->valid == NULL || done == NULL)
    return sq_nomem(ctx);
  memset(done, 0, n);
  size_t width = sq_phys_size(e->type);
  /* Every branch is evaluated over the whole batch (no side effects, and
   * errors in branches not taken are avoided by DuckDB too only for constants:
   * we accept evaluating them). */
  for (int k = 0; k <= n_pairs; k++) {
    sq_vec cond, value;
    int is_else = k == n_pairs;
    if (!is_else)
      FR_TRY(sq_eval(ctx, e->args[2 * k], &cond));
    FR_TRY(sq_eval(ctx, e->args[is_else ? 2 * n_pairs : 2 * k + 1], &value));
    for (uint32_t i = 0; i < n; i++) {
      if (done[i])
        continue;
      if (!is_else && !(sq_vec_valid(&cond, i) && cond.i64[i]))
        continue;
      done[i] = 1;
      out->valid[i] = (uint8_t)sq_vec_valid(&value, i);
      memcpy((char *)out->data + i * width, (const char *)value.data + i * width, width);
    }
  }
  return FR_OK;
}

fr_status sq_eval(sq_eval_ctx *ctx, const sq_expr *e, sq_vec *out) {
  uint32_t n = ctx->n;
  switch (e->kind) {
  case SQ_E_COL:
    *out = ctx->cols[e->col];
    out->n = n;
    return FR_OK;
  case SQ_E_CONST:
    return sq_eval_const(ctx, &e->value, e->type, out);
  case SQ_E_CAST: {
    sq_vec in;
    FR_TRY(sq_eval(ctx, e->args[0], &in));
    return sq_cast_vec(ctx, &in, e->type, out);
  }
  case SQ_E_ARITH:
    return sq_eval_arith(ctx, e, out);
  case SQ_E_NEG: {
    sq_vec in;
    FR_TRY(sq_eval(ctx, e->args[0], &in));
    FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
    out->valid = in.valid;
    switch (sq_type_phys(in.type)) {
    case SQ_P_I64:
      for (uint32_t i = 0; i < n; i++) {
        if (in.i64[i] == INT64_MIN)
          return sq_overflow(ctx->err, e->type);
        out->i64[i] = -in.i64[i];
      }
      break;
    case SQ_P_I128: for (uint32_t i = 0; i < n; i++) out->i128[i] = -in.i128[i]; break;
    case SQ_P_F64: for (uint32_t i = 0; i < n; i++) out->f64[i] = -in.f64[i]; break;
    default: break;
    }
    return FR_OK;
  }
  case SQ_E_CMP:
    return sq_eval_cmp(ctx, e, out);
  case SQ_E_AND:
  case SQ_E_OR:
    return sq_eval_bool_op(ctx, e, out);
  case SQ_E_NOT: {
    sq_vec in;
    FR_TRY(sq_eval(ctx, e->args[0], &in));
    FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
    out->valid = in.valid;
    for (uint32_t i = 0; i < n; i++)
      out->i64[i] = !in.i64[i];
    return FR_OK;
  }
  case SQ_E_ISNULL: {
    sq_vec in;
    FR_TRY(sq_eval(ctx, e->args[0], &in));
    FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
    for (uint32_t i = 0; i < n; i++)
      out->i64[i] = (!sq_vec_valid(&in, i)) ^ (e->negated & 1);
    return FR_OK;
  }
  case SQ_E_IN:
    return sq_eval_in(ctx, e, out);
  case SQ_E_LIKE:
    return sq_eval_like(ctx, e, out);
  case SQ_E_CASE:
    return sq_eval_case(ctx, e, out);
  case SQ_E_COALESCE: {
    FR_TRY(sq_vec_alloc(ctx, e->type, n, out));
    out->valid = sq_alloc(ctx, n);
    if (out->valid == NULL)
      return sq_nomem(ctx);
    memset(out->valid, 0, n);
    size_t width = sq_phys_size(e->type);
    for (int k = 0; k < e->n_args; k++) {
      sq_vec v;
      FR_TRY(sq_eval(ctx, e->args[k], &v));
      for (uint32_t i = 0; i < n; i++)
        if (!out->valid[i] && sq_vec_valid(&v, i)) {
          out->valid[i] = 1;
          memcpy((char *)out->data + i * width, (const char *)v.data + i * width, width);
        }
    }
    return FR_OK;
  }
  case SQ_E_FUNC:
    return sq_eval_func(ctx, e, out);
  case SQ_E_WINREF:
    return fr_error_set(ctx->err, FR_ERR_UNSUPPORTED, "internal error: unplanned window reference");
  }
  return fr_error_set(ctx->err, FR_ERR_UNSUPPORTED, "internal error: unknown expression");
}
