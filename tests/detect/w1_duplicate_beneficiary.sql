-- W1 duplicate_beneficiary (period month): person = 'N' || entities.id_no of the
-- beneficiary when not empty, else 'B' || the beneficiary id; (program, person,
-- calendar month of ts) with 2+ payouts is one finding.
WITH s AS (
  SELECT s.payout_id, s.program,
         CASE WHEN e.id_no IS NOT NULL AND e.id_no <> '' THEN 'N' || e.id_no ELSE 'B' || s.beneficiary END AS person,
         strftime(s.ts, '%Y-%m') AS period
  FROM subsidies s LEFT JOIN entities e ON e.id = s.beneficiary
  WHERE s.ts IS NOT NULL AND s.program IS NOT NULL AND s.beneficiary IS NOT NULL)
SELECT string_agg(payout_id, ' ' ORDER BY payout_id) AS keys
FROM s GROUP BY program, person, period HAVING count(*) >= 2
ORDER BY keys;
