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
vb AS (       -- its valid bids with a numeric amount, a string currency and one tenderer with a string id
  SELECT s.line, s.ocid, s.supplier, b.k,
    try_cast(json_extract(b.bid, '$.value.amount') AS DOUBLE) AS amount,
    json_extract_string(b.bid, '$.value.currency') AS currency,
    json_extract_string(b.bid, '$.tenderers[0].id') AS tid
  FROM sup s, unnest(json_extract(s.r, '$.bids.details[*]')) WITH ORDINALITY AS b(bid, k)
  WHERE json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') = 'valid'
    AND json_type(b.bid, '$.value') = 'OBJECT' AND json_type(b.bid, '$.value.amount') IN ('UBIGINT', 'BIGINT', 'DOUBLE')
    AND json_type(b.bid, '$.value.currency') = 'VARCHAR'
    AND json_type(b.bid, '$.tenderers') = 'ARRAY' AND json_array_length(b.bid, '$.tenderers') = 1
    AND json_type(b.bid, '$.tenderers[0].id') = 'VARCHAR'
),
ev36 AS (     -- the bids R036 reads (it runs after this ratio on each process): submitted bids
              -- with a numeric amount and a string currency, in processes with an active award
  SELECT p.line, b.k, json_extract_string(b.bid, '$.value.currency') AS currency
  FROM p, unnest(json_extract(p.r, '$.bids.details[*]')) WITH ORDINALITY AS b(bid, k)
  WHERE json_type(p.r, '$.bids.details') = 'ARRAY'
    AND json_type(p.r, '$.awards') = 'ARRAY'
    AND list_bool_or(list_transform(json_extract(p.r, '$.awards[*]'),
          lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR' AND json_extract_string(a, '$.status') = 'active', false)))
    AND json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') NOT IN ('invited', 'withdrawn')
    AND json_type(b.bid, '$.value.amount') IN ('UBIGINT', 'BIGINT', 'DOUBLE')
    AND json_type(b.bid, '$.value.currency') = 'VARCHAR'
),
main AS (     -- the main currency: the first one observed, in file order, by this ratio then R036
  SELECT currency FROM (SELECT line, 0 AS phase, k, currency FROM vb UNION ALL SELECT line, 1, k, currency FROM ev36)
  ORDER BY line, phase, k LIMIT 1
),
slb AS (      -- winner = the supplier's lowest bid; lowest non-winner = first bid with the lowest amount
  SELECT line, ocid, supplier AS winner,
    min(amount) FILTER (WHERE tid = supplier) AS w,
    min(amount) FILTER (WHERE tid <> supplier) AS l,
    arg_min(tid, [amount, k::DOUBLE]) FILTER (WHERE tid <> supplier) AS loser
  FROM vb
  WHERE currency = (SELECT currency FROM main)
  GROUP BY line, ocid, supplier
),
ratios AS (   -- the second-lowest-bid ratio, kept when the lowest bid won
  SELECT line, ocid, winner, loser, (l - w) / w AS ratio FROM slb WHERE w IS NOT NULL AND l IS NOT NULL AND l >= w
),
q AS (        -- Hyndman-Fan type 8 quartiles (statrs): h = (n + 1/3) p + 1/3, interpolated, clamped
  SELECT n, arr,
    (n + 1.0::DOUBLE / 3.0::DOUBLE) * 0.25 + 1.0::DOUBLE / 3.0::DOUBLE AS h1, floor(h1)::BIGINT AS f1,
    (n + 1.0::DOUBLE / 3.0::DOUBLE) * 0.75 + 1.0::DOUBLE / 3.0::DOUBLE AS h3, floor(h3)::BIGINT AS f3,
    CASE WHEN f1 <= 0 THEN arr[1] WHEN f1 >= n THEN arr[n] ELSE arr[f1] + (h1 - f1) * (arr[f1 + 1] - arr[f1]) END AS q1,
    CASE WHEN f3 <= 0 THEN arr[1] WHEN f3 >= n THEN arr[n] ELSE arr[f3] + (h3 - f3) * (arr[f3 + 1] - arr[f3]) END AS q3
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
