/**
 * JSON records → typed rows per table (root + nested), with dlt's relational normalization: nested objects are
 * flattened with `__`, lists become nested tables linked by `_dlt_parent_id` / `_dlt_list_idx` / `_dlt_root_id`,
 * types are inferred and fixed by the first non-null value (or a hint), mismatches are coerced or go to variant
 * columns, and schema contracts decide what may change. Pure logic: no I/O.
 */
import { BtError } from '../errors.js';
import { contractViolation, resolveContract } from './contract.js';
import type { ViolationContext } from './contract.js';
import { createRandomIdGenerator, nestedRowId } from './ids.js';
import { joinPath, normalizeIdentifier, variantColumnName } from './naming.js';
import { emptySchema, schemaVersionHash } from './schema-version.js';
import {
  NESTED_SYSTEM_COLUMNS,
  PathNode,
  ROOT_SYSTEM_COLUMNS,
  SYSTEM_COLUMN_NAMES,
  TableState,
} from './table-state.js';
import type { FieldSlot, RootConfig } from './table-state.js';
import { parseTimestampMicros } from './timestamps.js';
import type {
  ColumnSchema,
  ContractMode,
  DataType,
  DiscardCounts,
  NormalizeResult,
  SchemaChange,
  SchemaContract,
  StoredSchema,
  TableRows,
  TableSchema,
} from './types.js';
import type { ColumnHint, ExtractedPage, ResourceInfo } from '../rest/types.js';
import { coerceValue, encodeValue, inferValueType, NOT_COERCIBLE, toJsonText } from './value-types.js';

/** dlt's default nesting limit. */
export const DEFAULT_MAX_TABLE_NESTING = 1000;
const INT64_LIMIT = 2 ** 63;

export interface NormalizerOptions {
  /** Stored schema to continue from (tables and column types are kept). */
  schema?: StoredSchema;
  schemaName: string;
  /** Contract of the run call; per entity it overrides the resource's. */
  contract?: SchemaContract;
  /** Generates root `_dlt_id`s; default: fast random 14-char base64url ids. Tests may pass a deterministic one. */
  newId?: () => string;
}

/** Changes and counters of one registerResource / normalizePage call. */
interface ChangeContext {
  serial: number;
  loadId: string;
  changes: SchemaChange[];
  /** Tables whose schema changed (new table, new column, changed properties). */
  dirty: Set<TableState>;
  /** Tables with rows in this page, in the order they first received one. */
  touched: TableState[];
  discardedRows: number;
  discardedValues: number;
  /** The same counts per table (the table whose row or value was dropped). */
  discarded: Map<string, DiscardCounts>;
  warnings: string[];
}

/** Source field name of a hint (dotted paths allowed: `Address.City`) → normalized column name. */
export function hintColumnName(sourceName: string): string {
  return joinPath(...sourceName.split('.').map(normalizeIdentifier));
}

