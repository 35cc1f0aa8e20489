/* sql_types.c - type names and DuckDB's text rendering of SQL values. */
#include "sql_types.h"

#include <stdio.h>
#include <string.h>

const char *sq_type_name(sq_type t, char *out) {
  switch ((sq_kind)t.kind) {
  case SQ_T_NULL: return "\"NULL\"";
  case SQ_T_BOOL: return "BOOLEAN";
  case SQ_T_INT: return "BIGINT";
  case SQ_T_HUGEINT: return "HUGEINT";
  case SQ_T_DECIMAL: snprintf(out, 24, "DECIMAL(%u,%u)", t.width, t.scale); return out;
  case SQ_T_DOUBLE: return "DOUBLE";
  case SQ_T_VARCHAR: return "VARCHAR";
  case SQ_T_DATE: return "DATE";
  case SQ_T_TIMESTAMP: return "TIMESTAMP";
  case SQ_T_INTERVAL: return "INTERVAL";
  }
  return "?";
}

sq_type sq_type_from_store(fr_type type) {
  switch (type) {
  case FR_TYPE_STRING: return sq_type_make(SQ_T_VARCHAR);
  case FR_TYPE_INT64: return sq_type_make(SQ_T_INT);
  case FR_TYPE_FLOAT64: return sq_type_make(SQ_T_DOUBLE);
  case FR_TYPE_DECIMAL: return sq_type_decimal(18, 2);
  case FR_TYPE_TIMESTAMP: return sq_type_make(SQ_T_TIMESTAMP);
  case FR_TYPE_DATE: return sq_type_make(SQ_T_DATE);
  case FR_TYPE_BOOL: return sq_type_make(SQ_T_BOOL);
  }
  return sq_type_make(SQ_T_VARCHAR);
}

fr_i128 sq_pow10(int exponent) {
  fr_i128 v = 1;
  for (int i = 0; i < exponent && i < 38; i++)
    v *= 10;
  return v;
}

size_t sq_format_i128(char *out, fr_i128 v) {
  char tmp[48];
  size_t n = 0;
  fr_u128 mag = v < 0 ? (fr_u128)0 - (fr_u128)v : (fr_u128)v;
  do {
    tmp[n++] = (char)('0' + (int)(mag % 10));
    mag /= 10;
  } while (mag != 0);
  size_t len = 0;
  if (v < 0)
    out[len++] = '-';
  while (n > 0)
    out[len++] = tmp[--n];
  return len;
}

static size_t sq_format_scaled(char *out, fr_i128 v, int scale) {
  if (scale == 0)
    return sq_format_i128(out, v);
  fr_i128 p = sq_pow10(scale);
  fr_u128 mag = v < 0 ? (fr_u128)0 - (fr_u128)v : (fr_u128)v;
  size_t len = 0;
  if (v < 0)
    out[len++] = '-';
  len += sq_format_i128(out + len, (fr_i128)(mag / (fr_u128)p));
  out[len++] = '.';
  fr_u128 frac = mag % (fr_u128)p;
  for (int i = scale - 1; i >= 0; i--) {
    out[len + (size_t)i] = (char)('0' + (int)(frac % 10));
    frac /= 10;
  }
  return len + (size_t)scale;
}

static size_t sq_format_interval(char *out, int64_t us) {
  /* DuckDB: "N days HH:MM:SS[.ffffff]"; the day part only when non-zero,
   * "00:00:00" for zero. */
  size_t len = 0;
  int64_t days = us / FR_US_PER_DAY;
  int64_t rest = us % FR_US_PER_DAY;
  if (days != 0)
    len += (size_t)sprintf(out + len, "%lld day%s", (long long)days, days == 1 || days == -1 ? "" : "s");
  if (rest != 0 || days == 0) {
    if (len > 0)
      out[len++] = ' ';
    int neg = rest < 0;
    uint64_t r = neg ? (uint64_t)(-rest) : (uint64_t)rest;
    uint64_t secs = r / 1000000, micros = r % 1000000;
    len += (size_t)sprintf(out + len, "%s%02llu:%02llu:%02llu", neg ? "-" : "",
                           (unsigned long long)(secs / 3600), (unsigned long long)(secs / 60 % 60),
                           (unsigned long long)(secs % 60));
    if (micros != 0) { /* DuckDB: the fraction without trailing zeros (00:00:01.5) */
      len += (size_t)sprintf(out + len, ".%06llu", (unsigned long long)micros);
      while (out[len - 1] == '0')
        len--;
    }
  }
  return len;
}

size_t sq_format_value(char *out, sq_type type, int64_t i64, fr_i128 i128, double f64) {
  switch ((sq_kind)type.kind) {
  case SQ_T_BOOL: return fr_format_bool(out, i64);
  case SQ_T_INT: return fr_format_int64(out, i64);
  case SQ_T_HUGEINT: return sq_format_i128(out, i128);
  case SQ_T_DECIMAL: return sq_format_scaled(out, type.width > 18 ? i128 : (fr_i128)i64, type.scale);
  case SQ_T_DOUBLE: {
    /* DuckDB writes integral doubles with ".0" (131.0) */
    size_t len = fr_format_float64(out, f64);
    if (memchr(out, '.', len) == NULL && memchr(out, 'e', len) == NULL && memchr(out, 'n', len) == NULL) {
      out[len++] = '.';
      out[len++] = '0';
    }
    return len;
  }
  case SQ_T_DATE: return fr_format_date(out, i64);
  case SQ_T_TIMESTAMP: return fr_format_timestamp(out, i64);
  case SQ_T_INTERVAL: return sq_format_interval(out, i64);
  default: return 0;
  }
}
