/* fr_arena.c - bump allocation in blocks (see fr_arena.h). */
#include "fr_arena.h"

#include <string.h>

#include "fr_alloc.h"

struct fr_arena_block {
  fr_arena_block *next;
  size_t size;              /* payload bytes */
  size_t used;
  _Alignas(16) unsigned char data[];
};

int fr_budget_charge(fr_budget *budget, uint64_t bytes) {
  if (budget == NULL || budget->limit == 0)
    return 0;
  uint64_t after = __atomic_add_fetch(&budget->used, bytes, __ATOMIC_RELAXED);
  if (after > budget->limit) {
    __atomic_sub_fetch(&budget->used, bytes, __ATOMIC_RELAXED);
    return -1;
  }
  return 0;
}

void fr_budget_release(fr_budget *budget, uint64_t bytes) {
  if (budget == NULL || budget->limit == 0)
    return;
  __atomic_sub_fetch(&budget->used, bytes, __ATOMIC_RELAXED);
}

void fr_arena_init(fr_arena *arena, fr_budget *budget) {
  memset(arena, 0, sizeof *arena);
  arena->block_bytes = 64 * 1024;
  arena->budget = budget;
}

/* Takes from the spare list the smallest block with room for `size` bytes (so a
 * small request does not take the block a large one will need), or NULL. */
static fr_arena_block *fr_arena_take_spare(fr_arena *arena, size_t size) {
  fr_arena_block **best = NULL;
  for (fr_arena_block **at = &arena->spare; *at != NULL; at = &(*at)->next)
    if ((*at)->size >= size && (best == NULL || (*at)->size < (*best)->size))
      best = at;
  if (best == NULL)
    return NULL;
  fr_arena_block *block = *best;
  *best = block->next;
  block->next = NULL;
  block->used = 0;
  return block;
}

void *fr_arena_alloc(fr_arena *arena, size_t size) {
  size = (size + 15) & ~(size_t)15;
  fr_arena_block *block = arena->head;
  if (block == NULL || block->size - block->used < size) {
    fr_arena_block *fresh = fr_arena_take_spare(arena, size);
    if (fresh == NULL) {
      size_t payload = size > arena->block_bytes ? size : arena->block_bytes;
      if (fr_budget_charge(arena->budget, payload) != 0) {
        arena->over_budget = 1;
        return NULL;
      }
      fresh = fr_malloc(sizeof *fresh + payload);
      if (fresh == NULL) {
        fr_budget_release(arena->budget, payload);
        return NULL;
      }
      arena->charged += payload;
      fresh->size = payload;
      fresh->used = 0;
      if (arena->block_bytes < (8u << 20))
        arena->block_bytes *= 2;
    }
    if (block != NULL && size > arena->block_bytes) {
      /* An oversized request gets its own block behind the current one, so the
       * current block's free space stays usable. */
      fresh->next = block->next;
      block->next = fresh;
      fresh->used = size;
      return fresh->data;
    }
    fresh->next = block;
    arena->head = fresh;
    block = fresh;
  }
  void *out = block->data + block->used;
  block->used += size;
  return out;
}

char *fr_arena_strndup(fr_arena *arena, const char *s, size_t len) {
  char *out = fr_arena_alloc(arena, len + 1);
  if (out != NULL) {
    if (len > 0)
      memcpy(out, s, len);
    out[len] = '\0';
  }
  return out;
}

static void fr_arena_free_from(fr_arena *arena, fr_arena_block *block) {
  while (block != NULL) {
    fr_arena_block *next = block->next;
    fr_budget_release(arena->budget, block->size);
    arena->charged -= block->size;
    fr_free(block);
    block = next;
  }
}

void fr_arena_reset(fr_arena *arena) {
  fr_arena_block *block = arena->head;
  while (block != NULL) {
    fr_arena_block *next = block->next;
    block->used = 0;
    block->next = arena->spare;
    arena->spare = block;
    block = next;
  }
  arena->head = NULL;
}

void fr_arena_free(fr_arena *arena) {
  fr_arena_free_from(arena, arena->head);
  fr_arena_free_from(arena, arena->spare);
  arena->head = NULL;
  arena->spare = NULL;
}
