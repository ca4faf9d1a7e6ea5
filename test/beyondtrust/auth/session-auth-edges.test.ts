/**
 * Session behaviours the simulator does not produce (several cookies, a failing sign-out, licence and MFA answers,
 * a sign-in still running when the run ends), against a small node:http stand-in for the API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Secret } from '../../../src/config/secret.js';
import { createBeyondTrustSessionAuth } from '../../../src/beyondtrust/auth/session-auth.js';
import type { BeyondTrustSessionAuth } from '../../../src/beyondtrust/auth/session-auth.js';
import { createHttpClient } from '../../../src/http/client.js';
import type { HttpClientLike } from '../../../src/http/types.js';
import { createLogger } from '../../../src/log.js';
import { startLoopbackServer } from '../../http/support/loopback-server.js';
import type { LoopbackServer } from '../../http/support/loopback-server.js';
import { dataCall } from './support/data-call.js';
import { rejection } from '../../helpers/rejection.js';

type Routes = Record<string, (req: IncomingMessage, res: ServerResponse) => void>;

let server: LoopbackServer | undefined;
let http: HttpClientLike | undefined;
const held: ServerResponse[] = [];

afterEach(async () => {
  for (const res of held.splice(0)) res.destroy();
  await http?.close();
  await server?.close();
  http = undefined;
  server = undefined;
});

const signedIn = (_req: IncomingMessage, res: ServerResponse): void => {
  res.setHeader('Set-Cookie', ['ASP.NET_SessionId=abcdefabcdefabcdefabcdef; path=/; HttpOnly', 'lb=node7; Path=/']);
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"UserId":1,"SID":null,"UserName":"svc","Name":"Svc"}');
};

async function fakeApi(routes: Routes): Promise<{ baseUrl: string; lines: string[]; auth: BeyondTrustSessionAuth }> {
  server = await startLoopbackServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/BeyondTrust\/api\/public\/v3\//, '').split('?')[0] ?? '';
    const route = routes[`${req.method} ${path}`];
    if (route) route(req, res);
    else res.writeHead(404).end('"not found"');
  });
  http = createHttpClient({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
  const lines: string[] = [];
  const baseUrl = `${server.url}/BeyondTrust/api/public/v3`;
  const auth = createBeyondTrustSessionAuth({
    baseUrl,
    credentials: { kind: 'ps_auth', apiKey: new Secret('edge-api-key-1234'), runas: new Secret('svc') },
    logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }),
  });
  return { baseUrl, lines, auth };
}

describe('session edges', () => {
  it('sends every cookie of SignAppin, attributes stripped, and signs out with them', async () => {
    const { baseUrl, auth } = await fakeApi({
      'POST Auth/SignAppin': signedIn,
      'GET Workgroups': (_req, res) => res.writeHead(200).end('[]'),
      'POST Auth/Signout': (_req, res) => res.writeHead(200).end(),
    });
    await dataCall(auth, http!, `${baseUrl}/Workgroups`);
    await auth.close(http!);
    const signIn = server!.seen.find((r) => r.url.endsWith('/Auth/SignAppin'));
    expect(signIn?.headers['content-type']).toBe('application/json');
    expect(signIn?.headers['authorization']).toBe('PS-Auth key=edge-api-key-1234; runas=svc;');
    const data = server!.seen.find((r) => r.url.endsWith('/Workgroups'));
    expect(data?.headers['cookie']).toBe('ASP.NET_SessionId=abcdefabcdefabcdefabcdef; lb=node7');
    const signOut = server!.seen.filter((r) => r.url.endsWith('/Auth/Signout'));
    expect(signOut).toHaveLength(1);
    expect(signOut[0]?.headers['cookie']).toBe('ASP.NET_SessionId=abcdefabcdefabcdefabcdef; lb=node7');
  });

  it('logs a failed sign-out as a warning, does not throw and does not retry it', async () => {
    const { auth, lines } = await fakeApi({
      'POST Auth/SignAppin': signedIn,
      'POST Auth/Signout': (_req, res) => res.writeHead(503).end(),
    });
    await auth.signIn(http!);
    await auth.close(http!);
    await auth.close(http!);
    expect(server!.seen.filter((r) => r.url.endsWith('/Auth/Signout'))).toHaveLength(1);
    expect(lines.some((line) => line.startsWith('WARN') && line.includes('POST Auth/Signout returned HTTP 503'))).toBe(true);
    expect(auth.stats.signOuts).toBe(1);
  });

  it('logs an unreachable sign-out as a warning', async () => {
    const { auth, lines } = await fakeApi({
      'POST Auth/SignAppin': signedIn,
      'POST Auth/Signout': (req) => req.socket.destroy(),
    });
    await auth.signIn(http!);
    await expect(auth.close(http!)).resolves.toBeUndefined();
    expect(lines.some((line) => line.startsWith('WARN') && line.includes('HTTP_NETWORK'))).toBe(true);
  });

  it('reports a 403 at sign-in as BT_HTTP_403 with the licence hint', async () => {
    const { auth } = await fakeApi({ 'POST Auth/SignAppin': (_req, res) => res.writeHead(403).end('"Password Safe licence is not valid"') });
    const error = await rejection(auth.signIn(http!));
    expect(error.code).toBe('BT_HTTP_403');
    expect(error.hint).toMatch(/licence/);
  });

  it('explains an MFA challenge', async () => {
    const { auth } = await fakeApi({
      'POST Auth/SignAppin': (_req, res) => res.writeHead(401, { 'WWW-Authenticate-2FA': 'Enter your code' }).end('"User not authenticated"'),
    });
    const error = await rejection(auth.signIn(http!));
    expect(error.code).toBe('BT_AUTH_FAILED');
    expect(error.hint).toMatch(/multi-factor/);
  });

  it('stops a sign-in still running when the run closes, and signs out nothing', async () => {
    const { auth } = await fakeApi({ 'POST Auth/SignAppin': (_req, res) => held.push(res) });
    const signingIn = auth.signIn(http!);
    while (server!.count === 0) await new Promise((resolve) => setImmediate(resolve));
    await auth.close(http!);
    expect((await rejection(signingIn)).code).toBe('CANCELLED');
    expect(auth.signedIn).toBe(false);
    expect(server!.seen.filter((r) => r.url.endsWith('/Auth/Signout'))).toHaveLength(0);
  });

  it('rejects a sign-in answer that is not a user object', async () => {
    const { auth } = await fakeApi({ 'POST Auth/SignAppin': (_req, res) => res.writeHead(200).end('<html>login</html>') });
    expect((await rejection(auth.signIn(http!))).code).toBe('BT_MALFORMED_RESPONSE');
  });
});
