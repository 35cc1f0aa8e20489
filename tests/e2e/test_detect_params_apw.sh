# test_detect_params_apw.sh - `ferret detect` A1-A7, P12-P14 and W1-W3 with
# NON-default parameters, remapped activity names, remapped columns and tables,
# and on hand-made adversarial data, each answer compared with DuckDB running the
# rule's reference SQL (tests/detect/{a,p,w}N_*.sql) with the same constants
# substituted (answers compared as multisets of evidence-key sets):
#  1. `ferret gen` data (seed 23): per detector 2-4 parameter sets; the approvals
#     log rewritten with other activity names (names with spaces, two names for
#     one role, decoys that carry another role's canonical name) and mapped back
#     with --set submit=/approve=/final=/pay=/return=/visit=/terminal=; the same log
#     with integer activity codes; every table under other table and column names;
#     org=* for A4 and A5;
#  2. hand-made logs: equal timestamps (input order decides, across two ingests),
#     cases with no / several submits, a terminal before the submit, NULL
#     case_id / ts / actor / org / service, durations exactly at the SLA, waits of
#     zero, a step share, actor median and case count exactly at the parameters,
#     even-count medians, top-20 evidence ties, a handover exactly `days` before
#     the next event, amounts exactly at min_amount, waits exactly min_seconds,
#     and their P / W counterparts (award windows exactly window_days, sums exactly
#     the threshold, share exactly met, validity periods' end days, month and year
#     boundaries, empty vs NULL contacts);
#  3. the same hand-made logs against the literal reading of DETECTORS.md, where
#     the reading is unambiguous (expected keys written out); rows where it leaves
#     room (ids N...) are compared with DuckDB only;
#  4. ratio parameters far above 1 (share, factor, min_rate = 9999999999) flag what
#     DuckDB flags with the same constant, or are refused (exit 2);
#  5. every answer is byte-identical at 1 and 2 threads.
# FERRET_PARAMS_ROWS (default 20000) sizes the generated data; FERRET_VERBOSE=1
# prints the number of findings of each comparison.
source "$(dirname "$0")/lib.sh"
src="${FERRET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
peer="$src/bench/duckdb_peer.mjs"
if [ ! -d "$src/bench/node_modules/@duckdb" ]; then
  if [ "${FERRET_REQUIRE_DUCKDB:-0}" = 1 ]; then echo "FAIL: DuckDB peer not installed" >&2; exit 1; fi
  echo "SKIP: DuckDB peer not installed (npm ci --prefix bench); every check here is differential" >&2
  exit 77
fi
rows=${FERRET_PARAMS_ROWS:-20000}
seed=23
verbose=${FERRET_VERBOSE:-0}
export LC_ALL=C

# keys_of JSONL: one line per finding, its evidence keys space-separated, sorted.
keys_of() { perl -ne 'print "$1\n" if /"values":\[([^\]]*)\]/' "$1" | tr -d '"' | tr ',' ' ' | sort; }
duck() { node "$peer" query --threads 2 "$@" --format csv; }

# sqlq OUT FILE [SED-EXPRESSION...]: tests/detect/FILE with each expression applied
# in turn; an expression that changes nothing is a failure (the reference moved).
sqlq() {
  local out=$1 f=$src/tests/detect/$2 e
  shift 2
  cp "$f" "$out"
  for e in "$@"; do
    case $e in
      s*) [ -n "$(sed -n -e "${e}p" "$out")" ] || fail "substitution '$e' matches nothing in $(basename "$f")" ;;
      *) sed -e "$e" "$out" | cmp -s - "$out" && fail "expression '$e' changes nothing in $(basename "$f")" ;;
    esac
    sed -i -e "$e" "$out"
  done
}

# DuckDB is started once per batch: `batch DUCKDB-LOAD-ARGS...` opens one, `same`
# adds a comparison to it (ferret runs at once), `flush` runs every reference query
# of the batch in one DuckDB session (each as a subquery tagged with its number) and
# compares.
batch() { bloads=("$@"); bn=0; : >batch.sql; rm -rf bq; mkdir bq; }

# same WHAT STORE DETECTOR [NAME=VALUE...] -- SQL-FILE: ferret's findings (at 2
# threads, equal to 1 thread) must have exactly the key sets of the rows of the
# reference query (checked at the next flush).  Leaves ferret's keys in ours.txt.
# With refusable=1 in its environment, refusing the parameters (exit 2, a message
# naming a parameter) passes too.
same() {
  local what=$1 store=$2 det=$3 rc=0
  shift 3
  local sets=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do sets+=(--set "$1"); shift; done
  local sql=$2
  : >ours.txt
  ferret detect "$store" "$det" "${sets[@]}" --format json --threads 2 >ours.json 2>err.txt || rc=$?
  if [ "$rc" = 2 ] && [ "${refusable:-0}" = 1 ] && grep -q "parameter" err.txt; then pass; return 0; fi
  if [ "$rc" != 0 ]; then fail "$what: ferret exit $rc: $(head -c 400 err.txt)"; return 0; fi
  ferret detect "$store" "$det" "${sets[@]}" --format json --threads 1 >ours1.json 2>/dev/null || true
  check "$what: identical at 1 and 2 threads" cmp -s ours.json ours1.json
  keys_of ours.json >ours.txt
  cp ours.txt "bq/$bn.ours"
  printf '%s\n' "$what" >"bq/$bn.what"
  { if [ "$bn" -gt 0 ]; then echo "UNION ALL"; fi
    echo "SELECT $bn AS tag, * FROM ("
    sed -e 's/;[[:space:]]*$//' "$sql"
    echo ")"; } >>batch.sql
  bn=$((bn + 1))
  return 0
}

flush() {
  local i what
  if [ "$bn" = 0 ]; then return 0; fi
  if ! duck "${bloads[@]}" --sql-file batch.sql >ref.csv 2>duck.err; then
    fail "DuckDB batch of $bn queries ($(cat bq/0.what) ...): $(head -c 600 duck.err)"; return 0
  fi
  for ((i = 0; i < bn; i++)); do
    what=$(cat "bq/$i.what")
    awk -v t="$i" 'NR > 1 { k = index($0, ","); if (substr($0, 1, k - 1) == t) print substr($0, k + 1) }' ref.csv |
      tr -d '"' | sort >"bq/$i.theirs"
    if diff -q "bq/$i.theirs" "bq/$i.ours" >/dev/null; then pass; else
      fail "$what: ferret differs from DuckDB (< DuckDB only, > ferret only): $(diff "bq/$i.theirs" "bq/$i.ours" | grep '^[<>]' | head -c 700)"
    fi
    if [ "$verbose" = 1 ]; then echo "  $what: ferret $(wc -l <"bq/$i.ours"), DuckDB $(wc -l <"bq/$i.theirs") findings" >&2; fi
  done
  bn=0
  return 0
}

