/** Managed systems, assets, workgroups and databases — derived from the system index (ManagedSystemID = AssetID = index + 1). */
import { systemTypeOf, systemsOfType, workgroupIdOfSystem, type SystemType } from '../layout.js';
import { RecordRandom, Tag } from '../random.js';
import { DAY_MS, DOMAIN, ipForIndex, macForIndex, randomDotnetDate, timeOfDay, BASE_INSTANT_MS } from '../values.js';
import type { SimWorld } from '../world.js';
import { PLATFORM_IDS } from './catalogs.js';

export interface SystemCore {
  index: number;
  id: number;
  type: SystemType;
  platformId: number;
  hostName: string;
  instanceName: string;
  port: number | null;
}

const ROLES = ['web', 'app', 'file', 'mail', 'build', 'mon', 'bkp', 'jump', 'erp', 'crm'] as const;
const DB_INSTANCES: Record<number, string> = { 8: 'MSSQLSERVER', 10: 'ORCL', 45: 'mysql', 52: 'postgres' };
const DB_PORTS: Record<number, number> = { 8: 1433, 10: 1521, 45: 3306, 52: 5432 };

let lastCore: { seed: number; core: SystemCore } | undefined;

/** The identity of a system every related record needs (cached for the 10 accounts in a row that share it). */
export function systemCore(world: SimWorld, index: number): SystemCore {
  if (lastCore && lastCore.seed === world.seed && lastCore.core.index === index) return lastCore.core;
  const random = new RecordRandom(world.seed, Tag.system, index);
  const type = systemTypeOf(index);
  let platformId: number;
  let prefix: string;
  if (type === 'system') {
    const roll = random.next();
    platformId = roll < 0.5 ? PLATFORM_IDS.windows : roll < 0.85 ? PLATFORM_IDS.linux : random.pick(PLATFORM_IDS.unix);
    prefix = `${random.pick(ROLES)}-${platformId === PLATFORM_IDS.windows ? 'w' : 'x'}`;
  } else if (type === 'domainlinked') {
    platformId = PLATFORM_IDS.activeDirectory;
    prefix = 'dc-ad';
  } else if (type === 'database') {
    platformId = random.pick(PLATFORM_IDS.databases);
    prefix = 'db-sql';
  } else {
    platformId = random.pick(PLATFORM_IDS.cloud);
    prefix = platformId === 60 ? 'aws-acct' : 'entra-tenant';
  }
  const core: SystemCore = {
    index,
    id: index + 1,
    type,
    platformId,
    hostName: `${prefix}-${String(index + 1).padStart(5, '0')}`,
    instanceName: type === 'database' ? (DB_INSTANCES[platformId] ?? '') : '',
    port: type === 'database' ? (DB_PORTS[platformId] ?? null) : platformId === PLATFORM_IDS.windows ? null : 22,
  };
  lastCore = { seed: world.seed, core };
  return core;
}

/** Reverse lookup of a SystemName / HostName (case-insensitive); undefined when no such system. */
export function systemIndexByName(world: SimWorld, name: string): number | undefined {
  const match = /-(\d+)$/.exec(name.trim());
  if (!match) return undefined;
  const index = Number(match[1]) - 1;
  if (index < 0 || index >= world.counts.managedSystems) return undefined;
  return systemCore(world, index).hostName.toLowerCase() === name.trim().toLowerCase() ? index : undefined;
}

export function databaseIdOfSystem(world: SimWorld, index: number): number | null {
  const databases = systemsOfType('database', world.counts.managedSystems);
  return databases.has(index) ? databases.rank(index) + 1 : null;
}

function createdMs(random: RecordRandom): number {
  return BASE_INSTANT_MS - random.int(30, 900) * DAY_MS - random.int(0, DAY_MS - 1);
}

export function managedSystemRow(world: SimWorld, index: number): Record<string, unknown> {
  const core = systemCore(world, index);
  const random = new RecordRandom(world.seed, Tag.system, index, 1);
  const isCloud = core.type === 'cloud';
  return {
    ManagedSystemID: core.id,
    EntityTypeID: core.type === 'database' ? 2 : core.type === 'domainlinked' ? 3 : isCloud ? 4 : 1,
    AssetID: core.id,
    DatabaseID: databaseIdOfSystem(world, index),
    DirectoryID: core.type === 'domainlinked' ? 1 : null,
    CloudID: isCloud ? (core.index % 7) + 1 : null,
    WorkgroupID: workgroupIdOfSystem(index, world.workgroups),
    HostName: core.hostName,
    DnsName: `${core.hostName}.${DOMAIN}`,
    IPAddress: isCloud ? null : ipForIndex(index),
    InstanceName: core.type === 'database' ? core.instanceName : null,
    IsDefaultInstance: core.type === 'database' ? random.bool(0.7) : null,
    Template: null,
    ForestName: core.type === 'domainlinked' ? DOMAIN : null,
    UseSSL: core.type === 'domainlinked' ? true : null,
    OracleInternetDirectoryID: null,
    OracleInternetDirectoryServiceName: null,
    SystemName: core.hostName,
    PlatformID: core.platformId,
    NetBiosName: core.type === 'domainlinked' ? 'CORP' : null,
    Port: core.port,
    Timeout: random.pick([30, 30, 60, 120]),
    Description: random.bool(0.4) ? null : `Managed ${core.type} ${core.hostName}`,
    ContactEmail: random.bool(0.5) ? null : `it-ops+${core.id}@example.com`,
    PasswordRuleID: random.int(0, 3),
    DSSKeyRuleID: core.port === 22 ? random.int(0, 2) : null,
    ReleaseDuration: 120,
    MaxReleaseDuration: 525600,
    ISAReleaseDuration: 120,
    AutoManagementFlag: random.bool(0.8),
    FunctionalAccountID: random.bool(0.6) ? (index % world.counts.functionalAccounts) + 1 : null,
    LoginAccountID: null,
    ElevationCommand: core.port === 22 && random.bool(0.5) ? 'sudo' : null,
    SshKeyEnforcementMode: core.port === 22 ? random.int(0, 2) : 0,
    CheckPasswordFlag: random.bool(0.5),
    ChangePasswordAfterAnyReleaseFlag: random.bool(0.3),
    ResetPasswordOnMismatchFlag: random.bool(0.2),
    ChangeFrequencyType: random.pick(['first', 'last', 'xdays']),
    ChangeFrequencyDays: random.pick([30, 60, 90]),
    ChangeTime: timeOfDay(random),
    AccountNameFormat: core.type === 'domainlinked' ? random.int(0, 2) : 0,
    RemoteClientType: random.bool(0.1) ? 'EPM' : 'None',
    ApplicationHostID: null,
    IsApplicationHost: false,
    AccessURL: isCloud ? `https://${core.hostName}.cloud.example.com/` : null,
  };
}

