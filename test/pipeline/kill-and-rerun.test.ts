/**
 * A `run` child process (the built CLI) killed with SIGKILL at three points of a load — during extraction before its
 * first flush, after several flushes, and inside the commit right before COMMIT: nothing of it is visible, the
 * previous load is intact, and each rerun ends with exactly the rows a clean full load gives, without duplicates.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BtError } from '../../src/errors.js';
import { pipeline, readPipelineSummary } from '../../src/pipeline/index.js';
import type { RunTrace } from '../../src/pipeline/index.js';
import type { StoredSchema } from '../../src/normalize/types.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { collect, spawnCli } from '../cli/helpers.js';
import type { CliResult } from '../cli/helpers.js';
import { startGateProxy } from './gate-proxy.js';
import { databaseSnapshot, makeTempDir, orphanLoadRows, query, queryInOtherProcess, simulatorSource } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, scale: 5 });
  ({ dir, cleanup } = await makeTempDir('bt-kill-'));
  await pipeline({ projectDir: dir }).run(simulatorSource(sim));
}, 120_000);
afterAll(async () => {
  await sim.stop();
  await cleanup();
});

type Snapshot = Awaited<ReturnType<typeof databaseSnapshot>>;

async function runningTraces(runs: string): Promise<RunTrace[]> {
  const names = await readdir(runs).catch(() => [] as string[]);
  const traces: RunTrace[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      traces.push(JSON.parse(await readFile(path.join(runs, name), 'utf8')) as RunTrace);
    } catch {
      // Being renamed into place; read it next time.
    }
  }
  return traces.filter((trace) => trace.status === 'running');
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function spawnRun(baseUrl: string, env: NodeJS.ProcessEnv = {}): { child: ChildProcessWithoutNullStreams; exited: Promise<CliResult>; stderr: () => string } {
  const child = spawnCli(['run'], {
    cwd: dir,
    env: {
      SOURCES__BEYONDTRUST_SOURCE__BASE_URL: baseUrl,
      SOURCES__BEYONDTRUST_SOURCE__API_KEY: sim.credentials.apiKey,
      SOURCES__BEYONDTRUST_SOURCE__RUNAS: sim.credentials.runas,
      SOURCES__BEYONDTRUST_SOURCE__PASSWORD: sim.credentials.password,
      SOURCES__BEYONDTRUST_SOURCE__CONCURRENCY: '1',
      ...env,
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, exited: collect(child), stderr: () => stderr };
}

const rowsOf = (snapshot: Snapshot): Record<string, number> =>
  Object.fromEntries(Object.entries(snapshot.tables).filter(([t]) => !t.startsWith('_dlt')).map(([t, v]) => [t, v.rows]));

/** Root tables loaded with merge, by their primary key: no key may appear twice. */
async function duplicateKeys(dbPath: string): Promise<Record<string, number>> {
  const [[text]] = (await query(dbPath, 'SELECT schema FROM beyondtrust_data._dlt_version ORDER BY version DESC LIMIT 1')) as [[string]];
  const schema = JSON.parse(text) as StoredSchema;
  const duplicates: Record<string, number> = {};
  for (const table of Object.values(schema.tables)) {
    const key = Object.values(table.columns).filter((column) => column.primary_key).map((column) => `"${column.name}"`);
    if (table.parent !== undefined || table.write_disposition !== 'merge' || key.length === 0) continue;
    const [[extra]] = (await query(dbPath, `SELECT count(*) - count(DISTINCT (${key.join(', ')})) FROM beyondtrust_data."${table.name}"`)) as [[bigint]];
    duplicates[table.name] = Number(extra);
  }
  return duplicates;
}

/** After a killed run: nothing of it is visible, its trace says interrupted; the rerun matches a clean full load. */
async function expectIntactThenRerunExact(before: Snapshot, killedRunId: string): Promise<void> {
  const p = pipeline({ projectDir: dir });
  expect(await databaseSnapshot(p.dbPath)).toEqual(before);
  expect(await orphanLoadRows(p.dbPath)).toBe(0);
  const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
  expect(summary.running).toBeUndefined();
  expect(summary.failed_runs.find((run) => run.run_id === killedRunId)).toMatchObject({ status: 'failed', error: { code: 'RUN_INTERRUPTED' } });

  const info = await p.run(simulatorSource(sim));
  expect(info.status).toBe('LOADED');
  expect(await orphanLoadRows(p.dbPath)).toBe(0);
  const { dir: referenceDir, cleanup: done } = await makeTempDir('bt-kill-ref-');
  try {
    const reference = pipeline({ projectDir: referenceDir });
    await reference.run(simulatorSource(sim));
    const after = await databaseSnapshot(p.dbPath);
    expect(rowsOf(after)).toEqual(rowsOf(await databaseSnapshot(reference.dbPath)));
    expect(after.loads).toHaveLength(before.loads.length + 1);
    const duplicates = await duplicateKeys(p.dbPath);
    expect(Object.keys(duplicates).length).toBeGreaterThan(5);
    expect(Object.values(duplicates).every((n) => n === 0)).toBe(true);
  } finally {
    await done();
  }
}

