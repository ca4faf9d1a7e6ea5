/** Builds the AuthStrategy of one extract run from the config's `client.auth`. */
import type { AuthInput } from '../config/types.js';
import type { AuthStrategy } from '../types.js';
import { ApiKeyAuth } from './api-key.js';
import { BearerTokenAuth } from './bearer.js';
import { HttpBasicAuth } from './http-basic.js';
import { OAuth2ClientCredentialsAuth } from './oauth2-client-credentials.js';

export { ApiKeyAuth, BearerTokenAuth, HttpBasicAuth, OAuth2ClientCredentialsAuth };

export function createAuth(input: AuthInput | undefined): AuthStrategy | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'function') return input();
  if (!('type' in input) || typeof (input as { apply?: unknown }).apply === 'function') return input as AuthStrategy;
  switch (input.type) {
    case 'bearer':
      return new BearerTokenAuth(input.token);
    case 'api_key':
      return new ApiKeyAuth(input);
    case 'http_basic':
      return new HttpBasicAuth(input.username, input.password);
    case 'oauth2_client_credentials':
      return new OAuth2ClientCredentialsAuth(input);
  }
}
