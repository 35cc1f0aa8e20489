-- R003 short submission period (DETECTORS.md P1), cardinal-rs default settings:
--   threshold = 15 whole days; procurement_methods = (none: every method);
--   [R003.procurement_method_details] = (none); [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON), one compiled release per row.
-- Output: (grp, id, indicator, value) rows; OCID -> R003 = 1.0.
-- Semantics (fr_cardinal.c / chrono): tender is an object, tenderPeriod.startDate and
-- .endDate are strings that parse as RFC 3339 (T, t or space separator, optional
-- fraction, Z/z or +-HH:MM offset, second 60 read as 59 + 1 s of nanoseconds, real
-- calendar dates only); the period is end - start in whole days truncated toward zero
-- (chrono's num_days), flagged when < 15.
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
),
raw AS (      -- both dates as strings (NULL when absent or not a string)
  SELECT line, ocid,
    CASE WHEN json_type(r, '$.tender.tenderPeriod.startDate') = 'VARCHAR'
         THEN json_extract_string(r, '$.tender.tenderPeriod.startDate') END AS sd,
    CASE WHEN json_type(r, '$.tender.tenderPeriod.endDate') = 'VARCHAR'
         THEN json_extract_string(r, '$.tender.tenderPeriod.endDate') END AS ed
  FROM p
  WHERE json_type(r, '$.tender') = 'OBJECT'
),
parts AS (    -- the RFC 3339 fields of each date as integers (all NULL when it does not match)
  SELECT line, ocid, w,
    try_cast(m.y AS INT) AS y, try_cast(m.mo AS INT) AS mo, try_cast(m.d AS INT) AS d,
    try_cast(m.h AS INT) AS h, try_cast(m.mi AS INT) AS mi, try_cast(m.se AS INT) AS se,
    -- the fraction's first 9 digits as nanoseconds; a leap second (60) is 59 s + 10^9 ns
    try_cast(rpad(left(m.f, 9), 9, '0') AS BIGINT) + CASE WHEN m.se = '60' THEN 1000000000 ELSE 0 END AS ns,
    CASE m.sg WHEN '+' THEN 1 WHEN '-' THEN -1 ELSE 0 END AS sg,
    coalesce(try_cast(m.oh AS INT), 0) AS oh, coalesce(try_cast(m.om AS INT), 0) AS om
  FROM (
    SELECT line, ocid, w, regexp_extract(s,
        '^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$',
        ['y', 'mo', 'd', 'h', 'mi', 'se', 'f', 'sg', 'oh', 'om']) AS m
    FROM (SELECT line, ocid, 0 AS w, sd AS s FROM raw WHERE sd IS NOT NULL AND ed IS NOT NULL
          UNION ALL
          SELECT line, ocid, 1 AS w, ed AS s FROM raw WHERE sd IS NOT NULL AND ed IS NOT NULL)
  )
),
ts AS (       -- seconds since the epoch (UTC), NULL when not a real date-time
  SELECT line, ocid, w, ns,
    CASE WHEN mo BETWEEN 1 AND 12 AND d >= 1
          AND d <= CASE WHEN mo = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
                        WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END
          AND h <= 23 AND mi <= 59 AND se <= 60 AND oh <= 23 AND om <= 59
    THEN date_diff('day', DATE '1970-01-01', make_date(y, mo, d))::BIGINT * 86400
         + h * 3600 + mi * 60 + least(se, 59) - sg * (oh * 3600 + om * 60)
    END AS sec
  FROM parts
  WHERE y IS NOT NULL
),
dur AS (      -- end - start, as chrono's num_days: whole seconds truncated toward zero, / 86400
  SELECT s.line, s.ocid, e.sec - s.sec AS secs, e.ns - s.ns AS ns
  FROM ts s JOIN ts e ON e.line = s.line AND s.w = 0 AND e.w = 1
  WHERE s.sec IS NOT NULL AND e.sec IS NOT NULL
)
SELECT DISTINCT 'OCID' AS grp, ocid AS id, 'R003' AS indicator, 1.0::DOUBLE AS value
FROM dur
WHERE (CASE WHEN secs > 0 AND ns < 0 THEN secs - 1 WHEN secs < 0 AND ns > 0 THEN secs + 1 ELSE secs END) // 86400 < 15
