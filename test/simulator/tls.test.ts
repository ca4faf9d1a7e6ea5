import { Agent, getSetCookies, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

describe('TLS', () => {
  let sim: RunningSimulator;
  let trusted: Agent;
  beforeAll(async () => {
    sim = await startSimulator({ tls: true });
    trusted = new Agent({ connect: { ca: sim.caCertPem ?? '' } });
  });
  afterAll(async () => {
    await trusted.close();
    await sim.stop();
  });

  it('serves HTTPS on 127.0.0.1 and exposes the CA', () => {
    expect(sim.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/BeyondTrust\/api\/public\/v3$/);
    expect(sim.caCertPem).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('is trusted with the CA (by IP and as localhost) and the full auth flow works', async () => {
    const { apiKey, runas } = sim.credentials;
    const signIn = await undiciFetch(`${sim.baseUrl}/Auth/SignAppin`, {
      method: 'POST',
      headers: { Authorization: `PS-Auth key=${apiKey}; runas=${runas};` },
      dispatcher: trusted,
    });
    expect(signIn.status).toBe(200);
    // Under TLS the session cookie is `secure` as well (IIS order: path, secure, HttpOnly, SameSite).
    expect(signIn.headers.get('set-cookie')).toMatch(/^ASP\.NET_SessionId=[a-z0-9]{24}; path=\/; secure; HttpOnly; SameSite=Lax$/);
    expect(getSetCookies(signIn.headers)[0]).toMatchObject({ path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await signIn.arrayBuffer();
    const localhostUrl = sim.baseUrl.replace('127.0.0.1', 'localhost');
    const workgroups = await undiciFetch(`${localhostUrl}/Workgroups`, { headers: { Cookie: cookie }, dispatcher: trusted });
    expect(workgroups.status).toBe(200);
    expect(Array.isArray(await workgroups.json())).toBe(true);
  });

  it('is rejected by a client that does not trust the CA', async () => {
    const untrusted = new Agent();
    try {
      const error = await undiciFetch(`${sim.baseUrl}/Workgroups`, { dispatcher: untrusted }).then(
        () => undefined,
        (e: unknown) => e as { cause?: { code?: string } },
      );
      expect(error?.cause?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    } finally {
      await untrusted.close();
    }
  });

  it('drops TLS connections on reset faults', async () => {
    sim.faults.set('reset:1');
    try {
      await expect(undiciFetch(`${sim.baseUrl}/Platforms`, { dispatcher: trusted })).rejects.toThrow();
      expect(sim.stats.faultsInjected['reset']).toBe(1);
    } finally {
      sim.faults.clear();
    }
  });
});
