/** Content hash of a schema's tables: stable across key order, changes whenever a table or column changes. */
import { createHash } from 'node:crypto';
import type { StoredSchema, TableSchema } from './types.js';

/** Version of the StoredSchema layout written by this normalizer. */
export const SCHEMA_ENGINE_VERSION = 1;

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** sha256 (base64) of the canonical JSON of `tables` (keys sorted, undefined fields dropped). */
export function schemaVersionHash(tables: Record<string, TableSchema>): string {
  return createHash('sha256').update(canonicalJson(tables)).digest('base64');
}

/** A fresh schema with no tables. */
export function emptySchema(name: string): StoredSchema {
  const tables: Record<string, TableSchema> = {};
  return { name, version: 0, version_hash: schemaVersionHash(tables), engine_version: SCHEMA_ENGINE_VERSION, tables };
}
