import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { BEYONDTRUST_CATALOG, findCatalogEntry } from '../../src/beyondtrust/catalog.js';
import { beyondtrustSource } from '../../src/beyondtrust/source.js';
import { compareCursor } from '../../src/rest/cursor-value.js';
import { startSimulator, type EntityCounts, type RunningSimulator } from '../../src/simulator/index.js';
import { collect, expectUnique, FAST_HTTP, keysOf, oauth, psAuth } from './helpers/sim.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const COUNT_OF: Record<string, keyof EntityCounts> = {
  managed_accounts: 'managedAccounts',
  managed_systems: 'managedSystems',
  workgroups: 'workgroups',
  assets: 'assets',
  sessions: 'sessions',
  requests: 'requests',
  users: 'users',
  user_groups: 'userGroups',
  platforms: 'platforms',
  functional_accounts: 'functionalAccounts',
  databases: 'databases',
  secrets: 'secrets',
  folders: 'folders',
  user_audits: 'userAudits',
  attribute_types: 'attributeTypes',
};

describe('beyondtrustSource against the simulator', () => {
  it('loads every default resource with PS-Auth: exact counts, unique keys, sensitive fields gone, one sign-in and one sign-out', async () => {
    sim = await startSimulator({ port: 0, seed: 11, scale: 1 });
    const source = beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), httpOptions: FAST_HTTP });
    expect(source.name).toBe('beyondtrust_source');
    const selected = source.resources.filter((r) => r.selected).map((r) => r.name);
    expect(selected).toEqual(BEYONDTRUST_CATALOG.filter((e) => !e.opt_in).map((e) => e.table));
    const { rows, events } = await collect(source);
    for (const [table, countKey] of Object.entries(COUNT_OF)) {
      const loaded = rows.get(table) ?? [];
      expect({ table, rows: loaded.length }).toEqual({ table, rows: sim.counts[countKey] });
      const entry = findCatalogEntry(table);
      expect(expectUnique(keysOf(loaded, entry?.primary_key ?? []))).toBe(true);
    }
    expect((rows.get('attributes') ?? []).length).toBeGreaterThan(0);
    for (const session of rows.get('sessions') ?? []) {
      expect(session).not.toHaveProperty('Token');
      expect(session).not.toHaveProperty('RecordKey');
    }
    for (const secret of rows.get('secrets') ?? []) expect(secret).not.toHaveProperty('Password');
    expect(sim.stats.signIns).toBe(1);
    expect(sim.stats.signOuts).toBe(1);
    expect(sim.stats.byStatus['401']).toBeUndefined();
    expect(Object.keys(sim.stats.byRoute).some((route) => route.startsWith('POST Requests') || route.startsWith('GET Credentials'))).toBe(false);
    // Assets are listed per workgroup: one request per workgroup, all assets accounted for.
    expect(sim.stats.byRoute['GET Workgroups/{id}/Assets']).toBe(sim.counts.workgroups);
    const done = events.filter((e) => e.type === 'resource_done').map((e) => (e.type === 'resource_done' ? e.resource : ''));
    expect(done.sort()).toEqual([...selected].sort());
  });

  it('loads with OAuth2 client credentials (token → SignAppin cookie → Signout)', async () => {
    sim = await startSimulator({ port: 0, seed: 12, scale: 1 });
    const { rows } = await collect(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: oauth(sim), resources: ['managed_systems', 'workgroups'] }));
    expect(rows.get('managed_systems')).toHaveLength(sim.counts.managedSystems);
    expect(rows.get('workgroups')).toHaveLength(sim.counts.workgroups);
    expect(sim.stats.tokenRequests).toBe(1);
    expect(sim.stats.signIns).toBe(1);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('signs in again after forced session expiry, with exact counts', async () => {
    sim = await startSimulator({ port: 0, seed: 13, scale: 3, faults: 'expire:4' });
    const source = beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), resources: ['managed_accounts', 'managed_systems'], pageSize: 500, concurrency: 1 });
    const { rows, events } = await collect(source);
    expect(rows.get('managed_accounts')).toHaveLength(sim.counts.managedAccounts);
    expect(rows.get('managed_systems')).toHaveLength(sim.counts.managedSystems);
    const expired = sim.stats.faultsInjected['expire'] ?? 0;
    expect(expired).toBeGreaterThan(0);
    expect(sim.stats.signIns).toBe(1 + expired);
    expect(events.filter((e) => e.type === 'reauth')).toHaveLength(expired);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('retries through every fault kind with exact counts and no duplicate keys', async () => {
    sim = await startSimulator({
      port: 0,
      seed: 14,
      scale: 5,
      faults: { rates: { '500': 0.04, '502': 0.04, '503': 0.04, '429': 0.04, reset: 0.04 }, malformedEvery: 5, retryAfterSeconds: 0 },
    });
    const source = beyondtrustSource({
      baseUrl: sim.baseUrl,
      credentials: psAuth(sim),
      resources: ['managed_accounts', 'managed_systems', 'assets', 'user_audits'],
      pageSize: 100,
      httpOptions: FAST_HTTP,
    });
    const { rows, events } = await collect(source);
    expect(rows.get('managed_accounts')).toHaveLength(sim.counts.managedAccounts);
    expect(rows.get('managed_systems')).toHaveLength(sim.counts.managedSystems);
    expect(rows.get('assets')).toHaveLength(sim.counts.assets);
    expect(rows.get('user_audits')).toHaveLength(sim.counts.userAudits);
    expect(expectUnique(keysOf(rows.get('managed_accounts') ?? [], ['SystemId', 'AccountId']))).toBe(true);
    expect(expectUnique(keysOf(rows.get('assets') ?? [], ['AssetID']))).toBe(true);
    for (const kind of ['500', '502', '503', '429', 'reset', 'malformed']) {
      expect({ kind, injected: (sim.stats.faultsInjected[kind] ?? 0) > 0 }).toEqual({ kind, injected: true });
    }
    const retried = events.filter((e) => e.type === 'retry').length;
    const statusFaults = ['500', '502', '503', '429', 'reset'].reduce((n, k) => n + (sim?.stats.faultsInjected[k] ?? 0), 0);
    expect(retried).toBe(statusFaults);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('signs out exactly once after a failure and after the consumer stops early', async () => {
    sim = await startSimulator({ port: 0, seed: 15, scale: 2 });
    const early = await collect(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), resources: ['managed_accounts'], pageSize: 100 }), { stopAfter: 2 });
    expect(early.pages).toBe(2);
    expect(sim.stats.signOuts).toBe(1);

    sim.faults.set({ rates: { '503': 1 }, retryAfterSeconds: 0 });
    await expect(collect(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), resources: ['workgroups'], httpOptions: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } } }))).rejects.toMatchObject({
      code: 'BT_HTTP_503',
    });
    expect(sim.stats.signIns).toBe(2);
    expect(sim.stats.signOuts).toBe(2);
  });

  it('pages 100,000 managed accounts (scale 100): exact count, unique keys, 100 pages', async () => {
    sim = await startSimulator({ port: 0, seed: 16, scale: 100 });
    const source = beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), resources: ['managed_accounts'] });
    let count = 0;
    let pages = 0;
    const keys = new Set<number>();
    for await (const page of source.extract({ state: {} })) {
      pages += 1;
      count += page.items.length;
      for (const row of page.items) keys.add((row['SystemId'] as number) * 100_000 + (row['AccountId'] as number));
    }
    expect(count).toBe(100_000);
    expect(sim.counts.managedAccounts).toBe(100_000);
    expect(keys.size).toBe(100_000);
    expect(pages).toBe(100);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('holds no pages: the live heap after GC at 200,000 rows stays within 1.5x that at 20,000 (+8 MB)', async () => {
    // A full GC on demand: vitest workers run without --expose-gc, so switch the flag on and take `gc` from a fresh
    // context. Post-GC heap counts only what is still referenced, so an extractor that keeps pages grows with the rows.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const growth = async (rows: number): Promise<number> => {
      const local = await startSimulator({ port: 0, seed: 16, scale: rows / 1000 });
      try {
        const source = beyondtrustSource({ baseUrl: local.baseUrl, credentials: psAuth(local), resources: ['managed_accounts'] });
        gc();
        const base = process.memoryUsage().heapUsed;
        let peak = 0;
        let count = 0;
        let pages = 0;
        for await (const page of source.extract({ state: {} })) {
          count += page.items.length;
          pages += 1;
          if (pages % 10 === 0) {
            gc();
            peak = Math.max(peak, process.memoryUsage().heapUsed - base);
          }
        }
        expect(count).toBe(rows);
        return peak;
      } finally {
        await local.stop();
      }
    };
    const small = await growth(20_000);
    const large = await growth(200_000);
    expect({ small, large, within: large < 1.5 * Math.max(small, 0) + 8 * 1024 * 1024 }).toMatchObject({ within: true });
  });

  it('fans out managed_system_accounts (opt-in) one request per system', async () => {
    sim = await startSimulator({ port: 0, seed: 17, scale: 1 });
    const source = beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), resources: ['managed_system_accounts'] });
    expect(source.resources.find((r) => r.name === 'managed_systems')?.selected).toBe(false);
    const { rows } = await collect(source);
    expect(rows.has('managed_systems')).toBe(false);
    const accounts = rows.get('managed_system_accounts') ?? [];
    expect(accounts.length).toBe(sim.counts.managedSystems * 10);
    expect(expectUnique(keysOf(accounts, ['ManagedAccountID']))).toBe(true);
    expect(sim.stats.byRoute['GET ManagedSystems/{id}/ManagedAccounts']).toBe(sim.counts.managedSystems);
  });

  it('loads secrets and user audits incrementally: the second run after advance() yields only what changed', async () => {
    sim = await startSimulator({ port: 0, seed: 18, scale: 2 });
    const make = () => beyondtrustSource({ baseUrl: sim!.baseUrl, credentials: psAuth(sim!), resources: ['secrets', 'user_audits'], pageSize: 300 });
    const first = await collect(make());
    expect(first.rows.get('secrets')).toHaveLength(sim.counts.secrets);
    expect(first.rows.get('user_audits')).toHaveLength(sim.counts.userAudits);
    const secretCursor = first.state['secrets']?.incremental?.last_value;
    const auditCursor = first.state['user_audits']?.incremental?.last_value;
    expect(typeof secretCursor).toBe('string');

    sim.advance();
    const second = await collect(make(), { state: first.state });
    const full = await collect(make());
    const changedSecrets = (full.rows.get('secrets') ?? []).filter((r) => compareCursor(r['ModifiedOn'], secretCursor) > 0).map((r) => r['Id']);
    const newAudits = (full.rows.get('user_audits') ?? []).filter((r) => compareCursor(r['CreateDate'], auditCursor) > 0).map((r) => r['AuditID']);
    expect(changedSecrets.length).toBeGreaterThan(0);
    expect(newAudits.length).toBeGreaterThan(0);
    expect((second.rows.get('secrets') ?? []).map((r) => r['Id']).sort()).toEqual(changedSecrets.sort());
    expect((second.rows.get('user_audits') ?? []).map((r) => r['AuditID']).sort()).toEqual(newAudits.sort());
    expect(compareCursor(second.state['secrets']?.incremental?.last_value, secretCursor)).toBeGreaterThan(0);
    expect(sim.stats.byRoute['GET Secrets-Safe/Secrets']).toBeGreaterThan(0);
  });

  it('checks credential retrievability only when enabled, never reading the credential', async () => {
    sim = await startSimulator({ port: 0, seed: 19, scale: 1 });
    expect(() => beyondtrustSource({ baseUrl: sim!.baseUrl, credentials: psAuth(sim!), resources: ['credentials'] })).toThrow(
      expect.objectContaining({ code: 'CREDENTIALS_NOT_ENABLED' }),
    );
    const source = beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), resources: ['requests', 'credentials'], enableCredentials: true });
    const { rows } = await collect(source);
    const requests = rows.get('requests') ?? [];
    const active = requests.filter((r) => r['Status'] === 'Active');
    const checks = rows.get('credentials') ?? [];
    expect(active.length).toBeGreaterThan(0);
    expect(checks).toHaveLength(active.length);
    for (const check of checks) {
      expect(Object.keys(check).sort()).toEqual(['AccountID', 'AccountName', 'RequestID', 'SystemID', 'checked_at', 'outcome', 'retrievable']);
      expect(check['outcome']).toBe('ok');
      expect(check['retrievable']).toBe(true);
    }
    expect(sim.stats.byRoute['GET Credentials/{id}']).toBe(active.length);
    expect(Object.keys(sim.stats.byRoute).filter((route) => route.startsWith('POST') || route.startsWith('PUT')).sort()).toEqual(['POST Auth/SignAppin', 'POST Auth/Signout']);
  });

  it('rejects unknown resources and missing connection settings', () => {
    expect(() => beyondtrustSource({ baseUrl: 'http://127.0.0.1:1/x', credentials: { kind: 'oauth2_client_credentials', clientId: undefined as never, clientSecret: undefined as never }, resources: ['nope'] })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_RESOURCE', message: expect.stringContaining('managed_accounts') }),
    );
    expect(() => beyondtrustSource()).toThrow(expect.objectContaining({ code: 'CONFIG_MISSING' }));
  });
});
