/* gen_tables.h: the writers of the generated tables and their shared time map.
 *
 * Each writer streams one table (or two produced together) through the block
 * pipeline of gen_pipe.h, merging the planted rows of gen_plant.h in by time and
 * recording the keys it gives them (tenders + bids also render an OCDS JSON-lines
 * file on request). A time map spreads n rows over the 731 days
 * of the span by day weights (weekdays, month seasonality, low weekend and
 * holiday activity) so that row i's timestamp is a monotone function of i.
 */
#ifndef FR_GEN_TABLES_H
#define FR_GEN_TABLES_H

#include <stdint.h>

#include "gen_plant.h"
#include "gen_sink.h"
#include "gen_time.h"
#include "gen_world.h"

typedef struct fr_gen_timemap {
  uint64_t n;                        /* rows mapped */
  uint64_t cum[FR_GEN_NDAYS + 1];    /* rows before day d (d from 2023-01-01) */
  int off_hours;                     /* 1: weekends and a night tail get rows too */
  uint64_t seed;
} fr_gen_timemap;

/* fr_gen_timemap_init: map n rows; off_hours selects the payments profile
 * (weekend rows, 0.2% of weekday rows at 22:00-23:50), otherwise office hours on
 * working days only. */
void fr_gen_timemap_init(fr_gen_timemap *m, uint64_t n, int off_hours, uint64_t seed);

/* fr_gen_timemap_ts: timestamp of row i (0 <= i < n); non-decreasing in i. Some
 * seconds (chosen by hash) keep microseconds, the others are whole seconds. */
int64_t fr_gen_timemap_ts(const fr_gen_timemap *m, uint64_t i);

/* fr_gen_timemap_count_le: number of rows with timestamp <= ts. */
uint64_t fr_gen_timemap_count_le(const fr_gen_timemap *m, int64_t ts);

/* fr_gen_is_off_hours: Saturday, Sunday, or hour >= 22 or < 6 (F8's default rule). */
int fr_gen_is_off_hours(int64_t ts_us);

/* Background summaries kept while writing, to confirm that the background meets
 * none of the group-level definitions (F4, F9, A4); see fr_gen_ledger_check. */
typedef struct fr_gen_ledger_stats {
  uint64_t n_payments;        /* rows written */
  uint64_t n_events;          /* approvals rows written */
  uint64_t n_cases;
  uint64_t f4_orgs_flagged;   /* background orgs F4 would flag (expected 0) */
  uint64_t f9_flagged;        /* background (org, year) F9 would flag (expected 0) */
  uint64_t a4_flagged;        /* background (org, activity) A4 would flag (expected 0) */
  double f4_worst_excess;     /* max over background orgs of MAD - E(n) */
  double a4_worst_share;      /* max over background orgs/activities of the wait share */
  double f9_worst_ratio;      /* max dec / base over background (org, year) considered */
} fr_gen_ledger_stats;

/* Each writer: FR_GEN_OK, FR_GEN_ENOMEM, FR_GEN_EIO (message in err). */
int fr_gen_ledger_write(const fr_gen_world *w, fr_gen_plant *p, const char *dir, fr_gen_zkind z,
                        fr_gen_ledger_stats *out_stats, fr_gen_err *err) __attribute__((warn_unused_result));
int fr_gen_entities_write(const fr_gen_world *w, const char *dir, fr_gen_zkind z, fr_gen_err *err)
    __attribute__((warn_unused_result));
int fr_gen_relations_write(const fr_gen_world *w, const fr_gen_plant *p, const char *dir, fr_gen_zkind z,
                           fr_gen_err *err) __attribute__((warn_unused_result));
int fr_gen_posts_write(const fr_gen_world *w, const char *dir, fr_gen_zkind z, fr_gen_err *err)
    __attribute__((warn_unused_result));
/* fr_gen_tenders_write: tenders and bids; with `ocds` also ocds.jsonl, one OCDS 1.1
 * compiled release per tender, in tender order, rendered in the same pass. */
int fr_gen_tenders_write(const fr_gen_world *w, fr_gen_plant *p, const char *dir, fr_gen_zkind z, int ocds,
                         fr_gen_err *err) __attribute__((warn_unused_result));
int fr_gen_subsidies_write(const fr_gen_world *w, fr_gen_plant *p, const char *dir, fr_gen_zkind z,
                           fr_gen_err *err) __attribute__((warn_unused_result));

/* Background sizes that planting and writing must agree on. */
#define FR_GEN_LEDGER_BLOCK 32768ULL  /* background payments per ledger block */

/* fr_gen_ledger_place: give every planted payment and case its merge position and
 * block (needs the background payment count = rows - planted payments). */
int fr_gen_ledger_place(const fr_gen_world *w, fr_gen_plant *p) __attribute__((warn_unused_result));

#endif
