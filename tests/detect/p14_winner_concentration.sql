-- P14 winner_concentration (min_tenders 10, share 0.5): per (org, category) with
-- >= 10 awarded tenders, a bidder with a winning bid in >= half of them; evidence =
-- its won (awarded) tenders of the group.
WITH t AS (SELECT DISTINCT tender_id, org, category FROM tenders
           WHERE awarded IS NOT NULL AND org IS NOT NULL AND category IS NOT NULL),
g AS (SELECT org, category, count(*) AS n FROM t GROUP BY org, category HAVING count(*) >= 10),
w AS (SELECT DISTINCT t.org, t.category, b.bidder, t.tender_id FROM bids b JOIN t ON t.tender_id = b.tender_id
      WHERE b.won AND b.bidder IS NOT NULL)
SELECT string_agg(w.tender_id, ' ' ORDER BY w.tender_id) AS keys
FROM w JOIN g ON g.org = w.org AND g.category = w.category
GROUP BY w.org, w.category, w.bidder, g.n
HAVING count(*) >= 0.5 * g.n
ORDER BY keys;
