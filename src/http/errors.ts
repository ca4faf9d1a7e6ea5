/**
 * Errors of the HTTP layer: `httpStatusError` for a response the caller judged a failure (code `BT_HTTP_<status>`),
 * and the transport errors `HTTP_NETWORK`, `HTTP_TIMEOUT`, `HTTP_TLS`, `CANCELLED`.
 */
import { redactSecrets } from '../config/secret.js';
import { BtError } from '../errors.js';
import type { HttpResponse } from './types.js';

const MAX_BODY_EXCERPT = 200;

/** A body excerpt safe to show: JSON strings unwrapped, control characters removed, ≤ 200 chars, secrets scrubbed. */
export function bodyExcerpt(text: string, max = MAX_BODY_EXCERPT): string {
  let body = text.trim();
  if (body.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'string') body = parsed;
    } catch {
      // not a JSON string: keep the raw text
    }
  }
  // An HTML error page (IIS, a proxy): keep its text, not its markup.
  if (body.startsWith('<')) body = body.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  body = body.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ');
  body = body.replace(/\s+/g, ' ').trim();
  body = redactSecrets(body);
  if (body.length > max) body = `${body.slice(0, max - 1)}…`;
  return body;
}

/** True for labels/URLs of endpoints whose bodies must never be shown (they carry passwords). */
export function isCredentialsEndpoint(endpoint: string): boolean {
  return /credentials/i.test(endpoint);
}

const FORBIDDEN_SUBCODE_HINTS: Record<string, string> = {
  '4031':
    'Subcode 4031: the run-as user has no permission to request credentials for this account; grant the user a role with "Requestor" access on the managed account (or its smart rule).',
  '4033':
    'Subcode 4033: the user is an approver only for this account and cannot request it; use a user with the Requestor role.',
  '4034':
    'Subcode 4034: the credential request has not been approved yet; wait for approval (or use an account with auto-approval) and try again.',
};

function forbiddenHint(body: string): string {
  const subcode = /\b(403[134])\b/.exec(body)?.[1];
  if (subcode) return FORBIDDEN_SUBCODE_HINTS[subcode]!;
  return (
    'The run-as user lacks the permission or role this endpoint needs (check its user group permissions in ' +
    'BeyondInsight), or the Password Safe licence is not valid.'
  );
}

function hintFor(status: number, body: string): string {
  switch (status) {
    case 400:
      return 'The server rejected the request parameters; check the query parameters and the request body for this endpoint.';
    case 401:
      return (
        'Not authenticated: check api_key, runas and password (or client_id and client_secret), that the API ' +
        'registration is active and allows this source IP address. During a run this can also mean the session expired.'
      );
    case 403:
      return forbiddenHint(body);
    case 404:
      return (
        'Not found: the id or path does not exist (a credential request may have been released or expired); check the ' +
        'endpoint path and that base_url ends in /BeyondTrust/api/public/v3.'
      );
    case 408:
      return 'The server timed out reading the request; it was retried. Try again later or raise request_timeout.';
    case 409:
      return 'Conflict: a request for this account already exists; set ConflictOption to "reuse" or "renew", or check in the existing request.';
    case 410:
      return 'This API version is disabled on the server; enable API v3 in BeyondInsight or check the version in base_url.';
    case 429:
      return 'Rate limited by the server even after retries; lower concurrency or max_attempts pressure and try again later.';
    default:
      if (status >= 500) {
        return 'The BeyondTrust server failed (it was retried); try again later, lower concurrency, or check the server logs.';
      }
      return 'Unexpected HTTP status; check the endpoint and its parameters.';
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** A BtError for a response judged a failure; code `BT_HTTP_<status>`, details `{ endpoint, status }`. */
export function httpStatusError(endpoint: string, response: HttpResponse): BtError {
  const status = response.status;
  const excerpt = isCredentialsEndpoint(endpoint) ? '' : bodyExcerpt(response.text);
  const attempts = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
  const refused = response.retryAfterRefused;
  const asked = refused
    ? ` (the server asked to retry after ${seconds(refused.retryAfterMs)} (Retry-After), more than the ${seconds(refused.budgetLeftMs)} left of the retry wait budget, so it was not retried)`
    : '';
  const message = `${endpoint} failed with HTTP ${status}${attempts}${asked}${excerpt ? `: ${excerpt}` : '.'}`;
  const hint = hintFor(status, isCredentialsEndpoint(endpoint) ? '' : response.text);
  return new BtError(`BT_HTTP_${status}`, message, {
    hint: refused
      ? `The server wants a pause longer than this run may wait: run again after ${seconds(refused.retryAfterMs)}, or raise the client's retry.maxTotalWaitMs. ${hint}`
      : hint,
    details: { endpoint, status, ...(refused ? { retry_after_ms: refused.retryAfterMs, retry_budget_left_ms: refused.budgetLeftMs } : {}) },
  });
}

/** How a thrown transport error is classified. */
export type TransportFailure =
  | { kind: 'timeout'; reason: string }
  | { kind: 'network'; reason: string; retryable: boolean }
  | { kind: 'tls'; reason: string }
  | { kind: 'unknown'; reason: string };

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'HPE_INVALID_CONSTANT',
  'HPE_INVALID_CHUNK_SIZE',
]);
/** Permanent network failures: retrying a name that does not resolve only delays the error. */
const PERMANENT_NETWORK_CODES = new Set(['ENOTFOUND', 'UND_ERR_INVALID_ARG', 'ERR_INVALID_URL']);
const TLS_CODE_PATTERN =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_OSSL_|EPROTO$|HOSTNAME_MISMATCH)/;

