/* fr_cardinal.h - the cardinal-rs red-flag indicators (DETECTORS.md P1-P11: R003,
 * R018, R024, R025, R028, R030, R035, R036, R038, R048, R058) over the OCDS tables
 * that `ingest --format ocds` fills, printing cardinal-rs's JSON result object
 * ({"OCID":{...},"Buyer":{...},"ProcuringEntity":{...},"Tenderer":{...}}).
 */
#ifndef FR_CARDINAL_H
#define FR_CARDINAL_H

#include "fr_buf.h"
#include "fr_store.h"

/* Runs the indicators whose sections the settings file (cardinal-rs's INI format;
 * NULL = every indicator with its defaults) names, over table PREFIX_processes
 * (its `release` column, in `line` order as ingested), and appends the result
 * object and a newline to `out`.  Errors: FR_ERR_NOTFOUND (no such table),
 * FR_ERR_INVALID / FR_ERR_PARSE (a bad settings file: file and line named),
 * FR_ERR_IO, FR_ERR_CORRUPT, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_cardinal_run(fr_buf *out, const fr_store *store, const char *prefix,
                                      const char *settings_path, fr_error *err);

#endif
