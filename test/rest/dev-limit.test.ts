/** devLimit over loopback HTTP: one page budget per resource across parents, and no state advance when cut short. */
import { afterEach, describe, expect, it } from 'vitest';
import { restApiSource } from '../../src/rest/rest-api-source.js';
import type { ExtractedPage, Source, SourceState } from '../../src/rest/types.js';
import { startJsonServer, type JsonServer, type Reply, type SeenRequest } from './helpers/json-server.js';

let server: JsonServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect(source: Source, options: { state?: SourceState; devLimit?: number } = {}): Promise<{ pages: ExtractedPage[]; state: SourceState }> {
  const run = source.extract({ state: options.state ?? {}, ...(options.devLimit !== undefined ? { devLimit: options.devLimit } : {}) });
  const pages: ExtractedPage[] = [];
  for await (const page of run) pages.push(page);
  return { pages, state: run.state };
}

const path = (r: SeenRequest): string => r.url.pathname.replace(/^\/api\//, '');
const rows = (pages: ExtractedPage[], resource: string) => pages.filter((p) => p.resource === resource).flatMap((p) => p.items);

/** items: 3 parents, one per offset page (id 1..3, ts = id); items/{id}/events: two events per parent (ts 10*id, 10*id+1). */
function api(r: SeenRequest): Reply {
  const p = path(r);
  if (p === 'items') {
    const offset = Number(r.url.searchParams.get('offset') ?? 0);
    return { body: { total: 3, data: offset < 3 ? [{ id: offset + 1, ts: offset + 1 }] : [] } };
  }
  const id = Number(/^items\/(\d+)\/events$/.exec(p)?.[1]);
  const page = Number(r.url.searchParams.get('page') ?? 1);
  return { body: page === 1 ? [{ eid: `${id}-a`, ts: 10 * id }, { eid: `${id}-b`, ts: 10 * id + 1 }] : [] };
}

function source(baseUrl: string, eventsPaginator: unknown = 'single_page'): Source {
  return restApiSource({
    client: { base_url: baseUrl },
    resources: [
      { name: 'items', primary_key: 'id', endpoint: { data_selector: 'data', paginator: { type: 'offset', limit: 1, total_path: 'total' }, incremental: { cursor_path: 'ts', initial_value: 0 } } },
      {
        name: 'events',
        primary_key: 'eid',
        endpoint: { path: 'items/{resources.items.id}/events', data_selector: '$', paginator: eventsPaginator as never, incremental: { cursor_path: 'ts', initial_value: 0 } },
      },
    ],
  });
}

describe('devLimit', () => {
  it('counts a child\'s pages over all its parents and stops fanning out once they are used up', async () => {
    server = await startJsonServer(api);
    const { pages } = await collect(source(server.baseUrl, { type: 'page_number', base_page: 1 }), { devLimit: 3 });
    // items: its 3 pages. events (2 pages per parent, the second empty): 3 requests in all, not 3 per parent —
    // item 1's two pages and item 2's first; item 3's events are never asked for.
    expect(pages.filter((p) => p.resource === 'items')).toHaveLength(3);
    expect(server.requests.filter((r) => path(r).endsWith('/events')).map((r) => `${path(r)}?page=${r.url.searchParams.get('page')}`)).toEqual([
      'items/1/events?page=1',
      'items/1/events?page=2',
      'items/2/events?page=1',
    ]);
    expect(rows(pages, 'events').map((r) => r['eid'])).toEqual(['1-a', '1-b', '2-a', '2-b']);
  });

  it('keeps the previous state of a resource cut short, and of a child whose parent was cut short', async () => {
    server = await startJsonServer(api);
    const before: SourceState = { events: { incremental: { cursor_path: 'ts', initial_value: 0, last_value: 5 } } };
    // devLimit 2: items reads 2 of its 3 pages (cut short); events reads exactly its 2 pages (one per parent seen) but
    // never saw the third parent's events.
    const limited = await collect(source(server.baseUrl), { state: before, devLimit: 2 });
    expect(rows(limited.pages, 'items').map((r) => r['id'])).toEqual([1, 2]);
    expect(rows(limited.pages, 'events')).toHaveLength(4);
    expect(limited.state).toEqual(before);

    const full = await collect(source(server.baseUrl), { state: limited.state });
    expect(rows(full.pages, 'items').map((r) => r['id'])).toEqual([1, 2, 3]);
    expect(rows(full.pages, 'events').map((r) => r['eid'])).toEqual(['1-a', '1-b', '2-a', '2-b', '3-a', '3-b']);
    expect(full.state['items']?.incremental?.last_value).toBe(3);
    expect(full.state['events']?.incremental?.last_value).toBe(31);
  });

  it('advances the state when the limit was not reached', async () => {
    server = await startJsonServer(api);
    const { state } = await collect(source(server.baseUrl), { devLimit: 10 });
    expect(state['items']?.incremental?.last_value).toBe(3);
    expect(state['events']?.incremental?.last_value).toBe(31);
  });
});
