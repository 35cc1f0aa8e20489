#!/usr/bin/env node
// run_sql.mjs - the reference SQL of the cardinal-rs indicators (tests/cardinal/r*.sql),
// run by DuckDB on a file of OCDS compiled releases, printed as cardinal-rs's result
// object: {"OCID":{"ocds-1":{"R003":1.0}},"Buyer":{...},...}, keys sorted, one line.
//
//   node tests/cardinal/run_sql.mjs FILE.jsonl[.zst|.gz] [--threads N] [--timing] [--rows]
//
// Only the default settings exist here (each query carries them as literals).
// --timing: load and per-query seconds on stderr; --rows: the raw (grp, id, indicator,
// value) rows as JSON lines instead of the object.  DuckDB comes from bench/node_modules
// (npm ci --prefix bench).  Exit status: 0 ok, 1 DuckDB / I/O error, 2 bad usage.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const usage = 'usage: node tests/cardinal/run_sql.mjs FILE.jsonl[.zst|.gz] [--threads N] [--timing] [--rows]\n' +
  '       [--db-dir DIR] [--memory-limit SIZE]';
const args = process.argv.slice(2);
let file = null, threads = null, timing = false, rows = false, dbDir = null, memoryLimit = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--threads') threads = Number(args[++i]);
  else if (args[i] === '--timing') timing = true;
  else if (args[i] === '--rows') rows = true;
  else if (args[i] === '--db-dir') dbDir = args[++i];          // a database file there: DuckDB can spill
  else if (args[i] === '--memory-limit') memoryLimit = args[++i];
  else if (!args[i].startsWith('--') && file === null) file = args[i];
  else { console.error(`run_sql: unknown argument '${args[i]}'\n${usage}`); process.exit(2); }
}
if (file === null || (threads !== null && !(threads >= 1))) { console.error(usage); process.exit(2); }
if (!fs.existsSync(file)) { console.error(`run_sql: no such file: ${file}`); process.exit(2); }

// @duckdb/node-api lives in bench/node_modules, not next to this script.
const require = createRequire(path.join(here, '..', '..', 'bench', 'package.json'));
let duckdb;
try { duckdb = await import(require.resolve('@duckdb/node-api')); } catch (e) {
  console.error(`run_sql: @duckdb/node-api not found (npm ci --prefix bench): ${e.message}`); process.exit(1);
}

const GROUPS = ['OCID', 'Buyer', 'ProcuringEntity', 'Tenderer'];
const sql = fs.readdirSync(here).filter((f) => /^r\d{3}\.sql$/.test(f)).sort();
if (sql.length !== 11) { console.error(`run_sql: expected 11 r*.sql files in ${here}, found ${sql.length}`); process.exit(1); }

const secs = (t0) => (Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3);
// cardinal-rs prints every value as an f64 (1.0, not 1); shortest round-trip text otherwise.
const num = (v) => (Number.isFinite(v) && Number.isInteger(v) && Math.abs(v) < 1e16 ? v.toFixed(1) : JSON.stringify(v));

// In memory by default; with --db-dir a database file there (removed at the end), so
// that a large input (10^6 releases are 2 GB of JSON) can be spilled to disk.
const dbFile = dbDir ? path.join(dbDir, `cardinal-${process.pid}.duckdb`) : null;
const db = await duckdb.DuckDBInstance.create(dbFile ?? ':memory:');
const conn = await db.connect();
try {
  if (threads) await conn.run(`SET threads = ${threads}`);
  if (memoryLimit) await conn.run(`SET memory_limit = '${memoryLimit.replace(/'/g, "''")}'`);
  let t0 = process.hrtime.bigint();
  // One row per line that is a JSON object with a string ocid, as `ferret ingest --format
  // ocds` keeps them; `line` keeps the file order (the first observed currency depends on it).
  const lit = `'${file.replace(/'/g, "''")}'`;
  await conn.run(`CREATE TABLE raw AS SELECT json AS release FROM read_json_objects(${lit}, format = 'newline_delimited')`);
  await conn.run(`CREATE TABLE releases AS SELECT rowid + 1 AS line, release FROM raw
                  WHERE json_type(release) = 'OBJECT' AND json_type(release, '$.ocid') = 'VARCHAR' ORDER BY line`);
  await conn.run('DROP TABLE raw');
  // The steps several queries share (views and a macro): statements ending in ";" at a line end.
  for (const stmt of fs.readFileSync(path.join(here, 'shared.sql'), 'utf8').split(/;[ \t]*$/m))
    if (stmt.replace(/--.*$/gm, '').trim()) await conn.run(stmt);
  if (timing) console.error(`load ${secs(t0)} s`);
  const out = Object.fromEntries(GROUPS.map((g) => [g, {}]));
  const seen = new Set();
  for (const f of sql) {
    t0 = process.hrtime.bigint();
    const res = await conn.runAndReadAll(fs.readFileSync(path.join(here, f), 'utf8'));
    const names = res.columnNames().join(',');
    if (names !== 'grp,id,indicator,value') throw new Error(`${f}: columns are ${names}, want grp,id,indicator,value`);
    for (const [grp, id, ind, value] of res.getRows()) {
      // Each (grp, id, indicator) must come once: a query that emits two values is a bug.
      const key = JSON.stringify([grp, id, ind]);
      if (!GROUPS.includes(grp) || seen.has(key)) throw new Error(`${f}: bad or repeated row ${key}`);
      seen.add(key);
      if (rows) { console.log(JSON.stringify({ grp, id, indicator: ind, value })); continue; }
      (out[grp][id] ??= {})[ind] = value;
    }
    if (timing) console.error(`${f} ${secs(t0)} s, ${res.currentRowCount} rows`);
  }
  if (!rows) {
    // cardinal-rs leaves out empty groups.
    const obj = (o, f) => '{' + Object.keys(o).sort().map((k) => JSON.stringify(k) + ':' + f(o[k])).join(',') + '}';
    const kept = Object.fromEntries(GROUPS.filter((g) => Object.keys(out[g]).length).map((g) => [g, out[g]]));
    console.log(obj(kept, (ids) => obj(ids, (inds) => obj(inds, num))));
  }
} catch (e) {
  console.error(`run_sql: ${e.message}`);
  process.exitCode = 1;
} finally {
  conn.closeSync(); db.closeSync();
  if (dbFile) for (const f of [dbFile, dbFile + '.wal']) fs.rmSync(f, { force: true });
}
