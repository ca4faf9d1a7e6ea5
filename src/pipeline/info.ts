/** What `beyondtrust-mcp info` and the pipeline_info tool show: pipelines, recent runs, state, recent loads. */
import { readdir, readFile } from 'node:fs/promises';
import { fileExists, readDestinationSnapshot } from '../destinations/duckdb/index.js';
import type { PipelineStateContent } from '../destinations/duckdb/index.js';
import { isBtError } from '../errors.js';
import type { SourceState } from '../rest/types.js';
import { formatLoadInfo } from './load-info.js';
import { listTraces, readTrace } from './trace-store.js';
import type { RunTrace } from './types.js';
import { defaultDbPath, localStatePath, pipelinesRoot, pipelineWorkingDir, runTracePath } from './working-dir.js';

export { formatLoadInfo };

export interface PipelineSummary {
  pipeline_name: string;
  dataset_name: string;
  db_path: string;
  db_exists: boolean;
  /** Finished runs (completed, failed, cancelled), newest first. */
  last_runs: RunTrace[];
  /** The run in progress, if any (its trace file is kept current while it runs). */
  running?: RunTrace;
  /** Failed and cancelled runs among the recent ones, newest first. */
  failed_runs: RunTrace[];
  /** Incremental cursors per resource of the pipeline's source(s), from the destination (or the local copy). */
  state: SourceState | undefined;
  /** Newest rows of `_dlt_loads`. */
  last_loads: { load_id: string; status: number; inserted_at: string }[];
  /** True when a load held the DuckDB file, so state comes from the local copy and last_loads is empty. */
  db_locked?: boolean;
}

/** Names of the pipelines with a working dir under `<projectDir>/.dlt/pipelines/`. */
export async function listPipelines(projectDir: string): Promise<string[]> {
  try {
    const entries = await readdir(pipelinesRoot(projectDir), { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}

export async function readRunTrace(projectDir: string, pipelineName: string, runId: string): Promise<RunTrace | undefined> {
  return readTrace(runTracePath(pipelineWorkingDir(projectDir, pipelineName), runId));
}

export async function readPipelineSummary(projectDir: string, pipelineName: string, options: { maxRuns?: number } = {}): Promise<PipelineSummary> {
  const maxRuns = options.maxRuns ?? 10;
  const workingDir = pipelineWorkingDir(projectDir, pipelineName);
  const traces = await listTraces(workingDir);
  const newest = traces[0];
  const running = traces.find((trace) => trace.status === 'running');
  const finished = traces.filter((trace) => trace.status !== 'running');
  const localState = await readLocalState(localStatePath(workingDir));
  const datasetName = newest?.dataset_name ?? localState?.dataset_name ?? 'beyondtrust_data';
  const dbPath = newest?.destination.location ?? defaultDbPath(projectDir, pipelineName);
  const summary: PipelineSummary = {
    pipeline_name: pipelineName,
    dataset_name: datasetName,
    db_path: dbPath,
    db_exists: await fileExists(dbPath),
    last_runs: finished.slice(0, maxRuns),
    ...(running ? { running } : {}),
    failed_runs: finished.filter((trace) => trace.status === 'failed' || trace.status === 'cancelled').slice(0, maxRuns),
    state: sourceStateOf(localState),
    last_loads: [],
  };
  if (!summary.db_exists) return summary;
  try {
    const snapshot = await readDestinationSnapshot(dbPath, datasetName, pipelineName, maxRuns);
    summary.last_loads = snapshot.loads;
    if (snapshot.state) summary.state = sourceStateOf(snapshot.state);
  } catch (error) {
    if (isBtError(error) && error.code === 'DB_LOCKED') summary.db_locked = true;
    else throw error;
  }
  return summary;
}

/** All resources' state of every source in the document, merged (one source per pipeline in practice). */
function sourceStateOf(document: PipelineStateContent | undefined): SourceState | undefined {
  if (!document?.sources) return undefined;
  const merged: SourceState = {};
  for (const source of Object.values(document.sources)) Object.assign(merged, source.resources ?? {});
  return merged;
}

async function readLocalState(file: string): Promise<PipelineStateContent | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PipelineStateContent;
  } catch {
    return undefined;
  }
}
