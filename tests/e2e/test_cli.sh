# test_cli.sh - the command line contract: help, usage errors and exit codes,
# JSON lines, --schema, appends, stdin, multi-file ingest, info --format json,
# identical results at 1 and 2 threads.
source "$(dirname "$0")/lib.sh"

expect_rc 0 "ferret --help" "$FERRET" --help
contains out.txt "ingest STORE TABLE FILE" "main help lists ingest"
for cmd in ingest info export verify; do
  expect_rc 0 "$cmd --help" "$FERRET" "$cmd" --help
  contains out.txt "usage: ferret $cmd" "$cmd help shows usage"
done
expect_rc 2 "no command" "$FERRET"
expect_rc 2 "unknown command" "$FERRET" frobnicate
contains err.txt 'unknown command "frobnicate"' "unknown command named"
expect_rc 2 "unknown option" "$FERRET" info x --bogus
contains err.txt "unknown option --bogus" "unknown option named"
expect_rc 2 "bad threads" "$FERRET" info x --threads zero
contains err.txt "--threads needs a number" "bad --threads explained"
expect_rc 2 "ingest without files" "$FERRET" ingest st t
contains err.txt "expected STORE TABLE FILE" "ingest usage"
expect_rc 2 "scan without a store" "$FERRET" scan st
contains err.txt "no store at st" "scan names the missing store"

# A missing input file: exit 2, and no store is created.
expect_rc 2 "missing input" "$FERRET" ingest newstore t does-not-exist.csv
contains err.txt "does-not-exist.csv" "missing input named"
check "no store created for a missing input" test ! -e newstore
expect_rc 2 "info on no store" "$FERRET" info nostore
contains err.txt "no store at nostore" "missing store named"

cat >a.csv <<'CSV'
id,when,amount,flag,score,note
1,2024-01-01 10:00:00,10.50,true,1.125,first
2,2024-01-02,-0.25,false,2,"second, with comma"
CSV
cat >b.csv <<'CSV'
note,id,when,amount,flag,score
third,3,2024-01-03 00:00:01.25,7,true,3.25
CSV
expect_rc 0 "ingest a" "$FERRET" ingest st t a.csv
contains out.txt "rows stored    2" "rows stored printed"
contains out.txt "reconciliation 2 = 2 + 0  ok" "reconciliation printed"
contains out.txt "sum(amount) 10.25" "control total printed"
expect_rc 0 "append b (columns in another order)" "$FERRET" ingest st t b.csv
expect_rc 0 "export" "$FERRET" export st t
cat >want.csv <<'CSV'
id,when,amount,flag,score,note
1,2024-01-01 10:00:00,10.50,true,1.125,first
2,2024-01-02 00:00:00,-0.25,false,2,"second, with comma"
3,2024-01-03 00:00:01.250000,7.00,true,3.25,third
CSV
check "export equals the appended rows in input order" diff -u want.csv out.txt
expect_rc 0 "info json" "$FERRET" info st t --format json
contains out.txt '"name":"amount","type":"decimal(18,2)"' "inferred decimal"
contains out.txt '"name":"when","type":"timestamp"' "inferred timestamp"
contains out.txt '"name":"flag","type":"bool"' "inferred bool"
contains out.txt '"name":"score","type":"float64"' "inferred float"
contains out.txt '"control_totals":{"rows":3,"sum(amount)":"17.25"}' "control totals in info"
contains out.txt '"rows_read":1,"rows_stored":1' "history has the second ingest"
check "info json is valid JSON" node -e 'JSON.parse(require("fs").readFileSync("out.txt","utf8"))'

printf 'id,extra\n9,x\n' >c.csv
expect_rc 2 "append with other columns" "$FERRET" ingest st t c.csv
contains err.txt "header does not match table t" "schema mismatch explained"
contains err.txt "unexpected [extra]" "extra column named"
expect_rc 0 "row count unchanged" "$FERRET" info st t --format json
contains out.txt '"rows":3' "nothing appended after mismatch"

