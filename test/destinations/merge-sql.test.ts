import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, isDuckDbLockError, toDbLockedError } from '../../src/destinations/duckdb/index.js';
import { mergeStatements, nestedRowsCondition, nullKeyCounts } from '../../src/destinations/duckdb/merge-sql.js';
import { resourceTableTree } from '../../src/destinations/duckdb/resource-tables.js';
import { BtError } from '../../src/errors.js';
import { column, schemaOf, table } from './helpers.js';

const schema = schemaOf([
  table('a', 'a', 'merge', [column('_dlt_id', 'text'), column('id', 'bigint', { primary_key: true })]),
  table('a__b', 'a', 'merge', [column('_dlt_id', 'text'), column('_dlt_parent_id', 'text')], 'a'),
  table('a__b__c', 'a', 'merge', [column('_dlt_id', 'text'), column('_dlt_parent_id', 'text')], 'a__b'),
  table('other', 'other', 'append', [column('_dlt_id', 'text')]),
]);

describe('merge SQL', () => {
  it('orders a resource tree parents first and finds the primary key', () => {
    expect(resourceTableTree(schema, 'a')).toEqual({
      resource: 'a',
      root: 'a',
      primaryKey: ['id'],
      tables: [{ name: 'a', depth: 0 }, { name: 'a__b', parent: 'a', depth: 1 }, { name: 'a__b__c', parent: 'a__b', depth: 2 }],
    });
  });

  it('reaches root rows through _dlt_root_id when present, else through the _dlt_parent_id chain', () => {
    const tree = resourceTableTree(schema, 'a')!;
    const side = (t: string) => `s."${t}"`;
    const deepest = tree.tables[2]!;
    expect(nestedRowsCondition(deepest, tree, side, new Set(['a__b__c']), 'ROOTS')).toBe('_dlt_root_id IN (ROOTS)');
    expect(nestedRowsCondition(deepest, tree, side, new Set(), 'ROOTS')).toBe('_dlt_parent_id IN (SELECT _dlt_id FROM s."a__b" WHERE _dlt_parent_id IN (ROOTS))');
  });
});

describe('merge NULL keys', () => {
  it('counts staged rows with any NULL key column, then per column', () => {
    expect(nullKeyCounts('temp.main."a"', ['system_id', 'account_id'])).toBe(
      'SELECT count(*) FILTER (WHERE "system_id" IS NULL OR "account_id" IS NULL), count(*) FILTER (WHERE "system_id" IS NULL), count(*) FILTER (WHERE "account_id" IS NULL) FROM temp.main."a"',
    );
  });

  it('dedupes staged rows by GROUP BY on the key (so NULL keys must be refused before it)', () => {
    const tree = resourceTableTree(schema, 'a')!;
    const statements = mergeStatements({ tree, target: (t) => `d."${t}"`, stage: (t) => `s."${t}"`, withRootId: new Set(), targetTables: new Set(), stagedTables: new Set(['a']) });
    expect(statements[0]).toBe('DELETE FROM s."a" WHERE rowid NOT IN (SELECT max(rowid) FROM s."a" GROUP BY "id")');
  });
});

describe('state codec', () => {
  it("round-trips dlt's base64(zlib(json)) and reads plain JSON", () => {
    const state = { _state_version: 3, sources: { s: { resources: { r: { incremental: { last_value: '2026-01-01' } } } } } };
    const encoded = encodeState(state);
    expect(encoded).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(encoded, 'base64')[0]).toBe(0x78); // zlib header, like Python's zlib.compress
    expect(decodeState(encoded)).toEqual(state);
    expect(decodeState(JSON.stringify(state))).toEqual(state);
    expect(() => decodeState('not state')).toThrow(expect.objectContaining({ code: 'STATE_CORRUPT' }));
  });
});

describe('lock errors', () => {
  it("maps DuckDB's lock message to DB_LOCKED with the holder's pid and leaves other errors alone", () => {
    const lock = new Error('IO Error: Could not set lock on file "/x/p.duckdb": Conflicting lock is held in /usr/bin/node (PID 4242). See also …');
    expect(isDuckDbLockError(lock)).toBe(true);
    // A refused READ_ONLY open: only a writer can refuse it.
    const mapped = toDbLockedError(lock, '/x/p.duckdb', 'read');
    expect(mapped).toBeInstanceOf(BtError);
    expect(mapped).toMatchObject({ code: 'DB_LOCKED', message: 'A load is running on /x/p.duckdb (pid 4242); DuckDB allows one writer per file.', details: { pid: 4242, holder: 'writer' } });
    expect((mapped as BtError).hint).toMatch(/Wait for the running load/);
    // A refused read-write open: readers refuse it too, so the holder is not known and the wording stays neutral.
    const neutral = toDbLockedError(lock, '/x/p.duckdb', 'write');
    expect(neutral).toMatchObject({
      code: 'DB_LOCKED',
      message: 'The database file /x/p.duckdb is held by another process (pid 4242); DuckDB cannot write a file while another process has it open.',
      details: { pid: 4242, holder: 'unknown' },
    });
    expect((neutral as BtError).hint).toMatch(/Close the program that has the file open/);
    const other = new Error('Catalog Error: nope');
    expect(isDuckDbLockError(other)).toBe(false);
    expect(toDbLockedError(other, '/x')).toBe(other);
  });
});
