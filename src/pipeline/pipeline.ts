/**
 * `pipeline({...}).run(source)`: the TypeScript counterpart of `dlt.pipeline(...).run(...)`. Extract, normalize and
 * load overlap: pages stream from the source (read ahead), are normalized as they arrive, buffered per table in
 * bounded batches and bulk-loaded while the next pages are fetched. The whole load is one DuckDB transaction.
 *
 * The DuckDB write lock is held only while it must be: the committed state and schema are read with a short
 * read-only open, and the file is opened for writing when the first batch is flushed (the load step starts then),
 * kept until the commit. Sign-in and the HTTP time before the first flush leave the file free for readers.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_LOCK_WAIT_MS, DuckDbLoadSession, readLoadBaseline } from '../destinations/duckdb/index.js';
import type { LoadBaseline, PipelineStateContent } from '../destinations/duckdb/index.js';
import { BtError } from '../errors.js';
import { silentLogger } from '../log.js';
import type { Logger } from '../log.js';
import { Normalizer } from '../normalize/index.js';
import type { DiscardCounts, SchemaChange, SchemaContract, StoredSchema, TableRows, WriteDisposition } from '../normalize/types.js';
import type { ExtractEvent, ExtractedPage, Source, SourceState } from '../rest/types.js';
import { humanizeDuration } from './humanize.js';
import { createLoadInfo } from './load-info.js';
import type { LoadInfo } from './load-info.js';
import { newLoadId } from './load-id.js';
import { prefetch } from './prefetch.js';
import type { PrefetchStatus } from './prefetch.js';
import { cancelledError, errorInfo, stepError } from './run-errors.js';
import { TableBuffer } from './table-buffer.js';
import { TraceRecorder } from './trace-recorder.js';
import { tidyTraces } from './trace-store.js';
import type { RunProgressEvent, StepName } from './types.js';
import { assertSafeName, defaultDbPath, localStatePath, pipelineWorkingDir } from './working-dir.js';

export type { LoadInfo } from './load-info.js';

export interface PipelineOptions {
  /** Default `beyondtrust_pipeline`. */
  pipelineName?: string;
  /** Default duckdb at `<projectDir>/<pipelineName>.duckdb`; a relative `path` resolves against projectDir. */
  destination?: 'duckdb' | { type: 'duckdb'; path?: string };
  /** DuckDB schema that receives the tables. Default `beyondtrust_data`. */
  datasetName?: string;
  /** Default process.cwd(). */
  projectDir?: string;
  logger?: Logger;
  /**
   * While another process holds the DuckDB file, retry opening it (backoff 50 ms → 1 s) for at most this long
   * before failing with DB_LOCKED. Default 10 s; 0 fails at once.
   */
  lockWaitMs?: number;
}

export interface RunOptions {
  /** At most this many pages per resource. */
  devLimit?: number;
  signal?: AbortSignal;
  onProgress?: (event: RunProgressEvent) => void;
  /** Names the trace file; random when absent. */
  runId?: string;
  schemaContract?: SchemaContract;
  /** Overrides every resource's write disposition. */
  writeDisposition?: WriteDisposition;
}

export interface Pipeline {
  readonly pipelineName: string;
  readonly datasetName: string;
  readonly dbPath: string;
  readonly workingDir: string;
  run(source: Source, options?: RunOptions): Promise<LoadInfo>;
}

export const DEFAULT_PIPELINE_NAME = 'beyondtrust_pipeline';
export const DEFAULT_DATASET_NAME = 'beyondtrust_data';

/** Rows buffered per table before a bulk insert, and over all tables before everything is flushed. */
const TABLE_BATCH_ROWS = 4_096;
const TOTAL_BUFFERED_ROWS = 32_768;
/** While waiting for pages, batches of at least this many rows are loaded early. */
const IDLE_FLUSH_MIN_ROWS = 1_024;
/** Records of one page normalized at a time. */
const NORMALIZE_SLICE_ROWS = 2_048;
/** Pages read ahead of the normalizer. */
const PREFETCH_PAGES = 8;

