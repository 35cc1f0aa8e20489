# lib.sh - helpers for end-to-end tests of the real `ferret` binary.
# Each test_*.sh sources this file.  Environment (set by CTest): FERRET (the
# binary), FERRET_TEST_TMP (a scratch directory, emptied here), FERRET_SHARED_DATA
# (../shared/data; tests that need it skip with exit 77 when it is absent).
set -euo pipefail
: "${FERRET:?FERRET must point at the ferret binary}"
: "${FERRET_TEST_TMP:=$(mktemp -d)}"
rm -rf "$FERRET_TEST_TMP"
mkdir -p "$FERRET_TEST_TMP"
cd "$FERRET_TEST_TMP"
fr_pass=0
fr_fail=0

# ferret ARGS...: runs $FERRET, waiting and retrying while the binary is being
# rebuilt (exit 126/127 from the shell: ferret itself exits 0-3).
ferret() {
  local rc try
  for ((try = 0; try < 120; try++)); do
    rc=0
    "$FERRET" "$@" || rc=$?
    if [ "$rc" != 126 ] && [ "$rc" != 127 ]; then return "$rc"; fi
    sleep 0.5
  done
  return "$rc"
}

# fail MESSAGE: records a failed check and goes on.
fail() { echo "FAIL: $*" >&2; fr_fail=$((fr_fail + 1)); }
pass() { fr_pass=$((fr_pass + 1)); }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { local what=$1; shift; if "$@"; then pass; else fail "$what"; fi; }
# expect_rc WANT DESCRIPTION COMMAND...: runs the command, checks its exit status;
# its stdout/stderr are left in out.txt / err.txt.
expect_rc() {
  local want=$1 what=$2; shift 2
  local rc=0
  "$@" >out.txt 2>err.txt || rc=$?
  if [ "$rc" = "$want" ]; then pass; else fail "$what: exit $rc, wanted $want; stderr: $(head -c 600 err.txt)"; fi
}
# contains FILE TEXT DESCRIPTION: the file holds the fixed string.
contains() { if grep -qF -- "$2" "$1"; then pass; else fail "$3: '$2' not in $1: $(head -c 600 "$1")"; fi; }
need_shared() {
  if [ ! -d "${FERRET_SHARED_DATA:-/nonexistent}" ]; then
    echo "SKIP: shared data folder ${FERRET_SHARED_DATA:-} is absent" >&2
    exit 77
  fi
}
# find_duckdb_peer: sets src (the source tree), peer (bench/duckdb_peer.mjs) and
# have_duckdb (1 when @duckdb/node-api is installed; else 0 and a SKIP line for the
# reference-SQL part, or exit 1 when FERRET_REQUIRE_DUCKDB=1).
find_duckdb_peer() {
  src="${FERRET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
  peer="$src/bench/duckdb_peer.mjs"
  have_duckdb=1
  if [ ! -d "$src/bench/node_modules/@duckdb" ]; then
    if [ "${FERRET_REQUIRE_DUCKDB:-0}" = 1 ]; then echo "FAIL: DuckDB peer not installed" >&2; exit 1; fi
    echo "SKIP (reference SQL part): DuckDB peer not installed (npm ci --prefix bench)" >&2
    have_duckdb=0
  fi
}

# finish: prints the closing line and sets the exit status.
finish() {
  echo "$fr_pass passed, $fr_fail failed"
  [ "$fr_fail" = 0 ]
}
