/**
 * Drops records of an append resource whose primary key was already emitted in the same run — what an offset-paged,
 * newest-first list (UserAudits) repeats when rows arrive mid-run and shift its pages. Memory is bounded: keys are
 * kept as numbers when the key is one integer (~20 bytes each, measured on Node 20: 500,000 keys ≈ 10 MB), else as
 * JSON strings (~50 bytes each); past the cap no new keys are remembered (the check goes on for those kept), and the
 * server-side window (`end_param`) remains the main protection.
 */
import { getPath } from './json-path.js';

/** ~20 MB of integer keys. */
export const MAX_NUMERIC_KEYS = 1_000_000;
/** ~20 MB of string keys. */
export const MAX_STRING_KEYS = 400_000;

export class RunKeyDedupe {
  readonly #primaryKey: readonly string[];
  readonly #keys = new Set<number | string>();
  #strings = 0;
  /** Records dropped as repeats. */
  dropped = 0;
  /** True once the cap was reached and later keys were no longer remembered. */
  saturated = false;

  constructor(primaryKey: readonly string[]) {
    this.#primaryKey = primaryKey;
  }

  #keyOf(record: Record<string, unknown>): number | string | undefined {
    if (this.#primaryKey.length === 1) {
      const value = getPath(record, this.#primaryKey[0] as string);
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (value === undefined || value === null) return undefined;
      return JSON.stringify([value]);
    }
    const values = this.#primaryKey.map((field) => getPath(record, field));
    if (values.some((value) => value === undefined || value === null)) return undefined;
    return JSON.stringify(values);
  }

  /** The records whose key was not seen before in this run (records without a complete key are kept). */
  filter(records: Record<string, unknown>[]): Record<string, unknown>[] {
    let kept: Record<string, unknown>[] | undefined;
    for (let i = 0; i < records.length; i += 1) {
      const record = records[i] as Record<string, unknown>;
      const key = this.#keyOf(record);
      const repeat = key !== undefined && this.#keys.has(key);
      if (repeat) {
        this.dropped += 1;
        kept ??= records.slice(0, i);
        continue;
      }
      if (key !== undefined) this.#remember(key);
      kept?.push(record);
    }
    return kept ?? records;
  }

  #remember(key: number | string): void {
    const isString = typeof key === 'string';
    if (isString ? this.#strings >= MAX_STRING_KEYS : this.#keys.size - this.#strings >= MAX_NUMERIC_KEYS) {
      this.saturated = true;
      return;
    }
    this.#keys.add(key);
    if (isString) this.#strings += 1;
  }
}
