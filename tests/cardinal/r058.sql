-- R058 heavily discounted winning bid, a high outlier (DETECTORS.md P11), cardinal-rs
-- default settings: threshold = (none: the upper fence Q3 + 1.5 IQR); currency = (none:
-- the first observed); no_price_comparison_procurement_methods =
-- price_comparison_procurement_methods = (none); [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- OCID -> R058 = the ratio; Tenderer (winner) -> R058 = 0.0.
-- Semantics (fr_cardinal.c / cardinal-rs SecondLowestBidRatio, as R024): a process is
-- flagged when ratio >= fence = fma(Q3 - Q1, 1.5, Q3) with type 8 quartiles of all
-- ratios, and only when the fence > 0.
-- The processes, awards, bids, main currency and ratios: tests/cardinal/shared.sql.
WITH ratios AS MATERIALIZED (SELECT * FROM card_ratios), -- read twice: computed once
q AS (        -- Hyndman-Fan type 8 quartiles of all ratios
  SELECT card_q8(arr, n, 0.25) AS q1, card_q8(arr, n, 0.75) AS q3
  FROM (SELECT count(*) AS n, list_sort(list(ratio)) AS arr FROM ratios)
  WHERE n > 0
),
fence AS (    -- upper = fma(q3 - q1, 1.5, q3) as cardinal-rs's mul_add rounds it (once): 1.5 (q3 - q1)
              -- = p + e exactly (TwoSum of x and x/2), q3 + p by TwoSum, then the error terms;
              -- q3 + 1.5 * (q3 - q1), rounded twice, misses the fma by an ulp in 1 case of 4
              -- (README.md: checked against libm's fma)
  SELECT q1, q3,
    q3 - q1 AS x, x * 0.5 AS hx, x + hx AS p, p - x AS bb, (x - (p - bb)) + (hx - bb) AS e,
    q3 + p AS s, s - q3 AS bs, (q3 - (s - bs)) + (p - bs) AS t,
    s + (t + e) AS upper
  FROM q
)
, flagged AS (
  SELECT line, ocid, winner, ratio FROM ratios, fence WHERE upper > 0 AND ratio >= upper
)
SELECT 'OCID' AS grp, ocid AS id, 'R058' AS indicator, arg_max(ratio, line) AS value FROM flagged GROUP BY ocid
UNION ALL
SELECT DISTINCT 'Tenderer', winner, 'R058', 0.0::DOUBLE FROM flagged
