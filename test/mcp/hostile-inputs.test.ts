/**
 * Hostile and careless input: each call is rejected with a clear error and has no effect — the database keeps its
 * rows and tables, no file appears outside the project (or anywhere it should not), no run starts.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TOOL_INPUT_ELEMENTS } from '../../src/mcp/tools/limits.js';
import { datasetFingerprint, FIXTURE_ACCOUNT_COUNT, writeFixtureDataset } from './support/dataset-fixture.js';
import { callError, callOk, connect, tempProject } from './support/harness.js';
import type { Connected } from './support/harness.js';

let project: Awaited<ReturnType<typeof tempProject>>;
let outside: Awaited<ReturnType<typeof tempProject>>;
let connected: Connected;
let dbPath: string;
let fingerprint: Awaited<ReturnType<typeof datasetFingerprint>>;

beforeAll(async () => {
  project = await tempProject();
  outside = await tempProject('bt-mcp-outside-');
  dbPath = await writeFixtureDataset(project.dir);
  fingerprint = await datasetFingerprint(dbPath);
  connected = await connect({ projectDir: project.dir });
});

afterAll(async () => {
  await connected.close();
  await project.remove();
  await outside.remove();
});

async function expectNoEffect(): Promise<void> {
  expect(await datasetFingerprint(dbPath)).toEqual(fingerprint);
  expect(fingerprint.rows).toBe(FIXTURE_ACCOUNT_COUNT);
  expect(await readdir(outside.dir)).toEqual([]);
}

describe('query rejects everything but one read-only statement', () => {
  const target = () => join(outside.dir, 'leak.csv');
  const cases: { name: string; sql: () => string; code: RegExp }[] = [
    { name: 'multiple statements', sql: () => 'SELECT 1; DROP TABLE beyondtrust_data.managed_accounts', code: /^SQL_MULTIPLE_STATEMENTS: / },
    { name: 'trailing second statement', sql: () => 'SELECT * FROM managed_accounts;DELETE FROM managed_accounts', code: /^SQL_MULTIPLE_STATEMENTS: / },
    { name: 'DROP', sql: () => 'DROP TABLE beyondtrust_data.managed_accounts', code: /^SQL_NOT_READ_ONLY: / },
    { name: 'DELETE', sql: () => 'DELETE FROM beyondtrust_data.managed_accounts', code: /^SQL_NOT_READ_ONLY: / },
    { name: 'INSERT', sql: () => "INSERT INTO beyondtrust_data.managed_accounts VALUES (9, 'x', 'y', 'l', 'i')", code: /^SQL_NOT_READ_ONLY: / },
    { name: 'UPDATE', sql: () => "UPDATE beyondtrust_data.managed_accounts SET account_name = 'x'", code: /^SQL_NOT_READ_ONLY: / },
    { name: 'CREATE TABLE AS', sql: () => 'CREATE TABLE beyondtrust_data.copy AS SELECT * FROM beyondtrust_data.managed_accounts', code: /^SQL_NOT_READ_ONLY: / },
    { name: 'ALTER', sql: () => 'ALTER TABLE beyondtrust_data.managed_accounts ADD COLUMN x INT', code: /^SQL_NOT_READ_ONLY: / },
    { name: 'COPY TO a file', sql: () => `COPY beyondtrust_data.managed_accounts TO '${target()}'`, code: /^SQL_NOT_READ_ONLY: / },
    { name: 'EXPORT DATABASE', sql: () => `EXPORT DATABASE '${outside.dir}'`, code: /^SQL_NOT_READ_ONLY: / },
    { name: 'ATTACH', sql: () => `ATTACH '${join(outside.dir, 'other.duckdb')}' AS other`, code: /^SQL_NOT_READ_ONLY: / },
    { name: 'INSTALL', sql: () => 'INSTALL httpfs', code: /^SQL_NOT_READ_ONLY: / },
    { name: 'LOAD', sql: () => 'LOAD httpfs', code: /^SQL_NOT_READ_ONLY: / },
    { name: 'SET external access', sql: () => 'SET enable_external_access = true', code: /^SQL_NOT_READ_ONLY: / },
    { name: 'SET lock_configuration', sql: () => 'SET lock_configuration = false', code: /^SQL_NOT_READ_ONLY: / },
    { name: 'PRAGMA', sql: () => "PRAGMA memory_limit='10GB'", code: /^SQL_NOT_READ_ONLY: / },
    { name: 'read_csv of /etc/passwd', sql: () => "SELECT * FROM read_csv('/etc/passwd')", code: /^SQL_(ERROR|NOT_READ_ONLY): / },
    { name: 'read_text of /etc/passwd', sql: () => "SELECT * FROM read_text('/etc/passwd')", code: /^SQL_(ERROR|NOT_READ_ONLY): / },
    { name: 'bare file path table', sql: () => "SELECT * FROM '/etc/passwd'", code: /^SQL_(ERROR|NOT_READ_ONLY): / },
    { name: 'COPY inside a CTE-looking query', sql: () => `WITH x AS (SELECT 1) COPY (SELECT 1) TO '${target()}'`, code: /^SQL_(ERROR|NOT_READ_ONLY): / },
  ];

  for (const { name, sql, code } of cases) {
    it(`rejects ${name}`, async () => {
      const text = await callError(connected.client, 'query', { sql: sql() });
      expect(text).toMatch(code);
      expect(text).toContain('Hint: ');
      expect(text).not.toContain('root:');
      await expectNoEffect();
    });
  }

  it('still answers a plain SELECT afterwards', async () => {
    const result = await callOk<{ rows: { n: number }[] }>(connected.client, 'query', { sql: 'SELECT count(*) AS n FROM managed_accounts' });
    expect(result.rows).toEqual([{ n: FIXTURE_ACCOUNT_COUNT }]);
  });
});

describe('scaffold_pipeline stays inside the project', () => {
  // There is no directory argument at all: the tool writes only into the project the server reads.
  const escapes = ['../escape', '../../escape', 'sub/../../escape', '/tmp/escape-abs', 'sub\u0000dir', 'links/out'];
  for (const directory of escapes) {
    it(`refuses directory ${JSON.stringify(directory)} as an unknown argument, writing nothing`, async () => {
      if (directory === 'links/out') {
        await mkdir(join(project.dir, 'links'), { recursive: true });
        await symlink(outside.dir, join(project.dir, 'links', 'out'));
      }
      const text = await callError(connected.client, 'scaffold_pipeline', { directory });
      expect(text).toContain('"directory"');
      expect(existsSync(join(project.dir, '..', 'escape'))).toBe(false);
      expect(existsSync('/tmp/escape-abs')).toBe(false);
      expect(existsSync(join(project.dir, 'beyondtrust_pipeline.ts'))).toBe(false);
      await expectNoEffect();
    });
  }
});

describe('unknown endpoints', () => {
  it('preview_endpoint names the valid tables', async () => {
    const text = await callError(connected.client, 'preview_endpoint', { table: 'Credentials/1/password' });
    expect(text).toMatch(/^UNKNOWN_ENDPOINT: .*Hint: Use table names from list_endpoints/);
  });

  it('run_pipeline refuses before anything runs', async () => {
    const text = await callError(connected.client, 'run_pipeline', { resources: ['managed_accounts', 'all_passwords'] });
    expect(text).toMatch(/^UNKNOWN_ENDPOINT: .*"all_passwords"/);
    const info = await callOk<{ last_runs: unknown[]; running?: unknown }>(connected.client, 'pipeline_info');
    expect(info.last_runs).toEqual([]);
    expect(info.running).toBeUndefined();
    await expectNoEffect();
  });

  it('pipeline_info refuses names that would leave the project', async () => {
    const text = await callError(connected.client, 'pipeline_info', { pipeline_name: '../../etc' });
    expect(text).toContain('pipeline_name');
    const runText = await callError(connected.client, 'pipeline_info', { run_id: '../secrets' });
    expect(runText).toContain('run_id');
    const unknownRun = await callError(connected.client, 'pipeline_info', { run_id: 'run_does_not_exist' });
    expect(unknownRun).toMatch(/^RUN_NOT_FOUND: /);
  });
});

describe('oversized arguments', () => {
  const cases: { tool: string; args: Record<string, unknown>; mentions: string }[] = [
    { tool: 'query', args: { sql: `SELECT '${'x'.repeat(20_001)}'` }, mentions: 'sql' },
    { tool: 'query', args: { sql: 'SELECT 1', max_rows: 1001 }, mentions: 'max_rows' },
    { tool: 'query', args: { sql: 'SELECT 1', cursor: 'c'.repeat(2_001) }, mentions: 'cursor' },
    { tool: 'run_pipeline', args: { resources: Array.from({ length: 33 }, (_, i) => `t${i}`) }, mentions: 'resources' },
    { tool: 'run_pipeline', args: { wait_seconds: 601 }, mentions: 'wait_seconds' },
    { tool: 'run_pipeline', args: { dev_limit: 0 }, mentions: 'dev_limit' },
    { tool: 'preview_endpoint', args: { table: 'managed_accounts', pages: 4 }, mentions: 'pages' },
    { tool: 'preview_endpoint', args: { table: 'managed_accounts', max_records: 21 }, mentions: 'max_records' },
    { tool: 'describe_table', args: { table: 't'.repeat(129) }, mentions: 'table' },
    { tool: 'list_endpoints', args: { filter: 'f'.repeat(201) }, mentions: 'filter' },
  ];
  for (const { tool, args, mentions } of cases) {
    it(`${tool} rejects an oversized ${mentions}`, async () => {
      const text = await callError(connected.client, tool, args);
      expect(text).toContain(mentions);
      await expectNoEffect();
    });
  }

  it('rejects payloads with more elements than the server allows', async () => {
    const resources = Array.from({ length: MAX_TOOL_INPUT_ELEMENTS + 1 }, () => 'managed_accounts');
    const text = await callError(connected.client, 'scaffold_pipeline', { resources });
    expect(text).toContain(`maximum of ${MAX_TOOL_INPUT_ELEMENTS} elements`);
    expect(existsSync(join(project.dir, 'beyondtrust_pipeline.ts'))).toBe(false);
  });
});

describe('misspelled arguments are rejected by the strict schemas', () => {
  const cases: { tool: string; args: Record<string, unknown>; key: string }[] = [
    { tool: 'query', args: { sql: 'SELECT 1', maxRows: 5 }, key: 'maxRows' },
    { tool: 'query', args: { query: 'SELECT 1' }, key: 'query' },
    { tool: 'list_endpoints', args: { filtr: 'x' }, key: 'filtr' },
    { tool: 'check_credentials', args: { Live: true }, key: 'Live' },
    { tool: 'scaffold_pipeline', args: { overwrite: true, dir: '.' }, key: 'dir' },
    { tool: 'preview_endpoint', args: { table: 'managed_accounts', limit: 3 }, key: 'limit' },
    { tool: 'run_pipeline', args: { resource: ['managed_accounts'] }, key: 'resource' },
    { tool: 'pipeline_info', args: { runId: 'x' }, key: 'runId' },
    { tool: 'list_tables', args: { includeSystem: true }, key: 'includeSystem' },
    { tool: 'describe_table', args: { table: 'managed_accounts', stat: true }, key: 'stat' },
  ];
  for (const { tool, args, key } of cases) {
    it(`${tool} rejects "${key}"`, async () => {
      const text = await callError(connected.client, tool, args);
      expect(text).toContain(`"${key}"`);
    });
  }

  it('a misspelled run_pipeline argument started no run', async () => {
    const info = await callOk<{ last_runs: unknown[] }>(connected.client, 'pipeline_info');
    expect(info.last_runs).toEqual([]);
    await expectNoEffect();
  });
});
