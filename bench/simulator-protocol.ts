/** Messages between the bench and its simulator child process (IPC, JSON). */
import type { EntityCounts, SimulatorCredentials } from '../src/simulator/index.js';
import type { RecordedRequest } from './request-log.js';

export interface SimulatorChildOptions {
  scale: number;
  seed: number;
  faults?: string;
}

export type SimulatorCommand =
  | { id: number; op: 'advance'; changedFraction: number }
  | { id: number; op: 'take-log' }
  | { id: number; op: 'stats' }
  | { id: number; op: 'set-faults'; spec: string }
  | { id: number; op: 'clear-faults' }
  | { id: number; op: 'stop' };

export interface SimulatorStatsSnapshot {
  dataRequests: number;
  signIns: number;
  byStatus: Record<string, number>;
  faultsInjected: Record<string, number>;
}

export type SimulatorReply =
  | { kind: 'ready'; baseUrl: string; credentials: SimulatorCredentials; counts: EntityCounts }
  | { kind: 'result'; id: number; ok: true; log?: RecordedRequest[]; stats?: SimulatorStatsSnapshot }
  | { kind: 'result'; id: number; ok: false; error: string };

export const LISTENING_PREFIX = 'BeyondTrust simulator listening on ';
