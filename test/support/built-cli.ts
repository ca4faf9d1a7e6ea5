/**
 * The built CLI for tests that spawn the real binary. `npm test` builds before vitest; when run alone, a missing or
 * stale dist (any src/**.ts newer than its .js) is rebuilt once with `tsc -p tsconfig.build.json`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUILT_CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

function isStale(): boolean {
  if (!existsSync(BUILT_CLI)) return true;
  for (const source of sourceFiles(join(REPO_ROOT, 'src'))) {
    const built = join(REPO_ROOT, 'dist', relative(REPO_ROOT, source)).replace(/\.ts$/, '.js');
    if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) return true;
  }
  return false;
}

export function ensureBuiltCli(): string {
  if (isStale()) {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return BUILT_CLI;
}
