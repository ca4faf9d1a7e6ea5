/** Secrets-Safe/Secrets (shape by API version, afterdate/path/title filters, decrypt) and Secrets-Safe/Folders. */
import type { RequestContext, RouteDefinition } from '../context.js';
import {
  folderName,
  folderParentIndex,
  folderPath,
  folderRow,
  secretFolderIndex,
  secretRow,
  secretTimes,
  secretTitle,
} from '../data/secrets.js';
import { ApiError, type Reply } from '../http-io.js';
import { ListSelection, PeriodicSelection, type IndexSelection } from '../selection.js';
import { parseApiDate } from '../values.js';
import type { SimWorld } from '../world.js';
import { pagedReply } from './paging.js';

function apiVersion(ctx: RequestContext): number {
  const text = ctx.query.get('version');
  if (text === undefined) return 3.0;
  const version = Number(text);
  if (!Number.isFinite(version) || version < 3) throw new ApiError(400, `Unsupported version '${text}'.`);
  return version;
}

/** The last filtered scan, so paging through one filter does not rescan every secret for each page. */
let scanCache: { world: SimWorld; epoch: number; key: string; selection: ListSelection } | undefined;

function filteredSecrets(world: SimWorld, filter: { afterMs?: number; path?: string; title?: string; separator: string }): IndexSelection {
  const key = JSON.stringify(filter);
  if (scanCache && scanCache.world === world && scanCache.epoch === world.epoch && scanCache.key === key) return scanCache.selection;
  const matches: number[] = [];
  const wantedPath = filter.path?.toLowerCase();
  const wantedTitle = filter.title?.toLowerCase();
  for (let index = 0; index < world.counts.secrets; index++) {
    if (filter.afterMs !== undefined) {
      const times = secretTimes(world, index);
      if (times.createdMs < filter.afterMs && times.modifiedMs < filter.afterMs) continue;
    }
    if (wantedTitle !== undefined && secretTitle(world, index).toLowerCase() !== wantedTitle) continue;
    if (wantedPath !== undefined && folderPath(world, secretFolderIndex(world, index), filter.separator).toLowerCase() !== wantedPath) continue;
    matches.push(index);
  }
  const selection = new ListSelection(matches);
  scanCache = { world, epoch: world.epoch, key, selection };
  return selection;
}

function secrets(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const { query } = ctx;
  const v32 = apiVersion(ctx) >= 3.2;
  const decrypt = query.bool('decrypt') ?? false;
  const separator = query.get('separator') || '/';
  const afterText = query.get('afterdate');
  let afterMs: number | undefined;
  if (afterText !== undefined) {
    afterMs = parseApiDate(afterText);
    if (Number.isNaN(afterMs)) throw new ApiError(400, `Invalid afterdate '${afterText}'. Use yyyy-MM-ddTHH:mm:ssZ.`);
  }
  const path = query.get('path');
  const title = query.get('title');
  const selection =
    afterMs === undefined && path === undefined && title === undefined
      ? PeriodicSelection.all(world.counts.secrets)
      : filteredSecrets(world, { afterMs, path, title, separator });
  return pagedReply(query, selection, (index) => secretRow(world, index, { decrypt, v32, separator, identity: ctx.sim.credentials }), {
    defaultLimit: 1000,
    alwaysContainer: v32,
  });
}

function folders(ctx: RequestContext): Reply {
  const { world } = ctx.sim;
  const { query } = ctx;
  const nameText = query.get('FolderName')?.toLowerCase();
  const pathText = query.get('FolderPath')?.toLowerCase();
  const includeSubfolders = query.bool('IncludeSubfolders') ?? true;
  const rootOnly = query.bool('RootOnly') ?? false;
  const ownerId = query.int('FolderOwnerId', 0);
  let selection: IndexSelection = PeriodicSelection.all(world.counts.folders);
  if (nameText !== undefined || pathText !== undefined || rootOnly || ownerId !== undefined) {
    const matches: number[] = [];
    for (let index = 0; index < world.counts.folders; index++) {
      if (rootOnly && folderParentIndex(world, index) !== null) continue;
      if (nameText !== undefined && !folderName(world, index).toLowerCase().includes(nameText)) continue;
      if (pathText !== undefined) {
        const path = folderPath(world, index).toLowerCase();
        if (path !== pathText && !(includeSubfolders && path.startsWith(`${pathText}/`))) continue;
      }
      if (ownerId !== undefined && folderRow(world, index)['FolderOwnerId'] !== ownerId) continue;
      matches.push(index);
    }
    selection = new ListSelection(matches);
  }
  return pagedReply(query, selection, (index) => folderRow(world, index), { defaultLimit: 1000 });
}

export const secretRoutes: RouteDefinition[] = [
  { method: 'GET', template: 'Secrets-Safe/Secrets', handler: secrets },
  { method: 'GET', template: 'Secrets-Safe/Folders', handler: folders },
];
