/**
 * preview → run → pipeline_info → list_tables → describe_table → query through the protocol, against a real
 * simulator and a real DuckDB file; plus progress, long runs, one-run-at-a-time, DB_LOCKED and cancellation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { callError, callOk, configureProject, connect, errorText, startTestSimulator, tempProject } from './support/harness.js';
import type { Connected } from './support/harness.js';

interface RunResult {
  status: 'completed' | 'running';
  run_id: string;
  row_counts?: Record<string, number>;
  load_ids?: string[];
  load_info?: string;
  retries?: number;
  timings?: { name: string; duration_ms?: number }[];
  hint: string;
}

interface InfoResult {
  running?: { run_id: string; progress: { pages: number } };
  run?: { run_id: string; status: string; rows_by_table: Record<string, number>; error?: { code: string } };
  last_runs?: { run_id: string; status: string }[];
  load_info?: string;
}

interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  row_count: number;
  truncated: boolean;
  next_cursor: string | null;
}

async function waitForRunEnd(connected: Connected, runId: string): Promise<NonNullable<InfoResult['run']>> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const info = await callOk<InfoResult>(connected.client, 'pipeline_info', { run_id: runId });
    if (info.run) return info.run;
    await new Promise((resolveLater) => setTimeout(resolveLater, 50));
  }
  throw new Error(`run ${runId} did not end`);
}

describe('the load → inspect → query tools', () => {
  let simulator: RunningSimulator;
  let project: Awaited<ReturnType<typeof tempProject>>;
  let connected: Connected;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    project = await tempProject();
    await configureProject(project.dir, simulator);
    connected = await connect({ projectDir: project.dir });
  });

  afterAll(async () => {
    await connected.close();
    await simulator.stop();
    await project.remove();
  });

  it('previews an endpoint without loading: records, shape, paging, inferred columns', async () => {
    const preview = await callOk<{
      table: string;
      shape: string;
      paging: { kind: string; has_more: boolean };
      records: Record<string, unknown>[];
      record_count: number;
      columns: { name: string; data_type: string }[];
    }>(connected.client, 'preview_endpoint', { table: 'managed_accounts', max_records: 3 });
    expect(preview.table).toBe('managed_accounts');
    expect(preview.records).toHaveLength(3);
    expect(preview.record_count).toBeGreaterThanOrEqual(3);
    expect(preview.paging.kind).toBe('offset');
    expect(preview.columns.map((column) => column.name)).toEqual(expect.arrayContaining(['account_id', 'account_name']));
    expect(existsSync(join(project.dir, 'beyondtrust_pipeline.duckdb'))).toBe(false);

    const unknown = await callError(connected.client, 'preview_endpoint', { table: 'passwords' });
    expect(unknown).toMatch(/^UNKNOWN_ENDPOINT: .*"passwords".*Hint: Use table names from list_endpoints: .*managed_accounts/);
  });

  it('runs the pipeline with progress notifications and returns the load info', async () => {
    const progress: Progress[] = [];
    const result = await connected.client.callTool(
      { name: 'run_pipeline', arguments: { resources: ['managed_accounts', 'managed_systems'] } },
      undefined,
      { onprogress: (update) => progress.push(update), resetTimeoutOnProgress: true },
    );
    expect(result.isError, errorText(result as never)).toBeFalsy();
    const run = result.structuredContent as unknown as RunResult;
    expect(run.status).toBe('completed');
    expect(run.row_counts?.['managed_accounts']).toBe(simulator.counts.managedAccounts);
    expect(run.row_counts?.['managed_systems']).toBe(simulator.counts.managedSystems);
    expect(run.load_ids).toHaveLength(1);
    expect(run.load_info).toContain('Pipeline beyondtrust_pipeline load step completed');
    expect(run.timings?.map((step) => step.name)).toEqual(expect.arrayContaining(['extract', 'load']));

    expect(progress.length).toBeGreaterThan(0);
    const values = progress.map((update) => update.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(progress.every((update) => typeof update.message === 'string')).toBe(true);

    const info = await callOk<InfoResult>(connected.client, 'pipeline_info', { run_id: run.run_id });
    expect(info.run).toMatchObject({ run_id: run.run_id, status: 'completed' });
    expect(info.run?.rows_by_table['managed_accounts']).toBe(simulator.counts.managedAccounts);
    expect(info.load_info).toContain('LOADED');

    const summary = await callOk<InfoResult & { pipelines: string[] }>(connected.client, 'pipeline_info');
    expect(summary.pipelines).toContain('beyondtrust_pipeline');
    expect(summary.last_runs?.[0]).toMatchObject({ run_id: run.run_id, status: 'completed' });
  });

  it('sends page, every table and the completed message of a fast dev_limit run before the result', async () => {
    const progress: Progress[] = [];
    const result = await connected.client.callTool(
      { name: 'run_pipeline', arguments: { resources: ['managed_accounts', 'managed_systems', 'workgroups'], dev_limit: 1 } },
      undefined,
      { onprogress: (update) => progress.push(update) },
    );
    expect(result.isError, errorText(result as never)).toBeFalsy();
    const run = result.structuredContent as unknown as RunResult;
    const messages = progress.map((update) => update.message ?? '');
    expect(messages.some((message) => /^\S+: page \d+ \(/.test(message)), messages.join('\n')).toBe(true);
    const loadedTables = Object.keys(run.row_counts ?? {}).filter((table) => !table.startsWith('_dlt_'));
    expect(loadedTables).toEqual(expect.arrayContaining(['managed_accounts', 'managed_systems', 'workgroups']));
    for (const table of loadedTables) {
      expect(messages.filter((message) => message.startsWith(`table ${table} loaded: `)), messages.join('\n')).not.toHaveLength(0);
    }
    expect(messages.at(-1)).toBe('run completed');
    const values = progress.map((update) => update.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });

  it('lists tables with counts and provenance, system tables on request', async () => {
    const listed = await callOk<{ tables: { name: string; row_count: number; is_system: boolean }[] }>(connected.client, 'list_tables');
    const accounts = listed.tables.find((table) => table.name === 'managed_accounts');
    expect(accounts).toMatchObject({ row_count: simulator.counts.managedAccounts, is_system: false });
    expect(listed.tables.some((table) => table.is_system)).toBe(false);
    const withSystem = await callOk<{ tables: { name: string }[] }>(connected.client, 'list_tables', { include_system: true });
    expect(withSystem.tables.map((table) => table.name)).toEqual(expect.arrayContaining(['_dlt_loads', '_dlt_version']));
  });

  it('describes a table with keys and stats', async () => {
    const described = await callOk<{
      primary_key: string[];
      columns: { name: string; type: string; primary_key: boolean; stats?: { distinct_count: number } }[];
    }>(connected.client, 'describe_table', { table: 'managed_accounts', stats: true });
    expect(described.primary_key.length).toBeGreaterThan(0);
    const idColumn = described.columns.find((column) => column.name === 'account_id');
    expect(idColumn).toMatchObject({ primary_key: true });
    expect(idColumn?.stats?.distinct_count).toBe(simulator.counts.managedAccounts);
    const missing = await callError(connected.client, 'describe_table', { table: 'nope' });
    expect(missing).toMatch(/^[A-Z_]+: .*nope/);
  });

  it('queries with pages and a cursor, without losing or repeating rows', async () => {
    const sql = 'SELECT account_id FROM managed_accounts ORDER BY account_id';
    const first = await callOk<QueryResult>(connected.client, 'query', { sql, max_rows: 20 });
    expect(first).toMatchObject({ row_count: 20, truncated: true });
    expect(first.columns.map((column) => column.name)).toEqual(['account_id']);
    const seen = first.rows.map((row) => row['account_id']);
    let cursor = first.next_cursor;
    while (cursor) {
      const page = await callOk<QueryResult>(connected.client, 'query', { sql, max_rows: 20, cursor });
      seen.push(...page.rows.map((row) => row['account_id']));
      cursor = page.next_cursor;
    }
    expect(seen).toHaveLength(simulator.counts.managedAccounts);
    expect(new Set(seen).size).toBe(seen.length);

    const aggregate = await callOk<QueryResult>(connected.client, 'query', {
      sql: 'SELECT count(*) AS n FROM beyondtrust_data.managed_accounts',
    });
    expect(aggregate.rows).toEqual([{ n: simulator.counts.managedAccounts }]);
    expect(aggregate.truncated).toBe(false);
  });

  it('returns a run id when the run outlasts wait_seconds, keeps one run at a time, locks the dataset, and pipeline_info follows it', async () => {
    simulator.faults.set('latency:150');
    try {
      const started = await callOk<RunResult>(connected.client, 'run_pipeline', { resources: ['managed_accounts'], wait_seconds: 0 });
      expect(started.status).toBe('running');
      expect(started.hint).toContain('pipeline_info');

      const second = await callError(connected.client, 'run_pipeline', { wait_seconds: 0 });
      expect(second).toMatch(/^RUN_IN_PROGRESS: .*run_id/);
      expect(second).toContain(started.run_id);
      const locked = await callError(connected.client, 'query', { sql: 'SELECT 1' });
      expect(locked).toMatch(/^DB_LOCKED: A load is running \(run_id /);
      expect(locked).toContain('pipeline_info');

      const live = await callOk<InfoResult>(connected.client, 'pipeline_info', { run_id: started.run_id });
      expect(live.running?.run_id ?? live.run?.run_id).toBe(started.run_id);
      const overview = await callOk<InfoResult & { hint: string }>(connected.client, 'pipeline_info');
      expect(overview.running?.run_id).toBe(started.run_id);
      expect(overview.hint).toContain('DB_LOCKED');

      const finished = await waitForRunEnd(connected, started.run_id);
      expect(finished.status).toBe('completed');
      expect(finished.rows_by_table['managed_accounts']).toBe(simulator.counts.managedAccounts);
      await callOk(connected.client, 'query', { sql: 'SELECT 1' });
    } finally {
      simulator.faults.clear();
    }
  });

  it('aborts the run when the call is cancelled: status cancelled, dataset unchanged', async () => {
    const countSql = 'SELECT (SELECT count(*) FROM _dlt_loads) AS loads, (SELECT count(*) FROM managed_accounts) AS rows';
    const before = await callOk<QueryResult>(connected.client, 'query', { sql: countSql });
    simulator.faults.set('latency:25');
    const controller = new AbortController();
    try {
      const call = connected.client.callTool(
        { name: 'run_pipeline', arguments: { resources: ['managed_accounts', 'assets'] } },
        undefined,
        { signal: controller.signal, onprogress: () => controller.abort() },
      );
      await expect(call).rejects.toThrow();
    } finally {
      simulator.faults.clear();
    }
    let last: { run_id: string; status: string } | undefined;
    for (let attempt = 0; attempt < 200; attempt++) {
      const info = await callOk<InfoResult>(connected.client, 'pipeline_info');
      last = info.last_runs?.[0];
      if (!info.running && last?.status === 'cancelled') break;
      await new Promise((resolveLater) => setTimeout(resolveLater, 50));
    }
    expect(last?.status).toBe('cancelled');
    const after = await callOk<QueryResult>(connected.client, 'query', { sql: countSql });
    expect(after.rows).toEqual(before.rows);
  });

  it('cancels a background run by its run_id: reported cancelled, pipeline_info shows it, the dataset is as before', async () => {
    const countSql = 'SELECT (SELECT count(*) FROM _dlt_loads) AS loads, (SELECT count(*) FROM managed_accounts) AS rows';
    const before = await callOk<QueryResult>(connected.client, 'query', { sql: countSql });
    const tablesBefore = await callOk<{ tables: { name: string; row_count: number }[] }>(connected.client, 'list_tables', { include_system: true });
    simulator.faults.set('latency:150');
    let runId: string;
    try {
      // No resources: the run reports the default endpoints it actually loads, not an empty list.
      const started = await callOk<RunResult & { resources: string[] }>(connected.client, 'run_pipeline', { wait_seconds: 0 });
      expect(started.status).toBe('running');
      expect(started.hint).toContain('cancel_run_id');
      expect(started.resources).toEqual(expect.arrayContaining(['managed_accounts', 'managed_systems', 'assets']));
      expect(started.resources).not.toContain('credentials');
      runId = started.run_id;
      const live = await callOk<InfoResult & { running?: { resources: string[] } }>(connected.client, 'pipeline_info', { run_id: runId });
      if (live.running) expect(live.running.resources).toEqual(started.resources);

      const both = await callError(connected.client, 'run_pipeline', { cancel_run_id: runId, resources: ['managed_accounts'] });
      expect(both).toMatch(/^INVALID_ARGUMENT: /);
      const cancelled = await callOk<RunResult>(connected.client, 'run_pipeline', { cancel_run_id: runId });
      expect(cancelled).toMatchObject({ status: 'cancelled', run_id: runId });
      expect(cancelled.hint).toContain('rolled back');
    } finally {
      simulator.faults.clear();
    }
    const info = await callOk<InfoResult>(connected.client, 'pipeline_info', { run_id: runId });
    expect(info.run).toMatchObject({ run_id: runId, status: 'cancelled', error: { code: 'CANCELLED' } });
    const overview = await callOk<InfoResult>(connected.client, 'pipeline_info');
    expect(overview.running).toBeUndefined();
    expect((await callOk<QueryResult>(connected.client, 'query', { sql: countSql })).rows).toEqual(before.rows);
    expect(await callOk(connected.client, 'list_tables', { include_system: true })).toEqual(tablesBefore);

    expect(await callError(connected.client, 'run_pipeline', { cancel_run_id: runId })).toMatch(/^RUN_NOT_RUNNING: .*not running any more/);
    expect(await callError(connected.client, 'run_pipeline', { cancel_run_id: 'run_unknown_1' })).toMatch(/^RUN_NOT_FOUND: /);
  });

  it('reports a failed run with step, endpoint, status, code and hint, and pipeline_info keeps the error', async () => {
    const env = { SOURCES__BEYONDTRUST_SOURCE__API_KEY: 'not-the-right-key' };
    const wrong = await connect({ projectDir: project.dir, env });
    try {
      const text = await callError(wrong.client, 'run_pipeline', { resources: ['managed_accounts'] });
      expect(text).toMatch(/^BT_[A-Z_0-9]+: Run run_\S+ failed: /);
      expect(text).toContain('step: extract');
      expect(text).toMatch(/endpoint: [A-Z]+ \S+/);
      expect(text).toContain('status: 401');
      expect(text).toContain('Hint: ');
      const info = await callOk<{ failed_runs: { status: string; error?: { code: string; step?: string; status?: number } }[] }>(
        wrong.client,
        'pipeline_info',
      );
      expect(info.failed_runs[0]).toMatchObject({ status: 'failed', error: { step: 'extract', status: 401 } });
    } finally {
      await wrong.close();
    }
  });

  it('interrupts a query that outlasts its time limit', async () => {
    const limited = await connect({ projectDir: project.dir, queryTimeoutMs: 200 });
    try {
      const text = await callError(limited.client, 'query', {
        sql: 'SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b',
      });
      expect(text).toMatch(/^SQL_TIMEOUT: /);
      await callOk(limited.client, 'query', { sql: 'SELECT 1 AS ok' });
    } finally {
      await limited.close();
    }
  });
});
