/**
 * What the REST client does around one data call: apply the auth, send, and on a 401 ask the strategy whether to
 * retry once. Kept here so these tests exercise the auth contract without depending on src/rest.
 */
import type { HttpClientLike, HttpRequest, HttpResponse } from '../../../../src/http/types.js';
import type { AuthStrategy } from '../../../../src/rest/types.js';

export async function dataCall(
  auth: AuthStrategy,
  http: HttpClientLike,
  url: string,
  signal?: AbortSignal,
): Promise<{ response: HttpResponse; request: HttpRequest }> {
  const request: HttpRequest = { method: 'GET', url, headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) };
  await auth.apply(request, http);
  let response = await http.request(request);
  if (response.status === 401 && auth.onUnauthorized && (await auth.onUnauthorized(response, http))) {
    await auth.apply(request, http);
    response = await http.request(request);
  }
  return { response, request };
}
