-- A1 self_approval: a case where an actor of an approve or final_approve event
-- also did its submit, or one actor did both approve and final_approve; and
-- payments with approver = requester (NULLs skipped).  One finding per key.
WITH e AS (
  SELECT case_id, activity, actor FROM approvals
  WHERE case_id IS NOT NULL AND ts IS NOT NULL AND actor IS NOT NULL),
c AS (
  SELECT x.case_id FROM e x JOIN e y ON x.case_id = y.case_id AND x.actor = y.actor
  WHERE x.activity IN ('approve', 'final_approve') AND y.activity = 'submit'
  UNION
  SELECT x.case_id FROM e x JOIN e y ON x.case_id = y.case_id AND x.actor = y.actor
  WHERE x.activity = 'approve' AND y.activity = 'final_approve')
SELECT case_id AS keys FROM c
UNION ALL
SELECT txn_id FROM payments WHERE approver IS NOT NULL AND requester IS NOT NULL AND approver = requester
ORDER BY keys;
