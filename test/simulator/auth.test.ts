import { createHash } from 'node:crypto';
import { Headers as UndiciHeaders, getSetCookies, type Cookie } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePsAuth } from '../../src/simulator/auth.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { asRows, call, psAuthHeader, signIn, type Row } from './helpers.js';

/** undici's RFC 6265 Set-Cookie parser over fetch's (global) Headers. */
function setCookies(headers: Headers): Cookie[] {
  const copy = new UndiciHeaders();
  for (const value of headers.getSetCookie()) copy.append('set-cookie', value);
  return getSetCookies(copy);
}

/** The cookie a standard jar (RFC 6265 §5.4) would send back to `url`: none when it is `secure` and the URL is http. */
function jarCookieHeader(setCookie: Headers, url: string): string | undefined {
  const target = new URL(url);
  const sendable = setCookies(setCookie).filter(
    (c) => (!c.secure || target.protocol === 'https:') && target.pathname.startsWith(c.path ?? '/'),
  );
  return sendable.length === 0 ? undefined : sendable.map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('parsePsAuth (lenient)', () => {
  it.each([
    ['PS-Auth key=abc; runas=svc; pwd=[p;w]];', { key: 'abc', runas: 'svc', pwd: 'p;w]' }],
    ['PS-Auth key=abc;runas=svc;pwd=[pw];', { key: 'abc', runas: 'svc', pwd: 'pw' }],
    ['ps-auth KEY=abc ; RUNAS=corp\\svc', { key: 'abc', runas: 'corp\\svc', pwd: undefined }],
    ['PS-Auth key=abc; runas=svc; pwd=[];', { key: 'abc', runas: 'svc', pwd: '' }],
  ])('parses %s', (header, expected) => {
    expect(parsePsAuth(header)).toEqual(expected);
  });

  it('rejects other schemes', () => {
    expect(parsePsAuth('Basic abc')).toBeUndefined();
    expect(parsePsAuth(undefined)).toBeUndefined();
  });
});

describe('sign-in', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, tokenLifetimeSec: 600 });
  });
  afterAll(() => sim.stop());

  async function signInStatus(authorization: string): Promise<number> {
    return (await call(sim, 'Auth/SignAppin', { method: 'POST', headers: { Authorization: authorization } })).status;
  }

  it('accepts PS-Auth variants: spaces, no spaces, no trailing ;, pwd, upper-case keys', async () => {
    const { apiKey, runas, password } = sim.credentials;
    expect(await signInStatus(`PS-Auth key=${apiKey}; runas=${runas};`)).toBe(200);
    expect(await signInStatus(`PS-Auth key=${apiKey};runas=${runas};pwd=[${password}];`)).toBe(200);
    expect(await signInStatus(`PS-Auth key=${apiKey}; runas=${runas}`)).toBe(200);
    expect(await signInStatus(`PS-Auth KEY=${apiKey}; RUNAS=${runas.toUpperCase()}; PWD=[${password}]`)).toBe(200);
    expect(await signInStatus(`  ps-auth   key = ${apiKey} ;  runas = ${runas} ;  `)).toBe(200);
  });

  it('returns the user object and an IIS-style session cookie', async () => {
    const response = await call(sim, 'Auth/SignAppIn', { method: 'POST', headers: { Authorization: psAuthHeader(sim) } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      UserId: 2,
      SID: null,
      EmailAddress: 'svc_loader@example.com',
      UserName: 'svc_loader',
      Name: 'Svc Loader',
    });
    // Plain HTTP: no `secure` (a cookie jar would never send a secure cookie back over http).
    expect(response.headers.get('set-cookie')).toMatch(/^ASP\.NET_SessionId=[a-z0-9]{24}; path=\/; HttpOnly; SameSite=Lax$/);
    const [cookie] = setCookies(response.headers);
    expect(cookie).toMatchObject({ name: 'ASP.NET_SessionId', path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(cookie?.secure).toBeFalsy();
  });

  it('works with a standard cookie jar over plain HTTP (the jar sends the cookie back)', async () => {
    const response = await fetch(`${sim.baseUrl}/Auth/SignAppin`, { method: 'POST', headers: { Authorization: psAuthHeader(sim) } });
    await response.arrayBuffer();
    const url = `${sim.baseUrl}/Platforms`;
    const cookie = jarCookieHeader(response.headers, url);
    expect(cookie).toMatch(/^ASP\.NET_SessionId=[a-z0-9]{24}$/);
    expect((await call(sim, 'Platforms', { cookie: cookie ?? '' })).status).toBe(200);
  });

  it('accepts an escaped backslash in runas (CORP\\\\svc is CORP\\svc)', async () => {
    const domainSim = await startSimulator({ credentials: { runas: 'CORP\\svc' } });
    try {
      const { apiKey } = domainSim.credentials;
      const status = async (runas: string) =>
        (await call(domainSim, 'Auth/SignAppin', { method: 'POST', headers: { Authorization: `PS-Auth key=${apiKey}; runas=${runas};` } })).status;
      expect(await status('CORP\\svc')).toBe(200);
      expect(await status('CORP\\\\svc')).toBe(200);
      expect(await status('corp\\\\SVC')).toBe(200);
      expect(await status('CORPsvc')).toBe(401);
      expect(await status('CORP\\\\\\svc')).toBe(401);
    } finally {
      await domainSim.stop();
    }
  });

  it('answers 401 for a wrong key, run-as user or password', async () => {
    const { apiKey, runas } = sim.credentials;
    expect(await signInStatus(`PS-Auth key=${apiKey.replace(/.$/, 'x')}; runas=${runas};`)).toBe(401);
    expect(await signInStatus(`PS-Auth key=${apiKey}; runas=someone_else;`)).toBe(401);
    expect(await signInStatus(`PS-Auth key=${apiKey}; runas=${runas}; pwd=[wrong];`)).toBe(401);
    expect(await signInStatus(`PS-Auth runas=${runas};`)).toBe(401);
    expect((await call(sim, 'Auth/SignAppin', { method: 'POST' })).status).toBe(401);
    expect(sim.stats.byStatus['401']).toBeGreaterThanOrEqual(5);
  });

  it('signs in with an OAuth client-credentials token', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret });
    const tokenResponse = await fetch(`${sim.baseUrl}/Auth/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const token = (await tokenResponse.json()) as { access_token: string; expires_in: number; token_type: string; scope: string };
    expect(tokenResponse.status).toBe(200);
    expect(token).toMatchObject({ expires_in: 600, token_type: 'Bearer', scope: 'publicapi' });
    const cookie = await signIn(sim, `Bearer ${token.access_token}`);
    expect((await call(sim, 'Workgroups', { cookie })).status).toBe(200);
    expect(await signInStatus('Bearer not-a-token')).toBe(401);
  });

  it('rejects an unknown client and an unsupported grant', async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${sim.baseUrl}/AUTH/CONNECT/TOKEN`, { method: 'POST', body: new URLSearchParams(body) });
    const unknown = await post({ grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: 'nope' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: 'invalid_client' });
    const grant = await post({ grant_type: 'password', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret });
    expect(grant.status).toBe(400);
  });

  it('enforces the session cookie with the exact 401 body', async () => {
    for (const cookie of [undefined, 'ASP.NET_SessionId=unknownunknownunknown123']) {
      const response = await call(sim, 'ManagedAccounts', cookie ? { cookie } : {});
      expect(response.status).toBe(401);
      expect(response.text).toBe('"User not authenticated"');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
    // The PS-Auth header alone does not authenticate a data call.
    expect((await call(sim, 'ManagedAccounts', { headers: { Authorization: psAuthHeader(sim) } })).status).toBe(401);
  });

  it('ends the session on Signout', async () => {
    const cookie = await signIn(sim);
    expect((await call(sim, 'Platforms', { cookie })).status).toBe(200);
    const signout = await call(sim, 'Auth/Signout', { method: 'POST', cookie });
    expect(signout.status).toBe(200);
    expect(signout.text).toBe('');
    expect((await call(sim, 'Platforms', { cookie })).status).toBe(401);
  });
});

