/** GET ManagedAccounts (requestable list), GET ManagedAccounts/{id}, GET ManagedSystems/{id}/ManagedAccounts. */
import type { RequestContext, RouteDefinition } from '../context.js';
import { accountIndexByName, accountIndexLimit, adminAccountRow, nonApiAccountsOfSystem, requestableAccountRow } from '../data/accounts.js';
import { systemIndexByName, workgroupIdFromSegment } from '../data/systems.js';
import { ApiError, json, type Reply } from '../http-io.js';
import { ACCOUNTS_PER_SYSTEM, SYSTEM_TYPES, systemsOfType, systemsOfWorkgroup, type SystemType } from '../layout.js';
import { Tag, hashInts } from '../random.js';
import { FanOutSelection, ListSelection, PeriodicSelection, type IndexSelection } from '../selection.js';
import { indexForIp } from '../values.js';
import { idParam, pagedReply } from './paging.js';

const CHANGE_STATE_NAMES = ['Idle', 'Changing', 'Failed'] as const;
const NOT_FOUND = 'Managed Account not found';

/** Applies fault-injected schema drift to a requestable row. */
function drifted(ctx: RequestContext, row: Record<string, unknown>): Record<string, unknown> {
  if (ctx.drift.newField) row['RiskScore'] = (hashInts(ctx.sim.world.seed, Tag.account, row['AccountId'] as number, 99) % 1000) / 10;
  if (ctx.drift.typeChange) row['ChangeState'] = CHANGE_STATE_NAMES[row['ChangeState'] as number] ?? 'Unknown';
  return row;
}

const EMPTY: IndexSelection = new ListSelection([]);

/** Systems matching the list filters (type, workgroupName, systemID, systemName, ipAddress). */
function selectSystems(ctx: RequestContext, type: SystemType | undefined): IndexSelection {
  const { world } = ctx.sim;
  const { query } = ctx;
  const total = world.counts.managedSystems;
  let periodic = PeriodicSelection.all(total);
  if (type) periodic = periodic.intersect(systemsOfType(type, total));
  const workgroupName = query.get('workgroupName');
  if (workgroupName !== undefined) {
    const id = workgroupIdFromSegment(world, workgroupName);
    if (id === undefined || /^\d+$/.test(workgroupName)) return EMPTY;
    periodic = periodic.intersect(systemsOfWorkgroup(id, total, world.workgroups));
  }
  const singles: Array<number | undefined> = [];
  const systemId = query.int('systemID', 0);
  if (systemId !== undefined) singles.push(systemId - 1);
  const systemName = query.get('systemName');
  if (systemName !== undefined) singles.push(systemIndexByName(world, systemName));
  const ip = query.get('ipAddress');
  if (ip !== undefined) singles.push(indexForIp(ip));
  if (singles.length === 0) return periodic;
  const first = singles[0];
  const consistent = first !== undefined && singles.every((s) => s === first) && periodic.has(first);
  return consistent ? new ListSelection([first]) : EMPTY;
}

function managedAccounts(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const { query } = ctx;
  const systemName = query.get('systemName');
  const accountName = query.get('accountName');
  if (systemName !== undefined && accountName !== undefined) {
    const systemIndex = systemIndexByName(world, systemName);
    const accountIndex = systemIndex === undefined ? undefined : accountIndexByName(world, systemIndex, accountName);
    if (accountIndex === undefined) throw new ApiError(404, NOT_FOUND);
    return json(drifted(ctx, requestableAccountRow(world, accountIndex)));
  }
  const typeText = query.get('type')?.toLowerCase();
  if (typeText !== undefined && !['application', 'recent', ...SYSTEM_TYPES].includes(typeText)) {
    throw new ApiError(400, `Invalid type '${typeText}'. Valid types: system, recent, domainlinked, database, cloud, application.`);
  }
  let accounts: IndexSelection;
  if (typeText === 'application' || query.has('applicationDisplayName')) {
    accounts = EMPTY; // the simulator models no application accounts
  } else if (typeText === 'recent') {
    const systems = selectSystems(ctx, undefined);
    const allowed = (systemIndex: number): boolean => {
      if (systems instanceof PeriodicSelection) return systems.has(systemIndex);
      for (let k = 0; k < systems.count; k++) if (systems.at(k) === systemIndex) return true;
      return false;
    };
    const recent = new Set<number>();
    for (const request of ctx.sim.requests.all()) {
      if (allowed(Math.floor(request.accountIndex / ACCOUNTS_PER_SYSTEM))) recent.add(request.accountIndex);
    }
    accounts = new ListSelection([...recent].sort((a, b) => a - b));
  } else {
    accounts = new FanOutSelection(selectSystems(ctx, typeText as SystemType | undefined), ACCOUNTS_PER_SYSTEM);
  }
  return pagedReply(query, accounts, (index) => drifted(ctx, requestableAccountRow(world, index)), { defaultLimit: 1000 });
}

function managedAccountById(ctx: RequestContext): Reply {
  const id = idParam(ctx.params[0], accountIndexLimit(ctx.sim.world), NOT_FOUND);
  return json(adminAccountRow(ctx.sim.world, id - 1, true));
}

function accountsOfSystem(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const systemId = idParam(ctx.params[0], world.counts.managedSystems, 'Managed System not found');
  const first = (systemId - 1) * ACCOUNTS_PER_SYSTEM;
  const name = ctx.query.get('name');
  if (name !== undefined) {
    const index = accountIndexByName(world, systemId - 1, name, true);
    if (index === undefined) throw new ApiError(404, NOT_FOUND);
    return json(adminAccountRow(world, index));
  }
  // The admin view lists every account of the system, the ones not enabled for API access included (after the others).
  const nonApi = nonApiAccountsOfSystem(world, systemId - 1);
  const own: IndexSelection = {
    count: ACCOUNTS_PER_SYSTEM + nonApi.length,
    at: (k) => (k < ACCOUNTS_PER_SYSTEM ? first + k : (nonApi[k - ACCOUNTS_PER_SYSTEM] as number)),
  };
  // Paging is UNCONFIRMED for this endpoint: limit/offset are honoured, the answer stays a bare array.
  return pagedReply(ctx.query, own, (index) => adminAccountRow(world, index), { defaultLimit: 100_000 });
}

export const accountRoutes: RouteDefinition[] = [
  { method: 'GET', template: 'ManagedAccounts', handler: managedAccounts },
  { method: 'GET', template: 'ManagedAccounts/{id}', handler: managedAccountById },
  { method: 'GET', template: 'ManagedSystems/{id}/ManagedAccounts', handler: accountsOfSystem },
];
