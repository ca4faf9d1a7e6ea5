/**
 * The undici HTTP client behind every call to the API: one keep-alive `Agent` per client (a pool of `connections`
 * per origin), connect/headers/body timeouts, TLS with a private CA or (loudly) without verification, and retries of
 * network errors, timeouts, 408, 429 and 5xx with exponential backoff and full jitter — or after exactly the
 * `Retry-After` the server asked for, when that fits in what is left of the total wait budget (else no retry).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request as undiciRequest } from 'undici';
import { BtError } from '../errors.js';
import { createLogger, silentLogger } from '../log.js';
import type { Logger } from '../log.js';
import { cancelledError, classifyTransportError, transportError } from './errors.js';
import type { TransportFailure } from './errors.js';
import { endpointLabel, redactUrl } from './redact-url.js';
import { backoffDelay, isRetryableStatus, mayRetry, parseRetryAfter, resolveRetrySettings } from './retry-policy.js';
import { rememberRequest } from './request-of-response.js';
import { tlsConnectOptions } from './tls.js';
import type { TlsSettings } from './tls.js';
import type { HttpClientLike, HttpRequest, HttpResponse, RetryEvent } from './types.js';
import { defaultUserAgent } from './user-agent.js';

export interface HttpClientOptions {
  /** Defaults 10 s / 60 s / 60 s. */
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** Defaults 5 attempts / 500 ms / 30 s / 120 s. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxTotalWaitMs?: number };
  /** `verify` defaults to true. */
  tls?: TlsSettings;
  /** Keep-alive pool size per origin, default 16. */
  connections?: number;
  onRetry?: (event: RetryEvent) => void;
  logger?: Logger;
  /** Default `beyondtrust-mcp/<version>`. */
  userAgent?: string;
  /** Jitter source in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

const DEFAULT_TIMEOUTS = { connectMs: 10_000, headersMs: 60_000, bodyMs: 60_000 };
const DEFAULT_CONNECTIONS = 16;
const KEEP_ALIVE_MS = 30_000;

interface AttemptResult {
  status: number;
  headers: HttpResponse['headers'];
  text: string;
}

/** Lower-case header names; `set-cookie` always an array. */
function normalizeHeaders(raw: Record<string, string | string[] | undefined>): HttpResponse['headers'] {
  const headers: HttpResponse['headers'] = {};
  for (const [name, value] of Object.entries(raw)) headers[name.toLowerCase()] = value;
  const cookies = headers['set-cookie'];
  headers['set-cookie'] = cookies === undefined ? [] : Array.isArray(cookies) ? cookies : [cookies];
  return headers;
}

function withDefaultHeaders(headers: Record<string, string> | undefined, userAgent: string): Record<string, string> {
  const result: Record<string, string> = { ...headers };
  if (!Object.keys(result).some((name) => name.toLowerCase() === 'user-agent')) result['user-agent'] = userAgent;
  return result;
}

function respond(request: HttpRequest, result: AttemptResult, attempts: number): HttpResponse {
  const response: HttpResponse = { ...result, url: request.url, attempts };
  rememberRequest(response, request);
  return response;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClientLike {
  const logger = options.logger ?? silentLogger;
  // The TLS warning must be seen even by a caller that passed no logger: fall back to stderr for it.
  const tls = tlsConnectOptions(options.tls, options.logger ?? createLogger({ name: 'http' }));
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const retry = resolveRetrySettings(options.retry);
  const random = options.random ?? Math.random;
  const userAgent = options.userAgent ?? defaultUserAgent();
  const agent = new Agent({
    connections: options.connections ?? DEFAULT_CONNECTIONS,
    keepAliveTimeout: KEEP_ALIVE_MS,
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    connect: { timeout: timeouts.connectMs, ...tls },
  });
  let closed = false;

  async function attemptOnce(request: HttpRequest, headers: Record<string, string>): Promise<AttemptResult> {
    const response = await undiciRequest(request.url, {
      method: request.method,
      headers,
      body: request.body,
      signal: request.signal,
      dispatcher: agent,
    });
    let text = '';
    // dump() drains the body off the socket (so the connection is reused) without keeping any of it.
    if (request.discardBody) await response.body.dump();
    else text = await response.body.text();
    return { status: response.statusCode, headers: normalizeHeaders(response.headers), text };
  }

  function notifyRetry(event: RetryEvent): void {
    logger.info(`Retrying ${event.endpoint} after ${event.reason} (attempt ${event.attempt}, waiting ${event.delayMs} ms)`);
    try {
      options.onRetry?.(event);
    } catch (error) {
      logger.warn('onRetry listener failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function request(request: HttpRequest): Promise<HttpResponse> {
    const endpoint = request.endpoint ?? endpointLabel(request.method, request.url);
    if (closed) {
      throw new BtError('HTTP_CLIENT_CLOSED', `${endpoint}: the HTTP client was already closed.`, {
        hint: 'Create a new client (or do not close it before the last request).',
        details: { endpoint },
      });
    }
    const signal = request.signal;
    const retryAllowed = request.retry !== false;
    const headers = withDefaultHeaders(request.headers, userAgent);
    let waitedMs = 0;

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelledError(endpoint, signal.reason);
      let result: AttemptResult | undefined;
      let thrown: unknown;
      try {
        result = await attemptOnce(request, headers);
      } catch (error) {
        if (signal?.aborted) throw cancelledError(endpoint, signal.reason);
        thrown = error;
      }

      let delayMs: number | undefined;
      let reason: string;
      if (result) {
        logger.debug(`${request.method} ${redactUrl(request.url)} -> ${result.status}`, { attempt });
        if (!retryAllowed || !isRetryableStatus(result.status)) return respond(request, result, attempt);
        reason = `status ${result.status}`;
        const retryAfterMs = parseRetryAfter(result.headers['retry-after']);
        delayMs = backoffDelay(attempt, retry, random, retryAfterMs);
        if (!mayRetry(attempt, delayMs, waitedMs, retry)) {
          const response = respond(request, result, attempt);
          // Attempts left, but the server asked for a longer pause than the budget allows: give up now, and say so.
          if (retryAfterMs !== undefined && attempt < retry.maxAttempts) {
            response.retryAfterRefused = { retryAfterMs, budgetLeftMs: Math.max(0, retry.maxTotalWaitMs - waitedMs) };
          }
          return response;
        }
      } else {
        const why: TransportFailure = classifyTransportError(thrown);
        const retryable = why.kind === 'timeout' || (why.kind === 'network' && why.retryable);
        reason = why.reason;
        logger.debug(`${request.method} ${redactUrl(request.url)} failed: ${why.reason}`, { attempt });
        if (retryAllowed && retryable) delayMs = backoffDelay(attempt, retry, random);
        if (delayMs === undefined || !mayRetry(attempt, delayMs, waitedMs, retry)) {
          throw transportError(endpoint, why, attempt, thrown);
        }
      }

      notifyRetry({ endpoint, attempt, delayMs, reason });
      try {
        if (delayMs > 0) await sleep(delayMs, undefined, { signal });
      } catch (error) {
        throw cancelledError(endpoint, signal?.reason ?? error);
      }
      waitedMs += delayMs;
    }
  }

  return {
    request,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await agent.close();
    },
  };
}
