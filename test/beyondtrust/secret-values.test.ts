/**
 * Secrets checked BY VALUE, not by field name: sentinel api_key, runas, password, client_id and client_secret flow
 * through beyondtrustSource (PS-Auth, OAuth) and restApiSource (http_basic, oauth2_client_credentials), and the values
 * the API hands out — GET Credentials passwords, Sessions Token/RecordKey, Secrets Password — must not appear in any
 * emitted record, log line, error or event. The Credentials body must not even be read into memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { createBeyondTrustSessionAuth, type BeyondTrustCredentials } from '../../src/beyondtrust/auth/session-auth.js';
import { beyondtrustRestConfig, beyondtrustSource, resolveConnection } from '../../src/beyondtrust/source.js';
import { createHttpClient } from '../../src/http/client.js';
import { createLogger } from '../../src/log.js';
import type { ResourceConfig } from '../../src/rest/config/types.js';
import { restApiSource } from '../../src/rest/rest-api-source.js';
import type { ExtractEvent, Source } from '../../src/rest/types.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { startJsonServer, type JsonServer } from '../rest/helpers/json-server.js';
import { dataCall } from './auth/support/data-call.js';
import { FAST_HTTP, recordingHttp } from './helpers/sim.js';

const S = {
  apiKey: 'SENTINEL-APIKEY-c41d7e90aa',
  runas: 'sentinel_runas_5e1f',
  password: 'SENTINEL-PASSWORD-8b2c',
  clientId: 'SENTINEL-CLIENTID-3f9a',
  clientSecret: 'SENTINEL-CLIENTSECRET-6d0e',
};

let sim: RunningSimulator;
let api: JsonServer;
/** Log lines, error texts and events (runas must not be here); records go to `records` (API data may name the user). */
const said: string[] = [];
const records: string[] = [];
const logger = createLogger({ level: 'debug', sink: (line) => said.push(line) });
/** What the API hands out and must never come out of the extractor. */
const wire = { credentials: [] as string[], sessionTokens: [] as string[], secretPasswords: [] as string[] };

function sayError(error: unknown, depth = 0): void {
  if (depth > 5) return;
  if (error instanceof Error) {
    const bt = error as Error & { hint?: string; describe?: () => string };
    said.push(error.message, String(error), JSON.stringify(error), error.stack ?? '', bt.hint ?? '');
    if (typeof bt.describe === 'function') said.push(bt.describe());
    if (error.cause !== undefined) sayError(error.cause, depth + 1);
    return;
  }
  said.push(String(error));
}

async function drive(source: Source): Promise<void> {
  const events: ExtractEvent[] = [];
  try {
    for await (const page of source.extract({ state: {}, onEvent: (e) => events.push(e) })) records.push(JSON.stringify(page));
  } catch (error) {
    sayError(error);
  } finally {
    said.push(JSON.stringify(events));
  }
}

function psAuth(password = S.password): BeyondTrustCredentials {
  return { kind: 'ps_auth', apiKey: new Secret(S.apiKey), runas: new Secret(S.runas), password: new Secret(password) };
}

/** Reads the secret values straight from the simulator, outside the code under test's output. */
async function readWireValues(): Promise<void> {
  const http = createHttpClient(FAST_HTTP);
  const auth = createBeyondTrustSessionAuth({ baseUrl: sim.baseUrl, credentials: psAuth() });
  const get = async (path: string): Promise<unknown> => JSON.parse((await dataCall(auth, http, `${sim.baseUrl}/${path}`)).response.text);
  try {
    const requests = (await get('Requests')) as { RequestID: number; Status: string }[];
    for (const request of requests.filter((r) => r.Status === 'Active')) wire.credentials.push((await get(`Credentials/${request.RequestID}`)) as string);
    for (const session of (await get('Sessions')) as { Token: string; RecordKey: string }[]) wire.sessionTokens.push(session.Token, session.RecordKey);
    const secrets = (await get('Secrets-Safe/Secrets?decrypt=true&version=3.2')) as { Data: { Password?: string }[] };
    for (const secret of secrets.Data) if (secret.Password) wire.secretPasswords.push(secret.Password);
  } finally {
    await auth.close(http);
    await http.close();
  }
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 43, scale: 1, credentials: S });
  await readWireValues();
  // A plain REST API that accepts http_basic and oauth2_client_credentials with the sentinels.
  const basic = `Basic ${Buffer.from(`${S.runas}:${S.password}`).toString('base64')}`;
  api = await startJsonServer((r) => {
    if (r.url.pathname.endsWith('/token')) {
      const form = new URLSearchParams(r.body);
      const ok = form.get('client_id') === S.clientId && form.get('client_secret') === S.clientSecret;
      return ok ? { body: { access_token: 'SENTINEL-ACCESSTOKEN-77', expires_in: 3600 } } : { status: 401, body: { error: 'invalid_client' } };
    }
    const authorization = r.headers['authorization'];
    if (authorization !== basic && authorization !== 'Bearer SENTINEL-ACCESSTOKEN-77') return { status: 401, body: 'no' };
    return { body: [{ id: 1, name: 'alpha' }, { id: 2, name: 'beta' }] };
  });
});

