/** DuckDB's error messages → BtError codes of the read side. */
import { BtError } from '../errors.js';

export type InterruptReason = 'timeout' | 'cancelled' | undefined;

export function queryError(error: unknown, options: { timeoutMs: number; interrupted: InterruptReason }): BtError {
  if (error instanceof BtError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (options.interrupted === 'cancelled') {
    return new BtError('CANCELLED', 'The query was cancelled.', { details: { step: 'query' } });
  }
  if (options.interrupted === 'timeout' || /INTERRUPT Error|Interrupted!/.test(message)) {
    return new BtError('SQL_TIMEOUT', `The query did not finish within ${options.timeoutMs} ms and was interrupted.`, {
      hint: 'Make the query cheaper: filter with WHERE, aggregate (count, GROUP BY) instead of listing rows, add LIMIT, select fewer columns, avoid cross joins.',
      details: { step: 'query', timeout_ms: options.timeoutMs },
    });
  }
  if (/file system operations are disabled|external access is disabled|enable_external_access/i.test(message)) {
    return fileAccessRefused(message);
  }
  if (/read-only mode|read only mode|configuration has been locked/i.test(message)) {
    return new BtError('SQL_NOT_READ_ONLY', `The statement was refused by the read-only database: ${firstLine(message)}`, {
      hint: 'Only reading queries run here. Data changes, settings and extensions are not available.',
      details: { step: 'query' },
    });
  }
  const catalog = /Catalog Error|does not exist/i.test(message);
  return new BtError('SQL_ERROR', firstLines(message, 6), {
    hint: catalog
      ? 'Call list_tables to see the table names and describe_table for their columns; the dataset schema is beyondtrust_data by default.'
      : 'Fix the SQL (DuckDB dialect) and retry; describe_table shows column names and types.',
    details: { step: 'query' },
  });
}

/**
 * The instance has no file system access at all. DuckDB says which file or directory it tried; the extension
 * directory means an extension statement or duckdb_extensions(), anything else a file read or write.
 */
function fileAccessRefused(message: string): BtError {
  const details = { step: 'query' as const };
  if (/directory "[^"]*[\\/]extensions\b/i.test(message)) {
    return new BtError(
      'SQL_NOT_READ_ONLY',
      'DuckDB extensions are not available here: listing (duckdb_extensions()), installing or loading them needs the extension directory, and this read-only instance has no file system access.',
      { hint: 'Use the built-in DuckDB functions on the dataset tables; duckdb_functions() and duckdb_settings() list what is available.', details },
    );
  }
  return new BtError(
    'SQL_NOT_READ_ONLY',
    'Reading or writing files is not allowed: the query tool only reads the tables of the dataset (no read_csv, read_json, read_parquet, file paths as tables, COPY or ATTACH).',
    { hint: 'Query the loaded tables instead (list_tables shows them); to load other data, add an endpoint to the pipeline.', details },
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function firstLines(text: string, count: number): string {
  return text.split('\n').slice(0, count).join('\n').trim();
}
