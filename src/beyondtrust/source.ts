/**
 * `beyondtrustSource()`: the BeyondTrust catalog as a declarative REST source (name "beyondtrust_source"), with a
 * BeyondTrust session per extract run (sign-in on first call, sign-out exactly once at the end).
 */
import type { BeyondTrustSettings } from '../config/types.js';
import { BtError } from '../errors.js';
import type { HttpClientOptions } from '../http/client.js';
import type { HttpClientLike } from '../http/types.js';
import type { Logger } from '../log.js';
import type { ResourceConfig, RestApiConfig } from '../rest/config/types.js';
import { restApiSource, unknownResourceError } from '../rest/rest-api-source.js';
import type { ExtractOptions, ExtractRun, ResourceInfo, Source } from '../rest/types.js';
import { baseUrlFromSettings, credentialsFromSettings, httpOptionsFromSettings } from './auth/from-settings.js';
import { createBeyondTrustSessionAuth, type BeyondTrustCredentials } from './auth/session-auth.js';
import { BEYONDTRUST_CATALOG, catalogResourceBase, DEFAULT_PAGE_SIZE, TOTAL_COUNT_PATH, type CatalogEntry } from './catalog.js';
import { credentialsResource } from './credentials-resource.js';

export const BEYONDTRUST_SOURCE_NAME = 'beyondtrust_source';
export const CREDENTIALS_RESOURCE = 'credentials';

export interface BeyondTrustSourceOptions {
  /** Catalog tables to load; default every entry with opt_in: false. */
  resources?: string[];
  settings?: BeyondTrustSettings;
  /** Overrides settings.base_url. */
  baseUrl?: string;
  /** Overrides the credentials in settings. */
  credentials?: BeyondTrustCredentials;
  /** A shared HTTP client (the caller closes it). */
  http?: HttpClientLike;
  /** Options for the client each run creates; default from settings (verify_tls, ca_file, timeouts, attempts). */
  httpOptions?: HttpClientOptions;
  /** limit for offset-paged endpoints; default settings.page_size or 1000. */
  pageSize?: number;
  /** Parallel requests; default settings.concurrency or 4. */
  concurrency?: number;
  /** Opt-in for the `credentials` resource; default settings.credentials_enabled. */
  enableCredentials?: boolean;
  logger?: Logger;
  /** Clock (ms) read at the start of each run: the UserAudits `enddate`. Default Date.now; tests pass simulated time. */
  now?: () => number;
}

interface ResolvedConnection {
  baseUrl: string;
  credentials: BeyondTrustCredentials;
  pageSize: number;
  concurrency: number;
  httpOptions: HttpClientOptions;
  enableCredentials: boolean;
}

export function resolveConnection(options: BeyondTrustSourceOptions): ResolvedConnection {
  const { settings } = options;
  if (!settings && (!options.baseUrl || !options.credentials)) {
    throw new BtError('CONFIG_MISSING', 'beyondtrustSource needs settings, or baseUrl and credentials.', {
      hint: "Pass settings: resolveSettings({ projectDir: '.' }) (reads .dlt/config.toml, .dlt/secrets.toml and SOURCES__BEYONDTRUST_SOURCE__* env vars), or baseUrl + credentials.",
      details: { step: 'config', missing: [...(options.baseUrl ? [] : ['base_url']), ...(options.credentials ? [] : ['credentials'])] },
    });
  }
  const baseUrl = options.baseUrl ?? baseUrlFromSettings(settings as BeyondTrustSettings);
  const credentials = options.credentials ?? credentialsFromSettings(settings as BeyondTrustSettings);
  const pageSize = Math.floor(options.pageSize ?? settings?.page_size.value ?? DEFAULT_PAGE_SIZE);
  if (!(pageSize >= 1)) {
    throw new BtError('CONFIG_INVALID', `page_size must be a positive integer, got ${String(options.pageSize ?? settings?.page_size.value)}.`, {
      hint: 'Set page_size (e.g. 1000) under [sources.beyondtrust_source] in .dlt/config.toml.',
      details: { step: 'config' },
    });
  }
  return {
    baseUrl,
    credentials,
    pageSize,
    concurrency: Math.max(1, Math.floor(options.concurrency ?? settings?.concurrency.value ?? 4)),
    httpOptions: options.httpOptions ?? (settings ? httpOptionsFromSettings(settings) : {}),
    enableCredentials: options.enableCredentials ?? settings?.credentials_enabled.value ?? false,
  };
}

