/**
 * The source contract: what the pipeline knows about a source. A source is a set of resources; extracting it
 * yields pages of plain JSON records, already stripped of sensitive fields.
 */
import type { HttpClientLike, HttpRequest, HttpResponse, RetryEvent } from '../http/types.js';

export type WriteDisposition = 'append' | 'replace' | 'merge';
export type DataType = 'bigint' | 'double' | 'bool' | 'text' | 'timestamp' | 'date' | 'json';
export type ContractMode = 'evolve' | 'freeze' | 'discard_row' | 'discard_value';

export interface SchemaContract {
  tables?: ContractMode;
  columns?: ContractMode;
  data_type?: ContractMode;
}

export interface ColumnHint {
  data_type?: DataType;
  nullable?: boolean;
  description?: string;
}

export interface IncrementalSpec {
  /** Field of each record (source name, dotted path allowed) that holds the cursor. */
  cursor_path: string;
  initial_value?: string | number;
  /** Query parameter the API filters on (e.g. Secrets `afterdate`); absent → filtered client-side. */
  param?: string;
  /**
   * Extension: query parameter for the upper end of the window (e.g. UserAudits `enddate`), sent on every page with
   * the run's start time. Rows created while the run pages cannot shift the pages; they are left for the next run
   * (the new last_value is at most this end).
   */
  end_param?: string;
  /** How the cursor is formatted for the API parameter. */
  param_format?: 'iso_seconds_z' | 'raw';
}

/** Everything the pipeline and the MCP tools need to know about one resource. Names are source names. */
export interface ResourceInfo {
  name: string;
  /** Normalized (snake_case) root table name. */
  table_name: string;
  write_disposition: WriteDisposition;
  /** Source field names, e.g. ["ManagedAccountID"]; empty when the resource has no key. */
  primary_key: string[];
  /** Type hints keyed by source field name, so all-null columns still exist. */
  columns: Record<string, ColumnHint>;
  incremental?: IncrementalSpec;
  /** Name of the parent resource for child endpoints (e.g. assets → workgroups). */
  parent?: string;
  /** false: fetched only to feed children, never loaded. */
  selected: boolean;
  schema_contract?: SchemaContract;
  max_table_nesting?: number;
  description?: string;
  /** Fields removed in the extractor and never loaded (Sessions Token, Secrets Password …). */
  sensitive_fields: string[];
  /** Endpoint path template, e.g. "Workgroups/{resources.workgroups.ID}/Assets". */
  endpoint_path: string;
}

export interface ExtractedPage {
  resource: string;
  table_name: string;
  /** Records of this page, sensitive fields already removed. */
  items: Record<string, unknown>[];
  /** 1-based page number within the resource (counted over all parents). */
  page: number;
}

export interface ResourceState {
  incremental?: { cursor_path: string; initial_value?: unknown; last_value?: unknown };
}

export type SourceState = Record<string, ResourceState>;

export type ExtractEvent =
  | { type: 'page'; resource: string; page: number; items: number; endpoint: string }
  | { type: 'retry'; retry: RetryEvent }
  | { type: 'reauth'; endpoint: string }
  | { type: 'warning'; resource?: string; message: string }
  | { type: 'resource_done'; resource: string; pages: number; items: number };

export interface ExtractOptions {
  /** State restored from the destination; the extractor reads incremental cursors from it. */
  state: SourceState;
  signal?: AbortSignal;
  /**
   * Load at most this many pages per resource, counted over all parent items of a child. A resource cut short by it
   * (or whose parent was) keeps its previous incremental state in `run.state`.
   */
  devLimit?: number;
  onEvent?: (event: ExtractEvent) => void;
}

export interface ExtractRun extends AsyncIterable<ExtractedPage> {
  /** Updated state (new incremental last values). Complete once iteration has finished without error. */
  readonly state: SourceState;
}

export interface Source {
  /** Schema name, e.g. "beyondtrust_source". */
  readonly name: string;
  readonly resources: ResourceInfo[];
  /**
   * A copy in which only the named resources are selected; parents they need are still fetched but not loaded.
   * Throws BtError UNKNOWN_RESOURCE naming the valid names.
   */
  withResources(names: string[]): Source;
  /**
   * Streams pages of every selected resource. Signs in lazily and signs out exactly once when the iteration
   * ends (finished, failed or abandoned), after every request in flight has settled.
   */
  extract(options: ExtractOptions): ExtractRun;
}

/** An auth strategy (bearer, api_key, basic, OAuth2, BeyondTrust session …) used by the REST client. */
export interface AuthStrategy {
  readonly kind: string;
  /** Adds credentials to the request; may sign in first (single-flight across concurrent callers). */
  apply(request: HttpRequest, http: HttpClientLike): Promise<void>;
  /** Called when a data call returned 401. Return true to retry that request once with fresh credentials. */
  onUnauthorized?(response: HttpResponse, http: HttpClientLike): Promise<boolean>;
  /** Ends the session (sign-out). Idempotent: only the first call after a sign-in does anything. */
  close?(http: HttpClientLike): Promise<void>;
}
