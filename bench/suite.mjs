// suite.mjs - the benchmark suite's report and its pass/fail decision (bench/run.sh).
//
//   node bench/suite.mjs report              (inputs from the environment, see report())
//       combines the results of bench_ingest.sh, bench_query.sh, bench_detect.sh, the
//       detector answer checks, bench_scan.sh, ferret_limits and `ferret info` into one JSON file
//       (SUITE_OUT.json) and a markdown table (SUITE_OUT.md, also printed).
//   node bench/suite.mjs check RESULT.json [BASELINE.json]
//       the decision: exit 1 when a workload failed, when an answer differed from
//       DuckDB's (or was not checked), when a workload of the baseline is missing (and
//       its group was not skipped), or when a ratio falls below half of the baseline's.
//   node bench/suite.mjs baseline "REASON" RESULT.json...
//       prints a baseline for bench/baseline.json: every workload's lowest ratio in the
//       results given (same size and thread count).
import fs from 'node:fs';
import os from 'node:os';

const readJson = (path) => {
  if (!path) return null;
  try { return JSON.parse(fs.readFileSync(path, 'utf8')); } catch { return null; }
};
const readText = (path) => { try { return fs.readFileSync(path, 'utf8'); } catch { return ''; } };

// One engine's timing, in the suite's shape: median, min, max, spread (max - min over
// the median), every timed run, peak memory.
const engine = (e) => {
  if (!e || e.error || typeof e.median_s !== 'number') return { error: (e && e.error) || 'no result' };
  const out = { median_s: e.median_s, min_s: e.min_s, max_s: e.max_s,
                spread: e.median_s > 0 ? Number(((e.max_s - e.min_s) / e.median_s).toFixed(3)) : null };
  if (Array.isArray(e.runs) && e.runs.length) out.runs = e.runs;
  if (e.peak_rss_bytes != null) out.peak_rss_bytes = e.peak_rss_bytes;
  return out;
};
const ratioOf = (f, d) => (f.error || d.error || !(f.median_s > 0) ? null : Number((d.median_s / f.median_s).toFixed(3)));

// The columns each SQL workload reads, for the bytes a scan has to stream.
const QUERY_COLUMNS = {
  grouped_sum: { payments: ['org', 'amount'] },
  payee_top100: { payments: ['payee', 'amount'] },
  duplicate_search: { payments: ['payee', 'amount', 'invoice_no'] },
  selective_count: { payments: ['ts', 'amount'] },
  point_lookup: { payments: ['txn_id'] },
  join_entities: { payments: ['payee', 'amount'], entities: ['id', 'kind'] },
  window_7d: { payments: ['org', 'payee', 'amount', 'ts'] },
};

function scanBytes(info, columns) {
  if (!info || !columns) return null;
  let bytes = 0;
  const names = [];
  for (const [table, cols] of Object.entries(columns)) {
    const t = (info.tables || []).find((x) => x.name === table);
    if (!t) return null;
    for (const c of cols) {
      const col = (t.columns || []).find((x) => x.name === c);
      if (!col) return null;
      bytes += col.raw_bytes;
      names.push(`${table}.${c}`);
    }
  }
  return { bytes, columns: names };
}

