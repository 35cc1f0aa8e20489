#!/usr/bin/env bash
# run.sh small|large|xl - the benchmark suite: ferret and DuckDB side by side, on the
# same generated data (ferret gen --seed 1, cached in bench/data/), with the same
# thread count (FERRET_BENCH_THREADS, default 2), in the same run.
#
#   bash bench/run.sh small          # 1M payments (CI), large = 10M, xl = 50M (by hand)
#   bash bench/run.sh check RESULT.json [BASELINE.json]     # the pass/fail decision only
#   bash bench/run.sh baseline "REASON" RESULT.json... > bench/baseline.json   # lowest ratio of the results
#
# Workloads, each with one warm-up and RUNS (default 5) timed runs per engine:
#   ingest   bench/bench_ingest.sh   ferret ingest vs DuckDB read_csv of payments.csv.zst
#   query    bench/bench_query.sh    the seven SQL workloads of the query issue
#   detect   bench/bench_detect.sh   every detector vs its reference SQL (skipped, with
#                                    a note, when the script is absent or fails); the
#                                    answers are compared here (same finding key sets)
#   scan     bench/bench_scan.sh     the nightly job: a day appended + the incremental
#                                    `ferret scan` vs DuckDB appending it + every rule's query
# and, beside them, bench/limits.c (ferret_limits): memory read bandwidth, zstd
# decompression of the store's stored chunks, XXH3.
#
# Output: bench/results/suite-SIZE.json and suite-SIZE.md (printed).  Exit status 1
# when a workload failed, an answer differed from DuckDB's, or (when bench/baseline.json
# is for this size and thread count) a ratio fell below half of the baseline's.
#
# Environment: FERRET (default build/tools/ferret), FERRET_LIMITS (default
# bench/ferret_limits in the same build as FERRET), FERRET_BENCH_THREADS, RUNS,
# BENCH_BASELINE (default bench/baseline.json; "none" checks answers only).
set -uo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

case "${1:-}" in
  check) shift; exec node "$here/suite.mjs" check "$@" ;;
  baseline) shift; exec node "$here/suite.mjs" baseline "$@" ;;
  small) rows=1000000 ;; large) rows=10000000 ;; xl) rows=50000000 ;;
  *) echo "usage: bash bench/run.sh small|large|xl | check RESULT.json [BASELINE.json] | baseline REASON RESULT.json..." >&2
     exit 2 ;;
