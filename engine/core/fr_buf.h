/* fr_buf.h - a growable byte buffer and little-endian put/get helpers.
 *
 * fr_buf owns its bytes; fr_buf_reset keeps the capacity for reuse.  The put
 * helpers write fixed-width little-endian integers, the layout every on-disk
 * structure of the store uses (formats/STORE_FORMAT.md §1).
 */
#ifndef FR_BUF_H
#define FR_BUF_H

#include <stdint.h>
#include <string.h>

#include "fr_status.h"

typedef struct fr_buf {
  uint8_t *data;
  size_t len;      /* bytes in use */
  size_t cap;      /* bytes allocated */
  int failed;      /* 1 after an allocation failure: later puts are ignored */
} fr_buf;

void fr_buf_init(fr_buf *buf);
void fr_buf_free(fr_buf *buf);
static inline void fr_buf_reset(fr_buf *buf) { buf->len = 0; buf->failed = 0; }

/* Makes room for `extra` more bytes; returns FR_ERR_NOMEM (and sets failed). */
FR_MUST_USE fr_status fr_buf_reserve(fr_buf *buf, size_t extra);

void fr_buf_put(fr_buf *buf, const void *src, size_t len);
void fr_buf_put_u8(fr_buf *buf, uint8_t v);
void fr_buf_put_u16(fr_buf *buf, uint16_t v);
void fr_buf_put_u32(fr_buf *buf, uint32_t v);
void fr_buf_put_u64(fr_buf *buf, uint64_t v);
/* A length-prefixed (u16) string; longer strings are an invariant violation. */
void fr_buf_put_str16(fr_buf *buf, const char *s, size_t len);

/* Bounds-checked little-endian reader over borrowed bytes.  Each get returns 0
 * and sets `overrun` when the input is too short, so a parser can read a whole
 * structure and check once. */
typedef struct fr_reader {
  const uint8_t *data;
  size_t len;
  size_t pos;
  int overrun;
} fr_reader;

static inline void fr_reader_init(fr_reader *rd, const void *data, size_t len) {
  rd->data = data;
  rd->len = len;
  rd->pos = 0;
  rd->overrun = 0;
}
uint8_t fr_get_u8(fr_reader *rd);
uint16_t fr_get_u16(fr_reader *rd);
uint32_t fr_get_u32(fr_reader *rd);
uint64_t fr_get_u64(fr_reader *rd);
/* Returns a pointer to the next `len` bytes (borrowed) or NULL on overrun. */
const uint8_t *fr_get_bytes(fr_reader *rd, size_t len);

static inline uint64_t fr_load_u64(const void *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static inline void fr_store_u64(void *p, uint64_t v) { memcpy(p, &v, 8); }

/* Bytewise (memcmp) order of two byte strings, a prefix first: <0, 0, >0. */
static inline int fr_bytes_cmp(const void *a, size_t a_len, const void *b, size_t b_len) {
  int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
  return c != 0 ? c : (a_len > b_len) - (a_len < b_len);
}

#endif