# literal WHAT [KEY-LINE...]: the last ferret answer (ours.txt) is exactly these
# findings (one argument per finding, its keys space-separated and sorted), the
# literal reading of DETECTORS.md worked out by hand.
literal() {
  local what=$1
  shift
  if [ $# -gt 0 ]; then printf '%s\n' "$@" | sort >want.txt; else : >want.txt; fi
  if diff -q want.txt ours.txt >/dev/null; then pass; else
    fail "$what: ferret differs from DETECTORS.md read literally (< expected only, > ferret only): $(diff want.txt ours.txt | grep '^[<>]' | head -c 700)"
  fi
}

# renamed COLUMN-MAP FILE: FILE with its header's names replaced (old=new,...).
renamed() {
  local map=$1 file=$2
  perl -e 'my %m = map { split /=/, $_, 2 } split /,/, shift;
    my $h = <STDIN>; chomp $h; print join(",", map { exists $m{$_} ? $m{$_} : $_ } split /,/, $h), "\n";
    print while <STDIN>;' "$map" <"$file"
}

# ======================================================================================
# 1. generated data
# ======================================================================================
g=gen
ferret gen "$g" --rows "$rows" --seed "$seed" --compress none >/dev/null
for t in approvals payments posts tenders bids entities relations subsidies; do
  expect_rc 0 "ingest $t" ferret ingest s "$t" "$g/$t.csv" --quiet
done
LA=(--load "approvals=$PWD/$g/approvals.csv" --types approvals=canonical)
LPAY=(--load "payments=$PWD/$g/payments.csv" --types payments=canonical)
LPW=()
for t in tenders bids entities relations subsidies posts; do LPW+=(--load "$t=$PWD/$g/$t.csv" --types "$t=canonical"); done
batch "${LA[@]}" "${LPAY[@]}" "${LPW[@]}"
check "the generated approvals log has no quoted field" test "$(grep -c '"' "$g/approvals.csv" || true)" = 0

# ---- A: numeric parameters on the canonical store ------------------------------------
sqlq a1c.sql a1_self_approval.sql '/^UNION ALL$/,/^SELECT txn_id/d'
grep '^SELECT txn_id' "$src/tests/detect/a1_self_approval.sql" >a1p.sql
same "gen A1 part=cases" s A1 part=cases -- a1c.sql
same "gen A1 part=payments" s A1 part=payments -- a1p.sql

sqlq q.sql a3_sla_breach.sql 's/> 20 \* 86400000000/> 5 * 86400000000/'
same "gen A3 sla_days=5" s A3 sla_days=5 -- q.sql
sqlq q.sql a3_sla_breach.sql 's/> 20 \* 86400000000/> 1 * 86400000000/' \
  "s/SELECT max(epoch_us(ts)) AS as_of FROM approvals/SELECT epoch_us(TIMESTAMP '2023-06-01 00:00:00') AS as_of/"
same "gen A3 sla_days=1 as_of=2023-06-01" s A3 sla_days=1 as_of=2023-06-01 -- q.sql
sqlq q.sql a3_sla_breach.sql 's/> 20 \* 86400000000/> 3 * 86400000000/' \
  "s/SELECT max(epoch_us(ts)) AS as_of FROM approvals/SELECT epoch_us(TIMESTAMP '2024-06-30 12:34:56.5') AS as_of/"
same "gen A3 sla_days=3 as_of=2024-06-30T12:34:56.5" s A3 sla_days=3 "as_of=2024-06-30T12:34:56.5" -- q.sql
# sla_by_service: the service of the case's first submit (case order) picks the override
a3svc=("s/SELECT case_id, activity, epoch_us(ts) AS t FROM approvals/SELECT case_id, activity, service, rowid AS rn, epoch_us(ts) AS t FROM approvals/"
  "s/ AS term\$/ AS term,\n         first(service ORDER BY t, rn) FILTER (WHERE activity = 'submit') AS svc/")
sqlq q.sql a3_sla_breach.sql "${a3svc[@]}" \
  "s/> 20 \* 86400000000/> coalesce(CASE svc WHEN 'payment_request' THEN 3 WHEN 'building_permit' THEN 1 END, 7) * 86400000000/"
same "gen A3 sla_days=7 sla_by_service" s A3 sla_days=7 sla_by_service=payment_request=3,building_permit=1 -- q.sql

# a4 NAME SHARE_E9 MIN_CASES FACTOR MIN_EVENTS: the A4 reference with these constants
a4() {
  sqlq "$1" a4_bottleneck.sql "s/oc.n_cases >= 20/oc.n_cases >= $3/" \
    "s/st.s \* 100 >= 40 \* ot.total/st.s * 1000000000 >= $2 * ot.total/" \
    "s/HAVING count(\*) >= 10 AND/HAVING count(*) >= $5 AND/" "s/median(e.w) >= 3 \* flag.med/median(e.w) >= $4 * flag.med/"
}
a4 q.sql 200000000 5 1.5 3
same "gen A4 share=0.2 min_cases=5 factor=1.5 min_events=3" s A4 share=0.2 min_cases=5 factor=1.5 min_events=3 -- q.sql
a4 q.sql 300000000 20 2 5
same "gen A4 share=0.3 factor=2 min_events=5" s A4 share=0.3 factor=2 min_events=5 -- q.sql
a4 q.sql 100000000 40 1.2 2
same "gen A4 share=0.1 min_cases=40 factor=1.2 min_events=2" s A4 share=0.1 min_cases=40 factor=1.2 min_events=2 -- q.sql
a4 q.sql 250000000 20 1.5 3
sed -i "s/SELECT case_id, activity, actor, org,/SELECT case_id, activity, actor, '*' AS org,/" q.sql
same "gen A4 org=* share=0.25 factor=1.5 min_events=3" s A4 org=* share=0.25 factor=1.5 min_events=3 -- q.sql

# a5 NAME MAX_VISITS MIN_CASES FACTOR_E9 MIN_RATE_E9: the A5 reference with these constants
a5() {
  sqlq "$1" a5_repeated_visits.sql "s/'visit') > 1)/'visit') > $2)/" "s/a.handled >= 20/a.handled >= $3/" \
    "s/a.ret \* 100 >= 20 \* a.handled/a.ret * 1000000000 >= $5 * a.handled/" \
    "s/a.ret \* o.oc >= 3 \* o.oret \* a.handled/a.ret * o.oc * 1000000000 >= $4 * o.oret * a.handled/"
}
a5 q.sql 0 20 3000000000 200000000
same "gen A5 max_visits=0" s A5 max_visits=0 -- q.sql
a5 q.sql 2 5 1500000000 50000000
same "gen A5 max_visits=2 min_cases=5 factor=1.5 min_rate=0.05" s A5 max_visits=2 min_cases=5 factor=1.5 min_rate=0.05 -- q.sql
a5 q.sql 1 10 1000000000 100000000
same "gen A5 min_cases=10 factor=1 min_rate=0.1" s A5 min_cases=10 factor=1 min_rate=0.1 -- q.sql
a5 q.sql 1 10 1500000000 100000000
sed -i "s/SELECT case_id, activity, actor, org FROM approvals/SELECT case_id, activity, actor, '*' AS org FROM approvals/" q.sql
same "gen A5 org=* min_cases=10 factor=1.5 min_rate=0.1" s A5 org=* min_cases=10 factor=1.5 min_rate=0.1 -- q.sql

for d in 0 5 30 365; do
  sqlq q.sql a6_handover_stall.sql "s/cand.h + 60/cand.h + $d/"
  same "gen A6 days=$d" s A6 days=$d -- q.sql
done

# a7 NAME MIN_US MIN_AMOUNT
a7() { sqlq "$1" a7_rubber_stamp.sql "s/w < 120000000/w < $2/" "s/>= 1000000.00/>= $3/"; }
a7 q.sql 3600000000 10000.00
same "gen A7 min_seconds=3600 min_amount=10000.00" s A7 min_seconds=3600 min_amount=10000.00 -- q.sql
a7 q.sql 600000000 100000.00
same "gen A7 min_seconds=600 min_amount=100000.00" s A7 min_seconds=600 min_amount=100000 -- q.sql
a7 q.sql 86400000000 0.00
same "gen A7 min_seconds=86400 min_amount=0.00" s A7 min_seconds=86400 min_amount=0.00 -- q.sql

# ---- A: the log under other activity names -------------------------------------------
# submit -> two names with spaces (alternating), final_approve -> two names, and decoys:
# accept is renamed "submit", review "final_approve", close "pay", resubmit "return",
# so a rule that reads a canonical name instead of its parameter answers differently.
perl -lne '
  @F = split /,/, $_, -1;
  BEGIN { %m = (accept => "submit", review => "final_approve", approve => "Check OK", reject => "Rejected",
                close => "pay", pay => "Payment Handled", visit => "Visit (counter)", return => "Sent back",
                resubmit => "return") }
  if ($. == 1) { print; next }
  if ($F[2] eq "submit") { $F[2] = $. % 2 ? "Antrag gestellt" : "Application Received" }
  elsif ($F[2] eq "final_approve") { $F[2] = $. % 3 ? "FINAL_APPROVED by DIRECTOR" : "FINAL_APPROVED by SUPERVISOR" }
  elsif (exists $m{$F[2]}) { $F[2] = $m{$F[2]} }
  else { die "unmapped activity $F[2]\n" }
  print join ",", @F' "$g/approvals.csv" >appr_r.csv
expect_rc 0 "ingest the renamed log" ferret ingest r approvals appr_r.csv --quiet
expect_rc 0 "ingest posts beside the renamed log" ferret ingest r posts "$g/posts.csv" --quiet
SUB="submit=Antrag gestellt,Application Received"
FIN="final=FINAL_APPROVED by DIRECTOR,FINAL_APPROVED by SUPERVISOR"
TERM="terminal=FINAL_APPROVED by DIRECTOR,FINAL_APPROVED by SUPERVISOR,Rejected,pay"
same "renamed A1" r A1 "$SUB" "approve=Check OK" "$FIN" -- a1c.sql
same "renamed A2" r A2 "$FIN" "pay=Payment Handled" -- "$src/tests/detect/a2_sequence_violation.sql"
same "renamed A3" r A3 "$SUB" "$TERM" -- "$src/tests/detect/a3_sla_breach.sql"
sqlq q.sql a3_sla_breach.sql 's/> 20 \* 86400000000/> 4 * 86400000000/'
same "renamed A3 sla_days=4" r A3 "$SUB" "$TERM" sla_days=4 -- q.sql
same "renamed A4" r A4 "$SUB" "$TERM" -- "$src/tests/detect/a4_bottleneck.sql"
a4 q.sql 200000000 5 1.5 3
same "renamed A4 share=0.2 min_cases=5 factor=1.5 min_events=3" r A4 "$SUB" "$TERM" share=0.2 min_cases=5 factor=1.5 min_events=3 -- q.sql
same "renamed A5" r A5 "return=Sent back" "visit=Visit (counter)" -- "$src/tests/detect/a5_repeated_visits.sql"
a5 q.sql 0 5 1500000000 50000000
same "renamed A5 max_visits=0 min_cases=5 factor=1.5 min_rate=0.05" r A5 "return=Sent back" "visit=Visit (counter)" max_visits=0 min_cases=5 factor=1.5 min_rate=0.05 -- q.sql
same "renamed A6" r A6 "$TERM" -- "$src/tests/detect/a6_handover_stall.sql"
sqlq q.sql a6_handover_stall.sql "s/cand.h + 60/cand.h + 30/"
same "renamed A6 days=30" r A6 "$TERM" days=30 -- q.sql
same "renamed A7" r A7 "approve=Check OK" "$FIN" -- "$src/tests/detect/a7_rubber_stamp.sql"
a7 q.sql 3600000000 10000.00
same "renamed A7 min_seconds=3600 min_amount=10000.00" r A7 "approve=Check OK" "$FIN" min_seconds=3600 min_amount=10000.00 -- q.sql

# ---- A: integer activity codes (the text of the codes is matched) ----------------------
perl -lne 'BEGIN { my $i = 1; %m = map { $_ => $i++ } qw(submit accept review approve final_approve reject close pay visit return resubmit) }
  @F = split /,/, $_, -1; if ($. == 1) { print; next } $F[2] = $m{$F[2]} // die "unmapped $F[2]\n"; print join ",", @F' "$g/approvals.csv" >appr_n.csv
expect_rc 0 "ingest the coded log" ferret ingest n ev appr_n.csv --quiet
same "coded A1" n A1 approvals=ev submit=1 approve=4 final=5 -- a1c.sql
same "coded A2" n A2 approvals=ev final=5 pay=8 -- "$src/tests/detect/a2_sequence_violation.sql"
sqlq q.sql a3_sla_breach.sql 's/> 20 \* 86400000000/> 6 * 86400000000/'
same "coded A3 sla_days=6" n A3 approvals=ev submit=1 terminal=5,6,7 sla_days=6 -- q.sql
a4 q.sql 200000000 5 1.5 3
same "coded A4 share=0.2 min_cases=5 factor=1.5 min_events=3" n A4 approvals=ev submit=1 terminal=5,6,7 share=0.2 min_cases=5 factor=1.5 min_events=3 -- q.sql
a5 q.sql 0 5 1500000000 50000000
same "coded A5 max_visits=0 min_cases=5 factor=1.5 min_rate=0.05" n A5 approvals=ev return=10 visit=9 max_visits=0 min_cases=5 factor=1.5 min_rate=0.05 -- q.sql
a7 q.sql 3600000000 10000.00
same "coded A7 min_seconds=3600 min_amount=10000.00" n A7 approvals=ev approve=4 final=5 min_seconds=3600 min_amount=10000.00 -- q.sql

# ---- A: other table and column names (renamed activities as well) ----------------------
renamed case_id=CaseRef,ts=time:timestamp,activity=concept:name,actor=org:resource,org=org:group,service=svc,amount=value appr_r.csv >ev.csv
printf '%s\n' 'CaseRef string' 'time:timestamp timestamp' 'concept:name string' 'org:resource string' 'org:group string' \
  'svc string' 'applicant string' 'value decimal(18,2)' >ev.schema
renamed org=unit,post=role,official=person,start_date=since_day,end_date=last_day "$g/posts.csv" >staff.csv
printf '%s\n' 'unit string' 'role string' 'person string' 'since_day date' 'last_day date' >staff.schema
renamed txn_id=id,requester=req,approver=appr "$g/payments.csv" >spend.csv
expect_rc 0 "ingest events" ferret ingest c events ev.csv --schema ev.schema --quiet
expect_rc 0 "ingest staff" ferret ingest c staff staff.csv --schema staff.schema --quiet
expect_rc 0 "ingest spend" ferret ingest c spend spend.csv --quiet
EVB=(approvals=events case_id=CaseRef ts=time:timestamp activity=concept:name org=org:group)
EV=("${EVB[@]}" actor=org:resource)
ST=(posts=staff posts.org=unit posts.post=role posts.official=person posts.start_date=since_day posts.end_date=last_day)
same "columns A1" c A1 "${EV[@]}" "$SUB" "approve=Check OK" "$FIN" -- a1c.sql
same "columns A1 part=payments" c A1 part=payments payments=spend payments.txn_id=id payments.requester=req payments.approver=appr -- a1p.sql
same "columns A2" c A2 "${EVB[@]}" "$FIN" "pay=Payment Handled" -- "$src/tests/detect/a2_sequence_violation.sql"
sqlq q.sql a3_sla_breach.sql "${a3svc[@]}" \
  "s/> 20 \* 86400000000/> coalesce(CASE svc WHEN 'subsidy_application' THEN 2 WHEN 'business_license' THEN 3 END, 5) * 86400000000/"
same "columns A3 sla_days=5 sla_by_service" c A3 "${EVB[@]}" service=svc "$SUB" "$TERM" sla_days=5 sla_by_service=subsidy_application=2,business_license=3 -- q.sql
a4 q.sql 200000000 5 1.5 3
same "columns A4 share=0.2 min_cases=5 factor=1.5 min_events=3" c A4 "${EV[@]}" "$SUB" "$TERM" share=0.2 min_cases=5 factor=1.5 min_events=3 -- q.sql
a5 q.sql 0 5 1500000000 50000000
same "columns A5 max_visits=0 min_cases=5 factor=1.5 min_rate=0.05" c A5 "${EV[@]}" "return=Sent back" "visit=Visit (counter)" max_visits=0 min_cases=5 factor=1.5 min_rate=0.05 -- q.sql
sqlq q.sql a6_handover_stall.sql "s/cand.h + 60/cand.h + 5/"
same "columns A6 days=5" c A6 "${EV[@]}" "${ST[@]}" "$TERM" days=5 -- q.sql
a7 q.sql 3600000000 10000.00
same "columns A7 min_seconds=3600 min_amount=10000.00" c A7 "${EVB[@]}" amount=value "approve=Check OK" "$FIN" min_seconds=3600 min_amount=10000.00 -- q.sql

# ---- P and W: parameters on the canonical store ----------------------------------------
sqlq q.sql p13_split_direct_awards.sql 's/1000000\.00/3000000.00/g' "s/t.method IN ('single_source', 'negotiated')/t.method IN ('open')/"
same "gen P13 methods=open threshold=3000000.00" s P13 methods=open threshold=3000000.00 -- q.sql
sqlq q.sql p13_split_direct_awards.sql 's/1000000\.00/3000000.00/g' "s/t.method IN ('single_source', 'negotiated')/t.method IS NOT NULL/" \
  's/90 \* 86400000000/60 * 86400000000/g'
same "gen P13 methods= threshold=3000000.00 window_days=60" s P13 methods= threshold=3000000.00 window_days=60 -- q.sql
sqlq q.sql p13_split_direct_awards.sql 's/1000000\.00/800000.00/g' 's/90 \* 86400000000/365 * 86400000000/g'
same "gen P13 threshold=800000.00 window_days=365" s P13 threshold=800000.00 window_days=365 -- q.sql
sqlq q.sql p13_split_direct_awards.sql "s/t.method IN ('single_source', 'negotiated')/t.method IN ('negotiated', 'selective')/" \
  's/90 \* 86400000000/0 * 86400000000/g'
same "gen P13 methods=negotiated,selective window_days=0" s P13 methods=negotiated,selective window_days=0 -- q.sql
for ps in 3:0.3 5:0.25 2:1 4:0.07; do
  sqlq q.sql p14_winner_concentration.sql "s/>= 10)/>= ${ps%%:*})/" "s/0\.5 \* g\.n/${ps#*:} * g.n/"
  same "gen P14 min_tenders=${ps%%:*} share=${ps#*:}" s P14 "min_tenders=${ps%%:*}" "share=${ps#*:}" -- q.sql
done
sqlq q.sql w1_duplicate_beneficiary.sql 's/%Y-%m/%Y/'
same "gen W1 period=year" s W1 period=year -- q.sql

# ---- P and W: other table and column names -------------------------------------------
renamed tender_id=tid,org=buyer,category=cat,method=proc,published=pub_ts,awarded=award_ts "$g/tenders.csv" >tnd.csv
printf '%s\n' 'tid string' 'buyer string' 'cat string' 'proc string' 'reserve_price decimal(18,2)' 'pub_ts timestamp' 'award_ts timestamp' >tnd.schema
renamed tender_id=tid,bidder=firm,amount=price,won=winner "$g/bids.csv" >bd.csv
printf '%s\n' 'tid string' 'firm string' 'price decimal(18,2)' 'ts timestamp' 'winner bool' >bd.schema
renamed id=eid,phone=tel,address=addr,bank_account=iban,id_no=nid,deceased=died "$g/entities.csv" >ent.csv
printf '%s\n' 'eid string' 'kind string' 'name string' 'registered date' 'died date' 'addr string' 'tel string' 'iban string' 'nid string' >ent.schema
renamed a=x,b=y,kind=k,since=from_day,until=to_day "$g/relations.csv" >rel.csv
printf '%s\n' 'x string' 'y string' 'k string' 'from_day date' 'to_day date' >rel.schema
renamed payout_id=pid,ts=paid_at,program=scheme,org=office,beneficiary=person "$g/subsidies.csv" >sub.csv
printf '%s\n' 'pid string' 'paid_at timestamp' 'scheme string' 'office string' 'village string' 'person string' 'amount decimal(18,2)' >sub.schema
for t in tnd bd ent rel sub; do expect_rc 0 "ingest $t" ferret ingest pc "$t" "$t.csv" --schema "$t.schema" --quiet; done
expect_rc 0 "ingest staff (P/W)" ferret ingest pc staff staff.csv --schema staff.schema --quiet
TN=(tenders=tnd tender_id=tid org=buyer)
BD=(bids=bd bids.tender_id=tid bids.bidder=firm)
EN=(entities=ent entities.id=eid)
RL=(relations=rel relations.a=x relations.b=y)
SU=(subsidies=sub payout_id=pid ts=paid_at org=office beneficiary=person)
same "columns P12" pc P12 "${TN[@]}" published=pub_ts "${BD[@]}" "${EN[@]}" entities.phone=tel entities.address=addr \
  entities.bank_account=iban "${RL[@]}" -- "$src/tests/detect/p12_shared_contacts.sql"
sqlq q.sql p13_split_direct_awards.sql 's/1000000\.00/1200000.00/g' 's/90 \* 86400000000/120 * 86400000000/g'
same "columns P13 threshold=1200000.00 window_days=120" pc P13 "${TN[@]}" method=proc awarded=award_ts "${BD[@]}" bids.amount=price \
  bids.won=winner threshold=1200000.00 window_days=120 -- q.sql
sqlq q.sql p14_winner_concentration.sql 's/>= 10)/>= 4)/' 's/0\.5 \* g\.n/0.4 * g.n/'
same "columns P14 min_tenders=4 share=0.4" pc P14 "${TN[@]}" category=cat awarded=award_ts "${BD[@]}" bids.won=winner \
  min_tenders=4 share=0.4 -- q.sql
same "columns W1" pc W1 "${SU[@]}" program=scheme "${EN[@]}" entities.id_no=nid -- "$src/tests/detect/w1_duplicate_beneficiary.sql"
sqlq q.sql w1_duplicate_beneficiary.sql 's/%Y-%m/%Y/'
same "columns W1 period=year" pc W1 "${SU[@]}" program=scheme "${EN[@]}" entities.id_no=nid period=year -- q.sql
same "columns W2" pc W2 "${SU[@]}" "${EN[@]}" entities.deceased=died -- "$src/tests/detect/w2_deceased_beneficiary.sql"
same "columns W3" pc W3 "${SU[@]}" "${RL[@]}" relations.kind=k relations.since=from_day relations.until=to_day "${ST[@]}" \
  -- "$src/tests/detect/w3_official_relative.sql"
flush
# ======================================================================================
# 2. hand-made adversarial data (each scenario's case ids share a prefix, so the
#    literal checks read only their own findings)
# ======================================================================================
H=case_id,ts,activity,actor,org,service,applicant,amount
# the log is ingested in two parts: ties whose rows straddle the parts are decided by
# input order across ingests
cat >adv1.csv <<EOF
$H
X1a,2024-01-01 09:00:00,submit,P1,OA1,s,AP,
X1a,2024-01-01 10:00:00,approve,P1,OA1,s,AP,
X1b,2024-01-01 09:00:00,submit,P1,OA1,s,AP,
X1b,2024-01-01 10:00:00,approve,P2,OA1,s,AP,
X1b,2024-01-01 11:00:00,final_approve,P2,OA1,s,AP,
X1c,2024-01-01 09:00:00,submit,,OA1,s,AP,
X1c,2024-01-01 10:00:00,approve,,OA1,s,AP,
X1d,2024-01-01 09:00:00,submit,P1,OA1,s,AP,
X1d,2024-01-01 10:00:00,final_approve,P1,OA1,s,AP,
X1g,2024-01-01 09:00:00,submit,P1,OA1,s,AP,
X1g,2024-01-01 10:00:00,approve,P2,OA1,s,AP,
X1g,2024-01-01 11:00:00,approve,P2,OA1,s,AP,
X1h,2024-01-01 09:00:00,submit,P1,OA1,s,AP,
X1h,2024-01-01 10:00:00,review,P1,OA1,s,AP,
X1h,2024-01-01 11:00:00,final_approve,P3,OA1,s,AP,
,2024-01-01 09:00:00,submit,P4,OA1,s,AP,
,2024-01-01 10:00:00,approve,P4,OA1,s,AP,
X1i,2024-01-01 09:00:00,submit,P5,OA1,s,AP,
X1j,2024-01-01 09:00:00,Submit,P1,OA1,s,AP,
X1j,2024-01-01 10:00:00,approve,P1,OA1,s,AP,
X2a,2024-01-02 09:00:00,submit,S2,OA2,s,AP,
X2a,2024-01-02 10:00:00,pay,W2,OA2,s,AP,
X2a,2024-01-02 11:00:00,final_approve,U2,OA2,s,AP,
X2b,2024-01-02 09:00:00,submit,S2,OA2,s,AP,
X2b,2024-01-02 10:00:00,pay,W2,OA2,s,AP,
X2c,2024-01-02 09:00:00,submit,S2,OA2,s,AP,
X2c,2024-01-02 10:00:00,final_approve,U2,OA2,s,AP,
X2d,2024-01-02 09:00:00,submit,S2,OA2,s,AP,
X2d,2024-01-02 10:00:00,pay,W2,OA2,s,AP,
X2e,2024-01-02 11:00:00,final_approve,U2,OA2,s,AP,
X2e,2024-01-02 10:00:00,pay,W2,OA2,s,AP,
X2f,2024-01-02 09:00:00,submit,S2,OA2,s,AP,
X2f,,pay,W2,OA2,s,AP,
X2f,2024-01-02 11:00:00,final_approve,U2,OA2,s,AP,
X2g,2024-01-02 09:00:00,final_approve,U2,OA2,s,AP,
X2g,2024-01-02 10:00:00,pay,W2,OA2,s,AP,
X2g,2024-01-02 11:00:00,final_approve,U2,OA2,s,AP,
X2h,2024-01-02 09:00:00,submit,S2,OA2,s,AP,
X2h,2024-01-02 10:00:00,final_approve,U2,OA2,s,AP,
X2h,2024-01-02 11:00:00,pay,W2,OA2,s,AP,
X2h,2024-01-02 12:00:00,pay,W2,OA2,s,AP,
X2i,2024-01-02 09:00:00,final_approve,U2,OA2,s,AP,
X3a,2024-01-01 00:00:00,submit,S3,OA3,slow,AP,
X3a,2024-01-06 00:00:00,close,U3,OA3,slow,AP,
X3b,2024-01-01 00:00:00,submit,S3,OA3,slow,AP,
X3b,2024-01-06 00:00:00.000001,close,U3,OA3,slow,AP,
X3c,2024-01-01 00:00:00,accept,S3,OA3,slow,AP,
X3c,2024-02-01 00:00:00,close,U3,OA3,slow,AP,
X3d,2024-01-01 00:00:00,submit,S3,OA3,slow,AP,
X3d,2024-01-10 00:00:00,submit,S3,OA3,slow,AP,
X3d,2024-01-12 00:00:00,close,U3,OA3,slow,AP,
X3e,2024-01-01 00:00:00,close,U3,OA3,slow,AP,
X3e,2024-01-02 00:00:00,submit,S3,OA3,slow,AP,
X3e,2024-01-30 00:00:00,final_approve,U3,OA3,slow,AP,
X3f,2024-12-26 00:00:00,submit,S3,OA3,slow,AP,
X3g,2024-12-25 23:59:59,submit,S3,OA3,slow,AP,
X3h,2024-01-14 00:00:00,submit,S3,OA3,slow,AP,
X3h,2024-02-01 00:00:00,close,U3,OA3,slow,AP,
X3i,2024-01-20 00:00:00,submit,S3,OA3,slow,AP,
X3j,2024-01-01 00:00:00,submit,S3,OA3,fast,AP,
X3j,2024-01-03 00:00:00,reject,U3,OA3,fast,AP,
X3m,,submit,S3,OA3,slow,AP,
X3m,2024-01-05 00:00:00,submit,S3,OA3,slow,AP,
X3m,2024-01-12 00:00:00,close,U3,OA3,slow,AP,
X3n,2024-01-01 00:00:00,submit,S3,OA3,fast,AP,
X3o,2024-01-01 00:00:00,submit,S3,OA3,slow,AP,
X3o,2024-01-03 00:00:00,close,U3,OA3,slow,AP,
X3o,2024-01-20 00:00:00,reject,U3,OA3,slow,AP,
,2024-12-31 00:00:00.000001,note,Z,OA3,slow,AP,
X3q,2024-12-26 00:00:00.000001,submit,S3,OA3,slow,AP,
X6a,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6a,2024-01-20 00:00:00,review,P6,O6,s,AP,
X6b,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6b,2024-01-20 00:00:00,review,P6,O6,s,AP,
X6b,2024-02-10 23:59:59,review,P7,O6,s,AP,
X6c,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6c,2024-01-20 00:00:00,review,P6,O6,s,AP,
X6c,2024-02-11 00:00:00,review,P7,O6,s,AP,
X6d,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6d,2024-01-31 10:00:00,review,P6,O6,s,AP,
X6d,2024-01-31 11:00:00,review,V6,O6,s,AP,
X6e,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6e,2024-01-31 10:00:00,review,P7,O6,s,AP,
X6f,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6f,2024-01-31 10:00:00,review,P6,O6,s,AP,
X6g,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6g,2024-01-20 00:00:00,review,P6,O6,s,AP,
X6g,2024-01-31 23:00:00,close,V6,O6,s,AP,
X6h,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6h,2024-01-15 00:00:00,close,V6,O6,s,AP,
X6h,2024-01-20 00:00:00,review,P6,O6,s,AP,
X6i,2024-01-10 00:00:00,submit,S6,O7,s,AP,
X6i,2024-01-20 00:00:00,review,P6,O7,s,AP,
X6k,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6k,2024-01-20 00:00:00,review,P6,O6,s,AP,
X6k,,note,V6,O6,s,AP,
X6l,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6l,2024-01-20 00:00:00,review,P6,O6,s,AP,
X6l,2024-02-05 00:00:00,review,P6,O6,s,AP,
X6n,2024-03-01 00:00:00,submit,S6,O6,s,AP,
X6n,2024-03-31 23:59:59,review,P8,O6,s,AP,
X6n,2024-04-01 00:00:00,close,V6,O6,s,AP,
X6o,2024-01-10 00:00:00,submit,S6,O6,s,AP,
X6o,2024-01-20 00:00:00,review,P6,,s,AP,
X7a,2024-01-03 10:00:00,submit,S7,OA7,s,AP,5000.00
X7a,2024-01-03 10:01:00,approve,U7,OA7,s,AP,5000.00
X7b,2024-01-03 10:00:00,submit,S7,OA7,s,AP,5000.00
X7b,2024-01-03 10:00:59.999999,approve,U7,OA7,s,AP,5000.00
X7c,2024-01-03 10:00:00,submit,S7,OA7,s,AP,6000.00
X7c,2024-01-03 10:00:00,approve,U7,OA7,s,AP,6000.00
X7d,2024-01-03 10:00:00,submit,S7,OA7,s,AP,4999.99
X7d,2024-01-03 10:00:30,approve,U7,OA7,s,AP,4999.99
X7e,2024-01-03 10:00:00,submit,S7,OA7,s,AP,9000.00
X7e,2024-01-03 10:00:30,approve,U7,OA7,s,AP,
X7f,2024-01-03 10:00:00,approve,U7,OA7,s,AP,9000.00
X7f,2024-01-03 11:00:00,close,U8,OA7,s,AP,9000.00
X7g,2024-01-03 09:00:00,submit,S7,OA7,s,AP,9000.00
X7g,,note,V7,OA7,s,AP,9000.00
X7g,2024-01-03 09:00:30,approve,U7,OA7,s,AP,9000.00
X7h,2024-01-03 10:00:00,final_approve,U8,OA7,s,AP,9000.00
X7i,2024-01-03 10:00:00,submit,S7,OA7,s,AP,9000.00
X7j,2024-01-03 10:00:00,submit,S7,OA7,s,AP,9000.00
X7j,2024-01-03 10:30:00,review,V7,OA7,s,AP,9000.00
X7j,2024-01-03 10:30:10,final_approve,U8,OA7,s,AP,9000.00
X7k,2024-01-03 10:00:00,submit,S7,OA7,s,AP,9000.00
X7k,2024-01-03 10:05:00,approve,U7,OA7,s,AP,9000.00
X7k,2024-01-03 10:05:59,final_approve,U8,OA7,s,AP,9000.00
X7l,2024-01-03 10:00:00,submit,S7,OA7,s,AP,100000000.00
X7l,2024-01-03 10:00:30,approve,U7,OA7,s,AP,-5.00
X7m,2024-01-03 10:00:00,submit,S7,OA7,s,AP,-9000.00
X7m,2024-01-03 10:00:30,approve,U7,OA7,s,AP,-9000.00
EOF
cat >adv2.csv <<EOF
$H
X1i,2024-01-01 10:00:00,approve,P5,OA1,s,AP,
X2b,2024-01-02 10:00:00,final_approve,U2,OA2,s,AP,
X2c,2024-01-02 10:00:00,pay,W2,OA2,s,AP,
X2i,2024-01-02 08:00:00,pay,W2,OA2,s,AP,
X3n,2024-01-01 00:00:00,submit,S3,OA3,slow,AP,
X3n,2024-01-03 00:00:00,close,U3,OA3,slow,AP,
X6e,2024-01-31 10:00:00,review,P6,O6,s,AP,
X6f,2024-01-31 10:00:00,review,P7,O6,s,AP,
X7h,2024-01-03 10:00:00,submit,S7,OA7,s,AP,9000.00
X7i,2024-01-03 10:00:00,final_approve,U8,OA7,s,AP,9000.00
EOF
# A4: org O4 has exactly 4 cases; review holds exactly half of its waiting
# (43 h + 4 us of 86 h + 8 us); the review waits 1h 1h 1h 4h 6h+1us 10h+1us x3 have
# the even-count median 5h + 0.5us, and R1's median 10h+1us is exactly twice it.
# O4B: 25 cases, equal waits but one, and a NULL activity (in the org's total only):
# the evidence is K-9 and the 19 smallest other case ids in byte order.  O4C has
# 3 cases only.
{
  for c in 1 2 3; do
    echo "K$c,2024-02-0$c 00:00:00,submit,SK,O4,s,AP,"
    echo "K$c,2024-02-0$c 10:00:00.000001,review,R1,O4,s,AP,"
    echo "K$c,2024-02-0$c 11:00:00.000001,review,R2,O4,s,AP,"
    echo "K$c,2024-02-0$c 21:00:00.000002,final_approve,FK,O4,s,AP,"
  done
  echo "K4,2024-02-04 00:00:00,submit,SK,O4,s,AP,"
  echo "K4,2024-02-04 04:00:00,review,R2,O4,s,AP,"
  echo "K4,2024-02-04 10:00:00.000001,review,R2,O4,s,AP,"
  echo "K4,2024-02-04 23:00:00.000002,final_approve,FK,O4,s,AP,"
  for c in 25 3 17 9 1 12 22 5 14 20 8 11 2 24 16 6 19 10 23 4 13 7 21 15 18; do
    d=$(printf '2024-03-%02d' "$c")
    echo "K-$c,$d 00:00:00,submit,SB,O4B,s,AP,"
    if [ "$c" = 9 ]; then
      echo "K-$c,$d 04:00:00,review,R3,O4B,s,AP,"; echo "K-$c,$d 05:00:00,final_approve,FB,O4B,s,AP,"
    else
      echo "K-$c,$d 02:00:00,review,R3,O4B,s,AP,"; echo "K-$c,$d 03:00:00,final_approve,FB,O4B,s,AP,"
    fi
    if [ "$c" = 25 ]; then echo "K-$c,$d 08:00:00,,R3,O4B,s,AP,"; fi
  done
  for c in 1 2 3; do
    echo "L$c,2024-04-0$c 00:00:00,submit,SL,O4C,s,AP,"
    echo "L$c,2024-04-0$c 10:00:00,review,R4,O4C,s,AP,"
    echo "L$c,2024-04-0$c 10:01:00,final_approve,FL,O4C,s,AP,"
  done
} >>adv1.csv
# A5: org O5 has 8 cases, 2 of them (M1, M2) with a return, both by R5, who handled
# exactly 4 cases: R5's rate 0.5 is exactly min_rate and exactly 2 x the org's 0.25.
# Visits: M1 2, M2 3, M4 3 (one with a NULL org).  M9 is R5's return in another org.
{
  for c in 1 2 3 4 5 6 7 8; do
    d="2024-05-0$c"
    echo "M$c,$d 09:00:00,submit,AP5,O5,s,AP,"
    if [ "$c" -le 4 ]; then echo "M$c,$d 10:00:00,review,R5,O5,s,AP,"; else echo "M$c,$d 10:00:00,review,Q5,O5,s,AP,"; fi
    if [ "$c" -le 2 ]; then echo "M$c,$d 11:00:00,return,R5,O5,s,AP,"; fi
    case $c in
      1) echo "M$c,$d 12:00:00,visit,AP5,O5,s,AP,"; echo "M$c,$d 13:00:00,visit,AP5,O5,s,AP," ;;
      2) for h in 12 13 14; do echo "M$c,$d $h:00:00,visit,AP5,O5,s,AP,"; done ;;
      4) echo "M$c,$d 12:00:00,visit,AP5,O5,s,AP,"; echo "M$c,$d 13:00:00,visit,AP5,,s,AP,"; echo "M$c,$d 14:00:00,visit,AP5,O5,s,AP," ;;
    esac
  done
  echo "M9,2024-05-09 09:00:00,submit,AP5,O5X,s,AP,"
  echo "M9,2024-05-09 10:00:00,return,R5,O5X,s,AP,"
} >>adv1.csv
# Rows where DETECTORS.md leaves room (ids N... and ""): compared with DuckDB only,
# not read literally: '' actors and an '' case id (values), a NULL-ts submit (no
# event), a case whose later events carry another service, a NULL service on the
# submit, a NULL-ts visit, a NULL-actor last event before a handover.
cat >>adv1.csv <<EOF
N1e,2024-01-01 09:00:00,submit,"",OA1,s,AP,
N1e,2024-01-01 10:00:00,approve,"",OA1,s,AP,
N1f,,submit,P1,OA1,s,AP,
N1f,2024-01-01 10:00:00,approve,P1,OA1,s,AP,
N3k,2024-01-01 00:00:00,submit,S3,OA3,slow,AP,
N3k,2024-01-02 00:00:00,review,U3,OA3,fast,AP,
N3k,2024-01-03 00:00:00,reject,U3,OA3,fast,AP,
N3l,2024-01-01 00:00:00,submit,S3,OA3,,AP,
N3l,2024-01-03 00:00:00,reject,U3,OA3,fast,AP,
N5,2024-05-03 09:00:00,submit,AP5,O5N,s,AP,
N5,2024-05-03 12:00:00,visit,AP5,O5N,s,AP,
N5,2024-05-03 13:00:00,visit,AP5,O5N,s,AP,
N5,,visit,AP5,O5N,s,AP,
N6p,2024-01-10 00:00:00,submit,S6,O6,s,AP,
N6p,2024-01-20 00:00:00,review,P6,O6,s,AP,
N6p,2024-01-25 00:00:00,note,,O6,s,AP,
"",2024-01-01 09:00:00,submit,P9,OA1,s,AP,
"",2024-01-01 10:00:00,approve,P9,OA1,s,AP,
EOF
cat >advposts.csv <<'EOF'
org,post,official,start_date,end_date
O6,clerk,P6,2023-01-01,2024-01-31
O6,clerk,P7,2024-02-01,
O6,head,P8,,2024-03-31
O6,clerk,P6,2024-06-01,2024-06-30
O7,clerk,P6,,
O6,clerk,,2020-01-01,2024-01-31
,clerk,P6,2020-01-01,2024-01-31
EOF
cat >advpay.csv <<'EOF'
txn_id,ts,org,payer,payee,amount,currency,budget_code,requester,approver,invoice_no,contract_id,case_id,memo
XT1,2024-01-01 10:00:00,O1,O1,V1,10.00,CNY,1,R1,R1,,,,
XT2,2024-01-01 10:00:00,O1,O1,V1,10.00,CNY,1,,,,,,
XT3,2024-01-01 10:00:00,O1,O1,V1,10.00,CNY,1,R1,,,,,
XT4,2024-01-01 10:00:00,O1,O1,V1,10.00,CNY,1,r1,R1,,,,
XT5,,O1,O1,V1,10.00,CNY,1,R2,R2,,,,
NT6,2024-01-01 10:00:00,O1,O1,V1,10.00,CNY,1,"","",,,,
EOF
for f in adv1 adv2; do expect_rc 0 "ingest $f" ferret ingest x approvals "$f.csv" --quiet; done
expect_rc 0 "ingest adversarial posts" ferret ingest x posts advposts.csv --quiet
expect_rc 0 "ingest adversarial payments" ferret ingest x payments advpay.csv --quiet
batch --load "approvals=$PWD/adv1.csv" --load "approvals=$PWD/adv2.csv" --types approvals=canonical \
  --load "posts=$PWD/advposts.csv" --types posts=canonical --load "payments=$PWD/advpay.csv" --types payments=canonical
