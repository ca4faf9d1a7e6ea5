import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { beyondtrustSource } from '../../beyondtrust/source.js';
import { requireRunSettings } from '../../config/resolve.js';
import { BtError } from '../../errors.js';
import { pipeline } from '../../pipeline/index.js';
import type { LoadInfo } from '../../pipeline/index.js';
import { createProgressReporter } from '../runs/progress-reporter.js';
import type { ActiveRun, RunOutcome } from '../runs/run-registry.js';
import { compactTraceSchema, liveRunView, progressSchema } from '../runs/run-views.js';
import { requireKnownTables } from './catalog-lookup.js';
import { defineTool } from './define-tool.js';
import type { ToolExtra } from './define-tool.js';
import type { ToolContext } from '../context.js';
import { resourcesSchema, fileSafeNameSchema } from './limits.js';

export const DEFAULT_WAIT_SECONDS = 50;
export const MAX_WAIT_SECONDS = 600;

const inputSchema = z
  .object({
    resources: resourcesSchema.optional(),
    dev_limit: z.number().int().min(1).max(10_000).optional().describe('Load at most this many pages per resource (for a first, fast run)'),
    wait_seconds: z
      .number()
      .min(0)
      .max(MAX_WAIT_SECONDS)
      .optional()
      .describe(`How long this call waits before returning a run_id to follow with pipeline_info (default ${DEFAULT_WAIT_SECONDS}, max ${MAX_WAIT_SECONDS})`),
    cancel_run_id: fileSafeNameSchema
      .optional()
      .describe('Instead of starting a run: cancel this running run (a run_id from run_pipeline); it is rolled back, nothing of it is loaded'),
  })
  .strict();

const outputSchema = z.object({
  status: z.enum(['completed', 'running', 'cancelled']),
  run_id: z.string(),
  pipeline_name: z.string(),
  dataset_name: z.string(),
  resources: z.array(z.string()),
  load_ids: z.array(z.string()).optional(),
  row_counts: z.record(z.string(), z.number()).optional(),
  schema_changes: z.array(z.record(z.string(), z.unknown())).optional(),
  retries: z.number().optional(),
  warnings: z.array(z.string()).optional(),
  duration_ms: z.number().optional(),
  timings: compactTraceSchema.shape.steps.optional(),
  load_info: z.string().optional(),
  progress: progressSchema.optional(),
  hint: z.string(),
});

type RunPipelineResult = z.input<typeof outputSchema>;

function completedResult(run: ActiveRun, datasetName: string, loadInfo: LoadInfo): RunPipelineResult {
  const { trace } = loadInfo;
  return {
    status: 'completed',
    run_id: run.runId,
    pipeline_name: run.pipelineName,
    dataset_name: datasetName,
    resources: trace.resources_selected,
    load_ids: loadInfo.load_ids,
    row_counts: loadInfo.row_counts,
    schema_changes: loadInfo.schema_changes.slice(0, 50).map((change) => ({ ...change })),
    retries: trace.retries.count,
    warnings: trace.warnings.slice(0, 20),
    duration_ms: loadInfo.duration_ms,
    timings: trace.steps.map((step) => ({ name: step.name, ...(step.duration_ms === undefined ? {} : { duration_ms: step.duration_ms }) })),
    load_info: String(loadInfo),
    hint: `Loaded into ${datasetName}. Next: list_tables, describe_table, then query.`,
  };
}

function failureError(run: ActiveRun, outcome: Exclude<RunOutcome, { status: 'completed' }>): BtError {
  const { error } = outcome;
  const hint =
    outcome.status === 'cancelled'
      ? 'The run was cancelled and rolled back; nothing was loaded. Start it again when ready.'
      : `${error.hint ?? 'Check the step and endpoint named above.'} pipeline_info with {"run_id": "${run.runId}"} has the trace.`;
  return new BtError(error.code, `Run ${run.runId} ${outcome.status}: ${error.message}`, {
    hint,
    details: { ...error.details, run_id: run.runId },
    cause: error,
  });
}

/** Waits for the run, at most `waitSeconds`; an abort of the call aborts the run. undefined = still running. */
async function waitForRun(run: ActiveRun, waitSeconds: number, extra: ToolExtra): Promise<RunOutcome | undefined> {
  const reporter = createProgressReporter(extra);
  const unsubscribe = run.subscribe((event) => reporter.report(event));
  const stopWaiting = new AbortController();
  const onCallAborted = (): void => run.abort();
  extra.signal.addEventListener('abort', onCallAborted, { once: true });
  try {
    const timeout = delay(waitSeconds * 1000, undefined, { signal: stopWaiting.signal }).then(
      () => undefined,
      () => undefined,
    );
    return await Promise.race([run.outcome, timeout]);
  } finally {
    stopWaiting.abort();
    extra.signal.removeEventListener('abort', onCallAborted);
    unsubscribe();
    reporter.close();
  }
}

/**
 * Aborts the run in progress with this id and waits (at most `waitSeconds`) for its rollback. A run that finished
 * before the abort took effect is reported as it ended; a run this server does not have in progress is an error.
 */
