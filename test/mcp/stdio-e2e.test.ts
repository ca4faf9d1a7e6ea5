/**
 * The built server over stdio, as an agent runs it: spawns `node dist/src/cli/main.js serve` in a project and drives a
 * whole find-source session against the simulator — list → check → scaffold → preview → run → list_tables → describe
 * → query. stdout must carry JSON-RPC only; closing stdin must stop the server.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { ensureBuiltCli } from '../support/built-cli.js';
import { callOk, configureProject, startTestSimulator, tempProject } from './support/harness.js';

function withoutSourceEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !key.startsWith('SOURCES__')) clean[key] = value;
  }
  return clean;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let cli: string;
let simulator: RunningSimulator;
let project: Awaited<ReturnType<typeof tempProject>>;

beforeAll(async () => {
  cli = ensureBuiltCli();
  simulator = await startTestSimulator();
  project = await tempProject();
  await configureProject(project.dir, simulator);
}, 120_000);

afterAll(async () => {
  await simulator.stop();
  await project.remove();
});

describe('beyondtrust-mcp serve over stdio', () => {
  it('drives a whole find-source session and stops when stdin closes', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'serve'],
      cwd: project.dir,
      env: { ...withoutSourceEnv(process.env), BEYONDTRUST_MCP_PROJECT_DIR: project.dir, BEYONDTRUST_MCP_LOG_LEVEL: 'info' },
      stderr: 'pipe',
    });
    const stderr: string[] = [];
    (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    const protocolErrors: Error[] = [];
    const client = new Client({ name: 'stdio-e2e', version: '0.0.0' });
    client.onerror = (error) => protocolErrors.push(error);
    await client.connect(transport);
    const pid = transport.pid;
    expect(pid).not.toBeNull();

    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(
        ['check_credentials', 'describe_table', 'list_endpoints', 'list_tables', 'pipeline_info', 'preview_endpoint', 'query', 'run_pipeline', 'scaffold_pipeline'],
      );

      const endpoints = await callOk<{ endpoints: { table: string }[] }>(client, 'list_endpoints', { filter: 'managed' });
      expect(endpoints.endpoints.map((entry) => entry.table)).toContain('managed_accounts');

      const credentials = await callOk<{ auth_mode: string; live?: { ok: boolean } }>(client, 'check_credentials', { live: true });
      expect(credentials).toMatchObject({ auth_mode: 'ps_auth', live: { ok: true } });

      const scaffold = await callOk<{ written: string[]; skipped: { path: string }[] }>(client, 'scaffold_pipeline', {
        resources: ['managed_accounts', 'managed_systems'],
      });
      expect(scaffold.written).toContain('beyondtrust_pipeline.ts');
      expect(scaffold.skipped.map((entry) => entry.path)).toContain('.dlt/secrets.toml');

      const preview = await callOk<{ records: unknown[] }>(client, 'preview_endpoint', { table: 'managed_accounts', max_records: 2 });
      expect(preview.records).toHaveLength(2);

      const run = await callOk<{ status: string; row_counts: Record<string, number> }>(client, 'run_pipeline', {
        resources: ['managed_accounts', 'managed_systems'],
        dev_limit: 1,
      });
      expect(run.status).toBe('completed');
      expect(run.row_counts['managed_accounts']).toBe(simulator.counts.managedAccounts);
      expect(existsSync(join(project.dir, 'beyondtrust_pipeline.duckdb'))).toBe(true);

      const tables = await callOk<{ tables: { name: string }[] }>(client, 'list_tables');
      expect(tables.tables.map((table) => table.name)).toEqual(expect.arrayContaining(['managed_accounts', 'managed_systems']));

      const described = await callOk<{ columns: { name: string }[] }>(client, 'describe_table', { table: 'managed_accounts' });
      expect(described.columns.map((column) => column.name)).toContain('account_name');

      const query = await callOk<{ rows: { n: number }[] }>(client, 'query', {
        sql: 'SELECT count(*) AS n FROM beyondtrust_data.managed_accounts',
      });
      expect(query.rows).toEqual([{ n: simulator.counts.managedAccounts }]);
    } finally {
      await client.close();
    }

    expect(protocolErrors).toEqual([]);
    for (let attempt = 0; attempt < 100 && pid !== null && isAlive(pid); attempt++) {
      await new Promise((resolveLater) => setTimeout(resolveLater, 50));
    }
    expect(pid !== null && isAlive(pid)).toBe(false);
    expect(stderr.join('')).toContain('serving project');
  });
});
