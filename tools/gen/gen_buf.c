/* gen_buf.c: growable buffer and CSV field formatting (see gen_buf.h).
 *
 * Invariant: len <= cap; after oom nothing more is written. Workload: every field
 * of every generated row, so the formatters avoid printf and locale lookups.
 */
#include "gen_buf.h"

#include <stdlib.h>

#include "gen_time.h"

int fr_gen_buf_grow(fr_gen_buf *b, size_t need) {
  if (b->oom) return -1;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap - b->len < need) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) {
    b->oom = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

void fr_gen_buf_free(fr_gen_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}

void fr_gen_put_csv(fr_gen_buf *b, const char *s) {
  size_t n = strlen(s);
  if (strpbrk(s, ",\"\r\n") == NULL) {
    fr_gen_put_raw(b, s, n);
    return;
  }
  if (fr_gen_buf_room(b, 2 * n + 2)) return;
  char *o = b->data + b->len;
  *o++ = '"';
  for (size_t k = 0; k < n; k++) {
    if (s[k] == '"') *o++ = '"';
    *o++ = s[k];
  }
  *o++ = '"';
  b->len = (size_t)(o - b->data);
}

static int u64_digits(char *out, uint64_t v, int width) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n < width && n < 24) tmp[n++] = '0';
  for (int k = 0; k < n; k++) out[k] = tmp[n - 1 - k];
  return n;
}

void fr_gen_put_u64(fr_gen_buf *b, uint64_t v, int width) {
  if (fr_gen_buf_room(b, 24)) return;
  b->len += (size_t)u64_digits(b->data + b->len, v, width);
}

int fr_gen_fmt_cents(char *out, int64_t cents) {
  int n = 0;
  uint64_t v;
  if (cents < 0) {
    out[n++] = '-';
    v = (uint64_t)0 - (uint64_t)cents;
  } else {
    v = (uint64_t)cents;
  }
  n += u64_digits(out + n, v / 100, 1);
  out[n++] = '.';
  out[n++] = (char)('0' + (v % 100) / 10);
  out[n++] = (char)('0' + v % 10);
  out[n] = 0;
  return n;
}

void fr_gen_put_cents(fr_gen_buf *b, int64_t cents) {
  if (fr_gen_buf_room(b, 32)) return;
  b->len += (size_t)fr_gen_fmt_cents(b->data + b->len, cents);
}

int fr_gen_fmt_date(char *out, int32_t day) {
  int y, m, d;
  fr_gen_civil_from_days(&y, &m, &d, day);
  int n = u64_digits(out, (uint64_t)y, 4);
  out[n++] = '-';
  out[n++] = (char)('0' + m / 10);
  out[n++] = (char)('0' + m % 10);
  out[n++] = '-';
  out[n++] = (char)('0' + d / 10);
  out[n++] = (char)('0' + d % 10);
  out[n] = 0;
  return n;
}

void fr_gen_put_date(fr_gen_buf *b, int32_t day) {
  if (fr_gen_buf_room(b, 16)) return;
  b->len += (size_t)fr_gen_fmt_date(b->data + b->len, day);
}

int fr_gen_fmt_ts(char *out, int64_t ts_us) {
  int32_t day = fr_gen_day_of(ts_us);
  int64_t rest = ts_us - (int64_t)day * FR_GEN_US_PER_DAY;
  int64_t sec = rest / FR_GEN_US_PER_S, us = rest % FR_GEN_US_PER_S;
  int n = fr_gen_fmt_date(out, day);
  int h = (int)(sec / 3600), mi = (int)(sec / 60 % 60), s = (int)(sec % 60);
  out[n++] = ' ';
  out[n++] = (char)('0' + h / 10);
  out[n++] = (char)('0' + h % 10);
  out[n++] = ':';
  out[n++] = (char)('0' + mi / 10);
  out[n++] = (char)('0' + mi % 10);
  out[n++] = ':';
  out[n++] = (char)('0' + s / 10);
  out[n++] = (char)('0' + s % 10);
  if (us) {
    out[n++] = '.';
    n += u64_digits(out + n, (uint64_t)us, 6);
  }
  out[n] = 0;
  return n;
}

void fr_gen_put_ts(fr_gen_buf *b, int64_t ts_us) {
  if (fr_gen_buf_room(b, 32)) return;
  b->len += (size_t)fr_gen_fmt_ts(b->data + b->len, ts_us);
}
