/** The declarative REST source (dlt rest_api counterpart). */
export { restApiSource, unknownResourceError, type RestApiSourceOptions } from './rest-api-source.js';
export { RestExtractRun, type SourceDefinition } from './extract-run.js';
export { parseRestApiConfig } from './config/parse.js';
export { resolveResources, toResourceInfo, toSnakeCase, type ResolvedResource, type ResolvedEndpoint } from './config/resolve.js';
export type * from './config/types.js';
export { RestClient, type RestClientOptions, type RestRequestOptions, type RestResult } from './rest-client.js';
export { paginate, type FetchedPage, type PaginateOptions } from './paginate.js';
export { createPaginator, isPaginator, type PaginatorConfig, type Paginator, type PageRequest, type PageView } from './paginators/index.js';
export { selectRecords, detectDataSelector, type ResponseShape, type SelectedRecords } from './select-records.js';
export { createAuth, ApiKeyAuth, BearerTokenAuth, HttpBasicAuth, OAuth2ClientCredentialsAuth } from './auth/index.js';
export { IncrementalTracker, type IncrementalState } from './incremental.js';
export { compareCursor, parseInstant, formatIsoSecondsZ } from './cursor-value.js';
export { removeSensitiveFields } from './sensitive.js';
export { renderTemplate, renderJson, findPlaceholders } from './placeholders.js';
export { getPath, parseJsonPath } from './json-path.js';
export type * from './types.js';
export { buildEndpointRequest, includeFromParent, parentFieldMissing, type EndpointRequest } from './endpoint-request.js';
