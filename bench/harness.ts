/**
 * The benchmark: for each scale, a simulator child, then cold `beyondtrust-mcp run` children (full, with faults, a
 * first load of the filtered resources, and incremental reruns after 1% changed), each next to its floors (the same
 * requests fetched, the same pages loaded by DuckDB), plus the MCP query tool latency on the largest table.
 */
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BEYONDTRUST_CATALOG } from '../src/beyondtrust/catalog.js';
import type { BenchFigures, FloorFigures, MachineInfo, RunFigures, RunKind } from './figures.js';
import { measureFetchFloor } from './floor-fetch.js';
import { measureLoadFloor, savePages } from './floor-load.js';
import { assertBuilt } from './paths.js';
import { runPipeline } from './pipeline-process.js';
import type { PipelineRunResult } from './pipeline-process.js';
import { measureQueryLatency } from './query-latency.js';
import { replayableRequests } from './request-log.js';
import type { RecordedRequest } from './request-log.js';
import { SimulatorProcess } from './simulator-process.js';

/** The fault mix of the simulator issue (rates, latency, session expiry, malformed pages, schema drift). */
export const DEFAULT_FAULT_SPEC = '500:0.05,502:0.01,503:0.01,429:0.02,reset:0.01,latency:20,expire:250,malformed:100,drift:500,drift-type:800';
export const CHANGED_FRACTION = 0.01;

/** Resources whose API offers a filter for incremental loading (the target for reruns applies to these). */
export const FILTERED_RESOURCES: readonly string[] = BEYONDTRUST_CATALOG.filter((entry) => !entry.opt_in && entry.incremental?.param).map((entry) => entry.table);

