/**
 * Release requests of the signed-in user: a deterministic history (RequestID 1..counts.requests) plus the requests
 * created with POST Requests while the simulator runs (RequestID counts.requests + 1 …).
 */
import { ACCOUNTS_PER_SYSTEM } from '../layout.js';
import { RecordRandom, Tag } from '../random.js';
import { BASE_INSTANT_MS, DAY_MS, DOMAIN, dotnetDate, randomDotnetDate } from '../values.js';
import type { SimWorld } from '../world.js';
import { accountNameFor, accountNeedsApproval } from './accounts.js';
import { systemCore } from './systems.js';

export type RequestStatus = 'Pending' | 'Active' | 'Denied' | 'Expired' | 'Released';
export type AccessType = 'View' | 'RDP' | 'SSH' | 'App';

export interface ReleaseRequest {
  id: number;
  accountIndex: number;
  accessType: AccessType;
  reason: string;
  durationMinutes: number;
  status: RequestStatus;
  requestedMs: number;
  approvedMs: number | null;
  /** When the release ends; for the history, in simulated time; for live requests, on the simulator clock. */
  expiresMs: number;
  live: boolean;
}

const HISTORY_STATUS: ReadonlyArray<[RequestStatus, number]> = [
  ['Pending', 0.15],
  ['Active', 0.4],
  ['Expired', 0.7],
  ['Released', 0.95],
  ['Denied', 1],
];

function historyRequest(world: SimWorld, index: number): ReleaseRequest {
  const random = new RecordRandom(world.seed, Tag.request, index);
  const roll = random.next();
  const status = (HISTORY_STATUS.find(([, upTo]) => roll < upTo) ?? HISTORY_STATUS[0]!)[0];
  const accountIndex = random.int(0, world.counts.managedAccounts - 1);
  const durationMinutes = random.pick([60, 120, 240, 480]);
  const requestedMs =
    status === 'Pending' || status === 'Active'
      ? BASE_INSTANT_MS - random.int(1, 50) * 60_000
      : BASE_INSTANT_MS - random.int(1, 30) * DAY_MS - random.int(0, DAY_MS - 1);
  const approvedMs = status === 'Pending' || status === 'Denied' ? null : requestedMs + random.int(5, 600) * 1000;
  return {
    id: index + 1,
    accountIndex,
    accessType: random.pick(['View', 'View', 'RDP', 'SSH'] as const),
    reason: random.pick(['Patching window', 'Incident INC0012345', 'Quarterly audit', 'Deploy release 4.2', 'Break-glass test']),
    durationMinutes,
    status,
    requestedMs,
    approvedMs,
    expiresMs: requestedMs + durationMinutes * 60_000,
    live: false,
  };
}

export interface CreateRequestInput {
  accountIndex: number;
  accessType: AccessType;
  durationMinutes: number;
  reason: string;
  conflictOption: 'reuse' | 'renew' | undefined;
}

export type CreateRequestResult = { kind: 'created'; id: number } | { kind: 'reused'; id: number } | { kind: 'conflict'; id: number };

/** History plus live requests; history rows only change when checked in. */
export class RequestStore {
  readonly #live = new Map<number, ReleaseRequest>();
  readonly #historyOverrides = new Map<number, ReleaseRequest>();
  #nextId: number;

  constructor(
    private readonly world: SimWorld,
    private readonly clock: () => number,
  ) {
    this.#nextId = world.counts.requests + 1;
  }

  get(id: number): ReleaseRequest | undefined {
    if (!Number.isInteger(id) || id < 1) return undefined;
    if (id <= this.world.counts.requests) return this.#historyOverrides.get(id) ?? historyRequest(this.world, id - 1);
    const request = this.#live.get(id);
    if (request && request.status === 'Active' && this.clock() >= request.expiresMs) request.status = 'Expired';
    return request;
  }

  *all(): Iterable<ReleaseRequest> {
    for (let id = 1; id < this.#nextId; id++) {
      const request = this.get(id);
      if (request) yield request;
    }
  }

  create(input: CreateRequestInput): CreateRequestResult {
    const existing = this.#findOpen(input.accountIndex);
    if (existing) {
      if (input.conflictOption === 'reuse') return { kind: 'reused', id: existing.id };
      if (input.conflictOption === 'renew' && existing.live) {
        existing.expiresMs = this.clock() + input.durationMinutes * 60_000;
        existing.durationMinutes = input.durationMinutes;
        return { kind: 'reused', id: existing.id };
      }
      if (input.conflictOption !== 'renew') return { kind: 'conflict', id: existing.id };
      this.checkin(existing.id); // renew of a history request: release it and start a new one
    }
    const now = this.clock();
    const pending = accountNeedsApproval(input.accountIndex + 1);
    const request: ReleaseRequest = {
      id: this.#nextId++,
      accountIndex: input.accountIndex,
      accessType: input.accessType,
      reason: input.reason,
      durationMinutes: input.durationMinutes,
      status: pending ? 'Pending' : 'Active',
      requestedMs: now,
      approvedMs: pending ? null : now,
      expiresMs: now + input.durationMinutes * 60_000,
      live: true,
    };
    this.#live.set(request.id, request);
    return { kind: 'created', id: request.id };
  }

  /** Ends a request; false when there is nothing to check in. */
  checkin(id: number): boolean {
    const request = this.get(id);
    if (!request || (request.status !== 'Active' && request.status !== 'Pending')) return false;
    const released: ReleaseRequest = { ...request, status: 'Released' };
    if (request.live) this.#live.set(id, released);
    else this.#historyOverrides.set(id, released);
    return true;
  }

  #findOpen(accountIndex: number): ReleaseRequest | undefined {
    for (const request of this.all()) {
      if (request.accountIndex === accountIndex && (request.status === 'Active' || request.status === 'Pending')) return request;
    }
    return undefined;
  }
}

export function requestRow(world: SimWorld, request: ReleaseRequest): Record<string, unknown> {
  const system = systemCore(world, Math.floor(request.accountIndex / ACCOUNTS_PER_SYSTEM));
  const random = new RecordRandom(world.seed, Tag.request, request.id, 1);
  const date = (ms: number): string => (request.live ? dotnetDate(ms, 7, 0) : randomDotnetDate(ms, random));
  return {
    RequestID: request.id,
    SystemID: system.id,
    SystemName: system.hostName,
    AccountID: request.accountIndex + 1,
    AccountName: accountNameFor(system, request.accountIndex % ACCOUNTS_PER_SYSTEM),
    DomainName: system.type === 'domainlinked' ? DOMAIN : null,
    AliasID: null,
    ApplicationID: null,
    RequestReleaseDate: date(request.requestedMs),
    ApprovedDate: request.approvedMs === null ? null : date(request.approvedMs),
    ExpiresDate: date(request.expiresMs),
    Status: request.status,
    AccessType: request.accessType,
    Reason: request.reason,
  };
}
