/**
 * page/page-number paging. `total_path` holds the total number of PAGES (dlt semantics). Stops on an empty page,
 * when the page number passes the total or `maximum_page`, or when has_more is false.
 */
import { BtError } from '../../errors.js';
import type { PageRequest, PageView, Paginator } from './types.js';
import { withParams } from './types.js';
import { readHasMore, readNumber } from './values.js';

export interface PageNumberPaginatorOptions {
  base_page?: number;
  page?: number;
  page_param?: string;
  total_path?: string;
  maximum_page?: number;
  stop_after_empty_page?: boolean;
  has_more_path?: string;
}

export class PageNumberPaginator implements Paginator {
  readonly kind = 'page_number';
  total: number | undefined;
  readonly #base: number;
  readonly #first: number;
  readonly #param: string;
  readonly #o: PageNumberPaginatorOptions;

  constructor(options: PageNumberPaginatorOptions = {}) {
    this.#o = { stop_after_empty_page: true, ...options };
    this.#base = options.base_page ?? 0;
    this.#first = options.page ?? this.#base;
    this.#param = options.page_param ?? 'page';
    if (!this.#o.total_path && this.#o.maximum_page === undefined && !this.#o.stop_after_empty_page && !this.#o.has_more_path) {
      throw new BtError('CONFIG_INVALID', 'page_number paginator needs a stop condition.', {
        hint: 'Set total_path, maximum_page, has_more_path or stop_after_empty_page: true.',
        details: { step: 'config' },
      });
    }
  }

  get label(): string {
    return `page_number(page_param=${this.#param}${this.#o.total_path ? `, total_path=${this.#o.total_path}` : ''})`;
  }

  clone(): PageNumberPaginator {
    return new PageNumberPaginator({ ...this.#o });
  }

  init(request: PageRequest): PageRequest {
    return withParams(request, { [this.#param]: String(this.#first) });
  }

  #pageOf(request: PageRequest): number {
    const value = Number(request.params[this.#param]);
    return Number.isFinite(value) ? value : this.#first;
  }

  #pastEnd(page: number): boolean {
    if (this.total !== undefined && page >= this.total + this.#base) return true;
    return this.#o.maximum_page !== undefined && page >= this.#o.maximum_page;
  }

  next(request: PageRequest, view: PageView): PageRequest | undefined {
    const total = readNumber(view.body, this.#o.total_path);
    if (total !== undefined) this.total = total;
    if (view.records.length === 0 && this.#o.stop_after_empty_page) return undefined;
    if (readHasMore(view.body, this.#o.has_more_path, this.label) === false) return undefined;
    const nextPage = this.#pageOf(request) + 1;
    if (this.#pastEnd(nextPage)) return undefined;
    return withParams(request, { [this.#param]: String(nextPage) });
  }

  ahead(request: PageRequest, k: number): PageRequest | undefined {
    // Without a known total we cannot tell where the end is; only prefetch when the API reports it.
    if (this.total === undefined && this.#o.maximum_page === undefined) return undefined;
    const page = this.#pageOf(request) + k;
    if (this.#pastEnd(page)) return undefined;
    return withParams(request, { [this.#param]: String(page) });
  }
}
