/**
 * Fault injection. Every decision is a function of (seed, request counter), never Math.random, so a run with the
 * same seed and the same request sequence sees the same faults.
 */
import { BtError } from '../errors.js';
import { Tag, unitHash } from './random.js';
import type { DriftConfig, FaultConfig, RateFaultKind } from './types.js';

const RATE_KINDS: readonly RateFaultKind[] = ['500', '502', '503', '429', 'reset'];

const SPEC_HINT =
  'Use a comma list of kind:value, e.g. "500:0.05,502:0.01,503:0.01,429:0.02,reset:0.01,latency:20,expire:250,malformed:100,drift:500,drift-type:800,retry-after:0".';

function specError(message: string): BtError {
  return new BtError('SIMULATOR_FAULT_SPEC', message, { hint: SPEC_HINT });
}

function parseNumber(kind: string, text: string, options: { min: number; max?: number; integer?: boolean }): number {
  const value = Number(text);
  const tooHigh = options.max !== undefined && value > options.max;
  if (text.trim() === '' || !Number.isFinite(value) || value < options.min || tooHigh || (options.integer && !Number.isInteger(value))) {
    const range = options.max !== undefined ? `${options.min}..${options.max}` : `>= ${options.min}`;
    throw specError(`Fault "${kind}" needs ${options.integer ? 'an integer' : 'a number'} ${range}, got "${text}".`);
  }
  return value;
}

/** Parses "500:0.05,502:0.01,503:0.01,429:0.02,reset:0.01,latency:20,expire:250,malformed:100,drift:500,drift-type:800". */
export function parseFaultSpec(spec: string): FaultConfig {
  const config: FaultConfig = {};
  const drifts: DriftConfig[] = [];
  for (const part of spec.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    if (colon === -1) throw specError(`Fault "${item}" has no value (expected kind:value).`);
    const kind = item.slice(0, colon).trim().toLowerCase();
    const value = item.slice(colon + 1).trim();
    if ((RATE_KINDS as readonly string[]).includes(kind)) {
      config.rates = { ...config.rates, [kind]: parseNumber(kind, value, { min: 0, max: 1 }) };
    } else if (kind === 'latency') {
      config.latencyMs = parseNumber(kind, value, { min: 0 });
    } else if (kind === 'expire') {
      config.expireEvery = parseNumber(kind, value, { min: 1, integer: true });
    } else if (kind === 'malformed') {
      config.malformedEvery = parseNumber(kind, value, { min: 1, integer: true });
    } else if (kind === 'drift' || kind === 'drift-type') {
      drifts.push({ afterRequests: parseNumber(kind, value, { min: 0, integer: true }), kind: kind === 'drift' ? 'new_field' : 'type_change' });
    } else if (kind === 'retry-after') {
      config.retryAfterSeconds = parseNumber(kind, value, { min: 0, integer: true });
    } else {
      throw specError(`Unknown fault kind "${kind}".`);
    }
  }
  const [first, ...rest] = drifts;
  if (first) config.drift = first;
  if (rest.length > 0) config.drifts = rest;
  return config;
}

function validate(config: FaultConfig): FaultConfig {
  for (const [kind, rate] of Object.entries(config.rates ?? {})) {
    if (!RATE_KINDS.includes(kind as RateFaultKind)) throw specError(`Unknown rate fault "${kind}".`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw specError(`Rate of "${kind}" must be within 0..1, got ${rate}.`);
  }
  const total = RATE_KINDS.reduce((sum, kind) => sum + (config.rates?.[kind] ?? 0), 0);
  if (total > 1) throw specError(`The fault rates add up to ${total}, more than 1.`);
  return config;
}

/** The active fault configuration plus the counters that run since it was set. */
export class FaultState {
  #config: FaultConfig = {};
  /** Data requests since the configuration was set (drift, expire). */
  #requestsSinceSet = 0;
  /** Successful data pages since the configuration was set (malformed). */
  #pagesSinceSet = 0;

  constructor(private readonly seed: number) {}

  set(faults: string | FaultConfig | undefined): void {
    this.#config = validate(typeof faults === 'string' ? parseFaultSpec(faults) : { ...(faults ?? {}) });
    this.#requestsSinceSet = 0;
    this.#pagesSinceSet = 0;
  }

  get latencyMs(): number {
    return this.#config.latencyMs ?? 0;
  }

  get retryAfterSeconds(): number {
    return this.#config.retryAfterSeconds ?? 1;
  }

  /** Counts one data request; returns its 1-based number since the configuration was set. */
  countRequest(): number {
    return ++this.#requestsSinceSet;
  }

  /** The rate fault (if any) for global data request number `requestNumber`. */
  rateFault(requestNumber: number): RateFaultKind | undefined {
    const rates = this.#config.rates;
    if (!rates) return undefined;
    const roll = unitHash(this.seed, Tag.fault, requestNumber);
    let upTo = 0;
    for (const kind of RATE_KINDS) {
      upTo += rates[kind] ?? 0;
      if (roll < upTo) return kind;
    }
    return undefined;
  }

  /** Whether the session must be treated as expired at request `sinceSet` (every Nth). */
  expiresAt(sinceSet: number): boolean {
    const every = this.#config.expireEvery;
    return every !== undefined && sinceSet % every === 0;
  }

  /** Counts one successful page; true when this page must be sent truncated. */
  nextPageIsMalformed(): boolean {
    const every = this.#config.malformedEvery;
    if (every === undefined) return false;
    return ++this.#pagesSinceSet % every === 0;
  }

  /** Drifts in effect after `sinceSet` data requests. */
  activeDrifts(sinceSet: number): { newField: boolean; typeChange: boolean } {
    const all = [...(this.#config.drift ? [this.#config.drift] : []), ...(this.#config.drifts ?? [])];
    const active = all.filter((drift) => sinceSet > drift.afterRequests);
    return { newField: active.some((d) => d.kind === 'new_field'), typeChange: active.some((d) => d.kind === 'type_change') };
  }
}
