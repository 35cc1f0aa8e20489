#!/usr/bin/env node
// diff.mjs - differential test of `ferret query` against DuckDB (see README.md here).
//
//   node tests/sql/diff.mjs --ferret BIN --tmp DIR [--shared DATA] [--threads 1,2]
//        [--filter REGEX] [--generated N] [--seed S] [--report FILE] [--duck-only]
//        [--max-show N] [--rows N] [--list] [--check-corpus]
//
// Generates the canonical tables (ferret gen, --rows 20000 --seed 7), ingests them
// into a ferret store and loads the same CSV files, with the same types, into one
// in-memory DuckDB; real logs from DATA (../shared/data) are added where present.
// Then every query of the corpus (queries/*.sql, plus N generated queries) runs in
// DuckDB and through `ferret query STORE SQL --format csv --threads T` for each T,
// and the answers are compared: row by row when the query has a top-level ORDER BY,
// as multisets otherwise; DOUBLE columns within 1e-9 relative, everything else as
// DuckDB's text. Prints a diff per failing query, a coverage table and
// "N passed, M failed". Exit status: 0 all passed, 1 some query differed or the
// corpus misses a construct, 2 bad usage, 3 setup failure.

import { createRequire } from 'node:module';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(here, '..', '..');
const require = createRequire(path.join(sourceDir, 'bench', 'package.json'));
let duck;
try { duck = require('@duckdb/node-api'); } catch (e) {
  console.error(`SKIP: @duckdb/node-api is not installed under bench/node_modules (npm ci --prefix bench): ${e.message}`);
  process.exit(77);
}
const { DuckDBInstance, DuckDBTypeId, DuckDBDecimalValue, DuckDBTimestampValue, DuckDBDateValue } = duck;

// ------------------------------------------------------------------ arguments

function parseArgs(argv) {
  const o = { ferret: process.env.FERRET, tmp: null, shared: process.env.FERRET_SHARED_DATA ?? null,
    threads: [1, 2], filter: null, generated: 220, seed: 20240517, report: null, duckOnly: false,
    maxShow: 8, rows: 20000, list: false, timeout: 120, jsonEvery: 4, tableEvery: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    switch (a) {
      case '--ferret': o.ferret = next(); break;
      case '--tmp': o.tmp = next(); break;
      case '--shared': o.shared = next(); break;
      case '--threads': o.threads = next().split(',').map(Number); break;
      case '--filter': o.filter = new RegExp(next()); break;
      case '--generated': o.generated = Number(next()); break;
      case '--seed': o.seed = Number(next()); break;
      case '--report': o.report = next(); break;
      case '--duck-only': o.duckOnly = true; break;
      case '--check-corpus': o.duckOnly = true; o.checkCorpus = true; break;
      case '--max-show': o.maxShow = Number(next()); break;
      case '--rows': o.rows = Number(next()); break;
      case '--timeout': o.timeout = Number(next()); break;
      case '--json-every': o.jsonEvery = Number(next()); break;
      case '--table-every': o.tableEvery = Number(next()); break;
      case '--list': o.list = true; break;
      case '--help': case '-h': usage(null); break;
      default: usage(`unknown option '${a}'`);
    }
  }
  if (!o.list && !o.duckOnly && !o.ferret) usage('--ferret BIN (or $FERRET) is needed');
  if (!o.list && !o.tmp) usage('--tmp DIR is needed');
  return o;
}

function usage(msg) {
  if (msg) console.error(`diff.mjs: ${msg}`);
  console.error('usage: node tests/sql/diff.mjs --ferret BIN --tmp DIR [--shared DATA] [--threads 1,2]\n' +
    '       [--filter REGEX] [--generated N] [--seed S] [--report FILE] [--duck-only] [--check-corpus]\n' +
    '       [--max-show N] [--list]');
  process.exit(msg ? 2 : 0);
}

// ------------------------------------------------------------------ data sets

// Types of the canonical audit schema (DESIGN.md): the rest are strings.
const CANONICAL = {
  ts: 'TIMESTAMP', published: 'TIMESTAMP', awarded: 'TIMESTAMP',
  start_date: 'DATE', end_date: 'DATE', registered: 'DATE', deceased: 'DATE', since: 'DATE', until: 'DATE',
  amount: 'DECIMAL(18,2)', reserve_price: 'DECIMAL(18,2)', won: 'BOOLEAN',
};
const GEN_TABLES = ['payments', 'approvals', 'posts', 'entities', 'relations', 'tenders', 'bids', 'subsidies'];
// ferret's schema-file type names -> DuckDB's
const FERRET_TO_DUCK = { string: 'VARCHAR', int64: 'BIGINT', float64: 'DOUBLE', 'decimal(18,2)': 'DECIMAL(18,2)',
  timestamp: 'TIMESTAMP', date: 'DATE', bool: 'BOOLEAN' };

// Real logs: table name, file under DATA, ferret schema (column -> ferret type),
// and an optional row cap (the file is cut to its first rows to keep the test quick).
const OX = (typeCol) => ({ body_name: 'string', organisational_unit: 'string', expenditure_category: 'string',
  expenditure_code: 'string', paid_date: 'string', trans_no: 'string', amount: 'decimal(18,2)',
  [typeCol]: 'string', supplier_id: 'string', supplier_name: 'string' });
const REAL = [
  { table: 'ox_q1', file: 'uk-oxford-spend-over-500/expenditure-over-500-jan-mar-2016.csv', schema: OX('caporrev') },
  { table: 'ox_q2', file: 'uk-oxford-spend-over-500/expenditure-over-500-apr-jun-2016.csv', schema: OX('type') },
  { table: 'aml_nodes', file: 'amlsim-samples/20K_cycle200/nodes.csv',
    schema: { nodeid: 'int64', isFraud: 'int64', init_balance: 'decimal(18,2)', fraudStep: 'int64' } },
  { table: 'aml_tx', file: 'amlsim-samples/20K_cycle200/transactions.csv', maxRows: 20000,
    schema: { sourceNodeId: 'int64', targetNodeId: 'int64', value: 'float64', time: 'int64' } },
];

const qs = (s) => `'${String(s).replace(/'/g, "''")}'`;
const qi = (s) => `"${String(s).replace(/"/g, '""')}"`;

function run(bin, args, { timeout = 120 } = {}) {
  return new Promise((resolve) => {
    execFile(bin, args, { maxBuffer: 256 << 20, timeout: timeout * 1000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const rc = err ? (typeof err.code === 'number' ? err.code : (err.killed ? 124 : 3)) : 0;
        resolve({ rc, stdout, stderr, signal: err?.signal ?? null });
      });
  });
}

