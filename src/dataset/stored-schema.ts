/**
 * The dlt schema the pipeline stored in `_dlt_version` (newest version per schema name): where primary keys,
 * parent tables, resources and write dispositions are known.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableSchema } from '../normalize/types.js';
import { quoteIdentifier } from './identifiers.js';

/** Tables of the newest stored schema of every schema name in the dataset, merged; empty when there is none. */
export async function readStoredTables(connection: DuckDBConnection, datasetName: string): Promise<Map<string, TableSchema>> {
  const tables = new Map<string, TableSchema>();
  const exists = await connection.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $1 AND table_name = '_dlt_version'`,
    [datasetName],
  );
  if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return tables;
  const reader = await connection.runAndReadAll(
    `SELECT schema_name, CAST("schema" AS VARCHAR) FROM ${quoteIdentifier(datasetName)}."_dlt_version" ORDER BY inserted_at DESC, version DESC`,
  );
  const seen = new Set<string>();
  for (const [schemaName, schemaJson] of reader.getRows()) {
    const name = String(schemaName);
    if (seen.has(name)) continue; // an older version of a schema already taken
    seen.add(name);
    for (const table of parseTables(schemaJson)) if (!tables.has(table.name)) tables.set(table.name, table);
  }
  return tables;
}

function parseTables(schemaJson: unknown): TableSchema[] {
  if (typeof schemaJson !== 'string') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(schemaJson);
  } catch {
    return []; // a damaged schema row should not hide the tables themselves
  }
  const tables = (parsed as { tables?: unknown } | null)?.tables;
  if (typeof tables !== 'object' || tables === null) return [];
  return Object.entries(tables as Record<string, unknown>)
    .filter((entry): entry is [string, Record<string, unknown>] => typeof entry[1] === 'object' && entry[1] !== null)
    .map(([name, table]) => ({ ...(table as unknown as TableSchema), name, columns: (table['columns'] ?? {}) as TableSchema['columns'] }));
}

/** The write disposition of a table, inherited from its parent chain as dlt does for nested tables. */
export function inheritedProperty<K extends 'write_disposition' | 'resource'>(
  tables: Map<string, TableSchema>,
  tableName: string,
  key: K,
): TableSchema[K] | undefined {
  const visited = new Set<string>();
  let current = tables.get(tableName);
  while (current && !visited.has(current.name)) {
    visited.add(current.name);
    if (current[key] !== undefined) return current[key];
    current = current.parent ? tables.get(current.parent) : undefined;
  }
  return undefined;
}
