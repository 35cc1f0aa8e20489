-- R048 heterogeneous supplier (DETECTORS.md P10), cardinal-rs default settings: digits = 2;
-- threshold = (none: the upper fence ceil(Q3 + 1.5 IQR)); minimum_contracting_processes =
-- 20; [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- Tenderer -> R048 = its variety (number of distinct 2-character classification prefixes).
-- Semantics (fr_cardinal.c): an award counts when its status is 'active', its suppliers
-- is an array of exactly one supplier with a string id, and its items is an array; the
-- supplier is then awarded in that process (once per process) and each item's string
-- classification.id adds its first 2 characters (code points) to the supplier's codes.
-- Over the suppliers awarded in >= 20 processes (variety 0 when no item was classified):
-- Q1, Q3 = type 8 quartiles of the varieties; skipped when Q1 = Q3 = 0; flagged when
-- variety >= ceil(fma(Q3 - Q1, 1.5, Q3)).
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
),
aw AS (       -- the awards that count, with their supplier
  SELECT p.line, a.aw, json_extract_string(a.aw, '$.suppliers[0].id') AS sid
  FROM p, unnest(json_extract(p.r, '$.awards[*]')) AS a(aw)
  WHERE json_type(p.r, '$.awards') = 'ARRAY'
    AND json_type(a.aw, '$.status') = 'VARCHAR' AND json_extract_string(a.aw, '$.status') = 'active'
    AND json_type(a.aw, '$.suppliers') = 'ARRAY' AND json_array_length(a.aw, '$.suppliers') = 1
    AND json_type(a.aw, '$.suppliers[0].id') = 'VARCHAR' AND json_type(a.aw, '$.items') = 'ARRAY'
),
codes AS (    -- (supplier, code) of every classified item
  SELECT DISTINCT sid, substring(json_extract_string(i.item, '$.classification.id'), 1, 2) AS code
  FROM aw, unnest(json_extract(aw.aw, '$.items[*]')) AS i(item)
  WHERE json_type(i.item, '$.classification.id') = 'VARCHAR'
),
s AS (        -- suppliers awarded in >= 20 processes, and their variety
  SELECT n.sid, coalesce(c.variety, 0) AS variety
  FROM (SELECT sid, count(DISTINCT line) AS procs FROM aw GROUP BY sid) n
  LEFT JOIN (SELECT sid, count(*) AS variety FROM codes GROUP BY sid) c ON c.sid = n.sid
  WHERE n.procs >= 20
),
q AS (        -- Hyndman-Fan type 8 quartiles (statrs): h = (n + 1/3) p + 1/3, interpolated, clamped
  SELECT n, arr,
    (n + 1.0::DOUBLE / 3.0::DOUBLE) * 0.25 + 1.0::DOUBLE / 3.0::DOUBLE AS h1, floor(h1)::BIGINT AS f1,
    (n + 1.0::DOUBLE / 3.0::DOUBLE) * 0.75 + 1.0::DOUBLE / 3.0::DOUBLE AS h3, floor(h3)::BIGINT AS f3,
    CASE WHEN f1 <= 0 THEN arr[1] WHEN f1 >= n THEN arr[n] ELSE arr[f1] + (h1 - f1) * (arr[f1 + 1] - arr[f1]) END AS q1,
    CASE WHEN f3 <= 0 THEN arr[1] WHEN f3 >= n THEN arr[n] ELSE arr[f3] + (h3 - f3) * (arr[f3 + 1] - arr[f3]) END AS q3
  FROM (SELECT count(*) AS n, list_sort(list(variety::DOUBLE)) AS arr FROM s)
  WHERE n > 0
),
fence AS (    -- upper = ceil(fma(q3 - q1, 1.5, q3)), the fma as in r038.sql
  SELECT q1, q3,
    q3 - q1 AS x, x * 0.5 AS hx, x + hx AS p, p - x AS bb, (x - (p - bb)) + (hx - bb) AS e,
    q3 + p AS s, s - q3 AS bs, (q3 - (s - bs)) + (p - bs) AS t,
    ceil(s + (t + e)) AS upper
  FROM q
)
SELECT 'Tenderer' AS grp, sid AS id, 'R048' AS indicator, variety::DOUBLE AS value
FROM s, fence
WHERE NOT (q1 = 0 AND q3 = 0) AND variety >= upper
