/** `Authorization: Bearer <token>`. */
import type { Secret } from '../../config/secret.js';
import type { HttpRequest } from '../../http/types.js';
import type { AuthStrategy } from '../types.js';

export class BearerTokenAuth implements AuthStrategy {
  readonly kind = 'bearer';
  readonly #token: Secret;

  constructor(token: Secret) {
    this.#token = token;
  }

  async apply(request: HttpRequest): Promise<void> {
    request.headers = { ...request.headers, authorization: `Bearer ${this.#token.reveal()}` };
  }
}
