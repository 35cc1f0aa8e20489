#!/usr/bin/env bash
# bench_scan.sh [small|large|ROWS] - the nightly scan: an incremental scan over one
# more day of payments against a full scan of the same store (engine/scan/README.md).
#
# Generates `ferret gen --seed 1` once into bench/data/scan-ROWS/ (cached), ingests
# entities, relations and the payments month by month (one segment per month, as
# a nightly or monthly loader would leave them) except the last day, and runs the
# first scan (default pack: the F rules; the A, P, W rules are skipped, their
# tables are not loaded).  Then, RUNS times (default 3) on fresh copies of that
# store with the last day ingested, it times
#   ferret scan STORE                 (incremental: rules whose tables changed, windows)
#   ferret scan STORE --full          (every rule over the whole table)
# with FERRET_BENCH_THREADS threads (default 2), and writes medians, their ratio and
# the rows each rule read to bench/results/scan-SIZE.json plus a markdown table.
# small = 200k payments (CI-sized), large = 10M.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-small}
case "$size" in
  small) rows=200000 ;; large) rows=10000000 ;;
  *[!0-9]*) echo "usage: bench_scan.sh [small|large|ROWS]" >&2; exit 2 ;;
  *) rows=$size ;;
esac
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-3}
ferret=${FERRET:-$root/build/tools/ferret}
[ -x "$ferret" ] || { echo "build ferret first (cmake --build build)" >&2; exit 2; }
export OMP_NUM_THREADS=$threads
data="$here/data/scan-$rows"
mkdir -p "$data" "$here/results"
if [ ! -f "$data/gen/payments.csv" ]; then
  rm -rf "$data/gen"
  "$ferret" gen "$data/gen" --rows "$rows" --seed 1 --compress none >/dev/null
fi
if [ ! -d "$data/history" ]; then
  rm -rf "$data/history" "$data/months"
  mkdir -p "$data/months"
  # ferret gen writes payments sorted by ts, one record per line (no newline in a field)
  last_day=$(tail -n 1 "$data/gen/payments.csv" | cut -d, -f2 | cut -c1-10)
  awk -F, -v dir="$data/months" -v last="$last_day" '
    NR == 1 { header = $0; next }
    { day = substr($2, 1, 10); f = (day == last) ? dir "/lastday.csv" : dir "/" substr($2, 1, 7) ".csv"
      if (!(f in seen)) { print header > f; seen[f] = 1 } print > f }' "$data/gen/payments.csv"
  for t in entities relations; do "$ferret" ingest "$data/history" "$t" "$data/gen/$t.csv" --quiet; done
  for f in "$data"/months/[0-9]*.csv; do "$ferret" ingest "$data/history" payments "$f" --quiet; done
  "$ferret" scan "$data/history" --out "$data/history-report" --quiet
fi
day_rows=$(($(wc -l <"$data/months/lastday.csv") - 1))
now() { date +%s.%N; }
inc=() full=()
for ((r = 0; r <= runs; r++)); do # run 0 is the warm-up
  rm -rf "$data/run"
  cp -a "$data/history" "$data/run"
  "$ferret" ingest "$data/run" payments "$data/months/lastday.csv" --quiet
  cp -a "$data/run" "$data/run-full"
  t0=$(now)
  "$ferret" scan "$data/run" --out "$data/run-report" >"$data/inc.txt"
  t1=$(now)
  "$ferret" scan "$data/run-full" --full --out "$data/run-full-report" --quiet
  t2=$(now)
  rm -rf "$data/run-full"
  if ((r > 0)); then
    inc+=("$(printf %.3f "$(echo "$t1 - $t0" | bc -l)")")
    full+=("$(printf %.3f "$(echo "$t2 - $t1" | bc -l)")")
  fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
m_inc=$(median "${inc[@]}")
m_full=$(median "${full[@]}")
ratio=$(echo "$m_full / $m_inc" | bc -l)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
out="$here/results/scan-$size.json"
{
  printf '{"bench":"scan","rows":%s,"day_rows":%s,"threads":%s,"runs":%s,"cpu":"%s","commit":"%s",\n' \
    "$rows" "$day_rows" "$threads" "$runs" "$cpu" "$commit"
  printf ' "incremental_s":%.3f,"full_s":%.3f,"full_over_incremental":%.2f,\n' "$m_inc" "$m_full" "$ratio"
  printf ' "incremental_runs":[%s],"full_runs":[%s],\n' "$(IFS=,; echo "${inc[*]}")" "$(IFS=,; echo "${full[*]}")"
  printf ' "rules":['
  grep -E '^  ' "$data/inc.txt" | awk '{printf "%s{\"rule\":\"%s\",\"mode\":\"%s\",\"rows_read\":%s,\"rows\":%s}", (NR > 1 ? "," : ""), $1, $3, $4, $6}'
  printf ']}\n'
} >"$out"
echo "| store | new day | threads | incremental scan | full scan | full / incremental |"
echo "|---|---|---|---|---|---|"
printf '| %s payments | %s payments | %s | %.2f s | %.2f s | %.1fx |\n' "$rows" "$day_rows" "$threads" "$m_inc" "$m_full" "$ratio"
echo
echo "rows read per rule in the incremental scan:"
grep -E '^  ' "$data/inc.txt" | awk '{printf "  %-24s %-9s %s of %s\n", $1, $3, $4, $6}'
echo "(bench/results/scan-$size.json)"
