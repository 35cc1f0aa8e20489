-- bottleneck picture (A4 with report=1): per org and step (activity) over the
-- waited events (wait = ts minus the previous event of the case in case order:
-- ts, input order; an event belongs to its own org): the org's distinct cases,
-- the step's distinct cases and events, median and 90th-percentile
-- (quantile_cont) wait in seconds, total wait and its share of the org's waiting.
WITH e AS (
  SELECT case_id, activity, org AS org,
         epoch_us(ts) - lag(epoch_us(ts)) OVER (PARTITION BY case_id ORDER BY ts, rowid) AS w
  FROM approvals WHERE case_id IS NOT NULL AND ts IS NOT NULL),
oc AS (SELECT org, count(DISTINCT case_id) AS n FROM e WHERE org IS NOT NULL GROUP BY org),
ot AS (SELECT org, sum(w) AS total FROM e WHERE org IS NOT NULL AND w IS NOT NULL GROUP BY org)
SELECT concat_ws('|', org, activity, oc.n, count(DISTINCT case_id), count(*),
                 CAST(median(w) / 1e6 AS VARCHAR), CAST(quantile_cont(w, 0.9) / 1e6 AS VARCHAR),
                 CAST(sum(w) / 1e6 AS VARCHAR),
                 CAST(CASE WHEN ot.total > 0 THEN sum(w) / ot.total ELSE 0 END AS VARCHAR)) AS r
FROM e JOIN oc USING (org) JOIN ot USING (org)
WHERE w IS NOT NULL AND activity IS NOT NULL
GROUP BY org, activity, oc.n, ot.total
ORDER BY r;
