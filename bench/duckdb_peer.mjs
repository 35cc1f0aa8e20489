#!/usr/bin/env node
// duckdb_peer.mjs — DuckDB as the reference peer for ferret's differential tests
// and benchmarks. See bench/README.md, section "DuckDB peer".
//
//   node bench/duckdb_peer.mjs query --threads N [--db FILE] [--load TABLE=FILE]...
//        [--types TABLE=SCHEMA|canonical]... (--sql SQL | --sql-file FILE) [--format csv|json]
//   node bench/duckdb_peer.mjs time  --threads N [--runs R] [--warmup W] [--load ...]
//        (--sql SQL | --time-load [--in-memory]) [--parquet-size]
//   node bench/duckdb_peer.mjs nightly --threads N --db HISTORY --append TABLE=FILE
//        [--types TABLE=canonical] --sql-file Q.sql... [--runs R] [--warmup W] --out-dir DIR
//
// Exit status: 0 success, 1 DuckDB or I/O error, 2 bad usage.

import { DuckDBInstance, DuckDBTypeId, DuckDBDecimalValue, DuckDBTimestampValue,
  DuckDBListValue, DuckDBArrayValue, DuckDBStructValue, DuckDBMapValue,
  version as duckdbVersion } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const USAGE = `usage:
  node bench/duckdb_peer.mjs query --threads N [--db FILE] [--load TABLE=FILE]...
       [--types TABLE=SCHEMA_FILE|canonical]... [--csv-options OPTS]
       (--sql SQL | --sql-file FILE) [--format csv|json] [--memory-limit SIZE]
  node bench/duckdb_peer.mjs time --threads N [--runs R] [--warmup W] [--db FILE]
       [--load TABLE=FILE]... [--types ...] [--csv-options OPTS]
       (--sql SQL | --sql-file FILE | --time-load [--in-memory] [--tmp-dir DIR])
       [--parquet-size]
  node bench/duckdb_peer.mjs nightly --threads N --db HISTORY --append TABLE=FILE...
       [--types TABLE=SCHEMA_FILE|canonical]... --sql-file FILE... [--runs R] [--warmup W]
       --out-dir DIR
FILE may be plain, .zst or .gz; --load may repeat, several files for one TABLE are
read as one input. See bench/README.md ("DuckDB peer").`;