/** All error codes found on an error, its causes and aggregated errors (undici nests them). */
function collectCodes(error: unknown, depth = 0, codes: string[] = []): string[] {
  if (depth > 5 || typeof error !== 'object' || error === null) return codes;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') codes.push(code);
  collectCodes((error as { cause?: unknown }).cause, depth + 1, codes);
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested)) for (const inner of nested) collectCodes(inner, depth + 1, codes);
  return codes;
}

export function classifyTransportError(error: unknown): TransportFailure {
  const codes = collectCodes(error);
  const tls = codes.find((code) => TLS_CODE_PATTERN.test(code));
  if (tls) return { kind: 'tls', reason: tls };
  const timeout = codes.find((code) => TIMEOUT_CODES.has(code));
  if (timeout) return { kind: 'timeout', reason: timeout === 'ETIMEDOUT' ? 'timeout' : timeoutReason(timeout) };
  const permanent = codes.find((code) => PERMANENT_NETWORK_CODES.has(code));
  if (permanent) return { kind: 'network', reason: permanent, retryable: false };
  const network = codes.find((code) => RETRYABLE_NETWORK_CODES.has(code));
  if (network) return { kind: 'network', reason: network, retryable: true };
  const message = error instanceof Error ? error.message : '';
  if (/socket|other side closed|connection/i.test(message)) return { kind: 'network', reason: 'socket closed', retryable: true };
  return { kind: 'unknown', reason: codes[0] ?? (error instanceof Error ? error.name : 'error') };
}

function timeoutReason(code: string): string {
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect timeout';
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'headers timeout';
  return 'body timeout';
}

/** The BtError thrown after the last attempt of a request that never got a response. */
export function transportError(endpoint: string, failure: TransportFailure, attempts: number, cause: unknown): BtError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const details = { endpoint, attempts, reason: failure.reason };
  switch (failure.kind) {
    case 'tls':
      return new BtError('HTTP_TLS', `${endpoint}: TLS handshake failed (${failure.reason}).`, {
        hint:
          'The server certificate is not trusted. Set ca_file to the PEM of the CA that signed it ' +
          '(SOURCES__BEYONDTRUST_SOURCE__CA_FILE), or — only for a test system — verify_tls = false.',
        details,
        cause,
      });
    case 'timeout':
      return new BtError('HTTP_TIMEOUT', `${endpoint} timed out (${failure.reason})${tries}.`, {
        hint:
          'The server did not answer in time. Check base_url and the network path to the server; raise request_timeout ' +
          'if the server is slow; lower concurrency if it is overloaded.',
        details,
        cause,
      });
    default:
      return new BtError('HTTP_NETWORK', `${endpoint} failed: network error (${failure.reason})${tries}.`, {
        hint:
          'Could not talk to the server. Check base_url (host, port, https and /BeyondTrust/api/public/v3), the network ' +
          'or proxy, and verify_tls / ca_file if the server uses a private certificate.',
        details,
        cause,
      });
  }
}

export function cancelledError(endpoint: string, cause: unknown): BtError {
  return new BtError('CANCELLED', `${endpoint} was cancelled.`, { details: { endpoint }, cause });
}

/** A `ca_file` that cannot be read. */
export function caFileError(path: string, cause: unknown): BtError {
  const reason = (cause as { code?: unknown })?.code;
  return new BtError('HTTP_TLS', `Could not read ca_file ${path}${typeof reason === 'string' ? ` (${reason})` : ''}.`, {
    hint: 'Point ca_file (SOURCES__BEYONDTRUST_SOURCE__CA_FILE) at a readable PEM file with the CA certificate.',
    details: { ca_file: path },
    cause,
  });
}
