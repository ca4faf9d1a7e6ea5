/** Schema drift in the middle of a run (simulator drift faults) under evolve and freeze contracts. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BtError } from '../../src/errors.js';
import { pipeline, readPipelineSummary } from '../../src/pipeline/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { count, databaseSnapshot, makeTempDir, query, simulatorSource } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  sim = await startSimulator({ port: 0, seed: 3, scale: 1 });
  ({ dir, cleanup } = await makeTempDir('bt-drift-'));
});
afterEach(async () => {
  await sim.stop();
  await cleanup();
});

// 10 pages of 100 managed accounts; drift starts after the 4th data request, so the first pages have no drift.
const ACCOUNTS = ['managed_accounts'];
const PAGED = { pageSize: 100, concurrency: 1 };

describe('schema drift mid-run', () => {
  it('evolve: a new field becomes a new column, filled only from the drifted pages on', async () => {
    sim.faults.set('drift:4');
    const info = await pipeline({ projectDir: dir }).run(simulatorSource(sim, ACCOUNTS, PAGED));
    expect(info.schema_changes).toContainEqual({ kind: 'new_column', table: 'managed_accounts', column: 'risk_score', data_type: 'double' });
    const dbPath = info.destination_location;
    const filled = await count(dbPath, 'managed_accounts', 'risk_score IS NOT NULL');
    expect(filled).toBeGreaterThan(0);
    expect(filled).toBeLessThan(sim.counts.managedAccounts);
    expect(await count(dbPath, 'managed_accounts')).toBe(sim.counts.managedAccounts);
    expect(info.trace.schema_changes).toEqual(info.schema_changes);

    // Schema versions: the drift inside the first load is still version 1; the same drift again changes nothing;
    // a later load with a new change adds exactly one version.
    const versions = () => query(dbPath, 'SELECT version, version_hash FROM beyondtrust_data._dlt_version ORDER BY version');
    expect((await versions()).map(([version]) => version)).toEqual([1n]);
    const first = await versions();
    sim.faults.set('drift:4');
    await pipeline({ projectDir: dir }).run(simulatorSource(sim, ACCOUNTS, PAGED));
    expect(await versions()).toEqual(first);
    sim.faults.set('drift-type:2');
    await pipeline({ projectDir: dir }).run(simulatorSource(sim, ACCOUNTS, PAGED));
    expect((await versions()).map(([version]) => version)).toEqual([1n, 2n]);
    expect(await query(dbPath, 'SELECT count(DISTINCT schema_version_hash) FROM beyondtrust_data._dlt_loads')).toEqual([[2n]]);
  });

  it('evolve: a changed type becomes a variant column next to the original', async () => {
    sim.faults.set('drift-type:4');
    const info = await pipeline({ projectDir: dir }).run(simulatorSource(sim, ACCOUNTS, PAGED));
    const variant = info.schema_changes.find((change) => change.kind === 'variant_column');
    expect(variant).toMatchObject({ table: 'managed_accounts', of: 'change_state', data_type: 'text' });
    const dbPath = info.destination_location;
    const column = (variant as { column: string }).column;
    const asText = await count(dbPath, 'managed_accounts', `"${column}" IS NOT NULL`);
    const asNumber = await count(dbPath, 'managed_accounts', 'change_state IS NOT NULL');
    expect(asText).toBeGreaterThan(0);
    expect(asNumber).toBeGreaterThan(0);
    expect(asText + asNumber).toBe(sim.counts.managedAccounts);
  });

  it('freeze: the drifted run fails with SCHEMA_CONTRACT_VIOLATION (step normalize) and the database stays as it was', async () => {
    const p = pipeline({ projectDir: dir });
    await p.run(simulatorSource(sim, ACCOUNTS, PAGED));
    const before = await databaseSnapshot(p.dbPath);
    const stateBefore = (await readPipelineSummary(dir, 'beyondtrust_pipeline')).state;

    for (const [fault, contract] of [['drift:4', { columns: 'freeze' }], ['drift-type:4', { data_type: 'freeze' }]] as const) {
      sim.faults.set(fault);
      const failure = await p.run(simulatorSource(sim, ACCOUNTS, PAGED), { schemaContract: contract, runId: `frozen-${fault.replace(':', '-')}` }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(BtError);
      expect(failure).toMatchObject({ code: 'SCHEMA_CONTRACT_VIOLATION', details: { step: 'normalize' } });
      expect(await databaseSnapshot(p.dbPath)).toEqual(before);
      // The abandoned extraction still signed out of every session it opened.
      expect(sim.stats.signOuts).toBe(sim.stats.signIns);
      const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
      expect(summary.state).toEqual(stateBefore);
      expect(summary.failed_runs[0]).toMatchObject({ run_id: `frozen-${fault.replace(':', '-')}`, status: 'failed', error: { code: 'SCHEMA_CONTRACT_VIOLATION', step: 'normalize' } });
    }
    expect(await query(p.dbPath, "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'managed_accounts' AND column_name = 'risk_score'")).toEqual([[0n]]);
  });
});
