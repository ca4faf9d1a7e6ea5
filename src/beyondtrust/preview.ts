/**
 * `previewEndpoint`: fetches the first page(s) of one catalog endpoint without loading anything, for the MCP tool
 * preview_endpoint. Child endpoints are previewed for the first parent record. Sensitive fields are removed;
 * the session is signed out before returning.
 */
import { BtError, toBtError } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import type { HttpClientLike } from '../http/types.js';
import { silentLogger } from '../log.js';
import { parseRestApiConfig } from '../rest/config/parse.js';
import { resolveResources, type ResolvedResource } from '../rest/config/resolve.js';
import { buildEndpointRequest, endpointPageOptions, includeFromParent } from '../rest/endpoint-request.js';
import { createAuth } from '../rest/auth/index.js';
import { paginate } from '../rest/paginate.js';
import { RestClient } from '../rest/rest-client.js';
import type { ResponseShape } from '../rest/select-records.js';
import { removeSensitiveFields } from '../rest/sensitive.js';
import { unknownResourceError } from '../rest/rest-api-source.js';
import { BEYONDTRUST_CATALOG, findCatalogEntry } from './catalog.js';
import { beyondtrustRestConfig, credentialsNotEnabledError, resolveConnection, type BeyondTrustSourceOptions } from './source.js';

export interface PreviewResult {
  table: string;
  /** Redacted label of the first request, e.g. "GET ManagedAccounts". */
  endpoint: string;
  shape: ResponseShape;
  paging: { kind: string; page_size?: number; total_count?: number; has_more: boolean };
  pages_fetched: number;
  /** At most maxRecords records, sensitive fields removed. */
  records: Record<string, unknown>[];
  /** Records in the fetched pages (before truncation to maxRecords). */
  record_count: number;
  /** Sensitive fields that were present and removed. */
  sensitive_fields_removed: string[];
}

export interface PreviewOptions extends Omit<BeyondTrustSourceOptions, 'resources'> {
  table: string;
  /** Pages to fetch (default 1, at most 10). */
  pages?: number;
  /** Records to return (default 10, at most 100). */
  maxRecords?: number;
  signal?: AbortSignal;
}

const MAX_PREVIEW_PAGES = 10;
const MAX_PREVIEW_RECORDS = 100;

function clampInt(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(value)));
}

interface PreviewContext {
  client: RestClient;
  byName: Map<string, ResolvedResource>;
  signal: AbortSignal;
  pages: number;
  prefetch: number;
}

/** The first record of `resource` (for its parent placeholders), resolving its own parent first. */
async function firstRecord(ctx: PreviewContext, resource: ResolvedResource): Promise<Record<string, unknown> | undefined> {
  const parent = resource.parent ? await firstRecord(ctx, ctx.byName.get(resource.parent) as ResolvedResource) : undefined;
  if (resource.parent && !parent) return undefined;
  if (!resource.endpoint) return undefined;
  const built = buildEndpointRequest({ ...resource, endpoint: resource.endpoint }, parent, undefined);
  for await (const page of paginate({
    client: ctx.client,
    ...endpointPageOptions({ ...resource, endpoint: resource.endpoint }, built),
    pageLimit: 1,
    signal: ctx.signal,
  })) {
    return page.records[0];
  }
  return undefined;
}

async function previewParents(ctx: PreviewContext, resource: ResolvedResource): Promise<Record<string, unknown>[]> {
  const parent = ctx.byName.get(resource.parent ?? '');
  if (!parent?.endpoint) return [];
  const grandparent = parent.parent ? await firstRecord(ctx, ctx.byName.get(parent.parent) as ResolvedResource) : undefined;
  const built = buildEndpointRequest({ ...parent, endpoint: parent.endpoint }, grandparent, undefined);
  for await (const page of paginate({
    client: ctx.client,
    resource: parent.name,
    method: built.method,
    request: built.request,
    paginator: built.paginator,
    ...(parent.endpoint.data_selector !== undefined ? { dataSelector: parent.endpoint.data_selector } : {}),
    maxPages: parent.endpoint.max_pages,
    pageLimit: 1,
    signal: ctx.signal,
  })) {
    return page.records;
  }
  return [];
}

