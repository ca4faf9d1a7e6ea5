import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import type { HttpClientLike, HttpRequest } from '../../src/http/types.js';
import { restApiSource } from '../../src/rest/rest-api-source.js';
import type { AuthStrategy, ExtractEvent, ExtractedPage, Source, SourceState } from '../../src/rest/types.js';
import { startJsonServer, type JsonServer, type Reply, type SeenRequest } from './helpers/json-server.js';

let server: JsonServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fastHttp = (): HttpClientLike => createHttpClient({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });

async function collect(source: Source, options: { state?: SourceState; devLimit?: number; events?: ExtractEvent[] } = {}): Promise<{ pages: ExtractedPage[]; state: SourceState }> {
  const run = source.extract({
    state: options.state ?? {},
    ...(options.devLimit !== undefined ? { devLimit: options.devLimit } : {}),
    onEvent: (e) => options.events?.push(e),
  });
  const pages: ExtractedPage[] = [];
  for await (const page of run) pages.push(page);
  return { pages, state: run.state };
}

function rowsOf(pages: ExtractedPage[], resource: string): Record<string, unknown>[] {
  return pages.filter((p) => p.resource === resource).flatMap((p) => p.items);
}

function path(request: SeenRequest): string {
  return request.url.pathname.replace(/^\/api\//, '');
}

describe('restApiSource over loopback HTTP', () => {
  it('reads each response shape: array, container, single object and scalar', async () => {
    server = await startJsonServer((r): Reply => {
      switch (path(r)) {
        case 'array':
          return { body: [{ id: 1 }, { id: 2 }] };
        case 'container':
          return { body: { TotalCount: 2, Data: [{ id: 3 }, { id: 4 }] } };
        case 'object':
          return { body: { UserId: 5, UserName: 'u' } };
        default:
          return { body: 124 };
      }
    });
    const source = restApiSource({
      client: { base_url: server.baseUrl, paginator: 'single_page' },
      resources: ['array', { name: 'container', endpoint: { data_selector: 'Data' } }, { name: 'object', endpoint: { data_selector: '$' } }, 'scalar'],
    });
    const { pages } = await collect(source);
    expect(rowsOf(pages, 'array')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(rowsOf(pages, 'container')).toEqual([{ id: 3 }, { id: 4 }]);
    expect(rowsOf(pages, 'object')).toEqual([{ UserId: 5, UserName: 'u' }]);
    expect(rowsOf(pages, 'scalar')).toEqual([{ value: 124 }]);
  });

  it('pages with limit/offset to the end, prefetching in order', async () => {
    const total = 95;
    server = await startJsonServer((r) => {
      const limit = Number(r.url.searchParams.get('limit'));
      const offset = Number(r.url.searchParams.get('offset'));
      const data = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({ id: offset + i }));
      return { body: { TotalCount: total, Data: data } };
    });
    const source = restApiSource(
      { client: { base_url: server.baseUrl }, resources: [{ name: 'items', primary_key: 'id', endpoint: { data_selector: 'Data', paginator: { type: 'offset', limit: 10, total_path: 'TotalCount' } } }] },
      { concurrency: 4 },
    );
    const events: ExtractEvent[] = [];
    const { pages } = await collect(source, { events });
    const ids = rowsOf(pages, 'items').map((r) => r['id']);
    expect(ids).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // TotalCount bounds the prefetch window: exactly one request per page.
    expect(server.requests).toHaveLength(10);
    expect(events.filter((e) => e.type === 'resource_done')).toEqual([{ type: 'resource_done', resource: 'items', pages: 10, items: 95 }]);
  });

  it('stops a paginator that repeats its cursor with PAGINATOR_LOOP', async () => {
    server = await startJsonServer(() => ({ body: { items: [{ id: Math.random() }], next_cursor: 'same' } }));
    const source = restApiSource({
      client: { base_url: server.baseUrl },
      resources: [{ name: 'loop', endpoint: { data_selector: 'items', paginator: { type: 'cursor', cursor_path: 'next_cursor' } } }],
    });
    await expect(collect(source)).rejects.toMatchObject({ code: 'PAGINATOR_LOOP', message: expect.stringContaining('"loop"') });
    expect(server.requests.length).toBe(2);
  });

  it('stops a server that ignores the offset (same page twice) with PAGINATOR_LOOP', async () => {
    server = await startJsonServer(() => ({ body: [{ id: 1 }, { id: 2 }] }));
    const source = restApiSource({
      client: { base_url: server.baseUrl },
      resources: [{ name: 'stuck', endpoint: { paginator: { type: 'offset', limit: 2 } } }],
    });
    await expect(collect(source)).rejects.toMatchObject({ code: 'PAGINATOR_LOOP', message: expect.stringContaining('offset') });
  });

  it('stops at max_pages with PAGINATOR_PAGE_CAP', async () => {
    server = await startJsonServer((r) => ({ body: { items: [{ p: r.url.searchParams.get('page') }] } }));
    const source = restApiSource({
      client: { base_url: server.baseUrl },
      resources: [{ name: 'endless', endpoint: { data_selector: 'items', max_pages: 5, paginator: { type: 'page_number', base_page: 1 } } }],
    });
    await expect(collect(source)).rejects.toMatchObject({ code: 'PAGINATOR_PAGE_CAP', message: expect.stringContaining('max_pages (5)') });
  });

  it('fans out children per parent record, includes parent fields and ignores 404s', async () => {
    server = await startJsonServer((r): Reply => {
      const p = path(r);
      if (p === 'groups') return { body: [{ ID: 1, Name: 'a' }, { ID: 2, Name: 'b' }, { ID: 3, Name: 'gone' }] };
      const match = /^groups\/(\d+)\/members$/.exec(p);
      if (match?.[1] === '3') return { status: 404, body: 'not found' };
      return { body: [{ member: `${match?.[1]}-x` }, { member: `${match?.[1]}-y` }] };
    });
    const source = restApiSource(
      {
        client: { base_url: server.baseUrl, paginator: 'single_page' },
        resources: [
          { name: 'groups', selected: false },
          {
            name: 'members',
            include_from_parent: ['Name'],
            endpoint: { path: 'groups/{resources.groups.ID}/members', response_actions: [{ status_code: 404, action: 'ignore' }] },
          },
        ],
      },
      { concurrency: 2 },
    );
    const { pages } = await collect(source);
    expect(pages.every((p) => p.resource === 'members')).toBe(true);
    expect(rowsOf(pages, 'members').sort((a, b) => String(a['member']).localeCompare(String(b['member'])))).toEqual([
      { member: '1-x', _groups_Name: 'a' },
      { member: '1-y', _groups_Name: 'a' },
      { member: '2-x', _groups_Name: 'b' },
      { member: '2-y', _groups_Name: 'b' },
    ]);
  });

  it('names the available fields when a child placeholder field is missing', async () => {
    server = await startJsonServer((r) => ({ body: path(r) === 'groups' ? [{ Id: 1, Name: 'a' }] : [] }));
    const source = restApiSource({ client: { base_url: server.baseUrl, paginator: 'single_page' }, resources: ['groups', { name: 'members', endpoint: 'groups/{resources.groups.ID}/m' }] });
    await expect(collect(source)).rejects.toMatchObject({ code: 'PARENT_FIELD_MISSING', message: expect.stringContaining('Available fields: Id, Name') });
  });

  it('re-authenticates once on 401 and fails on a second 401, closing the auth exactly once', async () => {
    let valid = 'v1';
    server = await startJsonServer((r) => (r.headers['authorization'] === `Bearer ${valid}` ? { body: [{ ok: true }] } : { status: 401, body: 'User not authenticated' }));
    const calls = { apply: 0, unauthorized: 0, close: 0 };
    let token = 'v0';
    const auth: AuthStrategy = {
      kind: 'test',
      async apply(request: HttpRequest) {
        calls.apply += 1;
        request.headers = { ...request.headers, authorization: `Bearer ${token}` };
      },
      async onUnauthorized() {
        calls.unauthorized += 1;
        token = 'v1';
        return true;
      },
      async close() {
        calls.close += 1;
      },
    };
    const events: ExtractEvent[] = [];
    const ok = await collect(restApiSource({ client: { base_url: server.baseUrl, auth, paginator: 'single_page' }, resources: ['things'] }), { events });
    expect(rowsOf(ok.pages, 'things')).toEqual([{ ok: true }]);
    expect(calls).toEqual({ apply: 2, unauthorized: 1, close: 1 });
    expect(events.filter((e) => e.type === 'reauth')).toHaveLength(1);

    valid = 'never';
    server.requests.length = 0;
    await expect(collect(restApiSource({ client: { base_url: server.baseUrl, auth, paginator: 'single_page' }, resources: ['things'] }))).rejects.toMatchObject({ code: 'BT_HTTP_401' });
    expect(server.requests).toHaveLength(2);
    expect(calls.close).toBe(2);
  });

  it('a malformed body reaches no error message or cause (V8 quotes the body in its SyntaxError)', async () => {
    server = await startJsonServer(() => ({ raw: 'SENTINEL_BODY_TEXT {"Password":"SENTINEL_BODY_TEXT"' }));
    const failure = await collect(restApiSource({ client: { base_url: server.baseUrl, paginator: 'single_page' }, resources: ['things'] })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'BT_MALFORMED_RESPONSE' });
    const chain: string[] = [];
    for (let error: unknown = failure; error instanceof Error; error = error.cause) chain.push(error.message, String(error.stack), JSON.stringify(error));
    expect(chain.join('\n')).not.toContain('SENTINEL');
  });

  it('retries a malformed JSON body, then fails with BT_MALFORMED_RESPONSE naming the endpoint', async () => {
    let served = 0;
    server = await startJsonServer(() => {
      served += 1;
      return served === 1 ? { raw: '[{"id":1},{"i' } : { body: [{ id: 1 }] };
    });
    const ok = await collect(restApiSource({ client: { base_url: server.baseUrl, paginator: 'single_page' }, resources: ['things'] }), {});
    expect(rowsOf(ok.pages, 'things')).toEqual([{ id: 1 }]);

    await server.close();
    server = await startJsonServer(() => ({ raw: '{"broken' }));
    await expect(collect(restApiSource({ client: { base_url: server.baseUrl, paginator: 'single_page' }, resources: ['things'] }))).rejects.toMatchObject({
      code: 'BT_MALFORMED_RESPONSE',
      message: expect.stringContaining('GET things'),
    });
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry 4xx and reports the endpoint and status', async () => {
    server = await startJsonServer(() => ({ status: 403, body: { ErrorCode: 4031 } }));
    await expect(collect(restApiSource({ client: { base_url: server.baseUrl, paginator: 'single_page' }, resources: ['things'] }, { http: fastHttp() }))).rejects.toMatchObject({
      code: 'BT_HTTP_403',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('sends the incremental start value as a parameter and filters client-side', async () => {
    const rows = [
      { id: 1, updated: '2024-01-01T00:00:00.5' },
      { id: 2, updated: '2024-02-01T00:00:00' },
      { id: 3, updated: '2024-03-01T00:00:00.123' },
    ];
    server = await startJsonServer(() => ({ body: rows }));
    const source = restApiSource({
      client: { base_url: server.baseUrl, paginator: 'single_page' },
      resources: [{ name: 'items', primary_key: 'id', endpoint: { incremental: { cursor_path: 'updated', initial_value: '2024-01-15T00:00:00Z', param: 'since', param_format: 'iso_seconds_z' } } }],
    });
    const first = await collect(source);
    expect(rowsOf(first.pages, 'items').map((r) => r['id'])).toEqual([2, 3]);
    expect(server.requests[0]?.url.searchParams.get('since')).toBe('2024-01-15T00:00:00Z');
    expect(first.state['items']?.incremental?.last_value).toBe('2024-03-01T00:00:00.123');
    const second = await collect(source, { state: first.state });
    expect(server.requests[1]?.url.searchParams.get('since')).toBe('2024-03-01T00:00:00Z');
    expect(rowsOf(second.pages, 'items')).toEqual([]);
  });

  it('honours the dev limit per resource', async () => {
    server = await startJsonServer((r) => ({ body: Array.from({ length: 5 }, (_, i) => ({ id: Number(r.url.searchParams.get('offset')) + i })) }));
    const { pages } = await collect(restApiSource({ client: { base_url: server.baseUrl }, resources: [{ name: 'items', endpoint: { paginator: { type: 'offset', limit: 5 } } }] }), { devLimit: 3 });
    expect(pages).toHaveLength(3);
  });

  it('applies bearer, api_key (header and query), basic and oauth2 auth configs', async () => {
    server = await startJsonServer((r) => (path(r) === 'token' ? { body: { access_token: 'oauth-token-1', expires_in: 3600 } } : { body: [{ ok: 1 }] }));
    const run = async (auth: unknown): Promise<SeenRequest> => {
      server!.requests.length = 0;
      await collect(restApiSource({ client: { base_url: server!.baseUrl, auth, paginator: 'single_page' }, resources: ['data'] }));
      return server!.requests.find((r) => path(r) === 'data') as SeenRequest;
    };
    expect((await run({ type: 'bearer', token: 'tok-abc' })).headers['authorization']).toBe('Bearer tok-abc');
    expect((await run({ type: 'api_key', name: 'X-Api-Key', api_key: 'key-abc' })).headers['x-api-key']).toBe('key-abc');
    expect((await run({ type: 'api_key', name: 'apikey', api_key: 'key-q', location: 'query' })).url.searchParams.get('apikey')).toBe('key-q');
    expect((await run({ type: 'http_basic', username: 'user', password: 'pass-abc' })).headers['authorization']).toBe(`Basic ${Buffer.from('user:pass-abc').toString('base64')}`);
    const oauth = await run({ type: 'oauth2_client_credentials', access_token_url: `${server.baseUrl}/token`, client_id: 'cid', client_secret: 'csecret' });
    expect(oauth.headers['authorization']).toBe('Bearer oauth-token-1');
    const tokenRequest = server.requests.find((r) => path(r) === 'token');
    expect(new URLSearchParams(tokenRequest?.body)).toEqual(new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'csecret' }));
  });

  it('stops early: aborts in-flight prefetches, then closes the auth exactly once after they settle', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server = await startJsonServer(async (r) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      const offset = Number(r.url.searchParams.get('offset'));
      return { body: Array.from({ length: 10 }, (_, i) => ({ id: offset + i })) };
    });
    let closes = 0;
    let inFlightAtClose = -1;
    let pending = 0;
    const http = fastHttp();
    const counting: HttpClientLike = {
      async request(request) {
        pending += 1;
        try {
          return await http.request(request);
        } finally {
          pending -= 1;
        }
      },
      close: () => http.close(),
    };
    const auth: AuthStrategy = {
      kind: 'test',
      async apply() {},
      async close() {
        closes += 1;
        inFlightAtClose = pending;
      },
    };
    const source = restApiSource({ client: { base_url: server.baseUrl, auth }, resources: [{ name: 'items', endpoint: { paginator: { type: 'offset', limit: 10 } } }] }, { http: counting, concurrency: 4 });
    let seen = 0;
    for await (const _ of source.extract({ state: {} })) {
      seen += 1;
      if (seen === 3) break;
    }
    expect(closes).toBe(1);
    expect(inFlightAtClose).toBe(0);
    expect(maxInFlight).toBeGreaterThan(1);
    await http.close();
  });

  it('cancels through the signal with CANCELLED and still closes the auth once', async () => {
    server = await startJsonServer(async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const offset = Number(r.url.searchParams.get('offset'));
      return { body: Array.from({ length: 10 }, (_, i) => ({ id: offset + i })) };
    });
    let closes = 0;
    const auth: AuthStrategy = { kind: 'test', async apply() {}, async close() { closes += 1; } };
    const source = restApiSource({ client: { base_url: server.baseUrl, auth }, resources: [{ name: 'items', endpoint: { paginator: { type: 'offset', limit: 10 } } }] });
    const controller = new AbortController();
    const consume = async (): Promise<number> => {
      let seen = 0;
      for await (const _ of source.extract({ state: {}, signal: controller.signal })) {
        seen += 1;
        if (seen === 2) controller.abort();
      }
      return seen;
    };
    await expect(consume()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(closes).toBe(1);
  });
});