export function pipeline(options: PipelineOptions = {}): Pipeline {
  const pipelineName = options.pipelineName ?? DEFAULT_PIPELINE_NAME;
  const datasetName = options.datasetName ?? DEFAULT_DATASET_NAME;
  assertSafeName('pipeline name', pipelineName);
  assertSafeName('dataset name', datasetName);
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const destination = options.destination ?? 'duckdb';
  if (destination !== 'duckdb' && destination.type !== 'duckdb') {
    throw new BtError('UNSUPPORTED_DESTINATION', `Destination "${String((destination as { type: unknown }).type)}" is not supported.`, {
      hint: 'Use destination "duckdb".',
    });
  }
  const configuredPath = typeof destination === 'object' ? destination.path : undefined;
  const dbPath = configuredPath ? path.resolve(projectDir, configuredPath) : defaultDbPath(projectDir, pipelineName);
  const workingDir = pipelineWorkingDir(projectDir, pipelineName);
  const logger = options.logger ?? silentLogger;
  const lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
  return {
    pipelineName,
    datasetName,
    dbPath,
    workingDir,
    run: (source, runOptions = {}) => new PipelineRun({ pipelineName, datasetName, dbPath, workingDir, logger, lockWaitMs }, source, runOptions).execute(),
  };
}

interface RunContext {
  pipelineName: string;
  datasetName: string;
  dbPath: string;
  workingDir: string;
  logger: Logger;
  lockWaitMs: number;
}

class PipelineRun {
  readonly #context: RunContext;
  readonly #source: Source;
  readonly #options: RunOptions;
  readonly #loadId = newLoadId();
  readonly #recorder: TraceRecorder;
  readonly #buffers = new Map<string, TableBuffer>();
  readonly #dispositions = new Map<string, WriteDisposition>();
  readonly #schemaChanges: SchemaChange[] = [];
  /** Rows / values dropped by contracts over the whole run, per table; reported once per table at the end. */
  readonly #discarded = new Map<string, DiscardCounts>();
  #buffered = 0;
  #step: StepName = 'extract';
  #session: DuckDbLoadSession | undefined;
  #opening: Promise<DuckDbLoadSession> | undefined;
  #baseline: LoadBaseline | undefined;
  #normalizer: Normalizer | undefined;
  #restoredState: PipelineStateContent | undefined;

