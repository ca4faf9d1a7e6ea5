/** Recorded sessions (`GET Sessions`): each points at a managed account, its system and a user. */
import { ACCOUNTS_PER_SYSTEM } from '../layout.js';
import { RecordRandom, Tag } from '../random.js';
import { BASE_INSTANT_MS, DAY_MS, randomDotnetDate } from '../values.js';
import type { SimWorld } from '../world.js';
import { accountNameFor, preferredNodeId } from './accounts.js';
import { systemCore } from './systems.js';

/** 0 Not Started, 1 In Progress, 2 Completed, 5 Locked, 7 Terminated, 8 Logged Off, 9 Disconnected. */
const STATUS_WEIGHTS: ReadonlyArray<[status: number, upTo: number]> = [
  [0, 0.03],
  [1, 0.08],
  [2, 0.75],
  [5, 0.77],
  [7, 0.8],
  [8, 0.95],
  [9, 1],
];

function statusFrom(roll: number): number {
  for (const [status, upTo] of STATUS_WEIGHTS) if (roll < upTo) return status;
  return 2;
}

export function sessionStatus(world: SimWorld, index: number): number {
  return statusFrom(new RecordRandom(world.seed, Tag.session, index).next());
}

export function sessionUserId(world: SimWorld, index: number): number {
  const random = new RecordRandom(world.seed, Tag.session, index);
  random.next();
  return random.int(1, world.counts.users);
}

export function sessionRow(world: SimWorld, index: number): Record<string, unknown> {
  const random = new RecordRandom(world.seed, Tag.session, index);
  const status = statusFrom(random.next());
  const userId = random.int(1, world.counts.users);
  const accountIndex = random.int(0, world.counts.managedAccounts - 1);
  const system = systemCore(world, Math.floor(accountIndex / ACCOUNTS_PER_SYSTEM));
  const protocol = system.port === 22 ? 1 : 0;
  const start = BASE_INSTANT_MS - random.int(0, 90) * DAY_MS - random.int(0, DAY_MS - 1);
  const duration = status === 0 ? 0 : random.int(30, 4 * 3600);
  const ended = status !== 0 && status !== 1;
  return {
    SessionID: index + 1,
    UserID: userId,
    NodeID: preferredNodeId(world, index),
    Status: status,
    ArchiveStatus: ended ? random.pick([0, 1, 1, 1]) : 0,
    Protocol: protocol,
    StartTime: status === 0 ? null : randomDotnetDate(start, random),
    EndTime: ended ? randomDotnetDate(start + duration * 1000, random) : null,
    Duration: duration,
    AssetName: system.hostName,
    ManagedSystemID: system.id,
    ManagedAccountID: accountIndex + 1,
    ManagedAccountName: accountNameFor(system, accountIndex % ACCOUNTS_PER_SYSTEM),
    // Sensitive in the real API (they open replays); the simulator sends them like the real server does.
    RecordKey: random.hex(64),
    Token: random.hex(32),
    ApplicationID: null,
    RequestID: random.bool(0.7) ? random.int(1, world.counts.requests) : null,
    SessionType: protocol === 1 ? 'SSH' : 'RDP',
  };
}
