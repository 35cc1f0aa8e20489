#!/usr/bin/env bash
# test_scan.sh - `ferret scan`, the nightly scan (engine/scan/README.md).
#
# A three-night simulation on `ferret gen` data: the payments are cut by date
# (night 1 up to 2024-05-08, night 2 the day 2024-05-09, night 3 the rest; every
# other table on night 1).  Each night the scan's new finding ids must equal
# exactly the ids that `ferret detect` finds over the whole store that night and
# did not find on any earlier night (every detector of the catalogue), including
# the planted split payment whose parts lie on both sides of midnight; a second
# run of a night reports nothing new; scans killed at random points and re-run
# leave the same findings store as an uninterrupted scan.  Also: rule-pack
# errors with line numbers, exit statuses, the lock, and the report in headless
# Chromium when it is installed.
source "$(dirname "$0")/lib.sh"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

ferret gen g --rows 20000 --seed 7 --compress none >/dev/null
ferret ingest all payments g/payments.csv --quiet
q() { ferret query all "SELECT * FROM payments WHERE $1 ORDER BY txn_id" --format csv; }
q "ts < CAST('2024-05-09' AS TIMESTAMP)" >day1.csv
q "ts >= CAST('2024-05-09' AS TIMESTAMP) AND ts < CAST('2024-05-10' AS TIMESTAMP)" >day2.csv
q "ts >= CAST('2024-05-10' AS TIMESTAMP)" >day3.csv
rows() { echo $(($(wc -l <"$1") - 1)); }
check "the three days hold every payment" test $(($(rows day1.csv) + $(rows day2.csv) + $(rows day3.csv))) = 20000

for t in entities relations posts approvals tenders bids subsidies; do
  ferret ingest st "$t" "g/$t.csv" --quiet
done

detectors=$(ferret detect --list | sed -nE 's/^([A-Z][0-9]+) .*/\1/p')
n_detectors=$(echo "$detectors" | wc -l)
ids_of() { sed -nE 's/^\{"detector":"[^"]*","id":"([0-9a-f]{16})".*/\1/p' "$@" | sort -u; }
: >seen.ids

# night N DAYFILE: ingest the day, list what `detect` finds over the whole
# store, scan, and compare the scan's new ids with what is new to detect.
night() {
  local n=$1 day=$2 rc=0
  ferret ingest st payments "$day" --quiet
  [ "$n" = 2 ] && cp -a st st_ingested2 # for the kill test: day 2 ingested, not scanned
  : >detect$n.json
  for d in $detectors; do ferret detect st "$d" --format json >>detect$n.json; done
  ids_of detect$n.json >all$n.ids
  comm -23 all$n.ids seen.ids >expect$n.ids
  ferret scan st --out out$n --fail-on-findings >scan$n.txt 2>scan$n.err || rc=$?
  if [ -s expect$n.ids ]; then
    check "night $n: exit 1 with new findings (got $rc)" test "$rc" = 1
  else
    check "night $n: exit 0 without new findings (got $rc)" test "$rc" = 0
  fi
  grep '"status":"new"' out$n/findings.json | ids_of >new$n.ids || true
  if cmp -s new$n.ids expect$n.ids; then pass; else
    fail "night $n: new ids differ from detect's (< scan, > expected): $(diff new$n.ids expect$n.ids | head -20)"
  fi
  sort -u seen.ids all$n.ids -o seen.ids
}

night 1 day1.csv
check "night 1 found planted cases" test "$(wc -l <new1.ids)" -gt 40
check "night 1: every rule ran over the whole table" grep -q "first scan of this rule" scan1.txt
# the split payment 2024-05-07 11:15 + 2024-05-09 03:15 is not complete yet
check "night 1: no split across midnight yet" bash -c '! grep -q "\"values\":\[\"T000000012907\",\"T000000012978\"\]" out1/findings.json'

night 2 day2.csv
check "night 2: the split payment spanning midnight is new" \
  grep -q '"values":\["T000000012907","T000000012978"\].*"status":"new"' out2/findings.json
check "night 2: split_payment read a window, not the table" \
  grep -qE '^  split_payment +F3 +window ' scan2.txt
check "night 2: duplicate_payment re-read the whole table" grep -qE '^  duplicate_payment +F1 +full ' scan2.txt
check "night 2: night-1 findings are still open, not new" \
  test "$(grep -c '"status":"open"' out2/findings.json)" -ge "$(wc -l <new1.ids)"
cp -a st st_after2

