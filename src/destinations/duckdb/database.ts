/** Opening and closing a DuckDB file, with DuckDB's lock errors turned into DB_LOCKED. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { BtError } from '../../errors.js';
import { assertNoWriterInProcess, dbLockedError, toDbLockedError } from './lock.js';

export interface OpenDatabase {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Idempotent; releases the file lock. */
  close(): void;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** DuckDB's memory_limit (e.g. '256MB'); past it DuckDB spills to its temp directory. DuckDB's default when absent. */
  memoryLimit?: string;
}

export async function openDatabase(dbPath: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const absolute = path.resolve(dbPath);
  if (options.readOnly) assertNoWriterInProcess(absolute);
  else await mkdir(path.dirname(absolute), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(absolute, {
      ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    });
  } catch (error) {
    const mapped = toDbLockedError(error, absolute, options.readOnly ? 'read' : 'write');
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

/**
 * A read-write open refused by a lock does not say who holds the file. A read-only open tells: it succeeds next to
 * readers and fails only while a writer holds the file. Returns `error` reworded for the holder found.
 */
export async function identifyLockHolder(error: BtError, dbPath: string): Promise<BtError> {
  if (error.code !== 'DB_LOCKED' || error.details.holder !== 'unknown') return error;
  const pid = typeof error.details.pid === 'number' ? error.details.pid : undefined;
  let holder: 'reader' | 'writer' | 'unknown' = 'unknown';
  try {
    const probe = await openDatabase(dbPath, { readOnly: true });
    probe.close();
    holder = 'reader';
  } catch (probeError) {
    if (probeError instanceof BtError && probeError.code === 'DB_LOCKED') holder = 'writer';
  }
  if (holder === 'unknown') return error;
  const reworded = dbLockedError(path.resolve(dbPath), pid, error.cause ?? error, holder);
  Object.assign(reworded.details, { ...error.details, holder });
  return reworded;
}
