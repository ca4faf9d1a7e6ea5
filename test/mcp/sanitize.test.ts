import { describe, expect, it } from 'vitest';
import { registerSecretValue } from '../../src/config/secret.js';
import { neutralizeText, sanitizeDeep } from '../../src/mcp/security/sanitize.js';

describe('neutralizeText', () => {
  it('escapes bidi overrides and isolates so they cannot reorder text', () => {
    const text = 'admin\u202Etxt.exe\u2066x\u2069';
    expect(neutralizeText(text)).toBe('admin\\u202Etxt.exe\\u2066x\\u2069');
  });

  it('escapes C0/C1 controls, DEL, zero-width characters, BOM and tag characters but keeps \\n and \\t', () => {
    const text = 'a\u0000b\u0007c\rd\u001Be\u007Ff\u0085g\u200Bh\u200Fi\uFEFFj\u{E0041}k\n\tl';
    expect(neutralizeText(text)).toBe('a\\u0000b\\u0007c\\u000Dd\\u001Be\\u007Ff\\u0085g\\u200Bh\\u200Fi\\uFEFFj\\u{E0041}k\n\tl');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    const text = 'Zoë → café 🚀 日本語';
    expect(neutralizeText(text)).toBe(text);
  });
});

describe('sanitizeDeep', () => {
  it('walks objects and arrays, keys included', () => {
    const value = { 'na\u202Eme': ['x\u200By', { deep: 'ok\u0000' }], n: 1, b: true, nil: null };
    expect(sanitizeDeep(value)).toEqual({ 'na\\u202Eme': ['x\\u200By', { deep: 'ok\\u0000' }], n: 1, b: true, nil: null });
  });

  it('bounds strings and arrays with visible markers', () => {
    const result = sanitizeDeep({ s: 'x'.repeat(30), a: [1, 2, 3, 4, 5] }, { maxStringChars: 10, maxArrayItems: 3 });
    expect(result.s).toBe(`${'x'.repeat(10)}…[truncated 20 chars]`);
    expect(result.a).toEqual([1, 2, 3, '…[2 more items dropped]']);
  });

  it('redacts registered secret values wherever they appear', () => {
    registerSecretValue('SANITIZE-SENTINEL-91b2');
    const result = sanitizeDeep({ note: 'key=SANITIZE-SENTINEL-91b2;', list: ['SANITIZE-SENTINEL-91b2'] });
    expect(JSON.stringify(result)).not.toContain('SANITIZE-SENTINEL-91b2');
    expect(result.note).toBe('key=**********;');
  });

  it('makes bigint and Date JSON-safe and drops undefined members', () => {
    const result = sanitizeDeep({ small: 5n, big: 2n ** 70n, at: new Date('2026-01-02T03:04:05Z'), gone: undefined });
    expect(result).toEqual({ small: 5, big: '1180591620717411303424', at: '2026-01-02T03:04:05.000Z' });
  });
});
