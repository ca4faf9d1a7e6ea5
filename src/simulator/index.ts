/**
 * BeyondTrust Password Safe / BeyondInsight API v3 simulator: deterministic data at any scale, PS-Auth and OAuth
 * sessions, and fault injection. Everything in the project is tested, demonstrated and benchmarked against it.
 */
export { startSimulator } from './server.js';
export { DEMO_CREDENTIALS } from './credentials.js';
export { parseFaultSpec } from './faults.js';
export { entityCounts } from './layout.js';
export type {
  DriftConfig,
  EntityCounts,
  FaultConfig,
  FaultController,
  RateFaultKind,
  RunningSimulator,
  SimulatorCredentials,
  SimulatorOptions,
  SimulatorStats,
} from './types.js';
