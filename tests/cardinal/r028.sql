-- R028 identical bid prices from different tenderers (DETECTORS.md P5), cardinal-rs
-- default settings: no_price_comparison_procurement_methods =
-- price_comparison_procurement_methods = (none); [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- OCID -> R028 = 1.0; Tenderer -> R028 = 1.0.
-- Semantics (cardinal-rs R028, fr_cardinal.c): the submitted bids (string status other
-- than invited/withdrawn) with a tenderers array holding at least one string id, a
-- numeric amount and a string currency are read in order, each remembered under its
-- price (amount as a double, currency), a later one replacing an earlier one.  A bid whose
-- price was already seen with a different SET of tenderer ids flags the process and every
-- id of both bids (the bid's and the one remembered, i.e. the latest earlier bid at that price).
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
),
b AS (        -- the bids read, each with its sorted set of string tenderer ids
  SELECT p.line, p.ocid, b.k,
    try_cast(json_extract(b.bid, '$.value.amount') AS DOUBLE) AS amount,
    json_extract_string(b.bid, '$.value.currency') AS currency,
    list_sort(list_distinct(list_transform(
      list_filter(json_extract(b.bid, '$.tenderers[*]'), lambda x: coalesce(json_type(x, '$.id') = 'VARCHAR', false)),
      lambda x: json_extract_string(x, '$.id')))) AS ids
  FROM p, unnest(json_extract(p.r, '$.bids.details[*]')) WITH ORDINALITY AS b(bid, k)
  WHERE json_type(p.r, '$.bids.details') = 'ARRAY'
    AND json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') NOT IN ('invited', 'withdrawn')
    AND json_type(b.bid, '$.tenderers') = 'ARRAY'
    AND json_type(b.bid, '$.value.amount') IN ('UBIGINT', 'BIGINT', 'DOUBLE')
    AND json_type(b.bid, '$.value.currency') = 'VARCHAR'
),
pairs AS (    -- each bid with the latest earlier bid at the same price
  SELECT line, ocid, ids, lag(ids) OVER (PARTITION BY line, amount, currency ORDER BY k) AS prev
  FROM b WHERE len(ids) > 0
),
flagged AS (SELECT line, ocid, ids, prev FROM pairs WHERE prev IS NOT NULL AND ids <> prev)
SELECT DISTINCT 'OCID' AS grp, ocid AS id, 'R028' AS indicator, 1.0::DOUBLE AS value FROM flagged
UNION ALL
SELECT DISTINCT 'Tenderer', t, 'R028', 1.0::DOUBLE FROM flagged, unnest(list_concat(ids, prev)) AS u(t)
