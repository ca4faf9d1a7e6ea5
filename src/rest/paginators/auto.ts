/**
 * dlt's `auto`: picks a paginator from the FIRST response (Link header → header_link; a `next` URL in the body →
 * json_link; otherwise single_page, with a warning when the body was a list). Explicit paginators are safer.
 */
import { getPath } from '../json-path.js';
import { findLink, HeaderLinkPaginator } from './header-link.js';
import { JsonLinkPaginator } from './json-link.js';
import { SinglePagePaginator } from './single-page.js';
import type { PageRequest, PageView, Paginator } from './types.js';

const NEXT_PATHS = ['next', 'next.href', 'next.url', 'links.next', '_links.next.href', 'paging.next', 'pagination.next'];

export function detectPaginator(view: PageView): { paginator: Paginator; fallback: boolean } {
  const link = view.response.headers['link'];
  const header = Array.isArray(link) ? link.join(', ') : link;
  if (header && findLink(header, 'next')) return { paginator: new HeaderLinkPaginator(), fallback: false };
  for (const path of NEXT_PATHS) {
    const value = getPath(view.body, path);
    if (typeof value === 'string' && /^(https?:\/\/|\/)/.test(value)) {
      return { paginator: new JsonLinkPaginator({ next_url_path: path }), fallback: false };
    }
  }
  return { paginator: new SinglePagePaginator(), fallback: true };
}

export class AutoPaginator implements Paginator {
  readonly kind = 'auto';
  #delegate: Paginator | undefined;
  /** Set when detection fell back to single_page on a list response (callers warn). */
  fallbackUsed = false;

  get label(): string {
    return this.#delegate ? `auto→${this.#delegate.label}` : 'auto';
  }

  get total(): number | undefined {
    return this.#delegate?.total;
  }

  clone(): AutoPaginator {
    return new AutoPaginator();
  }

  init(request: PageRequest): PageRequest {
    return request;
  }

  next(request: PageRequest, view: PageView): PageRequest | undefined {
    if (!this.#delegate) {
      const detected = detectPaginator(view);
      this.#delegate = detected.paginator;
      this.fallbackUsed = detected.fallback && view.records.length > 1;
    }
    return this.#delegate.next(request, view);
  }
}
