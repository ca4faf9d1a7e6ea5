import { describe, expect, it } from 'vitest';
import { formatLoadInfo, humanizeDuration, newLoadId } from '../../src/pipeline/index.js';

describe('humanizeDuration (dlt / humanize.precisedelta)', () => {
  it.each([
    // Each expected string is what Python humanize 4.16 precisedelta(timedelta(milliseconds=ms)) returns.
    [260, '0.26 seconds'],
    [0, '0 seconds'],
    [4, '0 seconds'],
    [5, '0.01 seconds'],
    [125, '0.12 seconds'],
    [375, '0.38 seconds'],
    [995, '0.99 seconds'],
    [1000, '1 second'],
    [1004, '1 second'],
    [1420, '1.42 seconds'],
    [1999, '2 seconds'],
    [2350, '2.35 seconds'],
    [3000, '3 seconds'],
    [59_999, '1 minute'],
    [65_230, '1 minute and 5.23 seconds'],
    [120_000, '2 minutes'],
    [3_723_000, '1 hour, 2 minutes and 3 seconds'],
    [3_723_500, '1 hour, 2 minutes and 3.50 seconds'],
    [90_061_500, '1 day, 1 hour, 1 minute and 1.50 seconds'],
    [3_456_000_000, '1 month and 9 days'],
    [34_560_005_500, '1 year, 1 month, 4 days and 5.50 seconds'],
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
      load_step_duration_ms: 2350,
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
