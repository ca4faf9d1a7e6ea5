import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbLoadSession, readDestinationSnapshot } from '../../src/destinations/duckdb/index.js';
import { BtError } from '../../src/errors.js';
import type { StoredSchema } from '../../src/normalize/types.js';
import { column, makeTempDir, query, schemaOf, table } from './helpers.js';

const ROOT = [column('_dlt_id', 'text'), column('_dlt_load_id', 'text')];
const NESTED = [column('_dlt_id', 'text'), column('_dlt_parent_id', 'text'), column('_dlt_list_idx', 'bigint'), column('_dlt_root_id', 'text')];

function accountsSchema(disposition: 'merge' | 'replace' | 'append' = 'merge'): StoredSchema {
  return schemaOf([
    table('accounts', 'accounts', disposition, [...ROOT, column('id', 'bigint', { primary_key: true }), column('name', 'text')]),
    table('accounts__tags', 'accounts', disposition, [...NESTED, column('value', 'text')], 'accounts'),
  ]);
}

let dir: string;
let cleanup: () => Promise<void>;
let dbPath: string;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  dbPath = path.join(dir, 'p.duckdb');
});
afterEach(async () => cleanup());

async function load(schema: StoredSchema, loadId: string, rows: { table: string; columns: string[]; rows: unknown[][] }[], cursor = 0): Promise<void> {
  const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
  try {
    for (const r of rows) {
      const t = schema.tables[r.table]!;
      await session.writeRows(t, r, t.write_disposition, schema);
    }
    await session.commit({
      loadId,
      schema,
      state: { pipeline_name: 'p', dataset_name: 'ds', sources: { test_source: { resources: { accounts: { incremental: { cursor_path: 'id', last_value: cursor } } } } } },
    });
  } finally {
    await session.close();
  }
}

function account(id: number, name: string, tags: string[], loadId: string): { root: unknown[]; tags: unknown[][] } {
  const rootId = `r${id}-${loadId}`;
  return { root: [rootId, loadId, id, name], tags: tags.map((tag, i) => [`${rootId}-${i}`, rootId, i, rootId, tag]) };
}

function accountRows(loadId: string, accounts: [number, string, string[]][]) {
  const built = accounts.map(([id, name, tags]) => account(id, name, tags, loadId));
  return [
    { table: 'accounts', columns: ['_dlt_id', '_dlt_load_id', 'id', 'name'], rows: built.map((b) => b.root) },
    { table: 'accounts__tags', columns: ['_dlt_id', '_dlt_parent_id', '_dlt_list_idx', '_dlt_root_id', 'value'], rows: built.flatMap((b) => b.tags) },
  ];
}

