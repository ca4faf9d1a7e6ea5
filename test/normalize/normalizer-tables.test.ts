import { describe, expect, it } from 'vitest';
import { createRandomIdGenerator, nestedRowId } from '../../src/normalize/ids.js';
import { Normalizer } from '../../src/normalize/normalizer.js';
import { columnsOf, columnTypes, LOAD_ID, normalizer, resource, rowsOf, setup } from './helpers.js';

const LINK = ['_dlt_id', '_dlt_parent_id', '_dlt_list_idx', '_dlt_root_id'];

describe('root rows', () => {
  it('normalizes names, flattens nested objects and adds _dlt_id / _dlt_load_id first', () => {
    const { page } = setup({ name: 'managed_accounts' });
    const result = page([
      { ManagedAccountID: 1, AccountName: 'svc1', SystemId: 10, Address: { City: 'Berlin', GeoPoint: { Lat: 52.5 } } },
      { ManagedAccountID: 2, AccountName: 'svc2', SystemId: 11, Address: { City: 'Paris' } },
    ]);
    expect(columnsOf(result, 'managed_accounts')).toEqual([
      '_dlt_id', '_dlt_load_id', 'managed_account_id', 'account_name', 'system_id', 'address__city', 'address__geo_point__lat',
    ]);
    expect(rowsOf(result, 'managed_accounts')).toEqual([
      { _dlt_id: 'r1', _dlt_load_id: LOAD_ID, managed_account_id: 1, account_name: 'svc1', system_id: 10, address__city: 'Berlin', address__geo_point__lat: 52.5 },
      { _dlt_id: 'r2', _dlt_load_id: LOAD_ID, managed_account_id: 2, account_name: 'svc2', system_id: 11, address__city: 'Paris', address__geo_point__lat: null },
    ]);
  });

  it('pads rows written before a column appeared mid-page', () => {
    const { page } = setup();
    const result = page([{ A: 1 }, { A: 2, B: 'x' }]);
    expect(result.tables[0]?.rows).toEqual([
      ['r1', LOAD_ID, 1, null],
      ['r2', LOAD_ID, 2, 'x'],
    ]);
  });

  it('never creates a column from nulls alone', () => {
    const { norm, page } = setup();
    const first = page([{ A: 1, DomainName: null }, { A: 2, DomainName: null }]);
    expect(columnsOf(first, 'items')).toEqual(['_dlt_id', '_dlt_load_id', 'a']);
    const second = page([{ A: 3, DomainName: 'corp' }]);
    expect(rowsOf(second, 'items')).toEqual([{ _dlt_id: 'r3', _dlt_load_id: LOAD_ID, a: 3, domain_name: 'corp' }]);
    expect(columnTypes(norm.schema, 'items')['domain_name']).toBe('text');
  });

  it('creates hinted columns up front so all-null columns exist, with hinted type and nullability', () => {
    const { norm, page } = setup({
      primaryKey: ['ManagedAccountID'],
      columns: {
        DomainName: { data_type: 'text' },
        ApplicationID: { data_type: 'bigint', nullable: true, description: 'Application' },
        LastChangeDate: { data_type: 'timestamp', nullable: false },
      },
    });
    const columns = norm.schema.tables['items']?.columns ?? {};
    expect(Object.keys(columns)).toEqual(['_dlt_id', '_dlt_load_id', 'domain_name', 'application_id', 'last_change_date']);
    expect(columns['application_id']).toEqual({ name: 'application_id', data_type: 'bigint', nullable: true, description: 'Application' });
    expect(columns['last_change_date']?.nullable).toBe(false);

    const result = page([{ ManagedAccountID: 7, DomainName: null, ApplicationID: null, LastChangeDate: '2024-12-10T08:57:45Z' }]);
    expect(rowsOf(result, 'items')).toEqual([
      { _dlt_id: 'r1', _dlt_load_id: LOAD_ID, domain_name: null, application_id: null, last_change_date: 1_733_821_065_000_000n, managed_account_id: 7 },
    ]);
    expect(norm.schema.tables['items']?.columns['managed_account_id']).toEqual({
      name: 'managed_account_id', data_type: 'bigint', nullable: false, primary_key: true,
    });
  });

  it('maps a dotted hint onto the flattened column', () => {
    const { norm, page } = setup({ columns: { 'Address.City': { data_type: 'text' } } });
    expect(columnTypes(norm.schema, 'items')['address__city']).toBe('text');
    const result = page([{ Address: { City: 12345 } }]);
    expect(rowsOf(result, 'items')[0]?.['address__city']).toBe('12345');
  });

  it('keeps a field hinted as json as JSON text instead of a nested table', () => {
    const { norm, page } = setup({ columns: { Tags: { data_type: 'json' }, Meta: { data_type: 'json' } } });
    const result = page([{ Tags: ['a', 'b'], Meta: { X: 1 } }]);
    expect(rowsOf(result, 'items')).toEqual([{ _dlt_id: 'r1', _dlt_load_id: LOAD_ID, tags: '["a","b"]', meta: '{"X":1}' }]);
    expect(Object.keys(norm.schema.tables)).toEqual(['items']);
  });

  it('ignores data fields named like system columns and warns', () => {
    const { page } = setup();
    const result = page([{ _dlt_id: 'spoofed', _dlt_load_id: 'x', A: 1 }]);
    expect(rowsOf(result, 'items')).toEqual([{ _dlt_id: 'r1', _dlt_load_id: LOAD_ID, a: 1 }]);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toContain('reserved column "_dlt_id"');
  });

  it('warns about rows without a primary key value', () => {
    const { page } = setup({ primaryKey: ['ID'] });
    const result = page([{ ID: 1 }, { Name: 'no key' }]);
    expect(result.warnings).toEqual(['1 row(s) of table "items" have no value for primary key column "id".']);
  });

  it('stores a scalar page item in a value column', () => {
    const { page } = setup();
    expect(rowsOf(page([5 as unknown as Record<string, unknown>]), 'items')).toEqual([{ _dlt_id: 'r1', _dlt_load_id: LOAD_ID, value: 5 }]);
  });
});

