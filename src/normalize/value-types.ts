/**
 * Per-value type inference, encoding and coercion. Encoded values follow the TableRows contract:
 * timestamp → bigint micros (UTC), date → days number, json → JSON text, bigint → number (bigint beyond 2^53).
 */
import type { DataType } from './types.js';
import { parseDateDays, parseTimestampMicros } from './timestamps.js';

/** Returned by `coerceValue` when a value cannot be stored in a column of the requested type. */
export const NOT_COERCIBLE: unique symbol = Symbol('not-coercible');

const INT64_LIMIT = 2 ** 63;
const RE_INTEGER_TEXT = /^[+-]?\d+$/;
const RE_DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Type of a string: `YYYY-MM-DD` → date, ISO timestamp → timestamp, anything else → text. */
export function inferStringType(value: string): DataType {
  // Cheap precheck before parsing: dates and timestamps have '-' at positions 4 and 7.
  if (value.length < 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return 'text';
  if (value.length === 10) return parseDateDays(value) === undefined ? 'text' : 'date';
  return parseTimestampMicros(value) === undefined ? 'text' : 'timestamp';
}

/** Data type of a non-null value that is stored as a column (objects and arrays here mean json). */
export function inferValueType(value: unknown): DataType {
  switch (typeof value) {
    case 'string':
      return inferStringType(value);
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT ? 'bigint' : 'double';
    case 'bigint':
      return 'bigint';
    case 'boolean':
      return 'bool';
    case 'object':
      return value instanceof Date ? 'timestamp' : 'json';
    default:
      return 'text';
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** JSON text of any value (bigints become strings rather than failing). */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return JSON.stringify(value, jsonReplacer) ?? 'null';
  }
}

function encodeBigint(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function dateToMicros(value: Date): bigint | undefined {
  const millis = value.getTime();
  return Number.isNaN(millis) ? undefined : BigInt(millis) * 1000n;
}

/** Encodes `value` whose inferred type is `type` (as returned by inferValueType) into its row representation. */
export function encodeValue(value: unknown, type: DataType): unknown {
  switch (type) {
    case 'bigint':
      return typeof value === 'bigint' ? encodeBigint(value) : value;
    case 'timestamp':
      return value instanceof Date ? dateToMicros(value) ?? null : parseTimestampMicros(value as string);
    case 'date':
      return parseDateDays(value as string);
    case 'json':
      return toJsonText(value);
    case 'text':
      return typeof value === 'string' ? value : String(value);
    default:
      return value;
  }
}

function textOf(value: unknown, type: DataType): string {
  if (typeof value === 'string') return value;
  if (type === 'json') return toJsonText(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function integerFromText(value: string): number | bigint | typeof NOT_COERCIBLE {
  if (!RE_INTEGER_TEXT.test(value)) return NOT_COERCIBLE;
  const parsed = BigInt(value);
  if (parsed >= BigInt(INT64_LIMIT) || parsed < -BigInt(INT64_LIMIT)) return NOT_COERCIBLE;
  return encodeBigint(parsed);
}

function doubleFromText(value: string): number | typeof NOT_COERCIBLE {
  return RE_DECIMAL_TEXT.test(value) ? Number(value) : NOT_COERCIBLE;
}

function boolFromText(value: string): boolean | typeof NOT_COERCIBLE {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return NOT_COERCIBLE;
}

/**
 * Stores `value` (inferred type `from`) in a column of type `to`, or returns NOT_COERCIBLE so that the caller
 * creates a variant column. Rules: same type → encoded; int → double; anything → text (its string, JSON for
 * objects); anything → json (its JSON); text that parses as the column's type → parsed; a date into a timestamp
 * column → midnight UTC. Everything else (e.g. a timestamp into a date column, a bool into a number column) fails.
 */
export function coerceValue(value: unknown, from: DataType, to: DataType): unknown {
  if (from === to) return encodeValue(value, from);
  switch (to) {
    case 'text':
      return textOf(value, from);
    case 'json':
      return toJsonText(value);
    case 'double':
      if (from === 'bigint') return Number(value);
      return from === 'text' ? doubleFromText((value as string).trim()) : NOT_COERCIBLE;
    case 'bigint':
      if (from === 'double' && typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < INT64_LIMIT) return value;
      return from === 'text' ? integerFromText((value as string).trim()) : NOT_COERCIBLE;
    case 'bool':
      return from === 'text' ? boolFromText((value as string).trim()) : NOT_COERCIBLE;
    case 'timestamp':
      if (from === 'date') return BigInt(parseDateDays(value as string) ?? 0) * 86_400_000_000n;
      return NOT_COERCIBLE;
    default:
      return NOT_COERCIBLE;
  }
}
