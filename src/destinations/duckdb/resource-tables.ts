/** The tables one resource writes (root + nested), ordered so every parent comes before its children. */
import type { StoredSchema } from '../../normalize/types.js';

export interface ResourceTable {
  name: string;
  /** Undefined for the root table. */
  parent?: string;
  depth: number;
}

export interface ResourceTableTree {
  resource: string;
  root: string;
  /** Normalized primary-key column names of the root table. */
  primaryKey: string[];
  /** Root first, then nested tables by depth. */
  tables: ResourceTable[];
}

export function resourceTableTree(schema: StoredSchema, resource: string): ResourceTableTree | undefined {
  const own = Object.values(schema.tables).filter((table) => table.resource === resource);
  const root = own.find((table) => table.parent === undefined || schema.tables[table.parent] === undefined);
  if (!root) return undefined;
  const byName = new Map(own.map((table) => [table.name, table]));
  const depthOf = (name: string, seen = new Set<string>()): number => {
    const table = byName.get(name);
    if (!table || table.parent === undefined || name === root.name || seen.has(name)) return 0;
    seen.add(name);
    return 1 + depthOf(table.parent, seen);
  };
  const tables = own
    .map((table) => ({ name: table.name, ...(table.name === root.name || table.parent === undefined ? {} : { parent: table.parent }), depth: depthOf(table.name) }))
    .sort((a, b) => a.depth - b.depth || (a.name < b.name ? -1 : 1));
  const primaryKey = Object.values(root.columns)
    .filter((column) => column.primary_key)
    .map((column) => column.name);
  return { resource, root: root.name, primaryKey, tables };
}
