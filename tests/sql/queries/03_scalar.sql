-- 03_scalar.sql - arithmetic, comparisons, logic, predicates, CASE/CAST/COALESCE, functions.

-- name: sc_decimal_arith
-- tags: arith_decimal
SELECT txn_id, amount + 1 AS a1, amount - 0.5 AS a2, amount * 3 AS a3, amount * 1.5 AS a4, amount * amount AS a5,
       -amount AS a6, amount + amount AS a7 FROM payments ORDER BY txn_id LIMIT 50;

-- name: sc_decimal_division
-- tags: arith_decimal
SELECT txn_id, amount / 3 AS d1, amount / 2 AS d2, amount / 0.25 AS d3, 1 / amount AS d4, amount / amount AS d5
FROM payments ORDER BY txn_id LIMIT 50;

-- name: sc_decimal_modulo
-- tags: arith_decimal
SELECT txn_id, amount % 7 AS m1, amount % 0.3 AS m2, -amount % 7 AS m3 FROM payments ORDER BY txn_id LIMIT 50;

-- name: sc_decimal_division_by_zero
-- tags: arith_decimal null_semantics
SELECT txn_id, amount / 0 AS d0, amount % 0 AS m0, amount / (amount - amount) AS dz FROM payments ORDER BY txn_id LIMIT 5;

-- name: sc_integer_arith
-- tags: arith_int
SELECT id, length(name) AS n, length(name) + 10 AS a, length(name) - 100 AS b, length(name) * 7 AS c,
       length(name) / 4 AS d, length(name) // 4 AS e, length(name) % 4 AS f, -length(name) % 4 AS g,
       -length(name) // 4 AS h FROM entities ORDER BY id LIMIT 60;

-- name: sc_integer_division_by_zero
-- tags: arith_int null_semantics
SELECT id, length(name) / 0 AS d, length(name) // 0 AS i, length(name) % 0 AS m FROM entities ORDER BY id LIMIT 3;

-- name: sc_integer_literals
-- tags: arith_int
SELECT 7 / 2 AS a, 7 // 2 AS b, -7 // 2 AS c, 7 % 3 AS d, -7 % 3 AS e, 7 % -3 AS f, 2 * 3 + 4 AS g, 2 * (3 + 4) AS h,
       10 - 2 - 3 AS i, 100 / 10 / 5 AS j;

-- name: sc_bigint_columns
-- tags: arith_int
-- requires: aml_nodes
SELECT nodeid, nodeid * 1000000 AS big, nodeid + fraudStep AS s, nodeid % 97 AS m, nodeid // 3 AS q, nodeid / 3 AS r,
       init_balance * nodeid AS w FROM aml_nodes ORDER BY nodeid LIMIT 40;

-- name: sc_mixed_int_decimal
-- tags: arith_decimal arith_int
SELECT txn_id, amount * length(payee) AS a, amount + length(payee) AS b, amount / length(payee) AS c,
       length(payee) - amount AS d FROM payments ORDER BY txn_id LIMIT 40;

-- name: sc_double_arith
SELECT txn_id, CAST(amount AS DOUBLE) * 1.1 AS a, CAST(amount AS DOUBLE) / 7 AS b, amount / 3 * 3 AS c,
       CAST(amount AS DOUBLE) + 0.1 AS d FROM payments ORDER BY txn_id LIMIT 40;

-- name: sc_double_column
-- requires: aml_tx
SELECT sourceNodeId, targetNodeId, time, value, value * 2 AS v2, value / 3 AS v3, round(value, 1) AS r,
       floor(value) AS f, ceil(value) AS c, abs(value - 200) AS a FROM aml_tx ORDER BY time, sourceNodeId, targetNodeId, value LIMIT 60;

-- name: sc_comparisons_all
SELECT txn_id, amount = 1000 AS eq, amount <> 1000 AS ne, amount < 1000 AS lt, amount <= 1000 AS le,
       amount > 1000 AS gt, amount >= 1000 AS ge FROM payments ORDER BY txn_id LIMIT 40;

-- name: sc_compare_strings
SELECT txn_id, payee < 'V-0000500' AS lt, org >= 'ORG-0030' AS ge, payee = payer AS same FROM payments ORDER BY txn_id LIMIT 40;

