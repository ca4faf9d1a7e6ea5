/**
 * A `run` child process killed with SIGKILL in the middle of a load: nothing of it is visible, the previous
 * load is intact, and the rerun ends with exactly the rows a clean full load gives.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipeline, readPipelineSummary } from '../../src/pipeline/index.js';
import type { RunTrace } from '../../src/pipeline/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { collect, spawnCli } from '../cli/helpers.js';
import { databaseSnapshot, makeTempDir, orphanLoadRows, simulatorSource } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, scale: 5 });
  ({ dir, cleanup } = await makeTempDir('bt-kill-'));
});
afterAll(async () => {
  await sim.stop();
  await cleanup();
});

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

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('kill -9 during a load', () => {
  it('leaves the database consistent, and the rerun completes with exact counts', async () => {
    const p = pipeline({ projectDir: dir });
    await p.run(simulatorSource(sim));
    sim.advance({ changedFraction: 0.2 });
    const before = await databaseSnapshot(p.dbPath);

    // A slow child run: one request at a time, 40 ms each, 250 rows per page → batches get appended mid-run.
    sim.faults.set('latency:40');
    const child = spawnCli(['run'], {
      cwd: dir,
      env: {
        SOURCES__BEYONDTRUST_SOURCE__BASE_URL: sim.baseUrl,
        SOURCES__BEYONDTRUST_SOURCE__API_KEY: sim.credentials.apiKey,
        SOURCES__BEYONDTRUST_SOURCE__RUNAS: sim.credentials.runas,
        SOURCES__BEYONDTRUST_SOURCE__PASSWORD: sim.credentials.password,
        SOURCES__BEYONDTRUST_SOURCE__PAGE_SIZE: '250',
        SOURCES__BEYONDTRUST_SOURCE__CONCURRENCY: '1',
      },
    });
    const exited = collect(child);
    const runs = path.join(p.workingDir, 'runs');
    // Kill once the child has appended at least one batch into its open transaction.
    const killedRun = await waitFor(async () => (await runningTraces(runs)).find((trace) => Object.values(trace.tables).some((rows) => rows > 0)), 'a batch to be loaded');
    // While the child holds the file: another writer and a reader get DB_LOCKED at once instead of hanging.
    await expect(p.run(simulatorSource(sim, ['platforms']))).rejects.toMatchObject({ code: 'DB_LOCKED', details: { step: 'load', pid: child.pid } });
    const during = await readPipelineSummary(dir, 'beyondtrust_pipeline');
    expect(during).toMatchObject({ db_locked: true, running: { run_id: killedRun.run_id } });
    child.kill('SIGKILL');
    const result = await exited;
    expect(result.signal).toBe('SIGKILL');
    sim.faults.clear();

    // Nothing of the killed run is visible; the previous load is intact.
    expect(await databaseSnapshot(p.dbPath)).toEqual(before);
    expect(await orphanLoadRows(p.dbPath)).toBe(0);
    const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
    expect(summary.running).toBeUndefined();
    expect(summary.failed_runs.find((run) => run.run_id === killedRun.run_id)).toMatchObject({ status: 'failed', error: { code: 'RUN_INTERRUPTED' } });

    // The rerun completes and ends with exactly the rows of a clean full load of the same source state.
    const info = await p.run(simulatorSource(sim));
    expect(info.status).toBe('LOADED');
    expect(await orphanLoadRows(p.dbPath)).toBe(0);
    const reference = pipeline({ projectDir: path.join(dir, 'reference') });
    await reference.run(simulatorSource(sim));
    const after = await databaseSnapshot(p.dbPath);
    const expected = await databaseSnapshot(reference.dbPath);
    const rowsOf = (snapshot: typeof after) => Object.fromEntries(Object.entries(snapshot.tables).filter(([t]) => !t.startsWith('_dlt')).map(([t, v]) => [t, v.rows]));
    expect(rowsOf(after)).toEqual(rowsOf(expected));
    expect(after.loads).toHaveLength(before.loads.length + 1);
  });
});
