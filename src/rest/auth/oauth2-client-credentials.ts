/**
 * OAuth2 client credentials (dlt `OAuth2ClientCredentials`): POSTs the form grant to `access_token_url`, sends
 * `Authorization: Bearer <token>`, refreshes before expiry (single-flight) and — unlike dlt — also once on a 401.
 */
import { Secret } from '../../config/secret.js';
import { BtError } from '../../errors.js';
import { httpStatusError } from '../../http/errors.js';
import type { HttpClientLike, HttpRequest, HttpResponse } from '../../http/types.js';
import type { AuthStrategy } from '../types.js';

export interface OAuth2ClientCredentialsOptions {
  access_token_url: string;
  client_id: Secret;
  client_secret: Secret;
  access_token_request_data?: Record<string, string>;
  /** Seconds a token lives when the response has no `expires_in` (default 3600). */
  default_token_expiration?: number;
  now?: () => number;
}

/** Refresh this long before the token expires. */
const EXPIRY_MARGIN_MS = 30_000;

export class OAuth2ClientCredentialsAuth implements AuthStrategy {
  readonly kind = 'oauth2_client_credentials';
  readonly #o: OAuth2ClientCredentialsOptions;
  #token: Secret | undefined;
  #expiresAt = 0;
  #pending: Promise<Secret> | undefined;
  tokenRequests = 0;

  constructor(options: OAuth2ClientCredentialsOptions) {
    this.#o = options;
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  async #fetchToken(http: HttpClientLike): Promise<Secret> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#o.client_id.reveal(),
      client_secret: this.#o.client_secret.reveal(),
      ...this.#o.access_token_request_data,
    });
    this.tokenRequests += 1;
    const endpoint = `POST ${new URL(this.#o.access_token_url).pathname}`;
    const response = await http.request({
      method: 'POST',
      url: this.#o.access_token_url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      endpoint,
    });
    if (response.status < 200 || response.status >= 300) throw httpStatusError(endpoint, response);
    let token: unknown;
    let expiresIn: unknown;
    try {
      const parsed = JSON.parse(response.text) as { access_token?: unknown; expires_in?: unknown };
      token = parsed.access_token;
      expiresIn = parsed.expires_in;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') {
      throw new BtError('AUTH_TOKEN_INVALID', `${endpoint} did not return an access_token.`, {
        hint: 'Check access_token_url: it must be the OAuth2 token endpoint answering JSON with access_token.',
        details: { endpoint, status: response.status },
      });
    }
    const secret = new Secret(token);
    const lifetimeSec = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : (this.#o.default_token_expiration ?? 3600);
    this.#expiresAt = this.#now() + Math.max(lifetimeSec * 1000 - EXPIRY_MARGIN_MS, lifetimeSec * 500);
    this.#token = secret;
    return secret;
  }

  async #currentToken(http: HttpClientLike): Promise<Secret> {
    if (this.#token && this.#now() < this.#expiresAt) return this.#token;
    this.#pending ??= this.#fetchToken(http).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async apply(request: HttpRequest, http: HttpClientLike): Promise<void> {
    const token = await this.#currentToken(http);
    request.headers = { ...request.headers, authorization: `Bearer ${token.reveal()}` };
  }

  async onUnauthorized(_response: HttpResponse, http: HttpClientLike): Promise<boolean> {
    this.#token = undefined;
    await this.#currentToken(http);
    return true;
  }
}