async function setup(o, conn) {
  fs.mkdirSync(o.tmp, { recursive: true });
  const genDir = path.join(o.tmp, 'gen');
  const store = path.join(o.tmp, 'store');
  fs.rmSync(store, { recursive: true, force: true });
  const haveGen = GEN_TABLES.every((t) => fs.existsSync(path.join(genDir, `${t}.csv`)));
  const marker = path.join(genDir, 'ROWS');
  if (!haveGen || !fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== String(o.rows)) {
    fs.rmSync(genDir, { recursive: true, force: true });
    if (!o.ferret) throw new Error('no generated data and no ferret binary to make it');
    const r = await run(o.ferret, ['gen', genDir, '--rows', String(o.rows), '--seed', '7', '--compress', 'none']);
    if (r.rc !== 0) throw new Error(`ferret gen failed (exit ${r.rc}): ${r.stderr}`);
    fs.writeFileSync(marker, String(o.rows));
  }
  const tables = new Map();  // name -> { file, types: {col: DUCK TYPE}, ferretSchema }
  for (const t of GEN_TABLES) tables.set(t, { file: path.join(genDir, `${t}.csv`), types: null, ferretSchema: null });
  const skipped = [];
  if (o.shared && fs.existsSync(o.shared)) {
    for (const r of REAL) {
      const src = path.join(o.shared, r.file);
      if (!fs.existsSync(src)) { skipped.push(`${r.table} (${r.file} absent)`); continue; }
      let file = src;
      if (r.maxRows) {
        file = path.join(o.tmp, `${r.table}.csv`);
        const lines = fs.readFileSync(src, 'utf8').split('\n');
        fs.writeFileSync(file, lines.slice(0, r.maxRows + 1).join('\n').replace(/\n?$/, '\n'));
      }
      const schemaFile = path.join(o.tmp, `${r.table}.schema`);
      fs.writeFileSync(schemaFile, Object.entries(r.schema).map(([k, v]) => `${k} ${v}`).join('\n') + '\n');
      const types = Object.fromEntries(Object.entries(r.schema).map(([k, v]) => [k, FERRET_TO_DUCK[v]]));
      tables.set(r.table, { file, types, ferretSchema: schemaFile });
    }
  } else {
    skipped.push(`all real logs (${o.shared || '../shared/data'} is absent)`);
  }
  // DuckDB: the same files with the same types.
  for (const [name, t] of tables) {
    let types = t.types;
    if (!types) {
      const r = await conn.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv(${qs(t.file)}, header = true, all_varchar = true))`);
      types = Object.fromEntries(r.getRows().map(([c]) => [c, CANONICAL[c] ?? 'VARCHAR']));
      t.types = types;
    }
    const typeList = Object.entries(types).map(([k, v]) => `${qs(k)}: ${qs(v)}`).join(', ');
    await conn.run(`CREATE OR REPLACE TABLE ${qi(name)} AS SELECT * FROM read_csv(${qs(t.file)}, header = true, ` +
      `allow_quoted_nulls = false, types = {${typeList}})`);
  }
  // ferret: one store with every table.
  if (!o.duckOnly) {
    for (const [name, t] of tables) {
      const args = ['ingest', store, name, t.file, '--quiet'];
      if (t.ferretSchema) args.push('--schema', t.ferretSchema);
      const r = await run(o.ferret, args);
      if (r.rc !== 0) throw new Error(`ferret ingest ${name} ${t.file} failed (exit ${r.rc}): ${r.stderr.slice(0, 800)}`);
    }
  }
  const counts = {};
  for (const name of tables.keys())
    counts[name] = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${qi(name)}`)).getRows()[0][0]);
  return { store, tables, skipped, counts };
}

// ------------------------------------------------------------------ corpus

// A corpus file holds queries, each opened by `-- name: ID` and closed by a line
// ending in ';'. Directives before the SQL: `-- tags: a b c` (constructs beyond
// those detected from the text), `-- requires: TABLE...` (skipped, saying so,
// when a real-data table is absent), `-- unordered` (compare as a multiset even
// though there is a top-level ORDER BY: its keys do not fix the order).
function loadCorpus(dir) {
  const out = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.sql')).sort()) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    let cur = null;
    lines.forEach((line, n) => {
      const m = /^--\s*name:\s*(\S+)/.exec(line);
      if (m) {
        if (cur) throw new Error(`${f}:${n + 1}: query ${cur.id} has no closing ';'`);
        cur = { id: m[1], file: f, line: n + 1, tags: [], requires: [], unordered: false, sql: [] };
        return;
      }
      if (!cur) return;
      let d;
      if (!cur.sql.length && (d = /^--\s*tags:\s*(.*)$/.exec(line))) { cur.tags.push(...d[1].split(/[\s,]+/).filter(Boolean)); return; }
      if (!cur.sql.length && (d = /^--\s*requires:\s*(.*)$/.exec(line))) { cur.requires.push(...d[1].split(/[\s,]+/).filter(Boolean)); return; }
      if (!cur.sql.length && /^--\s*unordered\b/.test(line)) { cur.unordered = true; return; }
      if (!cur.sql.length && /^\s*(--.*)?$/.test(line)) return;
      cur.sql.push(line);
      if (/;\s*$/.test(line)) {
        cur.sql = cur.sql.join('\n').replace(/;\s*$/, '').trim();
        out.push(cur);
        cur = null;
      }
    });
    if (cur) throw new Error(`${f}: query ${cur.id} has no closing ';'`);
  }
  const seen = new Set();
  for (const q of out) { if (seen.has(q.id)) throw new Error(`duplicate query id ${q.id}`); seen.add(q.id); }
  return out;
}

// ------------------------------------------------------------------ generator

