-- F9 year_end_spike (ratio 3.0, min_amount 1000000.00, min_months 6,
-- min_payments 10): per (org, year) with payments in >= 6 of January-November and
-- >= 10 in December, flag dec >= 3 x (jan_nov / 11) and dec >= 1000000.00 (exact
-- decimals); evidence = the 20 largest December payments, ties to the smaller key.
WITH p AS (
  SELECT txn_id, org, amount, year(ts) AS y, month(ts) AS mo FROM payments
  WHERE org IS NOT NULL AND amount IS NOT NULL AND ts IS NOT NULL),
g AS (
  SELECT org, y, count(DISTINCT mo) FILTER (WHERE mo <= 11) AS months,
         count(*) FILTER (WHERE mo = 12) AS n_dec,
         coalesce(sum(amount) FILTER (WHERE mo = 12), 0) AS dec,
         coalesce(sum(amount) FILTER (WHERE mo <= 11), 0) AS jan_nov
  FROM p GROUP BY org, y),
f AS (SELECT * FROM g WHERE months >= 6 AND n_dec >= 10 AND dec * 11 >= 3.0 * jan_nov AND dec >= 1000000.00),
ev AS (
  SELECT p.org, p.y, p.txn_id FROM p JOIN f USING (org, y) WHERE p.mo = 12
  QUALIFY row_number() OVER (PARTITION BY p.org, p.y ORDER BY p.amount DESC, p.txn_id) <= 20)
SELECT string_agg(txn_id, ' ' ORDER BY txn_id) AS keys FROM ev GROUP BY org, y
ORDER BY keys;
