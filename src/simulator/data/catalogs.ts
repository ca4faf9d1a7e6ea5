/** Fixed catalogs: platforms and attribute types (the same at every scale). */

export interface PlatformRow {
  PlatformID: number;
  Name: string;
  ShortName: string;
  PortFlag: boolean;
  DefaultPort: number | null;
  SupportsElevationFlag: boolean;
  DomainNameFlag: boolean;
  AutoManagementFlag: boolean;
  DSSAutoManagementFlag: boolean;
  ManageableFlag: boolean;
  DSSFlag: boolean;
  LoginAccountFlag: boolean;
  DefaultSessionType: string | null;
  ApplicationHostFlag: boolean;
  RequiresApplicationHost: boolean;
  RequiresTenantID: boolean;
  RequiresObjectID: boolean;
  RequiresSecret: boolean;
}

type PlatformSeed = [id: number, name: string, short: string, port: number | null, session: string | null, flags: string];

// flags: e = elevation, d = domain name, s = DSS keys, l = login account, t = tenant id, o = object id, x = secret
const PLATFORM_SEEDS: PlatformSeed[] = [
  [1, 'Windows', 'WIN', null, 'RDP', 'l'],
  [2, 'Linux', 'LNX', 22, 'SSH', 'esl'],
  [3, 'AIX', 'AIX', 22, 'SSH', 'esl'],
  [4, 'HP-UX', 'HPUX', 22, 'SSH', 'esl'],
  [5, 'Solaris', 'SOL', 22, 'SSH', 'esl'],
  [8, 'MS SQL Server', 'MSSQL', 1433, null, ''],
  [10, 'Oracle', 'ORA', 1521, null, ''],
  [25, 'Active Directory', 'AD', 389, 'RDP', 'd'],
  [45, 'MySQL', 'MYSQL', 3306, null, ''],
  [52, 'PostgreSQL', 'PGSQL', 5432, null, ''],
  [60, 'Amazon Web Services', 'AWS', null, null, 'x'],
  [61, 'Microsoft Entra ID', 'ENTRA', null, null, 'tox'],
];

export const PLATFORMS: readonly PlatformRow[] = PLATFORM_SEEDS.map(([id, name, short, port, session, flags]) => ({
  PlatformID: id,
  Name: name,
  ShortName: short,
  PortFlag: port !== null,
  DefaultPort: port,
  SupportsElevationFlag: flags.includes('e'),
  DomainNameFlag: flags.includes('d'),
  AutoManagementFlag: true,
  DSSAutoManagementFlag: flags.includes('s'),
  ManageableFlag: true,
  DSSFlag: flags.includes('s'),
  LoginAccountFlag: flags.includes('l'),
  DefaultSessionType: session,
  ApplicationHostFlag: false,
  RequiresApplicationHost: false,
  RequiresTenantID: flags.includes('t'),
  RequiresObjectID: flags.includes('o'),
  RequiresSecret: flags.includes('x'),
}));

export const PLATFORM_IDS = {
  windows: 1,
  linux: 2,
  unix: [3, 4, 5],
  databases: [8, 10, 45, 52],
  activeDirectory: 25,
  cloud: [60, 61],
} as const;

export interface AttributeTypeRow {
  AttributeTypeID: number;
  Name: string;
  IsReadOnly: boolean;
}

export interface AttributeRow {
  AttributeID: number;
  AttributeTypeID: number;
  ParentAttributeID: number | null;
  ShortName: string;
  LongName: string;
  Description: string | null;
  ValueInt: number | null;
  IsReadOnly: boolean;
  ChildAttributes: AttributeRow[];
}

export const ATTRIBUTE_TYPES: readonly AttributeTypeRow[] = [
  { AttributeTypeID: 1, Name: 'Business Unit', IsReadOnly: false },
  { AttributeTypeID: 2, Name: 'Criticality', IsReadOnly: true },
  { AttributeTypeID: 3, Name: 'Location', IsReadOnly: false },
];

type AttributeTree = [short: string, long: string, children?: AttributeTree[]];

const ATTRIBUTE_TREES: Record<number, AttributeTree[]> = {
  1: [
    ['FIN', 'Finance', [['AP', 'Accounts Payable'], ['AR', 'Accounts Receivable']]],
    ['ENG', 'Engineering', [['PLAT', 'Platform', [['SRE', 'Site Reliability']]], ['APP', 'Applications']]],
    ['HR', 'Human Resources'],
  ],
  2: [['LOW', 'Low'], ['MED', 'Medium'], ['HIGH', 'High'], ['CRIT', 'Critical']],
  3: [
    ['EU', 'Europe', [['FRA', 'Frankfurt'], ['DUB', 'Dublin']]],
    ['NA', 'North America', [['IAD', 'Ashburn'], ['SJC', 'San Jose']]],
  ],
};

/** The nested attribute tree of one type (IDs unique across types: typeId * 100 + running number). */
export function attributesOfType(typeId: number): AttributeRow[] | undefined {
  const trees = ATTRIBUTE_TREES[typeId];
  if (!trees) return undefined;
  let next = typeId * 100;
  const build = (tree: AttributeTree, parent: number | null): AttributeRow => {
    const [short, long, children = []] = tree;
    const id = ++next;
    return {
      AttributeID: id,
      AttributeTypeID: typeId,
      ParentAttributeID: parent,
      ShortName: short,
      LongName: long,
      Description: children.length > 0 ? `${long} and its sub-units` : null,
      ValueInt: typeId === 2 ? id - typeId * 100 : null,
      IsReadOnly: typeId === 2,
      ChildAttributes: children.map((child) => build(child, id)),
    };
  };
  return trees.map((tree) => build(tree, null));
}
