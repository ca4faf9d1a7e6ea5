export { DuckDbLoadSession, readLoadBaseline } from './load-session.js';
export type { BaselineOptions, CommitInput, CommitResult, LoadBaseline, LoadSessionOptions } from './load-session.js';
export { identifyLockHolder, openDatabase } from './database.js';
export type { OpenDatabase, OpenOptions } from './database.js';
export {
  assertNoWriterInProcess,
  dbLockedError,
  DEFAULT_LOCK_WAIT_MS,
  isDuckDbLockError,
  isWriterActiveInProcess,
  lockHolderPid,
  retryWhileLocked,
  toDbLockedError,
} from './lock.js';
export type { LockHolder, LockWaitOptions } from './lock.js';
export { readDestinationSnapshot, fileExists } from './inspect.js';
export type { DestinationSnapshot, LoadRow } from './inspect.js';
export { decodeState, encodeState } from './state-codec.js';
export { LOADS_TABLE, STATE_TABLE, VERSION_TABLE, SYSTEM_TABLES } from './system-tables.js';
export type { PipelineStateContent, PipelineStateDocument } from './system-tables.js';
export { duckdbType, quoteIdent, quoteLiteral, qualified } from './sql.js';
