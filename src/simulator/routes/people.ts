/** Users, UserGroups. */
import type { RequestContext, RouteDefinition } from '../context.js';
import { userGroupRow, userName, userRow } from '../data/people.js';
import { ApiError, json, type Reply } from '../http-io.js';
import { PeriodicSelection } from '../selection.js';
import { fullListReply, idParam } from './paging.js';

function users(ctx: RequestContext): Reply {
  const { world, credentials } = ctx.sim;
  const wanted = ctx.query.get('username')?.trim().toLowerCase();
  if (wanted !== undefined) {
    // `?username=` answers one user object (BeyondInsight name, domain\user or UPN).
    for (let index = 0; index < world.counts.users; index++) {
      const row = userRow(world, index, credentials);
      const plain = userName(world, index, credentials).toLowerCase();
      const domain = row['DomainName'] ? `corp\\${plain}` : undefined;
      if ([plain, String(row['UserName']).toLowerCase(), domain].includes(wanted)) return json(row);
    }
    throw new ApiError(404, 'User not found');
  }
  return fullListReply(PeriodicSelection.all(world.counts.users), (index) => userRow(world, index, credentials));
}

function userById(ctx: RequestContext): Reply {
  const id = idParam(ctx.params[0], ctx.sim.world.counts.users, 'User not found');
  return json(userRow(ctx.sim.world, id - 1, ctx.sim.credentials));
}

function userGroups(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const name = ctx.query.get('name')?.toLowerCase();
  if (name !== undefined) {
    for (let index = 0; index < world.counts.userGroups; index++) {
      const row = userGroupRow(world, index);
      if (String(row['Name']).toLowerCase() === name) return json(row);
    }
    throw new ApiError(404, 'User group not found');
  }
  return fullListReply(PeriodicSelection.all(world.counts.userGroups), (index) => userGroupRow(world, index));
}

function userGroupById(ctx: RequestContext): Reply {
  const id = idParam(ctx.params[0], ctx.sim.world.counts.userGroups, 'User group not found');
  return json(userGroupRow(ctx.sim.world, id - 1));
}

export const peopleRoutes: RouteDefinition[] = [
  { method: 'GET', template: 'Users', handler: users },
  { method: 'GET', template: 'Users/{id}', handler: userById },
  { method: 'GET', template: 'UserGroups', handler: userGroups },
  { method: 'GET', template: 'UserGroups/{id}', handler: userGroupById },
];
