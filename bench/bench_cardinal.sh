#!/usr/bin/env bash
# bench_cardinal.sh [small|large|TENDERS] - procurement at scale: the cardinal-rs
# indicators over OCDS compiled releases, and P12-P14 over the tenders and bids
# tables, each against its SQL in DuckDB on the same data, answers compared.
#
# Data (cached in bench/data/ocds-TENDERS/): `ferret gen --rows 100000 --tenders
# TENDERS --ocds --seed 1` (small = 100,000 tenders, large = 1,000,000: the issue's
# yardstick), i.e. TENDERS background processes plus the planted ones, as
# ocds.jsonl.zst and as tenders/bids CSV.  With FERRET_BENCH_THREADS threads
# (default 2), WARMUP (default 1) untimed and RUNS (default 3) timed runs of
#   ferret ingest STORE ocds ocds.jsonl.zst --format ocds     (fresh store each run)
#   ferret detect STORE cardinal                              (every indicator, defaults)
#   DuckDB: tests/cardinal/run_sql.mjs ocds.jsonl.zst --timing
#           (read_json_objects into a table, then the eleven queries tests/cardinal/r*.sql)
# The answers: ferret's result object and the SQL's, as maps with exact numbers.
# Then P12, P13, P14 against tests/detect/p1N_*.sql (bench/lib.sh bench_rule) on a
# store and a DuckDB file of tenders, bids, entities, relations; a DuckDB query past
# P_TIMEOUT seconds (default 600) is reported as such and its answer not compared.
# Writes bench/results/cardinal-SIZE.json and prints markdown tables.  Not part of
# the CI suite (a 1M-process run takes about 20 minutes here, DuckDB most of it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-small}
case "$size" in
  small) tenders=100000 ;; large) tenders=1000000 ;;
  *[!0-9]*) echo "usage: bench_cardinal.sh [small|large|TENDERS]" >&2; exit 2 ;;
  *) tenders=$size ;;
