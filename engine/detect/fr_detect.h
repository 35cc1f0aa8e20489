/* fr_detect.h - the anomaly detectors of DETECTORS.md: the catalogue, their
 * parameters, running one over a store snapshot, and the findings it yields.
 *
 * A detector is looked up by id ("F3") or name ("split_payment").  Its parameters
 * (tunables and column / table names) start at the defaults of DETECTORS.md and
 * are overridden one by one with fr_detect_params_set, which validates the value
 * and names the valid parameters on a wrong name.  fr_detect_run loads only the
 * columns the rule needs (row groups decoded in parallel), runs the native kernel
 * and returns findings in a fixed order (score descending, then id), identical at
 * any thread count.  Nothing here prints: rendering goes into an fr_buf.
 */
#ifndef FR_DETECT_H
#define FR_DETECT_H

#include <stdint.h>

#include "fr_buf.h"
#include "fr_store.h"
#include "fr_writer.h"

/* How a parameter's text is read. */
typedef enum fr_param_kind {
  FR_PARAM_DECIMAL = 1, /* exact decimal(18,2): "100000.00", "5e3" is refused */
  FR_PARAM_INT = 2,     /* integer in [min, max] */
  FR_PARAM_RATIO = 3,   /* exact non-negative decimal fraction, up to 9 places */
  FR_PARAM_REAL = 4,    /* double, finite, >= 0 */
  FR_PARAM_DATES = 5,   /* list of YYYY-MM-DD, comma or space separated; "" = none */
  FR_PARAM_WORDS = 6,   /* list of words, comma separated; "" = all */
  FR_PARAM_COLUMN = 7,  /* a column name of the detector's table (`table`) */
  FR_PARAM_TABLE = 8,   /* a table name of the store */
} fr_param_kind;

typedef struct fr_param_spec {
  const char *name;     /* as given to --set */
  fr_param_kind kind;
  const char *def;      /* default, as text */
  int64_t min, max;     /* FR_PARAM_INT bounds */
  const char *table;    /* FR_PARAM_COLUMN: the role of the table it lives in */
  const char *help;     /* one line */
} fr_param_spec;

typedef struct fr_detector_info {
  const char *id;       /* "F3" */
  const char *name;     /* "split_payment" */
  const char *concern;  /* one line */
  const char *table;    /* main table role: "payments" */
  const char *key;      /* evidence key column role: "txn_id" */
  const fr_param_spec *params;
  uint32_t n_params;
} fr_detector_info;

/* Number of detectors in the catalogue, and the idx-th (static, never NULL for
 * idx < count). */
uint32_t fr_detect_count(void);
const fr_detector_info *fr_detect_at(uint32_t idx);
/* Detector by id or name (case-insensitive), or NULL. */
const fr_detector_info *fr_detect_find(const char *name);
/* Renders the catalogue (--list): one block per detector with its concern,
 * table and parameters with defaults. */
void fr_detect_write_list(fr_buf *out);

/* The parameter values of one run. */
typedef struct fr_detect_params fr_detect_params;

/* Creates the defaults of detector `d` (*out is the caller's; destroy with
 * fr_detect_params_destroy).  Errors: FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_detect_params_create(fr_detect_params **out, const fr_detector_info *d,
                                              fr_error *err);
/* Sets one parameter from text.  Errors: FR_ERR_INVALID for an unknown name
 * (the message lists the valid names) or a bad value (the message says what is
 * expected), FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_detect_params_set(fr_detect_params *params, const char *name,
                                           const char *value, fr_error *err);
/* Same for "NAME=VALUE" (FR_ERR_INVALID without '='). */
FR_MUST_USE fr_status fr_detect_params_set_pair(fr_detect_params *params, const char *pair,
                                                fr_error *err);
void fr_detect_params_destroy(fr_detect_params *params);

/* One finding (DESIGN.md "Findings").  All strings are owned by the findings. */
typedef struct fr_finding {
  const char *detector;     /* detector name, static */
  char id[17];              /* 16 hex digits: XXH3 of detector + sorted evidence keys */
  double score;
  char *subject;            /* NULL when none */
  char *org;                /* NULL when none applies */
  char *summary;            /* one sentence */
  int has_ts;               /* first_ts / last_ts are set */
  int64_t first_ts, last_ts;/* microseconds, naive local */
  uint32_t n_evidence;
  char **evidence;          /* keys, ascending bytewise, distinct */
  uint64_t *evidence_rows;  /* row number in the evidence table, per key */
  char *details;            /* a JSON object text, never NULL */
  char **explain_rows;      /* after fr_detect_explain: per key, a JSON object */
  /* the table and key column the evidence keys are from, when not the set's
   * (a detector whose rule flags rows of two tables, A1); NULL = the set's */
  char *evidence_table;
  char *evidence_key;
} fr_finding;

typedef struct fr_findings {
  const fr_detector_info *detector;
  char evidence_table[FR_NAME_CAP]; /* the table the keys are from */
  char evidence_key[FR_NAME_CAP];   /* its key column */
  uint64_t rows_scanned;            /* rows of the main table */
  uint32_t n;
  fr_finding *items;
} fr_findings;

/* The table / key column finding f's evidence keys are from. */
static inline const char *fr_finding_table(const fr_findings *fs, const fr_finding *f) {
  return f->evidence_table != NULL ? f->evidence_table : fs->evidence_table;
}
static inline const char *fr_finding_key(const fr_findings *fs, const fr_finding *f) {
  return f->evidence_key != NULL ? f->evidence_key : fs->evidence_key;
}

/* Runs detector `d` with `params` (NULL = defaults) over the store snapshot.
 * *out is the caller's (fr_findings_destroy).  A table with no rows gives no
 * findings.  Errors: FR_ERR_NOTFOUND (table or column missing: named),
 * FR_ERR_INVALID (a column of the wrong type; a parameter combination that
 * cannot hold), FR_ERR_CORRUPT / FR_ERR_IO (reading the store), FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_detect_run(fr_findings **out, const fr_store *store,
                                    const fr_detector_info *d, const fr_detect_params *params,
                                    fr_error *err);

/* Fills explain_rows of every finding: each evidence row rendered as a JSON
 * object of all its columns.  Errors as fr_detect_run. */
FR_MUST_USE fr_status fr_detect_explain(fr_findings *findings, const fr_store *store,
                                        fr_error *err);

/* Appends the findings as `format`: json (one object per line, DESIGN.md),
 * csv (header row; evidence keys space-separated) or table (aligned, for
 * people).  With `explain`, table and json carry the evidence rows. */
void fr_findings_write(fr_buf *out, const fr_findings *findings, fr_output_format format,
                       int explain);

/* Moves every finding of `from` into `into` (a finding keeps its own evidence
 * table and key where `from`'s differ from `into`'s) and sorts `into` again
 * (score descending, then id).  Destroys `from` (also on failure).  Errors:
 * FR_ERR_NOMEM. */
FR_MUST_USE fr_status fr_findings_append(fr_findings *into, fr_findings *from, fr_error *err);

void fr_findings_destroy(fr_findings *findings);

#endif
