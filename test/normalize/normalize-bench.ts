/**
 * Micro-benchmark for the normalizer (not a test). Run:
 *   npx tsc --module nodenext --moduleResolution nodenext --target es2022 --skipLibCheck --types node \
 *     --rootDir . --outDir /tmp/normalize-bench test/normalize/normalize-bench.ts && node /tmp/normalize-bench/test/normalize/normalize-bench.js
 */
import { Normalizer } from '../../src/normalize/normalizer.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PAGE = 1000;

function makePage(start: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let i = start; i < start + PAGE; i++) {
    items.push({
      PlatformID: 4,
      SystemId: i % 500,
      SystemName: `server-${i % 500}`,
      DomainName: null,
      AccountId: i,
      AccountName: `svc_account_${i}`,
      DistinguishedName: `CN=svc_account_${i},OU=Service,DC=corp,DC=example`,
      UserPrincipalName: `svc_account_${i}@corp.example`,
      Description: 'Managed service account',
      PasswordFallbackFlag: false,
      LoginAccountFlag: i % 3 === 0,
      ApplicationID: null,
      ApplicationDisplayName: null,
      MaximumReleaseDuration: 120,
      MaxReleaseDurationDays: 0,
      MaxReleaseDurationHours: 2,
      MaxReleaseDurationMinutes: 0,
      InstanceName: '',
      DefaultReleaseDuration: 120,
      LastChangeDate: '2024-12-10T08:57:45.9633333',
      NextChangeDate: '2025-01-10T08:57:45Z',
      IsChanging: false,
      ChangeState: i % 7,
      IsISAAccess: false,
      PreferredNodeID: '2ca45774-d4e0-4b8c-9275-c2b9e6b1e1a1',
      Score: i / 3,
    });
  }
  return items;
}

function makeNestedPage(start: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let i = start; i < start + PAGE; i++) {
    items.push({ ID: i, Name: `group-${i}`, Address: { City: 'Berlin', Zip: '10115' }, Tags: ['a', 'b'], Members: [{ UserID: i, Role: 'owner' }] });
  }
  return items;
}

function run(label: string, make: (start: number) => Record<string, unknown>[]): void {
  const pages: Record<string, unknown>[][] = [];
  for (let start = 0; start < ROWS; start += PAGE) pages.push(make(start));
  const normalizer = new Normalizer({ schemaName: 'bench' });
  normalizer.registerResource({
    name: label, table_name: label, write_disposition: 'merge', primary_key: ['AccountId'], columns: {}, selected: true,
    sensitive_fields: [], endpoint_path: label,
  });
  const started = performance.now();
  let rows = 0;
  for (const [index, items] of pages.entries()) {
    const result = normalizer.normalizePage({ resource: label, table_name: label, items, page: index + 1 }, '1733821065.123');
    for (const table of result.tables) rows += table.rows.length;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${ROWS} records → ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(ROWS / seconds).toLocaleString('en')} records/s`);
}

run('managed_accounts', makePage);
run('groups', makeNestedPage);
