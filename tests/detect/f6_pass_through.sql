-- F6 pass_through (hours 48, ratio 0.9, min_amount 50000.00): for an inflow p of
-- >= 50000.00 into X, out = payments by X with p.ts < ts <= p.ts + 48 h; flag p and
-- those payments when out >= 0.9 x p.amount.
WITH p AS (
  SELECT txn_id, payer, payee, amount, epoch_us(ts) AS t FROM payments
  WHERE payer IS NOT NULL AND amount IS NOT NULL AND ts IS NOT NULL),
i AS (SELECT * FROM p WHERE payee IS NOT NULL AND amount >= 50000.00),
j AS (
  SELECT i.txn_id AS in_id, i.amount AS in_amount, o.txn_id AS out_id, o.amount AS out_amount
  FROM i JOIN p o ON o.payer = i.payee AND o.t > i.t AND o.t <= i.t + 48 * 3600000000),
f AS (SELECT in_id FROM j GROUP BY in_id, in_amount HAVING sum(out_amount) >= 0.9 * in_amount)
SELECT array_to_string(list_sort(list(j.out_id) || [f.in_id]), ' ') AS keys
FROM f JOIN j USING (in_id) GROUP BY f.in_id
ORDER BY keys;