  constructor(context: RunContext, source: Source, options: RunOptions) {
    this.#context = context;
    this.#source = source;
    this.#options = options;
    const runId = options.runId ?? randomUUID();
    assertSafeName('run id', runId);
    const selected = source.resources.filter((resource) => resource.selected).map((resource) => resource.name);
    this.#recorder = new TraceRecorder(
      context.workingDir,
      {
        run_id: runId,
        pipeline_name: context.pipelineName,
        dataset_name: context.datasetName,
        destination: { name: 'duckdb', location: context.dbPath },
        started_at: new Date().toISOString(),
        resources_selected: selected,
        ...(options.devLimit === undefined ? {} : { dev_limit: options.devLimit }),
      },
      context.logger,
    );
  }

  async execute(): Promise<LoadInfo> {
    const { signal } = this.#options;
    await mkdir(this.#context.workingDir, { recursive: true });
    await tidyTraces(this.#context.workingDir);
    await this.#recorder.start();
    try {
      if (signal?.aborted) throw cancelledError('extract');
      const info = await this.#runSteps();
      await this.#recorder.finish('completed', { load_id: this.#loadId });
      this.#emit({ type: 'done', status: 'completed' });
      return info;
    } catch (error) {
      const failure = stepError(error, this.#step, signal);
      const status = failure.code === 'CANCELLED' ? 'cancelled' : 'failed';
      // Rolls back; a file that this run's session created (a failed first run) is deleted under the lock.
      const session = await this.#openedSession();
      await session?.discard();
      await this.#recorder.finish(status, { error: errorInfo(failure) });
      this.#emit({ type: 'done', status });
      this.#context.logger.info(`pipeline ${this.#context.pipelineName} ${status}`, { code: failure.code, step: failure.details.step });
      throw failure;
    } finally {
      await (await this.#openedSession())?.close();
    }
  }

  /** The load session if it is open or being opened (an open that fails yields undefined). */
  async #openedSession(): Promise<DuckDbLoadSession | undefined> {
    if (this.#session) return this.#session;
    return this.#opening?.catch(() => undefined);
  }

  async #runSteps(): Promise<LoadInfo> {
    const { signal, devLimit } = this.#options;
    const startedAt = this.#recorder.trace.started_at;
    this.#startStep('extract');
    this.#step = 'load';
    const baseline = (this.#baseline = await readLoadBaseline({
      dbPath: this.#context.dbPath,
      datasetName: this.#context.datasetName,
      pipelineName: this.#context.pipelineName,
      schemaName: this.#source.name,
      ...this.#lockWait(),
    }));
    const restoredSchema = baseline.schema;
    this.#restoredState = baseline.state?.state;
    const sourceState = restoreSourceState(this.#restoredState, this.#source.name);
    const extractState = structuredClone(sourceState);

    this.#step = 'normalize';
    this.#startStep('normalize');
    const normalizer = (this.#normalizer = new Normalizer({
      ...(restoredSchema ? { schema: restoredSchema } : {}),
      schemaName: this.#source.name,
      ...(this.#options.schemaContract ? { contract: this.#options.schemaContract } : {}),
    }));
    const selected = this.#source.resources.filter((resource) => resource.selected);
    for (const resource of selected) {
      this.#dispositions.set(resource.name, this.#options.writeDisposition ?? resource.write_disposition);
      this.#recordChanges(normalizer.registerResource(resource));
    }

    this.#step = 'extract';
    const extraction = this.#source.extract({
      state: extractState,
      ...(signal ? { signal } : {}),
      ...(devLimit === undefined ? {} : { devLimit }),
      onEvent: (event) => this.#onExtractEvent(event),
    });
    const prefetched: PrefetchStatus = { queued: 0 };
    const iterator = prefetch(extraction, PREFETCH_PAGES, prefetched)[Symbol.asyncIterator]();
    let finished = false;
    try {
      while (true) {
        // Nothing fetched yet: load the biggest buffered batch while the next pages are on their way.
        if (prefetched.queued === 0) await this.#flushLargest(IDLE_FLUSH_MIN_ROWS);
        this.#step = 'extract';
        const next = await iterator.next();
        if (next.done) break;
        if (signal?.aborted) throw cancelledError('extract');
        const page = next.value;
        for (const slice of pageSlices(page)) {
          this.#step = 'normalize';
          const result = normalizer.normalizePage(slice, this.#loadId);
          this.#recordChanges(result.changes);
          this.#recordDiscarded(result.discarded);
          for (const warning of result.warnings) this.#warn(warning);
          this.#step = 'load';
          for (const rows of result.tables) await this.#buffer(rows);
        }
        const totals = this.#recorder.page(page.resource, page.items.length);
        this.#emit({ type: 'page', resource: page.resource, page: page.page, rows: page.items.length, resource_rows: totals.rows });
      }
      finished = true;
    } finally {
      // Leaving early (failure, cancel): end the extraction so the source signs out.
      if (!finished) await iterator.return?.(undefined).catch(() => undefined);
    }
    this.#finishStep('extract');
    this.#step = 'load';
    await this.#flushAll();
    this.#finishStep('normalize');
    this.#warnDiscarded();
    if (signal?.aborted) throw cancelledError('load');

    const schema = normalizer.schema;
    const state = this.#stateDocument({ ...sourceState, ...extraction.state }, schema);
    const session = await this.#loadSession();
    const commit = await session.commit({ loadId: this.#loadId, schema, state });
    this.#finishStep('load');
    await this.#saveLocalState(state).catch((error: unknown) =>
      this.#context.logger.warn('could not write the local state copy', { error: error instanceof Error ? error.message : String(error) }),
    );

    const rowCounts: Record<string, number> = { ...this.#recorder.trace.tables };
    if (commit.stateWritten) rowCounts['_dlt_pipeline_state'] = 1;
    const finishedAt = new Date();
    const loadStep = this.#recorder.trace.steps.find((step) => step.name === 'load');
    return createLoadInfo({
      pipeline_name: this.#context.pipelineName,
      destination_name: 'duckdb',
      destination_location: this.#context.dbPath,
      dataset_name: this.#context.datasetName,
      load_ids: [this.#loadId],
      status: 'LOADED',
      started_at: startedAt,
      finished_at: finishedAt.toISOString(),
      duration_ms: finishedAt.getTime() - Date.parse(startedAt),
      load_step_duration_ms: loadStep?.duration_ms ?? 0,
      row_counts: rowCounts,
      schema_changes: [...this.#schemaChanges],
      discarded: Object.fromEntries([...this.#discarded].map(([table, counts]) => [table, { ...counts }])),
      warnings: [...this.#recorder.trace.warnings],
      trace: this.#recorder.trace,
    });
  }

  async #buffer(rows: TableRows): Promise<void> {
    if (rows.rows.length === 0) return;
    let buffer = this.#buffers.get(rows.table);
    if (!buffer) this.#buffers.set(rows.table, (buffer = new TableBuffer(rows.table)));
    buffer.add(rows);
    this.#buffered += rows.rows.length;
    if (buffer.size >= TABLE_BATCH_ROWS) await this.#flush(buffer);
    if (this.#buffered >= TOTAL_BUFFERED_ROWS) await this.#flushAll();
  }

  async #flushLargest(minRows: number): Promise<void> {
    let largest: TableBuffer | undefined;
    for (const buffer of this.#buffers.values()) if (buffer.size >= minRows && buffer.size > (largest?.size ?? 0)) largest = buffer;
    if (largest) await this.#flush(largest);
  }

  async #flushAll(): Promise<void> {
    for (const buffer of this.#buffers.values()) await this.#flush(buffer);
  }

  /** Lock-wait settings for opening the file: the pipeline's budget, the run's signal, a warning when waiting. */
  #lockWait(): { lockWaitMs: number; signal?: AbortSignal; onLockWait: (info: { db_path: string; pid?: number; wait_ms: number }) => void } {
    const { signal } = this.#options;
    return {
      lockWaitMs: this.#context.lockWaitMs,
      ...(signal ? { signal } : {}),
      onLockWait: (info) =>
        this.#warn(`${info.db_path} is held by another process${info.pid === undefined ? '' : ` (pid ${info.pid})`}; retrying for up to ${humanizeDuration(info.wait_ms)}.`),
    };
  }

  /**
   * The write session, opened on first use (the first flush, or the commit of a run without rows): this starts the
   * load step. It checks that no other load committed since the baseline was read, and clears replace resources.
   */
  async #loadSession(): Promise<DuckDbLoadSession> {
    if (this.#session) return this.#session;
    this.#opening ??= (async () => {
      this.#startStep('load');
      const session = await DuckDbLoadSession.open({
        dbPath: this.#context.dbPath,
        datasetName: this.#context.datasetName,
        pipelineName: this.#context.pipelineName,
        ...(this.#baseline ? { baseline: this.#baseline } : {}),
        ...this.#lockWait(),
      });
      this.#session = session;
      const schema = this.#normalizer!.schema;
      for (const [resource, disposition] of this.#dispositions) {
        if (disposition === 'replace') await session.clearResource(resource, schema);
      }
      return session;
    })();
    return this.#opening;
  }

  async #flush(buffer: TableBuffer): Promise<void> {
    if (buffer.size === 0) return;
    this.#step = 'load';
    const session = await this.#loadSession();
    const rows = buffer.take();
    this.#buffered -= rows.rows.length;
    const normalizer = this.#normalizer!;
    const table = normalizer.schema.tables[rows.table];
    if (!table) {
      throw new BtError('LOAD_UNKNOWN_TABLE', `The normalizer produced rows for table ${rows.table}, which its schema does not have.`, {
        hint: 'This is an internal error; report it with the table name.',
        details: { step: 'load', table: rows.table },
      });
    }
    const disposition = this.#dispositions.get(table.resource) ?? table.write_disposition;
    await session.writeRows(table, rows, disposition, normalizer.schema);
    this.#recorder.tableRows(rows.table, rows.rows.length);
    this.#emit({ type: 'table', table: rows.table, rows: rows.rows.length });
  }

  #onExtractEvent(event: ExtractEvent): void {
    switch (event.type) {
      case 'retry': {
        const { endpoint, attempt, reason, delayMs } = event.retry;
        this.#recorder.retry(endpoint, attempt, reason);
        this.#emit({ type: 'retry', endpoint, attempt, reason, delay_ms: delayMs });
        break;
      }
      case 'reauth':
        this.#recorder.reauth();
        break;
      case 'warning':
        this.#warn(event.resource ? `${event.resource}: ${event.message}` : event.message);
        break;
      default:
        break;
    }
  }

  #recordChanges(changes: readonly SchemaChange[]): void {
    if (changes.length === 0) return;
    this.#schemaChanges.push(...changes);
    this.#recorder.schemaChanges(changes);
  }

  #recordDiscarded(counts: Readonly<Record<string, DiscardCounts>>): void {
    for (const [table, { rows, values }] of Object.entries(counts)) {
      if (rows === 0 && values === 0) continue;
      const total = this.#discarded.get(table) ?? { rows: 0, values: 0 };
      total.rows += rows;
      total.values += values;
      this.#discarded.set(table, total);
    }
    this.#recorder.discarded(counts);
  }

  /** One warning per table that lost rows or values to a discard_row / discard_value contract, with the totals. */
  #warnDiscarded(): void {
    for (const [table, { rows, values }] of this.#discarded) {
      const parts = [...(rows > 0 ? [`${rows} row(s) dropped (discard_row)`] : []), ...(values > 0 ? [`${values} value(s) dropped (discard_value)`] : [])];
      this.#warn(`Table ${table}: ${parts.join(' and ')} by the schema contract.`);
    }
  }

  #warn(message: string): void {
    this.#recorder.warning(message);
    this.#emit({ type: 'warning', message });
  }

  #startStep(step: StepName): void {
    this.#recorder.stepStarted(step);
    this.#emit({ type: 'step', step, status: 'started' });
  }

  #finishStep(step: StepName): void {
    this.#recorder.stepFinished(step);
    this.#emit({ type: 'step', step, status: 'completed' });
  }

  #emit(event: RunProgressEvent): void {
    try {
      this.#options.onProgress?.(event);
    } catch (error) {
      this.#context.logger.warn('onProgress handler threw', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  #stateDocument(state: SourceState, schema: StoredSchema): PipelineStateContent {
    return {
      pipeline_name: this.#context.pipelineName,
      dataset_name: this.#context.datasetName,
      default_schema_name: schema.name,
      schema_names: [schema.name],
      destination_name: 'duckdb',
      sources: { ...(this.#restoredState?.sources ?? {}), [this.#source.name]: { resources: state } },
    };
  }

  async #saveLocalState(state: PipelineStateContent): Promise<void> {
    await writeFile(localStatePath(this.#context.workingDir), `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  }
}

/**
 * A page in slices of at most NORMALIZE_SLICE_ROWS records, so endpoints without paging (Sessions returns up to
 * 100,000 rows in one answer) are normalized and loaded in bounded batches instead of all at once.
 */
function* pageSlices(page: ExtractedPage): Generator<ExtractedPage> {
  if (page.items.length <= NORMALIZE_SLICE_ROWS) {
    yield page;
    return;
  }
  for (let offset = 0; offset < page.items.length; offset += NORMALIZE_SLICE_ROWS) {
    yield { ...page, items: page.items.slice(offset, offset + NORMALIZE_SLICE_ROWS) };
  }
}

function restoreSourceState(document: PipelineStateContent | undefined, sourceName: string): SourceState {
  const resources = document?.sources?.[sourceName]?.resources;
  return resources && typeof resources === 'object' ? (structuredClone(resources) as SourceState) : {};
}
