/**
 * Turns a parsed config into resolved resources: resource_defaults merged per dlt (resource keys override,
 * endpoint.params/json deep-merged one level, columns merged), paginator precedence endpoint → defaults → client,
 * parents found from `{resources.<parent>.<field>}` placeholders, single-entity paths detected.
 */
import { BtError } from '../../errors.js';
import type { HttpMethod } from '../../http/types.js';
import type { PaginatorConfig } from '../paginators/index.js';
import { findPlaceholders, referencedParents } from '../placeholders.js';
import type { ColumnHint, IncrementalSpec, ResourceInfo, SchemaContract, WriteDisposition } from '../types.js';
import type { EndpointConfig, ResourceConfig, ResourceDefaults, ResponseAction, RestApiConfig } from './types.js';

export const DEFAULT_MAX_PAGES = 100_000;

export interface ResolvedEndpoint {
  path: string;
  method: HttpMethod;
  params: Record<string, string | number | boolean>;
  json?: unknown;
  headers: Record<string, string>;
  data_selector?: string;
  paginator?: PaginatorConfig;
  response_actions: ResponseAction[];
  max_pages: number;
}

export interface ResolvedResource {
  name: string;
  table_name: string;
  description?: string;
  write_disposition: WriteDisposition;
  primary_key: string[];
  columns: Record<string, ColumnHint>;
  incremental?: IncrementalSpec;
  include_from_parent: string[];
  selected: boolean;
  schema_contract?: SchemaContract;
  max_table_nesting?: number;
  sensitive_fields: string[];
  parent?: string;
  endpoint?: ResolvedEndpoint;
  generate?: ResourceConfig['generate'];
}

function normalizeEndpoint(endpoint: string | EndpointConfig | undefined): EndpointConfig | undefined {
  return typeof endpoint === 'string' ? { path: endpoint } : endpoint;
}

function mergeEndpoint(defaults: EndpointConfig | undefined, own: EndpointConfig | undefined): EndpointConfig {
  const merged: EndpointConfig = { ...defaults, ...own };
  if (defaults?.params || own?.params) merged.params = { ...defaults?.params, ...own?.params };
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(defaults?.json) && isObject(own?.json)) merged.json = { ...defaults.json, ...own.json };
  return merged;
}

function toContract(contract: ResourceConfig['schema_contract']): SchemaContract | undefined {
  if (contract === undefined) return undefined;
  return typeof contract === 'string' ? { tables: contract, columns: contract, data_type: contract } : contract;
}

