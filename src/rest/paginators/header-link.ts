/** Follows the `Link: <url>; rel="next"` response header (RFC 8288). */
import type { PageRequest, PageView, Paginator } from './types.js';

export interface HeaderLinkPaginatorOptions {
  links_next_key?: string;
}

/** The URL of the link whose rel list contains `rel`, from a Link header value. */
export function findLink(header: string, rel: string): string | undefined {
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const relMatch = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '');
    const rels = relMatch?.[1]?.toLowerCase().split(/\s+/) ?? [];
    if (rels.includes(rel.toLowerCase())) return match[1];
  }
  return undefined;
}

export class HeaderLinkPaginator implements Paginator {
  readonly kind = 'header_link';
  readonly total = undefined;
  readonly #rel: string;

  constructor(options: HeaderLinkPaginatorOptions = {}) {
    this.#rel = options.links_next_key ?? 'next';
  }

  get label(): string {
    return `header_link(rel=${this.#rel})`;
  }

  clone(): HeaderLinkPaginator {
    return new HeaderLinkPaginator({ links_next_key: this.#rel });
  }

  init(request: PageRequest): PageRequest {
    return request;
  }

  next(_request: PageRequest, view: PageView): PageRequest | undefined {
    const raw = view.response.headers['link'];
    const header = Array.isArray(raw) ? raw.join(', ') : raw;
    if (!header) return undefined;
    const link = findLink(header, this.#rel);
    if (!link) return undefined;
    return { url: new URL(link, view.requestUrl).toString(), params: {} };
  }
}
