/** The documented API-key header: `PS-Auth key=<key>; runas=<user>; pwd=[<password>];` (pwd only when given). */
import type { Secret } from '../../config/secret.js';

/** Returns the header value with the secrets revealed: put it on the wire only, never in a log or error. */
export function psAuthHeader(apiKey: Secret, runas: Secret, password?: Secret): string {
  const pwd = password && !password.isEmpty ? ` pwd=[${password.reveal()}];` : '';
  return `PS-Auth key=${apiKey.reveal()}; runas=${runas.reveal()};${pwd}`;
}
