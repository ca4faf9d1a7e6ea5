/**
 * Managed accounts: the requestable list (`GET ManagedAccounts`, SystemId/AccountId casing) and the admin view
 * (`GET ManagedSystems/{id}/ManagedAccounts`, ManagedAccountID/ManagedSystemID casing). Account index i has
 * AccountId = ManagedAccountID = i + 1 and belongs to system floor(i / 10). Indexes from counts.managedAccounts on
 * are the optional accounts that are not API-enabled: extra k sits on system k mod systems.
 */
import { ACCOUNTS_PER_SYSTEM, type SystemType } from '../layout.js';
import { RecordRandom, Tag } from '../random.js';
import { BASE_INSTANT_MS, DAY_MS, DOMAIN, EPOCH_MS, NETBIOS_DOMAIN, dotnetDate, timeOfDay } from '../values.js';
import type { SimWorld } from '../world.js';
import { PLATFORM_IDS } from './catalogs.js';
import { systemCore, type SystemCore } from './systems.js';

const NAMES: Record<'windows' | 'unix' | SystemType, readonly string[]> = {
  windows: ['Administrator', 'svc_backup', 'svc_sql', 'svc_web', 'helpdesk', 'localadmin', 'svc_monitor', 'svc_deploy', 'auditor', 'operator'],
  unix: ['root', 'oracle', 'postgres', 'deploy', 'ansible', 'backup', 'monitor', 'www-data', 'jenkins', 'operator'],
  system: [],
  domainlinked: ['svc_exchange', 'svc_sharepoint', 'adm_helpdesk', 'svc_sccm', 'adm_server', 'svc_adsync', 'svc_print', 'adm_network', 'svc_veeam', 'adm_tier0'],
  database: ['sa', 'dbadmin', 'app_reader', 'app_writer', 'etl', 'reporting', 'backup_op', 'replication', 'monitor', 'audit'],
  cloud: ['admin', 'billing', 'devops', 'security-audit', 'ci-deployer', 'readonly', 'breakglass', 'network-admin', 'iam-admin', 'logging'],
};

/** Accounts whose AccountId is a multiple of 10 need approval: their requests stay Pending. */
export function accountNeedsApproval(accountId: number): boolean {
  return accountId % ACCOUNTS_PER_SYSTEM === 0;
}

export function accountNameFor(system: SystemCore, slot: number): string {
  const family = system.type !== 'system' ? system.type : system.platformId === PLATFORM_IDS.windows ? 'windows' : 'unix';
  return NAMES[family][slot] as string;
}

/** Whether account `index` is one of the extra accounts without "Enable for API Access". */
export function isNonApiAccount(world: SimWorld, index: number): boolean {
  const first = world.counts.managedAccounts;
  return index >= first && index < first + world.nonApiAccounts;
}

/** All account indexes that exist: the requestable ones and the extra non-API ones. */
export function accountIndexLimit(world: SimWorld): number {
  return world.counts.managedAccounts + world.nonApiAccounts;
}

/** System index of account `index` (requestable or not). */
export function accountSystemIndex(world: SimWorld, index: number): number {
  const first = world.counts.managedAccounts;
  return index < first ? Math.floor(index / ACCOUNTS_PER_SYSTEM) : (index - first) % world.counts.managedSystems;
}

/** The non-API account indexes on a system, ascending (empty unless SimulatorOptions.nonApiAccounts is set). */
export function nonApiAccountsOfSystem(world: SimWorld, systemIndex: number): number[] {
  const out: number[] = [];
  const first = world.counts.managedAccounts;
  for (let k = systemIndex; k < world.nonApiAccounts; k += world.counts.managedSystems) out.push(first + k);
  return out;
}

export interface AccountCore {
  index: number;
  id: number;
  system: SystemCore;
  name: string;
  domainName: string | null;
  userPrincipalName: string | null;
  releaseDuration: number;
  maxReleaseDuration: number;
  lastChangeDate: string | null;
  nextChangeDate: string | null;
  isChanging: boolean;
  changeState: number;
  random: RecordRandom;
}

