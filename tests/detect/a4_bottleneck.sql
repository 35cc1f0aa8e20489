-- A4 bottleneck (share 0.40, min_cases 20, factor 3.0, min_events 10): waits are
-- ts minus the previous event of the case (case order: ts, input order); an event
-- belongs to its own org.  Orgs with >= 20 distinct cases; steps that are neither
-- submit nor terminal with >= 40% of the org's waiting; actors there with >= 10
-- waited events whose median wait >= 3 x the step's median (> 0).  Evidence: the
-- 20 cases with the longest single wait (ties: smaller case_id).
WITH e AS (
  SELECT case_id, activity, actor, org,
         epoch_us(ts) - lag(epoch_us(ts)) OVER (PARTITION BY case_id ORDER BY ts, rowid) AS w
  FROM approvals WHERE case_id IS NOT NULL AND ts IS NOT NULL),
oc AS (SELECT org, count(DISTINCT case_id) AS n_cases FROM e WHERE org IS NOT NULL GROUP BY org),
ot AS (SELECT org, sum(w)::HUGEINT AS total FROM e WHERE org IS NOT NULL AND w IS NOT NULL GROUP BY org),
st AS (
  SELECT org, activity, sum(w)::HUGEINT AS s, median(w) AS med FROM e
  WHERE org IS NOT NULL AND w IS NOT NULL AND activity IS NOT NULL GROUP BY org, activity),
flag AS (
  SELECT st.org, st.activity, st.med FROM st JOIN ot USING (org) JOIN oc USING (org)
  WHERE oc.n_cases >= 20 AND activity NOT IN ('submit', 'final_approve', 'reject', 'close')
    AND ot.total > 0 AND st.s * 100 >= 40 * ot.total),
act AS (
  SELECT e.org, e.activity, e.actor FROM e JOIN flag USING (org, activity)
  WHERE e.w IS NOT NULL AND e.actor IS NOT NULL
  GROUP BY e.org, e.activity, e.actor, flag.med
  HAVING count(*) >= 10 AND flag.med > 0 AND median(e.w) >= 3 * flag.med),
step_cases AS (
  SELECT e.org, e.activity, e.case_id, max(e.w) AS mw FROM e JOIN flag USING (org, activity)
  WHERE e.w IS NOT NULL GROUP BY e.org, e.activity, e.case_id),
actor_cases AS (
  SELECT e.org, e.activity, e.actor, e.case_id, max(e.w) AS mw FROM e JOIN act USING (org, activity, actor)
  WHERE e.w IS NOT NULL GROUP BY e.org, e.activity, e.actor, e.case_id),
r1 AS (SELECT *, row_number() OVER (PARTITION BY org, activity ORDER BY mw DESC, case_id) AS k FROM step_cases),
r2 AS (SELECT *, row_number() OVER (PARTITION BY org, activity, actor ORDER BY mw DESC, case_id) AS k FROM actor_cases)
SELECT string_agg(case_id, ' ' ORDER BY case_id) AS keys FROM r1 WHERE k <= 20 GROUP BY org, activity
UNION ALL
SELECT string_agg(case_id, ' ' ORDER BY case_id) FROM r2 WHERE k <= 20 GROUP BY org, activity, actor
ORDER BY keys;
