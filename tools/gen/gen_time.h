/* gen_time.h: calendar arithmetic and the working-time clock of the generator.
 *
 * Times are naive local microseconds since 1970-01-01 00:00:00 (int64, ts_us);
 * dates are days since 1970-01-01 (int32). The data span is fixed:
 * 2023-01-01 00:00:00 .. 2024-12-31 23:59:59. The working clock counts only the
 * office hours 08:30-17:30 of Monday-Friday, so a wait drawn in working time
 * lands on office hours and its calendar length is bounded.
 */
#ifndef FR_GEN_TIME_H
#define FR_GEN_TIME_H

#include <stdint.h>

#define FR_GEN_US_PER_S 1000000LL
#define FR_GEN_US_PER_DAY 86400000000LL
#define FR_GEN_DAY0 19358                  /* 2023-01-01 */
#define FR_GEN_NDAYS 731                   /* 2023-01-01 .. 2024-12-31 */
#define FR_GEN_DAY_END (FR_GEN_DAY0 + FR_GEN_NDAYS - 1)             /* 2024-12-31 */
#define FR_GEN_TS_END ((int64_t)(FR_GEN_DAY_END + 1) * FR_GEN_US_PER_DAY - FR_GEN_US_PER_S)
#define FR_GEN_WORK_START_US (8LL * 3600 * FR_GEN_US_PER_S + 30LL * 60 * FR_GEN_US_PER_S)
#define FR_GEN_WORK_DAY_US (9LL * 3600 * FR_GEN_US_PER_S) /* 08:30-17:30 */

/* fr_gen_days_from_civil: days since 1970-01-01 of y-m-d (proleptic Gregorian). */
int32_t fr_gen_days_from_civil(int y, int m, int d);

/* fr_gen_civil_from_days: the y-m-d of a day number; out parameters first. */
void fr_gen_civil_from_days(int *out_y, int *out_m, int *out_d, int32_t days);

/* fr_gen_weekday: 0 = Monday .. 6 = Sunday, for days >= 0. */
static inline int fr_gen_weekday(int32_t days) { return (int)((days + 3) % 7); }

/* fr_gen_is_holiday: 1 when the day is a public holiday (2023-2024, China). */
int fr_gen_is_holiday(int32_t days);

/* fr_gen_day_of: the date of a timestamp (ts >= 0). */
static inline int32_t fr_gen_day_of(int64_t ts_us) { return (int32_t)(ts_us / FR_GEN_US_PER_DAY); }

/* fr_gen_ts: the timestamp of day + h:m:s. */
static inline int64_t fr_gen_ts(int32_t day, int h, int m, int s) {
  return (int64_t)day * FR_GEN_US_PER_DAY + ((int64_t)h * 3600 + m * 60 + s) * FR_GEN_US_PER_S;
}

/* fr_gen_month_index: months since 2023-01 (0..23 inside the span). */
int fr_gen_month_index(int32_t days);

/* fr_gen_work_from_ts: working microseconds before ts (monotone non-decreasing). */
int64_t fr_gen_work_from_ts(int64_t ts_us);

/* fr_gen_ts_from_work: the calendar instant of a working-clock reading; inverse of
 * fr_gen_work_from_ts on office hours. */
int64_t fr_gen_ts_from_work(int64_t work_us);

/* fr_gen_next_workday: the first Monday-Friday day >= day. */
int32_t fr_gen_next_workday(int32_t day);

#endif
