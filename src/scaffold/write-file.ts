/** File writes that never follow a planted symlink: new files with `wx`, replacements through temp file + rename. */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface WriteOptions {
  /** File mode for new files, e.g. 0o600 for secrets. */
  mode?: number;
  /** true: fail if the file exists (EEXIST); false: replace it atomically. */
  exclusive: boolean;
}

export async function writeTextFile(path: string, content: string, options: WriteOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const mode = options.mode ?? 0o644;
  if (options.exclusive) {
    await writeFile(path, content, { encoding: 'utf8', flag: 'wx', mode });
    await chmod(path, mode);
    return;
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx', mode });
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
