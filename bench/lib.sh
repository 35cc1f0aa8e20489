# bench/lib.sh - what the detector benchmarks (bench_detect.sh, bench_approval.sh,
# bench_scan.sh, run.sh) share; sourced, not run.  Needs $root (the repository)
# and $ferret (the binary) set by the caller.

# reference_sql DET: the reference query of detector DET (tests/detect/<det>_*.sql).
reference_sql() {
  local lc
  lc=$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')
  ls "$root"/tests/detect/"${lc}"_*.sql 2>/dev/null | head -n 1
}

# The writer's chunk layout, stamped on the cached stores of bench_detect.sh and
# bench_approval.sh: bump it when the writer stores chunks differently (2: plain
# string chunks in zstd frames), so a cache made before is ingested again.
store_layout=2

# detect_once DET STORE OUT [TIMEFILE]: `ferret detect` as the reference SQL
# answers it, findings as JSON lines into OUT; with TIMEFILE, under /usr/bin/time
# ("SECONDS MAXRSS_KB" into it).  A1 has two parts (self-approved cases, and
# payments whose requester approved them) and its reference query answers both:
# `ferret detect STORE A1` (part=all) runs both.  OMP_NUM_THREADS=$threads.
detect_once() {
  local det=$1 store=$2 out=$3 timer=()
  [ -n "${4:-}" ] && timer=(/usr/bin/time -f "%e %M" -o "$4")
  OMP_NUM_THREADS=$threads "${timer[@]}" "$ferret" detect "$store" "$det" --format json >"$out"
}

# finding_keys FILE: each finding's evidence keys, space-separated, one line each, sorted.
finding_keys() { perl -ne 'print "$1\n" if /"values":\[([^\]]*)\]/' "$1" | tr -d '"' | tr ',' ' ' | sort; }

# same_answer DET FINDINGS REF_CSV DIR: compares ferret's findings (JSON lines)
# with the reference query's CSV (DIR: scratch); prints "yes WHY" or "no WHY".
# The answer is the set of evidence key sets (the reference's one column, its
# keys space-separated); for F4 (Benford) the same groups with the MAD within
# 1e-12, as tests/e2e/test_detect_gen.sh checks it.
same_answer() {
  local det=$1 found=$2 ref=$3 d=$4 verdict=yes why
  finding_keys "$found" >"$d/found"
  why="same $(wc -l <"$d/found") finding key sets"
  if [ "$det" = F4 ]; then
    tail -n +2 "$ref" | cut -d, -f3 | sort >"$d/ref_keys"
    tail -n +2 "$ref" | cut -d, -f1,2 | sort >"$d/ref_mad"
    perl -ne 'print "$1,$2\n" if /"subject":"([^"]*)".*"mad":([0-9.eE+-]+)/' "$found" | sort >"$d/our_mad"
    if ! { [ "$(wc -l <"$d/ref_mad")" = "$(wc -l <"$d/our_mad")" ] &&
           join -t, "$d/ref_mad" "$d/our_mad" | awk -F, '{ x = $2 - $3; if (x < 0) x = -x; if (x > 1e-12) bad = 1 } END { exit bad }'; }; then
      verdict=no why="MAD per group differs"
    fi
    why="$why, MAD within 1e-12"
  else
    tail -n +2 "$ref" | tr -d '"' | sort >"$d/ref_keys"
  fi
  if ! cmp -s "$d/ref_keys" "$d/found"; then
    verdict=no
    why="key sets differ: ferret $(wc -l <"$d/found"), DuckDB $(wc -l <"$d/ref_keys"); $(diff "$d/ref_keys" "$d/found" | head -n 4 | tr '\n' ' ' | head -c 200)"
  fi
  echo "$verdict $why"
}

# stats3: median, min and max of the numbers on standard input ("M MIN MAX", 3 decimals).
stats3() { sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f", m, v[1], v[NR] }'; }

# json_num KEY JSON: the number after "KEY": in JSON text (empty when absent).
json_num() { printf '%s' "$2" | perl -ne 'print $1 if /"'"$1"'":([0-9.e+-]+)/'; }

# bench_rule DET STORE DUCKDB_FILE: times DET (one warm-up, $runs runs, $threads
# threads: the whole `ferret detect` process under /usr/bin/time) and its reference
# query in DuckDB ($peer time, bounded by $duck_timeout), appends a JSON object to
# $json_rows and a markdown row to $table, and leaves the last findings in $tmp/out.json.
bench_rule() {
  local det=$1 store=$2 duck=$3 sql name times=() peak_kb=0 secs kb run
  sql=$(reference_sql "$det")
  name=$(basename "$sql" .sql)
  for run in $(seq 0 "$runs"); do
    detect_once "$det" "$store" "$tmp/out.json" "$tmp/time.txt"
    read -r secs kb <"$tmp/time.txt"
    [ "$run" = 0 ] && continue
    times+=("$secs")
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  done
  local findings f_med f_min f_max duck_json d_med d_min d_max d_rss ratio duck_cell duck_obj rss_cell ratio_cell
  findings=$(wc -l <"$tmp/out.json")
  read -r f_med f_min f_max <<<"$(printf '%s\n' "${times[@]}" | stats3)"
  duck_json=$(timeout "$duck_timeout" node "$here/duckdb_peer.mjs" time --threads "$threads" --runs "$runs" \
    --warmup 1 --db "$duck" --sql-file "$sql" 2>/dev/null || true)
  d_med=$(json_num median_s "$duck_json")
  if [ -n "$d_med" ]; then
    d_min=$(json_num min_s "$duck_json") d_max=$(json_num max_s "$duck_json") d_rss=$(json_num peak_rss_bytes "$duck_json")
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
}
