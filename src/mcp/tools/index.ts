/** The nine tools, in workflow order. Adding a tool is one file and one line here. */
import { checkCredentialsTool } from './check-credentials.js';
import type { RegistrableTool } from './define-tool.js';
import { describeTableTool } from './describe-table.js';
import { listEndpointsTool } from './list-endpoints.js';
import { listTablesTool } from './list-tables.js';
import { pipelineInfoTool } from './pipeline-info.js';
import { previewEndpointTool } from './preview-endpoint.js';
import { createQueryTool } from './query.js';
import { runPipelineTool } from './run-pipeline.js';
import { scaffoldPipelineTool } from './scaffold-pipeline.js';

export function buildTools(options: { queryTimeoutMs?: number } = {}): readonly RegistrableTool[] {
  return [
    listEndpointsTool,
    checkCredentialsTool,
    scaffoldPipelineTool,
    previewEndpointTool,
    runPipelineTool,
    pipelineInfoTool,
    listTablesTool,
    describeTableTool,
    createQueryTool(options.queryTimeoutMs === undefined ? {} : { timeoutMs: options.queryTimeoutMs }),
  ];
}
