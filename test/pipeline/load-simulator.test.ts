/** From the simulator to a real DuckDB file: counts, nested links, merge reruns, incremental, fresh machine, replace. */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipeline, readPipelineSummary } from '../../src/pipeline/index.js';
import type { RunProgressEvent, RunTrace } from '../../src/pipeline/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { count, makeTempDir, query, simulatorJson, simulatorSource } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, scale: 1 });
  ({ dir, cleanup } = await makeTempDir());
});
afterAll(async () => {
  await sim.stop();
  await cleanup();
});

const EXPECTED_ROOT_COUNTS = (c: RunningSimulator['counts']): Record<string, number> => ({
  managed_accounts: c.managedAccounts,
  managed_systems: c.managedSystems,
  workgroups: c.workgroups,
  assets: c.assets,
  sessions: c.sessions,
  requests: c.requests,
  users: c.users,
  user_groups: c.userGroups,
  platforms: c.platforms,
  functional_accounts: c.functionalAccounts,
  databases: c.databases,
  secrets: c.secrets,
  folders: c.folders,
  user_audits: c.userAudits,
  attribute_types: c.attributeTypes,
});

interface AttributeNode {
  ChildAttributes?: AttributeNode[];
}

/**
 * Rows every table of a default load must hold, from the simulator itself: its counts for root tables, and for
 * nested tables the list lengths in its own answers (fetched directly, not through the pipeline).
 */
async function expectedTableCounts(sim: RunningSimulator): Promise<Record<string, number>> {
  const c = sim.counts;
  const typeIds = Array.from({ length: c.attributeTypes }, (_, i) => i + 1);
  const [groups, secrets, ...trees] = (await simulatorJson(sim, [
    'UserGroups',
    `Secrets-Safe/Secrets?limit=${c.secrets}`,
    ...typeIds.map((id) => `AttributeTypes/${id}/Attributes`),
  ])) as [{ ApplicationRegistrationIDs?: unknown[] }[], { Urls?: unknown[] }[], ...AttributeNode[][]];
  // attributes → attributes__child_attributes → attributes__child_attributes__child_attributes …
  const attributeLevels: number[] = [];
  const walk = (nodes: AttributeNode[], depth: number): void => {
    if (nodes.length === 0) return;
    attributeLevels[depth] = (attributeLevels[depth] ?? 0) + nodes.length;
    for (const node of nodes) walk(node.ChildAttributes ?? [], depth + 1);
  };
  for (const tree of trees) walk(tree, 0);
  return {
    ...EXPECTED_ROOT_COUNTS(c),
    user_groups__application_registration_i_ds: groups.reduce((n, group) => n + (group.ApplicationRegistrationIDs?.length ?? 0), 0),
    secrets__urls: secrets.reduce((n, secret) => n + (secret.Urls?.length ?? 0), 0),
    ...Object.fromEntries(attributeLevels.map((rows, depth) => [['attributes', ...Array<string>(depth).fill('child_attributes')].join('__'), rows])),
  };
}

