#!/usr/bin/env bash
# bench_gen.sh [ROWS] - generation rate of `ferret gen` (default 10M payments, zst,
# FERRET_BENCH_THREADS threads, default 2): one warm-up and RUNS (default 3) timed
# runs; prints the median wall time, rows per second and peak memory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
rows=${1:-10000000}
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-3}
ferret=${FERRET:-$root/build/tools/ferret}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-gen-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
times=()
peak=0
for run in $(seq 0 "$runs"); do
  rm -rf "$tmp/out"
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$ferret" gen "$tmp/out" --rows "$rows" --seed 1 --threads "$threads" >/dev/null
  read -r secs kb <"$tmp/t"
  [ "$run" = 0 ] && continue
  times+=("$secs")
  [ "$kb" -gt "$peak" ] && peak=$kb
done
bytes=$(du -sb "$tmp/out" | cut -f1)
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "| ferret gen --rows $rows (all eight tables, zst), $threads threads | median of $runs | payments/s | peak memory | output |"
echo "|---|---|---|---|---|"
echo "| | ${median} s ($(printf '%s ' "${times[@]}")) | $(awk -v r="$rows" -v t="$median" 'BEGIN { printf "%.0f", r / t }') | $((peak / 1024)) MiB | $((bytes / 1000000)) MB |"
