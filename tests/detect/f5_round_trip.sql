-- F5 round_trip (min_len 2, max_len 4, window_days 30, tolerance 0.10,
-- min_amount 10000.00): cycles p1..pk, p(i).payee = p(i+1).payer, pk.payee =
-- p1.payer, payers distinct, ts strictly increasing, pk.ts - p1.ts <= 30 days,
-- p1.amount >= 10000.00, every amount within 10% of p1.amount.  Self-joins.
WITH p AS (
  SELECT txn_id, payer, payee, amount, epoch_us(ts) AS t FROM payments
  WHERE payer IS NOT NULL AND payee IS NOT NULL AND amount IS NOT NULL AND ts IS NOT NULL),
s AS (SELECT * FROM p WHERE amount >= 10000.00),
c2 AS (
  SELECT [p1.txn_id, p2.txn_id] AS k FROM s p1
  JOIN p p2 ON p2.payer = p1.payee AND p2.payee = p1.payer AND p2.t > p1.t
  WHERE p2.payer <> p1.payer AND p2.t - p1.t <= 30 * 86400000000
    AND abs(p2.amount - p1.amount) <= 0.10 * p1.amount),
c3 AS (
  SELECT [p1.txn_id, p2.txn_id, p3.txn_id] AS k FROM s p1
  JOIN p p2 ON p2.payer = p1.payee AND p2.t > p1.t
  JOIN p p3 ON p3.payer = p2.payee AND p3.payee = p1.payer AND p3.t > p2.t
  WHERE p2.payer <> p1.payer AND p3.payer <> p1.payer AND p3.payer <> p2.payer
    AND p3.t - p1.t <= 30 * 86400000000
    AND abs(p2.amount - p1.amount) <= 0.10 * p1.amount AND abs(p3.amount - p1.amount) <= 0.10 * p1.amount),
c4 AS (
  SELECT [p1.txn_id, p2.txn_id, p3.txn_id, p4.txn_id] AS k FROM s p1
  JOIN p p2 ON p2.payer = p1.payee AND p2.t > p1.t
  JOIN p p3 ON p3.payer = p2.payee AND p3.t > p2.t
  JOIN p p4 ON p4.payer = p3.payee AND p4.payee = p1.payer AND p4.t > p3.t
  WHERE p2.payer <> p1.payer AND p3.payer NOT IN (p1.payer, p2.payer)
    AND p4.payer NOT IN (p1.payer, p2.payer, p3.payer)
    AND p4.t - p1.t <= 30 * 86400000000
    AND abs(p2.amount - p1.amount) <= 0.10 * p1.amount AND abs(p3.amount - p1.amount) <= 0.10 * p1.amount
    AND abs(p4.amount - p1.amount) <= 0.10 * p1.amount)
SELECT array_to_string(list_sort(k), ' ') AS keys FROM (SELECT k FROM c2 UNION ALL SELECT k FROM c3 UNION ALL SELECT k FROM c4)
ORDER BY keys;
