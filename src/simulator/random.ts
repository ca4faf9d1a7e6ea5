/**
 * Deterministic randomness. Every record is generated on demand from a hash of (seed, entity, index[, epoch]), so
 * nothing is materialized and the same seed always serves the same data. Not for anything security-related.
 */

/** 32-bit finalizer (murmur3 fmix32). */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a few integers into an unsigned 32-bit value. */
export function hashInts(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    h = mix32(h ^ mix32((value | 0) + Math.imul(h, 31)));
    // Keep the high bits of large indexes (above 2^32) in play too.
    if (value > 0xffffffff || value < -0x80000000) h = mix32(h ^ Math.floor(value / 0x100000000));
  }
  return h;
}

/** Uniform in [0, 1) from a hash of the inputs. */
export function unitHash(...values: number[]): number {
  return hashInts(...values) / 0x100000000;
}

/** Entity tags keep the streams of different entities apart. */
export const Tag = {
  account: 1,
  system: 2,
  workgroup: 3,
  session: 4,
  request: 5,
  user: 6,
  userGroup: 7,
  functionalAccount: 8,
  database: 9,
  secret: 10,
  folder: 11,
  audit: 12,
  accountChange: 13,
  secretChange: 14,
  fault: 15,
  credential: 16,
} as const;

/** mulberry32: a small, fast PRNG; one per record, seeded from hashInts(seed, tag, index). */
export class RecordRandom {
  #state: number;

  constructor(...seedParts: number[]) {
    this.#state = hashInts(...seedParts);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Lower-case hex string of `length` characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** A version-4-shaped GUID (lower-case, as .NET serializes Guid). */
  guid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
