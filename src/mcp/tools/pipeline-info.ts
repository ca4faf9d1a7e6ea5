import { z } from 'zod';
import { listPipelines, readPipelineSummary, readRunTrace } from '../../pipeline/info.js';
import { BtError } from '../../errors.js';
import { compactTrace, compactTraceSchema, liveRunSchema, liveRunView, runTraceSchema, runTraceView } from '../runs/run-views.js';
import { defineTool } from './define-tool.js';
import { fileSafeNameSchema } from './limits.js';

const inputSchema = z
  .object({
    pipeline_name: fileSafeNameSchema.optional().describe('Pipeline to inspect (default beyondtrust_pipeline)'),
    run_id: fileSafeNameSchema.optional().describe('A run id returned by run_pipeline: its live progress or its final trace'),
  })
  .strict();

const outputSchema = z.object({
  pipeline_name: z.string(),
  pipelines: z.array(z.string()).optional(),
  dataset_name: z.string().optional(),
  db_exists: z.boolean().optional(),
  running: liveRunSchema.optional(),
  running_elsewhere: compactTraceSchema.optional().describe('A run in progress started outside this server (e.g. the CLI)'),
  db_locked: z.boolean().optional(),
  run: runTraceSchema.optional(),
  load_info: z.string().optional(),
  last_runs: z.array(compactTraceSchema).optional(),
  failed_runs: z.array(compactTraceSchema).optional(),
  state: z.unknown().optional(),
  last_loads: z.array(z.object({ load_id: z.string(), status: z.number(), inserted_at: z.string() })).optional(),
  hint: z.string(),
});

const MAX_RUNS = 5;

export const pipelineInfoTool = defineTool({
  name: 'pipeline_info',
  title: 'Pipeline runs, traces and state',
  description:
    'Pipelines in the project, their last runs with compact traces (rows per table, retries, timings), failed runs with ' +
    'their error code, step, endpoint and hint, the incremental state and the run in progress. With run_id: that run ' +
    '(live progress while it runs, its trace and load info once done).',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ pipeline_name: pipelineNameArg, run_id: runId }, context) {
    const pipelineName = pipelineNameArg ?? context.pipelineName;
    const active = context.runs.active;
    const running = active && active.pipelineName === pipelineName ? liveRunView(active) : undefined;

    if (runId !== undefined) {
      if (running && running.run_id === runId) {
        return {
          pipeline_name: pipelineName,
          running,
          hint: `Still running; call pipeline_info again in a few seconds, or run_pipeline with {"cancel_run_id": "${runId}"} to stop it.`,
        };
      }
      const trace = await readRunTrace(context.projectDir, pipelineName, runId);
      const finished = context.runs.finished(runId);
      if (!trace) {
        throw new BtError('RUN_NOT_FOUND', `No run ${runId} in pipeline ${pipelineName}.`, {
          hint: 'Call pipeline_info without run_id to list the recent runs and their ids.',
        });
      }
      return {
        pipeline_name: pipelineName,
        run: runTraceView(trace),
        ...(finished?.status === 'completed' ? { load_info: String(finished.loadInfo) } : {}),
        hint:
          trace.status === 'completed'
            ? 'Done. Next: list_tables, describe_table, query.'
            : trace.error?.hint ?? `Run ${trace.status}; see run.error.`,
      };
    }

    const [pipelines, summary] = await Promise.all([
      listPipelines(context.projectDir),
      readPipelineSummary(context.projectDir, pipelineName, { maxRuns: MAX_RUNS }),
    ]);
    return {
      pipeline_name: summary.pipeline_name,
      pipelines,
      dataset_name: summary.dataset_name,
      db_exists: summary.db_exists,
      ...(running ? { running } : {}),
      ...(!running && summary.running ? { running_elsewhere: compactTrace(summary.running) } : {}),
      ...(summary.db_locked ? { db_locked: true } : {}),
      last_runs: summary.last_runs.slice(0, MAX_RUNS).map((trace) => compactTrace(trace)),
      failed_runs: summary.failed_runs.slice(0, MAX_RUNS).map((trace) => compactTrace(trace)),
      ...(summary.state === undefined ? {} : { state: summary.state }),
      last_loads: summary.last_loads.slice(0, MAX_RUNS).map(({ load_id, status, inserted_at }) => ({ load_id, status, inserted_at })),
      hint: running
        ? `A run is in progress (run_id ${running.run_id}); dataset tools answer DB_LOCKED until it ends (run_pipeline with {"cancel_run_id": "${running.run_id}"} stops it).`
        : summary.last_runs.length === 0
          ? 'No runs yet: call run_pipeline (with a dev_limit for a first run).'
          : 'failed_runs carry the error code, step, endpoint and hint of each failure.',
    };
  },
});
