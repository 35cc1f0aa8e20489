#!/usr/bin/env bash
# bench_approval.sh [small|large|ROWS] [DETECTOR...] - the approval detectors A1-A7
# and the bottleneck picture against their reference SQL in DuckDB on the same
# generated log, plus the XES ingest rate on the real logs.
#
# `ferret gen --seed 1 --rows ROWS` writes ~0.7 approval events per row: small =
# 300,000 rows (~210k events), large = 7,500,000 rows (~5.2M events, the issue's
# yardstick of >= 5M).  Data, a ferret store and a DuckDB database file made from
# the same .csv.zst files are cached in bench/data/approval-ROWS/.  With the same
# thread count (FERRET_BENCH_THREADS, default 2), after one warm-up, RUNS (default 3)
# runs of
#   ferret detect STORE AN --format json >/dev/null   (whole process; A1 = both
#                                                     parts, cases and payments)
#   DuckDB: tests/detect/aN_*.sql over the loaded tables (bench/duckdb_peer.mjs time)
# BOTTLENECK = `ferret detect STORE bottleneck --set report=1` against
# tests/detect/bottleneck_report.sql.  DUCKDB_TIMEOUT (default 600 s) bounds each
# DuckDB timing.  XES: `ferret ingest` of each .xes / .xes.gz in
# ../shared/data/pm4py-eventlogs (FERRET_XES_DIR), MB/s of the uncompressed XML and
# of the file as read.  Results: bench/results/approval-SIZE.json and markdown.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-small}
shift || true
case "$size" in
  small) rows=300000 ;; large) rows=7500000 ;;
  *[!0-9]*) echo "usage: bench_approval.sh [small|large|ROWS] [A1 ... A7 BOTTLENECK XES]" >&2; exit 2 ;;
  *) rows=$size ;;
