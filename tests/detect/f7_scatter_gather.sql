-- F7 scatter_gather (min_fan 5, scatter_days 3, gather_days 7, ratio 0.8): a window
-- starts at each payment q of source S and holds S's payments with q.ts <= ts <=
-- q.ts + 3 days; received(m) and t0(m) per payee m; m gathers to G when m's payments
-- to G with t0 <= ts <= t0 + 7 days sum to >= 0.8 x received(m); a window qualifies
-- for G with >= 5 such m; one finding per (S, G), evidence = the union over its
-- qualifying windows.  Only payees that pay someone can gather, so the windows keep
-- just those (this changes no result and keeps the joins feasible).
WITH p AS (
  SELECT txn_id, payer, payee, amount, epoch_us(ts) AS t FROM payments
  WHERE payer IS NOT NULL AND payee IS NOT NULL AND amount IS NOT NULL AND ts IS NOT NULL),
fwd AS (SELECT * FROM p WHERE payee IN (SELECT payer FROM p)),
starts AS (SELECT DISTINCT payer AS s, t AS qt FROM p),
win AS (
  SELECT st.s, st.qt, f.payee AS m, f.txn_id, f.t, f.amount
  FROM starts st JOIN fwd f ON f.payer = st.s AND f.t BETWEEN st.qt AND st.qt + 3 * 86400000000),
recv AS (SELECT s, qt, m, sum(amount) AS received, min(t) AS t0 FROM win GROUP BY s, qt, m),
gath AS (
  SELECT r.s, r.qt, r.m, r.t0, o.payee AS g
  FROM recv r JOIN p o ON o.payer = r.m AND o.t BETWEEN r.t0 AND r.t0 + 7 * 86400000000
  GROUP BY r.s, r.qt, r.m, r.t0, r.received, o.payee
  HAVING sum(o.amount) >= 0.8 * r.received),
qual AS (SELECT s, qt, g FROM gath GROUP BY s, qt, g HAVING count(*) >= 5),
ev AS (
  SELECT q.s, q.g, w.txn_id FROM qual q JOIN gath USING (s, qt, g)
  JOIN win w ON w.s = q.s AND w.qt = q.qt AND w.m = gath.m
  UNION
  SELECT q.s, q.g, o.txn_id FROM qual q JOIN gath USING (s, qt, g)
  JOIN p o ON o.payer = gath.m AND o.payee = q.g AND o.t BETWEEN gath.t0 AND gath.t0 + 7 * 86400000000)
SELECT string_agg(txn_id, ' ' ORDER BY txn_id) AS keys FROM ev GROUP BY s, g
ORDER BY keys;