describe('nested tables', () => {
  it('turns lists of objects into child tables linked to their parent and root', () => {
    const { page } = setup({ name: 'users' });
    const result = page([
      { ID: 1, Pets: [{ Name: 'Rex', Toys: [{ Kind: 'ball' }, { Kind: 'rope' }] }, { Name: 'Tom' }] },
      { ID: 2, Pets: [] },
    ]);
    expect(result.tables.map((table) => table.table)).toEqual(['users', 'users__pets', 'users__pets__toys']);
    const rex = nestedRowId('r1', 'users__pets', 0);
    const tom = nestedRowId('r1', 'users__pets', 1);
    expect(columnsOf(result, 'users__pets')).toEqual([...LINK, 'name']);
    expect(rowsOf(result, 'users__pets')).toEqual([
      { _dlt_id: rex, _dlt_parent_id: 'r1', _dlt_list_idx: 0, _dlt_root_id: 'r1', name: 'Rex' },
      { _dlt_id: tom, _dlt_parent_id: 'r1', _dlt_list_idx: 1, _dlt_root_id: 'r1', name: 'Tom' },
    ]);
    expect(rowsOf(result, 'users__pets__toys')).toEqual([
      { _dlt_id: nestedRowId(rex, 'users__pets__toys', 0), _dlt_parent_id: rex, _dlt_list_idx: 0, _dlt_root_id: 'r1', kind: 'ball' },
      { _dlt_id: nestedRowId(rex, 'users__pets__toys', 1), _dlt_parent_id: rex, _dlt_list_idx: 1, _dlt_root_id: 'r1', kind: 'rope' },
    ]);
    expect(rowsOf(result, 'users').map((row) => row['_dlt_id'])).toEqual(['r1', 'r2']);
  });

  it('stores lists of scalars in a value column, nulls included', () => {
    const { page } = setup();
    const result = page([{ Tags: ['a', null, 'c'] }]);
    expect(rowsOf(result, 'items__tags')).toEqual([
      { _dlt_id: nestedRowId('r1', 'items__tags', 0), _dlt_parent_id: 'r1', _dlt_list_idx: 0, _dlt_root_id: 'r1', value: 'a' },
      { _dlt_id: nestedRowId('r1', 'items__tags', 1), _dlt_parent_id: 'r1', _dlt_list_idx: 1, _dlt_root_id: 'r1', value: null },
      { _dlt_id: nestedRowId('r1', 'items__tags', 2), _dlt_parent_id: 'r1', _dlt_list_idx: 2, _dlt_root_id: 'r1', value: 'c' },
    ]);
  });

  it('names tables of lists inside flattened objects and lists of lists', () => {
    const { norm, page } = setup();
    const result = page([{ Address: { Phones: ['1', '2'] }, Matrix: [[1, 2], [3]] }]);
    expect(result.tables.map((table) => table.table)).toEqual(['items', 'items__address__phones', 'items__matrix', 'items__matrix__list']);
    expect(rowsOf(result, 'items__matrix__list').map((row) => [row['_dlt_list_idx'], row['value']])).toEqual([[0, 1], [1, 2], [0, 3]]);
    expect(norm.schema.tables['items__matrix__list']?.parent).toBe('items__matrix');
    expect(norm.schema.tables['items__address__phones']?.parent).toBe('items');
  });

  it('records nested tables in the schema with their parent and the root disposition', () => {
    const { norm, page } = setup({ name: 'requests' });
    norm.registerResource(resource({ name: 'requests', write_disposition: 'merge', primary_key: ['RequestID'] }));
    const result = page([{ RequestID: 1, Approvers: [{ UserID: 5 }] }]);
    expect(result.changes).toContainEqual({ kind: 'new_table', table: 'requests__approvers', parent: 'requests' });
    expect(norm.schema.tables['requests__approvers']).toEqual({
      name: 'requests__approvers',
      parent: 'requests',
      resource: 'requests',
      write_disposition: 'merge',
      columns: {
        _dlt_id: { name: '_dlt_id', data_type: 'text', nullable: false },
        _dlt_parent_id: { name: '_dlt_parent_id', data_type: 'text', nullable: false },
        _dlt_list_idx: { name: '_dlt_list_idx', data_type: 'bigint', nullable: false },
        _dlt_root_id: { name: '_dlt_root_id', data_type: 'text', nullable: false },
        user_id: { name: 'user_id', data_type: 'bigint', nullable: true },
      },
    });
  });

  it('gives the same nested ids when the same parent is normalized again', () => {
    const items = [{ ID: 1, Tags: ['x', 'y'] }];
    const first = normalizer().normalizePage({ resource: 'items', table_name: 'items', items, page: 1 }, 'a');
    const second = normalizer().normalizePage({ resource: 'items', table_name: 'items', items, page: 1 }, 'b');
    expect(rowsOf(first, 'items__tags')).toEqual(rowsOf(second, 'items__tags'));
  });
});

