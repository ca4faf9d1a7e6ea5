/**
 * `npm run bench` entry (dist/bench/run.js): the end-to-end benchmark against the fetch and load floors.
 *   --quick               100,000 managed accounts only (under 2 minutes)
 *   --scale-override K    one scale of K x 1,000 accounts instead (the smoke test uses a tiny one)
 *   --concurrency N       requests in flight, pipeline and floor A alike (default 4, the setting's default)
 *   --faults SPEC         fault mix of the fault run (default: the simulator issue's mix)
 *   --no-faults, --no-incremental, --no-floors   skip those runs / the floors (quick experiments)
 *   --cli PATH            benchmark another build's dist/src/cli/main.js (before/after comparisons)
 *   --profile             CPU profiles of the full runs (node --cpu-prof) into <out>/profiles-<timestamp>/
 *   --out DIR             where the JSON figures go (default bench/out/)
 *   --keep                keep the temp projects and page files
 * Prints one table (stdout), progress on stderr; the last line is `pipeline/max(floors) = <ratio>`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs, stringFlag, intFlag } from '../src/cli/args.js';
import { BtError, toBtError } from '../src/errors.js';
import { runBenchmark } from './harness.js';
import type { BenchOptions } from './harness.js';
import { DEFAULT_OUT_DIR } from './paths.js';
import { renderReport } from './report.js';

const COMMAND = 'bench';
const QUICK_SCALES = [100];
const FULL_SCALES = [100, 1000];

function parseScale(value: string): number {
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new BtError('CLI_USAGE', `--scale-override must be a positive number, got "${value}".`, { hint: 'E.g. --scale-override 2 (2,000 managed accounts).' });
  }
  return scale;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { strings: ['scale-override', 'concurrency', 'faults', 'out', 'seed', 'cli'], booleans: ['quick', 'no-faults', 'no-incremental', 'no-floors', 'profile', 'keep'] }, COMMAND);
  const override = stringFlag(args, 'scale-override');
  const quick = args.flags['quick'] === true;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = stringFlag(args, 'out') ?? DEFAULT_OUT_DIR;
  const concurrency = intFlag(args, 'concurrency', COMMAND);
  const seed = intFlag(args, 'seed', COMMAND);
  const faultSpec = stringFlag(args, 'faults');
  const cliMain = stringFlag(args, 'cli');
  const options: BenchOptions = {
    scales: override !== undefined ? [parseScale(override)] : quick ? QUICK_SCALES : FULL_SCALES,
    mode: override !== undefined ? 'custom' : quick ? 'quick' : 'full',
    withFaults: args.flags['no-faults'] !== true,
    withIncremental: args.flags['no-incremental'] !== true,
    withFloors: args.flags['no-floors'] !== true,
    keepTemp: args.flags['keep'] === true,
    onProgress: (message) => process.stderr.write(`[bench] ${message}\n`),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(seed === undefined ? {} : { seed }),
    ...(faultSpec === undefined ? {} : { faultSpec }),
    ...(cliMain === undefined ? {} : { cliMain: resolve(cliMain) }),
    ...(args.flags['profile'] === true ? { profileDir: join(outDir, `profiles-${stamp}`) } : {}),
  };
  const figures = await runBenchmark(options);
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, `${stamp}.json`);
  await writeFile(jsonPath, `${JSON.stringify(figures, null, 2)}\n`, 'utf8');
  process.stderr.write(`[bench] figures written to ${jsonPath}\n`);
  process.stdout.write(`${renderReport(figures)}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const failure = toBtError(error);
  process.stderr.write(`bench failed: ${failure.code}: ${failure.message}\n${failure.hint ? `Hint: ${failure.hint}\n` : ''}`);
  process.exitCode = 1;
}
