/** The seam between the HTTP layer and everything above it (auth strategies, the REST source). */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Redacted label used in errors and logs, e.g. "GET ManagedAccounts". Derived from the URL when absent. */
  endpoint?: string;
  /** Set false for calls that must not be retried (e.g. sign-out at the end of a run). Default true. */
  retry?: boolean;
  /**
   * true: the body is drained unread (`body.dump()`) and `text` is '' — for answers that must never be held in
   * memory, such as GET Credentials/{id} (a plaintext password) when only the status matters. Default false.
   */
  discardBody?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names; `set-cookie` is always an array. */
  headers: Record<string, string | string[] | undefined>;
  /** The whole body as text (JSON is parsed by the caller). */
  text: string;
  url: string;
  /** How many attempts it took (1 = no retry). */
  attempts: number;
  /**
   * Set when this retryable answer (429, 503 …) was returned without another attempt because its `Retry-After`
   * asked for a longer wait than is left of the retry budget (`maxTotalWaitMs`).
   */
  retryAfterRefused?: { retryAfterMs: number; budgetLeftMs: number };
}

export interface RetryEvent {
  endpoint: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  /** "status 503", "ECONNRESET", "timeout" … never a body or a header value. */
  reason: string;
}

/**
 * What auth strategies and the REST client need from the HTTP layer. `request` retries network errors,
 * 408, 429 and 5xx itself; every other status is returned as a response for the caller to judge.
 * A network failure after the last attempt throws a BtError (code HTTP_NETWORK or HTTP_TIMEOUT).
 */
export interface HttpClientLike {
  request(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}
