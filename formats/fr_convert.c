/* fr_convert.c - text fields to typed columns (see fr_convert.h).
 *
 * Workload: every field of every ingested row passes through fr_convert_value,
 * ~10^8 calls for a 10M-row table, run on all cores (one block per task).  A row
 * is converted into the next free slot of every column; only when all its fields
 * succeed does the row count advance, so a rejected row leaves no trace (string
 * bytes are rolled back to the row's start offset).
 */
#include "fr_convert.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_json_infer.h"

void fr_reject_list_free(fr_reject_list *list) {
  fr_free(list->items);
  memset(list, 0, sizeof *list);
}

static fr_status fr_reject_add(fr_reject_list *list, uint32_t rec_idx, int32_t column,
                               uint32_t offset, const char *why, const char *detail) {
  if (list->n == list->cap) {
    uint32_t cap = list->cap ? list->cap * 2 : 16;
    fr_reject *grown = fr_realloc(list->items, cap * sizeof *grown);
    if (grown == NULL)
      return FR_ERR_NOMEM;
    list->items = grown;
    list->cap = cap;
  }
  fr_reject *rej = &list->items[list->n++];
  rej->rec_idx = rec_idx;
  rej->column = column;
  rej->offset = offset;
  rej->why = why;
  rej->detail[0] = '\0';
  if (detail != NULL) {
    size_t len = strlen(detail);
    if (len >= sizeof rej->detail)
      len = sizeof rej->detail - 1;
    memcpy(rej->detail, detail, len);
    rej->detail[len] = '\0';
  }
  return FR_OK;
}

int fr_utf8_valid(const uint8_t *bytes, size_t len, size_t *bad_at) {
  size_t pos = 0;
  while (pos < len) {
    /* ASCII fast path, 8 bytes at a time. */
    while (pos + 8 <= len) {
      uint64_t word;
      memcpy(&word, bytes + pos, 8);
      if (word & 0x8080808080808080ULL)
        break;
      pos += 8;
    }
    if (pos >= len)
      break;
    uint8_t c = bytes[pos];
    if (c < 0x80) {
      pos++;
      continue;
    }
    size_t need;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      cp = c & 0x07;
    } else {
      *bad_at = pos;
      return 0;
    }
    if (pos + need >= len) {
      *bad_at = pos;
      return 0;
    }
    for (size_t k = 1; k <= need; k++) {
      if ((bytes[pos + k] & 0xC0) != 0x80) {
        *bad_at = pos;
        return 0;
      }
      cp = (cp << 6) | (bytes[pos + k] & 0x3F);
    }
    if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      *bad_at = pos;
      return 0;
    }
    pos += need + 1;
  }
  return 1;
}

/* Stores one value in row `row` of `col`.  `is_null` marks an SQL NULL.
 * Returns NULL or a static reason. */
static const char *fr_convert_value(fr_column *col, uint32_t row, const char *text, uint32_t len,
                                    int is_null, size_t *bad_at) {
  if (is_null) {
    if (col->validity == NULL && fr_column_ensure_validity(col) != FR_OK)
      return "out of memory";
    fr_column_set_null_bit(col, row);
    switch (col->type) {
    case FR_TYPE_STRING: col->str_offsets[row + 1] = (uint32_t)col->str_len; break;
    case FR_TYPE_FLOAT64: col->f64[row] = 0; break;
    default: col->i64[row] = 0; break;
    }
    return NULL;
  }
  if (col->validity != NULL)
    col->validity[row >> 3] |= (uint8_t)(1u << (row & 7));
  const char *why = NULL;
  switch (col->type) {
  case FR_TYPE_STRING:
    if (memchr(text, 0, len) != NULL) {
      *bad_at = (size_t)((const char *)memchr(text, 0, len) - text);
      return "NUL byte in a text value";
    }
    if (!fr_utf8_valid((const uint8_t *)text, len, bad_at))
      return "invalid UTF-8";
    if (fr_column_push_str(col, text, len) != FR_OK)
      return "text column exceeds 4 GiB in one row group";
    col->str_offsets[row + 1] = (uint32_t)col->str_len;
    return NULL;
  case FR_TYPE_INT64: why = fr_parse_int64(&col->i64[row], text, len); break;
  case FR_TYPE_DECIMAL: why = fr_parse_decimal(&col->i64[row], text, len); break;
  case FR_TYPE_FLOAT64: why = fr_parse_float64(&col->f64[row], text, len); break;
  case FR_TYPE_BOOL: why = fr_parse_bool(&col->i64[row], text, len); break;
  case FR_TYPE_DATE: why = fr_parse_date(&col->i64[row], text, len); break;
  case FR_TYPE_TIMESTAMP: why = fr_parse_timestamp(&col->i64[row], text, len); break;
  }
  *bad_at = 0;
  return why;
}

