/**
 * Cursor values for incremental loading. .NET dates (`2024-12-10T08:57:45.9`, 0–7 fraction digits, `Z`, an offset
 * or nothing — nothing means UTC) are compared as instants with 100 ns precision, never as strings.
 */

export interface Instant {
  /** Milliseconds since the epoch (whole). */
  ms: number;
  /** Sub-millisecond part in 100 ns ticks (0–9999). */
  ticks: number;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseInstant(value: string): Instant | undefined {
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  const digits = `${fraction}0000000`.slice(0, 7);
  ms += Number(digits.slice(0, 3));
  const ticks = Number(digits.slice(3, 7));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [hh = '0', mm = '0'] = zone.slice(1).replace(':', '').match(/.{1,2}/g) ?? [];
    ms -= sign * (Number(hh) * 60 + Number(mm)) * 60_000;
  }
  return { ms, ticks };
}

/** The right-hand side of a comparison is nearly always the same start or maximum value: parse it once. */
let lastReference: { text: string; instant: Instant | undefined } | undefined;

function parseReference(value: string): Instant | undefined {
  if (lastReference?.text !== value) lastReference = { text: value, instant: parseInstant(value) };
  return lastReference.instant;
}

/** Compares two cursor values: numbers numerically, dates as instants, anything else as strings. */
export function compareCursor(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    const ia = parseInstant(a);
    const ib = parseReference(b);
    if (ia && ib) return ia.ms - ib.ms || ia.ticks - ib.ticks;
    if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(Number(a)) && Number.isFinite(Number(b))) return Number(a) - Number(b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `yyyy-MM-ddTHH:mm:ssZ` in UTC, seconds floored (so a `>=` server filter never drops the boundary row). */
export function formatIsoSecondsZ(value: unknown): string {
  const instant = typeof value === 'string' ? parseInstant(value) : typeof value === 'number' ? { ms: value, ticks: 0 } : undefined;
  if (!instant) return String(value);
  const date = new Date(instant.ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`;
}
