-- 05_window.sql - row_number, rank, lag, lead, sum/count/min/max/avg over ROWS and RANGE
-- frames, PARTITION BY and ORDER BY. Window orders are total within partitions, or
-- the function is insensitive to ties (rank, RANGE frames, whole-partition aggregates).

-- name: win_row_number_global
SELECT txn_id, row_number() OVER (ORDER BY txn_id) AS rn FROM payments ORDER BY txn_id LIMIT 100;

-- name: win_row_number_partition
SELECT txn_id, org, ts, row_number() OVER (PARTITION BY org ORDER BY ts, txn_id) AS rn FROM payments ORDER BY txn_id;

-- name: win_row_number_desc
SELECT txn_id, payee, row_number() OVER (PARTITION BY payee ORDER BY amount DESC, txn_id DESC) AS rn
FROM payments ORDER BY payee, rn LIMIT 500;

-- name: win_top_n_per_group
WITH ranked AS (SELECT org, txn_id, amount, row_number() OVER (PARTITION BY org ORDER BY amount DESC, txn_id) AS rn FROM payments)
SELECT org, txn_id, amount, rn FROM ranked WHERE rn <= 3 ORDER BY org, rn;

-- name: win_rank_ties
SELECT tender_id, bidder, amount, rank() OVER (PARTITION BY tender_id ORDER BY amount) AS r FROM bids ORDER BY tender_id, bidder;

-- name: win_rank_with_real_ties
SELECT txn_id, org, CAST(ts AS DATE) AS day, rank() OVER (PARTITION BY org ORDER BY CAST(ts AS DATE)) AS r
FROM payments ORDER BY txn_id;

-- name: win_rank_desc_global
SELECT org, sum(amount) AS total, rank() OVER (ORDER BY sum(amount) DESC) AS r FROM payments GROUP BY org ORDER BY org;

-- name: win_rank_nulls
-- tags: null_semantics
SELECT id, registered, rank() OVER (PARTITION BY kind ORDER BY registered) AS r,
       rank() OVER (PARTITION BY kind ORDER BY registered DESC NULLS FIRST) AS r2 FROM entities ORDER BY id;

-- name: win_lag_lead_basic
SELECT txn_id, payee, ts, amount, lag(amount) OVER (PARTITION BY payee ORDER BY ts, txn_id) AS prev,
       lead(amount) OVER (PARTITION BY payee ORDER BY ts, txn_id) AS next FROM payments ORDER BY txn_id;

-- name: win_lag_offset_default
SELECT txn_id, org, lag(txn_id, 2) OVER (PARTITION BY org ORDER BY txn_id) AS back2,
       lead(ts, 3, TIMESTAMP '1999-01-01 00:00:00') OVER (PARTITION BY org ORDER BY txn_id) AS fwd3,
       lag(amount, 1, 0) OVER (PARTITION BY org ORDER BY txn_id) AS prev_or_zero FROM payments ORDER BY txn_id;

-- name: win_lag_time_gap
SELECT case_id, activity, ts, lag(activity) OVER (PARTITION BY case_id ORDER BY ts, activity, actor) AS prev_activity
FROM approvals WHERE case_id < 'C03' ORDER BY case_id, ts, activity, actor;

-- name: win_lead_no_partition
SELECT tender_id, published, lead(tender_id) OVER (ORDER BY published, tender_id) AS next_tender FROM tenders ORDER BY tender_id;

-- name: win_lag_nullable_values
-- tags: null_semantics
SELECT case_id, ts, activity, actor, lag(amount) OVER (PARTITION BY case_id ORDER BY ts, activity, actor) AS prev_amount
FROM approvals WHERE case_id < 'C02' ORDER BY case_id, ts, activity, actor;

