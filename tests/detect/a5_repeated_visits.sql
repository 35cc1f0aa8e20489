-- A5 repeated_visits (max_visits 1, min_cases 20, factor 3.0, min_rate 0.20):
-- cases with more than one visit event; and per (org, actor) with >= 20 cases
-- handled (cases with an event of the actor in the org), the cases with a return
-- by the actor in the org when their share is >= 0.20 and >= 3 x the org's share
-- of its cases with any return event in the org.
WITH e AS (
  SELECT case_id, activity, actor, org FROM approvals WHERE case_id IS NOT NULL AND ts IS NOT NULL),
v AS (SELECT case_id AS keys FROM e GROUP BY case_id HAVING count(*) FILTER (WHERE activity = 'visit') > 1),
o AS (
  SELECT org, count(DISTINCT case_id)::HUGEINT AS oc,
         count(DISTINCT case_id) FILTER (WHERE activity = 'return')::HUGEINT AS oret
  FROM e WHERE org IS NOT NULL GROUP BY org),
a AS (
  SELECT org, actor, count(DISTINCT case_id)::HUGEINT AS handled,
         count(DISTINCT case_id) FILTER (WHERE activity = 'return')::HUGEINT AS ret,
         string_agg(DISTINCT case_id, ' ' ORDER BY case_id) FILTER (WHERE activity = 'return') AS keys
  FROM e WHERE org IS NOT NULL AND actor IS NOT NULL GROUP BY org, actor)
SELECT keys FROM v
UNION ALL
SELECT a.keys FROM a JOIN o USING (org)
WHERE a.handled >= 20 AND a.ret > 0 AND a.ret * 100 >= 20 * a.handled AND a.ret * o.oc >= 3 * o.oret * a.handled
ORDER BY keys;
