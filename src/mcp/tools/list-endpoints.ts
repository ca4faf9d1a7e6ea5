import { z } from 'zod';
import { BEYONDTRUST_CATALOG } from '../../beyondtrust/catalog.js';
import type { CatalogEntry } from '../../beyondtrust/catalog.js';
import { defineTool } from './define-tool.js';

const inputSchema = z
  .object({
    filter: z.string().max(200).optional().describe('Case-insensitive word matched against table, path and description'),
    include_opt_in: z.boolean().optional().describe('Also list opt-in endpoints (e.g. credentials) that are off by default'),
  })
  .strict();

const endpointSchema = z.object({
  table: z.string(),
  path: z.string(),
  description: z.string(),
  paging: z.string(),
  page_size: z.number().optional(),
  primary_key: z.array(z.string()),
  parent: z.object({ resource: z.string(), field: z.string() }).optional(),
  incremental: z
    .object({ cursor_path: z.string(), param: z.string().optional(), initial_value: z.string() })
    .optional()
    .describe('Present for incrementally loaded endpoints: the cursor field and the API filter parameter'),
  sensitive_fields: z.array(z.string()),
  write_disposition: z.string(),
  opt_in: z.boolean(),
});

const outputSchema = z.object({
  endpoints: z.array(endpointSchema),
  count: z.number(),
  total: z.number(),
  hint: z.string(),
});

function matches(entry: CatalogEntry, filter: string | undefined): boolean {
  if (!filter) return true;
  const needle = filter.toLowerCase();
  return [entry.table, entry.path, entry.description].some((text) => text.toLowerCase().includes(needle));
}

function describeEntry(entry: CatalogEntry): z.input<typeof endpointSchema> {
  return {
    table: entry.table,
    path: entry.path,
    description: entry.description,
    paging: entry.paging,
    ...(entry.page_size === undefined ? {} : { page_size: entry.page_size }),
    primary_key: [...entry.primary_key],
    ...(entry.parent ? { parent: { resource: entry.parent.resource, field: entry.parent.field } } : {}),
    ...(entry.incremental
      ? {
          incremental: {
            cursor_path: entry.incremental.cursor_path,
            ...(entry.incremental.param === undefined ? {} : { param: entry.incremental.param }),
            initial_value: entry.incremental.initial_value,
          },
        }
      : {}),
    sensitive_fields: [...entry.sensitive_fields],
    write_disposition: entry.write_disposition,
    opt_in: entry.opt_in,
  };
}

export const listEndpointsTool = defineTool({
  name: 'list_endpoints',
  title: 'List BeyondTrust endpoints',
  description:
    'The catalog of BeyondTrust endpoints this server can load: table name, API path, paging, primary key, parent, ' +
    'incremental field, sensitive fields (never loaded) and default write disposition. Use it first to choose resources.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ filter, include_opt_in: includeOptIn }) {
    const visible = BEYONDTRUST_CATALOG.filter((entry) => (includeOptIn ? true : !entry.opt_in));
    const endpoints = visible.filter((entry) => matches(entry, filter)).map(describeEntry);
    const optInCount = BEYONDTRUST_CATALOG.length - visible.length;
    const hint =
      endpoints.length === 0
        ? `No endpoint matches "${filter ?? ''}". Call list_endpoints without a filter to see all ${visible.length}.`
        : `Pass chosen table names as resources to scaffold_pipeline or run_pipeline; preview one with preview_endpoint.` +
          (optInCount > 0 && !includeOptIn ? ` ${optInCount} opt-in endpoint(s) hidden; include_opt_in: true lists them.` : '');
    return { endpoints, count: endpoints.length, total: BEYONDTRUST_CATALOG.length, hint };
  },
});
