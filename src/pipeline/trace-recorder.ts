/**
 * Builds the RunTrace of one run and keeps its file current for other processes: rewritten at most every
 * ~500 ms after a change, at least every few seconds as a heartbeat, and once more at the end.
 */
import type { DiscardCounts, SchemaChange } from '../normalize/types.js';
import type { Logger } from '../log.js';
import { removeRunPid, writeRunPid, writeTraceFile } from './trace-store.js';
import type { RunErrorInfo, RunStatus, RunTrace, StepName } from './types.js';

const WRITE_INTERVAL_MS = 500;
const HEARTBEAT_MS = 3_000;
const RECENT_RETRIES = 20;
const MAX_WARNINGS = 100;

export class TraceRecorder {
  readonly trace: RunTrace;
  readonly #workingDir: string;
  readonly #logger: Logger;
  #dirty = false;
  #lastWrite = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(workingDir: string, initial: Omit<RunTrace, 'status' | 'steps' | 'resources' | 'tables' | 'retries' | 'reauth_count' | 'schema_changes' | 'warnings'>, logger: Logger) {
    this.#workingDir = workingDir;
    this.#logger = logger;
    this.trace = {
      ...initial,
      status: 'running',
      steps: [],
      resources: {},
      tables: {},
      retries: { count: 0, recent: [] },
      reauth_count: 0,
      schema_changes: [],
      discarded: {},
      warnings: [],
    };
  }

  async start(): Promise<void> {
    await writeRunPid(this.#workingDir, this.trace.run_id);
    await this.#write();
    this.#timer = setInterval(() => this.#touch(true), HEARTBEAT_MS);
    this.#timer.unref();
  }

  stepStarted(name: StepName): void {
    if (this.trace.steps.some((step) => step.name === name)) return;
    this.trace.steps.push({ name, started_at: new Date().toISOString() });
    this.#touch();
  }

  stepFinished(name: StepName): void {
    const step = this.trace.steps.find((candidate) => candidate.name === name);
    if (!step || step.finished_at) return;
    const now = new Date();
    step.finished_at = now.toISOString();
    step.duration_ms = now.getTime() - Date.parse(step.started_at);
    this.#touch();
  }

  page(resource: string, rows: number): { pages: number; rows: number } {
    const entry = (this.trace.resources[resource] ??= { pages: 0, rows: 0 });
    entry.pages += 1;
    entry.rows += rows;
    this.#touch();
    return entry;
  }

  tableRows(table: string, rows: number): void {
    this.trace.tables[table] = (this.trace.tables[table] ?? 0) + rows;
    this.#touch();
  }

  retry(endpoint: string, attempt: number, reason: string): void {
    this.trace.retries.count += 1;
    this.trace.retries.recent.push({ endpoint, attempt, reason });
    if (this.trace.retries.recent.length > RECENT_RETRIES) this.trace.retries.recent.shift();
    this.#touch();
  }

  reauth(): void {
    this.trace.reauth_count += 1;
    this.#touch();
  }

  schemaChanges(changes: readonly SchemaChange[]): void {
    if (changes.length === 0) return;
    this.trace.schema_changes.push(...changes);
    this.#touch();
  }

  /** Adds rows / values a schema contract dropped, per table. */
  discarded(counts: Readonly<Record<string, DiscardCounts>>): void {
    const totals = (this.trace.discarded ??= {});
    let changed = false;
    for (const [table, { rows, values }] of Object.entries(counts)) {
      if (rows === 0 && values === 0) continue;
      const entry = (totals[table] ??= { rows: 0, values: 0 });
      entry.rows += rows;
      entry.values += values;
      changed = true;
    }
    if (changed) this.#touch();
  }

  warning(message: string): void {
    if (this.trace.warnings.length < MAX_WARNINGS) this.trace.warnings.push(message);
    this.#touch();
  }

  async finish(status: Exclude<RunStatus, 'running'>, fields: { load_id?: string; error?: RunErrorInfo } = {}): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const now = new Date();
    this.trace.status = status;
    this.trace.finished_at = now.toISOString();
    this.trace.duration_ms = now.getTime() - Date.parse(this.trace.started_at);
    if (fields.load_id !== undefined) this.trace.load_id = fields.load_id;
    if (fields.error !== undefined) this.trace.error = fields.error;
    for (const step of this.trace.steps) {
      if (!step.finished_at) {
        step.finished_at = this.trace.finished_at;
        step.duration_ms = now.getTime() - Date.parse(step.started_at);
      }
    }
    await this.#writing;
    await this.#write();
    await removeRunPid(this.#workingDir, this.trace.run_id).catch(() => undefined);
  }

  #touch(force = false): void {
    this.#dirty = true;
    if (this.trace.status !== 'running') return;
    if (force || Date.now() - this.#lastWrite >= WRITE_INTERVAL_MS) {
      this.#writing = this.#writing.then(() => (this.#dirty ? this.#write() : undefined));
    }
  }

  async #write(): Promise<void> {
    this.#dirty = false;
    this.#lastWrite = Date.now();
    try {
      await writeTraceFile(this.#workingDir, this.trace);
    } catch (error) {
      this.#logger.warn('could not write the run trace', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