/* Undoes a partly converted row: string bytes appended for `row` are dropped. */
static void fr_convert_rollback(fr_column *columns, uint32_t n_columns, uint32_t row) {
  for (uint32_t col_idx = 0; col_idx < n_columns; col_idx++) {
    fr_column *col = &columns[col_idx];
    if (col->type == FR_TYPE_STRING)
      col->str_len = col->str_offsets[row];
  }
}

/* Sets the row count of every column to the rows stored and counts NULLs. */
static void fr_convert_finish(fr_column *columns, uint32_t n_columns, uint32_t n_rows) {
  for (uint32_t col_idx = 0; col_idx < n_columns; col_idx++) {
    fr_column *col = &columns[col_idx];
    col->n_rows = n_rows;
    if (col->validity != NULL) {
      uint32_t nulls = 0;
      for (uint32_t row = 0; row < n_rows; row++)
        nulls += !fr_column_is_valid(col, row);
      col->null_count = nulls;
    }
  }
}

static fr_status fr_convert_prepare(const fr_record_block *block, uint32_t first_rec,
                                    const fr_convert_spec *spec, fr_column *columns) {
  uint32_t n_rows = block->n_records > first_rec ? block->n_records - first_rec : 0;
  for (uint32_t col_idx = 0; col_idx < spec->schema->n_columns; col_idx++) {
    fr_column *col = &columns[col_idx];
    fr_column_reset(col, spec->schema->columns[col_idx].type);
    size_t str_hint = col->type == FR_TYPE_STRING ? block->n_bytes / 4 + 64 : 0;
    FR_TRY(fr_column_reserve(col, n_rows ? n_rows : 1, str_hint));
    if (col->type == FR_TYPE_STRING)
      col->str_offsets[0] = 0;
  }
  return FR_OK;
}

static fr_status fr_convert_csv(const fr_record_block *block, uint32_t first_rec,
                                const fr_convert_spec *spec, fr_column *columns,
                                fr_reject_list *rejects) {
  const uint32_t n_columns = spec->schema->n_columns;
  uint32_t row = 0;
  char *scratch = NULL;
  size_t scratch_cap = 0;
  fr_status status = FR_OK;
  for (uint32_t rec = first_rec; rec < block->n_records; rec++) {
    if (block->rec_error[rec] != NULL) {
      status = fr_reject_add(rejects, rec, -1, block->rec_error_at[rec], block->rec_error[rec], NULL);
      if (status != FR_OK)
        goto done;
      continue;
    }
    uint32_t first_field = block->rec_field[rec];
    uint32_t n_fields = block->rec_field[rec + 1] - first_field;
    if (n_fields != spec->n_input_fields) {
      char detail[64];
      snprintf(detail, sizeof detail, "expected %u fields, found %u", spec->n_input_fields, n_fields);
      status = fr_reject_add(rejects, rec, -1, block->rec_start[rec], "wrong number of fields", detail);
      if (status != FR_OK)
        goto done;
      continue;
    }
    uint32_t col_idx = 0;
    for (; col_idx < n_columns; col_idx++) {
      uint32_t field = first_field + (uint32_t)spec->field_of_column[col_idx];
      uint32_t len = block->field_len[field];
      if ((block->field_flags[field] & FR_FIELD_ESCAPED) && len > scratch_cap) {
        char *grown = fr_realloc(scratch, len);
        if (grown == NULL) {
          status = FR_ERR_NOMEM;
          goto done;
        }
        scratch = grown;
        scratch_cap = len;
      }
      const char *text = fr_record_field_text(block, field, scratch, &len);
      /* An empty unquoted field is NULL; a quoted "" is an empty string. */
      int is_null = len == 0 && !(block->field_flags[field] & FR_FIELD_QUOTED);
      if (columns[col_idx].type != FR_TYPE_STRING && len == 0)
        is_null = 1;
      size_t bad_at = 0;
      const char *why = fr_convert_value(&columns[col_idx], row, text, len, is_null, &bad_at);
      if (why != NULL) {
        fr_convert_rollback(columns, col_idx + 1, row);
        /* Unescaped text shifts offsets; point at the field start then. */
        uint32_t at = block->field_start[field] +
                      ((block->field_flags[field] & FR_FIELD_ESCAPED) ? 0 : (uint32_t)bad_at);
        status = fr_reject_add(rejects, rec, (int32_t)col_idx, at, why, NULL);
        if (status != FR_OK)
          goto done;
        break;
      }
    }
    if (col_idx == n_columns)
      row++;
  }
done:
  fr_free(scratch);
  fr_convert_finish(columns, n_columns, row);
  return status;
}

