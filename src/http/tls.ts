/** TLS options for the undici connector: a private CA (file or PEM, added to Node's roots) and `verify: false`. */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Logger } from '../log.js';
import { caFileError } from './errors.js';

export interface TlsSettings {
  caFile?: string;
  caPem?: string;
  /** Default true. */
  verify?: boolean;
}

export interface TlsConnectOptions {
  ca?: string[];
  rejectUnauthorized: boolean;
}

export const TLS_DISABLED_WARNING =
  'TLS certificate verification is DISABLED (verify_tls = false): the server identity is not checked and credentials ' +
  'can be intercepted. Use ca_file with the server CA instead; never disable verification in production.';

/** Builds the connector TLS options; reads `caFile` now so a bad path fails at client creation, not mid-run. */
export function tlsConnectOptions(settings: TlsSettings = {}, logger?: Logger): TlsConnectOptions {
  const verify = settings.verify ?? true;
  const extra: string[] = [];
  if (settings.caFile) {
    try {
      extra.push(readFileSync(settings.caFile, 'utf8'));
    } catch (error) {
      throw caFileError(settings.caFile, error);
    }
  }
  if (settings.caPem) extra.push(settings.caPem);
  if (!verify) logger?.warn(TLS_DISABLED_WARNING);
  return {
    rejectUnauthorized: verify,
    ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
  };
}