afterAll(async () => {
  await api.close();
  await sim.stop();
});

describe('secret values never come out', () => {
  it('reads the values to look for from the simulator', () => {
    expect(wire.credentials.length).toBeGreaterThan(0);
    expect(wire.sessionTokens.length).toBeGreaterThan(0);
    expect(wire.secretPasswords.length).toBeGreaterThan(0);
  });

  it('never reads the GET Credentials body into memory: the HTTP layer hands up an empty text', async () => {
    const recorder = recordingHttp(FAST_HTTP);
    try {
      await drive(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(), resources: ['requests', 'credentials'], enableCredentials: true, http: recorder.http, logger }));
      const credentialCalls = recorder.responses.filter((r) => /\/Credentials\//.test(r.url));
      expect(credentialCalls).toHaveLength(wire.credentials.length);
      for (const response of credentialCalls) expect({ status: response.status, text: response.text }).toEqual({ status: 200, text: '' });
      const everything = JSON.stringify(recorder.responses);
      for (const value of wire.credentials) expect(everything).not.toContain(value);
      expect(records.join('\n')).toContain('"retrievable":true');
    } finally {
      await recorder.http.close();
    }
  });

  it('keeps every value out of records, logs, errors and events across auth types, successes and failures', async () => {
    // beyondtrustSource: PS-Auth (with the credentials check) and OAuth.
    await drive(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(), resources: ['sessions', 'requests', 'credentials', 'users', 'secrets'], enableCredentials: true, logger }));
    await drive(
      beyondtrustSource({
        baseUrl: sim.baseUrl,
        credentials: { kind: 'oauth2_client_credentials', clientId: new Secret(S.clientId), clientSecret: new Secret(S.clientSecret) },
        resources: ['sessions', 'users'],
        logger,
      }),
    );
    // Secrets with decrypt=true: the Password values are on the wire and must be dropped by the extractor.
    const connection = resolveConnection({ baseUrl: sim.baseUrl, credentials: psAuth() });
    const config = beyondtrustRestConfig(connection, logger);
    config.resources = config.resources.map((resource) => {
      const r = resource as ResourceConfig;
      if (r.name !== 'secrets' || typeof r.endpoint !== 'object') return r;
      return { ...r, endpoint: { ...r.endpoint, params: { ...r.endpoint.params, decrypt: 'true' } } };
    });
    await drive(restApiSource(config, { logger, name: 'decrypting' }).withResources(['secrets']));
    // Failures: wrong password, server errors after retries.
    await drive(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(`${S.password}-wrong`), resources: ['workgroups'], logger }));
    sim.faults.set({ rates: { '500': 1 }, retryAfterSeconds: 0 });
    await drive(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: psAuth(), resources: ['sessions'], httpOptions: { ...FAST_HTTP, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }, logger }));
    sim.faults.clear();

    // restApiSource with http_basic and oauth2_client_credentials: rejected by the simulator (no session cookie) …
    const basic = { type: 'http_basic' as const, username: S.runas, password: S.password };
    const oauth2 = { type: 'oauth2_client_credentials' as const, access_token_url: `${sim.baseUrl}/Auth/connect/token`, client_id: S.clientId, client_secret: S.clientSecret };
    for (const auth of [basic, oauth2]) {
      await drive(restApiSource({ client: { base_url: sim.baseUrl, auth, paginator: 'single_page' }, resources: ['Workgroups'] }, { logger, httpOptions: FAST_HTTP }));
    }
    // … and accepted by a plain REST API.
    for (const auth of [basic, { ...oauth2, access_token_url: `${api.baseUrl}/token` }]) {
      await drive(restApiSource({ client: { base_url: api.baseUrl, auth, paginator: 'single_page' }, resources: ['things'] }, { logger, httpOptions: FAST_HTTP }));
    }
    // A bad config carrying the values.
    try {
      restApiSource({ client: { base_url: api.baseUrl, auth: { ...basic, extra: S.clientSecret } }, resources: ['x'] });
    } catch (error) {
      sayError(error);
    }

    const saidText = said.join('\n');
    const recordText = records.join('\n');
    expect(saidText).toContain('BT_AUTH_FAILED');
    expect(saidText).toContain('BT_HTTP_500');
    expect(saidText).toContain('BT_HTTP_401');
    expect(saidText).toContain('CONFIG_INVALID');
    expect(recordText).toContain('"name":"alpha"');
    expect(recordText).toContain('"retrievable":true');
    expect(recordText).toContain('"SessionID"');
    expect(recordText).toContain('"Title"');

    const neverAnywhere = [S.apiKey, S.password, S.clientId, S.clientSecret, 'SENTINEL-ACCESSTOKEN-77', ...wire.credentials, ...wire.sessionTokens, ...wire.secretPasswords];
    for (const value of neverAnywhere) {
      expect({ value, inOutput: saidText.includes(value) }).toEqual({ value, inOutput: false });
      expect({ value, inRecords: recordText.includes(value) }).toEqual({ value, inRecords: false });
    }
    // The run-as user name is API data too (Users, UserAudits list it), so it is only kept out of logs, errors, events.
    expect(saidText).not.toContain(S.runas);
  });
});
