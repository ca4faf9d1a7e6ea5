/** Schema contracts (dlt semantics): which mode applies, and the error a frozen entity raises. */
import { BtError } from '../errors.js';
import type { ContractMode, DataType, SchemaContract } from './types.js';

export type ContractEntity = 'tables' | 'columns' | 'data_type';
export type ResolvedContract = Readonly<Record<ContractEntity, ContractMode>>;

/** Per entity: the run's contract wins over the resource's, which wins over the default `evolve`. */
export function resolveContract(run: SchemaContract | undefined, resource: SchemaContract | undefined): ResolvedContract {
  return {
    tables: run?.tables ?? resource?.tables ?? 'evolve',
    columns: run?.columns ?? resource?.columns ?? 'evolve',
    data_type: run?.data_type ?? resource?.data_type ?? 'evolve',
  };
}

export interface ViolationContext {
  entity: ContractEntity;
  table: string;
  resource: string;
  /** Normalized column name (columns, data_type). */
  column?: string;
  /** Type of the value that did not fit (columns, data_type). */
  dataType?: DataType;
  /** Type of the existing column (data_type). */
  columnType?: DataType;
  parent?: string;
}

function describeViolation(context: ViolationContext): string {
  switch (context.entity) {
    case 'tables':
      return `new table "${context.table}"${context.parent ? ` (nested in "${context.parent}")` : ''}`;
    case 'columns':
      return `new column "${context.column}" (${context.dataType}) on table "${context.table}"`;
    case 'data_type':
      return `a ${context.dataType} value for column "${context.column}" (${context.columnType}) on table "${context.table}", which would create a variant column`;
  }
}

function hintFor(entity: ContractEntity): string {
  const relax = `Set schema_contract.${entity} to "evolve" (accept), "discard_row" or "discard_value" for the resource or the run`;
  switch (entity) {
    case 'tables':
      return `${relax}, or lower max_table_nesting / add a json column hint so the list is kept as a JSON column.`;
    case 'columns':
      return `${relax}, or declare the column with a columns hint on the resource.`;
    case 'data_type':
      return `${relax}, or fix the column type with a columns hint (data_type) on the resource.`;
  }
}

/** The SCHEMA_CONTRACT_VIOLATION error for a `freeze` contract. Never includes the offending value. */
export function contractViolation(context: ViolationContext): BtError {
  return new BtError(
    'SCHEMA_CONTRACT_VIOLATION',
    `Schema contract violation in resource "${context.resource}": ${describeViolation(context)} is not allowed because the ${context.entity} contract is "freeze".`,
    {
      hint: hintFor(context.entity),
      details: {
        step: 'normalize',
        resource: context.resource,
        table: context.table,
        ...(context.column === undefined ? {} : { column: context.column }),
        ...(context.dataType === undefined ? {} : { data_type: context.dataType }),
        contract_entity: context.entity,
        contract_mode: 'freeze',
      },
    },
  );
}
