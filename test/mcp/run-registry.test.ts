import { describe, expect, it } from 'vitest';
import { BtError } from '../../src/errors.js';
import type { LoadInfo } from '../../src/pipeline/index.js';
import type { RunProgressEvent } from '../../src/pipeline/types.js';
import { RunRegistry } from '../../src/mcp/runs/run-registry.js';

/** An executor the test finishes by hand; `events` are emitted as soon as it starts. */
function controllableRun(events: RunProgressEvent[] = []) {
  let finish!: (value: LoadInfo) => void;
  let fail!: (error: unknown) => void;
  let markStarted!: () => void;
  const started = new Promise<void>((resolveStarted) => {
    markStarted = resolveStarted;
  });
  const executor = ({ signal, onProgress }: { signal: AbortSignal; onProgress: (e: RunProgressEvent) => void }): Promise<LoadInfo> => {
    for (const event of events) onProgress(event);
    markStarted();
    return new Promise<LoadInfo>((resolveRun, rejectRun) => {
      finish = resolveRun;
      fail = rejectRun;
      signal.addEventListener('abort', () => rejectRun(new BtError('CANCELLED', 'The run was cancelled.')));
    });
  };
  return { executor, started, finish: (value: LoadInfo) => finish(value), fail: (error: unknown) => fail(error) };
}

const fakeLoadInfo = { load_ids: ['1.0'], row_counts: { t: 1 } } as unknown as LoadInfo;

describe('RunRegistry', () => {
  it('allows one run at a time and names the run in progress', async () => {
    const registry = new RunRegistry();
    const first = controllableRun();
    const run = registry.start({ pipelineName: 'p', resources: [] }, first.executor);
    await first.started;
    expect(() => registry.start({ pipelineName: 'p', resources: [] }, controllableRun().executor)).toThrowError(
      expect.objectContaining({ code: 'RUN_IN_PROGRESS', message: expect.stringContaining(run.runId) }),
    );
    expect(() => registry.assertNoActiveRun()).toThrowError(expect.objectContaining({ code: 'DB_LOCKED' }));
    first.finish(fakeLoadInfo);
    expect(await run.outcome).toEqual({ status: 'completed', loadInfo: fakeLoadInfo });
    await Promise.resolve();
    expect(registry.active).toBeUndefined();
    expect(registry.finished(run.runId)?.status).toBe('completed');
    expect(() => registry.assertNoActiveRun()).not.toThrow();
  });

  it('summarises progress events and forwards them to subscribers until they unsubscribe', async () => {
    const registry = new RunRegistry();
    const events: RunProgressEvent[] = [
      { type: 'step', step: 'extract', status: 'started' },
      { type: 'page', resource: 'a', page: 1, rows: 10, resource_rows: 10 },
      { type: 'page', resource: 'a', page: 2, rows: 5, resource_rows: 15 },
      { type: 'retry', endpoint: 'GET A', attempt: 2, reason: '503', delay_ms: 10 },
      { type: 'table', table: 'a', rows: 15 },
    ];
    const controlled = controllableRun(events);
    const run = registry.start({ pipelineName: 'p', resources: ['a'] }, controlled.executor);
    await controlled.started;
    expect(run.progress).toEqual({
      step: 'extract started',
      pages: 2,
      rows_extracted: 15,
      tables_loaded: { a: 15 },
      retries: 1,
      warnings: [],
    });
    controlled.finish(fakeLoadInfo);
    await run.outcome;
  });

  it('reports an abort as cancelled and a thrown error as failed', async () => {
    const registry = new RunRegistry();
    const cancelled = controllableRun();
    const run = registry.start({ pipelineName: 'p', resources: [] }, cancelled.executor);
    await cancelled.started;
    await registry.abortActive();
    expect((await run.outcome).status).toBe('cancelled');

    const failing = controllableRun();
    const second = registry.start({ pipelineName: 'p', resources: [] }, failing.executor);
    await failing.started;
    failing.fail(new BtError('BT_HTTP_500', 'boom', { details: { step: 'extract' } }));
    const outcome = await second.outcome;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'BT_HTTP_500' } });
  });

  it('turns a synchronous throw of the executor into a failed outcome', async () => {
    const registry = new RunRegistry();
    const run = registry.start({ pipelineName: 'p', resources: [] }, () => {
      throw new BtError('CONFIG_MISSING', 'no base_url');
    });
    expect(await run.outcome).toMatchObject({ status: 'failed', error: { code: 'CONFIG_MISSING' } });
  });
});
