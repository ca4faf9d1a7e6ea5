/** Shared fixtures for the normalizer tests. */
import { Normalizer } from '../../src/normalize/normalizer.js';
import type { NormalizerOptions } from '../../src/normalize/normalizer.js';
import type { NormalizeResult, StoredSchema } from '../../src/normalize/types.js';
import type { ColumnHint, ResourceInfo, SchemaContract } from '../../src/rest/types.js';

export const LOAD_ID = '1733821065.123456';

export function resource(overrides: Partial<ResourceInfo> & { name: string }): ResourceInfo {
  return {
    table_name: overrides.name,
    write_disposition: 'append',
    primary_key: [],
    columns: {},
    selected: true,
    sensitive_fields: [],
    endpoint_path: overrides.name,
    ...overrides,
  };
}

/** A normalizer with deterministic root ids r1, r2, … */
export function normalizer(options: Partial<NormalizerOptions> = {}): Normalizer {
  let next = 0;
  return new Normalizer({ schemaName: 'test_source', newId: () => `r${++next}`, ...options });
}

export interface Setup {
  norm: Normalizer;
  page(items: Record<string, unknown>[]): NormalizeResult;
}

/** Registers one resource and returns a function that normalizes its pages (page numbers count up). */
export function setup(
  options: {
    name?: string;
    columns?: Record<string, ColumnHint>;
    primaryKey?: string[];
    contract?: SchemaContract;
    runContract?: SchemaContract;
    maxTableNesting?: number;
    schema?: StoredSchema;
  } = {},
): Setup {
  const name = options.name ?? 'items';
  const norm = normalizer({
    ...(options.runContract ? { contract: options.runContract } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
  });
  norm.registerResource(
    resource({
      name,
      columns: options.columns ?? {},
      primary_key: options.primaryKey ?? [],
      ...(options.contract ? { schema_contract: options.contract } : {}),
      ...(options.maxTableNesting === undefined ? {} : { max_table_nesting: options.maxTableNesting }),
    }),
  );
  let pageNumber = 0;
  return {
    norm,
    page: (items) => norm.normalizePage({ resource: name, table_name: name, items, page: ++pageNumber }, LOAD_ID),
  };
}

/** Rows of one table as objects keyed by column (easier to read in expectations). */
export function rowsOf(result: NormalizeResult, table: string): Record<string, unknown>[] {
  const rows = result.tables.find((entry) => entry.table === table);
  if (!rows) return [];
  return rows.rows.map((row) => Object.fromEntries(rows.columns.map((column, index) => [column, row[index]])));
}

export function columnsOf(result: NormalizeResult, table: string): string[] {
  return result.tables.find((entry) => entry.table === table)?.columns ?? [];
}

export function columnTypes(schema: StoredSchema, table: string): Record<string, string> {
  const columns = schema.tables[table]?.columns ?? {};
  return Object.fromEntries(Object.values(columns).map((column) => [column.name, column.data_type]));
}
