import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import { createBeyondTrustSessionAuth } from '../../../src/beyondtrust/auth/session-auth.js';
import type { BeyondTrustCredentials, BeyondTrustSessionAuth } from '../../../src/beyondtrust/auth/session-auth.js';
import { createHttpClient } from '../../../src/http/client.js';
import type { HttpClientLike } from '../../../src/http/types.js';
import { startSimulator } from '../../../src/simulator/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { dataCall } from './support/data-call.js';
import { rejection } from '../../helpers/rejection.js';

let sim: RunningSimulator;
let http: HttpClientLike;
/** Simulated time shared by the simulator (token expiry) and the auth (token renewal). */
let nowMs = Date.parse('2025-03-01T00:00:00Z');
const clock = (): number => nowMs;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, scale: 1, tokenLifetimeSec: 600, clock });
  http = createHttpClient({ retry: { baseDelayMs: 1, maxDelayMs: 10 } });
});

afterAll(async () => {
  await http.close();
  await sim.stop();
});

afterEach(() => {
  sim.faults.clear();
  sim.stats.reset();
});

function psAuth(overrides: Partial<{ apiKey: string; runas: string; password: string }> = {}): BeyondTrustCredentials {
  return {
    kind: 'ps_auth',
    apiKey: new Secret(overrides.apiKey ?? sim.credentials.apiKey),
    runas: new Secret(overrides.runas ?? sim.credentials.runas),
    password: new Secret(overrides.password ?? sim.credentials.password),
  };
}

function oauth(clientSecret = sim.credentials.clientSecret): BeyondTrustCredentials {
  return { kind: 'oauth2_client_credentials', clientId: new Secret(sim.credentials.clientId), clientSecret: new Secret(clientSecret) };
}

function session(credentials: BeyondTrustCredentials, onReauth?: (endpoint: string) => void): BeyondTrustSessionAuth {
  return createBeyondTrustSessionAuth({ baseUrl: sim.baseUrl, credentials, now: clock, ...(onReauth ? { onReauth } : {}) });
}

const workgroups = (): string => `${sim.baseUrl}/Workgroups`;

