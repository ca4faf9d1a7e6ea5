import { describe, expect, it } from 'vitest';
import { getPath, parseJsonPath } from '../../src/rest/json-path.js';
import { detectDataSelector, selectRecords } from '../../src/rest/select-records.js';

describe('JSONPath-lite', () => {
  it('parses dotted, bracketed and rooted paths', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('$.Data')).toEqual(['Data']);
    expect(parseJsonPath('a.b[2]')).toEqual(['a', 'b', 2]);
    expect(parseJsonPath("['@odata.nextLink']")).toEqual(['@odata.nextLink']);
    expect(getPath({ a: { b: [1, 2, { c: 3 }] } }, 'a.b[2].c')).toBe(3);
    expect(getPath({ a: 1 }, 'a.b')).toBeUndefined();
  });

  it('rejects wildcards with CONFIG_INVALID', () => {
    expect(() => parseJsonPath('data[*].id')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('selectRecords', () => {
  it('handles each response shape', () => {
    expect(selectRecords([{ a: 1 }, { a: 2 }])).toMatchObject({ shape: 'array', records: [{ a: 1 }, { a: 2 }] });
    expect(selectRecords({ TotalCount: 2, Data: [{ a: 1 }] }, 'Data')).toMatchObject({ shape: 'container', records: [{ a: 1 }] });
    expect(selectRecords({ UserId: 1, Name: 'x' }, '$')).toMatchObject({ shape: 'object', records: [{ UserId: 1, Name: 'x' }] });
    expect(selectRecords(124)).toMatchObject({ shape: 'scalar', records: [{ value: 124 }] });
    expect(selectRecords('User not authenticated')).toMatchObject({ shape: 'scalar', records: [{ value: 'User not authenticated' }] });
    expect(selectRecords(null).records).toEqual([]);
  });

  it('accepts a bare array where a container was configured (BeyondTrust flips shapes)', () => {
    expect(selectRecords([{ a: 1 }], 'Data')).toMatchObject({ shape: 'array', records: [{ a: 1 }] });
  });

  it('wraps scalar list items and warns when the selector matches nothing', () => {
    expect(selectRecords([1, 'x']).records).toEqual([{ value: 1 }, { value: 'x' }]);
    const missing = selectRecords({ TotalCount: 0 }, 'Data');
    expect(missing.records).toEqual([]);
    expect(missing.warning).toContain('Data');
  });

  it('auto-detects like dlt', () => {
    expect(detectDataSelector([1])).toBe('$');
    expect(detectDataSelector({ TotalCount: 3, Data: [] })).toBe('Data');
    expect(detectDataSelector({ meta: { items: [1] }, results: [] })).toBe('results');
    expect(detectDataSelector({ payload: { list: [1] }, other: [2] })).toBe('other');
    expect(detectDataSelector({ a: 1 })).toBe('$');
    expect(selectRecords({ TotalCount: 1, Data: [{ id: 1 }] })).toMatchObject({ shape: 'container', selector: 'Data' });
  });
});
