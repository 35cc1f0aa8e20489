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

#endif
