/** Opening and closing a DuckDB file, with DuckDB's lock errors turned into DB_LOCKED. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { BtError } from '../../errors.js';
import { assertNoWriterInProcess, toDbLockedError } from './lock.js';

export interface OpenDatabase {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Idempotent; releases the file lock. */
  close(): void;
}

export interface OpenOptions {
  readOnly?: boolean;
}

export async function openDatabase(dbPath: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const absolute = path.resolve(dbPath);
  if (options.readOnly) assertNoWriterInProcess(absolute);
  else await mkdir(path.dirname(absolute), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(absolute, options.readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (error) {
    const mapped = toDbLockedError(error, absolute);
    if (mapped !== error) throw mapped;
    throw new BtError('DB_OPEN_FAILED', `Could not open the DuckDB file ${absolute}: ${(error as Error).message}`, {
      hint: 'Check that the path is a DuckDB database file and that the directory is writable.',
      details: { db_path: absolute },
      cause: error,
    });
  }
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  let closed = false;
  return {
    path: absolute,
    connection,
    close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}
