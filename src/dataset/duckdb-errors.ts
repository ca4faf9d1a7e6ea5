/** DuckDB's error messages → BtError codes of the read side. */
import { BtError } from '../errors.js';
import { notReadOnly } from './sql-guard.js';

export type InterruptReason = 'timeout' | 'cancelled' | undefined;

export function queryError(error: unknown, options: { timeoutMs: number; interrupted: InterruptReason }): BtError {
  if (error instanceof BtError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (options.interrupted === 'cancelled') {
    return new BtError('CANCELLED', 'The query was cancelled.', { details: { step: 'query' } });
  }
  if (options.interrupted === 'timeout' || /INTERRUPT Error|Interrupted!/.test(message)) {
    return new BtError('SQL_TIMEOUT', `The query did not finish within ${options.timeoutMs} ms and was interrupted.`, {
      hint: 'Narrow it: filter with WHERE, aggregate, add LIMIT, avoid cross joins; or raise timeout_ms.',
      details: { step: 'query', timeout_ms: options.timeoutMs },
    });
  }
  if (/file system operations are disabled|external access is disabled|enable_external_access/i.test(message)) {
    return notReadOnly('Reading or writing files');
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

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function firstLines(text: string, count: number): string {
  return text.split('\n').slice(0, count).join('\n').trim();
}
