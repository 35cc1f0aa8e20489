-- P13 split_direct_awards (threshold 1000000.00, window_days 90): awards = winning
-- bids (won = true) with amount < threshold of tenders with awarded not NULL and
-- method single_source or negotiated, per (org, bidder); a window starting at award
-- q holds awards p with 0 <= p.awarded - q.awarded <= 90 days; >= 2 awards summing
-- to >= threshold flag the window; flagged awards chained by gaps <= 90 days form
-- one finding (evidence: their tender_ids).
WITH aw AS (
  SELECT t.tender_id, t.org, b.bidder, b.amount, epoch_us(t.awarded) AS t
  FROM bids b JOIN tenders t ON t.tender_id = b.tender_id
  WHERE b.won AND b.bidder IS NOT NULL AND b.amount IS NOT NULL AND b.amount < 1000000.00
    AND t.awarded IS NOT NULL AND t.org IS NOT NULL AND t.method IN ('single_source', 'negotiated')),
a AS (SELECT row_number() OVER () AS aid, * FROM aw),
w AS (
  SELECT q.org, q.bidder, q.t AS qt FROM a q
  JOIN a p ON p.org = q.org AND p.bidder = q.bidder AND p.t BETWEEN q.t AND q.t + 90 * 86400000000
  GROUP BY q.org, q.bidder, q.aid, q.t
  HAVING count(*) >= 2 AND sum(p.amount) >= 1000000.00),
f AS (
  SELECT DISTINCT a.* FROM a
  JOIN w ON a.org = w.org AND a.bidder = w.bidder AND a.t BETWEEN w.qt AND w.qt + 90 * 86400000000),
g AS (SELECT *, lag(t) OVER (PARTITION BY org, bidder ORDER BY t, aid) AS prev_t FROM f),
h AS (SELECT *, sum(CASE WHEN prev_t IS NULL OR t - prev_t > 90 * 86400000000 THEN 1 ELSE 0 END)
                  OVER (PARTITION BY org, bidder ORDER BY t, aid ROWS UNBOUNDED PRECEDING) AS run
      FROM g)
SELECT string_agg(DISTINCT tender_id, ' ' ORDER BY tender_id) AS keys
FROM h GROUP BY org, bidder, run
ORDER BY keys;