# re-running night 2 reports nothing new and reads nothing
expect_rc 0 "night 2 again: exit 0" ferret scan st --out out2b --fail-on-findings
contains out.txt "0 new findings" "night 2 again: nothing new"
check "night 2 again: every rule unchanged" bash -c "! grep -E '^  ' out.txt | grep -vq unchanged"
check "night 2 again: no new finding in findings.json" bash -c '! grep -q "\"status\":\"new\"" out2b/findings.json'

night 3 day3.csv
# the near-duplicate run 05-06, 05-08 (night 1: two rows) grows by 05-10
check "night 3: the grown near-duplicate run is new and replaces the night-1 one" \
  grep -qE '"values":\["T000000012875","T000000012958","T000000013043"\].*"status":"new".*"supersedes":"[0-9a-f]{16}"' \
  out3/findings.json
contains scan3.txt "1 closed" "night 3: the replaced finding was closed"

# the findings store after three nights equals a --full rescan's view
cp -a st st_full
ferret scan st_full --full --out outfull >/dev/null
check "--full after three nights finds nothing new" bash -c '! grep -q "\"status\":\"new\"" outfull/findings.json'
check "--full: open findings equal those detect finds now" \
  bash -c "grep -v '\"status\":\"closed\"' outfull/findings.json | sed -nE 's/^\{\"detector\":\"[^\"]*\",\"id\":\"([0-9a-f]{16})\".*/\1/p' | sort -u | cmp -s - all3.ids"

# --since: rows from a date on count as new; nothing new to report
expect_rc 0 "--since a date" ferret scan st --since 2024-05-01 --out outsince
contains out.txt "0 new findings" "--since: already reported findings stay reported"
check "--since: split_payment read a window" grep -qE '^  split_payment +F3 +window ' out.txt

# ---- killed scans ----------------------------------------------------------------
norm() { grep -vE '^\{"(ferret_findings|scan|end)"' "$1" | sed -E 's/"(first_seen_us|last_seen_us|closed_us)":[0-9]+//g'; }
norm st_after2/findings/FINDINGS >want.norm
# an uninterrupted night-2 scan takes about 0.1-0.2 s here: kill inside that span,
# at fixed and at random points
delays="0.005 0.01 0.02 0.03 0.05 0.07 0.09 0.12 0.16"
for k in 1 2 3 4; do delays="$delays 0.$(printf %03d $((RANDOM % 200)))"; done
for delay in $delays; do
  rm -rf sk
  cp -a st_ingested2 sk
  rc=0
  timeout -s KILL "$delay" "$FERRET" scan sk --threads 1 --out ok >/dev/null 2>&1 || rc=$?
  timeout -s KILL "$delay" "$FERRET" scan sk --threads 1 --out ok >/dev/null 2>&1 || true
  ferret scan sk --out ok >/dev/null
  norm sk/findings/FINDINGS >got.norm
  if cmp -s got.norm want.norm; then pass; else fail "scan killed after ${delay}s (rc $rc): findings store differs"; fi
  check "killed after ${delay}s: no temporary file left" test ! -e sk/findings/FINDINGS.tmp
  check "killed after ${delay}s: store still verifies" "$FERRET" verify sk
done >/dev/null

# a damaged findings store is refused, not silently replaced
cp -a st_after2 sd
sed -i '0,/^{"finding"/s/"score":/"score":1/' sd/findings/FINDINGS
expect_rc 3 "damaged findings store: exit 3" ferret scan sd
contains err.txt "FINDINGS is damaged" "damaged findings store named"

# ---- rule packs -------------------------------------------------------------------
ferret scan --print-default-rules >default.rules
expect_rc 0 "the default pack parses" ferret scan --check --rules default.rules
contains out.txt "$n_detectors rules, ok" "the default pack covers every detector of the catalogue"
for d in $detectors; do grep -qx "detector = $d" default.rules || fail "default pack lacks $d"; done
cat >night.rules <<'EOF'
# a small pack
[defaults]
owner = procurement-desk
severity = medium

[splits]
detector = F3
severity = high
threshold = 100000.00

[cycles]
detector = round_trip
max_len = 3
EOF
cp -a st_after2 sp
rm -rf sp/findings
expect_rc 0 "a custom pack runs" ferret scan sp --rules night.rules --out outpack
contains out.txt "splits" "custom rule listed"
contains outpack/findings.json '"owner":"procurement-desk"' "owner from [defaults]"
cat >bad.rules <<'EOF'
[defaults]
colour = blue

