/**
 * `beyondtrust-mcp run` as a cold child process, the way a user waits for it: wall time from spawn to exit, peak RSS
 * (VmHWM polled every 50 ms), the rows the load info reports. Credentials go in through the environment.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { BtError } from '../src/errors.js';
import type { SimulatorCredentials } from '../src/simulator/index.js';
import { samplePeakRss } from './peak-rss.js';
import { CLI_MAIN } from './paths.js';

export interface PipelineRunOptions {
  projectDir: string;
  baseUrl: string;
  credentials: SimulatorCredentials;
  concurrency: number;
  resources?: string[];
  /** The CLI to run (default dist/src/cli/main.js): another build, to compare before/after a change. */
  cliMain?: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  nodeFlags?: string[];
}

export interface PipelineRunResult {
  seconds: number;
  peakRssBytes: number | undefined;
  /** Rows per table from the load info (system tables `_dlt_*` excluded). */
  tables: Record<string, number>;
  rows: number;
  stdout: string;
}

const ENV_PREFIX = 'SOURCES__BEYONDTRUST_SOURCE__';

/** The caller's environment without any source settings, plus exactly the ones of this run. */
function runEnvironment(options: PipelineRunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toUpperCase().startsWith('SOURCES__')) env[name] = value;
  }
  env[`${ENV_PREFIX}BASE_URL`] = options.baseUrl;
  env[`${ENV_PREFIX}API_KEY`] = options.credentials.apiKey;
  env[`${ENV_PREFIX}RUNAS`] = options.credentials.runas;
  env[`${ENV_PREFIX}PASSWORD`] = options.credentials.password;
  env[`${ENV_PREFIX}CONCURRENCY`] = String(options.concurrency);
  return env;
}

/** `- managed_accounts: 1000 row(s)` lines of the load info. */
export function parseLoadInfoRows(stdout: string): Record<string, number> {
  const tables: Record<string, number> = {};
  for (const match of stdout.matchAll(/^- ([A-Za-z0-9_]+): (\d+) row\(s\)$/gm)) {
    const [, table, count] = match;
    if (table && count && !table.startsWith('_dlt')) tables[table] = Number(count);
  }
  return tables;
}

export async function runPipeline(options: PipelineRunOptions): Promise<PipelineRunResult> {
  await mkdir(options.projectDir, { recursive: true });
  const args = [...(options.nodeFlags ?? []), options.cliMain ?? CLI_MAIN, 'run', ...(options.resources ? ['--resources', options.resources.join(',')] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: options.projectDir, env: runEnvironment(options), stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = child.pid === undefined ? undefined : samplePeakRss(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8000);
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const seconds = (performance.now() - started) / 1000;
  const peakRssBytes = await sampler?.stop();
  if (exitCode !== 0) {
    throw new BtError('BENCH_PIPELINE_FAILED', `beyondtrust-mcp run exited with code ${String(exitCode)} in ${options.projectDir}.`, {
      hint: stderr.trim().split('\n').slice(-8).join('\n') || 'Run it by hand in that directory to see why.',
    });
  }
  const tables = parseLoadInfoRows(stdout);
  const rows = Object.values(tables).reduce((sum, count) => sum + count, 0);
  return { seconds, peakRssBytes, tables, rows, stdout };
}
