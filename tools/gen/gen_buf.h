/* gen_buf.h: a growable byte buffer and the CSV field writers of the generator.
 *
 * Fields follow RFC 4180: a field holding a comma, a double quote, CR or LF is
 * quoted and its quotes doubled; NULL is the empty unquoted field (the writer
 * simply writes nothing). Numbers are formatted by hand, without printf, because
 * every row of every table passes through here (tens of millions of fields per
 * second). Allocation failure is sticky: the buffer sets `oom`, drops further
 * writes, and the owner checks the flag once per block.
 */
#ifndef FR_GEN_BUF_H
#define FR_GEN_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fr_gen_buf {
  char *data;  /* owned, not NUL-terminated */
  size_t len;  /* bytes written */
  size_t cap;  /* bytes allocated */
  int oom;     /* 1 once an allocation failed; writes are dropped from then on */
} fr_gen_buf;

/* fr_gen_buf_grow: make room for `need` more bytes; 0 on success, -1 (and oom set)
 * when memory ran out. */
int fr_gen_buf_grow(fr_gen_buf *b, size_t need);

/* fr_gen_buf_free: release the storage; the buffer may be reused (empty) after. */
void fr_gen_buf_free(fr_gen_buf *b);

static inline int fr_gen_buf_room(fr_gen_buf *b, size_t need) {
  if (b->cap - b->len >= need) return 0;
  return fr_gen_buf_grow(b, need);
}

static inline void fr_gen_put_raw(fr_gen_buf *b, const char *s, size_t n) {
  if (fr_gen_buf_room(b, n)) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

static inline void fr_gen_put_char(fr_gen_buf *b, char c) {
  if (fr_gen_buf_room(b, 1)) return;
  b->data[b->len++] = c;
}

static inline void fr_gen_put_str(fr_gen_buf *b, const char *s) { fr_gen_put_raw(b, s, strlen(s)); }

/* fr_gen_put_csv: a text field, quoted only when RFC 4180 requires it. */
void fr_gen_put_csv(fr_gen_buf *b, const char *s);

/* fr_gen_put_u64: decimal digits of v, zero-padded to at least `width`. */
void fr_gen_put_u64(fr_gen_buf *b, uint64_t v, int width);

/* fr_gen_put_id: prefix followed by v zero-padded to `width` (e.g. T000000000123). */
static inline void fr_gen_put_id(fr_gen_buf *b, const char *prefix, uint64_t v, int width) {
  fr_gen_put_str(b, prefix);
  fr_gen_put_u64(b, v, width);
}

/* fr_gen_put_cents: an exact decimal with two places (e.g. -12.05). */
void fr_gen_put_cents(fr_gen_buf *b, int64_t cents);

/* fr_gen_put_date: YYYY-MM-DD of a day number. */
void fr_gen_put_date(fr_gen_buf *b, int32_t day);

/* fr_gen_put_ts: YYYY-MM-DD HH:MM:SS, plus .ffffff when the microseconds are not 0. */
void fr_gen_put_ts(fr_gen_buf *b, int64_t ts_us);

/* fr_gen_fmt_*: the same into a caller's char array (NUL-terminated); return length. */
int fr_gen_fmt_ts(char *out, int64_t ts_us);
int fr_gen_fmt_date(char *out, int32_t day);
int fr_gen_fmt_cents(char *out, int64_t cents);

#endif
