/** SQL identifiers for the read side: quoting for names that come from the catalog, validation for names from callers. */
import { BtError } from '../errors.js';

/** `"name"` with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const DATASET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Dataset (schema) names follow dlt's snake_case naming; anything else is refused before it reaches SQL. */
export function assertDatasetName(datasetName: string): void {
  if (!DATASET_NAME.test(datasetName)) {
    throw new BtError('INVALID_ARGUMENT', `Dataset name ${JSON.stringify(datasetName.slice(0, 80))} is not a valid dataset name.`, {
      hint: 'Use letters, digits and underscores, e.g. beyondtrust_data (the default).',
      details: { step: 'query' },
    });
  }
}

export function isDltSystemTable(name: string): boolean {
  return name.startsWith('_dlt_');
}

export function isDltColumn(name: string): boolean {
  return name.startsWith('_dlt_');
}
