import { z } from 'zod';
import { describeTable } from '../../dataset/tables.js';
import { defineTool } from './define-tool.js';
import { tableNameSchema } from './limits.js';

const inputSchema = z
  .object({
    table: tableNameSchema.describe('Table name from list_tables, e.g. "managed_accounts" or "assets__tags"'),
    stats: z.boolean().optional().describe('Add per-column null count, distinct count, min and max (slower on big tables)'),
  })
  .strict();

const joinSchema = z.object({ table: z.string(), join: z.string() });

const outputSchema = z.object({
  name: z.string(),
  schema: z.string(),
  row_count: z.number(),
  primary_key: z.array(z.string()),
  write_disposition: z.string().optional(),
  resource: z.string().optional(),
  parent: joinSchema.optional(),
  children: z.array(joinSchema),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      nullable: z.boolean(),
      primary_key: z.boolean(),
      dlt_column: z.boolean(),
      stats: z
        .object({ null_count: z.number(), distinct_count: z.number(), min: z.string().optional(), max: z.string().optional() })
        .optional(),
    }),
  ),
});

export const describeTableTool = defineTool({
  name: 'describe_table',
  title: 'Describe a loaded table',
  description:
    'Columns with types, nullability and keys, the parent/child tables with their join conditions, and with ' +
    'stats: true per-column null count, distinct count, min and max.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  _meta: { 'anthropic/maxResultSizeChars': 100_000 },
  async handler({ table, stats }, context) {
    context.runs.assertNoActiveRun();
    const description = await describeTable({ dbPath: context.dbPath, datasetName: context.datasetName, table, stats: stats ?? false });
    return {
      name: description.name,
      schema: description.schema,
      row_count: description.row_count,
      primary_key: description.primary_key,
      ...(description.write_disposition === undefined ? {} : { write_disposition: description.write_disposition }),
      ...(description.resource === undefined ? {} : { resource: description.resource }),
      ...(description.parent === undefined ? {} : { parent: description.parent }),
      children: description.children,
      columns: description.columns.map((column) => ({
        name: column.name,
        type: column.type,
        nullable: column.nullable,
        primary_key: column.primary_key,
        dlt_column: column.dlt_column,
        ...(column.stats === undefined
          ? {}
          : {
              stats: {
                null_count: column.stats.null_count,
                distinct_count: column.stats.distinct_count,
                ...(column.stats.min === undefined ? {} : { min: column.stats.min }),
                ...(column.stats.max === undefined ? {} : { max: column.stats.max }),
              },
            }),
      })),
    };
  },
});
