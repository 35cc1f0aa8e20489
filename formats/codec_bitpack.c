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

void fr_bitunpack(uint64_t *dst, const uint8_t *src, uint32_t n, unsigned width) {
  if (width == 0) {
    memset(dst, 0, (size_t)n * sizeof *dst);
    return;
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
