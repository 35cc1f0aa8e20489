-- F11 related_party (kinds: all): a payment whose approver or requester is linked
-- to its payee by a relations row (either direction) valid on date(ts) (NULL since
-- = from the beginning, NULL until = still valid), or whose approver's or
-- requester's entities row shares a non-empty phone, address or bank_account
-- (the same column) with the payee's.
WITH p AS (
  SELECT txn_id, payee, approver, requester, CAST(ts AS DATE) AS d FROM payments
  WHERE payee IS NOT NULL AND ts IS NOT NULL),
roles AS (
  SELECT txn_id, payee, d, approver AS who FROM p WHERE approver IS NOT NULL
  UNION ALL
  SELECT txn_id, payee, d, requester AS who FROM p WHERE requester IS NOT NULL),
valid_rel AS (SELECT a, b, since, until FROM relations WHERE a IS NOT NULL AND b IS NOT NULL),
hit AS (
  SELECT r.txn_id FROM roles r JOIN valid_rel v ON v.a = r.who AND v.b = r.payee
  WHERE (v.since IS NULL OR v.since <= r.d) AND (v.until IS NULL OR r.d <= v.until)
  UNION
  SELECT r.txn_id FROM roles r JOIN valid_rel v ON v.b = r.who AND v.a = r.payee
  WHERE (v.since IS NULL OR v.since <= r.d) AND (v.until IS NULL OR r.d <= v.until)
  UNION
  SELECT r.txn_id FROM roles r JOIN entities ew ON ew.id = r.who JOIN entities ep ON ep.id = r.payee
  WHERE (ew.phone <> '' AND ew.phone = ep.phone) OR (ew.address <> '' AND ew.address = ep.address)
     OR (ew.bank_account <> '' AND ew.bank_account = ep.bank_account))
SELECT txn_id AS keys FROM hit
ORDER BY keys;
