/** Builds a paginator from its config: a string alias, a `{ type, … }` object, or a Paginator instance. */
import { BtError } from '../../errors.js';
import { AutoPaginator } from './auto.js';
import { CursorPaginator, type CursorPaginatorOptions } from './cursor.js';
import { HeaderLinkPaginator, type HeaderLinkPaginatorOptions } from './header-link.js';
import { JsonLinkPaginator, type JsonLinkPaginatorOptions } from './json-link.js';
import { OffsetPaginator, type OffsetPaginatorOptions } from './offset.js';
import { PageNumberPaginator, type PageNumberPaginatorOptions } from './page-number.js';
import { SinglePagePaginator } from './single-page.js';
import type { Paginator } from './types.js';

export type { PageRequest, PageView, Paginator } from './types.js';
export { AutoPaginator, CursorPaginator, HeaderLinkPaginator, JsonLinkPaginator, OffsetPaginator, PageNumberPaginator, SinglePagePaginator };

export type PaginatorAlias = 'single_page' | 'header_link' | 'json_link' | 'cursor' | 'page_number' | 'auto';

export type PaginatorConfig =
  | PaginatorAlias
  | ({ type: 'offset' } & OffsetPaginatorOptions)
  | ({ type: 'page_number' } & PageNumberPaginatorOptions)
  | ({ type: 'cursor' } & CursorPaginatorOptions)
  | ({ type: 'json_link' } & JsonLinkPaginatorOptions)
  | ({ type: 'header_link' } & HeaderLinkPaginatorOptions)
  | { type: 'single_page' }
  | { type: 'auto' }
  | Paginator;

export function isPaginator(value: unknown): value is Paginator {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Paginator).next === 'function' &&
    typeof (value as Paginator).init === 'function' &&
    typeof (value as Paginator).clone === 'function'
  );
}

/** A fresh paginator for one request sequence. */
export function createPaginator(config: PaginatorConfig | undefined): Paginator {
  if (config === undefined) return new AutoPaginator();
  if (isPaginator(config)) return config.clone();
  if (typeof config === 'string') {
    switch (config) {
      case 'single_page':
        return new SinglePagePaginator();
      case 'header_link':
        return new HeaderLinkPaginator();
      case 'json_link':
        return new JsonLinkPaginator();
      case 'cursor':
        return new CursorPaginator();
      case 'page_number':
        return new PageNumberPaginator();
      case 'auto':
        return new AutoPaginator();
    }
  }
  switch (config.type) {
    case 'offset': {
      const { type: _type, ...options } = config;
      return new OffsetPaginator(options);
    }
    case 'page_number': {
      const { type: _type, ...options } = config;
      return new PageNumberPaginator(options);
    }
    case 'cursor': {
      const { type: _type, ...options } = config;
      return new CursorPaginator(options);
    }
    case 'json_link':
      return new JsonLinkPaginator(config);
    case 'header_link':
      return new HeaderLinkPaginator(config);
    case 'single_page':
      return new SinglePagePaginator();
    case 'auto':
      return new AutoPaginator();
  }
  throw new BtError('CONFIG_INVALID', 'Unknown paginator.', {
    hint: 'Use one of offset, page_number, cursor, json_link, header_link, single_page, auto.',
    details: { step: 'config' },
  });
}
