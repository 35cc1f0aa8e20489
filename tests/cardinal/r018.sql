-- R018 single bid received in a competitive procedure (DETECTORS.md P2), cardinal-rs
-- default settings: procurement_methods = open|selective; [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value).
-- Semantics (fr_cardinal.c / cardinal-rs): tender is an object, tender.procurementMethod
-- is the string 'open' or 'selective', tender.numberOfTenderers is a JSON integer equal
-- to 1 (1.0 is a float, not counted) -> OCID R018 = 1.0.
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
)
SELECT DISTINCT 'OCID' AS grp, ocid AS id, 'R018' AS indicator, 1.0::DOUBLE AS value
FROM p
WHERE json_type(r, '$.tender') = 'OBJECT'
  AND json_type(r, '$.tender.procurementMethod') = 'VARCHAR'
  AND json_extract_string(r, '$.tender.procurementMethod') IN ('open', 'selective')
  AND json_type(r, '$.tender.numberOfTenderers') IN ('UBIGINT', 'BIGINT')
  AND json_extract_string(r, '$.tender.numberOfTenderers') = '1'
