/** BeyondTrust sessions: PS-Auth / OAuth2 sign-in, cookie, re-sign-in, sign-out; settings → credentials. */
export { psAuthHeader } from './ps-auth-header.js';
export { createBeyondTrustSessionAuth } from './session-auth.js';
export type {
  BeyondTrustCredentials,
  BeyondTrustSessionAuth,
  BeyondTrustSessionAuthOptions,
  SessionStats,
  SignedInUser,
} from './session-auth.js';
export { checkSignIn } from './check-sign-in.js';
export type { SignInCheck } from './check-sign-in.js';
export { baseUrlFromSettings, credentialsFromSettings, httpOptionsFromSettings } from './from-settings.js';
