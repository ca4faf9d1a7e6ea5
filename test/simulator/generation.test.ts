import { describe, expect, it } from 'vitest';
import { entityCounts, startSimulator } from '../../src/simulator/index.js';
import { FanOutSelection, PeriodicSelection } from '../../src/simulator/selection.js';
import { dotnetDate, indexForIp, ipForIndex, parseApiDate } from '../../src/simulator/values.js';
import { asRows, call, signIn } from './helpers.js';

describe('value formats', () => {
  it('formats .NET dates with 0–7 fraction digits, trailing zeros trimmed, no offset', () => {
    const ms = Date.UTC(2024, 11, 10, 8, 57, 45, 900);
    expect(dotnetDate(ms, 0)).toBe('2024-12-10T08:57:45');
    expect(dotnetDate(ms, 1)).toBe('2024-12-10T08:57:45.9');
    expect(dotnetDate(ms, 7, 1234)).toBe('2024-12-10T08:57:45.9001234');
    expect(dotnetDate(Date.UTC(2024, 11, 12), 3)).toBe('2024-12-12T00:00:00');
  });

  it('parses filter dates with Z, offsets, fractions or none', () => {
    expect(parseApiDate('2024-12-12T10:24:26Z')).toBe(Date.UTC(2024, 11, 12, 10, 24, 26));
    expect(parseApiDate('2024-12-12T10:24:26.323Z')).toBe(Date.UTC(2024, 11, 12, 10, 24, 26, 323));
    expect(parseApiDate('2024-12-12T12:24:26+02:00')).toBe(Date.UTC(2024, 11, 12, 10, 24, 26));
    expect(parseApiDate('2024-12-12')).toBe(Date.UTC(2024, 11, 12));
    expect(parseApiDate('12/12/2024')).toBeNaN();
  });

  it('round-trips system IPs', () => {
    for (const index of [0, 255, 65_535, 99_999]) expect(indexForIp(ipForIndex(index))).toBe(index);
  });
});

describe('index selections', () => {
  it('periodic selections count, index and intersect without materializing', () => {
    const database = new PeriodicSelection(20, [17, 18], 105);
    expect(database.count).toBe(10);
    expect([0, 1, 2, 9].map((k) => database.at(k))).toEqual([17, 18, 37, 98]);
    expect(database.rank(58)).toBe(5);
    const workgroup = new PeriodicSelection(3, [1], 105);
    const both = database.intersect(workgroup);
    const brute = Array.from({ length: 105 }, (_, i) => i).filter((i) => database.has(i) && workgroup.has(i));
    expect(Array.from({ length: both.count }, (_, k) => both.at(k))).toEqual(brute);
    const accounts = new FanOutSelection(database, 10);
    expect(accounts.count).toBe(100);
    expect(accounts.at(11)).toBe(181);
  });
});

describe('scale', () => {
  it('entityCounts grows in proportion and caps Sessions at 100,000', () => {
    const one = entityCounts(1);
    expect(one.managedAccounts).toBe(1000);
    expect(one.managedSystems).toBe(100);
    expect(one.workgroups).toBe(3);
    const big = entityCounts(1000);
    expect(big.managedAccounts).toBe(1_000_000);
    expect(big.workgroups).toBe(2000);
    expect(entityCounts(5000).sessions).toBe(100_000);
    expect(() => entityCounts(0)).toThrow();
  });

  it('serves 1,000,000 accounts at scale 1000 on demand (last page, filter, single lookup)', async () => {
    const sim = await startSimulator({ scale: 1000, seed: 1 });
    try {
      const cookie = await signIn(sim);
      const last = asRows((await call(sim, 'ManagedAccounts?limit=1000&offset=999500', { cookie })).body);
      expect(last).toHaveLength(500);
      expect(last.at(-1)?.['AccountId']).toBe(1_000_000);
      const cloud = asRows((await call(sim, 'ManagedAccounts?type=cloud&limit=10&offset=49990', { cookie })).body);
      expect(cloud.map((r) => r['AccountId'])).toEqual([999_991, 999_992, 999_993, 999_994, 999_995, 999_996, 999_997, 999_998, 999_999, 1_000_000]);
      const name = String(last[0]?.['SystemName']);
      const single = (await call(sim, `ManagedAccounts?systemName=${name}&accountName=${String(last[0]?.['AccountName'])}`, { cookie })).body;
      expect(single).toEqual(last[0]);
    } finally {
      await sim.stop();
    }
  });
});

describe('automatic advance (advanceEvery)', () => {
  const auditTotal = async (sim: Awaited<ReturnType<typeof startSimulator>>, cookie: string): Promise<number> =>
    ((await call(sim, 'UserAudits?limit=1', { cookie })).body as { TotalCount: number }).TotalCount;

  it('every N data requests: the same request sequence always sees the same data', async () => {
    const run = async (): Promise<{ totals: number[]; changed: string }> => {
      const sim = await startSimulator({ seed: 3, advanceEvery: { requests: 2 }, advanceChangedFraction: 0.2 });
      try {
        const cookie = await signIn(sim);
        const totals: number[] = [];
        for (let i = 0; i < 5; i++) totals.push(await auditTotal(sim, cookie));
        expect(sim.stats.advances).toBe(2);
        const changed = (await call(sim, 'ManagedAccounts?limit=1000', { cookie })).text; // request 6: still epoch 2
        expect(sim.stats.advances).toBe(2);
        sim.advance(); // manual steps count too
        expect(sim.stats.advances).toBe(3);
        return { totals, changed };
      } finally {
        await sim.stop();
      }
    };
    const first = await run();
    expect(first.totals).toEqual([500, 500, 510, 510, 520]);
    expect(await run()).toEqual(first);
  });

  it('every N seconds (observed through stats, no timing assertion)', async () => {
    const sim = await startSimulator({ advanceEvery: { seconds: 0.02 } });
    try {
      const cookie = await signIn(sim);
      for (let i = 0; i < 500 && sim.stats.advances < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sim.stats.advances).toBeGreaterThanOrEqual(2);
      expect(await auditTotal(sim, cookie)).toBeGreaterThanOrEqual(sim.counts.userAudits + 2 * 10);
    } finally {
      await sim.stop();
    }
  });

  it('rejects bad settings with SIMULATOR_OPTIONS', async () => {
    for (const advanceEvery of [{ requests: 0 }, { requests: 1.5 }, { seconds: 0 }, { seconds: Number.NaN }]) {
      await expect(startSimulator({ advanceEvery }), JSON.stringify(advanceEvery)).rejects.toMatchObject({ code: 'SIMULATOR_OPTIONS' });
    }
    await expect(startSimulator({ advanceChangedFraction: 2 })).rejects.toMatchObject({ code: 'SIMULATOR_OPTIONS' });
  });
});
