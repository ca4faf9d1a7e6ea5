/**
 * Neutralises characters that can hide or reorder text in front of a model or a person: C0/C1 controls (except
 * \n and \t), bidi overrides and isolates, zero-width characters and Unicode tag characters. Each one becomes a
 * visible `\uXXXX` escape so the data stays inspectable but cannot act. Applied to every string from the API or
 * DuckDB before it enters a tool result.
 */
import { escapeUnsafeText } from '../../unsafe-text.js';
import { redactOutputText } from './boundary-secrets.js';

export function neutralizeText(text: string): string {
  return escapeUnsafeText(text, { carriageReturn: true });
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
