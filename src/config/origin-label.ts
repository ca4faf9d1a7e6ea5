/** Human-readable labels for where a setting came from, e.g. ".dlt/secrets.toml [sources.beyondtrust_source] api_key". */
import { isAbsolute, relative } from 'node:path';
import type { ValueOrigin } from './types.js';

export function originLabel(origin: ValueOrigin, projectDir: string): string {
  switch (origin.kind) {
    case 'env':
      return `env ${origin.name}`;
    case 'default':
      return 'default';
    case 'argument':
      return 'argument';
    case 'file': {
      const shown = displayPath(origin.path, projectDir);
      const dot = origin.key.lastIndexOf('.');
      return dot === -1 ? `${shown} ${origin.key}` : `${shown} [${origin.key.slice(0, dot)}] ${origin.key.slice(dot + 1)}`;
    }
  }
}

/** A path relative to the project when it lies inside it (".dlt/config.toml"), else as given. */
export function displayPath(path: string, projectDir: string): string {
  const rel = relative(projectDir, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
