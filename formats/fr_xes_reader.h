/* fr_xes_reader.h - streaming XES (IEEE 1849) event logs, read with libexpat.
 *
 * One row per <event>.  The reader is the sequential stage of an XES ingest: it
 * turns the XML into fr_record_blocks shaped like CSV blocks (every record has
 * exactly one field per table column, in schema order, so fr_convert's CSV path
 * types and rejects them), whose record text is the event's raw XML.
 *
 * Mapping (the column names are fixed here and by nothing else):
 *   trace concept:name      -> case_id
 *   event concept:name      -> activity
 *   event time:timestamp    -> ts
 *   event org:resource      -> actor
 *   event org, service, applicant, amount -> the approvals column of that name;
 *                              when the event lacks it, the trace attribute of
 *                              that name (if any) fills it
 *   other event attribute K -> column K; a K that names an approvals column
 *                              other than the four above, or one of the eight
 *                              in another letter case ("ts", "Activity"), which
 *                              SQL could not tell apart, becomes event:K
 *   other trace attribute K -> column case:K (pm4py's naming)
 * A new table gets the eight approvals columns (canonical types) first, then the
 * log's other columns in order of first appearance, typed by the XES element:
 * string/id -> string, int -> int64, float -> float64, date -> timestamp,
 * boolean -> bool; a key seen with int and float is float64, with any other mix
 * string (values then kept as written).  Values going to a timestamp column are
 * xs:dateTime read literally: the wall-clock time as written, the zone offset
 * ("Z", "+01:00") dropped, digits below the microsecond truncated; a value that is
 * not a dateTime is left for the converter to reject (the event goes to the
 * rejects file with the line of its attribute).
 *
 * Not stored: log-level attributes, <global> defaults (pm4py ignores them too),
 * extensions, classifiers, <list>/<container> values and meta-attributes nested
 * inside an attribute (counted in fr_xes_stats.n_skipped).  A trace without events
 * gives no row.  Trace attributes apply to the trace's events wherever they stand
 * in the trace (the XES schema puts them before the events), except that events
 * already handed out in an earlier block (a trace longer than a block) do not see
 * attributes written after them: only then does the result depend on the block
 * size, and fr_xes_stats.n_late counts such attributes.
 *
 * Columns are discovered before rows are read: fr_xes_discover parses the whole
 * input once (seekable files are then read a second time), or, for standard
 * input, a bounded prefix that it keeps in memory and replays to the reader.
 *
 * Not thread safe: one reader is driven by one thread (the ingest producer).
 */
#ifndef FR_XES_READER_H
#define FR_XES_READER_H

#include <stdint.h>

#include "fr_buf.h"
#include "fr_records.h"
#include "fr_schema.h"
#include "fr_source.h"

/* Standard input is not read twice: columns come from this many bytes. */
#define FR_XES_PREFIX_BYTES ((size_t)64 << 20)
/* Most distinct columns one ingest may discover (FR_ERR_LIMIT beyond). */
#define FR_XES_MAX_COLUMNS 1024u

/* Where the values of a block came from, for reject messages. */
typedef struct fr_xes_positions {
  uint64_t *field_line;    /* per field: line of the attribute element (0: no value) */
  uint32_t *field_column;  /* per field: column of it (1-based, in characters) */
  uint32_t *rec_column;    /* per record: column of its <event> tag (line: rec_line) */
  uint64_t *err_line;      /* per record: place of the malformation rec_error names */
  uint32_t *err_column;
  uint32_t cap_fields;
  uint32_t cap_records;
} fr_xes_positions;

void fr_xes_positions_init(fr_xes_positions *pos);
void fr_xes_positions_free(fr_xes_positions *pos);

