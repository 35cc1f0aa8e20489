/* sql_types.h - SQL value types, scalar values and column vectors (internal).
 *
 * Types follow DuckDB's, reduced to what the subset needs.  Physical layout:
 *   BOOLEAN, INTEGER (BIGINT), DATE, TIMESTAMP, INTERVAL and DECIMAL(w<=18,s) -> int64
 *   HUGEINT and DECIMAL(w>18,s)                                          -> int128
 *   DOUBLE                                                               -> double
 *   VARCHAR                                                              -> sq_str view
 * DATE is days since 1970-01-01, TIMESTAMP microseconds, INTERVAL microseconds
 * (day-time intervals only), DECIMAL an integer scaled by 10^scale. */
#ifndef SQL_TYPES_H
#define SQL_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "fr_store.h"

typedef enum sq_kind {
  SQ_T_NULL = 0,            /* the type of a bare NULL literal */
  SQ_T_BOOL,
  SQ_T_INT,                 /* BIGINT (DuckDB's INTEGER literals render alike) */
  SQ_T_HUGEINT,             /* sum of integers */
  SQ_T_DECIMAL,
  SQ_T_DOUBLE,
  SQ_T_VARCHAR,
  SQ_T_DATE,
  SQ_T_TIMESTAMP,
  SQ_T_INTERVAL,
} sq_kind;

typedef struct sq_type {
  uint8_t kind;             /* sq_kind */
  uint8_t width;            /* DECIMAL precision */
  uint8_t scale;            /* DECIMAL scale */
} sq_type;

typedef enum sq_phys { SQ_P_I64, SQ_P_I128, SQ_P_F64, SQ_P_STR } sq_phys;

static inline sq_type sq_type_make(sq_kind kind) {
  sq_type t = {(uint8_t)kind, 0, 0};
  return t;
}
static inline sq_type sq_type_decimal(int width, int scale) {
  sq_type t = {SQ_T_DECIMAL, (uint8_t)width, (uint8_t)scale};
  return t;
}
static inline sq_phys sq_type_phys(sq_type t) {
  switch (t.kind) {
  case SQ_T_HUGEINT: return SQ_P_I128;
  case SQ_T_DECIMAL: return t.width > 18 ? SQ_P_I128 : SQ_P_I64;
  case SQ_T_DOUBLE: return SQ_P_F64;
  case SQ_T_VARCHAR: return SQ_P_STR;
  default: return SQ_P_I64;
  }
}
static inline int sq_type_is_numeric(sq_type t) {
  return t.kind == SQ_T_INT || t.kind == SQ_T_HUGEINT || t.kind == SQ_T_DECIMAL ||
         t.kind == SQ_T_DOUBLE;
}
static inline int sq_type_equal(sq_type a, sq_type b) {
  return a.kind == b.kind && (a.kind != SQ_T_DECIMAL || (a.width == b.width && a.scale == b.scale));
}

/* DuckDB's name of a type ("DECIMAL(18,2)"), written into `out` (>= 24 bytes). */
const char *sq_type_name(sq_type t, char *out);
/* Maps a store column type to its SQL type. */
sq_type sq_type_from_store(fr_type type);

typedef struct sq_str {
  const char *ptr;
  uint32_t len;
} sq_str;

/* One scalar value (literals, folded constants). */
typedef struct sq_value {
  sq_type type;
  int is_null;
  int64_t i64;
  fr_i128 i128;
  double f64;
  sq_str str;
} sq_value;

/* A vector of n values of one type.  `valid` is NULL when every value is
 * present, else one byte per row (1 = present); a NULL row holds 0 / an empty
 * string so kernels can run without branches.  Buffers are borrowed (from a
 * decoded column, a relation or a batch arena). */
typedef struct sq_vec {
  sq_type type;
  uint32_t n;
  uint8_t *valid;
  union {
    int64_t *i64;
    fr_i128 *i128;
    double *f64;
    sq_str *str;
    void *data;
  };
  /* Optional, for a string column read straight from a dictionary chunk:
   * str[i] == dict[codes[i]] for valid rows.  Kernels may work per dictionary
   * entry instead of per row. */
  const uint32_t *codes;
  const sq_str *dict;
  uint32_t n_dict;
} sq_vec;

static inline int sq_vec_valid(const sq_vec *v, uint32_t row) {
  return v->valid == NULL || v->valid[row];
}

/* Powers of ten as int128, 0..38. */
fr_i128 sq_pow10(int exponent);

/* Text of one value as DuckDB renders it (decimals with their scale, timestamps
 * `YYYY-MM-DD HH:MM:SS[.ffffff]`, intervals `N days HH:MM:SS`, booleans
 * true/false).  Returns the length written to `out` (>= 64 bytes); NULL is not
 * rendered here. */
size_t sq_format_value(char *out, sq_type type, int64_t i64, fr_i128 i128, double f64);
size_t sq_format_i128(char *out, fr_i128 v);

#endif
