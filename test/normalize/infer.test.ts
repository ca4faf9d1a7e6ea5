import { describe, expect, it } from 'vitest';
import { inferColumns } from '../../src/normalize/infer.js';

describe('inferColumns', () => {
  const items = [
    { ManagedAccountID: 1, AccountName: 'svc1', LastChangeDate: '2024-12-10T08:57:45.96', Address: { City: 'Berlin' }, Tags: ['a'], ChangeState: 0 },
    { ManagedAccountID: 2, AccountName: null, LastChangeDate: '2024-12-11T08:57:45Z', Address: { City: 'Paris' }, Tags: [], ChangeState: 'pending' },
  ];

  it('lists the root columns with source paths, types and observed nullability', () => {
    const { columns, child_tables } = inferColumns(items);
    expect(columns).toEqual([
      { name: 'managed_account_id', source_path: 'ManagedAccountID', data_type: 'bigint', nullable: false },
      { name: 'account_name', source_path: 'AccountName', data_type: 'text', nullable: true },
      { name: 'last_change_date', source_path: 'LastChangeDate', data_type: 'timestamp', nullable: false },
      { name: 'address__city', source_path: 'Address.City', data_type: 'text', nullable: false },
      { name: 'change_state', source_path: 'ChangeState', data_type: 'bigint', nullable: true },
      { name: 'change_state__v_text', source_path: 'ChangeState', data_type: 'text', nullable: true },
    ]);
    expect(child_tables).toEqual(['tags']);
  });

  it('uses hints (all-null columns included) and prefixes child tables with the table name', () => {
    const { columns, child_tables } = inferColumns(items, { DomainName: { data_type: 'text', nullable: true }, ManagedAccountID: { nullable: false } }, {
      tableName: 'managed_accounts',
    });
    expect(columns[0]).toEqual({ name: 'domain_name', source_path: 'DomainName', data_type: 'text', nullable: true });
    expect(columns.find((column) => column.name === 'managed_account_id')?.nullable).toBe(false);
    expect(child_tables).toEqual(['managed_accounts__tags']);
  });

  it('respects max_table_nesting and handles an empty sample', () => {
    expect(inferColumns(items, undefined, { maxTableNesting: 0 }).columns.map((column) => [column.name, column.data_type])).toContainEqual([
      'tags', 'json',
    ]);
    expect(inferColumns([])).toEqual({ columns: [], child_tables: [] });
  });
});