# pre LINES: the findings of ours.txt whose first key starts with PREFIX
pre() { grep "^$1" ours.txt >ours.pre || true; mv ours.pre ours.txt; }

same "adv A1" x A1 part=cases -- a1c.sql
pre X1; literal "adv A1" X1a X1b X1d X1i
sqlq q.sql a1_self_approval.sql '/^UNION ALL$/,/^SELECT txn_id/d' "s/x.activity IN ('approve', 'final_approve')/x.activity IN ('review', 'final_approve')/" \
  "s/WHERE x.activity = 'approve' AND/WHERE x.activity = 'review' AND/"
same "adv A1 approve=review" x A1 part=cases approve=review -- q.sql
pre X1; literal "adv A1 approve=review" X1d X1h
same "adv A1 part=payments" x A1 part=payments -- a1p.sql
pre XT; literal "adv A1 part=payments" XT1 XT5
same "adv A2" x A2 -- "$src/tests/detect/a2_sequence_violation.sql"
pre X2; literal "adv A2" X2a X2b X2d X2e X2i
sqlq q.sql a3_sla_breach.sql 's/> 20 \* 86400000000/> 5 * 86400000000/'
same "adv A3 sla_days=5" x A3 sla_days=5 -- q.sql
pre X3; literal "adv A3 sla_days=5" X3b X3d X3f X3g X3h X3i X3m
sqlq q.sql a3_sla_breach.sql 's/> 20 \* 86400000000/> 5 * 86400000000/' \
  "s/SELECT max(epoch_us(ts)) AS as_of FROM approvals/SELECT epoch_us(TIMESTAMP '2024-01-15 00:00:00') AS as_of/"
