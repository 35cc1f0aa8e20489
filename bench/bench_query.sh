#!/usr/bin/env bash
# bench_query.sh [small|large|xl|ROWS] - the SQL workloads of the query issue,
# ferret vs DuckDB, store to answer.
#
# Generates payments and entities with `ferret gen --seed 1` once into bench/data/
# (cached, beside bench_ingest.sh's payments), then builds both engines' storage
# once per run, untimed: a ferret store (`ferret ingest`) and a DuckDB database
# file (canonical types, bench/duckdb_peer.mjs).  For each query, with the same
# thread count (FERRET_BENCH_THREADS, default 2): one warm-up and RUNS (default 5)
# timed runs of
#   ferret query STORE SQL --format csv     (a process per run: start, snapshot
#                                            open, query, CSV written to a file)
#   DuckDB connection.run(SQL) on the file   (in one process, result kept in DuckDB's
#                                            memory: bench/duckdb_peer.mjs time)
# and compares ferret's CSV with DuckDB's (`duckdb_peer.mjs query`): exactly where
# the query orders its rows, as sorted lines otherwise.  Reports medians, spread,
# the ratio (DuckDB time / ferret time: above 1 means ferret is faster), peak
# memory and whether the answers were equal; writes bench/results/query-SIZE.json
# and .md and prints the table.  QUERIES=name,name runs a subset.
# Exit status: 0, or 1 when a query failed or an answer differed from DuckDB's.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=${1:-small}
case "$size" in
  small) rows=1000000 ;; large) rows=10000000 ;; xl) rows=50000000 ;;
  *[!0-9]*|'') echo "usage: bench_query.sh [small|large|xl|ROWS]" >&2; exit 2 ;;
  *) rows=$size ;;
esac
threads=${FERRET_BENCH_THREADS:-2}
runs=${RUNS:-5}
ferret=${FERRET:-$root/build/tools/ferret}
[ -x "$ferret" ] || { echo "build ferret first (cmake --build build)" >&2; exit 2; }
"$ferret" gen --help >/dev/null 2>&1 || { echo "this ferret has no 'gen' command; build tools/gen" >&2; exit 2; }
[ -d "$here/node_modules/@duckdb/node-api" ] || npm ci --prefix "$here" --no-audit --no-fund >/dev/null
peer="$here/duckdb_peer.mjs"

# ---------------------------------------------------------------- data (cached)
data="$here/data/payments-$rows"
mkdir -p "$data" "$here/results"
if [ ! -f "$data/entities.csv.zst" ] || [ ! -f "$data/payments.csv.zst" ]; then
  # A payments file cached by bench_ingest.sh is kept as it is (its timings refer
  # to it); only what is missing is taken from a fresh run at the same seed.  Both
  # engines load the same files, so the answers stay comparable either way.
  rm -rf "$data/gen"
  "$ferret" gen "$data/gen" --rows "$rows" --seed 1 --compress zst --threads "$threads" >/dev/null
  [ -f "$data/payments.csv.zst" ] || mv "$data/gen/payments.csv.zst" "$data/payments.csv.zst"
  mv "$data/gen/entities.csv.zst" "$data/entities.csv.zst"
  rm -rf "$data/gen"
fi
if [ ! -s "$data/lookup_txn_id" ]; then
  # a txn_id from the middle of the table, for the point lookup
  zstd -dc "$data/payments.csv.zst" | sed -n "$((rows / 2 + 1))p" | cut -d, -f1 >"$data/lookup_txn_id"
fi
lookup_id=$(cat "$data/lookup_txn_id")
[[ "$lookup_id" =~ ^T[0-9]+$ ]] || lookup_id=$(printf 'T%012d' $((rows / 2)))

rm -rf "$here/results/query-$size-diff"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ferret-qbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/q"

