-- 02_aggregate.sql - GROUP BY, HAVING and every aggregate, NULLs in aggregates and keys.

-- name: agg_all_whole_table
SELECT count(*) AS n, count(memo) AS n_memo, count(DISTINCT org) AS orgs, sum(amount) AS total,
       avg(amount) AS mean, min(amount) AS lo, max(amount) AS hi, median(amount) AS med,
       quantile_cont(amount, 0.9) AS p90, stddev_samp(amount) AS sd
FROM payments;

-- name: agg_sum_by_org
SELECT org, sum(amount) AS total FROM payments GROUP BY org ORDER BY org;

-- name: agg_issue_example
SELECT payee, sum(amount) AS total FROM payments
WHERE ts >= '2024-12-01' GROUP BY payee ORDER BY total DESC, payee LIMIT 20;

-- name: agg_per_payee_top100
SELECT payee, sum(amount) AS total FROM payments GROUP BY payee ORDER BY total DESC, payee LIMIT 100;

-- name: agg_duplicate_search
SELECT payee, amount, invoice_no, count(*) AS n FROM payments
GROUP BY payee, amount, invoice_no HAVING count(*) > 1 ORDER BY payee, amount, invoice_no NULLS FIRST;

-- name: agg_selective_count
SELECT count(*) AS n FROM payments WHERE org = 'ORG-0042' AND amount > 50000;

-- name: agg_point_lookup
SELECT * FROM payments WHERE txn_id = 'T000000012345';

-- name: agg_count_column_nulls
-- tags: null_aggregate null_semantics
SELECT count(*) AS n, count(approver) AS n_appr, count(requester) AS n_req, count(contract_id) AS n_contract,
       count(memo) AS n_memo FROM payments;

-- name: agg_count_distinct_nulls
-- tags: null_aggregate null_semantics
SELECT count(DISTINCT approver) AS a, count(DISTINCT memo) AS m, count(DISTINCT contract_id) AS c FROM payments;

-- name: agg_count_distinct_by_group
SELECT org, count(DISTINCT payee) AS payees, count(DISTINCT approver) AS approvers FROM payments GROUP BY org ORDER BY org;

-- name: agg_nullable_decimal
-- tags: null_aggregate null_semantics
SELECT activity, count(*) AS n, count(amount) AS n_amount, sum(amount) AS total, avg(amount) AS mean,
       min(amount) AS lo, max(amount) AS hi, median(amount) AS med, stddev_samp(amount) AS sd
FROM approvals GROUP BY activity ORDER BY activity;

-- name: agg_all_null_group
-- tags: null_aggregate null_semantics
SELECT service, sum(amount) AS s, avg(amount) AS a, min(amount) AS lo, max(amount) AS hi, median(amount) AS m,
       quantile_cont(amount, 0.5) AS q, stddev_samp(amount) AS sd, count(amount) AS c
FROM approvals WHERE amount IS NULL GROUP BY service ORDER BY service;

-- name: agg_empty_input_scalar
-- tags: null_aggregate null_semantics
SELECT count(*) AS n, count(amount) AS c, sum(amount) AS s, avg(amount) AS a, min(ts) AS lo, max(org) AS hi,
       median(amount) AS m, quantile_cont(amount, 0.25) AS q, stddev_samp(amount) AS sd, count(DISTINCT org) AS d
FROM payments WHERE org = 'NO-SUCH-ORG';

-- name: agg_stddev_single_row_groups
-- tags: null_aggregate
SELECT tender_id, stddev_samp(amount) AS sd, count(*) AS n FROM bids GROUP BY tender_id ORDER BY tender_id;

-- name: agg_null_group_key
-- tags: null_group_key null_semantics
SELECT approver, count(*) AS n, sum(amount) AS total FROM payments GROUP BY approver ORDER BY approver NULLS FIRST;

-- name: agg_null_group_key_two
-- tags: null_group_key null_semantics
SELECT contract_id IS NULL AS no_contract, case_id IS NULL AS no_case, count(*) AS n
FROM payments GROUP BY contract_id IS NULL, case_id IS NULL ORDER BY no_contract, no_case;

-- name: agg_null_group_key_multiset
-- tags: null_group_key null_semantics
SELECT memo, count(*) AS n FROM payments WHERE org = 'ORG-0005' GROUP BY memo;

-- name: agg_group_by_date_key
-- tags: null_group_key
SELECT registered, count(*) AS n FROM entities GROUP BY registered ORDER BY registered NULLS LAST;

-- name: agg_group_by_bool
SELECT won, count(*) AS n, sum(amount) AS total, avg(amount) AS mean FROM bids GROUP BY won ORDER BY won;

-- name: agg_group_by_timestamp
SELECT published, count(*) AS n FROM tenders GROUP BY published ORDER BY published;

