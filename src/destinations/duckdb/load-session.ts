/**
 * One load into a DuckDB file, all in ONE transaction: tables evolve, rows stream in through the appender, merge
 * rows wait in temp staging tables, and commit() writes the merges, `_dlt_loads`, the state and the schema version
 * before COMMIT. Anything that fails (or a killed process) leaves the file as it was.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { BtError, toBtError } from '../../errors.js';
import type { StoredSchema, TableRows, TableSchema, WriteDisposition } from '../../normalize/types.js';
import { openDatabase } from './database.js';
import type { OpenDatabase } from './database.js';
import { readTableColumns, syncTable } from './ddl.js';
import { claimInProcessWriter, releaseInProcessWriter } from './lock.js';
import { appendStagedStatements, mergeStatements } from './merge-sql.js';
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
import { appendRows } from './table-appender.js';
import type { TargetColumn } from './table-appender.js';

const STAGING_CATALOG = 'temp';
const STAGING_SCHEMA = 'main';

export interface LoadSessionOptions {
  dbPath: string;
  datasetName: string;
  pipelineName: string;
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
  #finished = false;

  private constructor(database: OpenDatabase, options: LoadSessionOptions) {
    this.#database = database;
    this.#connection = database.connection;
    this.dbPath = database.path;
    this.datasetName = options.datasetName;
    this.pipelineName = options.pipelineName;
  }

  /** Opens the file read-write (DB_LOCKED when another writer holds it) and begins the transaction. */
  static async open(options: LoadSessionOptions): Promise<DuckDbLoadSession> {
    claimInProcessWriter(options.dbPath);
    let database: OpenDatabase | undefined;
    try {
      database = await openDatabase(options.dbPath);
      const session = new DuckDbLoadSession(database, options);
      await session.#begin();
      return session;
    } catch (error) {
      database?.close();
      releaseInProcessWriter(options.dbPath);
      throw loadError(error, 'Could not start the load', options.dbPath);
    }
  }

  async #begin(): Promise<void> {
    await this.#connection.run('BEGIN TRANSACTION');
    await this.#connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.datasetName)}`);
    await createSystemTables(this.#connection, this.datasetName);
    this.#targetColumns = await readTableColumns(this.#connection, this.datasetName);
    this.#previousState = await readLatestState(this.#connection, this.datasetName, this.pipelineName);
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
      const target = await this.#syncTarget(table);
      if (disposition === 'replace') await this.clearResource(table.resource, schema);
      if (disposition === 'merge') {
        const staged = await this.#syncStage(table);
        this.#stagedResources.add(table.resource);
        await appendRows(this.#connection, { catalog: STAGING_CATALOG, schema: STAGING_SCHEMA, table: table.name, columns: staged }, rows.columns, rows.rows);
      } else {
        await appendRows(this.#connection, { schema: this.datasetName, table: table.name, columns: target }, rows.columns, rows.rows);
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
      await this.#connection.run('COMMIT');
      this.#finished = true;
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
