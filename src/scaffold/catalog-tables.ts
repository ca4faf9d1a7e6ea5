/** The catalog table names scaffolding validates `resources` against (source of truth: BEYONDTRUST_CATALOG). */
import { BEYONDTRUST_CATALOG } from '../beyondtrust/catalog.js';
import { BtError } from '../errors.js';

export interface CatalogTableName {
  table: string;
  opt_in: boolean;
}

export function catalogTables(): readonly CatalogTableName[] {
  return BEYONDTRUST_CATALOG.map(({ table, opt_in }) => ({ table, opt_in }));
}

/**
 * Checks `requested` against the catalog. Without a selection, every table that is not opt-in is chosen.
 * Duplicates are dropped, order is kept.
 */
export function selectCatalogTables(catalog: readonly CatalogTableName[], requested: readonly string[] | undefined): string[] {
  if (requested === undefined || requested.length === 0) return catalog.filter((t) => !t.opt_in).map((t) => t.table);
  const known = new Set(catalog.map((t) => t.table));
  const unknown = requested.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BtError('UNKNOWN_RESOURCE', `Unknown resource(s): ${unknown.map((n) => JSON.stringify(n)).join(', ')}.`, {
      hint: `Use table names from list_endpoints. Valid names: ${catalog.map((t) => t.table).join(', ')}.`,
      details: { step: 'scaffold', unknown, valid: catalog.map((t) => t.table) },
    });
  }
  return [...new Set(requested)];
}
