/** The HTTP layer: undici client with retries, status errors, URL redaction. */
export { createHttpClient } from './client.js';
export type { HttpClientOptions } from './client.js';
export { httpStatusError, bodyExcerpt } from './errors.js';
export { endpointLabel, redactUrl } from './redact-url.js';
export { requestOf } from './request-of-response.js';
export type { HttpClientLike, HttpMethod, HttpRequest, HttpResponse, RetryEvent } from './types.js';
