/* fr_scan.h - the nightly scan of DESIGN.md "Nightly scan": rule packs, the
 * incremental runner, the findings store kept inside the store directory, and
 * the report files (findings.json, findings.csv, report.html).
 *
 * A scan takes the store's writer lock (formats/fr_store.h), so it never runs
 * beside an ingest or another scan.  For every rule it decides from the scan
 * state recorded in STORE/findings/FINDINGS (STORE_FORMAT.md §6) what is new:
 * nothing (the rule is skipped), only new segments of its main table (the rule
 * runs over a time window: the new rows plus the look-back its windows need), or
 * anything else (the rule runs over the whole table).  Findings are matched by
 * their stable id against the findings store: unseen ids are new, seen ones are
 * still open.  The report files are written first, the findings store last, by
 * an atomic rename: a scan killed at any instant leaves the previous findings
 * store, and the next scan redoes (and reports again) what the killed one did.
 * Nothing here prints.
 */
#ifndef FR_SCAN_H
#define FR_SCAN_H

#include <stdint.h>

#include "fr_detect.h"

/* ---- rule packs (engine/scan/README.md "Rule packs") ---------------------- */

typedef enum fr_severity {
  FR_SEV_LOW = 1,
  FR_SEV_MEDIUM = 2,
  FR_SEV_HIGH = 3,
  FR_SEV_CRITICAL = 4,
} fr_severity;

/* "low", "medium", "high", "critical". */
const char *fr_severity_name(int severity);

typedef struct fr_scan_rule {
  char name[64];                     /* [section] name, unique in the pack */
  const fr_detector_info *detector;  /* static catalogue entry */
  fr_detect_params *params;          /* defaults + the pack's settings (owned) */
  char **set_names, **set_values;    /* the settings as written, in pack order (owned) */
  uint32_t n_sets;
  int severity;                      /* fr_severity */
  char owner[128];                   /* who reads these findings; may be "" */
  uint32_t line;                     /* line of the [section]; 0 in the default pack */
  uint64_t fingerprint;              /* XXH3 of detector name and sorted settings */
} fr_scan_rule;

typedef struct fr_rule_pack {
  char source[256];                  /* file name, or "(default pack)" */
  uint32_t n_rules;
  fr_scan_rule *rules;
} fr_rule_pack;

/* Parses a rule pack from `text` (len bytes) named `source` in messages.  Every
 * problem is appended to `diag` as "SOURCE:LINE: message\n" (the whole pack is
 * checked, up to 50 problems, before the call returns).  Errors: FR_ERR_PARSE
 * when `diag` received any problem (err says how many), FR_ERR_NOMEM.  *out is
 * the caller's (fr_rule_pack_destroy). */
FR_MUST_USE fr_status fr_rule_pack_parse(fr_rule_pack **out, const char *text, size_t len,
                                         const char *source, fr_buf *diag, fr_error *err);
/* Reads and parses the file at `path`.  Errors: FR_ERR_NOTFOUND / FR_ERR_IO
 * (unreadable file), then as fr_rule_pack_parse. */
FR_MUST_USE fr_status fr_rule_pack_load(fr_rule_pack **out, const char *path, fr_buf *diag,
                                        fr_error *err);
/* The default pack: one rule per detector of the catalogue as it is at run time
 * (fr_detect_count / fr_detect_at), with default parameters, the severity of
 * engine/scan/README.md and owner "audit".  Errors: FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_rule_pack_default(fr_rule_pack **out, fr_error *err);
/* Renders `pack` in the pack syntax (parsing the text gives the same rules). */
void fr_rule_pack_write(fr_buf *out, const fr_rule_pack *pack);
void fr_rule_pack_destroy(fr_rule_pack *pack);

/* ---- the scan -------------------------------------------------------------- */

typedef struct fr_scan_options {
  const char *store_dir;
  const fr_rule_pack *pack;
  const char *out_dir;      /* NULL: STORE/report */
  int full;                 /* 1: every rule over whole tables (--full) */
  int has_since;            /* 1: --since TS: rows from since_us on count as new */
  int64_t since_us;         /* microseconds, naive local */
  int wait;                 /* 1: wait for the writer lock; 0: FR_ERR_BUSY at once */
  uint32_t rows_per_finding;/* evidence rows kept and shown per finding (0: 50) */
} fr_scan_options;

typedef enum fr_scan_mode {
  FR_SCAN_SKIPPED = 0,      /* a table the rule reads is not in the store */
  FR_SCAN_UNCHANGED = 1,    /* nothing the rule reads changed since its last scan */
  FR_SCAN_WINDOW = 2,       /* new rows plus the rule's look-back */
  FR_SCAN_FULL = 3,         /* whole tables */
} fr_scan_mode;

/* "skipped", "unchanged", "window", "full". */
const char *fr_scan_mode_name(int mode);

typedef struct fr_scan_rule_result {
  const fr_scan_rule *rule; /* borrowed from the pack */
  int mode;                 /* fr_scan_mode */
  char why[256];            /* why this mode (one phrase) */
  uint64_t rows_total;      /* rows of the main table */
  uint64_t rows_loaded;     /* rows of the main table the detector read */
  uint64_t rows_new;        /* rows of new segments of the main table */
  uint32_t n_found;         /* findings kept from this run (exact ones) */
  uint32_t n_new;           /* of which not in the findings store before */
  uint32_t n_closed;        /* open findings of the rule no longer found */
  double seconds;           /* wall time of detector runs + explain */
} fr_scan_rule_result;

typedef struct fr_scan_result {
  uint64_t scan_seq;        /* 1 for the store's first scan */
  uint64_t store_version;   /* manifest version scanned */
  uint32_t n_new;           /* findings first seen in this scan */
  uint32_t n_updated;       /* of which sharing evidence with an older finding */
  uint32_t n_open;          /* open findings seen before this scan */
  uint32_t n_closed;        /* findings closed by this scan */
  uint32_t n_rules;
  fr_scan_rule_result *rules;
  char out_dir[4096];       /* where the report files went */
} fr_scan_result;

/* Runs the pack over the store and records the outcome (see the file comment).
 * *out is the caller's (fr_scan_result_destroy) and borrows the pack.  Errors:
 * FR_ERR_NOTFOUND (no store), FR_ERR_BUSY (locked and !wait), FR_ERR_CORRUPT
 * (damaged store or findings store), FR_ERR_INVALID (a rule's column or table
 * of the wrong type, a bad option), FR_ERR_IO, FR_ERR_NOMEM.  On error the
 * findings store is unchanged. */
FR_MUST_USE fr_status fr_scan_run(fr_scan_result **out, const fr_scan_options *opt, fr_error *err);
void fr_scan_result_destroy(fr_scan_result *result);

#endif