export function accountCore(world: SimWorld, index: number): AccountCore {
  const system = systemCore(world, accountSystemIndex(world, index));
  const random = new RecordRandom(world.seed, Tag.account, index);
  const name = isNonApiAccount(world, index)
    ? `svc_noapi_${index - world.counts.managedAccounts + 1}`
    : accountNameFor(system, index % ACCOUNTS_PER_SYSTEM);
  const domainLinked = system.type === 'domainlinked';
  // Draw every base value up front so the stream (and every later field) is the same in every epoch.
  const neverChanged = random.bool(0.1);
  const baseChange = BASE_INSTANT_MS - random.int(1, 120) * DAY_MS - random.int(0, DAY_MS - 1);
  const fractionDigits = random.int(0, 7);
  const subTicks = random.int(0, 9999);
  const noNextChange = random.bool(0.3);
  const changedIn = world.lastChangeEpoch(Tag.accountChange, index);
  let lastChangeMs: number | null = null;
  let lastChangeDate: string | null = null;
  if (changedIn > 0) {
    const epochRandom = new RecordRandom(world.seed, Tag.accountChange, index, changedIn);
    lastChangeMs = world.epochStartMs(changedIn) + epochRandom.int(0, EPOCH_MS - 1);
    lastChangeDate = dotnetDate(lastChangeMs, epochRandom.int(0, 7), epochRandom.int(0, 9999));
  } else if (!neverChanged) {
    lastChangeMs = baseChange;
    lastChangeDate = dotnetDate(baseChange, fractionDigits, subTicks);
  }
  const nextChangeDate =
    lastChangeMs === null || noNextChange ? null : dotnetDate(Math.floor(lastChangeMs / DAY_MS) * DAY_MS + 30 * DAY_MS, 1);
  const changeRoll = random.next();
  return {
    index,
    id: index + 1,
    system,
    name,
    domainName: domainLinked ? DOMAIN : null,
    userPrincipalName: domainLinked ? `${name}@${DOMAIN}` : null,
    releaseDuration: random.pick([60, 120, 120, 240, 480]),
    maxReleaseDuration: random.pick([525600, 10080, 1440]),
    lastChangeDate,
    nextChangeDate,
    isChanging: changeRoll < 0.01,
    changeState: changeRoll < 0.01 ? 1 : changeRoll < 0.03 ? 2 : 0,
    random,
  };
}

/**
 * Account index of `accountName` on a system (plain, DOMAIN\name, domain\name or UPN; case-insensitive).
 * `includeNonApi` also finds the accounts that are not API-enabled (the admin view lists them, GET ManagedAccounts not).
 */
export function accountIndexByName(world: SimWorld, systemIndex: number, accountName: string, includeNonApi = false): number | undefined {
  const system = systemCore(world, systemIndex);
  let wanted = accountName.trim().toLowerCase();
  const backslash = wanted.lastIndexOf('\\');
  if (backslash >= 0) {
    const domain = wanted.slice(0, backslash);
    if (system.type !== 'domainlinked' || (domain !== NETBIOS_DOMAIN.toLowerCase() && domain !== DOMAIN)) return undefined;
    wanted = wanted.slice(backslash + 1);
  } else if (wanted.endsWith(`@${DOMAIN}`)) {
    if (system.type !== 'domainlinked') return undefined;
    wanted = wanted.slice(0, -DOMAIN.length - 1);
  }
  for (let slot = 0; slot < ACCOUNTS_PER_SYSTEM; slot++) {
    if (accountNameFor(system, slot).toLowerCase() === wanted) return systemIndex * ACCOUNTS_PER_SYSTEM + slot;
  }
  if (includeNonApi) {
    for (const index of nonApiAccountsOfSystem(world, systemIndex)) if (accountCore(world, index).name === wanted) return index;
  }
  return undefined;
}

const NODE_COUNT = 3;

const nodeIdCache = new Map<number, string[]>();

/** One of NODE_COUNT node GUIDs per seed (cached: every row needs one). */
export function preferredNodeId(world: SimWorld, index: number): string {
  let nodes = nodeIdCache.get(world.seed);
  if (!nodes) {
    nodes = Array.from({ length: NODE_COUNT }, (_, node) => new RecordRandom(world.seed, Tag.account, -1, node).guid());
    nodeIdCache.set(world.seed, nodes);
  }
  return nodes[index % NODE_COUNT] as string;
}

