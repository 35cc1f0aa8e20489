/* fr_hash.h - XXH3, the one hash ferret uses for hash tables, checksums and
 * finding ids (libxxhash from Debian).  Thin inline wrappers so every layer names
 * the same function. */
#ifndef FR_HASH_H
#define FR_HASH_H

#include <stddef.h>
#include <stdint.h>
/* The header's implementation inlined (Debian's libxxhash-dev ships it): the
 * keys hashed per row (group and join keys, ids, dictionary entries) are short,
 * and a library call cost about as much as the hash of such a key. */
#define XXH_INLINE_ALL
#include <xxhash.h>

static inline uint64_t fr_hash64(const void *data, size_t len, uint64_t seed) {
  return XXH3_64bits_withSeed(data, len, seed);
}

static inline uint64_t fr_hash_u64(uint64_t v, uint64_t seed) {
  return XXH3_64bits_withSeed(&v, sizeof v, seed);
}

#endif
