import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityCounts, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { asContainer, asRows, call, signIn, type Row } from './helpers.js';

describe('paging to the end at scale 20', () => {
  let sim: RunningSimulator;
  let cookie: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, scale: 20 });
    cookie = await signIn(sim);
  });
  afterAll(() => sim.stop());

  async function pageArray(path: string, limit: number): Promise<Row[]> {
    const all: Row[] = [];
    for (let offset = 0; ; offset += limit) {
      const page = asRows((await call(sim, `${path}${path.includes('?') ? '&' : '?'}limit=${limit}&offset=${offset}`, { cookie })).body);
      all.push(...page);
      if (page.length < limit) return all;
    }
  }

  async function pageContainer(path: string, limit: number): Promise<{ rows: Row[]; totals: Set<number> }> {
    const rows: Row[] = [];
    const totals = new Set<number>();
    for (let offset = 0; ; offset += limit) {
      const page = asContainer((await call(sim, `${path}${path.includes('?') ? '&' : '?'}limit=${limit}&offset=${offset}`, { cookie })).body);
      totals.add(page.TotalCount);
      rows.push(...page.Data);
      if (page.Data.length === 0 || offset + page.Data.length >= page.TotalCount) return { rows, totals };
    }
  }

  it('serves exactly entityCounts(20) managed accounts without duplicate keys', async () => {
    const counts = entityCounts(20);
    expect(sim.counts).toEqual(counts);
    expect(counts.managedAccounts).toBe(20_000);
    const rows = await pageArray('ManagedAccounts', 1000);
    expect(rows).toHaveLength(counts.managedAccounts);
    expect(new Set(rows.map((r) => `${String(r['SystemId'])}/${String(r['AccountId'])}`)).size).toBe(counts.managedAccounts);
    // Relations: every account's SystemId is a managed system.
    const systemIds = new Set(rows.map((r) => r['SystemId']));
    expect(systemIds.size).toBe(counts.managedSystems);
  });

  it('serves every managed system, asset and secret once', async () => {
    const counts = sim.counts;
    const systems = await pageContainer('ManagedSystems', 700);
    expect(systems.totals).toEqual(new Set([counts.managedSystems]));
    expect(new Set(systems.rows.map((r) => r['ManagedSystemID'])).size).toBe(counts.managedSystems);

    const workgroups = asRows((await call(sim, 'Workgroups', { cookie })).body);
    expect(workgroups).toHaveLength(counts.workgroups);
    const assetIds = new Set<unknown>();
    for (const workgroup of workgroups) {
      const { rows } = await pageContainer(`Workgroups/${String(workgroup['ID'])}/Assets`, 300);
      for (const row of rows) assetIds.add(row['AssetID']);
    }
    expect(assetIds.size).toBe(counts.assets);

    const secrets = await pageContainer('Secrets-Safe/Secrets?version=3.2', 500);
    expect(new Set(secrets.rows.map((r) => r['Id'])).size).toBe(counts.secrets);
    const audits = await pageContainer('UserAudits', 1000);
    expect(new Set(audits.rows.map((r) => r['AuditID'])).size).toBe(counts.userAudits);
    const folders = await pageArray('Secrets-Safe/Folders', 30);
    expect(folders).toHaveLength(counts.folders);
  });

  it('keeps relations consistent: sessions and requests point at real accounts and systems', async () => {
    const sessions = asRows((await call(sim, 'Sessions', { cookie })).body);
    expect(sessions).toHaveLength(sim.counts.sessions);
    for (const session of sessions.slice(0, 50)) {
      const account = (await call(sim, `ManagedAccounts/${String(session['ManagedAccountID'])}`, { cookie })).body as Row;
      expect(account['ManagedSystemID']).toBe(session['ManagedSystemID']);
      expect(account['AccountName']).toBe(session['ManagedAccountName']);
    }
    const requests = asRows((await call(sim, 'Requests', { cookie })).body);
    for (const request of requests.slice(0, 20)) {
      const systemName = encodeURIComponent(String(request['SystemName']));
      const accountName = encodeURIComponent(String(request['AccountName']));
      const account = (await call(sim, `ManagedAccounts?systemName=${systemName}&accountName=${accountName}`, { cookie })).body as Row;
      expect(account['AccountId']).toBe(request['AccountID']);
    }
  });
});

describe('determinism and simulated time', () => {
  it('serves identical data for the same seed and different data for another seed', async () => {
    const [a, b, c] = await Promise.all([startSimulator({ seed: 9 }), startSimulator({ seed: 9 }), startSimulator({ seed: 10 })]);
    try {
      const texts = await Promise.all(
        [a, b, c].map(async (sim) => (await call(sim, 'ManagedAccounts?limit=50', { cookie: await signIn(sim) })).text),
      );
      expect(texts[0]).toBe(texts[1]);
      expect(texts[0]).not.toBe(texts[2]);
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });

  it('advance() changes ~changedFraction of LastChangeDate / ModifiedOn and appends UserAudits', async () => {
    const sim = await startSimulator({ seed: 4, scale: 2 });
    try {
      const cookie = await signIn(sim);
      const before = asRows((await call(sim, 'ManagedAccounts?limit=2000', { cookie })).body);
      const secretsBefore = asRows((await call(sim, 'Secrets-Safe/Secrets', { cookie })).body);
      sim.advance({ changedFraction: 0.1 });
      const after = asRows((await call(sim, 'ManagedAccounts?limit=2000', { cookie })).body);
      const changed = after.filter((row, i) => row['LastChangeDate'] !== before[i]?.['LastChangeDate']);
      expect(changed.length).toBeGreaterThan(120);
      expect(changed.length).toBeLessThan(280);
      for (const row of changed) expect(String(row['LastChangeDate']) >= '2025-01-15T12:00:00').toBe(true);
      // Nothing else about a changed row moves.
      const index = after.indexOf(changed[0] as Row);
      expect({ ...changed[0], LastChangeDate: null, NextChangeDate: null }).toEqual({ ...before[index], LastChangeDate: null, NextChangeDate: null });
      const secretsAfter = asRows((await call(sim, 'Secrets-Safe/Secrets', { cookie })).body);
      expect(secretsAfter.filter((s, i) => s['ModifiedOn'] !== secretsBefore[i]?.['ModifiedOn']).length).toBeGreaterThan(5);
      const audits = asContainer((await call(sim, 'UserAudits?limit=1', { cookie })).body);
      expect(audits.TotalCount).toBeGreaterThan(sim.counts.userAudits);
      expect(String(audits.Data[0]?.['CreateDate']) >= '2025-01-15T12:00:00').toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
