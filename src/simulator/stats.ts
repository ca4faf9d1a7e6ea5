/** Request counters, exposed as RunningSimulator.stats. */
import type { SimulatorStats } from './types.js';

export class SimulatorStatsCounter implements SimulatorStats {
  signIns = 0;
  signOuts = 0;
  tokenRequests = 0;
  dataRequests = 0;
  byRoute: Record<string, number> = {};
  byStatus: Record<string, number> = {};
  faultsInjected: Record<string, number> = {};
  latencyApplied = 0;
  latencyMsTotal = 0;
  advances = 0;

  route(label: string): void {
    this.byRoute[label] = (this.byRoute[label] ?? 0) + 1;
  }

  status(status: number): void {
    const key = String(status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }

  fault(kind: string): void {
    this.faultsInjected[kind] = (this.faultsInjected[kind] ?? 0) + 1;
  }

  reset(): void {
    this.signIns = 0;
    this.signOuts = 0;
    this.tokenRequests = 0;
    this.dataRequests = 0;
    this.byRoute = {};
    this.byStatus = {};
    this.faultsInjected = {};
    this.latencyApplied = 0;
    this.latencyMsTotal = 0;
    this.advances = 0;
  }

  latency(ms: number): void {
    this.latencyApplied++;
    this.latencyMsTotal += ms;
  }
}
