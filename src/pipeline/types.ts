/** Public shapes of a pipeline run: progress events, the persisted trace and the load info. */
import type { BtErrorDetails } from '../errors.js';
import type { DiscardCounts, SchemaChange } from '../normalize/types.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';
export type StepName = 'extract' | 'normalize' | 'load';

export type RunProgressEvent =
  | { type: 'step'; step: StepName; status: 'started' | 'completed' }
  | { type: 'page'; resource: string; page: number; rows: number; resource_rows: number }
  | { type: 'table'; table: string; rows: number }
  | { type: 'retry'; endpoint: string; attempt: number; reason: string; delay_ms: number }
  | { type: 'warning'; message: string }
  | { type: 'done'; status: RunStatus };

export interface RunErrorInfo extends BtErrorDetails {
  code: string;
  message: string;
  hint?: string;
}

/** Persisted per run under <project>/.dlt/pipelines/<pipeline_name>/runs/<run_id>.json. No secrets, no data. */
export interface RunTrace {
  run_id: string;
  pipeline_name: string;
  dataset_name: string;
  destination: { name: string; location: string };
  status: RunStatus;
  load_id?: string;
  started_at: string;
  finished_at?: string;
  duration_ms?: number;
  steps: { name: StepName; started_at: string; finished_at?: string; duration_ms?: number }[];
  resources: Record<string, { pages: number; rows: number }>;
  /** Rows written per table (root and nested). */
  tables: Record<string, number>;
  retries: { count: number; recent: { endpoint: string; attempt: number; reason: string }[] };
  reauth_count: number;
  schema_changes: SchemaChange[];
  /** Rows / values dropped by discard_row / discard_value contracts, per table (absent in traces of older versions). */
  discarded?: Record<string, DiscardCounts>;
  warnings: string[];
  error?: RunErrorInfo;
  dev_limit?: number;
  resources_selected: string[];
}