const OPERATING_SYSTEMS: Record<number, readonly string[]> = {
  1: ['Windows Server 2022 Datacenter', 'Windows Server 2019 Standard', 'Windows Server 2016 Standard'],
  2: ['Red Hat Enterprise Linux 9.4', 'Ubuntu 22.04.4 LTS', 'SUSE Linux Enterprise Server 15 SP5'],
  3: ['AIX 7.3'],
  4: ['HP-UX 11i v3'],
  5: ['Oracle Solaris 11.4'],
  25: ['Windows Server 2022 Datacenter'],
};

export function assetRow(world: SimWorld, index: number): Record<string, unknown> {
  const core = systemCore(world, index);
  const random = new RecordRandom(world.seed, Tag.system, index, 2);
  const created = createdMs(random);
  const assetType =
    core.type === 'database' ? 'Database Server' : core.type === 'domainlinked' ? 'Domain Controller' : core.type === 'cloud' ? 'Cloud Service' : 'Server';
  return {
    WorkgroupID: workgroupIdOfSystem(index, world.workgroups),
    AssetID: core.id,
    AssetName: core.hostName,
    DnsName: `${core.hostName}.${DOMAIN}`,
    DomainName: DOMAIN,
    IPAddress: ipForIndex(index),
    MacAddress: macForIndex(index),
    AssetType: assetType,
    OperatingSystem: random.pick(OPERATING_SYSTEMS[core.platformId] ?? OPERATING_SYSTEMS[2] ?? ['Linux']),
    CreateDate: randomDotnetDate(created, random),
    LastUpdateDate: randomDotnetDate(created + random.int(0, 25) * DAY_MS + random.int(1, DAY_MS), random),
    Description: random.bool(0.5) ? null : `${assetType} in ${DOMAIN}`,
  };
}

const REGIONS = ['EMEA', 'AMER', 'APAC', 'LATAM', 'ANZ'] as const;
const FUNCTIONS = ['Servers', 'Databases', 'Workstations', 'DMZ', 'Lab', 'Finance', 'Retail'] as const;

export function workgroupName(world: SimWorld, id: number): string {
  if (id === 1) return 'BeyondTrust Workgroup';
  const random = new RecordRandom(world.seed, Tag.workgroup, id);
  return `${random.pick(REGIONS)} ${random.pick(FUNCTIONS)} ${id}`;
}

export function organizationId(world: SimWorld): string {
  return new RecordRandom(world.seed, Tag.workgroup, 0).guid();
}

export function workgroupRow(world: SimWorld, id: number): Record<string, unknown> {
  return { OrganizationID: organizationId(world), ID: id, Name: workgroupName(world, id) };
}

/** Workgroup id from a path segment that is either the numeric ID or the Name (case-insensitive). */
export function workgroupIdFromSegment(world: SimWorld, segment: string): number | undefined {
  if (/^\d+$/.test(segment)) {
    const id = Number(segment);
    return id >= 1 && id <= world.workgroups ? id : undefined;
  }
  const wanted = segment.toLowerCase();
  for (let id = 1; id <= world.workgroups; id++) if (workgroupName(world, id).toLowerCase() === wanted) return id;
  return undefined;
}

export function databaseRow(world: SimWorld, databaseIndex: number): Record<string, unknown> {
  const systemIndex = systemsOfType('database', world.counts.managedSystems).at(databaseIndex);
  const core = systemCore(world, systemIndex);
  const random = new RecordRandom(world.seed, Tag.database, databaseIndex);
  const versions: Record<number, readonly string[]> = {
    8: ['16.0.4125.3', '15.0.4375.4'],
    10: ['19.22.0.0', '21.3.0.0'],
    45: ['8.0.36', '8.4.0'],
    52: ['15.6', '16.2'],
  };
  return {
    DatabaseID: databaseIndex + 1,
    AssetID: core.id,
    PlatformID: core.platformId,
    InstanceName: core.instanceName,
    IsDefaultInstance: random.bool(0.7),
    Port: core.port,
    Version: random.pick(versions[core.platformId] ?? ['1.0']),
    Template: random.bool(0.8) ? null : 'Default',
  };
}
