/**
 * Sentinel secrets through every tool: the configured API key and password never appear in any result, error text,
 * progress message, log line, resource, prompt or persisted run trace — on success and on failure. The run-as user
 * name is an identity, not a credential: it is reported (check_credentials live.user_name, its users row) unmasked.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { captureLog, configureProject, connect, startTestSimulator, tempProject } from './support/harness.js';
import type { CapturedLog, Connected } from './support/harness.js';

const SENTINELS = {
  apiKey: 'SENTINEL-APIKEY-5b7c1d9e0f',
  password: 'SENTINEL-PASSWORD-c3d4e5',
};
const RUNAS = 'sentinel_runas_a1b2c3';
const WRONG_PASSWORD = 'SENTINEL-WRONGPW-f6a7b8';
const ALL_SENTINELS = [...Object.values(SENTINELS), WRONG_PASSWORD];

let simulator: RunningSimulator;
let project: Awaited<ReturnType<typeof tempProject>>;
let log: CapturedLog;
let connected: Connected;
/** Everything the client saw or the server wrote, gathered for one final assertion per test. */
const seen: string[] = [];

async function callAndRecord(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool(
    { name, arguments: args },
    undefined,
    { onprogress: (progress) => seen.push(JSON.stringify(progress)) },
  );
  seen.push(JSON.stringify(result));
  return result;
}

function expectNoSentinel(texts: string[]): void {
  const joined = texts.join('\n');
  for (const sentinel of ALL_SENTINELS) {
    expect(joined).not.toContain(sentinel);
    expect(joined).not.toContain(encodeURIComponent(sentinel));
  }
}

beforeAll(async () => {
  simulator = await startTestSimulator({ ...SENTINELS, runas: RUNAS });
  project = await tempProject();
  await configureProject(project.dir, simulator);
  log = captureLog();
  connected = await connect({ projectDir: project.dir, logger: log.logger });
});

afterAll(async () => {
  await connected.close();
  await simulator.stop();
  await project.remove();
});

describe('sentinel secrets', () => {
  it('never leave through any tool on the happy path', async () => {
    const { client } = connected;
    await callAndRecord(client, 'list_endpoints', { include_opt_in: true });
    const check = await callAndRecord(client, 'check_credentials', { live: true });
    const checked = check.structuredContent as { live: { ok: boolean; user_name: string }; settings: { key: string; present: boolean; origin?: string }[] };
    expect(checked.live.ok).toBe(true);
    // The identity the key runs as is reported, not masked; its setting still shows presence and origin.
    expect(checked.live.user_name).toBe(RUNAS);
    expect(checked.settings.find((setting) => setting.key === 'runas')).toMatchObject({ present: true, origin: expect.stringContaining('secrets.toml') });
    await callAndRecord(client, 'scaffold_pipeline', { resources: ['managed_accounts', 'users'] });
    await callAndRecord(client, 'preview_endpoint', { table: 'users', max_records: 20 });
    await callAndRecord(client, 'preview_endpoint', { table: 'managed_accounts', pages: 2 });
    const run = await callAndRecord(client, 'run_pipeline', { resources: ['managed_accounts', 'users'], dev_limit: 1 });
    expect(run.isError).toBeFalsy();
    const runId = (run.structuredContent as { run_id: string }).run_id;
    await callAndRecord(client, 'pipeline_info');
    await callAndRecord(client, 'pipeline_info', { run_id: runId });
    await callAndRecord(client, 'list_tables', { include_system: true });
    await callAndRecord(client, 'describe_table', { table: 'users', stats: true });
    const users = await callAndRecord(client, 'query', { sql: `SELECT user_name FROM users WHERE user_name = '${RUNAS}'` });
    expect((users.structuredContent as { rows: unknown[] }).rows).toEqual([{ user_name: RUNAS }]);
    // Even a secret the model asks for verbatim comes back masked; the run-as name is data and stays as it is.
    const echoed = await callAndRecord(client, 'query', { sql: `SELECT '${SENTINELS.password}' AS p, '${SENTINELS.apiKey}' AS k, '${RUNAS}' AS r` });
    expect((echoed.structuredContent as { rows: unknown[] }).rows).toEqual([{ p: '**********', k: '**********', r: RUNAS }]);
    seen.push(JSON.stringify(await client.readResource({ uri: 'beyondtrust://endpoints' })));
    seen.push(JSON.stringify(await client.getPrompt({ name: 'find_source', arguments: {} })));

    const traces = join(project.dir, '.dlt', 'pipelines', 'beyondtrust_pipeline', 'runs');
    for (const file of await readdir(traces)) seen.push(await readFile(join(traces, file), 'utf8'));
    expect(log.lines.length).toBeGreaterThan(0);
    expectNoSentinel([...seen, ...log.lines]);
  });

  it('never leave through error paths: bad SQL quoting them, failed sign-in, failed run', async () => {
    const { client } = connected;
    const sqlError = await callAndRecord(client, 'query', { sql: `SELECT * FROM "${SENTINELS.apiKey}"` });
    expect(sqlError.isError).toBe(true);

    const wrongEnv = { SOURCES__BEYONDTRUST_SOURCE__PASSWORD: WRONG_PASSWORD, SOURCES__BEYONDTRUST_SOURCE__API_KEY: `${SENTINELS.apiKey}x` };
    const wrong = await connect({ projectDir: project.dir, logger: log.logger, env: wrongEnv });
    try {
      const check = await callAndRecord(wrong.client, 'check_credentials', { live: true });
      expect(JSON.stringify(check.structuredContent)).toContain('"ok":false');
      const preview = await callAndRecord(wrong.client, 'preview_endpoint', { table: 'managed_accounts' });
      expect(preview.isError).toBe(true);
      const run = await callAndRecord(wrong.client, 'run_pipeline', { resources: ['managed_accounts'], dev_limit: 1 });
      expect(run.isError).toBe(true);
      await callAndRecord(wrong.client, 'pipeline_info');
    } finally {
      await wrong.close();
    }
    expectNoSentinel([...seen, ...log.lines]);
  });
});
