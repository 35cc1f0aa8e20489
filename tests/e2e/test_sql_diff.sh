# test_sql_diff.sh - `ferret query` gives DuckDB's answers: the differential corpus
# of tests/sql (hand-written queries/*.sql plus seeded generated ones) over ferret
# gen's tables (20000 payments, seed 7) and, where ../shared/data is present, the
# real Oxford and AMLSim logs; each query at --threads 1 and 2. See tests/sql/README.md.
#
# Skips (77) when node or @duckdb/node-api is missing, unless FERRET_REQUIRE_DUCKDB=1.
# Extra options for the runner: FERRET_SQL_DIFF_ARGS (e.g. "--filter ^win_ --max-show 50").
if [ -n "${FERRET:-}" ] && [[ "$FERRET" != /* ]]; then FERRET="$PWD/$FERRET"; fi
src="${FERRET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
source "$(dirname "$0")/lib.sh"
missing=""
command -v node >/dev/null 2>&1 || missing="node is not installed"
[ -z "$missing" ] && [ ! -d "$src/bench/node_modules/@duckdb/node-api" ] &&
  missing="@duckdb/node-api is not installed (npm ci --prefix bench)"
if [ -n "$missing" ]; then
  if [ "${FERRET_REQUIRE_DUCKDB:-0}" = 1 ]; then
    echo "FAIL: $missing, and FERRET_REQUIRE_DUCKDB=1" >&2
    exit 1
  fi
  echo "SKIP: $missing" >&2
  exit 77
fi

shared=()
if [ -d "${FERRET_SHARED_DATA:-/nonexistent}" ]; then
  shared=(--shared "$FERRET_SHARED_DATA")
else
  echo "SKIP (real data): ${FERRET_SHARED_DATA:-../shared/data} is absent; generated data only" >&2
fi

# Waits while the binary is being rebuilt (as lib.sh's ferret() does).
for ((try = 0; try < 120; try++)); do [ -x "$FERRET" ] && break; sleep 0.5; done

rc=0
# shellcheck disable=SC2086
node "$src/tests/sql/diff.mjs" --ferret "$FERRET" --tmp "$FERRET_TEST_TMP/work" "${shared[@]}" \
  --threads 1,2 --report "$FERRET_TEST_TMP/report.json" ${FERRET_SQL_DIFF_ARGS:-} || rc=$?
case "$rc" in
  0) exit 0 ;;
  77) if [ "${FERRET_REQUIRE_DUCKDB:-0}" = 1 ]; then exit 1; fi; exit 77 ;;
  *) echo "FAIL: the SQL differential test failed (exit $rc); details in $FERRET_TEST_TMP/report.json" >&2; exit 1 ;;
esac
