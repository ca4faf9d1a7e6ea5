/**
 * UserAudits: an append-only log. Row a (AuditID a + 1) has a strictly increasing CreateDate, so date filters are a
 * binary search. Rows 0..counts.userAudits-1 cover the 30 days before the simulated start; every advance() appends
 * world.auditsPerEpoch rows inside the new simulated hour.
 */
import { RecordRandom, Tag } from '../random.js';
import { BASE_INSTANT_MS, DAY_MS, EPOCH_MS, isoUtc } from '../values.js';
import type { SimWorld } from '../world.js';
import { userName, type SimIdentity } from './people.js';

const HISTORY_SPAN_MS = 30 * DAY_MS;

export function auditCreateMs(world: SimWorld, index: number): number {
  const base = world.counts.userAudits;
  const jitterRoll = new RecordRandom(world.seed, Tag.audit, index).next();
  if (index < base) {
    const step = Math.floor(HISTORY_SPAN_MS / base);
    return BASE_INSTANT_MS - HISTORY_SPAN_MS + index * step + Math.floor(jitterRoll * step);
  }
  const perEpoch = world.auditsPerEpoch;
  const epoch = Math.floor((index - base) / perEpoch) + 1;
  const step = Math.floor(EPOCH_MS / perEpoch);
  return world.epochStartMs(epoch) + ((index - base) % perEpoch) * step + Math.floor(jitterRoll * step);
}

/** First audit index whose CreateDate is >= ms (count when none). */
export function firstAuditAtOrAfter(world: SimWorld, ms: number): number {
  let lo = 0;
  let hi = world.userAuditCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (auditCreateMs(world, mid) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const ACTIONS: ReadonlyArray<[action: string, section: string]> = [
  ['Login', 'Authentication'],
  ['Logout', 'Authentication'],
  ['Password Released', 'Password Safe'],
  ['Request Approved', 'Password Safe'],
  ['Request Created', 'Password Safe'],
  ['Managed Account Updated', 'Password Safe'],
  ['Asset Updated', 'Asset Management'],
  ['User Updated', 'User Management'],
];

export function auditRow(world: SimWorld, index: number, identity: SimIdentity): Record<string, unknown> {
  const random = new RecordRandom(world.seed, Tag.audit, index, 1);
  const [action, section] = random.pick(ACTIONS);
  const userIndex = random.int(0, world.counts.users - 1);
  return {
    AuditID: index + 1,
    ActionType: action,
    Section: section,
    UserID: userIndex + 1,
    UserName: userName(world, userIndex, identity),
    IPAddress: `192.168.${random.int(0, 20)}.${random.int(1, 254)}`,
    CreateDate: isoUtc(auditCreateMs(world, index)),
  };
}
