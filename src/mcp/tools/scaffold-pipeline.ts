import { z } from 'zod';
import { scaffoldPipeline } from '../../scaffold/pipeline-files.js';
import { defineTool } from './define-tool.js';
import { resourcesSchema } from './limits.js';

const inputSchema = z
  .object({
    resources: resourcesSchema.optional(),
    overwrite: z.boolean().optional().describe('Replace files that already exist (default false: existing files are skipped)'),
  })
  .strict();

const outputSchema = z.object({
  directory: z.string().describe('Always "." (the project directory the server was started for)'),
  written: z.array(z.string()),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  next_steps: z.array(z.string()),
});

export const scaffoldPipelineTool = defineTool({
  name: 'scaffold_pipeline',
  title: 'Scaffold pipeline files',
  description:
    'Writes beyondtrust_pipeline.ts, .dlt/config.toml and .dlt/secrets.toml (placeholders only, never real values) and ' +
    '.gitignore entries in the project directory, where the other tools read them. Existing files are skipped unless ' +
    'overwrite: true. Returns what was written and the next steps (the user fills .dlt/secrets.toml themselves).',
  inputSchema,
  outputSchema,
  // destructive: with overwrite: true it replaces files the user may have edited; idempotent: same call, same files.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  // No directory argument: check_credentials, preview_endpoint and run_pipeline read <projectDir>/.dlt, so files
  // written anywhere else would be invisible to them. A pipeline in another folder is a server started there
  // (BEYONDTRUST_MCP_PROJECT_DIR), or `beyondtrust-mcp scaffold --dir`.
  async handler({ resources, overwrite }, context) {
    const result = await scaffoldPipeline({
      projectDir: context.projectDir,
      pipelineName: context.pipelineName,
      datasetName: context.datasetName,
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