/** A row of `GET ManagedAccounts` (the requestable list). */
export function requestableAccountRow(world: SimWorld, index: number): Record<string, unknown> {
  const core = accountCore(world, index);
  const { system, random } = core;
  return {
    PlatformID: system.platformId,
    SystemId: system.id,
    SystemName: system.hostName,
    DomainName: core.domainName,
    AccountId: core.id,
    AccountName: core.name,
    InstanceName: system.instanceName,
    UserPrincipalName: core.userPrincipalName,
    ApplicationID: null,
    ApplicationDisplayName: null,
    DefaultReleaseDuration: core.releaseDuration,
    MaximumReleaseDuration: core.maxReleaseDuration,
    LastChangeDate: core.lastChangeDate,
    NextChangeDate: core.nextChangeDate,
    IsChanging: core.isChanging,
    ChangeState: core.changeState,
    IsISAAccess: random.bool(0.3),
    PreferredNodeID: preferredNodeId(world, index),
    AccountDescription: random.bool(0.5) ? '' : `${core.name} on ${system.hostName}`,
  };
}

/** A row of `GET ManagedSystems/{id}/ManagedAccounts` (`byId`: the `GET ManagedAccounts/{id}` variant). */
export function adminAccountRow(world: SimWorld, index: number, byId = false): Record<string, unknown> {
  const core = accountCore(world, index);
  const { system, random } = core;
  const domainLinked = system.type === 'domainlinked';
  const row: Record<string, unknown> = {
    ManagedAccountID: core.id,
    ManagedSystemID: system.id,
    DomainName: core.domainName,
    AccountName: core.name,
    DistinguishedName: domainLinked ? `CN=${core.name},OU=Service Accounts,DC=corp,DC=example,DC=com` : null,
    PasswordFallbackFlag: random.bool(0.1),
    UserPrincipalName: core.userPrincipalName,
    SAMAccountName: domainLinked ? core.name : null,
    LoginAccountFlag: random.bool(0.05),
    Description: random.bool(0.5) ? null : `${core.name} on ${system.hostName}`,
    PasswordRuleID: random.int(0, 3),
    ApiEnabled: !isNonApiAccount(world, index),
    ReleaseNotificationEmail: random.bool(0.8) ? null : `owners+${core.id}@example.com`,
    ChangeServicesFlag: random.bool(0.2),
    RestartServicesFlag: random.bool(0.1),
    ChangeTasksFlag: random.bool(0.1),
    ReleaseDuration: core.releaseDuration,
    MaxReleaseDuration: core.maxReleaseDuration,
    ISAReleaseDuration: 120,
    MaxConcurrentRequests: random.pick([0, 1, 1, 5]),
    AutoManagementFlag: random.bool(0.8),
    DSSAutoManagementFlag: system.port === 22 && random.bool(0.3),
    CheckPasswordFlag: random.bool(0.5),
    ResetPasswordOnMismatchFlag: random.bool(0.2),
    ChangePasswordAfterAnyReleaseFlag: random.bool(0.3),
    ChangeFrequencyType: random.pick(['first', 'last', 'xdays']),
    ChangeFrequencyDays: random.pick([30, 60, 90]),
    ChangeTime: timeOfDay(random),
    ParentAccountID: null,
    IsSubscribedAccount: false,
    LastChangeDate: core.lastChangeDate,
    NextChangeDate: core.nextChangeDate,
    IsChanging: core.isChanging,
    ChangeState: core.changeState,
    UseOwnCredentials: random.bool(0.1),
    WorkgroupID: random.bool(0.5) ? null : (system.index % world.workgroups) + 1,
  };
  if (byId) {
    row['ObjectID'] = system.type === 'cloud' ? random.guid() : null;
  } else {
    const windows = system.platformId === PLATFORM_IDS.windows;
    row['ChangeIISAppPoolFlag'] = windows && random.bool(0.1);
    row['RestartIISAppPoolFlag'] = windows && random.bool(0.1);
    row['ChangeWindowsAutoLogonFlag'] = windows && random.bool(0.05);
    row['ChangeComPlusFlag'] = windows && random.bool(0.05);
    row['ChangeDComFlag'] = windows && random.bool(0.05);
    row['ChangeSComFlag'] = windows && random.bool(0.05);
  }
  return row;
}

/** A plausible fake password for a released account (deterministic per request). */
export function fakePassword(world: SimWorld, requestId: number): string {
  const random = new RecordRandom(world.seed, Tag.credential, requestId);
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%*+-=?@';
  let out = '';
  for (let i = 0; i < 20; i++) out += alphabet[random.int(0, alphabet.length - 1)];
  return out;
}
