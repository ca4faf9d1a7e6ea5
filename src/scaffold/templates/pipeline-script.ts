/** `beyondtrust_pipeline.ts`: the TypeScript counterpart of dlt's `pipeline.run(beyondtrust_source())` example. */

export interface PipelineScriptOptions {
  resources: readonly string[];
  pipelineName: string;
  datasetName: string;
}

export function renderPipelineScript(options: PipelineScriptOptions): string {
  const resources = options.resources.map((name) => `  ${JSON.stringify(name)},`).join('\n');
  return `/**
 * BeyondTrust Password Safe -> DuckDB, the TypeScript counterpart of dlt's
 *
 *   pipeline = dlt.pipeline(pipeline_name="beyondtrust_pipeline", destination="duckdb", dataset_name="beyondtrust_data")
 *   load_info = pipeline.run(beyondtrust_source())
 *   print(load_info)
 *
 * Run it from this directory:   npx tsx beyondtrust_pipeline.ts      (npm install beyondtrust-mcp tsx)
 * Load only one page per table: BEYONDTRUST_DEV_LIMIT=1 npx tsx beyondtrust_pipeline.ts
 *
 * Settings come from .dlt/config.toml (base_url, page_size, ...) and credentials from .dlt/secrets.toml or
 * SOURCES__BEYONDTRUST_SOURCE__* environment variables. resolveSettings keeps secrets wrapped: never print them.
 */
import { beyondtrustSource, pipeline, resolveSettings } from 'beyondtrust-mcp';

/** Tables to load (see the list_endpoints tool or the README for all of them). */
const RESOURCES: string[] = [
${resources}
];

async function main(): Promise<void> {
  const settings = resolveSettings({ projectDir: process.cwd(), env: process.env });
  const beyondtrustPipeline = pipeline({
    pipelineName: ${JSON.stringify(options.pipelineName)},
    destination: 'duckdb',
    datasetName: ${JSON.stringify(options.datasetName)},
  });
  const devLimit = process.env['BEYONDTRUST_DEV_LIMIT'] ? Number(process.env['BEYONDTRUST_DEV_LIMIT']) : undefined;
  const loadInfo = await beyondtrustPipeline.run(
    beyondtrustSource({ resources: RESOURCES, settings }),
    devLimit === undefined ? {} : { devLimit },
  );
  console.log(String(loadInfo));
}

main().catch((error: unknown) => {
  const described = (error as { describe?: () => string }).describe;
  console.error(typeof described === 'function' ? described.call(error) : error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
`;
}
