-- A6 handover_stall (days 60): for each posts row with an end_date h: a case open
-- at h (an event on or before h, no terminal event on or before h) whose last
-- event on or before h (case order) was by the row's official in the row's org,
-- with no event in (h, h + 60 days].  One finding per (posts row, case).
WITH e AS (
  SELECT case_id, activity, actor, org, CAST(ts AS DATE) AS d, epoch_us(ts) AS t, rowid AS rn
  FROM approvals WHERE case_id IS NOT NULL AND ts IS NOT NULL),
p AS (
  SELECT rowid AS pid, org, official, end_date AS h FROM posts
  WHERE end_date IS NOT NULL AND org IS NOT NULL AND official IS NOT NULL),
cand AS (
  SELECT DISTINCT p.pid, p.org, p.official, p.h, e.case_id FROM p JOIN e
    ON e.actor = p.official AND e.org = p.org AND e.d <= p.h),
last AS (
  SELECT cand.pid, cand.case_id, cand.org AS porg, cand.official, cand.h, e.actor, e.org,
         row_number() OVER (PARTITION BY cand.pid, cand.case_id ORDER BY e.t DESC, e.rn DESC) AS k
  FROM cand JOIN e ON e.case_id = cand.case_id AND e.d <= cand.h),
bad AS (
  SELECT DISTINCT cand.pid, cand.case_id FROM cand JOIN e ON e.case_id = cand.case_id
  WHERE (e.d <= cand.h AND e.activity IN ('final_approve', 'reject', 'close'))
     OR (e.d > cand.h AND e.d <= cand.h + 60))
SELECT case_id AS keys FROM last
WHERE k = 1 AND actor = official AND org = porg
  AND NOT EXISTS (SELECT 1 FROM bad WHERE bad.pid = last.pid AND bad.case_id = last.case_id)
ORDER BY keys;