-- name: sc_compare_timestamps_dates
SELECT org, post, start_date, end_date, start_date < end_date AS ordered, end_date >= DATE '2023-01-01' AS recent
FROM posts ORDER BY org, post, official;

-- name: sc_compare_timestamp_with_date
SELECT count(*) AS n FROM payments WHERE ts >= DATE '2024-01-01';

-- name: sc_three_valued_logic
-- tags: null_semantics
SELECT txn_id, approver, requester, approver = requester AS eq, approver = requester AND amount > 100 AS a,
       approver = requester OR amount > 100 AS o, NOT (approver = requester) AS n
FROM payments WHERE approver IS NULL OR requester IS NULL ORDER BY txn_id LIMIT 60;

-- name: sc_logic_literals
-- tags: null_semantics
SELECT NULL AND false AS a, NULL AND true AS b, NULL OR true AS c, NULL OR false AS d, NOT NULL AS e,
       true AND NOT false AS f, (1 > 2) OR (2 > 1) AS g;

-- name: sc_where_null_comparison_drops
-- tags: null_semantics
SELECT count(*) AS n FROM payments WHERE approver <> 'P-0000005';

-- name: sc_where_not_of_null
-- tags: null_semantics
SELECT count(*) AS n FROM payments WHERE NOT (memo LIKE '%fee%');

-- name: sc_and_or_precedence
SELECT count(*) AS n FROM payments WHERE org = 'ORG-0001' OR org = 'ORG-0002' AND amount > 10000;

-- name: sc_not_precedence
SELECT count(*) AS n FROM payments WHERE NOT org = 'ORG-0001' AND amount > 5000;

-- name: sc_in_list
SELECT txn_id, org FROM payments WHERE org IN ('ORG-0004', 'ORG-0008') AND amount > 20000 ORDER BY txn_id;

-- name: sc_in_decimal_list
SELECT count(*) AS n FROM payments WHERE amount IN (500, 1000.00, 2576.02, 5000);

-- name: sc_not_in_list
SELECT org, count(*) AS n FROM payments WHERE org NOT IN ('ORG-0001', 'ORG-0002', 'ORG-0003') GROUP BY org ORDER BY org;

-- name: sc_in_with_null
-- tags: null_semantics
SELECT txn_id, org IN ('ORG-0001', NULL) AS a, org NOT IN ('ORG-0001', NULL) AS b, approver IN ('P-0000005') AS c
FROM payments ORDER BY txn_id LIMIT 30;

-- name: sc_in_expression
SELECT count(*) AS n FROM payments WHERE extract(month FROM ts) IN (1, 2, 12);

-- name: sc_between_decimal
SELECT count(*) AS n FROM payments WHERE amount BETWEEN 1000 AND 2000;

-- name: sc_between_inclusive_edges
SELECT txn_id, amount FROM payments WHERE amount BETWEEN 5.00 AND 100.00 ORDER BY txn_id;

-- name: sc_not_between
SELECT count(*) AS n FROM payments WHERE amount NOT BETWEEN 100 AND 1000000;

-- name: sc_between_timestamps
SELECT count(*) AS n FROM payments WHERE ts BETWEEN TIMESTAMP '2023-03-01 00:00:00' AND TIMESTAMP '2023-03-31 23:59:59';

-- name: sc_between_strings
SELECT count(*) AS n FROM payments WHERE payee BETWEEN 'V-0000100' AND 'V-0000200';

-- name: sc_between_dates
SELECT count(*) AS n FROM relations WHERE since BETWEEN '2000-01-01' AND '2010-12-31';

-- name: sc_like_patterns
SELECT txn_id, memo FROM payments WHERE memo LIKE 'Consult%' OR memo LIKE '%进度%' ORDER BY txn_id LIMIT 40;

-- name: sc_like_underscore
SELECT count(*) AS n FROM payments WHERE payee LIKE 'V-000_1__';

-- name: sc_like_exact_and_case
SELECT count(*) AS n, count(CASE WHEN memo LIKE 'consulting%' THEN 1 END) AS lower_case FROM payments WHERE memo LIKE 'Consulting fee%';

-- name: sc_not_like
SELECT count(*) AS n FROM payments WHERE invoice_no NOT LIKE 'INV-%';

-- name: sc_ilike
SELECT txn_id, invoice_no FROM payments WHERE invoice_no ILIKE 'inv %' ORDER BY txn_id LIMIT 40;

