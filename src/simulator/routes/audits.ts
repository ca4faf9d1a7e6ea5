/** GET UserAudits: `{TotalCount, Data}`, newest first, startdate/enddate (both inclusive), limit/offset. */
import type { RequestContext, RouteDefinition } from '../context.js';
import { auditRow, firstAuditAtOrAfter } from '../data/audits.js';
import { ApiError, type Reply } from '../http-io.js';
import { parseApiDate } from '../values.js';
import { pagedReply } from './paging.js';

function dateParam(ctx: RequestContext, name: string): number | undefined {
  const text = ctx.query.get(name);
  if (text === undefined || text.trim() === '') return undefined;
  const ms = parseApiDate(text);
  if (Number.isNaN(ms)) throw new ApiError(400, `Invalid ${name} '${text}'.`);
  return ms;
}

function userAudits(ctx: RequestContext): Reply {
  const { world, credentials } = ctx.sim;
  const startMs = dateParam(ctx, 'startdate');
  const endMs = dateParam(ctx, 'enddate');
  const first = startMs === undefined ? 0 : firstAuditAtOrAfter(world, startMs);
  const end = endMs === undefined ? world.userAuditCount : firstAuditAtOrAfter(world, endMs + 1);
  const count = Math.max(0, end - first);
  // Newest first: position k is audit index end - 1 - k.
  const selection = { count, at: (k: number) => end - 1 - k };
  return pagedReply(ctx.query, selection, (index) => auditRow(world, index, credentials), {
    defaultLimit: 1000,
    alwaysContainer: true,
  });
}

export const auditRoutes: RouteDefinition[] = [{ method: 'GET', template: 'UserAudits', handler: userAudits }];