same "adv A3 sla_days=5 as_of=2024-01-15" x A3 sla_days=5 "as_of=2024-01-15 00:00:00" -- q.sql
pre X3; literal "adv A3 sla_days=5 as_of=2024-01-15" X3b X3d X3h X3m
sqlq q.sql a3_sla_breach.sql "${a3svc[@]}" "s/> 20 \* 86400000000/> coalesce(CASE svc WHEN 'fast' THEN 1 END, 5) * 86400000000/"
same "adv A3 sla_days=5 sla_by_service=fast=1" x A3 sla_days=5 sla_by_service=fast=1 -- q.sql
pre X3; literal "adv A3 sla_days=5 sla_by_service=fast=1" X3b X3d X3f X3g X3h X3i X3j X3m X3n
same "adv A3 defaults" x A3 -- "$src/tests/detect/a3_sla_breach.sql"
pre X3; literal "adv A3 defaults" X3i
# a4 on the hand-made log
a4 q.sql 500000000 4 2 3
same "adv A4 share=0.5 min_cases=4 factor=2 min_events=3" x A4 share=0.5 min_cases=4 factor=2 min_events=3 -- q.sql
k4b="K-1 K-10 K-11 K-12 K-13 K-14 K-15 K-16 K-17 K-18 K-19 K-2 K-20 K-21 K-22 K-23 K-24 K-25 K-3 K-9"
pre K; literal "adv A4 share=0.5 min_cases=4 factor=2 min_events=3" "K1 K2 K3 K4" "K1 K2 K3" "$k4b"
a4 q.sql 500000001 4 2 3
same "adv A4 share=0.500000001" x A4 share=0.500000001 min_cases=4 factor=2 min_events=3 -- q.sql
pre K; literal "adv A4 share=0.500000001" "$k4b"
a4 q.sql 500000000 4 2.000000001 3
same "adv A4 factor=2.000000001" x A4 share=0.5 min_cases=4 factor=2.000000001 min_events=3 -- q.sql
pre K; literal "adv A4 factor=2.000000001" "K1 K2 K3 K4" "$k4b"
a4 q.sql 500000000 4 2 4
same "adv A4 min_events=4" x A4 share=0.5 min_cases=4 factor=2 min_events=4 -- q.sql
pre K; literal "adv A4 min_events=4" "K1 K2 K3 K4" "$k4b"
a4 q.sql 500000000 5 2 3
same "adv A4 min_cases=5" x A4 share=0.5 min_cases=5 factor=2 min_events=3 -- q.sql
pre K; literal "adv A4 min_cases=5" "$k4b"
a5 q.sql 2 4 2000000000 500000000
same "adv A5 max_visits=2 min_cases=4 factor=2 min_rate=0.5" x A5 max_visits=2 min_cases=4 factor=2 min_rate=0.5 -- q.sql
pre M; literal "adv A5 max_visits=2 min_cases=4 factor=2 min_rate=0.5" M2 M4 "M1 M2"
a5 q.sql 2 4 2000000000 500000001
same "adv A5 min_rate=0.500000001" x A5 max_visits=2 min_cases=4 factor=2 min_rate=0.500000001 -- q.sql
pre M; literal "adv A5 min_rate=0.500000001" M2 M4
a5 q.sql 2 4 2000000001 500000000
same "adv A5 factor=2.000000001" x A5 max_visits=2 min_cases=4 factor=2.000000001 min_rate=0.5 -- q.sql
pre M; literal "adv A5 factor=2.000000001" M2 M4
a5 q.sql 3 5 2000000000 500000000
same "adv A5 max_visits=3 min_cases=5" x A5 max_visits=3 min_cases=5 factor=2 min_rate=0.5 -- q.sql
pre M; literal "adv A5 max_visits=3 min_cases=5"
a5 q.sql 0 20 3000000000 200000000
same "adv A5 max_visits=0" x A5 max_visits=0 -- q.sql
pre M; literal "adv A5 max_visits=0" M1 M2 M4
for d in 10 60 0; do
  sqlq q.sql a6_handover_stall.sql "s/cand.h + 60/cand.h + $d/"
  same "adv A6 days=$d" x A6 days=$d -- q.sql