// A small seeded generator: per table, pools of predicates, projections, group
// keys and aggregates that compose into filter, aggregate, distinct, join and
// window queries. Every ordered query orders by keys that are unique in its
// result (group keys, a row id), so the order is total.
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOLS = {
  payments: {
    preds: [
      "amount > 10000", "amount <= 2500.50", "amount BETWEEN 1000 AND 5000", "amount NOT BETWEEN 100 AND 100000",
      "org = 'ORG-0001'", "org IN ('ORG-0002', 'ORG-0003', 'ORG-0010')", "org NOT IN ('ORG-0001', 'ORG-0002')",
      "payee LIKE 'V-00001%'", "payee NOT LIKE '%9'", "memo ILIKE '%fee%'", "memo IS NULL", "memo IS NOT NULL",
      "approver IS NULL", "requester IS NOT NULL", "contract_id IS NOT NULL", "case_id IS NULL",
      "ts >= '2024-06-01'", "ts < TIMESTAMP '2023-03-01 00:00:00'", "ts BETWEEN '2023-05-01' AND '2023-05-31 23:59:59'",
      "date_part('hour', ts) >= 12", "extract(month FROM ts) = 12", "date_trunc('month', ts) = TIMESTAMP '2024-02-01'",
      "amount % 100 = 0", "amount * 2 > 50000", "amount / 3 < 1000", "length(memo) > 10", "lower(memo) LIKE '%phase%'",
      "substr(payee, 1, 2) = 'V-'", "NOT (amount > 5000)", "upper(org) <> org", "approver = requester",
      "approver <> requester", "COALESCE(memo, '') = ''", "invoice_no LIKE 'INV-09%'", "abs(amount - 5000) < 500",
      "round(amount, -3) = 10000", "floor(amount) = amount", "CAST(amount AS BIGINT) % 2 = 1",
      "CASE WHEN amount > 1000 THEN org ELSE payee END LIKE 'ORG%'", "strftime(ts, '%Y-%m') = '2023-07'",
    ],
    keys: ["org", "payee", "approver", "currency", "budget_code", "date_trunc('month', ts)", "extract(year FROM ts)",
      "strftime(ts, '%Y')", "CASE WHEN amount >= 10000 THEN 'large' WHEN amount >= 1000 THEN 'medium' ELSE 'small' END",
      "memo IS NULL", "substr(payee, 1, 4)", "date_part('dow', ts)", "CAST(ts AS DATE)", "contract_id"],
    aggs: ["count(*)", "count(memo)", "count(DISTINCT payee)", "sum(amount)", "avg(amount)", "min(amount)", "max(amount)",
      "min(ts)", "max(ts)", "median(amount)", "quantile_cont(amount, 0.9)", "stddev_samp(amount)", "sum(amount * 2)",
      "max(length(memo))", "min(payee)", "count(DISTINCT approver)", "sum(CASE WHEN memo IS NULL THEN 1 ELSE 0 END)",
      "avg(amount) * 2", "sum(amount) / count(*)", "max(amount) - min(amount)", "count(approver)", "sum(round(amount, 0))"],
    projs: ["txn_id", "ts", "org", "payee", "amount", "memo", "approver", "amount * 3", "amount + 0.5", "amount - 100",
      "amount / 7", "amount % 9", "-amount", "round(amount / 7, 2)", "round(amount, 1)", "floor(amount / 100)",
      "ceil(amount / 100)", "abs(500 - amount)", "lower(org)", "upper(memo)", "length(payee)", "substr(memo, 3, 5)",
      "date_trunc('day', ts)", "date_trunc('hour', ts)", "date_part('minute', ts)", "extract(day FROM ts)",
      "strftime(ts, '%d/%m/%Y %H:%M')", "CAST(ts AS DATE)", "CAST(amount AS DOUBLE)", "CAST(amount AS BIGINT)",
      "CAST(amount AS VARCHAR)", "COALESCE(approver, requester, '?')", "COALESCE(memo, 'n/a')",
      "CASE WHEN memo IS NULL THEN 'none' ELSE 'some' END", "amount > 1000 AND memo IS NOT NULL",
      "approver IS NULL OR requester IS NULL", "NOT (amount < 100)", "amount BETWEEN 1000 AND 2000",
      "ts > '2024-01-01'", "CAST(budget_code AS INTEGER) + 1", "CAST(budget_code AS INTEGER) // 100",
      "CAST(budget_code AS INTEGER) % 7"],
  },
  approvals: {
    preds: ["activity = 'submit'", "activity IN ('accept', 'approve', 'reject')", "amount IS NULL", "amount IS NOT NULL",
      "amount > 50000", "service LIKE '%permit%'", "org BETWEEN 'ORG-0010' AND 'ORG-0020'", "ts >= '2024-01-01'",
      "actor ILIKE 'p-00000%'", "NOT (service = 'payment_request')", "extract(hour FROM ts) < 10",
      "amount BETWEEN 1000 AND 10000 OR amount IS NULL", "applicant LIKE 'V%'"],
    keys: ["activity", "service", "org", "date_trunc('quarter', ts)", "amount IS NULL", "extract(year FROM ts)",
      "substr(actor, 1, 1)"],
    aggs: ["count(*)", "count(amount)", "count(DISTINCT case_id)", "sum(amount)", "avg(amount)", "min(ts)", "max(ts)",
      "median(amount)", "stddev_samp(amount)", "quantile_cont(amount, 0.5)", "max(actor)", "count(DISTINCT actor)"],
    projs: [],
  },
  bids: {
    preds: ["won", "NOT won", "won = false", "amount > 500000", "bidder LIKE 'V-0000%'", "ts < '2024-01-01'",
      "amount BETWEEN 100000 AND 300000"],
    keys: ["won", "tender_id", "substr(bidder, 1, 5)", "extract(year FROM ts)", "date_trunc('month', ts)"],
    aggs: ["count(*)", "sum(amount)", "avg(amount)", "min(amount)", "max(amount)", "count(DISTINCT bidder)",
      "median(amount)", "stddev_samp(amount)", "sum(CASE WHEN won THEN 1 ELSE 0 END)"],
    projs: [],
  },
  subsidies: {
    preds: ["amount > 500", "program LIKE '%补贴%'", "village LIKE '临江%'", "ts >= '2024-01-01'", "org = 'ORG-0006'",
      "amount IN (958.00, 159.00, 90.00)", "length(village) > 5"],
    keys: ["program", "org", "village", "beneficiary", "extract(month FROM ts)", "strftime(ts, '%Y-%m')"],
    aggs: ["count(*)", "sum(amount)", "avg(amount)", "min(amount)", "max(amount)", "count(DISTINCT beneficiary)",
      "median(amount)", "quantile_cont(amount, 0.1)", "stddev_samp(amount)", "max(length(program))"],
    projs: [],
  },
};

