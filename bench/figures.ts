/** The raw figures one benchmark produces (also written as JSON to bench/out/<timestamp>.json). */
import type { QueryLatency } from './query-latency.js';

export type RunKind = 'full' | 'faults' | 'full (filtered)' | 'incremental (filtered)' | 'incremental (all)';

export interface FloorFigures {
  fetchSeconds: number;
  loadSeconds: number;
  requests: number;
  bytes: number;
  pageFiles: number;
  records: number;
}

export interface RunFigures {
  scale: number;
  managedAccounts: number;
  kind: RunKind;
  resources: string[] | 'default';
  rows: number;
  tables: Record<string, number>;
  seconds: number;
  rowsPerSecond: number;
  peakRssBytes: number | undefined;
  requests: number;
  floors?: FloorFigures;
  /** pipeline / max(A, B) and pipeline / (A + B). */
  ratioMax?: number;
  ratioSum?: number;
  /** This run's time over the full run it is compared with (faults: same workload; incremental: its first load). */
  ofFull?: number;
  faultsInjected?: Record<string, number>;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface BenchFigures {
  startedAt: string;
  mode: 'quick' | 'full' | 'custom';
  machine: MachineInfo;
  concurrency: number;
  seed: number;
  faultSpec: string;
  runs: RunFigures[];
  queries?: { scale: number; rows: number; latencies: QueryLatency[] };
  totalSeconds: number;
}
