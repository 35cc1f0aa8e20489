-- shared.sql - the steps several indicator queries share, as views and a macro over
-- releases(line BIGINT, release JSON); run_sql.mjs runs this file (statements ending in
-- ";" at a line end) after loading, before the r*.sql queries.  Each view states the
-- cardinal-rs / fr_cardinal.c rule it stands for; the queries that use them say so.

-- The processes cardinal-rs folds: string ocid, tender not cancelled.
CREATE OR REPLACE VIEW card_p AS
  SELECT line, release AS r, json_extract_string(release, '$.ocid') AS ocid
  FROM releases
  WHERE json_type(release, '$.ocid') = 'VARCHAR'
    AND json_extract_string(release, '$.tender.status') IS DISTINCT FROM 'cancelled';

-- "All awards final": awards and bids.details are arrays and no award has a string status
-- other than active/cancelled/unsuccessful; with its active awards.
CREATE OR REPLACE VIEW card_final AS
  SELECT line, ocid, r,
    list_filter(json_extract(r, '$.awards[*]'),
                lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR' AND json_extract_string(a, '$.status') = 'active', false)) AS active
  FROM card_p
  WHERE json_type(r, '$.awards') = 'ARRAY' AND json_type(r, '$.bids.details') = 'ARRAY'
    AND NOT coalesce(list_bool_or(list_transform(json_extract(r, '$.awards[*]'),
          lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR'
                             AND json_extract_string(a, '$.status') NOT IN ('active', 'cancelled', 'unsuccessful'), false))), false);

-- Exactly one active award, made to exactly one supplier with a string id.
CREATE OR REPLACE VIEW card_sup AS
  SELECT line, ocid, r, json_extract_string(active[1], '$.suppliers[0].id') AS supplier
  FROM card_final
  WHERE len(active) = 1 AND json_type(active[1], '$.suppliers') = 'ARRAY'
    AND json_array_length(active[1], '$.suppliers') = 1 AND json_type(active[1], '$.suppliers[0].id') = 'VARCHAR';

-- The bids the second-lowest-bid ratio (R024, R058) reads: valid bids with a numeric
-- amount, a string currency and one tenderer with a string id; k = position in the list.
CREATE OR REPLACE VIEW card_ratio_bids AS
  SELECT s.line, s.ocid, s.supplier, b.k,
    try_cast(json_extract(b.bid, '$.value.amount') AS DOUBLE) AS amount,
    json_extract_string(b.bid, '$.value.currency') AS currency,
    json_extract_string(b.bid, '$.tenderers[0].id') AS tid
  FROM card_sup s, unnest(json_extract(s.r, '$.bids.details[*]')) WITH ORDINALITY AS b(bid, k)
  WHERE json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') = 'valid'
    AND json_type(b.bid, '$.value') = 'OBJECT' AND json_type(b.bid, '$.value.amount') IN ('UBIGINT', 'BIGINT', 'DOUBLE')
    AND json_type(b.bid, '$.value.currency') = 'VARCHAR'
    AND json_type(b.bid, '$.tenderers') = 'ARRAY' AND json_array_length(b.bid, '$.tenderers') = 1
    AND json_type(b.bid, '$.tenderers[0].id') = 'VARCHAR';

-- The bids R036 reads (it runs after the ratio on each process): submitted bids (string
-- status other than invited/withdrawn) with a numeric amount and a string currency, in
-- processes with an active award.
CREATE OR REPLACE VIEW card_r036_bids AS
  SELECT p.line, p.ocid, b.k, json_extract_string(b.bid, '$.status') AS status,
    try_cast(json_extract(b.bid, '$.value.amount') AS DOUBLE) AS amount,
    json_extract_string(b.bid, '$.value.currency') AS currency
  FROM card_p p, unnest(json_extract(p.r, '$.bids.details[*]')) WITH ORDINALITY AS b(bid, k)
  WHERE json_type(p.r, '$.bids.details') = 'ARRAY'
    AND json_type(p.r, '$.awards') = 'ARRAY'
    AND list_bool_or(list_transform(json_extract(p.r, '$.awards[*]'),
          lambda a: coalesce(json_type(a, '$.status') = 'VARCHAR' AND json_extract_string(a, '$.status') = 'active', false)))
    AND json_type(b.bid, '$.status') = 'VARCHAR' AND json_extract_string(b.bid, '$.status') NOT IN ('invited', 'withdrawn')
    AND json_type(b.bid, '$.value.amount') IN ('UBIGINT', 'BIGINT', 'DOUBLE')
    AND json_type(b.bid, '$.value.currency') = 'VARCHAR';

-- The main currency (R024, R036, R058): the first one observed, in file order, by the
-- ratio's bids and then R036's on each process (cardinal-rs's get_or_insert).
CREATE OR REPLACE VIEW card_main_currency AS
  SELECT currency FROM (SELECT line, 0 AS phase, k, currency FROM card_ratio_bids
                        UNION ALL SELECT line, 1, k, currency FROM card_r036_bids)
  ORDER BY line, phase, k LIMIT 1;

-- The second-lowest-bid ratio (l - w) / w per process, in the main currency: winner =
-- the supplier's lowest bid, loser = the first bid with the lowest amount of the others;
-- kept when the lowest bid won.
CREATE OR REPLACE VIEW card_ratios AS
  WITH slb AS (
    SELECT line, ocid, supplier AS winner,
      min(amount) FILTER (WHERE tid = supplier) AS w,
      min(amount) FILTER (WHERE tid <> supplier) AS l,
      arg_min(tid, [amount, k::DOUBLE]) FILTER (WHERE tid <> supplier) AS loser
    FROM card_ratio_bids
    WHERE currency = (SELECT currency FROM card_main_currency)
    GROUP BY line, ocid, supplier)
  SELECT line, ocid, winner, loser, (l - w) / w AS ratio FROM slb WHERE w IS NOT NULL AND l IS NOT NULL AND l >= w;

-- Hyndman-Fan type 8 quantile tau of the ascending list arr of n values (statrs):
-- h = (n + 1/3) tau + 1/3, linear interpolation, clamped to the ends.
CREATE OR REPLACE MACRO card_q8(arr, n, tau) AS
  CASE WHEN floor((n + 1.0::DOUBLE / 3.0::DOUBLE) * tau + 1.0::DOUBLE / 3.0::DOUBLE)::BIGINT <= 0 THEN arr[1]
       WHEN floor((n + 1.0::DOUBLE / 3.0::DOUBLE) * tau + 1.0::DOUBLE / 3.0::DOUBLE)::BIGINT >= n THEN arr[n]
       ELSE arr[floor((n + 1.0::DOUBLE / 3.0::DOUBLE) * tau + 1.0::DOUBLE / 3.0::DOUBLE)::BIGINT]
            + ((n + 1.0::DOUBLE / 3.0::DOUBLE) * tau + 1.0::DOUBLE / 3.0::DOUBLE
               - floor((n + 1.0::DOUBLE / 3.0::DOUBLE) * tau + 1.0::DOUBLE / 3.0::DOUBLE)::BIGINT)
              * (arr[floor((n + 1.0::DOUBLE / 3.0::DOUBLE) * tau + 1.0::DOUBLE / 3.0::DOUBLE)::BIGINT + 1]
                 - arr[floor((n + 1.0::DOUBLE / 3.0::DOUBLE) * tau + 1.0::DOUBLE / 3.0::DOUBLE)::BIGINT])
  END;