-- name: agg_group_by_expression
SELECT date_trunc('month', ts) AS month, count(*) AS n, sum(amount) AS total FROM payments
GROUP BY date_trunc('month', ts) ORDER BY month;

-- name: agg_group_by_alias
SELECT extract(year FROM ts) AS yr, org, sum(amount) AS total FROM payments GROUP BY yr, org ORDER BY yr, org;

-- name: agg_group_key_not_selected
SELECT sum(amount) AS total FROM payments GROUP BY org ORDER BY total;

-- name: agg_group_many_keys
SELECT org, payer, budget_code, currency, count(*) AS n FROM payments GROUP BY org, payer, budget_code, currency
ORDER BY org, payer, budget_code, currency;

-- name: agg_high_cardinality_group
SELECT invoice_no, count(*) AS n, min(txn_id) AS first_txn FROM payments GROUP BY invoice_no HAVING count(*) >= 2;

-- name: agg_group_by_txn_id
SELECT txn_id, sum(amount) AS s FROM payments GROUP BY txn_id ORDER BY s DESC, txn_id LIMIT 10;

-- name: agg_having_sum
SELECT org, sum(amount) AS total FROM payments GROUP BY org HAVING sum(amount) > 5000000 ORDER BY total DESC, org;

-- name: agg_having_alias_not_selected_agg
SELECT org FROM payments GROUP BY org HAVING max(amount) > 1000000 AND count(*) > 50 ORDER BY org;

-- name: agg_having_or
SELECT payee, count(*) AS n FROM payments GROUP BY payee HAVING count(*) > 60 OR sum(amount) > 8000000 ORDER BY payee;

-- name: agg_having_on_key
SELECT org, count(*) AS n FROM payments GROUP BY org HAVING org LIKE 'ORG-001%' ORDER BY org;

-- name: agg_having_without_group
SELECT count(*) AS n FROM payments HAVING count(*) > 10;

-- name: agg_sum_decimal_expression
-- tags: arith_decimal
SELECT org, sum(amount * 2) AS twice, sum(amount + 1) AS plus_one, sum(amount - amount) AS zero FROM payments
GROUP BY org ORDER BY org;

-- name: agg_sum_integer_expression
-- tags: arith_int
SELECT org, sum(length(payee)) AS chars, sum(1) AS ones, avg(length(payee)) AS avg_chars FROM payments GROUP BY org ORDER BY org;

-- name: agg_avg_decimal_type
SELECT program, avg(amount) AS mean FROM subsidies GROUP BY program ORDER BY program;

-- name: agg_min_max_strings
SELECT org, min(payee) AS first_payee, max(payee) AS last_payee, min(memo) AS first_memo, max(memo) AS last_memo
FROM payments GROUP BY org ORDER BY org;

-- name: agg_min_max_timestamps_dates
SELECT kind, min(registered) AS first_reg, max(registered) AS last_reg, min(deceased) AS d1, max(deceased) AS d2
FROM entities GROUP BY kind ORDER BY kind;

-- name: agg_min_max_bool
SELECT tender_id, min(won) AS any_lost, max(won) AS any_won FROM bids GROUP BY tender_id ORDER BY tender_id LIMIT 50;

-- name: agg_median_even_odd
SELECT tender_id, count(*) AS n, median(amount) AS med FROM bids GROUP BY tender_id ORDER BY tender_id;

-- name: agg_median_integer
SELECT org, median(length(memo)) AS med_len FROM payments GROUP BY org ORDER BY org;

-- name: agg_median_timestamp
SELECT org, median(ts) AS mid_ts FROM payments GROUP BY org ORDER BY org;

-- name: agg_quantile_cont_levels
SELECT quantile_cont(amount, 0.0) AS q0, quantile_cont(amount, 0.1) AS q10, quantile_cont(amount, 0.25) AS q25,
       quantile_cont(amount, 0.333) AS q33, quantile_cont(amount, 0.75) AS q75, quantile_cont(amount, 1.0) AS q100
FROM payments;

-- name: agg_quantile_cont_groups
SELECT program, quantile_cont(amount, 0.95) AS p95, quantile_cont(amount, 0.05) AS p05 FROM subsidies
GROUP BY program ORDER BY program;

-- name: agg_quantile_cont_double
SELECT quantile_cont(amount / 3, 0.5) AS q, quantile_cont(CAST(amount AS DOUBLE), 0.9) AS q90 FROM payments;

-- name: agg_quantile_cont_integer
SELECT quantile_cont(length(name), 0.5) AS q50, quantile_cont(length(name), 0.8) AS q80 FROM entities;

-- name: agg_stddev_groups
SELECT org, stddev_samp(amount) AS sd, count(*) AS n FROM payments GROUP BY org ORDER BY org;

-- name: agg_stddev_double_input
SELECT stddev_samp(amount / 7) AS sd, stddev_samp(CAST(amount AS DOUBLE)) AS sd2 FROM payments;

