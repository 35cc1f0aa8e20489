-- F3 split_payment (threshold 100000.00, floor 0.8, window_days 7, min_parts 2):
-- band payments 0.8 x threshold <= amount < threshold per (org, payee); a window
-- starting at q holds p with q.ts <= p.ts <= q.ts + 7 days; >= 2 rows summing to
-- >= threshold flag the window; flagged rows chained by gaps <= 7 days = a finding.
WITH p AS (
  SELECT txn_id, org, payee, amount, epoch_us(ts) AS t FROM payments
  WHERE org IS NOT NULL AND payee IS NOT NULL AND amount IS NOT NULL AND ts IS NOT NULL
    AND amount >= 0.8 * 100000.00 AND amount < 100000.00),
w AS (
  SELECT q.org, q.payee, q.t AS qt FROM p q
  JOIN p ON p.org = q.org AND p.payee = q.payee AND p.t BETWEEN q.t AND q.t + 7 * 86400000000
  GROUP BY q.org, q.payee, q.txn_id, q.t
  HAVING count(*) >= 2 AND sum(p.amount) >= 100000.00),
f AS (
  SELECT DISTINCT p.* FROM p
  JOIN w ON p.org = w.org AND p.payee = w.payee AND p.t BETWEEN w.qt AND w.qt + 7 * 86400000000),
g AS (SELECT *, lag(t) OVER (PARTITION BY org, payee ORDER BY t, txn_id) AS prev_t FROM f),
h AS (SELECT *, sum(CASE WHEN prev_t IS NULL OR t - prev_t > 7 * 86400000000 THEN 1 ELSE 0 END)
                  OVER (PARTITION BY org, payee ORDER BY t, txn_id ROWS UNBOUNDED PRECEDING) AS run
      FROM g)
SELECT string_agg(txn_id, ' ' ORDER BY txn_id) AS keys
FROM h GROUP BY org, payee, run
ORDER BY keys;
