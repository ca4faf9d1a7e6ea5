import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import { renewAfterSec } from '../../../src/beyondtrust/auth/oauth-token.js';
import { psAuthHeader } from '../../../src/beyondtrust/auth/ps-auth-header.js';
import { cookiePairs, sessionCookieHeader } from '../../../src/beyondtrust/auth/session-cookies.js';

describe('psAuthHeader', () => {
  it('builds the documented header with and without the password', () => {
    const key = new Secret('c479a66fc9484d');
    const runas = new Secret('doe-main\\johndoe');
    expect(psAuthHeader(key, runas, new Secret('un1qu3'))).toBe('PS-Auth key=c479a66fc9484d; runas=doe-main\\johndoe; pwd=[un1qu3];');
    expect(psAuthHeader(key, runas)).toBe('PS-Auth key=c479a66fc9484d; runas=doe-main\\johndoe;');
    expect(psAuthHeader(key, runas, new Secret(''))).toBe('PS-Auth key=c479a66fc9484d; runas=doe-main\\johndoe;');
  });
});

describe('session cookies', () => {
  it('keeps the name=value part of every Set-Cookie, later names winning', () => {
    const pairs = cookiePairs([
      'ASP.NET_SessionId=iijfdzn51fdh01axylh1nnd1; path=/; secure; HttpOnly; SameSite=Lax',
      'BIG-IP=abc=def; Path=/',
      'broken',
      'ASP.NET_SessionId=zzzz1234zzzz; path=/',
    ]);
    expect([...pairs]).toEqual([
      ['ASP.NET_SessionId', 'zzzz1234zzzz'],
      ['BIG-IP', 'abc=def'],
    ]);
  });

  it('gives the Cookie header as a Secret that prints as stars', () => {
    const cookie = sessionCookieHeader(['a=one1; path=/', 'b=two2']);
    expect(cookie?.reveal()).toBe('a=one1; b=two2');
    expect(String(cookie)).toBe('**********');
    expect(sessionCookieHeader([])).toBeUndefined();
  });
});

describe('token renewal time', () => {
  it('renews at 80 % of the lifetime or 60 s before expiry, whichever is earlier', () => {
    expect(renewAfterSec(600)).toBe(480);
    expect(renewAfterSec(3600)).toBe(2880);
    expect(renewAfterSec(200)).toBe(140);
    // Too short for "60 s before": 80 %.
    expect(renewAfterSec(100)).toBe(80);
    expect(renewAfterSec(2)).toBeCloseTo(1.6);
  });
});
