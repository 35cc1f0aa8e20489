/* fr_sql.h - the SQL subset of DESIGN.md ("SQL"), with DuckDB's semantics.
 *
 * A statement is parsed, bound against a store snapshot and executed into a
 * materialised result: named, typed columns of values.  The result is then
 * rendered as an aligned table, CSV or JSON lines by the caller's choice.
 *
 * Errors are people-facing: a syntax error names the line and column and shows
 * the statement line with a caret under the offending token; an unknown table or
 * column suggests the nearest name; a construct outside the subset is named
 * ("window frame EXCLUDE is not supported").  Nothing here prints.
 */
#ifndef FR_SQL_H
#define FR_SQL_H

#include <stdint.h>

#include "fr_store.h"
#include "fr_table.h"
#include "fr_writer.h"

typedef struct fr_query_options {
  int threads;              /* 0 = OpenMP's default */
  uint64_t memory_limit;    /* bytes; 0 = 80 % of physical memory */
} fr_query_options;

/* A materialised query result; opaque. */
typedef struct fr_result fr_result;

/* Parses, plans and runs one SQL statement (a trailing ';' is allowed) over the
 * snapshot `store`.  On success *out owns the result (free with fr_result_free).
 * Errors: FR_ERR_PARSE (syntax error, with line, column and caret),
 * FR_ERR_NOTFOUND (unknown table or column, with the nearest name),
 * FR_ERR_UNSUPPORTED (a construct outside the subset, named), FR_ERR_INVALID
 * (a type error such as sum(VARCHAR)), FR_ERR_CORRUPT (a damaged chunk,
 * named), FR_ERR_LIMIT (the query needs more memory than memory_limit),
 * FR_ERR_NOMEM, FR_ERR_IO. */
FR_MUST_USE fr_status fr_sql_execute(const fr_store *store, const char *sql,
                                     const fr_query_options *opts, fr_result **out,
                                     fr_error *err);

uint32_t fr_result_n_columns(const fr_result *result);
uint64_t fr_result_n_rows(const fr_result *result);
/* Borrowed, valid until fr_result_free. */
const char *fr_result_column_name(const fr_result *result, uint32_t col);
/* DuckDB's name of the column's type ("VARCHAR", "DECIMAL(18,2)", "BIGINT"...). */
const char *fr_result_column_type(const fr_result *result, uint32_t col);

/* Renders the whole result: FR_OUTPUT_TABLE (aligned columns with a header and
 * the row count, for people), FR_OUTPUT_CSV (RFC 4180 with a header row; NULL is
 * an empty field) or FR_OUTPUT_JSON (one object per row; NULL is null; numbers
 * unquoted, decimals exact).  Values are rendered as DuckDB renders them.
 * Errors: FR_ERR_IO when `emit` fails. */
FR_MUST_USE fr_status fr_result_render(const fr_result *result, fr_output_format format,
                                       fr_emit_fn emit, void *emit_ctx, fr_error *err);

void fr_result_free(fr_result *result);

/* Returns 1 when `sql` holds at least one complete statement (a ';' outside
 * quotes and comments ends it), for the shell's multi-line input. */
int fr_sql_is_complete(const char *sql);

#endif
