/* Unit tests of engine/core/fr_types.c: every text form of DESIGN.md parses to
 * the exact value, bad text is refused with a reason, and rendering matches
 * DuckDB's text forms. */
#include <criterion/criterion.h>
#include <string.h>

#include "fr_types.h"

static int64_t parse_dec(const char *text) {
  int64_t v = 0;
  cr_assert_null(fr_parse_decimal(&v, text, strlen(text)), "decimal %s should parse", text);
  return v;
}

Test(types, decimal_exact_cents) {
  cr_assert_eq(parse_dec("100.50"), 10050);
  cr_assert_eq(parse_dec("-3.1"), -310);
  cr_assert_eq(parse_dec("7"), 700);
  cr_assert_eq(parse_dec(".5"), 50);
  cr_assert_eq(parse_dec("1.500"), 150);
  cr_assert_eq(parse_dec(" 42.01 "), 4201);
  cr_assert_eq(parse_dec("9999999999999999.99"), 999999999999999999LL);
}

Test(types, decimal_refuses_what_would_change) {
  int64_t v;
  cr_assert_not_null(fr_parse_decimal(&v, "1.005", 5));
  cr_assert_not_null(fr_parse_decimal(&v, "10000000000000000", 17));
  cr_assert_not_null(fr_parse_decimal(&v, "1e3", 3));
  cr_assert_not_null(fr_parse_decimal(&v, "", 0));
  cr_assert_not_null(fr_parse_decimal(&v, "-", 1));
  cr_assert_not_null(fr_parse_decimal(&v, "12a", 3));
}

Test(types, int64_limits) {
  int64_t v;
  cr_assert_null(fr_parse_int64(&v, "9223372036854775807", 19));
  cr_assert_eq(v, INT64_MAX);
  cr_assert_null(fr_parse_int64(&v, "-9223372036854775808", 20));
  cr_assert_eq(v, INT64_MIN);
  cr_assert_not_null(fr_parse_int64(&v, "9223372036854775808", 19));
  cr_assert_not_null(fr_parse_int64(&v, "99999999999999999999999", 23));
}

Test(types, timestamp_forms) {
  int64_t a, b, c;
  cr_assert_null(fr_parse_timestamp(&a, "2024-03-01 12:34:56", 19));
  cr_assert_null(fr_parse_timestamp(&b, "2024-03-01T12:34:56.000000", 26));
  cr_assert_eq(a, b);
  cr_assert_null(fr_parse_timestamp(&c, "2024-03-01", 10));
  cr_assert_eq(a - c, (12 * 3600 + 34 * 60 + 56) * 1000000LL);
  cr_assert_null(fr_parse_timestamp(&a, "1970-01-01 00:00:00.5", 21));
  cr_assert_eq(a, 500000);
  cr_assert_not_null(fr_parse_timestamp(&a, "2024-02-30 00:00:00", 19));
  cr_assert_not_null(fr_parse_timestamp(&a, "2023-02-29", 10));
  cr_assert_null(fr_parse_timestamp(&a, "2024-02-29", 10));
  cr_assert_not_null(fr_parse_timestamp(&a, "2024-01-01 24:00:00", 19));
  cr_assert_not_null(fr_parse_timestamp(&a, "2024-01-01 10:00:00.1234567", 27));
}

Test(types, dates_round_trip_against_naive_calendar) {
  /* Walk day by day from 1900 and compare with a naive calendar. */
  int64_t days = fr_days_from_civil(1900, 1, 1);
  static const unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int64_t year = 1900; year < 2101; year++) {
    for (unsigned month = 1; month <= 12; month++) {
      unsigned n = month_days[month - 1] +
                   (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0));
      for (unsigned day = 1; day <= n; day++, days++) {
        cr_assert_eq(fr_days_from_civil(year, month, day), days);
        int64_t y;
        unsigned m, d;
        fr_civil_from_days(days, &y, &m, &d);
        cr_assert(y == year && m == month && d == day);
      }
    }
  }
}

Test(types, rendering_matches_duckdb) {
  char out[FR_VALUE_TEXT_CAP + 1];
  size_t n = fr_format_decimal(out, -5);
  out[n] = 0;
  cr_assert_str_eq(out, "-0.05");
  n = fr_format_decimal(out, 123456);
  out[n] = 0;
  cr_assert_str_eq(out, "1234.56");
  int64_t ts;
  cr_assert_null(fr_parse_timestamp(&ts, "2024-12-31 23:59:59", 19));
  n = fr_format_timestamp(out, ts);
  out[n] = 0;
  cr_assert_str_eq(out, "2024-12-31 23:59:59");
  n = fr_format_timestamp(out, ts + 120);
  out[n] = 0;
  cr_assert_str_eq(out, "2024-12-31 23:59:59.000120");
  n = fr_format_timestamp(out, -1);
  out[n] = 0;
  cr_assert_str_eq(out, "1969-12-31 23:59:59.999999");
  n = fr_format_float64(out, 0.1);
  out[n] = 0;
  cr_assert_str_eq(out, "0.1");
  n = fr_format_int64(out, INT64_MIN);
  out[n] = 0;
  cr_assert_str_eq(out, "-9223372036854775808");
}

