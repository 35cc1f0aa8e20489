-- R030 late bid won (DETECTORS.md P6); not configurable in cardinal-rs ([exclusions] =
-- (none) by default).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- OCID -> R030 = 1.0; Tenderer -> R030 = 1.0.
-- Semantics (cardinal-rs R030, fr_cardinal.c): tender.tenderPeriod.endDate is a string,
-- awards and bids.details are arrays; a 'valid' bid whose date is a string greater than
-- endDate (byte-wise string comparison, not a date comparison) and whose tenderers is an
-- array flags the process and its FIRST tenderer (in order) whose string id is the string
-- id of a supplier of an active award.
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
),
pr AS (       -- the processes R030 reads, with the string supplier ids of their active awards
  SELECT line, ocid, r, json_extract_string(r, '$.tender.tenderPeriod.endDate') AS end_date,
    flatten(list_transform(
      list_filter(json_extract(r, '$.awards[*]'),
        lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR' AND json_extract_string(a, '$.status') = 'active'
                           AND json_type(a, '$.suppliers') = 'ARRAY', false)),
      lambda a: list_transform(
        list_filter(json_extract(a, '$.suppliers[*]'), lambda s: coalesce(json_type(s, '$.id') = 'VARCHAR', false)),
        lambda s: json_extract_string(s, '$.id')))) AS winners
  FROM p
  WHERE json_type(r, '$.tender.tenderPeriod.endDate') = 'VARCHAR'
    AND json_type(r, '$.awards') = 'ARRAY' AND json_type(r, '$.bids.details') = 'ARRAY'
),
late AS (     -- late valid bids: the first of their tenderers that won
  SELECT pr.line, pr.ocid,
    list_filter(list_transform(
      list_filter(json_extract(b.bid, '$.tenderers[*]'), lambda x: coalesce(json_type(x, '$.id') = 'VARCHAR', false)),
      lambda x: json_extract_string(x, '$.id')), lambda i: list_contains(pr.winners, i))[1] AS tid
  FROM pr, unnest(json_extract(pr.r, '$.bids.details[*]')) AS b(bid)
  WHERE json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') = 'valid'
    AND json_type(b.bid, '$.date') = 'VARCHAR' AND json_extract_string(b.bid, '$.date') > pr.end_date
    AND json_type(b.bid, '$.tenderers') = 'ARRAY'
)
SELECT DISTINCT 'OCID' AS grp, ocid AS id, 'R030' AS indicator, 1.0::DOUBLE AS value FROM late WHERE tid IS NOT NULL
UNION ALL
SELECT DISTINCT 'Tenderer', tid, 'R030', 1.0::DOUBLE FROM late WHERE tid IS NOT NULL
