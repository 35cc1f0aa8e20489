# test_roundtrip.sh - ingest then export reproduces every value of generated and
# real input exactly, and the control totals (row count, sum of each decimal
# column) match a count made independently by DuckDB.
#
# For each input: ferret ingest -> ferret export; DuckDB then reads the original
# file and ferret's export with the types ferret stored and compares them as
# multisets (EXCEPT ALL both ways), and computes count(*) and sum() of the original
# itself.  Real logs come from ../shared/data (skipped, saying so, when absent).
source "$(dirname "$0")/lib.sh"
peer="${FERRET_SOURCE_DIR:-$(dirname "$0")/../..}/bench/duckdb_peer.mjs"
if [ ! -d "$(dirname "$peer")/node_modules/@duckdb" ]; then
  if [ "${FERRET_REQUIRE_DUCKDB:-0}" = 1 ]; then
    echo "FAIL: DuckDB peer not installed (npm ci --prefix bench)" >&2
    exit 1
  fi
  echo "SKIP: DuckDB peer not installed (run npm ci --prefix bench)" >&2
  exit 77
fi

n_case=0
# roundtrip FILE [CSV_OPTIONS]: one input file through ingest/export/DuckDB.
roundtrip() {
  local input=$1 csv_options=${2:-}
  n_case=$((n_case + 1))
  local store="store$n_case" table="t$n_case"
  if ! "$FERRET" ingest "$store" "$table" "$input" --quiet >ingest.txt 2>ingest.err; then
    fail "ingest $input: $(head -c 400 ingest.err)"
    return
  fi
  "$FERRET" export "$store" "$table" --format csv >back.csv || { fail "export $input"; return; }
  "$FERRET" info "$store" "$table" --format json >info.json
  # name type, one per line, from info's JSON (column names may hold ':' and spaces)
  perl -ne 'while (/"name":("(?:[^"\\]|\\.)*"),"type":"([^"]+)"/g) { my ($n,$t)=($1,$2); $n =~ s/^"|"$//g; $n =~ s/\\"/"/g; print "$n\t$t\n"; }' info.json >types.tsv
  awk -F'\t' '{ printf "%s %s\n", $1, $2 }' types.tsv >types.schema
  local sums="" sum_cols=""
  while IFS=$'\t' read -r name type; do
    if [ "$type" = "decimal(18,2)" ]; then
      sums="$sums, sum(\"$name\") AS \"sum_$name\""
      sum_cols="$sum_cols $name"
    fi
  done <types.tsv
  local opts=(--threads 2 --load "orig=$input" --load "back=$PWD/back.csv" --types "orig=$PWD/types.schema" --types "back=$PWD/types.schema")
  [ -n "$csv_options" ] && opts+=(--csv-options "$csv_options")
  if ! node "$peer" query "${opts[@]}" --format csv --sql "
      SELECT (SELECT count(*) FROM (SELECT * FROM orig EXCEPT ALL SELECT * FROM back)) AS missing,
             (SELECT count(*) FROM (SELECT * FROM back EXCEPT ALL SELECT * FROM orig)) AS extra,
             count(*) AS n $sums FROM orig" >duck.csv 2>duck.err; then
    fail "DuckDB on $input: $(head -c 400 duck.err)"
    return
  fi
  local row; row=$(sed -n 2p duck.csv)
  IFS=, read -r missing extra n rest <<<"$row"
  if [ "$missing" = 0 ] && [ "$extra" = 0 ]; then pass; else
    fail "$input: $missing original rows missing from the export, $extra extra rows"; fi
  local stored; stored=$(perl -ne 'print $1 if /"control_totals":\{"rows":(\d+)/' info.json)
  if [ "$stored" = "$n" ]; then pass; else fail "$input: ferret stored $stored rows, DuckDB counts $n"; fi
  local idx=0
  for col in $sum_cols; do
    idx=$((idx + 1))
    local duck_sum ferret_sum
    duck_sum=$(echo "$rest" | cut -d, -f"$idx")
    ferret_sum=$(perl -ne "print \$1 if /\"sum\\(\\Q$col\\E\\)\":\"([^\"]+)\"/" info.json)
    [ -z "$duck_sum" ] && duck_sum="0.00"
    if [ "$duck_sum" = "$ferret_sum" ]; then pass; else fail "$input: sum($col) ferret $ferret_sum, DuckDB $duck_sum"; fi
  done
  check "verify $input" "$FERRET" verify "$store" >/dev/null
}

# ferret gen's eight canonical tables must ingest with zero rejects and round-trip.
"$FERRET" gen gen_out --rows 60000 --seed 7 >/dev/null
for f in gen_out/*.csv.zst; do
  table=$(basename "$f" .csv.zst)
  expect_rc 0 "gen table $table ingests with zero rejects" "$FERRET" ingest genstore "$table" "$f"
  contains out.txt "rows rejected  0" "$table: zero rejects"
  roundtrip "$PWD/$f"
done

# Hand-made data: quotes, commas, newlines in fields, Chinese text, NULLs.
bash "${FERRET_SOURCE_DIR}/tools/sample_payments.sh" 50000 >gen.csv
printf 'T-x1,2024-05-01 09:00:00.123456,ORG-1,A,"V ""q""",12.30,CNY,,R,AP,,,C,"line1\nline2, 中文"\n' >>gen.csv
printf 'T-x2,2024-05-01,ORG-1,A,,-0.05,,,,,,,,""\n' >>gen.csv
roundtrip "$PWD/gen.csv"
zstd -q -f gen.csv -o gen.csv.zst && roundtrip "$PWD/gen.csv.zst"
gzip -c gen.csv >gen.csv.gz && roundtrip "$PWD/gen.csv.gz"

data=${FERRET_SHARED_DATA:-}
if [ -d "$data" ]; then
  for f in "$data"/uk-oxford-spend-over-500/*.csv "$data"/benford-nigrini-reference/*.csv \
           "$data"/amlsim-samples/*/*.csv; do
    roundtrip "$f"
  done
  roundtrip "$data/pm4py-eventlogs/receipt.csv"
  roundtrip "$data/pm4py-eventlogs/roadtraffic100traces.csv"
  roundtrip "$data/pm4py-eventlogs/mobis_challenge_log_2019_snippet.csv"
else
  echo "SKIP (real data): ${data:-../shared/data} is absent; generated data only" >&2
fi
finish
