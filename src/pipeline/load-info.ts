/** The result of a successful run and dlt's load_info printout. */
import type { DiscardCounts, SchemaChange } from '../normalize/types.js';
import { humanizeDuration } from './humanize.js';
import type { RunTrace } from './types.js';

export interface LoadInfoData {
  pipeline_name: string;
  destination_name: 'duckdb';
  /** Absolute path of the DuckDB file. */
  destination_location: string;
  dataset_name: string;
  load_ids: string[];
  status: 'LOADED';
  started_at: string;
  finished_at: string;
  /** The whole run: extract, normalize and load. */
  duration_ms: number;
  /**
   * The load step alone (from opening the destination for writing to the commit), which dlt's first line reports
   * ("load step completed in …"). Extraction overlaps it, so it is shorter than duration_ms.
   */
  load_step_duration_ms: number;
  /** Rows per table (root, nested and `_dlt_pipeline_state` when the state changed), like dlt's row_counts. */
  row_counts: Record<string, number>;
  schema_changes: SchemaChange[];
  /** Rows and values dropped by discard_row / discard_value contracts, per table (absent tables: none). */
  discarded: Record<string, DiscardCounts>;
  /** The run's warnings (also in trace.warnings), e.g. one per table that lost rows or values to a contract. */
  warnings: string[];
  trace: RunTrace;
}

export interface LoadInfo extends LoadInfoData {
  /** dlt's printout. */
  toString(): string;
}

export function createLoadInfo(data: LoadInfoData): LoadInfo {
  const info: LoadInfo = { ...data, toString: () => formatLoadInfo(info) };
  // Keep toString out of JSON.stringify and object spreads of consumers that serialize the info.
  Object.defineProperty(info, 'toString', { enumerable: false });
  return info;
}

/**
 * dlt's load info, line for line, then the "Normalized data" table list:
 *   Pipeline <name> load step completed in <load step duration, humanize.precisedelta>
 *   <N> load package(s) were loaded to destination duckdb and into dataset <dataset>
 *   The duckdb destination used duckdb:///<abs path> location to store data   (dlt: duckdb:////home/…/x.duckdb)
 *   Load package <load_id> is LOADED and contains no failed jobs
 */
export function formatLoadInfo(info: Pick<LoadInfoData, 'pipeline_name' | 'destination_name' | 'destination_location' | 'dataset_name' | 'load_ids' | 'load_step_duration_ms' | 'row_counts'>): string {
  const lines = [
    `Pipeline ${info.pipeline_name} load step completed in ${humanizeDuration(info.load_step_duration_ms)}`,
    `${info.load_ids.length} load package(s) were loaded to destination ${info.destination_name} and into dataset ${info.dataset_name}`,
    `The ${info.destination_name} destination used ${displayLocation(info.destination_name, info.destination_location)} location to store data`,
    ...info.load_ids.map((loadId) => `Load package ${loadId} is LOADED and contains no failed jobs`),
  ];
  const tables = Object.entries(info.row_counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (tables.length > 0) {
    lines.push('', 'Normalized data for the following tables:');
    for (const [table, rows] of tables) lines.push(`- ${table}: ${rows} row(s)`);
  }
  return lines.join('\n');
}

/** dlt's displayable destination location: `<destination>:///` + the absolute path, so `duckdb:////tmp/x.duckdb`. */
export function displayLocation(destinationName: string, path: string): string {
  return `${destinationName}:///${path}`;
}
