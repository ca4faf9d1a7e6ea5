/** The paginator seam: one stateless-looking object per request sequence, deciding the next request from a page. */
import type { HttpResponse } from '../../http/types.js';

/** One page request: a path (relative to base_url) or absolute URL, plus query params and an optional JSON body. */
export interface PageRequest {
  url: string;
  params: Record<string, string>;
  json?: unknown;
}

/** What a paginator may look at after a response. */
export interface PageView {
  response: HttpResponse;
  /** Parsed JSON body. */
  body: unknown;
  /** Records selected from the body (after the data selector). */
  records: readonly unknown[];
  /** The absolute URL that was requested (for joining relative next links). */
  requestUrl: string;
}

export interface Paginator {
  /** "offset", "cursor", … */
  readonly kind: string;
  /** Human description for errors, e.g. "offset(limit=1000, offset_param=offset)". */
  readonly label: string;
  /** A fresh instance with the same options (one per parent item). */
  clone(): Paginator;
  /** The first request of a sequence, e.g. with `limit`/`offset` set. */
  init(request: PageRequest): PageRequest;
  /** The request for the page after `request`, or undefined when `page` was the last one. */
  next(request: PageRequest, page: PageView): PageRequest | undefined;
  /**
   * For range paginators: the request `k` pages after `request`, assuming full pages, or undefined when it is
   * known to be past the end. Enables in-order prefetch; paginators that need the response leave it out.
   */
  ahead?(request: PageRequest, k: number, lastPage: PageView): PageRequest | undefined;
  /** Total count reported by the last response, when the API reports one. */
  readonly total?: number | undefined;
}

export function withParams(request: PageRequest, params: Record<string, string>): PageRequest {
  return { ...request, params: { ...request.params, ...params } };
}
