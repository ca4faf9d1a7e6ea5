/**
 * Sentinel: with recognisable secret values, drive success and failure paths and assert that no log line, error
 * message, error JSON, check result or stats object ever contains them (nor the session cookie or access token).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import { checkSignIn } from '../../../src/beyondtrust/auth/check-sign-in.js';
import { createBeyondTrustSessionAuth } from '../../../src/beyondtrust/auth/session-auth.js';
import type { BeyondTrustCredentials } from '../../../src/beyondtrust/auth/session-auth.js';
import { isBtError } from '../../../src/errors.js';
import { createHttpClient } from '../../../src/http/client.js';
import { httpStatusError } from '../../../src/http/errors.js';
import type { HttpClientLike } from '../../../src/http/types.js';
import { createLogger } from '../../../src/log.js';
import { startSimulator } from '../../../src/simulator/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { dataCall } from './support/data-call.js';
import { testSettings } from './support/settings.js';

const SENTINEL = 'SENTINEL-SECRET-9f3a';
const API_KEY = `${SENTINEL}-apikey-${'0'.repeat(100)}`;
const PASSWORD = `${SENTINEL}-password`;
const CLIENT_SECRET = `${SENTINEL}-client-secret-0123456789`;

let sim: RunningSimulator;
const captured: string[] = [];
const logger = createLogger({ level: 'debug', sink: (line) => captured.push(line) });
let http: HttpClientLike;

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 3,
    scale: 1,
    credentials: { apiKey: API_KEY, password: PASSWORD, clientSecret: CLIENT_SECRET },
  });
  http = createHttpClient({ logger, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, onRetry: (e) => captured.push(JSON.stringify(e)) });
});

afterAll(async () => {
  await http.close();
  await sim.stop();
});

function capture(error: unknown): void {
  if (isBtError(error)) {
    captured.push(error.message, String(error.hint), JSON.stringify(error), error.describe(), String(error), error.stack ?? '');
  } else {
    captured.push(String(error));
  }
}

function psAuth(apiKey: string, password: string): BeyondTrustCredentials {
  return { kind: 'ps_auth', apiKey: new Secret(apiKey), runas: new Secret(sim.credentials.runas), password: new Secret(password) };
}

describe('no secret leaves the auth layer', () => {
  it('success and failure paths of both auth modes', async () => {
    const wireValues: string[] = [];
    const reauths: string[] = [];
    for (const credentials of [
      psAuth(API_KEY, PASSWORD),
      { kind: 'oauth2_client_credentials', clientId: new Secret(sim.credentials.clientId), clientSecret: new Secret(CLIENT_SECRET) } as const,
    ]) {
      const auth = createBeyondTrustSessionAuth({ baseUrl: sim.baseUrl, credentials, logger, onReauth: (e) => reauths.push(e) });
      const { request } = await dataCall(auth, http, `${sim.baseUrl}/Workgroups`);
      wireValues.push(request.headers?.['cookie'] ?? '', request.headers?.['authorization'] ?? '');
      sim.faults.expireAllSessions();
      sim.faults.set('503:1');
      const failing = await dataCall(auth, http, `${sim.baseUrl}/ManagedAccounts?api_key=${encodeURIComponent(API_KEY)}`);
      capture(httpStatusError('GET ManagedAccounts', failing.response));
      sim.faults.clear();
      await dataCall(auth, http, `${sim.baseUrl}/Workgroups`);
      captured.push(JSON.stringify(auth.stats), JSON.stringify(auth.user), JSON.stringify(auth));
      await auth.close(http);
    }
    // Wrong credentials in both modes.
    for (const credentials of [
      psAuth(`${SENTINEL}-wrong-key`, PASSWORD),
      psAuth(API_KEY, `${SENTINEL}-wrong-password`),
      { kind: 'oauth2_client_credentials', clientId: new Secret(sim.credentials.clientId), clientSecret: new Secret(`${SENTINEL}-wrong`) } as const,
    ]) {
      const auth = createBeyondTrustSessionAuth({ baseUrl: sim.baseUrl, credentials, logger });
      await auth.signIn(http).then(() => expect.unreachable('sign-in should fail'), capture);
      await auth.close(http);
    }
    // checkSignIn results, good and bad.
    for (const input of [
      { api_key: API_KEY, runas: sim.credentials.runas, password: PASSWORD },
      { api_key: `${SENTINEL}-bad`, runas: sim.credentials.runas, password: PASSWORD },
      { client_id: sim.credentials.clientId, client_secret: `${SENTINEL}-bad-secret` },
      { api_key: API_KEY },
    ]) {
      captured.push(JSON.stringify(await checkSignIn(testSettings({ base_url: sim.baseUrl, ...input }))));
    }
    // A network failure against a URL carrying a secret in its query.
    await http
      .request({ method: 'GET', url: `http://127.0.0.1:1/BeyondTrust/api/public/v3/Credentials/42?password=${PASSWORD}` })
      .then(() => expect.unreachable('request should fail'), capture);

    expect(reauths.length).toBeGreaterThan(0);
    expect(captured.length).toBeGreaterThan(10);
    const everything = captured.join('\n');
    expect(everything).not.toContain(SENTINEL);
    for (const value of wireValues) {
      const secretPart = value.replace(/^(Bearer |ASP\.NET_SessionId=)/, '');
      expect(secretPart.length).toBeGreaterThan(10);
      expect(everything).not.toContain(secretPart);
    }
  });
});