/* What a pass saw. */
typedef struct fr_xes_stats {
  uint64_t n_traces;        /* <trace> elements closed */
  uint64_t n_events;        /* <event> elements closed (= records) */
  uint64_t n_skipped;       /* list/container and nested attributes not stored */
  uint64_t n_late;          /* trace attributes written after an event of their trace */
  uint64_t bytes;           /* decompressed bytes parsed */
  int failed;               /* 1: malformed XML or a damaged stream stopped the pass */
  uint64_t fail_line;       /* where (1-based line, column) */
  uint64_t fail_column;
  char fail_msg[512];       /* why, e.g. "malformed XML: mismatched tag" */
} fr_xes_stats;

/* Writes the column name of attribute `key` (trace_scope 1: a trace attribute, 0:
 * an event attribute) to out[0..FR_NAME_CAP) with a NUL and returns its length,
 * or returns 0 when the key is empty or the name would not fit. */
size_t fr_xes_column_name(char *out, int trace_scope, const char *key, size_t key_len);

/* Rewrites an xs:dateTime (`YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh[:]mm]`, or a space
 * for the T) as `YYYY-MM-DD hh:mm:ss[.ffffff]` in out[0..32): the zone offset is
 * dropped (local wall-clock time as written) and fraction digits past six are
 * truncated.  Returns the length written, or 0 when `text` is not of that form
 * (the caller keeps the text as it is). */
size_t fr_xes_normalize_timestamp(char *out, const char *text, size_t len);

/* First pass: parses `src` from where it stands and adds every column the log
 * fills to `found` (initialised by the caller; the eight approvals columns are
 * not added unless present; earlier files' columns are kept, types merged).  With
 * max_bytes > 0 it stops after about that many decompressed bytes; with `keep`
 * non-NULL it appends every byte it read there (to replay standard input).
 * Malformed XML or a damaged stream end the pass and are described in *stats
 * (failed = 1), not returned: the caller decides (the rows before it still count).
 * Errors: FR_ERR_LIMIT (more than FR_XES_MAX_COLUMNS columns), FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_xes_discover(fr_schema *found, fr_source *src, size_t max_bytes,
                                      fr_buf *keep, fr_xes_stats *stats, fr_error *err);

typedef struct fr_xes_reader fr_xes_reader;

/* A reader of `src` (borrowed; closed by the caller after destroy) that first
 * replays prefix[0..prefix_len) (borrowed until destroy; NULL when none) and maps
 * attributes onto `schema` (borrowed until destroy).  An attribute whose column the
 * schema lacks makes its event a rejected record.  max_record_bytes (0 = 4 MiB)
 * bounds one event's text and one XML token.  Errors: FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_xes_reader_create(fr_xes_reader **out, fr_source *src,
                                           const uint8_t *prefix, size_t prefix_len,
                                           const fr_schema *schema, size_t max_record_bytes,
                                           fr_error *err);
/* Accepts NULL. */
void fr_xes_reader_destroy(fr_xes_reader *rd);

/* Fills `block` (cleared first) with up to `max_records` events and about
 * `target_bytes` of text, and `pos` with their places.  Sets *eof when the input is
 * exhausted (the block may still hold records).  Malformed XML or a damaged stream
 * are reported, as FR_ERR_PARSE naming line and column, on the call after the one
 * that hands out the events before them (which are never lost); the event cut off
 * by them is then in fr_xes_reader_tail.  Errors: FR_ERR_PARSE, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_xes_reader_next(fr_xes_reader *rd, fr_record_block *block,
                                         fr_xes_positions *pos, uint32_t max_records,
                                         size_t target_bytes, int *eof, fr_error *err);

/* After fr_xes_reader_next failed: an excerpt of the input where it failed
 * (borrowed until the next call), and the line and column of the failure. */
void fr_xes_reader_tail(const fr_xes_reader *rd, const uint8_t **bytes, size_t *len,
                        uint64_t *line, uint64_t *column);

/* Counts so far (borrowed until destroy). */
const fr_xes_stats *fr_xes_reader_stats(const fr_xes_reader *rd);

#endif
