/**
 * JSONPath-lite: the subset of JSONPath that REST configs use for data selectors, totals and cursors.
 * Supported: `$`, `$.Data`, `Data`, `a.b.c`, `items[0]`, `['@odata.nextLink']`, `["a.b"]`.
 */
import { BtError } from '../errors.js';

export type PathSegment = string | number;

const cache = new Map<string, PathSegment[]>();

export function parseJsonPath(path: string): PathSegment[] {
  const cached = cache.get(path);
  if (cached) return cached;
  const segments: PathSegment[] = [];
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  let i = 0;
  const fail = (why: string): never => {
    throw new BtError('CONFIG_INVALID', `Invalid JSON path "${path}": ${why}.`, {
      hint: 'Use a dotted path such as "Data" or "$.Data", brackets for indexes ("items[0]") or quoted keys ("[\'@odata.nextLink\']").',
      details: { step: 'config' },
    });
  };
  while (i < rest.length) {
    const ch = rest[i];
    if (ch === '.') {
      i += 1;
      continue;
    }
    if (ch === '[') {
      const close = rest.indexOf(']', i);
      if (close < 0) fail('unclosed "["');
      const inner = rest.slice(i + 1, close).trim();
      const quoted = /^(['"])(.*)\1$/.exec(inner);
      if (quoted) segments.push(quoted[2] ?? '');
      else if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else fail(`unsupported bracket expression [${inner}]`);
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < rest.length && rest[end] !== '.' && rest[end] !== '[') end += 1;
    const name = rest.slice(i, end);
    if (name === '*') fail('wildcards are not supported');
    segments.push(name);
    i = end;
  }
  if (cache.size > 1000) cache.clear();
  cache.set(path, segments);
  return segments;
}

/** True for `$` (or an empty path): the whole document. */
export function isRootPath(path: string): boolean {
  return parseJsonPath(path).length === 0;
}

/** The value at `path`, or undefined when any step is missing. */
export function getPath(value: unknown, path: string | PathSegment[]): unknown {
  const segments = typeof path === 'string' ? parseJsonPath(path) : path;
  let current: unknown = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
