/** The dataset's tables: what exists, how many rows, which keys, how child tables join their parents. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { BtError } from '../errors.js';
import type { TableSchema } from '../normalize/types.js';
import { assertDatasetName, isDltColumn, isDltSystemTable, quoteIdentifier } from './identifiers.js';
import { toJsonValue, type ConvertContext } from './json-values.js';
import { withReadOnlyDb } from './read-only.js';
import { inheritedProperty, readStoredTables } from './stored-schema.js';

export interface TableInfo {
  name: string;
  schema: string;
  row_count: number;
  is_system: boolean;
  parent?: string;
  resource?: string;
  last_load_id?: string;
  last_loaded_at?: string;
  column_count: number;
}

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  primary_key: boolean;
  dlt_column: boolean;
  stats?: { null_count: number; distinct_count: number; min?: string; max?: string };
}

export interface TableDescription {
  name: string;
  schema: string;
  row_count: number;
  columns: ColumnInfo[];
  parent?: { table: string; join: string };
  children: { table: string; join: string }[];
  primary_key: string[];
  write_disposition?: string;
  resource?: string;
}

interface CatalogTable {
  name: string;
  columns: { name: string; type: string; nullable: boolean }[];
}

/** Tables of the dataset; dlt's system tables only with includeSystem. */
export async function listTables(options: { dbPath: string; datasetName: string; includeSystem?: boolean }): Promise<TableInfo[]> {
  assertDatasetName(options.datasetName);
  return withReadOnlyDb(options.dbPath, async ({ connection }) => {
    const dataset = options.datasetName;
    const catalog = await readCatalog(connection, dataset);
    const stored = await readStoredTables(connection, dataset);
    const loadTimes = await readLoadTimes(connection, dataset, catalog);
    const infos = new Map<string, TableInfo>();
    for (const table of catalog.values()) {
      const isSystem = isDltSystemTable(table.name);
      if (isSystem && !options.includeSystem) continue;
      const hasLoadId = table.columns.some((c) => c.name === '_dlt_load_id');
      const counted = await connection.runAndReadAll(
        `SELECT count(*), ${hasLoadId ? 'max(CAST(_dlt_load_id AS VARCHAR))' : 'NULL'} FROM ${qualified(dataset, table.name)}`,
      );
      const [count, lastLoadId] = counted.getRows()[0] ?? [0, null];
      const parent = parentOf(table.name, catalog, stored);
      const resource = inheritedProperty(stored, table.name, 'resource');
      infos.set(table.name, {
        name: table.name,
        schema: dataset,
        row_count: Number(count ?? 0),
        is_system: isSystem,
        column_count: table.columns.length,
        ...(parent ? { parent } : {}),
        ...(resource ? { resource } : {}),
        ...(typeof lastLoadId === 'string' ? { last_load_id: lastLoadId } : {}),
      });
    }
    for (const info of infos.values()) {
      // Nested tables carry no _dlt_load_id (dlt links them by _dlt_root_id); they were loaded with their root.
      if (info.last_load_id === undefined) {
        const rootLoad = rootLoadId(info.name, infos);
        if (rootLoad) info.last_load_id = rootLoad;
      }
      const loadedAt = info.last_load_id ? loadTimes.get(info.last_load_id) : undefined;
      if (loadedAt) info.last_loaded_at = loadedAt;
    }
    return [...infos.values()].sort((a, b) => Number(a.is_system) - Number(b.is_system) || a.name.localeCompare(b.name));
  });
}

