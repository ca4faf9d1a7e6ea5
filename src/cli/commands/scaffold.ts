/** `beyondtrust-mcp scaffold [--resources a,b] [--dir D] [--overwrite] [--base-url U] [--pipeline-name N] [--dataset-name D]` */
import { BtError } from '../../errors.js';
import { parseArgs, stringFlag } from '../args.js';
import { scaffoldPipeline, type ScaffoldResult } from '../../scaffold/pipeline-files.js';

const COMMAND = 'scaffold';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    { strings: ['resources', 'dir', 'base-url', 'pipeline-name', 'dataset-name'], booleans: ['overwrite'] },
    COMMAND,
  );
  if (args.positionals.length > 0) {
    throw new BtError('CLI_USAGE', `Unexpected argument ${JSON.stringify(args.positionals[0])} for "scaffold".`, {
      hint: 'Usage: beyondtrust-mcp scaffold [--resources a,b] [--dir D] [--overwrite] [--base-url U]',
    });
  }
  const resources = stringFlag(args, 'resources')
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const baseUrl = stringFlag(args, 'base-url');
  const pipelineName = stringFlag(args, 'pipeline-name');
  const datasetName = stringFlag(args, 'dataset-name');
  // On the command line the user owns the whole directory they name: it is the project.
  const result = await scaffoldPipeline({
    projectDir: stringFlag(args, 'dir') ?? process.cwd(),
    ...(resources === undefined ? {} : { resources }),
    overwrite: args.flags['overwrite'] === true,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(pipelineName === undefined ? {} : { pipelineName }),
    ...(datasetName === undefined ? {} : { datasetName }),
  });
  process.stdout.write(formatScaffoldResult(result));
  return 0;
}

export function formatScaffoldResult(result: ScaffoldResult): string {
  const lines = [`beyondtrust-mcp scaffold in ${result.directory}:`];
  for (const path of result.written) lines.push(`  wrote    ${path}`);
  for (const { path, reason } of result.skipped) lines.push(`  skipped  ${path} (${reason})`);
  lines.push('', 'Next steps:', ...result.next_steps.map((step, i) => `  ${i + 1}. ${step}`));
  return `${lines.join('\n')}\n`;
}