class UsageError extends Error { constructor(m, showUsage = true) { super(m); this.showUsage = showUsage; } }

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const o = { cmd: argv[0], threads: null, db: null, loads: new Map(), types: new Map(),
    sql: null, format: 'csv', runs: 5, warmup: 1, timeLoad: false, inMemory: false,
    parquetSize: false, csvOptions: '', memoryLimit: null, tmpDir: null, sqlFiles: [], outDir: null };
  if (o.cmd === '--help' || o.cmd === '-h' || o.cmd === 'help') { o.help = true; return o; }
  if (o.cmd !== 'query' && o.cmd !== 'time' && o.cmd !== 'nightly') throw new UsageError(`unknown command '${o.cmd ?? ''}'`);
  const int = (name, v, min) => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < min)
      throw new UsageError(`${name} needs an integer >= ${min}, got '${v ?? ''}'`);
    return Number(v);
  };
  const pair = (name, v) => {
    const i = v === undefined ? -1 : v.indexOf('=');
    if (i <= 0 || i === v.length - 1) throw new UsageError(`${name} needs TABLE=FILE, got '${v ?? ''}'`);
    return [v.slice(0, i), v.slice(i + 1)];
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`); return argv[++i]; };
    switch (a) {
      case '--threads': o.threads = int(a, next(), 1); break;
      case '--db': o.db = next(); break;
      case '--load': { const [t, f] = pair(a, next()); if (!o.loads.has(t)) o.loads.set(t, []); o.loads.get(t).push(f); break; }
      case '--types': { const [t, f] = pair(a, next()); o.types.set(t, f); break; }
      case '--sql': o.sql = next(); break;
      case '--sql-file': { const f = next(); o.sql = fs.readFileSync(f, 'utf8'); o.sqlFiles.push(f); break; }
      case '--append': { const [t, f] = pair(a, next()); if (!o.loads.has(t)) o.loads.set(t, []); o.loads.get(t).push(f); break; }
      case '--out-dir': o.outDir = next(); break;
      case '--format': o.format = next(); if (!['csv', 'json'].includes(o.format)) throw new UsageError(`--format must be csv or json`); break;
      case '--runs': o.runs = int(a, next(), 1); break;
      case '--warmup': o.warmup = int(a, next(), 0); break;
      case '--time-load': o.timeLoad = true; break;
      case '--in-memory': o.inMemory = true; break;
      case '--parquet-size': o.parquetSize = true; break;
      case '--csv-options': o.csvOptions = next(); break;
      case '--memory-limit': o.memoryLimit = next(); break;
      case '--tmp-dir': o.tmpDir = next(); break;
      case '--help': case '-h': o.help = true; break;
      default: throw new UsageError(`unknown option '${a}'`);
    }
  }
  if (o.help) return o;
  if (o.threads === null) o.threads = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  for (const t of o.types.keys())
    if (!o.loads.has(t)) throw new UsageError(`--types ${t}=... names a table that no --load gives`);
  for (const files of o.loads.values())
    for (const f of files) if (!fs.existsSync(f)) throw new UsageError(`input file not found: ${f}`, false);
  if (o.cmd === 'query' && o.sql === null) throw new UsageError('query needs --sql or --sql-file');
  if (o.cmd === 'time') {
    if (o.timeLoad) {
      if (o.loads.size === 0) throw new UsageError('--time-load needs at least one --load');
      if (o.db) throw new UsageError('--time-load loads into fresh temporary databases; leave out --db');
    } else if (o.sql === null) throw new UsageError('time needs --sql/--sql-file, or --time-load');
  }
  if (o.cmd === 'nightly' && (!o.db || o.loads.size === 0 || o.sqlFiles.length === 0 || !o.outDir))
    throw new UsageError('nightly needs --db, at least one --append, at least one --sql-file and --out-dir');
  if (o.inMemory && !o.timeLoad) throw new UsageError('--in-memory goes with --time-load');
  return o;
}

// ---------------------------------------------------------------- SQL text

const qs = (s) => `'${String(s).replace(/'/g, "''")}'`;     // SQL string literal
const qi = (s) => `"${String(s).replace(/"/g, '""')}"`;      // SQL identifier

// Types of ferret's canonical audit schema (shared/DESIGN.md): these columns get
// these types wherever they occur, every other column is a string.
const CANONICAL = {
  ts: 'TIMESTAMP', published: 'TIMESTAMP', awarded: 'TIMESTAMP',
  start_date: 'DATE', end_date: 'DATE', registered: 'DATE', deceased: 'DATE', since: 'DATE', until: 'DATE',
  amount: 'DECIMAL(18,2)', reserve_price: 'DECIMAL(18,2)',
  won: 'BOOLEAN',
};

const TYPE_ALIASES = { string: 'VARCHAR', text: 'VARCHAR', str: 'VARCHAR', int64: 'BIGINT',
  int32: 'INTEGER', int: 'INTEGER', float64: 'DOUBLE', float32: 'FLOAT', bool: 'BOOLEAN' };

function readSchemaFile(file) {
  const types = {};
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, n) => {
    const s = line.replace(/#.*/, '').trim();
    if (!s) return;
    const m = /^(.*\S)\s+(\S+)$/.exec(s); // the type is the last word; names may hold spaces
    if (!m) throw new UsageError(`${file}:${n + 1}: expected 'name type', got '${s}'`);
    const t = m[2].trim();
    types[m[1]] = TYPE_ALIASES[t.toLowerCase()] ?? t.toUpperCase();
  });
  return types;
}

