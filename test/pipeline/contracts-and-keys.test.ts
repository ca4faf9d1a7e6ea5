/**
 * Pipeline-level data rules: rows and values dropped by discard_row / discard_value contracts are counted per
 * table in the trace, the load info and one warning per table; a merge resource whose rows lack their primary key
 * fails the load (MERGE_NULL_KEY) instead of silently folding them into one row.
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BtError } from '../../src/errors.js';
import { pipeline, readPipelineSummary } from '../../src/pipeline/index.js';
import type { RunProgressEvent } from '../../src/pipeline/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { count, databaseSnapshot, makeTempDir, query, simulatorJson, simulatorSource, withPrimaryKey } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  sim = await startSimulator({ port: 0, seed: 3, scale: 1 });
  ({ dir, cleanup } = await makeTempDir('bt-contract-'));
});
afterEach(async () => {
  await sim.stop();
  await cleanup();
});

// 10 pages of 100 managed accounts; drift starts after the 4th data request (counted from faults.set()).
const ACCOUNTS = ['managed_accounts'];
const PAGED = { pageSize: 100, concurrency: 1 };

/** Rows of the drifted pages, counted on an evolve load of the same source into another directory. */
async function driftedRows(fault: string, where: (dbPath: string) => Promise<number>): Promise<number> {
  const { dir: reference, cleanup: done } = await makeTempDir('bt-contract-ref-');
  try {
    sim.faults.set(fault);
    const info = await pipeline({ projectDir: reference }).run(simulatorSource(sim, ACCOUNTS, PAGED));
    return await where(info.destination_location);
  } finally {
    await done();
  }
}

describe('discard contracts are reported', () => {
  it('discard_value: the dropped values are counted for the table in trace, load info and one warning', async () => {
    const drifted = await driftedRows('drift:4', (dbPath) => count(dbPath, 'managed_accounts', 'risk_score IS NOT NULL'));
    expect(drifted).toBeGreaterThan(100);
    sim.faults.set('drift:4');
    const events: RunProgressEvent[] = [];
    const info = await pipeline({ projectDir: dir }).run(simulatorSource(sim, ACCOUNTS, PAGED), {
      schemaContract: { columns: 'discard_value' },
      runId: 'discard-value',
      onProgress: (event) => events.push(event),
    });
    expect(info.discarded).toEqual({ managed_accounts: { rows: 0, values: drifted } });
    expect(info.trace.discarded).toEqual({ managed_accounts: { rows: 0, values: drifted } });
    const warning = `Table managed_accounts: ${drifted} value(s) dropped (discard_value) by the schema contract.`;
    expect(info.warnings.filter((w) => w.startsWith('Table managed_accounts:'))).toEqual([warning]);
    expect(events.filter((e) => e.type === 'warning' && e.message.startsWith('Table managed_accounts:'))).toEqual([{ type: 'warning', message: warning }]);
    // The rows stay, without the new column.
    expect(await count(info.destination_location, 'managed_accounts')).toBe(sim.counts.managedAccounts);
    expect(await query(info.destination_location, "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'managed_accounts' AND column_name = 'risk_score'")).toEqual([[0n]]);
    // The persisted trace has the counts too.
    const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
    expect(summary.last_runs.find((run) => run.run_id === 'discard-value')?.discarded).toEqual({ managed_accounts: { rows: 0, values: drifted } });
  });

  it('discard_row (columns and data_type): the dropped rows are counted per table, once per run', async () => {
    const withRisk = await driftedRows('drift:4', (dbPath) => count(dbPath, 'managed_accounts', 'risk_score IS NOT NULL'));
    sim.faults.set('drift:4');
    const p = pipeline({ projectDir: dir });
    const byColumn = await p.run(simulatorSource(sim, ACCOUNTS, PAGED), { schemaContract: { columns: 'discard_row' } });
    expect(byColumn.discarded).toEqual({ managed_accounts: { rows: withRisk, values: 0 } });
    expect(byColumn.warnings).toContain(`Table managed_accounts: ${withRisk} row(s) dropped (discard_row) by the schema contract.`);
    expect(byColumn.row_counts['managed_accounts']).toBe(sim.counts.managedAccounts - withRisk);

    const asText = await driftedRows('drift-type:4', async (dbPath) => {
      const variant = (await query(dbPath, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'managed_accounts' AND column_name LIKE 'change_state__v_%'")).flat()[0] as string;
      return count(dbPath, 'managed_accounts', `"${variant}" IS NOT NULL`);
    });
    sim.faults.set('drift-type:4');
    const byType = await p.run(simulatorSource(sim, ACCOUNTS, PAGED), { schemaContract: { data_type: 'discard_row' } });
    expect(byType.discarded).toEqual({ managed_accounts: { rows: asText, values: 0 } });
    expect(byType.warnings.filter((w) => w.startsWith('Table managed_accounts:'))).toEqual([`Table managed_accounts: ${asText} row(s) dropped (discard_row) by the schema contract.`]);
  });

  it('a run without contract violations reports nothing discarded', async () => {
    const info = await pipeline({ projectDir: dir }).run(simulatorSource(sim, ['platforms']), { schemaContract: { columns: 'discard_row' } });
    expect(info.discarded).toEqual({});
    expect(info.trace.discarded).toEqual({});
    expect(info.warnings).toEqual([]);
  });
});

describe('merge with a NULL primary key', () => {
  const nullPorts = async (): Promise<number> => {
    const [platforms] = (await simulatorJson(sim, ['Platforms'])) as { DefaultPort: number | null }[][];
    return platforms!.filter((platform) => platform.DefaultPort === null).length;
  };

  it('fails the load with MERGE_NULL_KEY naming table, column and rows; the database stays as it was', async () => {
    const p = pipeline({ projectDir: dir });
    await p.run(simulatorSource(sim, ['managed_systems']));
    const before = await databaseSnapshot(p.dbPath);
    const expected = await nullPorts();
    expect(expected).toBeGreaterThan(0);
    const failure = await p.run(withPrimaryKey(simulatorSource(sim, ['platforms']), 'platforms', ['DefaultPort']), { runId: 'null-key' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BtError);
    expect(failure).toMatchObject({ code: 'MERGE_NULL_KEY', details: { step: 'load', table: 'platforms', primary_key: ['default_port'], rows: expected, null_columns: { default_port: expected } } });
    expect((failure as BtError).message).toContain(`Table platforms is loaded with merge on primary key (default_port), but ${expected} row(s) have a NULL key (default_port: ${expected})`);
    expect(await databaseSnapshot(p.dbPath)).toEqual(before);
    const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
    expect(summary.last_runs[0]).toMatchObject({ run_id: 'null-key', status: 'failed', error: { code: 'MERGE_NULL_KEY', step: 'load' } });
  });

  it('a failed first run deletes the database file its own load created', async () => {
    const p = pipeline({ projectDir: dir });
    const failure = await p.run(withPrimaryKey(simulatorSource(sim, ['platforms']), 'platforms', ['DefaultPort'])).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'MERGE_NULL_KEY' });
    expect(existsSync(p.dbPath)).toBe(false);
    expect(existsSync(`${p.dbPath}.wal`)).toBe(false);
  });
});
