/* fr_writer.h - output writers: render rows of decoded columns as CSV (RFC 4180
 * with a header row), JSON lines, or an aligned text table.
 *
 * Values are rendered as DuckDB renders them (fr_types.h); CSV writes NULL as an
 * empty unquoted field and an empty string as "", so `ingest` reads back exactly
 * what `export` wrote.  Writers append to an fr_buf; the caller decides where the
 * bytes go (tools/ owns the terminal).
 */
#ifndef FR_WRITER_H
#define FR_WRITER_H

#include "fr_buf.h"
#include "fr_column.h"
#include "fr_schema.h"

typedef enum fr_output_format {
  FR_OUTPUT_TABLE = 0,
  FR_OUTPUT_CSV = 1,
  FR_OUTPUT_JSON = 2,
} fr_output_format;

/* Parses "table", "csv", "json"; returns 0 or -1. */
int fr_output_format_parse(fr_output_format *out, const char *name);

/* Appends the CSV header row for `schema`. */
void fr_write_csv_header(fr_buf *out, const fr_schema *schema);
/* Appends rows [0, columns[0].n_rows) as CSV or JSON lines. */
void fr_write_csv_rows(fr_buf *out, const fr_column *columns, uint32_t n_columns);
void fr_write_json_rows(fr_buf *out, const fr_column *columns, const fr_schema *schema);
/* Appends one value as text (no quoting); NULL appends nothing and returns 0. */
int fr_write_value_text(fr_buf *out, const fr_column *col, uint32_t row);
/* Appends `s` as a CSV field, quoted when it must be (or when `force_quote`). */
void fr_write_csv_field(fr_buf *out, const char *s, size_t len, int force_quote);
/* Appends `s` as a JSON string literal with escapes. */
void fr_write_json_string(fr_buf *out, const char *s, size_t len);

#endif
