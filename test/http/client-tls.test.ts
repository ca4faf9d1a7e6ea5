import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { isBtError } from '../../src/errors.js';
import type { BtError } from '../../src/errors.js';
import { createHttpClient } from '../../src/http/client.js';
import type { HttpClientLike } from '../../src/http/types.js';
import { createLogger } from '../../src/log.js';
import { startLoopbackServer } from './support/loopback-server.js';
import type { LoopbackServer } from './support/loopback-server.js';
import { createTestCertificates } from './support/test-certificates.js';
import type { TestCertificates } from './support/test-certificates.js';
import { rejection } from '../helpers/rejection.js';

let certs: TestCertificates;
let server: LoopbackServer;
let client: HttpClientLike | undefined;

beforeAll(async () => {
  certs = await createTestCertificates();
  server = await startLoopbackServer((_req, res) => res.writeHead(200).end('secure'), { key: certs.key, cert: certs.cert });
});

afterEach(async () => {
  await client?.close();
  client = undefined;
});

afterAll(async () => {
  await server.close();
  await certs.cleanup();
});

describe('TLS', () => {
  it('trusts a server signed by the CA given as a file', async () => {
    client = createHttpClient({ tls: { caFile: certs.caFile } });
    expect((await client.request({ method: 'GET', url: `${server.url}/x` })).text).toBe('secure');
  });

  it('trusts a server signed by the CA given as PEM text', async () => {
    client = createHttpClient({ tls: { caPem: certs.caPem } });
    expect((await client.request({ method: 'GET', url: `${server.url}/x` })).status).toBe(200);
  });

  it('fails with HTTP_TLS and a ca_file hint without the CA, and does not retry', async () => {
    const before = server.count;
    const retries: string[] = [];
    client = createHttpClient({ onRetry: (event) => retries.push(event.reason) });
    const error = await rejection(client.request({ method: 'GET', url: `${server.url}/BeyondTrust/api/public/v3/Workgroups` }));
    expect(error.code).toBe('HTTP_TLS');
    expect(error.message).toMatch(/^GET Workgroups: TLS handshake failed \(.+\)\.$/);
    expect(error.hint).toMatch(/ca_file.*verify_tls/s);
    expect(retries).toEqual([]);
    expect(server.count).toBe(before);
  });

  it('connects without verification when verify is false, warning loudly once per client', async () => {
    const lines: string[] = [];
    client = createHttpClient({ tls: { verify: false }, logger: createLogger({ level: 'warn', sink: (l) => lines.push(l) }) });
    await client.request({ method: 'GET', url: `${server.url}/a` });
    await client.request({ method: 'GET', url: `${server.url}/b` });
    const warnings = lines.filter((line) => line.includes('TLS certificate verification is DISABLED (verify_tls = false)'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.startsWith('WARN ')).toBe(true);
  });

  it('fails at creation with HTTP_TLS naming an unreadable ca_file', () => {
    const missing = join(certs.dir, 'missing.pem');
    try {
      createHttpClient({ tls: { caFile: missing } });
      expect.unreachable('createHttpClient should throw');
    } catch (error) {
      expect(isBtError(error) && error.code).toBe('HTTP_TLS');
      expect((error as BtError).message).toContain(missing);
    }
  });
});