done
# (run in the order 10, 60, 0: ours.txt is the last one's; re-run each for its literal check)
a6lit() {
  local d=$1
  shift
  ferret detect x A6 "--set" "days=$d" --format json >ours.json 2>err.txt || true
  keys_of ours.json >ours.txt
  pre X6
  literal "adv A6 days=$d" "$@"
}
a6lit 10 X6a X6a X6c X6e X6e X6k X6k X6l
a6lit 60 X6a X6a X6e X6e X6k X6k X6l
a6lit 0 X6a X6a X6b X6c X6e X6e X6k X6k X6l X6l X6n
a7 q.sql 60000000 5000.00
same "adv A7 min_seconds=60 min_amount=5000.00" x A7 min_seconds=60 min_amount=5000.00 -- q.sql
pre X7; literal "adv A7 min_seconds=60 min_amount=5000.00" X7b X7c X7e X7g X7i X7j X7k X7l
a7 q.sql 59000000 9000.00
same "adv A7 min_seconds=59 min_amount=9000.00" x A7 min_seconds=59 min_amount=9000 -- q.sql
pre X7; literal "adv A7 min_seconds=59 min_amount=9000.00" X7e X7g X7i X7j X7l
same "adv A7 defaults" x A7 -- "$src/tests/detect/a7_rubber_stamp.sql"
pre X7; literal "adv A7 defaults" X7l
a7 q.sql 0 -100000.00
same "adv A7 min_seconds=0 min_amount=-100000.00" x A7 min_seconds=0 min_amount=-100000.00 -- q.sql
literal "adv A7 min_seconds=0"
# ratios far above 1 (share, factor, min_rate 9999999999, under the parser's 10 integer
# digits): nothing can reach them, so they flag what DuckDB flags with the same
# constant, or are refused; they must not wrap round to a negative ratio
big=9999999999
a4 q.sql "${big}000000000" 4 2 3
refusable=1 same "adv A4 share=$big" x A4 share=$big min_cases=4 factor=2 min_events=3 -- q.sql
a4 q.sql 500000000 4 "$big" 3
refusable=1 same "adv A4 factor=$big" x A4 share=0.5 min_cases=4 factor=$big min_events=3 -- q.sql
a5 q.sql 2 4 2000000000 "${big}000000000"
refusable=1 same "adv A5 min_rate=$big" x A5 max_visits=2 min_cases=4 factor=2 min_rate=$big -- q.sql
a5 q.sql 2 4 "${big}000000000" 500000000
refusable=1 same "adv A5 factor=$big" x A5 max_visits=2 min_cases=4 factor=$big min_rate=0.5 -- q.sql
flush
# ---- P and W on hand-made tables ------------------------------------------------------
{
  echo "tender_id,org,category,method,reserve_price,published,awarded"
  for t in T01 T02 T03 T04 T05 T07 T08 T09 T10 T11 T12; do echo "$t,OP,c,open,1.00,2024-01-01 00:00:00,"; done
  # P13: threshold 1000.00, window 10 days
  cat <<'EOF'
Q01,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-03-01 00:00:00
Q02,OQ,c,negotiated,1.00,2024-01-01 00:00:00,2024-03-11 00:00:00
Q03,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-03-01 00:00:00
Q04,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-03-11 00:00:00.000001
Q05,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-03-01 00:00:00
Q06,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-03-02 00:00:00
Q07,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-04-01 00:00:00
Q08,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-04-01 00:00:00
Q09,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-04-02 00:00:00
Q10,OQ,c,open,1.00,2024-01-01 00:00:00,2024-05-01 00:00:00
Q11,OQ,c,open,1.00,2024-01-01 00:00:00,2024-05-02 00:00:00
Q12,OQ,c,,1.00,2024-01-01 00:00:00,2024-05-01 00:00:00
Q13,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-05-02 00:00:00
Q14,OQ,c,single_source,1.00,2024-01-01 00:00:00,
Q15,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-05-02 00:00:00
Q16,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-06-01 00:00:00
Q17,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-06-06 00:00:00
Q18,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-06-15 00:00:00
Q19,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-06-21 00:00:00
Q20,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-07-01 00:00:00
Q21,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-07-06 00:00:00
Q22,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-07-17 00:00:00
Q23,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-07-21 00:00:00
Q24,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-08-01 00:00:00
Q25,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-08-05 00:00:00
Q26,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-09-01 00:00:00
Q27,OQ2,c,single_source,1.00,2024-01-01 00:00:00,2024-09-02 00:00:00
Q28,,c,single_source,1.00,2024-01-01 00:00:00,2024-09-01 00:00:00
Q29,,c,single_source,1.00,2024-01-01 00:00:00,2024-09-02 00:00:00
Q30,OQ,c,Single_Source,1.00,2024-01-01 00:00:00,2024-10-01 00:00:00
Q31,OQ,c,single_source,1.00,2024-01-01 00:00:00,2024-10-02 00:00:00
EOF
  # P14: min_tenders 4, share 0.5 (method selective, amounts over P13's threshold)
  for t in R01 R02 R03 R04 R06 R07 R08 R09 R10 R11 R12 R13 R14 R15 R16 R17; do
    case $t in R0[1-4]) c=A ;; R0[6-8]) c=B ;; R09|R1[0-3]) c=C ;; *) c=D ;; esac
    echo "$t,OR,$c,selective,1.00,2024-01-01 00:00:00,2024-02-01 00:00:00"
  done
  echo "R05,OR,A,selective,1.00,2024-01-01 00:00:00,"
  echo "R18,OR,,selective,1.00,2024-01-01 00:00:00,2024-02-01 00:00:00"
  for i in $(seq -w 1 100); do echo "F$i,OR,F,selective,1.00,2024-01-01 00:00:00,2024-02-01 00:00:00"; done
} >advt.csv
{
  echo "tender_id,bidder,amount,ts,won"
  cat <<'EOF'
T01,B1,1.00,2024-01-02 00:00:00,false
T01,B2,1.00,2024-01-02 00:00:00,false
T02,B3,1.00,2024-01-02 00:00:00,false
T02,B4,1.00,2024-01-02 00:00:00,false
T03,B1,1.00,2024-01-02 00:00:00,false
T03,B1,2.00,2024-01-02 00:00:00,false
T04,B5,1.00,2024-01-02 00:00:00,false
T04,B6,1.00,2024-01-02 00:00:00,false
T05,B7,1.00,2024-01-02 00:00:00,false
T05,B8,1.00,2024-01-02 00:00:00,false
T06,B1,1.00,2024-01-02 00:00:00,false
T06,B2,1.00,2024-01-02 00:00:00,false
T07,B9,1.00,2024-01-02 00:00:00,false
T07,B10,1.00,2024-01-02 00:00:00,false
T08,B11,1.00,2024-01-02 00:00:00,false
T08,B12,1.00,2024-01-02 00:00:00,false
T09,B13,1.00,2024-01-02 00:00:00,false
T09,B14,1.00,2024-01-02 00:00:00,false
,B1,1.00,2024-01-02 00:00:00,false
,B2,1.00,2024-01-02 00:00:00,false
T11,B15,1.00,2024-01-02 00:00:00,false
T11,,1.00,2024-01-02 00:00:00,false
T12,B16,1.00,2024-01-02 00:00:00,false
T12,B17,1.00,2024-01-02 00:00:00,false
Q01,V1,600.00,2024-01-02 00:00:00,true
Q02,V1,400.00,2024-01-02 00:00:00,true
Q03,V2,600.00,2024-01-02 00:00:00,true
Q04,V2,400.00,2024-01-02 00:00:00,true
Q05,V3,1000.00,2024-01-02 00:00:00,true
Q06,V3,500.00,2024-01-02 00:00:00,true
Q07,V4,500.00,2024-01-02 00:00:00,true
Q07,V4,500.00,2024-01-02 00:00:00,true
Q08,V5,600.00,2024-01-02 00:00:00,false
Q08,V5,600.00,2024-01-02 00:00:00,
Q09,V5,400.00,2024-01-02 00:00:00,true
Q10,V6,600.00,2024-01-02 00:00:00,true
Q11,V6,600.00,2024-01-02 00:00:00,true
Q12,V7,600.00,2024-01-02 00:00:00,true
Q13,V7,600.00,2024-01-02 00:00:00,true
Q14,V8,600.00,2024-01-02 00:00:00,true
Q15,V8,600.00,2024-01-02 00:00:00,true
Q16,V9,600.00,2024-01-02 00:00:00,true
Q17,V9,400.00,2024-01-02 00:00:00,true
Q18,V9,600.00,2024-01-02 00:00:00,true
Q19,V9,400.00,2024-01-02 00:00:00,true
Q20,V10,600.00,2024-01-02 00:00:00,true
Q21,V10,400.00,2024-01-02 00:00:00,true
Q22,V10,600.00,2024-01-02 00:00:00,true
Q23,V10,400.00,2024-01-02 00:00:00,true
Q24,V11,500.00,2024-01-02 00:00:00,true
Q25,V11,499.99,2024-01-02 00:00:00,true
Q26,V12,600.00,2024-01-02 00:00:00,true
Q27,V12,400.00,2024-01-02 00:00:00,true
Q28,V13,600.00,2024-01-02 00:00:00,true
Q29,V13,400.00,2024-01-02 00:00:00,true
Q30,V14,600.00,2024-01-02 00:00:00,true
Q31,V14,400.00,2024-01-02 00:00:00,true
EOF
  for t in R01:W1 R02:W1 R03:W2 R04:W3 R05:W1 R06:W1 R07:W1 R08:W1 R09:W2 R10:W2 R11:W3 R12:W3 R13:W3 \
           R14:W4 R14:W4 R15:W4 R16:W5 R16:W4 R17:W6 R18:W1 R18:W1; do
    echo "${t%%:*},${t#*:},5000.00,2024-01-02 00:00:00,true"
  done
  for i in $(seq -w 1 100); do
    if [ "${i#0}" -le 7 ]; then echo "F$i,W7,5000.00,2024-01-02 00:00:00,true"; else echo "F$i,X$i,5000.00,2024-01-02 00:00:00,true"; fi
    echo "F$i,W8,5000.00,2024-01-02 00:00:00,false"
  done
} >advb.csv
cat >advent.csv <<'EOF'
id,kind,name,registered,deceased,address,phone,bank_account,id_no
B1,company,b1,,,a1,111,,
B2,company,b2,,,a2,111,,
B3,company,b3,,,,"",,
B4,company,b4,,,,"",,
B10,company,b10,,,,111,,
B11,company,b11,,,A St,222,,
B12,company,b12,,,,A St,,
B13,company,b13,,,x,1,IBAN1,
B14,company,b14,,,y,2,IBAN1,
B16,company,b16,,,,abc,,
B17,company,b17,,,,ABC,,
H1,person,h1,,,,,,ID1
H2,person,h2,,,,,,ID1
H3,person,h3,,,,,,""
H5,person,h5,,,,,,
D1,person,d1,,2024-01-10,,,,
D2,person,d2,,,,,,
EOF
cat >advrel.csv <<'EOF'
a,b,kind,since,until
B6,B5,partner,2000-01-01,2000-12-31
B7,B7,self,,
F1,G1,spouse,2024-01-15,2024-01-20
G2,F2,sibling,,
G3,F3,cousin,,
F1,G5,child,2024-01-01,
EOF
cat >advposts2.csv <<'EOF'
org,post,official,start_date,end_date
OW,clerk,F1,2024-01-01,2024-01-31
OW,head,F2,,
OW2,clerk,F3,,
EOF
cat >advsub.csv <<'EOF'
payout_id,ts,program,org,village,beneficiary,amount
WA01,2024-01-10 00:00:00,PR,OW,v,H1,1.00
WA02,2024-01-20 00:00:00,PR,OW,v,H2,1.00
WA03,2024-01-31 23:59:59.999999,PR,OW,v,H3,1.00
WA04,2024-02-01 00:00:00,PR,OW,v,H3,1.00
WA05,2024-03-05 00:00:00,PR,OW,v,H4,1.00
WA06,2024-03-25 00:00:00,PR,OW,v,H4,1.00
WA07,2024-04-01 00:00:00,PR,OW,v,H5,1.00
WA08,2024-04-02 00:00:00,PR2,OW,v,H5,1.00
WA09,2023-12-31 23:59:59,PR,OW,v,H1,1.00
WA10,2024-01-01 00:00:00,PR,OW,v,H1,1.00
WA11,2024-01-15 00:00:00,,OW,v,H1,1.00
WA12,,PR,OW,v,H1,1.00
WB20,2024-01-10 23:59:59,PD,OW,v,D1,1.00
WB21,2024-01-11 00:00:00,PD2,OW,v,D1,1.00
WB22,2024-05-01 00:00:00,PD,OW,v,D2,1.00
WB23,2024-05-01 00:00:00,PD,OW,v,D9,1.00
WB24,,PD3,OW,v,D1,1.00
WC30,2024-01-15 00:00:00,P30,OW,v,G1,1.00
WC31,2024-01-20 23:00:00,P31,OW,v,G1,1.00
WC32,2024-01-21 00:00:00,P32,OW,v,G1,1.00
WC33,2024-01-14 00:00:00,P33,OW,v,G1,1.00
WC34,2024-06-01 00:00:00,P34,OW,v,G2,1.00
WC35,2024-06-01 00:00:00,P35,OW,v,G3,1.00
WC36,2024-06-01 00:00:00,P36,OW2,v,G3,1.00
WC37,2024-02-01 00:00:00,P37,OW,v,G5,1.00
WC38,2024-01-31 00:00:00,P38,OW,v,G5,1.00
WC39,2024-01-31 00:00:00,P39,,v,G5,1.00
EOF
for t in tenders:advt bids:advb entities:advent relations:advrel posts:advposts2 subsidies:advsub; do
  expect_rc 0 "ingest adversarial ${t%%:*}" ferret ingest xp "${t%%:*}" "${t#*:}.csv" --quiet
