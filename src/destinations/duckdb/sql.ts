/** SQL text helpers for server-built statements: identifiers are always quoted, values always escaped. */
import type { DataType } from '../../normalize/types.js';

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

const DUCKDB_TYPES: Record<DataType, string> = {
  bigint: 'BIGINT',
  double: 'DOUBLE',
  bool: 'BOOLEAN',
  text: 'VARCHAR',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
  date: 'DATE',
  json: 'JSON',
};

export function duckdbType(dataType: DataType): string {
  return DUCKDB_TYPES[dataType];
}
