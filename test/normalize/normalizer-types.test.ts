import { describe, expect, it } from 'vitest';
import { columnTypes, LOAD_ID, rowsOf, setup } from './helpers.js';

describe('type inference', () => {
  it('infers each type from the first non-null value', () => {
    const { norm, page } = setup();
    const result = page([
      {
        Count: 3, Ratio: 0.5, Active: true, Name: 'x', Changed: '2024-12-10T08:57:45.9633333',
        ChangedUtc: '2024-12-10T08:57:45Z', Day: '2024-12-10', Later: null,
      },
    ]);
    expect(columnTypes(norm.schema, 'items')).toEqual({
      _dlt_id: 'text', _dlt_load_id: 'text', count: 'bigint', ratio: 'double', active: 'bool', name: 'text',
      changed: 'timestamp', changed_utc: 'timestamp', day: 'date',
    });
    expect(rowsOf(result, 'items')).toEqual([
      {
        _dlt_id: 'r1', _dlt_load_id: LOAD_ID, count: 3, ratio: 0.5, active: true, name: 'x',
        changed: 1_733_821_065_963_333n, changed_utc: 1_733_821_065_000_000n, day: 20_067,
      },
    ]);
  });

  it('fixes the type by the hint, not by the data', () => {
    const { norm, page } = setup({ columns: { ChangeState: { data_type: 'text' }, Score: { data_type: 'double' } } });
    const result = page([{ ChangeState: 2, Score: 7 }]);
    expect(rowsOf(result, 'items')[0]).toMatchObject({ change_state: '2', score: 7 });
    expect(columnTypes(norm.schema, 'items')).toMatchObject({ change_state: 'text', score: 'double' });
  });
});

describe('coercion', () => {
  it('coerces values that fit the column type without schema changes', () => {
    const { norm, page } = setup();
    page([{ Ratio: 1.5, Name: 'a', Count: 1, Flag: true, When: '2024-12-10T00:00:00Z', Day: '2024-12-10' }]);
    const version = norm.schema.version;
    const result = page([{ Ratio: 2, Name: 42, Count: '17', Flag: 'false', When: '2024-12-11', Day: null }]);
    expect(result.changes).toEqual([]);
    expect(norm.schema.version).toBe(version);
    expect(rowsOf(result, 'items')).toEqual([
      { _dlt_id: 'r2', _dlt_load_id: LOAD_ID, ratio: 2, name: '42', count: 17, flag: false, when: 20_068n * 86_400_000_000n, day: null },
    ]);
  });
});

describe('variant columns', () => {
  it('puts values that cannot be coerced into <col>__v_<type> and reports it', () => {
    const { norm, page } = setup();
    page([{ ChangeState: 1, Day: '2024-12-10' }]);
    const result = page([
      { ChangeState: 'pending', Day: '2024-12-10T08:57:45Z' },
      { ChangeState: 2.5, Day: 'tomorrow' },
      { ChangeState: 'failed', Day: '2024-12-11' },
    ]);
    expect(result.changes).toEqual([
      { kind: 'variant_column', table: 'items', column: 'change_state__v_text', data_type: 'text', of: 'change_state' },
      { kind: 'variant_column', table: 'items', column: 'day__v_timestamp', data_type: 'timestamp', of: 'day' },
      { kind: 'variant_column', table: 'items', column: 'change_state__v_double', data_type: 'double', of: 'change_state' },
      { kind: 'variant_column', table: 'items', column: 'day__v_text', data_type: 'text', of: 'day' },
    ]);
    expect(rowsOf(result, 'items')).toEqual([
      { _dlt_id: 'r2', _dlt_load_id: LOAD_ID, change_state: null, day: null, change_state__v_text: 'pending', day__v_timestamp: 1_733_821_065_000_000n, change_state__v_double: null, day__v_text: null },
      { _dlt_id: 'r3', _dlt_load_id: LOAD_ID, change_state: null, day: null, change_state__v_text: null, day__v_timestamp: null, change_state__v_double: 2.5, day__v_text: 'tomorrow' },
      { _dlt_id: 'r4', _dlt_load_id: LOAD_ID, change_state: null, day: 20_068, change_state__v_text: 'failed', day__v_timestamp: null, change_state__v_double: null, day__v_text: null },
    ]);
    expect(norm.schema.tables['items']?.columns['change_state__v_text']).toEqual({
      name: 'change_state__v_text', data_type: 'text', nullable: true, variant: true,
    });
  });

  it('stores an object under a scalar column beyond the nesting limit as a json variant', () => {
    const { page } = setup({ maxTableNesting: 0 });
    page([{ State: 1 }]);
    const result = page([{ State: { Code: 1 } }]);
    expect(rowsOf(result, 'items')[0]).toMatchObject({ state: null, state__v_json: '{"Code":1}' });
  });

  it('flattens an object even when a scalar column of the same name exists', () => {
    const { page } = setup();
    page([{ Owner: 'alice' }]);
    const result = page([{ Owner: { Name: 'bob' } }]);
    expect(rowsOf(result, 'items')[0]).toMatchObject({ owner: null, owner__name: 'bob' });
  });
});
