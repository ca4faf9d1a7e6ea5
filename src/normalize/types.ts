/** The schema the normalizer maintains and the destination materializes (dlt's stored schema, trimmed). */
import type { ContractMode, DataType, SchemaContract, WriteDisposition } from '../rest/types.js';

export type { ContractMode, DataType, SchemaContract, WriteDisposition };

export interface ColumnSchema {
  /** Normalized (snake_case) name. */
  name: string;
  data_type: DataType;
  nullable: boolean;
  primary_key?: boolean;
  /** True for `col__v_<type>` columns created when a value did not fit `col`. */
  variant?: boolean;
  description?: string;
}

export interface TableSchema {
  name: string;
  /** Parent table for nested (child) tables. */
  parent?: string;
  /** Resource that produced the table. */
  resource: string;
  write_disposition: WriteDisposition;
  /** Columns in creation order. */
  columns: Record<string, ColumnSchema>;
  schema_contract?: SchemaContract;
  description?: string;
}

export interface StoredSchema {
  name: string;
  /**
   * Increases by one per normalizer (that is, per load) whose tables or columns changed, not per change: like
   * dlt, which bumps the version when it saves a changed schema, so `_dlt_version` gets one row per load at most.
   */
  version: number;
  /** Content hash of `tables`. */
  version_hash: string;
  engine_version: number;
  tables: Record<string, TableSchema>;
}

export type SchemaChange =
  | { kind: 'new_table'; table: string; parent?: string }
  | { kind: 'new_column'; table: string; column: string; data_type: DataType }
  | { kind: 'variant_column'; table: string; column: string; data_type: DataType; of: string };

/**
 * Rows of one table from one page. `rows[i][j]` is the value of `columns[j]`. Values by column type:
 * bigint → number (or bigint beyond 2^53), double → number, bool → boolean, text → string,
 * json → string (JSON text), timestamp → bigint (microseconds since the Unix epoch, UTC),
 * date → number (days since 1970-01-01), missing → null.
 */
export interface TableRows {
  table: string;
  columns: string[];
  rows: unknown[][];
}

/** Rows and values a schema contract (discard_row / discard_value) dropped. */
export interface DiscardCounts {
  rows: number;
  values: number;
}

export interface NormalizeResult {
  tables: TableRows[];
  /** Changes this page made to the schema (already applied to the normalizer's schema). */
  changes: SchemaChange[];
  discardedRows: number;
  discardedValues: number;
  /** discardedRows / discardedValues per table: the table whose row was dropped, or that lost the value. */
  discarded: Record<string, DiscardCounts>;
  warnings: string[];
}
