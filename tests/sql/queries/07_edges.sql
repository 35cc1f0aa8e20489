-- 07_edges.sql - edge cases found while building the engine: ordinals, FILTER,
-- // on decimals, top-k with ties, late-decoded dictionary columns, join
-- dictionary probes.  Format: see tests/sql/README.md.

-- name: edge_group_ordinals
-- tags: extension
SELECT org, count(*) AS n FROM payments GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;

-- name: edge_filter_clause
-- tags: extension
-- unordered
SELECT payee, count(*) FILTER (WHERE amount > 100) AS big, sum(amount) FILTER (WHERE org = 'ORG-0001') AS o1 FROM payments GROUP BY payee ORDER BY payee;

-- name: edge_decimal_int_division
-- tags: arith_decimal, extension
SELECT txn_id, amount // 7 AS q, amount % 7 AS r, round(amount * 1.5, 1) AS x FROM payments ORDER BY txn_id LIMIT 20;

-- name: edge_topk_ties
SELECT txn_id, amount FROM payments ORDER BY amount DESC, txn_id LIMIT 7;

-- name: edge_topk_offset
SELECT txn_id, org, amount FROM payments ORDER BY org, amount DESC, txn_id LIMIT 5 OFFSET 11;

-- name: edge_dict_filter_eq
SELECT count(*) AS n, sum(amount) AS total FROM payments WHERE org = 'ORG-0004';

-- name: edge_dict_filter_like
SELECT count(*) AS n FROM payments WHERE payee LIKE 'V-000%5' OR org ILIKE 'org-001%';

-- name: edge_dict_group_nulls
-- tags: null_group_key
SELECT memo, count(*) AS n FROM payments GROUP BY memo ORDER BY memo NULLS FIRST;

-- name: edge_join_dict_probe_left
-- tags: null_join_key
SELECT e.kind, count(*) AS n, count(e.id) AS matched FROM payments p LEFT JOIN entities e ON p.payee = e.id GROUP BY e.kind ORDER BY e.kind NULLS LAST;

-- name: edge_window_rows_centered
SELECT txn_id, avg(amount) OVER (ORDER BY ts, txn_id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS a FROM payments ORDER BY ts, txn_id LIMIT 30;

-- name: edge_window_range_following
SELECT txn_id, sum(amount) OVER (PARTITION BY org ORDER BY ts RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND INTERVAL 1 DAYS FOLLOWING) AS s FROM payments ORDER BY txn_id LIMIT 50;

-- name: edge_cte_left_join
WITH a AS (SELECT org, sum(amount) AS s FROM payments GROUP BY org), b AS (SELECT org, count(*) AS c FROM payments WHERE amount > 10000 GROUP BY org) SELECT a.org, a.s, b.c FROM a LEFT JOIN b ON a.org = b.org ORDER BY a.s DESC, a.org LIMIT 10;

-- name: edge_time_arithmetic
-- tags: extension
SELECT txn_id, ts + INTERVAL 1 HOUR AS later, CAST(ts AS DATE) + 7 AS week_on, ts - TIMESTAMP '2024-01-01 00:00:00' AS since FROM payments ORDER BY txn_id LIMIT 10;