/** The REST source resource for one catalog entry. */
export function catalogResource(entry: CatalogEntry, pageSize: number): ResourceConfig {
  if (entry.table === CREDENTIALS_RESOURCE) return credentialsResource(entry);
  const container = entry.data_selector !== '$';
  return {
    ...catalogResourceBase(entry),
    endpoint: {
      path: entry.path,
      data_selector: entry.data_selector,
      paginator:
        entry.paging === 'offset'
          ? { type: 'offset', limit: pageSize, ...(container ? { total_path: TOTAL_COUNT_PATH } : {}) }
          : 'single_page',
      ...(entry.params ? { params: { ...entry.params } } : {}),
      ...(entry.incremental
        ? {
            incremental: {
              cursor_path: entry.incremental.cursor_path,
              initial_value: entry.incremental.initial_value,
              ...(entry.incremental.param ? { param: entry.incremental.param, param_format: 'iso_seconds_z' as const } : {}),
              ...(entry.incremental.end_param ? { end_param: entry.incremental.end_param } : {}),
            },
          }
        : {}),
      // A parent deleted between its listing and the child call is not an error.
      ...(entry.parent ? { response_actions: [{ status_code: 404, action: 'ignore' as const }] } : {}),
    },
  };
}

/** The declarative config behind beyondtrustSource (also used by previews). */
export function beyondtrustRestConfig(connection: ResolvedConnection, logger?: Logger): RestApiConfig {
  return {
    client: {
      base_url: connection.baseUrl,
      auth: () => createBeyondTrustSessionAuth({ baseUrl: connection.baseUrl, credentials: connection.credentials, ...(logger ? { logger } : {}) }),
    },
    resources: BEYONDTRUST_CATALOG.map((entry) => catalogResource(entry, connection.pageSize)),
  };
}

export function credentialsNotEnabledError(): BtError {
  return new BtError('CREDENTIALS_NOT_ENABLED', 'The "credentials" resource calls GET Credentials/{RequestID} and is off unless explicitly enabled.', {
    hint: 'Set credentials_enabled = true under [sources.beyondtrust_source] in .dlt/config.toml (or SOURCES__BEYONDTRUST_SOURCE__CREDENTIALS_ENABLED=true), or pass enableCredentials: true. Only the retrievability is recorded, never the credential.',
    details: { step: 'config' },
  });
}

function checkSelection(names: string[], enableCredentials: boolean): void {
  const valid = BEYONDTRUST_CATALOG.map((e) => e.table);
  const unknown = names.filter((n) => !valid.includes(n));
  if (unknown.length > 0) throw unknownResourceError(unknown, valid);
  if (names.includes(CREDENTIALS_RESOURCE) && !enableCredentials) throw credentialsNotEnabledError();
}

class BeyondTrustSource implements Source {
  readonly #inner: Source;
  readonly #enableCredentials: boolean;

  constructor(inner: Source, enableCredentials: boolean) {
    this.#inner = inner;
    this.#enableCredentials = enableCredentials;
  }

  get name(): string {
    return this.#inner.name;
  }

  get resources(): ResourceInfo[] {
    return this.#inner.resources;
  }

  withResources(names: string[]): Source {
    checkSelection(names, this.#enableCredentials);
    return new BeyondTrustSource(this.#inner.withResources(names), this.#enableCredentials);
  }

  extract(options: ExtractOptions): ExtractRun {
    return this.#inner.extract(options);
  }
}

export function beyondtrustSource(options: BeyondTrustSourceOptions = {}): Source {
  const connection = resolveConnection(options);
  const names = options.resources ?? BEYONDTRUST_CATALOG.filter((e) => !e.opt_in).map((e) => e.table);
  checkSelection(names, connection.enableCredentials);
  const inner = restApiSource(beyondtrustRestConfig(connection, options.logger), {
    name: BEYONDTRUST_SOURCE_NAME,
    concurrency: connection.concurrency,
    httpOptions: connection.httpOptions,
    ...(options.http ? { http: options.http } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return new BeyondTrustSource(inner.withResources(names), connection.enableCredentials);
}
