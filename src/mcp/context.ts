/** What every tool handler may use: where the project is, how to read its settings, the log, the run registry. */
import { join } from 'node:path';
import type { BeyondTrustSettings } from '../config/types.js';
import { resolveSettings } from '../config/resolve.js';
import type { Logger } from '../log.js';
import type { RunRegistry } from './runs/run-registry.js';

export interface ToolContext {
  readonly projectDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly pipelineName: string;
  readonly datasetName: string;
  /** `<projectDir>/<pipelineName>.duckdb` (design 2.3). */
  readonly dbPath: string;
  readonly runs: RunRegistry;
  /**
   * Read the .dlt files and env again on every call (the user edits secrets.toml between calls); resolving registers
   * the secret values that every output is scrubbed of.
   */
  loadSettings(): BeyondTrustSettings;
}

export function createToolContext(options: {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  pipelineName: string;
  datasetName: string;
  runs: RunRegistry;
}): ToolContext {
  const { projectDir, env } = options;
  return {
    ...options,
    dbPath: join(projectDir, `${options.pipelineName}.duckdb`),
    loadSettings: () => resolveSettings({ projectDir, env }),
  };
}
