/** Secrets Safe: folders (a tree) and secrets (credentials, text, files) with epoch-dependent ModifiedOn. */
import { RecordRandom, Tag } from '../random.js';
import { BASE_INSTANT_MS, DAY_MS, EPOCH_MS, dotnetDate } from '../values.js';
import { userName, type SimIdentity } from './people.js';
import type { SimWorld } from '../world.js';

const ROOT_FOLDERS = ['Infrastructure', 'Applications', 'Databases', 'Cloud'] as const;
const SUB_FOLDER_WORDS = ['Production', 'Staging', 'Shared', 'Team', 'Vendors', 'Legacy', 'Network', 'Payments'] as const;

function rootFolderCount(world: SimWorld): number {
  return Math.min(ROOT_FOLDERS.length, world.counts.folders);
}

export function folderParentIndex(world: SimWorld, index: number): number | null {
  const roots = rootFolderCount(world);
  return index < roots ? null : Math.floor((index - roots) / 3);
}

export function folderName(world: SimWorld, index: number): string {
  const root = ROOT_FOLDERS[index];
  if (index < rootFolderCount(world) && root) return root;
  return `${new RecordRandom(world.seed, Tag.folder, index, 1).pick(SUB_FOLDER_WORDS)} ${index + 1}`;
}

export function folderId(world: SimWorld, index: number): string {
  return new RecordRandom(world.seed, Tag.folder, index).guid();
}

export function folderPath(world: SimWorld, index: number, separator = '/'): string {
  const parts: string[] = [];
  for (let at: number | null = index; at !== null; at = folderParentIndex(world, at)) parts.unshift(folderName(world, at));
  return parts.join(separator);
}

export function folderRow(world: SimWorld, index: number): Record<string, unknown> {
  const random = new RecordRandom(world.seed, Tag.folder, index, 2);
  const parent = folderParentIndex(world, index);
  const ownerId = random.int(1, world.counts.users);
  return {
    Id: folderId(world, index),
    Name: folderName(world, index),
    Description: random.bool(0.4) ? null : `Secrets for ${folderName(world, index).toLowerCase()}`,
    ParentId: parent === null ? null : folderId(world, parent),
    UserGroupId: random.bool(0.5) ? null : random.int(1, world.counts.userGroups),
    UserId: ownerId,
    FolderOwnerId: ownerId,
  };
}

export interface SecretTimes {
  createdMs: number;
  modifiedMs: number;
  /** Epoch of the last change (0 = never since epoch 0). */
  changedIn: number;
}

/** Creation/modification instants without building the row (the afterdate filter scans these). */
export function secretTimes(world: SimWorld, index: number): SecretTimes {
  const random = new RecordRandom(world.seed, Tag.secret, index);
  const createdMs = BASE_INSTANT_MS - random.int(1, 700) * DAY_MS - random.int(0, DAY_MS - 1);
  const baseModifiedMs = createdMs + Math.floor(random.next() * (BASE_INSTANT_MS - createdMs));
  const changedIn = world.lastChangeEpoch(Tag.secretChange, index);
  const modifiedMs =
    changedIn > 0
      ? world.epochStartMs(changedIn) + new RecordRandom(world.seed, Tag.secretChange, index, changedIn).int(0, EPOCH_MS - 1)
      : baseModifiedMs;
  return { createdMs, modifiedMs, changedIn };
}

const SECRET_TYPES = ['Credential', 'Credential', 'Credential', 'Text', 'File'] as const;

export function secretTitle(world: SimWorld, index: number): string {
  const random = new RecordRandom(world.seed, Tag.secret, index, 1);
  return `${random.pick(['Service login', 'API token', 'Wi-Fi key', 'License', 'Root login', 'Vendor portal'])} ${index + 1}`;
}

export function secretFolderIndex(world: SimWorld, index: number): number {
  return index % world.counts.folders;
}

export interface SecretRowOptions {
  decrypt: boolean;
  /** API version 3.2+ adds SecretValueModifiedOn. */
  v32: boolean;
  separator: string;
  /** The signed-in users (users 2 and 3 in GET Users), so Owner/CreatedBy match the Users list. */
  identity: SimIdentity;
}

export function secretRow(world: SimWorld, index: number, options: SecretRowOptions): Record<string, unknown> {
  const times = secretTimes(world, index);
  const random = new RecordRandom(world.seed, Tag.secret, index, 2);
  const type = random.pick(SECRET_TYPES);
  const folder = secretFolderIndex(world, index);
  const ownerId = random.int(1, world.counts.users);
  const owner = userName(world, ownerId - 1, options.identity);
  const modifier = random.bool(0.5) ? owner : 'biadmin';
  const id = new RecordRandom(world.seed, Tag.secret, index, 3).guid();
  const urls: Array<Record<string, unknown>> = [];
  for (let n = random.int(0, 2); n > 0; n--) {
    urls.push({ Id: random.guid(), CredentialId: id, Url: `https://portal${random.int(1, 99)}.example.com/login` });
  }
  const password = random.hex(24); // drawn always so the stream does not depend on `decrypt`
  const row: Record<string, unknown> = {
    Id: id,
    Title: secretTitle(world, index),
    Description: random.bool(0.3) ? null : `${type} secret`,
    Username: type === 'Credential' ? random.pick(['svc_app', 'admin', 'deploy', 'reporting']) : null,
  };
  if (options.decrypt && type === 'Credential') row['Password'] = `Pw-${password}`;
  Object.assign(row, {
    OwnerId: ownerId,
    OwnerType: 'User',
    Owner: owner,
    FolderId: folderId(world, folder),
    Folder: folderName(world, folder),
    FolderPath: folderPath(world, folder, options.separator),
    CreatedOn: dotnetDate(times.createdMs, random.int(0, 7), random.int(0, 9999)),
    CreatedBy: owner,
    ModifiedOn: dotnetDate(times.modifiedMs, random.int(0, 7), random.int(0, 9999)),
    ModifiedBy: modifier,
    SecretType: type,
    Notes: random.bool(0.6) ? null : 'Rotate after each vendor visit.',
    Urls: urls,
    PasswordRuleID: type === 'Credential' ? random.int(0, 3) : null,
  });
  if (options.v32) row['SecretValueModifiedOn'] = row['ModifiedOn'];
  return row;
}
