/** Compact, model-sized views of runs: persisted traces, live runs and finished load infos. */
import { z } from 'zod';
import type { RunTrace } from '../../pipeline/types.js';
import type { ActiveRun } from './run-registry.js';

const MAX_WARNINGS = 10;
const MAX_SCHEMA_CHANGES = 50;

export const runErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  step: z.string().optional(),
  endpoint: z.string().optional(),
  status: z.number().optional(),
});

export const compactTraceSchema = z.object({
  run_id: z.string(),
  status: z.string(),
  started_at: z.string(),
  finished_at: z.string().optional(),
  duration_ms: z.number().optional(),
  load_id: z.string().optional(),
  resources_selected: z.array(z.string()),
  dev_limit: z.number().optional(),
  rows_by_table: z.record(z.string(), z.number()),
  pages_by_resource: z.record(z.string(), z.number()),
  steps: z.array(z.object({ name: z.string(), duration_ms: z.number().optional() })),
  retries: z.number(),
  reauth_count: z.number(),
  schema_change_count: z.number(),
  warnings: z.array(z.string()),
  error: runErrorSchema.optional(),
});

/** The single-run view (pipeline_info with run_id): the compact trace plus the schema changes themselves. */
export const runTraceSchema = compactTraceSchema.extend({
  schema_changes: z.array(z.record(z.string(), z.unknown())),
});

export const progressSchema = z.object({
  step: z.string().optional(),
  pages: z.number(),
  rows_extracted: z.number(),
  tables_loaded: z.record(z.string(), z.number()),
  retries: z.number(),
  warnings: z.array(z.string()),
});

export const liveRunSchema = z.object({
  run_id: z.string(),
  status: z.literal('running'),
  pipeline_name: z.string(),
  started_at: z.string(),
  resources: z.array(z.string()),
  dev_limit: z.number().optional(),
  progress: progressSchema,
});

export function compactTrace(trace: RunTrace): z.input<typeof compactTraceSchema> {
  const error = trace.error;
  return {
    run_id: trace.run_id,
    status: trace.status,
    started_at: trace.started_at,
    ...(trace.finished_at === undefined ? {} : { finished_at: trace.finished_at }),
    ...(trace.duration_ms === undefined ? {} : { duration_ms: trace.duration_ms }),
    ...(trace.load_id === undefined ? {} : { load_id: trace.load_id }),
    resources_selected: trace.resources_selected,
    ...(trace.dev_limit === undefined ? {} : { dev_limit: trace.dev_limit }),
    rows_by_table: trace.tables,
    pages_by_resource: Object.fromEntries(Object.entries(trace.resources).map(([name, { pages }]) => [name, pages])),
    steps: trace.steps.map((step) => ({ name: step.name, ...(step.duration_ms === undefined ? {} : { duration_ms: step.duration_ms }) })),
    retries: trace.retries.count,
    reauth_count: trace.reauth_count,
    schema_change_count: trace.schema_changes.length,
    warnings: trace.warnings.slice(0, MAX_WARNINGS),
    ...(error
      ? {
          error: {
            code: error.code,
            message: error.message,
            ...(error.hint === undefined ? {} : { hint: error.hint }),
            ...(typeof error.step === 'string' ? { step: error.step } : {}),
            ...(typeof error.endpoint === 'string' ? { endpoint: error.endpoint } : {}),
            ...(typeof error.status === 'number' ? { status: error.status } : {}),
          },
        }
      : {}),
  };
}

export function runTraceView(trace: RunTrace): z.input<typeof runTraceSchema> {
  return { ...compactTrace(trace), schema_changes: trace.schema_changes.slice(0, MAX_SCHEMA_CHANGES).map((change) => ({ ...change })) };
}

export function liveRunView(run: ActiveRun): z.input<typeof liveRunSchema> {
  const { progress } = run;
  return {
    run_id: run.runId,
    status: 'running',
    pipeline_name: run.pipelineName,
    started_at: run.startedAt,
    resources: run.resources,
    ...(run.devLimit === undefined ? {} : { dev_limit: run.devLimit }),
    progress: {
      ...(progress.step === undefined ? {} : { step: progress.step }),
      pages: progress.pages,
      rows_extracted: progress.rows_extracted,
      tables_loaded: { ...progress.tables_loaded },
      retries: progress.retries,
      warnings: progress.warnings.slice(0, MAX_WARNINGS),
    },
  };
}
