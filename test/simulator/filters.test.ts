import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { asContainer, asRows, call, signIn, type Row } from './helpers.js';

let sim: RunningSimulator;
let cookie: string;
const get = async (path: string) => call(sim, path, { cookie });

beforeAll(async () => {
  sim = await startSimulator({ seed: 21, scale: 3 });
  cookie = await signIn(sim);
});
afterAll(() => sim.stop());

describe('ManagedAccounts filters', () => {
  it('systemName + accountName answers one object; 404 "Managed Account not found" when none', async () => {
    const row = asRows((await get('ManagedAccounts?limit=1&offset=153')).body)[0] as Row;
    const single = await get(`ManagedAccounts?systemname=${String(row['SystemName']).toUpperCase()}&ACCOUNTNAME=${encodeURIComponent(String(row['AccountName']))}`);
    expect(single.status).toBe(200);
    expect(single.body).toEqual(row);
    const missing = await get(`ManagedAccounts?systemName=${String(row['SystemName'])}&accountName=nobody`);
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('Managed Account not found');
  });

  it('domain-linked accounts are found as DOMAIN\\name and as UPN', async () => {
    const accounts = asRows((await get('ManagedAccounts?type=domainlinked&limit=1')).body);
    const row = accounts[0] as Row;
    expect(row['DomainName']).toBe('corp.example.com');
    const system = String(row['SystemName']);
    for (const name of [`CORP\\${String(row['AccountName'])}`, String(row['UserPrincipalName'])]) {
      const found = (await get(`ManagedAccounts?systemName=${system}&accountName=${encodeURIComponent(name)}`)).body as Row;
      expect(found['AccountId']).toBe(row['AccountId']);
    }
  });

  it('type filters by system type and pages inside the filter', async () => {
    const database = asRows((await get('ManagedAccounts?type=database')).body);
    expect(database.length).toBe(300); // 2 of every 20 systems × 10 accounts at 300 systems
    const systemTypes = new Map<unknown, unknown>();
    const systems = asRows((await get('ManagedSystems')).body);
    for (const s of systems) systemTypes.set(s['ManagedSystemID'], s['EntityTypeID']);
    expect(database.every((a) => systemTypes.get(a['SystemId']) === 2)).toBe(true);
    const page = asRows((await get('ManagedAccounts?type=database&limit=7&offset=20')).body);
    expect(page).toEqual(database.slice(20, 27));
    expect(asRows((await get('ManagedAccounts?type=application')).body)).toEqual([]);
    expect((await get('ManagedAccounts?type=bogus')).status).toBe(400);
  });

  it('workgroupName, systemID and ipAddress narrow the list', async () => {
    const workgroups = asRows((await get('Workgroups')).body);
    const name = String(workgroups[1]?.['Name']);
    const inGroup = asRows((await get(`ManagedAccounts?workgroupName=${encodeURIComponent(name)}&limit=5000`)).body);
    const systems = asRows((await get('ManagedSystems')).body).filter((s) => s['WorkgroupID'] === 2);
    expect(inGroup).toHaveLength(systems.length * 10);
    const bySystem = asRows((await get('ManagedAccounts?systemID=42')).body);
    expect(bySystem.map((a) => a['AccountId'])).toEqual([411, 412, 413, 414, 415, 416, 417, 418, 419, 420]);
    const ip = String(systems[0]?.['IPAddress']);
    const byIp = asRows((await get(`ManagedAccounts?ipAddress=${ip}`)).body);
    expect(byIp.every((a) => a['SystemId'] === systems[0]?.['ManagedSystemID'])).toBe(true);
    expect(byIp).toHaveLength(10);
  });

  it('type=recent lists the accounts of the user\'s requests', async () => {
    const requests = asRows((await get('Requests')).body);
    const recent = asRows((await get('ManagedAccounts?type=recent')).body);
    expect(new Set(recent.map((a) => a['AccountId']))).toEqual(new Set(requests.map((r) => r['AccountID'])));
  });
});

describe('other filters', () => {
  it('Sessions status: single value and comma list', async () => {
    const all = asRows((await get('Sessions')).body);
    const completed = asRows((await get('Sessions?status=2')).body);
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.every((s) => s['Status'] === 2)).toBe(true);
    const live = asRows((await get('Sessions?Status=0,1')).body);
    expect(live).toEqual(all.filter((s) => s['Status'] === 0 || s['Status'] === 1));
    expect((await get('Sessions?status=3')).status).toBe(400);
    const user = Number(all[0]?.['UserID']);
    expect(asRows((await get(`Sessions?userID=${user}`)).body)).toEqual(all.filter((s) => s['UserID'] === user));
  });

  it('Requests status all|active|pending', async () => {
    const all = asRows((await get('Requests?status=all')).body);
    const active = asRows((await get('Requests?status=active')).body);
    const pending = asRows((await get('Requests?status=pending')).body);
    expect(active).toEqual(all.filter((r) => r['Status'] === 'Active'));
    expect(pending).toEqual(all.filter((r) => r['Status'] === 'Pending'));
    expect((await get('Requests?status=weird')).status).toBe(400);
  });

  it('Secrets afterdate: created or modified on/after the date', async () => {
    const all = asRows((await get('Secrets-Safe/Secrets?limit=100000')).body);
    const since = '2024-10-01T00:00:00Z';
    const filtered = asRows((await get(`Secrets-Safe/Secrets?afterdate=${since}&limit=100000`)).body);
    const sinceNaive = since.slice(0, 19);
    const expected = all.filter((s) => String(s['CreatedOn']) >= sinceNaive || String(s['ModifiedOn']) >= sinceNaive);
    expect(filtered.map((s) => s['Id'])).toEqual(expected.map((s) => s['Id']));
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(all.length);
    const v32 = asContainer((await get(`Secrets-Safe/Secrets?afterdate=${since}&version=3.2&limit=3`)).body);
    expect(v32.TotalCount).toBe(filtered.length);
    expect((await get('Secrets-Safe/Secrets?afterdate=yesterday')).status).toBe(400);
  });

  it('UserAudits startdate/enddate (inclusive) with newest first', async () => {
    const all = asContainer((await get('UserAudits?limit=100000')).body).Data;
    const start = String(all[300]?.['CreateDate']);
    const end = String(all[100]?.['CreateDate']);
    const window = asContainer((await get(`UserAudits?startdate=${start}&enddate=${end}&limit=100000`)).body);
    expect(window.TotalCount).toBe(201);
    expect(window.Data).toEqual(all.slice(100, 301));
    const page = asContainer((await get(`UserAudits?startdate=${start}&enddate=${end}&limit=50&offset=200`)).body);
    expect(page.Data).toEqual(all.slice(300, 301));
  });
});
