/** An API key in a header (default `Authorization`) or a query parameter. */
import type { Secret } from '../../config/secret.js';
import type { HttpRequest } from '../../http/types.js';
import type { AuthStrategy } from '../types.js';

export class ApiKeyAuth implements AuthStrategy {
  readonly kind = 'api_key';
  readonly #name: string;
  readonly #key: Secret;
  readonly #location: 'header' | 'query';

  constructor(options: { name?: string; api_key: Secret; location?: 'header' | 'query' }) {
    this.#name = options.name ?? 'Authorization';
    this.#key = options.api_key;
    this.#location = options.location ?? 'header';
  }

  async apply(request: HttpRequest): Promise<void> {
    if (this.#location === 'header') {
      request.headers = { ...request.headers, [this.#name.toLowerCase()]: this.#key.reveal() };
      return;
    }
    const url = new URL(request.url);
    url.searchParams.set(this.#name, this.#key.reveal());
    request.url = url.toString();
  }
}
