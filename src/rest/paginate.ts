/**
 * The paging loop for one request sequence (one resource, or one parent item of a child resource). Pages stream
 * out as they arrive. Range paginators may prefetch up to `prefetch` pages ahead, in order (a bounded window).
 * A guard stops paginators that repeat a request or one of the last 64 pages (PAGINATOR_LOOP: an A-B-A cycle, or a
 * server ignoring the offset and shuffling its rows) or exceed max_pages (PAGINATOR_PAGE_CAP) — never an endless loop.
 */
import { BtError } from '../errors.js';
import { httpStatusError } from '../http/errors.js';
import type { HttpMethod } from '../http/types.js';
import type { ResponseAction } from './config/types.js';
import { getPath, parseJsonPath } from './json-path.js';
import { PageBudget } from './page-budget.js';
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
  /** Stop after this many pages of this sequence. */
  pageLimit?: number;
  /** A page budget shared with other sequences (the dev limit of a resource over all its parents); wins over pageLimit. */
  budget?: PageBudget;
  /** Source field names identifying a record; page fingerprints use them (else whole records). */
  primaryKey?: readonly string[];
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

/** Pages remembered for the repeat check: enough for any realistic cycle, bounded memory. */
export const PAGE_FINGERPRINTS = 64;

/** murmur3's 32-bit finalizer: spreads every input bit over the result. */
function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units, seeded by a type tag (so 1 and "1" differ). */
function hashText(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

function hashValue(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? mix32(value ^ 0x27d4eb2f) : hashText(String(value), 1);
  if (typeof value === 'string') return hashText(value, 2);
  return hashText(JSON.stringify(value) ?? '', 3);
}

/**
 * Identifies a page's content whatever the row order: each record is hashed by its primary key (a record missing one
 * by its whole JSON), and the hashes are combined with two order-independent sums. The same rows again — in any
 * order — give the same fingerprint. Cheap on purpose (no sorting, no per-record JSON when keyed): it runs on every page.
 */
export function pageFingerprint(records: readonly Record<string, unknown>[], primaryKey: readonly string[] = []): string {
  let sum = 0;
  let mixed = 0;
  const paths = primaryKey.map((field) => parseJsonPath(field));
  for (const record of records) {
    let h = 0x9e3779b9;
    let keyed = paths.length > 0;
    for (const path of paths) {
      const value = path.length === 1 && typeof path[0] === 'string' ? record[path[0]] : getPath(record, path);
      if (value === undefined || value === null) {
        keyed = false;
        break;
      }
      h = mix32(h ^ hashValue(value)) + 0x6b43a9b5;
    }
    if (!keyed) h = hashValue(record);
    h >>>= 0;
    sum = (sum + h) >>> 0;
    mixed = (mixed + mix32(h ^ 0x5bd1e995)) >>> 0;
  }
  return `${records.length}:${sum.toString(36)}:${mixed.toString(36)}`;
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
  const budget = options.budget ?? (options.pageLimit !== undefined ? new PageBudget(options.pageLimit) : undefined);

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

  // Every request in the window holds a page of the budget; one dropped unused gives it back.
  const window: InFlight[] = [];
  const discardWindow = async (): Promise<void> => {
    const dropped = window.splice(0);
    for (const entry of dropped) {
      entry.controller.abort();
      budget?.giveBack();
    }
    await Promise.allSettled(dropped.map((entry) => entry.promise));
  };

  let request = paginator.init(options.request);
  const seen = new Set<string>([requestKey(method, request)]);
  /** Fingerprint → page number, the last PAGE_FINGERPRINTS pages with records (insertion order = age). */
  const fingerprints = new Map<string, number>();
  let count = 0;
  let lastView: PageView | undefined;

  try {
    for (;;) {
      const key = requestKey(method, request);
      if (window.length > 0 && window[0]?.key !== key) await discardWindow();
      if (window.length === 0) {
        if (budget && !budget.take()) return;
        window.push(start(request));
      }
      if (lastView && paginator.ahead && prefetch > 1) {
        const maxAhead = Math.min(prefetch, options.maxPages - count);
        for (let k = window.length; k < maxAhead; k += 1) {
          const ahead = paginator.ahead(request, k, lastView);
          if (!ahead || (budget && !budget.take(true))) break;
          window.push(start(ahead));
        }
      }
      const current = window.shift() as InFlight;
      const outcome = await current.promise;
      if (outcome.kind === 'ignored') {
        budget?.giveBack();
        return;
      }
      const { result } = outcome;
      const selected = selectRecords(result.data, options.dataSelector);
      count += 1;
      if (selected.records.length > 0) {
        const fingerprint = pageFingerprint(selected.records, options.primaryKey);
        const earlier = fingerprints.get(fingerprint);
        if (earlier !== undefined) {
          const what = earlier === count - 1 ? 'the same page twice in a row' : `page ${count} with the same records as page ${earlier}`;
          throw new BtError('PAGINATOR_LOOP', `Resource "${resource}": paginator ${paginator.label} returned ${what} at ${result.endpoint} (page ${count}).`, {
            hint: 'The API ignores the paging parameter (or pages in a cycle) or the paginator is wrong: configure an explicit paginator (type, params, total_path) for this endpoint.',
            details: { endpoint: result.endpoint, step: 'extract', resource, paginator: paginator.kind, page: count, repeats_page: earlier },
          });
        }
        fingerprints.set(fingerprint, count);
        if (fingerprints.size > PAGE_FINGERPRINTS) fingerprints.delete(fingerprints.keys().next().value as string);
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
      if (!next) return;
      const nextKey = requestKey(method, next);
      // Out of pages and the next one is not already in flight (reserved): the limit stops the sequence here.
      if (budget?.exhausted && window[0]?.key !== nextKey) {
        budget.markHit();
        return;
      }
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
