-- 90_extensions.sql - DuckDB syntax just outside DESIGN.md's subset (tag: extension).
-- ferret may refuse these as unsupported (counted as passed); where it answers, the
-- answer must equal DuckDB's.

-- name: sc_concat
-- tags: extension
SELECT txn_id, org || ':' || payee AS pair, 'x' || NULL AS n FROM payments ORDER BY txn_id LIMIT 10;

-- name: sc_interval_arith
-- tags: extension
SELECT txn_id, ts + INTERVAL 1 DAY AS next_day, ts - INTERVAL '2 hours' AS earlier FROM payments ORDER BY txn_id LIMIT 10;

-- name: sc_cast_double_colon
-- tags: extension
SELECT txn_id, amount::BIGINT AS b, ts::DATE AS d FROM payments ORDER BY txn_id LIMIT 10;

-- name: sel_group_by_ordinal
-- tags: extension
SELECT org, count(*) AS n FROM payments GROUP BY 1 ORDER BY 1;

-- name: sel_order_by_ordinal
-- tags: extension
SELECT org, payee, amount FROM payments WHERE amount > 2000000 ORDER BY 3 DESC, 1, 2;
