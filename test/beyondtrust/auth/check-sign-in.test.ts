import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSignIn } from '../../../src/beyondtrust/auth/check-sign-in.js';
import { startSimulator } from '../../../src/simulator/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { closedPort } from '../../http/support/loopback-server.js';
import { testSettings } from './support/settings.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, scale: 1 });
});

afterAll(async () => {
  await sim.stop();
});

describe('checkSignIn', () => {
  it('signs in and out with PS-Auth', async () => {
    sim.stats.reset();
    const result = await checkSignIn(
      testSettings({ base_url: sim.baseUrl, api_key: sim.credentials.apiKey, runas: sim.credentials.runas }),
    );
    expect(result).toMatchObject({ ok: true, user_name: sim.credentials.runas, auth_mode: 'ps_auth' });
    expect(result.latency_ms).toBeGreaterThanOrEqual(0);
    expect(sim.stats.signIns).toBe(1);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('signs in and out with OAuth2 client credentials', async () => {
    sim.stats.reset();
    const result = await checkSignIn(
      testSettings({ base_url: sim.baseUrl, client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret }),
    );
    expect(result).toMatchObject({ ok: true, auth_mode: 'oauth2_client_credentials' });
    expect(sim.stats.tokenRequests).toBe(1);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('reports rejected credentials as BT_AUTH_FAILED with a hint', async () => {
    const result = await checkSignIn(testSettings({ base_url: sim.baseUrl, api_key: 'nope-nope-nope', runas: 'svc' }));
    expect(result).toMatchObject({ ok: false, code: 'BT_AUTH_FAILED', auth_mode: 'ps_auth' });
    expect(!result.ok && result.hint).toMatch(/api_key/);
    expect(JSON.stringify(result)).not.toContain('nope-nope-nope');
  });

  it('reports missing credentials and base_url as CONFIG_MISSING', async () => {
    expect(await checkSignIn(testSettings({ base_url: sim.baseUrl }))).toMatchObject({
      ok: false,
      code: 'CONFIG_MISSING',
      auth_mode: 'none',
    });
    expect(await checkSignIn(testSettings({ api_key: 'k-1234', runas: 'svc' }))).toMatchObject({
      ok: false,
      code: 'CONFIG_MISSING',
      auth_mode: 'ps_auth',
    });
  });

  it('reports an unreachable server as HTTP_NETWORK', async () => {
    const port = await closedPort();
    const result = await checkSignIn(
      testSettings({ base_url: `http://127.0.0.1:${port}/BeyondTrust/api/public/v3`, api_key: 'k-1234', runas: 'svc' }),
    );
    expect(result).toMatchObject({ ok: false, code: 'HTTP_NETWORK' });
    expect(!result.ok && result.reason).toContain('POST Auth/SignAppin');
  });
});

describe('checkSignIn over TLS', () => {
  it('trusts the CA from ca_file (relative to the project), fails with HTTP_TLS without it, works with verify_tls false', async () => {
    const tlsSim = await startSimulator({ port: 0, seed: 11, scale: 1, tls: true });
    const projectDir = await mkdtemp(join(tmpdir(), 'bt-auth-tls-'));
    try {
      expect(tlsSim.baseUrl.startsWith('https://')).toBe(true);
      await writeFile(join(projectDir, 'ca.pem'), tlsSim.caCertPem ?? '');
      const base = { base_url: tlsSim.baseUrl, api_key: tlsSim.credentials.apiKey, runas: tlsSim.credentials.runas };
      expect(await checkSignIn(testSettings({ ...base, ca_file: 'ca.pem' }, projectDir))).toMatchObject({ ok: true });
      const untrusted = await checkSignIn(testSettings(base, projectDir));
      expect(untrusted).toMatchObject({ ok: false, code: 'HTTP_TLS' });
      expect(!untrusted.ok && untrusted.hint).toMatch(/ca_file/);
      expect(await checkSignIn(testSettings({ ...base, verify_tls: false }, projectDir))).toMatchObject({ ok: true });
      expect(tlsSim.stats.signOuts).toBe(2);
    } finally {
      await rm(projectDir, { recursive: true, force: true });
      await tlsSim.stop();
    }
  });
});
