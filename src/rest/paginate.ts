/**
 * The paging loop for one request sequence (one resource, or one parent item of a child resource). Pages stream
 * out as they arrive. Range paginators may prefetch up to `prefetch` pages ahead, in order (a bounded window).
 * A guard stops paginators that repeat a request or a page (PAGINATOR_LOOP) or exceed max_pages
 * (PAGINATOR_PAGE_CAP) — never an endless loop.
 */
import { createHash } from 'node:crypto';
import { BtError } from '../errors.js';
import { httpStatusError } from '../http/errors.js';
import type { HttpMethod } from '../http/types.js';
import type { ResponseAction } from './config/types.js';
import type { PageRequest, PageView, Paginator } from './paginators/types.js';
import type { RestClient, RestResult } from './rest-client.js';
import { selectRecords, type ResponseShape } from './select-records.js';

export interface PaginateOptions {
  client: RestClient;
  resource: string;
  method: HttpMethod;
  request: PageRequest;
  headers?: Record<string, string>;
  paginator: Paginator;
  dataSelector?: string;
  responseActions?: readonly ResponseAction[];
  maxPages: number;
  /** Stop after this many pages (dev limit). */
  pageLimit?: number;
  /** Pages in flight at most (1 = no prefetch). */
  prefetch?: number;
  signal: AbortSignal;
}

export interface FetchedPage {
  records: Record<string, unknown>[];
  shape: ResponseShape;
  /** The data selector applied (configured or detected). */
  selector: string;
  endpoint: string;
  status: number;
  /** 1-based within this sequence. */
  index: number;
  /** Whether the paginator would fetch another page. */
  hasMore: boolean;
  total?: number;
  paginator: string;
  warning?: string;
}

type Outcome = { kind: 'page'; result: RestResult } | { kind: 'ignored' };

interface InFlight {
  key: string;
  request: PageRequest;
  controller: AbortController;
  promise: Promise<Outcome>;
}

export function requestKey(method: string, request: PageRequest): string {
  const params = Object.entries(request.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${method} ${request.url}?${new URLSearchParams(params).toString()}${request.json === undefined ? '' : ` ${JSON.stringify(request.json)}`}`;
}

function matchesAction(action: ResponseAction, status: number, text: string): boolean {
  const codes = action.status_code === undefined ? undefined : Array.isArray(action.status_code) ? action.status_code : [action.status_code];
  if (codes === undefined && action.content === undefined) return false;
  if (codes !== undefined && !codes.includes(status)) return false;
  if (action.content !== undefined && !text.includes(action.content)) return false;
  return true;
}

export async function* paginate(options: PaginateOptions): AsyncGenerator<FetchedPage> {
  const { client, resource, method, paginator, signal } = options;
  const actions = options.responseActions ?? [];
  const allowStatuses = actions.flatMap((a) => (a.status_code === undefined ? [] : Array.isArray(a.status_code) ? a.status_code : [a.status_code]));
  const prefetch = Math.max(1, options.prefetch ?? 1);
  const limit = options.pageLimit ?? Number.POSITIVE_INFINITY;

  const start = (request: PageRequest): InFlight => {
    const controller = new AbortController();
    // Only prefetched requests may need aborting on their own; a sequential one follows the run's signal.
    const linked = prefetch > 1 ? AbortSignal.any([signal, controller.signal]) : signal;
    const promise = (async (): Promise<Outcome> => {
      const result = await client.request(method, request.url, {
        params: request.params,
        json: request.json,
        signal: linked,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(allowStatuses.length > 0 ? { allowStatuses } : {}),
      });
      if (actions.some((action) => matchesAction(action, result.response.status, result.response.text))) return { kind: 'ignored' };
      if (result.response.status < 200 || result.response.status >= 300) {
        // Allowed for an action whose content did not match: not handled, so it is an error after all.
        throw httpStatusError(result.endpoint, result.response);
      }
      return { kind: 'page', result };
    })();
    promise.catch(() => undefined); // awaited later; never an unhandled rejection while waiting in the window
    return { key: requestKey(method, request), request, controller, promise };
  };

  const window: InFlight[] = [];
  const discardWindow = async (): Promise<void> => {
    const dropped = window.splice(0);
    for (const entry of dropped) entry.controller.abort();
    await Promise.allSettled(dropped.map((entry) => entry.promise));
  };

  let request = paginator.init(options.request);
  const seen = new Set<string>([requestKey(method, request)]);
  let previousHash: string | undefined;
  let count = 0;
  let lastView: PageView | undefined;

  try {
    for (;;) {
      const key = requestKey(method, request);
      if (window.length > 0 && window[0]?.key !== key) await discardWindow();
      if (window.length === 0) window.push(start(request));
      if (lastView && paginator.ahead && prefetch > 1) {
        const maxAhead = Math.min(prefetch, limit - count, options.maxPages - count);
        for (let k = window.length; k < maxAhead; k += 1) {
          const ahead = paginator.ahead(request, k, lastView);
          if (!ahead) break;
          window.push(start(ahead));
        }
      }
      const current = window.shift() as InFlight;
      const outcome = await current.promise;
      if (outcome.kind === 'ignored') return;
      const { result } = outcome;
      const selected = selectRecords(result.data, options.dataSelector);
      count += 1;
      if (selected.records.length > 0) {
        const hash = createHash('sha1').update(result.response.text).digest('hex');
        if (hash === previousHash) {
          throw new BtError('PAGINATOR_LOOP', `Resource "${resource}": paginator ${paginator.label} returned the same page twice in a row at ${result.endpoint} (page ${count}).`, {
            hint: 'The API ignores the paging parameter or the paginator is wrong: configure an explicit paginator (type, params, total_path) for this endpoint.',
            details: { endpoint: result.endpoint, step: 'extract', resource, paginator: paginator.kind },
          });
        }
        previousHash = hash;
      }
      const view: PageView = { response: result.response, body: result.data, records: selected.records, requestUrl: result.url };
      const next = paginator.next(request, view);
      lastView = view;
      const page: FetchedPage = {
        records: selected.records,
        shape: selected.shape,
        selector: selected.selector,
        endpoint: result.endpoint,
        status: result.response.status,
        index: count,
        hasMore: next !== undefined,
        paginator: paginator.label,
        ...(paginator.total !== undefined ? { total: paginator.total } : {}),
        ...(selected.warning ? { warning: selected.warning } : {}),
      };
      yield page;
      if (!next || count >= limit) return;
      const nextKey = requestKey(method, next);
      if (seen.has(nextKey)) {
        throw new BtError('PAGINATOR_LOOP', `Resource "${resource}": paginator ${paginator.label} asked for a request it already made (${result.endpoint}, after page ${count}).`, {
          hint: 'The cursor or next link repeats: configure an explicit paginator for this endpoint or fix its cursor_path / next_url_path.',
          details: { endpoint: result.endpoint, step: 'extract', resource, paginator: paginator.kind },
        });
      }
      if (count >= options.maxPages) {
        throw new BtError('PAGINATOR_PAGE_CAP', `Resource "${resource}": paginator ${paginator.label} exceeded max_pages (${options.maxPages}) at ${result.endpoint}.`, {
          hint: 'Raise endpoint.max_pages if the endpoint really has that many pages, or fix the paginator so it stops.',
          details: { endpoint: result.endpoint, step: 'extract', resource, paginator: paginator.kind },
        });
      }
      seen.add(nextKey);
      request = next;
    }
  } finally {
    await discardWindow();
  }
}
