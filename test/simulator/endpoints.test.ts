import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityCounts, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { asContainer, asRows, call, signIn, type Row } from './helpers.js';

const DOTNET_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let sim: RunningSimulator;
let cookie: string;
const get = async (path: string) => call(sim, path, { cookie });

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, scale: 2 });
  cookie = await signIn(sim);
});
afterAll(() => sim.stop());

describe('endpoint shapes and field casing', () => {
  it('GET ManagedAccounts: bare array with and without limit, default limit 1000, requestable-list casing', async () => {
    const noLimit = asRows((await get('ManagedAccounts')).body);
    expect(noLimit).toHaveLength(1000);
    expect(sim.counts.managedAccounts).toBe(2000);
    const limited = asRows((await get('ManagedAccounts?limit=5&offset=10')).body);
    expect(limited.map((r) => r['AccountId'])).toEqual([11, 12, 13, 14, 15]);
    const row = limited[0] as Row;
    expect(Object.keys(row)).toEqual([
      'PlatformID', 'SystemId', 'SystemName', 'DomainName', 'AccountId', 'AccountName', 'InstanceName', 'UserPrincipalName',
      'ApplicationID', 'ApplicationDisplayName', 'DefaultReleaseDuration', 'MaximumReleaseDuration', 'LastChangeDate',
      'NextChangeDate', 'IsChanging', 'ChangeState', 'IsISAAccess', 'PreferredNodeID', 'AccountDescription',
    ]);
    expect(row['SystemId']).toBe(2);
    expect(row['PreferredNodeID']).toMatch(GUID);
    for (const r of noLimit) if (r['LastChangeDate'] !== null) expect(r['LastChangeDate']).toMatch(DOTNET_DATE);
    const fractionLengths = new Set(noLimit.map((r) => String(r['LastChangeDate'] ?? '').split('.')[1]?.length ?? 0));
    expect(fractionLengths.size).toBeGreaterThanOrEqual(5); // varying 0–7 fraction digits
    expect(noLimit.some((r) => r['LastChangeDate'] === null)).toBe(true);
  });

  it('GET ManagedSystems: bare array without limit, {TotalCount, Data} with it; offset only with limit', async () => {
    const all = asRows((await get('ManagedSystems?offset=50')).body);
    expect(all).toHaveLength(sim.counts.managedSystems);
    expect(all[0]?.['ManagedSystemID']).toBe(1);
    const page = asContainer((await get('ManagedSystems?limit=10&offset=195')).body);
    expect(page.TotalCount).toBe(200);
    expect(page.Data.map((r) => r['ManagedSystemID'])).toEqual([196, 197, 198, 199, 200]);
    expect(Object.keys(page.Data[0] as Row)).toContain('ChangeTime');
    expect((page.Data[0] as Row)['ChangeTime']).toMatch(/^\d{2}:\d{2}$/);
  });

  it('GET ManagedSystems/{id}/ManagedAccounts: admin view casing, 10 accounts, by name, 404', async () => {
    const rows = asRows((await get('ManagedSystems/7/ManagedAccounts')).body);
    expect(rows.map((r) => r['ManagedAccountID'])).toEqual([61, 62, 63, 64, 65, 66, 67, 68, 69, 70]);
    expect(rows.every((r) => r['ManagedSystemID'] === 7 && r['ApiEnabled'] === true)).toBe(true);
    const byName = (await get(`ManagedSystems/7/ManagedAccounts?name=${encodeURIComponent(String(rows[3]?.['AccountName']))}`)).body as Row;
    expect(byName['ManagedAccountID']).toBe(64);
    expect((await get('ManagedSystems/9999/ManagedAccounts')).status).toBe(404);
    const single = (await get('ManagedAccounts/64')).body as Row;
    expect(single['ManagedAccountID']).toBe(64);
    expect(single).toHaveProperty('ObjectID');
  });

  it('GET Workgroups (ID/OrganizationID/Name) and Workgroups/{id|name}/Assets', async () => {
    const workgroups = asRows((await get('Workgroups')).body);
    expect(workgroups).toHaveLength(sim.counts.workgroups);
    expect(Object.keys(workgroups[0] as Row)).toEqual(['OrganizationID', 'ID', 'Name']);
    expect(workgroups[0]).toMatchObject({ ID: 1, Name: 'BeyondTrust Workgroup' });
    const assets = asRows((await get('Workgroups/2/Assets')).body);
    expect(assets.every((a) => a['WorkgroupID'] === 2)).toBe(true);
    const byName = asRows((await get(`Workgroups/${encodeURIComponent(String(workgroups[1]?.['Name']))}/Assets`)).body);
    expect(byName).toEqual(assets);
    const paged = asContainer((await get('Workgroups/2/Assets?limit=3')).body);
    expect(paged.TotalCount).toBe(assets.length);
    expect(paged.Data).toEqual(assets.slice(0, 3));
    expect(Object.keys(assets[0] as Row).slice(0, 11)).toEqual([
      'WorkgroupID', 'AssetID', 'AssetName', 'DnsName', 'DomainName', 'IPAddress', 'MacAddress', 'AssetType', 'OperatingSystem', 'CreateDate', 'LastUpdateDate',
    ]);
    const asset = (await get(`Assets/${String(assets[0]?.['AssetID'])}`)).body;
    expect(asset).toEqual(assets[0]);
    expect((await get('Assets/0')).status).toBe(404);
    expect((await get('Workgroups/NoSuchGroup/Assets')).status).toBe(404);
  });

  it('GET Sessions carries Token and RecordKey like the real API', async () => {
    const sessions = asRows((await get('Sessions')).body);
    expect(sessions).toHaveLength(sim.counts.sessions);
    const session = sessions[0] as Row;
    expect(session).toHaveProperty('SessionID', 1);
    expect(session['Token']).toMatch(/^[0-9a-f]{32}$/);
    expect(session['RecordKey']).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions.some((s) => s['StartTime'] === null || s['EndTime'] === null)).toBe(true);
  });

  it('GET Requests, Users, UserGroups, Platforms, FunctionalAccounts, Databases are bare arrays of the right size', async () => {
    const counts = entityCounts(2);
    const expectations: Array<[string, number, string]> = [
      ['Requests', counts.requests, 'RequestID'],
      ['Users', counts.users, 'UserID'],
      ['UserGroups', counts.userGroups, 'GroupID'],
      ['Platforms', counts.platforms, 'PlatformID'],
      ['FunctionalAccounts', counts.functionalAccounts, 'FunctionalAccountID'],
      ['Databases', counts.databases, 'DatabaseID'],
    ];
    for (const [path, count, key] of expectations) {
      const rows = asRows((await get(path)).body);
      expect(rows, path).toHaveLength(count);
      expect(new Set(rows.map((r) => r[key])).size, path).toBe(count);
      // Endpoints without documented paging ignore limit.
      expect(asRows((await get(`${path}?limit=1`)).body), path).toHaveLength(count);
    }
    const users = asRows((await get('Users')).body);
    expect(users[1]?.['UserName']).toBe('svc_loader');
    const app = users.find((u) => u['UserType'] === 'Application');
    expect(app).toMatchObject({ ClientSecret: null });
    const groups = asRows((await get('UserGroups')).body);
    expect(groups.every((g) => Array.isArray(g['ApplicationRegistrationIDs']))).toBe(true);
    const byName = (await get('Users?UserName=svc_loader')).body as Row;
    expect(byName['UserID']).toBe(2);
  });

  it('GET Secrets-Safe/Secrets: bare array by default, container at version=3.2, Password only with decrypt', async () => {
    const plain = asRows((await get('Secrets-Safe/Secrets')).body);
    expect(plain).toHaveLength(sim.counts.secrets);
    expect(plain.some((s) => 'Password' in s)).toBe(false);
    expect(plain.every((s) => String(s['Id']).match(GUID) && Array.isArray(s['Urls']))).toBe(true);
    expect(plain.some((s) => (s['Urls'] as Row[]).length > 0 && (s['Urls'] as Row[])[0]?.['CredentialId'] === s['Id'])).toBe(true);
    const v32 = asContainer((await get('Secrets-Safe/Secrets?version=3.2&limit=10&offset=5')).body);
    expect(v32.TotalCount).toBe(sim.counts.secrets);
    expect(v32.Data.map((s) => s['Id'])).toEqual(plain.slice(5, 15).map((s) => s['Id']));
    expect(v32.Data[0]).toHaveProperty('SecretValueModifiedOn');
    const decrypted = asRows((await get('Secrets-Safe/Secrets?decrypt=true&limit=50')).body);
    const credentials = decrypted.filter((s) => s['SecretType'] === 'Credential');
    expect(credentials.length).toBeGreaterThan(0);
    expect(credentials.every((s) => typeof s['Password'] === 'string')).toBe(true);
  });

  it('GET Secrets-Safe/Folders: array with Limit/Offset and a parent tree', async () => {
    const folders = asRows((await get('Secrets-Safe/Folders')).body);
    expect(folders).toHaveLength(sim.counts.folders);
    const ids = new Set(folders.map((f) => f['Id']));
    expect(folders.filter((f) => f['ParentId'] === null).length).toBe(4);
    expect(folders.every((f) => f['ParentId'] === null || ids.has(f['ParentId']))).toBe(true);
    expect(asRows((await get('Secrets-Safe/Folders?Limit=2&Offset=1')).body)).toEqual(folders.slice(1, 3));
    expect(asRows((await get('Secrets-Safe/Folders?RootOnly=true')).body)).toHaveLength(4);
  });

  it('GET UserAudits: {TotalCount, Data}, newest first, CreateDate with Z', async () => {
    const audits = asContainer((await get('UserAudits?limit=20')).body);
    expect(audits.TotalCount).toBe(sim.counts.userAudits);
    expect(audits.Data).toHaveLength(20);
    expect(audits.Data[0]?.['AuditID']).toBe(sim.counts.userAudits);
    const dates = audits.Data.map((a) => String(a['CreateDate']));
    expect(dates.every((d) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(d))).toBe(true);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('GET AttributeTypes and nested ChildAttributes trees', async () => {
    const types = asRows((await get('AttributeTypes')).body);
    expect(types).toHaveLength(sim.counts.attributeTypes);
    const tree = asRows((await get('AttributeTypes/1/Attributes')).body);
    const engineering = tree.find((a) => a['ShortName'] === 'ENG') as Row;
    const platform = (engineering['ChildAttributes'] as Row[]).find((a) => a['ShortName'] === 'PLAT') as Row;
    expect(platform['ParentAttributeID']).toBe(engineering['AttributeID']);
    expect((platform['ChildAttributes'] as Row[])[0]?.['ShortName']).toBe('SRE');
  });
});

describe('routing', () => {
  it('matches paths and query parameter names case-insensitively', async () => {
    const upper = await get('MANAGEDSYSTEMS?LIMIT=2&OFFSET=1');
    const lower = await get('managedsystems?limit=2&offset=1');
    expect(upper.status).toBe(200);
    expect(upper.text).toBe(lower.text);
    expect(asContainer(upper.body).Data.map((r) => r['ManagedSystemID'])).toEqual([2, 3]);
    const secrets = await call(sim, 'secrets-safe/secrets?Version=3.2&Limit=1', { cookie });
    expect(asContainer(secrets.body).Data).toHaveLength(1);
    const base = sim.baseUrl.replace('/BeyondTrust/api/public/v3', '/beyondtrust/API/Public/V3');
    expect((await fetch(`${base}/platforms`, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    expect((await get('NoSuchThing')).status).toBe(404);
    expect((await fetch(sim.baseUrl.replace('/v3', '/v9'))).status).toBe(404);
    expect((await call(sim, 'Platforms', { cookie, method: 'DELETE' })).status).toBe(405);
    expect(sim.stats.byRoute['GET Platforms']).toBeGreaterThan(0);
  });

  it('answers 400 for a non-integer limit', async () => {
    expect((await get('ManagedAccounts?limit=abc')).status).toBe(400);
    expect((await get('ManagedAccounts?limit=0')).status).toBe(400);
  });
});
