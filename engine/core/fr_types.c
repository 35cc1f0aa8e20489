/* fr_types.c - parsing and rendering of ferret's value types (see fr_types.h).
 *
 * Parsers are on the ingest hot path (one call per field, ~10^8 per large
 * ingest), so they work on (pointer, length) without copying, reject anything
 * that would change a value (more than two decimal places, overflow), and return
 * a static reason string that the caller turns into a located message.
 */
#include "fr_types.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *fr_type_name(fr_type type) {
  switch (type) {
  case FR_TYPE_STRING: return "string";
  case FR_TYPE_INT64: return "int64";
  case FR_TYPE_FLOAT64: return "float64";
  case FR_TYPE_DECIMAL: return "decimal(18,2)";
  case FR_TYPE_TIMESTAMP: return "timestamp";
  case FR_TYPE_DATE: return "date";
  case FR_TYPE_BOOL: return "bool";
  }
  return "unknown";
}

int fr_type_parse_name(fr_type *out, const char *name, size_t len) {
  static const struct { const char *name; fr_type type; } names[] = {
      {"string", FR_TYPE_STRING},     {"varchar", FR_TYPE_STRING},
      {"text", FR_TYPE_STRING},       {"int64", FR_TYPE_INT64},
      {"bigint", FR_TYPE_INT64},      {"integer", FR_TYPE_INT64},
      {"int", FR_TYPE_INT64},         {"float64", FR_TYPE_FLOAT64},
      {"double", FR_TYPE_FLOAT64},    {"decimal(18,2)", FR_TYPE_DECIMAL},
      {"decimal", FR_TYPE_DECIMAL},   {"timestamp", FR_TYPE_TIMESTAMP},
      {"date", FR_TYPE_DATE},         {"bool", FR_TYPE_BOOL},
      {"boolean", FR_TYPE_BOOL},
  };
  for (size_t idx = 0; idx < sizeof names / sizeof names[0]; idx++) {
    if (strlen(names[idx].name) == len && strncasecmp(names[idx].name, name, len) == 0) {
      *out = names[idx].type;
      return 0;
    }
  }
  return -1;
}

static void fr_trim_spaces(const char **text, size_t *len) {
  while (*len > 0 && (**text == ' ' || **text == '\t')) {
    (*text)++;
    (*len)--;
  }
  while (*len > 0 && ((*text)[*len - 1] == ' ' || (*text)[*len - 1] == '\t'))
    (*len)--;
}

static inline int fr_is_digit(char c) { return c >= '0' && c <= '9'; }

fr_parse_why fr_parse_int64(int64_t *out, const char *text, size_t len) {
  fr_trim_spaces(&text, &len);
  if (len == 0)
    return "empty number";
  size_t pos = 0;
  int negative = 0;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    pos = 1;
  }
  if (pos == len)
    return "not an integer";
  uint64_t magnitude = 0;
  for (; pos < len; pos++) {
    if (!fr_is_digit(text[pos]))
      return "not an integer";
    unsigned digit = (unsigned)(text[pos] - '0');
    if (magnitude > (UINT64_MAX - digit) / 10)
      return "numeric overflow (int64)";
    magnitude = magnitude * 10 + digit;
  }
  if (negative) {
    if (magnitude > (uint64_t)INT64_MAX + 1)
      return "numeric overflow (int64)";
    *out = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
  } else {
    if (magnitude > (uint64_t)INT64_MAX)
      return "numeric overflow (int64)";
    *out = (int64_t)magnitude;
  }
  return NULL;
}

fr_parse_why fr_parse_decimal(int64_t *out_cents, const char *text, size_t len) {
  fr_trim_spaces(&text, &len);
  if (len == 0)
    return "empty number";
  size_t pos = 0;
  int negative = 0;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    pos = 1;
  }
  uint64_t units = 0;
  size_t int_digits = 0;
  for (; pos < len && fr_is_digit(text[pos]); pos++, int_digits++) {
    units = units * 10 + (uint64_t)(text[pos] - '0');
    if (units > (uint64_t)FR_DECIMAL_MAX_CENTS / FR_DECIMAL_SCALE)
      return "numeric overflow (decimal(18,2) holds at most 16 integer digits)";
  }
  uint64_t frac = 0;
  size_t frac_digits = 0;
  if (pos < len && text[pos] == '.') {
    pos++;
    for (; pos < len && fr_is_digit(text[pos]); pos++) {
      if (frac_digits < 2) {
        frac = frac * 10 + (uint64_t)(text[pos] - '0');
      } else if (text[pos] != '0') {
        return "more than two decimal places (the value would be rounded)";
      }
      frac_digits++;
    }
  }
  if (pos != len || (int_digits == 0 && frac_digits == 0))
    return "not a decimal number";
  if (frac_digits == 1)
    frac *= 10;
  uint64_t cents = units * FR_DECIMAL_SCALE + frac;
  if (cents > (uint64_t)FR_DECIMAL_MAX_CENTS)
    return "numeric overflow (decimal(18,2))";
  *out_cents = negative ? -(int64_t)cents : (int64_t)cents;
  return NULL;
}

