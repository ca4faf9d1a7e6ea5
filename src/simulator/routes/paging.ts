/** Shared list answers: limit/offset windows, bare arrays and `{TotalCount, Data}` containers. */
import { ApiError, pageWindow, rows, type Query, type Reply } from '../http-io.js';
import type { IndexSelection } from '../selection.js';

export interface PagingRules {
  /** Limit used when `limit` is absent. */
  defaultLimit: number;
  /** `{TotalCount, Data}` when `limit` is given (ManagedSystems, Assets); otherwise always a bare array. */
  containerWithLimit?: boolean;
  /** Always `{TotalCount, Data}` (UserAudits, Secrets at 3.2). */
  alwaysContainer?: boolean;
  /** The real API honours offset only together with limit. */
  offsetNeedsLimit?: boolean;
}

export function readPaging(query: Query, rules: PagingRules): { limit: number; offset: number; limitGiven: boolean } {
  const limit = query.int('limit', 1);
  const offset = query.int('offset', 0) ?? 0;
  const limitGiven = limit !== undefined;
  return { limit: limit ?? rules.defaultLimit, offset: rules.offsetNeedsLimit && !limitGiven ? 0 : offset, limitGiven };
}

/** A page over `selection`, each row built by `build(index)` only when written. */
export function pagedReply(
  query: Query,
  selection: IndexSelection,
  build: (index: number) => unknown,
  rules: PagingRules,
): Reply {
  const { limit, offset, limitGiven } = readPaging(query, rules);
  const { start, count } = pageWindow(selection.count, limit, offset);
  const source = { count, row: (k: number) => build(selection.at(start + k)) };
  const container = rules.alwaysContainer || (rules.containerWithLimit && limitGiven);
  return rows(source, container ? selection.count : undefined);
}

/** Parses a positive integer id from a path segment or answers 404 with `notFound`. */
export function idParam(text: string | undefined, max: number, notFound: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1 || id > max) throw new ApiError(404, notFound);
  return id;
}

/** The whole list as a bare array; endpoints without documented paging ignore limit/offset like the real API. */
export function fullListReply(selection: IndexSelection, build: (index: number) => unknown): Reply {
  return rows({ count: selection.count, row: (k: number) => build(selection.at(k)) });
}
