import { z } from 'zod';
import { scaffoldPipeline } from '../../scaffold/pipeline-files.js';
import { defineTool } from './define-tool.js';
import { resourcesSchema } from './limits.js';

const inputSchema = z
  .object({
    resources: resourcesSchema.optional(),
    overwrite: z.boolean().optional().describe('Replace files that already exist (default false: existing files are skipped)'),
    directory: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Sub-directory of the project to write into (default: the project directory); must stay inside the project'),
  })
  .strict();

const outputSchema = z.object({
  directory: z.string(),
  written: z.array(z.string()),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  next_steps: z.array(z.string()),
});

export const scaffoldPipelineTool = defineTool({
  name: 'scaffold_pipeline',
  title: 'Scaffold pipeline files',
  description:
    'Writes beyondtrust_pipeline.ts, .dlt/config.toml and .dlt/secrets.toml (placeholders only, never real values) and ' +
    '.gitignore entries inside the project directory. Existing files are skipped unless overwrite: true. Returns what ' +
    'was written and the next steps (the user fills .dlt/secrets.toml themselves).',
  inputSchema,
  outputSchema,
  // destructive: with overwrite: true it replaces files the user may have edited; idempotent: same call, same files.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ resources, overwrite, directory }, context) {
    const result = await scaffoldPipeline({
      projectDir: context.projectDir,
      pipelineName: context.pipelineName,
      datasetName: context.datasetName,
      ...(directory === undefined ? {} : { directory }),
      ...(resources === undefined ? {} : { resources }),
      ...(overwrite === undefined ? {} : { overwrite }),
    });
    return {
      directory: result.directory,
      written: result.written,
      skipped: result.skipped.map(({ path, reason }) => ({ path, reason })),
      next_steps: result.next_steps,
    };
  },
});
