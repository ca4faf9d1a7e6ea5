/**
 * Keeps scaffolded files inside the project directory (mcp-practices §4.3): resolve, reject NUL bytes and `..`
 * escapes, then realpath the deepest existing ancestor to defeat symlinks that point elsewhere.
 */
import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { BtError } from '../errors.js';

export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function outside(what: string, projectDir: string): BtError {
  return new BtError('SCAFFOLD_PATH_OUTSIDE_PROJECT', `${what} is outside the project directory ${projectDir}.`, {
    hint: 'Pass a directory relative to the project, without ".." segments or symlinks leading out of it.',
    details: { step: 'scaffold' },
  });
}

/** The real path of the project directory; it must exist and be a directory. */
export async function realProjectDir(projectDir: string): Promise<string> {
  const absolute = resolve(projectDir);
  try {
    const real = await realpath(absolute);
    if (!(await lstat(real)).isDirectory()) throw new Error('not a directory');
    return real;
  } catch (error) {
    throw new BtError('SCAFFOLD_PROJECT_NOT_FOUND', `Project directory ${absolute} does not exist or is not a directory.`, {
      hint: 'Create the directory first or run from the project directory.',
      details: { step: 'scaffold' },
      cause: error,
    });
  }
}

/** Resolves `path` (relative to the project, or absolute) and proves the result stays inside the real project root. */
export async function resolveInsideProject(projectDir: string, path: string): Promise<string> {
  if (path.includes('\0')) throw outside(`Path ${JSON.stringify(path.replace(/\0/g, '\\0'))}`, projectDir);
  const root = await realProjectDir(projectDir);
  const lexicalRoot = resolve(projectDir);
  const candidate = resolve(lexicalRoot, path);
  // Accept paths written against either spelling of the root (e.g. /tmp vs /private/tmp), then re-base on the real one.
  let rebased: string;
  if (isInside(lexicalRoot, candidate)) rebased = resolve(root, relative(lexicalRoot, candidate));
  else if (isInside(root, candidate)) rebased = candidate;
  else throw outside(`Path ${JSON.stringify(path)}`, projectDir);
  await assertRealPathInside(root, rebased, path, projectDir);
  return rebased;
}

/** realpath of the target, or of its deepest existing ancestor when it does not exist yet, must be inside root. */
export async function assertRealPathInside(root: string, target: string, shownAs: string, projectDir: string): Promise<void> {
  let current = target;
  for (;;) {
    try {
      const real = await realpath(current);
      if (!isInside(root, real)) throw outside(`Path ${JSON.stringify(shownAs)} (through a symlink)`, projectDir);
      return;
    } catch (error) {
      if (error instanceof BtError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      // A dangling symlink: where would it lead?
      const link = await lstat(current).catch(() => undefined);
      if (link?.isSymbolicLink()) throw outside(`Path ${JSON.stringify(shownAs)} (through a dangling symlink)`, projectDir);
      const parent = dirname(current);
      if (parent === current) return;
      current = parent;
    }
  }
}