export interface BenchOptions {
  /** Scale units (1 = 1,000 managed accounts). */
  scales: number[];
  mode: BenchFigures['mode'];
  concurrency?: number;
  seed?: number;
  faultSpec?: string;
  /** Which run kinds to do beyond the full run (default all). */
  withFaults?: boolean;
  withIncremental?: boolean;
  /** Measure the floors (default true; off for quick before/after experiments). */
  withFloors?: boolean;
  /** Another build's dist/src/cli/main.js to benchmark (before/after comparisons). */
  cliMain?: string;
  /** Directory for CPU profiles of the full runs (node --cpu-prof); none when absent. */
  profileDir?: string;
  /** Keep the temp projects and page files (for inspection). */
  keepTemp?: boolean;
  /** Progress lines (stderr in the CLI). */
  onProgress?: (message: string) => void;
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: (cpu[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim(),
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

interface ScaleContext {
  simulator: SimulatorProcess;
  scale: number;
  workDir: string;
  options: Required<Pick<BenchOptions, 'concurrency'>> & BenchOptions;
  progress: (message: string) => void;
}

async function measureFloors(context: ScaleContext, log: readonly RecordedRequest[], label: string): Promise<FloorFigures | undefined> {
  if (context.options.withFloors === false) return undefined;
  const requests = replayableRequests(log);
  const { simulator, options } = context;
  const base = { baseUrl: simulator.baseUrl, credentials: simulator.credentials, requests, concurrency: options.concurrency };
  const pageDir = join(context.workDir, `pages-${label}`);
  const pages = await savePages({ ...base, dir: pageDir });
  const fetched = await measureFetchFloor(base);
  const loaded = await measureLoadFloor(pages, join(context.workDir, `floor-${label}.duckdb`));
  await simulator.takeLog(); // the floors' own requests
  if (!options.keepTemp) await rm(pageDir, { recursive: true, force: true });
  return { fetchSeconds: fetched.seconds, loadSeconds: loaded.seconds, requests: fetched.requests, bytes: fetched.bytes, pageFiles: loaded.files, records: loaded.rows };
}

function figuresOf(context: ScaleContext, kind: RunKind, resources: readonly string[] | undefined, result: PipelineRunResult, log: readonly RecordedRequest[]): RunFigures {
  return {
    scale: context.scale,
    managedAccounts: context.simulator.counts.managedAccounts,
    kind,
    resources: resources ? [...resources] : 'default',
    rows: result.rows,
    tables: result.tables,
    seconds: result.seconds,
    rowsPerSecond: result.rows / result.seconds,
    peakRssBytes: result.peakRssBytes,
    requests: log.length,
  };
}

function withFloors(run: RunFigures, floors: FloorFigures | undefined): RunFigures {
  if (!floors) return run;
  return {
    ...run,
    floors,
    ratioMax: run.seconds / Math.max(floors.fetchSeconds, floors.loadSeconds),
    ratioSum: run.seconds / (floors.fetchSeconds + floors.loadSeconds),
  };
}

async function pipelineRun(context: ScaleContext, kind: RunKind, projectDir: string, resources?: readonly string[]): Promise<{ result: PipelineRunResult; log: RecordedRequest[] }> {
  context.progress(`scale ${context.scale}: ${kind} run…`);
  await context.simulator.takeLog();
  const profile = context.options.profileDir && kind === 'full' ? ['--cpu-prof', '--cpu-prof-dir', context.options.profileDir] : [];
  const result = await runPipeline({
    projectDir,
    baseUrl: context.simulator.baseUrl,
    credentials: context.simulator.credentials,
    concurrency: context.options.concurrency,
    ...(resources ? { resources: [...resources] } : {}),
    nodeFlags: profile,
    ...(context.options.cliMain ? { cliMain: context.options.cliMain } : {}),
  });
  const log = await context.simulator.takeLog();
  context.progress(`scale ${context.scale}: ${kind} run: ${result.rows} rows in ${result.seconds.toFixed(2)} s`);
  return { result, log };
}

function faultDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [kind, value] of Object.entries(after)) {
    const difference = value - (before[kind] ?? 0);
    if (difference > 0) delta[kind] = difference;
  }
  return delta;
}

async function benchScale(context: ScaleContext, largest: boolean, figures: BenchFigures): Promise<void> {
  const { simulator, options, workDir } = context;
  const fullDir = join(workDir, 'full');
  const full = await pipelineRun(context, 'full', fullDir);
  context.progress(`scale ${context.scale}: floors…`);
  const fullFloors = await measureFloors(context, full.log, 'full');
  const fullRun = withFloors(figuresOf(context, 'full', undefined, full.result, full.log), fullFloors);
  figures.runs.push(fullRun);

  if (largest) {
    context.progress(`scale ${context.scale}: query latency…`);
    figures.queries = { scale: context.scale, rows: full.result.tables['managed_accounts'] ?? 0, latencies: await measureQueryLatency(fullDir) };
  }

  if (options.withFaults !== false) {
    const faultSpec = options.faultSpec ?? DEFAULT_FAULT_SPEC;
    const before = (await simulator.stats()).faultsInjected;
    await simulator.setFaults(faultSpec);
    try {
      const faulty = await pipelineRun(context, 'faults', join(workDir, 'faults'));
      const after = (await simulator.stats()).faultsInjected;
      figures.runs.push({ ...withFloors(figuresOf(context, 'faults', undefined, faulty.result, faulty.log), fullFloors), ofFull: faulty.result.seconds / full.result.seconds, faultsInjected: faultDelta(before, after) });
    } finally {
      await simulator.clearFaults();
    }
  }

  if (options.withIncremental !== false) {
    const filteredDir = join(workDir, 'filtered');
    const first = await pipelineRun(context, 'full (filtered)', filteredDir, FILTERED_RESOURCES);
    const firstRun = withFloors(figuresOf(context, 'full (filtered)', FILTERED_RESOURCES, first.result, first.log), await measureFloors(context, first.log, 'filtered'));
    figures.runs.push(firstRun);
    await simulator.advance(CHANGED_FRACTION);
    const rerun = await pipelineRun(context, 'incremental (filtered)', filteredDir, FILTERED_RESOURCES);
    figures.runs.push({
      ...withFloors(figuresOf(context, 'incremental (filtered)', FILTERED_RESOURCES, rerun.result, rerun.log), await measureFloors(context, rerun.log, 'incremental-filtered')),
      ofFull: rerun.result.seconds / first.result.seconds,
    });
    const rerunAll = await pipelineRun(context, 'incremental (all)', fullDir);
    figures.runs.push({
      ...withFloors(figuresOf(context, 'incremental (all)', undefined, rerunAll.result, rerunAll.log), await measureFloors(context, rerunAll.log, 'incremental-all')),
      ofFull: rerunAll.result.seconds / full.result.seconds,
    });
  }
}

export async function runBenchmark(options: BenchOptions): Promise<BenchFigures> {
  assertBuilt();
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  const concurrency = options.concurrency ?? 4;
  const seed = options.seed ?? 7;
  const figures: BenchFigures = {
    startedAt: new Date().toISOString(),
    mode: options.mode,
    machine: machineInfo(),
    concurrency,
    seed,
    faultSpec: options.faultSpec ?? DEFAULT_FAULT_SPEC,
    runs: [],
    totalSeconds: 0,
  };
  const scales = [...options.scales].sort((a, b) => a - b);
  for (const scale of scales) {
    const workDir = await mkdtemp(join(tmpdir(), `beyondtrust-bench-${scale}-`));
    progress(`scale ${scale}: starting the simulator (work dir ${workDir})`);
    const simulator = await SimulatorProcess.start({ scale, seed });
    try {
      await benchScale({ simulator, scale, workDir, options: { ...options, concurrency }, progress }, scale === scales[scales.length - 1], figures);
    } finally {
      await simulator.stop();
      if (!options.keepTemp) await rm(workDir, { recursive: true, force: true });
    }
  }
  figures.totalSeconds = (performance.now() - started) / 1000;
  return figures;
}
