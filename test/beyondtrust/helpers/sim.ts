/** Shared helpers for source tests against the real simulator over loopback. */
import { Secret } from '../../../src/config/secret.js';
import type { BeyondTrustCredentials } from '../../../src/beyondtrust/auth/session-auth.js';
import { createHttpClient, type HttpClientOptions } from '../../../src/http/client.js';
import type { HttpClientLike, HttpRequest, HttpResponse } from '../../../src/http/types.js';
import type { ExtractEvent, ExtractedPage, Source, SourceState } from '../../../src/rest/types.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';

export function psAuth(sim: RunningSimulator, password = true): BeyondTrustCredentials {
  return {
    kind: 'ps_auth',
    apiKey: new Secret(sim.credentials.apiKey),
    runas: new Secret(sim.credentials.runas),
    ...(password ? { password: new Secret(sim.credentials.password) } : {}),
  };
}

export function oauth(sim: RunningSimulator): BeyondTrustCredentials {
  return { kind: 'oauth2_client_credentials', clientId: new Secret(sim.credentials.clientId), clientSecret: new Secret(sim.credentials.clientSecret) };
}

/** Short backoff so fault tests stay fast; plenty of attempts so injected faults never exhaust them. */
export const FAST_HTTP: HttpClientOptions = { retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 5_000 } };

export interface Collected {
  rows: Map<string, Record<string, unknown>[]>;
  pages: number;
  events: ExtractEvent[];
  state: SourceState;
}

export async function collect(
  source: Source,
  options: { state?: SourceState; devLimit?: number; stopAfter?: number; onPage?: (page: ExtractedPage, pages: number) => void } = {},
): Promise<Collected> {
  const events: ExtractEvent[] = [];
  const run = source.extract({ state: options.state ?? {}, onEvent: (e) => events.push(e), ...(options.devLimit !== undefined ? { devLimit: options.devLimit } : {}) });
  const rows = new Map<string, Record<string, unknown>[]>();
  let pages = 0;
  for await (const page of run as AsyncIterable<ExtractedPage>) {
    pages += 1;
    const list = rows.get(page.resource) ?? [];
    list.push(...page.items);
    rows.set(page.resource, list);
    options.onPage?.(page, pages);
    if (options.stopAfter !== undefined && pages >= options.stopAfter) break;
  }
  return { rows, pages, events, state: run.state };
}

export function keysOf(rows: Record<string, unknown>[], key: string[]): string[] {
  return rows.map((row) => key.map((k) => String(row[k])).join('|'));
}

export function expectUnique(values: string[]): boolean {
  return new Set(values).size === values.length;
}

export interface RecordingHttp {
  http: HttpClientLike;
  /** Every request sent (URLs as sent, after auth was applied). */
  requests: HttpRequest[];
  /** Every response the HTTP layer handed up. */
  responses: HttpResponse[];
  /** Requests sent and not yet settled. */
  readonly inFlight: number;
}

/** The real HTTP client, observed: what goes out and what the layers above get back. */
export function recordingHttp(options: HttpClientOptions = FAST_HTTP): RecordingHttp {
  const inner = createHttpClient(options);
  const requests: HttpRequest[] = [];
  const responses: HttpResponse[] = [];
  let inFlight = 0;
  return {
    requests,
    responses,
    get inFlight() {
      return inFlight;
    },
    http: {
      async request(request) {
        requests.push(request);
        inFlight += 1;
        try {
          const response = await inner.request(request);
          responses.push(response);
          return response;
        } finally {
          inFlight -= 1;
        }
      },
      close: () => inner.close(),
    },
  };
}
