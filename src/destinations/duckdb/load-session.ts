/**
 * One load into a DuckDB file, all in ONE transaction: tables evolve, rows stream in through the appender, merge
 * rows wait in temp staging tables, and commit() writes the merges, `_dlt_loads`, the state and the schema version
 * before COMMIT. Anything that fails (or a killed process) leaves the file as it was.
 *
 * The write lock is held from open() to commit()/close() only. A run reads what it continues from (state, schema)
 * with readLoadBaseline() — a short read-only open — and opens the session when its first rows must be written;
 * open() then checks that no other load committed in between (CONCURRENT_LOAD).
 */
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { BtError, toBtError } from '../../errors.js';
import type { StoredSchema, TableRows, TableSchema, WriteDisposition } from '../../normalize/types.js';
import { identifyLockHolder, openDatabase } from './database.js';
import type { OpenDatabase } from './database.js';
import { readTableColumns, syncTable } from './ddl.js';
import { fileExists } from './inspect.js';
import { claimInProcessWriter, releaseInProcessWriter, retryWhileLocked } from './lock.js';
import type { LockWaitOptions } from './lock.js';
import { appendStagedStatements, mergeStatements, nullKeyCounts } from './merge-sql.js';
import { resourceTableTree } from './resource-tables.js';
import { duckdbType, qualified, quoteIdent } from './sql.js';
import {
  createSystemTables,
  readLatestSchema,
  readLatestState,
  writeLoadRow,
  writeSchemaVersion,
  writeState,
} from './system-tables.js';
import type { PipelineStateContent, PipelineStateDocument, StoredStateRow } from './system-tables.js';
import { appendRows, ChunkCache } from './table-appender.js';
import type { TargetColumn } from './table-appender.js';

/**
 * The writer's DuckDB memory_limit. A run is one transaction, and merge rows wait in temp tables until commit: without
 * a limit DuckDB keeps all of it in memory (peak RSS 1.1 GB at 1,000,000 accounts); with it, DuckDB spills to its temp
 * directory and RSS stays bounded (bench/README.md).
 */
const WRITER_MEMORY_LIMIT = '128MB';
const STAGING_CATALOG = 'temp';
const STAGING_SCHEMA = 'main';

export interface LoadSessionOptions extends LockWaitOptions {
  dbPath: string;
  datasetName: string;
  pipelineName: string;
  /**
   * What the run read before it started (readLoadBaseline). open() fails with CONCURRENT_LOAD when the file's latest
   * state or schema differs from it: another load committed in between, so this run's rows and state would not fit.
   */
  baseline?: LoadBaseline;
}

/** The committed state and schema a run continues from, read without holding the write lock. */
export interface LoadBaseline {
  /** The file existed at the read. */
  existed: boolean;
  schemaName: string;
  state: StoredStateRow | undefined;
  schema: StoredSchema | undefined;
}

export interface BaselineOptions extends LockWaitOptions {
  dbPath: string;
  datasetName: string;
  pipelineName: string;
  schemaName: string;
}

/**
 * Reads the latest committed state of `pipelineName` and schema `schemaName` with a short READ_ONLY open (retrying
 * while a writer holds the file). A missing file is an empty baseline; the file is not created.
 */
export async function readLoadBaseline(options: BaselineOptions): Promise<LoadBaseline> {
  if (!(await fileExists(options.dbPath))) return { existed: false, schemaName: options.schemaName, state: undefined, schema: undefined };
  const database = await retryWhileLocked(options.dbPath, () => openDatabase(options.dbPath, { readOnly: true }), options);
  try {
    const state = await readLatestState(database.connection, options.datasetName, options.pipelineName);
    const schema = await readLatestSchema(database.connection, options.datasetName, options.schemaName);
    return { existed: true, schemaName: options.schemaName, state, schema };
  } finally {
    database.close();
  }
}

function stateKey(state: StoredStateRow | undefined): string {
  return state ? `version ${state.version} (${state.version_hash ?? 'no hash'}, load ${state.load_id})` : 'none';
}

function schemaKey(schema: StoredSchema | undefined): string {
  return schema ? `version ${schema.version} (${schema.version_hash})` : 'none';
}

