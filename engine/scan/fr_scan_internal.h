/* fr_scan_internal.h - what the scan's files share: the findings store in
 * memory (STORE_FORMAT.md §6), its reader and atomic writer, and the report
 * writer.  Not part of the public interface (engine/scan/ only).
 */
#ifndef FR_SCAN_INTERNAL_H
#define FR_SCAN_INTERNAL_H

#include <stdint.h>

#include "fr_scan.h"

#define FR_FINDINGS_DIR "findings"
#define FR_FINDINGS_FILE "findings/FINDINGS"
#define FR_FINDINGS_TMP "findings/FINDINGS.tmp"
#define FR_FINDINGS_FORMAT_VERSION 1
#define FR_SCAN_MAX_TABLES 8

/* One finding as the findings store keeps it. */
typedef struct fr_sfinding {
  char id[17];
  char *rule;               /* the rule that first found it */
  char *detector;           /* detector name */
  int severity;             /* fr_severity */
  char *owner;
  double score;
  char *subject, *org;      /* NULL when none */
  char *summary;
  int has_ts;
  int64_t first_ts, last_ts;/* microseconds, naive local */
  char *ev_table, *ev_key;
  uint32_t n_evidence;
  char **evidence;          /* keys, as the finding lists them */
  char *details;            /* JSON object text */
  uint32_t n_rows;
  char **rows;              /* JSON object text per evidence row, the first n_rows keys */
  char *chart;              /* JSON object text for the report's charts, or NULL */
  uint64_t first_seen_scan, last_seen_scan;
  int64_t first_seen_us, last_seen_us;   /* wall clock, µs since the epoch (UTC) */
  int open;                 /* 1 until a scan no longer finds it */
  uint64_t closed_scan;
  int64_t closed_us;
  char superseded_by[17];   /* "" or the id of the finding that took its evidence */
  char *supersedes;         /* space-separated ids, or NULL */
  /* transient, not stored */
  int is_new;               /* first seen in this scan */
  int closed_now;           /* closed by this scan */
  int seen_now;             /* found by this scan */
} fr_sfinding;

/* What a rule's last scan covered: per table it reads, the number of segments
 * and a hash of their identities (the prefix that later scans must still see). */
typedef struct fr_rule_state {
  char name[64];
  char detector[64];
  uint64_t fingerprint;
  uint64_t scan_seq;        /* last scan that brought the rule up to date */
  uint32_t n_tables;
  struct {
    char name[FR_NAME_CAP];
    uint32_t n_segments;
    uint64_t prefix_hash;
  } tables[FR_SCAN_MAX_TABLES];
} fr_rule_state;

typedef struct fr_scan_log {
  uint64_t seq;
  int64_t at_us;
  uint64_t store_version;
  uint32_t n_new, n_open, n_closed;
} fr_scan_log;

typedef struct fr_fstore {
  uint64_t n_scans;
  uint32_t n_log, cap_log;
  fr_scan_log *log;
  uint32_t n_rules, cap_rules;
  fr_rule_state *rules;
  uint32_t n, cap;
  fr_sfinding *items;
  uint32_t *slots;          /* id hash index: item + 1, 0 = empty */
  uint32_t n_slots;         /* power of two */
} fr_fstore;

void fr_fstore_init(fr_fstore *fs);
void fr_fstore_free(fr_fstore *fs);
void fr_sfinding_free(fr_sfinding *f);
/* Reads STORE/findings/FINDINGS (an absent file is an empty findings store).
 * Errors: FR_ERR_CORRUPT (checksum, syntax: the message names the line),
 * FR_ERR_IO, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_fstore_load(fr_fstore *fs, const char *store_dir, fr_error *err);
/* Writes the findings store to FINDINGS.tmp, fsyncs it, renames it over
 * FINDINGS and fsyncs the directory (SPEC §6).  Errors: FR_ERR_IO, FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_fstore_commit(const fr_fstore *fs, const char *store_dir, fr_error *err);
/* Index of the finding with `id`, or UINT32_MAX. */
uint32_t fr_fstore_find(const fr_fstore *fs, const char *id);
/* Appends a finding (moved in: *f is left zeroed).  Errors: FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_fstore_add(fr_fstore *fs, fr_sfinding *f);
/* The state of rule `name`, or NULL. */
fr_rule_state *fr_fstore_rule(fr_fstore *fs, const char *name);
/* State of rule `name`, created empty when absent.  Errors: FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_fstore_rule_upsert(fr_fstore *fs, const char *name, fr_rule_state **out, fr_error *err);

/* Writes one finding as a JSON object (no newline): DESIGN.md's fields, then
 * rule, severity, owner, status ("new", "open" or "closed"), first_seen,
 * last_seen; with `rows`, the stored evidence rows. */
void fr_sfinding_write_json(fr_buf *out, const fr_sfinding *f, int rows);

/* UTC text of a wall-clock time: "2025-03-14 02:00:00Z" (buf >= 32 bytes). */
const char *fr_scan_utc_text(char *buf, int64_t us);

/* Report context: what the report files show. */
typedef struct fr_report_input {
  const char *store_dir;
  const fr_rule_pack *pack;
  const fr_scan_result *result;
  const fr_fstore *fs;      /* after this scan's changes */
  int64_t now_us;
  uint32_t rows_per_finding;
} fr_report_input;

/* Renders findings.json, findings.csv and report.html into the three buffers. */
void fr_report_render(const fr_report_input *in, fr_buf *json, fr_buf *csv, fr_buf *html);

/* Writes `buf` to DIR/NAME through DIR/NAME.tmp + fsync + rename.  Errors:
 * FR_ERR_IO. */
FR_MUST_USE fr_status fr_scan_write_atomic(const char *dir, const char *name, const fr_buf *buf, fr_error *err);

#endif
