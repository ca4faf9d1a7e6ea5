import { afterEach, describe, expect, it } from 'vitest';
import { previewEndpoint } from '../../src/beyondtrust/preview.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { oauth, psAuth } from './helpers/sim.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('previewEndpoint against the simulator', () => {
  it('previews a bare-array offset endpoint and signs out', async () => {
    sim = await startSimulator({ port: 0, seed: 21, scale: 2 });
    const preview = await previewEndpoint({ table: 'managed_accounts', baseUrl: sim.baseUrl, credentials: psAuth(sim), pageSize: 100, maxRecords: 5 });
    expect(preview).toMatchObject({
      table: 'managed_accounts',
      endpoint: 'GET ManagedAccounts',
      shape: 'array',
      paging: { kind: 'offset', page_size: 100, has_more: true },
      pages_fetched: 1,
      record_count: 100,
    });
    expect(preview.records).toHaveLength(5);
    expect(preview.records[0]).toHaveProperty('AccountId');
    expect(sim.stats.signIns).toBe(1);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('reports the container shape and TotalCount, and fetches several pages when asked', async () => {
    sim = await startSimulator({ port: 0, seed: 22, scale: 1 });
    const preview = await previewEndpoint({ table: 'managed_systems', baseUrl: sim.baseUrl, credentials: oauth(sim), pageSize: 30, pages: 2, maxRecords: 50 });
    expect(preview).toMatchObject({ shape: 'container', pages_fetched: 2, record_count: 60, paging: { kind: 'offset', total_count: sim.counts.managedSystems, has_more: true } });
    expect(preview.records).toHaveLength(50);
  });

  it('removes sensitive fields and says which', async () => {
    sim = await startSimulator({ port: 0, seed: 23, scale: 1 });
    const preview = await previewEndpoint({ table: 'sessions', baseUrl: sim.baseUrl, credentials: psAuth(sim), maxRecords: 3 });
    expect(preview.sensitive_fields_removed.sort()).toEqual(['RecordKey', 'Token']);
    expect(preview.paging).toEqual({ kind: 'single_page', has_more: false });
    for (const record of preview.records) {
      expect(record).not.toHaveProperty('Token');
      expect(record).not.toHaveProperty('RecordKey');
    }
  });

  it('previews a child endpoint for the first parent record', async () => {
    sim = await startSimulator({ port: 0, seed: 24, scale: 1 });
    const preview = await previewEndpoint({ table: 'assets', baseUrl: sim.baseUrl, credentials: psAuth(sim) });
    expect(preview.endpoint).toMatch(/^GET Workgroups\/.+\/Assets$/);
    expect(preview.shape).toBe('container');
    expect(preview.record_count).toBeGreaterThan(0);
    expect(new Set(preview.records.map((r) => r['WorkgroupID'])).size).toBe(1);
  });

  it('rejects unknown tables and credentials without the opt-in', async () => {
    sim = await startSimulator({ port: 0, seed: 25, scale: 1 });
    await expect(previewEndpoint({ table: 'nope', baseUrl: sim.baseUrl, credentials: psAuth(sim) })).rejects.toMatchObject({ code: 'UNKNOWN_RESOURCE' });
    await expect(previewEndpoint({ table: 'credentials', baseUrl: sim.baseUrl, credentials: psAuth(sim) })).rejects.toMatchObject({ code: 'CREDENTIALS_NOT_ENABLED' });
    expect(sim.stats.dataRequests).toBe(0);
  });

  it('previews credential checks when enabled', async () => {
    sim = await startSimulator({ port: 0, seed: 26, scale: 1 });
    const preview = await previewEndpoint({ table: 'credentials', baseUrl: sim.baseUrl, credentials: psAuth(sim), enableCredentials: true, maxRecords: 2 });
    expect(preview.records.length).toBeGreaterThan(0);
    expect(preview.records[0]).toMatchObject({ retrievable: true, outcome: 'ok' });
  });
});
