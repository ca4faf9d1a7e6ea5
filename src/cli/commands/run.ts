/** `beyondtrust-mcp run`: loads the BeyondTrust source with the cwd's .dlt settings and prints dlt's load info. */
import { beyondtrustSource } from '../../beyondtrust/source.js';
import { requireRunSettings, resolveSettings } from '../../config/resolve.js';
import { BtError, toBtError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { pipeline } from '../../pipeline/index.js';
import { intFlag, parseArgs, stringFlag } from '../args.js';

const COMMAND = 'run';

export async function run(argv: string[]): Promise<number> {
  const logger = createLogger({ name: COMMAND });
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    const args = parseArgs(argv, { strings: ['resources', 'pipeline-name', 'dataset-name', 'destination', 'dev-limit'] }, COMMAND);
    const destination = stringFlag(args, 'destination') ?? 'duckdb';
    if (destination !== 'duckdb') {
      throw new BtError('CLI_USAGE', `Destination "${destination}" is not supported.`, { hint: 'Use --destination duckdb (the default).' });
    }
    const devLimit = intFlag(args, 'dev-limit', COMMAND);
    if (devLimit !== undefined && devLimit < 1) throw new BtError('CLI_USAGE', '--dev-limit must be at least 1.', { hint: 'E.g. --dev-limit 1 loads one page per resource.' });
    const resources = stringFlag(args, 'resources')
      ?.split(',')
      .map((name) => name.trim())
      .filter((name) => name.length > 0);
    const projectDir = process.cwd();
    const settings = resolveSettings({ projectDir, env: process.env });
    requireRunSettings(settings);
    const source = beyondtrustSource({ settings, logger, ...(resources && resources.length > 0 ? { resources } : {}) });
    const pipelineName = stringFlag(args, 'pipeline-name');
    const datasetName = stringFlag(args, 'dataset-name');
    const runner = pipeline({ projectDir, logger, ...(pipelineName ? { pipelineName } : {}), ...(datasetName ? { datasetName } : {}) });
    const info = await runner.run(source, { signal: controller.signal, ...(devLimit === undefined ? {} : { devLimit }) });
    process.stdout.write(`${String(info)}\n`);
    return 0;
  } catch (error) {
    const failure = toBtError(error);
    if (failure.code === 'CLI_USAGE') throw failure;
    const step = typeof failure.details.step === 'string' ? ` (step: ${failure.details.step})` : '';
    process.stderr.write(`Error${step}: ${failure.code}: ${failure.message}\n${failure.hint ? `Hint: ${failure.hint}\n` : ''}`);
    return 1;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}
