-- F10 amount_outlier (min_count 50, z 5.0): x = ln(amount) for amount > 0 per
-- (org, budget_code) of >= 50 rows; med = median(x), mad = median(|x - med|)
-- (even counts: the mean of the two middle values, computed as in ferret);
-- flag x > med with mad > 0 and (x - med) / (1.4826 mad) >= 5.
WITH p AS (
  SELECT txn_id, org, budget_code, ln(CAST(amount AS DOUBLE)) AS x FROM payments
  WHERE org IS NOT NULL AND budget_code IS NOT NULL AND amount > 0),
r AS (
  SELECT *, row_number() OVER (PARTITION BY org, budget_code ORDER BY x) AS i,
         count(*) OVER (PARTITION BY org, budget_code) AS n
  FROM p),
med AS (
  SELECT org, budget_code, n,
         CASE WHEN n % 2 = 1 THEN max(x) FILTER (WHERE i = (n + 1) // 2)
              ELSE (max(x) FILTER (WHERE i = n // 2) + max(x) FILTER (WHERE i = n // 2 + 1)) / 2 END AS med
  FROM r WHERE n >= 50 GROUP BY org, budget_code, n),
d AS (
  SELECT r.txn_id, r.org, r.budget_code, r.x, m.med, m.n, abs(r.x - m.med) AS dev,
         row_number() OVER (PARTITION BY r.org, r.budget_code ORDER BY abs(r.x - m.med)) AS j
  FROM r JOIN med m USING (org, budget_code)),
mad AS (
  SELECT org, budget_code,
         CASE WHEN n % 2 = 1 THEN max(dev) FILTER (WHERE j = (n + 1) // 2)
              ELSE (max(dev) FILTER (WHERE j = n // 2) + max(dev) FILTER (WHERE j = n // 2 + 1)) / 2 END AS mad
  FROM d GROUP BY org, budget_code, n)
SELECT d.txn_id AS keys FROM d JOIN mad USING (org, budget_code)
WHERE mad.mad > 0 AND d.x > d.med AND (d.x - d.med) / (1.4826 * mad.mad) >= 5.0
ORDER BY keys;
