# test_cardinal_sql.sh - `ferret detect STORE cardinal` (no --settings: every indicator,
# cardinal-rs's defaults) against the reference SQL of tests/cardinal/r*.sql run by
# DuckDB (tests/cardinal/run_sql.mjs) on the same JSON lines, compared as maps with exact
# numbers, on:
#  1. every cardinal-rs fixture whose settings are the defaults (indicators/<CODE>.jsonl);
#  2. all fixtures in one file, each fixture's ocids prefixed with its name (one run over
#     mixed data: shared quartiles, a shared first currency, tenderers across fixtures);
#  3. `ferret gen OUT --rows 20000 --ocds --seed S` for S = 1, 2, when this build's gen
#     offers --ocds (else that part is reported as not run);
#  4. tests/cardinal/gen_random.py's odd data (profiles mixed, outliers, losers at 3000
#     releases, and six small sets): every indicator flags something, every skip rule is met.
# The comparison itself must be able to fail: a map with one value changed is refused.
# Skips (77) without the shared fixtures or python3; without node / @duckdb/node-api it
# skips too, unless FERRET_REQUIRE_DUCKDB=1 (CI), where it fails.
source "$(dirname "$0")/lib.sh"
src="${FERRET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
fixtures="${FERRET_SHARED_DATA:-/nonexistent}/ocds-cardinal-fixtures/indicators"
if [ ! -d "$fixtures" ]; then echo "SKIP: $fixtures is absent" >&2; exit 77; fi
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to compare JSON maps" >&2; exit 77; }
if ! command -v node >/dev/null || [ ! -d "$src/bench/node_modules/@duckdb/node-api" ]; then
  if [ "${FERRET_REQUIRE_DUCKDB:-0}" = 1 ]; then echo "FAIL: DuckDB peer not installed" >&2; exit 1; fi
  echo "SKIP: node and the DuckDB peer are needed (npm ci --prefix bench)" >&2; exit 77
fi

# same_map A B: both files hold one JSON object, equal as maps with exact numbers
# (1 == 1.0, 0.1 != 0.1000000000000001); on a difference, prints what differs.
same_map() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
if a == b: sys.exit(0)
flat = lambda o: {(g, k, i): v for g, ks in o.items() for k, inds in ks.items() for i, v in inds.items()}
fa, fb = flat(a), flat(b)
for key in sorted(set(fa) | set(fb)):
    if fa.get(key) != fb.get(key): print('  %s: ferret %r, sql %r' % ('/'.join(key), fa.get(key), fb.get(key)))
sys.exit(1)
PY
}

# compare NAME FILE: ingest FILE, run ferret and the SQL, compare.
compare() {
  local name=$1 file=$2
  rm -rf "st-$name"
  expect_rc 0 "$name: ingest" ferret ingest "st-$name" ocds "$file" --format ocds --quiet
  if ! ferret detect "st-$name" cardinal >"$name.ferret" 2>err.txt; then
    fail "$name: detect cardinal failed: $(head -c 300 err.txt)"; return
  fi
  if ! node "$src/tests/cardinal/run_sql.mjs" "$file" >"$name.sql" 2>err.txt; then
    fail "$name: run_sql.mjs failed: $(head -c 600 err.txt)"; return
  fi
  if same_map "$name.ferret" "$name.sql" >diff.txt; then pass; else
    fail "$name: ferret and the SQL differ:"$'\n'"$(head -40 diff.txt)"
  fi
}

# 0. the comparison fails on a wrong map: one value of the R038 fixture's result changed
node "$src/tests/cardinal/run_sql.mjs" "$fixtures/R038.jsonl" >good.json
contains good.json '"B":{"R038":0.5}' "R038 fixture: the SQL's object"
sed 's/"R038":0.5/"R038":0.5000000000000001/' good.json >wrong.json
check "a changed value fails the comparison" eval '! same_map good.json wrong.json >/dev/null'
sed 's/,"ProcuringEntity":{[^}]*}}//' good.json >wrong.json
check "a missing group fails the comparison" eval '! same_map good.json wrong.json >/dev/null'

# 1. the fixtures with default settings (name = just the indicator code)
n=0
for f in "$fixtures"/R[0-9][0-9][0-9].jsonl; do compare "$(basename "$f" .jsonl)" "$f"; n=$((n + 1)); done
check "at least 10 default-settings fixtures" test "$n" -ge 10

# 2. every fixture in one file, ocids prefixed with the fixture's name
for f in "$fixtures"/*.jsonl; do
  python3 - "$f" "$(basename "$f" .jsonl)" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    if line.strip():
        o = json.loads(line)
        if isinstance(o.get('ocid'), str): o['ocid'] = sys.argv[2] + '/' + o['ocid']
        print(json.dumps(o))
PY
done >mixed.jsonl
compare mixed mixed.jsonl

# 3. generated data, when `ferret gen` writes OCDS
if ferret gen --help 2>&1 | grep -q -- '--ocds'; then
  for seed in 1 2; do
    rm -rf "gen$seed"
    expect_rc 0 "gen --ocds seed $seed" ferret gen "gen$seed" --rows 20000 --ocds --seed "$seed"
    if [ -f "gen$seed/ocds.jsonl.zst" ]; then compare "gen$seed" "gen$seed/ocds.jsonl.zst"
    else fail "gen --ocds seed $seed: no gen$seed/ocds.jsonl.zst"; fi
  done
else
  echo "NOT RUN: ferret gen has no --ocds in this build (part 3)"
fi

# 4. odd random data: three profiles at 3000 releases, and six small 'outliers' sets (about
#    50 ratios each, where a quartile computed another way moves the fences past data values)
for profile in mixed outliers losers; do
  python3 "$src/tests/cardinal/gen_random.py" 1 3000 "$profile" >"rand-$profile.jsonl"
  compare "rand-$profile" "rand-$profile.jsonl"
done
for seed in 1 2 3 4 5 6; do
  python3 "$src/tests/cardinal/gen_random.py" "$seed" 100 outliers >"small-$seed.jsonl"
  compare "small-$seed" "small-$seed.jsonl"
done
finish
