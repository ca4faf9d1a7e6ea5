import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTable, listTables } from '../../src/dataset/tables.js';
import { ACCOUNT_ROWS, DATASET, NEW_LOAD_ID, REQUEST_ROWS, TAG_ROWS, buildFixtureDb } from './fixture.js';

let fixture: Awaited<ReturnType<typeof buildFixtureDb>>;
beforeAll(async () => {
  fixture = await buildFixtureDb();
});
afterAll(async () => {
  await fixture.cleanup();
});

describe('listTables', () => {
  it('lists data tables with counts, parents, resources and the last load', async () => {
    const tables = await listTables({ dbPath: fixture.dbPath, datasetName: DATASET });
    expect(tables.map((t) => t.name)).toEqual(['assets', 'assets__ip_addresses', 'managed_accounts', 'managed_accounts__tags', 'requests']);
    const byName = new Map(tables.map((t) => [t.name, t]));
    expect(byName.get('managed_accounts')).toEqual({
      name: 'managed_accounts',
      schema: DATASET,
      row_count: ACCOUNT_ROWS,
      is_system: false,
      resource: 'managed_accounts',
      last_load_id: NEW_LOAD_ID,
      last_loaded_at: '2024-06-10T12:30:00.250Z',
      column_count: 7,
    });
    expect(byName.get('managed_accounts__tags')).toMatchObject({
      row_count: TAG_ROWS,
      parent: 'managed_accounts',
      resource: 'managed_accounts',
      last_load_id: NEW_LOAD_ID,
    });
    expect(byName.get('requests')).toMatchObject({ row_count: REQUEST_ROWS, resource: 'requests' });
    expect(byName.get('assets__ip_addresses')).toMatchObject({ parent: 'assets', row_count: 3 });
    expect(byName.get('assets')?.parent).toBeUndefined();
  });

  it('adds the dlt system tables only when asked', async () => {
    const tables = await listTables({ dbPath: fixture.dbPath, datasetName: DATASET, includeSystem: true });
    const system = tables.filter((t) => t.is_system).map((t) => t.name);
    expect(system).toEqual(['_dlt_loads', '_dlt_pipeline_state', '_dlt_version']);
    expect(tables.find((t) => t.name === '_dlt_loads')?.row_count).toBe(2);
  });

  it('reports DATASET_NOT_FOUND for a missing file or dataset', async () => {
    await expect(listTables({ dbPath: `${fixture.dir}/nope.duckdb`, datasetName: DATASET })).rejects.toMatchObject({
      code: 'DATASET_NOT_FOUND',
    });
    await expect(listTables({ dbPath: fixture.dbPath, datasetName: 'other_data' })).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
  });

  it('refuses a dataset name that is not an identifier', async () => {
    await expect(listTables({ dbPath: fixture.dbPath, datasetName: 'x"; DROP SCHEMA y; --' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('describeTable', () => {
  it('describes columns, keys, children, disposition and resource', async () => {
    const table = await describeTable({ dbPath: fixture.dbPath, datasetName: DATASET, table: 'managed_accounts' });
    expect(table.row_count).toBe(ACCOUNT_ROWS);
    expect(table.primary_key).toEqual(['account_id']);
    expect(table.write_disposition).toBe('merge');
    expect(table.resource).toBe('managed_accounts');
    expect(table.parent).toBeUndefined();
    expect(table.children).toEqual([
      { table: 'managed_accounts__tags', join: 'managed_accounts__tags._dlt_parent_id = managed_accounts._dlt_id' },
    ]);
    expect(table.columns.map((c) => c.name)).toEqual([
      'account_id',
      'account_name',
      'system_name',
      'last_change_date',
      'is_enabled',
      '_dlt_load_id',
      '_dlt_id',
    ]);
    expect(table.columns[0]).toEqual({ name: 'account_id', type: 'BIGINT', nullable: true, primary_key: true, dlt_column: false });
    expect(table.columns.find((c) => c.name === '_dlt_id')?.dlt_column).toBe(true);
    expect(table.columns[0]?.stats).toBeUndefined();
  });

  it('gives the parent join of a child table and inherits its disposition', async () => {
    const table = await describeTable({ dbPath: fixture.dbPath, datasetName: DATASET, table: 'managed_accounts__tags' });
    expect(table.parent).toEqual({ table: 'managed_accounts', join: 'managed_accounts__tags._dlt_parent_id = managed_accounts._dlt_id' });
    expect(table.children).toEqual([]);
    expect(table.write_disposition).toBe('merge');
    expect(table.primary_key).toEqual([]);
  });

  it('falls back to dlt naming for tables missing from the stored schema', async () => {
    const parent = await describeTable({ dbPath: fixture.dbPath, datasetName: DATASET, table: 'assets' });
    expect(parent.children.map((c) => c.table)).toEqual(['assets__ip_addresses']);
    expect(parent.write_disposition).toBeUndefined();
  });

  it('computes column stats on request', async () => {
    const table = await describeTable({ dbPath: fixture.dbPath, datasetName: DATASET, table: 'managed_accounts', stats: true });
    const stats = new Map(table.columns.map((c) => [c.name, c.stats]));
    expect(stats.get('account_id')).toEqual({ null_count: 0, distinct_count: ACCOUNT_ROWS, min: '1', max: '1000' });
    expect(stats.get('system_name')).toEqual({ null_count: 100, distinct_count: 7, min: 'system_0', max: 'system_6' });
    expect(stats.get('is_enabled')).toMatchObject({ null_count: 0, distinct_count: 2, min: 'false', max: 'true' });
    expect(stats.get('last_change_date')).toMatchObject({ min: '2024-01-01T00:01:00.000Z', max: '2024-01-01T16:40:00.000Z' });
  });

  it('reports TABLE_NOT_FOUND with the known table names', async () => {
    const error = await describeTable({ dbPath: fixture.dbPath, datasetName: DATASET, table: 'managed_acounts' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TABLE_NOT_FOUND' });
    expect((error as { hint: string }).hint).toContain('managed_accounts');
  });
});
