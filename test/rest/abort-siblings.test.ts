/**
 * A failing child request sequence must stop its siblings at once: their requests are aborted, the error reaches the
 * consumer while a sibling's request is still held by the server, and sign-out happens once, after requests settled.
 * The held request is released by the test (or, if the fix regresses, by a safety timer) — the assertions are about
 * order, not time.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import type { HttpClientLike } from '../../src/http/types.js';
import { restApiSource } from '../../src/rest/rest-api-source.js';
import type { AuthStrategy } from '../../src/rest/types.js';
import { startLoopbackServer, type LoopbackServer } from '../http/support/loopback-server.js';

let server: LoopbackServer | undefined;
const held: ServerResponse[] = [];
afterEach(async () => {
  for (const res of held.splice(0)) res.destroy();
  await server?.close();
  server = undefined;
});

/** Resolves after `ms` unless cancelled; marks `fired` so a test can tell the deadlock guard was needed. */
function safetyTimer(ms: number, onFire: () => void): { fired: () => boolean; cancel: () => void } {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    onFire();
  }, ms);
  return { fired: () => fired, cancel: () => clearTimeout(timer) };
}

describe('a failing child stops its siblings promptly', () => {
  it('aborts the slow sibling request, fails with the real error while it is held, signs out once after settling', async () => {
    let markClosed: (aborted: boolean) => void = () => undefined;
    const slowClosed = new Promise<boolean>((resolve) => (markClosed = resolve));
    server = await startLoopbackServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/api/groups') return void res.writeHead(200, { 'content-type': 'application/json' }).end('[{"ID":1},{"ID":2}]');
      if (path === '/api/groups/1/members') {
        // Held: never answered unless released. Closed before an answer = the client aborted it.
        res.on('close', () => markClosed(!res.writableEnded));
        held.push(res);
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' }).end('"member list refused"');
    });
    const release = (): void => {
      for (const res of held.splice(0)) res.writeHead(200).end('[]');
    };
    const guard = safetyTimer(10_000, release);

    const inner = createHttpClient({ retry: { maxAttempts: 1 } });
    let inFlight = 0;
    const http: HttpClientLike = {
      async request(request) {
        inFlight += 1;
        try {
          return await inner.request(request);
        } finally {
          inFlight -= 1;
        }
      },
      close: () => inner.close(),
    };
    const closes: { inFlight: number; heldOpen: boolean }[] = [];
    const auth: AuthStrategy = {
      kind: 'test',
      apply: async () => undefined,
      close: async () => {
        closes.push({ inFlight, heldOpen: !guard.fired() });
      },
    };
    const source = restApiSource(
      {
        client: { base_url: `${server.url}/api`, auth, paginator: 'single_page' },
        resources: [{ name: 'groups', selected: false }, { name: 'members', endpoint: 'groups/{resources.groups.ID}/members' }],
      },
      { concurrency: 2, http },
    );
    let failure: unknown;
    try {
      for await (const _ of source.extract({ state: {} })) {
        // consume
      }
    } catch (error) {
      failure = error;
    }
    const failedWhileHeld = !guard.fired();
    // The server sees the held request go away without an answer (after a regression: answered by the guard).
    const abortedByClient = await slowClosed;
    guard.cancel();
    release();
    await inner.close();

    expect(failure).toMatchObject({ code: 'BT_HTTP_400', message: expect.stringContaining('GET groups/2/members failed with HTTP 400') });
    expect(failedWhileHeld).toBe(true);
    expect(abortedByClient).toBe(true);
    expect(closes).toEqual([{ inFlight: 0, heldOpen: true }]);
    expect(server.count).toBe(3);
  });

  it('reports a grandchild\'s failure, not the CANCELLED of the siblings it aborted', async () => {
    server = await startLoopbackServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const json = (body: string, status = 200): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      if (path === '/api/groups') return json('[{"ID":1},{"ID":2}]');
      if (path === '/api/groups/1/members') return void held.push(res);
      if (path === '/api/groups/2/members') return json('[{"MID":7}]');
      return json('"no details"', 400);
    });
    const guard = safetyTimer(10_000, () => {
      for (const res of held.splice(0)) res.writeHead(200).end('[]');
    });
    const source = restApiSource(
      {
        client: { base_url: `${server.url}/api`, paginator: 'single_page' },
        resources: [
          { name: 'groups', selected: false },
          { name: 'members', endpoint: 'groups/{resources.groups.ID}/members' },
          { name: 'details', endpoint: 'members/{resources.members.MID}/details' },
        ],
      },
      { concurrency: 2, httpOptions: { retry: { maxAttempts: 1 } } },
    );
    const failure = await (async () => {
      for await (const _ of source.extract({ state: {} })) {
        // consume
      }
    })().catch((error: unknown) => error);
    const failedWhileHeld = !guard.fired();
    guard.cancel();
    expect(failure).toMatchObject({ code: 'BT_HTTP_400', message: expect.stringContaining('GET members/7/details failed with HTTP 400') });
    expect(failedWhileHeld).toBe(true);
  });
});
