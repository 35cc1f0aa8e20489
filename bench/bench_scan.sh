#!/usr/bin/env bash
# bench_scan.sh [small|large|ROWS] - the nightly scan: one more day of payments
# appended, then the incremental `ferret scan`, against DuckDB doing the same night
# (the day appended to its tables, every rule's reference query run), with the
# answers compared; and, for information, ferret's incremental against its full scan.
#
# Generates `ferret gen --seed 1` once into bench/data/scan-ROWS/ (cached), ingests
# entities, relations and the payments month by month (one segment per month, as a
# nightly or monthly loader would leave them) except the last day, and runs the
# first scan (default pack: the F rules run; the A, P, W rules are skipped, their
# tables are not loaded).  DuckDB gets the same history in a database file.  Then,
# with FERRET_BENCH_THREADS threads (default 2), one warm-up and RUNS timed runs
# (default 3), each on a fresh copy of the history:
#   ferret:  ferret ingest STORE payments lastday.csv && ferret scan STORE --out DIR
#   DuckDB:  INSERT INTO payments FROM read_csv(lastday.csv); then the reference query
#            (tests/detect/<rule>_*.sql) of every rule the scan ran, rows read out
#            (bench/duckdb_peer.mjs nightly)
#   ferret scan --full of the same store (for the full / incremental ratio only)
# The answer: per rule, the scan's open findings (status new or open in
# findings.json) against the query's rows, as bench/lib.sh same_answer compares them.
# Writes bench/results/scan-SIZE.json and prints a markdown table.
# small = 1M payments (the suite's size), large = 10M.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-small}
case "$size" in
  small) rows=1000000 ;; large) rows=10000000 ;;
  *[!0-9]*) echo "usage: bench_scan.sh [small|large|ROWS]" >&2; exit 2 ;;
  *) rows=$size ;;
