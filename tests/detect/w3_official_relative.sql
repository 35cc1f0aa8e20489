-- W3 official_relative: payouts whose beneficiary is linked by a relations row
-- (either direction) valid on date(ts) to an official holding a post (posts row
-- valid on that date, NULL start = from the beginning, NULL end = still valid) in
-- the payout's org.
WITH s AS (SELECT payout_id, org, beneficiary, CAST(ts AS DATE) AS d FROM subsidies
           WHERE ts IS NOT NULL AND org IS NOT NULL AND beneficiary IS NOT NULL),
ends AS (SELECT a AS who, b AS other, since, until FROM relations WHERE a IS NOT NULL AND b IS NOT NULL
         UNION ALL
         SELECT b, a, since, until FROM relations WHERE a IS NOT NULL AND b IS NOT NULL)
SELECT DISTINCT s.payout_id AS keys
FROM s JOIN ends r ON r.who = s.beneficiary
JOIN posts p ON p.official = r.other AND p.org = s.org
WHERE (r.since IS NULL OR r.since <= s.d) AND (r.until IS NULL OR s.d <= r.until)
  AND (p.start_date IS NULL OR p.start_date <= s.d) AND (p.end_date IS NULL OR s.d <= p.end_date)
ORDER BY keys;