function generate(n, seed) {
  const rnd = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const pickN = (xs, k) => { const c = [...xs]; const out = []; while (out.length < k && c.length) out.push(c.splice(Math.floor(rnd() * c.length), 1)[0]); return out; };
  const where = (pool, p = 0.8) => {
    if (rnd() > p) return '';
    const k = 1 + Math.floor(rnd() * 3);
    const ps = pickN(pool.preds, k);
    let s = ps[0];
    for (let i = 1; i < ps.length; i++) s = rnd() < 0.7 ? `${s} AND ${ps[i]}` : `(${s} OR ${ps[i]})`;
    if (rnd() < 0.1) s = `NOT (${s})`;
    return ` WHERE ${s}`;
  };
  const out = [];
  const tableNames = Object.keys(POOLS);
  for (let i = 0; i < n; i++) {
    const kind = pick(['agg', 'agg', 'agg', 'proj', 'proj', 'scalar', 'distinct', 'join', 'window', 'cte']);
    const tname = kind === 'proj' || kind === 'join' || kind === 'window' || kind === 'cte' ? 'payments' : pick(tableNames);
    const pool = POOLS[tname];
    let sql;
    if (kind === 'agg') {
      const keys = pickN(pool.keys, 1 + Math.floor(rnd() * 2));
      const aggs = pickN(pool.aggs, 1 + Math.floor(rnd() * 3));
      const sel = [...keys.map((k, j) => `${k} AS k${j}`), ...aggs.map((a, j) => `${a} AS a${j}`)];
      sql = `SELECT ${sel.join(', ')} FROM ${tname}${where(pool)} GROUP BY ${keys.map((_, j) => `k${j}`).join(', ')}`;
      if (rnd() < 0.3) sql += ` HAVING count(*) > ${pick([1, 2, 5, 10])}`;
      const dir = () => pick(['', ' ASC', ' DESC', ' DESC NULLS FIRST', ' ASC NULLS FIRST', ' NULLS LAST']);
      sql += ` ORDER BY ${keys.map((_, j) => `k${j}${dir()}`).join(', ')}`;
      if (rnd() < 0.3) sql += ` LIMIT ${pick([1, 5, 20])}${rnd() < 0.3 ? ` OFFSET ${pick([1, 3])}` : ''}`;
    } else if (kind === 'proj') {
      const projs = pickN(pool.projs, 2 + Math.floor(rnd() * 4));
      sql = `SELECT txn_id, ${projs.map((p, j) => `${p} AS c${j}`).join(', ')} FROM payments${where(pool, 1)}` +
        ` ORDER BY txn_id${rnd() < 0.5 ? ' DESC' : ''} LIMIT ${pick([5, 10, 50, 200])}${rnd() < 0.3 ? ` OFFSET ${pick([2, 10])}` : ''}`;
    } else if (kind === 'scalar') {
      const aggs = pickN(pool.aggs, 2 + Math.floor(rnd() * 3));
      sql = `SELECT ${aggs.map((a, j) => `${a} AS a${j}`).join(', ')} FROM ${tname}${where(pool)}`;
    } else if (kind === 'distinct') {
      const keys = pickN(pool.keys, 1 + Math.floor(rnd() * 2));
      sql = `SELECT DISTINCT ${keys.map((k, j) => `${k} AS k${j}`).join(', ')} FROM ${tname}${where(pool)}`;
      if (rnd() < 0.5) sql += ` ORDER BY ${keys.map((_, j) => `k${j}`).join(', ')}`;
    } else if (kind === 'join') {
      const lj = rnd() < 0.5;
      const w = where(pool, 0.7).replace(/\b(amount|ts|org|payee|memo|approver|requester|contract_id|case_id|invoice_no)\b/g, 'p.$1');
      if (rnd() < 0.5) {
        const agg = pick(["count(*)", "sum(p.amount)", "count(e.id)", "count(DISTINCT p.payee)", "max(e.registered)", "min(e.name)"]);
        sql = `SELECT e.kind AS k0, ${agg} AS a0 FROM payments p ${lj ? 'LEFT JOIN' : 'JOIN'} entities e ON p.payee = e.id${w} GROUP BY e.kind ORDER BY k0 NULLS FIRST`;
      } else {
        sql = `SELECT p.txn_id, p.payee, e.kind, e.name, p.amount FROM payments p ${lj ? 'LEFT JOIN' : 'INNER JOIN'} entities e ON e.id = p.payee${w} ORDER BY p.txn_id LIMIT ${pick([10, 100])}`;
      }
    } else if (kind === 'window') {
      const part = pick(['org', 'payee', 'approver', 'budget_code']);
      const fn = pick([
        'row_number() OVER (PARTITION BY $P ORDER BY ts, txn_id)',
        'rank() OVER (PARTITION BY $P ORDER BY amount DESC, txn_id)',
        'rank() OVER (PARTITION BY $P ORDER BY CAST(ts AS DATE))',
        'lag(amount) OVER (PARTITION BY $P ORDER BY ts, txn_id)',
        'lead(txn_id, 2) OVER (PARTITION BY $P ORDER BY ts, txn_id)',
        'lag(amount, 1, 0) OVER (PARTITION BY $P ORDER BY ts, txn_id)',
        'sum(amount) OVER (PARTITION BY $P ORDER BY ts, txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)',
        'count(*) OVER (PARTITION BY $P ORDER BY ts, txn_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
        'max(amount) OVER (PARTITION BY $P ORDER BY ts, txn_id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)',
        'min(amount) OVER (PARTITION BY $P)',
        'avg(amount) OVER (PARTITION BY $P ORDER BY ts, txn_id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)',
        'sum(amount) OVER (PARTITION BY $P ORDER BY ts RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND CURRENT ROW)',
        'count(*) OVER (PARTITION BY $P ORDER BY ts RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW)',
        'sum(amount) OVER (PARTITION BY $P ORDER BY amount RANGE BETWEEN 100 PRECEDING AND 100 FOLLOWING)',
        'max(amount) OVER (PARTITION BY $P ORDER BY ts RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND INTERVAL 1 DAY FOLLOWING)',
        'sum(amount) OVER (PARTITION BY $P ORDER BY ts, txn_id)',
      ]).replace('$P', part);
      sql = `SELECT txn_id, ${part}, amount, ${fn} AS w FROM payments${where(pool, 0.6)} ORDER BY txn_id LIMIT ${pick([50, 300, 2000])}`;
    } else { // cte
      const key = pick(pool.keys);
      const agg = pick(["sum(amount)", "count(*)", "max(amount)", "avg(amount)"]);
      sql = `WITH g AS (SELECT ${key} AS k, ${agg} AS v FROM payments${where(pool)} GROUP BY k) ` +
        `SELECT k, v FROM g WHERE v IS NOT NULL ORDER BY v DESC, k NULLS LAST LIMIT ${pick([3, 10, 50])}`;
    }
    out.push({ id: `gen_${String(i + 1).padStart(3, '0')}`, file: '(generated)', line: 0, tags: ['generated'], requires: [], unordered: false, sql });
  }
  return out;
}

// ------------------------------------------------------------------ constructs

// Text of the query with string literals blanked (so 'x AND y' is not AND).
function stripStrings(sql) { return sql.replace(/'(?:[^']|'')*'/g, "''"); }

// Aggregate/window function names called in the text, each marked window or not.
function calls(sql) {
  const out = [];
  const re = /\b([a-z_]+)\s*\(/gi;
  let m;
  while ((m = re.exec(sql))) {
    let depth = 0, i = m.index + m[0].length - 1;
    for (; i < sql.length; i++) { if (sql[i] === '(') depth++; else if (sql[i] === ')' && --depth === 0) break; }
    const rest = sql.slice(i + 1);
    out.push({ name: m[1].toLowerCase(), window: /^\s*OVER\b/i.test(rest), args: sql.slice(m.index + m[0].length, i) });
  }
  return out;
}

// Does the query have an ORDER BY outside every parenthesis (the final ordering)?
function topLevelOrderBy(sql) {
  const s = stripStrings(sql);
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /^ORDER\s+BY\b/i.test(s.slice(i, i + 12)) && /\W/.test(s[i - 1] ?? ' ')) return true;
  }
  return false;
}

