/** `beyondtrust-mcp info`: the cwd's pipelines with their last runs, state cursors and recent loads. */
import { BtError } from '../../errors.js';
import { formatPipelineSummary, listPipelines, readPipelineSummary } from '../../pipeline/index.js';
import { parseArgs, stringFlag } from '../args.js';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { strings: ['pipeline-name'] }, 'info');
  const projectDir = process.cwd();
  const requested = stringFlag(args, 'pipeline-name');
  const known = await listPipelines(projectDir);
  if (requested !== undefined && !known.includes(requested)) {
    throw new BtError('PIPELINE_NOT_FOUND', `No pipeline "${requested}" in ${projectDir}/.dlt/pipelines.`, {
      hint: known.length > 0 ? `Known pipelines: ${known.join(', ')}.` : 'Run `beyondtrust-mcp run` (or `demo`) first.',
    });
  }
  const names = requested !== undefined ? [requested] : known;
  if (names.length === 0) {
    process.stdout.write(`No pipelines in ${projectDir}/.dlt/pipelines yet. Run \`beyondtrust-mcp run\` or \`beyondtrust-mcp demo\` first.\n`);
    return 0;
  }
  if (requested === undefined) process.stdout.write(`Pipelines: ${names.join(', ')}\n\n`);
  const blocks: string[] = [];
  for (const name of names) blocks.push(formatPipelineSummary(await readPipelineSummary(projectDir, name, { maxRuns: 5 })));
  process.stdout.write(`${blocks.join('\n\n')}\n`);
  return 0;
}
