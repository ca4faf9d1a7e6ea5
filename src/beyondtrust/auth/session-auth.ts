/**
 * The BeyondTrust session as an AuthStrategy: PS-Auth header or OAuth2 client-credentials token → `POST Auth/SignAppin`
 * → session cookie sent on every call (PS-Auth header re-sent too), one session per run, single-flight sign-in,
 * one re-sign-in per stale session on 401, proactive token renewal, and `POST Auth/Signout` exactly once at the end.
 *
 * In-flight requests: the strategy has no "request finished" hook, so it cannot see requests in flight. The Source
 * contract makes the caller wait for them to settle before calling `close()` (sign-out is user-wide on the server).
 * Re-sign-in never signs the old session out, for the same reason.
 *
 * OAuth: every token renewal is followed by a new SignAppin, so each renewal opens a NEW server session (the old one
 * is left to expire, never signed out — see above). A long run therefore holds about one session per token lifetime.
 *
 * `close()` is final: afterwards `apply`, `signIn` and `onUnauthorized` fail with SESSION_CLOSED instead of quietly
 * signing in again (a session nobody would sign out). Each run creates its own strategy.
 */
import { Secret } from '../../config/secret.js';
import { BtError } from '../../errors.js';
import { httpStatusError } from '../../http/errors.js';
import { endpointLabel } from '../../http/redact-url.js';
import { requestOf } from '../../http/request-of-response.js';
import type { HttpClientLike, HttpRequest, HttpResponse } from '../../http/types.js';
import { silentLogger } from '../../log.js';
import type { Logger } from '../../log.js';
import type { AuthStrategy } from '../../rest/types.js';
import { authFailedError, malformedAuthResponse } from './auth-errors.js';
import { renewAfterSec, requestAccessToken } from './oauth-token.js';
import { psAuthHeader } from './ps-auth-header.js';
import { sessionCookieHeader } from './session-cookies.js';

export type BeyondTrustCredentials =
  | { kind: 'ps_auth'; apiKey: Secret; runas: Secret; password?: Secret }
  | { kind: 'oauth2_client_credentials'; clientId: Secret; clientSecret: Secret };

export interface SignedInUser {
  UserId?: number;
  UserName?: string;
  Name?: string;
  EmailAddress?: string;
}

export interface SessionStats {
  /** Successful SignAppin calls. */
  signIns: number;
  /** Signout calls sent. */
  signOuts: number;
  /** Successful token requests (OAuth only). */
  tokenRequests: number;
  /** Re-sign-ins caused by a 401 on a data call. */
  reauths: number;
}

export interface BeyondTrustSessionAuth extends AuthStrategy {
  readonly signedIn: boolean;
  readonly user: SignedInUser | undefined;
  readonly stats: SessionStats;
  /**
   * Signs in (or joins the sign-in already running; returns the current user when the session is live).
   * Rejects with BT_AUTH_FAILED on bad credentials, CANCELLED when `signal` aborts.
   */
  signIn(http: HttpClientLike, signal?: AbortSignal): Promise<SignedInUser>;
  onUnauthorized(response: HttpResponse, http: HttpClientLike): Promise<boolean>;
  /** Signs out once if signed in (never retried); failures are logged, not thrown. Final: later calls get SESSION_CLOSED. */
  close(http: HttpClientLike): Promise<void>;
}

export interface BeyondTrustSessionAuthOptions {
  baseUrl: string;
  credentials: BeyondTrustCredentials;
  logger?: Logger;
  /** Called with the redacted endpoint label of the data call whose 401 caused a re-sign-in. */
  onReauth?: (endpoint: string) => void;
  /** Clock for token renewal (ms); tests pass a controllable one. Default Date.now. */
  now?: () => number;
}

export const SIGN_IN_ENDPOINT = 'POST Auth/SignAppin';
export const SIGN_OUT_ENDPOINT = 'POST Auth/Signout';

function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}

/** Picks the documented user fields from the untrusted SignAppin body. */
function parseUser(text: string): SignedInUser {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformedAuthResponse(SIGN_IN_ENDPOINT, 'the body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformedAuthResponse(SIGN_IN_ENDPOINT, 'the body is not a user object');
  }
  const record = parsed as Record<string, unknown>;
  const user: SignedInUser = {};
  if (typeof record['UserId'] === 'number') user.UserId = record['UserId'];
  if (typeof record['UserName'] === 'string') user.UserName = record['UserName'];
  if (typeof record['Name'] === 'string') user.Name = record['Name'];
  if (typeof record['EmailAddress'] === 'string') user.EmailAddress = record['EmailAddress'];
  return user;
}