/** Columns, keys, parent/child joins and (with stats) per-column null/distinct counts and min/max. */
export async function describeTable(options: {
  dbPath: string;
  datasetName: string;
  table: string;
  stats?: boolean;
}): Promise<TableDescription> {
  assertDatasetName(options.datasetName);
  return withReadOnlyDb(options.dbPath, async ({ connection }) => {
    const dataset = options.datasetName;
    const catalog = await readCatalog(connection, dataset);
    const table = catalog.get(options.table);
    if (!table) throw tableNotFound(options.table, dataset, catalog);
    const stored = await readStoredTables(connection, dataset);
    const storedTable = stored.get(table.name);
    const primaryKey = storedTable
      ? Object.values(storedTable.columns).filter((c) => c.primary_key).map((c) => c.name)
      : [];
    const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${qualified(dataset, table.name)}`);
    const rowCount = Number(counted.getRows()[0]?.[0] ?? 0);
    const stats = options.stats ? await columnStats(connection, dataset, table) : undefined;
    const columns: ColumnInfo[] = table.columns.map((column, i) => ({
      name: column.name,
      type: column.type,
      nullable: column.nullable,
      primary_key: primaryKey.includes(column.name),
      dlt_column: isDltColumn(column.name),
      ...(stats?.[i] ? { stats: stats[i] } : {}),
    }));
    const parent = parentOf(table.name, catalog, stored);
    const children = [...catalog.keys()]
      .filter((name) => name !== table.name && parentOf(name, catalog, stored) === table.name)
      .sort()
      .map((child) => ({ table: child, join: joinClause(child, table.name) }));
    const writeDisposition = inheritedProperty(stored, table.name, 'write_disposition');
    const resource = inheritedProperty(stored, table.name, 'resource');
    return {
      name: table.name,
      schema: dataset,
      row_count: rowCount,
      columns,
      ...(parent ? { parent: { table: parent, join: joinClause(table.name, parent) } } : {}),
      children,
      primary_key: primaryKey,
      ...(writeDisposition ? { write_disposition: writeDisposition } : {}),
      ...(resource ? { resource } : {}),
    };
  });
}

async function readCatalog(connection: DuckDBConnection, dataset: string): Promise<Map<string, CatalogTable>> {
  const schemas = await connection.runAndReadAll(
    'SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name = $1',
    [dataset],
  );
  if (Number(schemas.getRows()[0]?.[0] ?? 0) === 0) {
    throw new BtError('DATASET_NOT_FOUND', `The database has no dataset (schema) named ${dataset}.`, {
      hint: 'Run the pipeline first, or pass the dataset_name it loaded into (default beyondtrust_data).',
      details: { step: 'query', dataset_name: dataset },
    });
  }
  const reader = await connection.runAndReadAll(
    `SELECT t.table_name, c.column_name, c.data_type, c.is_nullable
       FROM duckdb_tables() t
       LEFT JOIN duckdb_columns() c
         ON c.database_name = t.database_name AND c.schema_name = t.schema_name AND c.table_name = t.table_name
      WHERE t.database_name = current_database() AND t.schema_name = $1
      ORDER BY t.table_name, c.column_index`,
    [dataset],
  );
  const tables = new Map<string, CatalogTable>();
  for (const [tableName, columnName, dataType, isNullable] of reader.getRows()) {
    const name = String(tableName);
    let table = tables.get(name);
    if (!table) {
      table = { name, columns: [] };
      tables.set(name, table);
    }
    if (columnName !== null) table.columns.push({ name: String(columnName), type: String(dataType), nullable: isNullable === true });
  }
  return tables;
}

/** load_id → inserted_at (ISO) from _dlt_loads; empty when the table does not exist yet. */
async function readLoadTimes(connection: DuckDBConnection, dataset: string, catalog: Map<string, CatalogTable>): Promise<Map<string, string>> {
  const times = new Map<string, string>();
  if (!catalog.has('_dlt_loads')) return times;
  const reader = await connection.runAndReadAll(
    `SELECT CAST(load_id AS VARCHAR), inserted_at FROM ${qualified(dataset, '_dlt_loads')}`,
  );
  const context: ConvertContext = { maxCellChars: 200, truncatedCells: false };
  for (const [loadId, insertedAt] of reader.getRows()) {
    if (typeof loadId === 'string' && insertedAt !== null && insertedAt !== undefined) times.set(loadId, String(toJsonValue(insertedAt, context)));
  }
  return times;
}

/**
 * The parent of a nested table: from the stored schema, or else from dlt's naming (`parent__child` with a
 * `_dlt_parent_id` column), choosing the longest existing prefix.
 */
function parentOf(name: string, catalog: Map<string, CatalogTable>, stored: Map<string, TableSchema>): string | undefined {
  const storedParent = stored.get(name)?.parent;
  if (storedParent) return storedParent;
  if (stored.has(name) || isDltSystemTable(name)) return undefined;
  const table = catalog.get(name);
  if (!table?.columns.some((c) => c.name === '_dlt_parent_id')) return undefined;
  for (let cut = name.lastIndexOf('__'); cut > 0; cut = name.lastIndexOf('__', cut - 1)) {
    const candidate = name.slice(0, cut);
    if (catalog.has(candidate)) return candidate;
  }
  return undefined;
}

function rootLoadId(name: string, infos: Map<string, TableInfo>): string | undefined {
  const visited = new Set<string>();
  let current = infos.get(name);
  while (current && !visited.has(current.name)) {
    visited.add(current.name);
    if (current.last_load_id) return current.last_load_id;
    current = current.parent ? infos.get(current.parent) : undefined;
  }
  return undefined;
}

function joinClause(child: string, parent: string): string {
  return `${child}._dlt_parent_id = ${parent}._dlt_id`;
}

function qualified(dataset: string, table: string): string {
  return `${quoteIdentifier(dataset)}.${quoteIdentifier(table)}`;
}

/** Types min/max are meaningful for; nested and binary types get only null and distinct counts. */
function isOrderable(type: string): boolean {
  return !/^(STRUCT|MAP|UNION|BLOB|BIT)\b/i.test(type) && !/\]$/.test(type);
}

async function columnStats(
  connection: DuckDBConnection,
  dataset: string,
  table: CatalogTable,
): Promise<NonNullable<ColumnInfo['stats']>[]> {
  if (table.columns.length === 0) return [];
  const selects = table.columns.flatMap((column, i) => {
    const q = quoteIdentifier(column.name);
    const parts = [`count(*) - count(${q}) AS n${i}`, `count(DISTINCT ${q}) AS d${i}`];
    if (isOrderable(column.type)) parts.push(`min(${q}) AS lo${i}`, `max(${q}) AS hi${i}`);
    return parts;
  });
  const reader = await connection.runAndReadAll(`SELECT ${selects.join(', ')} FROM ${qualified(dataset, table.name)}`);
  const row = reader.getRowObjects()[0] ?? {};
  const context: ConvertContext = { maxCellChars: 200, truncatedCells: false };
  return table.columns.map((column, i) => {
    const lo = row[`lo${i}`];
    const hi = row[`hi${i}`];
    return {
      null_count: Number(row[`n${i}`] ?? 0),
      distinct_count: Number(row[`d${i}`] ?? 0),
      ...(lo !== undefined && lo !== null ? { min: statText(toJsonValue(lo, context)) } : {}),
      ...(hi !== undefined && hi !== null ? { max: statText(toJsonValue(hi, context)) } : {}),
    };
  });
}

function statText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function tableNotFound(table: string, dataset: string, catalog: Map<string, CatalogTable>): BtError {
  const names = [...catalog.keys()].filter((n) => !isDltSystemTable(n)).sort();
  const shown = names.slice(0, 30).join(', ') + (names.length > 30 ? `, … (${names.length - 30} more)` : '');
  return new BtError('TABLE_NOT_FOUND', `Dataset ${dataset} has no table named ${JSON.stringify(table.slice(0, 120))}.`, {
    hint: names.length > 0 ? `Known tables: ${shown}. Call list_tables for row counts.` : 'The dataset has no tables yet; run the pipeline first.',
    details: { step: 'query', dataset_name: dataset },
  });
}
