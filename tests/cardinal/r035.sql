-- R035 all bids but the winner's disqualified (DETECTORS.md P7), cardinal-rs default
-- settings: threshold = 1; [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- OCID -> R035 = the number of other tenderers with disqualified bids; Tenderer (the
-- winner) -> R035 = 0.0.
-- Semantics (cardinal-rs R035, fr_cardinal.c): awards and bids.details are arrays and no
-- award has a string status other than active/cancelled/unsuccessful.  S = the string
-- supplier ids of the active awards, V = the string tenderer ids of 'valid' bids, D = those
-- of 'disqualified' bids (bids whose tenderers is an array).  Flagged when V has one id,
-- S = V, and |D - V| >= 1.
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
),
aw AS (       -- "all awards final", and the string supplier ids of the active awards
  SELECT line, ocid, r,
    list_distinct(flatten(list_transform(
      list_filter(json_extract(r, '$.awards[*]'),
        lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR' AND json_extract_string(a, '$.status') = 'active', false)),
      lambda a: CASE WHEN json_type(a, '$.suppliers') = 'ARRAY' THEN list_transform(
        list_filter(json_extract(a, '$.suppliers[*]'), lambda s: coalesce(json_type(s, '$.id') = 'VARCHAR', false)),
        lambda s: json_extract_string(s, '$.id')) ELSE [] END))) AS sup
  FROM p
  WHERE json_type(r, '$.awards') = 'ARRAY' AND json_type(r, '$.bids.details') = 'ARRAY'
    AND NOT coalesce(list_bool_or(list_transform(json_extract(r, '$.awards[*]'),
          lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR'
                             AND json_extract_string(a, '$.status') NOT IN ('active', 'cancelled', 'unsuccessful'), false))), false)
),
bt AS (       -- (process, bid status, tenderer id) of valid and disqualified bids
  SELECT DISTINCT aw.line, json_extract_string(b.bid, '$.status') AS status, json_extract_string(x.t, '$.id') AS tid
  FROM aw, unnest(json_extract(aw.r, '$.bids.details[*]')) AS b(bid), unnest(json_extract(b.bid, '$.tenderers[*]')) AS x(t)
  WHERE json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') IN ('valid', 'disqualified')
    AND json_type(b.bid, '$.tenderers') = 'ARRAY' AND json_type(x.t, '$.id') = 'VARCHAR'
),
v AS (        -- processes with exactly one valid tenderer, the sole supplier
  SELECT aw.line, aw.ocid, any_value(bt.tid) AS winner
  FROM aw JOIN bt ON bt.line = aw.line AND bt.status = 'valid'
  WHERE len(aw.sup) = 1
  GROUP BY aw.line, aw.ocid, aw.sup
  HAVING count(*) = 1 AND any_value(bt.tid) = aw.sup[1]
),
flagged AS (  -- the number of other tenderers with disqualified bids
  SELECT v.line, v.ocid, v.winner, count(*) AS diff
  FROM v JOIN bt ON bt.line = v.line AND bt.status = 'disqualified' AND bt.tid <> v.winner
  GROUP BY v.line, v.ocid, v.winner
  HAVING count(*) >= 1
)
SELECT 'OCID' AS grp, ocid AS id, 'R035' AS indicator, arg_max(diff, line)::DOUBLE AS value FROM flagged GROUP BY ocid
UNION ALL
SELECT DISTINCT 'Tenderer', winner, 'R035', 0.0::DOUBLE FROM flagged
