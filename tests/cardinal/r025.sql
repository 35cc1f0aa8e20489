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
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
),
aw AS (       -- "all awards final": awards and bids.details are arrays and no award has a
              -- string status other than active/cancelled/unsuccessful; its active awards
  SELECT line, ocid, r,
    list_filter(json_extract(r, '$.awards[*]'),
                lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR' AND json_extract_string(a, '$.status') = 'active', false)) AS active
  FROM p
  WHERE json_type(r, '$.awards') = 'ARRAY' AND json_type(r, '$.bids.details') = 'ARRAY'
    AND NOT coalesce(list_bool_or(list_transform(json_extract(r, '$.awards[*]'),
          lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR'
                             AND json_extract_string(a, '$.status') NOT IN ('active', 'cancelled', 'unsuccessful'), false))), false)
),
sup AS (      -- exactly one active award, made to exactly one supplier with a string id
  SELECT line, ocid, r, json_extract_string(active[1], '$.suppliers[0].id') AS supplier
  FROM aw
  WHERE len(active) = 1 AND json_type(active[1], '$.suppliers') = 'ARRAY'
    AND json_array_length(active[1], '$.suppliers') = 1 AND json_type(active[1], '$.suppliers[0].id') = 'VARCHAR'
),
vt AS (       -- each process's distinct tenderers of valid single-tenderer bids
  SELECT DISTINCT s.line, s.supplier, json_extract_string(b.bid, '$.tenderers[0].id') AS tid
  FROM sup s, unnest(json_extract(s.r, '$.bids.details[*]')) AS b(bid)
  WHERE json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') = 'valid'
    AND json_type(b.bid, '$.tenderers') = 'ARRAY' AND json_array_length(b.bid, '$.tenderers') = 1
    AND json_type(b.bid, '$.tenderers[0].id') = 'VARCHAR'
),
t AS (        -- per tenderer: valid bids (den) and the ratio won / valid
  SELECT tid, count(*) AS den, count(*) FILTER (WHERE tid = supplier)::DOUBLE / count(*)::DOUBLE AS ratio
  FROM vt GROUP BY tid
),
q AS (        -- Hyndman-Fan type 8 quantiles (statrs): h = (n + 1/3) p + 1/3, interpolated, clamped
  SELECT n, arr, dens,
    (n + 1.0::DOUBLE / 3.0::DOUBLE) * 0.25 + 1.0::DOUBLE / 3.0::DOUBLE AS h1, floor(h1)::BIGINT AS f1,
    (n + 1.0::DOUBLE / 3.0::DOUBLE) * 0.75 + 1.0::DOUBLE / 3.0::DOUBLE AS h3, floor(h3)::BIGINT AS f3,
    CASE WHEN f1 <= 0 THEN arr[1] WHEN f1 >= n THEN arr[n] ELSE arr[f1] + (h1 - f1) * (arr[f1 + 1] - arr[f1]) END AS q1,
    CASE WHEN f3 <= 0 THEN arr[1] WHEN f3 >= n THEN arr[n] ELSE arr[f3] + (h3 - f3) * (arr[f3 + 1] - arr[f3]) END AS q3,
    -- the upper fence: percentile 75 of the valid-bid counts (the same h3, f3)
    CASE WHEN f3 <= 0 THEN dens[1] WHEN f3 >= n THEN dens[n] ELSE dens[f3] + (h3 - f3) * (dens[f3 + 1] - dens[f3]) END AS upper
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
