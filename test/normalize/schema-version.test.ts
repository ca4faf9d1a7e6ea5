import { describe, expect, it } from 'vitest';
import { schemaVersionHash } from '../../src/normalize/infer.js';
import { SCHEMA_ENGINE_VERSION } from '../../src/normalize/schema-version.js';
import type { TableSchema } from '../../src/normalize/types.js';
import { columnTypes, LOAD_ID, normalizer, resource, rowsOf, setup } from './helpers.js';

describe('version and version_hash', () => {
  it('starts empty at version 0, moves to 1 on the first change and stays there: one version per normalizer (load)', () => {
    const norm = normalizer();
    const empty = norm.schema;
    expect(empty).toMatchObject({ name: 'test_source', version: 0, engine_version: SCHEMA_ENGINE_VERSION, tables: {} });
    expect(empty.version_hash).toBe(schemaVersionHash({}));

    const changes = norm.registerResource(resource({ name: 'items', columns: { A: { data_type: 'bigint' } } }));
    expect(changes).toEqual([
      { kind: 'new_table', table: 'items' },
      { kind: 'new_column', table: 'items', column: 'a', data_type: 'bigint' },
    ]);
    const registered = norm.schema;
    expect(registered.version).toBe(1);
    expect(registered.version_hash).not.toBe(empty.version_hash);

    // Idempotent registration and pages without new columns keep version and hash.
    expect(norm.registerResource(resource({ name: 'items', columns: { A: { data_type: 'bigint' } } }))).toEqual([]);
    norm.normalizePage({ resource: 'items', table_name: 'items', items: [{ A: 1 }, { A: '2' }], page: 1 }, LOAD_ID);
    expect(norm.schema.version).toBe(1);
    expect(norm.schema.version_hash).toBe(registered.version_hash);

    // Later changes in the same load move the hash, not the version (dlt bumps once when it saves the schema).
    norm.normalizePage({ resource: 'items', table_name: 'items', items: [{ A: 1, B: 'x', C: [1] }], page: 2 }, LOAD_ID);
    norm.normalizePage({ resource: 'items', table_name: 'items', items: [{ D: true }], page: 3 }, LOAD_ID);
    expect(norm.schema.version).toBe(1);
    expect(norm.schema.version_hash).not.toBe(registered.version_hash);
    expect(norm.schema.version_hash).toBe(schemaVersionHash(norm.schema.tables));
  });

  it('changes version when a table property changes on re-registration in a later load', () => {
    const first = normalizer();
    first.registerResource(resource({ name: 'items' }));
    const before = first.schema;
    const norm = normalizer({ schema: before });
    norm.registerResource(resource({ name: 'items', write_disposition: 'merge' }));
    expect(norm.schema.version).toBe(before.version + 1);
    expect(norm.schema.tables['items']?.write_disposition).toBe('merge');
  });

  it('hashes content, not key order', () => {
    const column = { name: 'a', data_type: 'bigint' as const, nullable: true };
    const one: Record<string, TableSchema> = {
      t: { name: 't', resource: 'r', write_disposition: 'append', columns: { a: column } },
      u: { name: 'u', resource: 'r', write_disposition: 'append', columns: {} },
    };
    const two: Record<string, TableSchema> = {
      u: { columns: {}, write_disposition: 'append', resource: 'r', name: 'u' },
      t: { columns: { a: { nullable: true, data_type: 'bigint', name: 'a' } }, write_disposition: 'append', resource: 'r', name: 't' },
    };
    expect(schemaVersionHash(one)).toBe(schemaVersionHash(two));
    const changed = structuredClone(one);
    if (changed['t']?.columns['a']) changed['t'].columns['a'].nullable = false;
    expect(schemaVersionHash(changed)).not.toBe(schemaVersionHash(one));
  });

  it('hands out a frozen snapshot that cannot change the normalizer', () => {
    const { norm, page } = setup();
    const snapshot = norm.schema;
    expect(() => {
      delete snapshot.tables['items'];
    }).toThrow(TypeError);
    expect(norm.schema).toBe(snapshot);
    page([{ A: 1 }]);
    expect(norm.schema).not.toBe(snapshot);
    expect(Object.keys(snapshot.tables['items']?.columns ?? {})).toEqual(['_dlt_id', '_dlt_load_id']);
  });
});

describe('restoring from a stored schema', () => {
  it('continues with the stored column types, nested tables and version', () => {
    const first = setup({ name: 'managed_accounts' });
    first.page([{ AccountId: 1, ChangeState: 0, Tags: ['a'] }]);
    const stored = JSON.parse(JSON.stringify(first.norm.schema)) as typeof first.norm.schema;

    const second = setup({ name: 'managed_accounts', schema: stored });
    expect(second.norm.schema.version).toBe(stored.version);
    expect(second.norm.schema.version_hash).toBe(stored.version_hash);

    // '5' keeps the column bigint (coerced); a nested table that exists is not new.
    const same = second.page([{ AccountId: '5', ChangeState: 1, Tags: ['b'] }]);
    expect(same.changes).toEqual([]);
    expect(rowsOf(same, 'managed_accounts')[0]).toMatchObject({ account_id: 5, change_state: 1 });
    expect(rowsOf(same, 'managed_accounts__tags')[0]).toMatchObject({ value: 'b', _dlt_root_id: 'r1' });
    expect(second.norm.schema.version).toBe(stored.version);

    const drift = second.page([{ AccountId: 6, ChangeState: 'pending' }]);
    expect(drift.changes).toEqual([
      { kind: 'variant_column', table: 'managed_accounts', column: 'change_state__v_text', data_type: 'text', of: 'change_state' },
    ]);
    expect(second.norm.schema.version).toBe(stored.version + 1);
  });

  it('keeps stored types over conflicting hints and applies frozen contracts to restored tables', () => {
    const first = setup();
    first.page([{ Code: 'A1', Items: [{ N: 1 }] }]);
    const stored = first.norm.schema;

    const second = setup({ schema: stored, columns: { Code: { data_type: 'bigint' } }, contract: { tables: 'freeze', columns: 'freeze' } });
    expect(columnTypes(second.norm.schema, 'items')['code']).toBe('text');
    const result = second.page([{ Code: 7, Items: [{ N: 2 }] }]);
    expect(rowsOf(result, 'items')[0]).toMatchObject({ code: '7' });
    expect(rowsOf(result, 'items__items')[0]).toMatchObject({ n: 2 });
  });

  it('rebuilds nested tables from the stored schema without registration', () => {
    const first = setup();
    first.page([{ A: 1, Subs: [{ B: 'x' }] }]);
    const norm = normalizer({ schema: first.norm.schema, contract: { tables: 'freeze', columns: 'freeze' } });
    const result = norm.normalizePage({ resource: 'items', table_name: 'items', items: [{ A: 2, Subs: [{ B: 'y' }] }], page: 1 }, LOAD_ID);
    expect(rowsOf(result, 'items__subs')[0]).toMatchObject({ b: 'y' });
    expect(norm.schema.tables['items']?.resource).toBe('items');
  });
});
