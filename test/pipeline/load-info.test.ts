import { describe, expect, it } from 'vitest';
import { formatLoadInfo, humanizeDuration, newLoadId } from '../../src/pipeline/index.js';

describe('humanizeDuration (dlt / humanize.precisedelta)', () => {
  it.each([
    [260, '0.26 seconds'],
    [0, '0.00 seconds'],
    [1000, '1.00 second'],
    [2350, '2.35 seconds'],
    [65_230, '1 minute and 5.23 seconds'],
    [120_000, '2 minutes'],
    [3_723_000, '1 hour, 2 minutes and 3.00 seconds'],
  ])('%i ms → %s', (ms, text) => {
    expect(humanizeDuration(ms)).toBe(text);
  });
});

describe('formatLoadInfo', () => {
  it("prints dlt's four lines, then the normalized tables sorted by name", () => {
    const text = formatLoadInfo({
      pipeline_name: 'beyondtrust_pipeline',
      destination_name: 'duckdb',
      destination_location: '/work/x/beyondtrust_pipeline.duckdb',
      dataset_name: 'beyondtrust_data',
      load_ids: ['1749667187.541553'],
      duration_ms: 2350,
      row_counts: { secrets__urls: 3, managed_accounts: 10, _dlt_pipeline_state: 1 },
    });
    expect(text).toBe(
      [
        'Pipeline beyondtrust_pipeline load step completed in 2.35 seconds',
        '1 load package(s) were loaded to destination duckdb and into dataset beyondtrust_data',
        'The duckdb destination used duckdb:////work/x/beyondtrust_pipeline.duckdb location to store data',
        'Load package 1749667187.541553 is LOADED and contains no failed jobs',
        '',
        'Normalized data for the following tables:',
        '- _dlt_pipeline_state: 1 row(s)',
        '- managed_accounts: 10 row(s)',
        '- secrets__urls: 3 row(s)',
      ].join('\n'),
    );
  });
});

describe('newLoadId', () => {
  it('is unix seconds with a 6-digit fraction, strictly increasing', () => {
    const ids = Array.from({ length: 50 }, () => newLoadId());
    for (const id of ids) expect(id).toMatch(/^\d{10}\.\d{6}$/);
    for (let i = 1; i < ids.length; i++) expect(Number(ids[i]) > Number(ids[i - 1]) || ids[i]! > ids[i - 1]!).toBe(true);
    expect(newLoadId(1_749_667_187_541)).toMatch(/^\d{10}\.\d{6}$/);
  });
});
