-- F1 duplicate_payment: (payee, amount, norm(invoice_no)) groups of 2+ rows.
-- norm: ASCII letters upper-cased, only A-Z and 0-9 kept; empty after that = skipped.
WITH p AS (
  SELECT txn_id, payee, amount, upper(regexp_replace(invoice_no, '[^A-Za-z0-9]', '', 'g')) AS inv
  FROM payments
  WHERE invoice_no IS NOT NULL AND payee IS NOT NULL AND amount IS NOT NULL)
SELECT string_agg(txn_id, ' ' ORDER BY txn_id) AS keys
FROM p WHERE inv <> ''
GROUP BY payee, amount, inv HAVING count(*) >= 2
ORDER BY keys;