// ------------------------------------------------------------------ report
function report() {
  const env = process.env;
  const size = env.SUITE_SIZE, threads = Number(env.SUITE_THREADS), runs = Number(env.SUITE_RUNS);
  const limits = readJson(env.SUITE_LIMITS);
  const info = readJson(env.SUITE_INFO);
  const bw = limits && limits.memory_read_bytes_per_s ? limits.memory_read_bytes_per_s[String(threads)] : null;
  const withScan = (w, scan) => {
    if (!scan || !bw || w.ferret.error) return w;
    const rate = scan.bytes / w.ferret.median_s;
    w.scan = { ...scan, what: scan.what || "raw (encoded, zstd-decompressed) bytes of the columns read, from `ferret info`",
               ferret_bytes_per_s: Math.round(rate),
               duckdb_bytes_per_s: w.duckdb.error ? null : Math.round(scan.bytes / w.duckdb.median_s),
               memory_read_bytes_per_s: bw, fraction_of_memory_bandwidth: Number((rate / bw).toPrecision(3)),
               limit_s: scan.bytes / bw };
    return w;
  };
  const workloads = [];
  const skipped = [];

  // ingest
  const ing = readJson(env.SUITE_INGEST);
  if (ing) {
    const f = engine(ing.ferret), d = engine(ing.duckdb);
    workloads.push(withScan({
      id: 'ingest/csv_zst', group: 'ingest', name: 'csv_zst', status: f.error || d.error ? 'failed' : 'ok',
      what: `ferret ingest vs DuckDB CREATE TABLE AS read_csv + CHECKPOINT of payments.csv.zst (${ing.rows} rows)`,
      ferret: { ...f, store_bytes: ing.ferret && ing.ferret.store_bytes },
      duckdb: { ...d, db_file_bytes: ing.duckdb && ing.duckdb.db_file_bytes, parquet_bytes: ing.duckdb && ing.duckdb.parquet_bytes },
      ratio: ratioOf(f, d), answers_equal: ing.answers_equal ?? null, answer_check: ing.answer_check,
    }, { bytes: ing.input_csv_bytes, columns: ['payments.csv (decompressed CSV)'], what: 'bytes of CSV text parsed' }));
  } else {
    workloads.push({ id: 'ingest/csv_zst', group: 'ingest', name: 'csv_zst', status: 'failed', ferret: { error: 'no result' },
                     duckdb: { error: 'no result' }, ratio: null, answers_equal: null,
                     note: `bench_ingest.sh wrote no result: ${env.SUITE_INGEST_NOTE || ''}`.trim() });
  }

  // SQL queries
  const q = readJson(env.SUITE_QUERY);
  let duckdbVersion = q ? q.duckdb_version : null;
  if (q) {
    for (const w of q.workloads) {
      const f = engine(w.ferret), d = engine(w.duckdb);
      workloads.push(withScan({
        id: `query/${w.name}`, group: 'query', name: w.name, status: f.error || d.error ? 'failed' : 'ok', what: w.sql,
        ferret: f, duckdb: { ...d, rows: w.duckdb && w.duckdb.rows }, ratio: ratioOf(f, d),
        answers_equal: w.answers_equal ?? null,
        ferret_session: w.ferret_session || null, ratio_session: w.speed_ratio_session ?? null,
      }, scanBytes(info, QUERY_COLUMNS[w.name])));
    }
  } else {
    workloads.push({ id: 'query/*', group: 'query', name: '*', status: 'failed', ferret: { error: 'no result' },
                     duckdb: { error: 'no result' }, ratio: null, answers_equal: null,
                     note: `bench_query.sh wrote no result: ${env.SUITE_QUERY_NOTE || ''}`.trim() });
  }

  // detectors
  const det = readJson(env.SUITE_DETECT);
  if (det && Array.isArray(det.results)) {
    const equal = {};
    for (const line of readText(env.SUITE_DETECT_EQUAL).split('\n').filter(Boolean)) {
      const [id, verdict, ...rest] = line.split(' ');
      equal[id] = { verdict, note: rest.join(' ') };
    }
    for (const r of det.results) {
      const f = engine(r.ferret);
      const timedOut = r.duckdb && r.duckdb.timed_out_after_s != null;
      const d = timedOut ? { error: `timed out after ${r.duckdb.timed_out_after_s} s`, timed_out: true } : engine(r.duckdb);
      const e = equal[r.detector] || { verdict: 'unknown', note: 'not checked' };
      workloads.push({
        id: `detect/${r.detector}`, group: 'detect', name: r.detector, status: f.error || (d.error && !timedOut) ? 'failed' : 'ok',
        what: `ferret detect ${r.detector} vs tests/detect/${r.reference}.sql`, findings: r.findings,
        ferret: f, duckdb: d, ratio: ratioOf(f, d),
        answers_equal: { yes: true, no: false }[e.verdict] ?? null, answer_check: e.note || undefined,
      });
    }
  } else {
    skipped.push('detect');
    workloads.push({ id: 'detect/*', group: 'detect', name: '*', status: 'skipped', ferret: null, duckdb: null,
                     ratio: null, answers_equal: null, note: env.SUITE_DETECT_NOTE || 'bench_detect.sh gave no result' });
  }

  // the nightly scan (bench_scan.sh): ferret ingest of the day + incremental scan vs
  // DuckDB's append + the rules' reference queries; answers compared rule by rule
  const sc = readJson(env.SUITE_SCAN);
  if (sc && sc.ferret && sc.duckdb) {
    const f = engine(sc.ferret), d = engine(sc.duckdb);
    const bad = (sc.answer_checks || []).filter((c) => !c.equal).map((c) => `${c.rule}: ${c.check}`);
    workloads.push({
      id: 'scan/nightly', group: 'scan', name: 'nightly', status: f.error || d.error ? 'failed' : 'ok',
      what: `a day of ${sc.day_rows} payments appended to ${sc.rows}: ferret ingest + incremental scan vs DuckDB INSERT + ` +
            `the reference queries of the ${sc.rules_run.length} rules the scan ran (${sc.rules_run.join(' ')})`,
      ferret: f, duckdb: d, ratio: ratioOf(f, d), answers_equal: sc.answers_equal === true,
      answer_check: bad.length ? bad.join('; ') : `same open findings as the queries' rows for all ${sc.rules_run.length} rules`,
      note: `ferret --full scan of the same store: ${sec(sc.full_scan_median_s)} (${sc.full_over_incremental}x the incremental one)`,
    });
  } else {
    workloads.push({ id: 'scan/nightly', group: 'scan', name: 'nightly', status: 'failed', ferret: { error: 'no result' },
                     duckdb: { error: 'no result' }, ratio: null, answers_equal: null,
                     note: env.SUITE_SCAN_NOTE || 'bench_scan.sh gave no result' });
  }

  const cpu = (os.cpus()[0] || {}).model || 'unknown';
  const result = {
    suite: 'ferret vs DuckDB', size, rows: Number(env.SUITE_ROWS), threads, runs, warmup: 1,
    command: `bash bench/run.sh ${size}`, commit: env.SUITE_COMMIT || 'unknown', date: new Date().toISOString(),
    machine: { cpu, cores: os.cpus().length, memory_bytes: os.totalmem(), os: `${os.type()} ${os.release()}`,
               node: process.version },
    duckdb_version: duckdbVersion, wall_s: env.SUITE_WALL_S ? Number(env.SUITE_WALL_S) : null,
    limits, skipped_groups: skipped, workloads,
  };
  result.all_answers_equal = workloads.every((w) => w.status !== 'ok' || w.answers_equal === true || (w.duckdb && w.duckdb.timed_out));
  fs.writeFileSync(`${env.SUITE_OUT}.json`, JSON.stringify(result, null, 1) + '\n');
  const md = markdown(result);
  fs.writeFileSync(`${env.SUITE_OUT}.md`, md);
  process.stdout.write('\n' + md);
}

