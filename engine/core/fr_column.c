/* fr_column.c - column storage management (see fr_column.h). */
#include "fr_column.h"

#include <string.h>

#include "fr_alloc.h"

void fr_column_init(fr_column *col, fr_type type) {
  memset(col, 0, sizeof *col);
  col->type = type;
}

void fr_column_free(fr_column *col) {
  fr_free(col->validity);
  fr_free(col->i64);
  fr_free(col->f64);
  fr_free(col->str_offsets);
  fr_free(col->str_bytes);
  fr_free(col->dict_codes);
  fr_free(col->dict_offsets);
  fr_free(col->dict_bytes);
  int want_dict = col->want_dict;
  fr_column_init(col, col->type);
  col->want_dict = want_dict;
}

void fr_column_reset(fr_column *col, fr_type type) {
  if ((col->type == FR_TYPE_STRING) != (type == FR_TYPE_STRING) ||
      (col->type == FR_TYPE_FLOAT64) != (type == FR_TYPE_FLOAT64)) {
    fr_column_free(col);
  }
  col->type = type;
  col->n_rows = 0;
  col->null_count = 0;
  col->str_len = 0;
  col->has_dict = 0;
  col->n_dict = 0;
  if (col->validity != NULL) {
    fr_free(col->validity);
    col->validity = NULL;
  }
  if (col->str_offsets != NULL)
    col->str_offsets[0] = 0;
}

fr_status fr_column_reserve(fr_column *col, uint32_t n_rows, size_t str_bytes) {
  if (n_rows > col->cap_rows) {
    if (col->type == FR_TYPE_STRING) {
      uint32_t *offsets = fr_realloc(col->str_offsets, ((size_t)n_rows + 1) * sizeof *offsets);
      if (offsets == NULL)
        return FR_ERR_NOMEM;
      if (col->str_offsets == NULL)
        offsets[0] = 0;
      col->str_offsets = offsets;
    } else if (col->type == FR_TYPE_FLOAT64) {
      double *values = fr_realloc(col->f64, (size_t)n_rows * sizeof *values);
      if (values == NULL)
        return FR_ERR_NOMEM;
      col->f64 = values;
    } else {
      int64_t *values = fr_realloc(col->i64, (size_t)n_rows * sizeof *values);
      if (values == NULL)
        return FR_ERR_NOMEM;
      col->i64 = values;
    }
    if (col->validity != NULL) {
      size_t old_bytes = ((size_t)col->cap_rows + 7) / 8, new_bytes = ((size_t)n_rows + 7) / 8;
      uint8_t *validity = fr_realloc(col->validity, new_bytes);
      if (validity == NULL)
        return FR_ERR_NOMEM;
      memset(validity + old_bytes, 0xff, new_bytes - old_bytes);
      col->validity = validity;
    }
    col->cap_rows = n_rows;
  }
  if (col->type == FR_TYPE_STRING && str_bytes < 64)
    str_bytes = 64; /* never leave str_bytes NULL: empty strings still need a base */
  if (col->type == FR_TYPE_STRING && str_bytes > col->str_cap) {
    size_t cap = col->str_cap ? col->str_cap : 4096;
    while (cap < str_bytes)
      cap *= 2;
    char *bytes = fr_realloc(col->str_bytes, cap);
    if (bytes == NULL)
      return FR_ERR_NOMEM;
    col->str_bytes = bytes;
    col->str_cap = cap;
  }
  return FR_OK;
}

fr_status fr_column_ensure_validity(fr_column *col) {
  if (col->validity != NULL)
    return FR_OK;
  size_t n_bytes = ((size_t)col->cap_rows + 7) / 8;
  col->validity = fr_malloc(n_bytes ? n_bytes : 1);
  if (col->validity == NULL)
    return FR_ERR_NOMEM;
  memset(col->validity, 0xff, n_bytes ? n_bytes : 1);
  return FR_OK;
}

fr_status fr_column_push_str(fr_column *col, const char *s, size_t len) {
  if (col->str_len + len > UINT32_MAX)
    return FR_ERR_LIMIT;
  if (col->str_len + len > col->str_cap) {
    FR_TRY(fr_column_reserve(col, col->cap_rows, col->str_len + len));
  }
  if (len)
    memcpy(col->str_bytes + col->str_len, s, len);
  col->str_len += len;
  return FR_OK;
}
