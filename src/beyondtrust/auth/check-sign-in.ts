/** One sign-in + sign-out round trip with the configured credentials (MCP tool check_credentials, live mode). */
import type { AuthMode, BeyondTrustSettings } from '../../config/types.js';
import { toBtError } from '../../errors.js';
import { createHttpClient } from '../../http/client.js';
import type { HttpClientLike } from '../../http/types.js';
import { baseUrlFromSettings, credentialsFromSettings, httpOptionsFromSettings } from './from-settings.js';
import { createBeyondTrustSessionAuth } from './session-auth.js';
import type { BeyondTrustSessionAuth } from './session-auth.js';

export type SignInCheck =
  | { ok: true; user_name: string; latency_ms: number; auth_mode: AuthMode }
  | { ok: false; code: string; reason: string; hint?: string; latency_ms: number; auth_mode: AuthMode };

/** A check should answer quickly: at most this many attempts and this much backoff. */
const CHECK_MAX_ATTEMPTS = 2;
const CHECK_MAX_TOTAL_WAIT_MS = 5_000;

export async function checkSignIn(
  settings: BeyondTrustSettings,
  options: { signal?: AbortSignal; http?: HttpClientLike } = {},
): Promise<SignInCheck> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let authMode: AuthMode = 'none';
  let http: HttpClientLike | undefined = options.http;
  let ownsHttp = false;
  let auth: BeyondTrustSessionAuth | undefined;
  try {
    const credentials = credentialsFromSettings(settings);
    authMode = credentials.kind;
    const baseUrl = baseUrlFromSettings(settings);
    if (!http) {
      const httpOptions = httpOptionsFromSettings(settings);
      http = createHttpClient({
        ...httpOptions,
        retry: {
          maxAttempts: Math.min(CHECK_MAX_ATTEMPTS, httpOptions.retry?.maxAttempts ?? CHECK_MAX_ATTEMPTS),
          maxTotalWaitMs: CHECK_MAX_TOTAL_WAIT_MS,
        },
      });
      ownsHttp = true;
    }
    auth = createBeyondTrustSessionAuth({ baseUrl, credentials });
    const user = await auth.signIn(http, options.signal);
    const latency = elapsed();
    return { ok: true, user_name: user.UserName ?? user.Name ?? '', latency_ms: latency, auth_mode: authMode };
  } catch (error) {
    const failure = toBtError(error, 'SIGN_IN_FAILED');
    return {
      ok: false,
      code: failure.code,
      reason: failure.message,
      ...(failure.hint ? { hint: failure.hint } : {}),
      latency_ms: elapsed(),
      auth_mode: authMode,
    };
  } finally {
    if (auth && http) await auth.close(http);
    if (ownsHttp) await http?.close();
  }
}
