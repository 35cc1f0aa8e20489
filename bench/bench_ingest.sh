#!/usr/bin/env bash
# bench_ingest.sh [small|large|xl|ROWS] - ingest of compressed CSV, ferret vs DuckDB.
#
# Generates payments (ferret gen at seed 1 when built, else tools/sample_payments.sh)
# once into bench/data/ (cached), then with the same thread count (FERRET_BENCH_THREADS,
# default 2) times, after one warm-up, RUNS (default 5) runs of
#   ferret ingest STORE payments payments.csv.zst          (fresh store each run)
#   DuckDB: CREATE TABLE t AS SELECT * FROM read_csv('payments.csv.zst') into a fresh
#           database file, CHECKPOINT                       (bench/duckdb_peer.mjs)
# and reports medians, spread, the ratio, peak memory, and stored sizes: ferret's
# store vs DuckDB's database file vs a zstd Parquet export.  Then checks that both
# engines stored the same table: `SELECT * FROM payments ORDER BY txn_id` as CSV from
# ferret's store and from DuckDB's load of the same file must be byte-identical
# (compared by MD5; not timed).  Writes bench/results/ingest-SIZE.json and prints a
# markdown table.  Exit status 1 when the tables differ or a check query fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-small}
case "$size" in
  small) rows=1000000 ;; large) rows=10000000 ;; xl) rows=50000000 ;;
  *[!0-9]*) echo "usage: bench_ingest.sh [small|large|xl|ROWS]" >&2; exit 2 ;;
  *) rows=$size ;;
