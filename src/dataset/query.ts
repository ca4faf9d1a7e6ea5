/**
 * Read-only SQL for agents and the CLI: one statement, on a locked-down read-only instance, streamed with row,
 * character and time limits, paged with opaque cursors.
 */
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import { StatementType } from '@duckdb/node-api';
import { BtError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { queryError, type InterruptReason } from './duckdb-errors.js';
import { assertDatasetName } from './identifiers.js';
import { DEFAULT_MAX_CELL_CHARS, toJsonValue, type ConvertContext } from './json-values.js';
import { withReadOnlyDb } from './read-only.js';
import {
  assertNotEmpty,
  assertReadOnlyKeyword,
  assertReadOnlyStatementType,
  assertSingleStatement,
  statementTypeName,
} from './sql-guard.js';

export const DEFAULT_MAX_ROWS = 200;
export const MAX_ROWS_CAP = 1000;
export const DEFAULT_MAX_CHARS = 40_000;
export const MAX_CHARS_CAP = 500_000;
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface QueryOptions {
  dbPath: string;
  sql: string;
  /** Default 200, capped at 1000. */
  maxRows?: number;
  cursor?: string;
  /** Budget for the JSON of the returned rows; default 40000. */
  maxChars?: number;
  /** Default 15000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Set as search_path, so unqualified table names resolve in the dataset. */
  datasetName?: string;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  row_count: number;
  truncated: boolean;
  next_cursor: string | null;
  statement_type: string;
  warnings: string[];
}

interface Limits {
  maxRows: number;
  maxChars: number;
  timeoutMs: number;
  offset: number;
}

export async function runReadOnlyQuery(options: QueryOptions): Promise<QueryResult> {
  const warnings: string[] = [];
  const sql = typeof options.sql === 'string' ? options.sql : '';
  const limits = resolveLimits(options, sql, warnings);
  assertNotEmpty(sql);
  if (options.datasetName !== undefined) assertDatasetName(options.datasetName);
  if (options.signal?.aborted) throw new BtError('CANCELLED', 'The query was cancelled.', { details: { step: 'query' } });

  return withReadOnlyDb(options.dbPath, async ({ connection }) => {
    let interrupted: InterruptReason;
    const interrupt = (reason: Exclude<InterruptReason, undefined>): void => {
      interrupted ??= reason;
      connection.interrupt();
    };
    const timer = setTimeout(() => interrupt('timeout'), limits.timeoutMs);
    const onAbort = (): void => interrupt('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let prepared: DuckDBPreparedStatement | undefined;
    try {
      if (options.datasetName !== undefined) await useDataset(connection, options.datasetName);
      prepared = await prepareSingle(connection, sql);
      const statementType = prepared.statementType;
      const result = await prepared.stream();
      const collected = await collectRows(result, limits, statementType === StatementType.EXPLAIN);
      return buildResult(sql, result, collected, limits, statementTypeName(statementType), warnings);
    } catch (error) {
      throw queryError(error, { timeoutMs: limits.timeoutMs, interrupted });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      prepared?.destroySync();
    }
  });
}

function resolveLimits(options: QueryOptions, sql: string, warnings: string[]): Limits {
  let maxRows = positiveInteger(options.maxRows, DEFAULT_MAX_ROWS, 'maxRows');
  if (maxRows > MAX_ROWS_CAP) {
    warnings.push(`max_rows ${maxRows} is above the cap; using ${MAX_ROWS_CAP}.`);
    maxRows = MAX_ROWS_CAP;
  }
  const maxChars = Math.min(positiveInteger(options.maxChars, DEFAULT_MAX_CHARS, 'maxChars'), MAX_CHARS_CAP);
  const timeoutMs = positiveInteger(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const offset = options.cursor ? decodeCursor(options.cursor, sql) : 0;
  return { maxRows, maxChars, timeoutMs, offset };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new BtError('INVALID_ARGUMENT', `${name} must be a positive whole number, got ${String(value)}.`, {
      hint: `Omit ${name} to use the default (${fallback}).`,
      details: { step: 'query' },
    });
  }
  return value;
}

async function useDataset(connection: DuckDBConnection, datasetName: string): Promise<void> {
  const found = await connection.runAndReadAll(
    'SELECT count(*) AS n FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name = $1',
    [datasetName],
  );
  if (Number(found.getRows()[0]?.[0] ?? 0) === 0) {
    throw new BtError('DATASET_NOT_FOUND', `The database has no dataset (schema) named ${datasetName}.`, {
      hint: 'Run the pipeline first, or pass the dataset_name the pipeline loaded into (default beyondtrust_data).',
      details: { step: 'query', dataset_name: datasetName },
    });
  }
  // search_path is a session setting, so it stays settable under lock_configuration.
  // datasetName passed assertDatasetName (letters, digits, underscores), so it is safe inside the literal.
  await connection.run(`SET search_path = '${datasetName},main'`);
}

/** Exactly one statement, prepared, that DuckDB itself classifies as SELECT or EXPLAIN. Nothing runs before this passes. */
async function prepareSingle(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  const extracted = await connection.extractStatements(sql); // parses only; syntax errors surface here
  assertReadOnlyKeyword(sql);
  assertSingleStatement(extracted.count);
  const prepared = await extracted.prepare(0);
  try {
    assertReadOnlyStatementType(prepared.statementType);
  } catch (error) {
    prepared.destroySync();
    throw error;
  }
  return prepared;
}

interface CollectedRows {
  rows: Record<string, unknown>[];
  /** True when rows exist beyond the returned ones (row or character limit hit). */
  more: boolean;
  charLimitHit: boolean;
  cellsTruncated: boolean;
  /** Set when the first row alone was over the budget and its cells were cut further. */
  shrunkRow?: ShrunkRow;
}

interface ShrunkRow {
  /** Longest cell kept, in characters. */
  cellChars: number;
  /** False when even the shortest cells leave the row over the budget (too many columns). */
  fits: boolean;
}

/** Below this a cut cell says nothing; a row that does not fit with cells this short is returned as it is. */
const MIN_SHRUNK_CELL_CHARS = 8;

async function collectRows(result: DuckDBResult, limits: Limits, isExplain: boolean): Promise<CollectedRows> {
  const names = result.deduplicatedColumnNames();
  const context: ConvertContext = { maxCellChars: isExplain ? limits.maxChars : DEFAULT_MAX_CELL_CHARS, truncatedCells: false };
  const rows: Record<string, unknown>[] = [];
  let toSkip = limits.offset;
  let chars = 2; // "[]"
  let more = false;
  let charLimitHit = false;
  let shrunkRow: ShrunkRow | undefined;
  reading: for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    if (toSkip >= chunk.rowCount) {
      toSkip -= chunk.rowCount;
      continue;
    }
    for (let r = toSkip; r < chunk.rowCount; r++) {
      if (rows.length === limits.maxRows) {
        more = true; // the (maxRows+1)-th row exists
        break reading;
      }
      const values = chunk.getRowValues(r);
      let row = convertRow(names, values, context);
      let rowChars = JSON.stringify(row).length + 1;
      if (chars + rowChars > limits.maxChars) {
        if (rows.length > 0) {
          more = true;
          charLimitHit = true;
          break reading;
        }
        // Always return at least one row, so paging makes progress; cut its cells until it fits the budget.
        const shrunk = shrinkRow(names, values, limits.maxChars - chars - 1, context.maxCellChars);
        row = shrunk.row;
        rowChars = JSON.stringify(row).length + 1;
        shrunkRow = { cellChars: shrunk.cellChars, fits: chars + rowChars <= limits.maxChars };
      }
      chars += rowChars;
      rows.push(row);
    }
    toSkip = 0;
  }
  return { rows, more, charLimitHit, cellsTruncated: context.truncatedCells, ...(shrunkRow ? { shrunkRow } : {}) };
}

function convertRow(names: readonly string[], values: readonly DuckDBValue[], context: ConvertContext): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  names.forEach((name, c) => {
    row[name] = toJsonValue(values[c] ?? null, context);
  });
  return row;
}

