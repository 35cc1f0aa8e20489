/* fr_ocds_reader.h - line-delimited OCDS 1.1 compiled releases (one contracting
 * process per line; plain, .gz or .zst through fr_source) turned into the rows
 * of five tables, as CSV text with a header row and a --schema text each:
 *
 *   processes  line, ocid, buyer_id, buyer_name, procuring_entity_id,
 *              procurement_method, procurement_method_details, tender_status,
 *              number_of_tenderers, tender_period_start, tender_period_end,
 *              award_criteria, release (the line itself, for the cardinal indicators)
 *   parties    ocid, party_index, id, name, roles (pipe-separated)
 *   bids       ocid, bid_index, bid_id, status, amount, currency, date,
 *              tenderer_index, tenderer_id, n_tenderers   (one row per tenderer;
 *              a bid without tenderers gives one row with NULL tenderer)
 *   awards     ocid, award_index, award_id, status, date, amount, currency,
 *              supplier_index, supplier_id, n_suppliers     (one row per supplier)
 *   items      ocid, award_index, item_index, item_id, classification_scheme,
 *              classification_id, quantity                 (awards[].items[])
 *
 * Amounts and quantities are float64 (as OCDS and cardinal-rs have them), dates
 * the text as published, ids numbers rendered as text.  A line that is not a
 * JSON object with a string "ocid" (or longer than the limit) is invalid: it is
 * reported with its line number and skipped, as cardinal-rs does; blank lines are
 * skipped silently.  Memory: one line plus the rows of one line.
 */
#ifndef FR_OCDS_READER_H
#define FR_OCDS_READER_H

#include <stdint.h>

#include "fr_buf.h"
#include "fr_source.h"
#include "fr_status.h"

typedef enum fr_ocds_table {
  FR_OCDS_PROCESSES = 0,
  FR_OCDS_PARTIES = 1,
  FR_OCDS_BIDS = 2,
  FR_OCDS_AWARDS = 3,
  FR_OCDS_ITEMS = 4,
  FR_OCDS_N_TABLES = 5,
} fr_ocds_table;

/* "processes", "parties", "bids", "awards", "items" (static). */
const char *fr_ocds_table_suffix(fr_ocds_table t);
/* The table's columns as a --schema file text, one `name type` per line (static). */
const char *fr_ocds_table_schema(fr_ocds_table t);
/* The CSV header line of the table, with its newline (static). */
const char *fr_ocds_table_header(fr_ocds_table t);

/* Converts one line (no newline) into CSV rows appended to rows[table].  Returns 1
 * when rows were added, 0 for a blank line, -1 for an invalid line (reason in
 * msg, NUL-terminated, at most msg_cap bytes).  Never fails otherwise, except that
 * it returns -2 when out of memory. */
int fr_ocds_convert_line(fr_buf rows[FR_OCDS_N_TABLES], const char *line, size_t len, uint64_t line_no,
                         char *msg, size_t msg_cap);

typedef struct fr_ocds_reader fr_ocds_reader;

typedef enum fr_ocds_line {
  FR_OCDS_LINE_OK = 1,      /* rows appended */
  FR_OCDS_LINE_INVALID = 2, /* skipped; msg says why, *line_no where */
  FR_OCDS_LINE_EOF = 3,
} fr_ocds_line;

/* Reads lines of `src` (borrowed; the caller closes it after destroy).  Lines
 * longer than max_line_bytes (0 = 64 MiB) are invalid.  Errors: FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_ocds_reader_create(fr_ocds_reader **out, fr_source *src, size_t max_line_bytes,
                                            fr_error *err);
/* Next non-blank line: converted into rows (FR_OCDS_LINE_OK), or reported
 * (FR_OCDS_LINE_INVALID), or the end.  *line_no = the line's 1-based number.
 * Errors: FR_ERR_IO / FR_ERR_PARSE (reading or decompressing), FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_ocds_reader_next(fr_ocds_reader *r, fr_buf rows[FR_OCDS_N_TABLES], fr_ocds_line *out_kind,
                                          uint64_t *line_no, char *msg, size_t msg_cap, fr_error *err);
/* Decompressed bytes read so far. */
uint64_t fr_ocds_reader_bytes(const fr_ocds_reader *r);
void fr_ocds_reader_destroy(fr_ocds_reader *r);

#endif