/** Test hook: BT_TEST_PAUSE_BEFORE_COMMIT_MS=N makes commit() wait N ms right before COMMIT (kill -9 tests). */
async function pauseBeforeCommitForTests(): Promise<void> {
  const ms = Number(process.env['BT_TEST_PAUSE_BEFORE_COMMIT_MS']);
  if (!Number.isFinite(ms) || ms <= 0) return;
  process.stderr.write(`BT_TEST: pausing ${ms} ms before COMMIT\n`);
  await sleep(ms);
}

export interface CommitInput {
  loadId: string;
  schema: StoredSchema;
  /** The pipeline state document without version fields; stored when it changed. */
  state: PipelineStateContent;
}

export interface CommitResult {
  stateVersion: number;
  stateWritten: boolean;
  schemaVersionWritten: boolean;
  /** Rows inserted per table by the merge step (staged rows after dedupe). */
  mergedRows: Record<string, number>;
}

export class DuckDbLoadSession {
  readonly dbPath: string;
  readonly datasetName: string;
  readonly pipelineName: string;
  #database: OpenDatabase | undefined;
  #connection: DuckDBConnection;
  #targetColumns = new Map<string, TargetColumn[]>();
  #stageColumns = new Map<string, TargetColumn[]>();
  #stagedResources = new Set<string>();
  #clearedResources = new Set<string>();
  #previousState: StoredStateRow | undefined;
  readonly #chunks = new ChunkCache();
  #finished = false;
  #committed = false;
  /** This session's open created the file (it did not exist and held nothing): discard() may delete it. */
  #createdFile = false;

  private constructor(database: OpenDatabase, options: LoadSessionOptions) {
    this.#database = database;
    this.#connection = database.connection;
    this.dbPath = database.path;
    this.datasetName = options.datasetName;
    this.pipelineName = options.pipelineName;
  }

  /**
   * Opens the file read-write and begins the transaction. While another process holds the file it retries with
   * backoff for up to `lockWaitMs` (default 10 s), then fails with DB_LOCKED naming the holder's pid.
   */
  static async open(options: LoadSessionOptions): Promise<DuckDbLoadSession> {
    let opened: { database: OpenDatabase; existed: boolean };
    try {
      opened = await retryWhileLocked(options.dbPath, () => DuckDbLoadSession.#openFile(options.dbPath), options);
    } catch (error) {
      const identified = error instanceof BtError ? await identifyLockHolder(error, options.dbPath) : error;
      throw loadError(identified, 'Could not start the load', options.dbPath);
    }
    const session = new DuckDbLoadSession(opened.database, options);
    try {
      await session.#begin(opened.existed, options.baseline);
      return session;
    } catch (error) {
      await session.discard();
      throw loadError(error, 'Could not start the load', options.dbPath);
    }
  }

  static async #openFile(dbPath: string): Promise<{ database: OpenDatabase; existed: boolean }> {
    claimInProcessWriter(dbPath);
    try {
      const existed = await fileExists(dbPath);
      const database = await openDatabase(dbPath, { memoryLimit: WRITER_MEMORY_LIMIT });
      return { database, existed };
    } catch (error) {
      releaseInProcessWriter(dbPath);
      throw error;
    }
  }

  async #begin(existed: boolean, baseline: LoadBaseline | undefined): Promise<void> {
    if (!existed) this.#createdFile = await this.#isEmpty();
    await this.#connection.run('BEGIN TRANSACTION');
    await this.#connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.datasetName)}`);
    await createSystemTables(this.#connection, this.datasetName);
    this.#targetColumns = await readTableColumns(this.#connection, this.datasetName);
    this.#previousState = await readLatestState(this.#connection, this.datasetName, this.pipelineName);
    if (baseline) await this.#assertBaseline(baseline);
  }

