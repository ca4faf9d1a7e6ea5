/**
 * Where the compiled programs the benchmark starts live. The bench always runs compiled code (dist/), also when the
 * harness itself is imported from TypeScript sources by the smoke test, so children never need a TS loader.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BtError } from '../src/errors.js';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.build.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new BtError('BENCH_LAYOUT', 'Could not find the repository root above the bench module.', { hint: 'Run the bench from a checkout of beyondtrust-mcp.' });
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot();
export const CLI_MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
export const SIMULATOR_CHILD = join(REPO_ROOT, 'dist', 'bench', 'simulator-child.js');
export const DEFAULT_OUT_DIR = join(REPO_ROOT, 'bench', 'out');

/** Throws BENCH_NOT_BUILT when dist/ lacks a program the bench starts. */
export function assertBuilt(): void {
  for (const file of [CLI_MAIN, SIMULATOR_CHILD]) {
    if (!existsSync(file)) {
      throw new BtError('BENCH_NOT_BUILT', `${file} does not exist.`, { hint: 'Run `npm run build` first (`npm run bench` does it for you).' });
    }
  }
}
