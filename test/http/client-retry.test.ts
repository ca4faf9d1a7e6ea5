import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { httpStatusError } from '../../src/http/errors.js';
import type { HttpClientOptions } from '../../src/http/client.js';
import type { HttpClientLike, RetryEvent } from '../../src/http/types.js';
import { startLoopbackServer } from './support/loopback-server.js';
import type { Handler, LoopbackServer } from './support/loopback-server.js';
import { rejection } from '../helpers/rejection.js';

let server: LoopbackServer | undefined;
let client: HttpClientLike | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function setup(handler: Handler, options: HttpClientOptions = {}): Promise<{ events: RetryEvent[] }> {
  const events: RetryEvent[] = [];
  server = await startLoopbackServer(handler);
  client = createHttpClient({
    retry: { baseDelayMs: 1, maxDelayMs: 20 },
    random: () => 1,
    onRetry: (event) => events.push(event),
    ...options,
  });
  return { events };
}

/** Fails the first `failures` requests with `status` (plus headers), then answers 200 "ok". */
function failThenOk(failures: number, status: number, headers: Record<string, string> = {}): Handler {
  return (_req, res, index) => {
    if (index <= failures) {
      res.writeHead(status, headers).end('"temporarily unavailable"');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('"ok"');
    }
  };
}

