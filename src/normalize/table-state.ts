/**
 * The normalizer's working view of one table: its columns as arrays for index lookups, a cache of source keys
 * to column slots (so normalizing a value costs one Map lookup), and the rows of the page in progress.
 */
import type { ResolvedContract } from './contract.js';
import type { ColumnHint } from '../rest/types.js';
import type { ColumnSchema, DataType, SchemaContract, WriteDisposition } from './types.js';

export const ROOT_SYSTEM_COLUMNS: readonly ColumnSchema[] = [
  { name: '_dlt_id', data_type: 'text', nullable: false },
  { name: '_dlt_load_id', data_type: 'text', nullable: false },
];

export const NESTED_SYSTEM_COLUMNS: readonly ColumnSchema[] = [
  { name: '_dlt_id', data_type: 'text', nullable: false },
  { name: '_dlt_parent_id', data_type: 'text', nullable: false },
  { name: '_dlt_list_idx', data_type: 'bigint', nullable: false },
  { name: '_dlt_root_id', data_type: 'text', nullable: false },
];

export const SYSTEM_COLUMN_NAMES: ReadonlySet<string> = new Set(
  [...ROOT_SYSTEM_COLUMNS, ...NESTED_SYSTEM_COLUMNS].map((column) => column.name),
);

/** What a resource declared about its root table; shared by the root and all its nested tables. */
export interface RootConfig {
  resource: string;
  writeDisposition: WriteDisposition;
  /** The resource's own contract (stored on the root table). */
  schemaContract: SchemaContract | undefined;
  /** Effective contract: run > resource > evolve. */
  contract: ResolvedContract;
  maxTableNesting: number;
  /** Normalized primary key columns. */
  primaryKey: string[];
  /** Hints without a data type (or for columns not created yet), by normalized column name. */
  pendingHints: Map<string, ColumnHint>;
}

/** One source key at one nesting position, with everything resolved about it so far. */
export interface FieldSlot {
  readonly key: string;
  /** Normalized, flattened column name (`address__city`). */
  readonly column: string;
  /** Dotted source path (`Address.City`). */
  readonly sourcePath: string;
  /** Nesting level of the object holding the field (root record: 0). */
  readonly level: number;
  /** The column's index in the table, -1 while it does not exist. */
  colIdx: number;
  dataType: DataType | undefined;
  /** Data fields that map onto a system column name are ignored. */
  readonly ignored: boolean;
  variantIdx: Partial<Record<DataType, number>> | undefined;
  /** Fields of a nested object flattened into this table. */
  dictNode: PathNode | undefined;
  /** The nested table of a list value. */
  childTable: TableState | undefined;
}

/** The fields at one object depth of a table (the record itself, or a flattened nested object). */
export class PathNode {
  readonly fields = new Map<string, FieldSlot>();
  constructor(
    /** Column name prefix, '' or `address__`. */
    readonly prefix: string,
    readonly sourcePrefix: string,
    /** Nesting level of the fields in this node (root record fields: 0). */
    readonly level: number,
  ) {}
}

export class TableState {
  readonly columns: ColumnSchema[] = [];
  readonly columnNames: string[] = [];
  readonly types: DataType[] = [];
  readonly colIndex = new Map<string, number>();
  /** Source path of each data column created or hinted here (for previews). */
  readonly sourcePaths = new Map<string, string>();
  /** Columns already in the committed StoredSchema. */
  committedColumns = 0;
  /** False until the table is in the committed StoredSchema. */
  committed = false;
  /** Record-level fields; created when the table's nesting level is known. */
  recordNode: PathNode | undefined;
  /** The row that created this table: its new columns are covered by the tables contract. */
  creatingRow: unknown[] | undefined;
  /** Set on a new table: its next row becomes `creatingRow`. */
  acceptNextRow = false;
  rows: unknown[][] = [];
  /** Serial of the page that last added rows (to list each table once per page). */
  pageSerial = -1;

  constructor(
    readonly name: string,
    readonly parent: TableState | undefined,
    public config: RootConfig,
    public description: string | undefined,
  ) {}

  get isRoot(): boolean {
    return this.parent === undefined;
  }

  get root(): TableState {
    let table: TableState = this;
    while (table.parent) table = table.parent;
    return table;
  }

  addColumn(column: ColumnSchema, sourcePath?: string): number {
    const index = this.columns.length;
    this.columns.push(column);
    this.columnNames.push(column.name);
    this.types.push(column.data_type);
    this.colIndex.set(column.name, index);
    if (sourcePath !== undefined) this.sourcePaths.set(column.name, sourcePath);
    return index;
  }

  nodeAt(level: number): PathNode {
    this.recordNode ??= new PathNode('', '', level);
    return this.recordNode;
  }
}