esac
dets=("$@")
[ ${#dets[@]} = 0 ] && dets=(A1 A2 A3 A4 A5 A6 A7 BOTTLENECK XES)
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-3}
duck_timeout=${DUCKDB_TIMEOUT:-600}
ferret=${FERRET:-$root/build/tools/ferret}
xes_dir=${FERRET_XES_DIR:-$root/../shared/data/pm4py-eventlogs}
[ -x "$ferret" ] || { echo "build ferret first (cmake --build build)" >&2; exit 2; }
source "$here/lib.sh"
[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund >/dev/null
data="$here/data/approval-$rows"
mkdir -p "$data" "$here/results"
if [ ! -f "$data/gen/approvals.csv.zst" ]; then
  rm -rf "$data/gen"
  "$ferret" gen "$data/gen" --rows "$rows" --seed 1 --compress zst >/dev/null
fi
if [ ! -d "$data/store" ] || [ "$(cat "$data/store.layout" 2>/dev/null)" != "$store_layout" ]; then
  rm -rf "$data/store" "$data/store.tmp"
  for t in approvals payments posts; do
    "$ferret" ingest "$data/store.tmp" "$t" "$data/gen/$t.csv.zst" --quiet
  done
  mv "$data/store.tmp" "$data/store"
  echo "$store_layout" >"$data/store.layout"
fi
if [ ! -f "$data/duck.db" ]; then
  rm -f "$data/duck.db.tmp"
  node "$here/duckdb_peer.mjs" query --threads "$threads" --db "$data/duck.db.tmp" \
    --load "approvals=$data/gen/approvals.csv.zst" --load "payments=$data/gen/payments.csv.zst" \
    --load "posts=$data/gen/posts.csv.zst" --types approvals=canonical --types payments=canonical \
    --types posts=canonical --sql "SELECT count(*) FROM approvals" >/dev/null
  mv "$data/duck.db.tmp" "$data/duck.db"
fi
events=$("$ferret" query "$data/store" "SELECT count(*) AS n FROM approvals" --format csv | tail -1)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

json_rows=""
table="| rule | ferret median (min-max) | ferret peak RSS | findings | DuckDB median (min-max) | DuckDB peak RSS | DuckDB / ferret |
|---|---|---|---|---|---|---|"
xes_table="| log | events | XML MB | file MB | ferret ingest median | XML MB/s | file MB/s |
|---|---|---|---|---|---|---|"
xes_rows=""
for det in "${dets[@]}"; do
  if [ "$det" = XES ]; then
    for f in "$xes_dir"/*.xes "$xes_dir"/*.xes.gz; do
      [ -f "$f" ] || continue
      name=$(basename "$f")
      file_bytes=$(stat -c %s "$f")
      case "$f" in *.gz) xml_bytes=$(gzip -dc "$f" | wc -c) ;; *) xml_bytes=$file_bytes ;; esac
      times=()
      for run in $(seq 0 "$runs"); do
        rm -rf "$tmp/xes"
        /usr/bin/time -f "%e" -o "$tmp/time.txt" env OMP_NUM_THREADS="$threads" \
          "$ferret" ingest "$tmp/xes" approvals "$f" --quiet >/dev/null
        [ "$run" = 0 ] && continue
        times+=("$(cat "$tmp/time.txt")")
      done
      n_ev=$("$ferret" query "$tmp/xes" "SELECT count(*) AS n FROM approvals" --format csv | tail -1)
      read -r x_med x_min x_max <<<"$(printf '%s\n' "${times[@]}" | stats3)"
      xr=$(awk -v b="$xml_bytes" -v t="$x_med" 'BEGIN { printf "%.1f", (t > 0 ? b / t / 1e6 : 0) }')
      fr=$(awk -v b="$file_bytes" -v t="$x_med" 'BEGIN { printf "%.1f", (t > 0 ? b / t / 1e6 : 0) }')
      xes_rows="${xes_rows:+$xes_rows,
 }{\"log\":\"$name\",\"events\":$n_ev,\"xml_bytes\":$xml_bytes,\"file_bytes\":$file_bytes,\"median_s\":$x_med,\"min_s\":$x_min,\"max_s\":$x_max,\"xml_mb_per_s\":$xr,\"file_mb_per_s\":$fr}"
      xes_table="$xes_table
| $name | $n_ev | $(awk -v b="$xml_bytes" 'BEGIN{printf "%.1f", b/1e6}') | $(awk -v b="$file_bytes" 'BEGIN{printf "%.1f", b/1e6}') | $x_med s | $xr | $fr |"
      echo "XES $name: $x_med s, $xr MB/s of XML" >&2
    done
    continue
  fi
  if [ "$det" != BOTTLENECK ]; then
    bench_rule "$det" "$data/store" "$data/duck.db"
    continue
  fi
  # the bottleneck picture: A4's report mode against its own query
  sql="$root/tests/detect/bottleneck_report.sql"
  times=()
  peak_kb=0
  for run in $(seq 0 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$tmp/time.txt" env OMP_NUM_THREADS="$threads" \
      "$ferret" detect "$data/store" bottleneck --set report=1 --format json >"$tmp/out.json"
    read -r secs kb <"$tmp/time.txt"
    [ "$run" = 0 ] && continue
    times+=("$secs")
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  done
  read -r f_med f_min f_max <<<"$(printf '%s\n' "${times[@]}" | stats3)"
  duck_json=$(timeout "$duck_timeout" node "$here/duckdb_peer.mjs" time --threads "$threads" --runs "$runs" \
    --warmup 1 --db "$data/duck.db" --sql-file "$sql" 2>/dev/null || true)
  d_med=$(json_num median_s "$duck_json")
  ratio=null
  [ -n "$d_med" ] && ratio=$(awk -v d="$d_med" -v f="$f_med" 'BEGIN { printf "%.2f", d / f }')
  json_rows="${json_rows:+$json_rows,
 }{\"detector\":\"BOTTLENECK\",\"reference\":\"bottleneck_report\",\"rows\":$(wc -l <"$tmp/out.json"),
  \"ferret\":{\"median_s\":$f_med,\"min_s\":$f_min,\"max_s\":$f_max,\"peak_rss_bytes\":$((peak_kb * 1024))},
  \"duckdb\":{\"median_s\":${d_med:-null}},\"speed_ratio_duckdb_over_ferret\":$ratio}"
  table="$table
| BOTTLENECK bottleneck_report | $f_med s ($f_min-$f_max) | $((peak_kb / 1024)) MiB | $(wc -l <"$tmp/out.json") rows | ${d_med:-timeout} s | - | ${ratio}x |"
  echo "BOTTLENECK: ferret $f_med s, DuckDB ${d_med:-timeout} s" >&2
done
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
cat >"$here/results/approval-$size.json" <<JSON
{"workload":"detect_a","rows":$rows,"approval_events":$events,"threads":$threads,"runs":$runs,"commit":"$commit","cpu":"$cpu",
 "results":[$json_rows],
 "xes_ingest":[$xes_rows]}
JSON
echo
echo "approval rules over $events generated approval events ($rows rows, seed 1), $threads threads, median of $runs after one warm-up"
echo "(ferret: the whole \`ferret detect\` process, store read included; DuckDB: the query over its loaded tables)"
echo
echo "$table"
echo
echo "XES ingest (\`ferret ingest STORE approvals FILE\`, whole process, $threads threads)"
echo
echo "$xes_table"
echo
echo "results: bench/results/approval-$size.json"
