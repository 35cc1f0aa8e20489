-- 01_select.sql - projection, aliases, WHERE, ORDER BY, LIMIT/OFFSET, DISTINCT, WITH.
-- Format: see tests/sql/README.md. Ordered queries order by unique keys.

-- name: sel_star_limit
SELECT * FROM payments ORDER BY txn_id LIMIT 25;

-- name: sel_star_small_table
SELECT * FROM tenders;

-- name: sel_columns_alias
SELECT txn_id AS id, org AS department, amount AS paid FROM payments ORDER BY id LIMIT 40;

-- name: sel_count_star
SELECT count(*) AS n FROM payments;

-- name: sel_where_eq
SELECT txn_id, ts, amount FROM payments WHERE org = 'ORG-0007' ORDER BY txn_id;

-- name: sel_where_range_ts
SELECT txn_id, ts FROM payments WHERE ts >= '2024-11-01' AND ts < '2024-11-08' ORDER BY ts, txn_id;

-- name: sel_where_ts_literal_typed
SELECT count(*) AS n FROM payments WHERE ts > TIMESTAMP '2023-06-30 12:00:00';

-- name: sel_where_date_col
SELECT org, post, official, start_date FROM posts WHERE start_date >= DATE '2020-01-01' ORDER BY org, post, official, start_date;

-- name: sel_where_date_string
SELECT count(*) AS n FROM posts WHERE end_date < '2022-01-01';

-- name: sel_where_decimal_literal
SELECT txn_id, amount FROM payments WHERE amount = 2576.02 ORDER BY txn_id;

-- name: sel_where_decimal_int_literal
SELECT count(*) AS n FROM payments WHERE amount >= 100000;

-- name: sel_where_ne
SELECT count(*) AS n FROM payments WHERE currency <> 'CNY';

-- name: sel_where_bang_ne
SELECT count(*) AS n FROM payments WHERE org != 'ORG-0001';

-- name: sel_order_desc_limit
SELECT txn_id, amount FROM payments ORDER BY amount DESC, txn_id LIMIT 15;

-- name: sel_order_asc_explicit
SELECT txn_id, amount FROM payments ORDER BY amount ASC, txn_id ASC LIMIT 15;

-- name: sel_order_by_expression
SELECT txn_id, amount FROM payments ORDER BY amount % 1000 DESC, txn_id LIMIT 20;

-- name: sel_order_by_alias_expr
SELECT txn_id, amount * 2 AS double_amount FROM payments ORDER BY double_amount, txn_id LIMIT 20;

-- name: sel_order_by_string_utf8
SELECT id, name FROM entities ORDER BY name, id LIMIT 30;

-- name: sel_order_by_string_desc_utf8
SELECT id, name FROM entities ORDER BY name DESC, id LIMIT 30;

-- name: sel_order_by_two_keys_mixed
SELECT org, txn_id, amount FROM payments WHERE amount > 500000 ORDER BY org DESC, amount ASC, txn_id;

-- name: sel_order_by_date_nulls_default
SELECT id, registered FROM entities WHERE kind = 'company' ORDER BY registered, id LIMIT 50;

-- name: sel_order_by_date_desc_nulls_default
-- tags: null_semantics
SELECT id, registered FROM entities WHERE kind = 'company' ORDER BY registered DESC, id LIMIT 50;

-- name: sel_order_nulls_first
-- tags: null_semantics
SELECT id, registered FROM entities WHERE kind = 'company' ORDER BY registered NULLS FIRST, id LIMIT 50;

-- name: sel_order_desc_nulls_first
-- tags: null_semantics
SELECT id, deceased FROM entities ORDER BY deceased DESC NULLS FIRST, id LIMIT 30;

-- name: sel_order_asc_nulls_last
-- tags: null_semantics
SELECT tender_id, awarded FROM tenders ORDER BY awarded ASC NULLS LAST, tender_id;

-- name: sel_order_desc_nulls_last
-- tags: null_semantics
SELECT tender_id, awarded FROM tenders ORDER BY awarded DESC NULLS LAST, tender_id;

-- name: sel_order_string_nulls_first
-- tags: null_semantics
SELECT txn_id, memo FROM payments WHERE org = 'ORG-0003' ORDER BY memo NULLS FIRST, txn_id LIMIT 60;

-- name: sel_order_bool
SELECT tender_id, bidder, won FROM bids ORDER BY won DESC, tender_id, bidder LIMIT 40;

-- name: sel_limit_offset
SELECT txn_id FROM payments ORDER BY txn_id LIMIT 10 OFFSET 100;

-- name: sel_limit_offset_past_end
SELECT txn_id FROM payments ORDER BY txn_id LIMIT 10 OFFSET 19995;

