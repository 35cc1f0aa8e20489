-- F8 off_hours (min_amount 10000.00, min_count 3, night_start 22, night_end 6, no
-- holidays): payments >= 10000.00 on Saturday, Sunday or at hour >= 22 or < 6,
-- grouped by approver; an approver with >= 3 of them.
SELECT string_agg(txn_id, ' ' ORDER BY txn_id) AS keys
FROM payments
WHERE approver IS NOT NULL AND amount IS NOT NULL AND ts IS NOT NULL AND amount >= 10000.00
  AND (dayofweek(ts) IN (0, 6) OR hour(ts) >= 22 OR hour(ts) < 6)
GROUP BY approver HAVING count(*) >= 3
ORDER BY keys;
