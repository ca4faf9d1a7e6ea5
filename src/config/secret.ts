/**
 * A secret value that cannot be printed by accident: `String(secret)`, `JSON.stringify` and `util.inspect`
 * all give `**********`. Every Secret registers its value so `redactSecrets` can scrub it from any text
 * (logs, error messages, traces) as a last line of defence.
 */
import { inspect } from 'node:util';

export const REDACTED = '**********';

const knownSecretValues = new Set<string>();
/** Shortest value we scrub from free text; shorter ones would mangle ordinary words. */
const MIN_SCRUB_LENGTH = 4;

export function registerSecretValue(value: string): void {
  if (value.length >= MIN_SCRUB_LENGTH) knownSecretValues.add(value);
}

/** Replaces every known secret value (and its URL-encoded form) in `text` with `**********`. */
export function redactSecrets(text: string): string {
  if (knownSecretValues.size === 0 || text.length === 0) return text;
  let result = text;
  for (const value of knownSecretValues) {
    if (result.includes(value)) result = result.split(value).join(REDACTED);
    const encoded = encodeURIComponent(value);
    if (encoded !== value && result.includes(encoded)) result = result.split(encoded).join(REDACTED);
  }
  return result;
}

export interface SecretOptions {
  /**
   * Scrub this value from every log line, error and tool result (default true). Off for identifiers kept private
   * in config but legitimately present in API data, such as the run-as user name: scrubbing it would rewrite every
   * row of the users table.
   */
  scrubFromText?: boolean;
}

export class Secret {
  readonly #value: string;

  constructor(value: string, options: SecretOptions = {}) {
    this.#value = value;
    if (options.scrubFromText ?? true) registerSecretValue(value);
  }

  /** The only way to read the value. Call it at the last moment, where the value goes on the wire. */
  reveal(): string {
    return this.#value;
  }

  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}
