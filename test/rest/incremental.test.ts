import { describe, expect, it } from 'vitest';
import { compareCursor, formatIsoSecondsZ, parseInstant } from '../../src/rest/cursor-value.js';
import { IncrementalTracker, type IncrementalState } from '../../src/rest/incremental.js';
import { removeSensitiveFields } from '../../src/rest/sensitive.js';

describe('cursor values', () => {
  it('compares .NET dates as UTC instants with 100ns precision', () => {
    expect(compareCursor('2024-12-10T08:57:45.9', '2024-12-10T08:57:45.89')).toBeGreaterThan(0);
    expect(compareCursor('2024-12-10T08:57:45.9', '2024-12-10T08:57:45.9000000')).toBe(0);
    expect(compareCursor('2024-12-10T08:57:45.0000001', '2024-12-10T08:57:45')).toBeGreaterThan(0);
    expect(compareCursor('2024-12-10T09:00:00+01:00', '2024-12-10T08:30:00Z')).toBeLessThan(0);
    // As strings these would compare the other way round.
    expect(compareCursor('2024-12-10T08:57:45.9', '2024-12-10T08:57:45.10Z')).toBeGreaterThan(0);
    expect(compareCursor(10, 9)).toBeGreaterThan(0);
    expect(compareCursor('10', '9')).toBeGreaterThan(0);
  });

  it('parses and formats for API filters', () => {
    expect(parseInstant('2024-12-12T10:24:26.323Z')).toEqual({ ms: Date.UTC(2024, 11, 12, 10, 24, 26, 323), ticks: 0 });
    expect(parseInstant('not a date')).toBeUndefined();
    expect(formatIsoSecondsZ('2024-12-10T08:57:45.9')).toBe('2024-12-10T08:57:45Z');
    expect(formatIsoSecondsZ('2024-12-10T10:57:45.9+02:00')).toBe('2024-12-10T08:57:45Z');
  });
});

describe('IncrementalTracker', () => {
  const spec = { cursor_path: 'ModifiedOn', initial_value: '2024-01-01T00:00:00Z', param: 'afterdate' };

  it('starts from initial_value, filters client-side and tracks the max', () => {
    const tracker = new IncrementalTracker(spec, undefined, ['Id']);
    expect(tracker.paramValue()).toBe('2024-01-01T00:00:00Z');
    const kept = tracker.filter([
      { Id: 1, ModifiedOn: '2023-12-31T23:59:59.9' },
      { Id: 2, ModifiedOn: '2024-03-01T00:00:00.5' },
      { Id: 3, ModifiedOn: '2024-02-01T00:00:00' },
    ]);
    expect(kept.map((r) => r['Id'])).toEqual([2, 3]);
    expect(tracker.state()).toMatchObject({ cursor_path: 'ModifiedOn', last_value: '2024-03-01T00:00:00.5' });
  });

  it('resumes from state and drops boundary rows already loaded', () => {
    const first = new IncrementalTracker(spec, undefined, ['Id']);
    first.filter([{ Id: 1, ModifiedOn: '2024-05-01T00:00:00' }, { Id: 2, ModifiedOn: '2024-05-01T00:00:00' }]);
    const state = first.state();
    expect(state.unique_hashes).toHaveLength(2);
    const second = new IncrementalTracker(spec, { incremental: state }, ['Id']);
    expect(second.paramValue()).toBe('2024-05-01T00:00:00Z');
    const kept = second.filter([
      { Id: 1, ModifiedOn: '2024-05-01T00:00:00' },
      { Id: 3, ModifiedOn: '2024-05-01T00:00:00' },
      { Id: 4, ModifiedOn: '2024-06-01T00:00:00' },
    ]);
    expect(kept.map((r) => r['Id'])).toEqual([3, 4]);
    expect((second.state() as IncrementalState).last_value).toBe('2024-06-01T00:00:00');
  });

  it('keeps rows without a cursor and counts them', () => {
    const tracker = new IncrementalTracker(spec, undefined, []);
    expect(tracker.filter([{ ModifiedOn: null }, {}])).toHaveLength(2);
    expect(tracker.missingCursor).toBe(2);
  });
});

describe('removeSensitiveFields', () => {
  it('removes top-level and nested fields, case-insensitively, and reports what was present', () => {
    const records: Record<string, unknown>[] = [
      { Id: 1, Token: 't', recordkey: 'r', Urls: [{ Url: 'u', Secret: 's' }], Deep: { Password: 'p' } },
      { Id: 2 },
    ];
    const removed = removeSensitiveFields(records, ['Token', 'RecordKey', 'Urls.Secret', 'Deep.Password', 'Absent']);
    expect(records).toEqual([{ Id: 1, Urls: [{ Url: 'u' }], Deep: {} }, { Id: 2 }]);
    expect([...removed].sort()).toEqual(['Deep.Password', 'RecordKey', 'Token', 'Urls.Secret']);
  });
});
