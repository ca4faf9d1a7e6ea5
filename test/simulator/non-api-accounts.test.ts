/**
 * Accounts without "Enable for API Access" (SimulatorOptions.nonApiAccounts, off by default): listed in the admin
 * views with ApiEnabled false, absent from GET ManagedAccounts, and POST Requests for them answers 403 `4031`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityCounts, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { asRows, call, signIn, type Row } from './helpers.js';

async function allRequestable(sim: RunningSimulator, cookie: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = asRows((await call(sim, `ManagedAccounts?limit=1000&offset=${offset}`, { cookie })).body);
    rows.push(...page);
    if (page.length < 1000) return rows;
  }
}

describe('non-API-enabled accounts (nonApiAccounts: 3)', () => {
  let sim: RunningSimulator;
  let plain: RunningSimulator;
  let cookie: string;
  let plainCookie: string;
  beforeAll(async () => {
    [sim, plain] = await Promise.all([startSimulator({ seed: 6, nonApiAccounts: 3 }), startSimulator({ seed: 6 })]);
    [cookie, plainCookie] = await Promise.all([signIn(sim), signIn(plain)]);
  });
  afterAll(() => Promise.all([sim.stop(), plain.stop()]));

  it('changes no count and not a byte of GET ManagedAccounts', async () => {
    expect(sim.counts).toEqual(entityCounts(1));
    const rows = await allRequestable(sim, cookie);
    expect(rows).toHaveLength(sim.counts.managedAccounts);
    expect(Math.max(...rows.map((r) => Number(r['AccountId'])))).toBe(sim.counts.managedAccounts);
    const [withExtras, without] = await Promise.all([
      call(sim, 'ManagedAccounts?type=system&limit=1000', { cookie }),
      call(plain, 'ManagedAccounts?type=system&limit=1000', { cookie: plainCookie }),
    ]);
    expect(withExtras.text).toBe(without.text);
  });

  it('lists them in the admin views with ApiEnabled false (extra k on system k + 1, AccountId after the others)', async () => {
    for (let k = 0; k < 3; k++) {
      const system = k + 1;
      const accounts = asRows((await call(sim, `ManagedSystems/${system}/ManagedAccounts`, { cookie })).body);
      expect(accounts).toHaveLength(11);
      const extra = accounts[10] as Row;
      expect(extra).toMatchObject({ ManagedAccountID: 1001 + k, ManagedSystemID: system, AccountName: `svc_noapi_${k + 1}`, ApiEnabled: false });
      expect(accounts.slice(0, 10).every((a) => a['ApiEnabled'] === true)).toBe(true);
      // The first ten are exactly what the simulator without the option serves.
      expect(accounts.slice(0, 10)).toEqual(asRows((await call(plain, `ManagedSystems/${system}/ManagedAccounts`, { cookie: plainCookie })).body));
      const byName = (await call(sim, `ManagedSystems/${system}/ManagedAccounts?name=SVC_NOAPI_${k + 1}`, { cookie })).body as Row;
      expect(byName).toEqual(extra);
      const byId = (await call(sim, `ManagedAccounts/${1001 + k}`, { cookie })).body as Row;
      expect(byId).toMatchObject({ ManagedAccountID: 1001 + k, ManagedSystemID: system, ApiEnabled: false });
    }
    expect(asRows((await call(sim, 'ManagedSystems/4/ManagedAccounts', { cookie })).body)).toHaveLength(10);
    expect((await call(sim, 'ManagedAccounts/1004', { cookie })).status).toBe(404);
  });

  it('does not find them in the requestable list, even by systemName + accountName', async () => {
    const system = (await call(sim, 'ManagedSystems/1', { cookie })).body as Row;
    const lookup = await call(sim, `ManagedAccounts?systemName=${String(system['SystemName'])}&accountName=svc_noapi_1`, { cookie });
    expect(lookup.status).toBe(404);
    expect(lookup.body).toBe('Managed Account not found');
    expect(asRows((await call(sim, 'ManagedAccounts?systemID=1', { cookie })).body).map((a) => a['AccountId'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('POST Requests for one answers 403 with body 4031; the wrong system is still 404', async () => {
    const refused = await call(sim, 'Requests', { cookie, method: 'POST', body: { SystemID: 2, AccountID: 1002, DurationMinutes: 30 } });
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('4031');
    expect((await call(sim, 'Requests', { cookie, method: 'POST', body: { SystemID: 1, AccountID: 1002 } })).status).toBe(404);
    expect(asRows((await call(sim, 'Requests', { cookie })).body).some((r) => r['AccountID'] === 1002)).toBe(false);
  });

  it('is off by default: no extra accounts, every account API-enabled', async () => {
    const accounts = asRows((await call(plain, 'ManagedSystems/1/ManagedAccounts', { cookie: plainCookie })).body);
    expect(accounts).toHaveLength(10);
    expect(accounts.every((a) => a['ApiEnabled'] === true)).toBe(true);
    expect((await call(plain, 'ManagedAccounts/1001', { cookie: plainCookie })).status).toBe(404);
    expect((await call(plain, 'Requests', { cookie: plainCookie, method: 'POST', body: { SystemID: 1, AccountID: 1001 } })).status).toBe(404);
  });

  it('rejects a bad option with SIMULATOR_OPTIONS', async () => {
    await expect(startSimulator({ nonApiAccounts: -1 })).rejects.toMatchObject({ code: 'SIMULATOR_OPTIONS' });
    await expect(startSimulator({ nonApiAccounts: 1.5 })).rejects.toMatchObject({ code: 'SIMULATOR_OPTIONS' });
  });
});
