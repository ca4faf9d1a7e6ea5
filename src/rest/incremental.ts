/**
 * Incremental cursor tracking for one resource across all its pages (and parents). The start value comes from
 * state (else initial_value); rows are ALWAYS filtered client-side (cursor >= start); rows at the boundary that
 * were already loaded last time (their key hashes are kept in state, like dlt's unique_hashes) are dropped; the
 * new maximum goes to state when the resource finishes.
 */
import { createHash } from 'node:crypto';
import { getPath } from './json-path.js';
import { compareCursor, formatIsoSecondsZ } from './cursor-value.js';
import type { IncrementalSpec, ResourceState } from './types.js';

/** The persisted incremental state; `unique_hashes` is our additive extension (boundary-row de-duplication). */
export interface IncrementalState {
  cursor_path: string;
  initial_value?: unknown;
  last_value?: unknown;
  unique_hashes?: string[];
}

const MAX_BOUNDARY_HASHES = 10_000;

export class IncrementalTracker {
  readonly spec: IncrementalSpec;
  readonly startValue: unknown;
  readonly #previousHashes: Set<string>;
  readonly #primaryKey: string[];
  #maxValue: unknown;
  #boundaryHashes = new Set<string>();
  /** Rows whose cursor field was missing (kept, reported once). */
  missingCursor = 0;
  filteredOut = 0;

  /** The run's start time (ms): the upper end sent in `end_param`. */
  readonly endMs: number | undefined;

  constructor(spec: IncrementalSpec, state: ResourceState | undefined, primaryKey: string[], options: { runStartedAtMs?: number } = {}) {
    this.spec = spec;
    this.endMs = options.runStartedAtMs;
    this.#primaryKey = primaryKey;
    const stored = state?.incremental as IncrementalState | undefined;
    const usable = stored && stored.cursor_path === spec.cursor_path && stored.last_value !== undefined && stored.last_value !== null;
    this.startValue = usable ? stored.last_value : spec.initial_value;
    this.#previousHashes = new Set(usable && Array.isArray(stored.unique_hashes) ? stored.unique_hashes : []);
    this.#maxValue = this.startValue;
    if (this.startValue !== undefined) {
      for (const hash of this.#previousHashes) this.#boundaryHashes.add(hash);
    }
  }

  /** The value sent in the API filter parameter, formatted as the spec says. */
  paramValue(): string | undefined {
    if (this.startValue === undefined || this.startValue === null) return undefined;
    return this.spec.param_format === 'raw' ? String(this.startValue) : formatIsoSecondsZ(this.startValue);
  }

  /**
   * The value sent in `end_param`: the run's start, floored to the second like the start value. The window is closed
   * at both ends, so rows created during the run stay out; their cursor is after the new last_value, so the next run
   * picks them up.
   */
  endParamValue(): string | undefined {
    if (this.spec.end_param === undefined || this.endMs === undefined) return undefined;
    return this.spec.param_format === 'raw' ? new Date(this.endMs).toISOString() : formatIsoSecondsZ(this.endMs);
  }

  #hash(record: Record<string, unknown>): string {
    const key = this.#primaryKey.length > 0 ? this.#primaryKey.map((k) => getPath(record, k)) : record;
    return createHash('sha256').update(JSON.stringify(key)).digest('base64url').slice(0, 22);
  }

  /** Keeps rows at or after the start value, minus already-loaded boundary rows; tracks the new maximum. */
  filter(records: Record<string, unknown>[]): Record<string, unknown>[] {
    const kept: Record<string, unknown>[] = [];
    for (const record of records) {
      const value = getPath(record, this.spec.cursor_path);
      if (value === undefined || value === null) {
        this.missingCursor += 1;
        kept.push(record);
        continue;
      }
      if (this.startValue !== undefined && this.startValue !== null) {
        const vsStart = compareCursor(value, this.startValue);
        if (vsStart < 0 || (vsStart === 0 && this.#previousHashes.has(this.#hash(record)))) {
          this.filteredOut += 1;
          continue;
        }
      }
      kept.push(record);
      const vsMax = this.#maxValue === undefined || this.#maxValue === null ? 1 : compareCursor(value, this.#maxValue);
      if (vsMax > 0) {
        this.#maxValue = value;
        this.#boundaryHashes = new Set([this.#hash(record)]);
      } else if (vsMax === 0 && this.#boundaryHashes.size < MAX_BOUNDARY_HASHES) {
        this.#boundaryHashes.add(this.#hash(record));
      }
    }
    return kept;
  }

  state(): IncrementalState {
    return {
      cursor_path: this.spec.cursor_path,
      ...(this.spec.initial_value !== undefined ? { initial_value: this.spec.initial_value } : {}),
      ...(this.#maxValue !== undefined ? { last_value: this.#maxValue } : {}),
      ...(this.#boundaryHashes.size > 0 ? { unique_hashes: [...this.#boundaryHashes] } : {}),
    };
  }
}
