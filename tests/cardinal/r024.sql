-- R024 price close to winning bid, a low outlier (DETECTORS.md P3), cardinal-rs default
-- settings: threshold = (none: the lower fence Q1 - 1.5 IQR); currency = (none: the first
-- observed); no_price_comparison_procurement_methods = price_comparison_procurement_methods
-- = (none); [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- OCID -> R024 = the ratio; Tenderer (winner and lowest non-winner) -> R024 = 0.0.
-- Semantics (fr_cardinal.c / cardinal-rs SecondLowestBidRatio): see the comments of each
-- step; the ratio (second-lowest valid bid - winning bid) / winning bid is computed for
-- every process with one active award to one supplier whose awards are all final; a
-- process is flagged when ratio <= fence = fma(Q3 - Q1, -1.5, Q1) with type 8 quartiles
-- of all ratios, and only when Q1 > 0 and the fence > 0.
-- The processes, awards, bids, main currency and ratios: tests/cardinal/shared.sql.
WITH ratios AS MATERIALIZED (SELECT * FROM card_ratios), -- read twice: computed once
q AS (        -- Hyndman-Fan type 8 quartiles of all ratios
  SELECT card_q8(arr, n, 0.25) AS q1, card_q8(arr, n, 0.75) AS q3
  FROM (SELECT count(*) AS n, list_sort(list(ratio)) AS arr FROM ratios)
  WHERE n > 0
),
fence AS (    -- lower = fma(q3 - q1, -1.5, q1) as cardinal-rs's mul_add rounds it (once): 1.5 (q3 - q1)
              -- = p + e exactly (TwoSum of x and x/2), q1 - p by TwoSum, then the error terms;
              -- q1 - 1.5 * (q3 - q1), rounded twice, misses the fma by an ulp in 1 case of 4
              -- (README.md: checked against libm's fma)
  SELECT q1, q3,
    q3 - q1 AS x, x * 0.5 AS hx, x + hx AS p, p - x AS bb, (x - (p - bb)) + (hx - bb) AS e,
    q1 + (-p) AS s, s - q1 AS bs, (q1 - (s - bs)) + ((-p) - bs) AS t,
    s + (t + (-e)) AS lower
  FROM q
)
, flagged AS (
  SELECT line, ocid, winner, loser, ratio FROM ratios, fence WHERE q1 > 0 AND lower > 0 AND ratio <= lower
)
SELECT 'OCID' AS grp, ocid AS id, 'R024' AS indicator, arg_max(ratio, line) AS value FROM flagged GROUP BY ocid
UNION ALL
SELECT DISTINCT 'Tenderer', t, 'R024', 0.0::DOUBLE FROM flagged, unnest([winner, loser]) AS u(t)
