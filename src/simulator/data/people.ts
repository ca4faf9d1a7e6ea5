/** Users, user groups and functional accounts. */
import { RecordRandom, Tag } from '../random.js';
import { BASE_INSTANT_MS, DAY_MS, DOMAIN, FIRST_NAMES, LAST_NAMES, randomDotnetDate } from '../values.js';
import type { SimWorld } from '../world.js';
import { PLATFORM_IDS } from './catalogs.js';

/** The signed-in user (UserId 1 is the BeyondInsight administrator; the API user comes next). */
export const API_USER_ID = 2;

function personName(world: SimWorld, index: number): { first: string; last: string; user: string } {
  const random = new RecordRandom(world.seed, Tag.user, index, 1);
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  return { first, last, user: `${first[0]}${last}${index + 1}`.toLowerCase() };
}

/** UserName of user index i (0 = admin, 1 = the run-as user). */
export function userName(world: SimWorld, index: number, runas: string): string {
  if (index === 0) return 'biadmin';
  if (index === 1) return runas;
  return personName(world, index).user;
}

export function userRow(world: SimWorld, index: number, runas: string): Record<string, unknown> {
  const random = new RecordRandom(world.seed, Tag.user, index);
  const { first, last } = personName(world, index);
  const name = userName(world, index, runas);
  const kind = index <= 1 ? 'BeyondInsight' : index % 10 === 9 ? 'Application' : random.bool(0.6) ? 'ActiveDirectory' : 'BeyondInsight';
  const neverLoggedIn = random.bool(0.1);
  const lastLogin = BASE_INSTANT_MS - random.int(0, 60) * DAY_MS - random.int(0, DAY_MS - 1);
  const ad = kind === 'ActiveDirectory';
  const row: Record<string, unknown> = {
    UserID: index + 1,
    UserName: ad ? `${name}@${DOMAIN}` : name,
    DomainName: ad ? DOMAIN : null,
    DistinguishedName: ad ? `CN=${first} ${last},OU=Staff,DC=corp,DC=example,DC=com` : null,
    FirstName: kind === 'Application' ? name : first,
    LastName: kind === 'Application' ? null : last,
    EmailAddress: kind === 'Application' ? null : `${first}.${last}${index + 1}@example.com`.toLowerCase(),
    LastLoginDate: neverLoggedIn ? null : randomDotnetDate(lastLogin, random),
    LastLoginAuthenticationType: neverLoggedIn ? null : kind === 'Application' ? 'API' : random.pick(['Password', 'SAML', 'Smart Card']),
    LastLoginConfigurationName: neverLoggedIn || !ad ? null : 'Corporate AD',
    LastLoginSAMLIDPURL: null,
    LastLoginSSOURL: null,
    IsQuarantined: random.bool(0.02),
    IsActive: random.bool(0.95),
  };
  if (kind === 'Application') {
    row['ClientID'] = random.guid();
    row['ClientSecret'] = null; // only returned when created or recycled
    row['AccessPolicyID'] = random.int(1, 3);
    row['UserType'] = 'Application';
  }
  return row;
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
