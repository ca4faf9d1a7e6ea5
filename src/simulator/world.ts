/** The simulated world: seed, scale, counts and simulated time (epochs). Records are derived from it on demand. */
import { auditsPerEpoch, entityCounts, workgroupCount } from './layout.js';
import { unitHash } from './random.js';
import type { EntityCounts } from './types.js';
import { BASE_INSTANT_MS, EPOCH_MS } from './values.js';

export class SimWorld {
  readonly counts: EntityCounts;
  readonly workgroups: number;
  readonly auditsPerEpoch: number;
  #epoch = 0;
  /** changedFraction of each advance, index e-1 for epoch e. */
  readonly #changeFractions: number[] = [];

  constructor(
    readonly seed: number,
    readonly scale: number,
    /** Extra accounts with ApiEnabled false, beyond counts.managedAccounts (see SimulatorOptions.nonApiAccounts). */
    readonly nonApiAccounts = 0,
  ) {
    if (!Number.isInteger(nonApiAccounts) || nonApiAccounts < 0) {
      throw new RangeError(`nonApiAccounts must be a non-negative integer, got ${nonApiAccounts}`);
    }
    this.counts = entityCounts(scale);
    this.workgroups = workgroupCount(scale);
    this.auditsPerEpoch = auditsPerEpoch(scale);
  }

  get epoch(): number {
    return this.#epoch;
  }

  advance(changedFraction: number): void {
    if (!(changedFraction >= 0 && changedFraction <= 1)) {
      throw new RangeError(`changedFraction must be within 0..1, got ${changedFraction}`);
    }
    this.#changeFractions.push(changedFraction);
    this.#epoch++;
  }

  /** Simulated "now" of the current epoch. */
  get nowMs(): number {
    return BASE_INSTANT_MS + this.#epoch * EPOCH_MS;
  }

  epochStartMs(epoch: number): number {
    return BASE_INSTANT_MS + (epoch - 1) * EPOCH_MS;
  }

  /** Latest epoch (1..current) in which record `index` of the `tag` stream changed, 0 when never. */
  lastChangeEpoch(tag: number, index: number): number {
    for (let e = this.#epoch; e >= 1; e--) {
      if (unitHash(this.seed, tag, index, e) < (this.#changeFractions[e - 1] as number)) return e;
    }
    return 0;
  }

  get userAuditCount(): number {
    return this.counts.userAudits + this.#epoch * this.auditsPerEpoch;
  }
}
