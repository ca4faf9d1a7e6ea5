/**
 * In-process pipeline runs started by `run_pipeline`: at most one per project at a time, followed by
 * `pipeline_info` after the tool call has returned, and aborted on server shutdown. The persisted RunTrace
 * (src/pipeline/info.ts) stays the source of truth once a run has ended; this registry only adds what lives in
 * memory: the run in progress, its live progress, and the final load info of recent runs.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { BtError, toBtError } from '../../errors.js';
import type { LoadInfo } from '../../pipeline/index.js';
import type { RunProgressEvent } from '../../pipeline/types.js';

export type RunOutcome =
  | { status: 'completed'; loadInfo: LoadInfo }
  | { status: 'failed' | 'cancelled'; error: BtError };

export interface RunProgressSummary {
  step?: string;
  pages: number;
  rows_extracted: number;
  tables_loaded: Record<string, number>;
  retries: number;
  warnings: string[];
}

export interface ActiveRun {
  readonly runId: string;
  readonly pipelineName: string;
  readonly startedAt: string;
  readonly resources: string[];
  readonly devLimit: number | undefined;
  readonly progress: RunProgressSummary;
  readonly outcome: Promise<RunOutcome>;
  /** Listens to progress events until the returned function is called. */
  subscribe(listener: (event: RunProgressEvent) => void): () => void;
  abort(): void;
}

export type RunExecutor = (run: {
  runId: string;
  signal: AbortSignal;
  onProgress: (event: RunProgressEvent) => void;
}) => Promise<LoadInfo>;

const MAX_WARNINGS_KEPT = 20;
const MAX_FINISHED_KEPT = 20;

export class RunRegistry {
  #active: ActiveRun | undefined;
  readonly #finished = new Map<string, { outcome: RunOutcome; pipelineName: string }>();

  get active(): ActiveRun | undefined {
    return this.#active;
  }

  /** The in-memory outcome of a recent run (load info text, row counts); undefined when unknown or still running. */
  finished(runId: string): RunOutcome | undefined {
    return this.#finished.get(runId)?.outcome;
  }

  /** Throws DB_LOCKED while a run holds the database, so read tools never touch a file that is being written. */
  assertNoActiveRun(): void {
    const active = this.#active;
    if (!active) return;
    throw new BtError('DB_LOCKED', `A load is running (run_id ${active.runId}); the dataset is locked until it ends.`, {
      hint: `Call pipeline_info with {"run_id": "${active.runId}"} to follow it, then retry.`,
      details: { run_id: active.runId },
    });
  }

  start(meta: { pipelineName: string; resources: string[]; devLimit?: number; runId?: string }, execute: RunExecutor): ActiveRun {
    const current = this.#active;
    if (current) {
      throw new BtError('RUN_IN_PROGRESS', `A load is already running in this project (run_id ${current.runId}).`, {
        hint: `Call pipeline_info with {"run_id": "${current.runId}"} and start a new run once it has finished.`,
        details: { run_id: current.runId },
      });
    }
    const runId = meta.runId ?? newRunId();
    const controller = new AbortController();
    const listeners = new Set<(event: RunProgressEvent) => void>();
    const progress: RunProgressSummary = { pages: 0, rows_extracted: 0, tables_loaded: {}, retries: 0, warnings: [] };
    const onProgress = (event: RunProgressEvent): void => {
      recordProgress(progress, event);
      for (const listener of listeners) listener(event);
    };
    const outcome = Promise.resolve()
      .then(() => execute({ runId, signal: controller.signal, onProgress }))
      .then(
      (loadInfo): RunOutcome => ({ status: 'completed', loadInfo }),
      (error: unknown): RunOutcome => {
        const btError = toBtError(error);
        const cancelled = controller.signal.aborted || btError.code === 'CANCELLED';
        return { status: cancelled ? 'cancelled' : 'failed', error: btError };
      },
    );
    const run: ActiveRun = {
      runId,
      pipelineName: meta.pipelineName,
      startedAt: new Date().toISOString(),
      resources: meta.resources,
      devLimit: meta.devLimit,
      progress,
      outcome,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      abort: () => controller.abort(),
    };
    this.#active = run;
    void outcome.then((result) => {
      listeners.clear();
      this.#active = undefined;
      this.#finished.set(runId, { outcome: result, pipelineName: meta.pipelineName });
      if (this.#finished.size > MAX_FINISHED_KEPT) {
        const oldest = this.#finished.keys().next().value;
        if (oldest !== undefined) this.#finished.delete(oldest);
      }
    });
    return run;
  }

  /** Aborts the run in progress (if any) and waits until it has rolled back. */
  async abortActive(): Promise<void> {
    const active = this.#active;
    if (!active) return;
    active.abort();
    await active.outcome;
  }
}

function recordProgress(progress: RunProgressSummary, event: RunProgressEvent): void {
  switch (event.type) {
    case 'step':
      progress.step = `${event.step} ${event.status}`;
      break;
    case 'page':
      progress.pages += 1;
      progress.rows_extracted += event.rows;
      break;
    case 'table':
      progress.tables_loaded[event.table] = event.rows;
      break;
    case 'retry':
      progress.retries += 1;
      break;
    case 'warning':
      if (progress.warnings.length < MAX_WARNINGS_KEPT) progress.warnings.push(event.message);
      break;
    case 'done':
      progress.step = `done (${event.status})`;
      break;
  }
}

function newRunId(): string {
  return `run_${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}_${randomBytes(4).toString('hex')}`;
}

/** One registry per project directory, shared by every server instance in this process. */
const registries = new Map<string, RunRegistry>();

export function runRegistryFor(projectDir: string): RunRegistry {
  const key = resolve(projectDir);
  let registry = registries.get(key);
  if (!registry) {
    registry = new RunRegistry();
    registries.set(key, registry);
  }
  return registry;
}

/** Shutdown: abort every run in progress in this process and wait for the rollbacks. */
export async function abortAllRuns(): Promise<void> {
  await Promise.all([...registries.values()].map((registry) => registry.abortActive()));
}