/** Resolves with `promise`, or rejects with CANCELLED as soon as `signal` aborts (the shared work goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, endpoint: string): Promise<T> {
  if (!signal) return promise;
  const cancelled = (): BtError =>
    new BtError('CANCELLED', `${endpoint} was cancelled.`, { details: { endpoint }, cause: signal.reason });
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function sessionClosedError(endpoint: string): BtError {
  return new BtError('SESSION_CLOSED', `${endpoint} was not sent: this BeyondTrust session was already closed (signed out).`, {
    hint: 'A session strategy serves one run and is closed at its end; create a new one (a new extract run) for further calls.',
    details: { endpoint },
  });
}

class BeyondTrustSession implements BeyondTrustSessionAuth {
  readonly kind = 'beyondtrust_session';
  readonly stats: SessionStats = { signIns: 0, signOuts: 0, tokenRequests: 0, reauths: 0 };

  readonly #baseUrl: string;
  readonly #credentials: BeyondTrustCredentials;
  readonly #logger: Logger;
  readonly #onReauth: ((endpoint: string) => void) | undefined;
  readonly #now: () => number;

  #signedIn = false;
  #user: SignedInUser | undefined;
  #cookie: Secret | undefined;
  #token: Secret | undefined;
  /** Clock time (ms) after which the token and the session are renewed. */
  #renewAt = Number.POSITIVE_INFINITY;
  /** Incremented by every successful sign-in: tells requests sent with an older session apart. */
  #generation = 0;
  #pendingSignIn: Promise<SignedInUser> | undefined;
  #pendingController: AbortController | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;
  readonly #sentWithGeneration = new WeakMap<HttpRequest, number>();

  constructor(options: BeyondTrustSessionAuthOptions) {
    this.#baseUrl = options.baseUrl;
    this.#credentials = options.credentials;
    this.#logger = options.logger ?? silentLogger;
    this.#onReauth = options.onReauth;
    this.#now = options.now ?? Date.now;
  }

  get signedIn(): boolean {
    return this.#signedIn;
  }

  get user(): SignedInUser | undefined {
    return this.#user;
  }

  async apply(request: HttpRequest, http: HttpClientLike): Promise<void> {
    if (this.#closed) throw sessionClosedError(request.endpoint ?? endpointLabel(request.method, request.url, this.#baseUrl));
    if (!this.#signedIn || this.#tokenDue()) await this.signIn(http, request.signal);
    request.headers = { ...request.headers, ...this.#sessionHeaders() };
    this.#sentWithGeneration.set(request, this.#generation);
  }

  /**
   * Always true (or throws when signing in again fails): the caller retries the request once and fails on a second
   * 401 — limiting retries per request is the caller's job, since the same request object may be sent again later.
   */
  async onUnauthorized(response: HttpResponse, http: HttpClientLike): Promise<boolean> {
    const request = requestOf(response);
    if (this.#closed) throw sessionClosedError(request?.endpoint ?? endpointLabel(request?.method ?? 'GET', response.url, this.#baseUrl));
    if (this.#pendingSignIn) {
      await untilAborted(this.#pendingSignIn, request?.signal, SIGN_IN_ENDPOINT);
      return true;
    }
    const sentWith = request ? this.#sentWithGeneration.get(request) : undefined;
    if (sentWith !== undefined && sentWith < this.#generation && this.#signedIn) return true;

    const endpoint = request?.endpoint ?? endpointLabel(request?.method ?? 'GET', response.url, this.#baseUrl);
    this.stats.reauths++;
    this.#logger.info(`Session no longer accepted (${endpoint} returned 401); signing in again`);
    this.#dropSession();
    try {
      this.#onReauth?.(endpoint);
    } catch (error) {
      this.#logger.warn('onReauth listener failed', { error: error instanceof Error ? error.message : String(error) });
    }
    await this.signIn(http, request?.signal);
    return true;
  }

  signIn(http: HttpClientLike, signal?: AbortSignal): Promise<SignedInUser> {
    if (this.#closed) return Promise.reject(sessionClosedError(SIGN_IN_ENDPOINT));
    if (!this.#pendingSignIn && this.#signedIn && this.#user && !this.#tokenDue()) return Promise.resolve(this.#user);
    if (!this.#pendingSignIn) {
      const controller = new AbortController();
      const pending = this.#performSignIn(http, controller.signal).finally(() => {
        if (this.#pendingSignIn === pending) {
          this.#pendingSignIn = undefined;
          this.#pendingController = undefined;
        }
      });
      // Callers may all have given up (aborted); the shared promise must not become an unhandled rejection.
      pending.catch(() => undefined);
      this.#pendingSignIn = pending;
      this.#pendingController = controller;
    }
    return untilAborted(this.#pendingSignIn, signal, SIGN_IN_ENDPOINT);
  }

  close(http: HttpClientLike): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#close(http);
    return this.#closing;
  }

  async #close(http: HttpClientLike): Promise<void> {
    const pending = this.#pendingSignIn;
    if (pending) {
      // A run that fails or is aborted mid-sign-in: stop it, then sign out if it still got a session.
      this.#pendingController?.abort();
      await pending.catch(() => undefined);
    }
    if (!this.#signedIn) return;
    const headers = this.#sessionHeaders();
    this.#dropSession();
    this.#token = undefined;
    this.#renewAt = Number.POSITIVE_INFINITY;
    this.stats.signOuts++;
    try {
      const response = await http.request({
        method: 'POST',
        url: joinUrl(this.#baseUrl, 'Auth/Signout'),
        headers: { ...headers, 'content-type': 'application/json' },
        body: '',
        retry: false,
        endpoint: SIGN_OUT_ENDPOINT,
      });
      if (response.status >= 300) {
        this.#logger.warn(`${SIGN_OUT_ENDPOINT} returned HTTP ${response.status}; the session will expire on its own`);
      } else {
        this.#logger.debug('Signed out of BeyondTrust');
      }
    } catch (error) {
      const reason = error instanceof BtError ? error.describe() : 'unexpected error';
      this.#logger.warn(`${SIGN_OUT_ENDPOINT} failed; the session will expire on its own: ${reason}`);
    }
  }

  #tokenDue(): boolean {
    return this.#credentials.kind === 'oauth2_client_credentials' && this.#now() >= this.#renewAt;
  }

  #dropSession(): void {
    this.#signedIn = false;
    this.#cookie = undefined;
  }

  #authorizationHeader(): string | undefined {
    const credentials = this.#credentials;
    if (credentials.kind === 'ps_auth') return psAuthHeader(credentials.apiKey, credentials.runas, credentials.password);
    return this.#token ? `Bearer ${this.#token.reveal()}` : undefined;
  }

  /** Headers of every call in the session: the credentials (PS-Auth or bearer) and the session cookie. */
  #sessionHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    const authorization = this.#authorizationHeader();
    if (authorization) headers['authorization'] = authorization;
    if (this.#cookie) headers['cookie'] = this.#cookie.reveal();
    return headers;
  }

  async #performSignIn(http: HttpClientLike, signal: AbortSignal): Promise<SignedInUser> {
    this.#dropSession();
    const credentials = this.#credentials;
    if (credentials.kind === 'oauth2_client_credentials' && (!this.#token || this.#tokenDue())) {
      const issuedAt = this.#now();
      const token = await requestAccessToken(
        http,
        joinUrl(this.#baseUrl, 'Auth/connect/token'),
        credentials.clientId,
        credentials.clientSecret,
        signal,
      );
      this.stats.tokenRequests++;
      this.#token = token.value;
      this.#renewAt = issuedAt + renewAfterSec(token.lifetimeSec) * 1000;
    }
    const response = await http.request({
      method: 'POST',
      url: joinUrl(this.#baseUrl, 'Auth/SignAppin'),
      headers: { authorization: this.#authorizationHeader() ?? '', 'content-type': 'application/json' },
      body: '',
      signal,
      endpoint: SIGN_IN_ENDPOINT,
    });
    if (response.status === 401) {
      // A rejected bearer token is not worth reusing.
      this.#token = undefined;
      throw authFailedError(credentials.kind, SIGN_IN_ENDPOINT, response);
    }
    if (response.status !== 200) throw httpStatusError(SIGN_IN_ENDPOINT, response);
    const user = parseUser(response.text);
    const setCookies = response.headers['set-cookie'];
    const cookie = sessionCookieHeader(Array.isArray(setCookies) ? setCookies : setCookies ? [setCookies] : []);
    if (!cookie) {
      this.#logger.warn(`${SIGN_IN_ENDPOINT} set no session cookie; later calls rely on the credentials header alone`);
    }
    this.#cookie = cookie;
    this.#user = user;
    this.#signedIn = true;
    this.#generation++;
    this.stats.signIns++;
    this.#logger.debug('Signed in to BeyondTrust', { auth_mode: credentials.kind });
    return user;
  }
}

export function createBeyondTrustSessionAuth(options: BeyondTrustSessionAuthOptions): BeyondTrustSessionAuth {
  return new BeyondTrustSession(options);
}