-- name: win_sum_rows_running
SELECT txn_id, org, amount, sum(amount) OVER (PARTITION BY org ORDER BY ts, txn_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
FROM payments ORDER BY txn_id;

-- name: win_sum_rows_sliding
SELECT txn_id, payee, sum(amount) OVER (PARTITION BY payee ORDER BY ts, txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last3,
       count(*) OVER (PARTITION BY payee ORDER BY ts, txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS n3
FROM payments ORDER BY txn_id;

-- name: win_rows_following
SELECT txn_id, org, min(amount) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) AS lo,
       max(amount) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS hi,
       avg(amount) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS mean
FROM payments ORDER BY txn_id;

-- name: win_rows_unbounded_following
SELECT txn_id, org, sum(amount) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS rest,
       count(*) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
FROM payments ORDER BY txn_id;

-- name: win_rows_shorthand
SELECT txn_id, sum(amount) OVER (PARTITION BY org ORDER BY txn_id ROWS 3 PRECEDING) AS s FROM payments ORDER BY txn_id;

-- name: win_default_frame_with_order
SELECT txn_id, org, sum(amount) OVER (PARTITION BY org ORDER BY txn_id) AS running, count(memo) OVER (PARTITION BY org ORDER BY txn_id) AS memos
FROM payments ORDER BY txn_id;

-- name: win_default_frame_peers
SELECT txn_id, org, sum(amount) OVER (PARTITION BY org ORDER BY CAST(ts AS DATE)) AS through_day,
       count(*) OVER (PARTITION BY org ORDER BY CAST(ts AS DATE)) AS n FROM payments ORDER BY txn_id;

-- name: win_whole_partition
SELECT txn_id, org, amount, sum(amount) OVER (PARTITION BY org) AS org_total, count(*) OVER (PARTITION BY org) AS org_n,
       min(ts) OVER (PARTITION BY org) AS first_ts, max(amount) OVER (PARTITION BY org) AS org_max,
       avg(amount) OVER (PARTITION BY org) AS org_avg FROM payments ORDER BY txn_id;

-- name: win_empty_over
SELECT txn_id, amount, sum(amount) OVER () AS total, count(*) OVER () AS n, amount / sum(amount) OVER () AS share
FROM payments ORDER BY txn_id LIMIT 20;

-- name: win_range_interval_7d
SELECT txn_id, org, payee, ts, amount, sum(amount) OVER (PARTITION BY org, payee ORDER BY ts
       RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND CURRENT ROW) AS week_total FROM payments ORDER BY txn_id;

-- name: win_range_interval_count
SELECT txn_id, payee, count(*) OVER (PARTITION BY payee ORDER BY ts RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS n30,
       max(amount) OVER (PARTITION BY payee ORDER BY ts RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS max30
FROM payments ORDER BY txn_id;

-- name: win_range_interval_hours
SELECT txn_id, approver, count(*) OVER (PARTITION BY approver ORDER BY ts RANGE BETWEEN INTERVAL 2 HOURS PRECEDING AND INTERVAL 2 HOURS FOLLOWING) AS nearby
FROM payments ORDER BY txn_id;

-- name: win_range_interval_string_form
SELECT txn_id, sum(amount) OVER (PARTITION BY org ORDER BY ts RANGE BETWEEN INTERVAL '1 day' PRECEDING AND CURRENT ROW) AS d1,
       min(amount) OVER (PARTITION BY org ORDER BY ts RANGE BETWEEN INTERVAL '36 hours' PRECEDING AND INTERVAL '1 hour' FOLLOWING) AS m
FROM payments ORDER BY txn_id;

-- name: win_range_interval_approvals
SELECT case_id, ts, activity, actor, count(*) OVER (PARTITION BY actor ORDER BY ts RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND CURRENT ROW) AS load
FROM approvals WHERE org < 'ORG-0005' ORDER BY case_id, ts, activity, actor;

-- name: win_range_interval_avg_min
SELECT payout_id, beneficiary, avg(amount) OVER (PARTITION BY beneficiary ORDER BY ts RANGE BETWEEN INTERVAL 90 DAYS PRECEDING AND CURRENT ROW) AS a90,
       min(amount) OVER (PARTITION BY beneficiary ORDER BY ts RANGE BETWEEN INTERVAL 90 DAYS PRECEDING AND CURRENT ROW) AS m90
FROM subsidies ORDER BY payout_id;

-- name: win_range_numeric
SELECT txn_id, org, amount, count(*) OVER (PARTITION BY org ORDER BY amount RANGE BETWEEN 100 PRECEDING AND 100 FOLLOWING) AS similar
FROM payments ORDER BY txn_id;

-- name: win_range_unbounded
SELECT txn_id, sum(amount) OVER (PARTITION BY org ORDER BY ts RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s,
       count(*) OVER (PARTITION BY org ORDER BY ts RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS after
FROM payments ORDER BY txn_id;

-- name: win_range_with_nulls
-- tags: null_semantics
SELECT tender_id, awarded, count(*) OVER (PARTITION BY org ORDER BY awarded RANGE BETWEEN INTERVAL 60 DAYS PRECEDING AND CURRENT ROW) AS n
FROM tenders ORDER BY tender_id;

-- name: win_multiple_windows
SELECT txn_id, row_number() OVER (PARTITION BY org ORDER BY txn_id) AS rn, rank() OVER (PARTITION BY payee ORDER BY amount DESC) AS r,
       lag(txn_id) OVER (ORDER BY txn_id) AS prev, sum(amount) OVER (PARTITION BY budget_code) AS b
FROM payments ORDER BY txn_id LIMIT 3000;

-- name: win_over_aggregate
SELECT org, date_trunc('month', ts) AS month, sum(amount) AS total,
       sum(sum(amount)) OVER (PARTITION BY org ORDER BY date_trunc('month', ts) ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS rolling3
FROM payments GROUP BY org, date_trunc('month', ts) ORDER BY org, month;

-- name: win_in_cte_then_filter
WITH w AS (SELECT txn_id, payee, amount, lag(ts) OVER (PARTITION BY payee ORDER BY ts, txn_id) AS prev_ts, ts FROM payments)
SELECT txn_id, payee, amount FROM w WHERE prev_ts IS NOT NULL AND CAST(prev_ts AS DATE) = CAST(ts AS DATE) ORDER BY txn_id;

-- name: win_expression_args
SELECT txn_id, sum(amount * 2) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s2,
       lag(upper(payee)) OVER (PARTITION BY org ORDER BY txn_id) AS p FROM payments ORDER BY txn_id LIMIT 500;

-- name: win_count_column_nulls
-- tags: null_semantics
SELECT txn_id, count(memo) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS memos,
       max(memo) OVER (PARTITION BY org) AS max_memo FROM payments ORDER BY txn_id LIMIT 1000;

-- name: win_partition_null_key
-- tags: null_semantics null_group_key
SELECT txn_id, approver, count(*) OVER (PARTITION BY approver) AS n, row_number() OVER (PARTITION BY approver ORDER BY txn_id) AS rn
FROM payments ORDER BY txn_id;

-- name: win_bids_rank_pct
SELECT tender_id, bidder, amount, rank() OVER (PARTITION BY tender_id ORDER BY amount DESC) AS r,
       amount / max(amount) OVER (PARTITION BY tender_id) AS rel FROM bids ORDER BY tender_id, bidder;

-- RANGE frames that end before the current row (N PRECEDING .. M PRECEDING), over
-- intervals and decimals, ascending and descending, with NULL keys first and last;
-- and offsets as large as a BIGINT (held, not overflowed)
-- name: win_range_end_preceding_interval
SELECT txn_id, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1 day' PRECEDING AND INTERVAL '1 hour' PRECEDING) AS c
FROM payments ORDER BY txn_id LIMIT 300;

-- name: win_range_end_preceding_decimal
SELECT org, sum(c) AS s FROM (SELECT org, count(*) OVER (PARTITION BY org ORDER BY amount
  RANGE BETWEEN 1000 PRECEDING AND 10 PRECEDING) AS c FROM payments) t GROUP BY org ORDER BY org;

-- name: win_range_end_preceding_desc
SELECT txn_id, count(*) OVER (ORDER BY amount DESC RANGE BETWEEN 100 PRECEDING AND 1 PRECEDING) AS c
FROM payments ORDER BY txn_id LIMIT 300;

-- name: win_range_end_preceding_nulls
SELECT org, sum(c) AS s, sum(m) AS m, max(x) AS x FROM (SELECT org,
  count(*) OVER (PARTITION BY org ORDER BY CASE WHEN amount > 300000 THEN NULL ELSE amount END NULLS FIRST
                 RANGE BETWEEN 1000 PRECEDING AND 10 PRECEDING) AS c,
  sum(amount) OVER (PARTITION BY org ORDER BY CASE WHEN amount > 300000 THEN NULL ELSE amount END DESC NULLS FIRST
                    RANGE BETWEEN 5000 PRECEDING AND 1 PRECEDING) AS m,
  max(amount) OVER (PARTITION BY org ORDER BY CASE WHEN amount > 300000 THEN NULL ELSE amount END NULLS LAST
                    RANGE BETWEEN 1000 PRECEDING AND 10 PRECEDING) AS x
  FROM payments) t GROUP BY org ORDER BY org;

-- name: win_huge_offsets
SELECT txn_id, count(*) OVER (ORDER BY txn_id ROWS BETWEEN CURRENT ROW AND 9223372036854775807 FOLLOWING) AS a,
       count(*) OVER (ORDER BY amount RANGE BETWEEN 100000000000000000 PRECEDING AND CURRENT ROW) AS b
FROM payments ORDER BY txn_id LIMIT 200;
