/**
 * The dev limit of one resource: at most `limit` pages, counted over ALL its request sequences (one per parent item
 * for a child), so `devLimit: 1` means one page of assets, not one per workgroup. A page is reserved before its
 * request is sent; a reservation whose request was not needed after all (a dropped prefetch, an ignored 404) is given
 * back. `hit` records that the resource stopped before its end, so its incremental state must not advance.
 */
export class PageBudget {
  #left: number;
  #hit = false;

  constructor(limit: number) {
    this.#left = Math.max(0, Math.floor(limit));
  }

  /** Whether a page was refused: some data of the resource was left unread. */
  get hit(): boolean {
    return this.#hit;
  }

  get exhausted(): boolean {
    return this.#left <= 0;
  }

  /**
   * Reserves one page. A refused reservation marks the budget hit, unless it was `speculative` (a prefetch that may
   * not be needed at all).
   */
  take(speculative = false): boolean {
    if (this.#left > 0) {
      this.#left -= 1;
      return true;
    }
    if (!speculative) this.#hit = true;
    return false;
  }

  giveBack(): void {
    this.#left += 1;
  }

  /** Records that data was left unread without asking for a page (e.g. parents not fanned out). */
  markHit(): void {
    this.#hit = true;
  }
}
