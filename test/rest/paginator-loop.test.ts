/** The loop guard remembers the last 64 pages by content (keys, any order), not just the previous page's bytes. */
import { afterEach, describe, expect, it } from 'vitest';
import { pageFingerprint, PAGE_FINGERPRINTS } from '../../src/rest/paginate.js';
import { restApiSource } from '../../src/rest/rest-api-source.js';
import type { Source } from '../../src/rest/types.js';
import { startJsonServer, type JsonServer } from './helpers/json-server.js';

let server: JsonServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function drain(source: Source): Promise<number> {
  let rows = 0;
  for await (const page of source.extract({ state: {} })) rows += page.items.length;
  return rows;
}

describe('paginator loop guard', () => {
  it('stops a server that ignores the offset and shuffles its rows (every body differs) with PAGINATOR_LOOP', async () => {
    let call = 0;
    server = await startJsonServer(() => {
      call += 1;
      const rows = [{ id: 1, n: 'a' }, { id: 2, n: 'b' }, { id: 3, n: 'c' }];
      // Rotate the rows so no two consecutive bodies are byte-identical.
      return { body: [...rows.slice(call % 3), ...rows.slice(0, call % 3)] };
    });
    const source = restApiSource({
      client: { base_url: server.baseUrl },
      // max_pages bounds the test if the guard regresses (it would end with PAGINATOR_PAGE_CAP instead).
      resources: [{ name: 'shuffled', primary_key: 'id', endpoint: { max_pages: 50, paginator: { type: 'offset', limit: 3 } } }],
    }, { concurrency: 1 });
    await expect(drain(source)).rejects.toMatchObject({ code: 'PAGINATOR_LOOP', message: expect.stringContaining('the same page twice in a row') });
    expect(server.requests).toHaveLength(2);
  });

  it('stops an A-B-A cycle of pages behind ever-new cursors with PAGINATOR_LOOP naming both pages', async () => {
    server = await startJsonServer((r) => {
      const n = Number(r.url.searchParams.get('cursor') ?? 0);
      const items = n % 2 === 0 ? [{ id: 'a1' }, { id: 'a2' }] : [{ id: 'b1' }, { id: 'b2' }];
      return { body: { items, next: String(n + 1) } };
    });
    const source = restApiSource({
      client: { base_url: server.baseUrl },
      resources: [{ name: 'cycle', primary_key: 'id', endpoint: { data_selector: 'items', max_pages: 50, paginator: { type: 'cursor', cursor_path: 'next', cursor_param: 'cursor' } } }],
    });
    await expect(drain(source)).rejects.toMatchObject({
      code: 'PAGINATOR_LOOP',
      message: expect.stringContaining('returned page 3 with the same records as page 1'),
      details: expect.objectContaining({ page: 3, repeats_page: 1 }),
    });
    expect(server.requests).toHaveLength(3);
  });

  it('lets distinct pages through, and uses whole records when there is no (complete) primary key', async () => {
    server = await startJsonServer((r) => {
      const page = Number(r.url.searchParams.get('page') ?? 1);
      // Same (missing) key on every row, different content per page: must not look like a loop.
      return { body: page <= 5 ? [{ value: page }, { value: page * 10 }] : [] };
    });
    const source = restApiSource({
      client: { base_url: server.baseUrl },
      resources: [{ name: 'keyless', primary_key: 'missing_id', endpoint: { paginator: { type: 'page_number', base_page: 1 } } }],
    });
    await expect(drain(source)).resolves.toBe(10);
  });

  it('fingerprints ignore row order but not content, and remember a bounded number of pages', () => {
    expect(pageFingerprint([{ id: 1 }, { id: 2 }], ['id'])).toBe(pageFingerprint([{ id: 2, x: 'changed' }, { id: 1 }], ['id']));
    expect(pageFingerprint([{ id: 1 }, { id: 2 }], ['id'])).not.toBe(pageFingerprint([{ id: 1 }, { id: 3 }], ['id']));
    expect(pageFingerprint([{ a: 1 }, { a: 2 }])).toBe(pageFingerprint([{ a: 2 }, { a: 1 }]));
    expect(pageFingerprint([{ a: 1 }])).not.toBe(pageFingerprint([{ a: 2 }]));
    expect(PAGE_FINGERPRINTS).toBe(64);
  });
});
