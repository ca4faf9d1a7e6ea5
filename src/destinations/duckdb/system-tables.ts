/** dlt's system tables: `_dlt_loads`, `_dlt_pipeline_state`, `_dlt_version` (columns as in dlt's duckdb destination). */
import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoredSchema } from '../../normalize/types.js';
import { qualified, quoteLiteral } from './sql.js';
import { decodeState, encodeState, stateVersionHash } from './state-codec.js';

export const LOADS_TABLE = '_dlt_loads';
export const STATE_TABLE = '_dlt_pipeline_state';
export const VERSION_TABLE = '_dlt_version';
export const STATE_ENGINE_VERSION = 4;

const DDL: Record<string, string> = {
  [LOADS_TABLE]:
    'load_id VARCHAR NOT NULL, schema_name VARCHAR, status BIGINT NOT NULL, inserted_at TIMESTAMP WITH TIME ZONE NOT NULL, schema_version_hash VARCHAR',
  [STATE_TABLE]:
    'version BIGINT NOT NULL, engine_version BIGINT NOT NULL, pipeline_name VARCHAR NOT NULL, state VARCHAR NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, version_hash VARCHAR, _dlt_load_id VARCHAR NOT NULL, _dlt_id VARCHAR NOT NULL',
  [VERSION_TABLE]:
    'version BIGINT NOT NULL, engine_version BIGINT NOT NULL, inserted_at TIMESTAMP WITH TIME ZONE NOT NULL, schema_name VARCHAR NOT NULL, version_hash VARCHAR NOT NULL, schema VARCHAR NOT NULL',
};

export const SYSTEM_TABLES = Object.keys(DDL);

export async function createSystemTables(connection: DuckDBConnection, dataset: string): Promise<void> {
  for (const [table, columns] of Object.entries(DDL)) {
    await connection.run(`CREATE TABLE IF NOT EXISTS ${qualified(dataset, table)} (${columns})`);
  }
}

/** dlt's pipeline state document; our source state sits under `sources.<source_name>.resources`. */
export interface PipelineStateContent {
  pipeline_name: string;
  dataset_name: string;
  default_schema_name?: string;
  schema_names?: string[];
  destination_name?: string;
  sources?: Record<string, { resources?: Record<string, unknown> }>;
}

export interface PipelineStateDocument extends PipelineStateContent {
  _state_version: number;
  _state_engine_version: number;
}

export interface StoredStateRow {
  version: number;
  version_hash: string | null;
  state: PipelineStateDocument;
  load_id: string;
}

async function tableExists(connection: DuckDBConnection, dataset: string, table: string): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = ${quoteLiteral(dataset)} AND table_name = ${quoteLiteral(table)}`,
  );
  return Number(reader.getRowsJS()[0]?.[0] ?? 0) > 0;
}

/** The newest state of `pipelineName` written by a completed load (status 0 in `_dlt_loads`). */
export async function readLatestState(connection: DuckDBConnection, dataset: string, pipelineName: string): Promise<StoredStateRow | undefined> {
  if (!(await tableExists(connection, dataset, STATE_TABLE)) || !(await tableExists(connection, dataset, LOADS_TABLE))) return undefined;
  const reader = await connection.runAndReadAll(
    `SELECT s.version, s.version_hash, s.state, s._dlt_load_id FROM ${qualified(dataset, STATE_TABLE)} s
     WHERE s.pipeline_name = $1 AND s._dlt_load_id IN (SELECT load_id FROM ${qualified(dataset, LOADS_TABLE)} WHERE status = 0)
     ORDER BY s.version DESC, s.created_at DESC LIMIT 1`,
    [pipelineName],
  );
  const row = reader.getRowsJS()[0];
  if (!row) return undefined;
  const [version, versionHash, state, loadId] = row as [bigint | number, string | null, string, string];
  return { version: Number(version), version_hash: versionHash, state: decodeState(state) as PipelineStateDocument, load_id: loadId };
}

/** Inserts a state row when the content changed since `previous`; returns the version now current. */
export async function writeState(
  connection: DuckDBConnection,
  dataset: string,
  state: PipelineStateContent,
  previous: StoredStateRow | undefined,
  loadId: string,
): Promise<{ version: number; written: boolean }> {
  const candidate: PipelineStateDocument = { ...state, _state_version: previous?.version ?? 0, _state_engine_version: STATE_ENGINE_VERSION };
  const hash = stateVersionHash(candidate);
  if (previous && previous.version_hash === hash) return { version: previous.version, written: false };
  const version = (previous?.version ?? 0) + 1;
  const document = { ...candidate, _state_version: version };
  await connection.run(
    `INSERT INTO ${qualified(dataset, STATE_TABLE)} VALUES ($1, $2, $3, $4, now(), $5, $6, $7)`,
    [version, STATE_ENGINE_VERSION, state.pipeline_name, encodeState(document), hash, loadId, randomDltId()],
  );
  return { version, written: true };
}

/** The newest stored schema named `schemaName`, if any. */
export async function readLatestSchema(connection: DuckDBConnection, dataset: string, schemaName: string): Promise<StoredSchema | undefined> {
  if (!(await tableExists(connection, dataset, VERSION_TABLE))) return undefined;
  const reader = await connection.runAndReadAll(
    `SELECT schema FROM ${qualified(dataset, VERSION_TABLE)} WHERE schema_name = $1 ORDER BY version DESC, inserted_at DESC LIMIT 1`,
    [schemaName],
  );
  const text = reader.getRowsJS()[0]?.[0];
  return typeof text === 'string' ? (JSON.parse(text) as StoredSchema) : undefined;
}

/** Stores `schema` unless this exact version hash is stored already. */
export async function writeSchemaVersion(connection: DuckDBConnection, dataset: string, schema: StoredSchema): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) FROM ${qualified(dataset, VERSION_TABLE)} WHERE schema_name = $1 AND version_hash = $2`,
    [schema.name, schema.version_hash],
  );
  if (Number(reader.getRowsJS()[0]?.[0] ?? 0) > 0) return false;
  await connection.run(`INSERT INTO ${qualified(dataset, VERSION_TABLE)} VALUES ($1, $2, now(), $3, $4, $5)`, [
    schema.version,
    schema.engine_version,
    schema.name,
    schema.version_hash,
    JSON.stringify(schema),
  ]);
  return true;
}

export async function writeLoadRow(connection: DuckDBConnection, dataset: string, loadId: string, schemaName: string, schemaVersionHash: string): Promise<void> {
  await connection.run(`INSERT INTO ${qualified(dataset, LOADS_TABLE)} VALUES ($1, $2, 0, now(), $3)`, [loadId, schemaName, schemaVersionHash]);
}

/** A random 14-character id like dlt's `_dlt_id` (base64url of 10 random bytes, trimmed). */
export function randomDltId(): string {
  return randomBytes(10).toString('base64url').slice(0, 14);
}
