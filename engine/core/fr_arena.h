/* fr_arena.h - a bump allocator for many small objects freed together (parse
 * trees, per-batch strings).  Blocks come from fr_malloc; an optional budget
 * counter lets a query charge its arena to its memory limit.
 *
 * Not thread safe: one arena per thread.  fr_arena_alloc returns NULL when the
 * allocation fails or the budget would be exceeded (the caller reports
 * FR_ERR_NOMEM or FR_ERR_LIMIT by looking at fr_arena_over_budget). */
#ifndef FR_ARENA_H
#define FR_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct fr_arena_block fr_arena_block;

/* A shared byte budget (a query's memory limit); charged with atomics. */
typedef struct fr_budget {
  uint64_t limit;           /* bytes; 0 = unlimited */
  uint64_t used;            /* updated atomically */
} fr_budget;

/* Charges `bytes` to `budget` (NULL: no budget).  Returns 0, or -1 (and charges
 * nothing) when the limit would be exceeded. */
int fr_budget_charge(fr_budget *budget, uint64_t bytes);
void fr_budget_release(fr_budget *budget, uint64_t bytes);

typedef struct fr_arena {
  fr_arena_block *head;
  fr_arena_block *spare;    /* emptied blocks kept by fr_arena_reset for reuse */
  size_t block_bytes;       /* size of the next ordinary block */
  fr_budget *budget;        /* may be NULL */
  uint64_t charged;         /* bytes charged to budget by this arena */
  int over_budget;          /* set when an allocation failed on the budget */
} fr_arena;

void fr_arena_init(fr_arena *arena, fr_budget *budget);
/* Returns `size` bytes aligned to 16, or NULL (see the file comment). */
void *fr_arena_alloc(fr_arena *arena, size_t size);
/* Copies `len` bytes plus a NUL into the arena. */
char *fr_arena_strndup(fr_arena *arena, const char *s, size_t len);
/* Empties the arena but keeps its blocks (still charged to the budget) for the
 * next allocations: a per-batch arena reaches its working set once instead of
 * returning it to the system and faulting it in again every batch. */
void fr_arena_reset(fr_arena *arena);
/* Frees everything and uncharges the budget. */
void fr_arena_free(fr_arena *arena);

#endif
