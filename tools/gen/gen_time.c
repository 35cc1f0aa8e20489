/* gen_time.c: civil-date conversion and the office-hours clock.
 *
 * Invariant: fr_gen_ts_from_work(fr_gen_work_from_ts(t)) == t for every t inside
 * office hours; both directions are O(1). Used per event and per row, so no
 * tables and no loops longer than a week.
 */
#include "gen_time.h"

/* Howard Hinnant's days_from_civil / civil_from_days algorithms. */
int32_t fr_gen_days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + (int)doe - 719468);
}

void fr_gen_civil_from_days(int *out_y, int *out_m, int *out_d, int32_t days) {
  int32_t z = days + 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = (int)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *out_y = y + (m <= 2);
  *out_m = (int)m;
  *out_d = (int)d;
}

int fr_gen_month_index(int32_t days) {
  int y, m, d;
  fr_gen_civil_from_days(&y, &m, &d, days);
  return (y - 2023) * 12 + (m - 1);
}

/* Public holidays that fall on weekdays (State Council notices for 2023, 2024). */
static const int16_t holiday_md[][3] = {
    {2023, 1, 2},  {2023, 1, 23}, {2023, 1, 24}, {2023, 1, 25}, {2023, 1, 26},
    {2023, 1, 27}, {2023, 4, 5},  {2023, 5, 1},  {2023, 5, 2},  {2023, 5, 3},
    {2023, 6, 22}, {2023, 6, 23}, {2023, 9, 29}, {2023, 10, 2}, {2023, 10, 3},
    {2023, 10, 4}, {2023, 10, 5}, {2023, 10, 6}, {2024, 1, 1},  {2024, 2, 12},
    {2024, 2, 13}, {2024, 2, 14}, {2024, 2, 15}, {2024, 2, 16}, {2024, 4, 4},
    {2024, 4, 5},  {2024, 5, 1},  {2024, 5, 2},  {2024, 5, 3},  {2024, 6, 10},
    {2024, 9, 16}, {2024, 9, 17}, {2024, 10, 1}, {2024, 10, 2}, {2024, 10, 3},
    {2024, 10, 4}, {2024, 10, 7}};

int fr_gen_is_holiday(int32_t days) {
  for (unsigned k = 0; k < sizeof holiday_md / sizeof holiday_md[0]; k++)
    if (fr_gen_days_from_civil(holiday_md[k][0], holiday_md[k][1], holiday_md[k][2]) == days)
      return 1;
  return 0;
}

/* Weekdays in [0, days): whole weeks plus the partial week that starts on a
 * Thursday (1970-01-01). */
static int64_t weekdays_before(int32_t days) {
  int64_t n = (int64_t)(days / 7) * 5;
  int32_t rest = days % 7;
  for (int32_t j = 0; j < rest; j++)
    if ((3 + j) % 7 < 5) n++;
  return n;
}

/* Day of the k-th weekday (0-based) counted from 1970-01-01. */
static int32_t kth_weekday(int64_t k) {
  static const int offs[5] = {0, 1, 4, 5, 6}; /* Thu Fri Mon Tue Wed */
  return (int32_t)((k / 5) * 7 + offs[k % 5]);
}

int64_t fr_gen_work_from_ts(int64_t ts_us) {
  int32_t day = fr_gen_day_of(ts_us);
  int64_t base = weekdays_before(day) * FR_GEN_WORK_DAY_US;
  if (fr_gen_weekday(day) >= 5) return base;
  int64_t tod = ts_us - (int64_t)day * FR_GEN_US_PER_DAY - FR_GEN_WORK_START_US;
  if (tod < 0) tod = 0;
  if (tod > FR_GEN_WORK_DAY_US) tod = FR_GEN_WORK_DAY_US;
  return base + tod;
}

int64_t fr_gen_ts_from_work(int64_t work_us) {
  int64_t k = work_us / FR_GEN_WORK_DAY_US;
  int64_t rem = work_us % FR_GEN_WORK_DAY_US;
  return (int64_t)kth_weekday(k) * FR_GEN_US_PER_DAY + FR_GEN_WORK_START_US + rem;
}

int32_t fr_gen_next_workday(int32_t day) {
  while (fr_gen_weekday(day) >= 5) day++;
  return day;
}
