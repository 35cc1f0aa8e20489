/* fr_json_infer.c - schema inference for JSON lines (see fr_json_infer.h).
 * Runs once per new table over at most one block (~10^5 lines). */
#include "fr_json_infer.h"

#include <json-c/json.h>
#include <stdint.h>
#include <string.h>

#include "fr_alloc.h"

#define FR_MASK_TEXT_ONLY 0u
#define FR_MASK_DATES (16u | 32u)
#define FR_MASK_NUMBERS (2u | 4u | 8u)

int fr_json_next_key(const char *line, size_t len, size_t *pos, int *depth, size_t *start, size_t *key_len) {
  for (size_t p = *pos; p < len; p++) {
    char c = line[p];
    if (c == '{' || c == '[') {
      (*depth)++;
    } else if (c == '}' || c == ']') {
      (*depth)--;
    } else if (c == '"') {
      size_t open = p++;
      while (p < len && line[p] != '"')
        p += line[p] == '\\' ? 2 : 1;
      size_t after = p + 1;
      while (after < len && (line[after] == ' ' || line[after] == '\t' || line[after] == '\r'))
        after++;
      if (*depth == 1 && after < len && line[after] == ':') {
        *start = open + 1;
        *key_len = p - open - 1;
        *pos = p + 1;
        return 1;
      }
    }
  }
  *pos = len;
  return 0;
}

const char *fr_json_int_text(struct json_object *value, const char *line, size_t len, const char *key,
                             size_t *text_len) {
  const char *text = json_object_get_string(value);
  *text_len = strlen(text);
  const int64_t v = json_object_get_int64(value);
  if (v != INT64_MAX && v != INT64_MIN && v != 0)
    return text; /* json-c read it exactly */
  /* the literal after the key (a key written with escapes is not found: json-c's text) */
  const size_t want = strlen(key);
  size_t pos = 0, start, key_len;
  int depth = 0;
  while (fr_json_next_key(line, len, &pos, &depth, &start, &key_len)) {
    if (key_len != want || memcmp(line + start, key, want) != 0)
      continue;
    size_t at = pos;
    while (at < len && line[at] != ':') at++;
    at++;
    while (at < len && (line[at] == ' ' || line[at] == '\t' || line[at] == '\r')) at++;
    size_t end = at;
    while (end < len && ((line[end] >= '0' && line[end] <= '9') || line[end] == '-' || line[end] == '+' ||
                         line[end] == '.' || line[end] == 'e' || line[end] == 'E'))
      end++;
    if (end > at) {
      *text_len = end - at;
      return line + at;
    }
    break;
  }
  return text;
}

fr_status fr_json_infer_schema(fr_schema *schema, const fr_record_block *block, const char *table,
                               const char *file, fr_error *err) {
  fr_schema_init(schema);
  uint32_t *masks = NULL;
  uint32_t *seen = NULL;
  fr_status status = FR_OK;
  struct json_tokener *tok = json_tokener_new();
  if (tok == NULL)
    return fr_error_set(err, FR_ERR_NOMEM, "out of memory");
  for (uint32_t rec = 0; rec < block->n_records && status == FR_OK; rec++) {
    const char *line = (const char *)block->bytes + block->rec_start[rec];
    size_t len = block->rec_end[rec] - block->rec_start[rec];
    if (block->rec_error[rec] != NULL || memchr(line, 0, len) != NULL)
      continue;
    json_tokener_reset(tok);
    json_object *obj = json_tokener_parse_ex(tok, line, (int)len);
    if (obj == NULL || !json_object_is_type(obj, json_type_object)) {
      json_object_put(obj);
      continue;
    }
    json_object_object_foreach(obj, key, value) {
      int col = fr_schema_find(schema, key, strlen(key));
      if (col < 0) {
        status = fr_schema_add(schema, key, strlen(key), FR_TYPE_STRING, err);
        if (status != FR_OK) {
          fr_error_prefix(err, "%s:%llu: ", file, (unsigned long long)block->rec_line[rec]);
          break;
        }
        col = (int)schema->n_columns - 1;
        uint32_t *grown_masks = fr_realloc(masks, schema->n_columns * sizeof *masks);
        if (grown_masks) masks = grown_masks;
        uint32_t *grown_seen = fr_realloc(seen, schema->n_columns * sizeof *seen);
        if (grown_seen) seen = grown_seen;
        if (!grown_masks || !grown_seen) {
          status = fr_error_set(err, FR_ERR_NOMEM, "out of memory");
          break;
        }
        masks[col] = ~0u;
        seen[col] = 0;
      }
      if (value == NULL)
        continue;
      uint32_t mask;
      switch (json_object_get_type(value)) {
      case json_type_boolean: mask = 1u; break;
      case json_type_int: {
        size_t text_len;
        const char *text = fr_json_int_text(value, line, len, key, &text_len);
        mask = fr_schema_type_mask(text, text_len) & FR_MASK_NUMBERS;
        break;
      }
      case json_type_double: {
        const char *text = json_object_get_string(value);
        mask = fr_schema_type_mask(text, strlen(text)) & FR_MASK_NUMBERS;
        break;
      }
      case json_type_string: {
        const char *text = json_object_get_string(value);
        size_t text_len = (size_t)json_object_get_string_len(value);
        if (text_len == 0)
          continue;
        mask = fr_schema_type_mask(text, text_len) & FR_MASK_DATES;
        break;
      }
      default: mask = FR_MASK_TEXT_ONLY; break;
      }
      masks[col] &= mask;
      seen[col]++;
    }
    json_object_put(obj);
  }
  json_tokener_free(tok);
  if (status == FR_OK && schema->n_columns == 0)
    status = fr_error_set(err, FR_ERR_PARSE, "%s: no JSON object with keys in the first lines", file);
  if (status == FR_OK) {
    for (uint32_t col = 0; col < schema->n_columns; col++) {
      fr_type type;
      if (!fr_schema_canonical_type(table, schema->columns[col].name, &type))
        type = seen[col] ? fr_schema_type_from_mask(masks[col]) : FR_TYPE_STRING;
      schema->columns[col].type = type;
    }
  } else {
    fr_schema_free(schema);
  }
  fr_free(masks);
  fr_free(seen);
  return status;
}