describe('PS-Auth session', () => {
  it('signs in lazily, sends the cookie and re-sends the PS-Auth header, signs out once', async () => {
    const auth = session(psAuth());
    expect(auth.signedIn).toBe(false);
    const { response, request } = await dataCall(auth, http, workgroups());
    expect(response.status).toBe(200);
    expect(Array.isArray(JSON.parse(response.text))).toBe(true);
    expect(auth.signedIn).toBe(true);
    expect(auth.user?.UserName).toBe(sim.credentials.runas);
    expect(request.headers?.['cookie']).toMatch(/^ASP\.NET_SessionId=[a-z0-9]{24}$/);
    expect(request.headers?.['authorization']).toMatch(/^PS-Auth key=.+; runas=.+; pwd=\[.+\];$/);
    expect(request.headers?.['accept']).toBe('application/json');

    await dataCall(auth, http, workgroups());
    expect((await auth.signIn(http)).UserName).toBe(sim.credentials.runas);
    expect(sim.stats.signIns).toBe(1);
    await Promise.all([auth.close(http), auth.close(http)]);
    await auth.close(http);
    expect(sim.stats.signOuts).toBe(1);
    expect(auth.stats).toMatchObject({ signIns: 1, signOuts: 1, reauths: 0 });
    expect(auth.signedIn).toBe(false);
  });

  it('refuses every call after close() with SESSION_CLOSED instead of signing in again', async () => {
    const auth = session(psAuth());
    await dataCall(auth, http, workgroups());
    await auth.close(http);
    expect(sim.stats).toMatchObject({ signIns: 1, signOuts: 1 });

    const afterClose = await rejection(dataCall(auth, http, workgroups()));
    expect(afterClose.code).toBe('SESSION_CLOSED');
    expect(afterClose.message).toBe('GET Workgroups was not sent: this BeyondTrust session was already closed (signed out).');
    expect((await rejection(auth.signIn(http))).code).toBe('SESSION_CLOSED');
    await auth.close(http);
    // Nothing reached the server: no new sign-in (a session nobody would sign out), no data call, no second sign-out.
    expect(sim.stats).toMatchObject({ signIns: 1, signOuts: 1 });
    expect(sim.stats.byRoute['GET Workgroups']).toBe(1);
    expect(auth.signedIn).toBe(false);
  });

  it('refuses calls that come while close() is still signing out', async () => {
    const auth = session(psAuth());
    await dataCall(auth, http, workgroups());
    const closing = auth.close(http);
    expect((await rejection(dataCall(auth, http, workgroups()))).code).toBe('SESSION_CLOSED');
    await closing;
    expect(sim.stats).toMatchObject({ signIns: 1, signOuts: 1 });
  });

  it('does not sign out when it never signed in', async () => {
    const auth = session(psAuth());
    await auth.close(http);
    expect(sim.stats.signOuts).toBe(0);
  });

  it('shares one sign-in among 20 concurrent requests', async () => {
    const auth = session(psAuth());
    const results = await Promise.all(Array.from({ length: 20 }, () => dataCall(auth, http, workgroups())));
    expect(results.every(({ response }) => response.status === 200)).toBe(true);
    expect(sim.stats.signIns).toBe(1);
    expect(auth.stats.signIns).toBe(1);
    await auth.close(http);
  });

  it('signs in again once after the server expired the session, and reports the endpoint', async () => {
    const reauths: string[] = [];
    const auth = session(psAuth(), (endpoint) => reauths.push(endpoint));
    await dataCall(auth, http, workgroups());
    sim.faults.expireAllSessions();
    const { response } = await dataCall(auth, http, workgroups());
    expect(response.status).toBe(200);
    expect(sim.stats.signIns).toBe(2);
    expect(auth.stats.reauths).toBe(1);
    expect(reauths).toEqual(['GET Workgroups']);
    await auth.close(http);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('re-signs in only once when 20 requests in flight all hit the expired session', async () => {
    const auth = session(psAuth());
    await dataCall(auth, http, workgroups());
    sim.faults.expireAllSessions();
    const results = await Promise.all(Array.from({ length: 20 }, () => dataCall(auth, http, workgroups())));
    expect(results.map(({ response }) => response.status)).toEqual(Array(20).fill(200));
    expect(sim.stats.signIns).toBe(2);
    expect(auth.stats.reauths).toBe(1);
    await auth.close(http);
  });

  it('keeps working through sessions that end every few requests', async () => {
    const short = await startSimulator({ port: 0, seed: 7, scale: 1, sessionMaxRequests: 3 });
    try {
      const auth = createBeyondTrustSessionAuth({
        baseUrl: short.baseUrl,
        credentials: {
          kind: 'ps_auth',
          apiKey: new Secret(short.credentials.apiKey),
          runas: new Secret(short.credentials.runas),
        },
      });
      for (let i = 0; i < 10; i++) {
        expect((await dataCall(auth, http, `${short.baseUrl}/Workgroups`)).response.status).toBe(200);
      }
      // 10 requests, 3 per session: sessions end before requests 4, 7 and 10.
      expect(short.stats.signIns).toBe(4);
      expect(auth.stats.reauths).toBe(3);
      await auth.close(http);
      expect(short.stats.signOuts).toBe(1);
    } finally {
      await short.stop();
    }
  });

  it('rejects bad credentials with BT_AUTH_FAILED naming what to check, never the header', async () => {
    const wrongKey = 'WRONG-KEY-' + 'a'.repeat(40);
    const auth = session(psAuth({ apiKey: wrongKey }));
    const error = await rejection(dataCall(auth, http, workgroups()));
    expect(error.code).toBe('BT_AUTH_FAILED');
    expect(error.message).toMatch(/^Sign-in to BeyondTrust was rejected: POST Auth\/SignAppin returned HTTP 401/);
    expect(error.hint).toContain('SOURCES__BEYONDTRUST_SOURCE__API_KEY');
    const shown = [error.message, error.hint, JSON.stringify(error), error.describe()].join('\n');
    expect(shown).not.toContain(wrongKey);
    expect(shown).not.toContain(sim.credentials.password);
    expect(shown).not.toContain('PS-Auth');
    expect(auth.signedIn).toBe(false);
    await auth.close(http);
    expect(sim.stats.signOuts).toBe(0);

    const badPassword = session(psAuth({ password: 'not-the-password' }));
    expect((await rejection(badPassword.signIn(http))).code).toBe('BT_AUTH_FAILED');
  });

  it('gives a request object sent again after a later expiry a fresh session again', async () => {
    const auth = session(psAuth());
    const request = { method: 'GET' as const, url: workgroups() };
    await auth.signIn(http);
    for (let round = 1; round <= 2; round++) {
      sim.faults.expireAllSessions();
      await auth.apply(request, http);
      const refused = await http.request(request);
      expect(refused.status).toBe(401);
      expect(await auth.onUnauthorized(refused, http)).toBe(true);
      await auth.apply(request, http);
      expect((await http.request(request)).status).toBe(200);
    }
    // The first sign-in, then one re-sign-in per round.
    expect(sim.stats.signIns).toBe(3);
    expect(auth.stats.reauths).toBe(2);
    await auth.close(http);
  });

  it('does not sign in again for a 401 of a request sent before the session was renewed', async () => {
    const auth = session(psAuth());
    await auth.signIn(http);
    sim.faults.expireAllSessions();
    const early = { method: 'GET' as const, url: workgroups() };
    const late = { method: 'GET' as const, url: workgroups() };
    await auth.apply(early, http);
    await auth.apply(late, http);
    const [earlyRefused, lateRefused] = await Promise.all([http.request(early), http.request(late)]);
    expect(await auth.onUnauthorized(earlyRefused, http)).toBe(true);
    // `late` was sent with the old session too; the session has been renewed since: no second sign-in.
    expect(await auth.onUnauthorized(lateRefused, http)).toBe(true);
    expect(sim.stats.signIns).toBe(2);
    expect(auth.stats.reauths).toBe(1);
    await auth.close(http);
  });

  it('cancels a waiting caller without breaking the shared sign-in', async () => {
    const auth = session(psAuth());
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(auth.signIn(http, controller.signal));
    expect(error.code).toBe('CANCELLED');
    // The sign-in itself went on for the others.
    await auth.signIn(http);
    expect(auth.signedIn).toBe(true);
    expect(sim.stats.signIns).toBe(1);
    await auth.close(http);
    expect(sim.stats.signOuts).toBe(1);
  });
});

describe('OAuth2 client-credentials session', () => {
  it('gets a token, signs in with it and uses the session cookie', async () => {
    const auth = session(oauth());
    const { response, request } = await dataCall(auth, http, workgroups());
    expect(response.status).toBe(200);
    expect(request.headers?.['cookie']).toMatch(/^ASP\.NET_SessionId=/);
    expect(request.headers?.['authorization']).toMatch(/^Bearer \S+$/);
    expect(sim.stats.tokenRequests).toBe(1);
    expect(sim.stats.signIns).toBe(1);
    await auth.close(http);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('renews the token and the session before the token expires', async () => {
    const auth = session(oauth());
    await dataCall(auth, http, workgroups());
    nowMs += 470_000; // 470 s of 600: before the 480 s renewal point
    await dataCall(auth, http, workgroups());
    expect(sim.stats.tokenRequests).toBe(1);
    nowMs += 20_000; // 490 s: renew
    const { response } = await dataCall(auth, http, workgroups());
    expect(response.status).toBe(200);
    expect(sim.stats.tokenRequests).toBe(2);
    expect(sim.stats.signIns).toBe(2);
    expect(auth.stats).toMatchObject({ tokenRequests: 2, signIns: 2, reauths: 0 });
    await auth.close(http);
    expect(sim.stats.signOuts).toBe(1);
  });

  it('rejects a wrong client secret with BT_AUTH_FAILED without the secret', async () => {
    const wrong = 'WRONG-CLIENT-SECRET-0123456789abcdef';
    const auth = session(oauth(wrong));
    const error = await rejection(auth.signIn(http));
    expect(error.code).toBe('BT_AUTH_FAILED');
    expect(error.message).toContain('POST Auth/connect/token returned HTTP 401');
    expect(error.hint).toContain('SOURCES__BEYONDTRUST_SOURCE__CLIENT_SECRET');
    expect([error.message, error.hint, JSON.stringify(error)].join('\n')).not.toContain(wrong);
    expect(sim.stats.signIns).toBe(0);
  });
});
