/**
 * Single-object lookups, parent-scoped lists, the less common filters, API-version shapes, the legacy base path and
 * field order (as the reference lists the fields) — everything the other simulator tests leave out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { asContainer, asRows, call, signIn, type Row } from './helpers.js';

let sim: RunningSimulator;
let cookie: string;
const get = async (path: string) => call(sim, path, { cookie });
const rowsOf = async (path: string) => asRows((await get(path)).body);

beforeAll(async () => {
  sim = await startSimulator({ seed: 17, scale: 3 });
  cookie = await signIn(sim);
});
afterAll(() => sim.stop());

describe('single-object lookups answer the list row, or 404', () => {
  it('ManagedSystems/{id}', async () => {
    const systems = await rowsOf('ManagedSystems');
    for (const id of [1, 150, sim.counts.managedSystems]) {
      const one = await get(`ManagedSystems/${id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(systems[id - 1]);
    }
    for (const bad of ['0', String(sim.counts.managedSystems + 1), 'abc']) {
      const missing = await get(`ManagedSystems/${bad}`);
      expect(missing.status, bad).toBe(404);
      expect(missing.body).toBe('Managed System not found');
    }
  });

  it('Workgroups/{id}, Workgroups/{name} and Workgroups?name=', async () => {
    const workgroups = await rowsOf('Workgroups');
    const second = workgroups[1] as Row;
    expect((await get('Workgroups/2')).body).toEqual(second);
    expect((await get(`Workgroups/${encodeURIComponent(String(second['Name']))}`)).body).toEqual(second);
    expect((await get(`Workgroups?name=${encodeURIComponent(String(second['Name']).toUpperCase())}`)).body).toEqual(second);
    expect((await get('Workgroups?name=No%20Such%20Group')).status).toBe(404);
    expect((await get(`Workgroups/${sim.counts.workgroups + 1}`)).status).toBe(404);
  });

  it('Users/{id}', async () => {
    const users = await rowsOf('Users');
    expect((await get('Users/1')).body).toEqual(users[0]);
    expect((await get(`Users/${sim.counts.users}`)).body).toEqual(users.at(-1));
    expect((await get(`Users/${sim.counts.users + 1}`)).status).toBe(404);
    expect((await get('Users?username=nobody-here')).status).toBe(404);
  });

  it('UserGroups/{id} and UserGroups?name= (case-insensitive)', async () => {
    const groups = await rowsOf('UserGroups');
    expect((await get('UserGroups/3')).body).toEqual(groups[2]);
    expect((await get('UserGroups?name=password%20safe%20REQUESTORS')).body).toEqual(groups.find((g) => g['Name'] === 'Password Safe Requestors'));
    expect((await get('UserGroups?name=Nobody')).status).toBe(404);
    expect((await get(`UserGroups/${sim.counts.userGroups + 1}`)).status).toBe(404);
  });

  it('Databases/{id} points at a database-type managed system', async () => {
    const databases = await rowsOf('Databases');
    expect(databases).toHaveLength(sim.counts.databases);
    const database = (await get('Databases/4')).body as Row;
    expect(database).toEqual(databases[3]);
    const system = (await get(`ManagedSystems/${String(database['AssetID'])}`)).body as Row;
    expect(system).toMatchObject({ EntityTypeID: 2, DatabaseID: 4, PlatformID: database['PlatformID'], Port: database['Port'] });
    expect((await get(`Databases/${sim.counts.databases + 1}`)).status).toBe(404);
  });
});

describe('parent-scoped lists', () => {
  it('Workgroups/{id}/ManagedSystems: array without limit, {TotalCount, Data} with it, by id or name', async () => {
    const all = await rowsOf('ManagedSystems');
    const expected = all.filter((s) => s['WorkgroupID'] === 2);
    const members = await rowsOf('Workgroups/2/ManagedSystems');
    expect(members).toEqual(expected);
    // offset is honoured only together with limit.
    expect(await rowsOf('Workgroups/2/ManagedSystems?offset=5')).toEqual(expected);
    const page = asContainer((await get('Workgroups/2/ManagedSystems?limit=4&offset=3')).body);
    expect(page.TotalCount).toBe(expected.length);
    expect(page.Data).toEqual(expected.slice(3, 7));
    const name = String(((await get('Workgroups/2')).body as Row)['Name']);
    expect(await rowsOf(`Workgroups/${encodeURIComponent(name)}/ManagedSystems`)).toEqual(expected);
    expect((await get('Workgroups/999/ManagedSystems')).status).toBe(404);
  });

  it('ManagedSystems/{id}/ManagedAccounts with limit/offset stays a bare array', async () => {
    const all = await rowsOf('ManagedSystems/12/ManagedAccounts');
    expect(all).toHaveLength(10);
    const page = await rowsOf('ManagedSystems/12/ManagedAccounts?limit=3&offset=2');
    expect(page.map((r) => r['ManagedAccountID'])).toEqual([113, 114, 115]);
    expect(page).toEqual(all.slice(2, 5));
    expect(await rowsOf('ManagedSystems/12/ManagedAccounts?limit=5&offset=8')).toEqual(all.slice(8));
  });
});

describe('ManagedSystems type and name filters', () => {
  it('type (EntityTypeID) selects 14/3/2/1 of every 20 systems; unknown types are empty', async () => {
    const all = await rowsOf('ManagedSystems');
    const perType = new Map<number, number>([[1, 14], [3, 3], [2, 2], [4, 1]]);
    for (const [type, per20] of perType) {
      const rows = await rowsOf(`ManagedSystems?type=${type}`);
      expect(rows, `type ${type}`).toEqual(all.filter((s) => s['EntityTypeID'] === type));
      expect(rows).toHaveLength((sim.counts.managedSystems / 20) * per20);
    }
    expect(await rowsOf('ManagedSystems?type=99')).toEqual([]);
    const page = asContainer((await get('ManagedSystems?type=2&limit=5&offset=10')).body);
    expect(page.TotalCount).toBe(30);
    expect(page.Data).toEqual(all.filter((s) => s['EntityTypeID'] === 2).slice(10, 15));
    expect((await get('ManagedSystems?type=x')).status).toBe(400);
  });

  it('name selects one system (case-insensitive), combined with type', async () => {
    const system = (await get('ManagedSystems/18')).body as Row; // index 17: a database system
    const name = String(system['SystemName']);
    expect(await rowsOf(`ManagedSystems?name=${name.toUpperCase()}`)).toEqual([system]);
    expect(await rowsOf(`ManagedSystems?name=${name}&type=2`)).toEqual([system]);
    expect(await rowsOf(`ManagedSystems?name=${name}&type=1`)).toEqual([]);
    expect(await rowsOf('ManagedSystems?name=no-such-host-00001')).toEqual([]);
    expect(asContainer((await get(`ManagedSystems?name=${name}&limit=10`)).body)).toEqual({ TotalCount: 1, Data: [system] });
  });
});

describe('API versions and defaults', () => {
  it('Secrets: {TotalCount, Data} at 3.2 also without limit; bare array at explicit 3.1; 400 below 3.0', async () => {
    const v31 = await rowsOf('Secrets-Safe/Secrets?version=3.1');
    expect(v31).toHaveLength(sim.counts.secrets);
    expect(v31.some((s) => 'SecretValueModifiedOn' in s)).toBe(false);
    expect(await rowsOf('Secrets-Safe/Secrets')).toEqual(v31);
    const v32 = asContainer((await get('Secrets-Safe/Secrets?version=3.2')).body);
    expect(v32.TotalCount).toBe(sim.counts.secrets);
    expect(v32.Data.map((s) => s['Id'])).toEqual(v31.map((s) => s['Id']));
    expect(v32.Data.every((s) => s['SecretValueModifiedOn'] === s['ModifiedOn'])).toBe(true);
    expect(asContainer((await get('Secrets-Safe/Secrets?version=3.5&limit=2')).body).Data).toHaveLength(2);
    expect((await get('Secrets-Safe/Secrets?version=2.0')).status).toBe(400);
  });

  it('UserAudits without limit: {TotalCount, Data} capped at the default 1000, newest first', async () => {
    expect(sim.counts.userAudits).toBe(1500);
    const audits = asContainer((await get('UserAudits')).body);
    expect(audits.TotalCount).toBe(1500);
    expect(audits.Data).toHaveLength(1000);
    expect(audits.Data[0]?.['AuditID']).toBe(1500);
    expect(audits.Data.at(-1)?.['AuditID']).toBe(501);
  });
});

describe('Secrets path/title and Folders filters', () => {
  it('path matches the whole FolderPath (case-insensitive), with the given separator', async () => {
    const all = await rowsOf('Secrets-Safe/Secrets?limit=100000');
    const nested = all.find((s) => String(s['FolderPath']).includes('/')) as Row;
    const path = String(nested['FolderPath']);
    const expected = all.filter((s) => s['FolderPath'] === path).map((s) => s['Id']);
    expect(expected.length).toBeGreaterThan(1);
    const byPath = await rowsOf(`Secrets-Safe/Secrets?path=${encodeURIComponent(path.toLowerCase())}&limit=100000`);
    expect(byPath.map((s) => s['Id'])).toEqual(expected);
    const backslashed = path.replaceAll('/', '\\');
    const bySeparator = await rowsOf(`Secrets-Safe/Secrets?path=${encodeURIComponent(backslashed)}&separator=${encodeURIComponent('\\')}&limit=100000`);
    expect(bySeparator.map((s) => s['Id'])).toEqual(expected);
    expect(bySeparator.every((s) => s['FolderPath'] === backslashed)).toBe(true);
    // A parent folder's path does not match the secrets of its subfolders.
    const parent = path.slice(0, path.lastIndexOf('/'));
    const inParent = await rowsOf(`Secrets-Safe/Secrets?path=${encodeURIComponent(parent)}&limit=100000`);
    expect(inParent.every((s) => s['FolderPath'] === parent)).toBe(true);
  });

  it('title matches exactly (case-insensitive); title and path combine; container total follows the filter', async () => {
    const all = await rowsOf('Secrets-Safe/Secrets?limit=100000');
    const secret = all[42] as Row;
    const title = String(secret['Title']);
    expect(await rowsOf(`Secrets-Safe/Secrets?title=${encodeURIComponent(title.toUpperCase())}`)).toEqual([secret]);
    expect(await rowsOf(`Secrets-Safe/Secrets?title=${encodeURIComponent(title.slice(0, -1))}`)).toEqual(
      all.filter((s) => String(s['Title']).toLowerCase() === title.slice(0, -1).toLowerCase()),
    );
    const both = `title=${encodeURIComponent(title)}&path=${encodeURIComponent(String(secret['FolderPath']))}`;
    expect(await rowsOf(`Secrets-Safe/Secrets?${both}`)).toEqual([secret]);
    expect(await rowsOf(`Secrets-Safe/Secrets?title=${encodeURIComponent(title)}&path=Nowhere`)).toEqual([]);
    expect(asContainer((await get(`Secrets-Safe/Secrets?version=3.2&${both}`)).body).TotalCount).toBe(1);
  });

  it('Folders: FolderName (partial), FolderPath with and without subfolders, FolderOwnerId', async () => {
    const folders = await rowsOf('Secrets-Safe/Folders');
    expect(folders).toHaveLength(sim.counts.folders);
    const byId = new Map(folders.map((f) => [f['Id'], f]));
    const pathOf = (folder: Row): string => {
      const parts: string[] = [];
      for (let at: Row | undefined = folder; at; at = byId.get(at['ParentId'])) parts.unshift(String(at['Name']));
      return parts.join('/');
    };
    expect(await rowsOf('Secrets-Safe/Folders?FolderName=INFRA')).toEqual(folders.filter((f) => String(f['Name']).toLowerCase().includes('infra')));
    const root = 'Infrastructure';
    const subtree = folders.filter((f) => pathOf(f) === root || pathOf(f).startsWith(`${root}/`));
    expect(subtree.length).toBeGreaterThan(1);
    expect(await rowsOf(`Secrets-Safe/Folders?FolderPath=${root}`)).toEqual(subtree);
    expect(await rowsOf(`Secrets-Safe/Folders?FolderPath=${root}&IncludeSubfolders=false`)).toEqual(folders.filter((f) => pathOf(f) === root));
    const owner = Number(folders[5]?.['FolderOwnerId']);
    expect(await rowsOf(`Secrets-Safe/Folders?FolderOwnerId=${owner}`)).toEqual(folders.filter((f) => f['FolderOwnerId'] === owner));
    expect(await rowsOf('Secrets-Safe/Folders?RootOnly=true&FolderName=s')).toEqual(
      folders.filter((f) => f['ParentId'] === null && String(f['Name']).toLowerCase().includes('s')),
    );
    expect((await get('Secrets-Safe/Folders?RootOnly=maybe')).status).toBe(400);
  });
});

describe('legacy base path /eEye.RetinaCS.Server/api/public/v3', () => {
  it('signs in and serves the same data as /BeyondTrust/api/public/v3', async () => {
    const legacy = sim.baseUrl.replace('/BeyondTrust/api/public/v3', '/eEye.RetinaCS.Server/api/public/v3');
    const signInResponse = await fetch(`${legacy}/Auth/SignAppin`, {
      method: 'POST',
      headers: { Authorization: `PS-Auth key=${sim.credentials.apiKey}; runas=${sim.credentials.runas};` },
    });
    expect(signInResponse.status).toBe(200);
    const legacyCookie = (signInResponse.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await signInResponse.arrayBuffer();
    const fromLegacy = await fetch(`${legacy}/ManagedAccounts?limit=5`, { headers: { Cookie: legacyCookie } });
    expect(fromLegacy.status).toBe(200);
    expect(await fromLegacy.text()).toBe((await get('ManagedAccounts?limit=5')).text);
    // One session store: the cookie from the legacy path works on the current path too.
    expect((await call(sim, 'Platforms', { cookie: legacyCookie })).status).toBe(200);
  });
});

describe('field order as the reference lists it', () => {
  const keys = async (path: string, pick: (body: unknown) => Row = (b) => asRows(b)[0] as Row) => Object.keys(pick((await get(path)).body));

  it('ManagedSystems (§2.3)', async () => {
    expect(await keys('ManagedSystems?limit=1', (b) => asContainer(b).Data[0] as Row)).toEqual([
      'ManagedSystemID', 'EntityTypeID', 'AssetID', 'DatabaseID', 'DirectoryID', 'CloudID', 'WorkgroupID', 'HostName', 'DnsName',
      'IPAddress', 'InstanceName', 'IsDefaultInstance', 'Template', 'ForestName', 'UseSSL', 'OracleInternetDirectoryID',
      'OracleInternetDirectoryServiceName', 'SystemName', 'PlatformID', 'NetBiosName', 'Port', 'Timeout', 'Description',
      'ContactEmail', 'PasswordRuleID', 'DSSKeyRuleID', 'ReleaseDuration', 'MaxReleaseDuration', 'ISAReleaseDuration',
      'AutoManagementFlag', 'FunctionalAccountID', 'LoginAccountID', 'ElevationCommand', 'SshKeyEnforcementMode',
      'CheckPasswordFlag', 'ChangePasswordAfterAnyReleaseFlag', 'ResetPasswordOnMismatchFlag', 'ChangeFrequencyType',
      'ChangeFrequencyDays', 'ChangeTime', 'AccountNameFormat', 'RemoteClientType', 'ApplicationHostID', 'IsApplicationHost', 'AccessURL',
    ]);
  });

  it('admin managed accounts (§2.2): the list adds the Windows flags, by-id adds ObjectID', async () => {
    const common = [
      'ManagedAccountID', 'ManagedSystemID', 'DomainName', 'AccountName', 'DistinguishedName', 'PasswordFallbackFlag',
      'UserPrincipalName', 'SAMAccountName', 'LoginAccountFlag', 'Description', 'PasswordRuleID', 'ApiEnabled',
      'ReleaseNotificationEmail', 'ChangeServicesFlag', 'RestartServicesFlag', 'ChangeTasksFlag', 'ReleaseDuration',
      'MaxReleaseDuration', 'ISAReleaseDuration', 'MaxConcurrentRequests', 'AutoManagementFlag', 'DSSAutoManagementFlag',
      'CheckPasswordFlag', 'ResetPasswordOnMismatchFlag', 'ChangePasswordAfterAnyReleaseFlag', 'ChangeFrequencyType',
      'ChangeFrequencyDays', 'ChangeTime', 'ParentAccountID', 'IsSubscribedAccount', 'LastChangeDate', 'NextChangeDate',
      'IsChanging', 'ChangeState', 'UseOwnCredentials', 'WorkgroupID',
    ];
    expect(await keys('ManagedSystems/1/ManagedAccounts')).toEqual([
      ...common, 'ChangeIISAppPoolFlag', 'RestartIISAppPoolFlag', 'ChangeWindowsAutoLogonFlag', 'ChangeComPlusFlag', 'ChangeDComFlag', 'ChangeSComFlag',
    ]);
    expect(await keys('ManagedAccounts/1', (b) => b as Row)).toEqual([...common, 'ObjectID']);
  });

  it('Requests (§2.4), Sessions (§2.8), Workgroups (§2.6)', async () => {
    expect(await keys('Requests')).toEqual([
      'RequestID', 'SystemID', 'SystemName', 'AccountID', 'AccountName', 'DomainName', 'AliasID', 'ApplicationID',
      'RequestReleaseDate', 'ApprovedDate', 'ExpiresDate', 'Status', 'AccessType', 'Reason',
    ]);
    expect(await keys('Sessions')).toEqual([
      'SessionID', 'UserID', 'NodeID', 'Status', 'ArchiveStatus', 'Protocol', 'StartTime', 'EndTime', 'Duration', 'AssetName',
      'ManagedSystemID', 'ManagedAccountID', 'ManagedAccountName', 'RecordKey', 'Token', 'ApplicationID', 'RequestID', 'SessionType',
    ]);
    expect(await keys('Workgroups/1', (b) => b as Row)).toEqual(['OrganizationID', 'ID', 'Name']);
  });

  it('Users and application users, UserGroups (§2.10)', async () => {
    const person = [
      'UserID', 'UserName', 'DomainName', 'DistinguishedName', 'FirstName', 'LastName', 'EmailAddress', 'LastLoginDate',
      'LastLoginAuthenticationType', 'LastLoginConfigurationName', 'LastLoginSAMLIDPURL', 'LastLoginSSOURL', 'IsQuarantined', 'IsActive',
    ];
    expect(await keys('Users/2', (b) => b as Row)).toEqual(person);
    expect(await keys('Users/3', (b) => b as Row)).toEqual([...person, 'ClientID', 'ClientSecret', 'AccessPolicyID', 'UserType']);
    expect(await keys('UserGroups/1', (b) => b as Row)).toEqual([
      'GroupID', 'Name', 'Description', 'DistinguishedName', 'GroupType', 'AccountAttribute', 'MembershipAttribute', 'ApplicationRegistrationIDs', 'IsActive',
    ]);
  });

  it('Platforms, Databases, FunctionalAccounts (§2.11)', async () => {
    expect(await keys('Platforms')).toEqual([
      'PlatformID', 'Name', 'ShortName', 'PortFlag', 'DefaultPort', 'SupportsElevationFlag', 'DomainNameFlag', 'AutoManagementFlag',
      'DSSAutoManagementFlag', 'ManageableFlag', 'DSSFlag', 'LoginAccountFlag', 'DefaultSessionType', 'ApplicationHostFlag',
      'RequiresApplicationHost', 'RequiresTenantID', 'RequiresObjectID', 'RequiresSecret',
    ]);
    expect(await keys('Databases/1', (b) => b as Row)).toEqual(['DatabaseID', 'AssetID', 'PlatformID', 'InstanceName', 'IsDefaultInstance', 'Port', 'Version', 'Template']);
    expect(await keys('FunctionalAccounts')).toEqual([
      'FunctionalAccountID', 'PlatformID', 'DomainName', 'AccountName', 'DisplayName', 'Description', 'ElevationCommand',
      'SystemReferenceCount', 'TenantID', 'ObjectID', 'AzureInstance',
    ]);
  });

  it('Secrets, Folders (§2.9), UserAudits (§2.14)', async () => {
    const secret = [
      'Id', 'Title', 'Description', 'Username', 'OwnerId', 'OwnerType', 'Owner', 'FolderId', 'Folder', 'FolderPath', 'CreatedOn',
      'CreatedBy', 'ModifiedOn', 'ModifiedBy', 'SecretType', 'Notes', 'Urls', 'PasswordRuleID',
    ];
    expect(await keys('Secrets-Safe/Secrets?limit=1')).toEqual(secret);
    expect(await keys('Secrets-Safe/Secrets?limit=1&version=3.2', (b) => asContainer(b).Data[0] as Row)).toEqual([...secret, 'SecretValueModifiedOn']);
    expect(await keys('Secrets-Safe/Folders')).toEqual(['Id', 'Name', 'Description', 'ParentId', 'UserGroupId', 'UserId', 'FolderOwnerId']);
    expect(await keys('UserAudits?limit=1', (b) => asContainer(b).Data[0] as Row)).toEqual([
      'AuditID', 'ActionType', 'Section', 'UserID', 'UserName', 'IPAddress', 'CreateDate',
    ]);
  });
});
