-- R025 excessive unsuccessful bids by a top tenderer (DETECTORS.md P4), cardinal-rs
-- default settings: percentile = 75 (the upper fence on the number of valid bids);
-- threshold = (none: the lower fence Q1 - 1.5 IQR on the ratios); [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- Tenderer -> R025 = its ratio (winning bids / valid bids).
-- Semantics (cardinal-rs R025, fr_cardinal.c): in each process whose awards are all final
-- with one active award to one supplier (string id), each distinct tenderer of a 'valid'
-- bid with exactly one tenderer (string id) counts one valid bid, and one winning bid when
-- it is the supplier.  Over all processes: upper = type 8 quantile 0.75 of the tenderers'
-- valid-bid counts; Q1, Q3 = type 8 quartiles of their ratios; lower = fma(Q3 - Q1, -1.5,
-- Q1).  A tenderer is flagged when count >= upper and ratio <= lower, and only when
-- Q1 > 0 and lower > 0 (cardinal-rs skips the indicator otherwise: "Skip if 75% of
-- tenderers have no winning bids"; DETECTORS.md: skipped when Q1, Q3 and IQR are all 0).
-- The processes, final awards and their one supplier: tests/cardinal/shared.sql.
WITH vt AS (       -- each process's distinct tenderers of valid single-tenderer bids
  SELECT DISTINCT s.line, s.supplier, json_extract_string(b.bid, '$.tenderers[0].id') AS tid
  FROM card_sup s, unnest(json_extract(s.r, '$.bids.details[*]')) AS b(bid)
  WHERE json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') = 'valid'
    AND json_type(b.bid, '$.tenderers') = 'ARRAY' AND json_array_length(b.bid, '$.tenderers') = 1
    AND json_type(b.bid, '$.tenderers[0].id') = 'VARCHAR'
),
t AS (        -- per tenderer: valid bids (den) and the ratio won / valid
  SELECT tid, count(*) AS den, count(*) FILTER (WHERE tid = supplier)::DOUBLE / count(*)::DOUBLE AS ratio
  FROM vt GROUP BY tid
),
q AS (        -- type 8 quartiles of the ratios, and the upper fence: percentile 75 of the valid-bid counts
  SELECT card_q8(arr, n, 0.25) AS q1, card_q8(arr, n, 0.75) AS q3, card_q8(dens, n, 0.75) AS upper
  FROM (SELECT count(*) AS n, list_sort(list(ratio)) AS arr, list_sort(list(den::DOUBLE)) AS dens FROM t)
  WHERE n > 0
),
fence AS (    -- lower = fma(q3 - q1, -1.5, q1) as cardinal-rs's mul_add rounds it (once): 1.5 (q3 - q1)
              -- = p + e exactly (TwoSum of x and x/2), q1 - p by TwoSum, then the error terms;
              -- q1 - 1.5 * (q3 - q1), rounded twice, misses the fma by an ulp in 1 case of 4
              -- (README.md: checked against libm's fma)
  SELECT q1, q3, upper,
    q3 - q1 AS x, x * 0.5 AS hx, x + hx AS p, p - x AS bb, (x - (p - bb)) + (hx - bb) AS e,
    q1 + (-p) AS s, s - q1 AS bs, (q1 - (s - bs)) + ((-p) - bs) AS tt,
    s + (tt + (-e)) AS lower
  FROM q
)
SELECT 'Tenderer' AS grp, tid AS id, 'R025' AS indicator, ratio AS value
FROM t, fence
WHERE q1 > 0 AND lower > 0 AND den >= upper AND ratio <= lower