describe('signed-in users are the users GET Users lists (one source)', () => {
  const CLIENT_ID = 'c0ffee11-2222-4333-8444-555566667777';
  // A hash of the client id, not its prefix: the id is a credential and the name lands in loaded data.
  const APP_USER = `app_${createHash('sha256').update(CLIENT_ID).digest('hex').slice(0, 8)}`;
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 12, credentials: { runas: 'CORP\\svc_etl', clientId: CLIENT_ID } });
  });
  afterAll(() => sim.stop());

  async function oauthSignIn(): Promise<{ body: Row; cookie: string }> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret });
    const token = (await (await fetch(`${sim.baseUrl}/Auth/connect/token`, { method: 'POST', body: form })).json()) as { access_token: string };
    const response = await call(sim, 'Auth/SignAppin', { method: 'POST', headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(response.status).toBe(200);
    return { body: response.body as Row, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
  }

  it('the run-as user: SignAppin answers what GET Users/{UserId} and GET Users list', async () => {
    const response = await call(sim, 'Auth/SignAppin', { method: 'POST', headers: { Authorization: psAuthHeader(sim) } });
    const me = response.body as Row;
    expect(me).toEqual({ UserId: 2, SID: null, EmailAddress: 'svc_etl@example.com', UserName: 'CORP\\svc_etl', Name: 'Svc Etl' });
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const byId = (await call(sim, `Users/${String(me['UserId'])}`, { cookie })).body as Row;
    expect(byId).toMatchObject({ UserID: me['UserId'], UserName: me['UserName'], EmailAddress: me['EmailAddress'], FirstName: 'Svc', LastName: 'Etl' });
    const listed = asRows((await call(sim, 'Users', { cookie })).body);
    expect(listed).toHaveLength(sim.counts.users);
    expect(listed.find((u) => u['UserName'] === me['UserName'])).toEqual(byId);
  });

  it('the OAuth application user: SignAppin answers what GET Users/{UserId} lists', async () => {
    const { body: me, cookie } = await oauthSignIn();
    expect(me).toMatchObject({ UserId: 3, SID: null, EmailAddress: null, UserName: APP_USER });
    expect(String(me['UserName'])).not.toContain(CLIENT_ID.slice(0, 8));
    const byId = (await call(sim, `Users/${String(me['UserId'])}`, { cookie })).body as Row;
    expect(byId).toMatchObject({ UserID: 3, UserName: APP_USER, EmailAddress: null, UserType: 'Application', ClientSecret: null });
    // The configured client id is a credential: it does not appear in user data.
    expect(byId['ClientID']).not.toBe(sim.credentials.clientId);
    const byName = (await call(sim, `Users?username=${APP_USER}`, { cookie })).body as Row;
    expect(byName).toEqual(byId);
    const listed = asRows((await call(sim, 'Users', { cookie })).body);
    expect(listed.filter((u) => u['UserName'] === me['UserName'])).toEqual([byId]);
  });

  it('keeps the user count and names the signed-in users in audits and secrets consistently', async () => {
    const cookie = await signIn(sim);
    const users = new Map(asRows((await call(sim, 'Users', { cookie })).body).map((u) => [u['UserID'], u['UserName']]));
    expect(users.size).toBe(sim.counts.users);
    const audits = (await call(sim, 'UserAudits?limit=100000', { cookie })).body as { Data: Row[] };
    for (const audit of audits.Data) {
      // AD users' UserName in GET Users is the UPN; audits carry the plain name.
      expect(String(users.get(audit['UserID']))).toContain(String(audit['UserName']));
    }
    expect(audits.Data.some((a) => a['UserID'] === 3 && a['UserName'] === APP_USER)).toBe(true);
  });
});

