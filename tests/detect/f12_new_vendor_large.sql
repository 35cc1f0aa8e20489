-- F12 new_vendor_large (days 90, min_amount 500000.00): payments >= 500000.00 whose
-- payee's entities.registered lies 0 to 90 calendar days before date(ts).
SELECT p.txn_id AS keys
FROM payments p JOIN entities e ON e.id = p.payee
WHERE p.amount >= 500000.00 AND p.ts IS NOT NULL AND e.registered IS NOT NULL
  AND CAST(p.ts AS DATE) - e.registered BETWEEN 0 AND 90
ORDER BY keys;
