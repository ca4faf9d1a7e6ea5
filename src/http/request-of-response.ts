/**
 * Links a response to the request object that produced it, without changing the HttpResponse contract. Auth
 * strategies use it to tell a stale 401 (sent with an older session) from a fresh one. Responses that did not come
 * from `createHttpClient` have no link; callers must treat `undefined` as "unknown".
 */
import type { HttpRequest, HttpResponse } from './types.js';

const origins = new WeakMap<HttpResponse, HttpRequest>();

export function rememberRequest(response: HttpResponse, request: HttpRequest): void {
  origins.set(response, request);
}

export function requestOf(response: HttpResponse): HttpRequest | undefined {
  return origins.get(response);
}
