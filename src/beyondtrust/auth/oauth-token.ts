/** `POST Auth/connect/token` (client credentials) and when to renew the token it returns. */
import { Secret, registerSecretValue } from '../../config/secret.js';
import { httpStatusError } from '../../http/errors.js';
import type { HttpClientLike } from '../../http/types.js';
import { authFailedError, malformedAuthResponse } from './auth-errors.js';

export const TOKEN_ENDPOINT = 'POST Auth/connect/token';
/** Used when the server omits `expires_in` (the only documented sample is 600 s). */
export const DEFAULT_TOKEN_LIFETIME_SEC = 600;

export interface AccessToken {
  value: Secret;
  lifetimeSec: number;
}

/**
 * Seconds after issue at which the token is renewed: 80 % of the lifetime or 60 s before expiry, whichever is
 * earlier — except that "60 s before" is ignored when it would leave less than half the lifetime (short-lived
 * tokens would otherwise be renewed on every call).
 */
export function renewAfterSec(lifetimeSec: number): number {
  const eightyPercent = lifetimeSec * 0.8;
  const minuteBefore = lifetimeSec - 60;
  return minuteBefore >= lifetimeSec * 0.5 ? Math.min(eightyPercent, minuteBefore) : eightyPercent;
}

export async function requestAccessToken(
  http: HttpClientLike,
  url: string,
  clientId: Secret,
  clientSecret: Secret,
  signal?: AbortSignal,
): Promise<AccessToken> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId.reveal(),
    client_secret: clientSecret.reveal(),
  }).toString();
  const response = await http.request({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
    signal,
    endpoint: TOKEN_ENDPOINT,
  });
  if (response.status === 400 || response.status === 401) {
    throw authFailedError('oauth2_client_credentials', TOKEN_ENDPOINT, response);
  }
  if (response.status !== 200) throw httpStatusError(TOKEN_ENDPOINT, response);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    throw malformedAuthResponse(TOKEN_ENDPOINT, 'the body is not JSON');
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const token = record['access_token'];
  if (typeof token !== 'string' || token === '') throw malformedAuthResponse(TOKEN_ENDPOINT, 'no access_token');
  registerSecretValue(token);
  const expiresIn = Number(record['expires_in']);
  const lifetimeSec = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_TOKEN_LIFETIME_SEC;
  return { value: new Secret(token), lifetimeSec };
}