esac
size=$1
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-5}
export FERRET_BENCH_THREADS=$threads RUNS=$runs
ferret=${FERRET:-$root/build/tools/ferret}
[ -x "$ferret" ] || { echo "build ferret first: cmake -S . -B build -G Ninja && ninja -C build" >&2; exit 2; }
ferret=$(cd "$(dirname "$ferret")" && pwd)/$(basename "$ferret")
export FERRET=$ferret
source "$here/lib.sh"
limits_bin=${FERRET_LIMITS:-$(dirname "$(dirname "$ferret")")/bench/ferret_limits}
[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund >/dev/null
baseline=${BENCH_BASELINE:-$here/baseline.json}
peer="$here/duckdb_peer.mjs"
results="$here/results"
mkdir -p "$results"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-suite.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$EPOCHREALTIME
echo "== benchmark suite: $size ($rows payments), $threads threads, $runs timed runs after 1 warm-up" >&2

# run_part NAME SCRIPT ARGS...: a part of the suite, its log kept; its stale result
# removed first, so that a part that dies leaves no result rather than an old one.
run_part() {
  local name=$1; shift
  echo "== $name: $*" >&2
  local rc=0
  bash "$@" >"$tmp/$name.log" 2>"$tmp/$name.err" || rc=$?
  echo "$rc" >"$tmp/$name.rc"
  [ "$rc" = 0 ] || { echo "   $name exited $rc: $(tail -n 3 "$tmp/$name.err" | tr '\n' ' ' | head -c 400)" >&2; }
}
last_lines() { tail -n 3 "$tmp/$1.err" 2>/dev/null | tr '\n' ' ' | head -c 300; }

# ---------------------------------------------------------------- ingest, queries
rm -f "$results/ingest-$size.json"
run_part ingest "$here/bench_ingest.sh" "$size"
rm -f "$results/query-$size.json"
run_part query "$here/bench_query.sh" "$size"

# ---------------------------------------------------------------- detectors
detect_json="" detect_note=""
: >"$tmp/detect-equal"
if [ "$size" = xl ]; then detect_arg=$rows detect_out="$results/detect-$rows.json"
else detect_arg=$size detect_out="$results/detect-$size.json"; fi
if [ ! -f "$here/bench_detect.sh" ]; then
  detect_note="bench/bench_detect.sh is not in the tree yet"
else
  rm -f "$detect_out"
  run_part detect "$here/bench_detect.sh" "$detect_arg"
  if [ "$(cat "$tmp/detect.rc")" != 0 ]; then
    detect_note="bench/bench_detect.sh failed (exit $(cat "$tmp/detect.rc")): $(last_lines detect)"
  elif [ ! -s "$detect_out" ]; then
    detect_note="bench/bench_detect.sh wrote no $(basename "$detect_out")"
  else
    detect_json=$detect_out
  fi
fi
if [ -n "$detect_json" ]; then
  # The answers: ferret's findings and the reference SQL's rows, as sets of evidence
  # keys (F4: the same groups, MAD within 1e-12): bench/lib.sh same_answer.
  echo "== detect answers: ferret detect vs the reference SQL, once each" >&2
  ddata="$here/data/detect-$rows"
  for det in $(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      for (const x of r.results) console.log(x.detector + (x.duckdb && x.duckdb.median_s != null ? "" : ":timeout"));' "$detect_json"); do
    name=${det%%:*}
    if [ "$det" != "$name" ]; then echo "$name unknown DuckDB timed out in bench_detect.sh: not compared" >>"$tmp/detect-equal"; continue; fi
    d="$tmp/det-$name"; mkdir -p "$d"
    if ! detect_once "$name" "$ddata/store" "$d/f.json" 2>"$d/err"; then
      echo "$name unknown ferret detect failed: $(head -c 200 "$d/err" | tr '\n' ' ')" >>"$tmp/detect-equal"; continue
    fi
    if ! timeout "${DUCKDB_TIMEOUT:-600}" node "$peer" query --threads "$threads" --db "$ddata/duck.db" \
        --sql-file "$(reference_sql "$name")" --format csv >"$d/ref.csv" 2>"$d/err"; then
      echo "$name unknown DuckDB reference failed: $(head -c 200 "$d/err" | tr '\n' ' ')" >>"$tmp/detect-equal"; continue
    fi
    echo "$name $(same_answer "$name" "$d/f.json" "$d/ref.csv" "$d")" >>"$tmp/detect-equal"
  done
fi

# ---------------------------------------------------------------- nightly scan
# bench/bench_scan.sh: a day of payments appended, ferret's incremental scan vs
# DuckDB appending the day and running every rule's reference query; answers compared.
scan_json="" scan_note=""
if [ "$size" = xl ]; then scan_arg=$rows; else scan_arg=$size; fi
scan_out="$results/scan-$scan_arg.json"
rm -f "$scan_out"
run_part scan "$here/bench_scan.sh" "$scan_arg"
if [ "$(cat "$tmp/scan.rc")" = 0 ] && [ -s "$scan_out" ]; then scan_json=$scan_out
else scan_note="bench/bench_scan.sh failed (exit $(cat "$tmp/scan.rc")): $(last_lines scan)"; fi

# ---------------------------------------------------------------- limits, column sizes
# A store of the queries' payments and entities (cached): its column sizes give the
# bytes each scan reads, its segment files the stored zstd chunks for ferret_limits.
qdata="$here/data/payments-$rows"
store="$qdata/store"
info_json="$tmp/info.json" limits_json="$tmp/limits.json"
if [ -f "$qdata/payments.csv.zst" ] && [ -f "$qdata/entities.csv.zst" ]; then
  if [ ! -d "$store" ] || [ "$qdata/payments.csv.zst" -nt "$store" ] ||
     ! "$ferret" info "$store" --format json >"$info_json" 2>/dev/null; then
    echo "== building the column-size store ($store)" >&2
    rm -rf "$store" "$store.tmp"
    for t in payments entities; do
      OMP_NUM_THREADS=$threads "$ferret" ingest "$store.tmp" "$t" "$qdata/$t.csv.zst" --quiet --threads "$threads" || true
    done
    mv "$store.tmp" "$store" 2>/dev/null || true
    "$ferret" info "$store" --format json >"$info_json" 2>/dev/null || rm -f "$info_json"
  fi
fi
if [ -x "$limits_bin" ]; then
  echo "== physical limits: $limits_bin" >&2
  segs=()
  for s in "$store"/data/payments-*.fseg; do [ -f "$s" ] && segs+=(--segment "$s"); done
  "$limits_bin" --threads "$threads" "${segs[@]}" >"$limits_json" 2>"$tmp/limits.err" ||
    { echo "   ferret_limits failed: $(head -c 200 "$tmp/limits.err")" >&2; rm -f "$limits_json"; }
else
  echo "   no $limits_bin (build the bench/ directory: ninja -C BUILD ferret_limits): limits not measured" >&2
fi

# ---------------------------------------------------------------- report, check
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | head -n 1)
SUITE_SIZE=$size SUITE_ROWS=$rows SUITE_THREADS=$threads SUITE_RUNS=$runs SUITE_COMMIT="$commit${dirty:+-dirty}" \
SUITE_INGEST="$results/ingest-$size.json" SUITE_INGEST_NOTE="$(last_lines ingest)" \
SUITE_QUERY="$results/query-$size.json" SUITE_QUERY_NOTE="$(last_lines query)" \
SUITE_DETECT="$detect_json" SUITE_DETECT_NOTE="$detect_note" SUITE_DETECT_EQUAL="$tmp/detect-equal" \
SUITE_SCAN_NOTE="$scan_note" SUITE_SCAN="$scan_json" SUITE_LIMITS="$limits_json" SUITE_INFO="$info_json" \
SUITE_WALL_S=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') \
SUITE_OUT="$results/suite-$size" node "$here/suite.mjs" report || exit 3
echo
echo "results: bench/results/suite-$size.json, bench/results/suite-$size.md"
use_baseline=""
if [ "$baseline" != none ] && [ -f "$baseline" ] &&
   node -e 'const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
            process.exit(b.size === process.argv[2] && b.threads === Number(process.argv[3]) ? 0 : 1)' \
        "$baseline" "$size" "$threads"; then
  use_baseline=$baseline
fi
node "$here/suite.mjs" check "$results/suite-$size.json" $use_baseline
