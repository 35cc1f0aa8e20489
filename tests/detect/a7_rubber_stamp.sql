-- A7 rubber_stamp (min_seconds 120, min_amount 1000000.00): case amount = max(amount)
-- over its events; approve / final_approve events whose wait (ts minus the previous
-- event of the case, case order) is under 120 s in cases of >= 1000000.00.
WITH e AS (
  SELECT case_id, activity, amount,
         epoch_us(ts) - lag(epoch_us(ts)) OVER (PARTITION BY case_id ORDER BY ts, rowid) AS w
  FROM approvals WHERE case_id IS NOT NULL AND ts IS NOT NULL)
SELECT case_id AS keys FROM e GROUP BY case_id
HAVING max(amount) >= 1000000.00
   AND count(*) FILTER (WHERE activity IN ('approve', 'final_approve') AND w < 120000000) > 0
ORDER BY keys;
