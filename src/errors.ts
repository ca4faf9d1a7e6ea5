/**
 * The one error type every stage throws. `code` is stable (tests, agents and skills match on it),
 * `message` is for people, `hint` tells an agent what to change. None of them may carry a secret:
 * messages pass through `redactSecrets` when they are created.
 */
import { redactSecrets } from './config/secret.js';

export interface BtErrorDetails {
  /** Redacted endpoint label, e.g. "GET ManagedAccounts" or "GET Credentials/<id>". */
  endpoint?: string;
  /** HTTP status when the error came from an HTTP response. */
  status?: number;
  /** Pipeline step in which the error happened. */
  step?: 'config' | 'extract' | 'normalize' | 'load' | 'query' | 'scaffold' | 'init';
  /** Anything else that is safe to show (never a secret). */
  [key: string]: unknown;
}

export class BtError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: BtErrorDetails;

  constructor(code: string, message: string, options: { hint?: string; details?: BtErrorDetails; cause?: unknown } = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BtError';
    this.code = code;
    this.hint = options.hint === undefined ? undefined : redactSecrets(options.hint);
    this.details = options.details ?? {};
  }

  /** `CODE: message (hint: …)` — the form shown to people and agents. */
  describe(): string {
    return `${this.code}: ${this.message}${this.hint ? ` Hint: ${this.hint}` : ''}`;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, ...this.details };
  }
}

export function isBtError(error: unknown): error is BtError {
  return error instanceof BtError;
}

/** Wraps anything thrown into a BtError without leaking secrets from foreign messages. */
export function toBtError(error: unknown, fallbackCode = 'INTERNAL', details: BtErrorDetails = {}): BtError {
  if (error instanceof BtError) return error;
  if (isAbortError(error)) return new BtError('CANCELLED', 'The operation was cancelled.', { details, cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new BtError(fallbackCode, message, { details, cause: error });
}

export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR' || error.name === 'TimeoutError')
  );
}
