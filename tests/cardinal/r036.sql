-- R036 lowest bid disqualified (DETECTORS.md P8), cardinal-rs default settings: currency =
-- (none: the first observed); no_price_comparison_procurement_methods =
-- price_comparison_procurement_methods = (none); [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- OCID -> R036 = 1.0.
-- Semantics (cardinal-rs R036 and its documentation, spec/R036.md): in a process with an
-- active award (awards an array), among the submitted bids (string status other than
-- invited/withdrawn) with a numeric amount and a string currency equal to the main
-- currency, the first bid with the lowest amount is 'disqualified', and one of those bids
-- is 'valid' ("there are one or more valid bids with amounts").  The main currency is the
-- first one observed in file order, by the second-lowest-bid ratio of R024/R058 first
-- and then by this indicator, on each process (as in r024.sql).
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
),
aw AS (       -- as r024.sql: processes whose awards are all final, and their active awards
  SELECT line, ocid, r,
    list_filter(json_extract(r, '$.awards[*]'),
                lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR' AND json_extract_string(a, '$.status') = 'active', false)) AS active
  FROM p
  WHERE json_type(r, '$.awards') = 'ARRAY' AND json_type(r, '$.bids.details') = 'ARRAY'
    AND NOT coalesce(list_bool_or(list_transform(json_extract(r, '$.awards[*]'),
          lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR'
                             AND json_extract_string(a, '$.status') NOT IN ('active', 'cancelled', 'unsuccessful'), false))), false)
),
sup AS (      -- as r024.sql: one active award to one supplier with a string id
  SELECT line, ocid, r, json_extract_string(active[1], '$.suppliers[0].id') AS supplier
  FROM aw
  WHERE len(active) = 1 AND json_type(active[1], '$.suppliers') = 'ARRAY'
    AND json_array_length(active[1], '$.suppliers') = 1 AND json_type(active[1], '$.suppliers[0].id') = 'VARCHAR'
),
vb AS (       -- as r024.sql: the bids the second-lowest-bid ratio reads (for the main currency)
  SELECT s.line, b.k, json_extract_string(b.bid, '$.value.currency') AS currency
  FROM sup s, unnest(json_extract(s.r, '$.bids.details[*]')) WITH ORDINALITY AS b(bid, k)
  WHERE json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') = 'valid'
    AND json_type(b.bid, '$.value') = 'OBJECT' AND json_type(b.bid, '$.value.amount') IN ('UBIGINT', 'BIGINT', 'DOUBLE')
    AND json_type(b.bid, '$.value.currency') = 'VARCHAR'
    AND json_type(b.bid, '$.tenderers') = 'ARRAY' AND json_array_length(b.bid, '$.tenderers') = 1
    AND json_type(b.bid, '$.tenderers[0].id') = 'VARCHAR'
),
ev36 AS (     -- the bids this indicator reads
  SELECT p.line, p.ocid, b.k, json_extract_string(b.bid, '$.status') AS status,
    try_cast(json_extract(b.bid, '$.value.amount') AS DOUBLE) AS amount,
    json_extract_string(b.bid, '$.value.currency') AS currency
  FROM p, unnest(json_extract(p.r, '$.bids.details[*]')) WITH ORDINALITY AS b(bid, k)
  WHERE json_type(p.r, '$.bids.details') = 'ARRAY'
    AND json_type(p.r, '$.awards') = 'ARRAY'
    AND list_bool_or(list_transform(json_extract(p.r, '$.awards[*]'),
          lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR' AND json_extract_string(a, '$.status') = 'active', false)))
    AND json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') NOT IN ('invited', 'withdrawn')
    AND json_type(b.bid, '$.value.amount') IN ('UBIGINT', 'BIGINT', 'DOUBLE')
    AND json_type(b.bid, '$.value.currency') = 'VARCHAR'
),
main AS (     -- the main currency: the first one observed, in file order
  SELECT currency FROM (SELECT line, 0 AS phase, k, currency FROM vb UNION ALL SELECT line, 1, k, currency FROM ev36)
  ORDER BY line, phase, k LIMIT 1
),
flagged AS (
  SELECT line, ocid
  FROM ev36 WHERE currency = (SELECT currency FROM main)
  GROUP BY line, ocid
  HAVING arg_min(status, [amount, k::DOUBLE]) = 'disqualified' AND bool_or(status = 'valid')
)
SELECT DISTINCT 'OCID' AS grp, ocid AS id, 'R036' AS indicator, 1.0::DOUBLE AS value FROM flagged
