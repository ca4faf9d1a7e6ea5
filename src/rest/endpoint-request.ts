/**
 * The first request of an endpoint for one parent item: placeholders filled, the incremental start value put in
 * its API parameter, and a fresh paginator. Shared by the source and by previews.
 */
import { BtError } from '../errors.js';
import type { HttpMethod } from '../http/types.js';
import type { ResolvedEndpoint, ResolvedResource } from './config/resolve.js';
import type { IncrementalTracker } from './incremental.js';
import { getPath } from './json-path.js';
import type { PaginateOptions } from './paginate.js';
import { createPaginator, type PageRequest, type Paginator } from './paginators/index.js';
import { renderJson, renderTemplate, type PlaceholderContext } from './placeholders.js';

export interface EndpointRequest {
  method: HttpMethod;
  request: PageRequest;
  headers?: Record<string, string>;
  paginator: Paginator;
}

export function buildEndpointRequest(
  resource: ResolvedResource & { endpoint: ResolvedEndpoint },
  parent: Record<string, unknown> | undefined,
  tracker: IncrementalTracker | undefined,
): EndpointRequest {
  const endpoint = resource.endpoint;
  const context: PlaceholderContext = {
    resource: resource.name,
    ...(parent && resource.parent ? { parent: { resource: resource.parent, item: parent } } : {}),
    ...(tracker
      ? { incremental: { last_value: tracker.startValue, start_value: tracker.startValue, initial_value: tracker.spec.initial_value } }
      : {}),
  };
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(endpoint.params)) {
    params[key] = typeof value === 'string' ? renderTemplate(value, context) : String(value);
  }
  const paramValue = tracker?.paramValue();
  if (tracker?.spec.param && paramValue !== undefined) params[tracker.spec.param] = paramValue;
  const endValue = tracker?.endParamValue();
  if (tracker?.spec.end_param && endValue !== undefined) params[tracker.spec.end_param] = endValue;
  const headers = Object.fromEntries(Object.entries(endpoint.headers).map(([k, v]) => [k, renderTemplate(v, context)]));
  return {
    method: endpoint.method,
    request: {
      url: renderTemplate(endpoint.path, context, true),
      params,
      ...(endpoint.json !== undefined ? { json: renderJson(endpoint.json, context) } : {}),
    },
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    paginator: createPaginator(endpoint.paginator),
  };
}

/** The paginate() options an endpoint and its built request fix; callers add client, limits, prefetch and signal. */
export function endpointPageOptions(
  resource: ResolvedResource & { endpoint: ResolvedEndpoint },
  built: EndpointRequest,
): Pick<PaginateOptions, 'resource' | 'method' | 'request' | 'headers' | 'paginator' | 'dataSelector' | 'responseActions' | 'maxPages'> {
  const { endpoint } = resource;
  return {
    resource: resource.name,
    method: built.method,
    request: built.request,
    ...(built.headers ? { headers: built.headers } : {}),
    paginator: built.paginator,
    ...(endpoint.data_selector !== undefined ? { dataSelector: endpoint.data_selector } : {}),
    responseActions: endpoint.response_actions,
    maxPages: endpoint.max_pages,
  };
}

export function parentFieldMissing(resource: ResolvedResource, field: string, parent: Record<string, unknown>): BtError {
  return new BtError(
    'PARENT_FIELD_MISSING',
    `Resource "${resource.name}": include_from_parent field "${field}" is missing in the "${resource.parent ?? '?'}" record. Available fields: ${Object.keys(parent).slice(0, 40).join(', ')}.`,
    { hint: `Use fields that "${resource.parent ?? 'parent'}" records have.`, details: { step: 'extract' } },
  );
}

/** Copies `include_from_parent` fields into each record as `_<parent>_<field>`; a missing field is an error. */
export function includeFromParent(resource: ResolvedResource, records: Record<string, unknown>[], parent: Record<string, unknown> | undefined): void {
  if (!parent || !resource.parent) return;
  for (const field of resource.include_from_parent) {
    const value = getPath(parent, field);
    if (value === undefined) throw parentFieldMissing(resource, field, parent);
    const column = `_${resource.parent}_${field.replace(/\./g, '_')}`;
    for (const record of records) record[column] = value;
  }
}