/* Returns 1 when text starts a JSON value other than an object (array, string,
 * number, true/false/null), to tell "not an object" from "not JSON". */
static int fr_json_starts_value(const char *text, size_t len) {
  if (len == 0)
    return 0;
  char c = text[0];
  if (c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9'))
    return 1;
  static const char *words[] = {"true", "false", "null"};
  for (int idx = 0; idx < 3; idx++) {
    size_t n = strlen(words[idx]);
    if (len >= n && memcmp(text, words[idx], n) == 0 &&
        (len == n || text[n] == ' ' || text[n] == '\t'))
      return 1;
  }
  return 0;
}

/* Parses four hex digits; returns 1 and the value, or 0. */
static int fr_hex4(const char *text, unsigned *out) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = text[k];
    unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
    if (d == 16)
      return 0;
    v = v * 16 + d;
  }
  *out = v;
  return 1;
}

/* Finds a \\u escape that is half of a UTF-16 surrogate pair without its other
 * half (json-c would store it as U+FFFD, silently changing the text).  Returns 1
 * and the offset in *at, or 0. */
static int fr_json_bad_surrogate(const char *line, size_t len, size_t *at) {
  if (memchr(line, '\\', len) == NULL)
    return 0;
  for (size_t pos = 0; pos + 6 <= len; pos++) {
    if (line[pos] != '\\')
      continue;
    if (line[pos + 1] != 'u') {
      pos++; /* skip the escaped character (it may be a backslash) */
      continue;
    }
    unsigned v;
    if (!fr_hex4(line + pos + 2, &v))
      continue;
    if (v >= 0xDC00 && v <= 0xDFFF) {
      *at = pos;
      return 1;
    }
    if (v >= 0xD800 && v <= 0xDBFF) {
      unsigned low = 0;
      int has_low = pos + 12 <= len && line[pos + 6] == '\\' && line[pos + 7] == 'u' &&
                    fr_hex4(line + pos + 8, &low);
      if (!has_low || low < 0xDC00 || low > 0xDFFF) {
        *at = pos;
        return 1;
      }
      pos += 11;
      continue;
    }
    pos += 5;
  }
  return 0;
}

/* Byte offset in the block of `key`'s name (want_value 0) or of its value (1)
 * in JSON line `rec`, found by searching the raw text for the quoted key followed
 * by a colon; the line start when the key is written with escapes. */
static uint32_t fr_json_key_at(const fr_record_block *block, uint32_t rec, const char *key,
                               int want_value) {
  const char *line = (const char *)block->bytes + block->rec_start[rec];
  size_t len = block->rec_end[rec] - block->rec_start[rec];
  size_t key_len = strlen(key);
  for (size_t pos = 0; pos + key_len + 2 <= len; pos++) {
    if (line[pos] != '"' || memcmp(line + pos + 1, key, key_len) != 0 || line[pos + 1 + key_len] != '"')
      continue;
    size_t at = pos + key_len + 2;
    while (at < len && (line[at] == ' ' || line[at] == '\t'))
      at++;
    if (at >= len || line[at] != ':')
      continue;
    if (!want_value)
      return block->rec_start[rec] + (uint32_t)pos;
    at++;
    while (at < len && (line[at] == ' ' || line[at] == '\t'))
      at++;
    return block->rec_start[rec] + (uint32_t)at;
  }
  return block->rec_start[rec];
}

/* json-c keeps only the last value of a key written twice in one object, which
 * would silently drop the first (DuckDB rejects such a line).  Returns 1 when the
 * top-level object has more keys than json-c kept, with the offset of the repeated
 * key in *at and its raw name in name (empty when only escapes tell them apart). */
static int fr_json_duplicate_key(const char *line, size_t len, size_t n_unique, size_t *at,
                                 char *name, size_t name_cap) {
  size_t pos = 0, start, key_len, n_keys = 0;
  int depth = 0;
  while (fr_json_next_key(line, len, &pos, &depth, &start, &key_len))
    n_keys++;
  if (n_keys <= n_unique)
    return 0;
  *at = 0;
  name[0] = '\0';
  pos = 0;
  depth = 0;
  while (fr_json_next_key(line, len, &pos, &depth, &start, &key_len)) {
    size_t prev_pos = 0, prev_start, prev_len;
    int prev_depth = 0;
    while (fr_json_next_key(line, len, &prev_pos, &prev_depth, &prev_start, &prev_len) &&
           prev_start < start) {
      if (prev_len == key_len && memcmp(line + prev_start, line + start, key_len) == 0) {
        *at = start - 1;
        size_t n = key_len < name_cap - 1 ? key_len : name_cap - 1;
        memcpy(name, line + start, n);
        name[n] = '\0';
        return 1;
      }
    }
  }
  return 1;
}

