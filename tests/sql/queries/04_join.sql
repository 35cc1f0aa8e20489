-- 04_join.sql - INNER and LEFT equi-joins, NULL join keys, joins with aggregates and CTEs.

-- name: join_payments_entities_count
SELECT e.kind, count(*) AS n, sum(p.amount) AS total FROM payments p JOIN entities e ON p.payee = e.id
GROUP BY e.kind ORDER BY e.kind;

-- name: join_inner_keyword
SELECT p.txn_id, p.payee, e.name, e.kind FROM payments p INNER JOIN entities e ON e.id = p.payee
WHERE p.amount > 1000000 ORDER BY p.txn_id;

-- name: join_left_unmatched
-- tags: null_semantics
SELECT p.txn_id, p.payee, e.id, e.kind FROM payments p LEFT JOIN entities e ON p.payee = e.id
WHERE e.id IS NULL ORDER BY p.txn_id LIMIT 50;

-- name: join_left_all_rows_count
SELECT count(*) AS n, count(e.id) AS matched, count(DISTINCT e.kind) AS kinds FROM payments p LEFT JOIN entities e ON p.payee = e.id;

-- name: join_left_outer_keyword
SELECT t.tender_id, t.org, b.bidder, b.amount FROM tenders t LEFT OUTER JOIN bids b ON b.tender_id = t.tender_id
ORDER BY t.tender_id, b.bidder NULLS FIRST LIMIT 200;

-- name: join_null_keys_inner
-- tags: null_join_key null_semantics
SELECT count(*) AS n FROM payments a JOIN payments b ON a.contract_id = b.contract_id;

-- name: join_null_keys_left
-- tags: null_join_key null_semantics extension
SELECT a.txn_id, b.txn_id AS other FROM payments a LEFT JOIN payments b ON a.case_id = b.case_id AND a.txn_id <> b.txn_id
WHERE a.org = 'ORG-0001' ORDER BY a.txn_id, other NULLS FIRST LIMIT 100;

-- name: join_null_key_approver
-- tags: null_join_key null_semantics
SELECT p.txn_id, p.approver, e.kind FROM payments p LEFT JOIN entities e ON p.approver = e.id
WHERE p.approver IS NULL ORDER BY p.txn_id LIMIT 30;

-- name: join_many_to_many
SELECT a.payee, count(*) AS pairs FROM payments a JOIN payments b ON a.payee = b.payee AND a.org = b.org
WHERE a.amount > 500000 GROUP BY a.payee ORDER BY pairs DESC, a.payee LIMIT 30;

-- name: join_two_keys
SELECT a.txn_id, b.txn_id AS dup FROM payments a JOIN payments b ON a.payee = b.payee AND a.amount = b.amount
WHERE a.txn_id < b.txn_id ORDER BY a.txn_id, dup;

-- name: join_three_tables
SELECT t.category, count(*) AS bids, count(DISTINCT b.bidder) AS bidders, sum(b.amount) AS total
FROM tenders t JOIN bids b ON b.tender_id = t.tender_id JOIN entities e ON e.id = b.bidder
GROUP BY t.category ORDER BY t.category;

-- name: join_three_tables_left
SELECT t.tender_id, w.bidder, e.name FROM tenders t
LEFT JOIN bids w ON w.tender_id = t.tender_id AND w.won
LEFT JOIN entities e ON e.id = w.bidder ORDER BY t.tender_id, w.bidder NULLS LAST;

-- name: join_where_on_right
SELECT p.txn_id, e.registered FROM payments p JOIN entities e ON e.id = p.payee
WHERE e.registered > DATE '2020-01-01' AND p.amount > 100000 ORDER BY p.txn_id;

-- name: join_left_where_right_is_not_null
SELECT p.org, count(*) AS n FROM payments p LEFT JOIN entities e ON e.id = p.payee WHERE e.kind = 'company'
GROUP BY p.org ORDER BY p.org;

-- name: join_posts_officials
SELECT ps.org, ps.post, ps.official, e.name, e.deceased FROM posts ps JOIN entities e ON e.id = ps.official
ORDER BY ps.org, ps.post, ps.official, ps.start_date NULLS FIRST;

-- name: join_relations_both_sides
SELECT r.kind, count(*) AS n, count(ea.id) AS a_known, count(eb.id) AS b_known FROM relations r
LEFT JOIN entities ea ON ea.id = r.a LEFT JOIN entities eb ON eb.id = r.b GROUP BY r.kind ORDER BY r.kind;

-- name: join_approver_relation
SELECT p.txn_id, p.approver, p.payee, r.kind FROM payments p JOIN relations r ON r.a = p.approver AND r.b = p.payee
ORDER BY p.txn_id, r.kind;

-- name: join_subquery_aggregate
SELECT p.txn_id, p.amount, s.avg_amount FROM payments p
JOIN (SELECT org, avg(amount) AS avg_amount FROM payments GROUP BY org) s ON s.org = p.org
WHERE p.amount > 20 * s.avg_amount ORDER BY p.txn_id;

-- name: join_cte_both_sides
WITH paid AS (SELECT payee, sum(amount) AS total FROM payments GROUP BY payee),
     won AS (SELECT bidder, count(*) AS wins FROM bids WHERE won GROUP BY bidder)
SELECT paid.payee, paid.total, won.wins FROM paid JOIN won ON won.bidder = paid.payee ORDER BY paid.payee;

-- name: join_cte_left_coalesce
-- tags: null_semantics
WITH won AS (SELECT bidder, count(*) AS wins FROM bids WHERE won GROUP BY bidder)
SELECT e.id, COALESCE(won.wins, 0) AS wins FROM entities e LEFT JOIN won ON won.bidder = e.id
WHERE e.kind = 'company' ORDER BY wins DESC, e.id LIMIT 40;

-- name: join_unqualified_unique_columns
SELECT txn_id, kind, name FROM payments JOIN entities ON payee = id WHERE amount > 2000000 ORDER BY txn_id;

-- name: join_select_star
SELECT * FROM bids b JOIN tenders t ON t.tender_id = b.tender_id WHERE b.amount > 10000000 ORDER BY b.tender_id, b.bidder;

-- name: join_date_key
SELECT a.official, a.end_date, b.official AS successor, b.start_date FROM posts a JOIN posts b
ON a.org = b.org AND a.post = b.post WHERE b.start_date > a.end_date ORDER BY a.official, a.end_date, successor, b.start_date;

-- name: join_subsidies_entities
SELECT s.program, count(*) AS n, count(e.deceased) AS paid_to_deceased FROM subsidies s
LEFT JOIN entities e ON e.id = s.beneficiary GROUP BY s.program ORDER BY s.program;

-- name: join_left_aggregate_having
SELECT e.id, count(p.txn_id) AS n FROM entities e LEFT JOIN payments p ON p.payee = e.id
WHERE e.kind = 'company' GROUP BY e.id HAVING count(p.txn_id) = 0 ORDER BY e.id;

-- name: join_distinct
SELECT DISTINCT e.kind, p.org FROM payments p JOIN entities e ON e.id = p.payee WHERE p.org < 'ORG-0010';