# ---------------------------------------------------------------- workloads
# name|ordered (1: compare in order; 0: as sorted lines)|SQL.  Every output column
# is aliased, so both engines print the same header.
workloads=(
  "grouped_sum|1|SELECT org, count(*) AS n, sum(amount) AS total FROM payments GROUP BY org ORDER BY org"
  "payee_top100|1|SELECT payee, sum(amount) AS total FROM payments GROUP BY payee ORDER BY total DESC, payee LIMIT 100"
  "duplicate_search|0|SELECT payee, amount, invoice_no, count(*) AS n FROM payments GROUP BY payee, amount, invoice_no HAVING count(*) > 1"
  "selective_count|1|SELECT count(*) AS n, sum(amount) AS total FROM payments WHERE ts >= '2024-12-01' AND ts < '2024-12-08' AND amount > 50000"
  "point_lookup|1|SELECT * FROM payments WHERE txn_id = '$lookup_id'"
  "join_entities|1|SELECT e.kind, count(*) AS n, sum(p.amount) AS total FROM payments p JOIN entities e ON p.payee = e.id GROUP BY e.kind ORDER BY e.kind"
  "window_7d|1|WITH w AS (SELECT org, payee, sum(amount) OVER (PARTITION BY org, payee ORDER BY ts RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND CURRENT ROW) AS s7 FROM payments) SELECT count(*) AS n, max(s7) AS max_s7, sum(s7) AS sum_s7 FROM w"
)
selected=()
for w in "${workloads[@]}"; do
  name=${w%%|*}
  if [ -n "${QUERIES:-}" ] && [[ ",$QUERIES," != *",$name,"* ]]; then continue; fi
  rest=${w#*|}
  printf '%s\n' "${rest#*|}" >"$tmp/q/$name.sql"
  printf '%s\n' "${rest%%|*}" >"$tmp/q/$name.ordered"
  selected+=("$name")
done
[ "${#selected[@]}" -gt 0 ] || { echo "QUERIES=$QUERIES names no workload" >&2; exit 2; }

# ---------------------------------------------------------------- storage, untimed
echo "building the ferret store and the DuckDB database ($rows payments, $threads threads)..." >&2
t0=$EPOCHREALTIME
OMP_NUM_THREADS=$threads "$ferret" ingest "$tmp/store" payments "$data/payments.csv.zst" --quiet --threads "$threads"
OMP_NUM_THREADS=$threads "$ferret" ingest "$tmp/store" entities "$data/entities.csv.zst" --quiet --threads "$threads"
ferret_load_s=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
store_bytes=$(du -sb "$tmp/store/data" | cut -f1)
db="$tmp/bench.duckdb"
t0=$EPOCHREALTIME
node "$peer" query --threads "$threads" --db "$db" \
  --load "payments=$data/payments.csv.zst" --types payments=canonical \
  --load "entities=$data/entities.csv.zst" --types entities=canonical \
  --sql "CHECKPOINT" >/dev/null
duckdb_load_s=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')

# ---------------------------------------------------------------- runs
# ferret's fixed cost per query (process start, snapshot open, no data read),
# reported beside the table, not subtracted
: >"$tmp/floor_times"
for run in $(seq 0 "$runs"); do
  t0=$EPOCHREALTIME
  OMP_NUM_THREADS=$threads "$ferret" query "$tmp/store" "SELECT 1 AS one" --format csv --threads "$threads" >/dev/null 2>&1 || true
  t1=$EPOCHREALTIME
  [ "$run" = 0 ] || awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$tmp/floor_times"
done

# canon FILE ORDERED: the CSV as compared (header first, then rows, sorted unless
# the query orders them).
canon() {
  if [ "$2" = 1 ]; then cat "$1"; else head -n 1 "$1"; tail -n +2 "$1" | sort; fi
}

for name in "${selected[@]}"; do
  sql=$(cat "$tmp/q/$name.sql")
  ordered=$(cat "$tmp/q/$name.ordered")
  echo "  $name" >&2
  : >"$tmp/q/$name.ferret_times"
  : >"$tmp/q/$name.ferret_error"
  peak_kb=0
  for run in $(seq 0 "$runs"); do
    rc=0
    t0=$EPOCHREALTIME
    OMP_NUM_THREADS=$threads /usr/bin/time -f "%M" -o "$tmp/time.txt" \
      "$ferret" query "$tmp/store" "$sql" --format csv --threads "$threads" \
      >"$tmp/q/$name.ferret.csv" 2>"$tmp/q/$name.ferret.err" || rc=$?
    t1=$EPOCHREALTIME
    if [ "$rc" != 0 ]; then
      { echo "exit $rc: $(head -c 400 "$tmp/q/$name.ferret.err")"; } >"$tmp/q/$name.ferret_error"
      break
    fi
    kb=$(tail -n 1 "$tmp/time.txt")
    [ "$run" = 0 ] && continue   # warm-up
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$tmp/q/$name.ferret_times"
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  done
  echo "$peak_kb" >"$tmp/q/$name.ferret_peak_kb"

  # the same query in one `ferret shell` session, as DuckDB runs it in one
  # connection: the shell's timer covers snapshot open, the query from the
  # store and the CSV written (stdout); no process start.  1 warm-up + RUNS.
  : >"$tmp/q/$name.session_times"
  if [ ! -s "$tmp/q/$name.ferret_error" ]; then
    { printf '.timer on\n.mode csv\n'
      for run in $(seq 0 "$runs"); do printf '%s;\n' "$sql"; done; } >"$tmp/q/$name.session.sql"
    rc=0
    OMP_NUM_THREADS=$threads "$ferret" shell "$tmp/store" --threads "$threads" <"$tmp/q/$name.session.sql" \
      >"$tmp/q/$name.session.out" 2>&1 || rc=$?
    times=$(sed -n 's/^Run Time (s): real \([0-9.]*\) .*/\1/p' "$tmp/q/$name.session.out")
    if [ "$rc" = 0 ] && [ "$(printf '%s\n' "$times" | grep -c .)" = $((runs + 1)) ]; then
      printf '%s\n' "$times" | tail -n +2 >"$tmp/q/$name.session_times"
    fi
  fi

  rc=0
  node "$peer" time --threads "$threads" --runs "$runs" --warmup 1 --db "$db" --sql "$sql" \
    >"$tmp/q/$name.duck.json" 2>"$tmp/q/$name.duck.err" || rc=$?
  [ "$rc" = 0 ] || { echo "exit $rc: $(head -c 400 "$tmp/q/$name.duck.err")" >"$tmp/q/$name.duck_error"; : >"$tmp/q/$name.duck.json"; }
  rc=0
  node "$peer" query --threads "$threads" --db "$db" --sql "$sql" --format csv \
    >"$tmp/q/$name.duck.csv" 2>>"$tmp/q/$name.duck.err" || rc=$?

  if [ -s "$tmp/q/$name.ferret_error" ] || [ "$rc" != 0 ]; then
    echo unknown >"$tmp/q/$name.equal"
  elif cmp -s <(canon "$tmp/q/$name.ferret.csv" "$ordered") <(canon "$tmp/q/$name.duck.csv" "$ordered"); then
    echo yes >"$tmp/q/$name.equal"
  else
    echo no >"$tmp/q/$name.equal"
    mkdir -p "$here/results/query-$size-diff"
    diff <(canon "$tmp/q/$name.ferret.csv" "$ordered") <(canon "$tmp/q/$name.duck.csv" "$ordered") |
      head -n 40 >"$here/results/query-$size-diff/$name.diff" || true
  fi
done

# ---------------------------------------------------------------- report
status=0
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | head -n 1)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
BENCH_DIR="$tmp/q" BENCH_NAMES="${selected[*]}" BENCH_ROWS=$rows BENCH_SIZE=$size \
BENCH_THREADS=$threads BENCH_RUNS=$runs BENCH_COMMIT="$commit${dirty:+-dirty}" BENCH_CPU="$cpu" \
BENCH_CORES=$(nproc) BENCH_STORE_BYTES=$store_bytes BENCH_FERRET_LOAD_S=$ferret_load_s \
BENCH_DUCKDB_LOAD_S=$duckdb_load_s BENCH_OUT="$here/results/query-$size" \
node --input-type=module - <<'JS' || status=$?
import fs from 'node:fs';
const env = process.env, dir = env.BENCH_DIR;
const read = (f) => { try { return fs.readFileSync(`${dir}/${f}`, 'utf8').trim(); } catch { return ''; } };
const stats = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b), n = s.length;
  return { median_s: n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, min_s: s[0], max_s: s[n - 1] };
};
const workloads = env.BENCH_NAMES.split(' ').map((name) => {
  const ferretError = read(`${name}.ferret_error`) || null;
  const times = read(`${name}.ferret_times`).split('\n').filter(Boolean).map(Number);
  const f = ferretError ? null : stats(times);
  const duckRaw = read(`${name}.duck.json`);
  const d = duckRaw ? JSON.parse(duckRaw) : null;
  const ratio = f && d ? d.median_s / f.median_s : null;
  const sessionTimes = read(`${name}.session_times`).split('\n').filter(Boolean).map(Number);
  const fs_ = f ? stats(sessionTimes) : null;
  const ratioSession = fs_ && d ? d.median_s / fs_.median_s : null;
  return {
    name, sql: read(`${name}.sql`), ordered: read(`${name}.ordered`) === '1',
    ferret: f ? { ...f, runs: times, peak_rss_bytes: Number(read(`${name}.ferret_peak_kb`)) * 1024 }
              : { error: ferretError },
    duckdb: d ? { median_s: d.median_s, min_s: d.min_s, max_s: d.max_s, runs: d.runs,
                  peak_rss_bytes: d.peak_rss_bytes, rows: d.rows }
              : { error: read(`${name}.duck_error`) || 'no result' },
    speed_ratio_duckdb_over_ferret: ratio === null ? null : Number(ratio.toFixed(3)),
    ferret_session: fs_ ? { ...fs_, runs: sessionTimes } : null,
    speed_ratio_session: ratioSession === null ? null : Number(ratioSession.toFixed(3)),
    answers_equal: { yes: true, no: false }[read(`${name}.equal`)] ?? null,
  };
});
const duckVersion = (() => { for (const n of env.BENCH_NAMES.split(' ')) { const r = read(`${n}.duck.json`); if (r) return JSON.parse(r).duckdb_version; } return null; })();
const floorTimes = read('../floor_times').split('\n').filter(Boolean).map(Number);
const floor = stats(floorTimes);
const ratios = workloads.map((w) => w.speed_ratio_duckdb_over_ferret).filter((r) => r !== null);
const result = {
  suite: 'query', size: env.BENCH_SIZE, rows: Number(env.BENCH_ROWS), threads: Number(env.BENCH_THREADS),
  runs: Number(env.BENCH_RUNS), commit: env.BENCH_COMMIT, cpu: env.BENCH_CPU, cores: Number(env.BENCH_CORES),
  date: new Date().toISOString(), duckdb_version: duckVersion,
  command: `bash bench/bench_query.sh ${env.BENCH_SIZE}`,
  ferret_store_bytes: Number(env.BENCH_STORE_BYTES), ferret_load_s: Number(env.BENCH_FERRET_LOAD_S),
  duckdb_load_s: Number(env.BENCH_DUCKDB_LOAD_S),
  ferret_process_floor_s: floor ? floor.median_s : null,
  workloads,
  all_answers_equal: workloads.every((w) => w.answers_equal === true),
  min_ratio: ratios.length ? Math.min(...ratios) : null,
};
fs.writeFileSync(`${env.BENCH_OUT}.json`, JSON.stringify(result, null, 1) + '\n');
const sec = (x) => (x < 0.1 ? `${(x * 1000).toFixed(1)} ms` : `${x.toFixed(3)} s`);
const span = (s) => `${sec(s.median_s)} (${sec(s.min_s)}–${sec(s.max_s)})`;
const mib = (b) => (b ? `${Math.round(b / 1048576)} MiB` : '');
const lines = [
  `| query, ${result.rows} payments, ${result.threads} threads, median of ${result.runs} (min–max) | ferret | DuckDB | ratio | equal | peak memory ferret / DuckDB |`,
  '|---|---|---|---|---|---|',
  ...workloads.map((w) => {
    const f = w.ferret.error ? `failed: ${w.ferret.error.split('\n')[0].slice(0, 80)}` : span(w.ferret);
    const d = w.duckdb.error ? `failed: ${w.duckdb.error.split('\n')[0].slice(0, 80)}` : span(w.duckdb);
    const r = w.speed_ratio_duckdb_over_ferret === null ? '' : `${w.speed_ratio_duckdb_over_ferret.toFixed(2)}x`;
    const eq = w.answers_equal === null ? '?' : w.answers_equal ? 'yes' : '**NO**';
    return `| ${w.name} | ${f} | ${d} | ${r} | ${eq} | ${mib(w.ferret.peak_rss_bytes)} / ${mib(w.duckdb.peak_rss_bytes)} |`;
  }),
  '',
  `ratio = DuckDB time / ferret time (above 1: ferret faster); ferret: a \`ferret query\` process per run (store to CSV file), DuckDB: \`connection.run\` on a loaded database file.`,
  '',
  `| same queries, ferret in one \`ferret shell\` session (snapshot opened per statement, no process start), as DuckDB in one connection | ferret session | DuckDB | ratio |`,
  '|---|---|---|---|',
  ...workloads.filter((w) => w.ferret_session && !w.duckdb.error).map((w) =>
    `| ${w.name} | ${span(w.ferret_session)} | ${span(w.duckdb)} | ${w.speed_ratio_session.toFixed(2)}x |`),
  '',
  ...(floor ? [`ferret's fixed cost per query process (\`SELECT 1\`: start, snapshot open): ${span(floor)}.`] : []),
  `Commit ${result.commit}, ${result.cpu} (${result.cores} cores), DuckDB ${result.duckdb_version}; storage built once: ferret ingest ${result.ferret_load_s} s (${Math.round(result.ferret_store_bytes / 1e6)} MB store), DuckDB load ${result.duckdb_load_s} s.`,
  `Reproduce: \`${result.command}\``,
];
fs.writeFileSync(`${env.BENCH_OUT}.md`, lines.join('\n') + '\n');
process.stdout.write('\n' + lines.join('\n') + '\n');
process.exitCode = result.all_answers_equal ? 0 : 1;
JS
echo
echo "results: bench/results/query-$size.json, bench/results/query-$size.md"
exit "$status"
