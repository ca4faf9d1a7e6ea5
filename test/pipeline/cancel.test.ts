import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipeline, readPipelineSummary } from '../../src/pipeline/index.js';
import type { RunProgressEvent } from '../../src/pipeline/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { databaseSnapshot, makeTempDir, simulatorSource } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 9, scale: 1 });
  ({ dir, cleanup } = await makeTempDir('bt-cancel-'));
});
afterAll(async () => {
  await sim.stop();
  await cleanup();
});

it('an aborted run ends as cancelled: CANCELLED error, trace status cancelled, database as before', async () => {
  const p = pipeline({ projectDir: dir });
  await p.run(simulatorSource(sim, ['platforms']));
  const before = await databaseSnapshot(p.dbPath);
  const controller = new AbortController();
  const events: RunProgressEvent[] = [];
  const failure = await p
    .run(simulatorSource(sim, ['managed_accounts', 'platforms'], { pageSize: 100, concurrency: 1 }), {
      signal: controller.signal,
      runId: 'to-cancel',
      onProgress: (event) => {
        events.push(event);
        if (event.type === 'page' && event.page === 3) controller.abort();
      },
    })
    .catch((e: unknown) => e);
  expect(failure).toMatchObject({ code: 'CANCELLED' });
  expect(events.at(-1)).toEqual({ type: 'done', status: 'cancelled' });
  expect(await databaseSnapshot(p.dbPath)).toEqual(before);
  const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
  expect(summary.last_runs[0]).toMatchObject({ run_id: 'to-cancel', status: 'cancelled', error: { code: 'CANCELLED' } });
  expect(summary.running).toBeUndefined();
});