esac
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-3}
warmup=${WARMUP:-1}
duck_timeout=${DUCKDB_TIMEOUT:-3600}
duck_memory=${DUCKDB_MEMORY_LIMIT:-12GB}   # with a database file in the scratch directory, so it can spill
duck_fail=
ferret=${FERRET:-$root/build/tools/ferret}
[ -x "$ferret" ] || { echo "build ferret first (cmake --build build)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed to compare the result objects" >&2; exit 2; }
source "$here/lib.sh"
[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund >/dev/null
export OMP_NUM_THREADS=$threads
data="$here/data/ocds-$tenders"
mkdir -p "$data" "$here/results"
if [ ! -f "$data/gen/ocds.jsonl.zst" ]; then
  rm -rf "$data/gen"
  "$ferret" gen "$data/gen" --rows 100000 --tenders "$tenders" --ocds --seed 1 --compress zst >/dev/null
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-cardinal.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
file="$data/gen/ocds.jsonl.zst"
releases=$(zstdcat "$file" | wc -l)
xml_bytes=$(zstdcat "$file" | wc -c)

ing=() det=() duck=() dload=() peak_i=0 peak_d=0
for ((r = 0; r < warmup + runs; r++)); do
  rm -rf "$tmp/st"
  /usr/bin/time -f "%e %M" -o "$tmp/ti" "$ferret" ingest "$tmp/st" ocds "$file" --format ocds --quiet
  /usr/bin/time -f "%e %M" -o "$tmp/td" "$ferret" detect "$tmp/st" cardinal >"$tmp/ferret.json"
  duck_rc=0
  timeout "$duck_timeout" node "$root/tests/cardinal/run_sql.mjs" "$file" --threads "$threads" --timing \
    --db-dir "$tmp" --memory-limit "$duck_memory" >"$tmp/sql.json" 2>"$tmp/sql.err" || duck_rc=$?
  ((r < warmup)) && continue
  read -r s kb <"$tmp/ti"; ing+=("$s"); ((kb > peak_i)) && peak_i=$kb
  read -r s kb <"$tmp/td"; det+=("$s"); ((kb > peak_d)) && peak_d=$kb
  if [ "$duck_rc" = 0 ]; then
    dload+=("$(awk '/^load / { print $2 }' "$tmp/sql.err")")
    duck+=("$(awk '/\.sql / { t += $2 } END { printf "%.3f", t }' "$tmp/sql.err")")
  else
    duck_fail="exit $duck_rc$([ "$duck_rc" = 124 ] && echo " (timed out after $duck_timeout s)"): $(tail -c 300 "$tmp/sql.err" | tr '\n' ' ')"
    echo "DuckDB failed: $duck_fail" >&2
  fi
done
read -r i_med i_min i_max <<<"$(printf '%s\n' "${ing[@]}" | stats3)"
read -r d_med d_min d_max <<<"$(printf '%s\n' "${det[@]}" | stats3)"
q_med=null q_min=null q_max=null l_med=null ratio_q=null ratio_all=null equal=false
if [ -z "$duck_fail" ]; then
read -r q_med q_min q_max <<<"$(printf '%s\n' "${duck[@]}" | stats3)"
read -r l_med _ _ <<<"$(printf '%s\n' "${dload[@]}" | stats3)"
if python3 - "$tmp/ferret.json" "$tmp/sql.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
then equal=true; fi
ratio_q=$(awk -v d="$q_med" -v f="$d_med" 'BEGIN { printf "%.2f", d / f }')
ratio_all=$(awk -v d="$q_med" -v l="$l_med" -v f="$d_med" -v i="$i_med" 'BEGIN { printf "%.2f", (d + l) / (f + i) }')
fi
flags=$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(sum(len(v) for g in o.values() for v in g.values()))' "$tmp/ferret.json")

# P12-P14 on the tables of the same data
if [ ! -d "$data/store" ]; then
  for t in tenders bids entities relations; do "$ferret" ingest "$data/store.tmp" "$t" "$data/gen/$t.csv.zst" --quiet; done
  mv "$data/store.tmp" "$data/store"
fi
if [ ! -f "$data/duck.db" ]; then
  loads=()
  for t in tenders bids entities relations; do loads+=(--load "$t=$data/gen/$t.csv.zst" --types "$t=canonical"); done
  node "$here/duckdb_peer.mjs" query --threads "$threads" --db "$data/duck.db.tmp" "${loads[@]}" --sql "SELECT 1" >/dev/null
  mv "$data/duck.db.tmp" "$data/duck.db"
fi
json_rows="" p_equal=""
table="| detector | ferret median (min-max) | ferret peak RSS | findings | DuckDB median (min-max) | DuckDB peak RSS | ratio |
|---|---|---|---|---|---|---|"
duck_timeout=${P_TIMEOUT:-600} # per rule (P12's self-join formulation crawls at 10^6 tenders)
for p in P12 P13 P14; do
  bench_rule "$p" "$data/store" "$data/duck.db"
  mkdir -p "$tmp/cmp-$p"
  if timeout "$duck_timeout" node "$here/duckdb_peer.mjs" query --threads "$threads" --db "$data/duck.db" \
      --sql-file "$(reference_sql "$p")" --format csv >"$tmp/ref.csv" 2>/dev/null; then
    p_equal="$p_equal $p:$(same_answer "$p" "$tmp/out.json" "$tmp/ref.csv" "$tmp/cmp-$p" | cut -d' ' -f1)"
  else
    p_equal="$p_equal $p:not-compared(DuckDB-over-${duck_timeout}s)"
  fi
done

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
cat >"$here/results/cardinal-$size.json" <<JSON
{"bench":"cardinal","releases":$releases,"json_bytes":$xml_bytes,"threads":$threads,"runs":$runs,"warmup":$warmup,"commit":"$commit","cpu":"$cpu",
 "ferret":{"ingest":{"median_s":$i_med,"min_s":$i_min,"max_s":$i_max,"peak_rss_bytes":$((peak_i * 1024))},
           "cardinal":{"median_s":$d_med,"min_s":$d_min,"max_s":$d_max,"peak_rss_bytes":$((peak_d * 1024))}},
 "duckdb":{"load_median_s":$l_med,"queries":{"median_s":$q_med,"min_s":$q_min,"max_s":$q_max},"memory_limit":"$duck_memory",
           "failed":$(node -e 'process.stdout.write(JSON.stringify(process.argv[1] || null))' "$duck_fail")},
 "indicator_values":$flags,"answers_equal":$equal,
 "ratio_queries_over_cardinal":$ratio_q,"ratio_load_and_queries_over_ingest_and_cardinal":$ratio_all,
 "p_rules":[$json_rows],"p_answers":"${p_equal# }"}
JSON
echo
echo "cardinal-rs indicators over $releases OCDS compiled releases ($(awk -v b="$xml_bytes" 'BEGIN { printf "%.2f", b / 1e9 }') GB of JSON), $threads threads, median of $runs"
echo
echo "| step | ferret | DuckDB | DuckDB / ferret |"
echo "|---|---|---|---|"
echo "| the eleven indicators (data loaded) | $d_med s ($d_min-$d_max), $((peak_d / 1024)) MiB | $q_med s ($q_min-$q_max) | ${ratio_q}x |"
echo "| load + indicators | ingest $i_med s + $d_med s | load $l_med s + $q_med s | ${ratio_all}x |"
echo
echo "answers equal (result objects as maps, exact numbers): $equal ($flags indicator values)${duck_fail:+; DuckDB failed: $duck_fail}"
echo
echo "P12-P14 over the same tenders and bids (answers:${p_equal}):"
echo
echo "$table"
echo
echo "(bench/results/cardinal-$size.json)"
