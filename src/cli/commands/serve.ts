/**
 * `beyondtrust-mcp serve`: the MCP server on stdio. stdout carries JSON-RPC only; logs go to stderr. The project
 * directory is BEYONDTRUST_MCP_PROJECT_DIR or the working directory. Stops cleanly on stdin close, SIGTERM or SIGINT:
 * a run in progress is aborted and rolled back before the process exits.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createLogger } from '../../log.js';
import { abortAllRuns } from '../../mcp/runs/run-registry.js';
import { createServer } from '../../mcp/server.js';
import { parseArgs, stringFlag } from '../args.js';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { strings: ['project-dir', 'pipeline-name', 'dataset-name'] }, 'serve');
  const projectDir = stringFlag(args, 'project-dir') ?? process.env['BEYONDTRUST_MCP_PROJECT_DIR'] ?? process.cwd();
  const logger = createLogger({ name: 'mcp' });
  const pipelineName = stringFlag(args, 'pipeline-name');
  const datasetName = stringFlag(args, 'dataset-name');
  const server = createServer({
    projectDir,
    logger,
    ...(pipelineName === undefined ? {} : { pipelineName }),
    ...(datasetName === undefined ? {} : { datasetName }),
  });
  const transport = new StdioServerTransport();

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (reason: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info(`stopping: ${reason}`);
      void abortAllRuns()
        .catch((error: unknown) => logger.warn('aborting the run in progress failed', { error: String(error) }))
        .then(() => server.close())
        .catch(() => undefined)
        .finally(() => {
          process.off('SIGTERM', onSigterm);
          process.off('SIGINT', onSigint);
          resolveExit(0);
        });
    };
    const onSigterm = (): void => stop('SIGTERM');
    const onSigint = (): void => stop('SIGINT');
    process.on('SIGTERM', onSigterm);
    process.on('SIGINT', onSigint);
    process.stdin.once('end', () => stop('stdin closed'));
    process.stdin.once('close', () => stop('stdin closed'));
    transport.onclose = () => stop('transport closed');
    server.connect(transport).then(
      () => logger.info(`serving project ${projectDir} on stdio`),
      (error: unknown) => {
        logger.error('could not start the MCP server', { error: String(error) });
        stopping = true;
        resolveExit(1);
      },
    );
  });
}
