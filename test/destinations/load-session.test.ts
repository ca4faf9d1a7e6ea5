import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbLoadSession, openDatabase, readDestinationSnapshot, readLoadBaseline } from '../../src/destinations/duckdb/index.js';
import { BtError } from '../../src/errors.js';
import type { StoredSchema } from '../../src/normalize/types.js';
import { column, holdFile, makeTempDir, query, schemaOf, table } from './helpers.js';

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

  it('merge refuses root rows with a NULL primary key (MERGE_NULL_KEY naming table, column and count) and commits nothing', async () => {
    const schema = accountsSchema('merge');
    await load(schema, '1.0', accountRows('1.0', [[1, 'one', ['a']]]));
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    try {
      const rows = { table: 'accounts', columns: ['_dlt_id', '_dlt_load_id', 'id', 'name'], rows: [['x1', '2.0', null, 'no key'], ['x2', '2.0', 5, 'five'], ['x3', '2.0', null, 'no key either']] };
      const failure = await session.writeRows(schema.tables['accounts']!, rows, 'merge', schema).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(BtError);
      expect(failure).toMatchObject({ code: 'MERGE_NULL_KEY', details: { step: 'load', table: 'accounts', primary_key: ['id'], rows: 2, null_columns: { id: 2 } } });
      expect((failure as BtError).message).toContain('Table accounts is loaded with merge on primary key (id), but 2 row(s) have a NULL key (id: 2)');
      // A batch without the key column at all: every row lacks it.
      const keyless = { table: 'accounts', columns: ['_dlt_id', '_dlt_load_id', 'name'], rows: [['y1', '2.0', 'n']] };
      await expect(session.writeRows(schema.tables['accounts']!, keyless, 'merge', schema)).rejects.toMatchObject({ code: 'MERGE_NULL_KEY', details: { null_columns: { id: 1 } } });
      // Append keeps such rows (no key semantics there).
      await session.writeRows(schema.tables['accounts']!, rows, 'append', schema);
    } finally {
      await session.close();
    }
    expect(await query(dbPath, 'SELECT id, name FROM ds.accounts ORDER BY id')).toEqual([[1n, 'one']]);
    expect(await query(dbPath, 'SELECT load_id FROM ds._dlt_loads')).toEqual([['1.0']]);
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
  const NO_WAIT = { lockWaitMs: 0 };

  it('a second writer or reader in the same process gets DB_LOCKED while a load holds the file', async () => {
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    try {
      await expect(DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p', ...NO_WAIT })).rejects.toMatchObject({ code: 'DB_LOCKED', details: { holder: 'writer', pid: process.pid } });
      await expect(readDestinationSnapshot(dbPath, 'ds', 'p')).rejects.toMatchObject({ code: 'DB_LOCKED' });
    } finally {
      await session.close();
    }
    expect((await readDestinationSnapshot(dbPath, 'ds', 'p')).loads).toEqual([]);
  });

  it('a writer or reader in another process than a WRITING lock holder gets DB_LOCKED "a load is running" naming the pid', async () => {
    const holder = await holdFile(dbPath, { readOnly: false });
    try {
      const writer = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p', ...NO_WAIT }).catch((e: unknown) => e);
      expect(writer).toBeInstanceOf(BtError);
      expect(writer).toMatchObject({ code: 'DB_LOCKED', details: { pid: holder.pid, holder: 'writer' } });
      expect((writer as BtError).message).toContain(`A load is running on ${dbPath} (pid ${holder.pid})`);
      const reader = await readDestinationSnapshot(dbPath, 'ds', 'p').catch((e: unknown) => e);
      expect(reader).toMatchObject({ code: 'DB_LOCKED', details: { pid: holder.pid, holder: 'writer' } });
      expect((reader as BtError).message).toContain('A load is running');
    } finally {
      await holder.release();
    }
    // The lock is gone with the holder: a writer opens the file again.
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    await session.close();
  });

  it('a writer blocked by a READING process gets a neutral DB_LOCKED naming the reader, not "a load is running"', async () => {
    await load(accountsSchema('append'), '1.0', accountRows('1.0', [[1, 'a', []]]));
    const holder = await holdFile(dbPath, { readOnly: true });
    try {
      const writer = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p', lockWaitMs: 200 }).catch((e: unknown) => e);
      expect(writer).toBeInstanceOf(BtError);
      const error = writer as BtError;
      expect(error).toMatchObject({ code: 'DB_LOCKED', details: { step: 'load', pid: holder.pid, holder: 'reader', db_path: dbPath } });
      expect(error.message).toBe(`The database file ${dbPath} is held by another process (pid ${holder.pid}), which has it open for reading; DuckDB cannot write a file while another process has it open.`);
      expect(error.message).not.toContain('load is running');
      expect(error.hint).toContain('Close the program that has the file open');
      // It retried for the whole budget before giving up.
      expect(Number(error.details.waited_ms)).toBeGreaterThanOrEqual(200);
      // Readers are not blocked by a reader.
      expect((await readDestinationSnapshot(dbPath, 'ds', 'p')).loads).toHaveLength(1);
    } finally {
      await holder.release();
    }
  });

  it('a writer retries while the file is held and opens it once the holder lets go', async () => {
    await load(accountsSchema('append'), '1.0', accountRows('1.0', [[1, 'a', []]]));
    const holder = await holdFile(dbPath, { readOnly: true });
    const waits: { pid?: number }[] = [];
    let released: Promise<void> | undefined;
    const session = await DuckDbLoadSession.open({
      dbPath,
      datasetName: 'ds',
      pipelineName: 'p',
      lockWaitMs: 120_000,
      onLockWait: (info) => {
        waits.push(info);
        released = holder.release();
      },
    });
    try {
      expect(waits).toEqual([{ db_path: dbPath, pid: holder.pid, wait_ms: 120_000 }]);
      await released;
      await session.writeRows(accountsSchema('append').tables['accounts']!, accountRows('2.0', [[2, 'b', []]])[0]!, 'append', accountsSchema('append'));
      await session.commit({ loadId: '2.0', schema: accountsSchema('append'), state: { pipeline_name: 'p', dataset_name: 'ds' } });
    } finally {
      await session.close();
    }
    expect(await query(dbPath, 'SELECT id FROM ds.accounts ORDER BY id')).toEqual([[1n], [2n]]);
  });
});

describe('baseline read before the write lock', () => {
  const open = (baseline: Awaited<ReturnType<typeof readLoadBaseline>>) => DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p', baseline, lockWaitMs: 0 });
  const baselineNow = () => readLoadBaseline({ dbPath, datasetName: 'ds', pipelineName: 'p', schemaName: 'test_source', lockWaitMs: 0 });

  it('reads the committed state and schema read-only, and does not create a missing file', async () => {
    expect(await baselineNow()).toEqual({ existed: false, schemaName: 'test_source', state: undefined, schema: undefined });
    expect(existsSync(dbPath)).toBe(false);
    await load(accountsSchema('merge'), '1.0', accountRows('1.0', [[1, 'a', []]]), 7);
    const baseline = await baselineNow();
    expect(baseline).toMatchObject({ existed: true, state: { version: 1, load_id: '1.0' }, schema: { version_hash: 'hash-1' } });
    expect(baseline.state?.state.sources?.['test_source']?.resources).toEqual({ accounts: { incremental: { cursor_path: 'id', last_value: 7 } } });
    // Nothing changed since: the write session opens.
    const session = await open(baseline);
    await session.close();
  });

  it('fails with CONCURRENT_LOAD when another load committed after the baseline was read, and writes nothing', async () => {
    await load(accountsSchema('merge'), '1.0', accountRows('1.0', [[1, 'a', []]]), 1);
    const baseline = await baselineNow();
    await load(accountsSchema('merge'), '2.0', accountRows('2.0', [[2, 'b', []]]), 2);
    const failure = await open(baseline).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BtError);
    expect(failure).toMatchObject({ code: 'CONCURRENT_LOAD', details: { step: 'load', db_path: dbPath, pipeline: 'p' } });
    expect((failure as BtError).message).toContain('it started from state version 1');
    expect((failure as BtError).message).toContain('the file now has state version 2');
    // The failed open released the lock and left the file as it was.
    expect(await query(dbPath, 'SELECT load_id FROM ds._dlt_loads ORDER BY 1')).toEqual([['1.0'], ['2.0']]);
    const session = await open(await baselineNow());
    await session.close();
  });

  it('fails with CONCURRENT_LOAD when the file appeared with a load after a baseline that found no file', async () => {
    const baseline = await baselineNow();
    await load(accountsSchema('merge'), '1.0', accountRows('1.0', [[1, 'a', []]]));
    await expect(open(baseline)).rejects.toMatchObject({ code: 'CONCURRENT_LOAD' });
    expect(existsSync(dbPath)).toBe(true);
    expect(await query(dbPath, 'SELECT count(*) FROM ds.accounts')).toEqual([[1n]]);
  });
});

describe('discard after a failed load', () => {
  it('deletes the file only when this session created it and nothing was committed', async () => {
    const schema = accountsSchema('append');
    const created = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    expect(created.createdFile).toBe(true);
    await created.writeRows(schema.tables['accounts']!, accountRows('1.0', [[1, 'a', []]])[0]!, 'append', schema);
    expect(await created.discard()).toBe(true);
    expect(existsSync(dbPath)).toBe(false);
    expect(existsSync(`${dbPath}.wal`)).toBe(false);

    // A file that existed before (with a committed load) is never deleted.
    await load(schema, '1.0', accountRows('1.0', [[1, 'a', []]]));
    const existing = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    expect(existing.createdFile).toBe(false);
    expect(await existing.discard()).toBe(false);
    expect(await query(dbPath, 'SELECT count(*) FROM ds.accounts')).toEqual([[1n]]);
  });

  it('keeps a file that existed before this session, even an empty one', async () => {
    (await openDatabase(dbPath)).close();
    const session = await DuckDbLoadSession.open({ dbPath, datasetName: 'ds', pipelineName: 'p' });
    expect(session.createdFile).toBe(false);
    expect(await session.discard()).toBe(false);
    expect(existsSync(dbPath)).toBe(true);
  });
});
