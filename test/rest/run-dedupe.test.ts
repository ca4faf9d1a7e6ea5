import { describe, expect, it } from 'vitest';
import { RunKeyDedupe } from '../../src/rest/run-dedupe.js';

describe('RunKeyDedupe (append resources with a primary key)', () => {
  it('drops records whose key was already emitted in the run, across pages, and keeps keyless records', () => {
    const dedupe = new RunKeyDedupe(['AuditID']);
    expect(dedupe.filter([{ AuditID: 1 }, { AuditID: 2 }])).toEqual([{ AuditID: 1 }, { AuditID: 2 }]);
    expect(dedupe.filter([{ AuditID: 2 }, { AuditID: 3 }, { AuditID: null }, {}])).toEqual([{ AuditID: 3 }, { AuditID: null }, {}]);
    expect(dedupe.dropped).toBe(1);
  });

  it('compares composite and string keys by value', () => {
    const dedupe = new RunKeyDedupe(['SystemId', 'AccountId']);
    expect(dedupe.filter([{ SystemId: 1, AccountId: 'a' }, { SystemId: 1, AccountId: 'b' }, { SystemId: 1, AccountId: 'a' }])).toEqual([
      { SystemId: 1, AccountId: 'a' },
      { SystemId: 1, AccountId: 'b' },
    ]);
    expect(dedupe.dropped).toBe(1);
  });
});
