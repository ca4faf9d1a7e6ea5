/**
 * `pipeline({...}).run(source)`: the TypeScript counterpart of `dlt.pipeline(...).run(...)`. Extract, normalize and
 * load overlap: pages stream from the source (read ahead), are normalized as they arrive, buffered per table in
 * bounded batches and bulk-loaded while the next pages are fetched. The whole run is one DuckDB transaction.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDbLoadSession, fileExists } from '../destinations/duckdb/index.js';
import type { PipelineStateContent } from '../destinations/duckdb/index.js';
import { BtError } from '../errors.js';
import { silentLogger } from '../log.js';
import type { Logger } from '../log.js';
import { Normalizer } from '../normalize/index.js';
import type { SchemaChange, SchemaContract, StoredSchema, TableRows, WriteDisposition } from '../normalize/types.js';
import type { ExtractEvent, Source, SourceState } from '../rest/types.js';
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
  return {
    pipelineName,
    datasetName,
    dbPath,
    workingDir,
    run: (source, runOptions = {}) => new PipelineRun({ pipelineName, datasetName, dbPath, workingDir, logger }, source, runOptions).execute(),
  };
}

interface RunContext {
  pipelineName: string;
  datasetName: string;
  dbPath: string;
  workingDir: string;
  logger: Logger;
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
  #buffered = 0;
  #step: StepName = 'extract';
  #session: DuckDbLoadSession | undefined;
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
    const dbExisted = await fileExists(this.#context.dbPath);
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
      await this.#session?.rollback();
      await this.#recorder.finish(status, { error: errorInfo(failure) });
      this.#emit({ type: 'done', status });
      this.#context.logger.info(`pipeline ${this.#context.pipelineName} ${status}`, { code: failure.code, step: failure.details.step });
      await this.#session?.close();
      // A first run that failed leaves no empty database file behind.
      if (!dbExisted && failure.code !== 'DB_LOCKED') await Promise.all([rm(this.#context.dbPath, { force: true }), rm(`${this.#context.dbPath}.wal`, { force: true })]);
      throw failure;
    } finally {
      await this.#session?.close();
    }
  }

  async #runSteps(): Promise<LoadInfo> {
    const { signal, devLimit } = this.#options;
    const startedAt = this.#recorder.trace.started_at;
    this.#startStep('extract');
    this.#step = 'load';
    const session = (this.#session = await DuckDbLoadSession.open({
      dbPath: this.#context.dbPath,
      datasetName: this.#context.datasetName,
      pipelineName: this.#context.pipelineName,
    }));
    const restoredSchema = await session.restoredSchema(this.#source.name);
    this.#restoredState = session.restoredState;
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

    this.#step = 'load';
    this.#startStep('load');
    for (const resource of selected) {
      if (this.#dispositions.get(resource.name) === 'replace') await session.clearResource(resource.name, normalizer.schema);
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
        this.#step = 'normalize';
        const result = normalizer.normalizePage(page, this.#loadId);
        this.#recordChanges(result.changes);
        for (const warning of result.warnings) this.#warn(warning);
        const totals = this.#recorder.page(page.resource, page.items.length);
        this.#emit({ type: 'page', resource: page.resource, page: page.page, rows: page.items.length, resource_rows: totals.rows });
        this.#step = 'load';
        for (const rows of result.tables) await this.#buffer(rows);
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
    if (signal?.aborted) throw cancelledError('load');

    const schema = normalizer.schema;
    const state = this.#stateDocument({ ...sourceState, ...extraction.state }, schema);
    const commit = await session.commit({ loadId: this.#loadId, schema, state });
    this.#finishStep('load');
    await this.#saveLocalState(state).catch((error: unknown) =>
      this.#context.logger.warn('could not write the local state copy', { error: error instanceof Error ? error.message : String(error) }),
    );

    const rowCounts: Record<string, number> = { ...this.#recorder.trace.tables };
    if (commit.stateWritten) rowCounts['_dlt_pipeline_state'] = 1;
    const finishedAt = new Date();
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
      row_counts: rowCounts,
      schema_changes: [...this.#schemaChanges],
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

  async #flush(buffer: TableBuffer): Promise<void> {
    if (buffer.size === 0) return;
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
    await this.#session!.writeRows(table, rows, disposition, normalizer.schema);
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

function restoreSourceState(document: PipelineStateContent | undefined, sourceName: string): SourceState {
  const resources = document?.sources?.[sourceName]?.resources;
  return resources && typeof resources === 'object' ? (structuredClone(resources) as SourceState) : {};
}
