/**
 * ManagedSystems, Workgroups, Assets, Databases, Platforms, FunctionalAccounts, AttributeTypes — the inventory lists.
 */
import type { RequestContext, RouteDefinition } from '../context.js';
import { ATTRIBUTE_TYPES, PLATFORMS, attributesOfType } from '../data/catalogs.js';
import { functionalAccountRow } from '../data/people.js';
import {
  assetRow,
  databaseRow,
  managedSystemRow,
  systemIndexByName,
  workgroupIdFromSegment,
  workgroupName,
  workgroupRow,
} from '../data/systems.js';
import { ApiError, json, type Reply } from '../http-io.js';
import { systemsOfType, systemsOfWorkgroup, type SystemType } from '../layout.js';
import { ListSelection, PeriodicSelection, type IndexSelection } from '../selection.js';
import { fullListReply, idParam, pagedReply } from './paging.js';

const ENTITY_TYPES: Record<number, SystemType> = { 1: 'system', 2: 'database', 3: 'domainlinked', 4: 'cloud' };
const CONTAINER_PAGING = { defaultLimit: 100_000, containerWithLimit: true, offsetNeedsLimit: true } as const;
const all = (count: number): IndexSelection => PeriodicSelection.all(count);

function managedSystems(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const total = world.counts.managedSystems;
  let selection: IndexSelection = all(total);
  const type = ctx.query.int('type', 0);
  if (type !== undefined) {
    const systemType = ENTITY_TYPES[type];
    selection = systemType ? systemsOfType(systemType, total) : new ListSelection([]);
  }
  const name = ctx.query.get('name');
  if (name !== undefined) {
    const index = systemIndexByName(world, name);
    const inType = index !== undefined && (selection instanceof PeriodicSelection ? selection.has(index) : false);
    selection = new ListSelection(inType ? [index] : []);
  }
  return pagedReply(ctx.query, selection, (index) => managedSystemRow(world, index), CONTAINER_PAGING);
}

function managedSystemById(ctx: RequestContext): Reply {
  const id = idParam(ctx.params[0], ctx.sim.world.counts.managedSystems, 'Managed System not found');
  return json(managedSystemRow(ctx.sim.world, id - 1));
}

function workgroups(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const name = ctx.query.get('name');
  if (name !== undefined) {
    const id = workgroupIdFromSegment(world, name);
    if (id === undefined || workgroupName(world, id).toLowerCase() !== name.toLowerCase()) throw new ApiError(404, 'Workgroup not found');
    return json(workgroupRow(world, id));
  }
  return fullListReply(all(world.workgroups), (index) => workgroupRow(world, index + 1));
}

function workgroupFromPath(ctx: RequestContext): number {
  const id = workgroupIdFromSegment(ctx.sim.world, ctx.params[0] ?? '');
  if (id === undefined) throw new ApiError(404, 'Workgroup not found');
  return id;
}

function workgroupById(ctx: RequestContext): Reply {
  return json(workgroupRow(ctx.sim.world, workgroupFromPath(ctx)));
}

function assetsOfWorkgroup(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const workgroupId = workgroupFromPath(ctx);
  const members = systemsOfWorkgroup(workgroupId, world.counts.assets, world.workgroups);
  const name = ctx.query.get('name');
  if (name !== undefined) {
    const index = systemIndexByName(world, name);
    if (index === undefined || !members.has(index)) throw new ApiError(404, 'Asset not found');
    return json(assetRow(world, index));
  }
  return pagedReply(ctx.query, members, (index) => assetRow(world, index), CONTAINER_PAGING);
}

function systemsOfWorkgroupRoute(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const members = systemsOfWorkgroup(workgroupFromPath(ctx), world.counts.managedSystems, world.workgroups);
  return pagedReply(ctx.query, members, (index) => managedSystemRow(world, index), CONTAINER_PAGING);
}

function assetById(ctx: RequestContext): Reply {
  const id = idParam(ctx.params[0], ctx.sim.world.counts.assets, 'Asset not found');
  return json(assetRow(ctx.sim.world, id - 1));
}

function databases(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  return fullListReply(all(world.counts.databases), (index) => databaseRow(world, index));
}

function databaseById(ctx: RequestContext): Reply {
  const id = idParam(ctx.params[0], ctx.sim.world.counts.databases, 'Database not found');
  return json(databaseRow(ctx.sim.world, id - 1));
}

function platforms(): Reply {
  return json(PLATFORMS);
}

function functionalAccounts(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  return fullListReply(all(world.counts.functionalAccounts), (index) => functionalAccountRow(world, index));
}

function attributeTypes(): Reply {
  return json(ATTRIBUTE_TYPES);
}

function attributesOfTypeRoute(ctx: RequestContext): Reply {
  const tree = attributesOfType(Number(ctx.params[0]));
  if (!tree) throw new ApiError(404, 'Attribute type not found');
  return json(tree);
}

export const inventoryRoutes: RouteDefinition[] = [
  { method: 'GET', template: 'ManagedSystems', handler: managedSystems },
  { method: 'GET', template: 'ManagedSystems/{id}', handler: managedSystemById },
  { method: 'GET', template: 'Workgroups', handler: workgroups },
  { method: 'GET', template: 'Workgroups/{id}', handler: workgroupById },
  { method: 'GET', template: 'Workgroups/{id}/Assets', handler: assetsOfWorkgroup },
  { method: 'GET', template: 'Workgroups/{id}/ManagedSystems', handler: systemsOfWorkgroupRoute },
  { method: 'GET', template: 'Assets/{id}', handler: assetById },
  { method: 'GET', template: 'Databases', handler: databases },
  { method: 'GET', template: 'Databases/{id}', handler: databaseById },
  { method: 'GET', template: 'Platforms', handler: platforms },
  { method: 'GET', template: 'FunctionalAccounts', handler: functionalAccounts },
  { method: 'GET', template: 'AttributeTypes', handler: attributeTypes },
  { method: 'GET', template: 'AttributeTypes/{id}/Attributes', handler: attributesOfTypeRoute },
];