function readCsvExpr(files, types, extra) {
  const list = `[${files.map(qs).join(', ')}]`;
  let opts = 'header = true, allow_quoted_nulls = false';
  if (types && Object.keys(types).length)
    opts += `, types = {${Object.entries(types).map(([k, v]) => `${qs(k)}: ${qs(v)}`).join(', ')}}`;
  if (extra) opts += `, ${extra}`;
  return `read_csv(${list}, ${opts})`;
}

// Resolve --types for every loaded table into a name->type map (or null: auto-detect).
async function resolveTypes(conn, o) {
  const out = new Map();
  for (const [table, files] of o.loads) {
    const spec = o.types.get(table);
    if (!spec) { out.set(table, null); continue; }
    if (spec === 'canonical') {
      const r = await conn.runAndReadAll(
        `SELECT column_name FROM (DESCRIBE SELECT * FROM ${readCsvExpr(files, null, joinOpts('all_varchar = true', o.csvOptions))})`);
      const types = {};
      for (const [name] of r.getRows()) types[name] = CANONICAL[name] ?? 'VARCHAR';
      out.set(table, types);
    } else {
      out.set(table, readSchemaFile(spec));
    }
  }
  return out;
}

const joinOpts = (...xs) => xs.filter(Boolean).join(', ');

function loadStatements(o, typesByTable) {
  return [...o.loads].map(([table, files]) =>
    `CREATE OR REPLACE TABLE ${qi(table)} AS SELECT * FROM ${readCsvExpr(files, typesByTable.get(table), o.csvOptions)}`);
}

async function configure(conn, o) {
  await conn.run(`SET threads = ${o.threads}`);
  if (o.memoryLimit) await conn.run(`SET memory_limit = ${qs(o.memoryLimit)}`);
}

// ---------------------------------------------------------------- rendering

// Shortest text that reads back as the same double (JS's own algorithm), with
// DuckDB's spelling of the non-finite values.
function fmtDouble(x) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0 && Object.is(x, -0)) return '-0';
  return String(x);
}

// FLOAT arrives widened to a double (1.1f -> 1.100000023841858); print the shortest
// text that reads back as the same float.
function fmtFloat(x) {
  if (!Number.isFinite(x) || x === 0) return fmtDouble(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

// DECIMAL arrives as a DuckDBDecimalValue { value: bigint (unscaled), scale }.
function fmtDecimal(d) {
  const scale = d.scale;
  let v = d.value; const neg = v < 0n; if (neg) v = -v;
  let s = v.toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    s = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  }
  return (neg ? '-' : '') + s;
}

// TIMESTAMP arrives as a DuckDBTimestampValue { micros: bigint since 1970-01-01 }.
// Rendered as YYYY-MM-DD HH:MM:SS, plus .ffffff (always six digits) when the
// fraction is not zero.
const MICROS_PER_DAY = 86400000000n;
function fmtTimestamp(t) {
  const us = t.micros;
  let days = us / MICROS_PER_DAY, tod = us % MICROS_PER_DAY;
  if (tod < 0n) { tod += MICROS_PER_DAY; days -= 1n; }
  // civil_from_days (H. Hinnant)
  let z = Number(days) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1 || y > 9999) return t.toString();           // infinity, BC, far future: DuckDB's text
  const todN = Number(tod);
  const secs = Math.floor(todN / 1e6), frac = todN % 1e6;
  const p2 = (n) => String(n).padStart(2, '0');
  let s = `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)} ${p2(Math.floor(secs / 3600))}:${p2(Math.floor(secs / 60) % 60)}:${p2(secs % 60)}`;
  if (frac) s += '.' + String(frac).padStart(6, '0');
  return s;
}

// Text of one value (not yet CSV-quoted); `float` marks a FLOAT column.
function valueText(v, float) {
  switch (typeof v) {
    case 'string': return v;
    case 'number': return float ? fmtFloat(v) : fmtDouble(v);
    case 'bigint': return v.toString();
    case 'boolean': return v ? 'true' : 'false';
  }
  if (v instanceof DuckDBDecimalValue) return fmtDecimal(v);
  if (v instanceof DuckDBTimestampValue) return fmtTimestamp(v);
  return String(v);                                     // DuckDB's own text for the rest
}