describe('session and token lifetimes', () => {
  let now = 1_000_000;
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ clock: () => now, sessionIdleMs: 60_000, sessionMaxRequests: 3, tokenLifetimeSec: 60, requirePassword: true });
  });
  afterAll(() => sim.stop());

  it('requires pwd when started with requirePassword', async () => {
    await expect(signIn(sim)).rejects.toThrow(/401/);
    expect(await signIn(sim, psAuthHeader(sim, ` pwd=[${sim.credentials.password}];`))).toMatch(/^ASP\.NET_SessionId=/);
  });

  it('expires a session after sessionIdleMs without requests', async () => {
    const cookie = await signIn(sim, psAuthHeader(sim, ` pwd=[${sim.credentials.password}]`));
    now += 59_000;
    expect((await call(sim, 'Platforms', { cookie })).status).toBe(200);
    now += 60_000;
    const expired = await call(sim, 'Platforms', { cookie });
    expect(expired.status).toBe(401);
    expect(expired.body).toBe('User not authenticated');
  });

  it('expires a session after sessionMaxRequests data requests', async () => {
    const cookie = await signIn(sim, psAuthHeader(sim, ` pwd=[${sim.credentials.password}]`));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(sim, 'Platforms', { cookie })).status);
    expect(statuses).toEqual([200, 200, 200, 401]);
  });

  it('rejects an expired access token', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret });
    const response = await fetch(`${sim.baseUrl}/Auth/connect/token`, { method: 'POST', body: form });
    const { access_token: token } = (await response.json()) as { access_token: string };
    now += 61_000;
    const signInResponse = await call(sim, 'Auth/SignAppin', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(signInResponse.status).toBe(401);
    expect(sim.stats.tokenRequests).toBe(1);
  });
});

describe('user-wide sign-out (signoutScope: user)', () => {
  it('ends every session of the user', async () => {
    const sim = await startSimulator({ signoutScope: 'user' });
    try {
      const first = await signIn(sim);
      const second = await signIn(sim);
      await call(sim, 'Auth/Signout', { method: 'POST', cookie: first });
      expect((await call(sim, 'Platforms', { cookie: second })).status).toBe(401);
      expect(sim.stats.signIns).toBe(2);
      expect(sim.stats.signOuts).toBe(1);
    } finally {
      await sim.stop();
    }
  });
});
