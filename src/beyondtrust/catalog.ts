/**
 * The BeyondTrust Password Safe / BeyondInsight API v3 endpoint catalog: every list endpoint the loader knows,
 * with paging, selector, keys, parent, incremental cursor, sensitive fields, disposition and column hints.
 * Casing of field names follows the API exactly (`SystemId` vs `SystemID`, `ID` vs `Id`).
 */
import type { ResourceConfig } from '../rest/config/types.js';
import type { ColumnHint, DataType, WriteDisposition } from '../rest/types.js';

export interface CatalogEntry {
  /** Resource and table name (snake_case). */
  table: string;
  /** Endpoint path relative to base_url; `{resources.<parent>.<field>}` for child endpoints. */
  path: string;
  description: string;
  paging: 'offset' | 'single_page';
  page_size?: number;
  /** `$` for bare arrays, `Data` for `{TotalCount, Data}` containers. */
  data_selector: string;
  primary_key: string[];
  parent?: { resource: string; field: string };
  /** `end_param`: the window's upper end, sent with the run's start time (new rows cannot shift the pages mid-run). */
  incremental?: { cursor_path: string; param?: string; end_param?: string; initial_value: string };
  /** Removed in the extractor; never loaded, logged or shown. */
  sensitive_fields: string[];
  write_disposition: WriteDisposition;
  /** true: loaded only when asked for by name (extra calls, or needs an explicit opt-in). */
  opt_in: boolean;
  columns: Record<string, ColumnHint>;
  params?: Record<string, string | number>;
}

function hints(spec: Partial<Record<DataType, string[]>>): Record<string, ColumnHint> {
  const columns: Record<string, ColumnHint> = {};
  for (const [type, names] of Object.entries(spec) as [DataType, string[]][]) {
    for (const name of names) columns[name] = { data_type: type };
  }
  return columns;
}

/** Container endpoints report the total here. */
export const TOTAL_COUNT_PATH = 'TotalCount';
export const DEFAULT_PAGE_SIZE = 1000;

