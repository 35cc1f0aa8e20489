-- P12 shared_contacts: tenders (those with a tenders row) in which two different
-- bidders share a non-empty phone, address or bank_account (the same column) in
-- entities, or are linked by any relations row (either direction, any validity).
WITH b AS (
  SELECT DISTINCT tender_id, bidder FROM bids
  WHERE tender_id IS NOT NULL AND bidder IS NOT NULL AND tender_id IN (SELECT tender_id FROM tenders)),
pr AS (SELECT x.tender_id, x.bidder AS p, y.bidder AS q FROM b x JOIN b y
       ON x.tender_id = y.tender_id AND x.bidder < y.bidder),
hit AS (
  SELECT pr.tender_id FROM pr JOIN entities ep ON ep.id = pr.p JOIN entities eq ON eq.id = pr.q
  WHERE (ep.phone <> '' AND ep.phone = eq.phone) OR (ep.address <> '' AND ep.address = eq.address)
     OR (ep.bank_account <> '' AND ep.bank_account = eq.bank_account)
  UNION
  SELECT pr.tender_id FROM pr JOIN relations r
  ON (r.a = pr.p AND r.b = pr.q) OR (r.a = pr.q AND r.b = pr.p))
SELECT tender_id AS keys FROM hit
ORDER BY keys;