const TYPE_WORDS = 'DOUBLE|BIGINT|INTEGER|INT|VARCHAR|DATE|TIMESTAMP|DECIMAL|BOOLEAN|HUGEINT|FLOAT|REAL|TEXT|SMALLINT';
// Every construct of DESIGN.md's subset: name -> detector over the (string-blanked) SQL.
const CONSTRUCTS = [
  ['select_distinct', (s) => /\bSELECT\s+DISTINCT\b/i.test(s)],
  ['alias', (s) => new RegExp(`\\bAS\\s+(?!(${TYPE_WORDS})\\b)[a-z_]\\w*\\b(?!\\s*\\()`, 'i').test(s)],
  ['inner_join', (s) => /\b(INNER\s+)?JOIN\b/i.test(s.replace(/\bLEFT\s+(OUTER\s+)?JOIN\b/gi, ''))],
  ['left_join', (s) => /\bLEFT\s+(OUTER\s+)?JOIN\b/i.test(s)],
  ['where', (s) => /\bWHERE\b/i.test(s)],
  ['group_by', (s) => /\bGROUP\s+BY\b/i.test(s)],
  ['having', (s) => /\bHAVING\b/i.test(s)],
  ['order_by', (s, q) => topLevelOrderBy(q.sql)],
  ['order_asc', (s) => /\bASC\b/i.test(s)],
  ['order_desc', (s) => /\bDESC\b/i.test(s)],
  ['nulls_first', (s) => /\bNULLS\s+FIRST\b/i.test(s)],
  ['nulls_last', (s) => /\bNULLS\s+LAST\b/i.test(s)],
  ['limit', (s) => /\bLIMIT\b/i.test(s)],
  ['offset', (s) => /\bOFFSET\b/i.test(s)],
  ['with_cte', (s) => /^\s*WITH\b/i.test(s)],
  ['count_star', (s, q, c) => c.some((x) => x.name === 'count' && !x.window && x.args.trim() === '*')],
  ['count', (s, q, c) => c.some((x) => x.name === 'count' && !x.window && x.args.trim() !== '*' && !/^\s*DISTINCT\b/i.test(x.args))],
  ['count_distinct', (s, q, c) => c.some((x) => x.name === 'count' && !x.window && /^\s*DISTINCT\b/i.test(x.args))],
  ...['sum', 'avg', 'min', 'max', 'median', 'quantile_cont', 'stddev_samp'].map((f) => [f, (s, q, c) => c.some((x) => x.name === f && !x.window)]),
  ['arith_add_sub', (s) => /[\w)]\s*[-+]\s*[\w(]/.test(s.replace(/INTERVAL\s+\S+/gi, ''))],
  ['arith_mul', (s) => /[\w)]\s*\*\s*[\w(]/.test(s)],
  ['arith_div', (s) => /[\w)]\s*\/\s*[\w(]/.test(s)],
  ['arith_int_div', (s) => /\/\//.test(s)],
  ['arith_mod', (s) => /[\w)]\s*%\s*[\w(]/.test(s)],
  ['arith_int', (s, q) => q.tags.includes('arith_int')],
  ['arith_decimal', (s, q) => q.tags.includes('arith_decimal')],
  ['comparison', (s) => /(<=|>=|<>|!=|[^<>!]=|<|>)/.test(s.replace(/\bON\b.*?=/gi, ''))],
  ['and', (s) => /\bAND\b/i.test(s.replace(/\bBETWEEN\s+\S+\s+AND\b/gi, ''))],
  ['or', (s) => /\bOR\b/i.test(s.replace(/\bORDER\b/gi, ''))],
  ['not', (s) => /\bNOT\b(?!\s+(NULL|IN|LIKE|ILIKE|BETWEEN)\b)/i.test(s.replace(/\bIS\s+NOT\b/gi, ''))],
  ['in', (s) => /\bIN\s*\(/i.test(s)],
  ['not_in', (s) => /\bNOT\s+IN\s*\(/i.test(s)],
  ['between', (s) => /\bBETWEEN\b/i.test(s.replace(/\bROWS\s+BETWEEN\b|\bRANGE\s+BETWEEN\b/gi, ''))],
  ['like', (s) => /\bLIKE\b/i.test(s)],
  ['ilike', (s) => /\bILIKE\b/i.test(s)],
  ['is_null', (s) => /\bIS\s+NULL\b/i.test(s)],
  ['is_not_null', (s) => /\bIS\s+NOT\s+NULL\b/i.test(s)],
  ['case', (s) => /\bCASE\b/i.test(s)],
  ['cast', (s) => /\bCAST\s*\(|::/i.test(s)],
  ...['coalesce', 'abs', 'round', 'floor', 'ceil', 'lower', 'upper', 'length', 'substr', 'date_trunc', 'date_part', 'strftime']
    .map((f) => [f, (s, q, c) => c.some((x) => x.name === f)]),
  ['extract', (s) => /\bEXTRACT\s*\(/i.test(s)],
  ['row_number', (s, q, c) => c.some((x) => x.name === 'row_number' && x.window)],
  ['rank', (s, q, c) => c.some((x) => x.name === 'rank' && x.window)],
  ['lag', (s, q, c) => c.some((x) => x.name === 'lag' && x.window)],
  ['lead', (s, q, c) => c.some((x) => x.name === 'lead' && x.window)],
  ...['sum', 'count', 'min', 'max', 'avg'].map((f) => [`window_${f}`, (s, q, c) => c.some((x) => x.name === f && x.window)]),
  ['window_partition_by', (s) => /\bOVER\s*\(\s*PARTITION\s+BY\b/i.test(s)],
  ['window_order_by', (s) => /\bOVER\s*\([^)]*ORDER\s+BY\b/i.test(s)],
  ['frame_rows', (s) => /\bROWS\s+BETWEEN\b/i.test(s)],
  ['frame_range', (s) => /\bRANGE\s+BETWEEN\b/i.test(s)],
  ['frame_range_interval', (s) => /\bRANGE\s+BETWEEN\s+INTERVAL\b/i.test(s)],
  ['null_semantics', (s, q) => q.tags.includes('null_semantics')],
  ['null_group_key', (s, q) => q.tags.includes('null_group_key')],
  ['null_join_key', (s, q) => q.tags.includes('null_join_key')],
  ['null_aggregate', (s, q) => q.tags.includes('null_aggregate')],
];

function constructsOf(q) {
  const s = stripStrings(q.sql);
  const c = calls(s);
  const found = new Set();
  for (const [name, test] of CONSTRUCTS) if (test(s, q, c)) found.add(name);
  for (const t of q.tags) if (t !== 'generated') found.add(t);
  return found;
}

// ------------------------------------------------------------------ values

const MICROS_PER_DAY = 86400000000n;
function civil(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}
const p2 = (n) => String(n).padStart(2, '0');
function fmtDate(days) {
  const [y, m, d] = civil(days);
  return `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}`;
}
function fmtTimestamp(us) {
  let days = us / MICROS_PER_DAY, tod = us % MICROS_PER_DAY;
  if (tod < 0n) { tod += MICROS_PER_DAY; days -= 1n; }
  const t = Number(tod), secs = Math.floor(t / 1e6), frac = t % 1e6;
  let s = `${fmtDate(Number(days))} ${p2(Math.floor(secs / 3600))}:${p2(Math.floor(secs / 60) % 60)}:${p2(secs % 60)}`;
  if (frac) s += '.' + String(frac).padStart(6, '0');
  return s;
}
function fmtDecimal(d) {
  let v = d.value; const neg = v < 0n; if (neg) v = -v;
  let s = v.toString();
  if (d.scale > 0) { s = s.padStart(d.scale + 1, '0'); s = s.slice(0, s.length - d.scale) + '.' + s.slice(s.length - d.scale); }
  return (neg ? '-' : '') + s;
}
function fmtDouble(x) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}
// DuckDB value -> text as DuckDB's CSV writer renders it; null stays null.
function duckText(v) {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string': return v;
    case 'number': return fmtDouble(v);
    case 'bigint': return v.toString();
    case 'boolean': return v ? 'true' : 'false';
  }
  if (v instanceof DuckDBDecimalValue) return fmtDecimal(v);
  if (v instanceof DuckDBTimestampValue) return fmtTimestamp(v.micros);
  if (v instanceof DuckDBDateValue) return fmtDate(v.days);
  return String(v);
}

// RFC 4180 reader that keeps NULL (unquoted empty field) apart from '' ("").
function parseCsv(text) {
  const rows = [];
  let row = [], i = 0;
  const n = text.length;
  if (n === 0) return rows;
  for (;;) {
    let val = null;
    if (text[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const j = text.indexOf('"', i);
        if (j < 0) throw new Error('unterminated quoted field');
        s += text.slice(i, j);
        if (text[j + 1] === '"') { s += '"'; i = j + 2; } else { i = j + 1; break; }
      }
      val = s;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      val = j === i ? null : text.slice(i, j);
      i = j;
    }
    row.push(val);
    if (i >= n) { rows.push(row); break; }
    if (text[i] === ',') { i++; continue; }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    rows.push(row); row = [];
    if (i >= n) break;
  }
  return rows;
}

const FLOAT_TYPES = new Set([DuckDBTypeId.DOUBLE, DuckDBTypeId.FLOAT]);
function numOf(s) {
  if (s === 'inf' || s === 'Infinity' || s === '+inf') return Infinity;
  if (s === '-inf' || s === '-Infinity') return -Infinity;
  if (s === 'nan' || s === 'NaN' || s === '-nan') return NaN;
  return Number(s);
}
function floatEq(a, b) {
  const x = numOf(a), y = numOf(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  const diff = Math.abs(x - y);
  return diff <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) || diff <= 1e-12;
}
function cellEq(a, b, isFloat) {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  return isFloat && floatEq(a, b);
}
// Sort key for multiset comparison: exact columns first, floats (rounded) last.
function sortKey(row, isFloat) {
  const exact = [], fl = [];
  row.forEach((v, i) => {
    const t = v === null ? '\u0000' : '\u0001' + v;
    if (isFloat[i]) fl.push(v === null ? '\u0000' : '\u0001' + (Number.isFinite(numOf(v)) ? numOf(v).toPrecision(8) : v));
    else exact.push(t);
  });
  return exact.concat(fl).join('\u0002');
}

function compare(duckRes, ferretRows, ordered) {
  const { names, isFloat, rows: drows } = duckRes;
  const header = ferretRows.length ? ferretRows[0] : null;
  if (!header) return { ok: false, why: 'ferret printed no header row' };
  if (header.length !== names.length)
    return { ok: false, why: `ferret gave ${header.length} columns (${header.join(', ')}), DuckDB ${names.length} (${names.join(', ')})` };
  const frows = ferretRows.slice(1);
  for (const r of frows) if (r.length !== names.length) return { ok: false, why: `ferret row with ${r.length} fields: ${JSON.stringify(r)}` };
  let headerNote = null;
  const badNames = names.filter((nm, i) => nm !== header[i] && /^[A-Za-z_][A-Za-z0-9_]*$/.test(nm));
  if (badNames.length) return { ok: false, why: `column names differ: DuckDB ${JSON.stringify(names)}, ferret ${JSON.stringify(header)}` };
  if (names.some((nm, i) => nm !== header[i])) headerNote = `expression column names differ (not counted): DuckDB ${JSON.stringify(names)}, ferret ${JSON.stringify(header)}`;
  let a = drows, b = frows;
  if (!ordered) {
    const ka = a.map((r) => [sortKey(r, isFloat), r]).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const kb = b.map((r) => [sortKey(r, isFloat), r]).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    a = ka.map((x) => x[1]); b = kb.map((x) => x[1]);
  }
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ra = a[i], rb = b[i];
    if (!ra || !rb || !ra.every((v, j) => cellEq(v, rb[j], isFloat[j]))) {
      return { ok: false, headerNote,
        why: `${ordered ? 'row' : 'sorted row'} ${i + 1} differs (DuckDB ${a.length} rows, ferret ${b.length} rows)`,
        at: i, duck: a.slice(Math.max(0, i - 1), i + 3), ferret: b.slice(Math.max(0, i - 1), i + 3) };
    }
  }
  return { ok: true, headerNote };
}

// One JSON-lines object -> [[key, {kind, text}]...], numbers kept as their text.
function parseJsonLine(line) {
  let i = 0;
  const ws = () => { while (/\s/.test(line[i] ?? '')) i++; };
  const str = () => {
    const start = i; i++;
    while (line[i] !== '"') { if (line[i] === '\\') i++; i++; if (i > line.length) throw new Error('unterminated string'); }
    i++;
    return JSON.parse(line.slice(start, i));
  };
  const out = [];
  ws(); if (line[i++] !== '{') throw new Error('not an object');
  ws(); if (line[i] === '}') return out;
  for (;;) {
    ws(); if (line[i] !== '"') throw new Error(`key expected at ${i}`);
    const key = str(); ws();
    if (line[i++] !== ':') throw new Error(`':' expected at ${i}`);
    ws();
    let v;
    if (line[i] === '"') v = { kind: 'str', text: str() };
    else {
      const m = /^(null|true|false|-?[0-9][0-9.eE+-]*)/.exec(line.slice(i));
      if (!m) throw new Error(`bad value at ${i}: ${line.slice(i, i + 20)}`);
      i += m[0].length;
      v = m[0] === 'null' ? { kind: 'null', text: null } : (m[0] === 'true' || m[0] === 'false') ? { kind: 'bool', text: m[0] } : { kind: 'num', text: m[0] };
    }
    out.push([key, v]); ws();
    if (line[i] === ',') { i++; continue; }
    if (line[i] === '}') break;
    throw new Error(`',' or '}' expected at ${i}`);
  }
  return out;
}

const NUMERIC_TYPE = /^(DECIMAL|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|UHUGEINT|DOUBLE|FLOAT)/;
// ferret's --format json against DuckDB's values: strings, dates and timestamps as
// JSON strings; numbers (decimals exact) unquoted; non-finite doubles null; NULL null.
function compareJson(duckRes, text, ordered) {
  const lines = text.split('\n').filter((l) => l.length);
  let rows;
  try { rows = lines.map(parseJsonLine); } catch (e) { return { ok: false, why: `bad JSON line: ${e.message}` }; }
  const expect = (v, type, isFloat) => {
    if (v === null) return { kind: 'null', text: null };
    if (type === 'BOOLEAN') return { kind: 'bool', text: v };
    if (NUMERIC_TYPE.test(type)) return isFloat && !Number.isFinite(numOf(v)) ? { kind: 'null', text: null } : { kind: 'num', text: v };
    return { kind: 'str', text: v };
  };
  const { names, types, isFloat } = duckRes;
  for (const r of rows) {
    const keys = r.map(([k]) => k);
    if (keys.length !== names.length || keys.some((k, j) => k !== names[j] && /^[A-Za-z_][A-Za-z0-9_]*$/.test(names[j])))
      return { ok: false, why: `JSON keys ${JSON.stringify(keys)}, DuckDB columns ${JSON.stringify(names)}` };
  }
  // kinds first (row by row in DuckDB's order after the usual sorting), then values through compare()
  const asCells = rows.map((r) => r.map(([, v]) => v));
  const kindOf = (v) => v.kind;
  const sortedDuck = ordered ? duckRes.rows : null;
  for (let i = 0; i < asCells.length && sortedDuck && i < sortedDuck.length; i++) {
    for (let j = 0; j < names.length; j++) {
      const want = expect(sortedDuck[i][j], types[j], isFloat[j]);
      if (want.kind !== kindOf(asCells[i][j]))
        return { ok: false, why: `row ${i + 1} column ${names[j]} (${types[j]}): JSON ${asCells[i][j].kind} ${asCells[i][j].text}, DuckDB renders ${want.kind} ${want.text}` };
    }
  }
  if (!ordered) {
    for (const r of asCells) for (let j = 0; j < names.length; j++) {
      const k = r[j].kind;
      const want = NUMERIC_TYPE.test(types[j]) ? 'num' : types[j] === 'BOOLEAN' ? 'bool' : 'str';
      if (k !== 'null' && k !== want) return { ok: false, why: `column ${names[j]} (${types[j]}): JSON ${k} ${r[j].text}, DuckDB renders ${want}` };
    }
  }
  const duckNullFloats = { ...duckRes, rows: duckRes.rows.map((r) => r.map((v, j) => (isFloat[j] && v !== null && !Number.isFinite(numOf(v)) ? null : v))) };
  const c = compare(duckNullFloats, [names, ...asCells.map((r) => r.map((v) => v.text))], ordered);
  return c;
}

async function runDuck(conn, sql) {
  const r = await conn.runAndReadAll(sql);
  const names = r.columnNames();
  const types = r.columnTypes();
  return { names, types: types.map((t) => t.toString()), isFloat: types.map((t) => FLOAT_TYPES.has(t.typeId)),
    rows: r.getRows().map((row) => row.map(duckText)) };
}

// ------------------------------------------------------------------ main

const showRow = (r) => (r ? r.map((v) => (v === null ? 'NULL' : JSON.stringify(v))).join(', ') : '(none)');

function classify(stderr, rc) {
  const e = stderr.toLowerCase();
  if (/not (yet )?supported|unsupported/.test(e)) return 'unsupported';
  if (/syntax|parse error|unexpected/.test(e)) return 'parse error';
  if (/did you mean|unknown (column|table)|not found|no such/.test(e)) return 'binder error';
  if (rc === 124) return 'timeout';
  if (rc > 3 || rc < 0) return 'crash';
  return `error (exit ${rc})`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let queries = loadCorpus(path.join(here, 'queries'));
  const nHand = queries.length;
  queries = queries.concat(generate(o.generated, o.seed));
  if (o.list) {
    for (const q of queries) console.log(`${q.id}\t${[...constructsOf(q)].join(' ')}\t${q.sql.replace(/\s+/g, ' ')}`);
    return 0;
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('SET threads = 2');
  let env;
  try { env = await setup(o, conn); } catch (e) { console.error(`setup failed: ${e.message}`); return 3; }
  for (const s of env.skipped) console.error(`SKIP (real data): ${s}`);
  console.log(`tables: ${Object.entries(env.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (o.filter) queries = queries.filter((q) => o.filter.test(q.id));
  // --check-corpus: the same tables with their rows shuffled, in schema shuf, read
  // through a second connection; every query must give the same answer there, or
  // its ORDER BY (top level or in a window) is not total.
  let conn2 = null;
  if (o.checkCorpus) {
    await conn.run('CREATE SCHEMA IF NOT EXISTS shuf');
    await conn.run('SELECT setseed(0.25)');
    for (const name of env.tables.keys()) await conn.run(`CREATE OR REPLACE TABLE shuf.${qi(name)} AS SELECT * FROM main.${qi(name)} ORDER BY random()`);
    conn2 = await instance.connect();
    await conn2.run("SET schema = 'shuf'");
  }
  console.log(`${queries.length} queries (${nHand} hand-written, ${o.generated} generated); ferret threads ${o.threads.join(',')}`);

  const results = [];
  const coverage = new Map(CONSTRUCTS.map(([n]) => [n, { total: 0, passed: 0 }]));
  let passed = 0, failed = 0, skippedQ = 0, shown = 0;
  const t0 = Date.now();
  for (const q of queries) {
    const missing = q.requires.filter((t) => !env.tables.has(t));
    if (missing.length) { skippedQ++; results.push({ id: q.id, status: 'skipped', why: `needs ${missing.join(', ')}` }); continue; }
    const cons = constructsOf(q);
    const ordered = topLevelOrderBy(q.sql) && !q.unordered;
    const res = { id: q.id, file: q.file, line: q.line, sql: q.sql, constructs: [...cons], ordered, status: 'passed', runs: [] };
    let duckRes;
    try { duckRes = await runDuck(conn, q.sql); } catch (e) {
      res.status = 'failed'; res.cause = 'DuckDB rejects the query (corpus bug)'; res.why = e.message;
    }
    if (duckRes) { res.duckTypes = duckRes.types; res.duckRows = duckRes.rows.length; }
    if (duckRes && conn2) {
      const again = await runDuck(conn2, q.sql);
      const c = compare(duckRes, [again.names, ...again.rows], ordered);
      if (!c.ok) {
        res.status = 'failed'; res.cause = 'nondeterministic (DuckDB differs on shuffled input: corpus bug)';
        res.runs.push({ threads: 'shuffled', ok: false, why: c.why, duck: c.duck, ferret: c.ferret, other: 'shuffled' });
      }
    }
    if (duckRes && !o.duckOnly) {
      for (const th of o.threads) {
        const r = await run(o.ferret, ['query', env.store, q.sql, '--format', 'csv', '--threads', String(th)], { timeout: o.timeout });
        const run1 = { threads: th, rc: r.rc };
        if (r.rc !== 0) {
          run1.ok = false; run1.cause = classify(r.stderr, r.rc);
          run1.why = `exit ${r.rc}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.trim().slice(0, 600)}`;
        } else {
          let rows;
          try { rows = parseCsv(r.stdout); } catch (e) { rows = null; run1.ok = false; run1.cause = 'bad CSV'; run1.why = e.message; }
          if (rows) {
            const c = compare(duckRes, rows, ordered);
            Object.assign(run1, c);
            if (!c.ok) run1.cause = c.why.startsWith('column names') ? 'column names' : (c.why.includes('columns') ? 'column count' : 'wrong answer');
          }
        }
        res.runs.push(run1);
      }
      const qi1 = queries.indexOf(q);
      const th2 = o.threads[o.threads.length - 1];
      if (o.jsonEvery > 0 && qi1 % o.jsonEvery === 0 && res.runs.every((x) => x.ok)) {
        const r = await run(o.ferret, ['query', env.store, q.sql, '--format', 'json', '--threads', String(th2)], { timeout: o.timeout });
        const run1 = { threads: `${th2} json`, rc: r.rc };
        if (r.rc !== 0) { run1.ok = false; run1.cause = `--format json: ${classify(r.stderr, r.rc)}`; run1.why = `exit ${r.rc}: ${r.stderr.trim().slice(0, 600)}`; }
        else { Object.assign(run1, compareJson(duckRes, r.stdout, ordered)); if (!run1.ok) run1.cause = '--format json rendering'; }
        res.runs.push(run1);
      }
      if (o.tableEvery > 0 && qi1 % o.tableEvery === 0 && res.runs.every((x) => x.ok)) {
        const r = await run(o.ferret, ['query', env.store, q.sql, '--format', 'table', '--threads', String(th2)], { timeout: o.timeout });
        const run1 = { threads: `${th2} table`, rc: r.rc, ok: r.rc === 0 };
        if (r.rc !== 0) { run1.cause = `--format table: ${classify(r.stderr, r.rc)}`; run1.why = `exit ${r.rc}: ${r.stderr.trim().slice(0, 600)}`; }
        else {
          const missingName = duckRes.names.find((nm) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(nm) && !r.stdout.includes(nm));
          if (missingName) { run1.ok = false; run1.cause = '--format table rendering'; run1.why = `table output lacks the column name ${missingName}: ${r.stdout.slice(0, 300)}`; }
        }
        res.runs.push(run1);
      }
      // Constructs outside the subset (tag extension) may be refused as unsupported.
      if (q.tags.includes('extension'))
        for (const r1 of res.runs) if (!r1.ok && r1.cause === 'unsupported') { r1.ok = true; r1.refused = true; }
      const bad = res.runs.find((x) => !x.ok);
      if (bad) { res.status = 'failed'; res.cause = bad.cause; res.why = bad.why; }
    }
    for (const c of cons) {
      if (!coverage.has(c)) coverage.set(c, { total: 0, passed: 0 });
      const e = coverage.get(c); e.total++; if (res.status === 'passed') e.passed++;
    }
    if (res.status === 'passed') passed++;
    else {
      failed++;
      if (shown < o.maxShow) {
        shown++;
        console.log(`\n--- FAIL ${q.id} (${q.file}${q.line ? `:${q.line}` : ''}) [${res.cause}]`);
        console.log(`    ${q.sql.replace(/\n/g, '\n    ')}`);
        console.log(`    DuckDB types: ${(res.duckTypes ?? []).join(', ')}; ${ordered ? 'ordered' : 'multiset'} comparison`);
        for (const r1 of res.runs.filter((x) => !x.ok)) {
          console.log(`    threads ${r1.threads}: ${r1.why}`);
          if (r1.duck) {
            const list = (rs) => (rs.length ? rs.map(showRow).join('\n              ') : '(no rows)');
            console.log(`      DuckDB: ${list(r1.duck)}`);
            console.log(`      ${(r1.other ?? 'ferret').padEnd(6)}: ${list(r1.ferret)}`);
          }
        }
        if (!res.runs.length) console.log(`    ${res.why}`);
      }
    }
    results.push(res);
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (failed > shown) console.log(`\n(${failed - shown} more failures not shown; --max-show N or --report FILE for all)`);

  // failures by cause
  const byCause = new Map();
  for (const r of results.filter((x) => x.status === 'failed')) byCause.set(r.cause, (byCause.get(r.cause) ?? 0) + 1);
  if (byCause.size) {
    console.log('\nfailures by cause:');
    for (const [c, n] of [...byCause].sort((x, y) => y[1] - x[1])) console.log(`  ${String(n).padStart(4)}  ${c}`);
  }
  // coverage
  console.log('\ncoverage (construct: queries using it, of which passed):');
  const uncovered = [];
  const req = new Set(CONSTRUCTS.map(([n]) => n));
  const lines = [];
  for (const [name, e] of coverage) {
    if (req.has(name) && e.total === 0) uncovered.push(name);
    if (o.filter && e.total === 0) continue;
    lines.push(`  ${name.padEnd(22)} ${String(e.total).padStart(4)} ${String(e.passed).padStart(4)}${e.total === 0 ? '  NOT COVERED' : ''}`);
  }
  for (let i = 0; i < lines.length; i += 3) console.log(lines.slice(i, i + 3).map((l) => l.padEnd(38)).join(''));
  const notes = results.filter((r) => r.runs?.some((x) => x.headerNote)).length;
  if (notes) console.log(`\n${notes} queries whose expression column names differ from DuckDB's (not counted as failures)`);
  if (skippedQ) console.log(`${skippedQ} queries skipped (real data absent)`);
  if (o.report) fs.writeFileSync(o.report, JSON.stringify({ passed, failed, skipped: skippedQ, results }, null, 1));
  console.log(`\n${passed} passed, ${failed} failed (${secs} s)`);
  if (uncovered.length && !o.filter) { console.log(`corpus does not cover: ${uncovered.join(', ')}`); return 1; }
  conn.closeSync(); instance.closeSync();
  return failed ? 1 : 0;
}

main().then((rc) => process.exit(rc), (e) => { console.error(e.stack || String(e)); process.exit(3); });