export const BEYONDTRUST_CATALOG: readonly CatalogEntry[] = Object.freeze([
  {
    table: 'managed_accounts',
    path: 'ManagedAccounts',
    description:
      'Managed accounts the API user can request passwords for (role-based "requestable" list; only ApiEnabled accounts). One row per account on a system: system, account, domain, release durations, last/next password change, change state.',
    paging: 'offset',
    page_size: DEFAULT_PAGE_SIZE,
    data_selector: '$',
    primary_key: ['SystemId', 'AccountId'],
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({
      bigint: ['PlatformID', 'SystemId', 'AccountId', 'ApplicationID', 'DefaultReleaseDuration', 'MaximumReleaseDuration', 'ChangeState'],
      timestamp: ['LastChangeDate', 'NextChangeDate'],
      bool: ['IsChanging', 'IsISAAccess'],
      text: ['SystemName', 'DomainName', 'AccountName', 'InstanceName', 'UserPrincipalName', 'ApplicationDisplayName', 'PreferredNodeID', 'AccountDescription'],
    }),
  },
  {
    table: 'managed_systems',
    path: 'ManagedSystems',
    description:
      'Managed systems (servers, directories, databases, cloud platforms) under Password Safe management: host/DNS/IP, platform, workgroup, linked asset/database/directory, password change schedule and release durations.',
    paging: 'offset',
    page_size: DEFAULT_PAGE_SIZE,
    data_selector: 'Data',
    primary_key: ['ManagedSystemID'],
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({
      bigint: [
        'ManagedSystemID', 'EntityTypeID', 'AssetID', 'DatabaseID', 'DirectoryID', 'CloudID', 'WorkgroupID', 'PlatformID', 'Port',
        'Timeout', 'PasswordRuleID', 'DSSKeyRuleID', 'ReleaseDuration', 'MaxReleaseDuration', 'ISAReleaseDuration',
        'FunctionalAccountID', 'LoginAccountID', 'SshKeyEnforcementMode', 'ChangeFrequencyDays', 'AccountNameFormat', 'ApplicationHostID',
      ],
      bool: ['IsDefaultInstance', 'UseSSL', 'AutoManagementFlag', 'CheckPasswordFlag', 'ChangePasswordAfterAnyReleaseFlag', 'ResetPasswordOnMismatchFlag', 'IsApplicationHost'],
      text: ['HostName', 'DnsName', 'IPAddress', 'SystemName', 'Description', 'ContactEmail', 'ChangeFrequencyType', 'ChangeTime'],
    }),
  },
  {
    table: 'managed_system_accounts',
    path: 'ManagedSystems/{resources.managed_systems.ManagedSystemID}/ManagedAccounts',
    description:
      'Admin view of managed accounts, listed per managed system (one request per system): ManagedAccountID, ManagedSystemID, flags for password change, check and propagation, release settings. Opt-in: costs one call per system.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['ManagedAccountID'],
    parent: { resource: 'managed_systems', field: 'ManagedSystemID' },
    sensitive_fields: ['Password', 'PrivateKey', 'Passphrase'],
    write_disposition: 'merge',
    opt_in: true,
    columns: hints({
      bigint: [
        'ManagedAccountID', 'ManagedSystemID', 'PasswordRuleID', 'ReleaseDuration', 'MaxReleaseDuration', 'ISAReleaseDuration',
        'MaxConcurrentRequests', 'ChangeFrequencyDays', 'ParentAccountID', 'ChangeState', 'WorkgroupID',
      ],
      bool: [
        'PasswordFallbackFlag', 'LoginAccountFlag', 'ApiEnabled', 'ChangeServicesFlag', 'RestartServicesFlag', 'ChangeTasksFlag',
        'AutoManagementFlag', 'DSSAutoManagementFlag', 'CheckPasswordFlag', 'ResetPasswordOnMismatchFlag',
        'ChangePasswordAfterAnyReleaseFlag', 'IsSubscribedAccount', 'IsChanging', 'UseOwnCredentials',
      ],
      timestamp: ['LastChangeDate', 'NextChangeDate'],
      text: ['DomainName', 'AccountName', 'DistinguishedName', 'UserPrincipalName', 'SAMAccountName', 'Description', 'ChangeFrequencyType', 'ChangeTime'],
    }),
  },
  {
    table: 'workgroups',
    path: 'Workgroups',
    description: 'Workgroups (organisational partitions of assets and managed systems): ID, Name, OrganizationID. Parent of assets.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['ID'],
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({ bigint: ['ID'], text: ['OrganizationID', 'Name'] }),
  },
  {
    table: 'assets',
    path: 'Workgroups/{resources.workgroups.ID}/Assets',
    description:
      'Assets (hosts discovered or added to BeyondInsight), listed per workgroup: name, DNS, domain, IP and MAC address, type, operating system, create and last-update dates.',
    paging: 'offset',
    page_size: DEFAULT_PAGE_SIZE,
    data_selector: 'Data',
    primary_key: ['AssetID'],
    parent: { resource: 'workgroups', field: 'ID' },
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({
      bigint: ['AssetID', 'WorkgroupID'],
      timestamp: ['CreateDate', 'LastUpdateDate'],
      text: ['AssetName', 'DnsName', 'DomainName', 'IPAddress', 'MacAddress', 'AssetType', 'OperatingSystem', 'Description'],
    }),
  },
  {
    table: 'sessions',
    path: 'Sessions',
    description:
      'Privileged (RDP/SSH) sessions: user, node, status, protocol, start/end time, duration, asset and managed account. Replay Token and RecordKey are removed. The API returns at most 100,000 sessions and cannot page.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['SessionID'],
    sensitive_fields: ['Token', 'RecordKey'],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({
      bigint: ['SessionID', 'UserID', 'Status', 'ArchiveStatus', 'Protocol', 'Duration', 'ManagedSystemID', 'ManagedAccountID', 'ApplicationID', 'RequestID'],
      timestamp: ['StartTime', 'EndTime'],
      text: ['NodeID', 'AssetName', 'ManagedAccountName', 'SessionType'],
    }),
  },
  {
    table: 'requests',
    path: 'Requests',
    description:
      'Password release requests of the API user (current user only): system, account, access type, reason, status (Pending, Active, Expired, Released, Denied), request/approval/expiry dates. Read only: loading never creates requests.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['RequestID'],
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({
      bigint: ['RequestID', 'SystemID', 'AccountID', 'AliasID', 'ApplicationID'],
      timestamp: ['RequestReleaseDate', 'ApprovedDate', 'ExpiresDate'],
      text: ['SystemName', 'AccountName', 'DomainName', 'Status', 'AccessType', 'Reason'],
    }),
  },
  {
    table: 'credentials',
    path: 'Credentials/{RequestID}',
    description:
      'Opt-in retrievability check: for each active/approved request, whether GET Credentials/{RequestID} would succeed (retrievable, outcome). The credential itself is never read, stored or logged. Needs credentials_enabled = true.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['RequestID'],
    parent: { resource: 'requests', field: 'RequestID' },
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: true,
    columns: hints({
      bigint: ['RequestID', 'SystemID', 'AccountID'],
      text: ['AccountName', 'outcome'],
      timestamp: ['checked_at'],
      bool: ['retrievable'],
    }),
  },
  {
    table: 'users',
    path: 'Users',
    description:
      'BeyondInsight users: user name, domain, names, email, last login date and method, quarantine and active flags; application users with access policy (ClientSecret removed).',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['UserID'],
    sensitive_fields: ['ClientSecret'],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({
      bigint: ['UserID', 'AccessPolicyID'],
      timestamp: ['LastLoginDate'],
      bool: ['IsQuarantined', 'IsActive'],
      text: ['UserName', 'DomainName', 'DistinguishedName', 'FirstName', 'LastName', 'EmailAddress', 'LastLoginAuthenticationType', 'UserType', 'ClientID'],
    }),
  },
  {
    table: 'user_groups',
    path: 'UserGroups',
    description: 'User groups (BeyondInsight, Active Directory, LDAP, Entra ID): name, description, type, directory attributes, active flag.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['GroupID'],
    sensitive_fields: ['BindPassword', 'ClientSecret'],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({ bigint: ['GroupID'], bool: ['IsActive'], text: ['Name', 'Description', 'DistinguishedName', 'GroupType', 'AccountAttribute', 'MembershipAttribute'] }),
  },
  {
    table: 'platforms',
    path: 'Platforms',
    description: 'Platforms (Windows, Linux, databases, directories, cloud …) a managed system can run on, with capability flags and default port.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['PlatformID'],
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({
      bigint: ['PlatformID', 'DefaultPort'],
      bool: [
        'PortFlag', 'SupportsElevationFlag', 'DomainNameFlag', 'AutoManagementFlag', 'DSSAutoManagementFlag', 'ManageableFlag', 'DSSFlag',
        'LoginAccountFlag', 'ApplicationHostFlag', 'RequiresApplicationHost', 'RequiresTenantID', 'RequiresObjectID', 'RequiresSecret',
      ],
      text: ['Name', 'ShortName', 'DefaultSessionType'],
    }),
  },
  {
    table: 'functional_accounts',
    path: 'FunctionalAccounts',
    description: 'Functional accounts Password Safe uses to manage systems: platform, domain, account and display name, number of systems referencing it.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['FunctionalAccountID'],
    sensitive_fields: ['Password', 'PrivateKey', 'Passphrase', 'Secret'],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({
      bigint: ['FunctionalAccountID', 'PlatformID', 'SystemReferenceCount'],
      text: ['DomainName', 'AccountName', 'DisplayName', 'Description', 'ElevationCommand', 'TenantID', 'ObjectID', 'AzureInstance'],
    }),
  },
  {
    table: 'databases',
    path: 'Databases',
    description: 'Database instances on assets: asset, platform, instance name, default-instance flag, port, version, template.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['DatabaseID'],
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({ bigint: ['DatabaseID', 'AssetID', 'PlatformID', 'Port'], bool: ['IsDefaultInstance'], text: ['InstanceName', 'Version', 'Template'] }),
  },
  {
    table: 'secrets',
    path: 'Secrets-Safe/Secrets',
    description:
      'Secrets Safe secrets (metadata only: title, username, folder path, owner, type, created/modified dates, URLs). Loaded incrementally on ModifiedOn via the afterdate filter; the password is never requested (no decrypt) and removed if present.',
    paging: 'offset',
    page_size: DEFAULT_PAGE_SIZE,
    data_selector: 'Data',
    primary_key: ['Id'],
    incremental: { cursor_path: 'ModifiedOn', param: 'afterdate', initial_value: '1970-01-01T00:00:00Z' },
    sensitive_fields: ['Password'],
    write_disposition: 'merge',
    opt_in: false,
    params: { version: '3.2' },
    columns: hints({
      bigint: ['OwnerId', 'PasswordRuleID'],
      timestamp: ['CreatedOn', 'ModifiedOn', 'SecretValueModifiedOn'],
      text: ['Id', 'Title', 'Description', 'Username', 'FolderId', 'Folder', 'FolderPath', 'Owner', 'OwnerType', 'CreatedBy', 'ModifiedBy', 'SecretType', 'Notes'],
    }),
  },
  {
    table: 'folders',
    path: 'Secrets-Safe/Folders',
    description: 'Secrets Safe folders (a tree through ParentId): name, description, owner, user group.',
    paging: 'offset',
    page_size: DEFAULT_PAGE_SIZE,
    data_selector: '$',
    primary_key: ['Id'],
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({ bigint: ['UserGroupId', 'UserId', 'FolderOwnerId'], text: ['Id', 'Name', 'Description', 'ParentId'] }),
  },
  {
    table: 'user_audits',
    path: 'UserAudits',
    description:
      'User audit log (append-only on the server): action type, section, user, IP address, create date. Loaded incrementally on CreateDate via the startdate filter; enddate pins each run to its start time, so audits written during a run come with the next one. Merged on AuditID (audits never change), so a rerun over the same window, e.g. the full run after a dev-limited one, adds no duplicates.',
    paging: 'offset',
    page_size: DEFAULT_PAGE_SIZE,
    data_selector: 'Data',
    primary_key: ['AuditID'],
    incremental: { cursor_path: 'CreateDate', param: 'startdate', end_param: 'enddate', initial_value: '1970-01-01T00:00:00Z' },
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({ bigint: ['AuditID', 'UserID'], timestamp: ['CreateDate'], text: ['ActionType', 'Section', 'UserName', 'IPAddress'] }),
  },
  {
    table: 'attribute_types',
    path: 'AttributeTypes',
    description: 'Attribute types used to tag assets and accounts (e.g. Business Unit, Criticality, Location).',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['AttributeTypeID'],
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({ bigint: ['AttributeTypeID'], bool: ['IsReadOnly'], text: ['Name'] }),
  },
  {
    table: 'attributes',
    path: 'AttributeTypes/{resources.attribute_types.AttributeTypeID}/Attributes',
    description: 'Attributes of each attribute type as nested trees (ChildAttributes become child tables): short and long name, parent, value.',
    paging: 'single_page',
    data_selector: '$',
    primary_key: ['AttributeID'],
    parent: { resource: 'attribute_types', field: 'AttributeTypeID' },
    sensitive_fields: [],
    write_disposition: 'merge',
    opt_in: false,
    columns: hints({ bigint: ['AttributeID', 'AttributeTypeID', 'ParentAttributeID', 'ValueInt'], bool: ['IsReadOnly'], text: ['ShortName', 'LongName', 'Description'] }),
  },
] satisfies CatalogEntry[]);

export function findCatalogEntry(table: string): CatalogEntry | undefined {
  return BEYONDTRUST_CATALOG.find((entry) => entry.table === table);
}

export function catalogTableNames(): string[] {
  return BEYONDTRUST_CATALOG.map((entry) => entry.table);
}

/** The resource fields every catalog entry maps one to one (name, keys, disposition, hints, sensitive fields). */
export function catalogResourceBase(entry: CatalogEntry): Pick<ResourceConfig, 'name' | 'table_name' | 'description' | 'primary_key' | 'write_disposition' | 'columns' | 'sensitive_fields'> {
  return {
    name: entry.table,
    table_name: entry.table,
    description: entry.description,
    primary_key: entry.primary_key,
    write_disposition: entry.write_disposition,
    columns: entry.columns,
    sensitive_fields: entry.sensitive_fields,
  };
}
