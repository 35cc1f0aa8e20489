#!/usr/bin/env bash
# sample_payments.sh ROWS - writes a small synthetic payments CSV (canonical
# schema) to stdout with awk: a stand-in used only where `ferret gen` is not built.
set -euo pipefail
rows=${1:-100000}
awk -v rows="$rows" 'BEGIN {
  srand(7); OFS = ","
  print "txn_id,ts,org,payer,payee,amount,currency,budget_code,requester,approver,invoice_no,contract_id,case_id,memo"
  for (i = 0; i < rows; i++) {
    day = int(i * 730 / rows)
    month = 1 + int(day / 28) % 12; dom = 1 + day % 28; year = 2023 + int(day / 336)
    ts = sprintf("%04d-%02d-%02d %02d:%02d:%02d", year, month, dom, 8 + int(rand() * 9), int(rand() * 60), int(rand() * 60))
    org = sprintf("ORG-%04d", int(200 * rand() ^ 3))
    memo = rand() < 0.1 ? "\"office supplies, \"\"urgent\"\"\"" : (rand() < 0.5 ? "办公用品" : "routine payment")
    print sprintf("T%012d", i), ts, org, "ACC-" org, sprintf("V-%07d", int(50000 * rand() ^ 2)),
          sprintf("%.2f", exp(rand() * 12)), "CNY", sprintf("B%03d", int(rand() * 300)),
          sprintf("P-%05d", int(rand() * 2000)), sprintf("P-%05d", int(rand() * 2000)),
          sprintf("INV-%09d", i), sprintf("K-%06d", int(rand() * 10000)), sprintf("C%010d", i), memo
  }
}'
