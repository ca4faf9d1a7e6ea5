/**
 * DuckDB values → plain JSON values for agents and the CLI: exact where JSON can be exact (BIGINT beyond 2^53
 * and wide DECIMALs become strings), ISO-8601 timestamps, short markers for BLOBs, nested lists/structs as JSON.
 * Text is treated as untrusted: control, invisible and bidi characters become visible `\uXXXX` escapes (the data
 * stays inspectable but cannot hide or reorder text) and long cells are cut.
 */
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUnionValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { escapeUnsafeText } from '../unsafe-text.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const DEFAULT_MAX_CELL_CHARS = 2000;

export interface ConvertContext {
  /** Longest string kept; longer ones are cut and end with a marker. */
  maxCellChars: number;
  /** Set to true when a cell was cut. */
  truncatedCells: boolean;
}

export function toJsonValue(value: DuckDBValue, context: ConvertContext): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return bigintToJson(value);
    case 'string':
      return safeText(value, context);
  }
  if (value instanceof DuckDBTimestampTZValue) return microsToIso(value.micros, true);
  if (value instanceof DuckDBTimestampValue) return microsToIso(value.micros, false);
  if (value instanceof DuckDBTimestampSecondsValue) return microsToIso(value.seconds * 1_000_000n, false);
  if (value instanceof DuckDBTimestampMillisecondsValue) return microsToIso(value.millis * 1_000n, false);
  if (value instanceof DuckDBTimestampNanosecondsValue) return microsToIso(value.nanos / 1_000n, false);
  if (value instanceof DuckDBDecimalValue) {
    // Up to 15 significant digits a double holds the decimal exactly; beyond that keep the digits as text.
    return value.width <= 15 ? value.toDouble() : value.toString();
  }
  if (value instanceof DuckDBBlobValue) return `<blob ${value.bytes.length} bytes>`;
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    return value.items.map((item) => toJsonValue(item, context));
  }
  if (value instanceof DuckDBStructValue) {
    const object: Record<string, JsonValue> = {};
    for (const [key, entry] of Object.entries(value.entries)) object[key] = toJsonValue(entry, context);
    return object;
  }
  if (value instanceof DuckDBMapValue) {
    const scalarKeys = value.entries.every((entry) => typeof entry.key === 'string' || typeof entry.key === 'number' || typeof entry.key === 'bigint');
    if (scalarKeys) {
      const object: Record<string, JsonValue> = {};
      for (const entry of value.entries) object[String(entry.key)] = toJsonValue(entry.value, context);
      return object;
    }
    return value.entries.map((entry) => ({ key: toJsonValue(entry.key, context), value: toJsonValue(entry.value, context) }));
  }
  if (value instanceof DuckDBUnionValue) return toJsonValue(value.value, context);
  // DATE, TIME, TIMETZ, INTERVAL, UUID, BIT, VARIANT, GEOMETRY: DuckDB's own text form.
  return safeText(String(value), context);
}

function bigintToJson(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}

const MAX_DATE_MICROS = 8_640_000_000_000_000_000n; // JavaScript Date range, in microseconds

/** ISO-8601 with microseconds; "Z" for TIMESTAMP WITH TIME ZONE (always shown in UTC), none for naive timestamps. */
function microsToIso(micros: bigint, utc: boolean): string {
  if (micros >= MAX_DATE_MICROS || micros <= -MAX_DATE_MICROS) return micros > 0n ? 'infinity' : '-infinity';
  let millis = micros / 1000n;
  let restMicros = micros % 1000n;
  if (restMicros < 0n) {
    restMicros += 1000n;
    millis -= 1n;
  }
  const iso = new Date(Number(millis)).toISOString(); // 2024-01-02T03:04:05.123Z
  const withMicros = restMicros === 0n ? iso.slice(0, -1) : `${iso.slice(0, -1)}${restMicros.toString().padStart(3, '0')}`;
  return utc ? `${withMicros}Z` : withMicros;
}

export function safeText(text: string, context: ConvertContext): string {
  const cleaned = escapeUnsafeText(text);
  if (cleaned.length <= context.maxCellChars) return cleaned;
  context.truncatedCells = true;
  return `${cleaned.slice(0, context.maxCellChars)}… [truncated ${cleaned.length - context.maxCellChars} chars]`;
}