  async #isEmpty(): Promise<boolean> {
    const reader = await this.#connection.runAndReadAll(
      `SELECT (SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database())
            + (SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND NOT internal)
            + (SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal)`,
    );
    return Number(reader.getRowsJS()[0]?.[0] ?? 0) === 0;
  }

  /** The state and schema now latest must be the ones the run started from. */
  async #assertBaseline(baseline: LoadBaseline): Promise<void> {
    const schema = await readLatestSchema(this.#connection, this.datasetName, baseline.schemaName);
    const stateNow = stateKey(this.#previousState);
    const stateThen = stateKey(baseline.state);
    const schemaThen = schemaKey(baseline.schema);
    const schemaNow = schemaKey(schema);
    if (stateNow === stateThen && schemaNow === schemaThen) return;
    throw new BtError(
      'CONCURRENT_LOAD',
      `Another load committed to ${this.dbPath} (dataset ${this.datasetName}) while this run of pipeline ${this.pipelineName} was extracting: ` +
        `it started from state ${stateThen} and schema ${schemaThen}, the file now has state ${stateNow} and schema ${schemaNow}. Nothing of this run was written.`,
      {
        hint: 'Rerun: the next run starts from the new state. Do not run two loads of one pipeline into one file at the same time.',
        details: { step: 'load', db_path: this.dbPath, dataset: this.datasetName, pipeline: this.pipelineName, state_then: stateThen, state_now: stateNow, schema_then: schemaThen, schema_now: schemaNow },
      },
    );
  }

  /** The state of the last completed load of this pipeline (restores incremental cursors on a fresh machine). */
  get restoredState(): PipelineStateDocument | undefined {
    return this.#previousState?.state;
  }

  async restoredSchema(schemaName: string): Promise<StoredSchema | undefined> {
    return readLatestSchema(this.#connection, this.datasetName, schemaName);
  }

  /** Replace: deletes every row of the resource's existing tables (once per load, before its first rows). */
  async clearResource(resource: string, schema: StoredSchema): Promise<void> {
    if (this.#clearedResources.has(resource)) return;
    this.#clearedResources.add(resource);
    const tree = resourceTableTree(schema, resource);
    for (const table of tree?.tables ?? []) {
      if (this.#targetColumns.has(table.name)) await this.#connection.run(`DELETE FROM ${this.#target(table.name)}`);
    }
  }

  /**
   * Writes rows of one table. `merge` rows are staged until commit; `replace` clears the resource first;
   * `append` inserts directly. Creates or evolves the table from `table` first.
   */
  async writeRows(table: TableSchema, rows: TableRows, disposition: WriteDisposition, schema: StoredSchema): Promise<void> {
    this.#assertOpen();
    try {
      if (disposition === 'merge' && table.parent === undefined) assertKeysPresent(table, rows);
      const target = await this.#syncTarget(table);
      if (disposition === 'replace') await this.clearResource(table.resource, schema);
      if (disposition === 'merge') {
        const staged = await this.#syncStage(table);
        this.#stagedResources.add(table.resource);
        await appendRows(this.#connection, { catalog: STAGING_CATALOG, schema: STAGING_SCHEMA, table: table.name, columns: staged }, rows.columns, rows.rows, this.#chunks);
      } else {
        await appendRows(this.#connection, { schema: this.datasetName, table: table.name, columns: target }, rows.columns, rows.rows, this.#chunks);
      }
    } catch (error) {
      throw loadError(error, `Could not load rows into ${this.datasetName}.${table.name}`, this.dbPath, table.name);
    }
  }

  /** Creates or evolves every table of `schema` (so tables exist even when no rows arrived). */
  async syncSchema(schema: StoredSchema): Promise<void> {
    for (const table of Object.values(schema.tables)) {
      if (Object.keys(table.columns).length > 0) await this.#syncTarget(table);
    }
  }

  async commit(input: CommitInput): Promise<CommitResult> {
    this.#assertOpen();
    try {
      await this.syncSchema(input.schema);
      const mergedRows: Record<string, number> = {};
      for (const resource of this.#stagedResources) Object.assign(mergedRows, await this.#merge(resource, input.schema));
      await writeLoadRow(this.#connection, this.datasetName, input.loadId, input.schema.name, input.schema.version_hash);
      const schemaVersionWritten = await writeSchemaVersion(this.#connection, this.datasetName, input.schema);
      const state = await writeState(this.#connection, this.datasetName, input.state, this.#previousState, input.loadId);
      await pauseBeforeCommitForTests();
      await this.#connection.run('COMMIT');
      this.#finished = true;
      this.#committed = true;
      return { stateVersion: state.version, stateWritten: state.written, schemaVersionWritten, mergedRows };
    } catch (error) {
      await this.rollback();
      throw loadError(error, 'Could not commit the load', this.dbPath);
    }
  }

  /** Undoes everything of this load. Safe to call more than once. */
  async rollback(): Promise<void> {
    if (this.#finished || !this.#database) return;
    this.#finished = true;
    try {
      await this.#connection.run('ROLLBACK');
    } catch {
      // A failed transaction may already be aborted; closing the file discards it either way.
    }
  }

  /** True when this session's open created the database file (it did not exist before). */
  get createdFile(): boolean {
    return this.#createdFile;
  }

  /**
   * A failed load: rolls back and, when this session created the file and nothing was committed, deletes the file
   * while still holding the lock (no other process can have it open then), then closes. Returns whether it deleted.
   */
  async discard(): Promise<boolean> {
    if (!this.#database) return false;
    await this.rollback();
    let removed = false;
    if (this.#createdFile && !this.#committed) {
      try {
        await rm(this.dbPath);
        await rm(`${this.dbPath}.wal`, { force: true });
        removed = true;
      } catch {
        // Where an open file cannot be deleted (Windows), the empty file stays: harmless, and safer than deleting later.
      }
    }
    await this.close();
    return removed;
  }

  /** Rolls back when not committed, closes the file and releases the lock. */
  async close(): Promise<void> {
    if (!this.#database) return;
    await this.rollback();
    const database = this.#database;
    this.#database = undefined;
    try {
      database.close();
    } finally {
      releaseInProcessWriter(this.dbPath);
    }
  }

  #assertOpen(): void {
    if (!this.#database || this.#finished) {
      throw new BtError('LOAD_SESSION_CLOSED', `The load session on ${this.dbPath} is already finished.`, {
        hint: 'Start a new pipeline run.',
        details: { step: 'load' },
      });
    }
  }

  #target(table: string): string {
    return qualified(this.datasetName, table);
  }

  #stage(table: string): string {
    return `${quoteIdent(STAGING_CATALOG)}.${qualified(STAGING_SCHEMA, table)}`;
  }

  async #syncTarget(table: Pick<TableSchema, 'name' | 'columns'>): Promise<TargetColumn[]> {
    const existing = this.#targetColumns.get(table.name);
    if (existing && Object.keys(table.columns).every((name) => existing.some((column) => column.name === name))) return existing;
    const result = await syncTable(this.#connection, { schema: this.datasetName }, table, existing);
    this.#targetColumns.set(table.name, result.columns);
    return result.columns;
  }

  async #syncStage(table: Pick<TableSchema, 'name' | 'columns'>): Promise<TargetColumn[]> {
    const existing = this.#stageColumns.get(table.name);
    if (existing && Object.keys(table.columns).every((name) => existing.some((column) => column.name === name))) return existing;
    const result = existing
      ? await syncTable(this.#connection, { catalog: STAGING_CATALOG, schema: STAGING_SCHEMA }, table, existing)
      : await this.#createStage(table);
    this.#stageColumns.set(table.name, result.columns);
    return result.columns;
  }

  async #createStage(table: Pick<TableSchema, 'name' | 'columns'>): Promise<{ columns: TargetColumn[] }> {
    const columns = Object.values(table.columns).map((column) => ({ name: column.name, data_type: column.data_type }));
    const definitions = columns.map((column) => `${quoteIdent(column.name)} ${duckdbType(column.data_type)}`);
    await this.#connection.run(`CREATE TEMP TABLE ${quoteIdent(table.name)} (${definitions.join(', ')})`);
    return { columns };
  }

  async #merge(resource: string, schema: StoredSchema): Promise<Record<string, number>> {
    const tree = resourceTableTree(schema, resource);
    if (!tree || !this.#stageColumns.has(tree.root)) return {};
    const stagedTables = new Set(tree.tables.map((table) => table.name).filter((name) => this.#stageColumns.has(name)));
    const rootStageColumns = new Set((this.#stageColumns.get(tree.root) ?? []).map((column) => column.name));
    const hasKey = tree.primaryKey.length > 0 && tree.primaryKey.every((column) => rootStageColumns.has(column));
    const withRootId = new Set(
      tree.tables
        .filter((table) => (this.#targetColumns.get(table.name) ?? []).some((column) => column.name === '_dlt_root_id'))
        .filter((table) => !stagedTables.has(table.name) || (this.#stageColumns.get(table.name) ?? []).some((column) => column.name === '_dlt_root_id'))
        .map((table) => table.name),
    );
    if (tree.primaryKey.length > 0 && hasKey) await this.#assertStagedKeys(tree.root, tree.primaryKey);
    const namers = { target: (t: string) => this.#target(t), stage: (t: string) => this.#stage(t) };
    const statements = hasKey
      ? mergeStatements({ tree, ...namers, withRootId, targetTables: new Set(this.#targetColumns.keys()), stagedTables })
      : appendStagedStatements({ tree, ...namers, stagedTables });
    for (const statement of statements) await this.#connection.run(statement);
    const counts: Record<string, number> = {};
    for (const table of stagedTables) {
      const reader = await this.#connection.runAndReadAll(`SELECT count(*) FROM ${this.#stage(table)}`);
      counts[table] = Number(reader.getRowsJS()[0]?.[0] ?? 0);
      await this.#connection.run(`DROP TABLE ${this.#stage(table)}`);
      this.#stageColumns.delete(table);
    }
    return counts;
  }

  /** Second line of defence (rows staged outside writeRows' check): no staged root row may have a NULL key. */
  async #assertStagedKeys(root: string, primaryKey: readonly string[]): Promise<void> {
    const reader = await this.#connection.runAndReadAll(nullKeyCounts(this.#stage(root), primaryKey));
    const counts = (reader.getRowsJS()[0] ?? []).map((value) => Number(value ?? 0));
    const nulls: Record<string, number> = {};
    primaryKey.forEach((column, index) => {
      if ((counts[index + 1] ?? 0) > 0) nulls[column] = counts[index + 1] ?? 0;
    });
    if (Object.keys(nulls).length > 0) throw nullKeyError(root, primaryKey, counts[0] ?? 0, nulls);
  }
}

/**
 * A merge resource's root rows must all carry their primary key. dlt makes key columns NOT NULL; delete-insert
 * cannot match a NULL key (NULL = NULL is not true), and de-duplication would fold every NULL-key row into one
 * survivor — silent data loss. Appending them instead would leave rows that no later merge can ever replace. So the
 * load fails, naming table, columns and counts, and nothing is committed.
 */
function assertKeysPresent(table: TableSchema, rows: TableRows): void {
  const primaryKey = Object.values(table.columns)
    .filter((column) => column.primary_key)
    .map((column) => column.name);
  if (primaryKey.length === 0 || rows.rows.length === 0) return;
  const nulls: Record<string, number> = {};
  let rowsWithNull = 0;
  const indexes = primaryKey.map((column) => rows.columns.indexOf(column));
  for (const row of rows.rows) {
    let missing = false;
    indexes.forEach((index, position) => {
      const value = index < 0 ? null : row[index];
      if (value === null || value === undefined) {
        const column = primaryKey[position]!;
        nulls[column] = (nulls[column] ?? 0) + 1;
        missing = true;
      }
    });
    if (missing) rowsWithNull++;
  }
  if (rowsWithNull > 0) throw nullKeyError(table.name, primaryKey, rowsWithNull, nulls);
}

function nullKeyError(table: string, primaryKey: readonly string[], rows: number, nulls: Record<string, number>): BtError {
  const columns = Object.entries(nulls).map(([column, count]) => `${column}: ${count}`).join(', ');
  return new BtError(
    'MERGE_NULL_KEY',
    `Table ${table} is loaded with merge on primary key (${primaryKey.join(', ')}), but ${rows} row(s) have a NULL key (${columns}). Nothing of this load was committed.`,
    {
      hint: 'Every record of a merge resource must carry its primary key. Fix the primary_key hint to fields every record has, or load the resource with write_disposition "append" or "replace".',
      details: { step: 'load', table, primary_key: [...primaryKey], rows, null_columns: nulls },
    },
  );
}

function loadError(error: unknown, what: string, dbPath: string, table?: string): BtError {
  if (error instanceof BtError) {
    if (error.details.step === undefined) error.details.step = 'load';
    return error;
  }
  const wrapped = toBtError(error, 'LOAD_FAILED', { step: 'load', db_path: dbPath, ...(table ? { table } : {}) });
  if (wrapped.code !== 'LOAD_FAILED') return wrapped;
  return new BtError('LOAD_FAILED', `${what} (${dbPath}): ${wrapped.message}`, {
    hint: 'Nothing of this load was committed; the database is as before. Fix the cause and rerun.',
    details: wrapped.details,
    cause: error,
  });
}
