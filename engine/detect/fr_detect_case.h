/* fr_detect_case.h - case reconstruction for the approval detectors (DETECTORS.md
 * section A): the events of an approvals table ordered by (case, ts, input order)
 * once, with each event's wait (ts minus the previous event of its case) and its
 * activity's roles (submit, approve, ...) resolved from the detector's parameters.
 * Internal to engine/detect/ (fr_detect_approval.c is its user).
 */
#ifndef FR_DETECT_CASE_H
#define FR_DETECT_CASE_H

#include <stdint.h>

#include "fr_detect_internal.h"

/* Roles an activity name can play; an activity may play several (a bit set). */
enum {
  FR_ROLE_SUBMIT = 1,
  FR_ROLE_APPROVE = 2,
  FR_ROLE_FINAL = 4,
  FR_ROLE_PAY = 8,
  FR_ROLE_RETURN = 16,
  FR_ROLE_VISIT = 32,
  FR_ROLE_TERMINAL = 64,
};

/* Loaded columns of the approvals table, by index into fr_case_log.cols. */
enum { FR_CL_KEY, FR_CL_CASE, FR_CL_TS, FR_CL_ACT, FR_CL_ACTOR, FR_CL_ORG, FR_CL_SERVICE, FR_CL_AMOUNT, FR_CL_N };

/* Which optional columns a rule needs (case_id, ts and activity are always loaded). */
enum { FR_CLN_ACTOR = 1, FR_CLN_ORG = 2, FR_CLN_SERVICE = 4, FR_CLN_AMOUNT = 8 };

/* The org name used for every event when the org parameter is "*" (a log
 * without an org column analysed as one organisation). */
#define FR_CASE_ORG_ALL "*"

typedef struct fr_case_log {
  fr_sdict dict;          /* every string of the loaded tables (shared ids) but the case ids */
  fr_ltable t;            /* the approvals columns, input order */
  fr_lcol cols[FR_CL_N];  /* absent ones have present = 0; CASE is a GROUP column (its own
                           * ids), KEY's texts are CASE's */
  uint32_t org_all;       /* sid of "*" when org = "*", else FR_NOID */
  uint64_t n_events;      /* rows with a case_id and a ts */
  uint32_t n_cases;
  uint64_t *case_first;   /* n_cases + 1: the case's events are positions [case_first[c], case_first[c+1]) */
  uint32_t *case_of;      /* per position: its case */
  uint64_t *row;          /* per position: table row */
  int64_t *ts;            /* per position: microseconds */
  int64_t *wait;          /* per position: ts - ts of the previous position of the case, -1 for a case's first
                           * (NULL when opened with roles: the case is then not whole) */
  uint8_t *role;          /* per position: FR_ROLE_* bits of its activity */
  uint32_t *actor;        /* per position: actor sid (FR_NOID: NULL or not loaded) */
  uint32_t *org;          /* per position: org sid (FR_NOID: NULL or not loaded) */
  int has_max_ts;
  int64_t max_ts;         /* latest ts of the table (any row) */
  int roles_only;         /* opened with roles: only the events playing them */
  uint8_t *role_of;       /* per sid: FR_ROLE_* bits of that activity name */
} fr_case_log;

/* Loads the approvals table named by parameter "approvals" (columns case_id, ts,
 * activity and the optional ones in `need`, each named by the parameter of that
 * name) and builds the case order: rows with a NULL case_id or ts are in no case;
 * a NULL activity plays no role.  Roles come from the WORDS parameters submit,
 * approve, final, pay, return, visit and terminal that detector p->d has (exact,
 * case-sensitive activity names; an empty list matches nothing).  Sorting and the
 * per-position arrays run in parallel; the result does not depend on the thread
 * count.  Errors: those of fr_ltable_load, FR_ERR_NOMEM.  Free with
 * fr_case_log_free (also after a failure). */
FR_MUST_USE fr_status fr_case_log_open(fr_case_log *log, const fr_store *store, const fr_detect_params *p,
                                       unsigned need, fr_error *err);
/* As fr_case_log_open, for a rule that looks only at events whose activity plays
 * one of `roles` (FR_ROLE_* bits, not 0): only those rows are loaded (t, row
 * and every position index them), so a case holds only such events, in case
 * order; wait is not computed (NULL: the case is not whole).  max_ts is still
 * the latest ts of the whole table (from its zone maps). */
FR_MUST_USE fr_status fr_case_log_open_roles(fr_case_log *log, const fr_store *store, const fr_detect_params *p,
                                             unsigned need, unsigned roles, fr_error *err);
/* As fr_case_log_open_roles, for a rule that aggregates per case and needs no
 * case order: only the load (t, cols with KEY, max_ts, n_events, role_of); the
 * case arrays (case_first ... org) stay NULL and n_cases 0.  A row is an event
 * when its case id (cols[FR_CL_CASE].sid, dense below its n_groups) and its ts
 * are not NULL. */
FR_MUST_USE fr_status fr_case_log_load_roles(fr_case_log *log, const fr_store *store, const fr_detect_params *p,
                                             unsigned need, unsigned roles, fr_error *err);
void fr_case_log_free(fr_case_log *log);
/* Points the key texts (cols[FR_CL_KEY]) at the case column's texts again; they
 * do not move when more strings are interned into log->dict, so this is kept
 * for callers that load another table into it. */
void fr_case_log_sync(fr_case_log *log);

/* Key text (case_id) of a position. */
static inline const char *fr_case_key(const fr_case_log *log, uint64_t pos) {
  return fr_lkey(&log->cols[FR_CL_KEY], log->row[pos]);
}
/* Text of a sid ("" for FR_NOID). */
static inline const char *fr_case_str(const fr_case_log *log, uint32_t sid) {
  return sid == FR_NOID ? "" : fr_sdict_str(&log->dict, sid);
}

/* Twice the median of n sorted values (exact: the mean of the two middle ones
 * when n is even); n > 0. */
static inline int64_t fr_case_median2(const int64_t *sorted, uint64_t n) {
  return n % 2 ? 2 * sorted[n / 2] : sorted[n / 2 - 1] + sorted[n / 2];
}
/* quantile_cont(q) of n sorted values (linear interpolation between the order
 * statistics at (n - 1) q, DuckDB's and R type 7's definition); n > 0. */
double fr_case_quantile(const int64_t *sorted, uint64_t n, double q);

#endif