// Each case: a child run, its kill, a rerun and a reference load at scale 5.
const CASE_TIMEOUT_MS = 240_000;

describe('kill -9 during a load', () => {
  it('during extraction, before the first flush: the file was never locked; nothing changes', async () => {
    sim.advance({ changedFraction: 0.2 });
    const dbPath = pipeline({ projectDir: dir }).dbPath;
    const before = await databaseSnapshot(dbPath);
    // Held after 3 data requests of 100 rows: at most 300 rows buffered, below every flush threshold.
    const gate = await startGateProxy(sim.baseUrl, { holdAfter: 3 });
    try {
      const run = spawnRun(gate.baseUrl, { SOURCES__BEYONDTRUST_SOURCE__PAGE_SIZE: '100' });
      await gate.waitForHeld();
      const killed = await waitFor(async () => (await runningTraces(path.join(dir, '.dlt/pipelines/beyondtrust_pipeline/runs')))[0], 'the child trace');
      expect(Object.values(killed.tables).reduce((n, rows) => n + rows, 0)).toBe(0);
      // Signed in and extracting, yet readers (here and in another process) use the file freely.
      expect(await queryInOtherProcess(dbPath, 'SELECT count(*) FROM beyondtrust_data._dlt_loads')).toEqual([[before.loads.length]]);
      const during = await readPipelineSummary(dir, 'beyondtrust_pipeline');
      expect(during.db_locked).not.toBe(true);
      expect(during.running?.run_id).toBe(killed.run_id);
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
      await expectIntactThenRerunExact(before, killed.run_id);
    } finally {
      await gate.stop();
    }
  }, CASE_TIMEOUT_MS);

  it('after several flushes into the open transaction: the killed rows never become visible', async () => {
    sim.advance({ changedFraction: 0.2 });
    const p = pipeline({ projectDir: dir, lockWaitMs: 0 });
    const before = await databaseSnapshot(p.dbPath);
    // A slow child run: one request at a time, 40 ms each, 250 rows per page → batches get appended mid-run.
    sim.faults.set('latency:40');
    let killedRunId = '';
    try {
      const run = spawnRun(sim.baseUrl, { SOURCES__BEYONDTRUST_SOURCE__PAGE_SIZE: '250' });
      const runs = path.join(p.workingDir, 'runs');
      // More rows written than one batch holds: at least two flushes happened.
      const killed = await waitFor(async () => (await runningTraces(runs)).find((trace) => Object.values(trace.tables).reduce((n, rows) => n + rows, 0) > 4_096), 'several batches to be loaded');
      // While the child holds the file: another writer and a reader get DB_LOCKED naming the child, at once.
      const writer = await p.run(simulatorSource(sim, ['platforms'])).catch((e: unknown) => e);
      expect(writer).toBeInstanceOf(BtError);
      expect(writer).toMatchObject({ code: 'DB_LOCKED', details: { step: 'load', pid: run.child.pid, holder: 'writer' } });
      expect((writer as BtError).message).toContain(`A load is running on ${p.dbPath} (pid ${run.child.pid})`);
      const during = await readPipelineSummary(dir, 'beyondtrust_pipeline');
      expect(during).toMatchObject({ db_locked: true, running: { run_id: killed.run_id } });
      killedRunId = killed.run_id;
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
    } finally {
      sim.faults.clear();
    }
    await expectIntactThenRerunExact(before, killedRunId);
  }, CASE_TIMEOUT_MS);

  it('inside the commit, with data, _dlt_loads, state and schema written but before COMMIT', async () => {
    sim.advance({ changedFraction: 0.2 });
    const dbPath = pipeline({ projectDir: dir }).dbPath;
    const before = await databaseSnapshot(dbPath);
    const run = spawnRun(sim.baseUrl, { BT_TEST_PAUSE_BEFORE_COMMIT_MS: '600000' });
    await waitFor(async () => (run.stderr().includes('BT_TEST: pausing') ? true : undefined), 'the child to reach COMMIT', 120_000);
    const [killed] = await runningTraces(path.join(dir, '.dlt/pipelines/beyondtrust_pipeline/runs'));
    expect(killed?.steps.map((step) => step.name)).toEqual(['extract', 'normalize', 'load']);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    await expectIntactThenRerunExact(before, killed!.run_id);
  }, CASE_TIMEOUT_MS);
});