esac
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-5}
ferret=${FERRET:-$root/build/tools/ferret}
[ -x "$ferret" ] || { echo "build ferret first (cmake --build build)" >&2; exit 2; }
[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund >/dev/null
data="$here/data/payments-$rows"
mkdir -p "$data" "$here/results"
input="$data/payments.csv.zst"
if [ ! -f "$input" ]; then
  if "$ferret" gen --help >/dev/null 2>&1; then
    "$ferret" gen "$data/gen" --rows "$rows" --seed 1 --compress zst >/dev/null
    mv "$data/gen/payments.csv.zst" "$input"
    rm -rf "$data/gen"
  else
    bash "$root/tools/sample_payments.sh" "$rows" | zstd -q -3 -T"$threads" >"$input"
  fi
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

times=()
peak_kb=0
store_bytes=0
for run in $(seq 0 "$runs"); do
  rm -rf "$tmp/store"
  /usr/bin/time -f "%e %M" -o "$tmp/time.txt" env OMP_NUM_THREADS="$threads" \
    "$ferret" ingest "$tmp/store" payments "$input" --quiet
  read -r secs kb <"$tmp/time.txt"
  [ "$run" = 0 ] && continue   # warm-up
  times+=("$secs")
  [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  store_bytes=$(du -sb "$tmp/store/data" | cut -f1)
done
ferret_stats=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f", m, v[1], v[NR] }')
read -r f_med f_min f_max <<<"$ferret_stats"
f_runs=$(IFS=,; echo "${times[*]}")

duck_json=$(node "$here/duckdb_peer.mjs" time --threads "$threads" --runs "$runs" --warmup 1 \
  --time-load --tmp-dir "$tmp" --load "payments=$input" --types payments=canonical --parquet-size)
d_med=$(echo "$duck_json" | perl -ne 'print $1 if /"median_s":([0-9.e+-]+)/')
d_min=$(echo "$duck_json" | perl -ne 'print $1 if /"min_s":([0-9.e+-]+)/')
d_max=$(echo "$duck_json" | perl -ne 'print $1 if /"max_s":([0-9.e+-]+)/')
d_rss=$(echo "$duck_json" | perl -ne 'print $1 if /"peak_rss_bytes":([0-9]+)/')
d_db=$(echo "$duck_json" | perl -ne 'print $1 if /"db_file_bytes":([0-9]+)/')
d_pq=$(echo "$duck_json" | perl -ne 'print $1 if /"parquet_bytes":([0-9]+)/')
d_runs=$(echo "$duck_json" | perl -ne 'print $1 if /"runs":\[([^\]]*)\]/')

# The answer: the stored table, every row and column, the same in both engines.
check_sql="SELECT * FROM payments ORDER BY txn_id"
f_md5=$(OMP_NUM_THREADS=$threads "$ferret" query "$tmp/store" "$check_sql" --format csv --threads "$threads" \
  2>"$tmp/check.err" | md5sum | cut -d' ' -f1) || true
d_md5=$(node "$here/duckdb_peer.mjs" query --threads "$threads" --load "payments=$input" \
  --types payments=canonical --sql "$check_sql" --format csv 2>>"$tmp/check.err" | md5sum | cut -d' ' -f1) || true
if [ -s "$tmp/check.err" ]; then equal=null; echo "answer check failed: $(head -c 400 "$tmp/check.err")" >&2
elif [ "$f_md5" = "$d_md5" ]; then equal=true
else equal=false; fi
input_bytes=$(stat -c %s "$input")
csv_bytes=$(zstd -dc "$input" | wc -c)
ratio=$(awk -v d="$d_med" -v f="$f_med" 'BEGIN { printf "%.2f", d / f }')
size_vs_duck=$(awk -v s="$store_bytes" -v d="$d_db" 'BEGIN { printf "%.2f", s / d }')
size_vs_pq=$(awk -v s="$store_bytes" -v d="$d_pq" 'BEGIN { printf "%.2f", s / d }')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
cat >"$here/results/ingest-$size.json" <<JSON
{"workload":"ingest_csv_zst","rows":$rows,"threads":$threads,"runs":$runs,"commit":"$commit","cpu":"$cpu",
 "input_zst_bytes":$input_bytes,"input_csv_bytes":$csv_bytes,
 "ferret":{"median_s":$f_med,"min_s":$f_min,"max_s":$f_max,"runs":[$f_runs],"peak_rss_bytes":$((peak_kb * 1024)),"store_bytes":$store_bytes},
 "duckdb":{"median_s":$d_med,"min_s":$d_min,"max_s":$d_max,"runs":[$d_runs],"peak_rss_bytes":${d_rss:-null},"db_file_bytes":$d_db,"parquet_bytes":$d_pq},
 "speed_ratio_duckdb_over_ferret":$ratio,"store_size_vs_duckdb":$size_vs_duck,"store_size_vs_parquet":$size_vs_pq,
 "answers_equal":$equal,"answer_check":"$check_sql, CSV MD5: ferret $f_md5, DuckDB $d_md5"}
JSON
echo
echo "| ingest $rows rows ($((csv_bytes / 1000000)) MB CSV, $((input_bytes / 1000000)) MB .zst), $threads threads | ferret | DuckDB | ratio |"
echo "|---|---|---|---|"
echo "| time, median of $runs (min-max) | ${f_med} s (${f_min}-${f_max}) | ${d_med} s (${d_min}-${d_max}) | ${ratio}x faster |"
echo "| rate (CSV MB/s) | $(awk -v b="$csv_bytes" -v t="$f_med" 'BEGIN{printf "%.0f", b/t/1e6}') | $(awk -v b="$csv_bytes" -v t="$d_med" 'BEGIN{printf "%.0f", b/t/1e6}') | |"
echo "| peak memory | $((peak_kb / 1024)) MiB | $(( ${d_rss:-0} / 1048576 )) MiB | |"
echo "| stored size | $((store_bytes / 1000000)) MB | $((d_db / 1000000)) MB db file, $((d_pq / 1000000)) MB Parquet | ${size_vs_duck}x of DuckDB, ${size_vs_pq}x of Parquet |"
echo "| same table stored (all rows, CSV MD5) | ${f_md5:0:12} | ${d_md5:0:12} | $(case $equal in true) echo yes ;; false) echo '**NO**' ;; *) echo '?' ;; esac) |"
echo
echo "results: bench/results/ingest-$size.json"
[ "$equal" = true ]
