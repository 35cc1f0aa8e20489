#!/usr/bin/env bash
# run_fuzz.sh BUILD_DIR SECONDS - fuzz every ferret target for SECONDS each.
#
# BUILD_DIR is a build configured with -DFERRET_FUZZ=ON (clang).  Each target
# runs on a scratch copy of its seed corpus (tests/fuzz/corpus/<target>/, never
# modified), one after the other.  Prints one summary line per target and exits
# non-zero when any target crashed, leaked, hit UB, broke an invariant, timed
# out or ran out of memory; the reproducer is kept in the work directory (its
# path is printed).
#
# Environment:
#   FUZZ_TARGETS  space-separated subset of targets (default: all six)
#   FUZZ_OUT      work directory (default: a fresh mktemp -d; removed on success)
#   FUZZ_ARGS     extra libFuzzer flags, e.g. "-jobs=2 -workers=2" or "-dict=..."
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$1
secs=$2
case $secs in
  '' | *[!0-9]*) echo "$0: SECONDS must be a whole number" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
targets=${FUZZ_TARGETS:-"fuzz_csv_reader fuzz_jsonl_reader fuzz_segment_reader fuzz_xes fuzz_ocds fuzz_sql"}
if [ -n "${FUZZ_OUT:-}" ]; then
  work=$FUZZ_OUT
  mkdir -p "$work"
  keep_work=1
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/ferret-fuzz.XXXXXX")
  keep_work=0
fi

# UBSan in the library is recoverable by default: make every report fatal so
# that libFuzzer keeps the input.  Leak checking is on (libFuzzer default).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}

failed=0
for target in $targets; do
  exe=$build/tests/fuzz/$target
  if [ ! -x "$exe" ]; then
    printf '%-22s FAIL  not built (%s; configure with -DFERRET_FUZZ=ON)\n' "$target" "$exe"
    failed=1
    continue
  fi
  dir=$work/$target
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  if [ -d "$here/corpus/$target" ]; then
    cp -R "$here/corpus/$target/." "$dir/corpus/"
  fi
  seeds=$(find "$dir/corpus" -type f | wc -l)
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  "$exe" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" ${FUZZ_ARGS:-} "$dir/corpus" >"$dir/log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$dir/log" | tail -1)
  cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
  artifact=$(find "$dir/artifacts" -type f | head -1)
  if [ $rc -eq 0 ] && [ -z "$artifact" ]; then
    printf '%-22s ok    %ss, %s runs, %s exec/s, cov %s, ft %s, corpus %s -> %s\n' "$target" "$secs" \
      "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$seeds" "${corp:-?}"
  else
    failed=1
    kind=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer|UndefinedBehaviorSanitizer): [a-zA-Z -]+|runtime error: .*|FERRET FUZZ INVARIANT FAILED.*' "$dir/log" | head -1)
    printf '%-22s FAIL  rc %s after %s runs: %s; reproducer %s; log %s\n' "$target" "$rc" "${runs:-?}" \
      "${kind:-see log}" "${artifact:-none}" "$dir/log"
    keep_work=1
  fi
done

if [ $keep_work -eq 0 ]; then
  rm -rf "$work"
else
  echo "work directory: $work"
fi
exit $failed
