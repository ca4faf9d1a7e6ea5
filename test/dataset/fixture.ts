/**
 * A real dlt-shaped DuckDB file for the read-side tests: schema beyondtrust_data with two root tables, a child
 * table, a table known only by naming (no stored schema), and dlt's system tables. Deterministic data.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { StoredSchema } from '../../src/normalize/types.js';

export const DATASET = 'beyondtrust_data';
export const ACCOUNT_ROWS = 1000;
export const REQUEST_ROWS = 120;
export const TAG_ROWS = 2000; // two tags per account
export const OLD_LOAD_ID = '1717000000.000001';
export const NEW_LOAD_ID = '1718000000.000002';

export function storedSchema(version: number, withRequests: boolean): StoredSchema {
  const tables: StoredSchema['tables'] = {
    managed_accounts: {
      name: 'managed_accounts',
      resource: 'managed_accounts',
      write_disposition: 'merge',
      columns: {
        account_id: { name: 'account_id', data_type: 'bigint', nullable: false, primary_key: true },
        account_name: { name: 'account_name', data_type: 'text', nullable: true },
        _dlt_load_id: { name: '_dlt_load_id', data_type: 'text', nullable: false },
        _dlt_id: { name: '_dlt_id', data_type: 'text', nullable: false },
      },
    },
    managed_accounts__tags: {
      name: 'managed_accounts__tags',
      parent: 'managed_accounts',
      resource: 'managed_accounts',
      write_disposition: 'merge',
      columns: {
        value: { name: 'value', data_type: 'text', nullable: true },
        _dlt_parent_id: { name: '_dlt_parent_id', data_type: 'text', nullable: false },
        _dlt_id: { name: '_dlt_id', data_type: 'text', nullable: false },
      },
    },
  };
  if (withRequests) {
    tables['requests'] = {
      name: 'requests',
      resource: 'requests',
      write_disposition: 'append',
      columns: { request_id: { name: 'request_id', data_type: 'bigint', nullable: false, primary_key: true } },
    };
  }
  return { name: 'beyondtrust', version, version_hash: `hash-${version}`, engine_version: 11, tables };
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export async function buildFixtureDb(): Promise<{ dir: string; dbPath: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bt-dataset-'));
  const dbPath = join(dir, 'beyondtrust_pipeline.duckdb');
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  const d = DATASET;
  const statements = [
    `CREATE SCHEMA ${d}`,
    `CREATE TABLE ${d}.managed_accounts AS
       SELECT i::BIGINT AS account_id,
              'account_' || lpad(i::VARCHAR, 4, '0') AS account_name,
              CASE WHEN i % 10 = 0 THEN NULL ELSE 'system_' || (i % 7)::VARCHAR END AS system_name,
              TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_minutes(i) AS last_change_date,
              i % 2 = 0 AS is_enabled,
              CASE WHEN i <= 500 THEN '${OLD_LOAD_ID}' ELSE '${NEW_LOAD_ID}' END AS _dlt_load_id,
              'ma_' || i::VARCHAR AS _dlt_id
         FROM range(1, ${ACCOUNT_ROWS + 1}) t(i)`,
    `CREATE TABLE ${d}.managed_accounts__tags AS
       SELECT 'tag_' || (j % 5)::VARCHAR AS value,
              'ma_' || i::VARCHAR AS _dlt_parent_id,
              j::BIGINT AS _dlt_list_idx,
              'ma_' || i::VARCHAR AS _dlt_root_id,
              'tag_' || i::VARCHAR || '_' || j::VARCHAR AS _dlt_id
         FROM range(1, ${ACCOUNT_ROWS + 1}) a(i), range(0, 2) b(j)`,
    `CREATE TABLE ${d}.requests AS
       SELECT i::BIGINT AS request_id,
              'Reason ' || i::VARCHAR || ': ' || repeat('maintenance window ', 10) AS reason,
              '${NEW_LOAD_ID}' AS _dlt_load_id,
              'rq_' || i::VARCHAR AS _dlt_id
         FROM range(1, ${REQUEST_ROWS + 1}) t(i)`,
    // Not in the stored schema: parent/child must come from dlt's naming convention.
    `CREATE TABLE ${d}.assets AS SELECT i::BIGINT AS asset_id, '${NEW_LOAD_ID}' AS _dlt_load_id, 'as_' || i::VARCHAR AS _dlt_id FROM range(1, 4) t(i)`,
    `CREATE TABLE ${d}.assets__ip_addresses AS SELECT '10.0.0.' || i::VARCHAR AS value, 'as_' || i::VARCHAR AS _dlt_parent_id, 'ip_' || i::VARCHAR AS _dlt_id FROM range(1, 4) t(i)`,
    `CREATE TABLE ${d}._dlt_loads (load_id VARCHAR NOT NULL, schema_name VARCHAR, status BIGINT NOT NULL, inserted_at TIMESTAMPTZ NOT NULL, schema_version_hash VARCHAR)`,
    `INSERT INTO ${d}._dlt_loads VALUES ('${OLD_LOAD_ID}', 'beyondtrust', 0, TIMESTAMPTZ '2024-06-01 10:00:00+00', 'hash-1'),
                                        ('${NEW_LOAD_ID}', 'beyondtrust', 0, TIMESTAMPTZ '2024-06-10 12:30:00.250+00', 'hash-2')`,
    `CREATE TABLE ${d}._dlt_version (version BIGINT NOT NULL, engine_version BIGINT NOT NULL, inserted_at TIMESTAMPTZ NOT NULL, schema_name VARCHAR NOT NULL, version_hash VARCHAR NOT NULL, schema VARCHAR NOT NULL)`,
    `INSERT INTO ${d}._dlt_version VALUES
       (1, 11, TIMESTAMPTZ '2024-06-01 10:00:00+00', 'beyondtrust', 'hash-1', ${sqlString(JSON.stringify(storedSchema(1, false)))}),
       (2, 11, TIMESTAMPTZ '2024-06-10 12:30:00+00', 'beyondtrust', 'hash-2', ${sqlString(JSON.stringify(storedSchema(2, true)))})`,
    `CREATE TABLE ${d}._dlt_pipeline_state (version BIGINT, engine_version BIGINT, pipeline_name VARCHAR, state VARCHAR, created_at TIMESTAMPTZ, version_hash VARCHAR, _dlt_load_id VARCHAR, _dlt_id VARCHAR)`,
    `INSERT INTO ${d}._dlt_pipeline_state VALUES (1, 4, 'beyondtrust_pipeline', 'eNoDAAAAAAE=', TIMESTAMPTZ '2024-06-10 12:30:00+00', 'state-hash', '${NEW_LOAD_ID}', 'st_1')`,
  ];
  try {
    for (const sql of statements) await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { dir, dbPath, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Row count and table names, read with a plain (non-locked) read-only instance to check nothing changed. */
export async function snapshotDb(dbPath: string): Promise<{ accounts: number; tables: string[]; schemas: string[] }> {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const accounts = await connection.runAndReadAll(`SELECT count(*) FROM ${DATASET}.managed_accounts`);
    const tables = await connection.runAndReadAll(`SELECT schema_name || '.' || table_name FROM duckdb_tables() ORDER BY 1`);
    const schemas = await connection.runAndReadAll(`SELECT DISTINCT schema_name FROM duckdb_schemas() ORDER BY 1`);
    return {
      accounts: Number(accounts.getRows()[0]?.[0]),
      tables: tables.getRows().map((r) => String(r[0])),
      schemas: schemas.getRows().map((r) => String(r[0])),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
