# test_detect_params.sh - `ferret detect` F1-F12 with NON-default parameters,
# differential against the reference SQL (tests/detect/fN_*.sql) run by DuckDB:
#  1. generated data (one seed other than test_detect_gen.sh's 7 and 11): for every
#     F detector two to four parameter sets; the reference SQL is copied and its
#     hard-coded defaults are replaced by the set's values (every replaced text must
#     occur in the copy, so a changed reference file fails loudly instead of
#     silently testing the defaults); ferret and DuckDB must flag the same sets of
#     evidence-key sets (F4: the same groups, MAD within 1e-12);
#  2. hand-made adversarial payments (values exactly at thresholds, gaps exactly
#     equal to window_days / hours and one microsecond more, equal timestamps, NULL
#     fields, midnight and hour boundaries, Dec 31 / Jan 1, Feb 29, ratios whose
#     product with an amount is exact in decimals but not in binary floating point)
#     for F2, F3, F5, F6, F7, F8, F9, F12, plus F4 with amounts under 10.00: ferret
#     must flag exactly the findings worked out by hand from the text of
#     shared/DETECTORS.md, and DuckDB running the reference SQL with the same values
#     must agree.
# FERRET_DETECT_PARAMS_ROWS (default 50000) and FERRET_DETECT_PARAMS_SEED (default
# 23) size the generated data.  Without the DuckDB peer (npm ci --prefix bench) only
# the hand-checked part runs.
source "$(dirname "$0")/lib.sh"
find_duckdb_peer
rows=${FERRET_DETECT_PARAMS_ROWS:-50000}
seed=${FERRET_DETECT_PARAMS_SEED:-23}
export LC_ALL=C

# keys_of JSONL: one line per finding, its evidence keys sorted and space-separated
# (a finding's evidence is a set), the lines sorted.
keys_of() {
  perl -ne 'if (/"values":\[([^\]]*)\]/) { my $v = $1; $v =~ tr/"//d;
              print join(" ", sort split /,/, $v), "\n" }' "$1" | sort
}
# sort_keys: the same normal form for DuckDB's one-column CSV (header dropped).
sort_keys() { tail -n +2 "$1" | tr -d '"' | perl -lane 'print join(" ", sort @F)' | sort; }

# mksql OUT N FROM TO [FROM TO]...: copies tests/detect/fN_*.sql to OUT and replaces
# every occurrence of each literal FROM by TO, in order; a FROM that does not occur
# is a failure (the reference file changed under this test).
mksql() {
  local out=$1 n=$2 from to
  shift 2
  cp "$(ls "$src"/tests/detect/f${n}_*.sql)" "$out"
  while [ $# -ge 2 ]; do
    from=$1 to=$2
    shift 2
    if ! grep -qF -- "$from" "$out"; then
      fail "$out: reference text '$from' not found in $(ls "$src"/tests/detect/f${n}_*.sql)"
      return 1
    fi
    FROM=$from TO=$to perl -pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/g' "$out"
  done
}

# duck SQLFILE OUT TABLE=FILE...: runs the reference SQL over the CSV files.
duck() {
  local sqlf=$1 out=$2 a
  shift 2
  local args=()
  for a; do args+=(--load "$a" --types "${a%%=*}=canonical"); done
  node "$peer" query --threads 2 "${args[@]}" --sql-file "$sqlf" --format csv >"$out" 2>duck.err
}

# run_ferret LABEL STORE N [--set ...]...: findings as JSON in our.json, key sets in
# our_keys.txt; also checks that 1 and 2 threads give the same bytes.
run_ferret() {
  local label=$1 store=$2 n=$3
  shift 3
  if ! ferret detect "$store" "F$n" "$@" --format json --threads 2 >our.json 2>err.txt; then
    fail "$label: ferret failed: $(head -c 300 err.txt)"; return 1
  fi
  ferret detect "$store" "F$n" "$@" --format json --threads 1 >our1.json 2>/dev/null || true
  check "$label: identical at 1 and 2 threads" cmp -s our.json our1.json
  keys_of our.json >our_keys.txt
}

# compare LABEL N: our.json / our_keys.txt against DuckDB's ref.csv.
compare() {
  local label=$1 n=$2
  if [ "$n" = 4 ]; then
    tail -n +2 ref.csv | cut -d, -f3 | tr -d '"' | perl -lane 'print join(" ", sort @F)' | sort >ref_keys.txt
    tail -n +2 ref.csv | cut -d, -f1,2 | tr -d '"' | sort >ref_mad.txt
    perl -ne 'print "$1,$2\n" if /"subject":"([^"]*)".*"mad":([0-9.eE+-]+)/' our.json | sort >our_mad.txt
    if [ "$(cut -d, -f1 ref_mad.txt)" = "$(cut -d, -f1 our_mad.txt)" ] &&
       join -t, ref_mad.txt our_mad.txt | awk -F, '{ d = $2 - $3; if (d < 0) d = -d; if (d > 1e-12) bad = 1 } END { exit bad }'; then
      pass
    else
      fail "$label: groups / MAD differ from DuckDB: ours [$(tr '\n' ' ' <our_mad.txt)] DuckDB [$(tr '\n' ' ' <ref_mad.txt)]"
    fi
  else
    sort_keys ref.csv >ref_keys.txt
  fi
  if cmp -s ref_keys.txt our_keys.txt; then pass; else
    fail "$label: DuckDB reference differs (< DuckDB only, > ferret only): $(diff ref_keys.txt our_keys.txt | grep '^[<>]' | head -c 700)"
  fi
}

# ------------------------------------------------------------ 1. generated data

gen_case() { # gen_case N LABEL "SET ARGS" FROM TO...
  local n=$1 label="seed $seed F$1 $2" sets=$3 a
  shift 3
  local args=()
  for a in $sets; do args+=(--set "$a"); done
  run_ferret "$label" gs "$n" "${args[@]}" || return 0
  [ "$have_duckdb" = 1 ] || return 0
  mksql "q.sql" "$n" "$@" || return 0
  if ! duck q.sql ref.csv "payments=$PWD/gen/payments.csv" "entities=$PWD/gen/entities.csv" \
      "relations=$PWD/gen/relations.csv"; then
    fail "$label: DuckDB: $(head -c 300 duck.err)"; return 0
  fi
  compare "$label" "$n"
  echo "$label: ferret $(wc -l <our_keys.txt) findings, DuckDB $(wc -l <ref_keys.txt)"
  gen_total=$((gen_total + $(wc -l <our_keys.txt)))
}
gen_total=0
# reference texts shared by both parts
F2W='3 * 86400000000' F2M='amount >= 1000.00'
F5T='0.10 * p1.amount' F5W='30 * 86400000000' F5M='amount >= 10000.00'

if [ "$have_duckdb" = 1 ]; then
  ferret gen gen --rows "$rows" --seed "$seed" --compress none >/dev/null
  for t in payments entities relations; do
    expect_rc 0 "seed $seed: ingest $t" ferret ingest gs "$t" "gen/$t.csv" --quiet
  done

  # F1 has no parameters of its own: remap its columns instead.
  gen_case 1 "invoice_no=memo" "invoice_no=memo" invoice_no memo
  gen_case 1 "payee=approver" "payee=approver" payee approver

  gen_case 2 "w10 m5000" "window_days=10 min_amount=5000.00" "$F2W" '10 * 86400000000' "$F2M" 'amount >= 5000.00'
  gen_case 2 "w1 m100" "window_days=1 min_amount=100.00" "$F2W" '1 * 86400000000' "$F2M" 'amount >= 100.00'
  gen_case 2 "w60 m50000" "window_days=60 min_amount=50000" "$F2W" '60 * 86400000000' "$F2M" 'amount >= 50000.00'

  # F3: floor x threshold first, then the threshold, the window, the parts.
  f3() { # f3 LABEL THRESHOLD FLOOR WINDOW PARTS
    gen_case 3 "$1" "threshold=$2 floor=$3 window_days=$4 min_parts=$5" \
      '0.8 * 100000.00' "$3 * $2" '100000.00' "$2" '7 * 86400000000' "$4 * 86400000000" \
      'count(*) >= 2' "count(*) >= $5"
  }
  f3 "t50000 f0.6 w10 p3" 50000.00 0.6 10 3
  f3 "t120000 f0.7 w3 p2" 120000.00 0.7 3 2
  f3 "t33333.33 f0.75 w14 p2" 33333.33 0.75 14 2
  f3 "t20000 f0.55 w30 p4" 20000.00 0.55 30 4

  f4() { # f4 LABEL GROUP_BY MIN_COUNT MIN_AMOUNT MAD_LIMIT
    gen_case 4 "$1" "group_by=$2 min_count=$3 min_amount=$4 mad_limit=$5" \
      'org AS g' "$2 AS g" 'org IS NOT NULL' "$2 IS NOT NULL" 'count(*) >= 1000' "count(*) >= $3" \
      'amount >= 10.00' "amount >= $4" '> 0.0022' "> $5"
  }
  f4 "org n500 m100 l0.001" org 500 100.00 0.001
  f4 "budget_code n200 l0.0005" budget_code 200 10.00 0.0005
  f4 "org n800 m1.00 l0.0015" org 800 1.00 0.0015
  f4 "payee n60 m0.01 l0.0001" payee 60 0.01 0.0001

  # F5: the union of c2..c4 is cut down (or a c5 added) for min_len / max_len.
  gen_case 5 "len3-3 tol0.2 w60" "min_len=3 max_len=3 tolerance=0.2 window_days=60" \
    'SELECT k FROM c2 UNION ALL ' '' ' UNION ALL SELECT k FROM c4' '' \
    "$F5T" '0.2 * p1.amount' "$F5W" '60 * 86400000000'
  gen_case 5 "len2-2 tol0.02 w10 m5000" "min_len=2 max_len=2 tolerance=0.02 window_days=10 min_amount=5000.00" \
    ' UNION ALL SELECT k FROM c3 UNION ALL SELECT k FROM c4' '' \
    "$F5T" '0.02 * p1.amount' "$F5W" '10 * 86400000000' "$F5M" 'amount >= 5000.00'
  C5='c5 AS (
  SELECT [p1.txn_id, p2.txn_id, p3.txn_id, p4.txn_id, p5.txn_id] AS k FROM s p1
  JOIN p p2 ON p2.payer = p1.payee AND p2.t > p1.t
  JOIN p p3 ON p3.payer = p2.payee AND p3.t > p2.t
  JOIN p p4 ON p4.payer = p3.payee AND p4.t > p3.t
  JOIN p p5 ON p5.payer = p4.payee AND p5.payee = p1.payer AND p5.t > p4.t
  WHERE p2.payer <> p1.payer AND p3.payer NOT IN (p1.payer, p2.payer)
    AND p4.payer NOT IN (p1.payer, p2.payer, p3.payer)
    AND p5.payer NOT IN (p1.payer, p2.payer, p3.payer, p4.payer)
    AND p5.t - p1.t <= 45 * 86400000000
    AND abs(p2.amount - p1.amount) <= 0.5 * p1.amount AND abs(p3.amount - p1.amount) <= 0.5 * p1.amount
    AND abs(p4.amount - p1.amount) <= 0.5 * p1.amount AND abs(p5.amount - p1.amount) <= 0.5 * p1.amount)
