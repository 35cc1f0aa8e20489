#!/usr/bin/env bash
# test_check.sh - the benchmark suite's pass/fail decision (bench/suite.mjs check) on
# fake results and baselines, and the report's handling of a differing answer, a
# skipped detector group and a nightly scan whose answers differ.  Needs Node.js (exit 77,
# skipped, without it).  Run by CTest (bench_check) and by tests/run.sh before the
# suite itself.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null || { echo "SKIP: no node" >&2; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-check-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# expect CODE PATTERN NAME RESULT_JSON BASELINE_JSON: the check exits CODE and, when
# PATTERN is not empty, prints a line matching it.
expect() {
  local code=$1 pattern=$2 name=$3
  printf '%s\n' "$4" >"$tmp/result.json"
  local args=("$tmp/result.json")
  if [ -n "$5" ]; then printf '%s\n' "$5" >"$tmp/baseline.json"; args+=("$tmp/baseline.json"); fi
  local rc=0
  node "$here/suite.mjs" check "${args[@]}" >"$tmp/out" 2>&1 || rc=$?
  if [ "$rc" != "$code" ]; then
    echo "FAIL $name: exit $rc, expected $code"; sed 's/^/    /' "$tmp/out"; failed=$((failed + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/out"; then
    echo "FAIL $name: output lacks /$pattern/"; sed 's/^/    /' "$tmp/out"; failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}

# wl ID RATIO EQUAL [STATUS]: one workload of a fake result.
wl() {
  local status=${4:-ok}
  printf '{"id":"%s","group":"%s","status":"%s","ferret":{"median_s":1,"min_s":1,"max_s":1},"duckdb":{"median_s":%s,"min_s":1,"max_s":1},"ratio":%s,"answers_equal":%s}' \
    "$1" "${1%%/*}" "$status" "$2" "$2" "$3"
}
result() { local IFS=,; printf '{"size":"small","threads":2,"skipped_groups":[%s],"workloads":[%s]}' "${SKIP:-}" "$*"; }
base='{"reason":"test","size":"small","threads":2,"ratios":{"query/a":2.0,"query/b":0.5,"detect/F1":4.0}}'
good="$(wl query/a 2.1 true),$(wl query/b 0.4 true),$(wl detect/F1 3.0 true)"

expect 0 'check passed' "all ratios above half, answers equal" "$(result "$good")" "$base"
expect 0 '' "a ratio exactly half of the baseline passes" \
  "$(result "$(wl query/a 1.0 true),$(wl query/b 0.25 true),$(wl detect/F1 2.0 true)")" "$base"
expect 1 'FAIL query/a: ratio 0.99 below half' "a ratio just below half fails" \
  "$(result "$(wl query/a 0.99 true),$(wl query/b 0.5 true),$(wl detect/F1 4.0 true)")" "$base"
expect 1 'FAIL detect/F1: ratio 1.9' "a slower detector fails" \
  "$(result "$(wl query/a 2.0 true),$(wl query/b 0.5 true),$(wl detect/F1 1.9 true)")" "$base"
expect 1 'FAIL query/b: answer differs' "a different answer fails, however fast" \
  "$(result "$(wl query/a 2.0 true),$(wl query/b 50 false),$(wl detect/F1 4.0 true)")" "$base"
expect 1 'FAIL query/b: answer differs' "a different answer fails without a baseline" \
  "$(result "$(wl query/a 2.0 true),$(wl query/b 50 false)")" ""
expect 1 'FAIL query/b: answer not checked' "an unchecked answer fails" \
  "$(result "$(wl query/a 2.0 true),$(wl query/b 0.5 null),$(wl detect/F1 4.0 true)")" "$base"
expect 1 'FAIL query/a: workload failed' "a failed workload fails" \
  "$(result "$(wl query/a 2.0 true failed),$(wl query/b 0.5 true),$(wl detect/F1 4.0 true)")" "$base"
expect 1 'FAIL detect/F1: in the baseline but missing' "a workload of the baseline missing fails" \
  "$(result "$(wl query/a 2.0 true),$(wl query/b 0.5 true)")" "$base"
SKIP='"detect"' expect 0 'note detect/F1' "a missing workload of a skipped group is a note" \
  "$(SKIP='"detect"' result "$(wl query/a 2.0 true),$(wl query/b 0.5 true)")" "$base"
expect 0 'note scan/nightly: not_available' "a workload not available is a note" \
  "$(result "$good,{\"id\":\"scan/nightly\",\"status\":\"not_available\",\"note\":\"no ferret scan\"}")" "$base"
expect 0 '' "a new workload without a baseline ratio passes" \
  "$(result "$good,$(wl query/new 0.01 true)")" "$base"
expect 1 'baseline is for size large' "a baseline of another size fails" \
  "$(result "$good")" '{"size":"large","threads":2,"ratios":{}}'
expect 2 '' "an unreadable baseline is a usage error" "$(result "$good")" 'not json'

# The baseline: each workload's lowest ratio among the results, only equal answers.
result "$(wl query/a 2.0 true),$(wl query/b 0.4 true),$(wl query/c 9 false)" >"$tmp/r1.json"
result "$(wl query/a 1.5 true),$(wl query/b 0.6 true)" >"$tmp/r2.json"
if node "$here/suite.mjs" baseline "test reason" "$tmp/r1.json" "$tmp/r2.json" >"$tmp/b.json" 2>"$tmp/out" &&
   node -e 'const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
            process.exit(b.reason === "test reason" && b.ratios["query/a"] === 1.5 && b.ratios["query/b"] === 0.4 &&
                         !("query/c" in b.ratios) && b.size === "small" ? 0 : 1)' "$tmp/b.json"; then
  passed=$((passed + 1))
else
  echo "FAIL baseline: not the lowest ratios of equal answers"; cat "$tmp/b.json" "$tmp/out"; failed=$((failed + 1))
fi

# The report: fake parts in, the check's decision out.
cat >"$tmp/ingest.json" <<'JSON'
{"rows":1000,"input_csv_bytes":100000,
 "ferret":{"median_s":0.5,"min_s":0.4,"max_s":0.6,"runs":[0.4,0.5,0.6],"peak_rss_bytes":1048576,"store_bytes":10},
 "duckdb":{"median_s":1.0,"min_s":0.9,"max_s":1.1,"runs":[0.9,1.0,1.1],"peak_rss_bytes":2097152},
 "answers_equal":true,"answer_check":"md5"}
JSON
cat >"$tmp/query.json" <<'JSON'
{"duckdb_version":"v0","workloads":[
 {"name":"grouped_sum","sql":"SELECT 1","ferret":{"median_s":0.1,"min_s":0.1,"max_s":0.2,"runs":[0.1],"peak_rss_bytes":1},
  "duckdb":{"median_s":0.05,"min_s":0.05,"max_s":0.05,"runs":[0.05],"peak_rss_bytes":1},"answers_equal":false},
 {"name":"point_lookup","sql":"SELECT 2","ferret":{"error":"exit 3: boom"},
  "duckdb":{"median_s":0.05,"min_s":0.05,"max_s":0.05,"runs":[0.05],"peak_rss_bytes":1},"answers_equal":null}]}
JSON
cat >"$tmp/scan.json" <<'JSON'
{"bench":"scan","rows":1000,"day_rows":10,"threads":2,"runs":3,"rules_run":["F1","F3"],
 "ferret":{"median_s":1.0,"min_s":0.9,"max_s":1.2,"runs":[0.9,1.0,1.2],"peak_rss_bytes":1048576},
 "duckdb":{"median_s":2.0,"min_s":2.0,"max_s":2.0,"runs":[2.0,2.0,2.0],"peak_rss_bytes":2097152},
 "speed_ratio_duckdb_over_ferret":2.0,"answers_equal":false,
 "answer_checks":[{"rule":"F1","equal":true,"check":"same 2 finding key sets"},{"rule":"F3","equal":false,"check":"key sets differ"}],
 "full_scan_median_s":2.5,"full_over_incremental":2.5,"rules":[]}
JSON
cat >"$tmp/info.json" <<'JSON'
{"tables":[{"name":"payments","columns":[{"name":"org","raw_bytes":1000000},{"name":"amount","raw_bytes":3000000}]}]}
JSON
cat >"$tmp/limits.json" <<'JSON'
{"threads":2,"memory_read_bytes_per_s":{"1":1e10,"2":2e10},"method":"fake",
 "zstd":{"source":"fake","frames":1,"ratio":2,"output_bytes_per_s":{"1":1e9,"2":2e9},"version":"0"},
 "xxh3":{"long_input_bytes_per_s":2e10,"hashes_per_s_8_byte_keys":2e8,"hashes_per_s_64_byte_keys":1e8}}
JSON
rc=0
SUITE_SIZE=small SUITE_ROWS=1000 SUITE_THREADS=2 SUITE_RUNS=3 SUITE_COMMIT=test \
SUITE_INGEST="$tmp/ingest.json" SUITE_QUERY="$tmp/query.json" SUITE_DETECT="" \
SUITE_DETECT_NOTE="bench_detect.sh absent" SUITE_SCAN="$tmp/scan.json" SUITE_LIMITS="$tmp/limits.json" SUITE_INFO="$tmp/info.json" \
SUITE_OUT="$tmp/suite" node "$here/suite.mjs" report >"$tmp/report.out" 2>&1 || rc=$?
report_ok() {
  local name=$1; shift
  if [ "$rc" = 0 ] && "$@"; then passed=$((passed + 1)); else
    echo "FAIL report: $name"; sed 's/^/    /' "$tmp/report.out"; failed=$((failed + 1)); fi
}
report_ok "table marks the differing answer" grep -q '| query/grouped_sum | .* | \*\*NO\*\* |' "$tmp/suite.md"
report_ok "table says the detectors were skipped" grep -q 'detect/\* | skipped: bench_detect.sh absent' "$tmp/suite.md"
report_ok "table marks the nightly scan's differing rule" grep -q '| scan/nightly | 1.000 s .* | 2.000 s .* | 2.00x | \*\*NO\*\* |' "$tmp/suite.md"
report_ok "the scan row names the rule that differs" node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const w = r.workloads.find((x) => x.id === "scan/nightly");
  process.exit(w.ratio === 2 && w.answers_equal === false && /F3: key sets differ/.test(w.answer_check) ? 0 : 1)' "$tmp/suite.json"
report_ok "scan bytes / time vs bandwidth: 4 MB in 0.1 s = 0.2% of 20 GB/s" \
  grep -q '| query/grouped_sum | .* | 4.0 MB, 0.04 GB/s, 0.20% |' "$tmp/suite.md"
report_ok "ingest ratio 2x and spread 0.4" node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const w = r.workloads.find((x) => x.id === "ingest/csv_zst");
  process.exit(w.ratio === 2 && w.ferret.spread === 0.4 && w.answers_equal === true ? 0 : 1)' "$tmp/suite.json"
expect_report() { printf '%s\n' "$(cat "$tmp/suite.json")"; }
expect 1 'FAIL query/grouped_sum: answer differs' "the report's differing answer fails the check" "$(expect_report)" ""
expect 1 'FAIL query/point_lookup: workload failed' "the report's failed query fails the check" "$(expect_report)" ""
expect 1 'FAIL scan/nightly: answer differs' "the report's differing nightly scan fails the check" "$(expect_report)" ""

echo "test_check: $passed passed, $failed failed"
[ "$failed" = 0 ]
