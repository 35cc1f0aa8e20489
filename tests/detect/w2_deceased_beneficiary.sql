-- W2 deceased_beneficiary: payouts with date(ts) > the beneficiary's deceased date.
SELECT s.payout_id AS keys
FROM subsidies s JOIN entities e ON e.id = s.beneficiary
WHERE s.ts IS NOT NULL AND e.deceased IS NOT NULL AND CAST(s.ts AS DATE) > e.deceased
ORDER BY keys;
