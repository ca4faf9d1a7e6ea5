/**
 * The opt-in `credentials` resource: for each active/approved request, asks GET Credentials/{RequestID} and records
 * only whether it WOULD succeed. The response body (a plaintext password) is never read into memory, parsed, stored
 * or logged — the HTTP layer drains it unread (`discardBody`), and only the status survives. Never POSTs Requests.
 */
import type { HttpClientLike } from '../http/types.js';
import type { CustomResourceContext, ResourceConfig } from '../rest/config/types.js';
import { RestClient } from '../rest/rest-client.js';
import { catalogResourceBase, type CatalogEntry } from './catalog.js';

/** Request statuses for which a credential can be retrieved. */
const RETRIEVABLE_STATUSES = new Set(['active', 'approved']);
/** Every non-2xx status is an outcome of the check, not a failure of the run (401 is re-authenticated first). */
const OUTCOME_STATUSES = Array.from({ length: 200 }, (_, i) => 400 + i);

export function isActiveRequest(request: Record<string, unknown>): boolean {
  return typeof request['Status'] === 'string' && RETRIEVABLE_STATUSES.has(request['Status'].toLowerCase());
}

export interface CredentialCheck {
  RequestID: unknown;
  SystemID: unknown;
  AccountID: unknown;
  AccountName: unknown;
  checked_at: string;
  retrievable: boolean;
  outcome: string;
}

/**
 * The run's HTTP client, except that the answer of `url` is drained unread. Other calls through it (a sign-in after a
 * 401) are untouched. The request object is marked in place: the session auth tells requests apart by identity.
 */
function discardingBodyOf(http: HttpClientLike, url: string): HttpClientLike {
  return {
    request: (request) => {
      if (request.url === url) request.discardBody = true;
      return http.request(request);
    },
    // Not ours: the run closes its client.
    close: () => Promise.resolve(),
  };
}

export async function checkCredential(context: CustomResourceContext, request: Record<string, unknown>, now: () => Date = () => new Date()): Promise<CredentialCheck> {
  const id = request['RequestID'];
  const path = `Credentials/${encodeURIComponent(String(id))}`;
  const run = context.client;
  // Same session and 401 handling as every other call of the run; only the body handling differs.
  const client = new RestClient({
    baseUrl: run.baseUrl,
    http: discardingBodyOf(run.http, run.buildUrl(path)),
    ...(run.auth ? { auth: run.auth } : {}),
    onReauth: (endpoint) => context.emit({ type: 'reauth', endpoint }),
  });
  const result = await client.request('GET', path, {
    signal: context.signal,
    parseJson: false,
    allowStatuses: OUTCOME_STATUSES,
  });
  const status = result.response.status;
  const ok = status >= 200 && status < 300;
  return {
    RequestID: id,
    SystemID: request['SystemID'] ?? null,
    AccountID: request['AccountID'] ?? null,
    AccountName: request['AccountName'] ?? null,
    checked_at: now().toISOString(),
    retrievable: ok,
    outcome: ok ? 'ok' : `BT_HTTP_${status}`,
  };
}

export function credentialsResource(entry: CatalogEntry): ResourceConfig {
  return {
    ...catalogResourceBase(entry),
    parent: entry.parent?.resource ?? 'requests',
    async *generate(context) {
      const request = context.parent;
      if (!request || !isActiveRequest(request) || request['RequestID'] === undefined || request['RequestID'] === null) return;
      yield [{ ...(await checkCredential(context, request)) }];
    },
  };
}