describe('max_table_nesting', () => {
  const record = { ID: 1, Address: { City: 'Berlin', Geo: { Lat: 1.5 } }, Tags: ['a'], Groups: [{ Name: 'g', Members: [{ U: 1 }], Info: { X: 1 } }] };

  it('0: no flattening, no nested tables; nested values are JSON columns', () => {
    const { norm, page } = setup({ maxTableNesting: 0 });
    const result = page([record]);
    expect(rowsOf(result, 'items')).toEqual([
      {
        _dlt_id: 'r1', _dlt_load_id: LOAD_ID, id: 1,
        address: '{"City":"Berlin","Geo":{"Lat":1.5}}',
        tags: '["a"]',
        groups: '[{"Name":"g","Members":[{"U":1}],"Info":{"X":1}}]',
      },
    ]);
    expect(columnTypes(norm.schema, 'items')).toMatchObject({ address: 'json', tags: 'json', groups: 'json' });
    expect(Object.keys(norm.schema.tables)).toEqual(['items']);
  });

  it('1: one level of flattening and nested tables; deeper structures are JSON', () => {
    const { norm, page } = setup({ maxTableNesting: 1 });
    const result = page([record]);
    expect(rowsOf(result, 'items')[0]).toMatchObject({ id: 1, address__city: 'Berlin', address__geo: '{"Lat":1.5}' });
    expect(rowsOf(result, 'items__tags')[0]).toMatchObject({ value: 'a' });
    expect(rowsOf(result, 'items__groups')[0]).toMatchObject({ name: 'g', members: '[{"U":1}]', info: '{"X":1}' });
    expect(Object.keys(norm.schema.tables)).toEqual(['items', 'items__tags', 'items__groups']);
  });

  it('default (1000): everything is flattened and nested', () => {
    const { norm, page } = setup();
    page([record]);
    expect(Object.keys(norm.schema.tables)).toEqual(['items', 'items__tags', 'items__groups', 'items__groups__members']);
    expect(columnTypes(norm.schema, 'items__groups')).toEqual({
      _dlt_id: 'text', _dlt_parent_id: 'text', _dlt_list_idx: 'bigint', _dlt_root_id: 'text', name: 'text', info__x: 'bigint',
    });
  });
});

describe('ids', () => {
  it('generates unique 14-character base64url root ids by default', () => {
    const norm = new Normalizer({ schemaName: 's' });
    const items = Array.from({ length: 5000 }, (_, index) => ({ N: index }));
    const result = norm.normalizePage({ resource: 'items', table_name: 'items', items, page: 1 }, LOAD_ID);
    const ids = result.tables[0]?.rows.map((row) => row[0]) ?? [];
    expect(new Set(ids).size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{14}$/);
  });

  it('derives nested ids from parent id, table and index', () => {
    expect(nestedRowId('p', 't', 0)).toMatch(/^[A-Za-z0-9_-]{14}$/);
    expect(nestedRowId('p', 't', 0)).toBe(nestedRowId('p', 't', 0));
    expect(nestedRowId('p', 't', 1)).not.toBe(nestedRowId('p', 't', 0));
    expect(nestedRowId('p', 'u', 0)).not.toBe(nestedRowId('p', 't', 0));
    const next = createRandomIdGenerator();
    expect(next()).not.toBe(next());
  });
});