async function nestedTables(dbPath: string): Promise<{ table: string; parent: string }[]> {
  const names = (await query(dbPath, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'beyondtrust_data' AND table_name LIKE '%\\_\\_%' ESCAPE '\\' ORDER BY 1")).flat() as string[];
  return names.map((table) => ({ table, parent: table.slice(0, table.lastIndexOf('__')) }));
}

describe('pipeline.run against the simulator', () => {
  const p = () => pipeline({ projectDir: dir });
  let firstLoadId: string;
  let firstCursor: unknown;

  it('loads every default catalog resource with exact counts, nested tables linked, in one load package', async () => {
    const events: RunProgressEvent[] = [];
    const info = await p().run(simulatorSource(sim), { onProgress: (event) => events.push(event), runId: 'first-run' });
    const dbPath = path.join(dir, 'beyondtrust_pipeline.duckdb');
    expect(info.destination_location).toBe(dbPath);
    expect(info.load_ids).toHaveLength(1);
    firstLoadId = info.load_ids[0]!;
    expect(firstLoadId).toMatch(/^\d{10}\.\d{6}$/);

    for (const [table, expected] of Object.entries(EXPECTED_ROOT_COUNTS(sim.counts))) {
      expect({ table, rows: await count(dbPath, table) }).toEqual({ table, rows: expected });
      expect({ table, rows: info.row_counts[table] }).toEqual({ table, rows: expected });
    }
    // Every data table, root and nested (attributes and its ChildAttributes levels included), has exactly the rows
    // the simulator serves; no table is missing or extra.
    const expected = await expectedTableCounts(sim);
    expect(expected['attributes__child_attributes__child_attributes']).toBeGreaterThan(0);
    const tables = (await query(dbPath, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'beyondtrust_data' AND NOT starts_with(table_name, '_dlt') ORDER BY 1")).flat() as string[];
    expect(tables).toEqual(Object.keys(expected).sort());
    for (const [table, rows] of Object.entries(expected)) {
      expect({ table, rows: await count(dbPath, table) }).toEqual({ table, rows });
      expect({ table, rows: info.row_counts[table] }).toEqual({ table, rows });
    }
    expect(await query(dbPath, 'SELECT count(*) FROM beyondtrust_data.credentials').catch(() => 'absent')).toBe('absent');

    const nested = await nestedTables(dbPath);
    expect(nested.map((n) => n.table)).toContain('secrets__urls');
    for (const { table, parent } of nested) {
      const orphans = await query(
        dbPath,
        `SELECT count(*) FROM beyondtrust_data."${table}" c LEFT JOIN beyondtrust_data."${parent}" p ON c._dlt_parent_id = p._dlt_id WHERE p._dlt_id IS NULL`,
      );
      expect({ table, orphans: Number(orphans[0]![0]) }).toEqual({ table, orphans: 0 });
      expect(await count(dbPath, table)).toBe(info.row_counts[table]);
    }
    // secrets__urls: the list index restarts per parent and the root id is the parent's id (one level down).
    expect(await query(dbPath, 'SELECT count(*) FROM beyondtrust_data.secrets__urls u JOIN beyondtrust_data.secrets s ON u._dlt_root_id = s._dlt_id AND u._dlt_parent_id = s._dlt_id')).toEqual([
      [BigInt(info.row_counts['secrets__urls']!)],
    ]);

    // dlt system tables: one complete load; every root row belongs to it.
    expect(await query(dbPath, 'SELECT load_id, schema_name, status FROM beyondtrust_data._dlt_loads')).toEqual([[firstLoadId, 'beyondtrust_source', 0n]]);
    expect(await query(dbPath, `SELECT count(*) FROM beyondtrust_data.managed_accounts WHERE _dlt_load_id <> '${firstLoadId}'`)).toEqual([[0n]]);
    expect(await query(dbPath, "SELECT count(*), max(pipeline_name), max(_dlt_load_id) FROM beyondtrust_data._dlt_pipeline_state")).toEqual([[1n, 'beyondtrust_pipeline', firstLoadId]]);
    // Many pages and many schema changes in one load: one schema version, version 1 (not one per page).
    expect(await query(dbPath, "SELECT version FROM beyondtrust_data._dlt_version WHERE schema_name = 'beyondtrust_source'")).toEqual([[1n]]);
    expect(Object.values(info.trace.resources).reduce((n, r) => n + r.pages, 0)).toBeGreaterThan(10);

    // The brief's query.
    const sample = await query(dbPath, 'SELECT * FROM beyondtrust_data.managed_accounts LIMIT 10;');
    expect(sample).toHaveLength(10);

    // Progress and trace.
    expect(events.filter((e) => e.type === 'page').length).toBe(Object.values(info.trace.resources).reduce((n, r) => n + r.pages, 0));
    expect(events.some((e) => e.type === 'table' && e.table === 'managed_accounts')).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'done', status: 'completed' });
    const trace = JSON.parse(await readFile(path.join(dir, '.dlt/pipelines/beyondtrust_pipeline/runs/first-run.json'), 'utf8')) as RunTrace;
    expect(trace).toMatchObject({ status: 'completed', load_id: firstLoadId, resources: { managed_accounts: { rows: sim.counts.managedAccounts } } });
    expect(trace.steps.map((s) => s.name)).toEqual(['extract', 'normalize', 'load']);
    expect(trace.resources_selected).not.toContain('credentials');
    const traceText = JSON.stringify(trace);
    for (const secret of [sim.credentials.apiKey, sim.credentials.password]) expect(traceText).not.toContain(secret);

    const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
    firstCursor = summary.state?.['secrets']?.incremental?.last_value;
    expect(typeof firstCursor).toBe('string');
    expect(summary.last_loads.map((l) => l.load_id)).toEqual([firstLoadId]);
  });

  it('a rerun merges on the primary key: same counts, no duplicate keys, two loads', async () => {
    const info = await p().run(simulatorSource(sim));
    const dbPath = info.destination_location;
    for (const [table, expected] of Object.entries(EXPECTED_ROOT_COUNTS(sim.counts))) {
      expect({ table, rows: await count(dbPath, table) }).toEqual({ table, rows: expected });
    }
    expect(await query(dbPath, 'SELECT count(DISTINCT (system_id, account_id)) FROM beyondtrust_data.managed_accounts')).toEqual([[BigInt(sim.counts.managedAccounts)]]);
    for (const { table, parent } of await nestedTables(dbPath)) {
      const orphans = await query(dbPath, `SELECT count(*) FROM beyondtrust_data."${table}" c ANTI JOIN beyondtrust_data."${parent}" p ON c._dlt_parent_id = p._dlt_id`);
      expect({ table, orphans: Number(orphans[0]![0]) }).toEqual({ table, orphans: 0 });
    }
    // Incremental resources had nothing new: secrets and user_audits loaded no (or only boundary) rows.
    expect(info.trace.resources['user_audits']?.rows ?? 0).toBe(0);
    expect(await query(dbPath, 'SELECT count(*) FROM beyondtrust_data._dlt_loads WHERE status = 0')).toEqual([[2n]]);
    // Same schema: no new _dlt_version row, and both loads name the same schema version hash.
    expect(await query(dbPath, 'SELECT version FROM beyondtrust_data._dlt_version')).toEqual([[1n]]);
    expect(await query(dbPath, 'SELECT count(DISTINCT schema_version_hash) FROM beyondtrust_data._dlt_loads')).toEqual([[1n]]);
  });

  it('after the source changes, the next run loads only the changed secrets and the new audit rows', async () => {
    sim.advance({ changedFraction: 0.1 });
    const dbPath = path.join(dir, 'beyondtrust_pipeline.duckdb');
    const auditsBefore = await count(dbPath, 'user_audits');
    const info = await p().run(simulatorSource(sim));
    const loadId = info.load_ids[0]!;
    const changedSecrets = await count(dbPath, 'secrets', `modified_on > '${String(firstCursor)}'::TIMESTAMPTZ`);
    expect(changedSecrets).toBeGreaterThan(0);
    expect(changedSecrets).toBeLessThan(sim.counts.secrets);
    expect(info.trace.resources['secrets']?.rows).toBe(changedSecrets);
    expect(await count(dbPath, 'secrets', `_dlt_load_id = '${loadId}'`)).toBe(changedSecrets);
    expect(await count(dbPath, 'secrets')).toBe(sim.counts.secrets);

    const newAudits = info.trace.resources['user_audits']?.rows ?? 0;
    expect(newAudits).toBeGreaterThan(0);
    expect(await count(dbPath, 'user_audits')).toBe(auditsBefore + newAudits);
    expect(await query(dbPath, 'SELECT count(*) - count(DISTINCT audit_id) FROM beyondtrust_data.user_audits')).toEqual([[0n]]);
    const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
    expect(String(summary.state?.['secrets']?.incremental?.last_value) > String(firstCursor)).toBe(true);
  });

  it('on a fresh machine (no local working dir) the state comes back from _dlt_pipeline_state and the run stays incremental', async () => {
    await rm(path.join(dir, '.dlt'), { recursive: true, force: true });
    sim.advance({ changedFraction: 0.1 });
    const dbPath = path.join(dir, 'beyondtrust_pipeline.duckdb');
    const auditsBefore = await count(dbPath, 'user_audits');
    const info = await p().run(simulatorSource(sim, ['secrets', 'user_audits']));
    expect(info.trace.resources['secrets']?.rows).toBeLessThan(sim.counts.secrets);
    expect(info.trace.resources['user_audits']?.rows).toBeLessThan(auditsBefore);
    expect(await count(dbPath, 'user_audits')).toBe(auditsBefore + (info.trace.resources['user_audits']?.rows ?? 0));
    expect(await query(dbPath, 'SELECT count(*) - count(DISTINCT audit_id) FROM beyondtrust_data.user_audits')).toEqual([[0n]]);
    expect(await count(dbPath, 'secrets')).toBe(sim.counts.secrets);
    // State of resources not selected this time is kept.
    const summary = await readPipelineSummary(dir, 'beyondtrust_pipeline');
    expect(Object.keys(summary.state ?? {})).toEqual(expect.arrayContaining(['secrets', 'user_audits']));
  });

  it('loads the opt-in resources managed_system_accounts and credentials; credentials hold no credential value', async () => {
    const q = pipeline({ projectDir: dir, pipelineName: 'opt_in' });
    const info = await q.run(simulatorSource(sim, ['managed_system_accounts', 'requests', 'credentials'], { enableCredentials: true }));
    const dbPath = q.dbPath;
    // One call per managed system, 10 accounts each: every managed account once.
    expect(await count(dbPath, 'managed_system_accounts')).toBe(sim.counts.managedAccounts);
    expect(info.row_counts['managed_system_accounts']).toBe(sim.counts.managedAccounts);
    expect(await query(dbPath, 'SELECT count(DISTINCT managed_account_id), count(DISTINCT managed_system_id) FROM beyondtrust_data.managed_system_accounts')).toEqual([
      [BigInt(sim.counts.managedAccounts), BigInt(sim.counts.managedSystems)],
    ]);
    // One retrievability row per active request, as the simulator lists them.
    const [requests] = (await simulatorJson(sim, ['Requests'])) as { RequestID: number; Status: string }[][];
    const active = requests!.filter((request) => ['active', 'approved'].includes(request.Status.toLowerCase()));
    expect(active.length).toBeGreaterThan(0);
    expect(await count(dbPath, 'requests')).toBe(requests!.length);
    expect(await query(dbPath, 'SELECT request_id, retrievable, outcome FROM beyondtrust_data.credentials ORDER BY request_id')).toEqual(
      active.map((request) => [BigInt(request.RequestID), true, 'ok']).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    // The credential values themselves (what GET Credentials/{id} returns) are nowhere in the dataset.
    const secrets = (await simulatorJson(sim, active.map((request) => `Credentials/${request.RequestID}`))) as string[];
    expect(secrets.every((secret) => typeof secret === 'string' && secret.length >= 16)).toBe(true);
    const textColumns = (await query(
      dbPath,
      "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'beyondtrust_data' AND data_type IN ('VARCHAR', 'JSON')",
    )) as [string, string][];
    for (const secret of secrets) {
      for (const [table, column] of textColumns) {
        const hits = await query(dbPath, `SELECT count(*) FROM beyondtrust_data."${table}" WHERE contains("${column}"::VARCHAR, '${secret.replace(/'/g, "''")}')`);
        expect({ table, column, hits: hits[0]?.[0] }).toEqual({ table, column, hits: 0n });
      }
      expect(JSON.stringify(info)).not.toContain(secret);
      expect(await readFile(path.join(q.workingDir, 'runs', `${info.trace.run_id}.json`), 'utf8')).not.toContain(secret);
    }
  });

  it('replace leaves exactly the rows of the last run, nested tables included', async () => {
    const q = pipeline({ projectDir: dir, pipelineName: 'replace_pipeline' });
    const resources = ['platforms', 'user_groups'];
    const first = await q.run(simulatorSource(sim, resources), { writeDisposition: 'replace' });
    const info = await q.run(simulatorSource(sim, resources), { writeDisposition: 'replace' });
    const nested = 'user_groups__application_registration_i_ds';
    expect(info.row_counts[nested]).toBeGreaterThan(0);
    expect(info.row_counts[nested]).toBe(first.row_counts[nested]);
    expect(await count(q.dbPath, 'platforms')).toBe(sim.counts.platforms);
    expect(await count(q.dbPath, 'user_groups')).toBe(sim.counts.userGroups);
    expect(await count(q.dbPath, nested)).toBe(info.row_counts[nested]);
    expect(await query(q.dbPath, `SELECT count(*) FROM beyondtrust_data.platforms WHERE _dlt_load_id <> '${info.load_ids[0]}'`)).toEqual([[0n]]);
  });
});
