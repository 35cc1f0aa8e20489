#!/usr/bin/env bash
# bench_detect.sh [small|large|ROWS] [DETECTOR...] - each fund-flow detector (F1-F12)
# against its reference SQL (tests/detect/fN_*.sql) in DuckDB on the same data.
#
# Generates the canonical tables with `ferret gen --seed 1` once into bench/data/
# (cached, with a ferret store and a DuckDB database file made from the same .csv.zst
# files), then with the same thread count (FERRET_BENCH_THREADS, default 2) times,
# after one warm-up, RUNS (default 3) runs of
#   ferret detect STORE FN --format json >/dev/null       (whole process: load + kernel + output)
#   DuckDB: the reference query over the loaded tables     (bench/duckdb_peer.mjs time)
# and reports medians, the ratio and peak memory in bench/results/detect-SIZE.json
# plus a markdown table.  A DuckDB query that runs past DUCKDB_TIMEOUT seconds
# (default 600) is reported as "> TIMEOUT" (the self-join formulations of F5 and F7
# crawl at 10M rows).  small = 1M payments, large = 10M (the issue's yardstick).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-small}
shift || true
case "$size" in
  small) rows=1000000 ;; large) rows=10000000 ;;
  *[!0-9]*) echo "usage: bench_detect.sh [small|large|ROWS] [F1 F2 ...]" >&2; exit 2 ;;
  *) rows=$size ;;
esac
dets=("$@")
[ ${#dets[@]} = 0 ] && dets=(F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 F11 F12)
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-3}
duck_timeout=${DUCKDB_TIMEOUT:-600}
ferret=${FERRET:-$root/build/tools/ferret}
[ -x "$ferret" ] || { echo "build ferret first (cmake --build build)" >&2; exit 2; }
[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund >/dev/null
data="$here/data/detect-$rows"
mkdir -p "$data" "$here/results"
if [ ! -f "$data/gen/payments.csv.zst" ]; then
  rm -rf "$data/gen"
  "$ferret" gen "$data/gen" --rows "$rows" --seed 1 --compress zst >/dev/null
fi
if [ ! -d "$data/store" ]; then
  for t in payments entities relations; do
    "$ferret" ingest "$data/store.tmp" "$t" "$data/gen/$t.csv.zst" --quiet
  done
  mv "$data/store.tmp" "$data/store"
fi
if [ ! -f "$data/duck.db" ]; then
  node "$here/duckdb_peer.mjs" query --threads "$threads" --db "$data/duck.db.tmp" \
    --load "payments=$data/gen/payments.csv.zst" --load "entities=$data/gen/entities.csv.zst" \
    --load "relations=$data/gen/relations.csv.zst" --types payments=canonical --types entities=canonical \
    --types relations=canonical --sql "SELECT count(*) FROM payments" >/dev/null
  mv "$data/duck.db.tmp" "$data/duck.db"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

json_rows=""
table="| detector | ferret median (min-max) | ferret peak RSS | findings | DuckDB median (min-max) | DuckDB peak RSS | ratio |
|---|---|---|---|---|---|---|"
for det in "${dets[@]}"; do
  n=${det#F}
  sql=$(ls "$root"/tests/detect/f${n}_*.sql)
  name=$(basename "$sql" .sql)
  times=()
  peak_kb=0
  for run in $(seq 0 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time.txt" env OMP_NUM_THREADS="$threads" \
      "$ferret" detect "$data/store" "$det" --format json >"$tmp/out.json"
    read -r secs kb <"$tmp/time.txt"
    [ "$run" = 0 ] && continue
    times+=("$secs")
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  done
  findings=$(wc -l <"$tmp/out.json")
  stats=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f", m, v[1], v[NR] }')
  read -r f_med f_min f_max <<<"$stats"
  duck_json=$(timeout "$duck_timeout" node "$here/duckdb_peer.mjs" time --threads "$threads" --runs "$runs" \
    --warmup 1 --db "$data/duck.db" --sql-file "$sql" 2>/dev/null || true)
  d_med=$(echo "$duck_json" | perl -ne 'print $1 if /"median_s":([0-9.e+-]+)/')
  if [ -n "$d_med" ]; then
    d_min=$(echo "$duck_json" | perl -ne 'print $1 if /"min_s":([0-9.e+-]+)/')
    d_max=$(echo "$duck_json" | perl -ne 'print $1 if /"max_s":([0-9.e+-]+)/')
    d_rss=$(echo "$duck_json" | perl -ne 'print $1 if /"peak_rss_bytes":([0-9]+)/')
    ratio=$(awk -v d="$d_med" -v f="$f_med" 'BEGIN { printf "%.2f", d / f }')
    duck_cell="$d_med s ($d_min-$d_max)"
    duck_obj="{\"median_s\":$d_med,\"min_s\":$d_min,\"max_s\":$d_max,\"peak_rss_bytes\":${d_rss:-null}}"
    rss_cell="$(( ${d_rss:-0} / 1048576 )) MiB"
    ratio_cell="${ratio}x"
  else
    ratio=null
    duck_cell="> $duck_timeout s (timed out)"
    duck_obj="{\"timed_out_after_s\":$duck_timeout}"
    rss_cell="-"
    ratio_cell="> $(awk -v d="$duck_timeout" -v f="$f_med" 'BEGIN { printf "%.0f", d / f }')x"
  fi
  json_rows="${json_rows:+$json_rows,
 }{\"detector\":\"$det\",\"reference\":\"$name\",\"findings\":$findings,
  \"ferret\":{\"median_s\":$f_med,\"min_s\":$f_min,\"max_s\":$f_max,\"peak_rss_bytes\":$((peak_kb * 1024))},
  \"duckdb\":$duck_obj,\"speed_ratio_duckdb_over_ferret\":$ratio}"
  table="$table
| $det $name | $f_med s ($f_min-$f_max) | $((peak_kb / 1024)) MiB | $findings | $duck_cell | $rss_cell | $ratio_cell |"
  echo "$det: ferret $f_med s, DuckDB ${d_med:-timeout} s" >&2
done
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
cat >"$here/results/detect-$size.json" <<JSON
{"workload":"detect_f","rows":$rows,"threads":$threads,"runs":$runs,"commit":"$commit","cpu":"$cpu",
 "results":[$json_rows]}
JSON
echo
echo "detectors over $rows generated payments (seed 1), $threads threads, median of $runs after one warm-up"
echo "(ferret: the whole \`ferret detect\` process, store read included; DuckDB: the query over its loaded tables)"
echo
echo "$table"
echo
echo "results: bench/results/detect-$size.json"
