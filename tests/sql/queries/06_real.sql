-- 06_real.sql - the real logs of ../shared/data (skipped, saying so, where absent):
-- Oxford City Council spend over £500 (ox_q1 = Jan-Mar 2016, ox_q2 = Apr-Jun 2016;
-- amount decimal(18,2), the rest strings) and AMLSim samples (aml_nodes: int64 and
-- decimal columns; aml_tx: the first 20000 transactions, value float64).

-- name: ox_count_sum
-- requires: ox_q1
SELECT count(*) AS n, sum(amount) AS total, min(amount) AS lo, max(amount) AS hi, avg(amount) AS mean FROM ox_q1;

-- name: ox_by_unit
-- requires: ox_q1
SELECT organisational_unit, count(*) AS n, sum(amount) AS total FROM ox_q1 GROUP BY organisational_unit ORDER BY organisational_unit;

-- name: ox_top_suppliers
-- requires: ox_q1
SELECT supplier_name, sum(amount) AS total, count(*) AS n FROM ox_q1 GROUP BY supplier_name
ORDER BY total DESC, supplier_name NULLS LAST LIMIT 25;

-- name: ox_negative_amounts
-- requires: ox_q1 ox_q2
SELECT trans_no, amount, supplier_name FROM ox_q2 WHERE amount < 0 ORDER BY trans_no;

-- name: ox_duplicates
-- requires: ox_q1
SELECT supplier_id, amount, paid_date, count(*) AS n FROM ox_q1 GROUP BY supplier_id, amount, paid_date
HAVING count(*) > 1 ORDER BY supplier_id, amount, paid_date;

-- name: ox_redacted
-- requires: ox_q2
SELECT count(*) AS n, sum(amount) AS total FROM ox_q2 WHERE supplier_name ILIKE '%redacted%';

-- name: ox_null_supplier
-- requires: ox_q2
-- tags: null_semantics null_group_key
SELECT supplier_name IS NULL AS no_name, count(*) AS n FROM ox_q2 GROUP BY supplier_name IS NULL ORDER BY no_name;

-- name: ox_just_over_threshold
-- requires: ox_q1
SELECT expenditure_category, count(*) AS n FROM ox_q1 WHERE amount BETWEEN 500 AND 550 GROUP BY expenditure_category
ORDER BY n DESC, expenditure_category LIMIT 20;

-- name: ox_round_sums
-- requires: ox_q1
SELECT count(*) AS n, count(CASE WHEN amount % 1000 = 0 THEN 1 END) AS round_thousands,
       count(CASE WHEN amount % 1 = 0 THEN 1 END) AS whole FROM ox_q1;

-- name: ox_leading_digit
-- requires: ox_q1
SELECT substr(CAST(abs(amount) AS VARCHAR), 1, 1) AS digit, count(*) AS n FROM ox_q1 WHERE amount <> 0 GROUP BY digit ORDER BY digit;

-- name: ox_join_quarters
-- requires: ox_q1 ox_q2
SELECT a.supplier_id, sum(a.amount) AS q1, sum(b.amount) AS q2 FROM
  (SELECT supplier_id, sum(amount) AS amount FROM ox_q1 GROUP BY supplier_id) a
  JOIN (SELECT supplier_id, sum(amount) AS amount FROM ox_q2 GROUP BY supplier_id) b ON a.supplier_id = b.supplier_id
GROUP BY a.supplier_id ORDER BY a.supplier_id LIMIT 100;

-- name: ox_left_join_new_suppliers
-- requires: ox_q1 ox_q2
WITH q1 AS (SELECT DISTINCT supplier_name FROM ox_q1)
SELECT count(*) AS n, count(q1.supplier_name) AS seen_before FROM ox_q2 b LEFT JOIN q1 ON q1.supplier_name = b.supplier_name;

-- name: ox_window_running
-- requires: ox_q1
SELECT trans_no, organisational_unit, amount,
       sum(amount) OVER (PARTITION BY organisational_unit ORDER BY trans_no ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
       rank() OVER (PARTITION BY organisational_unit ORDER BY amount DESC) AS r
FROM ox_q1 ORDER BY trans_no;

-- name: ox_median_quantiles
-- requires: ox_q1
SELECT organisational_unit, median(amount) AS med, quantile_cont(amount, 0.9) AS p90, stddev_samp(amount) AS sd
FROM ox_q1 GROUP BY organisational_unit ORDER BY organisational_unit;

-- name: ox_strings
-- requires: ox_q2
SELECT DISTINCT lower(expenditure_category) AS cat, length(expenditure_category) AS len, upper(substr(expenditure_code, 1, 1)) AS code_class
FROM ox_q2 ORDER BY cat, len, code_class;

-- name: aml_nodes_summary
-- requires: aml_nodes
-- tags: arith_int
SELECT isFraud, count(*) AS n, sum(init_balance) AS total, avg(init_balance) AS mean, min(fraudStep) AS lo,
       max(fraudStep) AS hi, sum(nodeid) AS ids, avg(nodeid) AS avg_id, median(nodeid) AS med_id,
       quantile_cont(nodeid, 0.3) AS q30, stddev_samp(nodeid) AS sd_id FROM aml_nodes GROUP BY isFraud ORDER BY isFraud;

-- name: aml_int_expressions
-- requires: aml_nodes
-- tags: arith_int
SELECT nodeid % 10 AS bucket, count(*) AS n, sum(nodeid * 2 + 1) AS s, sum(nodeid // 7) AS q, max(nodeid - fraudStep) AS m
FROM aml_nodes GROUP BY bucket ORDER BY bucket;

-- name: aml_int_comparisons
-- requires: aml_nodes
SELECT count(*) AS n FROM aml_nodes WHERE nodeid BETWEEN 100 AND 5000 AND nodeid % 3 = 0 AND fraudStep IN (-1, 5);

-- name: aml_tx_doubles
-- requires: aml_tx
SELECT time, count(*) AS n, sum(value) AS s, avg(value) AS a, min(value) AS lo, max(value) AS hi, median(value) AS med,
       quantile_cont(value, 0.75) AS q75, stddev_samp(value) AS sd FROM aml_tx GROUP BY time ORDER BY time;

-- name: aml_tx_join_nodes
-- requires: aml_tx aml_nodes
SELECT n.isFraud, count(*) AS n, sum(t.value) AS total, count(DISTINCT t.targetNodeId) AS targets
FROM aml_tx t JOIN aml_nodes n ON n.nodeid = t.sourceNodeId GROUP BY n.isFraud ORDER BY n.isFraud;

-- name: aml_tx_double_keys
-- requires: aml_tx
SELECT value, count(*) AS n FROM aml_tx GROUP BY value HAVING count(*) > 3 ORDER BY value;

-- name: aml_tx_window
-- requires: aml_tx
SELECT sourceNodeId, targetNodeId, time, value,
       sum(value) OVER (PARTITION BY sourceNodeId ORDER BY time, targetNodeId, value ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair,
       row_number() OVER (PARTITION BY sourceNodeId ORDER BY time, targetNodeId, value) AS rn
FROM aml_tx WHERE sourceNodeId < 200 ORDER BY sourceNodeId, rn;

-- name: aml_tx_cast
-- requires: aml_tx
SELECT sourceNodeId, targetNodeId, time, value, CAST(value AS BIGINT) AS i, CAST(value AS DECIMAL(18,2)) AS d,
       CAST(value AS VARCHAR) AS s FROM aml_tx WHERE sourceNodeId < 50 ORDER BY sourceNodeId, targetNodeId, time, value;
