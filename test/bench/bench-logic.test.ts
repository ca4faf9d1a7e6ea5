/** Pure pieces of the bench: URL → table mapping, replay selection, load-info parsing, page records, medians, verdicts. */
import { describe, expect, it } from 'vitest';
import type { RunFigures } from '../../bench/figures.js';
import { recordsOfPage } from '../../bench/floor-load.js';
import { FILTERED_RESOURCES } from '../../bench/harness.js';
import { parseLoadInfoRows } from '../../bench/pipeline-process.js';
import { median } from '../../bench/query-latency.js';
import { alignTable } from '../../bench/report.js';
import { replayableRequests, tableOfUrl } from '../../bench/request-log.js';
import { judgeRun } from '../../bench/targets.js';

const API = '/BeyondTrust/api/public/v3';

describe('tableOfUrl', () => {
  it('maps list and child endpoints to catalog tables, case-insensitively', () => {
    expect(tableOfUrl(`${API}/ManagedAccounts?limit=1000&offset=2000`)).toBe('managed_accounts');
    expect(tableOfUrl(`${API}/ManagedSystems?limit=1000&offset=0`)).toBe('managed_systems');
    expect(tableOfUrl(`${API}/Workgroups/17/Assets?limit=1000&offset=0`)).toBe('assets');
    expect(tableOfUrl(`${API}/secrets-safe/secrets?version=3.2&afterdate=1970-01-01T00:00:00Z`)).toBe('secrets');
    expect(tableOfUrl(`${API}/AttributeTypes/2/Attributes`)).toBe('attributes');
  });

  it('leaves auth and unknown paths unmapped', () => {
    expect(tableOfUrl(`${API}/Auth/SignAppin`)).toBeUndefined();
    expect(tableOfUrl(`${API}/Nope`)).toBeUndefined();
  });
});

describe('replayableRequests', () => {
  it('keeps data GETs the run used and drops auth calls and fault answers', () => {
    const log = [
      { method: 'POST', url: `${API}/Auth/SignAppin`, status: 200 },
      { method: 'GET', url: `${API}/ManagedAccounts?limit=1000&offset=0`, status: 200 },
      { method: 'GET', url: `${API}/ManagedAccounts?limit=1000&offset=1000`, status: 503 },
      { method: 'GET', url: `${API}/ManagedAccounts?limit=1000&offset=1000`, status: 429 },
      { method: 'GET', url: `${API}/ManagedAccounts?limit=1000&offset=1000`, status: 401 },
      { method: 'GET', url: `${API}/Workgroups/3/Assets?limit=1000&offset=0`, status: 404 },
    ];
    expect(replayableRequests(log).map((entry) => `${entry.status} ${entry.url}`)).toEqual([
      `200 ${API}/ManagedAccounts?limit=1000&offset=0`,
      `404 ${API}/Workgroups/3/Assets?limit=1000&offset=0`,
    ]);
  });
});

describe('parseLoadInfoRows', () => {
  it('reads the row counts of the load info and leaves out the dlt system tables', () => {
    const stdout = [
      'Load package 1749667187.541553 is LOADED and contains no failed jobs',
      '',
      'Normalized data for the following tables:',
      '- _dlt_pipeline_state: 1 row(s)',
      '- managed_accounts: 1000 row(s)',
      '- secrets__urls: 103 row(s)',
    ].join('\n');
    expect(parseLoadInfoRows(stdout)).toEqual({ managed_accounts: 1000, secrets__urls: 103 });
  });
});

describe('recordsOfPage', () => {
  it('takes bare arrays, Data of containers, and single objects', () => {
    expect(recordsOfPage([{ a: 1 }, { a: 2 }])).toHaveLength(2);
    expect(recordsOfPage({ TotalCount: 3, Data: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(recordsOfPage({ a: 1 })).toEqual([{ a: 1 }]);
    expect(recordsOfPage(null)).toEqual([]);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('alignTable', () => {
  it('pads columns to one width and right-aligns numbers', () => {
    const text = alignTable(['name', 'n'], [['a', '1'], ['bbb', '100']], new Set([1]));
    expect(text.split('\n')).toEqual(['name    n', '----  ---', 'a       1', 'bbb   100']);
  });
});

describe('judgeRun', () => {
  const base: RunFigures = {
    scale: 100, managedAccounts: 100_000, kind: 'full', resources: 'default', rows: 1, tables: {}, seconds: 10, rowsPerSecond: 1, peakRssBytes: undefined, requests: 1,
  };

  it('passes a full run within 1.25 x the larger floor and misses above it', () => {
    expect(judgeRun({ ...base, ratioMax: 1.2 }).verdict).toBe('PASS');
    expect(judgeRun({ ...base, ratioMax: 1.3 }).verdict).toBe('MISS');
  });

  it('judges an incremental rerun of filtered resources against 10% of their first load', () => {
    expect(judgeRun({ ...base, kind: 'incremental (filtered)', ofFull: 0.08 }).verdict).toBe('PASS');
    expect(judgeRun({ ...base, kind: 'incremental (filtered)', ofFull: 0.4 }).verdict).toBe('MISS');
    expect(judgeRun({ ...base, kind: 'faults', ofFull: 3 }).verdict).toBe('info');
  });

  it('knows which resources the API can filter', () => {
    expect(FILTERED_RESOURCES).toEqual(['secrets', 'user_audits']);
  });
});