describe('DuckDbLoadSession', () => {
  it('stores every data type and writes _dlt_loads, _dlt_version and the state in the same commit', async () => {
    const schema = schemaOf([
      table('typed', 'typed', 'append', [
        ...ROOT,
        column('b', 'bigint'),
        column('d', 'double'),
        column('f', 'bool'),
        column('t', 'text'),
        column('j', 'json'),
        column('ts', 'timestamp'),
        column('day', 'date'),
      ]),
    ]);
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    await session.writeRows(
      schema.tables['typed']!,
      { table: 'typed', columns: ['_dlt_id', '_dlt_load_id', 'b', 'd', 'f', 't', 'j', 'ts', 'day'], rows: [['a', '1.5', 2 ** 40, 1.25, true, 'x', '{"k":[1]}', 1_700_000_000_123_456n, 19_000], ['b', '1.5', null, null, null, null, null, null, null]] },
      'append',
      schema,
    );
    await session.commit({ loadId: '1.5', schema, state: { pipeline_name: 'p', dataset_name: 'ds', sources: { s: { resources: { typed: { incremental: { cursor_path: 'x', last_value: 'v1' } } } } } } });
    await session.close();

    const rows = await query(
      dbPath,
      `SELECT b, d, f, t, j->>'$.k[0]', strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%f'), day::VARCHAR FROM ds.typed ORDER BY _dlt_id`,
    );
    expect(rows).toEqual([
      [BigInt(2 ** 40), 1.25, true, 'x', '1', '2023-11-14T22:13:20.123456', '2022-01-08'],
      [null, null, null, null, null, null, null],
    ]);
    const types = await query(dbPath, `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema='ds' AND table_name='typed' ORDER BY ordinal_position`);
    expect(types.slice(2)).toEqual([
      ['b', 'BIGINT'], ['d', 'DOUBLE'], ['f', 'BOOLEAN'], ['t', 'VARCHAR'], ['j', 'JSON'], ['ts', 'TIMESTAMP WITH TIME ZONE'], ['day', 'DATE'],
    ]);
    expect(await query(dbPath, 'SELECT load_id, schema_name, status, schema_version_hash FROM ds._dlt_loads')).toEqual([['1.5', 'test_source', 0n, 'hash-1']]);
    expect(await query(dbPath, 'SELECT version, schema_name, version_hash FROM ds._dlt_version')).toEqual([[1n, 'test_source', 'hash-1']]);

    const reopened = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    try {
      expect(reopened.restoredState?.sources?.['s']?.resources).toEqual({ typed: { incremental: { cursor_path: 'x', last_value: 'v1' } } });
      expect((await reopened.restoredSchema('test_source'))?.tables['typed']?.columns['ts']?.data_type).toBe('timestamp');
    } finally {
      await reopened.close();
    }
  });

  it('leaves the file as it was when the load is not committed', async () => {
    const schema = accountsSchema('append');
    await load(schema, '1.0', accountRows('1.0', [[1, 'a', ['x']]]));
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    const evolved = schemaOf([
      ...Object.values(schema.tables),
      table('other', 'other', 'append', [...ROOT, column('v', 'text')]),
    ]);
    evolved.tables['accounts']!.columns['extra'] = column('extra', 'text');
    await session.writeRows(evolved.tables['accounts']!, { table: 'accounts', columns: ['_dlt_id', '_dlt_load_id', 'id', 'extra'], rows: [['z', '2.0', 9, 'e']] }, 'append', evolved);
    await session.writeRows(evolved.tables['other']!, { table: 'other', columns: ['_dlt_id', '_dlt_load_id', 'v'], rows: [['o', '2.0', 'v']] }, 'append', evolved);
    await session.close(); // no commit → rollback

    expect(await query(dbPath, 'SELECT id FROM ds.accounts')).toEqual([[1n]]);
    expect(await query(dbPath, "SELECT table_name FROM information_schema.tables WHERE table_schema='ds' ORDER BY 1")).toEqual([
      ['_dlt_loads'], ['_dlt_pipeline_state'], ['_dlt_version'], ['accounts'], ['accounts__tags'],
    ]);
    expect(await query(dbPath, "SELECT count(*) FROM information_schema.columns WHERE table_name='accounts' AND column_name='extra'")).toEqual([[0n]]);
    expect(await query(dbPath, 'SELECT load_id FROM ds._dlt_loads')).toEqual([['1.0']]);
  });

  it('merges on the primary key: last row wins, nested rows of replaced records go away, no duplicates', async () => {
    const schema = accountsSchema('merge');
    await load(schema, '1.0', accountRows('1.0', [[1, 'one', ['a', 'b']], [2, 'two', ['c']]]));
    // Second load: id 1 twice (last wins) with fewer tags, id 3 new; id 2 untouched.
    const second = accountRows('2.0', [[1, 'one-old', ['x', 'y', 'z']], [3, 'three', ['d']]]);
    const again = accountRows('2.1', [[1, 'one-new', ['q']]]);
    await load(schema, '2.0', [...second, ...again]);

    expect(await query(dbPath, 'SELECT id, name FROM ds.accounts ORDER BY id')).toEqual([[1n, 'one-new'], [2n, 'two'], [3n, 'three']]);
    expect(await query(dbPath, 'SELECT a.id, t.value FROM ds.accounts__tags t JOIN ds.accounts a ON t._dlt_parent_id = a._dlt_id ORDER BY 1, 2')).toEqual([
      [1n, 'q'], [2n, 'c'], [3n, 'd'],
    ]);
    expect(await query(dbPath, 'SELECT count(*) FROM ds.accounts__tags')).toEqual([[3n]]);
    expect(await query(dbPath, "SELECT count(*) FROM duckdb_tables() WHERE temporary")).toEqual([[0n]]);
  });

  it('replace empties the resource tables (root and nested) inside the load', async () => {
    const schema = accountsSchema('replace');
    await load(schema, '1.0', accountRows('1.0', [[1, 'a', ['x', 'y']], [2, 'b', ['z']]]));
    await load(schema, '2.0', accountRows('2.0', [[3, 'c', ['w']]]));
    expect(await query(dbPath, 'SELECT id FROM ds.accounts')).toEqual([[3n]]);
    expect(await query(dbPath, 'SELECT value FROM ds.accounts__tags')).toEqual([['w']]);
  });

  it('adds columns mid-load after rows were written (schema evolution inside the transaction)', async () => {
    const schema = accountsSchema('append');
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    await session.writeRows(schema.tables['accounts']!, accountRows('1.0', [[1, 'a', []]])[0]!, 'append', schema);
    const evolved = structuredClone(schema);
    evolved.tables['accounts']!.columns['change_state__v_text'] = column('change_state__v_text', 'text', { variant: true });
    await session.writeRows(evolved.tables['accounts']!, { table: 'accounts', columns: ['_dlt_id', '_dlt_load_id', 'id', 'change_state__v_text'], rows: [['r2', '1.0', 2, 'changed']] }, 'append', evolved);
    await session.commit({ loadId: '1.0', schema: evolved, state: { pipeline_name: 'p', dataset_name: 'ds' } });
    await session.close();
    expect(await query(dbPath, 'SELECT id, name, change_state__v_text FROM ds.accounts ORDER BY id')).toEqual([[1n, 'a', null], [2n, null, 'changed']]);
  });

  it('a value that does not fit its column fails the load with LOAD_BAD_VALUE and rolls back', async () => {
    const schema = accountsSchema('append');
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    const attempt = session.writeRows(schema.tables['accounts']!, { table: 'accounts', columns: ['_dlt_id', 'id'], rows: [['x', 'not-a-number']] }, 'append', schema);
    await expect(attempt).rejects.toMatchObject({ code: 'LOAD_BAD_VALUE', details: { step: 'load', table: 'accounts', column: 'id' } });
    await session.close();
    expect(await query(dbPath, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'accounts'")).toEqual([[0n]]);
  });
});

describe('DuckDB file lock', () => {
  it('a second writer or reader in the same process gets DB_LOCKED while a load holds the file', async () => {
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    try {
      await expect(DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' })).rejects.toMatchObject({ code: 'DB_LOCKED' });
      await expect(readDestinationSnapshot(dbPath, 'ds', 'p')).rejects.toMatchObject({ code: 'DB_LOCKED' });
    } finally {
      await session.close();
    }
    expect((await readDestinationSnapshot(dbPath, 'ds', 'p')).loads).toEqual([]);
  });

  it('a writer or reader in another process than the lock holder gets DB_LOCKED naming the pid, without hanging', async () => {
    const holderScript = `
      const { DuckDBInstance } = await import(${JSON.stringify(import.meta.resolve('@duckdb/node-api'))});
      const instance = await DuckDBInstance.create(process.argv[1]);
      await instance.connect();
      process.stdout.write('ready\\n');
      process.stdin.on('data', () => process.exit(0));
    `;
    const holder = spawn(process.execPath, ['--input-type=module', '-e', holderScript, dbPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      const writer = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' }).catch((e: unknown) => e);
      expect(writer).toBeInstanceOf(BtError);
      expect(writer).toMatchObject({ code: 'DB_LOCKED', details: { pid: holder.pid } });
      expect((writer as BtError).message).toContain(`A load is running on ${dbPath} (pid ${holder.pid})`);
      await expect(readDestinationSnapshot(dbPath, 'ds', 'p')).rejects.toMatchObject({ code: 'DB_LOCKED' });
    } finally {
      holder.stdin.write('bye\n');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // The lock is gone with the holder: a writer opens the file again.
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    await session.close();
  });
});