/**
 * The row with every cell cut to the longest length that keeps its JSON within `budget` characters (binary
 * search). Text is cut inside strings, lists and structs; a nested value still too long becomes its cut JSON text.
 */
function shrinkRow(
  names: readonly string[],
  values: readonly DuckDBValue[],
  budget: number,
  maxCellChars: number,
): { row: Record<string, unknown>; cellChars: number } {
  const at = (cellChars: number): Record<string, unknown> => {
    const row = convertRow(names, values, { maxCellChars: cellChars, truncatedCells: false });
    for (const [name, value] of Object.entries(row)) {
      if (value === null || typeof value !== 'object') continue;
      const json = JSON.stringify(value);
      if (json.length > cellChars) row[name] = `${json.slice(0, cellChars)}… [truncated ${json.length - cellChars} chars]`;
    }
    return row;
  };
  const fits = (cellChars: number): boolean => JSON.stringify(at(cellChars)).length <= budget;
  let low = MIN_SHRUNK_CELL_CHARS;
  let high = Math.max(maxCellChars, MIN_SHRUNK_CELL_CHARS);
  if (!fits(low)) return { row: at(low), cellChars: low };
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return { row: at(low), cellChars: low };
}

function buildResult(
  sql: string,
  result: DuckDBResult,
  collected: CollectedRows,
  limits: Limits,
  statementType: string,
  warnings: string[],
): QueryResult {
  const columns = result.deduplicatedColumnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
  const { rows, more } = collected;
  const first = limits.offset + 1;
  const last = limits.offset + rows.length;
  if (more) {
    const reason = collected.charLimitHit ? `the ${limits.maxChars}-character budget` : `max_rows ${limits.maxRows}`;
    warnings.push(
      `Result truncated at ${reason}: returned rows ${first}-${last}; more rows exist. Pass next_cursor to continue, or narrow the query (WHERE, aggregates, fewer columns).`,
    );
    if (!/\border\s+by\b/i.test(sql)) warnings.push('Add ORDER BY for a stable order across pages.');
  }
  if (collected.cellsTruncated) warnings.push(`Long text values were cut at ${DEFAULT_MAX_CELL_CHARS} characters; select substrings to see more.`);
  const { shrunkRow } = collected;
  if (shrunkRow) {
    warnings.push(
      shrunkRow.fits
        ? `Row ${first} alone was over the ${limits.maxChars}-character budget: its values were cut to ${shrunkRow.cellChars} characters each (marked "… [truncated N chars]"). Select fewer columns, or substrings of the long ones, to see them whole.`
        : `Row ${first} is over the ${limits.maxChars}-character budget even with every value cut to ${shrunkRow.cellChars} characters (it has ${columns.length} columns). Select fewer columns.`,
    );
  }
  if (limits.offset > 0 && rows.length === 0) warnings.push('The cursor is past the last row.');
  return {
    columns,
    rows,
    row_count: rows.length,
    truncated: more,
    next_cursor: more ? encodeCursor(sql, last) : null,
    statement_type: statementType,
    warnings,
  };
}
