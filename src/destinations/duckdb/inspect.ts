/** Read-only look at a pipeline's dataset (state and recent loads) for `info` and pipeline_info; never holds the lock. */
import { access } from 'node:fs/promises';
import { openDatabase } from './database.js';
import { qualified, quoteLiteral } from './sql.js';
import { LOADS_TABLE, readLatestState } from './system-tables.js';
import type { PipelineStateDocument } from './system-tables.js';

export interface LoadRow {
  load_id: string;
  status: number;
  inserted_at: string;
}

export interface DestinationSnapshot {
  state: PipelineStateDocument | undefined;
  loads: LoadRow[];
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Opens `dbPath` READ_ONLY for a moment. Throws DB_LOCKED while a load holds the file. */
export async function readDestinationSnapshot(dbPath: string, dataset: string, pipelineName: string, maxLoads = 10): Promise<DestinationSnapshot> {
  const database = await openDatabase(dbPath, { readOnly: true });
  try {
    const { connection } = database;
    const state = await readLatestState(connection, dataset, pipelineName);
    const exists = await connection.runAndReadAll(
      `SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = ${quoteLiteral(dataset)} AND table_name = ${quoteLiteral(LOADS_TABLE)}`,
    );
    const loads: LoadRow[] = [];
    if (Number(exists.getRowsJS()[0]?.[0] ?? 0) > 0) {
      const reader = await connection.runAndReadAll(
        `SELECT load_id, status, strftime(inserted_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') FROM ${qualified(dataset, LOADS_TABLE)} ORDER BY inserted_at DESC LIMIT ${Math.max(0, Math.trunc(maxLoads))}`,
      );
      for (const [loadId, status, insertedAt] of reader.getRowsJS() as [string, bigint | number, string][]) {
        loads.push({ load_id: loadId, status: Number(status), inserted_at: insertedAt });
      }
    }
    return { state: state?.state, loads };
  } finally {
    database.close();
  }
}