-- name: sc_ilike_utf8
SELECT count(*) AS n FROM entities WHERE name ILIKE '%engine%';

-- name: sc_not_ilike
SELECT count(*) AS n FROM payments WHERE memo NOT ILIKE '%FEE%';

-- name: sc_like_null
-- tags: null_semantics
SELECT txn_id, memo LIKE '%a%' AS has_a FROM payments WHERE org = 'ORG-0011' ORDER BY txn_id LIMIT 40;

-- name: sc_is_null
-- tags: null_semantics
SELECT txn_id FROM payments WHERE approver IS NULL ORDER BY txn_id;

-- name: sc_is_not_null_select
-- tags: null_semantics
SELECT txn_id, contract_id IS NOT NULL AS has_contract, memo IS NULL AS no_memo FROM payments ORDER BY txn_id LIMIT 40;

-- name: sc_case_searched
SELECT txn_id, CASE WHEN amount >= 100000 THEN 'large' WHEN amount >= 1000 THEN 'medium' ELSE 'small' END AS size
FROM payments ORDER BY txn_id LIMIT 50;

-- name: sc_case_no_else
-- tags: null_semantics
SELECT txn_id, CASE WHEN amount > 50000 THEN amount END AS big FROM payments ORDER BY txn_id LIMIT 50;

-- name: sc_case_simple
SELECT tender_id, CASE method WHEN 'open' THEN 1 WHEN 'negotiated' THEN 2 ELSE 3 END AS m FROM tenders ORDER BY tender_id;

-- name: sc_case_null_condition
-- tags: null_semantics
SELECT txn_id, CASE WHEN approver = requester THEN 'self' WHEN approver IS NULL THEN 'none' ELSE 'other' END AS who
FROM payments ORDER BY txn_id LIMIT 80;

-- name: sc_case_mixed_types
SELECT txn_id, CASE WHEN amount > 1000 THEN amount ELSE 0 END AS a, CASE WHEN amount > 1000 THEN 1 ELSE 0.5 END AS b
FROM payments ORDER BY txn_id LIMIT 30;

-- name: sc_case_nested
SELECT txn_id, CASE WHEN memo IS NULL THEN CASE WHEN approver IS NULL THEN 'both' ELSE 'memo' END ELSE 'ok' END AS status
FROM payments ORDER BY txn_id LIMIT 60;

-- name: sc_cast_decimal_to_int
SELECT txn_id, amount, CAST(amount AS BIGINT) AS b, CAST(amount AS INTEGER) AS i, CAST(-amount AS BIGINT) AS nb
FROM payments ORDER BY txn_id LIMIT 60;

-- name: sc_cast_decimal_to_double_varchar
SELECT txn_id, CAST(amount AS DOUBLE) AS d, CAST(amount AS VARCHAR) AS s FROM payments ORDER BY txn_id LIMIT 30;

-- name: sc_cast_strings
SELECT budget_code, CAST(budget_code AS BIGINT) AS b, CAST(budget_code AS INTEGER) + 1 AS i,
       CAST(budget_code AS DOUBLE) / 2 AS d, CAST(budget_code AS DECIMAL(18,2)) AS dec
FROM payments GROUP BY budget_code ORDER BY budget_code;

-- name: sc_cast_timestamps
SELECT txn_id, CAST(ts AS DATE) AS d, CAST(ts AS VARCHAR) AS s, CAST(CAST(ts AS DATE) AS TIMESTAMP) AS midnight
FROM payments ORDER BY txn_id LIMIT 30;

-- name: sc_cast_string_literals
SELECT CAST('2024-03-05' AS DATE) AS d, CAST('2024-03-05 06:07:08' AS TIMESTAMP) AS t, CAST('12.345' AS DOUBLE) AS f,
       CAST('12.34' AS DECIMAL(18,2)) AS dec, CAST('true' AS BOOLEAN) AS b, CAST(42 AS VARCHAR) AS s, CAST(2.5 AS INTEGER) AS i;

-- name: sc_cast_bool
SELECT tender_id, bidder, CAST(won AS INTEGER) AS w, CAST(won AS VARCHAR) AS s FROM bids ORDER BY tender_id, bidder LIMIT 30;

