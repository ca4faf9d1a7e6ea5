/**
 * ISO 8601 / .NET timestamp and date parsing without regular expressions (this runs once per string value).
 * Timestamps become microseconds since the Unix epoch (UTC), dates days since 1970-01-01.
 */

const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;
// Largest |seconds| for which seconds * 1e6 + micros stays an exact double (≈ year 2255).
const SAFE_SECONDS = Math.floor((Number.MAX_SAFE_INTEGER - MICROS_PER_SECOND) / MICROS_PER_SECOND);

const DIGIT_0 = 48;
const HYPHEN = 45;
const COLON = 58;
const DOT = 46;
const COMMA = 44;
const PLUS = 43;

function digit(value: string, at: number): number {
  const code = value.charCodeAt(at) - DIGIT_0;
  return code >= 0 && code <= 9 ? code : -1;
}

function twoDigits(value: string, at: number): number {
  const high = digit(value, at);
  const low = digit(value, at + 1);
  return high < 0 || low < 0 ? -1 : high * 10 + low;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Parses `YYYY-MM-DD` at the start of `value`; returns days since epoch or undefined. */
function parseDatePart(value: string): number | undefined {
  if (value.charCodeAt(4) !== HYPHEN || value.charCodeAt(7) !== HYPHEN) return undefined;
  const century = twoDigits(value, 0);
  const yy = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) return undefined;
  const year = century * 100 + yy;
  if (day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** `YYYY-MM-DD` → days since 1970-01-01; anything else (including timestamps) → undefined. */
export function parseDateDays(value: string): number | undefined {
  return value.length === 10 ? parseDatePart(value) : undefined;
}

/**
 * ISO 8601 / .NET timestamps → microseconds since the epoch (UTC). Accepts `T`, `t` or a space between date and
 * time, optional seconds, 0–9 fraction digits (beyond microseconds truncated; .NET writes 7), and `Z`, `±hh:mm`,
 * `±hhmm`, `±hh` or no offset (treated as UTC, as dlt does). A date alone is not a timestamp → undefined.
 */
export function parseTimestampMicros(value: string): bigint | undefined {
  const length = value.length;
  if (length < 16 || length > 40) return undefined;
  const separator = value.charCodeAt(10);
  if (separator !== 84 && separator !== 116 && separator !== 32) return undefined;
  const days = parseDatePart(value);
  if (days === undefined) return undefined;
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  if (value.charCodeAt(13) !== COLON || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;

  let at = 16;
  let second = 0;
  const hasSeconds = at < length && value.charCodeAt(at) === COLON;
  if (hasSeconds) {
    second = twoDigits(value, at + 1);
    if (second < 0 || second > 59) return undefined;
    at += 3;
  }

  let micros = 0;
  const fractionMark = value.charCodeAt(at);
  if (hasSeconds && (fractionMark === DOT || fractionMark === COMMA)) {
    at++;
    let count = 0;
    for (let d = digit(value, at); d >= 0; d = digit(value, at)) {
      if (count < 6) micros = micros * 10 + d;
      count++;
      at++;
    }
    if (count === 0 || count > 9) return undefined;
    for (let pad = count; pad < 6; pad++) micros *= 10;
  }

  let offsetSeconds = 0;
  if (at < length) {
    const sign = value.charCodeAt(at);
    if (sign === 90 || sign === 122) {
      at++;
    } else if (sign === PLUS || sign === HYPHEN) {
      const offsetHours = twoDigits(value, at + 1);
      at += 3;
      let offsetMinutes = 0;
      if (at < length) {
        if (value.charCodeAt(at) === COLON) at++;
        offsetMinutes = twoDigits(value, at);
        at += 2;
      }
      if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return undefined;
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign === PLUS ? 1 : -1);
    } else {
      return undefined;
    }
    if (at !== length) return undefined;
  }

  const seconds = days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offsetSeconds;
  if (seconds < SAFE_SECONDS && seconds > -SAFE_SECONDS) return BigInt(seconds * MICROS_PER_SECOND + micros);
  return BigInt(seconds) * 1_000_000n + BigInt(micros);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Microseconds since the epoch → `2024-12-10T08:57:45.900000Z` (always six fraction digits, UTC). */
export function formatTimestampMicros(micros: bigint): string {
  let seconds = micros / 1_000_000n;
  let fraction = micros % 1_000_000n;
  if (fraction < 0n) {
    fraction += 1_000_000n;
    seconds -= 1n;
  }
  const totalSeconds = Number(seconds);
  const days = Math.floor(totalSeconds / SECONDS_PER_DAY);
  const secondOfDay = totalSeconds - days * SECONDS_PER_DAY;
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  const second = secondOfDay % 60;
  return `${formatDate(days)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(Number(fraction), 6)}Z`;
}

/** Days since the epoch → `YYYY-MM-DD`. */
export function formatDateDays(days: number): string {
  return formatDate(days);
}