# --schema: all text, so ids keep leading zeros.
printf 'code string\nvalue int64\n' >s.schema
printf 'code,value\n007,1\n008,x\n' >d.csv
expect_rc 2 "schema ingest with a bad row" "$FERRET" ingest st2 codes d.csv --schema s.schema --rejects rej.csv
contains rej.csv "not an integer" "reject reason"
contains rej.csv 'd.csv,3,' "reject file and line"
expect_rc 0 "export codes" "$FERRET" export st2 codes
check "leading zeros kept" grep -qx '007,1' out.txt
printf 'code strng\n' >bad.schema
expect_rc 2 "bad schema file" "$FERRET" ingest st3 x d.csv --schema bad.schema
contains err.txt "bad.schema:1:" "schema error located"

# JSON lines, from standard input, and export --format json.
printf '{"id":"a","amount":1.10,"ts":"2024-01-01 00:00:00","n":3}\n{"id":"b","amount":null,"n":4}\n' >e.jsonl
expect_rc 0 "jsonl from stdin" bash -c "\"$FERRET\" ingest st4 payments - --format jsonl <e.jsonl"
expect_rc 0 "export json" "$FERRET" export st4 payments --format json
contains out.txt '{"id":"a","amount":1.10,"ts":"2024-01-01 00:00:00","n":3}' "json row 1"
contains out.txt '{"id":"b","amount":null,"ts":null,"n":4}' "json row 2 with NULLs"

# Several files in one ingest commit together; results identical at 1 and 2 threads.
bash "$FERRET_SOURCE_DIR/tools/sample_payments.sh" 300000 >p.csv
head -1 p.csv >p2.csv && tail -n 1000 p.csv >>p2.csv
for threads in 1 2; do
  expect_rc 0 "ingest at $threads threads" "$FERRET" ingest "mt$threads" payments p.csv p2.csv --threads "$threads"
  contains out.txt "ingested 2 files" "two files in one ingest"
  "$FERRET" export "mt$threads" payments --threads "$threads" >"export$threads.csv"
  "$FERRET" info "mt$threads" payments --format json | sed 's/"committed_at":"[^"]*"//g; s/"store":"[^"]*"//' >"info$threads.json"
done
check "export identical at 1 and 2 threads" cmp export1.csv export2.csv
check "info identical at 1 and 2 threads" cmp info1.json info2.json
check "row count" test "$(($(wc -l <export1.csv) - 1))" = 301000
expect_rc 0 "verify" "$FERRET" verify mt2
contains out.txt "301000 rows verified" "verify counts rows"

# OpenMP wait policy (tools/ferret_main.c): with none chosen, ferret executes
# itself once more with OMP_WAIT_POLICY=passive; a policy the user set is kept
# and nothing is re-executed.  libgomp shows its settings at start-up with
# OMP_DISPLAY_ENV (once per executed image); another runtime is skipped.
OMP_DISPLAY_ENV=true "$FERRET" --help >/dev/null 2>omp.txt
if grep -q "OMP_WAIT_POLICY = " omp.txt; then
  check "without a policy: two images, the second passive" \
    test "$(grep -c "OMP_WAIT_POLICY = " omp.txt)" = 2 -a "$(grep "OMP_WAIT_POLICY = " omp.txt | tail -1 | tr -d " ")" = "OMP_WAIT_POLICY='PASSIVE'"
  OMP_DISPLAY_ENV=true OMP_WAIT_POLICY=active "$FERRET" --help >/dev/null 2>omp.txt
  check "a policy the user set is kept, no re-execution" \
    test "$(grep "OMP_WAIT_POLICY = " omp.txt | tr -d " ")" = "OMP_WAIT_POLICY='ACTIVE'"
  OMP_DISPLAY_ENV=true GOMP_SPINCOUNT=1000 "$FERRET" --help >/dev/null 2>omp.txt
  check "GOMP_SPINCOUNT set: no re-execution" test "$(grep -c "OMP_WAIT_POLICY = " omp.txt)" = 1
  printf 'SELECT 41 + 1 AS answer;\n' | "$FERRET" shell mt2 >shell.txt 2>&1
  contains shell.txt "42" "a script on standard input survives the re-execution"
else
  echo "SKIP: this OpenMP runtime does not display OMP_WAIT_POLICY"
fi
finish
