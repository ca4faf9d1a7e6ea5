/**
 * Column inference for previews (MCP `preview_endpoint`): what tables and columns a sample of records would
 * produce, using the same rules as the normalizer, without any stored schema.
 */
import { hintColumnName, Normalizer } from './normalizer.js';
import { SYSTEM_COLUMN_NAMES } from './table-state.js';
import type { DataType } from './types.js';
import type { ColumnHint } from '../rest/types.js';

export { schemaVersionHash } from './schema-version.js';

export interface InferredColumn {
  /** Normalized column name (`address__city`, `change_state__v_text`). */
  name: string;
  /** Dotted source path (`Address.City`). */
  source_path: string;
  data_type: DataType;
  /** The hint's nullability, else whether some record had no value. */
  nullable: boolean;
}

export interface InferOptions {
  /** Root table name; when given, child tables carry it as prefix (`managed_accounts__tags`), else they are relative (`tags`). */
  tableName?: string;
  maxTableNesting?: number;
}

export function inferColumns(
  items: Record<string, unknown>[],
  hints?: Record<string, ColumnHint>,
  options: InferOptions = {},
): { columns: InferredColumn[]; child_tables: string[] } {
  const root = options.tableName ?? '';
  const normalizer = new Normalizer({ schemaName: 'preview', newId: () => 'preview' });
  normalizer.registerResource({
    name: 'preview',
    table_name: root,
    write_disposition: 'append',
    primary_key: [],
    columns: hints ?? {},
    selected: true,
    sensitive_fields: [],
    endpoint_path: '',
    ...(options.maxTableNesting === undefined ? {} : { max_table_nesting: options.maxTableNesting }),
  });
  const result = normalizer.normalizePage({ resource: 'preview', table_name: root, items, page: 1 }, 'preview');
  const schema = normalizer.schema;
  const rootRows = result.tables.find((table) => table.table === root);
  const hintByColumn = new Map<string, ColumnHint>();
  for (const [source, hint] of Object.entries(hints ?? {})) hintByColumn.set(hintColumnName(source), hint);
  const sourcePaths = normalizer.sourcePaths(root);

  const columns: InferredColumn[] = [];
  for (const column of Object.values(schema.tables[root]?.columns ?? {})) {
    if (SYSTEM_COLUMN_NAMES.has(column.name)) continue;
    const index = rootRows?.columns.indexOf(column.name) ?? -1;
    const sawNull = !rootRows || index < 0 || rootRows.rows.some((row) => row[index] === null);
    columns.push({
      name: column.name,
      source_path: sourcePaths.get(column.name) ?? column.name,
      data_type: column.data_type,
      nullable: hintByColumn.get(column.name)?.nullable ?? sawNull,
    });
  }
  const child_tables = Object.keys(schema.tables).filter((name) => name !== root);
  return { columns, child_tables };
}
