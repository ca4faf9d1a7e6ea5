/** Retries and re-authentication under simulator faults show up in the run trace and progress, counted exactly. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipeline } from '../../src/pipeline/index.js';
import type { RunProgressEvent, RunTrace } from '../../src/pipeline/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { count, makeTempDir, simulatorSource } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 13, scale: 1 });
  ({ dir, cleanup } = await makeTempDir('bt-faults-'));
});
afterAll(async () => {
  await sim.stop();
  await cleanup();
});

it('every injected 5xx / 429 / reset is one retry in the trace, every expired session one re-auth; counts stay exact', async () => {
  sim.faults.set('503:0.08,502:0.04,429:0.06,reset:0.04,retry-after:0,expire:25');
  sim.stats.reset();
  const events: RunProgressEvent[] = [];
  // One request at a time: an expired session then fails exactly one request (with two in flight both would re-auth).
  const info = await pipeline({ projectDir: dir }).run(simulatorSource(sim, ['managed_accounts', 'managed_systems', 'secrets', 'platforms'], { pageSize: 25, concurrency: 1 }), {
    runId: 'faulty',
    onProgress: (event) => events.push(event),
  });
  sim.faults.clear();
  const injected = sim.stats.faultsInjected;
  const rateFaults = ['503', '502', '429', 'reset'].reduce((n, kind) => n + (injected[kind] ?? 0), 0);
  expect(injected['503']).toBeGreaterThan(0);
  expect(injected['429']).toBeGreaterThan(0);
  expect(injected['reset']).toBeGreaterThan(0);
  expect(injected['expire']).toBeGreaterThan(0);

  const { trace } = info;
  expect(trace.retries.count).toBe(rateFaults);
  expect(trace.reauth_count).toBe(injected['expire']);
  expect(events.filter((event) => event.type === 'retry')).toHaveLength(rateFaults);
  for (const retry of trace.retries.recent) {
    expect(retry.endpoint).toMatch(/^GET /);
    expect(retry.attempt).toBeGreaterThanOrEqual(1);
    expect(retry.reason.length).toBeGreaterThan(0);
  }
  const reasons = new Set(events.flatMap((event) => (event.type === 'retry' ? [event.reason] : [])));
  expect(reasons).toContain('status 503');
  expect(reasons).toContain('status 429');
  // The persisted trace says the same.
  const persisted = JSON.parse(await readFile(path.join(dir, '.dlt/pipelines/beyondtrust_pipeline/runs/faulty.json'), 'utf8')) as RunTrace;
  expect(persisted.retries.count).toBe(rateFaults);
  expect(persisted.reauth_count).toBe(injected['expire']);

  // Nothing lost or doubled by the retries.
  expect(await count(info.destination_location, 'managed_accounts')).toBe(sim.counts.managedAccounts);
  expect(await count(info.destination_location, 'managed_systems')).toBe(sim.counts.managedSystems);
  expect(await count(info.destination_location, 'secrets')).toBe(sim.counts.secrets);
  expect(await count(info.destination_location, 'platforms')).toBe(sim.counts.platforms);
});
