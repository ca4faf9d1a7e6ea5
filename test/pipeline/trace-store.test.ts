import { utimes, writeFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPipelines, readPipelineSummary, readRunTrace } from '../../src/pipeline/index.js';
import type { RunTrace } from '../../src/pipeline/index.js';
import { MAX_KEPT_RUNS, tidyTraces, writeTraceFile } from '../../src/pipeline/trace-store.js';
import { pipelineWorkingDir } from '../../src/pipeline/working-dir.js';
import { makeTempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir('bt-trace-')));
afterEach(async () => cleanup());

function trace(runId: string, startedAt: string, status: RunTrace['status'] = 'completed'): RunTrace {
  return {
    run_id: runId,
    pipeline_name: 'p',
    dataset_name: 'd',
    destination: { name: 'duckdb', location: path.join(dir, 'p.duckdb') },
    status,
    started_at: startedAt,
    steps: [],
    resources: {},
    tables: { t: 5 },
    retries: { count: 0, recent: [] },
    reauth_count: 0,
    schema_changes: [],
    warnings: [],
    resources_selected: ['t'],
  };
}

describe('run traces', () => {
  it('keeps the newest 50 runs', async () => {
    const working = pipelineWorkingDir(dir, 'p');
    for (let i = 0; i < MAX_KEPT_RUNS + 5; i++) await writeTraceFile(working, trace(`run-${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
    await tidyTraces(working);
    const names = (await readdir(path.join(working, 'runs'))).sort();
    expect(names).toHaveLength(MAX_KEPT_RUNS);
    expect(names).not.toContain('run-0.json');
    expect(names).toContain(`run-${MAX_KEPT_RUNS + 4}.json`);
  });

  it('reports a running trace whose process is gone, or that stopped being rewritten, as failed RUN_INTERRUPTED', async () => {
    const working = pipelineWorkingDir(dir, 'p');
    await writeTraceFile(working, trace('dead-pid', '2026-01-01T00:00:00.000Z', 'running'));
    await writeFile(path.join(working, 'runs', 'dead-pid.pid'), '999999999');
    await writeTraceFile(working, trace('stale', '2026-01-01T00:00:01.000Z', 'running'));
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(working, 'runs', 'stale.json'), old, old);
    await writeTraceFile(working, trace('live', '2026-01-01T00:00:02.000Z', 'running'));
    await writeFile(path.join(working, 'runs', 'live.pid'), String(process.pid));

    expect(await readRunTrace(dir, 'p', 'dead-pid')).toMatchObject({ status: 'failed', error: { code: 'RUN_INTERRUPTED' } });
    expect(await readRunTrace(dir, 'p', 'stale')).toMatchObject({ status: 'failed', error: { code: 'RUN_INTERRUPTED' } });
    expect(await readRunTrace(dir, 'p', 'live')).toMatchObject({ status: 'running' });
    expect(await readRunTrace(dir, 'p', 'missing')).toBeUndefined();

    const summary = await readPipelineSummary(dir, 'p');
    expect(summary).toMatchObject({ pipeline_name: 'p', dataset_name: 'd', db_exists: false, running: { run_id: 'live' }, last_loads: [] });
    expect(summary.failed_runs.map((r) => r.run_id)).toEqual(['stale', 'dead-pid']);
    expect(await listPipelines(dir)).toEqual(['p']);
    await expect(readRunTrace(dir, 'p', '../escape')).rejects.toMatchObject({ code: 'INVALID_NAME' });
  });
});
