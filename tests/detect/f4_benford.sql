-- F4 benford (group_by org, min_count 1000, min_amount 10.00, mad_limit 0.0022):
-- first two digits d of the integer part; MAD = mean over d = 10..99 of |p_d - e_d|;
-- E(n) = sqrt(2 / (pi n)) x mean of sqrt(e_d (1 - e_d)); flag MAD - E(n) > 0.0022;
-- evidence: rows in the three pairs of largest p_d - e_d (ties: smaller pair), the
-- 1000 smallest keys.  Prints the group, its MAD and the evidence keys.
WITH p AS (
  SELECT txn_id, org AS g, CAST(left(CAST(CAST(floor(amount) AS BIGINT) AS VARCHAR), 2) AS INTEGER) AS d
  FROM payments WHERE org IS NOT NULL AND amount IS NOT NULL AND amount >= 10.00),
n AS (SELECT g, count(*) AS n FROM p GROUP BY g HAVING count(*) >= 1000),
digits AS (SELECT range AS d, log10(1.0 + 1.0 / range) AS e FROM range(10, 100)),
c AS (
  SELECT n.g, n.n, digits.d, digits.e, count(p.txn_id) AS c
  FROM n CROSS JOIN digits LEFT JOIN p ON p.g = n.g AND p.d = digits.d
  GROUP BY n.g, n.n, digits.d, digits.e),
m AS (
  SELECT g, n, sum(abs(c / n - e)) / 90 AS mad,
         sqrt(2.0 / (pi() * n)) * (SELECT sum(sqrt(e * (1 - e))) / 90 FROM digits) AS en
  FROM c GROUP BY g, n),
flag AS (SELECT * FROM m WHERE mad - en > 0.0022),
top AS (
  SELECT c.g, c.d FROM c JOIN flag USING (g)
  QUALIFY row_number() OVER (PARTITION BY c.g ORDER BY c.c / c.n - c.e DESC, c.d) <= 3),
ev AS (
  SELECT p.g, p.txn_id FROM p JOIN top ON p.g = top.g AND p.d = top.d
  QUALIFY row_number() OVER (PARTITION BY p.g ORDER BY p.txn_id) <= 1000)
SELECT flag.g AS grp, flag.mad, string_agg(ev.txn_id, ' ' ORDER BY ev.txn_id) AS keys
FROM flag JOIN ev USING (g) GROUP BY flag.g, flag.mad
ORDER BY keys;