static fr_status fr_convert_jsonl(const fr_record_block *block, uint32_t first_rec,
                                  const fr_convert_spec *spec, fr_column *columns,
                                  fr_reject_list *rejects) {
  const uint32_t n_columns = spec->schema->n_columns;
  uint32_t row = 0;
  fr_status status = FR_OK;
  struct json_tokener *tok = json_tokener_new_ex(64);
  uint8_t *present = fr_calloc(n_columns ? n_columns : 1, 1);
  if (tok == NULL || present == NULL) {
    status = FR_ERR_NOMEM;
    goto done;
  }
  /* RFC 8259 exactly: no trailing commas, comments or single quotes. */
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
  for (uint32_t rec = first_rec; rec < block->n_records; rec++) {
    const char *line = (const char *)block->bytes + block->rec_start[rec];
    size_t len = block->rec_end[rec] - block->rec_start[rec];
    if (block->rec_error[rec] != NULL) {
      status = fr_reject_add(rejects, rec, -1, block->rec_error_at[rec], block->rec_error[rec], NULL);
      if (status != FR_OK)
        goto done;
      continue;
    }
    if (memchr(line, 0, len) != NULL) {
      status = fr_reject_add(rejects, rec, -1,
                             (uint32_t)((const char *)memchr(line, 0, len) - (const char *)block->bytes),
                             "NUL byte in a JSON line", NULL);
      if (status != FR_OK)
        goto done;
      continue;
    }
    size_t first = 0;
    while (first < len && (line[first] == ' ' || line[first] == '\t'))
      first++;
    if (first == len || line[first] != '{') {
      status = fr_reject_add(rejects, rec, -1, block->rec_start[rec] + (uint32_t)first,
                             fr_json_starts_value(line + first, len - first)
                                 ? "the line is not a JSON object"
                                 : "malformed JSON",
                             NULL);
      if (status != FR_OK)
        goto done;
      continue;
    }
    json_tokener_reset(tok);
    json_object *obj = json_tokener_parse_ex(tok, line, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t parsed = json_tokener_get_parse_end(tok);
    const char *why = NULL;
    uint32_t at = block->rec_start[rec];
    if (obj == NULL || jerr != json_tokener_success) {
      why = jerr == json_tokener_continue ? "incomplete JSON (the line ends inside a value)"
            : jerr == json_tokener_error_parse_utf8_string ? "invalid UTF-8"
                                                           : "malformed JSON";
      at += (uint32_t)parsed;
      if (jerr != json_tokener_continue && jerr != json_tokener_error_parse_utf8_string) {
        /* A complete object followed by more text is "trailing text", which the
         * strict tokener reports as a plain error: tell them apart. */
        struct json_tokener *lenient = json_tokener_new();
        json_object *whole = lenient ? json_tokener_parse_ex(lenient, line, (int)len) : NULL;
        if (whole != NULL && json_object_is_type(whole, json_type_object) &&
            json_tokener_get_parse_end(lenient) < len) {
          why = "trailing text after the JSON object";
          at = block->rec_start[rec] + (uint32_t)json_tokener_get_parse_end(lenient);
        }
        json_object_put(whole);
        if (lenient)
          json_tokener_free(lenient);
      }
    } else if (fr_json_bad_surrogate(line, len, &parsed)) {
      why = "invalid \\u escape (a lone UTF-16 surrogate)";
      at += (uint32_t)parsed;
    } else if (!json_object_is_type(obj, json_type_object)) {
      why = "the line is not a JSON object";
    } else {
      while (parsed < len && (line[parsed] == ' ' || line[parsed] == '\t'))
        parsed++;
      if (parsed < len) {
        why = "trailing text after the JSON object";
        at += (uint32_t)parsed;
      }
    }
    if (why != NULL) {
      if (obj != NULL)
        json_object_put(obj);
      status = fr_reject_add(rejects, rec, -1, at, why, NULL);
      if (status != FR_OK)
        goto done;
      continue;
    }
    char dup_name[96];
    if (fr_json_duplicate_key(line, len, (size_t)json_object_object_length(obj), &parsed,
                              dup_name, sizeof dup_name)) {
      json_object_put(obj);
      int dup_col = dup_name[0] ? fr_schema_find(spec->schema, dup_name, strlen(dup_name)) : -1;
      status = fr_reject_add(rejects, rec, dup_col, block->rec_start[rec] + (uint32_t)parsed,
                             "duplicate key", dup_name);
      if (status != FR_OK)
        goto done;
      continue;
    }
    memset(present, 0, n_columns);
    int ok = 1;
    json_object_object_foreach(obj, key, value) {
      int col_idx = fr_schema_find(spec->schema, key, strlen(key));
      if (col_idx < 0) {
        fr_convert_rollback(columns, n_columns, row);
        status = fr_reject_add(rejects, rec, -1, fr_json_key_at(block, rec, key, 0),
                               "key not in the table's schema", key);
        ok = 0;
        break;
      }
      if (present[col_idx]) {
        fr_convert_rollback(columns, n_columns, row);
        status = fr_reject_add(rejects, rec, col_idx, fr_json_key_at(block, rec, key, 0), "duplicate key", key);
        ok = 0;
        break;
      }
      present[col_idx] = 1;
      const char *text = NULL;
      uint32_t text_len = 0;
      int is_null = value == NULL;
      if (!is_null) {
        enum json_type jtype = json_object_get_type(value);
        if ((jtype == json_type_object || jtype == json_type_array) &&
            columns[col_idx].type != FR_TYPE_STRING) {
          fr_convert_rollback(columns, n_columns, row);
          status = fr_reject_add(rejects, rec, col_idx, fr_json_key_at(block, rec, key, 1),
                                 "nested JSON value in a non-text column", key);
          ok = 0;
          break;
        }
        const fr_type ctype = columns[col_idx].type;
        if ((ctype == FR_TYPE_TIMESTAMP || ctype == FR_TYPE_DATE) &&
            (jtype == json_type_int || jtype == json_type_double || jtype == json_type_boolean)) {
          /* an epoch number has no unit or zone we could know: say so, not "not a date" */
          fr_convert_rollback(columns, n_columns, row);
          status = fr_reject_add(rejects, rec, col_idx, fr_json_key_at(block, rec, key, 1),
                                 ctype == FR_TYPE_DATE
                                     ? "a JSON number or boolean is not a date (write it as a string \"YYYY-MM-DD\")"
                                     : "a JSON number or boolean is not a timestamp (write it as a string "
                                       "\"YYYY-MM-DD HH:MM:SS\")",
                                 key);
          ok = 0;
          break;
        }
        if (jtype == json_type_object || jtype == json_type_array) {
          text = json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
          text_len = (uint32_t)strlen(text);
        } else if (jtype == json_type_int) {
          size_t n = 0;
          text = fr_json_int_text(value, line, len, key, &n);
          text_len = (uint32_t)n;
        } else {
          text = json_object_get_string(value);
          text_len = jtype == json_type_string ? (uint32_t)json_object_get_string_len(value) : (uint32_t)strlen(text);
        }
        if (columns[col_idx].type != FR_TYPE_STRING && text_len == 0)
          is_null = 1;
      }
      size_t bad_at = 0;
      const char *value_why = fr_convert_value(&columns[col_idx], row, text, text_len, is_null, &bad_at);
      if (value_why != NULL) {
        fr_convert_rollback(columns, n_columns, row);
        status = fr_reject_add(rejects, rec, col_idx, fr_json_key_at(block, rec, key, 1), value_why, key);
        ok = 0;
        break;
      }
    }
    if (ok) {
      for (uint32_t col_idx = 0; col_idx < n_columns && ok; col_idx++) {
        if (!present[col_idx]) {
          size_t bad_at = 0;
          if (fr_convert_value(&columns[col_idx], row, NULL, 0, 1, &bad_at) != NULL) {
            status = FR_ERR_NOMEM;
            ok = 0;
          }
        }
      }
    }
    json_object_put(obj);
    if (status != FR_OK)
      goto done;
    if (ok)
      row++;
  }
done:
  if (tok != NULL)
    json_tokener_free(tok);
  fr_free(present);
  fr_convert_finish(columns, n_columns, row);
  return status;
}

fr_status fr_convert_block(const fr_record_block *block, uint32_t first_rec,
                           const fr_convert_spec *spec, fr_column *columns,
                           fr_reject_list *rejects) {
  FR_TRY(fr_convert_prepare(block, first_rec, spec, columns));
  if (spec->jsonl)
    return fr_convert_jsonl(block, first_rec, spec, columns, rejects);
  return fr_convert_csv(block, first_rec, spec, columns, rejects);
}
