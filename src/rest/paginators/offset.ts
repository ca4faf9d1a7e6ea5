/**
 * limit/offset paging. Stops on an empty page, on a short page (fewer than `limit` records), when
 * `offset >= total` (total read from `total_path`, e.g. BeyondTrust `TotalCount`), at `maximum_offset`, or when
 * has_more is false. A missing total is tolerated: BeyondTrust list endpoints answer bare arrays without one.
 */
import type { PageRequest, PageView, Paginator } from './types.js';
import { withParams } from './types.js';
import { readHasMore, readNumber } from './values.js';

export interface OffsetPaginatorOptions {
  limit: number;
  offset?: number;
  limit_param?: string;
  offset_param?: string;
  total_path?: string;
  maximum_offset?: number;
  stop_after_empty_page?: boolean;
  stop_after_short_page?: boolean;
  has_more_path?: string;
}

export class OffsetPaginator implements Paginator {
  readonly kind = 'offset';
  total: number | undefined;
  readonly #o: Required<Omit<OffsetPaginatorOptions, 'total_path' | 'maximum_offset' | 'has_more_path'>> &
    Pick<OffsetPaginatorOptions, 'total_path' | 'maximum_offset' | 'has_more_path'>;

  constructor(options: OffsetPaginatorOptions) {
    this.#o = {
      offset: 0,
      limit_param: 'limit',
      offset_param: 'offset',
      stop_after_empty_page: true,
      stop_after_short_page: true,
      ...options,
    };
  }

  get label(): string {
    return `offset(limit=${this.#o.limit}, ${this.#o.offset_param}/${this.#o.limit_param}${this.#o.total_path ? `, total_path=${this.#o.total_path}` : ''})`;
  }

  clone(): OffsetPaginator {
    return new OffsetPaginator({ ...this.#o });
  }

  init(request: PageRequest): PageRequest {
    return withParams(request, { [this.#o.limit_param]: String(this.#o.limit), [this.#o.offset_param]: String(this.#o.offset) });
  }

  #offsetOf(request: PageRequest): number {
    const value = Number(request.params[this.#o.offset_param]);
    return Number.isFinite(value) ? value : this.#o.offset;
  }

  #pastEnd(offset: number): boolean {
    if (this.total !== undefined && offset >= this.total) return true;
    return this.#o.maximum_offset !== undefined && offset >= this.#o.maximum_offset;
  }

  next(request: PageRequest, page: PageView): PageRequest | undefined {
    const total = readNumber(page.body, this.#o.total_path);
    if (total !== undefined) this.total = total;
    const count = page.records.length;
    if (count === 0 && this.#o.stop_after_empty_page) return undefined;
    if (count < this.#o.limit && this.#o.stop_after_short_page) return undefined;
    if (readHasMore(page.body, this.#o.has_more_path, this.label) === false) return undefined;
    const nextOffset = this.#offsetOf(request) + this.#o.limit;
    if (this.#pastEnd(nextOffset)) return undefined;
    return withParams(request, { [this.#o.offset_param]: String(nextOffset) });
  }

  ahead(request: PageRequest, k: number): PageRequest | undefined {
    const offset = this.#offsetOf(request) + k * this.#o.limit;
    if (this.#pastEnd(offset)) return undefined;
    return withParams(request, { [this.#o.offset_param]: String(offset) });
  }
}