describe('retries', () => {
  it.each([500, 502, 503, 504, 408, 429])('retries status %i and returns the eventual success', async (status) => {
    const { events } = await setup(failThenOk(2, status));
    const response = await client!.request({ method: 'GET', url: `${server!.url}/api/public/v3/Things` });
    expect(response.status).toBe(200);
    expect(response.text).toBe('"ok"');
    expect(response.attempts).toBe(3);
    expect(server!.count).toBe(3);
    expect(events.map((event) => [event.endpoint, event.attempt, event.reason])).toEqual([
      ['GET Things', 1, `status ${status}`],
      ['GET Things', 2, `status ${status}`],
    ]);
  });

  it('honours Retry-After in seconds (0 and 1) as asked, even above maxDelayMs', async () => {
    const { events } = await setup(failThenOk(1, 429, { 'retry-after': '0' }), {
      retry: { baseDelayMs: 500, maxDelayMs: 5000 },
    });
    expect((await client!.request({ method: 'GET', url: `${server!.url}/a` })).status).toBe(200);
    expect(events[0]?.delayMs).toBe(0);
    await client!.close();
    await server!.close();

    const second = await setup(failThenOk(1, 503, { 'retry-after': '1' }), { retry: { baseDelayMs: 1, maxDelayMs: 30 } });
    expect((await client!.request({ method: 'GET', url: `${server!.url}/b` })).status).toBe(200);
    // Not cut to maxDelayMs (30 ms): retrying sooner than asked only earns another 429/503.
    expect(second.events[0]?.delayMs).toBe(1000);
  });

  it.each([429, 503])('fails at once with BT_HTTP_%i saying what the server asked when Retry-After exceeds the wait budget', async (status) => {
    const { events } = await setup(failThenOk(1, status, { 'retry-after': '120' }), { retry: { baseDelayMs: 1, maxDelayMs: 30, maxTotalWaitMs: 5_000 } });
    const response = await client!.request({ method: 'GET', url: `${server!.url}/api/public/v3/ManagedAccounts` });
    expect(response.status).toBe(status);
    expect(response.attempts).toBe(1);
    expect(server!.count).toBe(1);
    expect(events).toEqual([]);
    expect(response.retryAfterRefused).toEqual({ retryAfterMs: 120_000, budgetLeftMs: 5_000 });
    const error = httpStatusError('GET ManagedAccounts', response);
    expect(error.code).toBe(`BT_HTTP_${status}`);
    expect(error.message).toContain('the server asked to retry after 120 s (Retry-After), more than the 5 s left of the retry wait budget');
    expect(error.hint).toMatch(/run again after 120 s/);
    expect(error.details).toMatchObject({ endpoint: 'GET ManagedAccounts', status, retry_after_ms: 120_000, retry_budget_left_ms: 5_000 });
  });

  it('counts earlier waits against the budget before honouring a Retry-After', async () => {
    // random() = 1: the 500 waits 40 ms (backoff); the 429's Retry-After (1 s) does not fit in the 500 ms left of 540 ms.
    const { events } = await setup(
      (_req, res, index) => (index === 1 ? res.writeHead(500).end() : res.writeHead(429, { 'retry-after': '1' }).end('"slow down"')),
      { retry: { baseDelayMs: 40, maxDelayMs: 1000, maxTotalWaitMs: 540 } },
    );
    const response = await client!.request({ method: 'GET', url: `${server!.url}/x` });
    expect(response.status).toBe(429);
    expect(response.attempts).toBe(2);
    expect(events.map((event) => event.delayMs)).toEqual([40]);
    expect(response.retryAfterRefused).toEqual({ retryAfterMs: 1000, budgetLeftMs: 500 });
  });

  it('retries dropped connections', async () => {
    const { events } = await setup((req, res, index) => {
      if (index <= 2) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200).end('fine');
    });
    const response = await client!.request({ method: 'GET', url: `${server!.url}/flaky` });
    expect(response.text).toBe('fine');
    expect(response.attempts).toBe(3);
    expect(events).toHaveLength(2);
    expect(events[0]?.reason).toMatch(/UND_ERR_SOCKET|ECONNRESET|socket/);
  });

  it.each([400, 401, 403, 404, 409, 410])('does not retry status %i', async (status) => {
    const { events } = await setup((_req, res) => res.writeHead(status).end('"no"'));
    const response = await client!.request({ method: 'GET', url: `${server!.url}/x` });
    expect(response.status).toBe(status);
    expect(response.attempts).toBe(1);
    expect(server!.count).toBe(1);
    expect(events).toEqual([]);
  });

  it('stops after maxAttempts and returns the last retryable response to the caller', async () => {
    await setup((_req, res) => res.writeHead(503).end('busy'), { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const response = await client!.request({ method: 'GET', url: `${server!.url}/x` });
    expect(response.status).toBe(503);
    expect(response.attempts).toBe(3);
    expect(server!.count).toBe(3);
  });

  it('stops when the next wait would exceed maxTotalWaitMs', async () => {
    // Delays with random() = 1: 10, 20, 40 … → 10 + 20 = 30 fits in 35, 30 + 40 does not.
    const { events } = await setup((_req, res) => res.writeHead(500).end(), {
      retry: { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 1000, maxTotalWaitMs: 35 },
    });
    const response = await client!.request({ method: 'GET', url: `${server!.url}/x` });
    expect(response.status).toBe(500);
    expect(response.attempts).toBe(3);
    expect(events.map((event) => event.delayMs)).toEqual([10, 20]);
  });

  it('does not retry when request.retry is false', async () => {
    await setup((_req, res) => res.writeHead(503).end());
    const response = await client!.request({ method: 'POST', url: `${server!.url}/Auth/Signout`, retry: false });
    expect(response.status).toBe(503);
    expect(server!.count).toBe(1);
  });

  it('throws HTTP_NETWORK naming the endpoint after the last attempt of a network failure', async () => {
    await setup((req) => req.socket.destroy(), { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const error = await rejection(client!.request({ method: 'GET', url: `${server!.url}/api/public/v3/ManagedAccounts?limit=5` }));
    expect(error.code).toBe('HTTP_NETWORK');
    expect(error.message).toMatch(/^GET ManagedAccounts failed: network error \(.+\) after 2 attempts\.$/);
    expect(error.hint).toMatch(/base_url.*verify_tls/s);
    expect(error.details).toMatchObject({ endpoint: 'GET ManagedAccounts', attempts: 2 });
    expect(server!.count).toBe(2);
  });
});

describe('responses', () => {
  it('lower-cases headers, always gives set-cookie as an array and sends a User-Agent', async () => {
    await setup((req, res) => {
      res.setHeader('Set-Cookie', ['a=1; path=/', 'b=2; HttpOnly']);
      res.setHeader('X-Custom', 'yes');
      res.writeHead(200).end(req.headers['user-agent']);
    });
    const response = await client!.request({ method: 'GET', url: `${server!.url}/x` });
    expect(response.headers['set-cookie']).toEqual(['a=1; path=/', 'b=2; HttpOnly']);
    expect(response.headers['x-custom']).toBe('yes');
    expect(response.text).toMatch(/^beyondtrust-mcp\/\d+\.\d+\.\d+/);
    expect(response.url).toBe(`${server!.url}/x`);

    const without = await setup((_req, res) => res.writeHead(200).end(), { userAgent: 'custom/1' });
    expect((await client!.request({ method: 'GET', url: `${server!.url}/y` })).headers['set-cookie']).toEqual([]);
    expect(server!.seen[0]?.headers['user-agent']).toBe('custom/1');
    expect(without.events).toEqual([]);
  });

  it('sends method, headers and body', async () => {
    await setup((_req, res) => res.writeHead(201).end('7'));
    const response = await client!.request({
      method: 'POST',
      url: `${server!.url}/Requests`,
      headers: { 'content-type': 'application/json' },
      body: '{"SystemID":1}',
    });
    expect(response.status).toBe(201);
    expect(server!.seen[0]).toMatchObject({ method: 'POST', url: '/Requests' });
    expect(server!.seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('drains a body unread with discardBody (text is empty); the next request still works', async () => {
    const body = `"PLAINTEXT-CREDENTIAL-${'x'.repeat(50_000)}"`;
    await setup((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    const discarded = await client!.request({ method: 'GET', url: `${server!.url}/Credentials/1`, discardBody: true });
    expect(discarded.status).toBe(200);
    expect(discarded.text).toBe('');
    expect(JSON.stringify(discarded)).not.toContain('PLAINTEXT-CREDENTIAL');
    const read = await client!.request({ method: 'GET', url: `${server!.url}/Credentials/2` });
    expect(read.text).toBe(body);
  });

  it('refuses requests after close with HTTP_CLIENT_CLOSED', async () => {
    await setup((_req, res) => res.writeHead(200).end());
    await client!.close();
    const error = await rejection(client!.request({ method: 'GET', url: `${server!.url}/x` }));
    expect(error.code).toBe('HTTP_CLIENT_CLOSED');
  });
});