Test(types, bool_and_names) {
  int64_t v;
  cr_assert_null(fr_parse_bool(&v, "TRUE", 4));
  cr_assert_eq(v, 1);
  cr_assert_null(fr_parse_bool(&v, "f", 1));
  cr_assert_eq(v, 0);
  cr_assert_not_null(fr_parse_bool(&v, "maybe", 5));
  fr_type type;
  cr_assert_eq(fr_type_parse_name(&type, "DECIMAL(18,2)", 13), 0);
  cr_assert_eq(type, FR_TYPE_DECIMAL);
  cr_assert_eq(fr_type_parse_name(&type, "blob", 4), -1);
}

/* ---- fr_arena: reset keeps the blocks for the next batch ---------------------- */
#include "fr_alloc.h"
#include "fr_arena.h"

Test(arena, reset_reuses_blocks_and_keeps_the_charge) {
  fr_budget budget = {.limit = 64u << 20, .used = 0};
  fr_arena arena;
  fr_arena_init(&arena, &budget);
  /* a batch: ordinary blocks, one oversized allocation */
  unsigned char *small = fr_arena_alloc(&arena, 1000);
  unsigned char *big = fr_arena_alloc(&arena, 3u << 20);
  cr_assert(small != NULL && big != NULL);
  memset(big, 0xab, 3u << 20);
  const uint64_t charged = arena.charged;
  cr_assert_eq(budget.used, charged);
  fr_arena_reset(&arena);
  /* the same batch again: no new memory, the big block comes back */
  unsigned char *small2 = fr_arena_alloc(&arena, 1000);
  unsigned char *big2 = fr_arena_alloc(&arena, 3u << 20);
  cr_assert(small2 != NULL && big2 != NULL);
  cr_assert_eq(arena.charged, charged, "reset then the same allocations charged %llu more bytes",
               (unsigned long long)(arena.charged - charged));
  cr_assert_eq(budget.used, charged);
  /* a request larger than every spare block gets fresh memory */
  cr_assert(fr_arena_alloc(&arena, 5u << 20) != NULL);
  cr_assert_gt(arena.charged, charged);
  fr_arena_free(&arena);
  cr_assert_eq(budget.used, 0, "free returns the whole charge, spare blocks included");
}

Test(arena, budget_refuses_and_says_so) {
  fr_budget budget = {.limit = 1u << 20, .used = 0};
  fr_arena arena;
  fr_arena_init(&arena, &budget);
  cr_assert(fr_arena_alloc(&arena, 100) != NULL);
  cr_assert_null(fr_arena_alloc(&arena, 2u << 20));
  cr_assert(arena.over_budget);
  fr_arena_reset(&arena);
  cr_assert(fr_arena_alloc(&arena, 100) != NULL, "a reset arena serves from its kept block");
  fr_arena_free(&arena);
  cr_assert_eq(budget.used, 0);
}

/* fr_regrow: the used bytes move to a bigger block, NULL grows from nothing, and
 * a failed allocation leaves the old block as it was (still the caller's). */
Test(alloc, regrow_keeps_the_used_bytes_and_survives_failure) {
  char *p = fr_regrow(NULL, 0, 16);
  cr_assert_not_null(p);
  memcpy(p, "0123456789", 10);
  char *q = fr_regrow(p, 10, (size_t)8 << 20); /* big: a fresh, advised block */
  cr_assert_not_null(q);
  cr_assert(memcmp(q, "0123456789", 10) == 0);
  q[(8 << 20) - 1] = 'z';
  fr_alloc_fail_after(0);
  char *r = fr_regrow(q, 10, (size_t)16 << 20);
  fr_alloc_fail_after(-1);
  cr_assert_null(r);
  cr_assert(memcmp(q, "0123456789", 10) == 0);
  cr_assert_eq(q[(8 << 20) - 1], 'z');
  fr_free(q);
}

/* fr_calloc_dense: zeroed throughout, big or small; an overflowing size or a
 * failed allocation gives NULL. */
Test(alloc, calloc_dense_is_zeroed_and_refuses_overflow) {
  const size_t sizes[] = {3, (size_t)5 << 20};
  for (int k = 0; k < 2; k++) {
    uint64_t *v = fr_calloc_dense(sizes[k], sizeof *v);
    cr_assert_not_null(v);
    for (size_t i = 0; i < sizes[k]; i += 4099) cr_assert_eq(v[i], 0);
    cr_assert_eq(v[sizes[k] - 1], 0);
    fr_free(v);
  }
  cr_assert_null(fr_calloc_dense(SIZE_MAX / 4, 8));
  fr_alloc_fail_after(0);
  void *no = fr_calloc_dense(16, 8);
  fr_alloc_fail_after(-1);
  cr_assert_null(no);
}