async function runPreview(ctx: PreviewContext, resource: ResolvedResource, maxRecords: number, pageSize: number): Promise<Omit<PreviewResult, 'table'>> {
  const records: Record<string, unknown>[] = [];
  const removed = new Set<string>();
  let recordCount = 0;
  const keep = (batch: Record<string, unknown>[]): void => {
    for (const name of removeSensitiveFields(batch, resource.sensitive_fields)) removed.add(name);
    recordCount += batch.length;
    for (const record of batch) if (records.length < maxRecords) records.push(record);
  };

  if (resource.generate) {
    // A custom resource (credentials): run it for the first parents until enough records are collected.
    const parents = await previewParents(ctx, resource);
    let pagesFetched = 0;
    for (const parent of parents) {
      if (records.length >= maxRecords) break;
      for await (const batch of resource.generate({ client: ctx.client, parent, signal: ctx.signal, emit: () => undefined })) {
        keep(batch);
        pagesFetched += 1;
      }
    }
    return {
      endpoint: 'GET Credentials/<id>',
      shape: 'object',
      paging: { kind: 'single_page', has_more: false },
      pages_fetched: pagesFetched,
      records,
      record_count: recordCount,
      sensitive_fields_removed: [...removed],
    };
  }

  const endpoint = resource.endpoint;
  if (!endpoint) throw new BtError('INTERNAL', `Resource "${resource.name}" has no endpoint.`);
  const parent = resource.parent ? await firstRecord(ctx, ctx.byName.get(resource.parent) as ResolvedResource) : undefined;
  if (resource.parent && !parent) {
    return {
      endpoint: `GET ${endpoint.path}`,
      shape: 'array',
      paging: { kind: 'none', has_more: false },
      pages_fetched: 0,
      records: [],
      record_count: 0,
      sensitive_fields_removed: [],
    };
  }
  const built = buildEndpointRequest({ ...resource, endpoint }, parent, undefined);
  let first: { endpoint: string; shape: ResponseShape } | undefined;
  let pagesFetched = 0;
  let hasMore = false;
  for await (const page of paginate({
    client: ctx.client,
    ...endpointPageOptions({ ...resource, endpoint }, built),
    pageLimit: ctx.pages,
    prefetch: ctx.prefetch,
    signal: ctx.signal,
  })) {
    first ??= { endpoint: page.endpoint, shape: page.shape };
    pagesFetched += 1;
    hasMore = page.hasMore;
    includeFromParent(resource, page.records, parent);
    keep(page.records);
  }
  const total = built.paginator.total;
  return {
    endpoint: first?.endpoint ?? `GET ${built.request.url}`,
    shape: first?.shape ?? 'array',
    paging: {
      kind: built.paginator.kind,
      ...(built.paginator.kind === 'offset' ? { page_size: pageSize } : {}),
      ...(total !== undefined ? { total_count: total } : {}),
      has_more: hasMore,
    },
    pages_fetched: pagesFetched,
    records,
    record_count: recordCount,
    sensitive_fields_removed: [...removed],
  };
}

export async function previewEndpoint(options: PreviewOptions): Promise<PreviewResult> {
  const entry = findCatalogEntry(options.table);
  if (!entry) throw unknownResourceError([options.table], BEYONDTRUST_CATALOG.map((e) => e.table));
  const connection = resolveConnection(options);
  if (entry.table === 'credentials' && !connection.enableCredentials) throw credentialsNotEnabledError();
  const logger = options.logger ?? silentLogger;
  const config = parseRestApiConfig(beyondtrustRestConfig(connection, logger));
  const resources = resolveResources(config);
  const byName = new Map(resources.map((r) => [r.name, r]));
  const resource = byName.get(entry.table) as ResolvedResource;

  const ownsHttp = !options.http;
  const http: HttpClientLike = options.http ?? createHttpClient({ ...connection.httpOptions, logger });
  const auth = createAuth(config.client.auth);
  const client = new RestClient({ baseUrl: connection.baseUrl, http, ...(auth ? { auth } : {}) });
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await runPreview(
      { client, byName, signal: controller.signal, pages: clampInt(options.pages, 1, MAX_PREVIEW_PAGES), prefetch: 1 },
      resource,
      clampInt(options.maxRecords, 10, MAX_PREVIEW_RECORDS),
      connection.pageSize,
    );
    return { table: entry.table, ...result };
  } catch (error) {
    throw toBtError(error, 'PREVIEW_FAILED', { step: 'extract' });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await client.settled();
    try {
      await auth?.close?.(http);
    } catch (error) {
      logger.warn('Closing the API session failed', { code: toBtError(error).code });
    }
    if (ownsHttp) await http.close().catch(() => undefined);
  }
}
