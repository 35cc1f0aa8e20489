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
-- The processes, the bids this indicator reads and the main currency: tests/cardinal/shared.sql.
WITH flagged AS (
  SELECT line, ocid
  FROM card_r036_bids WHERE currency = (SELECT currency FROM card_main_currency)
  GROUP BY line, ocid
  HAVING arg_min(status, [amount, k::DOUBLE]) = 'disqualified' AND bool_or(status = 'valid')
)
SELECT DISTINCT 'OCID' AS grp, ocid AS id, 'R036' AS indicator, 1.0::DOUBLE AS value FROM flagged