const sec = (x) => (x < 0.1 ? `${(x * 1000).toFixed(1)} ms` : `${x.toFixed(3)} s`);
const span = (e) => `${sec(e.median_s)} (${sec(e.min_s)}–${sec(e.max_s)})`;
const mib = (b) => (b ? `${Math.round(b / 1048576)} MiB` : '–');
const gbs = (b) => `${(b / 1e9).toFixed(b < 1e9 ? 2 : 1)} GB/s`;
const mb = (b) => (b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : `${(b / 1e6).toFixed(1)} MB`);

function markdown(r) {
  const bw = r.limits && r.limits.memory_read_bytes_per_s ? r.limits.memory_read_bytes_per_s[String(r.threads)] : null;
  const lines = [
    `### ferret vs DuckDB, \`${r.size}\` (${r.rows.toLocaleString('en-US')} payments), ${r.threads} threads for both, median of ${r.runs} after 1 warm-up`,
    '',
    `| workload | ferret median (min–max) | DuckDB median (min–max) | ratio | equal | peak memory ferret / DuckDB | scan: bytes, ferret rate, share of ${bw ? gbs(bw) : 'memory'} bandwidth |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const w of r.workloads) {
    if (w.status === 'skipped' || w.status === 'not_available') {
      lines.push(`| ${w.id} | ${w.status === 'skipped' ? 'skipped' : 'not available'}: ${w.note} | | | | | |`);
      continue;
    }
    const cell = (e) => (!e ? '' : e.error ? `failed: ${String(e.error).split('\n')[0].slice(0, 80)}` : span(e));
    const eq = w.answers_equal === true ? 'yes' : w.answers_equal === false ? '**NO**' : '?';
    const ratio = w.ratio == null ? '' : `${w.ratio.toFixed(2)}x`;
    const scan = w.scan ? `${mb(w.scan.bytes)}, ${gbs(w.scan.ferret_bytes_per_s)}, ${(w.scan.fraction_of_memory_bandwidth * 100).toPrecision(2)}%` : '';
    const mem = `${mib(w.ferret && w.ferret.peak_rss_bytes)} / ${mib(w.duckdb && w.duckdb.peak_rss_bytes)}`;
    lines.push(`| ${w.id}${w.findings != null ? ` (${w.findings} findings)` : ''} | ${cell(w.ferret)} | ${cell(w.duckdb)} | ${ratio} | ${eq} | ${mem} | ${scan} |`);
  }
  const sessions = r.workloads.filter((w) => w.ferret_session && w.ratio_session != null && w.duckdb && !w.duckdb.error);
  if (sessions.length) {
    lines.push('');
    lines.push('| query in one `ferret shell` session (snapshot opened per statement, no process start), as DuckDB runs in one connection | ferret session median (min–max) | DuckDB | ratio |');
    lines.push('|---|---|---|---|');
    for (const w of sessions) lines.push(`| ${w.id} | ${span(w.ferret_session)} | ${span(w.duckdb)} | ${w.ratio_session.toFixed(2)}x |`);
  }
  lines.push('');
  lines.push('ratio = DuckDB median / ferret median (above 1: ferret faster). ingest: `ferret ingest` into a fresh store vs DuckDB `CREATE TABLE AS read_csv` + CHECKPOINT into a fresh file, answer = the whole stored table; query: a `ferret query` process per run (store to CSV) vs `connection.run` on a loaded DuckDB file; detect: a `ferret detect` process vs the reference SQL on loaded tables, answer = the same finding key sets. scan bytes: the raw (zstd-decompressed, still encoded) bytes of the columns the query reads (`ferret info`); for ingest the CSV text.');
  const L = r.limits;
  if (L) {
    const m = L.memory_read_bytes_per_s, z = L.zstd, x = L.xxh3;
    lines.push('');
    lines.push(`Physical limits (bench/limits.c, ${L.method}): memory read ${gbs(m['1'])} (1 thread), ${gbs(m[String(r.threads)])} (${r.threads} threads); ` +
      `zstd ${z.version} decompression of ${z.source} (${z.frames} frames, ratio ${z.ratio.toFixed(2)}): ${gbs(z.output_bytes_per_s['1'])} of output on 1 thread, ${gbs(z.output_bytes_per_s[String(r.threads)])} on ${r.threads}; ` +
      `XXH3 ${gbs(x.long_input_bytes_per_s)} on long input, ${(x.hashes_per_s_8_byte_keys / 1e6).toFixed(0)} M hashes/s on 8-byte keys, ${(x.hashes_per_s_64_byte_keys / 1e6).toFixed(0)} M/s on 64-byte keys.`);
  }
  lines.push('');
  lines.push(`Commit ${r.commit}, ${r.machine.cpu} (${r.machine.cores} cores, ${(r.machine.memory_bytes / 2 ** 30).toFixed(0)} GiB), DuckDB ${r.duckdb_version || '?'}, ${r.date.slice(0, 10)}${r.wall_s ? `, suite wall time ${Math.round(r.wall_s)} s` : ''}. Reproduce: \`${r.command}\``);
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------ check
// The decision, a pure function of a result and a baseline: a list of
// { id, verdict: 'pass' | 'FAIL' | 'note', reason }.
function decide(result, baseline) {
  const out = [];
  const base = (baseline && baseline.ratios) || {};
  const skipped = new Set(result.skipped_groups || []);
  const seen = new Set();
  for (const w of result.workloads || []) {
    seen.add(w.id);
    if (w.status === 'skipped' || w.status === 'not_available') {
      out.push({ id: w.id, verdict: 'note', reason: `${w.status}: ${w.note || ''}` });
      continue;
    }
    if (w.status !== 'ok') {
      const err = [w.ferret && w.ferret.error && `ferret: ${w.ferret.error}`, w.duckdb && w.duckdb.error && `DuckDB: ${w.duckdb.error}`, w.note]
        .filter(Boolean).join('; ');
      out.push({ id: w.id, verdict: 'FAIL', reason: `workload failed (${err || w.status})` });
      continue;
    }
    const timedOut = !!(w.duckdb && w.duckdb.timed_out);
    if (w.answers_equal === false) {
      out.push({ id: w.id, verdict: 'FAIL', reason: `answer differs from DuckDB's${w.answer_check ? ` (${w.answer_check})` : ''}` });
      continue;
    }
    if (w.answers_equal !== true && !timedOut) {
      out.push({ id: w.id, verdict: 'FAIL', reason: `answer not checked${w.answer_check ? ` (${w.answer_check})` : ''}` });
      continue;
    }
    const b = base[w.id];
    if (typeof b !== 'number' || w.ratio == null) {
      out.push({ id: w.id, verdict: 'pass', reason: timedOut ? 'DuckDB timed out: no ratio' : typeof b === 'number' ? 'no ratio' : 'not in the baseline' });
    } else if (w.ratio < b / 2) {
      out.push({ id: w.id, verdict: 'FAIL', reason: `ratio ${w.ratio} below half of the baseline's ${b} (limit ${b / 2})` });
    } else {
      out.push({ id: w.id, verdict: 'pass', reason: `ratio ${w.ratio} vs baseline ${b} (limit ${b / 2})` });
    }
  }
  for (const id of Object.keys(base)) {
    if (seen.has(id)) continue;
    const group = id.split('/')[0];
    if (skipped.has(group)) out.push({ id, verdict: 'note', reason: `in the baseline, group ${group} skipped in this run` });
    else out.push({ id, verdict: 'FAIL', reason: 'in the baseline but missing from this run' });
  }
  if (baseline && baseline.size && result.size && baseline.size !== result.size)
    out.push({ id: '(baseline)', verdict: 'FAIL', reason: `baseline is for size ${baseline.size}, result for ${result.size}` });
  if (baseline && baseline.threads && result.threads && baseline.threads !== result.threads)
    out.push({ id: '(baseline)', verdict: 'FAIL', reason: `baseline measured with ${baseline.threads} threads, result with ${result.threads}` });
  return out;
}

function check(resultPath, baselinePath) {
  const result = readJson(resultPath);
  if (!result) { console.error(`check: cannot read ${resultPath}`); process.exit(2); }
  let baseline = null;
  if (baselinePath) {
    baseline = readJson(baselinePath);
    if (!baseline) { console.error(`check: cannot read ${baselinePath}`); process.exit(2); }
  }
  const decisions = decide(result, baseline);
  const fails = decisions.filter((d) => d.verdict === 'FAIL');
  console.log(`check of ${resultPath} against ${baselinePath || '(no baseline: answers only)'}:`);
  for (const d of decisions) if (d.verdict !== 'pass') console.log(`  ${d.verdict} ${d.id}: ${d.reason}`);
  const passes = decisions.filter((d) => d.verdict === 'pass').length;
  console.log(fails.length ? `benchmark check FAILED: ${fails.length} failure(s), ${passes} workload(s) passed`
                           : `benchmark check passed: ${passes} workload(s), answers equal${baseline ? ', no ratio below half of the baseline' : ' (no baseline for this size: ratios not checked)'}`);
  process.exitCode = fails.length ? 1 : 0;
}

// The baseline from one or more results of the same size and thread count: each
// workload's lowest ratio among them (so that one lucky run does not set the bar).
function makeBaseline(reason, paths) {
  const rs = paths.map(readJson);
  if (!reason || !rs.length || rs.some((r) => !r)) { console.error('usage: suite.mjs baseline "REASON" RESULT.json...'); process.exit(2); }
  const r = rs[0];
  if (rs.some((x) => x.size !== r.size || x.threads !== r.threads)) { console.error('baseline: results of different sizes or thread counts'); process.exit(2); }
  const ratios = {};
  for (const x of rs)
    for (const w of x.workloads)
      if (w.status === 'ok' && w.ratio != null && w.answers_equal === true)
        ratios[w.id] = w.id in ratios ? Math.min(ratios[w.id], w.ratio) : w.ratio;
  const b = { reason, size: r.size, rows: r.rows, threads: r.threads, runs: r.runs,
              measured: rs.map((x) => `${x.commit} ${x.date}`), machine: r.machine ? `${r.machine.cpu}, ${r.machine.cores} cores` : 'unknown',
              duckdb_version: r.duckdb_version,
              rule: 'CI fails when a ratio (DuckDB median / ferret median) falls below half of the ratio recorded here; each ratio is the lowest of the runs measured',
              ratios };
  process.stdout.write(JSON.stringify(b, null, 1) + '\n');
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'report') report();
else if (mode === 'check') check(args[0], args[1]);
else if (mode === 'baseline') makeBaseline(args[0], args.slice(1));
else {
  console.error('usage: node bench/suite.mjs report | check RESULT.json [BASELINE.json] | baseline "REASON" RESULT.json...');
  process.exit(2);
}
