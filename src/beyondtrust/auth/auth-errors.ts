/** The errors of signing in: BT_AUTH_FAILED with a hint naming the keys, env vars and file to fix. */
import { BtError } from '../../errors.js';
import { bodyExcerpt } from '../../http/errors.js';
import type { HttpResponse } from '../../http/types.js';

export const ENV_PREFIX = 'SOURCES__BEYONDTRUST_SOURCE__';
export const SECRETS_FILE_SECTION = '.dlt/secrets.toml [sources.beyondtrust_source]';

export type CredentialsKind = 'ps_auth' | 'oauth2_client_credentials';

function credentialsHint(kind: CredentialsKind): string {
  if (kind === 'oauth2_client_credentials') {
    return (
      `Check client_id and client_secret (${ENV_PREFIX}CLIENT_ID / ${ENV_PREFIX}CLIENT_SECRET, or ${SECRETS_FILE_SECTION}) ` +
      'and that the API registration / API Access Policy is active and its application user may sign in.'
    );
  }
  return (
    `Check api_key, runas and password (${ENV_PREFIX}API_KEY / ${ENV_PREFIX}RUNAS / ${ENV_PREFIX}PASSWORD, or ` +
    `${SECRETS_FILE_SECTION}), that the API registration is active, the key was not rotated, the user is allowed to ` +
    'use it, and this source IP address is permitted by the registration.'
  );
}

/** A rejected sign-in (401 from SignAppin, 400/401 from the token endpoint). Never carries a header value. */
export function authFailedError(kind: CredentialsKind, endpoint: string, response: HttpResponse): BtError {
  const excerpt = bodyExcerpt(response.text, 120);
  const mfa = response.headers['www-authenticate-2fa'] !== undefined;
  const hint = mfa
    ? 'The API registration requires multi-factor authentication, which an unattended loader cannot answer; ' +
      'disable "Enforce multi-factor authentication" on the registration used by this loader. ' +
      credentialsHint(kind)
    : credentialsHint(kind);
  return new BtError(
    'BT_AUTH_FAILED',
    `Sign-in to BeyondTrust was rejected: ${endpoint} returned HTTP ${response.status}${excerpt ? ` (${excerpt})` : ''}.`,
    { hint, details: { endpoint, status: response.status, auth_mode: kind } },
  );
}

export function malformedAuthResponse(endpoint: string, what: string): BtError {
  return new BtError('BT_MALFORMED_RESPONSE', `${endpoint} returned an unexpected answer: ${what}.`, {
    hint: 'Check that base_url points at the BeyondTrust API (…/BeyondTrust/api/public/v3) and not at a proxy or login page.',
    details: { endpoint },
  });
}
