/** Cursor paging: the next cursor is read from the body (`cursor_path`) and sent as `cursor_param`. */
import { getPath } from '../json-path.js';
import type { PageRequest, PageView, Paginator } from './types.js';
import { withParams } from './types.js';
import { readHasMore } from './values.js';

export interface CursorPaginatorOptions {
  cursor_path?: string;
  cursor_param?: string;
  stop_after_empty_page?: boolean;
  has_more_path?: string;
}

export class CursorPaginator implements Paginator {
  readonly kind = 'cursor';
  readonly total = undefined;
  readonly #path: string;
  readonly #param: string;
  readonly #o: CursorPaginatorOptions;

  constructor(options: CursorPaginatorOptions = {}) {
    this.#o = options;
    this.#path = options.cursor_path ?? 'cursors.next';
    this.#param = options.cursor_param ?? 'cursor';
  }

  get label(): string {
    return `cursor(cursor_path=${this.#path}, cursor_param=${this.#param})`;
  }

  clone(): CursorPaginator {
    return new CursorPaginator({ ...this.#o });
  }

  init(request: PageRequest): PageRequest {
    return request;
  }

  next(request: PageRequest, view: PageView): PageRequest | undefined {
    if (view.records.length === 0 && this.#o.stop_after_empty_page === true) return undefined;
    if (readHasMore(view.body, this.#o.has_more_path, this.label) === false) return undefined;
    const cursor = getPath(view.body, this.#path);
    if (cursor === undefined || cursor === null || cursor === '' || cursor === false) return undefined;
    return withParams(request, { [this.#param]: String(cursor) });
  }
}
