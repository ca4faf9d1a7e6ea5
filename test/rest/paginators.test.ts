import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/http/types.js';
import { createPaginator } from '../../src/rest/paginators/index.js';
import { findLink } from '../../src/rest/paginators/header-link.js';
import type { PageRequest, PageView } from '../../src/rest/paginators/types.js';

function view(body: unknown, records: unknown[], headers: HttpResponse['headers'] = {}): PageView {
  return {
    response: { status: 200, headers, text: JSON.stringify(body), url: 'http://x/api/items', attempts: 1 },
    body,
    records,
    requestUrl: 'http://x/api/items?page=1',
  };
}

const base: PageRequest = { url: 'items', params: {} };
const rows = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('offset paginator', () => {
  it('sets limit/offset and advances by limit', () => {
    const p = createPaginator({ type: 'offset', limit: 2 });
    const first = p.init(base);
    expect(first.params).toEqual({ limit: '2', offset: '0' });
    const second = p.next(first, view(rows(2), rows(2)));
    expect(second?.params).toEqual({ limit: '2', offset: '2' });
  });

  it('stops on a short page, on an empty page and at TotalCount', () => {
    const p = createPaginator({ type: 'offset', limit: 2, total_path: 'TotalCount' });
    const first = p.init(base);
    expect(p.next(first, view(rows(1), rows(1)))).toBeUndefined();
    expect(p.next(first, view([], []))).toBeUndefined();
    const atTotal = { ...first, params: { ...first.params, offset: '2' } };
    expect(p.next(atTotal, view({ TotalCount: 4, Data: rows(2) }, rows(2)))).toBeUndefined();
    expect(p.total).toBe(4);
  });

  it('honours custom param names, maximum_offset and has_more', () => {
    const p = createPaginator({ type: 'offset', limit: 10, limit_param: 'Limit', offset_param: 'Offset', maximum_offset: 20, has_more_path: 'more' });
    const first = p.init(base);
    expect(first.params).toEqual({ Limit: '10', Offset: '0' });
    const second = p.next(first, view({ more: true }, rows(10)));
    expect(second?.params['Offset']).toBe('10');
    expect(p.next(second as PageRequest, view({ more: true }, rows(10)))).toBeUndefined();
    expect(p.next(first, view({ more: false }, rows(10)))).toBeUndefined();
  });

  it('looks ahead only inside the known total', () => {
    const p = createPaginator({ type: 'offset', limit: 10, total_path: 'TotalCount' });
    const first = p.init(base);
    const v = view({ TotalCount: 35, Data: rows(10) }, rows(10));
    const second = p.next(first, v) as PageRequest;
    expect(p.ahead?.(second, 1, v)?.params['offset']).toBe('20');
    expect(p.ahead?.(second, 2, v)?.params['offset']).toBe('30');
    expect(p.ahead?.(second, 3, v)).toBeUndefined();
  });

  it('clone gives an independent instance', () => {
    const p = createPaginator({ type: 'offset', limit: 5, total_path: 'TotalCount' });
    p.next(p.init(base), view({ TotalCount: 7 }, rows(5)));
    expect(p.total).toBe(7);
    expect(p.clone().total).toBeUndefined();
  });
});

describe('page_number paginator', () => {
  it('counts pages from base_page and stops at total pages', () => {
    const p = createPaginator({ type: 'page_number', base_page: 1, total_path: 'pages' });
    const first = p.init(base);
    expect(first.params).toEqual({ page: '1' });
    const second = p.next(first, view({ pages: 2 }, rows(3))) as PageRequest;
    expect(second.params['page']).toBe('2');
    expect(p.next(second, view({ pages: 2 }, rows(3)))).toBeUndefined();
  });

  it('stops on an empty page by default', () => {
    const p = createPaginator('page_number');
    expect(p.next(p.init(base), view([], []))).toBeUndefined();
  });
});

describe('cursor paginator', () => {
  it('sends the cursor from the body and stops when it is missing', () => {
    const p = createPaginator({ type: 'cursor', cursor_path: 'meta.next', cursor_param: 'after' });
    const first = p.init(base);
    const second = p.next(first, view({ meta: { next: 'abc' } }, rows(1)));
    expect(second?.params).toEqual({ after: 'abc' });
    expect(p.next(second as PageRequest, view({ meta: { next: null } }, rows(1)))).toBeUndefined();
  });
});

describe('json_link and header_link paginators', () => {
  it('follows a relative next link against the request URL and drops params', () => {
    const p = createPaginator({ type: 'json_link', next_url_path: 'links.next' });
    const next = p.next({ url: 'items', params: { a: '1' } }, view({ links: { next: '/api/items?page=2' } }, rows(1)));
    expect(next).toEqual({ url: 'http://x/api/items?page=2', params: {} });
    expect(p.next(base, view({ links: {} }, rows(1)))).toBeUndefined();
  });

  it('parses Link headers', () => {
    expect(findLink('<https://a/x?p=2>; rel="next", <https://a/x?p=9>; rel="last"', 'next')).toBe('https://a/x?p=2');
    expect(findLink('<https://a/x?p=9>; rel="last"', 'next')).toBeUndefined();
    const p = createPaginator('header_link');
    const next = p.next(base, view([], [], { link: '<http://x/api/items?page=3>; rel="next"' }));
    expect(next?.url).toBe('http://x/api/items?page=3');
  });
});

describe('single_page and auto', () => {
  it('single_page never continues', () => {
    const p = createPaginator('single_page');
    expect(p.next(p.init(base), view(rows(5), rows(5)))).toBeUndefined();
  });

  it('auto detects a next URL in the body', () => {
    const p = createPaginator(undefined);
    const next = p.next(base, view({ items: [1], next: 'http://x/api/items?page=2' }, [1]));
    expect(next?.url).toBe('http://x/api/items?page=2');
    expect(p.label).toContain('json_link');
  });
});
