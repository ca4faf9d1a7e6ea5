import { describe, expect, it } from 'vitest';
import { coerceValue, encodeValue, inferValueType, NOT_COERCIBLE, toJsonText } from '../../src/normalize/value-types.js';

describe('inferValueType', () => {
  it.each([
    [42, 'bigint'],
    [-7, 'bigint'],
    [2.5, 'double'],
    [1e20, 'double'],
    [Number.NaN, 'double'],
    [12n, 'bigint'],
    [true, 'bool'],
    ['plain text', 'text'],
    ['2024-12-10', 'date'],
    ['2024-12-10T08:57:45.9633333', 'timestamp'],
    ['2024-12-10T08:57:45Z', 'timestamp'],
    ['2024-12-10 is a Tuesday', 'text'],
    ['2024-13-10', 'text'],
    [{ a: 1 }, 'json'],
    [[1, 2], 'json'],
    [new Date(0), 'timestamp'],
  ])('%s → %s', (value, expected) => {
    expect(inferValueType(value)).toBe(expected);
  });
});

describe('encodeValue', () => {
  it('encodes per the TableRows contract', () => {
    expect(encodeValue('2024-12-10T08:57:45Z', 'timestamp')).toBe(1_733_821_065_000_000n);
    expect(encodeValue('2024-12-10', 'date')).toBe(20_067);
    expect(encodeValue({ a: [1, 'x'] }, 'json')).toBe('{"a":[1,"x"]}');
    expect(encodeValue(12n, 'bigint')).toBe(12);
    expect(encodeValue(2n ** 60n, 'bigint')).toBe(2n ** 60n);
    expect(encodeValue(new Date(1000), 'timestamp')).toBe(1_000_000n);
  });

  it('writes bigints inside JSON as strings instead of failing', () => {
    expect(toJsonText({ big: 2n ** 70n })).toBe('{"big":"1180591620717411303424"}');
  });
});

describe('coerceValue', () => {
  it('accepts an integer in a double column', () => {
    expect(coerceValue(3, 'bigint', 'double')).toBe(3);
  });

  it('writes numbers and booleans into text columns as their string', () => {
    expect(coerceValue(3, 'bigint', 'text')).toBe('3');
    expect(coerceValue(2.5, 'double', 'text')).toBe('2.5');
    expect(coerceValue(false, 'bool', 'text')).toBe('false');
    expect(coerceValue('2024-12-10T08:57:45Z', 'timestamp', 'text')).toBe('2024-12-10T08:57:45Z');
    expect(coerceValue({ a: 1 }, 'json', 'text')).toBe('{"a":1}');
  });

  it('parses strings that fit the column type', () => {
    expect(coerceValue('42', 'text', 'bigint')).toBe(42);
    expect(coerceValue(' -42 ', 'text', 'bigint')).toBe(-42);
    expect(coerceValue('9007199254740993', 'text', 'bigint')).toBe(9_007_199_254_740_993n);
    expect(coerceValue('2.5', 'text', 'double')).toBe(2.5);
    expect(coerceValue('1e3', 'text', 'double')).toBe(1000);
    expect(coerceValue('TRUE', 'text', 'bool')).toBe(true);
    expect(coerceValue('2024-12-10', 'date', 'timestamp')).toBe(20_067n * 86_400_000_000n);
  });

  it('accepts anything in a json column as JSON text', () => {
    expect(coerceValue('abc', 'text', 'json')).toBe('"abc"');
    expect(coerceValue(5, 'bigint', 'json')).toBe('5');
  });

  it.each([
    ['pending', 'text', 'bigint'],
    ['99999999999999999999', 'text', 'bigint'],
    [2.5, 'double', 'bigint'],
    [1e20, 'double', 'bigint'],
    ['0x10', 'text', 'double'],
    ['', 'text', 'double'],
    ['yes', 'text', 'bool'],
    [1, 'bigint', 'bool'],
    [true, 'bool', 'bigint'],
    [1_733_821_065, 'bigint', 'timestamp'],
    ['2024-12-10T08:57:45Z', 'timestamp', 'date'],
    ['soon', 'text', 'timestamp'],
    [{ a: 1 }, 'json', 'bigint'],
  ] as const)('refuses %j (%s) in a %s column', (value, from, to) => {
    expect(coerceValue(value, from, to)).toBe(NOT_COERCIBLE);
  });
});
