// Bulk-load measurement (not a test): node test/destinations/measure-bulk-load.mjs [rows]
// Compares the ways @duckdb/node-api can bulk insert typed rows inside one transaction.
import { DuckDBInstance, DuckDBTimestampTZValue, DuckDBDataChunk, BIGINT, VARCHAR, BOOLEAN, DOUBLE, TIMESTAMPTZ } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROWS = Number(process.argv[2] ?? 200_000);
const BATCH = 5_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-measure-'));
const cols = ['id BIGINT', 'name VARCHAR', 'active BOOLEAN', 'score DOUBLE', 'changed TIMESTAMP WITH TIME ZONE', 'meta JSON', 'system_id BIGINT', 'platform VARCHAR', '_dlt_load_id VARCHAR', '_dlt_id VARCHAR'];
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const rows = Array.from({ length: ROWS }, (_, i) => [i, `account-${i}-${rand().toString(36).slice(2, 8)}`, rand() > 0.5, rand() * 1000,
  1_700_000_000_000_000n + BigInt(i) * 1_000_000n, i % 7 === 0 ? null : JSON.stringify({ k: i % 13 }), i % 500, 'Windows', '1749667187.541553', `id${i}`]);

async function withDb(name, fn) {
  const inst = await DuckDBInstance.create(path.join(dir, `${name}.duckdb`));
  const c = await inst.connect();
  await c.run(`CREATE TABLE t (${cols.join(', ')})`);
  const start = performance.now();
  await c.run('BEGIN');
  await fn(c);
  await c.run('COMMIT');
  const ms = performance.now() - start;
  const n = (await c.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0];
  c.closeSync(); inst.closeSync();
  console.log(`${name.padEnd(22)} ${String(n).padStart(8)} rows  ${ms.toFixed(0).padStart(6)} ms  ${(Number(n) / ms * 1000).toFixed(0).padStart(9)} rows/s`);
}

const appendValue = (ap, v, j) => {
  if (v === null) return ap.appendNull();
  switch (j) {
    case 0: case 6: return ap.appendBigInt(BigInt(v));
    case 2: return ap.appendBoolean(v);
    case 3: return ap.appendDouble(v);
    case 4: return ap.appendTimestampTZ(new DuckDBTimestampTZValue(v));
    default: return ap.appendVarchar(v);
  }
};

await withDb('appender-row', async (c) => {
  const ap = await c.createAppender('t');
  for (const r of rows) { for (let j = 0; j < r.length; j++) appendValue(ap, r[j], j); ap.endRow(); }
  ap.flushSync(); ap.closeSync();
});

await withDb('appender-datachunk', async (c) => {
  const ap = await c.createAppender('t');
  const types = [BIGINT, VARCHAR, BOOLEAN, DOUBLE, TIMESTAMPTZ, VARCHAR, BIGINT, VARCHAR, VARCHAR, VARCHAR];
  for (let o = 0; o < rows.length; o += 2048) {
    const slice = rows.slice(o, o + 2048);
    const chunk = DuckDBDataChunk.create(types, slice.length);
    chunk.setColumns(types.map((_, j) => slice.map((r) => r[j] === null ? null : j === 0 || j === 6 ? BigInt(r[j]) : j === 4 ? new DuckDBTimestampTZValue(r[j]) : r[j])));
    ap.appendDataChunk(chunk);
  }
  ap.flushSync(); ap.closeSync();
});

const csvCell = (v) => v === null ? '' : typeof v === 'string' ? `"${v.replaceAll('"', '""')}"` : String(v);
await withDb('staged-csv', async (c) => {
  const pending = [];
  for (let o = 0, b = 0; o < rows.length; o += BATCH, b++) {
    const file = path.join(dir, `b${b}.csv`);
    fs.writeFileSync(file, rows.slice(o, o + BATCH).map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
    pending.push(c.run(`INSERT INTO t SELECT id, name, active, score, make_timestamp(changed)::TIMESTAMPTZ, meta, system_id, platform, _dlt_load_id, _dlt_id FROM read_csv('${file}', header=false, columns={'id':'BIGINT','name':'VARCHAR','active':'BOOLEAN','score':'DOUBLE','changed':'BIGINT','meta':'VARCHAR','system_id':'BIGINT','platform':'VARCHAR','_dlt_load_id':'VARCHAR','_dlt_id':'VARCHAR'}, quote='"', escape='"', nullstr='')`));
    await pending.shift();
  }
  await Promise.all(pending);
});

await withDb('staged-ndjson', async (c) => {
  for (let o = 0, b = 0; o < rows.length; o += BATCH, b++) {
    const file = path.join(dir, `b${b}.jsonl`);
    fs.writeFileSync(file, rows.slice(o, o + BATCH).map((r) => JSON.stringify(r, (_k, v) => typeof v === 'bigint' ? Number(v) : v)).join('\n') + '\n');
    await c.run(`INSERT INTO t SELECT j[1]::BIGINT, j[2], j[3]::BOOLEAN, j[4]::DOUBLE, make_timestamp(j[5]::BIGINT)::TIMESTAMPTZ, j[6], j[7]::BIGINT, j[8], j[9], j[10] FROM (SELECT json::JSON->>'$[*]' AS j FROM read_json_objects('${file}', format='newline_delimited'))`);
  }
});

await withDb('insert-values', async (c) => {
  const lit = (v, j) => v === null ? 'NULL' : j === 4 ? `make_timestamp(${v})::TIMESTAMPTZ` : typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v);
  for (let o = 0; o < rows.length; o += BATCH) {
    await c.run(`INSERT INTO t VALUES ${rows.slice(o, o + BATCH).map((r) => `(${r.map(lit).join(',')})`).join(',')}`);
  }
});
fs.rmSync(dir, { recursive: true, force: true });
