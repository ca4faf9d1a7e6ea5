/**
 * Neutralises characters that can hide or reorder text in front of a model or a person: C0/C1 controls (except
 * \n and \t), bidi overrides and isolates, zero-width characters and Unicode tag characters. Each one becomes a
 * visible `\uXXXX` escape so the data stays inspectable but cannot act. Applied to every string from the API or
 * DuckDB before it enters a tool result.
 */
import { redactOutputText } from './boundary-secrets.js';

// C0 except \t (09) and \n (0A); DEL; C1; zero-width and direction marks; bidi embeddings/overrides; word joiner and
// invisible operators; bidi isolates; BOM; tag characters (a surrogate pair, hence the `u` flag). The dataset layer
// (src/dataset/json-values.ts) escapes the same set in query results, except \r.
const UNSAFE_CHARACTERS =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/gu;

function escapeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const hex = codePoint.toString(16).toUpperCase();
  return codePoint > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

export function neutralizeText(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, escapeCharacter);
}

export interface SanitizeLimits {
  /** Longest string kept whole; longer strings are cut with a marker. */
  maxStringChars: number;
  /** Most elements kept per array; the rest are dropped with a marker element. */
  maxArrayItems: number;
}

export const DEFAULT_SANITIZE_LIMITS: SanitizeLimits = { maxStringChars: 8_000, maxArrayItems: 1_000 };

function sanitizeString(text: string, limits: SanitizeLimits): string {
  const safe = redactOutputText(neutralizeText(text));
  if (safe.length <= limits.maxStringChars) return safe;
  return `${safe.slice(0, limits.maxStringChars)}…[truncated ${safe.length - limits.maxStringChars} chars]`;
}

/**
 * Returns a copy of `value` in which every string (object keys included) is neutralised, redacted and bounded,
 * and every array is bounded. bigint becomes a number when safe, else a string, so the result is JSON-safe.
 */
export function sanitizeDeep<T>(value: T, limits: SanitizeLimits = DEFAULT_SANITIZE_LIMITS): T {
  return sanitizeValue(value, limits) as T;
}

function sanitizeValue(value: unknown, limits: SanitizeLimits): unknown {
  if (typeof value === 'string') return sanitizeString(value, limits);
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const kept = value.slice(0, limits.maxArrayItems).map((item) => sanitizeValue(item, limits));
    if (value.length > limits.maxArrayItems) kept.push(`…[${value.length - limits.maxArrayItems} more items dropped]`);
    return kept;
  }
  if (value instanceof Date) return value.toISOString();
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    result[sanitizeString(key, limits)] = sanitizeValue(item, limits);
  }
  return result;
}
