# test_detect_explain.sh - `--explain` shows, under each finding, the stored rows its
# evidence keys name: for every detector of `detect --list` over a generated store
# (every table gen writes), each evidence row's key column holds that key.  Rules
# that load only some rows (a role filter, an amount range, a semi-join) index
# their loaded rows; the evidence must still name rows of the stored table.  Also
# A1's default (both parts in one set, each finding naming its own table).
source "$(dirname "$0")/lib.sh"
export LC_ALL=C
ferret gen gen --rows 30000 --seed 5 --compress none >/dev/null
for t in payments entities relations approvals posts tenders bids subsidies; do
  ferret ingest st "$t" "gen/$t.csv" --quiet
done
ferret detect --list | awk '/^[A-Z][0-9]+ / { print $1 }' >dets.txt
check "detect --list names the rules" test "$(wc -l <dets.txt)" -ge 20
# prints "N findings" when every explained row carries its finding's key, else the first mismatch
cat >check.mjs <<'JS'
import { readFileSync } from 'node:fs';
let n = 0, bad = null;
for (const line of readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line) continue;
  const f = JSON.parse(line), ev = f.evidence;
  n++;
  if (!Array.isArray(ev.rows) || ev.rows.length !== ev.values.length) { bad ??= `finding ${f.id}: ${ev.values.length} keys, rows ${JSON.stringify(ev.rows)}`; continue; }
  ev.values.forEach((v, i) => {
    const got = ev.rows[i][ev.key];
    if (String(got) !== v) bad ??= `finding ${f.id}: key ${v} explained by a row whose ${ev.table}.${ev.key} is ${got}`;
  });
}
console.log(bad ?? `${n} findings`);
JS
total=0
while read -r det; do
  if ! ferret detect st "$det" --explain --format json >"$det.json" 2>err.txt; then
    fail "$det --explain: $(head -c 300 err.txt)"; continue
  fi
  verdict=$(node check.mjs "$det.json")
  case "$verdict" in
    *" findings") pass; total=$((total + ${verdict%% *})) ;;
    *) fail "$det --explain: $verdict" ;;
  esac
done <dets.txt
check "the rules explained some findings" test "$total" -gt 60

# A1 by default: the cases and the self-approved payments, each with its own table
ferret detect st A1 --format json >a1.json
ferret detect st A1 --set part=cases --format json >a1c.json
ferret detect st A1 --set part=payments --format json >a1p.json
check "A1 default = part=cases + part=payments" \
  cmp -s <(sort a1.json) <(sort a1c.json a1p.json)
contains a1.json '"evidence":{"table":"approvals","key":"case_id"' "A1 cases evidence table"
contains a1.json '"evidence":{"table":"payments","key":"txn_id"' "A1 payments evidence table"
expect_rc 0 "A1 table format, both parts" ferret detect st A1 --explain
contains out.txt '"txn_id":"T' "A1 explains a payment"
contains out.txt '"case_id":"C' "A1 explains a case event"
# a store of an event log alone: the cases part
ferret ingest log approvals gen/approvals.csv --quiet
expect_rc 0 "A1 without a payments table" ferret detect log A1 --format csv
check "A1 without payments = its cases part" cmp -s out.txt <(ferret detect st A1 --set part=cases --format csv)
expect_rc 2 "A1 naming a missing payments table" ferret detect log A1 --set payments=spend
contains err.txt 'no table "spend"' "A1 missing payments table message"
finish
