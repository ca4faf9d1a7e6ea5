/**
 * The REST client under the source: builds URLs from base_url + path + params, applies the auth strategy, handles
 * 401 (re-authenticate once, retry once), turns other non-2xx answers into `httpStatusError`, and parses JSON —
 * retrying a malformed body a couple of times (a truncated page from a proxy is transient) before failing with
 * BT_MALFORMED_RESPONSE. Every label it produces is redacted (endpointLabel).
 */
import { BtError } from '../errors.js';
import { httpStatusError } from '../http/errors.js';
import { endpointLabel } from '../http/redact-url.js';
import type { HttpClientLike, HttpMethod, HttpRequest, HttpResponse } from '../http/types.js';
import type { AuthStrategy } from './types.js';

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface RestRequestOptions {
  params?: QueryParams;
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Statuses returned to the caller instead of thrown (data is undefined then). */
  allowStatuses?: readonly number[];
  /** false: do not read the body at all (data is undefined). Default true. */
  parseJson?: boolean;
}

export interface RestResult {
  data: unknown;
  response: HttpResponse;
  /** Redacted label, e.g. "GET ManagedAccounts". */
  endpoint: string;
  /** The absolute URL requested (may contain auth query params only if an api_key auth put them there after). */
  url: string;
}

export interface RestClientOptions {
  baseUrl: string;
  http: HttpClientLike;
  auth?: AuthStrategy;
  headers?: Record<string, string>;
  /** Called when a 401 led to a successful re-authentication (before the retry). */
  onReauth?: (endpoint: string) => void;
  /** Extra attempts for a 2xx response whose body is not valid JSON (default 2). */
  malformedRetries?: number;
}

const ABSOLUTE_URL = /^https?:\/\//i;

export class RestClient {
  readonly baseUrl: string;
  readonly http: HttpClientLike;
  readonly auth: AuthStrategy | undefined;
  readonly #headers: Record<string, string>;
  readonly #onReauth: ((endpoint: string) => void) | undefined;
  readonly #malformedRetries: number;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: RestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.http = options.http;
    this.auth = options.auth;
    this.#headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    this.#onReauth = options.onReauth;
    this.#malformedRetries = options.malformedRetries ?? 2;
  }

  /** base_url + path (an absolute URL bypasses base_url) + query params (added to any already in the path). */
  buildUrl(path: string, params?: QueryParams): string {
    const url = new URL(ABSOLUTE_URL.test(path) ? path : `${this.baseUrl}/${path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  endpointFor(method: string, url: string): string {
    return endpointLabel(method, url, this.baseUrl);
  }

  /** Resolves once every request started so far has settled. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  request(method: HttpMethod, path: string, options: RestRequestOptions = {}): Promise<RestResult> {
    const promise = this.#request(method, path, options);
    this.#inFlight.add(promise);
    const forget = (): void => {
      this.#inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  async #request(method: HttpMethod, path: string, options: RestRequestOptions): Promise<RestResult> {
    const url = this.buildUrl(path, options.params);
    const endpoint = this.endpointFor(method, url);
    let reauthenticated = false;
    let malformed = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const request: HttpRequest = {
        method,
        url,
        endpoint,
        headers: {
          accept: 'application/json',
          ...this.#headers,
          ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      };
      if (this.auth) await this.auth.apply(request, this.http);
      const response = await this.http.request(request);
      if (response.status === 401 && !reauthenticated && this.auth?.onUnauthorized) {
        reauthenticated = true;
        if (await this.auth.onUnauthorized(response, this.http)) {
          this.#onReauth?.(endpoint);
          continue;
        }
      }
      if (response.status < 200 || response.status >= 300) {
        if (options.allowStatuses?.includes(response.status)) return { data: undefined, response, endpoint, url };
        throw httpStatusError(endpoint, response);
      }
      if (options.parseJson === false) return { data: undefined, response, endpoint, url };
      if (response.text.trim() === '') return { data: null, response, endpoint, url };
      try {
        return { data: JSON.parse(response.text) as unknown, response, endpoint, url };
      } catch {
        // The SyntaxError is not kept as the cause: V8 quotes the start of the body in its message.
        malformed += 1;
        if (malformed <= this.#malformedRetries) continue;
        throw new BtError('BT_MALFORMED_RESPONSE', `${endpoint} returned a body that is not valid JSON (status ${response.status}, ${response.text.length} bytes, ${malformed} attempts).`, {
          hint: 'The response was truncated or is not JSON: check base_url points at …/BeyondTrust/api/public/v3 and that no proxy rewrites responses; rerun to retry.',
          details: { endpoint, status: response.status, step: 'extract' },
        });
      }
    }
  }
}
