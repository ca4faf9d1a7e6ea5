/**
 * How many of each entity exist at a scale, and how they relate. Everything is arithmetic on indexes:
 * - 100 managed systems per scale unit, 10 managed accounts per system (account i belongs to system floor(i/10));
 * - one asset per system (same index), systems/assets spread round-robin over the workgroups;
 * - system types repeat with period 20: 14 plain systems, 3 domain-linked, 2 database, 1 cloud;
 * - one database per database-type system.
 */
import type { EntityCounts } from './types.js';
import { PeriodicSelection } from './selection.js';

export const ACCOUNTS_PER_SYSTEM = 10;
export const SESSIONS_CAP = 100_000;
export const REQUESTS_CAP = 500;
export const PLATFORM_COUNT = 12;
export const ATTRIBUTE_TYPE_COUNT = 3;

export type SystemType = 'system' | 'domainlinked' | 'database' | 'cloud';
export const SYSTEM_TYPES: readonly SystemType[] = ['system', 'domainlinked', 'database', 'cloud'];

const TYPE_PERIOD = 20;
const TYPE_RESIDUES: Record<SystemType, number[]> = {
  system: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
  domainlinked: [14, 15, 16],
  database: [17, 18],
  cloud: [19],
};

export function systemTypeOf(systemIndex: number): SystemType {
  const r = systemIndex % TYPE_PERIOD;
  return r < 14 ? 'system' : r < 17 ? 'domainlinked' : r < 19 ? 'database' : 'cloud';
}

function positiveRound(value: number, minimum: number): number {
  return Math.max(minimum, Math.round(value));
}

export function checkScale(scale: number): number {
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`scale must be a positive number, got ${scale}`);
  return scale;
}

export function systemCount(scale: number): number {
  return positiveRound(100 * checkScale(scale), 1);
}

export function workgroupCount(scale: number): number {
  return positiveRound(2 * scale, 3);
}

export function systemsOfType(type: SystemType, systems: number): PeriodicSelection {
  return new PeriodicSelection(TYPE_PERIOD, TYPE_RESIDUES[type], systems);
}

/** Systems (= assets) of workgroup `workgroupId` (1-based). */
export function systemsOfWorkgroup(workgroupId: number, systems: number, workgroups: number): PeriodicSelection {
  return new PeriodicSelection(workgroups, [workgroupId - 1], systems);
}

export function workgroupIdOfSystem(systemIndex: number, workgroups: number): number {
  return (systemIndex % workgroups) + 1;
}

/** Audit rows added by each advance(). */
export function auditsPerEpoch(scale: number): number {
  return positiveRound(10 * scale, 5);
}

/** Exact row counts each list endpoint returns in total at epoch 0 (before any POST Requests). */
export function entityCounts(scale: number): EntityCounts {
  const systems = systemCount(scale);
  return {
    managedAccounts: systems * ACCOUNTS_PER_SYSTEM,
    managedSystems: systems,
    workgroups: workgroupCount(scale),
    assets: systems,
    sessions: Math.min(SESSIONS_CAP, positiveRound(50 * scale, 10)),
    requests: Math.min(REQUESTS_CAP, positiveRound(20 * scale, 10)),
    users: positiveRound(20 * scale, 10),
    userGroups: positiveRound(2 * scale, 5),
    platforms: PLATFORM_COUNT,
    functionalAccounts: positiveRound(2 * scale, 3),
    databases: systemsOfType('database', systems).count,
    secrets: positiveRound(100 * scale, 10),
    folders: positiveRound(5 * scale, 4),
    userAudits: positiveRound(500 * scale, 100),
    attributeTypes: ATTRIBUTE_TYPE_COUNT,
  };
}
