/** `beyondtrust-mcp/<version>`, the version read once from the package's own package.json. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Walks up from this module (src/http or dist/src/http) to the package.json named beyondtrust-mcp. */
function packageVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const json = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: unknown; version?: unknown };
      if (json.name === 'beyondtrust-mcp' && typeof json.version === 'string') return json.version;
    } catch {
      // not here: keep walking up
    }
    dir = new URL('..', dir);
  }
  return '0.0.0';
}

export function defaultUserAgent(): string {
  cached ??= `beyondtrust-mcp/${packageVersion()}`;
  return cached;
}
