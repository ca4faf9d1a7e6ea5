import { describe, expect, it } from 'vitest';
import { BEYONDTRUST_CATALOG, findCatalogEntry } from '../../src/beyondtrust/catalog.js';
import { catalogResource } from '../../src/beyondtrust/source.js';
import { parseRestApiConfig } from '../../src/rest/config/parse.js';
import { resolveResources } from '../../src/rest/config/resolve.js';

describe('BeyondTrust catalog', () => {
  it('has unique snake_case tables with keys, descriptions and hinted key columns', () => {
    const tables = BEYONDTRUST_CATALOG.map((e) => e.table);
    expect(new Set(tables).size).toBe(tables.length);
    for (const entry of BEYONDTRUST_CATALOG) {
      expect(entry.table).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(entry.primary_key.length).toBeGreaterThan(0);
      expect(entry.description.length).toBeGreaterThan(40);
      for (const key of entry.primary_key) expect(entry.columns[key]?.data_type, `${entry.table}.${key}`).toBeDefined();
    }
  });

  it('matches the documented endpoint facts', () => {
    expect(findCatalogEntry('managed_accounts')).toMatchObject({ path: 'ManagedAccounts', paging: 'offset', page_size: 1000, data_selector: '$', primary_key: ['SystemId', 'AccountId'], write_disposition: 'merge' });
    expect(findCatalogEntry('assets')).toMatchObject({ parent: { resource: 'workgroups', field: 'ID' }, data_selector: 'Data' });
    expect(findCatalogEntry('sessions')?.sensitive_fields).toEqual(['Token', 'RecordKey']);
    expect(findCatalogEntry('secrets')).toMatchObject({ params: { version: '3.2' }, incremental: { cursor_path: 'ModifiedOn', param: 'afterdate' }, sensitive_fields: ['Password'] });
    expect(findCatalogEntry('user_audits')).toMatchObject({ write_disposition: 'merge', incremental: { cursor_path: 'CreateDate', param: 'startdate' } });
    expect(BEYONDTRUST_CATALOG.filter((e) => e.opt_in).map((e) => e.table)).toEqual(['managed_system_accounts', 'credentials']);
    expect(findCatalogEntry('nope')).toBeUndefined();
  });

  it('never asks Secrets Safe to decrypt', () => {
    for (const entry of BEYONDTRUST_CATALOG) {
      expect(Object.keys(entry.params ?? {}).map((k) => k.toLowerCase())).not.toContain('decrypt');
    }
  });

  it('turns every entry into a valid REST resource with the right parent', () => {
    const config = parseRestApiConfig({ client: { base_url: 'http://x/BeyondTrust/api/public/v3' }, resources: BEYONDTRUST_CATALOG.map((e) => catalogResource(e, 500)) });
    const resolved = resolveResources(config);
    for (const entry of BEYONDTRUST_CATALOG) {
      const resource = resolved.find((r) => r.name === entry.table);
      expect(resource?.parent).toBe(entry.parent?.resource);
      if (entry.paging === 'offset') expect(resource?.endpoint?.paginator).toMatchObject({ type: 'offset', limit: 500 });
    }
  });
});
