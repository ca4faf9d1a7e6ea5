/** `beyondtrust-mcp query "SQL"`: one read-only statement against <cwd>/<pipeline_name>.duckdb. */
import { join } from 'node:path';
import { BtError } from '../../errors.js';
import { intFlag, parseArgs, stringFlag } from '../args.js';
import { runReadOnlyQuery } from '../../dataset/query.js';
import { formatTextTable } from '../../dataset/text-table.js';

const DEFAULT_PIPELINE_NAME = 'beyondtrust_pipeline';
const DEFAULT_DATASET_NAME = 'beyondtrust_data';
const USAGE =
  'Usage: beyondtrust-mcp query "SELECT …" [--max-rows N] [--pipeline-name N] [--dataset-name D] [--cursor C] [--timeout-ms T] [--json]';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    { strings: ['max-rows', 'pipeline-name', 'dataset-name', 'cursor', 'timeout-ms'], booleans: ['json'] },
    'query',
  );
  if (args.positionals.length !== 1 || !args.positionals[0]?.trim()) {
    throw new BtError('CLI_USAGE', 'query needs exactly one SQL argument (quote it).', { hint: USAGE });
  }
  const sql = args.positionals[0];
  const pipelineName = stringFlag(args, 'pipeline-name') ?? DEFAULT_PIPELINE_NAME;
  if (!/^[A-Za-z0-9_.-]+$/.test(pipelineName) || pipelineName.startsWith('.')) {
    throw new BtError('CLI_USAGE', `--pipeline-name must be a plain name, got ${JSON.stringify(pipelineName)}.`, { hint: USAGE });
  }
  const maxRows = intFlag(args, 'max-rows', 'query');
  const timeoutMs = intFlag(args, 'timeout-ms', 'query');
  const cursor = stringFlag(args, 'cursor');
  const result = await runReadOnlyQuery({
    dbPath: join(process.cwd(), `${pipelineName}.duckdb`),
    sql,
    datasetName: stringFlag(args, 'dataset-name') ?? DEFAULT_DATASET_NAME,
    ...(maxRows === undefined ? {} : { maxRows }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(cursor === undefined ? {} : { cursor }),
  });
  process.stdout.write(args.flags['json'] === true ? `${JSON.stringify(result, null, 2)}\n` : formatTextTable(result));
  return 0;
}
