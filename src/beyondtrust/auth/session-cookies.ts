/** Turns the `Set-Cookie` headers of SignAppin into one `Cookie` header value (`a=b; c=d`), attributes dropped. */
import { Secret, registerSecretValue } from '../../config/secret.js';

/** Name/value pairs of every Set-Cookie; a later cookie with the same name replaces an earlier one. */
export function cookiePairs(setCookies: readonly string[]): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const header of setCookies) {
    const nameValue = header.split(';', 1)[0]?.trim() ?? '';
    const eq = nameValue.indexOf('=');
    if (eq <= 0) continue;
    const name = nameValue.slice(0, eq).trim();
    const value = nameValue.slice(eq + 1).trim();
    pairs.set(name, value);
  }
  return pairs;
}

/** The Cookie header as a Secret (cookie values are registered for scrubbing); undefined without cookies. */
export function sessionCookieHeader(setCookies: readonly string[]): Secret | undefined {
  const pairs = cookiePairs(setCookies);
  if (pairs.size === 0) return undefined;
  for (const value of pairs.values()) registerSecretValue(value);
  return new Secret([...pairs].map(([name, value]) => `${name}=${value}`).join('; '));
}
