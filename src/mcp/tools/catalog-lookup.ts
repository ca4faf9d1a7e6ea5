/** Resolving table names given by the model against the catalog, with an error that lists the valid names. */
import { BEYONDTRUST_CATALOG, findCatalogEntry } from '../../beyondtrust/catalog.js';
import type { CatalogEntry } from '../../beyondtrust/catalog.js';
import { BtError } from '../../errors.js';

function unknownEndpoint(names: string[]): BtError {
  const valid = BEYONDTRUST_CATALOG.map((entry) => entry.table).join(', ');
  return new BtError('UNKNOWN_ENDPOINT', `Unknown endpoint table ${names.map((name) => `"${name}"`).join(', ')}.`, {
    hint: `Use table names from list_endpoints: ${valid}.`,
  });
}

export function requireCatalogEntry(table: string): CatalogEntry {
  const entry = findCatalogEntry(table);
  if (!entry) throw unknownEndpoint([table]);
  return entry;
}

/** Validates a resource selection before anything runs, so a typo has no effect. */
export function requireKnownTables(tables: readonly string[]): void {
  const unknown = tables.filter((table) => !findCatalogEntry(table));
  if (unknown.length > 0) throw unknownEndpoint(unknown);
}