async function cancelRun(runId: string, context: ToolContext, waitSeconds: number): Promise<RunPipelineResult> {
  const active = context.runs.active;
  if (!active || active.runId !== runId) throw notCancellable(runId, context);
  active.abort();
  context.logger.info(`run ${runId} cancel requested`);
  const stopWaiting = new AbortController();
  const timeout = delay(waitSeconds * 1000, undefined, { signal: stopWaiting.signal }).then(
    () => undefined,
    () => undefined,
  );
  const outcome = await Promise.race([active.outcome, timeout]);
  stopWaiting.abort();
  const base = { run_id: runId, pipeline_name: active.pipelineName, dataset_name: context.datasetName, resources: active.resources };
  if (!outcome) {
    return {
      status: 'running',
      ...base,
      progress: liveRunView(active).progress,
      hint: `Cancel requested; the run is rolling back. Call pipeline_info with {"run_id": "${runId}"} until its run.status is cancelled.`,
    };
  }
  if (outcome.status === 'completed') {
    const completed = completedResult(active, context.datasetName, outcome.loadInfo);
    return { ...completed, hint: 'The run completed before the cancel took effect; its data is loaded.' };
  }
  if (outcome.status === 'failed') throw failureError(active, outcome);
  return {
    status: 'cancelled',
    ...base,
    hint: 'Cancelled and rolled back: the dataset is as it was before the run. pipeline_info shows the run as cancelled.',
  };
}

function notCancellable(runId: string, context: ToolContext): BtError {
  const active = context.runs.active;
  const finished = context.runs.finished(runId);
  if (finished) {
    const ended = finished.status === 'completed' ? 'completed' : `ended ${finished.status}`;
    return new BtError('RUN_NOT_RUNNING', `Run ${runId} is not running any more (it ${ended}).`, {
      hint: `Nothing to cancel. pipeline_info with {"run_id": "${runId}"} shows how it ended.`,
      details: { run_id: runId },
    });
  }
  return new BtError('RUN_NOT_FOUND', `No run ${runId} is in progress in this server.`, {
    hint: active
      ? `The run in progress is ${active.runId}. A run started outside this server (e.g. the CLI) is stopped where it was started.`
      : 'Call pipeline_info to see the runs and their ids; a run started outside this server (e.g. the CLI) is stopped where it was started.',
    details: { run_id: runId },
  });
}

export const runPipelineTool = defineTool({
  name: 'run_pipeline',
  title: 'Run the BeyondTrust pipeline',
  description:
    'Extracts the chosen resources (default: all default endpoints) from BeyondTrust and loads them into the DuckDB ' +
    'dataset, with progress notifications per page and table. Use dev_limit for a first run. Returns rows per table, ' +
    'schema changes, retries, warnings, timings and the load info; on failure the step, endpoint, status, code and hint. ' +
    'If it outlasts wait_seconds it returns status "running" and a run_id: follow it with pipeline_info, or stop it ' +
    'with cancel_run_id (rolled back, status "cancelled"). One run at a time per project; replace tables are rewritten.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler({ resources, dev_limit: devLimit, wait_seconds: waitSeconds, cancel_run_id: cancelRunId }, context, extra) {
    if (cancelRunId !== undefined) {
      if (resources !== undefined || devLimit !== undefined) {
        throw new BtError('INVALID_ARGUMENT', 'cancel_run_id cancels a run; it cannot be combined with resources or dev_limit.', {
          hint: `Call run_pipeline with only {"cancel_run_id": "${cancelRunId}"}, then start a new run separately.`,
        });
      }
      return cancelRun(cancelRunId, context, waitSeconds ?? DEFAULT_WAIT_SECONDS);
    }
    if (resources) requireKnownTables(resources);
    const settings = context.loadSettings();
    requireRunSettings(settings);
    const source = beyondtrustSource({ settings, logger: context.logger, ...(resources ? { resources } : {}) });
    const target = pipeline({
      pipelineName: context.pipelineName,
      datasetName: context.datasetName,
      projectDir: context.projectDir,
      logger: context.logger,
    });
    const selected = source.resources.filter((resource) => resource.selected).map((resource) => resource.name);
    const run = context.runs.start(
      { pipelineName: context.pipelineName, resources: selected, ...(devLimit === undefined ? {} : { devLimit }) },
      ({ runId, signal, onProgress }) =>
        target.run(source, { runId, signal, onProgress, ...(devLimit === undefined ? {} : { devLimit }) }),
    );
    context.logger.info(`run ${run.runId} started`, { resources: resources ?? 'default', dev_limit: devLimit });
    const outcome = await waitForRun(run, waitSeconds ?? DEFAULT_WAIT_SECONDS, extra);
    if (!outcome) {
      return {
        status: 'running' as const,
        run_id: run.runId,
        pipeline_name: run.pipelineName,
        dataset_name: context.datasetName,
        resources: run.resources,
        progress: liveRunView(run).progress,
        hint: `Still running. Call pipeline_info with {"run_id": "${run.runId}"} to follow it, or run_pipeline with {"cancel_run_id": "${run.runId}"} to stop it; dataset tools answer DB_LOCKED until it ends.`,
      };
    }
    if (outcome.status !== 'completed') throw failureError(run, outcome);
    return completedResult(run, context.datasetName, outcome.loadInfo);
  },
});
