/* fr_schema.h - table schemas: the canonical audit schema of DESIGN.md, schema
 * files, and type inference from a sample.
 *
 * A column's type comes, in order of precedence, from --schema FILE, from the
 * canonical schema when the table and column are canonical, and otherwise from
 * inference over the first block of input.
 */
#ifndef FR_SCHEMA_H
#define FR_SCHEMA_H

#include <stdint.h>

#include "fr_records.h"
#include "fr_status.h"
#include "fr_types.h"

#define FR_NAME_CAP 256 /* longest table or column name, bytes */

typedef struct fr_schema_column {
  char name[FR_NAME_CAP];
  fr_type type;
} fr_schema_column;

typedef struct fr_schema {
  uint32_t n_columns;
  fr_schema_column *columns; /* owned */
  uint32_t cap_columns;      /* allocated entries of columns */
  uint32_t *slots;           /* open-addressing index by name: column + 1, 0 = empty */
  uint32_t n_slots;          /* power of two, > 2 * n_columns (0 before the first add) */
} fr_schema;

void fr_schema_init(fr_schema *schema);
void fr_schema_free(fr_schema *schema);
/* Appends a column (amortised O(1)); FR_ERR_INVALID for a duplicate, empty,
 * over-long or NUL-holding name, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_schema_add(fr_schema *schema, const char *name, size_t name_len,
                                    fr_type type, fr_error *err);
/* Index of the column called `name`, or -1.  O(1): names are hashed. */
int fr_schema_find(const fr_schema *schema, const char *name, size_t name_len);
/* Deep copy into *out (initialised by the call). */
FR_MUST_USE fr_status fr_schema_copy(fr_schema *out, const fr_schema *src);

/* Sets *out to the canonical type of `column` in canonical table `table` and
 * returns 1, or returns 0 when either is not canonical. */
int fr_schema_canonical_type(const char *table, const char *column, fr_type *out);
/* Returns 1 when `table` is one of the eight canonical tables. */
int fr_schema_is_canonical_table(const char *table);

/* Reads a schema file: one column per line, `name type` (type names as
 * fr_type_parse_name accepts), blank lines and lines starting with '#' ignored.
 * Errors name the file and line: FR_ERR_IO, FR_ERR_PARSE, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_schema_read_file(fr_schema *out, const char *path, fr_error *err);

/* Infers the narrowest type that every non-empty sample value of field
 * `field_idx` parses as: bool, int64, decimal(18,2), float64, date, timestamp,
 * else string.  Samples records [first_rec, block->n_records) of a CSV block;
 * malformed records and records with another field count are ignored. */
fr_type fr_schema_infer_csv(const fr_record_block *block, uint32_t first_rec, uint32_t field_idx,
                            uint32_t n_fields);

/* Narrowest type for one text value (NULL-free); used by inference and JSON. */
uint32_t fr_schema_type_mask(const char *text, size_t len);
fr_type fr_schema_type_from_mask(uint32_t mask);

#endif
