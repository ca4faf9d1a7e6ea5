/**
 * DuckDB allows one writing process per file. Another process that opens the file meets an OS lock error; inside one
 * process DuckDB does not stop a second instance at all, so writers also register here and in-process readers check it.
 */
import path from 'node:path';
import { BtError } from '../../errors.js';

const LOCK_MESSAGE = /Could not set lock on file|Conflicting lock is held|being used by another process/i;
const PID_IN_MESSAGE = /\(PID (\d+)\)/;

const writersInThisProcess = new Map<string, { since: string }>();

export function isDuckDbLockError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return LOCK_MESSAGE.test(message);
}

/** The pid named in DuckDB's lock message, if any. */
export function lockHolderPid(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const match = PID_IN_MESSAGE.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function dbLockedError(dbPath: string, pid: number | undefined, cause?: unknown): BtError {
  const holder = pid === undefined ? '' : ` (pid ${pid})`;
  return new BtError('DB_LOCKED', `A load is running on ${dbPath}${holder}; DuckDB allows one writer per file.`, {
    hint: 'Wait for the running load to finish (see `beyondtrust-mcp info` or the pipeline_info tool), then retry.',
    details: { db_path: dbPath, ...(pid === undefined ? {} : { pid }) },
    cause,
  });
}

/** Turns DuckDB's lock error into BtError DB_LOCKED; returns any other error unchanged. */
export function toDbLockedError(error: unknown, dbPath: string): unknown {
  return isDuckDbLockError(error) ? dbLockedError(dbPath, lockHolderPid(error), error) : error;
}

function key(dbPath: string): string {
  return path.resolve(dbPath);
}

/** Marks `dbPath` as written by this process; throws DB_LOCKED when a writer here already holds it. */
export function claimInProcessWriter(dbPath: string): void {
  if (writersInThisProcess.has(key(dbPath))) throw dbLockedError(key(dbPath), process.pid);
  writersInThisProcess.set(key(dbPath), { since: new Date().toISOString() });
}

export function releaseInProcessWriter(dbPath: string): void {
  writersInThisProcess.delete(key(dbPath));
}

/** True while a writer of this process holds `dbPath` (a reader must not open the file then). */
export function isWriterActiveInProcess(dbPath: string): boolean {
  return writersInThisProcess.has(key(dbPath));
}

/** Throws DB_LOCKED when this process is writing `dbPath`; call before opening it for reading. */
export function assertNoWriterInProcess(dbPath: string): void {
  if (isWriterActiveInProcess(dbPath)) throw dbLockedError(key(dbPath), process.pid);
}
