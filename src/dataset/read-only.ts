/**
 * The locked-down DuckDB instance of the read side: read-only file access, no file system or network,
 * no extension loading, configuration locked so a query cannot undo any of it. Open one per call and close
 * it right after: a reader holds a shared lock that keeps the pipeline's writer out.
 */
import { statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { BtError } from '../errors.js';

/** Every option name was checked against @duckdb/node-api 1.5.6 (unknown names fail instance creation). */
export const READ_ONLY_OPTIONS: Readonly<Record<string, string>> = {
  access_mode: 'READ_ONLY',
  enable_external_access: 'false',
  autoload_known_extensions: 'false',
  autoinstall_known_extensions: 'false',
  allow_community_extensions: 'false',
  allow_unsigned_extensions: 'false',
  threads: '2',
  max_memory: '1GB',
  // Last: nothing above can be changed by SET afterwards.
  lock_configuration: 'true',
};

export interface ReadOnlyDb {
  connection: DuckDBConnection;
  close(): void;
}

export async function openReadOnly(dbPath: string): Promise<ReadOnlyDb> {
  assertDatabaseFile(dbPath);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(dbPath, { ...READ_ONLY_OPTIONS });
  } catch (error) {
    throw openError(dbPath, error);
  }
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
  } catch (error) {
    instance.closeSync();
    throw openError(dbPath, error);
  }
  let closed = false;
  return {
    connection,
    close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Opens, runs `work`, and always closes. */
export async function withReadOnlyDb<T>(dbPath: string, work: (db: ReadOnlyDb) => Promise<T>): Promise<T> {
  const db = await openReadOnly(dbPath);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

function assertDatabaseFile(dbPath: string): void {
  let isFile = false;
  try {
    isFile = statSync(dbPath).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    throw new BtError('DATASET_NOT_FOUND', `No DuckDB database at ${dbPath}.`, {
      hint: 'Run the pipeline first (run_pipeline, or `beyondtrust-mcp run`), then query its dataset.',
      details: { step: 'query', db_path: dbPath },
    });
  }
}

function openError(dbPath: string, error: unknown): BtError {
  const message = error instanceof Error ? error.message : String(error);
  if (/could not set lock|conflicting lock|being used by another process/i.test(message)) {
    return new BtError('DB_LOCKED', `${dbPath} is locked by another process: a load is running; retry when it finishes.`, {
      hint: 'Wait for the running pipeline load to finish (pipeline_info shows its state), then retry.',
      details: { step: 'query', db_path: dbPath },
    });
  }
  if (/database does not exist/i.test(message)) {
    return new BtError('DATASET_NOT_FOUND', `No DuckDB database at ${dbPath}.`, {
      hint: 'Run the pipeline first, then query its dataset.',
      details: { step: 'query', db_path: dbPath },
    });
  }
  return new BtError('DB_OPEN_FAILED', `Cannot open ${dbPath} read-only: ${message}`, {
    hint: 'Check that the file is a DuckDB database written by this pipeline and that its DuckDB version is supported.',
    details: { step: 'query', db_path: dbPath },
  });
}
