/** Builds the session credentials and the HTTP client options from resolved BeyondTrust settings. */
import { isAbsolute, resolve } from 'node:path';
import type { Secret } from '../../config/secret.js';
import type { BeyondTrustSettings, Resolved, ValueOrigin } from '../../config/types.js';
import { BtError } from '../../errors.js';
import type { HttpClientOptions } from '../../http/client.js';
import { ENV_PREFIX, SECRETS_FILE_SECTION } from './auth-errors.js';
import type { BeyondTrustCredentials } from './session-auth.js';

type CredentialKey = 'api_key' | 'runas' | 'password' | 'client_id' | 'client_secret';

function present(value: Resolved<Secret> | undefined): Secret | undefined {
  return value && !value.value.isEmpty ? value.value : undefined;
}

function describeOrigin(origin: ValueOrigin): string {
  switch (origin.kind) {
    case 'env':
      return `env ${origin.name}`;
    case 'file':
      return `${origin.path} (${origin.key})`;
    case 'argument':
      return 'an argument';
    default:
      return 'a default';
  }
}

function whereToSet(key: CredentialKey): string {
  return `${ENV_PREFIX}${key.toUpperCase()} or ${key} in ${SECRETS_FILE_SECTION}`;
}

/** client_id + client_secret → OAuth2; else api_key + runas (+ password) → PS-Auth; else CONFIG_MISSING. */
export function credentialsFromSettings(settings: BeyondTrustSettings): BeyondTrustCredentials {
  const clientId = present(settings.client_id);
  const clientSecret = present(settings.client_secret);
  if (clientId && clientSecret) return { kind: 'oauth2_client_credentials', clientId, clientSecret };
  const apiKey = present(settings.api_key);
  const runas = present(settings.runas);
  if (apiKey && runas) {
    const password = present(settings.password);
    return password ? { kind: 'ps_auth', apiKey, runas, password } : { kind: 'ps_auth', apiKey, runas };
  }

  const partial: string[] = [];
  const missing: CredentialKey[] = [];
  const pairs: [CredentialKey, CredentialKey][] = [
    ['client_id', 'client_secret'],
    ['api_key', 'runas'],
  ];
  for (const [a, b] of pairs) {
    const setA = settings[a] && present(settings[a]);
    const setB = settings[b] && present(settings[b]);
    if (setA && !setB) partial.push(`${a} is set (from ${describeOrigin(settings[a]!.origin)}) but ${b} is not`);
    if (setB && !setA) partial.push(`${b} is set (from ${describeOrigin(settings[b]!.origin)}) but ${a} is not`);
    if (!setA) missing.push(a);
    if (!setB) missing.push(b);
  }
  const detail = partial.length > 0 ? ` (${partial.join('; ')})` : '';
  return fail(
    `BeyondTrust credentials are missing${detail}: set api_key and runas (PS-Auth, password optional) or client_id and client_secret (OAuth2).`,
    `Set ${whereToSet('api_key')} and ${whereToSet('runas')} (and ${ENV_PREFIX}PASSWORD if the API registration ` +
      `requires the user password), or ${ENV_PREFIX}CLIENT_ID and ${ENV_PREFIX}CLIENT_SECRET. Project directory: ${settings.project_dir}.`,
    missing,
  );
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function fail(message: string, hint: string, missing: string[]): never {
  throw new BtError('CONFIG_MISSING', message, { hint, details: { step: 'config', missing } });
}

/** The base_url or CONFIG_MISSING naming where it is read from. */
export function baseUrlFromSettings(settings: BeyondTrustSettings): string {
  const value = settings.base_url?.value.trim();
  if (value && !isHttpUrl(value)) {
    // The value itself is not shown: a URL may carry user:password@.
    throw new BtError('CONFIG_INVALID', `BeyondTrust base_url (from ${describeOrigin(settings.base_url!.origin)}) is not an absolute http(s) URL.`, {
      hint: `Set base_url = "https://<host>/BeyondTrust/api/public/v3" under [sources.beyondtrust_source] in .dlt/config.toml, or ${ENV_PREFIX}BASE_URL.`,
      details: { step: 'config', key: 'base_url' },
    });
  }
  if (value) return value;
  return fail(
    'BeyondTrust base_url is not set.',
    `Set base_url = "https://<host>/BeyondTrust/api/public/v3" under [sources.beyondtrust_source] in .dlt/config.toml, ` +
      `or ${ENV_PREFIX}BASE_URL. Project directory: ${settings.project_dir}.`,
    ['base_url'],
  );
}

/** verify_tls, ca_file (relative to the project directory), request_timeout (s) and max_attempts → client options. */
export function httpOptionsFromSettings(settings: BeyondTrustSettings): HttpClientOptions {
  const timeoutMs = Math.max(1, settings.request_timeout.value) * 1000;
  const caFile = settings.ca_file?.value;
  return {
    timeouts: { connectMs: Math.min(10_000, timeoutMs), headersMs: timeoutMs, bodyMs: timeoutMs },
    retry: { maxAttempts: Math.max(1, Math.floor(settings.max_attempts.value)) },
    tls: {
      verify: settings.verify_tls.value,
      ...(caFile ? { caFile: isAbsolute(caFile) ? caFile : resolve(settings.project_dir, caFile) } : {}),
    },
    connections: Math.max(16, settings.concurrency.value),
  };
}
