/* fr_writer.c - CSV / JSON rendering of decoded columns (see fr_writer.h).
 * Workload: export of a whole table, ~10^8 values; values are formatted into a
 * reused buffer without per-value allocation. */
#include "fr_writer.h"

#include <string.h>

int fr_output_format_parse(fr_output_format *out, const char *name) {
  if (strcmp(name, "table") == 0) *out = FR_OUTPUT_TABLE;
  else if (strcmp(name, "csv") == 0) *out = FR_OUTPUT_CSV;
  else if (strcmp(name, "json") == 0) *out = FR_OUTPUT_JSON;
  else return -1;
  return 0;
}

void fr_write_csv_field(fr_buf *out, const char *s, size_t len, int force_quote) {
  if (s == NULL) /* an empty field may come without a buffer */
    s = "";
  int quote = force_quote || len == 0;
  for (size_t pos = 0; pos < len && !quote; pos++) {
    char c = s[pos];
    quote = c == ',' || c == '"' || c == '\n' || c == '\r';
  }
  /* A leading or trailing space would be trimmed by some readers: quote it. */
  if (!quote && len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
    quote = 1;
  if (!quote) {
    fr_buf_put(out, s, len);
    return;
  }
  fr_buf_put_u8(out, '"');
  const char *run = s;
  for (size_t pos = 0; pos < len; pos++) {
    if (s[pos] == '"') {
      fr_buf_put(out, run, (size_t)(s + pos + 1 - run));
      fr_buf_put_u8(out, '"');
      run = s + pos + 1;
    }
  }
  fr_buf_put(out, run, (size_t)(s + len - run));
  fr_buf_put_u8(out, '"');
}

void fr_write_json_string(fr_buf *out, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  if (s == NULL)
    s = "";
  fr_buf_put_u8(out, '"');
  size_t run = 0;
  for (size_t pos = 0; pos < len; pos++) {
    unsigned char c = (unsigned char)s[pos];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    fr_buf_put(out, s + run, pos - run);
    run = pos + 1;
    char esc[6] = {'\\', 0, 0, 0, 0, 0};
    size_t esc_len = 2;
    switch (c) {
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    default:
      esc[1] = 'u';
      esc[2] = '0';
      esc[3] = '0';
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      esc_len = 6;
    }
    fr_buf_put(out, esc, esc_len);
  }
  fr_buf_put(out, s + run, len - run);
  fr_buf_put_u8(out, '"');
}

void fr_write_csv_header(fr_buf *out, const fr_schema *schema) {
  for (uint32_t col = 0; col < schema->n_columns; col++) {
    if (col)
      fr_buf_put_u8(out, ',');
    fr_write_csv_field(out, schema->columns[col].name, strlen(schema->columns[col].name), 0);
  }
  fr_buf_put_u8(out, '\n');
}

int fr_write_value_text(fr_buf *out, const fr_column *col, uint32_t row) {
  if (!fr_column_is_valid(col, row))
    return 0;
  if (col->type == FR_TYPE_STRING) {
    uint32_t len;
    const char *s = fr_column_str(col, row, &len);
    fr_buf_put(out, s, len);
    return 1;
  }
  char text[FR_VALUE_TEXT_CAP];
  size_t len = fr_format_value(text, col->type, col->type == FR_TYPE_FLOAT64 ? 0 : col->i64[row],
                               col->type == FR_TYPE_FLOAT64 ? col->f64[row] : 0);
  fr_buf_put(out, text, len);
  return 1;
}

void fr_write_csv_rows(fr_buf *out, const fr_column *columns, uint32_t n_columns) {
  uint32_t n_rows = n_columns ? columns[0].n_rows : 0;
  char text[FR_VALUE_TEXT_CAP];
  for (uint32_t row = 0; row < n_rows; row++) {
    for (uint32_t c = 0; c < n_columns; c++) {
      const fr_column *col = &columns[c];
      if (c)
        fr_buf_put_u8(out, ',');
      if (!fr_column_is_valid(col, row))
        continue;
      if (col->type == FR_TYPE_STRING) {
        uint32_t len;
        const char *s = fr_column_str(col, row, &len);
        fr_write_csv_field(out, s, len, 0);
      } else {
        size_t len = fr_format_value(text, col->type, col->type == FR_TYPE_FLOAT64 ? 0 : col->i64[row],
                                     col->type == FR_TYPE_FLOAT64 ? col->f64[row] : 0);
        fr_buf_put(out, text, len);
      }
    }
    fr_buf_put_u8(out, '\n');
  }
}

void fr_write_json_rows(fr_buf *out, const fr_column *columns, const fr_schema *schema) {
  uint32_t n_columns = schema->n_columns;
  uint32_t n_rows = n_columns ? columns[0].n_rows : 0;
  char text[FR_VALUE_TEXT_CAP];
  for (uint32_t row = 0; row < n_rows; row++) {
    fr_buf_put_u8(out, '{');
    for (uint32_t c = 0; c < n_columns; c++) {
      const fr_column *col = &columns[c];
      if (c)
        fr_buf_put_u8(out, ',');
      fr_write_json_string(out, schema->columns[c].name, strlen(schema->columns[c].name));
      fr_buf_put_u8(out, ':');
      if (!fr_column_is_valid(col, row)) {
        fr_buf_put(out, "null", 4);
        continue;
      }
      switch (col->type) {
      case FR_TYPE_STRING: {
        uint32_t len;
        const char *s = fr_column_str(col, row, &len);
        fr_write_json_string(out, s, len);
        break;
      }
      case FR_TYPE_INT64:
      case FR_TYPE_DECIMAL:
      case FR_TYPE_BOOL: {
        size_t len = fr_format_value(text, col->type, col->i64[row], 0);
        fr_buf_put(out, text, len);
        break;
      }
      case FR_TYPE_FLOAT64: {
        size_t len = fr_format_float64(text, col->f64[row]);
        if (len > 0 && (text[0] == 'n' || text[len - 1] == 'f'))
          fr_buf_put(out, "null", 4);
        else
          fr_buf_put(out, text, len);
        break;
      }
      case FR_TYPE_DATE:
      case FR_TYPE_TIMESTAMP: {
        size_t len = fr_format_value(text, col->type, col->i64[row], 0);
        fr_write_json_string(out, text, len);
        break;
      }
      }
    }
    fr_buf_put(out, "}\n", 2);
  }
}
