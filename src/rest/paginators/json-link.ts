/** Follows a next URL found in the body (`next_url_path`); relative links are joined to the request URL. */
import { getPath } from '../json-path.js';
import type { PageRequest, PageView, Paginator } from './types.js';

export interface JsonLinkPaginatorOptions {
  next_url_path?: string;
}

export class JsonLinkPaginator implements Paginator {
  readonly kind = 'json_link';
  readonly total = undefined;
  readonly #path: string;

  constructor(options: JsonLinkPaginatorOptions = {}) {
    this.#path = options.next_url_path ?? 'next';
  }

  get label(): string {
    return `json_link(next_url_path=${this.#path})`;
  }

  clone(): JsonLinkPaginator {
    return new JsonLinkPaginator({ next_url_path: this.#path });
  }

  init(request: PageRequest): PageRequest {
    return request;
  }

  next(_request: PageRequest, view: PageView): PageRequest | undefined {
    const link = getPath(view.body, this.#path);
    if (typeof link !== 'string' || link.trim() === '') return undefined;
    // The next link carries its own query string; the original params are dropped (dlt behaviour).
    return { url: new URL(link, view.requestUrl).toString(), params: {} };
  }
}
