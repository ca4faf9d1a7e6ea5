/**
 * DuckDB allows one writing process per file, and no writer while other processes read it. Another process that
 * opens the file meets an OS lock error; inside one process DuckDB does not stop a second instance at all, so writers
 * also register here and in-process readers check it.
 *
 * Who holds the lock decides the wording: a READ_ONLY open can only be refused by a process that has the file open
 * for writing ("a load is running"); a read-write open can be refused by readers too, so its error stays neutral
 * unless the holder is known (database.ts probes with a read-only open to tell).
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BtError } from '../../errors.js';

const LOCK_MESSAGE = /Could not set lock on file|Conflicting lock is held|being used by another process/i;
const PID_IN_MESSAGE = /\(PID (\d+)\)/;

/** Default total time a writer keeps retrying a file held by another process. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 1_000;

/** What holds the lock: a process with the file open for writing, one that only reads it, or not known. */
export type LockHolder = 'writer' | 'reader' | 'unknown';

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

export function dbLockedError(dbPath: string, pid: number | undefined, cause?: unknown, holder: LockHolder = 'writer'): BtError {
  const by = pid === undefined ? 'another process' : `another process (pid ${pid})`;
  const details = { db_path: dbPath, holder, ...(pid === undefined ? {} : { pid }) };
  if (holder === 'writer') {
    const pidText = pid === undefined ? '' : ` (pid ${pid})`;
    return new BtError('DB_LOCKED', `A load is running on ${dbPath}${pidText}; DuckDB allows one writer per file.`, {
      hint: 'Wait for the running load to finish (see `beyondtrust-mcp info` or the pipeline_info tool), or close the program that has the file open for writing (a DuckDB CLI or notebook), then retry.',
      details,
      cause,
    });
  }
  const what =
    holder === 'reader'
      ? `The database file ${dbPath} is held by ${by}, which has it open for reading; DuckDB cannot write a file while another process has it open.`
      : `The database file ${dbPath} is held by ${by}; DuckDB cannot write a file while another process has it open.`;
  return new BtError('DB_LOCKED', what, {
    hint: 'Close the program that has the file open — a DuckDB CLI or notebook, a `beyondtrust-mcp query`, an MCP server answering dataset tools, or a running load — then rerun.',
    details,
    cause,
  });
}

/**
 * Turns DuckDB's lock error into BtError DB_LOCKED; returns any other error unchanged. `access` is how the refused
 * open wanted the file: a refused read means a writer holds it.
 */
export function toDbLockedError(error: unknown, dbPath: string, access: 'read' | 'write' = 'read'): unknown {
  return isDuckDbLockError(error) ? dbLockedError(dbPath, lockHolderPid(error), error, access === 'read' ? 'writer' : 'unknown') : error;
}

export interface LockWaitOptions {
  /** Total time to keep retrying while the file is locked; 0 fails at once. Default DEFAULT_LOCK_WAIT_MS. */
  lockWaitMs?: number;
  /** Called once, when the first attempt meets the lock and a retry is coming. */
  onLockWait?: (info: { db_path: string; pid?: number; wait_ms: number }) => void;
  signal?: AbortSignal;
}

/**
 * Runs `open` until it does not fail with DB_LOCKED, with backoff (50 ms doubling to 1 s) for at most `lockWaitMs`
 * in total. The last DB_LOCKED error is rethrown with `waited_ms` in its details.
 */
export async function retryWhileLocked<T>(dbPath: string, open: () => Promise<T>, options: LockWaitOptions = {}): Promise<T> {
  const budget = Math.max(0, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  const started = Date.now();
  let delay = FIRST_RETRY_MS;
  let notified = false;
  for (;;) {
    try {
      return await open();
    } catch (error) {
      if (!(error instanceof BtError) || error.code !== 'DB_LOCKED') throw error;
      // Cancelled while waiting: the caller's abort, not the lock, ends the attempt.
      if (options.signal?.aborted) throw options.signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
      const waited = Date.now() - started;
      if (waited >= budget) {
        error.details.waited_ms = waited;
        throw error;
      }
      if (!notified) {
        notified = true;
        const pid = error.details.pid;
        options.onLockWait?.({ db_path: dbPath, ...(typeof pid === 'number' ? { pid } : {}), wait_ms: budget });
      }
      await sleep(Math.min(delay, budget - waited), undefined, options.signal ? { signal: options.signal } : undefined).catch(() => undefined);
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }
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
