/**
 * Incremental correctness against the simulator when the data moves under a run or a run is cut short:
 * UserAudits pinned with enddate (rows written mid-run neither shift pages nor repeat), merge on AuditID when the
 * server does not pin, and --dev-limit runs that must not advance the incremental state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { beyondtrustSource } from '../../src/beyondtrust/source.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { BASE_INSTANT_MS, EPOCH_MS } from '../../src/simulator/values.js';
import { pipeline } from '../../src/pipeline/pipeline.js';
import { makeTempDir, query } from '../pipeline/helpers.js';
import { collect, expectUnique, FAST_HTTP, keysOf, psAuth, recordingHttp, type RecordingHttp } from './helpers/sim.js';

let sim: RunningSimulator | undefined;
let recorder: RecordingHttp | undefined;
afterEach(async () => {
  await recorder?.http.close();
  await sim?.stop();
  sim = undefined;
  recorder = undefined;
});

const auditIds = (rows: Record<string, unknown>[] | undefined): number[] => (rows ?? []).map((r) => r['AuditID'] as number);

describe('user_audits while audits are being written', () => {
  it('pins every page to the run start with enddate: 500 rows, no repeats; the audits written mid-run come with the next run', async () => {
    sim = await startSimulator({ port: 0, seed: 21, scale: 1 });
    recorder = recordingHttp(FAST_HTTP);
    // The simulator's clock: "now" is BASE_INSTANT_MS until advance() moves it one hour on.
    let now = BASE_INSTANT_MS;
    const make = () =>
      beyondtrustSource({ baseUrl: sim!.baseUrl, credentials: psAuth(sim!), resources: ['user_audits'], pageSize: 100, concurrency: 1, http: recorder!.http, now: () => now });

    const first = await collect(make(), { onPage: (_page, pages) => pages === 2 && sim!.advance() });
    expect(sim.counts.userAudits).toBe(500);
    const firstIds = auditIds(first.rows.get('user_audits'));
    expect(firstIds).toHaveLength(500);
    expect(new Set(firstIds).size).toBe(500);
    const auditCalls = recorder.requests.filter((r) => new URL(r.url).pathname.endsWith('/UserAudits'));
    expect(auditCalls.length).toBeGreaterThanOrEqual(5);
    for (const call of auditCalls) expect(new URL(call.url).searchParams.get('enddate')).toBe('2025-01-15T12:00:00Z');
    expect(first.events.filter((e) => e.type === 'warning')).toEqual([]);

    now = BASE_INSTANT_MS + EPOCH_MS;
    const sentBefore = recorder.requests.length;
    const second = await collect(make(), { state: first.state });
    expect(auditIds(second.rows.get('user_audits')).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 501 + i));
    const secondCalls = recorder.requests.slice(sentBefore).filter((r) => new URL(r.url).pathname.endsWith('/UserAudits'));
    expect(secondCalls.map((r) => new URL(r.url).searchParams.get('enddate'))).toEqual(['2025-01-15T13:00:00Z']);
  });

  it('when the window is not pinned, shifted pages repeat audits: merge on AuditID loads each one once', async () => {
    sim = await startSimulator({ port: 0, seed: 22, scale: 1 });
    // Wall-clock now is long after the simulated audits: enddate does not hold back the ones written mid-run.
    const make = () => beyondtrustSource({ baseUrl: sim!.baseUrl, credentials: psAuth(sim!), resources: ['user_audits'], pageSize: 100, concurrency: 1, httpOptions: FAST_HTTP });
    const first = await collect(make(), { onPage: (_page, pages) => pages === 2 && sim!.advance() });
    const ids = auditIds(first.rows.get('user_audits'));
    expect(ids).toHaveLength(510);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: 500 }, (_, i) => i + 1)));

    await sim.stop();
    sim = await startSimulator({ port: 0, seed: 22, scale: 1 });
    const temp = await makeTempDir('bt-audits-');
    try {
      const target = pipeline({ projectDir: temp.dir });
      let pages = 0;
      const info = await target.run(make(), {
        onProgress: (event) => {
          if (event.type === 'page' && (pages += 1) === 2) sim!.advance();
        },
      });
      expect(info.trace.resources['user_audits']?.rows, 'the shifted pages must reach the load').toBeGreaterThan(500);
      const [[rows, distinct]] = (await query(target.dbPath, 'SELECT count(*), count(DISTINCT audit_id) FROM beyondtrust_data.user_audits')) as [[bigint, bigint]];
      expect([Number(rows), Number(distinct)]).toEqual([500, 500]);
    } finally {
      await temp.cleanup();
    }
  });
});

describe('--dev-limit', () => {
  it('does not advance incremental state: a full run after a devLimit 1 run loads every user audit and secret', async () => {
    sim = await startSimulator({ port: 0, seed: 23, scale: 1 });
    const make = () => beyondtrustSource({ baseUrl: sim!.baseUrl, credentials: psAuth(sim!), resources: ['user_audits', 'secrets'], pageSize: 30, httpOptions: FAST_HTTP });
    const limited = await collect(make(), { devLimit: 1 });
    expect(limited.rows.get('user_audits')).toHaveLength(30);
    expect(limited.rows.get('secrets')).toHaveLength(30);
    expect(limited.state).toEqual({});

    const full = await collect(make(), { state: limited.state });
    expect(full.rows.get('user_audits')).toHaveLength(sim.counts.userAudits);
    expect(full.rows.get('secrets')).toHaveLength(sim.counts.secrets);
    expect(expectUnique(keysOf(full.rows.get('user_audits') ?? [], ['AuditID']))).toBe(true);
    expect(typeof full.state['user_audits']?.incremental?.last_value).toBe('string');
    expect(typeof full.state['secrets']?.incremental?.last_value).toBe('string');
  });

  it('keeps the state a limited run was given, and advances it when the limit was not reached', async () => {
    sim = await startSimulator({ port: 0, seed: 24, scale: 1 });
    const make = (pageSize: number) => beyondtrustSource({ baseUrl: sim!.baseUrl, credentials: psAuth(sim!), resources: ['user_audits'], pageSize, httpOptions: FAST_HTTP });
    const full = await collect(make(100));
    sim.advance();
    const limited = await collect(make(3), { state: full.state, devLimit: 1 });
    expect(limited.rows.get('user_audits')).toHaveLength(3);
    expect(limited.state).toEqual(full.state);
    // One page holds everything new: the limit did not cut anything, so the cursor moves on.
    const roomy = await collect(make(100), { state: full.state, devLimit: 1 });
    expect(roomy.rows.get('user_audits')).toHaveLength(10);
    expect(roomy.state['user_audits']?.incremental?.last_value).not.toEqual(full.state['user_audits']?.incremental?.last_value);
  });

  it('loads at most P pages per resource over all parents: devLimit 1 reads one page of assets, not one per workgroup', async () => {
    sim = await startSimulator({ port: 0, seed: 25, scale: 1 });
    const source = beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), resources: ['workgroups', 'assets'], pageSize: 20, httpOptions: FAST_HTTP });
    const { rows, events } = await collect(source, { devLimit: 1 });
    expect(sim.counts.workgroups).toBe(3);
    expect(rows.get('workgroups')).toHaveLength(3);
    expect(rows.get('assets')).toHaveLength(20);
    expect(events.filter((e) => e.type === 'page' && e.resource === 'assets')).toHaveLength(1);
    expect(sim.stats.byRoute['GET Workgroups/{id}/Assets']).toBe(1);

    const two = await collect(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(sim), resources: ['assets'], pageSize: 20, httpOptions: FAST_HTTP }), { devLimit: 2 });
    expect(two.rows.get('assets')).toHaveLength(40);
    expect(two.events.filter((e) => e.type === 'page' && e.resource === 'assets')).toHaveLength(2);
  });
});
