/**
 * The DuckDB write lock is held only while a run writes: not during sign-in and extraction before the first flush
 * (readers and other loads may use the file then), and a load that committed in between is detected
 * (CONCURRENT_LOAD). A writer meeting a lock retries with backoff and words its error after the actual holder.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BtError } from '../../src/errors.js';
import { humanizeDuration, pipeline, readPipelineSummary } from '../../src/pipeline/index.js';
import type { RunProgressEvent } from '../../src/pipeline/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { holdFile } from '../destinations/helpers.js';
import { startGateProxy } from './gate-proxy.js';
import { count, databaseSnapshot, makeTempDir, queryInOtherProcess, simulatorSource } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 21, scale: 1 });
  ({ dir, cleanup } = await makeTempDir('bt-lock-'));
});
afterAll(async () => {
  await sim.stop();
  await cleanup();
});

// 1000 managed accounts in pages of 100, one request at a time: held after 2 data requests, at most 200 rows are
// buffered, far below any flush threshold, so the run is provably still before its first flush.
const ACCOUNTS = ['managed_accounts'];
const PAGED = { pageSize: 100, concurrency: 1 };

describe('the write lock is taken at the first flush, not before', () => {
  it('during extraction before the first flush, readers in this and in another process query the file', async () => {
    const p = pipeline({ projectDir: dir });
    await p.run(simulatorSource(sim, ACCOUNTS));
    const gate = await startGateProxy(sim.baseUrl, { holdAfter: 2 });
    try {
      const events: RunProgressEvent[] = [];
      const running = p.run(simulatorSource(sim, ACCOUNTS, { ...PAGED, baseUrl: gate.baseUrl }), { runId: 'held-run', onProgress: (event) => events.push(event) });
      await gate.waitForHeld();
      // Signed in and extracting; nothing flushed, the load step has not started.
      expect(events.some((event) => event.type === 'table')).toBe(false);
      expect(events.some((event) => event.type === 'step' && event.step === 'load')).toBe(false);
      expect(await count(p.dbPath, 'managed_accounts')).toBe(sim.counts.managedAccounts);
      expect(await queryInOtherProcess(p.dbPath, 'SELECT count(*) FROM beyondtrust_data.managed_accounts')).toEqual([[sim.counts.managedAccounts]]);
      const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
      expect(summary.db_locked).not.toBe(true);
      expect(summary.running?.run_id).toBe('held-run');

      const releasedAt = new Date().toISOString();
      gate.release();
      const info = await running;
      expect(info.status).toBe('LOADED');
      expect(await count(p.dbPath, 'managed_accounts')).toBe(sim.counts.managedAccounts);
      // The load step starts with the first write (after the gate opened), and the load info's first line reports
      // that step's time, as dlt does, not the whole run's.
      expect(info.trace.steps.map((step) => step.name)).toEqual(['extract', 'normalize', 'load']);
      const loadStep = info.trace.steps.find((step) => step.name === 'load')!;
      expect(loadStep.started_at >= releasedAt).toBe(true);
      expect(info.trace.steps.find((step) => step.name === 'extract')!.started_at < releasedAt).toBe(true);
      expect(info.load_step_duration_ms).toBe(loadStep.duration_ms);
      expect(String(info).split('\n')[0]).toBe(`Pipeline beyondtrust_pipeline load step completed in ${humanizeDuration(loadStep.duration_ms!)}`);
    } finally {
      await gate.stop();
    }
  });

  it('a load that commits while another run of the pipeline extracts makes that run fail with CONCURRENT_LOAD, writing nothing', async () => {
    const p = pipeline({ projectDir: dir });
    await p.run(simulatorSource(sim, ['secrets', ...ACCOUNTS]));
    sim.advance({ changedFraction: 0.2 });
    const gate = await startGateProxy(sim.baseUrl, { holdAfter: 2 });
    try {
      const running = p.run(simulatorSource(sim, ACCOUNTS, { ...PAGED, baseUrl: gate.baseUrl }), { runId: 'overtaken' }).catch((e: unknown) => e);
      await gate.waitForHeld();
      // Another run moves the incremental state of secrets on and commits.
      await p.run(simulatorSource(sim, ['secrets']));
      const committed = await databaseSnapshot(p.dbPath);
      gate.release();
      const failure = await running;
      expect(failure).toBeInstanceOf(BtError);
      expect(failure).toMatchObject({ code: 'CONCURRENT_LOAD', details: { step: 'load', pipeline: 'beyondtrust_pipeline' } });
      expect((failure as BtError).hint).toMatch(/Rerun/);
      expect(await databaseSnapshot(p.dbPath)).toEqual(committed);
      const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
      expect(summary.last_runs.find((run) => run.run_id === 'overtaken')).toMatchObject({ status: 'failed', error: { code: 'CONCURRENT_LOAD', step: 'load' } });
    } finally {
      await gate.stop();
    }
    // The rerun starts from the new state and loads.
    expect((await p.run(simulatorSource(sim, ACCOUNTS))).status).toBe('LOADED');
  });

  it('a failed first run keeps a file that another load created and committed meanwhile', async () => {
    const { dir: fresh, cleanup: done } = await makeTempDir('bt-lock-fresh-');
    const gate = await startGateProxy(sim.baseUrl, { holdAfter: 2 });
    try {
      const p = pipeline({ projectDir: fresh });
      const running = p.run(simulatorSource(sim, ACCOUNTS, { ...PAGED, baseUrl: gate.baseUrl })).catch((e: unknown) => e);
      await gate.waitForHeld();
      expect(existsSync(p.dbPath)).toBe(false);
      await p.run(simulatorSource(sim, ['platforms']));
      gate.release();
      expect(await running).toMatchObject({ code: 'CONCURRENT_LOAD' });
      expect(existsSync(p.dbPath)).toBe(true);
      expect(await count(p.dbPath, 'platforms')).toBe(sim.counts.platforms);
    } finally {
      await gate.stop();
      await done();
    }
  });
});

describe('a writer meeting a lock held by a reader', () => {
  it('retries for lockWaitMs, then fails with a neutral DB_LOCKED naming the reader (not "a load is running")', async () => {
    const p = pipeline({ projectDir: dir, lockWaitMs: 300 });
    const before = await databaseSnapshot(p.dbPath);
    const reader = await holdFile(p.dbPath, { readOnly: true });
    try {
      const events: RunProgressEvent[] = [];
      const failure = await p.run(simulatorSource(sim, ['platforms']), { onProgress: (event) => events.push(event) }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(BtError);
      const error = failure as BtError;
      expect(error).toMatchObject({ code: 'DB_LOCKED', details: { step: 'load', pid: reader.pid, holder: 'reader' } });
      expect(error.message).toBe(
        `The database file ${p.dbPath} is held by another process (pid ${reader.pid}), which has it open for reading; DuckDB cannot write a file while another process has it open.`,
      );
      expect(error.hint).toContain('Close the program that has the file open');
      expect(Number(error.details.waited_ms)).toBeGreaterThanOrEqual(300);
      expect(events).toContainEqual({ type: 'warning', message: `${p.dbPath} is held by another process (pid ${reader.pid}); retrying for up to 0.30 seconds.` });
      expect(await databaseSnapshot(p.dbPath)).toEqual(before);
    } finally {
      await reader.release();
    }
    expect(existsSync(p.dbPath)).toBe(true);
  });

  it('loads once the reader closes the file while the writer is retrying', async () => {
    const p = pipeline({ projectDir: dir, lockWaitMs: 120_000 });
    const reader = await holdFile(p.dbPath, { readOnly: true });
    let released: Promise<void> | undefined;
    const info = await p.run(simulatorSource(sim, ['platforms']), {
      onProgress: (event) => {
        if (event.type === 'warning' && event.message.includes('is held by another process')) released ??= reader.release();
      },
    });
    await released;
    expect(released).toBeDefined();
    expect(info.status).toBe('LOADED');
    expect(info.trace.warnings).toContain(`${p.dbPath} is held by another process (pid ${reader.pid}); retrying for up to 2 minutes.`);
    expect(await count(p.dbPath, 'platforms')).toBe(sim.counts.platforms);
  });

  it('a run cancelled while it waits for the lock ends as CANCELLED', async () => {
    const p = pipeline({ projectDir: dir, lockWaitMs: 120_000 });
    const reader = await holdFile(p.dbPath, { readOnly: true });
    const controller = new AbortController();
    try {
      const failure = await p
        .run(simulatorSource(sim, ['platforms']), {
          signal: controller.signal,
          onProgress: (event) => {
            if (event.type === 'warning' && event.message.includes('is held by another process')) controller.abort();
          },
        })
        .catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: 'CANCELLED', details: { step: 'load' } });
    } finally {
      await reader.release();
    }
  });
});
