/** Creates and evolves destination tables from the normalizer's schema; knows each table's columns in table order. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataType, TableSchema } from '../../normalize/types.js';
import { duckdbType, qualified, quoteIdent, quoteLiteral } from './sql.js';
import type { TargetColumn } from './table-appender.js';

const FROM_DUCKDB: Record<string, DataType> = {
  BIGINT: 'bigint',
  INTEGER: 'bigint',
  SMALLINT: 'bigint',
  TINYINT: 'bigint',
  HUGEINT: 'bigint',
  DOUBLE: 'double',
  FLOAT: 'double',
  BOOLEAN: 'bool',
  VARCHAR: 'text',
  JSON: 'json',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
  DATE: 'date',
};

export function dataTypeOfDuckDbType(duckType: string): DataType {
  return FROM_DUCKDB[duckType.toUpperCase()] ?? 'text';
}

/** Columns of every table in one schema (catalog `database`), in table order. */
export async function readTableColumns(
  connection: DuckDBConnection,
  schema: string,
  database?: string,
): Promise<Map<string, TargetColumn[]>> {
  const databaseFilter = database === undefined ? 'database_name = current_database()' : `database_name = ${quoteLiteral(database)}`;
  const reader = await connection.runAndReadAll(
    `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE ${databaseFilter} AND schema_name = ${quoteLiteral(schema)} ORDER BY table_name, column_index`,
  );
  const tables = new Map<string, TargetColumn[]>();
  for (const [table, column, type] of reader.getRowsJS() as [string, string, string][]) {
    const columns = tables.get(table) ?? [];
    columns.push({ name: column, data_type: dataTypeOfDuckDbType(type) });
    tables.set(table, columns);
  }
  return tables;
}

/**
 * Brings `catalog.schema.table` in line with `table`: CREATE TABLE when missing, one ALTER TABLE ADD COLUMN per new
 * column. No NOT NULL or unique constraints (like dlt's duckdb defaults: they slow loading and break evolution).
 * Returns the table's columns in table order and the columns it added.
 */
export async function syncTable(
  connection: DuckDBConnection,
  target: { schema: string; catalog?: string },
  table: Pick<TableSchema, 'name' | 'columns'>,
  existing: TargetColumn[] | undefined,
): Promise<{ columns: TargetColumn[]; created: boolean; added: string[] }> {
  const name = target.catalog === undefined ? qualified(target.schema, table.name) : `${quoteIdent(target.catalog)}.${qualified(target.schema, table.name)}`;
  const wanted = Object.values(table.columns).map((column) => ({ name: column.name, data_type: column.data_type }));
  if (existing === undefined) {
    const definitions = wanted.map((column) => `${quoteIdent(column.name)} ${duckdbType(column.data_type)}`);
    await connection.run(`CREATE TABLE ${name} (${definitions.join(', ')})`);
    return { columns: wanted, created: true, added: wanted.map((column) => column.name) };
  }
  const known = new Set(existing.map((column) => column.name));
  const columns = [...existing];
  const added: string[] = [];
  for (const column of wanted) {
    if (known.has(column.name)) continue;
    await connection.run(`ALTER TABLE ${name} ADD COLUMN ${quoteIdent(column.name)} ${duckdbType(column.data_type)}`);
    columns.push(column);
    added.push(column.name);
  }
  return { columns, created: false, added };
}
