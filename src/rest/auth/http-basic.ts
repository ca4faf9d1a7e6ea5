/** `Authorization: Basic base64(username:password)`. */
import type { Secret } from '../../config/secret.js';
import { registerSecretValue } from '../../config/secret.js';
import type { HttpRequest } from '../../http/types.js';
import type { AuthStrategy } from '../types.js';

export class HttpBasicAuth implements AuthStrategy {
  readonly kind = 'http_basic';
  readonly #username: Secret;
  readonly #password: Secret;

  constructor(username: Secret, password: Secret) {
    this.#username = username;
    this.#password = password;
  }

  async apply(request: HttpRequest): Promise<void> {
    const encoded = Buffer.from(`${this.#username.reveal()}:${this.#password.reveal()}`).toString('base64');
    registerSecretValue(encoded);
    request.headers = { ...request.headers, authorization: `Basic ${encoded}` };
  }
}