-- name: agg_avg_integer
SELECT avg(length(name)) AS a, sum(length(name)) AS s FROM entities;

-- name: agg_count_distinct_expression
SELECT count(DISTINCT date_trunc('day', ts)) AS days, count(DISTINCT extract(month FROM ts)) AS months FROM payments;

-- name: agg_count_distinct_decimal
SELECT org, count(DISTINCT amount) AS amounts FROM payments GROUP BY org ORDER BY org;

-- name: agg_arith_on_aggregates
SELECT org, sum(amount) / count(*) AS mean1, avg(amount) AS mean2, max(amount) - min(amount) AS spread,
       count(*) * 2 AS twice FROM payments GROUP BY org ORDER BY org;

-- name: agg_case_inside_sum
SELECT org, sum(CASE WHEN amount > 10000 THEN amount ELSE 0 END) AS big, count(CASE WHEN memo IS NULL THEN 1 END) AS no_memo
FROM payments GROUP BY org ORDER BY org;

-- name: agg_agg_of_expression_in_key
SELECT CASE WHEN amount >= 100000 THEN 'large' WHEN amount >= 1000 THEN 'medium' ELSE 'small' END AS size,
       count(*) AS n, sum(amount) AS total FROM payments GROUP BY size ORDER BY size;

-- name: agg_cte_two_level
WITH daily AS (SELECT org, CAST(ts AS DATE) AS day, sum(amount) AS total FROM payments GROUP BY org, CAST(ts AS DATE))
SELECT org, count(*) AS days, max(total) AS best_day, avg(total) AS mean_day FROM daily GROUP BY org ORDER BY org;

-- name: agg_distinct_then_count
SELECT count(*) AS n FROM (SELECT DISTINCT org, payee FROM payments) t;

-- name: agg_subsidies_by_village
SELECT village, count(DISTINCT beneficiary) AS people, sum(amount) AS total FROM subsidies GROUP BY village ORDER BY village;

-- name: agg_tenders_by_method
SELECT method, category, count(*) AS n, sum(reserve_price) AS total, avg(reserve_price) AS mean FROM tenders
GROUP BY method, category ORDER BY method, category;

-- name: agg_approvals_cases
SELECT case_id, count(*) AS steps, min(ts) AS started, max(ts) AS ended FROM approvals GROUP BY case_id
ORDER BY steps DESC, case_id LIMIT 30;

-- name: agg_sum_big_values
SELECT sum(amount) AS s FROM bids;

-- name: agg_sum_negative
-- tags: arith_decimal
SELECT sum(-amount) AS neg, min(-amount) AS lo, avg(-amount) AS mean FROM payments;

-- name: agg_count_star_vs_count_1
SELECT count(*) AS a, count(1) AS b FROM payments WHERE memo IS NULL;

-- name: agg_sum_distinct_decimal_by_org
SELECT org, sum(DISTINCT amount) AS s, count(DISTINCT amount) AS c FROM payments GROUP BY org ORDER BY org;

-- name: agg_sum_distinct_double_and_nulls
SELECT sum(DISTINCT CAST(amount AS DOUBLE) / 4) AS sd, count(DISTINCT CAST(amount AS DOUBLE) / 4) AS cd,
       sum(DISTINCT CASE WHEN memo IS NULL THEN NULL ELSE 1 END) AS s_one,
       count(DISTINCT requester) AS reqs, sum(DISTINCT extract(hour FROM ts)) AS hours
FROM payments;

-- name: agg_distinct_signed_zero
SELECT count(DISTINCT z) AS c, sum(DISTINCT z) AS s
FROM (SELECT CASE WHEN amount > 1000 THEN 0.0 ELSE -0.0 END AS z FROM payments);

-- name: agg_distinct_empty_groups
SELECT approver IS NULL AS no_approver, count(DISTINCT CASE WHEN amount > 1e12 THEN payee END) AS c,
       sum(DISTINCT CASE WHEN amount > 1e12 THEN amount END) AS s
FROM payments GROUP BY approver IS NULL ORDER BY no_approver;

-- name: agg_having_null_sum_and_min_string
SELECT contract_id, count(*) AS n, min(memo) AS m FROM payments GROUP BY contract_id HAVING sum(CASE WHEN memo IS NULL THEN NULL ELSE 1 END) IS NULL OR min(memo) > 'R' ORDER BY contract_id NULLS FIRST;

-- name: agg_having_median_is_not_early
SELECT org, median(amount) AS med FROM payments GROUP BY org HAVING median(amount) > 20000 AND count(*) > 2 ORDER BY org;

-- name: agg_having_avg_and_keys_mixed
SELECT payee, amount, count(*) AS n, avg(amount) AS a FROM payments GROUP BY payee, amount HAVING count(*) > 1 AND avg(amount) >= 0 AND payee IS NOT NULL ORDER BY payee, amount;
