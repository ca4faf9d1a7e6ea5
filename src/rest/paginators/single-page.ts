/** One request, no paging. */
import type { PageRequest, Paginator } from './types.js';

export class SinglePagePaginator implements Paginator {
  readonly kind = 'single_page';
  readonly label = 'single_page';
  readonly total = undefined;

  clone(): SinglePagePaginator {
    return new SinglePagePaginator();
  }

  init(request: PageRequest): PageRequest {
    return request;
  }

  next(): undefined {
    return undefined;
  }
}
