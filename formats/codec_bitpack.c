/* codec_bitpack.c - fixed-width bit-packing (STORE_FORMAT.md §4.3).
 *
 * Values sit at bit i*width of a little-endian bit stream.  Widths are capped at
 * 56 so that any value lies inside one unaligned 64-bit load, which keeps the
 * unpack loop branch-free; the writer pads 8 bytes so the last load stays inside
 * the buffer.  Workload: ~10^9 values/s per core unpacking.
 */
#include <string.h>

#include "fr_codec.h"

unsigned fr_bit_width(uint64_t max_value) {
  return max_value == 0 ? 0 : 64u - (unsigned)__builtin_clzll(max_value);
}

size_t fr_bitpack_size(uint32_t n, unsigned width) {
  return ((size_t)n * width + 7) / 8 + 8;
}

void fr_bitpack(uint8_t *dst, const uint64_t *values, uint32_t n, unsigned width) {
  size_t n_bytes = fr_bitpack_size(n, width);
  memset(dst, 0, n_bytes);
  if (width == 0)
    return;
  for (uint32_t idx = 0; idx < n; idx++) {
    size_t bit = (size_t)idx * width;
    uint64_t word = fr_load_u64(dst + (bit >> 3));
    word |= values[idx] << (bit & 7);
    fr_store_u64(dst + (bit >> 3), word);
  }
}

/* Unpacking with the width a compile-time constant: 8 values take exactly
 * `w` bytes, so each group of 8 is 8 loads at constant offsets with constant
 * shifts, which the compiler unrolls and vectorizes (2-4x the generic loop,
 * which was a tenth of a scan's time).  The public functions dispatch on the
 * width; the tail (n mod 8) is the generic loop. */
#define FR_ALWAYS_INLINE static inline __attribute__((always_inline))

FR_ALWAYS_INLINE void fr_unpack64_w(uint64_t *dst, const uint8_t *src, uint32_t n, const unsigned w) {
  const uint64_t mask = (1ULL << w) - 1;
  uint32_t idx = 0;
  for (; idx + 8 <= n; idx += 8) {
    const uint8_t *b = src + (size_t)(idx / 8) * w;
    for (unsigned k = 0; k < 8; k++) dst[idx + k] = (fr_load_u64(b + ((k * w) >> 3)) >> ((k * w) & 7)) & mask;
  }
  for (; idx < n; idx++) {
    const size_t bit = (size_t)idx * w;
    dst[idx] = (fr_load_u64(src + (bit >> 3)) >> (bit & 7)) & mask;
  }
}

FR_ALWAYS_INLINE uint32_t fr_unpack32_w(uint32_t *dst, const uint8_t *src, uint32_t n, const unsigned w) {
  const uint64_t mask = (1ULL << w) - 1;
  uint32_t largest = 0, idx = 0;
  for (; idx + 8 <= n; idx += 8) {
    const uint8_t *b = src + (size_t)(idx / 8) * w;
    for (unsigned k = 0; k < 8; k++) {
      const uint32_t v = (uint32_t)((fr_load_u64(b + ((k * w) >> 3)) >> ((k * w) & 7)) & mask);
      dst[idx + k] = v;
      largest = v > largest ? v : largest;
    }
  }
  for (; idx < n; idx++) {
    const size_t bit = (size_t)idx * w;
    const uint32_t v = (uint32_t)((fr_load_u64(src + (bit >> 3)) >> (bit & 7)) & mask);
    dst[idx] = v;
    largest = v > largest ? v : largest;
  }
  return largest;
}

#define FR_W8(F, a) F(a + 1) F(a + 2) F(a + 3) F(a + 4) F(a + 5) F(a + 6) F(a + 7) F(a + 8)
#define FR_CASE64(W) case W: fr_unpack64_w(dst, src, n, W); return;
#define FR_CASE32(W) case W: return fr_unpack32_w(dst, src, n, W);

void fr_bitunpack(uint64_t *dst, const uint8_t *src, uint32_t n, unsigned width) {
  if (width == 0) {
    memset(dst, 0, (size_t)n * sizeof *dst);
    return;
  }
  switch (width) {
    FR_W8(FR_CASE64, 0) FR_W8(FR_CASE64, 8) FR_W8(FR_CASE64, 16) FR_W8(FR_CASE64, 24)
    FR_W8(FR_CASE64, 32) FR_W8(FR_CASE64, 40) FR_W8(FR_CASE64, 48)
    default: break;
  }
  const uint64_t mask = width == 64 ? ~0ULL : ((1ULL << width) - 1);
  for (uint32_t idx = 0; idx < n; idx++) {
    size_t bit = (size_t)idx * width;
    dst[idx] = (fr_load_u64(src + (bit >> 3)) >> (bit & 7)) & mask;
  }
}

uint32_t fr_bitunpack32(uint32_t *dst, const uint8_t *src, uint32_t n, unsigned width) {
  if (width == 0) {
    memset(dst, 0, (size_t)n * sizeof *dst);
    return 0;
  }
  switch (width) {
    FR_W8(FR_CASE32, 0) FR_W8(FR_CASE32, 8) FR_W8(FR_CASE32, 16) FR_W8(FR_CASE32, 24)
    default: break;
  }
  /* widths 33..56 into 32 bits keep the low bits, as a cast would */
  const uint64_t mask = (1ULL << width) - 1;
  uint32_t largest = 0;
  for (uint32_t idx = 0; idx < n; idx++) {
    size_t bit = (size_t)idx * width;
    uint32_t v = (uint32_t)((fr_load_u64(src + (bit >> 3)) >> (bit & 7)) & mask);
    dst[idx] = v;
    largest = v > largest ? v : largest;
  }
  return largest;
}