esac
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-3}
ferret=${FERRET:-$root/build/tools/ferret}
[ -x "$ferret" ] || { echo "build ferret first (cmake --build build)" >&2; exit 2; }
source "$here/lib.sh"
[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund >/dev/null
export OMP_NUM_THREADS=$threads
data="$here/data/scan-$rows"
mkdir -p "$data" "$here/results"
if [ ! -f "$data/gen/payments.csv" ]; then
  rm -rf "$data/gen"
  "$ferret" gen "$data/gen" --rows "$rows" --seed 1 --compress none >/dev/null
fi
if [ ! -d "$data/history" ] || [ ! -f "$data/history.duckdb" ]; then
  rm -rf "$data/history" "$data/months" "$data/history.duckdb" "$data/history.duckdb.tmp"
  mkdir -p "$data/months"
  # ferret gen writes payments sorted by ts, one record per line (no newline in a field)
  last_day=$(tail -n 1 "$data/gen/payments.csv" | cut -d, -f2 | cut -c1-10)
  awk -F, -v dir="$data/months" -v last="$last_day" '
    NR == 1 { header = $0; next }
    { day = substr($2, 1, 10); f = (day == last) ? dir "/lastday.csv" : dir "/" substr($2, 1, 7) ".csv"
      if (!(f in seen)) { print header > f; seen[f] = 1 } print > f }' "$data/gen/payments.csv"
  for t in entities relations; do "$ferret" ingest "$data/history.tmp" "$t" "$data/gen/$t.csv" --quiet; done
  loads=()
  for f in "$data"/months/[0-9]*.csv; do
    "$ferret" ingest "$data/history.tmp" payments "$f" --quiet
    loads+=(--load "payments=$f")
  done
  "$ferret" scan "$data/history.tmp" --out "$data/history-report" --quiet
  mv "$data/history.tmp" "$data/history"
  node "$here/duckdb_peer.mjs" query --threads "$threads" --db "$data/history.duckdb.tmp" "${loads[@]}" \
    --load "entities=$data/gen/entities.csv" --load "relations=$data/gen/relations.csv" \
    --types payments=canonical --types entities=canonical --types relations=canonical \
    --sql "SELECT count(*) FROM payments" >/dev/null
  mv "$data/history.duckdb.tmp" "$data/history.duckdb"
fi
day_rows=$(($(wc -l <"$data/months/lastday.csv") - 1))
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-scan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

inc=() full=() peak_kb=0
for ((r = 0; r <= runs; r++)); do # run 0 is the warm-up
  rm -rf "$tmp/run" "$tmp/run-full" "$tmp/report"
  cp -a "$data/history" "$tmp/run"
  cp -a "$data/history" "$tmp/run-full"
  "$ferret" ingest "$tmp/run-full" payments "$data/months/lastday.csv" --quiet
  /usr/bin/time -f "%e %M" -o "$tmp/time.txt" sh -c '"$1" ingest "$2" payments "$3" --quiet &&
    "$1" scan "$2" --out "$4" >"$5"' _ "$ferret" "$tmp/run" "$data/months/lastday.csv" "$tmp/report" "$tmp/inc.txt"
  t0=$EPOCHREALTIME
  "$ferret" scan "$tmp/run-full" --full --out "$tmp/report-full" --quiet
  t1=$EPOCHREALTIME
  if ((r > 0)); then
    read -r secs kb <"$tmp/time.txt"
    inc+=("$secs")
    full+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  fi
done
read -r f_med f_min f_max <<<"$(printf '%s\n' "${inc[@]}" | stats3)"
read -r full_med _ _ <<<"$(printf '%s\n' "${full[@]}" | stats3)"

# the rules the scan ran (not skipped), their reference queries, DuckDB's night
codes=() names=() sqls=()
while read -r name code mode _; do
  [ "$mode" = skipped ] && continue
  codes+=("$code") names+=("$name") sqls+=(--sql-file "$(reference_sql "$code")")
done < <(grep -E '^  ' "$tmp/inc.txt")
duck_json=$(node "$here/duckdb_peer.mjs" nightly --threads "$threads" --db "$data/history.duckdb" \
  --append "payments=$data/months/lastday.csv" --types payments=canonical "${sqls[@]}" \
  --runs "$runs" --warmup 1 --out-dir "$tmp/duck")
d_med=$(json_num median_s "$duck_json") d_min=$(json_num min_s "$duck_json") d_max=$(json_num max_s "$duck_json")
d_rss=$(json_num peak_rss_bytes "$duck_json")
ratio=$(awk -v d="$d_med" -v f="$f_med" 'BEGIN { printf "%.2f", d / f }')

# the answers, rule by rule
equal=true checks=""
for k in "${!codes[@]}"; do
  code=${codes[$k]} name=${names[$k]}
  mkdir -p "$tmp/cmp-$code"
  grep -E "^\{\"detector\":\"$name\"" "$tmp/report/findings.json" | grep -E '"status":"(new|open)"' >"$tmp/cmp-$code/f.json" || true
  ref="$tmp/duck/$(basename "$(reference_sql "$code")" .sql).csv"
  verdict=$(same_answer "$code" "$tmp/cmp-$code/f.json" "$ref" "$tmp/cmp-$code")
  [ "${verdict%% *}" = yes ] || equal=false
  checks="${checks:+$checks,}{\"rule\":\"$code\",\"equal\":$([ "${verdict%% *}" = yes ] && echo true || echo false),\"check\":$(node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "${verdict#* }")}"
  echo "  $code $verdict" >&2
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
out="$here/results/scan-$size.json"
{
  printf '{"bench":"scan","rows":%s,"day_rows":%s,"threads":%s,"runs":%s,"cpu":"%s","commit":"%s",\n' \
    "$rows" "$day_rows" "$threads" "$runs" "$cpu" "$commit"
  printf ' "rules_run":["%s"],\n' "$(IFS=,; echo "${codes[*]}" | sed 's/,/","/g')"
  printf ' "ferret":{"median_s":%s,"min_s":%s,"max_s":%s,"runs":[%s],"peak_rss_bytes":%s},\n' \
    "$f_med" "$f_min" "$f_max" "$(IFS=,; echo "${inc[*]}")" $((peak_kb * 1024))
  printf ' "duckdb":%s,\n' "$duck_json"
  printf ' "speed_ratio_duckdb_over_ferret":%s,"answers_equal":%s,"answer_checks":[%s],\n' "$ratio" "$equal" "$checks"
  printf ' "full_scan_median_s":%s,"full_runs":[%s],"full_over_incremental":%s,\n' "$full_med" "$(IFS=,; echo "${full[*]}")" \
    "$(awk -v a="$full_med" -v b="$f_med" 'BEGIN { printf "%.2f", a / b }')"
  printf ' "rules":['
  grep -E '^  ' "$tmp/inc.txt" | awk '{printf "%s{\"rule\":\"%s\",\"mode\":\"%s\",\"rows_read\":%s,\"rows\":%s}", (NR > 1 ? "," : ""), $2, $3, $4, $6}'
  printf ']}\n'
} >"$out"
echo "| history | new day | threads | ferret ingest + incremental scan | DuckDB append + ${#codes[@]} queries | ratio | answers equal | ferret --full scan |"
echo "|---|---|---|---|---|---|---|---|"
printf '| %s payments | %s payments | %s | %s s (%s-%s) | %s s (%s-%s) | %sx | %s | %s s |\n' "$rows" "$day_rows" "$threads" \
  "$f_med" "$f_min" "$f_max" "$d_med" "$d_min" "$d_max" "$ratio" "$equal" "$full_med"
echo
echo "rows read per rule in the incremental scan:"
grep -E '^  ' "$tmp/inc.txt" | awk '{printf "  %-24s %-4s %-9s %s of %s\n", $1, $2, $3, $4, $6}'
echo "(bench/results/scan-$size.json)"
