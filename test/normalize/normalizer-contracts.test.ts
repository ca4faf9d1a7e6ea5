import { describe, expect, it } from 'vitest';
import { BtError } from '../../src/errors.js';
import { nestedRowId } from '../../src/normalize/ids.js';
import type { NormalizeResult } from '../../src/normalize/types.js';
import type { SchemaContract } from '../../src/rest/types.js';
import { columnTypes, LOAD_ID, normalizer, rowsOf, setup } from './helpers.js';

function violation(run: () => unknown): BtError {
  try {
    run();
  } catch (error) {
    if (error instanceof BtError) return error;
    throw error;
  }
  throw new Error('expected a SCHEMA_CONTRACT_VIOLATION');
}

/**
 * Pages 1–2 are stable; on page 3 a new field appears and ChangeState turns from a number into a string.
 * Registered root tables count as existing, so the known columns are declared by hints.
 */
const KNOWN = { AccountId: { data_type: 'bigint' }, ChangeState: { data_type: 'bigint' } } as const;
const PAGES: Record<string, unknown>[][] = [
  [{ AccountId: 1, ChangeState: 0 }, { AccountId: 2, ChangeState: 1 }],
  [{ AccountId: 3, ChangeState: 0 }],
  [
    { AccountId: 4, ChangeState: 2 },
    { AccountId: 5, ChangeState: 'pending', IsChanging: true },
    { AccountId: 6, ChangeState: '3' },
    { AccountId: 7, ChangeState: 1, IsChanging: false },
  ],
];

function drift(contract: SchemaContract): { run: ReturnType<typeof setup>; results: NormalizeResult[] } {
  const run = setup({ name: 'managed_accounts', contract, columns: { ...KNOWN } });
  const results = [run.page(PAGES[0] ?? []), run.page(PAGES[1] ?? [])];
  return { run, results };
}

describe('schema drift mid-run', () => {
  it('evolve: adds the new column and a variant column, and changes the version hash', () => {
    const { run } = drift({ tables: 'evolve', columns: 'evolve', data_type: 'evolve' });
    const before = run.norm.schema;
    const result = run.page(PAGES[2] ?? []);
    expect(result.changes).toEqual([
      { kind: 'variant_column', table: 'managed_accounts', column: 'change_state__v_text', data_type: 'text', of: 'change_state' },
      { kind: 'new_column', table: 'managed_accounts', column: 'is_changing', data_type: 'bool' },
    ]);
    expect(result.discardedRows + result.discardedValues).toBe(0);
    expect(rowsOf(result, 'managed_accounts').map(({ _dlt_id, _dlt_load_id, ...data }) => data)).toEqual([
      { account_id: 4, change_state: 2, change_state__v_text: null, is_changing: null },
      { account_id: 5, change_state: null, change_state__v_text: 'pending', is_changing: true },
      { account_id: 6, change_state: 3, change_state__v_text: null, is_changing: null },
      { account_id: 7, change_state: 1, change_state__v_text: null, is_changing: false },
    ]);
    // Same load: the version moved once already (to 1); the hash follows the change.
    expect(run.norm.schema.version).toBe(1);
    expect(run.norm.schema.version_hash).not.toBe(before.version_hash);
  });

  it('freeze (columns): throws naming table, column, entity and mode; nothing of the page is kept', () => {
    const { run } = drift({ columns: 'freeze' });
    const before = run.norm.schema;
    const error = violation(() => run.page(PAGES[2] ?? []));
    expect(error.code).toBe('SCHEMA_CONTRACT_VIOLATION');
    expect(error.message).toContain('new column "is_changing" (bool) on table "managed_accounts"');
    expect(error.message).toContain('columns contract is "freeze"');
    expect(error.hint).toContain('schema_contract.columns');
    expect(error.details).toMatchObject({
      step: 'normalize', table: 'managed_accounts', column: 'is_changing', contract_entity: 'columns', contract_mode: 'freeze',
    });
    // The variant column created by an earlier row of the failed page was rolled back too.
    expect(run.norm.schema).toEqual(before);
    const next = run.page([{ AccountId: 8, ChangeState: 4 }]);
    expect(rowsOf(next, 'managed_accounts').map(({ _dlt_id, ...data }) => data)).toEqual([
      { _dlt_load_id: LOAD_ID, account_id: 8, change_state: 4 },
    ]);
  });

  it('freeze (data_type): throws for the variant; the new column of the page is not kept either', () => {
    const { run } = drift({ data_type: 'freeze' });
    const before = run.norm.schema;
    const error = violation(() => run.page(PAGES[2] ?? []));
    expect(error.message).toContain('a text value for column "change_state" (bigint)');
    expect(error.details).toMatchObject({ column: 'change_state', data_type: 'text', contract_entity: 'data_type', contract_mode: 'freeze' });
    expect(run.norm.schema).toEqual(before);
  });

  it('discard_row: drops the rows that would change the schema', () => {
    const { run } = drift({ columns: 'discard_row', data_type: 'discard_row' });
    const before = run.norm.schema;
    const result = run.page(PAGES[2] ?? []);
    expect(result.discardedRows).toBe(2);
    expect(result.discardedValues).toBe(0);
    expect(result.discarded).toEqual({ managed_accounts: { rows: 2, values: 0 } });
    expect(result.changes).toEqual([]);
    expect(rowsOf(result, 'managed_accounts').map((row) => [row['account_id'], row['change_state']])).toEqual([[4, 2], [6, 3]]);
    expect(run.norm.schema).toEqual(before);
  });

  it('discard_value: drops the offending values and keeps the rows', () => {
    const { run } = drift({ columns: 'discard_value', data_type: 'discard_value' });
    const before = run.norm.schema;
    const result = run.page(PAGES[2] ?? []);
    expect(result.discardedRows).toBe(0);
    expect(result.discardedValues).toBe(3);
    expect(result.discarded).toEqual({ managed_accounts: { rows: 0, values: 3 } });
    expect(rowsOf(result, 'managed_accounts').map((row) => [row['account_id'], row['change_state']])).toEqual([
      [4, 2], [5, null], [6, 3], [7, 1],
    ]);
    expect(columnTypes(run.norm.schema, 'managed_accounts')).toEqual(columnTypes(before, 'managed_accounts'));
    expect(run.norm.schema.version).toBe(before.version);
  });
});

