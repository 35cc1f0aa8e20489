-- F2 near_duplicate_payment (window_days 3, min_amount 1000.00): partition by
-- (payer, payee, amount), order by ts, link consecutive rows at most 3 days apart;
-- each linked run of 2+ rows.  Ties in ts: both windows order by (t, txn_id), so
-- lag and the run sum see the same sequence (equal timestamps always link).
WITH p AS (
  SELECT txn_id, payer, payee, amount, epoch_us(ts) AS t FROM payments
  WHERE payer IS NOT NULL AND payee IS NOT NULL AND amount IS NOT NULL AND ts IS NOT NULL
    AND amount >= 1000.00),
o AS (SELECT *, lag(t) OVER (PARTITION BY payer, payee, amount ORDER BY t, txn_id) AS prev_t FROM p),
r AS (SELECT *, sum(CASE WHEN prev_t IS NULL OR t - prev_t > 3 * 86400000000 THEN 1 ELSE 0 END)
                  OVER (PARTITION BY payer, payee, amount ORDER BY t, txn_id ROWS UNBOUNDED PRECEDING) AS run
      FROM o)
SELECT string_agg(txn_id, ' ' ORDER BY txn_id) AS keys
FROM r GROUP BY payer, payee, amount, run HAVING count(*) >= 2
ORDER BY keys;