/** snake_case table name, like dlt's naming convention for identifiers. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

function resolveOne(
  item: string | ResourceConfig,
  defaults: ResourceDefaults | undefined,
  clientPaginator: PaginatorConfig | undefined,
): ResolvedResource {
  const own: ResourceConfig = typeof item === 'string' ? { name: item } : item;
  const merged: ResourceConfig = { ...defaults, ...own };
  if (defaults?.columns || own.columns) merged.columns = { ...defaults?.columns, ...own.columns };
  const ownEndpoint = normalizeEndpoint(own.endpoint);
  const defaultEndpoint = normalizeEndpoint(defaults?.endpoint);
  const endpoint = own.generate ? undefined : mergeEndpoint(defaultEndpoint, ownEndpoint);
  const incremental = own.incremental ?? ownEndpoint?.incremental ?? defaults?.incremental ?? defaultEndpoint?.incremental;

  let resolvedEndpoint: ResolvedEndpoint | undefined;
  if (endpoint) {
    const path = endpoint.path ?? own.name;
    let paginator = ownEndpoint?.paginator ?? defaultEndpoint?.paginator;
    let dataSelector = endpoint.data_selector;
    // dlt: a path ending in a placeholder returns one entity, unless paging/selector are configured explicitly.
    const last = path.split('/').pop() ?? '';
    const singleEntity = /^\{[^{}]+\}$/.test(last) && findPlaceholders(last).length === 1;
    if (singleEntity) {
      paginator ??= 'single_page';
      dataSelector ??= '$';
    }
    resolvedEndpoint = {
      path,
      method: endpoint.method ?? 'GET',
      params: endpoint.params ?? {},
      headers: endpoint.headers ?? {},
      response_actions: endpoint.response_actions ?? [],
      max_pages: endpoint.max_pages ?? DEFAULT_MAX_PAGES,
      ...(endpoint.json !== undefined ? { json: endpoint.json } : {}),
      ...(dataSelector !== undefined ? { data_selector: dataSelector } : {}),
      ...((paginator ?? clientPaginator) !== undefined ? { paginator: paginator ?? clientPaginator } : {}),
    };
  }

  const primaryKey = merged.primary_key === undefined ? [] : Array.isArray(merged.primary_key) ? merged.primary_key : [merged.primary_key];
  const contract = toContract(merged.schema_contract);
  return {
    name: own.name,
    table_name: merged.table_name ?? toSnakeCase(own.name),
    write_disposition: merged.write_disposition ?? 'append',
    primary_key: primaryKey,
    columns: merged.columns ?? {},
    include_from_parent: merged.include_from_parent ?? [],
    selected: merged.selected ?? true,
    sensitive_fields: merged.sensitive_fields ?? [],
    ...(merged.description !== undefined ? { description: merged.description } : {}),
    ...(incremental !== undefined ? { incremental } : {}),
    ...(contract !== undefined ? { schema_contract: contract } : {}),
    ...(merged.max_table_nesting !== undefined ? { max_table_nesting: merged.max_table_nesting } : {}),
    ...(resolvedEndpoint ? { endpoint: resolvedEndpoint } : {}),
    ...(own.generate ? { generate: own.generate } : {}),
    ...(own.parent !== undefined ? { parent: own.parent } : {}),
  };
}

function collectStrings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectStrings(v, out));
  return out;
}

function invalid(message: string, hint: string): BtError {
  return new BtError('CONFIG_INVALID', message, { hint, details: { step: 'config' } });
}

export function resolveResources(config: RestApiConfig): ResolvedResource[] {
  const resources = config.resources.map((item) => resolveOne(item, config.resource_defaults, config.client.paginator));
  const byName = new Map(resources.map((r) => [r.name, r]));
  // parseRestApiConfig reports these by exact path already; kept for configs resolved after defaults were merged.
  resources.forEach((resource, index) => {
    const at = `resources[${index}]`;
    if (resource.endpoint) {
      const { path, params, json, headers } = resource.endpoint;
      const parents = new Set(collectStrings([path, params, json, headers], []).flatMap(referencedParents));
      if (parents.size > 1) {
        throw invalid(`${at}.endpoint: resource "${resource.name}" depends on multiple parent resources (${[...parents].join(', ')}).`, 'A child resource may reference one parent only.');
      }
      const [parent] = parents;
      if (parent !== undefined) resource.parent = parent;
    }
    if (resource.parent !== undefined) {
      if (!byName.has(resource.parent)) {
        throw invalid(
          `${at}: resource "${resource.name}" references unknown parent resource "${resource.parent}".`,
          `Define "${resource.parent}" in resources or fix the placeholder. Known resources: ${[...byName.keys()].join(', ')}.`,
        );
      }
    } else if (resource.include_from_parent.length > 0) {
      throw invalid(`${at}.include_from_parent: resource "${resource.name}" has include_from_parent but no parent.`, 'Reference the parent with {resources.<parent>.<field>} in the endpoint path or params.');
    }
  });
  // Reject cycles: follow parent links; a path longer than the resource count loops.
  for (const resource of resources) {
    let current: ResolvedResource | undefined = resource;
    for (let depth = 0; current?.parent !== undefined; depth += 1) {
      if (depth > resources.length) throw invalid(`Resources form a parent cycle through "${resource.name}".`, 'Parent/child links must form a tree.');
      current = byName.get(current.parent);
    }
  }
  return resources;
}

export function toResourceInfo(resource: ResolvedResource): ResourceInfo {
  return {
    name: resource.name,
    table_name: resource.table_name,
    write_disposition: resource.write_disposition,
    primary_key: [...resource.primary_key],
    columns: { ...resource.columns },
    selected: resource.selected,
    sensitive_fields: [...resource.sensitive_fields],
    endpoint_path: resource.endpoint?.path ?? '',
    ...(resource.incremental ? { incremental: { ...resource.incremental } } : {}),
    ...(resource.parent !== undefined ? { parent: resource.parent } : {}),
    ...(resource.schema_contract ? { schema_contract: { ...resource.schema_contract } } : {}),
    ...(resource.max_table_nesting !== undefined ? { max_table_nesting: resource.max_table_nesting } : {}),
    ...(resource.description !== undefined ? { description: resource.description } : {}),
  };
}