-- name: sc_cast_date_to_varchar
SELECT id, CAST(registered AS VARCHAR) AS r FROM entities WHERE registered IS NOT NULL ORDER BY id LIMIT 20;

-- name: sc_cast_null
-- tags: null_semantics
SELECT CAST(NULL AS INTEGER) AS i, CAST(NULL AS VARCHAR) AS s, CAST(NULL AS DATE) AS d;

-- name: sc_coalesce
-- tags: null_semantics
SELECT txn_id, COALESCE(approver, requester, 'nobody') AS who, COALESCE(memo, '') AS memo2,
       COALESCE(contract_id, case_id) AS ref FROM payments ORDER BY txn_id LIMIT 80;

-- name: sc_coalesce_types
-- tags: null_semantics
SELECT id, COALESCE(deceased, registered, DATE '1900-01-01') AS d FROM entities ORDER BY id LIMIT 60;

-- name: sc_coalesce_decimal
-- tags: null_semantics
SELECT case_id, activity, COALESCE(amount, 0) AS amount FROM approvals WHERE case_id < 'C01' ORDER BY case_id, ts, activity, actor;

-- name: sc_abs
SELECT txn_id, abs(amount - 10000) AS a, abs(-length(payee)) AS b, abs(CAST(amount AS DOUBLE) - 10000.5) AS c
FROM payments ORDER BY txn_id LIMIT 30;

-- name: sc_round_decimal
SELECT txn_id, amount, round(amount) AS r0, round(amount, 1) AS r1, round(amount, 2) AS r2, round(amount, -2) AS rm2
FROM payments ORDER BY txn_id LIMIT 60;

-- name: sc_round_half
SELECT round(2.5) AS a, round(-2.5) AS b, round(0.125, 2) AS c, round(-0.125, 2) AS d, round(1.005, 2) AS e;

-- name: sc_round_double
SELECT txn_id, round(amount / 3, 2) AS a, round(amount / 7) AS b, round(CAST(amount AS DOUBLE) / 9, 3) AS c
FROM payments ORDER BY txn_id LIMIT 40;

-- name: sc_floor_ceil
SELECT txn_id, floor(amount) AS f, ceil(amount) AS c, floor(-amount) AS nf, ceil(-amount) AS nc,
       floor(amount / 1000) AS f2, ceil(amount / 1000) AS c2 FROM payments ORDER BY txn_id LIMIT 40;

-- name: sc_floor_ceil_integer
SELECT id, floor(length(name)) AS f, ceil(length(name)) AS c FROM entities ORDER BY id LIMIT 10;

-- name: sc_lower_upper
SELECT id, lower(id) AS l, upper(lower(id)) AS u, lower(name) AS ln, upper(name) AS un FROM entities ORDER BY id LIMIT 60;

-- name: sc_length_utf8
SELECT id, name, length(name) AS n, length(address) AS a FROM entities ORDER BY id LIMIT 60;

-- name: sc_length_null_and_empty
-- tags: null_semantics
SELECT txn_id, length(memo) AS n FROM payments WHERE org = 'ORG-0020' ORDER BY txn_id LIMIT 60;

-- name: sc_substr
SELECT txn_id, substr(txn_id, 1, 4) AS a, substr(txn_id, 5) AS b, substr(payee, 3, 2) AS c, substr(memo, 2, 3) AS d
FROM payments ORDER BY txn_id LIMIT 60;

-- name: sc_substr_edges
SELECT substr('hello', 0, 2) AS a, substr('hello', -3, 2) AS b, substr('hello', 4, 10) AS c, substr('hello', 9) AS d,
       substr('中文字符', 2, 2) AS e;

-- name: sc_substr_utf8
SELECT id, substr(name, 1, 2) AS first2, substr(address, 3, 4) AS mid FROM entities ORDER BY id LIMIT 60;

-- name: sc_date_trunc_parts
SELECT txn_id, ts, date_trunc('year', ts) AS y, date_trunc('quarter', ts) AS q, date_trunc('month', ts) AS m,
       date_trunc('week', ts) AS w, date_trunc('day', ts) AS d, date_trunc('hour', ts) AS h, date_trunc('minute', ts) AS mi
FROM payments ORDER BY txn_id LIMIT 60;

