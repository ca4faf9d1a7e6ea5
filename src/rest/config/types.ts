/**
 * The declarative REST source config — dlt's `RESTAPIConfig` in TypeScript. This is the PARSED form returned by
 * `parseRestApiConfig`: string secrets in `auth` are already wrapped in `Secret`.
 */
import type { Secret } from '../../config/secret.js';
import type { HttpMethod } from '../../http/types.js';
import type { PaginatorConfig } from '../paginators/index.js';
import type { RestClient } from '../rest-client.js';
import type {
  AuthStrategy, ColumnHint, ContractMode, ExtractEvent, IncrementalSpec, SchemaContract, WriteDisposition,
} from '../types.js';

export type AuthConfig =
  | { type: 'bearer'; token: Secret }
  | { type: 'api_key'; name?: string; api_key: Secret; location?: 'header' | 'query' }
  | { type: 'http_basic'; username: Secret; password: Secret }
  | {
      type: 'oauth2_client_credentials';
      access_token_url: string;
      client_id: Secret;
      client_secret: Secret;
      access_token_request_data?: Record<string, string>;
      default_token_expiration?: number;
    };

/** An auth object, or a factory called once per extract run (sessions that sign out at the end need one). */
export type AuthInput = AuthConfig | AuthStrategy | (() => AuthStrategy);

export interface ClientConfig {
  base_url: string;
  headers?: Record<string, string>;
  auth?: AuthInput;
  paginator?: PaginatorConfig;
}

export interface ResponseAction {
  status_code?: number | number[];
  /** Substring of the response body. */
  content?: string;
  action: 'ignore';
}

export interface EndpointConfig {
  path?: string;
  method?: HttpMethod;
  params?: Record<string, string | number | boolean>;
  json?: unknown;
  headers?: Record<string, string>;
  data_selector?: string;
  paginator?: PaginatorConfig;
  incremental?: IncrementalSpec;
  response_actions?: ResponseAction[];
  /** Guard against paginators that never stop (default 100,000 pages per request sequence). */
  max_pages?: number;
}

/** What a custom (non-REST or composite) resource receives, per parent item when it has a parent. */
export interface CustomResourceContext {
  client: RestClient;
  parent?: Record<string, unknown>;
  signal: AbortSignal;
  emit(event: ExtractEvent): void;
}

export interface ResourceConfig {
  name: string;
  table_name?: string;
  description?: string;
  /** A path, or the endpoint config. */
  endpoint?: string | EndpointConfig;
  primary_key?: string | string[];
  write_disposition?: WriteDisposition;
  columns?: Record<string, ColumnHint>;
  incremental?: IncrementalSpec;
  include_from_parent?: string[];
  selected?: boolean;
  schema_contract?: ContractMode | SchemaContract;
  max_table_nesting?: number;
  /** Extension: fields removed from every record before it leaves the extractor (dots reach into nested objects). */
  sensitive_fields?: string[];
  /** Extension: the parent of a custom resource (REST resources name theirs through `{resources.<parent>.<field>}`). */
  parent?: string;
  /** Extension: a resource produced by code instead of an endpoint; yields lists of records. */
  generate?: (context: CustomResourceContext) => AsyncIterable<Record<string, unknown>[]>;
}

export type ResourceDefaults = Omit<ResourceConfig, 'name' | 'generate'>;

export interface RestApiConfig {
  client: ClientConfig;
  resource_defaults?: ResourceDefaults;
  resources: (string | ResourceConfig)[];
}
