/**
 * Sentinel secrets must never surface: not in logs, errors (message, JSON, String, hint, causes), events or
 * extracted records — through success and failure of restApiSource, beyondtrustSource and previewEndpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { previewEndpoint } from '../../src/beyondtrust/preview.js';
import { beyondtrustSource } from '../../src/beyondtrust/source.js';
import { createLogger } from '../../src/log.js';
import { restApiSource } from '../../src/rest/rest-api-source.js';
import type { ExtractEvent, Source } from '../../src/rest/types.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

const SENTINELS = {
  apiKey: 'SENTINEL-APIKEY-9f3a7c1e5b',
  password: 'SENTINEL-PASSWORD-4d2b8e6a',
  clientSecret: 'SENTINEL-CLIENTSECRET-7a1c',
  bearer: 'SENTINEL-BEARER-2e9d5f3b',
};
const ALL = Object.values(SENTINELS);

let sim: RunningSimulator;
const captured: string[] = [];
const logger = createLogger({ level: 'debug', sink: (line) => captured.push(line) });

function record(value: unknown): void {
  if (value instanceof Error) {
    captured.push(value.message, String(value), JSON.stringify(value), value.stack ?? '');
    const bt = value as { hint?: string; describe?: () => string };
    if (bt.hint) captured.push(bt.hint);
    if (typeof bt.describe === 'function') captured.push(bt.describe());
    if (value.cause !== undefined) record(value.cause);
    return;
  }
  captured.push(typeof value === 'string' ? value : JSON.stringify(value));
}

async function drive(source: Source): Promise<void> {
  const events: ExtractEvent[] = [];
  try {
    for await (const page of source.extract({ state: {}, onEvent: (e) => events.push(e) })) record(page);
  } catch (error) {
    record(error);
  } finally {
    record(events);
  }
}

function credentials(password = SENTINELS.password) {
  return { kind: 'ps_auth' as const, apiKey: new Secret(SENTINELS.apiKey), runas: new Secret('svc_loader'), password: new Secret(password) };
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 41, scale: 1, credentials: { apiKey: SENTINELS.apiKey, password: SENTINELS.password, clientSecret: SENTINELS.clientSecret } });
});
afterAll(async () => {
  await sim.stop();
});

describe('no secret leaks', () => {
  it('keeps sentinels out of every log line, error, event and record', async () => {
    const http = { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } };
    // Success, PS-Auth and OAuth.
    await drive(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: credentials(), resources: ['sessions', 'workgroups', 'assets', 'requests', 'credentials'], enableCredentials: true, logger }));
    await drive(
      beyondtrustSource({
        baseUrl: sim.baseUrl,
        credentials: { kind: 'oauth2_client_credentials', clientId: new Secret(sim.credentials.clientId), clientSecret: new Secret(SENTINELS.clientSecret) },
        resources: ['users'],
        logger,
      }),
    );
    record(await previewEndpoint({ table: 'sessions', baseUrl: sim.baseUrl, credentials: credentials(), logger }));
    // Bad credentials.
    await drive(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: credentials(`${SENTINELS.password}-wrong`), resources: ['workgroups'], logger }));
    await previewEndpoint({ table: 'workgroups', baseUrl: sim.baseUrl, credentials: credentials(`${SENTINELS.password}-wrong`), logger }).catch(record);
    // Server errors after retries.
    sim.faults.set({ rates: { '500': 1 }, retryAfterSeconds: 0 });
    await drive(beyondtrustSource({ baseUrl: sim.baseUrl, credentials: credentials(), resources: ['workgroups'], httpOptions: { ...http, logger }, logger }));
    await previewEndpoint({ table: 'platforms', baseUrl: sim.baseUrl, credentials: credentials(), httpOptions: http, logger }).catch(record);
    sim.faults.clear();
    // Bad config with a secret inside, and a bearer token on the wire against a 401.
    try {
      restApiSource({ client: { base_url: sim.baseUrl, auth: { type: 'bearer', token: SENTINELS.bearer, extra: SENTINELS.bearer } }, resources: ['x'] });
    } catch (error) {
      record(error);
    }
    try {
      restApiSource({ client: { base_url: sim.baseUrl, auth: { type: 'api_key', api_key: SENTINELS.bearer, location: 'cookie' } }, resources: ['x'] });
    } catch (error) {
      record(error);
    }
    await drive(restApiSource({ client: { base_url: sim.baseUrl, auth: { type: 'bearer', token: SENTINELS.bearer }, paginator: 'single_page' }, resources: ['Workgroups'] }, { logger }));
    await drive(restApiSource({ client: { base_url: sim.baseUrl, auth: { type: 'api_key', name: 'token', api_key: SENTINELS.bearer, location: 'query' }, paginator: 'single_page' }, resources: ['Platforms'] }, { logger }));

    const text = captured.join('\n');
    expect(text.length).toBeGreaterThan(1000);
    expect(text).toContain('BT_AUTH_FAILED');
    expect(text).toContain('BT_HTTP_500');
    expect(text).toContain('CONFIG_INVALID');
    for (const sentinel of ALL) expect(text).not.toContain(sentinel);
  });
});
