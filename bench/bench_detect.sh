#!/usr/bin/env bash
# bench_detect.sh [small|large|ROWS] [DETECTOR...] - every detector (F1-F12, A1-A7,
# P12-P14, W1-W3: all of `ferret detect --list`) against its reference SQL
# (tests/detect/<det>_*.sql) in DuckDB on the same data.
#
# Generates the canonical tables with `ferret gen --seed 1` once into bench/data/
# (cached, with a ferret store and a DuckDB database file made from the same .csv.zst
# files: every table gen writes), then with the same thread count
# (FERRET_BENCH_THREADS, default 2) times, after one warm-up, RUNS (default 3) runs of
#   ferret detect STORE DET --format json >/dev/null       (whole process: load + kernel + output;
#                                                          A1: its two parts, as its query answers both)
#   DuckDB: the reference query over the loaded tables     (bench/duckdb_peer.mjs time)
# and reports medians, the ratio and peak memory in bench/results/detect-SIZE.json
# plus a markdown table.  A DuckDB query that runs past DUCKDB_TIMEOUT seconds
# (default 600) is reported as "> TIMEOUT" (the self-join formulations of F5 and F7
# crawl at 10M rows).  small = 1M payments, large = 10M (the issue's yardstick).
# The answers are compared by run.sh (bench/lib.sh same_answer).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-small}
shift || true
case "$size" in
  small) rows=1000000 ;; large) rows=10000000 ;;
  *[!0-9]*) echo "usage: bench_detect.sh [small|large|ROWS] [F1 F2 ... A1 ... P12 ... W3]" >&2; exit 2 ;;
  *) rows=$size ;;
esac
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-3}
duck_timeout=${DUCKDB_TIMEOUT:-600}
ferret=${FERRET:-$root/build/tools/ferret}
[ -x "$ferret" ] || { echo "build ferret first (cmake --build build)" >&2; exit 2; }
source "$here/lib.sh"
dets=("$@")
[ ${#dets[@]} = 0 ] && mapfile -t dets < <("$ferret" detect --list | awk '/^[A-Z][0-9]+ / { print $1 }')
[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund >/dev/null
data="$here/data/detect-$rows"
tables=(payments entities relations approvals posts tenders bids subsidies)
mkdir -p "$data" "$here/results"
if [ ! -f "$data/gen/subsidies.csv.zst" ]; then
  rm -rf "$data/gen"
  "$ferret" gen "$data/gen" --rows "$rows" --seed 1 --compress zst >/dev/null
fi
# the store and the DuckDB file hold every table (a cache from before the A, P and
# W rules joined the suite holds three: it is rebuilt)
# (and one written under an earlier chunk layout is too: lib.sh store_layout)
if [ "$(cat "$data/store.tables" 2>/dev/null)" != "${tables[*]} layout=$store_layout" ]; then
  rm -rf "$data/store" "$data/store.tmp" "$data/duck.db" "$data/store.tables"
  for t in "${tables[@]}"; do
    "$ferret" ingest "$data/store.tmp" "$t" "$data/gen/$t.csv.zst" --quiet
  done
  mv "$data/store.tmp" "$data/store"
  echo "${tables[*]} layout=$store_layout" >"$data/store.tables"
fi
if [ ! -f "$data/duck.db" ]; then
  loads=()
  for t in "${tables[@]}"; do loads+=(--load "$t=$data/gen/$t.csv.zst" --types "$t=canonical"); done
  rm -f "$data/duck.db.tmp"
  node "$here/duckdb_peer.mjs" query --threads "$threads" --db "$data/duck.db.tmp" "${loads[@]}" \
    --sql "SELECT count(*) FROM payments" >/dev/null
  mv "$data/duck.db.tmp" "$data/duck.db"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

json_rows=""
table="| detector | ferret median (min-max) | ferret peak RSS | findings | DuckDB median (min-max) | DuckDB peak RSS | ratio |
|---|---|---|---|---|---|---|"
for det in "${dets[@]}"; do
  [ -n "$(reference_sql "$det")" ] || { echo "$det: no tests/detect/ reference query" >&2; exit 2; }
  bench_rule "$det" "$data/store" "$data/duck.db"
done
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
cat >"$here/results/detect-$size.json" <<JSON
{"workload":"detect","rows":$rows,"threads":$threads,"runs":$runs,"commit":"$commit","cpu":"$cpu",
 "results":[$json_rows]}
JSON
echo
echo "detectors over $rows generated payments and the tables that go with them (seed 1), $threads threads, median of $runs after one warm-up"
echo "(ferret: the whole \`ferret detect\` process, store read included; DuckDB: the query over its loaded tables)"
echo
echo "$table"
echo
echo "results: bench/results/detect-$size.json"