done
batch --load "tenders=$PWD/advt.csv" --load "bids=$PWD/advb.csv" --load "entities=$PWD/advent.csv" \
  --load "relations=$PWD/advrel.csv" --load "posts=$PWD/advposts2.csv" --load "subsidies=$PWD/advsub.csv" \
  --types tenders=canonical --types bids=canonical --types entities=canonical --types relations=canonical \
  --types posts=canonical --types subsidies=canonical
same "adv P12" xp P12 -- "$src/tests/detect/p12_shared_contacts.sql"
literal "adv P12" T01 T04 T09
sqlq q.sql p13_split_direct_awards.sql 's/1000000\.00/1000.00/g' 's/90 \* 86400000000/10 * 86400000000/g'
same "adv P13 threshold=1000.00 window_days=10" xp P13 threshold=1000.00 window_days=10 -- q.sql
pre Q; literal "adv P13 threshold=1000.00 window_days=10" "Q01 Q02" Q07 "Q16 Q17 Q18 Q19" "Q20 Q21" "Q22 Q23"
sqlq q.sql p13_split_direct_awards.sql 's/1000000\.00/1000.01/g' 's/90 \* 86400000000/10 * 86400000000/g'
same "adv P13 threshold=1000.01 window_days=10" xp P13 threshold=1000.01 window_days=10 -- q.sql
pre Q; literal "adv P13 threshold=1000.01 window_days=10" "Q05 Q06"
sqlq q.sql p13_split_direct_awards.sql 's/1000000\.00/1000.00/g' 's/90 \* 86400000000/0 * 86400000000/g'
same "adv P13 threshold=1000.00 window_days=0" xp P13 threshold=1000.00 window_days=0 -- q.sql
pre Q; literal "adv P13 threshold=1000.00 window_days=0" Q07
sqlq q.sql p13_split_direct_awards.sql 's/1000000\.00/1000.00/g' 's/90 \* 86400000000/10 * 86400000000/g' \
  "s/t.method IN ('single_source', 'negotiated')/t.method IN ('open')/"
