import { z } from 'zod';
import { listTables } from '../../dataset/tables.js';
import { defineTool } from './define-tool.js';

const inputSchema = z
  .object({
    include_system: z.boolean().optional().describe('Also list dlt system tables (_dlt_loads, _dlt_pipeline_state, _dlt_version)'),
  })
  .strict();

const tableSchema = z.object({
  name: z.string(),
  schema: z.string(),
  row_count: z.number(),
  column_count: z.number(),
  is_system: z.boolean(),
  parent: z.string().optional(),
  resource: z.string().optional(),
  last_load_id: z.string().optional(),
  last_loaded_at: z.string().optional(),
});

const outputSchema = z.object({
  dataset: z.string(),
  tables: z.array(tableSchema),
  count: z.number(),
  hint: z.string(),
});

export const listTablesTool = defineTool({
  name: 'list_tables',
  title: 'List loaded tables',
  description:
    'Tables in the loaded dataset with row counts and load provenance (resource, parent table, last load id and time). ' +
    'System tables only with include_system: true.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ include_system: includeSystem }, context) {
    context.runs.assertNoActiveRun();
    const tables = await listTables({ dbPath: context.dbPath, datasetName: context.datasetName, includeSystem: includeSystem ?? false });
    return {
      dataset: context.datasetName,
      tables: tables.map((table) => ({
        name: table.name,
        schema: table.schema,
        row_count: table.row_count,
        column_count: table.column_count,
        is_system: table.is_system,
        ...(table.parent === undefined ? {} : { parent: table.parent }),
        ...(table.resource === undefined ? {} : { resource: table.resource }),
        ...(table.last_load_id === undefined ? {} : { last_load_id: table.last_load_id }),
        ...(table.last_loaded_at === undefined ? {} : { last_loaded_at: table.last_loaded_at }),
      })),
      count: tables.length,
      hint:
        tables.length === 0
          ? 'No tables yet: call run_pipeline first.'
          : `Query them as ${context.datasetName}.<table>; describe_table shows columns and parent/child joins.`,
    };
  },
});
