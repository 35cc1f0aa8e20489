-- R038 excessive disqualified bids per buyer, procuring entity or tenderer (DETECTORS.md
-- P9), cardinal-rs default settings: threshold = (none: the upper fence Q3 + 1.5 IQR);
-- minimum_submitted_bids = 2 (tenderers); minimum_contracting_processes = 2 (buyers and
-- procuring entities; compared, as cardinal-rs does, with the number of submitted bids,
-- the fraction's denominator); [exclusions] = (none).
-- Input: releases(line BIGINT, release JSON).  Output: (grp, id, indicator, value):
-- Buyer / ProcuringEntity / Tenderer -> R038 = its ratio (disqualified / submitted bids).
-- Semantics (cardinal-rs R038, fr_cardinal.c): per process, the submitted bids (string
-- status other than invited/withdrawn) of bids.details; each adds (disqualified ? 1 : 0,
-- 1) to every string id in its tenderers array (an id listed twice counts twice); a
-- process with submitted bids adds (its disqualified, its submitted) to buyer.id and to
-- tender.procuringEntity.id (strings).  Per group, over the ids whose denominator >= the
-- minimum: Q1, Q3 = type 8 quartiles of the ratios; skipped when Q1 = Q3 = 0; flagged
-- when ratio >= fma(Q3 - Q1, 1.5, Q3).
WITH p AS (   -- the processes cardinal-rs folds: string ocid, tender not cancelled
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled'
),
sb AS (       -- submitted bids
  SELECT p.line, b.bid, (json_extract_string(b.bid, '$.status') = 'disqualified')::INT AS inc
  FROM p, unnest(json_extract(p.r, '$.bids.details[*]')) AS b(bid)
  WHERE json_type(p.r, '$.bids.details') = 'ARRAY'
    AND json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') NOT IN ('invited', 'withdrawn')
),
per_process AS ( -- processes with submitted bids: (disqualified, submitted)
  SELECT p.line, p.r, c.disq, c.sub
  FROM p JOIN (SELECT line, sum(inc) AS disq, count(*) AS sub FROM sb GROUP BY line) c ON c.line = p.line
),
fr AS (       -- (group, id, disqualified, submitted) contributions
  SELECT 'Tenderer' AS grp, json_extract_string(x.t, '$.id') AS id, sb.inc AS num, 1 AS den
  FROM sb, unnest(json_extract(sb.bid, '$.tenderers[*]')) AS x(t)
  WHERE json_type(sb.bid, '$.tenderers') = 'ARRAY' AND json_type(x.t, '$.id') = 'VARCHAR'
  UNION ALL
  SELECT 'Buyer', json_extract_string(r, '$.buyer.id'), disq, sub FROM per_process WHERE json_type(r, '$.buyer.id') = 'VARCHAR'
  UNION ALL
  SELECT 'ProcuringEntity', json_extract_string(r, '$.tender.procuringEntity.id'), disq, sub
  FROM per_process WHERE json_type(r, '$.tender.procuringEntity.id') = 'VARCHAR'
),
ratios AS (   -- per (group, id) with enough submitted bids (the minimum is 2 for every group)
  SELECT grp, id, sum(num)::DOUBLE / sum(den)::DOUBLE AS ratio FROM fr GROUP BY grp, id HAVING sum(den) >= 2
),
q AS (        -- Hyndman-Fan type 8 quartiles (statrs) per group: h = (n + 1/3) p + 1/3, interpolated, clamped
  SELECT grp, n, arr,
    (n + 1.0::DOUBLE / 3.0::DOUBLE) * 0.25 + 1.0::DOUBLE / 3.0::DOUBLE AS h1, floor(h1)::BIGINT AS f1,
    (n + 1.0::DOUBLE / 3.0::DOUBLE) * 0.75 + 1.0::DOUBLE / 3.0::DOUBLE AS h3, floor(h3)::BIGINT AS f3,
    CASE WHEN f1 <= 0 THEN arr[1] WHEN f1 >= n THEN arr[n] ELSE arr[f1] + (h1 - f1) * (arr[f1 + 1] - arr[f1]) END AS q1,
    CASE WHEN f3 <= 0 THEN arr[1] WHEN f3 >= n THEN arr[n] ELSE arr[f3] + (h3 - f3) * (arr[f3 + 1] - arr[f3]) END AS q3
  FROM (SELECT grp, count(*) AS n, list_sort(list(ratio)) AS arr FROM ratios GROUP BY grp)
),
fence AS (    -- upper = fma(q3 - q1, +1.5, q3) as cardinal-rs's mul_add rounds it (once): 1.5 (q3 - q1)
              -- = p + e exactly (TwoSum of x and x/2), q3 + p by TwoSum, then the error terms;
              -- q3 + 1.5 * (q3 - q1), rounded twice, misses the fma by an ulp in 1 case of 4
              -- (README.md: checked against libm's fma)
  SELECT grp, q1, q3,
    q3 - q1 AS x, x * 0.5 AS hx, x + hx AS p, p - x AS bb, (x - (p - bb)) + (hx - bb) AS e,
    q3 + p AS s, s - q3 AS bs, (q3 - (s - bs)) + (p - bs) AS t,
    s + (t + e) AS upper
  FROM q
)
SELECT r.grp, r.id, 'R038' AS indicator, r.ratio AS value
FROM ratios r JOIN fence f ON f.grp = r.grp
WHERE NOT (f.q1 = 0 AND f.q3 = 0) AND r.ratio >= f.upper
