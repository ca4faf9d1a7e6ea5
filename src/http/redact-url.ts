/**
 * URL redaction: every URL that reaches a log line or an error passes through `redactUrl`.
 * - Path ids after `Credentials/` and `Requests/` (and the alias in `Aliases/<alias>/Credentials/<id>`) become `<id>`:
 *   a credential request id is itself sensitive (it unlocks a password).
 * - Query values of sensitive parameter names become `***` (dlt's list plus run-as/session names).
 * - User info (`user:pass@`) becomes `***@`.
 * - Finally every known secret value is scrubbed (`redactSecrets`).
 */
import { redactSecrets } from '../config/secret.js';

export const REDACTED_ID = '<id>';
export const REDACTED_QUERY_VALUE = '***';

/** Path segments whose next segment is an id that must not be shown. Compared lower-case. */
const ID_BEARING_SEGMENTS = new Set(['credentials', 'requests', 'aliases']);

const SENSITIVE_QUERY_NAMES = new Set([
  'api_key',
  'apikey',
  'api-key',
  'key',
  'token',
  'access_token',
  'access-token',
  'refresh_token',
  'id_token',
  'secret',
  'client_secret',
  'password',
  'pwd',
  'passwd',
  'runas',
  'run_as',
  'auth',
  'authorization',
  'signature',
  'sig',
  'session',
  'sessionid',
  'asp.net_sessionid',
  'cookie',
  'code',
]);
/** Substrings that mark a parameter name as sensitive even when it is not in the list above. */
const SENSITIVE_NAME_PARTS = ['password', 'secret', 'token', 'apikey', 'api_key', 'sessionid'];

export function isSensitiveQueryName(name: string): boolean {
  const lower = name.toLowerCase();
  return SENSITIVE_QUERY_NAMES.has(lower) || SENSITIVE_NAME_PARTS.some((part) => lower.includes(part));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Replaces ids following id-bearing segments in a `/`-separated path. */
export function redactPath(path: string): string {
  const segments = path.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    const name = safeDecode(segments[i]!).toLowerCase();
    if (ID_BEARING_SEGMENTS.has(name) && segments[i + 1] !== '') {
      segments[i + 1] = REDACTED_ID;
      i++;
    }
  }
  return segments.join('/');
}

/** Redacts the values of sensitive parameters in a raw query string (without the leading `?`), keeping its encoding. */
export function redactQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return isSensitiveQueryName(name) ? `${pair.slice(0, eq)}=${REDACTED_QUERY_VALUE}` : pair;
    })
    .join('&');
}

/** Full URL → redacted URL. Never throws; text that is not a URL is still scrubbed. */
export function redactUrl(url: string): string {
  // Split by hand instead of URL parsing so the original encoding and relative URLs survive unchanged.
  const hashAt = url.indexOf('#');
  const withoutHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = withoutHash.indexOf('?');
  const beforeQuery = queryAt >= 0 ? withoutHash.slice(0, queryAt) : withoutHash;
  const query = queryAt >= 0 ? withoutHash.slice(queryAt + 1) : undefined;

  let origin = '';
  let path = beforeQuery;
  const scheme = /^([a-z][a-z0-9+.-]*:)?\/\/([^/]*)/i.exec(beforeQuery);
  if (scheme) {
    const authority = scheme[2] ?? '';
    const at = authority.lastIndexOf('@');
    const safeAuthority = at >= 0 ? `***@${authority.slice(at + 1)}` : authority;
    origin = `${scheme[1] ?? ''}//${safeAuthority}`;
    path = beforeQuery.slice(scheme[0].length);
  }
  const redacted = `${origin}${redactPath(path)}${query === undefined ? '' : `?${redactQuery(query)}`}`;
  return redactSecrets(redacted);
}

/** The path of `url` relative to the API root (`…/api/public/v3/`) or to `baseUrl`, without query. */
function relativePath(url: string, baseUrl?: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/, 1)[0] ?? url;
  }
  if (baseUrl) {
    let basePath: string;
    try {
      basePath = new URL(baseUrl).pathname;
    } catch {
      basePath = baseUrl;
    }
    basePath = basePath.replace(/\/+$/, '');
    if (basePath && path.toLowerCase().startsWith(`${basePath.toLowerCase()}/`)) return path.slice(basePath.length + 1);
  }
  const apiRoot = /\/api\/public\/v\d+(?:\.\d+)?\//i.exec(path);
  if (apiRoot) return path.slice(apiRoot.index + apiRoot[0].length);
  return path.replace(/^\/+/, '');
}

/** "GET ManagedAccounts", "GET Credentials/<id>": a short, redacted label for errors, logs and events. */
export function endpointLabel(method: string, url: string, baseUrl?: string): string {
  const path = redactPath(relativePath(url, baseUrl)).replace(/\/+$/, '');
  return redactSecrets(`${method.toUpperCase()} ${path || '/'}`);
}
