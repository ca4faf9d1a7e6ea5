/**
 * Library entry: the TypeScript counterparts of `dlt.pipeline`, the BeyondTrust source and `rest_api_resources`.
 *
 *   const p = pipeline({ pipelineName: 'beyondtrust_pipeline', destination: 'duckdb', datasetName: 'beyondtrust_data' });
 *   const loadInfo = await p.run(beyondtrustSource({ resources: ['managed_accounts'] , settings: resolveSettings({ projectDir: '.' }) }));
 *   console.log(String(loadInfo));
 */
export { pipeline } from './pipeline/index.js';
export type { Pipeline, PipelineOptions, RunOptions, LoadInfo } from './pipeline/index.js';
export { beyondtrustSource } from './beyondtrust/source.js';
export type { BeyondTrustSourceOptions } from './beyondtrust/source.js';
export { BEYONDTRUST_CATALOG } from './beyondtrust/catalog.js';
export type { CatalogEntry } from './beyondtrust/catalog.js';
export { restApiSource, parseRestApiConfig } from './rest/index.js';
export { resolveSettings } from './config/resolve.js';
export { createBeyondTrustSessionAuth, credentialsFromSettings, httpOptionsFromSettings } from './beyondtrust/auth/index.js';
export { createHttpClient } from './http/client.js';
export { Secret } from './config/secret.js';
export { BtError } from './errors.js';
export type { Source, ResourceInfo, ExtractedPage } from './rest/types.js';
export type { RunProgressEvent, RunTrace } from './pipeline/types.js';