SELECT array_to_string(list_sort(k), '"' '"') AS keys FROM (SELECT k FROM c5 UNION ALL '
  gen_case 5 "len2-5 tol0.5 w45 m1000" "min_len=2 max_len=5 tolerance=0.5 window_days=45 min_amount=1000.00" \
    "SELECT array_to_string(list_sort(k), ' ') AS keys FROM (" ", $C5" \
    "$F5T" '0.5 * p1.amount' "$F5W" '45 * 86400000000' "$F5M" 'amount >= 1000.00'

  f6() { # f6 LABEL HOURS RATIO MIN_AMOUNT
    gen_case 6 "$1" "hours=$2 ratio=$3 min_amount=$4" '48 * 3600000000' "$2 * 3600000000" \
      '0.9 * in_amount' "$3 * in_amount" 'amount >= 50000.00' "amount >= $4"
  }
  f6 "h24 r0.5 m10000" 24 0.5 10000.00
  f6 "h72 r1.0 m20000" 72 1.0 20000.00
  f6 "h1 r0.55 m1000" 1 0.55 1000.00

  f7() { # f7 LABEL MIN_FAN SCATTER GATHER RATIO
    gen_case 7 "$1" "min_fan=$2 scatter_days=$3 gather_days=$4 ratio=$5" 'count(*) >= 5' "count(*) >= $2" \
      '3 * 86400000000' "$3 * 86400000000" '7 * 86400000000' "$4 * 86400000000" '0.8 * r.received' "$5 * r.received"
  }
  f7 "fan3 s1 g3 r0.5" 3 1 3 0.5
  f7 "fan6 s5 g14 r0.6" 6 5 14 0.6
  f7 "fan2 s3 g7 r0.3" 2 3 7 0.3

  f8() { # f8 LABEL MIN_AMOUNT MIN_COUNT NIGHT_START NIGHT_END HOLIDAYS(comma list or '')
    local hol='' d sep='' sets="min_amount=$2 min_count=$3 night_start=$4 night_end=$5${6:+ holidays=$6}"
    for d in ${6//,/ }; do hol="$hol${sep}DATE '$d'"; sep=', '; done
    gen_case 8 "$1" "$sets" 'amount >= 10000.00' "amount >= $2" 'count(*) >= 3' "count(*) >= $3" \
      'hour(ts) >= 22' "hour(ts) >= $4" 'hour(ts) < 6' "hour(ts) < $5" \
      'dayofweek(ts) IN (0, 6)' "dayofweek(ts) IN (0, 6)${hol:+ OR CAST(ts AS DATE) IN ($hol)}"
  }
  f8 "m5000 c5 20-7 holidays" 5000.00 5 20 7 2023-10-02,2023-10-03,2024-02-12,2024-05-01
  f8 "m1000 c2 21-1" 1000.00 2 21 1 ''
  f8 "holidays only" 10000.00 1 24 0 2023-01-02,2023-05-01,2024-02-29,2024-10-01,2024-12-31

  f9() { # f9 LABEL RATIO MIN_AMOUNT MIN_MONTHS MIN_PAYMENTS
    gen_case 9 "$1" "ratio=$2 min_amount=$3 min_months=$4 min_payments=$5" '3.0 * jan_nov' "$2 * jan_nov" \
      'dec >= 1000000.00' "dec >= $3" 'months >= 6' "months >= $4" 'n_dec >= 10' "n_dec >= $5"
  }
  f9 "r2 m500000 mo4 n5" 2.0 500000.00 4 5
  f9 "r1.1 m100000 mo11 n20" 1.1 100000.00 11 20
  f9 "r5 m1000000 mo1 n1" 5.0 1000000.00 1 1

  f10() { gen_case 10 "$1" "min_count=$2 z=$3" 'n >= 50' "n >= $2" 'mad.mad) >= 5.0' "mad.mad) >= $3"; }
  f10 "n30 z3.5" 30 3.5
  f10 "n20 z8" 20 8.0
  f10 "n60 z3" 60 3.0

  f11() { # f11 LABEL KINDS (comma list)
    local k="'${2//,/\', \'}'"
    gen_case 11 "$1" "kinds=$2" 'WHERE a IS NOT NULL AND b IS NOT NULL)' \
      "WHERE a IS NOT NULL AND b IS NOT NULL AND kind IN ($k))"
  }
  f11 "spouse,sibling" spouse,sibling
  f11 "legal_rep" legal_rep
  f11 "shareholder,supervisor,child" shareholder,supervisor,child

  f12() { gen_case 12 "$1" "days=$2 min_amount=$3" 'BETWEEN 0 AND 90' "BETWEEN 0 AND $2" 'p.amount >= 500000.00' "p.amount >= $3"; }
  f12 "d30 m100000" 30 100000.00
  f12 "d365 m200000" 365 200000.00
  f12 "d0 m0.01" 0 0.01

  check "generated data: the parameter sets flag something ($gen_total findings)" [ "$gen_total" -gt 50 ]
fi

# ------------------------------------------------------------ 2. adversarial data
# Columns of payments: txn_id,ts,org,payer,payee,amount,currency,budget_code,
# requester,approver,invoice_no,contract_id,case_id,memo (empty field = NULL).

# adv LABEL N CSV "SET ARGS" EXPECTED FROM TO...: EXPECTED lists the findings
# worked out by hand from DETECTORS.md, '|' between findings, keys space-separated.
# CSV (adv_*.csv) is loaded as payments; adv_entities.csv as entities for F12.
adv() {
  local label="adversarial F$2 $1" n=$2 csv=$3 sets=$4 want=$5 a
  shift 5
  local store=st_${csv%.csv}
  if [ ! -d "$store" ]; then
    expect_rc 0 "$label: ingest $csv" ferret ingest "$store" payments "$csv" --quiet
    [ "$n" = 12 ] && expect_rc 0 "$label: ingest entities" ferret ingest "$store" entities adv_entities.csv --quiet
  fi
  local args=()
  for a in $sets; do args+=(--set "$a"); done
  run_ferret "$label" "$store" "$n" "${args[@]}" || return 0
  tr '|' '\n' <<<"$want" | perl -lane 'print join(" ", sort @F) if @F' | sort >want.txt
  if cmp -s want.txt our_keys.txt; then pass; else
    fail "$label: ferret differs from DETECTORS.md worked by hand (< by hand only, > ferret only): $(diff want.txt our_keys.txt | grep '^[<>]' | head -c 700)"
  fi
  [ "$have_duckdb" = 1 ] || return 0
  mksql q.sql "$n" "$@" || return 0
  local loads=("payments=$PWD/$csv")
  [ "$n" = 12 ] && loads+=("entities=$PWD/adv_entities.csv")
  if ! duck q.sql ref.csv "${loads[@]}"; then fail "$label: DuckDB: $(head -c 300 duck.err)"; return 0; fi
  compare "$label" "$n"
}
H=txn_id,ts,org,payer,payee,amount,currency,budget_code,requester,approver,invoice_no,contract_id,case_id,memo

# F2: run A links an exact 2-day gap over Feb 29, breaks at 2 days + 1 us, links equal
# timestamps (input order against key order); B sits exactly at min_amount, C a
# cent under; D has a NULL payer; E a NULL ts between two linked rows; G spans
# Dec 31 / Jan 1; H writes one amount two ways (1200.1 = 1200.10); K chains past the
# window in total; L has NULL amounts; T has two equal timestamps 60 days after a
# third row (input order against key order again).
cat >adv_f2.csv <<EOF
$H
f2a1,2024-02-27 10:00:00,O-2,P-A,V-A,600.00,,,,,,,,
f2a5,2024-02-28 10:00:00,O-2,P-A,V-A,600.01,,,,,,,,
f2a2,2024-02-29 10:00:00,O-2,P-A,V-A,600.00,,,,,,,,
f2a4,2024-03-02 10:00:00.000001,O-2,P-A,V-A,600.00,,,,,,,,
f2a3,2024-03-02 10:00:00.000001,O-2,P-A,V-A,600.00,,,,,,,,
f2b1,2024-05-06 08:00:00,O-2,P-B,V-B,500.00,,,,,,,,
f2b2,2024-05-07 08:00:00,O-2,P-B,V-B,500.00,,,,,,,,
f2c1,2024-05-06 08:00:00,O-2,P-C,V-C,499.99,,,,,,,,
f2c2,2024-05-06 09:00:00,O-2,P-C,V-C,499.99,,,,,,,,
f2d1,2024-05-06 08:00:00,O-2,,V-D,800.00,,,,,,,,
f2d2,2024-05-06 09:00:00,O-2,,V-D,800.00,,,,,,,,
f2e1,2023-06-01 00:00:00,O-2,P-E,V-E,700.00,,,,,,,,
f2e2,,O-2,P-E,V-E,700.00,,,,,,,,
f2e3,2023-06-03 00:00:00,O-2,P-E,V-E,700.00,,,,,,,,
f2g1,2023-12-31 23:59:59,O-2,P-G,V-G,1000.00,,,,,,,,
f2g2,2024-01-02 23:59:59,O-2,P-G,V-G,1000.00,,,,,,,,
f2h1,2024-07-01 12:00:00,O-2,P-H,V-H,1200.1,,,,,,,,
f2h3,2024-07-01 13:00:00,O-2,P-H,V-H,1200.01,,,,,,,,
f2h2,2024-07-02 12:00:00,O-2,P-H,V-H,1200.10,,,,,,,,
f2k1,2024-08-01 00:00:00,O-2,P-K,V-K,900.00,,,,,,,,
f2k2,2024-08-03 00:00:00,O-2,P-K,V-K,900.00,,,,,,,,
f2k3,2024-08-05 00:00:00,O-2,P-K,V-K,900.00,,,,,,,,
f2k4,2024-08-07 00:00:01,O-2,P-K,V-K,900.00,,,,,,,,
f2l1,2024-08-01 00:00:00,O-2,P-L,V-L,,,,,,,,,
f2t9,2024-01-01 14:00:01,O-2,P-T,V-T,800.00,,,,,,,,
f2t5,2024-03-01 12:00:00,O-2,P-T,V-T,800.00,,,,,,,,
f2t1,2024-03-01 12:00:00,O-2,P-T,V-T,800.00,,,,,,,,
f2l2,2024-08-01 01:00:00,O-2,P-L,V-L,,,,,,,,,
EOF
adv "w2 m500" 2 adv_f2.csv "window_days=2 min_amount=500.00" \
  "f2a1 f2a2|f2a3 f2a4|f2b1 f2b2|f2e1 f2e3|f2g1 f2g2|f2h1 f2h2|f2k1 f2k2 f2k3|f2t1 f2t5" \
  "$F2W" '2 * 86400000000' "$F2M" 'amount >= 500.00'
adv "w0 m600" 2 adv_f2.csv "window_days=0 min_amount=600.00" "f2a3 f2a4|f2t1 f2t5" \
  "$F2W" '0 * 86400000000' "$F2M" 'amount >= 600.00'

# F3 (a): band [20000.00, 50000.00), 5-day windows, 2 parts.
cat >adv_f3a.csv <<EOF
$H
f3a1,2024-02-25 00:00:00,O-1,O-1,V-31,25000.00,,,,,,,,
f3a2,2024-03-01 00:00:00,O-1,O-1,V-31,25000.00,,,,,,,,
f3b1,2024-03-10 09:00:00,O-1,O-1,V-32,24999.99,,,,,,,,
f3b2,2024-03-10 10:00:00,O-1,O-1,V-32,25000.00,,,,,,,,
f3c1,2024-04-01 09:00:00,O-1,O-1,V-33,50000.00,,,,,,,,
f3c2,2024-04-01 10:00:00,O-1,O-1,V-33,20000.00,,,,,,,,
f3c3,2024-04-01 11:00:00,O-1,O-1,V-33,29999.99,,,,,,,,
f3d1,2024-04-10 09:00:00,O-1,O-1,V-34,19999.99,,,,,,,,
f3d2,2024-04-10 10:00:00,O-1,O-1,V-34,30000.01,,,,,,,,
f3e1,2023-12-27 12:00:00,O-1,O-1,V-35,25000.00,,,,,,,,
f3e2,2024-01-01 12:00:00.000001,O-1,O-1,V-35,25000.00,,,,,,,,
f3j1,2024-05-01 00:00:00,O-1,O-1,V-36,30000.00,,,,,,,,
f3j2,2024-05-05 00:00:00,O-1,O-1,V-36,20000.00,,,,,,,,
f3j3,2024-05-10 00:00:00,O-1,O-1,V-36,30000.00,,,,,,,,
f3k1,2024-06-01 00:00:00,O-1,O-1,V-37,25000.00,,,,,,,,
f3k2,2024-06-02 00:00:00,O-1,O-1,V-37,25000.00,,,,,,,,
f3k3,2024-06-08 00:00:00,O-1,O-1,V-37,25000.00,,,,,,,,
f3k4,2024-06-09 00:00:00,O-1,O-1,V-37,25000.00,,,,,,,,
f3m1,2024-07-01 00:00:00,O-1,O-1,V-38,30000.00,,,,,,,,
f3m2,2024-07-02 00:00:00,O-1,O-1,V-38,20000.00,,,,,,,,
f3m3,2024-07-06 00:00:00,O-1,O-1,V-38,20000.00,,,,,,,,
f3n1,2024-07-01 00:00:00,,O-1,V-39,25000.00,,,,,,,,
f3n2,2024-07-01 00:00:00,,O-1,V-39,25000.00,,,,,,,,
f3o1,2024-08-01 12:00:00,O-1,O-1,V-40,25000.00,,,,,,,,
f3o2,2024-08-01 12:00:00,O-1,O-1,V-40,25000.00,,,,,,,,
f3p1,2024-08-01 12:00:00,O-1,O-1,V-41,25000.00,,,,,,,,
f3p2,2024-08-01 13:00:00,O-2,O-2,V-41,25000.00,,,,,,,,
f3q1,2024-09-01 00:00:00,O-1,O-1,V-43,25000.00,,,,,,,,
f3q2,2024-09-02 00:00:00,O-1,O-1,V-43,,,,,,,,,
f3q3,2024-09-03 00:00:00,O-1,O-1,V-43,25000.00,,,,,,,,
EOF
F3A=('0.8 * 100000.00' '0.4 * 50000.00' '100000.00' '50000.00' '7 * 86400000000' '5 * 86400000000' 'count(*) >= 2' 'count(*) >= 2')
adv "t50000 f0.4 w5 p2" 3 adv_f3a.csv "threshold=50000.00 floor=0.4 window_days=5 min_parts=2" \
  "f3a1 f3a2|f3j1 f3j2 f3j3|f3k1 f3k2|f3k3 f3k4|f3m1 f3m2 f3m3|f3o1 f3o2|f3q1 f3q3" "${F3A[@]}"

# F3 (b): floor x threshold = 24999.9975, so the band starts at 25000.00; window 0.
cat >adv_f3b.csv <<EOF
$H
f3r1,2024-03-01 10:00:00,O-1,O-1,V-51,25000.00,,,,,,,,
f3r2,2024-03-01 10:00:00,O-1,O-1,V-51,24999.99,,,,,,,,
f3r3,2024-03-01 10:00:00,O-1,O-1,V-52,25000.00,,,,,,,,
f3r4,2024-03-01 10:00:00,O-1,O-1,V-52,25000.00,,,,,,,,
f3r5,2024-03-01 10:00:00,O-1,O-1,V-53,33333.33,,,,,,,,
f3r6,2024-03-01 10:00:00,O-1,O-1,V-53,25000.00,,,,,,,,
f3r7,2024-03-01 10:00:00,O-1,O-1,V-54,33333.32,,,,,,,,
f3r8,2024-03-01 10:00:00.000001,O-1,O-1,V-54,25000.00,,,,,,,,
f3r9,2024-12-31 23:59:59.999999,O-1,O-1,V-55,33333.32,,,,,,,,
f3r10,2024-12-31 23:59:59.999999,O-1,O-1,V-55,33333.32,,,,,,,,
EOF
adv "t33333.33 f0.75 w0 p2" 3 adv_f3b.csv "threshold=33333.33 floor=0.75 window_days=0 min_parts=2" \
  "f3r3 f3r4|f3r10 f3r9" \
  '0.8 * 100000.00' '0.75 * 33333.33' '100000.00' '33333.33' '7 * 86400000000' '0 * 86400000000'

# F3 (c): 0.55 x 13110.00 = 7210.50 exactly (in binary floating point a hair more).
cat >adv_f3c.csv <<EOF
$H
f3s1,2024-03-01 10:00:00,O-1,O-1,V-61,7210.50,,,,,,,,
f3s2,2024-03-01 11:00:00,O-1,O-1,V-61,7210.50,,,,,,,,
f3s3,2024-03-01 10:00:00,O-1,O-1,V-62,7210.49,,,,,,,,
f3s4,2024-03-01 11:00:00,O-1,O-1,V-62,7210.50,,,,,,,,
f3s5,2024-03-01 10:00:00,O-1,O-1,V-63,13109.99,,,,,,,,
f3s6,2024-03-02 10:00:00,O-1,O-1,V-63,7210.50,,,,,,,,
f3s7,2024-03-01 10:00:00,O-1,O-1,V-64,13110.00,,,,,,,,
f3s8,2024-03-01 11:00:00,O-1,O-1,V-64,7210.50,,,,,,,,
EOF
adv "t13110 f0.55 w1 p2" 3 adv_f3c.csv "threshold=13110.00 floor=0.55 window_days=1 min_parts=2" \
  "f3s1 f3s2|f3s5 f3s6" \
  '0.8 * 100000.00' '0.55 * 13110.00' '100000.00' '13110.00' '7 * 86400000000' '1 * 86400000000'

# F3 (d): band [15000.00, 50000.00), 3 parts: the sum decides.
cat >adv_f3d.csv <<EOF
$H
f3t1,2024-03-01 10:00:00,O-1,O-1,V-71,15000.00,,,,,,,,
f3t2,2024-03-02 10:00:00,O-1,O-1,V-71,15000.00,,,,,,,,
f3t3,2024-03-04 10:00:00,O-1,O-1,V-71,20000.00,,,,,,,,
f3t4,2024-03-01 10:00:00,O-1,O-1,V-72,15000.00,,,,,,,,
f3t5,2024-03-02 10:00:00,O-1,O-1,V-72,15000.00,,,,,,,,
f3t6,2024-03-04 10:00:00,O-1,O-1,V-72,19999.99,,,,,,,,
f3t7,2024-03-01 10:00:00,O-1,O-1,V-73,25000.00,,,,,,,,
f3t8,2024-03-01 10:00:00,O-1,O-1,V-73,25000.00,,,,,,,,
f3t9,2024-04-01 00:00:00,O-1,O-1,V-74,20000.00,,,,,,,,
f3t10,2024-04-04 00:00:00,O-1,O-1,V-74,20000.00,,,,,,,,
f3t11,2024-04-06 00:00:00,O-1,O-1,V-74,20000.00,,,,,,,,
f3t12,2024-04-09 00:00:00,O-1,O-1,V-74,20000.00,,,,,,,,
EOF
adv "t50000 f0.3 w5 p3" 3 adv_f3d.csv "threshold=50000.00 floor=0.3 window_days=5 min_parts=3" \
  "f3t1 f3t2 f3t3|f3t10 f3t11 f3t12 f3t9" \
  '0.8 * 100000.00' '0.3 * 50000.00' '100000.00' '50000.00' '7 * 86400000000' '5 * 86400000000' \
  'count(*) >= 2' 'count(*) >= 3'

# F5: tolerance 0.07 x 10000.00 = 700.00 and 0.07 x 10923.00 = 764.61 exactly; a
# 10-day window over Feb 29; equal timestamps are not strictly increasing.
cat >adv_f5.csv <<EOF
$H
f5a1,2024-02-20 00:00:00,O-5,A1,B1,10000.00,,,,,,,,
f5a2,2024-03-01 00:00:00,O-5,B1,A1,9300.00,,,,,,,,
f5b1,2024-02-20 00:00:00,O-5,A2,B2,10000.00,,,,,,,,
f5b2,2024-02-21 00:00:00,O-5,B2,A2,9299.99,,,,,,,,
f5c1,2024-02-20 00:00:00,O-5,A3,B3,10000.00,,,,,,,,
f5c2,2024-03-01 00:00:00.000001,O-5,B3,A3,10000.00,,,,,,,,
f5d1,2024-02-20 00:00:00,O-5,A4,B4,20000.00,,,,,,,,
f5d2,2024-02-20 00:00:00,O-5,B4,A4,20000.00,,,,,,,,
f5e1,2024-02-20 00:00:00,O-5,A5,B5,9999.99,,,,,,,,
f5e2,2024-02-21 00:00:00,O-5,B5,A5,9999.99,,,,,,,,
f5f1,2023-12-30 00:00:00,O-5,A6,B6,10000.00,,,,,,,,
f5f2,2023-12-31 23:59:59,O-5,B6,C6,10700.00,,,,,,,,
f5f3,2024-01-01 00:00:00,O-5,C6,A6,9300.00,,,,,,,,
f5g1,2024-02-20 00:00:00,O-5,A7,B7,10000.00,,,,,,,,
f5g2,2024-02-21 00:00:00,O-5,B7,C7,10000.00,,,,,,,,
f5g3,2024-02-22 00:00:00,O-5,C7,D7,10000.00,,,,,,,,
f5g4,2024-02-23 00:00:00,O-5,D7,A7,10000.00,,,,,,,,
f5h1,2024-05-01 00:00:00,O-5,A8,B8,10923.00,,,,,,,,
f5h2,2024-05-02 00:00:00,O-5,B8,A8,10158.39,,,,,,,,
f5i1,2024-05-01 00:00:00,O-5,A9,B9,10923.00,,,,,,,,
f5i2,2024-05-02 00:00:00,O-5,B9,A9,11687.61,,,,,,,,
f5j1,2024-05-01 00:00:00,O-5,A10,B10,10923.00,,,,,,,,
f5j2,2024-05-02 00:00:00,O-5,B10,A10,11687.62,,,,,,,,
EOF
adv "len2-3 tol0.07 w10" 5 adv_f5.csv "min_len=2 max_len=3 window_days=10 tolerance=0.07 min_amount=10000.00" \
  "f5a1 f5a2|f5f1 f5f2 f5f3|f5h1 f5h2|f5i1 f5i2" \
  ' UNION ALL SELECT k FROM c4' '' "$F5T" '0.07 * p1.amount' "$F5W" '10 * 86400000000'

# F6: 0.55 x 13110.00 = 7210.50 exactly; 0.55 x 10000.01 = 5500.0055; an outflow
# exactly 24 h later counts, one at the same instant or 24 h + 1 us later does not;
# X7's outflows have a NULL amount, ts or payer; X8's two inflows share one outflow;
# X12 -> X13 is both an outflow and, in turn, a flagged inflow.  (A NULL payer on
# an inflow or a NULL payee on an outflow, columns the rule does not use in that
# role, is left out: DETECTORS.md does not say whether such a row is skipped.)
cat >adv_f6.csv <<EOF
$H
f6a1,2024-02-28 12:00:00,O-6,O-6,X1,13110.00,,,,,,,,
f6a2,2024-02-29 12:00:00,O-6,X1,Y,7210.50,,,,,,,,
f6b1,2024-03-01 12:00:00,O-6,O-6,X2,13110.00,,,,,,,,
f6b2,2024-03-01 13:00:00,O-6,X2,Y,7210.49,,,,,,,,
f6c1,2024-03-01 12:00:00,O-6,O-6,X3,10000.01,,,,,,,,
f6c2,2024-03-01 13:00:00,O-6,X3,Y,5500.00,,,,,,,,
f6d1,2024-03-01 12:00:00,O-6,O-6,X3B,10000.01,,,,,,,,
f6d2,2024-03-01 13:00:00,O-6,X3B,Y,5500.01,,,,,,,,
f6e1,2024-03-01 12:00:00,O-6,O-6,X4,9999.99,,,,,,,,
f6e2,2024-03-01 13:00:00,O-6,X4,Y,9999.99,,,,,,,,
f6f1,2024-03-01 12:00:00,O-6,O-6,X5,20000.00,,,,,,,,
f6f2,2024-03-01 12:00:00,O-6,X5,Y,20000.00,,,,,,,,
f6f3,2024-03-02 12:00:00.000001,O-6,X5,Y,20000.00,,,,,,,,
f6g1,2023-12-31 23:00:00,O-6,O-6,X6,10000.00,,,,,,,,
f6g2,2024-01-01 00:00:00,O-6,X6,Y,2500.00,,,,,,,,
f6g3,2024-01-01 23:00:00,O-6,X6,Y,3000.00,,,,,,,,
f6h1,2024-03-01 12:00:00,O-6,O-6,X7,10000.00,,,,,,,,
f6h2,2024-03-01 13:00:00,O-6,X7,Y,,,,,,,,,
f6h3,,O-6,X7,Y,5500.00,,,,,,,,
f6h4,2024-03-01 13:00:00,O-6,,Y,5500.00,,,,,,,,
f6i1,2024-04-01 10:00:00,O-6,O-6,X8,10000.00,,,,,,,,
f6i2,2024-04-01 11:00:00,O-6,O-6,X8,10000.00,,,,,,,,
f6i3,2024-04-01 12:00:00,O-6,X8,Y,5500.00,,,,,,,,
f6l1,2024-04-01 10:00:00,O-6,O-6,X11,10000.00,,,,,,,,
f6l2,2024-04-01 09:59:59,O-6,X11,Y,5500.00,,,,,,,,
f6m1,2024-05-01 10:00:00,O-6,O-6,X12,20000.00,,,,,,,,
f6m2,2024-05-01 11:00:00,O-6,X12,X13,11000.00,,,,,,,,
f6m3,2024-05-01 12:00:00,O-6,X13,Y,6050.00,,,,,,,,
EOF
adv "h24 r0.55 m10000" 6 adv_f6.csv "hours=24 ratio=0.55 min_amount=10000.00" \
  "f6a1 f6a2|f6d1 f6d2|f6g1 f6g2 f6g3|f6i1 f6i3|f6i2 f6i3|f6m1 f6m2|f6m2 f6m3" \
  '48 * 3600000000' '24 * 3600000000' '0.9 * in_amount' '0.55 * in_amount' 'amount >= 50000.00' 'amount >= 10000.00'

# F7: A: scatter window exactly 1 day, gathers at t0 and exactly t0 + 2 days over
# Feb 29, one payee gathering in two parts; B: 0.55 x 13110.00 = 7210.50 (B4 a cent
# short: not in the evidence); C: third scatter payment 1 us too late; D: G = S;
# E: two receipts of one payee, a gather payment one second before t0 is not counted.
cat >adv_f7.csv <<EOF
$H
f7a1,2024-02-28 00:00:00,O-7,S-A,M-A1,1000.00,,,,,,,,
f7a2,2024-02-28 12:00:00,O-7,S-A,M-A2,1000.00,,,,,,,,
f7a3,2024-02-29 00:00:00,O-7,S-A,M-A3,1000.00,,,,,,,,
f7a4,2024-03-01 00:00:00,O-7,M-A1,G-A,550.00,,,,,,,,
f7a5,2024-02-28 12:00:00,O-7,M-A2,G-A,550.00,,,,,,,,
f7a6,2024-03-02 00:00:00,O-7,M-A3,G-A,549.99,,,,,,,,
f7a7,2024-03-01 00:00:00,O-7,M-A3,G-A,0.01,,,,,,,,
f7b1,2024-04-01 10:00:00,O-7,S-B,M-B1,13110.00,,,,,,,,
f7b2,2024-04-01 10:01:00,O-7,S-B,M-B2,13110.00,,,,,,,,
f7b3,2024-04-01 10:02:00,O-7,S-B,M-B3,13110.00,,,,,,,,
f7b4,2024-04-01 10:03:00,O-7,S-B,M-B4,13110.00,,,,,,,,
f7b5,2024-04-02 10:00:00,O-7,M-B1,G-B,7210.50,,,,,,,,
f7b6,2024-04-02 10:00:00,O-7,M-B2,G-B,7210.50,,,,,,,,
f7b7,2024-04-02 10:00:00,O-7,M-B3,G-B,7210.50,,,,,,,,
f7b8,2024-04-02 10:00:00,O-7,M-B4,G-B,7210.49,,,,,,,,
f7c1,2024-05-01 00:00:00,O-7,S-C,M-C1,1000.00,,,,,,,,
f7c2,2024-05-01 01:00:00,O-7,S-C,M-C2,1000.00,,,,,,,,
f7c3,2024-05-02 00:00:00.000001,O-7,S-C,M-C3,1000.00,,,,,,,,
f7c4,2024-05-01 00:30:00,O-7,M-C1,G-C,1000.00,,,,,,,,
f7c5,2024-05-01 01:30:00,O-7,M-C2,G-C,1000.00,,,,,,,,
f7c6,2024-05-02 00:30:00,O-7,M-C3,G-C,1000.00,,,,,,,,
f7d1,2024-06-03 09:00:00,O-7,S-D,M-D1,1000.00,,,,,,,,
f7d2,2024-06-03 09:10:00,O-7,S-D,M-D2,1000.00,,,,,,,,
f7d3,2024-06-03 09:20:00,O-7,S-D,M-D3,1000.00,,,,,,,,
f7d4,2024-06-03 10:00:00,O-7,M-D1,S-D,1000.00,,,,,,,,
f7d5,2024-06-03 10:10:00,O-7,M-D2,S-D,1000.00,,,,,,,,
f7d6,2024-06-03 10:20:00,O-7,M-D3,S-D,1000.00,,,,,,,,
f7e1,2024-07-01 00:00:00,O-7,S-E,M-E1,600.00,,,,,,,,
f7e2,2024-07-01 10:00:00,O-7,S-E,M-E1,400.00,,,,,,,,
f7e3,2024-07-03 00:00:00,O-7,M-E1,G-E,550.00,,,,,,,,
f7e4,2024-07-01 01:00:00,O-7,S-E,M-E2,1000.00,,,,,,,,
f7e5,2024-07-01 00:59:59,O-7,M-E2,G-E,550.00,,,,,,,,
f7e6,2024-07-01 02:00:00,O-7,M-E2,G-E,550.00,,,,,,,,
f7e7,2024-07-01 02:00:00,O-7,S-E,M-E3,1000.00,,,,,,,,
f7e8,2024-07-02 00:00:00,O-7,M-E3,G-E,1000.00,,,,,,,,
EOF
adv "fan3 s1 g2 r0.55" 7 adv_f7.csv "min_fan=3 scatter_days=1 gather_days=2 ratio=0.55" \
  "f7a1 f7a2 f7a3 f7a4 f7a5 f7a6 f7a7|f7b1 f7b2 f7b3 f7b5 f7b6 f7b7|f7d1 f7d2 f7d3 f7d4 f7d5 f7d6|f7e1 f7e2 f7e3 f7e4 f7e6 f7e7 f7e8" \
  'count(*) >= 5' 'count(*) >= 3' '3 * 86400000000' '1 * 86400000000' '7 * 86400000000' '2 * 86400000000' \
  '0.8 * r.received' '0.55 * r.received'

# F7 and NULLs: a payment of S with a NULL payee starts no window (a row with NULL
# in a column the rule needs is skipped); without it, no window holds both a and b.
cat >adv_f7n.csv <<EOF
$H
q0,2024-03-01 00:00:00,O,S,,100.00,,,,,,,,
a,2024-03-01 12:00:00,O,S,M1,100.00,,,,,,,,
b,2024-03-02 00:00:00,O,S,M2,100.00,,,,,,,,
a2,2024-03-02 12:00:00,O,S,M1,100.00,,,,,,,,
g1,2024-03-01 13:00:00,O,M1,G,100.00,,,,,,,,
g2,2024-03-02 01:00:00,O,M2,G,100.00,,,,,,,,
EOF
adv "null payee" 7 adv_f7n.csv "min_fan=2 scatter_days=1 gather_days=1 ratio=1.0" "" \
  'count(*) >= 5' 'count(*) >= 2' '3 * 86400000000' '1 * 86400000000' '7 * 86400000000' '1 * 86400000000' \
  '0.8 * r.received' '1.0 * r.received'

# F8: holidays Mon 2024-01-01 and Thu 2024-02-29; night from 20:00 to 06:59:59.
cat >adv_f8.csv <<EOF
$H
f8h1,2024-01-01 12:00:00,O-8,O-8,V,5000.00,,,,AP-1,,,,
f8h2,2024-02-29 12:00:00,O-8,O-8,V,5000.00,,,,AP-1,,,,
f8n1,2024-01-02 19:59:59.999999,O-8,O-8,V,5000.00,,,,AP-2,,,,
f8n2,2024-01-02 20:00:00,O-8,O-8,V,5000.00,,,,AP-2,,,,
f8n3,2024-01-03 06:59:59,O-8,O-8,V,5000.00,,,,AP-2,,,,
f8n4,2024-01-03 07:00:00,O-8,O-8,V,5000.00,,,,AP-2,,,,
f8a1,2024-01-09 23:00:00,O-8,O-8,V,4999.99,,,,AP-3,,,,
f8a2,2024-01-09 23:00:00,O-8,O-8,V,5000.00,,,,AP-3,,,,
f8w1,2023-12-30 12:00:00,O-8,O-8,V,5000.00,,,,AP-4,,,,
f8w2,2023-12-31 12:00:00,O-8,O-8,V,5000.00,,,,AP-4,,,,
f8u1,2024-01-09 00:00:00,O-8,O-8,V,5000.00,,,,,,,,
f8u2,2024-01-09 01:00:00,O-8,O-8,V,5000.00,,,,,,,,
f8u3,2024-01-09 02:00:00,O-8,O-8,V,5000.00,,,,,,,,
f8x1,2024-01-09 23:00:00,O-8,O-8,V,,,,,AP-6,,,,
f8x2,,O-8,O-8,V,5000.00,,,,AP-6,,,,
f8x3,2024-01-09 23:00:00,O-8,O-8,V,5000.00,,,,AP-6,,,,
f8y1,2024-03-01 19:59:59,O-8,O-8,V,5000.00,,,,AP-7,,,,
f8y2,2024-03-04 07:00:00,O-8,O-8,V,5000.00,,,,AP-7,,,,
f8z1,2024-01-10 00:00:00,O-8,O-8,V,5000.00,,,,AP-8,,,,
f8z2,2024-12-31 23:59:59,O-8,O-8,V,5000.00,,,,AP-8,,,,
f8v1,2024-02-29 00:00:00,O-8,O-8,V,5000.00,,,,AP-10,,,,
f8v2,2024-02-28 12:00:00,O-8,O-8,V,5000.00,,,,AP-10,,,,
EOF
F8=('amount >= 10000.00' 'amount >= 5000.00' 'count(*) >= 3' 'count(*) >= 2')
adv "20-7 holidays" 8 adv_f8.csv "min_amount=5000.00 min_count=2 night_start=20 night_end=7 holidays=2024-01-01,2024-02-29" \
  "f8h1 f8h2|f8n2 f8n3|f8w1 f8w2|f8z1 f8z2" "${F8[@]}" 'hour(ts) >= 22' 'hour(ts) >= 20' 'hour(ts) < 6' 'hour(ts) < 7' \
  'dayofweek(ts) IN (0, 6)' "dayofweek(ts) IN (0, 6) OR CAST(ts AS DATE) IN (DATE '2024-01-01', DATE '2024-02-29')"
# night_start 2, night_end 5: "hour >= 2 or hour < 5" holds at every hour.
adv "2-5" 8 adv_f8.csv "min_amount=5000.00 min_count=2 night_start=2 night_end=5" \
  "f8h1 f8h2|f8n1 f8n2 f8n3 f8n4|f8w1 f8w2|f8y1 f8y2|f8z1 f8z2|f8v1 f8v2" "${F8[@]}" \
  'hour(ts) >= 22' 'hour(ts) >= 2' 'hour(ts) < 6' 'hour(ts) < 5'
adv "23-0" 8 adv_f8.csv "min_amount=5000.00 min_count=2 night_start=23 night_end=0" \
  "f8w1 f8w2" "${F8[@]}" 'hour(ts) >= 22' 'hour(ts) >= 23' 'hour(ts) < 6' 'hour(ts) < 0'

# F9: ratio 1.1 x (144210.00 / 11) = 14421.00 exactly (a hair more in binary);
# December runs from Dec 1 00:00:00 to Dec 31 23:59:59.999999; the 20 largest
# December payments with ties to the smaller key.
{
  echo "$H"
  for o in 91 92; do
    echo "f9-${o}a,2023-01-15 10:00:00,O-$o,O-$o,V,50000.00,,,,,,,,"
    echo "f9-${o}b,2023-02-15 10:00:00,O-$o,O-$o,V,50000.00,,,,,,,,"
    echo "f9-${o}c,2023-03-15 10:00:00,O-$o,O-$o,V,44210.00,,,,,,,,"
  done
  echo "f9-91d,2023-12-01 00:00:00,O-91,O-91,V,10000.00,,,,,,,,"
  echo "f9-91e,2023-12-31 23:59:59.999999,O-91,O-91,V,4421.00,,,,,,,,"
  echo "f9-91f,2024-01-01 00:00:00,O-91,O-91,V,99999.00,,,,,,,,"
  echo "f9-92d,2023-12-01 00:00:00,O-92,O-92,V,10000.00,,,,,,,,"
  echo "f9-92e,2023-12-31 23:59:59,O-92,O-92,V,4420.99,,,,,,,,"
  for o in 93 94; do
    echo "f9-${o}a,2023-01-15 10:00:00,O-$o,O-$o,V,50000.00,,,,,,,,"
    echo "f9-${o}b,2023-02-15 10:00:00,O-$o,O-$o,V,50000.00,,,,,,,,"
    echo "f9-${o}c,2023-11-30 23:59:59,O-$o,O-$o,V,44210.01,,,,,,,,"
    echo "f9-${o}d,2023-12-10 00:00:00,O-$o,O-$o,V,10000.00,,,,,,,,"
  done
  echo "f9-93e,2023-12-11 00:00:00,O-93,O-93,V,4421.00,,,,,,,,"
  echo "f9-94e,2023-12-11 00:00:00,O-94,O-94,V,4421.01,,,,,,,,"
  echo "f9-95a,2023-01-15 10:00:00,O-95,O-95,V,100.00,,,,,,,,"
  echo "f9-95b,2023-11-30 23:59:59,O-95,O-95,V,100.00,,,,,,,,"
  echo "f9-95c,2023-12-01 00:00:00,O-95,O-95,V,50000.00,,,,,,,,"
  echo "f9-95d,2023-12-02 00:00:00,O-95,O-95,V,50000.00,,,,,,,,"
  for m in 01 02 03; do echo "f9-96$m,2023-$m-10 10:00:00,O-96,O-96,V,100.00,,,,,,,,"; done
  echo "f9-96d,2023-12-02 00:00:00,O-96,O-96,V,90000.00,,,,,,,,"
  for m in 01 02 03; do echo "f9-97$m,2023-$m-10 10:00:00,O-97,O-97,V,100.00,,,,,,,,"; done
  echo "f9-97d,2023-12-02 00:00:00,O-97,O-97,V,4999.99,,,,,,,,"
  echo "f9-97e,2023-12-03 00:00:00,O-97,O-97,V,4999.99,,,,,,,,"
  echo "f9-98a,2024-02-29 23:59:59,O-98,O-98,V,1000.00,,,,,,,,"
  echo "f9-98b,2024-03-01 00:00:00,O-98,O-98,V,1000.00,,,,,,,,"
  echo "f9-98c,2024-04-01 00:00:00,O-98,O-98,V,1000.00,,,,,,,,"
  for k in 22 21 20 19; do echo "f9-98h$k,2024-12-0$((k - 18)) 09:00:00,O-98,O-98,V,5000.00,,,,,,,,"; done
  for k in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18; do
    echo "f9-98h$k,2024-12-$k 10:00:00,O-98,O-98,V,10000.00,,,,,,,,"
  done
  echo "f9-98n,2024-12-20 10:00:00,,O-98,V,90000.00,,,,,,,,"
  for m in 01 02 03; do echo "f9-99$m,2023-$m-10 10:00:00,O-99,O-99,V,100.00,,,,,,,,"; done
  echo "f9-99d,2024-01-01 00:00:00,O-99,O-99,V,90000.00,,,,,,,,"
  echo "f9-99e,2024-01-01 00:00:01,O-99,O-99,V,90000.00,,,,,,,,"
  # a NULL amount neither makes a month count (O-90) nor a December payment (O-89)
  for o in 90 89; do
    echo "f9-${o}a,2023-01-10 10:00:00,O-$o,O-$o,V,100.00,,,,,,,,"
    echo "f9-${o}b,2023-02-10 10:00:00,O-$o,O-$o,V,100.00,,,,,,,,"
    echo "f9-${o}d,2023-12-10 10:00:00,O-$o,O-$o,V,50000.00,,,,,,,,"
  done
  echo "f9-90c,2023-03-10 10:00:00,O-90,O-90,V,,,,,,,,,"
  echo "f9-90e,2023-12-11 10:00:00,O-90,O-90,V,50000.00,,,,,,,,"
  echo "f9-89c,2023-03-10 10:00:00,O-89,O-89,V,100.00,,,,,,,,"
  echo "f9-89e,2023-12-11 10:00:00,O-89,O-89,V,,,,,,,,,"
} >adv_f9.csv
adv "r1.1 m10000 mo3 n2" 9 adv_f9.csv "ratio=1.1 min_amount=10000.00 min_months=3 min_payments=2" \
  "f9-91d f9-91e|f9-94d f9-94e|$(printf 'f9-98h%02d ' $(seq 1 20))" \
  '3.0 * jan_nov' '1.1 * jan_nov' 'dec >= 1000000.00' 'dec >= 10000.00' 'months >= 6' 'months >= 3' \
  'n_dec >= 10' 'n_dec >= 2'
# The same with stray dates in years 1 and 9999 (other orgs): the day range is
# then too wide for a calendar table (the calendar is worked out per payment),
# and with 1700 more orgs, orgs x 9999 years pass the dense group limit, so only
# the years present are numbered (a pass of their own).  Same findings.
{ cat adv_f9.csv; echo "f9-s1,0001-01-01 00:00:00,O-S1,O-S1,V,100.00,,,,,,,,"
  echo "f9-s2,9999-12-31 23:59:59,O-S2,O-S2,V,100.00,,,,,,,,"; } >adv_f9w.csv
{ cat adv_f9w.csv; for o in $(seq 1000 2700); do echo "f9-f$o,2023-06-01 10:00:00,O-F$o,O-F$o,V,100.00,,,,,,,,"; done; } >adv_f9x.csv
for csv in adv_f9w.csv adv_f9x.csv; do
  adv "r1.1 m10000 mo3 n2 ($csv)" 9 $csv "ratio=1.1 min_amount=10000.00 min_months=3 min_payments=2" \
    "f9-91d f9-91e|f9-94d f9-94e|$(printf 'f9-98h%02d ' $(seq 1 20))" \
    '3.0 * jan_nov' '1.1 * jan_nov' 'dec >= 1000000.00' 'dec >= 10000.00' 'months >= 6' 'months >= 3' \
    'n_dec >= 10' 'n_dec >= 2'
done

# F4: 200 amounts of 12.00 and one of 5.00 with min_amount 1.00 and min_count 201.
# DETECTORS.md: "take amounts >= min_amount; skip groups with fewer than min_count"
# - 5.00 is taken (n = 201), it just has no first-two-digit pair in 10..99; so the
# group is tested and, p_12 = 200/201, flagged; evidence = its rows in the top three
# pairs 12, 99, 98 (the pairs with the largest p_d - e_d).
{ echo "$H"; for i in $(seq -w 1 200); do echo "f4b$i,2024-01-01 10:00:00,G,G,V,12.00,,,,,,,,"; done
  echo "f4c1,2024-01-01 10:00:00,G,G,V,5.00,,,,,,,,"; } >adv_f4.csv
adv "m1.00 n201: amounts under 10" 4 adv_f4.csv "min_amount=1.00 min_count=201" "$(printf 'f4b%03d ' $(seq 1 200))" \
  'count(*) >= 1000' 'count(*) >= 201' 'amount >= 10.00' 'amount >= 1.00'

# F12: 30 calendar days over Feb 29; 0 days = the registration day itself.
cat >adv_entities.csv <<EOF
id,kind,name,registered,deceased,address,phone,bank_account,id_no
V-121,company,a,2024-01-31,,,,,
V-122,company,b,2023-12-31,,,,,
V-123,company,c,,,,,,
V-125,company,e,2024-02-29,,,,,
EOF
cat >adv_f12.csv <<EOF
$H
u01,2024-03-01 23:59:59,O-12,O-12,V-121,100000.00,,,,,,,,
u02,2024-03-02 00:00:00,O-12,O-12,V-121,100000.00,,,,,,,,
u03,2024-01-31 00:00:00,O-12,O-12,V-121,100000.00,,,,,,,,
u04,2024-01-30 23:59:59,O-12,O-12,V-121,100000.00,,,,,,,,
u05,2024-01-30 12:00:00,O-12,O-12,V-122,100000.00,,,,,,,,
u06,2024-01-30 12:00:00,O-12,O-12,V-122,99999.99,,,,,,,,
u07,2024-01-01 12:00:00,O-12,O-12,V-123,100000.00,,,,,,,,
u08,2024-01-01 12:00:00,O-12,O-12,V-124,100000.00,,,,,,,,
u09,2024-01-01 12:00:00,O-12,O-12,,100000.00,,,,,,,,
u10,2024-03-30 23:00:00,O-12,O-12,V-125,100000.00,,,,,,,,
u11,,O-12,O-12,V-125,100000.00,,,,,,,,
u12,2024-02-29 23:59:59.999999,O-12,O-12,V-125,100000.00,,,,,,,,
u13,2024-03-31 00:00:00,O-12,O-12,V-125,100000.00,,,,,,,,
EOF
F12=('p.amount >= 500000.00' 'p.amount >= 100000.00')
adv "d30 m100000" 12 adv_f12.csv "days=30 min_amount=100000.00" "u01|u03|u05|u10|u12" \
  "${F12[@]}" 'BETWEEN 0 AND 90' 'BETWEEN 0 AND 30'
adv "d0 m100000" 12 adv_f12.csv "days=0 min_amount=100000.00" "u03|u12" \
  "${F12[@]}" 'BETWEEN 0 AND 90' 'BETWEEN 0 AND 0'

finish
