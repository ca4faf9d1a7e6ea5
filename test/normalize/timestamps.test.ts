import { describe, expect, it } from 'vitest';
import {
  daysFromCivil,
  formatDateDays,
  formatTimestampMicros,
  parseDateDays,
  parseTimestampMicros,
} from '../../src/normalize/timestamps.js';

const BASE = 1_733_821_065_000_000n; // 2024-12-10T08:57:45Z
const HOUR = 3_600_000_000n;

describe('parseTimestampMicros', () => {
  it('parses UTC with Z', () => {
    expect(parseTimestampMicros('2024-12-10T08:57:45Z')).toBe(BASE);
    expect(parseTimestampMicros('2024-12-10t08:57:45z')).toBe(BASE);
    expect(parseTimestampMicros('1970-01-01T00:00:00Z')).toBe(0n);
  });

  it.each([
    ['2024-12-10T08:57:45', 0n],
    ['2024-12-10T08:57:45.9', 900_000n],
    ['2024-12-10T08:57:45.96', 960_000n],
    ['2024-12-10T08:57:45.963', 963_000n],
    ['2024-12-10T08:57:45.9633', 963_300n],
    ['2024-12-10T08:57:45.96333', 963_330n],
    ['2024-12-10T08:57:45.963333', 963_333n],
    ['2024-12-10T08:57:45.9633337', 963_333n],
    ['2024-12-10T08:57:45.963333789Z', 963_333n],
    ['2024-12-10T08:57:45,5Z', 500_000n],
  ])('reads fraction digits of %s (no offset = UTC)', (value, fraction) => {
    expect(parseTimestampMicros(value)).toBe(BASE + fraction);
  });

  it.each([
    ['2024-12-10T10:57:45+02:00', BASE],
    ['2024-12-10T10:57:45+0200', BASE],
    ['2024-12-10T10:57:45+02', BASE],
    ['2024-12-10T03:27:45-05:30', BASE],
    ['2024-12-10T08:57:45.5+00:00', BASE + 500_000n],
    ['2024-12-11T00:57:45+16:00', BASE],
  ])('applies the offset of %s', (value, expected) => {
    expect(parseTimestampMicros(value)).toBe(expected);
  });

  it('accepts a space separator and missing seconds', () => {
    expect(parseTimestampMicros('2024-12-10 08:57:45')).toBe(BASE);
    expect(parseTimestampMicros('2024-12-10T08:57Z')).toBe(BASE - 45_000_000n);
  });

  it('handles leap days and dates before 1970 or after 2255', () => {
    expect(parseTimestampMicros('2024-02-29T00:00:00Z')).toBe(BigInt(Date.UTC(2024, 1, 29)) * 1000n);
    expect(parseTimestampMicros('1969-12-31T23:00:00Z')).toBe(-HOUR);
    expect(parseTimestampMicros('0001-01-01T00:00:00Z')).toBe(-62_135_596_800_000_000n);
    expect(parseTimestampMicros('9999-12-31T23:59:59.999999Z')).toBe(253_402_300_799_999_999n);
  });

  it.each([
    '2024-12-10',
    'hello world, not a date',
    '2024-13-01T00:00:00Z',
    '2024-00-01T00:00:00Z',
    '2024-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-12-10T24:00:00Z',
    '2024-12-10T08:60:00Z',
    '2024-12-10T08:57:60Z',
    '2024-12-10T08:57:45.Z',
    '2024-12-10T08:57:45.1234567890Z',
    '2024-12-10T08:57:45+2',
    '2024-12-10T08:57:45+24:00',
    '2024-12-10T08:57:45Zjunk',
    '2024-12-10T08:57:45 ',
    '2024-12-10X08:57:45Z',
    '2024/12/10T08:57:45Z',
    '12024-12-10T08:57:45Z',
    '2024-1-10T08:57:45Z',
    '2024-12-10T8:57:45Z',
    '',
  ])('rejects %j', (value) => {
    expect(parseTimestampMicros(value)).toBeUndefined();
  });

  it('agrees with Date.parse on seeded random timestamps', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 500; i++) {
      const millis = Math.floor((random() - 0.3) * 4_000_000_000_000);
      const iso = new Date(millis).toISOString();
      expect(parseTimestampMicros(iso)).toBe(BigInt(millis) * 1000n);
      expect(formatTimestampMicros(BigInt(millis) * 1000n)).toBe(iso.replace('Z', '000Z'));
    }
  });
});

describe('parseDateDays', () => {
  it('counts days since 1970-01-01', () => {
    expect(parseDateDays('1970-01-01')).toBe(0);
    expect(parseDateDays('1970-01-02')).toBe(1);
    expect(parseDateDays('1969-12-31')).toBe(-1);
    expect(parseDateDays('2024-12-10')).toBe(20_067);
    expect(parseDateDays('2000-02-29')).toBe(11_016);
  });

  it.each(['2024-12-10T00:00:00', '2024-02-30', '1900-02-29', '2024-12-1', '20241210', 'abcd-ef-gh', '2024-12-10 '])(
    'rejects %j',
    (value) => {
      expect(parseDateDays(value)).toBeUndefined();
    },
  );

  it('matches daysFromCivil and formats back', () => {
    expect(daysFromCivil(2024, 12, 10)).toBe(20_067);
    expect(formatDateDays(20_067)).toBe('2024-12-10');
    expect(formatDateDays(-1)).toBe('1969-12-31');
  });
});

describe('formatTimestampMicros', () => {
  it('always writes six fraction digits in UTC', () => {
    expect(formatTimestampMicros(BASE + 900_000n)).toBe('2024-12-10T08:57:45.900000Z');
    expect(formatTimestampMicros(0n)).toBe('1970-01-01T00:00:00.000000Z');
    expect(formatTimestampMicros(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatTimestampMicros(253_402_300_799_999_999n)).toBe('9999-12-31T23:59:59.999999Z');
  });

  it('round-trips parsed values', () => {
    const text = '2024-12-10T08:57:45.963333Z';
    const micros = parseTimestampMicros(text);
    expect(micros).toBeDefined();
    expect(formatTimestampMicros(micros ?? 0n)).toBe(text);
  });
});
