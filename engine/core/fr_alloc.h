/* fr_alloc.h - the one allocator every layer uses.
 *
 * All heap memory goes through these wrappers so that a test can make the Nth
 * allocation fail (fr_alloc_fail_after) and check that every caller copes.  They
 * behave like malloc/calloc/realloc/free; free and realloc accept NULL.  The
 * failure injection counter is atomic, so the wrappers are thread safe.
 */
#ifndef FR_ALLOC_H
#define FR_ALLOC_H

#include <stddef.h>

void *fr_malloc(size_t size_bytes);
void *fr_calloc(size_t n_items, size_t item_bytes);
void *fr_realloc(void *ptr, size_t size_bytes);
/* As fr_calloc, for a table that will be touched all over (hash slots,
 * counters indexed at random): a fresh fr_malloc block, huge-page advised when
 * big, zeroed now (fr_calloc's blocks are not advised: a sparsely touched one
 * would zero 2 MiB per touch).  NULL on failure. */
void *fr_calloc_dense(size_t n_items, size_t item_bytes);
/* Grows a table that is read at random (hash slots and the arrays they index):
 * a fresh fr_malloc block of size_bytes (huge-page advised when big, which a
 * realloc'd block is not) with the first used_bytes of ptr copied, then ptr
 * freed.  NULL on failure, ptr then untouched.  The unused tail is not zeroed. */
void *fr_regrow(void *ptr, size_t used_bytes, size_t size_bytes);
void fr_free(void *ptr);

/* Returns a heap copy of `len` bytes of `src` plus a NUL (caller frees), or NULL. */
char *fr_strndup(const char *src, size_t len);

/* Test hook: after `n_ok` more successful allocations, every allocation fails
 * until fr_alloc_fail_after(-1) turns injection off. */
void fr_alloc_fail_after(long n_ok);

#endif
