/** zod schemas of the REST source config (dlt's typed dicts): strict, so misplaced keys are reported by path. */
import { z } from 'zod';
import { Secret } from '../../config/secret.js';
import { isPaginator } from '../paginators/index.js';

const secretString = z
  .union([z.string(), z.instanceof(Secret)])
  .transform((value) => (typeof value === 'string' ? new Secret(value) : value));

const stringMap = z.record(z.string(), z.string());
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const httpUrl = (example: string) =>
  z.url({
    protocol: /^https?$/i,
    // Only the format message is ours; a missing value keeps zod's (reported as "required").
    error: (issue) => (issue.code === 'invalid_format' ? `expected an absolute http(s) URL such as ${example}` : undefined),
  });

const authConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), token: secretString }),
  z.strictObject({
    type: z.literal('api_key'),
    name: z.string().min(1).optional(),
    api_key: secretString,
    location: z.enum(['header', 'query']).optional(),
  }),
  z.strictObject({ type: z.literal('http_basic'), username: secretString, password: secretString }),
  z.strictObject({
    type: z.literal('oauth2_client_credentials'),
    access_token_url: httpUrl('https://login.example.com/oauth/token'),
    client_id: secretString,
    client_secret: secretString,
    access_token_request_data: stringMap.optional(),
    default_token_expiration: z.number().positive().optional(),
  }),
]);

const authStrategySchema = z.custom<object>(
  (value) =>
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && typeof (value as { apply?: unknown }).apply === 'function'),
  { message: 'expected an auth config ({ type: "bearer" | "api_key" | "http_basic" | "oauth2_client_credentials", … }), an AuthStrategy or a factory' },
);

const authSchema = z.union([authConfigSchema, authStrategySchema]);

const stopOptions = {
  stop_after_empty_page: z.boolean().optional(),
  has_more_path: z.string().optional(),
};

const paginatorObjectSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('offset'),
    limit: z.number().int().positive(),
    offset: z.number().int().nonnegative().optional(),
    limit_param: z.string().min(1).optional(),
    offset_param: z.string().min(1).optional(),
    total_path: z.string().optional(),
    maximum_offset: z.number().int().positive().optional(),
    stop_after_short_page: z.boolean().optional(),
    ...stopOptions,
  }),
  z.strictObject({
    type: z.literal('page_number'),
    base_page: z.number().int().optional(),
    page: z.number().int().optional(),
    page_param: z.string().min(1).optional(),
    total_path: z.string().optional(),
    maximum_page: z.number().int().positive().optional(),
    ...stopOptions,
  }),
  z.strictObject({
    type: z.literal('cursor'),
    cursor_path: z.string().optional(),
    cursor_param: z.string().min(1).optional(),
    ...stopOptions,
  }),
  z.strictObject({ type: z.literal('json_link'), next_url_path: z.string().optional() }),
  z.strictObject({ type: z.literal('header_link'), links_next_key: z.string().optional() }),
  z.strictObject({ type: z.literal('single_page') }),
  z.strictObject({ type: z.literal('auto') }),
]);

const paginatorSchema = z.union([
  z.enum(['single_page', 'header_link', 'json_link', 'cursor', 'page_number', 'auto']),
  paginatorObjectSchema,
  z.custom<object>(isPaginator, { message: 'expected a paginator instance (init/next/clone)' }),
]);

const incrementalSchema = z.strictObject({
  cursor_path: z.string().min(1),
  initial_value: z.union([z.string(), z.number()]).optional(),
  param: z.string().min(1).optional(),
  end_param: z.string().min(1).optional(),
  param_format: z.enum(['iso_seconds_z', 'raw']).optional(),
});

/**
 * dlt's rule: a page_number paginator needs total_path, maximum_page or stop_after_empty_page (the default) — else
 * it can only end at max_pages. Checked here so the error names the paginator's path at parse time.
 */
function pageNumberWithoutStop(paginator: unknown): boolean {
  if (typeof paginator !== 'object' || paginator === null) return false;
  const p = paginator as Record<string, unknown>;
  return (
    p['type'] === 'page_number' &&
    p['stop_after_empty_page'] === false &&
    p['total_path'] === undefined &&
    p['maximum_page'] === undefined &&
    p['has_more_path'] === undefined
  );
}

const NO_STOP_MESSAGE =
  'a page_number paginator needs a stop condition: set total_path, maximum_page or has_more_path, or leave stop_after_empty_page at true';

function checkPaginatorStops(value: { paginator?: unknown }, ctx: z.RefinementCtx): void {
  if (pageNumberWithoutStop(value.paginator)) ctx.addIssue({ code: 'custom', path: ['paginator'], message: NO_STOP_MESSAGE });
}

const responseActionSchema = z.strictObject({
  status_code: z.union([z.number().int(), z.array(z.number().int())]).optional(),
  content: z.string().optional(),
  action: z.literal('ignore'),
});

const endpointSchema = z.strictObject({
  path: z.string().min(1).optional(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  params: z.record(z.string(), scalar).optional(),
  json: z.unknown().optional(),
  headers: stringMap.optional(),
  data_selector: z.string().optional(),
  paginator: paginatorSchema.optional(),
  incremental: incrementalSchema.optional(),
  response_actions: z.array(responseActionSchema).optional(),
  max_pages: z.number().int().positive().optional(),
}).superRefine(checkPaginatorStops);

const columnHintSchema = z.strictObject({
  data_type: z.enum(['bigint', 'double', 'bool', 'text', 'timestamp', 'date', 'json']).optional(),
  nullable: z.boolean().optional(),
  description: z.string().optional(),
});

const contractMode = z.enum(['evolve', 'freeze', 'discard_row', 'discard_value']);

const resourceFields = {
  table_name: z.string().min(1).optional(),
  description: z.string().optional(),
  endpoint: z.union([z.string().min(1), endpointSchema]).optional(),
  primary_key: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  write_disposition: z.enum(['append', 'replace', 'merge']).optional(),
  columns: z.record(z.string(), columnHintSchema).optional(),
  incremental: incrementalSchema.optional(),
  include_from_parent: z.array(z.string().min(1)).optional(),
  selected: z.boolean().optional(),
  schema_contract: z
    .union([contractMode, z.strictObject({ tables: contractMode.optional(), columns: contractMode.optional(), data_type: contractMode.optional() })])
    .optional(),
  max_table_nesting: z.number().int().nonnegative().optional(),
  sensitive_fields: z.array(z.string().min(1)).optional(),
  parent: z.string().min(1).optional(),
};

const resourceSchema = z.strictObject({
  name: z.string().min(1),
  ...resourceFields,
  generate: z.custom<object>((value) => typeof value === 'function', { message: 'expected a function' }).optional(),
});

export const restApiConfigSchema = z.strictObject({
  client: z
    .strictObject({
      base_url: httpUrl('https://api.example.com/v1'),
      headers: stringMap.optional(),
      auth: authSchema.optional(),
      paginator: paginatorSchema.optional(),
    })
    .superRefine(checkPaginatorStops),
  resource_defaults: z.strictObject(resourceFields).optional(),
  resources: z.array(z.union([z.string().min(1), resourceSchema])).min(1),
});
