# test_detect_real.sh - the fund-flow detectors on real public data (../shared/data;
# skipped, saying so, where absent): Oxford City Council's payments over 500 GBP
# (2014-2016, twelve quarterly files whose column names drift) and IBM AMLSim's
# transfer graphs with planted cycles and fan-ins.  Each run must succeed (or fail
# with the documented "missing column/table" error where the data has no such
# column) and give the counts documented in engine/detect/README.md.
# DuckDB only normalises the inputs: the quarterly files are stacked by position and
# the dd/mm/yyyy dates rewritten as ISO dates; AMLSim's integer time steps become
# days from 2017-01-01 and each transfer gets a key.  Column names stay the
# publishers' and are mapped with --set.
source "$(dirname "$0")/lib.sh"
need_shared
src="${FERRET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
peer="$src/bench/duckdb_peer.mjs"
if [ ! -d "$src/bench/node_modules/@duckdb" ]; then
  echo "SKIP: DuckDB peer not installed (needed to normalise the real inputs)" >&2
  exit 77
fi
data=$FERRET_SHARED_DATA
export LC_ALL=C

# expect_count DESCRIPTION WANT ARGS...: ferret detect ARGS --format json finds WANT.
expect_count() {
  local what=$1 want=$2; shift 2
  if ! ferret detect "$@" --format json >out.json 2>err.txt; then
    fail "$what: exit status, stderr: $(head -c 300 err.txt)"; return
  fi
  local got; got=$(wc -l <out.json)
  echo "  $what: $got findings"
  if [ "$got" = "$want" ]; then pass; else fail "$what: $got findings, documented $want"; fi
}

# --- Oxford City Council spend over 500 GBP --------------------------------------
sel=""
for f in "$data"/uk-oxford-spend-over-500/*.csv; do
  q="SELECT body, unit, category, code, try_strptime(paid, '%d/%m/%Y')::DATE AS paid_date, trans_no,
            TRY_CAST(replace(amount, ',', '') AS DECIMAL(18,2)) AS amount, supplier_id, supplier_name
     FROM read_csv('$f', header = true, all_varchar = true,
                   names = ['body','unit','category','code','paid','trans_no','amount','type','supplier_id','supplier_name'])"
  sel="${sel:+$sel UNION ALL }$q"
done
node "$peer" query --threads 2 --sql "SELECT * FROM ($sel) ORDER BY trans_no, paid_date, supplier_name, amount" \
  --format csv >oxford.csv
expect_rc 0 "ingest oxford" ferret ingest ox oxford oxford.csv --quiet
echo "Oxford City Council, $(($(wc -l <oxford.csv) - 1)) payments:"
OX=(--set payments=oxford --set txn_id=trans_no --set ts=paid_date --set amount=amount)
expect_count "F1 duplicate_payment (invoice = trans_no)" 2 ox F1 "${OX[@]}" --set payee=supplier_name \
  --set org=unit --set invoice_no=trans_no
expect_count "F2 near_duplicate_payment" 568 ox F2 "${OX[@]}" --set payer=body --set payee=supplier_name --set org=unit
expect_count "F3 split_payment" 4 ox F3 "${OX[@]}" --set org=unit --set payee=supplier_name
expect_count "F3 split_payment, threshold 25000.00" 16 ox F3 "${OX[@]}" --set org=unit --set payee=supplier_name \
  --set threshold=25000.00
expect_count "F4 benford by service area" 4 ox F4 "${OX[@]}" --set group_by=unit
expect_count "F4 benford, whole council (two spellings of the body)" 2 ox F4 "${OX[@]}" --set group_by=body
expect_count "F5 round_trip" 0 ox F5 "${OX[@]}" --set payer=body --set payee=supplier_name --set org=unit
expect_count "F6 pass_through" 0 ox F6 "${OX[@]}" --set payer=body --set payee=supplier_name --set org=unit
expect_count "F7 scatter_gather" 0 ox F7 "${OX[@]}" --set payer=body --set payee=supplier_name --set org=unit
expect_count "F9 year_end_spike" 1 ox F9 "${OX[@]}" --set org=unit
expect_count "F10 amount_outlier" 683 ox F10 "${OX[@]}" --set org=unit --set payee=supplier_name --set budget_code=code
expect_rc 2 "F8 without an approver column" ferret detect ox F8 "${OX[@]}" --set org=unit
contains err.txt 'no column "approver" for parameter approver' "F8: missing approver named"
expect_rc 2 "F12 without an entities table" ferret detect ox F12 "${OX[@]}" --set payee=supplier_name --set org=unit
contains err.txt 'no table "entities"' "F12: missing entities named"

# --- AMLSim transfer graphs -------------------------------------------------------
for set in 20K_cycle200 20K_fanin200; do
  f="$data/amlsim-samples/$set/transactions.csv"
  [ -f "$f" ] || { echo "SKIP ($set): absent" >&2; continue; }
  node "$peer" query --threads 2 --format csv --sql "
    SELECT 'TX' || lpad(CAST(row_number() OVER (ORDER BY time, sourceNodeId, targetNodeId, value) AS VARCHAR), 7, '0') AS tx,
           TIMESTAMP '2017-01-01' + to_days(CAST(time AS INTEGER)) AS ts,
           CAST(sourceNodeId AS VARCHAR) AS src, CAST(targetNodeId AS VARCHAR) AS dst, CAST(value AS DECIMAL(18,2)) AS value
    FROM read_csv('$f', header = true) ORDER BY tx" >"$set.csv"
  expect_rc 0 "ingest $set" ferret ingest aml "$set" "$set.csv" --quiet
  echo "AMLSim $set, $(($(wc -l <"$set.csv") - 1)) transfers:"
  AM=(--set payments=$set --set txn_id=tx --set payer=src --set payee=dst --set amount=value --set org=src)
  case $set in
    20K_cycle200) want5=9 want6=10197 want7=0 ;;
    *) want5=13 want6=10452 want7=0 ;;
  esac
  expect_count "$set F5 round_trip, min_amount 100.00" "$want5" aml F5 "${AM[@]}" --set min_amount=100.00
  expect_count "$set F6 pass_through, min_amount 100.00" "$want6" aml F6 "${AM[@]}" --set min_amount=100.00
  expect_count "$set F7 scatter_gather" "$want7" aml F7 "${AM[@]}"
  if [ "$set" = 20K_cycle200 ]; then
    expect_count "$set F5 round_trip, min_amount 0, tolerance 0.5" 71 aml F5 "${AM[@]}" --set min_amount=0 \
      --set tolerance=0.5
    # how many cycle origins are accounts AMLSim labels as fraudulent
    perl -ne 'print "$1\n" if /"subject":"([^"]*)"/' out.json | sort -u >origins.txt
    awk -F, 'NR > 1 && $2 == 1 { print $1 }' "$data/amlsim-samples/$set/nodes.csv" | sort >fraud.txt
    echo "  ($(wc -l <origins.txt) distinct origins, $(comm -12 origins.txt fraud.txt | wc -l) of them labelled fraud)"
  fi
done
finish
