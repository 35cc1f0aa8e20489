# test_cardinal.sh - `ferret ingest --format ocds` and `ferret detect STORE cardinal`
# against cardinal-rs's own indicator fixtures (shared/data/ocds-cardinal-fixtures):
# every indicators/<NAME>.jsonl is ingested, run with the settings its file name
# encodes (plus the two global settings cardinal-rs's harness sets) and compared
# with <NAME>.expected as maps with exact numbers.  Also: gzip / zstd input, and
# invalid lines reported with their line number and skipped.
source "$(dirname "$0")/lib.sh"
fixtures="${FERRET_SHARED_DATA:-/nonexistent}/ocds-cardinal-fixtures/indicators"
if [ ! -d "$fixtures" ]; then echo "SKIP: $fixtures is absent" >&2; exit 77; fi
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to compare JSON maps" >&2; exit 77; }

# settings NAME: the INI file cardinal-rs's harness builds from a fixture name.
settings() {
  python3 - "$1" <<'PY'
import sys
parts = sys.argv[1].split('-')
ind = parts[0]
print('no_price_comparison_procurement_methods = NPC')
print('[exclusions]')
print('procurement_method_details = EXC')
if len(parts) == 1:
    print('[%s]' % ind)
elif len(parts) == 3:
    print('[%s]' % ind)
    print('%s = %s' % (parts[1], parts[2].replace('+', '|')))
else:
    print('[%s]' % ind)
    print('[%s.%s]' % (ind, parts[1]))
    rest = parts[2:]
    for k in range(0, len(rest) - 1, 2):
        print('%s = %s' % (rest[k], rest[k + 1].replace('+', '|')))
PY
}

same_map() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b else 1)
PY
}

passed_names=""
for f in "$fixtures"/*.jsonl; do
  name=$(basename "$f" .jsonl)
  settings "$name" >"$name.ini"
  rm -rf "st-$name"
  expect_rc 0 "$name: ingest" ferret ingest "st-$name" ocds "$f" --format ocds --quiet
  if ! ferret detect "st-$name" cardinal --settings "$name.ini" >"$name.out" 2>err.txt; then
    fail "$name: detect cardinal failed: $(head -c 300 err.txt)"; continue
  fi
  if same_map "$name.out" "${f%.jsonl}.expected"; then pass; passed_names="$passed_names $name"; else
    fail "$name: result differs: ours $(cat "$name.out") expected $(tr -d ' \n' <"${f%.jsonl}.expected")"
  fi
done
echo "fixtures passing:$passed_names"

# compressed input gives the same tables; invalid lines are reported and skipped
f="$fixtures/R035.jsonl"
gzip -c "$f" >r035.jsonl.gz
expect_rc 0 "gzip input" ferret ingest st-gz ocds r035.jsonl.gz --format ocds --quiet
ferret query st-gz "select count(*) from ocds_bids" --format csv >gz.csv
ferret query st-R035 "select count(*) from ocds_bids" --format csv >plain.csv
check "gzip input: same bids" cmp -s gz.csv plain.csv
if command -v zstd >/dev/null; then
  zstd -q -c "$f" >r035.jsonl.zst
  expect_rc 0 "zstd input" ferret ingest st-zst ocds r035.jsonl.zst --format ocds --quiet
  ferret query st-zst "select count(*) from ocds_bids" --format csv >zst.csv
  check "zstd input: same bids" cmp -s zst.csv plain.csv
fi
printf '{"ocid":"A","tender":{"numberOfTenderers":1,"procurementMethod":"open"}}\n{"ocid": broken\n\n[1,2]\n{"no":"ocid"}\n{"ocid":"B"}\n' >bad.jsonl
expect_rc 2 "invalid lines: exit 2, the rest stored" ferret ingest st-bad ocds bad.jsonl --format ocds
contains err.txt "bad.jsonl:2: line 2 is invalid JSON" "line 2 named"
contains err.txt "bad.jsonl:4: line 4 is not a JSON object" "line 4 named"
contains err.txt "bad.jsonl:5: line 5 has no string" "line 5 named"
contains out.txt "reconciliation 5 = 2 + 3  ok" "blank lines are not rows"
expect_rc 0 "cardinal over the good lines" ferret detect st-bad cardinal
contains out.txt '"A":{"R018":1.0}' "R018 on the stored process"
expect_rc 2 "--strict refuses a file with invalid lines" ferret ingest st-strict ocds bad.jsonl --format ocds --strict
expect_rc 2 "cardinal: a bad --set" ferret detect st-bad cardinal --set foo=1
expect_rc 2 "cardinal: no such prefix" ferret detect st-bad cardinal --set prefix=nosuch
finish
