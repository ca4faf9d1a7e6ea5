import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isRetryableStatus,
  mayRetry,
  parseRetryAfter,
  resolveRetrySettings,
} from '../../src/http/retry-policy.js';

const settings = resolveRetrySettings({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 1500 });

describe('retry policy', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 204, 400, 401, 403, 404, 409, 410, 422].some(isRetryableStatus)).toBe(false);
  });

  it('grows the backoff ceiling exponentially with full jitter, capped at maxDelayMs', () => {
    const one = (): number => 1;
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, settings, one))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, settings, () => 0.5)).toBe(200);
    expect(backoffDelay(3, settings, () => 0)).toBe(0);
  });

  it('lets Retry-After replace the backoff as asked (not cut to maxDelayMs); the total budget decides', () => {
    expect(backoffDelay(1, settings, () => 1, 0)).toBe(0);
    expect(backoffDelay(1, settings, () => 1, 700)).toBe(700);
    expect(backoffDelay(1, settings, () => 1, 1400)).toBe(1400);
    expect(mayRetry(1, 1400, 0, settings)).toBe(true);
    expect(backoffDelay(1, settings, () => 1, 60_000)).toBe(60_000);
    expect(mayRetry(1, 60_000, 0, settings)).toBe(false);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(['3'], now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('caps attempts and total waiting', () => {
    expect(mayRetry(4, 10, 0, settings)).toBe(true);
    expect(mayRetry(5, 10, 0, settings)).toBe(false);
    expect(mayRetry(1, 500, 1000, settings)).toBe(true);
    expect(mayRetry(1, 501, 1000, settings)).toBe(false);
  });

  it('fills defaults 5 / 500 / 30000 / 120000', () => {
    expect(resolveRetrySettings()).toEqual({ maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalWaitMs: 120_000 });
    expect(resolveRetrySettings({ maxAttempts: 0 }).maxAttempts).toBe(1);
  });
});
