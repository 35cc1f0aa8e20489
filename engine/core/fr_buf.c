/* fr_buf.c - growable buffer and bounds-checked reader (see fr_buf.h).
 * The store is little-endian on disk; ferret builds for x86-64 and so writes
 * host order, which a static assertion below pins. */
#include "fr_buf.h"

#include "fr_alloc.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ferret's store is little-endian");

void fr_buf_init(fr_buf *buf) { memset(buf, 0, sizeof *buf); }

void fr_buf_free(fr_buf *buf) {
  fr_free(buf->data);
  fr_buf_init(buf);
}

fr_status fr_buf_reserve(fr_buf *buf, size_t extra) {
  if (buf->failed)
    return FR_ERR_NOMEM;
  if (buf->data != NULL && buf->len + extra <= buf->cap)
    return FR_OK; /* data is never NULL after a reserve, even of 0 bytes */
  size_t cap = buf->cap ? buf->cap : 256;
  while (cap < buf->len + extra)
    cap *= 2;
  uint8_t *grown = fr_realloc(buf->data, cap);
  if (grown == NULL) {
    buf->failed = 1;
    return FR_ERR_NOMEM;
  }
  buf->data = grown;
  buf->cap = cap;
  return FR_OK;
}

void fr_buf_put(fr_buf *buf, const void *src, size_t len) {
  if (len == 0 || fr_buf_reserve(buf, len) != FR_OK)
    return;
  memcpy(buf->data + buf->len, src, len);
  buf->len += len;
}

void fr_buf_put_u8(fr_buf *buf, uint8_t v) { fr_buf_put(buf, &v, 1); }
void fr_buf_put_u16(fr_buf *buf, uint16_t v) { fr_buf_put(buf, &v, 2); }
void fr_buf_put_u32(fr_buf *buf, uint32_t v) { fr_buf_put(buf, &v, 4); }
void fr_buf_put_u64(fr_buf *buf, uint64_t v) { fr_buf_put(buf, &v, 8); }

void fr_buf_put_str16(fr_buf *buf, const char *s, size_t len) {
  if (len > UINT16_MAX)
    len = UINT16_MAX;
  fr_buf_put_u16(buf, (uint16_t)len);
  fr_buf_put(buf, s, len);
}

const uint8_t *fr_get_bytes(fr_reader *rd, size_t len) {
  static const uint8_t fr_no_bytes[1] = {0};
  if (rd->overrun || len > rd->len - rd->pos) {
    rd->overrun = 1;
    return NULL;
  }
  if (len == 0)
    return fr_no_bytes; /* valid for zero bytes even when data is NULL */
  const uint8_t *p = rd->data + rd->pos;
  rd->pos += len;
  return p;
}

uint8_t fr_get_u8(fr_reader *rd) {
  const uint8_t *p = fr_get_bytes(rd, 1);
  return p ? p[0] : 0;
}
uint16_t fr_get_u16(fr_reader *rd) {
  uint16_t v = 0;
  const uint8_t *p = fr_get_bytes(rd, 2);
  if (p)
    memcpy(&v, p, 2);
  return v;
}
uint32_t fr_get_u32(fr_reader *rd) {
  uint32_t v = 0;
  const uint8_t *p = fr_get_bytes(rd, 4);
  if (p)
    memcpy(&v, p, 4);
  return v;
}
uint64_t fr_get_u64(fr_reader *rd) {
  uint64_t v = 0;
  const uint8_t *p = fr_get_bytes(rd, 8);
  if (p)
    memcpy(&v, p, 8);
  return v;
}