describe('tables contract', () => {
  const first = [{ ID: 1 }];
  const columns = { ID: { data_type: 'bigint' } } as const;
  const withList = [{ ID: 2, Tags: ['a', 'b'], Owner: { Groups: [{ N: 1 }] } }];

  it('evolve creates the nested table', () => {
    const run = setup({ contract: { tables: 'evolve' } });
    run.page(first);
    const result = run.page(withList);
    expect(result.changes.filter((change) => change.kind === 'new_table').map((change) => change.table)).toEqual([
      'items__tags', 'items__owner__groups',
    ]);
  });

  it('freeze throws for a new nested table and names it', () => {
    const run = setup({ contract: { tables: 'freeze' } });
    run.page(first);
    const error = violation(() => run.page(withList));
    expect(error.code).toBe('SCHEMA_CONTRACT_VIOLATION');
    expect(error.message).toContain('new table "items__tags" (nested in "items")');
    expect(error.details).toMatchObject({ table: 'items__tags', contract_entity: 'tables', contract_mode: 'freeze' });
    expect(error.hint).toContain('max_table_nesting');
    expect(Object.keys(run.norm.schema.tables)).toEqual(['items']);
  });

  it('discard_row drops the nested rows and keeps the parent', () => {
    const run = setup({ contract: { tables: 'discard_row' } });
    run.page(first);
    const result = run.page(withList);
    expect(result.tables.map((table) => table.table)).toEqual(['items']);
    expect(rowsOf(result, 'items')).toEqual([{ _dlt_id: 'r2', _dlt_load_id: LOAD_ID, id: 2 }]);
    expect(result.discardedRows).toBe(3);
    // Counted for the nested tables whose rows were dropped.
    expect(result.discarded).toEqual({ items__tags: { rows: 2, values: 0 }, items__owner__groups: { rows: 1, values: 0 } });
  });

  it('discard_value drops the list value that would create the table', () => {
    const run = setup({ contract: { tables: 'discard_value' } });
    run.page(first);
    const result = run.page(withList);
    expect(result.tables.map((table) => table.table)).toEqual(['items']);
    expect(result.discardedValues).toBe(2);
    // The values were dropped from the parent table's row.
    expect(result.discarded).toEqual({ items: { rows: 0, values: 2 } });
  });

  it('counts registered root tables as existing, but not unregistered ones', () => {
    const registered = setup({ contract: { tables: 'freeze' } });
    expect(rowsOf(registered.page(first), 'items')).toHaveLength(1);

    const unregistered = normalizer({ contract: { tables: 'freeze' } });
    const error = violation(() => unregistered.normalizePage({ resource: 'other', table_name: 'other', items: first, page: 1 }, LOAD_ID));
    expect(error.details).toMatchObject({ table: 'other', contract_entity: 'tables' });

    const discarding = normalizer({ contract: { tables: 'discard_value' } });
    const result = discarding.normalizePage({ resource: 'other', table_name: 'other', items: [{ A: 1 }, { A: 2 }], page: 1 }, LOAD_ID);
    expect(result).toMatchObject({ tables: [], discardedRows: 2, discardedValues: 0 });
    expect(discarding.schema.tables).toEqual({});
  });

  it('covers the first row of a new table by the tables contract, later rows by the columns contract', () => {
    const run = setup({ contract: { tables: 'evolve', columns: 'discard_row' }, columns: { ...columns } });
    run.page(first);
    const result = run.page([{ ID: 3, Members: [{ A: 1, B: 2 }, { A: 3, C: 4 }, { A: 5 }] }]);
    expect(rowsOf(result, 'items__members').map((row) => row['a'])).toEqual([1, 5]);
    expect(result.discardedRows).toBe(1);
  });
});

