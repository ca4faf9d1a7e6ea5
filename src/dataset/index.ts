/** The read side of the dataset: tables, their schemas, and read-only SQL with limits. */
export { openReadOnly, withReadOnlyDb, READ_ONLY_OPTIONS, type ReadOnlyDb } from './read-only.js';
export { listTables, describeTable, type TableInfo, type ColumnInfo, type TableDescription } from './tables.js';
export {
  runReadOnlyQuery,
  DEFAULT_MAX_ROWS,
  MAX_ROWS_CAP,
  DEFAULT_MAX_CHARS,
  DEFAULT_TIMEOUT_MS,
  type QueryOptions,
  type QueryResult,
} from './query.js';
export { formatTextTable } from './text-table.js';
