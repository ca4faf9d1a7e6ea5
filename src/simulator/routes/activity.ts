/** Sessions, Requests (list, create, check-in) and Credentials — the checkout chain. */
import type { RequestContext, RouteDefinition } from '../context.js';
import { accountCore, accountIndexLimit, accountSystemIndex, fakePassword, isNonApiAccount } from '../data/accounts.js';
import { requestRow, type AccessType, type ReleaseRequest } from '../data/requests.js';
import { sessionRow, sessionStatus, sessionUserId } from '../data/sessions.js';
import { ApiError, bodyField, empty, json, readBody, readJsonBody, rows, type Reply } from '../http-io.js';
import { ListSelection, PeriodicSelection } from '../selection.js';
import { fullListReply } from './paging.js';

const SESSION_STATUSES = new Set([0, 1, 2, 5, 7, 8, 9]);
const REQUEST_NOT_FOUND = 'Request not found';
/** 403 subcodes the real API sends as the whole body. */
const NO_PERMISSION = 4031;
const APPROVER_ONLY = 4033;
const NOT_APPROVED = 4034;

function sessions(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const statusText = ctx.query.get('status');
  const userId = ctx.query.int('userID', 0);
  const total = world.counts.sessions;
  if (statusText === undefined && userId === undefined) return fullListReply(PeriodicSelection.all(total), (i) => sessionRow(world, i));
  let statuses: Set<number> | undefined;
  if (statusText !== undefined) {
    statuses = new Set(
      statusText.split(',').map((part) => {
        const value = Number(part.trim());
        if (part.trim() === '' || !SESSION_STATUSES.has(value)) throw new ApiError(400, `Invalid status '${part.trim()}'.`);
        return value;
      }),
    );
  }
  const matches: number[] = [];
  for (let i = 0; i < total; i++) {
    if (statuses && !statuses.has(sessionStatus(world, i))) continue;
    if (userId !== undefined && sessionUserId(world, i) !== userId) continue;
    matches.push(i);
  }
  return fullListReply(new ListSelection(matches), (i) => sessionRow(world, i));
}

function listRequests(ctx: RequestContext): Reply {
  const status = (ctx.query.get('status') ?? 'all').toLowerCase();
  const queue = (ctx.query.get('queue') ?? 'req').toLowerCase();
  if (!['all', 'active', 'pending'].includes(status)) throw new ApiError(400, `Invalid status '${status}'. Use all, active or pending.`);
  if (!['req', 'app'].includes(queue)) throw new ApiError(400, `Invalid queue '${queue}'. Use req or app.`);
  // The simulated API user is a requestor, not an approver.
  if (queue === 'app') throw new ApiError(403, APPROVER_ONLY);
  const selected: ReleaseRequest[] = [];
  for (const request of ctx.sim.requests.all()) {
    if (status === 'active' && request.status !== 'Active') continue;
    if (status === 'pending' && request.status !== 'Pending') continue;
    selected.push(request);
  }
  return rows({ count: selected.length, row: (k) => requestRow(ctx.sim.world, selected[k] as ReleaseRequest) });
}

function intField(body: Record<string, unknown>, name: string): number | undefined {
  const value = bodyField(body, name);
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw new ApiError(400, `${name} must be an integer.`);
  return number;
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = bodyField(body, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError(400, `${name} must be a string.`);
  return value;
}

const ACCESS_TYPES: readonly AccessType[] = ['View', 'RDP', 'SSH', 'App'];

async function createRequest(ctx: RequestContext): Promise<Reply> {
  const { world, requests } = ctx.sim;
  const body = await readJsonBody(ctx.req);
  const systemId = intField(body, 'SystemID');
  const accountId = intField(body, 'AccountID');
  if (systemId === undefined || accountId === undefined) throw new ApiError(400, 'SystemID and AccountID are required.');
  if (accountId < 1 || accountId > accountIndexLimit(world) || accountSystemIndex(world, accountId - 1) + 1 !== systemId) {
    throw new ApiError(404, 'Managed Account not found');
  }
  // "Enable for API Access" is off: the account exists, but the API user may not request it.
  if (isNonApiAccount(world, accountId - 1)) throw new ApiError(403, NO_PERMISSION);
  const durationMinutes = intField(body, 'DurationMinutes') ?? accountCore(world, accountId - 1).releaseDuration;
  if (durationMinutes < 1 || durationMinutes > 525600) throw new ApiError(400, 'DurationMinutes must be between 1 and 525600.');
  const accessText = stringField(body, 'AccessType') ?? 'View';
  const accessType = ACCESS_TYPES.find((t) => t.toLowerCase() === accessText.toLowerCase());
  if (!accessType) throw new ApiError(400, `Invalid AccessType '${accessText}'.`);
  const conflictText = (stringField(body, 'ConflictOption') ?? '').trim().toLowerCase();
  if (conflictText !== '' && conflictText !== 'reuse' && conflictText !== 'renew') {
    throw new ApiError(400, `Invalid ConflictOption '${conflictText}'. Use reuse or renew.`);
  }
  const result = requests.create({
    accountIndex: accountId - 1,
    accessType,
    durationMinutes,
    reason: stringField(body, 'Reason') ?? '',
    conflictOption: conflictText === '' ? undefined : (conflictText as 'reuse' | 'renew'),
  });
  if (result.kind === 'conflict') throw new ApiError(409, 'A request for this account is already active. Set ConflictOption to reuse or renew.');
  return json(result.id, result.kind === 'created' ? 201 : 200);
}

function requestIdFromPath(ctx: RequestContext): number {
  const id = Number(ctx.params[0]);
  return Number.isInteger(id) ? id : -1;
}

async function checkin(ctx: RequestContext): Promise<Reply> {
  await readBody(ctx.req); // `{}` or `{"Reason": "…"}`; nothing in it changes the outcome
  if (!ctx.sim.requests.checkin(requestIdFromPath(ctx))) throw new ApiError(404, REQUEST_NOT_FOUND);
  return empty(204);
}

function credentials(ctx: RequestContext): Reply {
  const request = ctx.sim.requests.get(requestIdFromPath(ctx));
  if (!request || request.status === 'Released' || request.status === 'Expired') throw new ApiError(404, REQUEST_NOT_FOUND);
  if (request.status !== 'Active') throw new ApiError(403, NOT_APPROVED);
  const type = (ctx.query.get('type') ?? 'password').toLowerCase();
  if (type === 'password') return json(fakePassword(ctx.sim.world, request.id));
  if (type === 'dsskey') return json(`-----BEGIN OPENSSH PRIVATE KEY-----\nc2ltdWxhdG9y${request.id}\n-----END OPENSSH PRIVATE KEY-----\n`);
  if (type === 'passphrase') throw new ApiError(404, 'No passphrase is stored for this account.');
  throw new ApiError(400, `Invalid type '${type}'. Use password, dsskey or passphrase.`);
}

export const activityRoutes: RouteDefinition[] = [
  { method: 'GET', template: 'Sessions', handler: sessions },
  { method: 'GET', template: 'Requests', handler: listRequests },
  { method: 'POST', template: 'Requests', handler: createRequest },
  { method: 'PUT', template: 'Requests/{id}/Checkin', handler: checkin },
  { method: 'GET', template: 'Credentials/{id}', handler: credentials },
];