describe('columns contract on nested rows', () => {
  it('discard_row drops only the nested row (and its own nested rows), not its parent', () => {
    const run = setup({ contract: { columns: 'discard_row' }, columns: { ID: { data_type: 'bigint' } } });
    run.page([{ ID: 1, Groups: [{ N: 1, Subs: [{ S: 1 }] }] }]);
    const result = run.page([{ ID: 2, Groups: [{ N: 2, Subs: [{ S: 2 }] }, { N: 3, Extra: 'x', Subs: [{ S: 3 }] }] }]);
    expect(rowsOf(result, 'items')).toHaveLength(1);
    expect(rowsOf(result, 'items__groups').map((row) => row['n'])).toEqual([2]);
    expect(result.discarded).toEqual({ items__groups: { rows: 1, values: 0 } });
    const kept = nestedRowId('r2', 'items__groups', 0);
    expect(rowsOf(result, 'items__groups__subs').map((row) => [row['_dlt_parent_id'], row['s']])).toEqual([[kept, 2]]);
    expect(result.discardedRows).toBe(1);
  });

  it('accepts columns declared by a hint without a data type', () => {
    const run = setup({ contract: { columns: 'freeze' }, columns: { Notes: { description: 'free text' } } });
    const result = run.page([{ Notes: 'hello' }]);
    expect(run.norm.schema.tables['items']?.columns['notes']).toEqual({ name: 'notes', data_type: 'text', nullable: true, description: 'free text' });
    expect(rowsOf(result, 'items')[0]).toMatchObject({ notes: 'hello' });
  });
});

describe('contract precedence', () => {
  it('the run contract overrides the resource contract per entity', () => {
    const run = setup({ contract: { columns: 'freeze', data_type: 'freeze' }, runContract: { columns: 'evolve' } });
    run.page([{ A: 1 }]);
    expect(rowsOf(run.page([{ A: 2, B: 1 }]), 'items')[0]).toMatchObject({ b: 1 });
    expect(violation(() => run.page([{ A: 'x' }])).details).toMatchObject({ contract_entity: 'data_type' });
  });

  it('the resource contract applies when the run sets none, and is stored on the root table', () => {
    const run = setup({ contract: { columns: 'freeze' }, columns: { A: { data_type: 'bigint' } } });
    run.page([{ A: 1 }]);
    expect(run.norm.schema.tables['items']?.schema_contract).toEqual({ columns: 'freeze' });
    expect(violation(() => run.page([{ B: 1 }])).details).toMatchObject({ contract_entity: 'columns', contract_mode: 'freeze' });
  });

  it('defaults to evolve', () => {
    const run = setup();
    run.page([{ A: 1 }]);
    const result = run.page([{ A: 'x', B: [1] }]);
    expect(result.changes.map((change) => change.kind)).toEqual(['variant_column', 'new_table', 'new_column']);
  });
});

describe('registered root tables count as existing', () => {
  it('applies the columns contract to the first page of a registered resource', () => {
    const run = setup({ contract: { columns: 'freeze' } });
    expect(violation(() => run.page([{ Undeclared: 1 }])).details).toMatchObject({ column: 'undeclared', contract_entity: 'columns' });
  });
});
