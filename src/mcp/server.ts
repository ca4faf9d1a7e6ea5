/**
 * createServer(deps): the MCP server with its nine tools, the catalog resource, the find_source prompt and the
 * workflow instructions. No transport and no I/O here: the stdio command and the tests connect it.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../log.js';
import { createLogger } from '../log.js';
import { DEFAULT_DATASET_NAME, DEFAULT_PIPELINE_NAME } from '../pipeline/index.js';
import { createToolContext } from './context.js';
import { SERVER_INSTRUCTIONS } from './instructions.js';
import { registerFindSourcePrompt } from './prompts/find-source.js';
import { registerEndpointsResource } from './resources/endpoints-resource.js';
import { runRegistryFor } from './runs/run-registry.js';
import { redactingLogger } from './security/boundary-secrets.js';
import { buildTools } from './tools/index.js';
import { MAX_TOOL_INPUT_ELEMENTS } from './tools/limits.js';

export interface ServerDeps {
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  pipelineName?: string;
  datasetName?: string;
  /** Time limit of one `query` call (default: the dataset module's, 15 s). */
  queryTimeoutMs?: number;
}

/** Read once at import: src/mcp → ../../package.json, dist/src/mcp → ../../../package.json. */
function readPackageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'beyondtrust-mcp' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

const packageVersion = readPackageVersion();

export function createServer(deps: ServerDeps): McpServer {
  const projectDir = resolve(deps.projectDir);
  const server = new McpServer(
    { name: 'beyondtrust-mcp', title: 'BeyondTrust → DuckDB', version: packageVersion },
    {
      instructions: SERVER_INSTRUCTIONS,
      capabilities: { tools: {}, resources: {}, prompts: {}, logging: {} },
      maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS,
    },
  );
  const context = createToolContext({
    projectDir,
    env: deps.env ?? process.env,
    logger: redactingLogger(deps.logger ?? createLogger({ name: 'mcp' })),
    pipelineName: deps.pipelineName ?? DEFAULT_PIPELINE_NAME,
    datasetName: deps.datasetName ?? DEFAULT_DATASET_NAME,
    runs: runRegistryFor(projectDir),
  });
  for (const tool of buildTools(deps.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: deps.queryTimeoutMs })) {
    tool.register(server, context);
  }
  registerEndpointsResource(server);
  registerFindSourcePrompt(server);
  return server;
}
