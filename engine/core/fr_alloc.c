/* fr_alloc.c - malloc wrappers with failure injection (see fr_alloc.h). */
#include "fr_alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fr_alloc_budget = -1; /* -1: injection off */

static int fr_alloc_should_fail(void) {
  long budget = atomic_load_explicit(&fr_alloc_budget, memory_order_relaxed);
  if (budget < 0)
    return 0;
  if (budget == 0)
    return 1;
  return atomic_fetch_sub(&fr_alloc_budget, 1) <= 0;
}

void *fr_malloc(size_t size_bytes) {
  if (fr_alloc_should_fail())
    return NULL;
  return malloc(size_bytes ? size_bytes : 1);
}

void *fr_calloc(size_t n_items, size_t item_bytes) {
  if (fr_alloc_should_fail())
    return NULL;
  return calloc(n_items ? n_items : 1, item_bytes ? item_bytes : 1);
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
