/** Where a pipeline keeps its local files: `<projectDir>/.dlt/pipelines/<pipeline_name>/`. */
import path from 'node:path';
import { BtError } from '../errors.js';

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function assertSafeName(kind: 'pipeline name' | 'run id' | 'dataset name', value: string): void {
  if (!SAFE_NAME.test(value) || value.includes('..')) {
    throw new BtError('INVALID_NAME', `Invalid ${kind} "${value.slice(0, 80)}".`, {
      hint: `Use letters, digits, "_", "-" or "." (no path separators), e.g. "beyondtrust_pipeline".`,
    });
  }
}

export function pipelinesRoot(projectDir: string): string {
  return path.join(path.resolve(projectDir), '.dlt', 'pipelines');
}

export function pipelineWorkingDir(projectDir: string, pipelineName: string): string {
  assertSafeName('pipeline name', pipelineName);
  return path.join(pipelinesRoot(projectDir), pipelineName);
}

export function runsDir(workingDir: string): string {
  return path.join(workingDir, 'runs');
}

export function runTracePath(workingDir: string, runId: string): string {
  assertSafeName('run id', runId);
  return path.join(runsDir(workingDir), `${runId}.json`);
}

export function localStatePath(workingDir: string): string {
  return path.join(workingDir, 'state.json');
}

export function defaultDbPath(projectDir: string, pipelineName: string): string {
  return path.join(path.resolve(projectDir), `${pipelineName}.duckdb`);
}
