/* fr_json_infer.h - the schema of a new table from the first block of JSON lines.
 *
 * Columns are the keys in order of first appearance.  A canonical column gets its
 * canonical type; otherwise JSON numbers infer int64, decimal(18,2) or float64,
 * true/false bool, strings date or timestamp when every sampled value parses so
 * (else string), nested values string.  Lines that are not JSON objects are
 * ignored here; conversion rejects them later.
 */
#ifndef FR_JSON_INFER_H
#define FR_JSON_INFER_H

#include "fr_records.h"
#include "fr_schema.h"

/* Fills `schema` (initialised by the call).  Errors: FR_ERR_PARSE when no line of
 * the block is a JSON object with keys, FR_ERR_INVALID for a bad key, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_json_infer_schema(fr_schema *schema, const fr_record_block *block,
                                           const char *table, const char *file, fr_error *err);

struct json_object;

/* Steps to the next key of the top-level object of a line json-c accepted (so
 * well-formed JSON: at depth 1 the only strings followed by ':' are keys).
 * Returns 1 with the key's raw text (between its quotes) at line[*start], *key_len
 * bytes; *pos and *depth carry the walk (start both at 0). */
int fr_json_next_key(const char *line, size_t len, size_t *pos, int *depth, size_t *start, size_t *key_len);

/* The text of JSON integer `value`, the value of top-level key `key` of `line`
 * (len bytes): json-c's text, except where json-c may have changed the number -
 * a literal beyond int64 (json-c keeps the int64 or uint64 bound nearest to it)
 * or zero ("-0") - where it is the literal as the line writes it, so a 20-digit
 * account number is neither clamped nor lost.  *text_len gets its length (the
 * text is not NUL-terminated).  Inference and conversion both read numbers so. */
const char *fr_json_int_text(struct json_object *value, const char *line, size_t len, const char *key,
                             size_t *text_len);

#endif