// JSON text of one value: exact numbers stay numbers (DECIMAL and BIGINT as their
// exact digits), non-finite doubles become null, temporal values strings.
function valueJson(v, float) {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Number.isFinite(v) ? (float ? fmtFloat(v) : (Object.is(v, -0) ? '-0' : String(v))) : 'null';
    case 'bigint': return v.toString();
    case 'boolean': return v ? 'true' : 'false';
  }
  if (v instanceof DuckDBDecimalValue) return fmtDecimal(v);
  if (v instanceof DuckDBTimestampValue) return JSON.stringify(fmtTimestamp(v));
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue)
    return '[' + v.items.map((x) => valueJson(x, false)).join(',') + ']';
  if (v instanceof DuckDBStructValue)
    return '{' + Object.entries(v.entries).map(([k, x]) => JSON.stringify(k) + ':' + valueJson(x, false)).join(',') + '}';
  if (v instanceof DuckDBMapValue)
    return '[' + v.entries.map((e) => `{"key":${valueJson(e.key, false)},"value":${valueJson(e.value, false)}}`).join(',') + ']';
  return JSON.stringify(String(v));
}

// RFC 4180: quote when the field holds a comma, quote, CR or LF, or is the empty
// string (so that "" = empty string and an unquoted empty field = NULL).
function csvField(s) {
  if (s === '' || /[",\r\n]/.test(s)) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

// Buffered stdout with back-pressure.
class Out {
  constructor() { this.parts = []; this.size = 0; }
  async push(s) {
    this.parts.push(s); this.size += s.length;
    if (this.size >= 1 << 20) await this.flush();
  }
  async flush() {
    if (!this.parts.length) return;
    const data = this.parts.join(''); this.parts = []; this.size = 0;
    if (!process.stdout.write(data)) await new Promise((r) => process.stdout.once('drain', r));
  }
  async end() { await this.flush(); await new Promise((r) => process.stdout.write('', r)); }
}

async function printResult(result, format) {
  const names = result.columnNames();
  const isFloat = result.columnTypes().map((t) => t.typeId === DuckDBTypeId.FLOAT);
  const out = new Out();
  if (format === 'csv') await out.push(names.map(csvField).join(',') + '\n');
  const keys = names.map((n) => JSON.stringify(n) + ':');
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const lines = [];
    for (const row of chunk.getRows()) {
      if (format === 'csv') {
        lines.push(row.map((v, i) => (v === null ? '' : csvField(valueText(v, isFloat[i])))).join(','));
      } else {
        lines.push('{' + row.map((v, i) => keys[i] + valueJson(v, isFloat[i])).join(',') + '}');
      }
    }
    await out.push(lines.join('\n') + '\n');
  }
  await out.end();
}

// ---------------------------------------------------------------- memory

// Peak RSS. On Linux, writing 5 to /proc/self/clear_refs resets the high-water
// mark (VmHWM) so a phase (the timed runs) can be measured on its own.
function procStatusBytes(field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch { return null; }
}
function resetPeakRss() {
  try { fs.writeFileSync('/proc/self/clear_refs', '5'); return procStatusBytes('VmHWM') !== null; } catch { return false; }
}
function peakRss(scoped) {
  return (scoped && procStatusBytes('VmHWM')) || process.resourceUsage().maxRSS * 1024;
}

// ---------------------------------------------------------------- commands

async function openDb(file) {
  const instance = await DuckDBInstance.create(file ?? ':memory:');
  const conn = await instance.connect();
  return { instance, conn, close() { conn.closeSync(); instance.closeSync(); } };
}

async function runQueryCommand(o) {
  const db = await openDb(o.db);
  try {
    await configure(db.conn, o);
    const typesByTable = await resolveTypes(db.conn, o);
    for (const s of loadStatements(o, typesByTable)) await db.conn.run(s);
    const result = await db.conn.stream(o.sql);
    await printResult(result, o.format);
  } finally { db.close(); }
}

const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

function summary(times) {
  const s = [...times].sort((a, b) => a - b), n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median_s: median, min_s: s[0], max_s: s[n - 1], runs: times };
}

async function mainTables(conn) {
  const r = await conn.runAndReadAll(
    `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name`);
  return r.getRows().map((x) => x[0]);
}

async function parquetBytes(conn, dir) {
  const by = {};
  for (const t of await mainTables(conn)) {
    const f = path.join(dir, `${t}.parquet`);
    await conn.run(`COPY ${qi(t)} TO ${qs(f)} (FORMAT parquet, COMPRESSION zstd)`);
    by[t] = fs.statSync(f).size;
    fs.rmSync(f, { force: true });
  }
  return { parquet_bytes: Object.values(by).reduce((a, b) => a + b, 0), parquet_bytes_by_table: by };
}

async function countRows(conn, tables) {
  let n = 0;
  for (const t of tables) n += Number((await conn.runAndReadAll(`SELECT count(*) FROM ${qi(t)}`)).getRows()[0][0]);
  return n;
}

async function runTimeQuery(o) {
  const db = await openDb(o.db);
  const tmp = fs.mkdtempSync(path.join(o.tmpDir ?? os.tmpdir(), 'duckdb-peer-'));
  try {
    await configure(db.conn, o);
    const typesByTable = await resolveTypes(db.conn, o);
    let t0 = process.hrtime.bigint();
    for (const s of loadStatements(o, typesByTable)) await db.conn.run(s);
    const loadS = secs(t0);
    let rows = 0;
    for (let i = 0; i < o.warmup; i++) rows = (await db.conn.run(o.sql)).rowCount;
    const scoped = resetPeakRss();
    const rssBefore = procStatusBytes('VmRSS');
    const times = [];
    for (let i = 0; i < o.runs; i++) {
      t0 = process.hrtime.bigint();
      const r = await db.conn.run(o.sql);            // executes and materializes inside DuckDB
      times.push(secs(t0));
      rows = r.rowCount;
    }
    const res = { ...summary(times), peak_rss_bytes: peakRss(scoped), rows,
      rss_before_bytes: rssBefore, peak_rss_scope: scoped ? 'timed-runs' : 'process',
      load_s: o.loads.size ? loadS : null, threads: o.threads, duckdb_version: duckdbVersion() };
    if (o.parquetSize) Object.assign(res, await parquetBytes(db.conn, tmp));
    return res;
  } finally { db.close(); fs.rmSync(tmp, { recursive: true, force: true }); }
}

async function runTimeLoad(o) {
  const times = []; let peak = 0, scoped = false, last = {};
  for (let i = 0; i < o.warmup + o.runs; i++) {
    const timed = i >= o.warmup, isLast = i === o.warmup + o.runs - 1;
    const dir = fs.mkdtempSync(path.join(o.tmpDir ?? os.tmpdir(), 'duckdb-peer-'));
    const file = o.inMemory ? null : path.join(dir, 'load.duckdb');
    try {
      const db = await openDb(file);
      try {
        await configure(db.conn, o);
        const typesByTable = await resolveTypes(db.conn, o);
        const stmts = loadStatements(o, typesByTable);
        scoped = resetPeakRss();
        const t0 = process.hrtime.bigint();
        for (const s of stmts) await db.conn.run(s);
        if (file) await db.conn.run('CHECKPOINT');
        const t = secs(t0);
        if (timed) { times.push(t); peak = Math.max(peak, peakRss(scoped)); }
        if (isLast) {
          last.rows = await countRows(db.conn, [...o.loads.keys()]);
          if (o.parquetSize) Object.assign(last, await parquetBytes(db.conn, dir));
        }
      } finally { db.close(); }
      if (isLast && file) {
        const wal = file + '.wal';
        last.db_file_bytes = fs.statSync(file).size + (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
      }
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  }
  return { ...summary(times), peak_rss_bytes: peak, rows: last.rows,
    peak_rss_scope: scoped ? 'timed-runs' : 'process', target: o.inMemory ? 'memory' : 'file',
    db_file_bytes: last.db_file_bytes ?? null,
    ...(o.parquetSize ? { parquet_bytes: last.parquet_bytes, parquet_bytes_by_table: last.parquet_bytes_by_table } : {}),
    threads: o.threads, duckdb_version: duckdbVersion() };
}

// The nightly job as a DuckDB user would run it: a copy of the history database
// (made outside the timing, so that every run starts from the same state) gets
// the new rows appended (INSERT ... FROM read_csv), then every rule query runs and
// its rows are read out.  Timed: append + queries; the last run's answers go to
// OUT-DIR/<query file name>.csv.
async function runNightly(o) {
  const times = []; let peak = 0, scoped = false;
  fs.mkdirSync(o.outDir, { recursive: true });
  for (let i = 0; i < o.warmup + o.runs; i++) {
    const timed = i >= o.warmup, isLast = i === o.warmup + o.runs - 1;
    const dir = fs.mkdtempSync(path.join(o.tmpDir ?? os.tmpdir(), 'duckdb-peer-'));
    const file = path.join(dir, 'nightly.duckdb');
    try {
      fs.copyFileSync(o.db, file);
      if (fs.existsSync(o.db + '.wal')) fs.copyFileSync(o.db + '.wal', file + '.wal');
      const db = await openDb(file);
      try {
        await configure(db.conn, o);
        const typesByTable = await resolveTypes(db.conn, o);
        const appends = [...o.loads].map(([table, files]) =>
          `INSERT INTO ${qi(table)} SELECT * FROM ${readCsvExpr(files, typesByTable.get(table), o.csvOptions)}`);
        const queries = o.sqlFiles.map((f) => fs.readFileSync(f, 'utf8'));
        scoped = resetPeakRss();
        const t0 = process.hrtime.bigint();
        for (const s of appends) await db.conn.run(s);
        const answers = [];
        for (const q of queries) answers.push(await db.conn.runAndReadAll(q));
        const t = secs(t0);
        if (timed) { times.push(t); peak = Math.max(peak, peakRss(scoped)); }
        if (isLast)
          answers.forEach((r, k) => {
            const names = r.columnNames();
            const isFloat = r.columnTypes().map((ty) => ty.typeId === DuckDBTypeId.FLOAT);
            const lines = [names.map(csvField).join(',')];
            for (const row of r.getRows())
              lines.push(row.map((v, c) => (v === null ? '' : csvField(valueText(v, isFloat[c])))).join(','));
            fs.writeFileSync(path.join(o.outDir, path.basename(o.sqlFiles[k], '.sql') + '.csv'), lines.join('\n') + '\n');
          });
      } finally { db.close(); }
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  }
  return { ...summary(times), peak_rss_bytes: peak, peak_rss_scope: scoped ? 'timed-runs' : 'process',
    queries: o.sqlFiles.length, threads: o.threads, duckdb_version: duckdbVersion() };
}

async function main() {
  process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`duckdb_peer: ${e.message}\n${e.showUsage ? USAGE + "\n" : ""}`); return 2; }
    throw e;
  }
  if (o.help) { process.stdout.write(USAGE + '\n'); return 0; }
  try {
    if (o.cmd === 'query') await runQueryCommand(o);
    else {
      const res = o.cmd === 'nightly' ? await runNightly(o) : o.timeLoad ? await runTimeLoad(o) : await runTimeQuery(o);
      process.stdout.write(JSON.stringify(res) + '\n');
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`duckdb_peer: ${e.message}\n`); return 2; }
    process.stderr.write(`duckdb_peer: error: ${e && e.message ? e.message : e}\n`);
    return 1;
  }
}

process.exitCode = await main();
