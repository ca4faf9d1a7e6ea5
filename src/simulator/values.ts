/** Realistic value formats: .NET dates, host names, IPs, names. Pure functions of their inputs. */
import type { RecordRandom } from './random.js';

/** Simulated "now" at epoch 0; each advance() moves simulated time one hour on. */
export const BASE_INSTANT_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
export const EPOCH_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

export const DOMAIN = 'corp.example.com';
export const NETBIOS_DOMAIN = 'CORP';

/**
 * .NET DateTime serialization without an offset and with 0–7 fraction digits, trailing zeros trimmed:
 * "2024-12-10T08:57:45.9", "2024-12-12T00:00:00". `subTicks` (0..9999) are the 100 ns ticks below the millisecond.
 */
export function dotnetDate(ms: number, fractionDigits: number, subTicks = 0): string {
  const iso = new Date(ms).toISOString(); // 2024-12-10T08:57:45.900Z
  const seconds = iso.slice(0, 19);
  if (fractionDigits <= 0) return seconds;
  const ticks = String(Number(iso.slice(20, 23)) * 10000 + subTicks).padStart(7, '0');
  const fraction = ticks.slice(0, Math.min(7, fractionDigits)).replace(/0+$/, '');
  return fraction.length === 0 ? seconds : `${seconds}.${fraction}`;
}

/** A .NET-style date with random fraction digits drawn from `random`. */
export function randomDotnetDate(ms: number, random: RecordRandom): string {
  return dotnetDate(ms, random.int(0, 7), random.int(0, 9999));
}

/** UTC with `Z` and milliseconds, as UserAudits sends it: "2024-12-12T10:24:26.323Z". */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Parses the date forms clients send in filters: `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm:ss[.f…][Z|±hh:mm]`.
 * No offset means UTC. Returns NaN when the text is not such a date.
 */
export function parseApiDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    text.trim(),
  );
  if (!match) return Number.NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const ms = Number(`0.${fraction || '0'}`) * 1000;
  let value = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(ms));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    value -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return value;
}

/** 10.a.b.c encodes index+1, so an IP filter maps straight back to its system. */
export function ipForIndex(index: number): string {
  const n = index + 1;
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function indexForIp(ip: string): number | undefined {
  const match = /^10\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.trim());
  if (!match) return undefined;
  const n = Number(match[1]) * 65536 + Number(match[2]) * 256 + Number(match[3]);
  return n >= 1 ? n - 1 : undefined;
}

export function macForIndex(index: number): string {
  const n = index + 1;
  const bytes = [0x00, 0x50, 0x56, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-');
}

/** "HH:mm". */
export function timeOfDay(random: RecordRandom): string {
  return `${String(random.int(0, 23)).padStart(2, '0')}:${random.pick(['00', '15', '30', '45'])}`;
}

export const FIRST_NAMES = [
  'Alice', 'Bob', 'Carmen', 'Deepak', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Liam', 'Mei',
  'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zoe',
] as const;
export const LAST_NAMES = [
  'Andersen', 'Baker', 'Castillo', 'Dubois', 'Eriksson', 'Fischer', 'Garcia', 'Hughes', 'Ivanova', 'Jensen', 'Khan',
  'Lopez', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Varga', 'Weber',
] as const;
