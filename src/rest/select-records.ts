/**
 * Turns a response body into records, following dlt's data_selector rules: a bare array is the records, a
 * `{TotalCount, Data}` container yields the selected list, a single object is one record and a bare scalar
 * becomes `{ value: <scalar> }`. Without a selector the list is auto-detected (dlt `detector.py`).
 */
import { getPath, isRootPath } from './json-path.js';

export type ResponseShape = 'array' | 'container' | 'object' | 'scalar';

export interface SelectedRecords {
  records: Record<string, unknown>[];
  shape: ResponseShape;
  /** The selector that was applied (the configured one or the detected one). */
  selector: string;
  /** Set when the configured selector found nothing in an object body. */
  warning?: string;
}

const PREFERRED_KEYS = new Set([
  'data', 'items', 'results', 'entries', 'records', 'rows', 'entities', 'payload', 'content', 'objects', 'values',
]);
const EXCLUDED_KEYS = new Set(['meta', 'metadata', 'pagination', 'links', 'extras', 'headers']);
const MAX_DETECT_DEPTH = 3;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `[...]` or `$` for arrays and scalars; otherwise the path of the best list inside the object, or `$`. */
export function detectDataSelector(body: unknown): string {
  if (!isPlainObject(body)) return '$';
  const candidates: { path: string[]; preferred: boolean }[] = [];
  const visit = (node: Record<string, unknown>, path: string[]): void => {
    for (const [key, value] of Object.entries(node)) {
      if (EXCLUDED_KEYS.has(key.toLowerCase())) continue;
      const next = [...path, key];
      if (Array.isArray(value)) candidates.push({ path: next, preferred: PREFERRED_KEYS.has(key.toLowerCase()) });
      else if (isPlainObject(value) && next.length < MAX_DETECT_DEPTH) visit(value, next);
    }
  };
  visit(body, []);
  const preferred = candidates.find((c) => c.preferred);
  const chosen = preferred ?? [...candidates].sort((a, b) => a.path.length - b.path.length)[0];
  if (!chosen) return '$';
  return chosen.path.map((key) => (/^[A-Za-z_][\w-]*$/.test(key) ? key : `['${key}']`)).join('.');
}

function toRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : { value };
}

export function selectRecords(body: unknown, dataSelector?: string): SelectedRecords {
  if (Array.isArray(body)) {
    // An endpoint configured for a container may answer with a bare array (BeyondTrust flips shapes by
    // version and by `limit`): the array is the records either way.
    return { records: body.map(toRecord), shape: 'array', selector: '$' };
  }
  if (body === null || body === undefined) return { records: [], shape: 'scalar', selector: '$' };
  if (!isPlainObject(body)) return { records: [{ value: body }], shape: 'scalar', selector: '$' };
  const selector = dataSelector ?? detectDataSelector(body);
  if (isRootPath(selector)) return { records: [body], shape: 'object', selector };
  const selected = getPath(body, selector);
  if (Array.isArray(selected)) return { records: selected.map(toRecord), shape: 'container', selector };
  if (isPlainObject(selected)) return { records: [selected], shape: 'container', selector };
  if (selected === undefined || selected === null) {
    return {
      records: [],
      shape: 'container',
      selector,
      warning: `data_selector "${selector}" matched nothing in the response object (keys: ${Object.keys(body).slice(0, 20).join(', ')})`,
    };
  }
  return { records: [{ value: selected }], shape: 'container', selector };
}
