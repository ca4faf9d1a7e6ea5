/**
 * Pure retry decisions: which statuses are retried, how long to wait (exponential backoff with full jitter, or the
 * server's `Retry-After` as asked), and the caps on attempts and on total waiting.
 */

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalWaitMs: 120_000 };

export function resolveRetrySettings(options: Partial<RetrySettings> = {}): RetrySettings {
  const pick = (value: number | undefined, fallback: number, min: number): number =>
    value === undefined || !Number.isFinite(value) ? fallback : Math.max(min, value);
  return {
    maxAttempts: Math.floor(pick(options.maxAttempts, DEFAULT_RETRY.maxAttempts, 1)),
    baseDelayMs: pick(options.baseDelayMs, DEFAULT_RETRY.baseDelayMs, 0),
    maxDelayMs: pick(options.maxDelayMs, DEFAULT_RETRY.maxDelayMs, 0),
    maxTotalWaitMs: pick(options.maxTotalWaitMs, DEFAULT_RETRY.maxTotalWaitMs, 0),
  };
}

/** 408, 429 and every 5xx are transient; every other status is the caller's to judge. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * `Retry-After` in milliseconds: delta seconds or an HTTP date (relative to `now`). Undefined when absent or
 * unparseable; never negative.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Delay before the retry that follows failed attempt `attempt` (1-based): full jitter over an exponential ceiling,
 * `random() * min(maxDelay, base * 2^(attempt-1))`. A `Retry-After` replaces it as it is — never shortened to
 * `maxDelayMs` (retrying sooner than the server asked only earns another 429); `mayRetry` then checks it against
 * what is left of `maxTotalWaitMs`.
 */
export function backoffDelay(
  attempt: number,
  settings: RetrySettings,
  random: () => number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(r * ceiling);
}

/** Whether another attempt may follow attempt `attempt` after waiting `delayMs` (given what was waited so far). */
export function mayRetry(attempt: number, delayMs: number, waitedMs: number, settings: RetrySettings): boolean {
  return attempt < settings.maxAttempts && waitedMs + delayMs <= settings.maxTotalWaitMs;
}