[splits]
detector = F3
threshold = lots
window_days = 7
window_days = 8

[nothing]
detector = F99

loose line
[cycles]
detector = round_trip
bogus_param = 1
severity = extreme
EOF
cp st_after2/findings/FINDINGS findings.before
expect_rc 2 "bad rule pack: exit 2" ferret scan st_after2 --rules bad.rules
contains err.txt "bad.rules:2:" "[defaults] key error has its line"
contains err.txt "bad.rules:6: rule [splits]: parameter threshold" "bad value has its line"
contains err.txt "bad.rules:8:" "duplicate key has its line"
contains err.txt "bad.rules:11: unknown detector \"F99\"" "unknown detector has its line"
contains err.txt "bad.rules:13:" "stray line has its line"
contains err.txt "bad.rules:16: rule [cycles]: round_trip has no parameter \"bogus_param\"" "unknown parameter named"
contains err.txt "bad.rules:17:" "bad severity has its line"
contains err.txt "nothing was run" "nothing runs on a bad pack"
check "bad pack: findings store untouched" cmp -s findings.before st_after2/findings/FINDINGS
expect_rc 2 "missing rule pack" ferret scan st_after2 --rules nope.rules
expect_rc 2 "empty rule pack" ferret scan --check --rules /dev/null

# ---- usage, exit statuses, the lock -----------------------------------------------
expect_rc 2 "no store" ferret scan nostore
contains err.txt "no store at nostore" "missing store named"
expect_rc 2 "bad --since" ferret scan st --since yesterday
expect_rc 2 "--full with --since" ferret scan st --full --since last
expect_rc 0 "scan --help" ferret scan --help
flock st/LOCK sleep 3 &
sleep 0.5
expect_rc 3 "locked store with --no-wait: exit 3" ferret scan st --no-wait
contains err.txt "locked" "the lock is named"
expect_rc 0 "locked store: scan waits for the lock" ferret scan st --out outwait
wait

# a scan and an ingest of the same table at once: one waits for the other
cp -a st_ingested2 sc
rc_scan=0 rc_ingest=0
"$FERRET" scan sc --out occ >/dev/null 2>&1 &
pid_scan=$!
"$FERRET" ingest sc payments day3.csv --quiet >/dev/null 2>&1 &
pid_ingest=$!
wait $pid_scan || rc_scan=$?
wait $pid_ingest || rc_ingest=$?
check "scan beside an ingest: both succeed (scan $rc_scan, ingest $rc_ingest)" test "$rc_scan$rc_ingest" = 00
check "scan beside an ingest: the store verifies" bash -c "\"\$FERRET\" verify sc >/dev/null"
expect_rc 0 "scan beside an ingest: the next scan runs" ferret scan sc --out occ2
check "scan beside an ingest: every row is covered once" \
  test "$(ferret query sc "SELECT count(*) FROM payments" --format csv | tail -1)" = 20000

# ---- the report ---------------------------------------------------------------------
html=out2/report.html
n_json=$(wc -l <out2/findings.json)
check "report: one <details> per finding of findings.json" \
  test "$(grep -c '<details class="finding"' "$html")" = "$n_json"
check "report: new count equals findings.json's" \
  grep -q "data-new=\"$(grep -c '"status":"new"' out2/findings.json)\"" "$html"
check "report: self-contained (no http, no script)" bash -c "! grep -qiE 'https?://|<script|<link ' $html"
check "report: inline SVG charts" test "$(grep -c '<svg' "$html")" -gt 3
check "report: findings.csv has a row per finding" test "$(($(wc -l <out2/findings.csv) - 1))" -ge "$n_json"
if command -v chromium >/dev/null 2>&1; then
  chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 --dump-dom "file://$PWD/$html" \
    >dom.html 2>chromium.err || true
  check "chromium: the DOM holds every finding" test "$(grep -c '<details class="finding"' dom.html)" = "$n_json"
  check "chromium: no console errors" bash -c "! grep -qiE 'CONSOLE.*(error|uncaught)' chromium.err"
  chromium --headless --no-sandbox --disable-gpu --window-size=1280,2400 --screenshot="$PWD/report.png" \
    "file://$PWD/$html" >/dev/null 2>&1 || true
  check "chromium: screenshot taken" test -s report.png
  [ -n "${FERRET_SCAN_SCREENSHOT:-}" ] && cp report.png "$FERRET_SCAN_SCREENSHOT"
else
  echo "SKIP: chromium is not installed; the report was checked as text only" >&2
fi
finish
