/* fr_types.h - ferret's value types and their text forms.
 *
 * Every type is nullable.  In memory all integer-like types share one physical
 * representation, int64: decimal(18,2) as exact cents, timestamp as microseconds
 * since 1970-01-01 00:00:00 (naive local time), date as days since 1970-01-01,
 * bool as 0/1.  float64 is a double and string is UTF-8 bytes.
 *
 * The parse functions accept exactly the text forms of DESIGN.md ("Canonical
 * audit schema"); they never read past `len` and need no NUL terminator.  The
 * format functions write DuckDB's text rendering of each type.
 */
#ifndef FR_TYPES_H
#define FR_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef enum fr_type {
  FR_TYPE_STRING = 1,
  FR_TYPE_INT64 = 2,
  FR_TYPE_FLOAT64 = 3,
  FR_TYPE_DECIMAL = 4,   /* decimal(18,2), stored as scaled int64 cents */
  FR_TYPE_TIMESTAMP = 5, /* int64 microseconds, naive */
  FR_TYPE_DATE = 6,      /* int64 days since 1970-01-01 */
  FR_TYPE_BOOL = 7,      /* int64 0 or 1 */
} fr_type;

#define FR_DECIMAL_SCALE 100
/* decimal(18,2): |cents| <= 10^18 - 1 */
#define FR_DECIMAL_MAX_CENTS 999999999999999999LL
#define FR_US_PER_DAY 86400000000LL

/* Returns 1 when `type` is held as int64 in memory. */
static inline int fr_type_is_int_like(fr_type type) {
  return type != FR_TYPE_STRING && type != FR_TYPE_FLOAT64;
}

/* Returns the type's SQL name ("decimal(18,2)", "timestamp", ...), static. */
const char *fr_type_name(fr_type type);

/* Parses a type name as written in schema files (case-insensitive, with the
 * aliases varchar/text, bigint/integer, double, decimal, boolean).  Returns 0 and
 * sets *out, or -1 when the name is unknown. */
int fr_type_parse_name(fr_type *out, const char *name, size_t len);

/* Why a value did not parse; static strings. */
typedef const char *fr_parse_why;

/* Each parser returns NULL on success and writes *out, or returns a static reason
 * ("not a number", "numeric overflow", ...) and leaves *out unspecified.  Leading
 * and trailing spaces are ignored. */
fr_parse_why fr_parse_int64(int64_t *out, const char *text, size_t len);
fr_parse_why fr_parse_decimal(int64_t *out_cents, const char *text, size_t len);
fr_parse_why fr_parse_float64(double *out, const char *text, size_t len);
fr_parse_why fr_parse_bool(int64_t *out, const char *text, size_t len);
fr_parse_why fr_parse_date(int64_t *out_days, const char *text, size_t len);
/* Accepts `YYYY-MM-DD HH:MM:SS[.f{1,6}]`, the ISO 8601 `T` form, and a date. */
fr_parse_why fr_parse_timestamp(int64_t *out_us, const char *text, size_t len);

/* Converts between civil dates and days since the epoch (proleptic Gregorian). */
int64_t fr_days_from_civil(int64_t year, unsigned month, unsigned day);
void fr_civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day);

/* Formatters write at most FR_VALUE_TEXT_CAP bytes (no NUL) into `out` and return
 * the length.  Decimals get two places; timestamps `YYYY-MM-DD HH:MM:SS` with
 * `.ffffff` only when microseconds are non-zero (DuckDB's rendering); floats the
 * shortest text that reads back to the same double. */
#define FR_VALUE_TEXT_CAP 40
size_t fr_format_int64(char *out, int64_t v);
size_t fr_format_decimal(char *out, int64_t cents);
size_t fr_format_float64(char *out, double v);
size_t fr_format_bool(char *out, int64_t v);
size_t fr_format_date(char *out, int64_t days);
size_t fr_format_timestamp(char *out, int64_t us);
/* Formats any int-like or float value by type. */
size_t fr_format_value(char *out, fr_type type, int64_t i64, double f64);

#endif
