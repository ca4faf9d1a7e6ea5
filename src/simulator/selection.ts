/**
 * Index selections that are computed, never materialized: "every index whose residue modulo P is in R, below N".
 * Filters such as `type` or `workgroupName` map to such sets, so paging a filtered list at scale 1000 stays O(page).
 */
export interface IndexSelection {
  readonly count: number;
  /** The k-th selected index (0-based, ascending). */
  at(k: number): number;
}

export class PeriodicSelection implements IndexSelection {
  readonly count: number;

  constructor(
    readonly period: number,
    /** Sorted, distinct residues in [0, period). */
    readonly residues: readonly number[],
    readonly limit: number,
  ) {
    const full = Math.floor(limit / period);
    const rest = limit - full * period;
    let partial = 0;
    for (const r of residues) if (r < rest) partial++;
    this.count = full * residues.length + partial;
  }

  at(k: number): number {
    const per = this.residues.length;
    return Math.floor(k / per) * this.period + (this.residues[k % per] as number);
  }

  has(index: number): boolean {
    return index >= 0 && index < this.limit && this.residues.includes(index % this.period);
  }

  /** Position of `index` within the selection (index must be selected). */
  rank(index: number): number {
    return Math.floor(index / this.period) * this.residues.length + this.residues.indexOf(index % this.period);
  }

  static all(limit: number): PeriodicSelection {
    return new PeriodicSelection(1, [0], limit);
  }

  intersect(other: PeriodicSelection): PeriodicSelection {
    const period = lcm(this.period, other.period);
    const residues: number[] = [];
    for (let r = 0; r < period; r++) {
      if (this.residues.includes(r % this.period) && other.residues.includes(r % other.period)) residues.push(r);
    }
    return new PeriodicSelection(period, residues, Math.min(this.limit, other.limit));
  }
}

/** An explicit, small list of indexes (a single system, the "recent" accounts). */
export class ListSelection implements IndexSelection {
  readonly count: number;

  constructor(readonly indexes: readonly number[]) {
    this.count = indexes.length;
  }

  at(k: number): number {
    return this.indexes[k] as number;
  }
}

/** Each selected parent index expands into `fanOut` consecutive child indexes (systems → their accounts). */
export class FanOutSelection implements IndexSelection {
  readonly count: number;

  constructor(
    readonly parents: IndexSelection,
    readonly fanOut: number,
  ) {
    this.count = parents.count * fanOut;
  }

  at(k: number): number {
    return this.parents.at(Math.floor(k / this.fanOut)) * this.fanOut + (k % this.fanOut);
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}
