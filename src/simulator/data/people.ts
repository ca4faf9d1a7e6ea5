/** Users, user groups and functional accounts. */
import { createHash } from 'node:crypto';
import { RecordRandom, Tag } from '../random.js';
import { BASE_INSTANT_MS, DAY_MS, DOMAIN, FIRST_NAMES, LAST_NAMES, randomDotnetDate } from '../values.js';
import type { SimWorld } from '../world.js';
import { PLATFORM_IDS } from './catalogs.js';

/** The signed-in users: UserId 1 is the BeyondInsight administrator, the run-as user comes next, then the OAuth app. */
export const API_USER_ID = 2;
export const OAUTH_USER_ID = 3;

/** What the users that sign in are derived from (SimulatorCredentials fits). */
export interface SimIdentity {
  runas: string;
  clientId: string;
}

/** `CORP\svc` and `CORP\\svc` (the backslash escaped once more, as some shells and tools send it) name the same user. */
export function normalizeRunas(runas: string): string {
  return runas.replace(/\\\\/g, '\\');
}

/** "svc_loader" → "Svc Loader" (the name part after a `DOMAIN\`). */
export function displayName(userName: string): string {
  const bare = userName.slice(userName.lastIndexOf('\\') + 1);
  return bare
    .split(/[_.\-\s]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * The OAuth application user's name, stable per client id. A hash, not a prefix of the id: the client id is a
 * credential, and this name ends up in loaded data (Users, UserAudits, Secrets owners).
 */
export function oauthUserName(identity: SimIdentity): string {
  return `app_${createHash('sha256').update(identity.clientId).digest('hex').slice(0, 8)}`;
}

function runasEmail(runas: string): string {
  const bare = normalizeRunas(runas).replace(/^.*\\/, '');
  return bare.includes('@') ? bare : `${bare}@example.com`;
}

function personName(world: SimWorld, index: number): { first: string; last: string; user: string } {
  const random = new RecordRandom(world.seed, Tag.user, index, 1);
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  return { first, last, user: `${first[0]}${last}${index + 1}`.toLowerCase() };
}

/** UserName of user index i (0 = admin, 1 = the run-as user, 2 = the OAuth application user). */
export function userName(world: SimWorld, index: number, identity: SimIdentity): string {
  if (index === 0) return 'biadmin';
  if (index === API_USER_ID - 1) return identity.runas;
  if (index === OAUTH_USER_ID - 1) return oauthUserName(identity);
  return personName(world, index).user;
}

type UserKind = 'BeyondInsight' | 'ActiveDirectory' | 'Application';

export function userRow(world: SimWorld, index: number, identity: SimIdentity): Record<string, unknown> {
  const random = new RecordRandom(world.seed, Tag.user, index);
  const name = userName(world, index, identity);
  const runasUser = index === API_USER_ID - 1;
  let kind: UserKind;
  if (index === 0 || runasUser) kind = 'BeyondInsight';
  else if (index === OAUTH_USER_ID - 1 || index % 10 === 9) kind = 'Application';
  else kind = random.bool(0.6) ? 'ActiveDirectory' : 'BeyondInsight';
  // The run-as user's names and e-mail are those SignAppin answers with (one source for both).
  const words = displayName(name).split(' ');
  const person = personName(world, index);
  const first = runasUser ? (words[0] ?? name) : person.first;
  const last = runasUser ? words.slice(1).join(' ') || null : person.last;
  const neverLoggedIn = random.bool(0.1);
  const lastLogin = BASE_INSTANT_MS - random.int(0, 60) * DAY_MS - random.int(0, DAY_MS - 1);
  const ad = kind === 'ActiveDirectory';
  const email = kind === 'Application' ? null : runasUser ? runasEmail(name) : `${first}.${last}${index + 1}@example.com`.toLowerCase();
  const row: Record<string, unknown> = {
    UserID: index + 1,
    UserName: ad ? `${name}@${DOMAIN}` : name,
    DomainName: ad ? DOMAIN : null,
    DistinguishedName: ad ? `CN=${first} ${last},OU=Staff,DC=corp,DC=example,DC=com` : null,
    FirstName: kind === 'Application' ? name : first,
    LastName: kind === 'Application' ? null : last,
    EmailAddress: email,
    LastLoginDate: neverLoggedIn ? null : randomDotnetDate(lastLogin, random),
    LastLoginAuthenticationType: neverLoggedIn ? null : kind === 'Application' ? 'API' : random.pick(['Password', 'SAML', 'Smart Card']),
    LastLoginConfigurationName: neverLoggedIn || !ad ? null : 'Corporate AD',
    LastLoginSAMLIDPURL: null,
    LastLoginSSOURL: null,
    IsQuarantined: random.bool(0.02),
    IsActive: random.bool(0.95),
  };
  if (kind === 'Application') {
    // Not the configured client id: that one is a credential and must not end up in loaded data.
    row['ClientID'] = random.guid();
    row['ClientSecret'] = null; // only returned when created or recycled
    row['AccessPolicyID'] = random.int(1, 3);
    row['UserType'] = 'Application';
  }
  return row;
}

/** What `POST Auth/SignAppin` answers for the run-as user or the OAuth app user: the same values as their GET Users rows. */
export function signedInUser(world: SimWorld, userId: number, identity: SimIdentity): Record<string, unknown> {
  const row = userRow(world, userId - 1, identity);
  const name = String(row['UserName']);
  return { UserId: row['UserID'], SID: null, EmailAddress: row['EmailAddress'], UserName: name, Name: displayName(name) };
}

const GROUP_NAMES = ['Administrators', 'Auditors', 'Password Safe Requestors', 'Password Safe Approvers', 'Help Desk'];

export function userGroupRow(world: SimWorld, index: number): Record<string, unknown> {
  const random = new RecordRandom(world.seed, Tag.userGroup, index);
  const groupType = index < GROUP_NAMES.length ? 'BeyondInsight' : random.pick(['ActiveDirectory', 'ActiveDirectory', 'LdapDirectory', 'EntraId']);
  const name = GROUP_NAMES[index] ?? `${random.pick(['Unix', 'Windows', 'DBA', 'Cloud', 'SOC'])} Team ${index + 1}`;
  const directory = groupType !== 'BeyondInsight';
  const registrations: number[] = [];
  for (let i = random.int(0, 3); i > 0; i--) registrations.push(random.int(1, 12));
  return {
    GroupID: index + 1,
    Name: name,
    Description: random.bool(0.3) ? null : `${name} group`,
    DistinguishedName: directory ? `CN=${name},OU=Groups,DC=corp,DC=example,DC=com` : null,
    GroupType: groupType,
    AccountAttribute: directory ? 'sAMAccountName' : null,
    MembershipAttribute: directory ? 'member' : null,
    ApplicationRegistrationIDs: [...new Set(registrations)].sort((a, b) => a - b),
    IsActive: random.bool(0.9),
  };
}

export function functionalAccountRow(world: SimWorld, index: number): Record<string, unknown> {
  const random = new RecordRandom(world.seed, Tag.functionalAccount, index);
  const platformId = random.pick([PLATFORM_IDS.windows, PLATFORM_IDS.linux, PLATFORM_IDS.activeDirectory, 61]);
  const name = `fa_${random.pick(['rotation', 'discovery', 'change', 'scan'])}_${index + 1}`;
  return {
    FunctionalAccountID: index + 1,
    PlatformID: platformId,
    DomainName: platformId === PLATFORM_IDS.activeDirectory ? DOMAIN : null,
    AccountName: name,
    DisplayName: `Functional account ${index + 1}`,
    Description: random.bool(0.5) ? null : 'Used by Password Safe to rotate managed accounts',
    ElevationCommand: platformId === PLATFORM_IDS.linux ? 'sudo' : null,
    SystemReferenceCount: random.int(0, 200),
    TenantID: platformId === 61 ? random.guid() : null,
    ObjectID: platformId === 61 ? random.guid() : null,
    AzureInstance: platformId === 61 ? 'AzurePublicCloud' : null,
  };
}
