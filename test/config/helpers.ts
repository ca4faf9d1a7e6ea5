import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProjectFiles {
  config?: string;
  secrets?: string;
}

/** A throw-away project directory with the given .dlt files. */
export function makeProject(files: ProjectFiles): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bt-config-'));
  mkdirSync(join(dir, '.dlt'));
  if (files.config !== undefined) writeFileSync(join(dir, '.dlt', 'config.toml'), files.config);
  if (files.secrets !== undefined) writeFileSync(join(dir, '.dlt', 'secrets.toml'), files.secrets);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function captureError(fn: () => unknown): Error & { code?: string; hint?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string; hint?: string };
  }
  throw new Error('expected the call to throw');
}