-- name: sc_date_trunc_date
SELECT id, registered, date_trunc('month', registered) AS m, date_trunc('year', registered) AS y FROM entities
WHERE registered IS NOT NULL ORDER BY id LIMIT 40;

-- name: sc_date_part
SELECT txn_id, date_part('year', ts) AS y, date_part('month', ts) AS m, date_part('day', ts) AS d,
       date_part('hour', ts) AS h, date_part('minute', ts) AS mi, date_part('second', ts) AS s,
       date_part('dow', ts) AS dow, date_part('doy', ts) AS doy, date_part('quarter', ts) AS q, date_part('week', ts) AS wk,
       date_part('isodow', ts) AS idow FROM payments ORDER BY txn_id LIMIT 60;

-- name: sc_extract
SELECT txn_id, extract(year FROM ts) AS y, extract(month FROM ts) AS m, extract(day FROM ts) AS d,
       extract(hour FROM ts) AS h, extract(dow FROM ts) AS dow, extract(epoch FROM ts) AS e FROM payments ORDER BY txn_id LIMIT 60;

-- name: sc_extract_date
SELECT id, extract(year FROM registered) AS y, date_part('month', registered) AS m, extract(dow FROM registered) AS dow
FROM entities ORDER BY id LIMIT 60;

-- name: sc_strftime
SELECT txn_id, strftime(ts, '%Y-%m-%d') AS d, strftime(ts, '%H:%M:%S') AS t, strftime(ts, '%Y/%m') AS ym,
       strftime(ts, '%d.%m.%y %I%p') AS eu, strftime(ts, '%j') AS doy, strftime(ts, '%a %b') AS names,
       strftime(ts, '%A %B') AS long_names FROM payments ORDER BY txn_id LIMIT 60;

-- name: sc_strftime_date
SELECT id, strftime(registered, '%Y%m%d') AS d FROM entities WHERE registered IS NOT NULL ORDER BY id LIMIT 20;

-- name: sc_strftime_group
SELECT strftime(ts, '%Y-%m') AS month, count(*) AS n FROM payments GROUP BY month ORDER BY month;

-- name: sc_timestamp_literal_forms
SELECT count(*) AS n FROM payments WHERE ts > '2024-06-01T12:00:00' AND ts < '2024-06-30';

-- name: sc_functions_in_where
SELECT count(*) AS n FROM payments WHERE upper(substr(memo, 1, 3)) = 'CON' AND length(payee) = 9;

-- name: sc_nested_functions
SELECT txn_id, round(abs(floor(amount / 3) - ceil(amount / 7)), 1) AS x,
       lower(substr(upper(memo), 1, length(org))) AS y FROM payments ORDER BY txn_id LIMIT 40;

-- name: sc_expression_on_null_propagates
-- tags: null_semantics
SELECT case_id, activity, amount + 1 AS a, amount * 2 AS b, -amount AS c, round(amount) AS d, abs(amount) AS e
FROM approvals WHERE case_id < 'C02' ORDER BY case_id, ts, activity, actor;

-- name: sc_bool_column_logic
SELECT tender_id, bidder, won, NOT won AS lost, won AND amount > 100000 AS big_win, won OR amount < 50000 AS x
FROM bids ORDER BY tender_id, bidder LIMIT 50;

-- name: sc_where_bool_column
SELECT tender_id, bidder FROM bids WHERE won ORDER BY tender_id, bidder;

-- name: sc_in_null_items_and_zone_maps
SELECT count(*) AS n, count(*) FILTER (WHERE org IN (NULL, 'ORG-0004')) AS with_null FROM payments WHERE org IN (NULL, 'ORG-0004', 'ZZZ-none');

-- name: sc_in_only_null_is_never_true
SELECT count(*) AS n FROM payments WHERE org IN (NULL);

-- name: sc_not_in_with_null_is_never_true
SELECT count(*) AS n FROM payments WHERE approver NOT IN (NULL, 'P-0000005');

-- name: sc_in_plain_strings_and_doubles
SELECT count(*) FILTER (WHERE invoice_no IN ('INV-0000001', 'x')) AS inv, count(*) FILTER (WHERE CAST(amount AS DOUBLE) IN (-0.0, 100.0, 2576.02)) AS dbl,
       count(*) FILTER (WHERE memo IN ('', 'Consulting fee')) AS memo
FROM payments;
