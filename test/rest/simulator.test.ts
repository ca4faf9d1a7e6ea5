/** restApiSource driven against the BeyondTrust simulator with the session auth as an AuthStrategy factory. */
import { afterEach, describe, expect, it } from 'vitest';
import { createBeyondTrustSessionAuth } from '../../src/beyondtrust/auth/session-auth.js';
import { restApiSource } from '../../src/rest/rest-api-source.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { collect, psAuth } from '../beyondtrust/helpers/sim.js';

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

function sessionConfig(s: RunningSimulator, resources: unknown[]): unknown {
  return {
    client: { base_url: s.baseUrl, auth: () => createBeyondTrustSessionAuth({ baseUrl: s.baseUrl, credentials: psAuth(s) }), paginator: 'single_page' },
    resources,
  };
}

describe('restApiSource with the BeyondTrust session auth', () => {
  it('does not retry a 4xx (403 approver-only) and still signs out once', async () => {
    sim = await startSimulator({ port: 0, seed: 31, scale: 1 });
    const source = restApiSource(sessionConfig(sim, [{ name: 'approvals', endpoint: { path: 'Requests', params: { queue: 'app' } } }]));
    await expect(collect(source)).rejects.toMatchObject({ code: 'BT_HTTP_403', details: expect.objectContaining({ endpoint: 'GET Requests', status: 403 }) });
    expect(sim.stats.byRoute['GET Requests']).toBe(1);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('reads the single-object answer of ManagedAccounts?systemName&accountName', async () => {
    sim = await startSimulator({ port: 0, seed: 32, scale: 1 });
    const first = await collect(restApiSource(sessionConfig(sim, [{ name: 'accounts', endpoint: { path: 'ManagedAccounts', params: { limit: 1 } } }])));
    const account = first.rows.get('accounts')?.[0] as Record<string, unknown>;
    const single = await collect(
      restApiSource(
        sessionConfig(sim, [{ name: 'one', endpoint: { path: 'ManagedAccounts', params: { systemName: String(account['SystemName']), accountName: String(account['AccountName']) } } }]),
      ),
    );
    expect(single.rows.get('one')).toEqual([account]);
  });

  it('ignores 404 for a child whose parent vanished', async () => {
    sim = await startSimulator({ port: 0, seed: 33, scale: 1 });
    const source = restApiSource(
      sessionConfig(sim, [
        { name: 'ids', selected: false, endpoint: { path: 'Workgroups' } },
        { name: 'missing', endpoint: { path: 'Workgroups/{resources.ids.Name}-gone/Assets', response_actions: [{ status_code: 404, action: 'ignore' }] } },
      ]),
    );
    const { rows } = await collect(source);
    expect(rows.get('missing')).toBeUndefined();
    expect(sim.stats.byRoute['GET Workgroups/{id}/Assets']).toBe(sim.counts.workgroups);
  });
});
