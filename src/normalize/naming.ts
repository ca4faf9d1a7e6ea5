/**
 * dlt's default `snake_case` naming convention: source identifiers (ManagedSystemID, UserPrincipalName …) become
 * lower-case snake_case table and column names; `__` is reserved as the nesting separator.
 */
import { createHash } from 'node:crypto';

/** Nesting separator between path fragments (tables and flattened columns). */
export const PATH_SEPARATOR = '__';
/** Longer identifiers are shortened with a hash tag in the middle (Postgres allows 63; we keep one rule everywhere). */
export const MAX_IDENTIFIER_LENGTH = 64;
/** Name used for blank keys in the data. */
export const EMPTY_KEY_IDENTIFIER = '_empty';

const REDUCE_FROM = '+-*@|';
const REDUCE_TO = 'x_xal';
const RE_NON_ALPHANUMERIC = /[^a-zA-Z0-9_]+/g;
const RE_SNAKE_BREAK_1 = /([^_])([A-Z][a-z]+)/g;
const RE_SNAKE_BREAK_2 = /([a-z0-9])([A-Z])/g;
const RE_UNDERSCORES = /_+/g;
const RE_ALREADY_SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

// Bounded: keys come from (untrusted) data and may be unbounded in number.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, string>();

/** Normalizes one identifier (no path splitting): `ManagedSystemID` → `managed_system_id`, `IPAddress` → `ip_address`. */
export function normalizeIdentifier(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const normalized = computeIdentifier(name);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(name, normalized);
  return normalized;
}

function computeIdentifier(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) return EMPTY_KEY_IDENTIFIER;
  if (RE_ALREADY_SNAKE.test(trimmed)) return shortenIdentifier(trimmed, trimmed);

  let out = '';
  for (const ch of trimmed) {
    const at = REDUCE_FROM.indexOf(ch);
    out += at >= 0 ? REDUCE_TO[at] : ch;
  }
  out = out.replace(RE_NON_ALPHANUMERIC, '_');
  out = out.replace(RE_SNAKE_BREAK_1, '$1_$2').replace(RE_SNAKE_BREAK_2, '$1_$2').toLowerCase();
  if (out.charCodeAt(0) >= 48 && out.charCodeAt(0) <= 57) out = `_${out}`;
  let end = out.length;
  while (end > 0 && out.charCodeAt(end - 1) === 95) end--;
  out = out.slice(0, end) + 'x'.repeat(out.length - end);
  out = out.replace(RE_UNDERSCORES, '_');
  return shortenIdentifier(out, trimmed);
}

/** Joins already-normalized fragments with `__` and shortens the result when it is too long. */
export function joinPath(...fragments: string[]): string {
  const path = fragments.filter((fragment) => fragment.length > 0).join(PATH_SEPARATOR);
  return shortenIdentifier(path, path);
}

/** Nested table name: `${parent}__${normalizeIdentifier(field)}`, shortened when too long. */
export function tableName(parent: string, field: string): string {
  return joinPath(parent, normalizeIdentifier(field));
}

/** Variant column for values that do not fit `column`: `change_state__v_text`. */
export function variantColumnName(column: string, dataType: string): string {
  return joinPath(column, `v_${dataType}`);
}

/**
 * Keeps identifiers within MAX_IDENTIFIER_LENGTH: the head and tail of the normalized name with a short
 * deterministic tag (hash of the original name) in the middle, as dlt does.
 */
export function shortenIdentifier(normalized: string, original: string, maxLength = MAX_IDENTIFIER_LENGTH): string {
  if (normalized.length <= maxLength) return normalized;
  const tag = identifierTag(original);
  const remaining = maxLength - tag.length;
  const tail = Math.floor(remaining / 2);
  const head = remaining - tail;
  return normalized.slice(0, head) + tag + normalized.slice(normalized.length - tail);
}

function identifierTag(original: string): string {
  const digest = createHash('shake128', { outputLength: 4 }).update(original, 'utf8').digest('base64');
  return digest.replace(/=+$/, '').replaceAll('/', 'a').replaceAll('+', 'b').toLowerCase();
}
