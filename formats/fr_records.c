/* fr_records.c - record block storage (see fr_records.h). */
#include "fr_records.h"

#include <string.h>

#include "fr_alloc.h"

void fr_record_block_init(fr_record_block *block) { memset(block, 0, sizeof *block); }

void fr_record_block_free(fr_record_block *block) {
  fr_free(block->bytes);
  fr_free(block->rec_line);
  fr_free(block->rec_start);
  fr_free(block->rec_end);
  fr_free(block->rec_field);
  fr_free((void *)block->rec_error);
  fr_free(block->rec_error_at);
  fr_free(block->field_start);
  fr_free(block->field_len);
  fr_free(block->field_flags);
  fr_record_block_init(block);
}

void fr_record_block_clear(fr_record_block *block) {
  block->n_bytes = 0;
  block->n_records = 0;
  block->n_fields = 0;
  if (block->rec_field != NULL)
    block->rec_field[0] = 0;
}

void fr_record_block_locate(const fr_record_block *block, uint32_t rec_idx, uint32_t offset,
                            uint64_t *line, uint64_t *column) {
  uint64_t at_line = block->rec_line[rec_idx];
  uint32_t line_start = block->rec_start[rec_idx];
  for (uint32_t pos = block->rec_start[rec_idx]; pos < offset && pos < block->n_bytes; pos++) {
    if (block->bytes[pos] == '\n') {
      at_line++;
      line_start = pos + 1;
    }
  }
  *line = at_line;
  *column = (uint64_t)(offset - line_start) + 1;
}

const char *fr_record_field_text(const fr_record_block *block, uint32_t field_idx, char *scratch,
                                 uint32_t *len) {
  const char *text = (const char *)block->bytes + block->field_start[field_idx];
  uint32_t n = block->field_len[field_idx];
  if (!(block->field_flags[field_idx] & FR_FIELD_ESCAPED)) {
    *len = n;
    return text;
  }
  uint32_t out = 0;
  for (uint32_t pos = 0; pos < n; pos++) {
    scratch[out++] = text[pos];
    if (text[pos] == '"' && pos + 1 < n && text[pos + 1] == '"')
      pos++;
  }
  *len = out;
  return scratch;
}
