-- A2 sequence_violation: a case with a pay event before its first final_approve in
-- case order (ts, then input order), or with a pay event and no final_approve.
WITH e AS (
  SELECT case_id, activity,
         row_number() OVER (PARTITION BY case_id ORDER BY ts, rowid) AS k
  FROM approvals WHERE case_id IS NOT NULL AND ts IS NOT NULL),
c AS (
  SELECT case_id, min(k) FILTER (WHERE activity = 'pay') AS first_pay,
         min(k) FILTER (WHERE activity = 'final_approve') AS first_final
  FROM e GROUP BY case_id)
SELECT case_id AS keys FROM c
WHERE first_pay IS NOT NULL AND (first_final IS NULL OR first_pay < first_final)
ORDER BY keys;