fr_parse_why fr_parse_float64(double *out, const char *text, size_t len) {
  fr_trim_spaces(&text, &len);
  if (len == 0)
    return "empty number";
  char copy[128];
  if (len >= sizeof copy)
    return "number too long";
  for (size_t pos = 0; pos < len; pos++) {
    char c = text[pos];
    if (!(fr_is_digit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return "not a number";
  }
  memcpy(copy, text, len);
  copy[len] = '\0';
  char *end = NULL;
  double v = strtod(copy, &end);
  if (end != copy + len)
    return "not a number";
  if (!isfinite(v))
    return "numeric overflow (float64)";
  *out = v;
  return NULL;
}

fr_parse_why fr_parse_bool(int64_t *out, const char *text, size_t len) {
  fr_trim_spaces(&text, &len);
  static const char *truthy[] = {"true", "t", "1", "yes", "y"};
  static const char *falsy[] = {"false", "f", "0", "no", "n"};
  for (size_t idx = 0; idx < 5; idx++) {
    if (strlen(truthy[idx]) == len && strncasecmp(truthy[idx], text, len) == 0) {
      *out = 1;
      return NULL;
    }
    if (strlen(falsy[idx]) == len && strncasecmp(falsy[idx], text, len) == 0) {
      *out = 0;
      return NULL;
    }
  }
  return "not a boolean (expected true or false)";
}

/* Howard Hinnant's days_from_civil algorithm (public domain description). */
int64_t fr_days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = (unsigned)(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

void fr_civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = (unsigned)(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = (int64_t)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (*month <= 2);
}

static int fr_is_leap(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned fr_digits(const char *text, size_t n) {
  unsigned v = 0;
  for (size_t pos = 0; pos < n; pos++)
    v = v * 10 + (unsigned)(text[pos] - '0');
  return v;
}

static int fr_all_digits(const char *text, size_t n) {
  for (size_t pos = 0; pos < n; pos++)
    if (!fr_is_digit(text[pos]))
      return 0;
  return 1;
}

/* Parses exactly `YYYY-MM-DD` at text[0..10). */
static fr_parse_why fr_parse_date10(int64_t *out_days, const char *text) {
  if (!fr_all_digits(text, 4) || text[4] != '-' || !fr_all_digits(text + 5, 2) ||
      text[7] != '-' || !fr_all_digits(text + 8, 2))
    return "not a date (expected YYYY-MM-DD)";
  int64_t year = fr_digits(text, 4);
  unsigned month = fr_digits(text + 5, 2);
  unsigned day = fr_digits(text + 8, 2);
  static const unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12)
    return "month out of range";
  unsigned max_day = month_days[month - 1] + (month == 2 && fr_is_leap(year));
  if (day < 1 || day > max_day)
    return "day out of range for its month";
  *out_days = fr_days_from_civil(year, month, day);
  return NULL;
}

fr_parse_why fr_parse_date(int64_t *out_days, const char *text, size_t len) {
  fr_trim_spaces(&text, &len);
  if (len != 10)
    return "not a date (expected YYYY-MM-DD)";
  return fr_parse_date10(out_days, text);
}

fr_parse_why fr_parse_timestamp(int64_t *out_us, const char *text, size_t len) {
  fr_trim_spaces(&text, &len);
  if (len < 10)
    return "not a timestamp (expected YYYY-MM-DD HH:MM:SS)";
  int64_t days;
  fr_parse_why why = fr_parse_date10(&days, text);
  if (why != NULL)
    return why;
  int64_t us = days * FR_US_PER_DAY;
  if (len == 10) {
    *out_us = us;
    return NULL;
  }
  if (len < 19 || (text[10] != ' ' && text[10] != 'T') || !fr_all_digits(text + 11, 2) ||
      text[13] != ':' || !fr_all_digits(text + 14, 2) || text[16] != ':' ||
      !fr_all_digits(text + 17, 2))
    return "not a timestamp (expected YYYY-MM-DD HH:MM:SS)";
  unsigned hour = fr_digits(text + 11, 2), minute = fr_digits(text + 14, 2),
           second = fr_digits(text + 17, 2);
  if (hour > 23 || minute > 59 || second > 59)
    return "time of day out of range";
  int64_t frac_us = 0;
  if (len > 19) {
    /* what follows the seconds: .ffffff, then nothing (a time zone offset or
     * other text is named as such: the column holds naive local time) */
    size_t end = 19;
    if (text[19] == '.')
      for (end = 20; end < len && fr_is_digit(text[end]); end++) {}
    size_t zone = end;
    while (zone < len && text[zone] == ' ') zone++;
    if (end < len && zone < len && (text[zone] == 'Z' || text[zone] == 'z' || text[zone] == '+' || text[zone] == '-'))
      return "time zone offset not accepted (timestamps are naive local time: convert to local time and drop the "
             "offset)";
    if (end < len && text[19] != '.')
      return "unexpected text after the time (expected YYYY-MM-DD HH:MM:SS[.ffffff])";
    size_t frac_len = len - 20;
    if (end < len || frac_len == 0 || frac_len > 6)
      return "bad fractional seconds (expected .f to .ffffff)";
    frac_us = fr_digits(text + 20, frac_len);
    for (size_t pad = frac_len; pad < 6; pad++)
      frac_us *= 10;
  }
  *out_us = us + ((int64_t)hour * 3600 + minute * 60 + second) * 1000000LL + frac_us;
  return NULL;
}

size_t fr_format_int64(char *out, int64_t v) {
  char tmp[24];
  size_t n = 0;
  uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    tmp[n++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude);
  size_t len = 0;
  if (v < 0)
    out[len++] = '-';
  while (n)
    out[len++] = tmp[--n];
  return len;
}

size_t fr_format_decimal(char *out, int64_t cents) {
  uint64_t magnitude = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
  size_t len = 0;
  if (cents < 0)
    out[len++] = '-';
  len += fr_format_int64(out + len, (int64_t)(magnitude / 100));
  out[len++] = '.';
  out[len++] = (char)('0' + (magnitude / 10) % 10);
  out[len++] = (char)('0' + magnitude % 10);
  return len;
}

size_t fr_format_float64(char *out, double v) {
  if (isnan(v))
    return (size_t)snprintf(out, FR_VALUE_TEXT_CAP, "nan");
  if (isinf(v))
    return (size_t)snprintf(out, FR_VALUE_TEXT_CAP, v < 0 ? "-inf" : "inf");
  /* Shortest of %.15g..%.17g that reads back to the same double. */
  for (int precision = 15; precision <= 17; precision++) {
    int n = snprintf(out, FR_VALUE_TEXT_CAP, "%.*g", precision, v);
    if (strtod(out, NULL) == v || precision == 17)
      return (size_t)n;
  }
  return 0;
}

size_t fr_format_bool(char *out, int64_t v) {
  const char *text = v ? "true" : "false";
  size_t len = strlen(text);
  memcpy(out, text, len);
  return len;
}

static void fr_put2(char *out, unsigned v) {
  out[0] = (char)('0' + v / 10);
  out[1] = (char)('0' + v % 10);
}

size_t fr_format_date(char *out, int64_t days) {
  int64_t year;
  unsigned month, day;
  fr_civil_from_days(days, &year, &month, &day);
  size_t len;
  if (year >= 0 && year <= 9999) {
    unsigned y = (unsigned)year;
    fr_put2(out, y / 100);
    fr_put2(out + 2, y % 100);
    len = 4;
  } else {
    len = fr_format_int64(out, year);
  }
  out[len++] = '-';
  fr_put2(out + len, month);
  len += 2;
  out[len++] = '-';
  fr_put2(out + len, day);
  return len + 2;
}

size_t fr_format_timestamp(char *out, int64_t us) {
  int64_t days = us / FR_US_PER_DAY;
  int64_t rem = us % FR_US_PER_DAY;
  if (rem < 0) {
    rem += FR_US_PER_DAY;
    days -= 1;
  }
  size_t len = fr_format_date(out, days);
  int64_t secs = rem / 1000000;
  int64_t frac = rem % 1000000;
  out[len++] = ' ';
  fr_put2(out + len, (unsigned)(secs / 3600));
  out[len + 2] = ':';
  fr_put2(out + len + 3, (unsigned)(secs / 60 % 60));
  out[len + 5] = ':';
  fr_put2(out + len + 6, (unsigned)(secs % 60));
  len += 8;
  if (frac) {
    out[len++] = '.';
    for (int digit = 5; digit >= 0; digit--) {
      out[len + (size_t)digit] = (char)('0' + frac % 10);
      frac /= 10;
    }
    len += 6;
  }
  return len;
}

size_t fr_format_value(char *out, fr_type type, int64_t i64, double f64) {
  switch (type) {
  case FR_TYPE_INT64: return fr_format_int64(out, i64);
  case FR_TYPE_DECIMAL: return fr_format_decimal(out, i64);
  case FR_TYPE_FLOAT64: return fr_format_float64(out, f64);
  case FR_TYPE_BOOL: return fr_format_bool(out, i64);
  case FR_TYPE_DATE: return fr_format_date(out, i64);
  case FR_TYPE_TIMESTAMP: return fr_format_timestamp(out, i64);
  case FR_TYPE_STRING: return 0;
  }
  return 0;
}
