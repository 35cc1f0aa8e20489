/* fr_alloc.c - malloc wrappers with failure injection (see fr_alloc.h). */
#include "fr_alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static atomic_long fr_alloc_budget = -1; /* -1: injection off */

static int fr_alloc_should_fail(void) {
  long budget = atomic_load_explicit(&fr_alloc_budget, memory_order_relaxed);
  if (budget < 0)
    return 0;
  if (budget == 0)
    return 1;
  return atomic_fetch_sub(&fr_alloc_budget, 1) <= 0;
}

/* Blocks of several MB (per-row arrays of a loaded table, hash tables) are first
 * touched page by page; with 4 KiB pages the page faults cost as much as the work
 * (a third of an approval detector's time at 7M events).  So the 2 MiB-aligned
 * middle of such a block is marked for transparent huge pages, as glibc's
 * glibc.malloc.hugetlb=1 tunable would do; the kernel's THP policy decides (with
 * THP off the call fails and is ignored).  Nothing else changes: the block is
 * still malloc's and free() returns it.  Only fresh fr_malloc blocks are
 * advised: a realloc'd block already has its pages (the kernel would collapse
 * them in the background), and a calloc'd one is often touched sparsely, where
 * a huge page would zero 2 MiB per touch. */
static const size_t FR_HUGE_PAGE = (size_t)2 << 20, FR_HUGE_MIN = (size_t)4 << 20;

static void *fr_alloc_advise(void *block, size_t size_bytes) {
#ifdef MADV_HUGEPAGE
  if (block != NULL && size_bytes >= FR_HUGE_MIN) {
    uintptr_t lo = ((uintptr_t)block + FR_HUGE_PAGE - 1) & ~(uintptr_t)(FR_HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)block + size_bytes) & ~(uintptr_t)(FR_HUGE_PAGE - 1);
    if (hi > lo)
      (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
  }
#endif
  return block;
}

void *fr_malloc(size_t size_bytes) {
  if (fr_alloc_should_fail())
    return NULL;
  return fr_alloc_advise(malloc(size_bytes ? size_bytes : 1), size_bytes);
}

void *fr_calloc(size_t n_items, size_t item_bytes) {
  if (fr_alloc_should_fail())
    return NULL;
  /* not advised: a large zeroed block is often touched sparsely (offsets of
   * the few evidence rows), where a huge page would zero 2 MiB per touch */
  return calloc(n_items ? n_items : 1, item_bytes ? item_bytes : 1);
}

void *fr_calloc_dense(size_t n_items, size_t item_bytes) {
  if (item_bytes != 0 && n_items > SIZE_MAX / item_bytes)
    return NULL;
  void *block = fr_malloc(n_items * item_bytes);
  if (block != NULL)
    memset(block, 0, n_items * item_bytes);
  return block;
}

void *fr_regrow(void *ptr, size_t used_bytes, size_t size_bytes) {
  void *grown = fr_malloc(size_bytes);
  if (grown == NULL)
    return NULL;
  if (ptr != NULL && used_bytes > 0)
    memcpy(grown, ptr, used_bytes < size_bytes ? used_bytes : size_bytes);
  free(ptr);
  return grown;
}

void *fr_realloc(void *ptr, size_t size_bytes) {
  if (fr_alloc_should_fail())
    return NULL;
  return realloc(ptr, size_bytes ? size_bytes : 1);
}

void fr_free(void *ptr) { free(ptr); }

char *fr_strndup(const char *src, size_t len) {
  char *copy = fr_malloc(len + 1);
  if (copy == NULL)
    return NULL;
  memcpy(copy, src, len);
  copy[len] = '\0';
  return copy;
}

void fr_alloc_fail_after(long n_ok) {
  atomic_store(&fr_alloc_budget, n_ok < 0 ? -1 : n_ok);
}