-- name: sel_limit_zero
SELECT txn_id FROM payments ORDER BY txn_id LIMIT 0;

-- name: sel_limit_without_order_count
SELECT count(*) AS n FROM (SELECT txn_id FROM payments LIMIT 7) t;

-- name: sel_offset_only
SELECT tender_id FROM tenders ORDER BY tender_id OFFSET 270;

-- name: sel_topk_large_limit
SELECT txn_id, amount FROM payments ORDER BY amount DESC, txn_id DESC LIMIT 5000;

-- name: sel_full_sort
SELECT txn_id, payee, amount FROM payments ORDER BY payee, amount, txn_id;

-- name: sel_distinct_one
SELECT DISTINCT org FROM payments ORDER BY org;

-- name: sel_distinct_two
SELECT DISTINCT org, currency FROM payments;

-- name: sel_distinct_with_nulls
-- tags: null_semantics
SELECT DISTINCT approver FROM payments ORDER BY approver NULLS FIRST;

-- name: sel_distinct_expr
SELECT DISTINCT date_trunc('month', ts) AS month FROM payments ORDER BY month;

-- name: sel_distinct_bool
SELECT DISTINCT won FROM bids ORDER BY won;

-- name: sel_distinct_limit
SELECT DISTINCT payee FROM payments ORDER BY payee DESC LIMIT 10;

-- name: sel_empty_result
SELECT txn_id, amount FROM payments WHERE amount < 0;

-- name: sel_empty_result_agg
SELECT count(*) AS n, sum(amount) AS s, max(ts) AS latest FROM payments WHERE amount < 0;

-- name: sel_where_false_group
SELECT org, count(*) AS n FROM payments WHERE 1 = 0 GROUP BY org;

-- name: sel_literals
SELECT 1 AS i, 2.50 AS d, 'x' AS s, true AS b, NULL AS n, DATE '2024-02-29' AS dt, TIMESTAMP '2024-02-29 23:59:59' AS t;

-- name: sel_constant_with_table
SELECT txn_id, 42 AS answer, 'const' AS tag FROM payments ORDER BY txn_id LIMIT 3;

-- name: sel_cte_simple
WITH big AS (SELECT txn_id, org, amount FROM payments WHERE amount > 1000000)
SELECT org, count(*) AS n FROM big GROUP BY org ORDER BY org;

-- name: sel_cte_two
WITH per_org AS (SELECT org, sum(amount) AS total FROM payments GROUP BY org),
     ranked AS (SELECT org, total FROM per_org WHERE total > 1000000)
SELECT org, total FROM ranked ORDER BY total DESC, org;

-- name: sel_cte_referenced_twice
WITH o AS (SELECT org, count(*) AS n FROM payments GROUP BY org)
SELECT a.org, a.n, b.n AS n2 FROM o a JOIN o b ON a.org = b.org ORDER BY a.org;

-- name: sel_cte_then_join
WITH payees AS (SELECT payee, sum(amount) AS total FROM payments GROUP BY payee)
SELECT p.payee, p.total, e.kind FROM payees p LEFT JOIN entities e ON e.id = p.payee ORDER BY p.total DESC, p.payee LIMIT 25;

-- name: sel_subquery_in_from
SELECT org, n FROM (SELECT org, count(*) AS n FROM payments GROUP BY org) t WHERE n > 400 ORDER BY org;

-- name: sel_qualified_columns
SELECT payments.txn_id, payments.amount FROM payments WHERE payments.amount > 3000000 ORDER BY payments.txn_id;

-- name: sel_table_alias
SELECT p.txn_id, p.org FROM payments AS p WHERE p.org = 'ORG-0010' ORDER BY p.txn_id LIMIT 30;

-- name: sel_quoted_identifier
SELECT "txn_id", "amount" AS "Paid Amount" FROM payments ORDER BY "txn_id" LIMIT 5;

-- name: sel_case_insensitive_keywords
select Txn_Id, AMOUNT from Payments where Org = 'ORG-0002' order by txn_id limit 5;

-- name: sel_comments_and_newlines
SELECT txn_id, -- a comment
       amount /* block
                 comment */
FROM payments
WHERE org = 'ORG-0009'
ORDER BY txn_id
LIMIT 5;

-- name: sel_strings_with_quotes
SELECT id, name FROM entities WHERE name LIKE '%"%' ORDER BY id;

-- name: sel_string_literal_quote_escape
SELECT 'it''s' AS s, length('it''s') AS n;

-- name: sel_memo_with_commas_newlines
SELECT txn_id, memo FROM payments WHERE memo LIKE '%,%' ORDER BY txn_id LIMIT 30;