function newRow(width: number): unknown[] {
  return new Array<unknown>(width).fill(null);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function sameContract(a: SchemaContract | undefined, b: SchemaContract | undefined): boolean {
  return a?.tables === b?.tables && a?.columns === b?.columns && a?.data_type === b?.data_type;
}

export class Normalizer {
  private stored: StoredSchema;
  /** Version and hash the normalizer started from: the version moves at most once past it (see commit()). */
  private readonly baseVersion: number;
  private readonly baseHash: string;
  private snapshot: StoredSchema | undefined;
  private readonly tables = new Map<string, TableState>();
  /** Root configs by root table name; they outlive rebuilds of the table states. */
  private readonly configs = new Map<string, RootConfig>();
  private readonly runContract: SchemaContract | undefined;
  private readonly newId: () => string;
  private serial = 0;
  private ctx: ChangeContext;
  // Lists found while filling a row, processed once the row is accepted (a stack shared by all nesting levels).
  private readonly listSlots: FieldSlot[] = [];
  private readonly listValues: unknown[][] = [];

  constructor(options: NormalizerOptions) {
    this.stored = options.schema ? structuredClone(options.schema) : emptySchema(options.schemaName);
    this.stored.name = options.schemaName;
    this.baseVersion = this.stored.version;
    this.baseHash = this.stored.version_hash;
    this.runContract = options.contract;
    this.newId = options.newId ?? createRandomIdGenerator();
    this.ctx = this.beginContext('');
    this.rebuild();
  }

  /**
   * The current schema: a deeply frozen snapshot, shared until the next change (structuredClone it to edit).
   * version_hash follows every change; version is the starting version + 1 once anything changed.
   */
  get schema(): StoredSchema {
    this.snapshot ??= deepFreeze(structuredClone(this.stored));
    return this.snapshot;
  }

  /** Source paths (`Address.City`) of a table's data columns, by column name. */
  sourcePaths(table: string): ReadonlyMap<string, string> {
    return this.tables.get(table)?.sourcePaths ?? new Map<string, string>();
  }

  /**
   * Declares a resource's root table: name, disposition, contract, primary key and hinted columns (so columns
   * that are always null still exist). Idempotent; call once per resource before its pages.
   */
  registerResource(resource: ResourceInfo): SchemaChange[] {
    const ctx = this.beginContext('');
    const name = resource.table_name;
    const config: RootConfig = {
      resource: resource.name,
      writeDisposition: resource.write_disposition,
      schemaContract: resource.schema_contract,
      contract: resolveContract(this.runContract, resource.schema_contract),
      maxTableNesting: resource.max_table_nesting ?? DEFAULT_MAX_TABLE_NESTING,
      primaryKey: resource.primary_key.map(hintColumnName),
      pendingHints: new Map<string, ColumnHint>(),
    };
    let table = this.tables.get(name);
    if (table?.parent) {
      throw new BtError('NORMALIZE_TABLE_CONFLICT', `Resource "${resource.name}" uses table name "${name}", which is a nested table of "${table.parent.name}".`, {
        hint: 'Give the resource a different table_name.',
        details: { step: 'normalize', resource: resource.name, table: name },
      });
    }
    const existing = this.configs.get(name);
    if (existing) {
      const changed =
        existing.resource !== config.resource ||
        existing.writeDisposition !== config.writeDisposition ||
        !sameContract(existing.schemaContract, config.schemaContract);
      Object.assign(existing, config);
      if (changed && table) ctx.dirty.add(table);
    } else {
      this.configs.set(name, config);
    }
    const shared = existing ?? config;
    if (!table) {
      table = this.createTable(name, undefined, shared, resource.description);
    } else if (resource.description !== undefined && table.description !== resource.description) {
      table.description = resource.description;
      ctx.dirty.add(table);
    }

    const hinted = new Set<string>();
    for (const [sourceName, hint] of Object.entries(resource.columns)) {
      const column = hintColumnName(sourceName);
      hinted.add(column);
      this.applyHint(table, column, sourceName, hint);
    }
    for (const [index, column] of shared.primaryKey.entries()) {
      if (!hinted.has(column)) this.applyHint(table, column, resource.primary_key[index] ?? column, {});
    }
    this.commit();
    return ctx.changes;
  }

  /** Normalizes one page of a resource into rows per table (root + nested). `loadId` goes into `_dlt_load_id`. */
  normalizePage(page: ExtractedPage, loadId: string): NormalizeResult {
    const ctx = this.beginContext(loadId);
    try {
      const root = this.rootTable(page);
      if (root) {
        const node = root.nodeAt(0);
        for (const item of page.items) this.normalizeRootItem(root, node, item);
      }
      const tables = this.collectRows();
      this.commit();
      return {
        tables,
        changes: ctx.changes,
        discardedRows: ctx.discardedRows,
        discardedValues: ctx.discardedValues,
        discarded: Object.fromEntries(ctx.discarded),
        warnings: ctx.warnings,
      };
    } catch (error) {
      // Nothing of a failed page survives: neither its rows nor its schema changes.
      this.rebuild();
      throw error;
    }
  }

  // ---------------------------------------------------------------- schema state

  private beginContext(loadId: string): ChangeContext {
    this.serial++;
    this.ctx = {
      serial: this.serial,
      loadId,
      changes: [],
      dirty: new Set(),
      touched: [],
      discardedRows: 0,
      discardedValues: 0,
      discarded: new Map(),
      warnings: [],
    };
    return this.ctx;
  }

  /** Recreates the working table states from the committed schema (start-up and rollback). */
  private rebuild(): void {
    this.tables.clear();
    this.listSlots.length = 0;
    this.listValues.length = 0;
    const build = (schema: TableSchema): TableState => {
      const built = this.tables.get(schema.name);
      if (built) return built;
      const parentSchema = schema.parent === undefined ? undefined : this.stored.tables[schema.parent];
      const parent = parentSchema ? build(parentSchema) : undefined;
      const config = parent ? parent.config : this.configFor(schema);
      const table = new TableState(schema.name, parent, config, schema.description);
      for (const column of Object.values(schema.columns)) table.addColumn({ ...column });
      table.committed = true;
      table.committedColumns = table.columns.length;
      this.tables.set(schema.name, table);
      return table;
    };
    for (const schema of Object.values(this.stored.tables)) build(schema);
  }

  private configFor(schema: TableSchema): RootConfig {
    const known = this.configs.get(schema.name);
    if (known) return known;
    const config: RootConfig = {
      resource: schema.resource,
      writeDisposition: schema.write_disposition,
      schemaContract: schema.schema_contract,
      contract: resolveContract(this.runContract, schema.schema_contract),
      maxTableNesting: DEFAULT_MAX_TABLE_NESTING,
      primaryKey: Object.values(schema.columns)
        .filter((column) => column.primary_key)
        .map((column) => column.name),
      pendingHints: new Map(),
    };
    this.configs.set(schema.name, config);
    return config;
  }

  private createTable(name: string, parent: TableState | undefined, config: RootConfig, description?: string): TableState {
    const table = new TableState(name, parent, config, description);
    for (const column of parent ? NESTED_SYSTEM_COLUMNS : ROOT_SYSTEM_COLUMNS) table.addColumn({ ...column });
    this.tables.set(name, table);
    this.ctx.dirty.add(table);
    this.ctx.changes.push(parent ? { kind: 'new_table', table: name, parent: parent.name } : { kind: 'new_table', table: name });
    return table;
  }

  private applyHint(table: TableState, column: string, sourceName: string, hint: ColumnHint): void {
    const primaryKey = table.config.primaryKey.includes(column);
    const index = table.colIndex.get(column);
    if (index !== undefined) {
      // Existing columns keep their type; key and description hints still apply.
      const current = table.columns[index];
      if (!current) return;
      if (primaryKey && !current.primary_key) {
        current.primary_key = true;
        current.nullable = false;
        this.ctx.dirty.add(table);
      }
      if (hint.description !== undefined && current.description !== hint.description) {
        current.description = hint.description;
        this.ctx.dirty.add(table);
      }
      if (!table.sourcePaths.has(column)) table.sourcePaths.set(column, sourceName);
      return;
    }
    if (hint.data_type === undefined) {
      table.config.pendingHints.set(column, hint);
      return;
    }
    this.addDataColumn(table, this.columnFromHint(column, hint.data_type, primaryKey, hint), sourceName);
  }

  private columnFromHint(name: string, dataType: DataType, primaryKey: boolean, hint: ColumnHint | undefined): ColumnSchema {
    const column: ColumnSchema = { name, data_type: dataType, nullable: primaryKey ? false : hint?.nullable ?? true };
    if (primaryKey) column.primary_key = true;
    if (hint?.description !== undefined) column.description = hint.description;
    return column;
  }

  private addDataColumn(table: TableState, column: ColumnSchema, sourcePath: string, variantOf?: string): number {
    const index = table.addColumn(column, sourcePath);
    this.ctx.dirty.add(table);
    this.ctx.changes.push(
      variantOf === undefined
        ? { kind: 'new_column', table: table.name, column: column.name, data_type: column.data_type }
        : { kind: 'variant_column', table: table.name, column: column.name, data_type: column.data_type, of: variantOf },
    );
    return index;
  }

  /**
   * Writes the dirty tables into the stored schema. The version is bumped once per normalizer, not per page: dlt
   * bumps it when it saves a changed schema (once per load), and `_dlt_version` keeps one row per version.
   */
  private commit(): void {
    const { dirty } = this.ctx;
    if (dirty.size === 0) return;
    for (const table of dirty) {
      this.stored.tables[table.name] = this.toTableSchema(table);
      table.committed = true;
      table.committedColumns = table.columns.length;
    }
    const hash = schemaVersionHash(this.stored.tables);
    this.stored.version_hash = hash;
    this.stored.version = hash === this.baseHash ? this.baseVersion : this.baseVersion + 1;
    this.snapshot = undefined;
  }

  private toTableSchema(table: TableState): TableSchema {
    const columns: Record<string, ColumnSchema> = {};
    for (const column of table.columns) columns[column.name] = { ...column };
    const { config } = table;
    const schema: TableSchema = {
      name: table.name,
      ...(table.parent ? { parent: table.parent.name } : {}),
      resource: config.resource,
      write_disposition: config.writeDisposition,
      columns,
    };
    if (!table.parent && config.schemaContract) schema.schema_contract = { ...config.schemaContract };
    if (table.description !== undefined) schema.description = table.description;
    return schema;
  }

  // ---------------------------------------------------------------- rows

  private rootTable(page: ExtractedPage): TableState | undefined {
    const name = page.table_name;
    const table = this.tables.get(name);
    if (table) {
      if (table.parent) {
        throw new BtError('NORMALIZE_TABLE_CONFLICT', `Resource "${page.resource}" writes to "${name}", which is a nested table of "${table.parent.name}".`, {
          hint: 'Give the resource a different table_name.',
          details: { step: 'normalize', resource: page.resource, table: name },
        });
      }
      return table;
    }
    // A resource that was never registered: its root table is new, so the tables contract decides.
    const config: RootConfig = {
      resource: page.resource,
      writeDisposition: 'append',
      schemaContract: undefined,
      contract: resolveContract(this.runContract, undefined),
      maxTableNesting: DEFAULT_MAX_TABLE_NESTING,
      primaryKey: [],
      pendingHints: new Map(),
    };
    const mode = config.contract.tables;
    if (mode !== 'evolve') return this.refuseTable(mode, { entity: 'tables', table: name, resource: page.resource }, page.items.length);
    this.configs.set(name, config);
    const created = this.createTable(name, undefined, config);
    created.acceptNextRow = true;
    return created;
  }

  /**
   * A new table under a non-evolve `tables` contract: freeze throws; discard_row drops the `rows` rows that would
   * go into it, discard_value drops the value (the list) that would create a nested table. The table is not created.
   */
  private refuseTable(mode: ContractMode, violation: ViolationContext, rows: number): undefined {
    if (mode === 'freeze') throw contractViolation(violation);
    // A root table's rows cannot survive without it, so both discard modes drop them.
    if (mode === 'discard_row' || violation.parent === undefined) this.discard(violation.table, rows, 0);
    else this.discard(violation.parent, 0, 1);
    return undefined;
  }

  /**
   * A new column or variant under a non-evolve contract: freeze throws; discard_value drops the value and keeps
   * the row (true); discard_row returns false so that the caller drops (and counts) the row.
   */
  private refuseValue(mode: ContractMode, violation: ViolationContext): boolean {
    if (mode === 'freeze') throw contractViolation(violation);
    if (mode === 'discard_row') return false;
    this.discard(violation.table, 0, 1);
    return true;
  }

  /** Counts rows / values a contract dropped, in total and for `table`. */
  private discard(table: string, rows: number, values: number): void {
    this.ctx.discardedRows += rows;
    this.ctx.discardedValues += values;
    const counts = this.ctx.discarded.get(table);
    if (counts) {
      counts.rows += rows;
      counts.values += values;
    } else {
      this.ctx.discarded.set(table, { rows, values });
    }
  }

  private normalizeRootItem(table: TableState, node: PathNode, item: unknown): void {
    const row = newRow(table.columns.length);
    const id = this.newId();
    row[0] = id;
    row[1] = this.ctx.loadId;
    if (table.acceptNextRow) {
      table.creatingRow = row;
      table.acceptNextRow = false;
    }
    const mark = this.listSlots.length;
    if (!this.fillItem(table, node, item, row)) {
      this.discard(table.name, 1, 0);
      this.truncateLists(mark);
      return;
    }
    this.pushRow(table, row);
    this.drainLists(table, mark, id, id);
  }

  private truncateLists(mark: number): void {
    this.listSlots.length = mark;
    this.listValues.length = mark;
  }

  /** Normalizes the lists collected for an accepted row (from `mark` on) into its nested tables. */
  private drainLists(parent: TableState, mark: number, parentId: string, rootId: string): void {
    const end = this.listSlots.length;
    for (let i = mark; i < end; i++) {
      this.normalizeList(parent, this.listSlots[i] as FieldSlot, this.listValues[i] as unknown[], parentId, rootId);
    }
    this.truncateLists(mark);
  }

  private normalizeList(parent: TableState, slot: FieldSlot, list: unknown[], parentId: string, rootId: string): void {
    const table = slot.childTable ?? this.childTable(parent, slot, list.length);
    if (!table) return;
    const node = table.nodeAt(slot.level + 1);
    for (let index = 0; index < list.length; index++) {
      const row = newRow(table.columns.length);
      const id = nestedRowId(parentId, table.name, index);
      row[0] = id;
      row[1] = parentId;
      row[2] = index;
      row[3] = rootId;
      if (table.acceptNextRow) {
        table.creatingRow = row;
        table.acceptNextRow = false;
      }
      const mark = this.listSlots.length;
      if (!this.fillItem(table, node, list[index], row)) {
        this.discard(table.name, 1, 0);
        this.truncateLists(mark);
        continue;
      }
      this.pushRow(table, row);
      this.drainLists(table, mark, id, rootId);
    }
  }

  private childTable(parent: TableState, slot: FieldSlot, items: number): TableState | undefined {
    const name = joinPath(parent.name, slot.column);
    let table = this.tables.get(name);
    if (!table) {
      const mode = parent.config.contract.tables;
      const violation: ViolationContext = { entity: 'tables', table: name, parent: parent.name, resource: parent.config.resource };
      if (mode !== 'evolve') return this.refuseTable(mode, violation, items);
      table = this.createTable(name, parent, parent.config);
      table.acceptNextRow = true;
    }
    slot.childTable = table;
    return table;
  }

  private pushRow(table: TableState, row: unknown[]): void {
    table.rows.push(row);
    if (table.pageSerial !== this.ctx.serial) {
      table.pageSerial = this.ctx.serial;
      this.ctx.touched.push(table);
    }
  }

  /** Fills `row` from one record (object), or from a scalar (`value` column) or a list (`list` nested table). */
  private fillItem(table: TableState, node: PathNode, item: unknown, row: unknown[]): boolean {
    if (item !== null && typeof item === 'object' && !(item instanceof Date)) {
      if (Array.isArray(item)) return this.writeField(table, node, 'list', item, row);
      return this.fillNode(table, node, item as Record<string, unknown>, row);
    }
    return this.writeField(table, node, 'value', item, row);
  }

  private fillNode(table: TableState, node: PathNode, record: Record<string, unknown>, row: unknown[]): boolean {
    for (const key in record) {
      if (!this.writeField(table, node, key, record[key], row)) return false;
    }
    return true;
  }

  /** Writes one field; false means the row must be discarded (discard_row contract). */
  private writeField(table: TableState, node: PathNode, key: string, value: unknown, row: unknown[]): boolean {
    const slot = node.fields.get(key) ?? this.createSlot(table, node, key);
    if (value === null || value === undefined || slot.ignored) return true;
    const index = slot.colIdx;
    switch (typeof value) {
      case 'string':
        if (index >= 0) {
          if (slot.dataType === 'text') {
            row[index] = value;
            return true;
          }
          if (slot.dataType === 'timestamp') {
            const micros = parseTimestampMicros(value);
            if (micros !== undefined) {
              row[index] = micros;
              return true;
            }
          }
        }
        break;
      case 'number':
        if (
          index >= 0 &&
          (slot.dataType === 'double' || (slot.dataType === 'bigint' && Number.isInteger(value) && Math.abs(value) < INT64_LIMIT))
        ) {
          row[index] = value;
          return true;
        }
        break;
      case 'boolean':
        if (index >= 0 && slot.dataType === 'bool') {
          row[index] = value;
          return true;
        }
        break;
      case 'object':
        return this.writeObject(table, node, slot, value as object, row);
      default:
        break;
    }
    return this.writeSlow(table, slot, value, inferValueType(value), row);
  }

  private writeObject(table: TableState, node: PathNode, slot: FieldSlot, value: object, row: unknown[]): boolean {
    if (value instanceof Date) return this.writeSlow(table, slot, value, 'timestamp', row);
    this.syncSlot(table, slot);
    if (slot.dataType === 'json') {
      row[slot.colIdx] = toJsonText(value);
      return true;
    }
    if (node.level >= table.config.maxTableNesting) return this.writeSlow(table, slot, value, 'json', row);
    if (Array.isArray(value)) {
      if (value.length > 0) {
        this.listSlots.push(slot);
        this.listValues.push(value);
      }
      return true;
    }
    slot.dictNode ??= new PathNode(slot.column, slot.sourcePath, node.level + 1);
    return this.fillNode(table, slot.dictNode, value as Record<string, unknown>, row);
  }

  private createSlot(table: TableState, node: PathNode, key: string): FieldSlot {
    const normalized = normalizeIdentifier(key);
    const column = node.prefix === '' ? normalized : joinPath(node.prefix, normalized);
    const sourcePath = node.sourcePrefix === '' ? key : `${node.sourcePrefix}.${key}`;
    const ignored = SYSTEM_COLUMN_NAMES.has(column);
    if (ignored) {
      this.ctx.warnings.push(`Field "${sourcePath}" of table "${table.name}" maps to the reserved column "${column}" and is not loaded.`);
    }
    const index = ignored ? undefined : table.colIndex.get(column);
    const slot: FieldSlot = {
      key,
      column,
      sourcePath,
      level: node.level,
      colIdx: index ?? -1,
      dataType: index === undefined ? undefined : table.types[index],
      ignored,
      variantIdx: undefined,
      dictNode: undefined,
      childTable: undefined,
    };
    node.fields.set(key, slot);
    return slot;
  }

  /** Picks up a column created after the slot was (another key normalizing to the same name, a hint). */
  private syncSlot(table: TableState, slot: FieldSlot): void {
    if (slot.colIdx >= 0) return;
    const index = table.colIndex.get(slot.column);
    if (index === undefined) return;
    slot.colIdx = index;
    slot.dataType = table.types[index];
  }

  /** Everything that is not a fast-path match: new columns, coercion, variant columns, contracts. */
  private writeSlow(table: TableState, slot: FieldSlot, value: unknown, type: DataType, row: unknown[]): boolean {
    this.syncSlot(table, slot);
    const columnType = slot.dataType;
    if (slot.colIdx < 0 || columnType === undefined) return this.writeNewColumn(table, slot, value, type, row);
    const coerced = coerceValue(value, type, columnType);
    if (coerced !== NOT_COERCIBLE) {
      row[slot.colIdx] = coerced;
      return true;
    }
    return this.writeVariant(table, slot, value, type, columnType, row);
  }

  private writeNewColumn(table: TableState, slot: FieldSlot, value: unknown, type: DataType, row: unknown[]): boolean {
    const { config } = table;
    const pending = table.parent ? undefined : config.pendingHints.get(slot.column);
    // Columns of the row that created the table are covered by the tables contract; declared columns are expected.
    if (row !== table.creatingRow && pending === undefined && config.contract.columns !== 'evolve') {
      const violation: ViolationContext = { entity: 'columns', table: table.name, column: slot.column, dataType: type, resource: config.resource };
      return this.refuseValue(config.contract.columns, violation);
    }
    const primaryKey = !table.parent && config.primaryKey.includes(slot.column);
    const index = this.addDataColumn(table, this.columnFromHint(slot.column, type, primaryKey, pending), slot.sourcePath);
    slot.colIdx = index;
    slot.dataType = type;
    row[index] = encodeValue(value, type);
    return true;
  }

  private writeVariant(table: TableState, slot: FieldSlot, value: unknown, type: DataType, columnType: DataType, row: unknown[]): boolean {
    let index = slot.variantIdx?.[type];
    if (index === undefined) {
      const name = variantColumnName(slot.column, type);
      index = table.colIndex.get(name);
      if (index === undefined) {
        const mode = table.config.contract.data_type;
        if (row !== table.creatingRow && mode !== 'evolve') {
          const violation: ViolationContext = {
            entity: 'data_type',
            table: table.name,
            column: slot.column,
            dataType: type,
            columnType,
            resource: table.config.resource,
          };
          return this.refuseValue(mode, violation);
        }
        index = this.addDataColumn(table, { name, data_type: type, nullable: true, variant: true }, slot.sourcePath, slot.column);
      }
      slot.variantIdx ??= {};
      slot.variantIdx[type] = index;
    }
    row[index] = encodeValue(value, type);
    return true;
  }

  /** Hands out the page's rows per table (padded to the final column count) and resets the buffers. */
  private collectRows(): TableRows[] {
    const out: TableRows[] = [];
    for (const table of this.ctx.touched) {
      const width = table.columns.length;
      const rows = table.rows;
      table.rows = [];
      for (const row of rows) {
        for (let i = row.length; i < width; i++) row[i] = null;
      }
      if (!table.parent) this.warnMissingKeys(table, rows);
      out.push({ table: table.name, columns: table.columnNames.slice(), rows });
    }
    return out;
  }

  private warnMissingKeys(table: TableState, rows: unknown[][]): void {
    for (const column of table.config.primaryKey) {
      const index = table.colIndex.get(column);
      let missing = 0;
      for (const row of rows) if (index === undefined || row[index] === null) missing++;
      if (missing > 0) {
        this.ctx.warnings.push(`${missing} row(s) of table "${table.name}" have no value for primary key column "${column}".`);
      }
    }
  }
}
