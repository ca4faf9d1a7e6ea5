import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { createHttpClient } from '../../src/http/client.js';
import type { HttpClientLike } from '../../src/http/types.js';
import { createLogger } from '../../src/log.js';
import { closedPort, startLoopbackServer } from './support/loopback-server.js';
import type { LoopbackServer } from './support/loopback-server.js';
import { rejection } from '../helpers/rejection.js';

let server: LoopbackServer | undefined;
let client: HttpClientLike | undefined;
const stalled: ServerResponse[] = [];

afterEach(async () => {
  for (const res of stalled.splice(0)) res.destroy();
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('abort', () => {
  it('cancels a request that is waiting for the server', async () => {
    server = await startLoopbackServer((_req, res) => stalled.push(res));
    client = createHttpClient();
    const controller = new AbortController();
    const pending = client.request({ method: 'GET', url: `${server.url}/api/public/v3/Slow`, signal: controller.signal });
    while (server.count === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toBe('GET Slow was cancelled.');
  });

  it('cancels while waiting between attempts', async () => {
    server = await startLoopbackServer((_req, res) => res.writeHead(503, { 'retry-after': '30' }).end());
    const retries: number[] = [];
    const controller = new AbortController();
    client = createHttpClient({
      retry: { maxDelayMs: 60_000 },
      onRetry: (event) => {
        retries.push(event.delayMs);
        setImmediate(() => controller.abort());
      },
    });
    const error = await rejection(client.request({ method: 'GET', url: `${server.url}/x`, signal: controller.signal }));
    expect(error.code).toBe('CANCELLED');
    expect(retries).toEqual([30_000]);
    expect(server.count).toBe(1);
  });

  it('does not even start with an aborted signal', async () => {
    server = await startLoopbackServer((_req, res) => res.end());
    client = createHttpClient();
    const error = await rejection(client.request({ method: 'GET', url: `${server.url}/x`, signal: AbortSignal.abort() }));
    expect(error.code).toBe('CANCELLED');
    expect(server.count).toBe(0);
  });
});

describe('timeouts', () => {
  it('retries a headers timeout, then throws HTTP_TIMEOUT', async () => {
    server = await startLoopbackServer((_req, res) => stalled.push(res));
    client = createHttpClient({ timeouts: { headersMs: 150 }, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const error = await rejection(client.request({ method: 'GET', url: `${server.url}/api/public/v3/Workgroups` }));
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.message).toBe('GET Workgroups timed out (headers timeout) after 2 attempts.');
    expect(error.hint).toMatch(/request_timeout/);
    expect(server.count).toBe(2);
  });

  it('throws HTTP_TIMEOUT when the body stalls', async () => {
    server = await startLoopbackServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"partial":');
      stalled.push(res);
    });
    client = createHttpClient({ timeouts: { bodyMs: 150 }, retry: { maxAttempts: 1 } });
    const error = await rejection(client.request({ method: 'GET', url: `${server.url}/x` }));
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.details['reason']).toBe('body timeout');
  });
});

describe('redaction', () => {
  it('keeps credential ids and sensitive query values out of errors and log lines', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    client = createHttpClient({
      retry: { maxAttempts: 2, baseDelayMs: 1 },
      logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }),
    });
    const url = `http://127.0.0.1:${port}/BeyondTrust/api/public/v3/Credentials/987654?api_key=QUERY-SECRET-1&type=password`;
    const error = await rejection(client.request({ method: 'GET', url }));
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.message).toContain('GET Credentials/<id>');
    const everything = [error.message, error.hint, JSON.stringify(error), error.describe(), ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain('987654');
    expect(everything).not.toContain('QUERY-SECRET-1');
    expect(lines.some((line) => line.includes('Credentials/<id>?api_key=***&type=password'))).toBe(true);
  });
});
