# test_detect_cli.sh - `ferret detect`'s command line: --list, the output formats,
# --explain, --set (tunables, column and table re-mapping) and its errors, missing
# tables and columns, empty tables: clear messages and exit statuses, never a crash.
source "$(dirname "$0")/lib.sh"
export LC_ALL=C
ferret gen gen --rows 20000 --seed 3 --compress none >/dev/null
for t in payments entities relations; do ferret ingest st "$t" "gen/$t.csv" --quiet; done

expect_rc 0 "--list" ferret detect --list
for name in duplicate_payment near_duplicate_payment split_payment benford round_trip pass_through \
            scatter_gather off_hours year_end_spike amount_outlier related_party new_vendor_large; do
  contains out.txt "$name" "--list names $name"
done
contains out.txt "100000.00" "--list shows defaults"
contains out.txt "mad_limit" "--list shows parameters"
expect_rc 0 "--help" ferret detect --help
contains out.txt "--set NAME=VALUE" "--help text"

# formats
expect_rc 0 "table format" ferret detect st F3
contains out.txt "findings of split_payment" "table footer"
contains out.txt "subject" "table header"
expect_rc 0 "csv format" ferret detect st split_payment --format csv
contains out.txt "detector,id,score,subject,org,summary,first_ts,last_ts,evidence_table,evidence_key,n_evidence,evidence,details" "csv header"
expect_rc 0 "json format" ferret detect st F3 --format json
contains out.txt '"detector":"split_payment"' "json detector"
contains out.txt '"evidence":{"table":"payments","key":"txn_id","values":["T' "json evidence"
contains out.txt '"first_ts":"20' "json first_ts"
n_json=$(wc -l <out.txt)
expect_rc 0 "explain json" ferret detect st F3 --format json --explain
contains out.txt '"rows":[{"txn_id":"T' "explain rows in json"
expect_rc 0 "explain table" ferret detect st F3 --explain
contains out.txt '    {"txn_id":"T' "explain rows in table"
expect_rc 2 "explain with csv" ferret detect st F3 --explain --format csv
expect_rc 2 "bad format" ferret detect st F3 --format xml
contains err.txt "unknown --format" "bad format message"

# ids are stable across runs
ferret detect st F3 --format json | perl -ne 'print "$1\n" if /"id":"([0-9a-f]+)"/' >ids1.txt
ferret detect st F3 --format json --threads 1 | perl -ne 'print "$1\n" if /"id":"([0-9a-f]+)"/' >ids2.txt
check "ids stable" cmp -s ids1.txt ids2.txt
check "one id per finding" test "$(sort -u ids1.txt | wc -l)" = "$n_json"

# parameters
expect_rc 2 "unknown parameter" ferret detect st F3 --set thresold=5
contains err.txt 'has no parameter "thresold"; valid parameters: threshold, floor, window_days' "lists valid names"
expect_rc 2 "bad decimal" ferret detect st F3 --set threshold=lots
contains err.txt "is not a decimal amount" "bad decimal message"
expect_rc 2 "bad integer" ferret detect st F2 --set window_days=-1
contains err.txt "is not an integer from 0" "bad integer message"
expect_rc 2 "bad ratio" ferret detect st F6 --set ratio=0.9x
expect_rc 2 "bad real" ferret detect st F10 --set z=nan
expect_rc 2 "bad date list" ferret detect st F8 --set holidays=2024-13-01
contains err.txt "is not a date" "bad date message"
expect_rc 0 "holiday list" ferret detect st F8 --set holidays=2024-01-01,2024-02-10 --format json
expect_rc 2 "set without =" ferret detect st F3 --set threshold
expect_rc 2 "min_len > max_len" ferret detect st F5 --set min_len=4 --set max_len=3
contains err.txt "min_len" "min_len message"
# a tunable changes the result: F12's decoy "registered 91 days before" is found with days=91
base=$(ferret detect st F12 --format json | wc -l)
more=$(ferret detect st F12 --set days=91 --format json | wc -l)
check "days=91 finds more new vendors ($base -> $more)" test "$more" -gt "$base"

# detectors, tables, columns
expect_rc 2 "unknown detector" ferret detect st F13
contains err.txt "known: F1 (duplicate_payment)" "unknown detector lists the catalogue"
expect_rc 2 "missing store" ferret detect no_such_store F1
expect_rc 2 "missing table" ferret detect st F1 --set payments=paymnts
contains err.txt 'did you mean "payments"' "missing table suggestion"
expect_rc 2 "missing column" ferret detect st F1 --set payee=vendor_id
contains err.txt 'no column "vendor_id" for parameter payee' "missing column message"
expect_rc 2 "wrong column type" ferret detect st F2 --set amount=payee
contains err.txt "expects decimal(18,2) or int64" "wrong type message"
expect_rc 2 "missing entities table" ferret detect st F12 --set entities=people
expect_rc 2 "usage: no detector" ferret detect st
expect_rc 2 "--list with arguments" ferret detect --list st

# re-mapped columns and table: the same findings under other names
head -1 gen/payments.csv | sed 's/payee/vendor_id/; s/amount/paid/; s/txn_id/tx/' >spend.csv
tail -n +2 gen/payments.csv >>spend.csv
ferret ingest st spend spend.csv --quiet
ferret detect st F1 --format csv | cut -d, -f2 | sort >orig.txt
expect_rc 0 "remapped F1" ferret detect st F1 --set payments=spend --set payee=vendor_id --set amount=paid \
  --set txn_id=tx --format csv
cut -d, -f2 out.txt | sort >remap.txt
check "remapped columns give the same findings" cmp -s orig.txt remap.txt
contains out.txt ",spend,tx," "evidence names the mapped table and key"

# empty tables (canonical names, so canonical types): no findings, exit 0
ok=1
for t in payments entities relations; do
  head -1 "gen/$t.csv" >"empty_$t.csv"
  ferret ingest est "$t" "empty_$t.csv" --quiet >/dev/null 2>&1 || ok=0
done
if [ "$ok" = 1 ]; then
  for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
    expect_rc 0 "F$n on an empty table" ferret detect est "F$n" --format json
    check "F$n on an empty table: no findings" test ! -s out.txt
  done
  expect_rc 0 "empty table, table format" ferret detect est F3
  contains out.txt "(0 findings of split_payment over 0 rows of payments)" "empty table footer"
else
  echo "SKIP (empty table): ingest refuses a header-only file" >&2
fi
# a table of another type: a clear error naming the column and the types expected
head -1 gen/payments.csv >strings.csv
ferret ingest st strings_only strings.csv --quiet
expect_rc 2 "string-typed ts" ferret detect st F2 --set payments=strings_only
contains err.txt "column strings_only.ts (parameter ts) is string; near_duplicate_payment expects timestamp or date" "type message"
finish
