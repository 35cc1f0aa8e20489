-- A3 sla_breach (sla_days 20, as_of = latest ts of the table): duration = first
-- terminal ts (final_approve, reject, close) - first submit ts, or as_of - first
-- submit ts for a case with no terminal event; cases without submit skipped.
WITH e AS (
  SELECT case_id, activity, epoch_us(ts) AS t FROM approvals
  WHERE case_id IS NOT NULL AND ts IS NOT NULL),
a AS (SELECT max(epoch_us(ts)) AS as_of FROM approvals),
c AS (
  SELECT case_id, min(t) FILTER (WHERE activity = 'submit') AS sub,
         min(t) FILTER (WHERE activity IN ('final_approve', 'reject', 'close')) AS term
  FROM e GROUP BY case_id)
SELECT case_id AS keys FROM c, a
WHERE sub IS NOT NULL AND coalesce(term, as_of) - sub > 20 * 86400000000
ORDER BY keys;