same "adv P13 methods=open" xp P13 threshold=1000.00 window_days=10 methods=open -- q.sql
pre Q; literal "adv P13 methods=open" "Q10 Q11"
for ps in 4:0.5 100:0.07 100:0.071 1:1; do
  sqlq q.sql p14_winner_concentration.sql "s/>= 10)/>= ${ps%%:*})/" "s/0\.5 \* g\.n/${ps#*:} * g.n/"
  same "adv P14 min_tenders=${ps%%:*} share=${ps#*:}" xp P14 "min_tenders=${ps%%:*}" "share=${ps#*:}" -- q.sql
  cp ours.txt "p14.${ps%%:*}.${ps#*:}.txt"
done
f7="F001 F002 F003 F004 F005 F006 F007"
cp p14.4.0.5.txt ours.txt; literal "adv P14 min_tenders=4 share=0.5" "R01 R02" "R11 R12 R13" "R14 R15 R16"
cp p14.100.0.07.txt ours.txt; literal "adv P14 min_tenders=100 share=0.07" "$f7"
cp p14.100.0.071.txt ours.txt; literal "adv P14 min_tenders=100 share=0.071"
sqlq q.sql p14_winner_concentration.sql "s/>= 10)/>= 1)/" "s/0\.5 \* g\.n/$big * g.n/"
refusable=1 same "adv P14 min_tenders=1 share=$big" xp P14 min_tenders=1 share=$big -- q.sql
same "adv W1" xp W1 -- "$src/tests/detect/w1_duplicate_beneficiary.sql"
pre WA; literal "adv W1" "WA01 WA02 WA10" "WA05 WA06"
sqlq q.sql w1_duplicate_beneficiary.sql 's/%Y-%m/%Y/'
same "adv W1 period=year" xp W1 period=year -- q.sql
pre WA; literal "adv W1 period=year" "WA01 WA02 WA10" "WA03 WA04" "WA05 WA06"
same "adv W2" xp W2 -- "$src/tests/detect/w2_deceased_beneficiary.sql"
literal "adv W2" WB21
same "adv W3" xp W3 -- "$src/tests/detect/w3_official_relative.sql"
literal "adv W3" WC30 WC31 WC34 WC36 WC38
flush
finish
