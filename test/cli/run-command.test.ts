import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { count, makeTempDir, query } from '../pipeline/helpers.js';
import { runCli } from './helpers.js';

let sim: RunningSimulator;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, scale: 0.5 });
  ({ dir, cleanup } = await makeTempDir('bt-cli-'));
});
afterAll(async () => {
  await sim.stop();
  await cleanup();
});

function simEnv(): NodeJS.ProcessEnv {
  return {
    SOURCES__BEYONDTRUST_SOURCE__BASE_URL: sim.baseUrl,
    SOURCES__BEYONDTRUST_SOURCE__API_KEY: sim.credentials.apiKey,
    SOURCES__BEYONDTRUST_SOURCE__RUNAS: sim.credentials.runas,
    SOURCES__BEYONDTRUST_SOURCE__PASSWORD: sim.credentials.password,
  };
}

describe('beyondtrust-mcp run / info', () => {
  it('run prints dlt load info with one package, loads the default resources, and info shows the run and the state', async () => {
    const result = await runCli(['run'], { cwd: dir, env: simEnv() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const dbPath = `${dir}/beyondtrust_pipeline.duckdb`;
    const lines = result.stdout.split('\n');
    // humanize.precisedelta of the load step: "0.26 seconds", "1 second", "3 seconds", "1 minute and 2.50 seconds".
    expect(lines[0]).toMatch(/^Pipeline beyondtrust_pipeline load step completed in (\d+ minutes? and )?(\d+\.\d\d seconds|\d+ seconds?)$/);
    expect(lines[1]).toBe('1 load package(s) were loaded to destination duckdb and into dataset beyondtrust_data');
    expect(lines[2]).toBe(`The duckdb destination used duckdb:///${dbPath} location to store data`);
    expect(lines[3]).toMatch(/^Load package \d{10}\.\d{6} is LOADED and contains no failed jobs$/);
    expect(result.stdout).toContain(`- managed_accounts: ${sim.counts.managedAccounts} row(s)`);
    expect(result.stdout).toContain('- _dlt_pipeline_state: 1 row(s)');
    expect(result.stdout).not.toContain(sim.credentials.apiKey);
    const loadId = /Load package (\S+)/.exec(result.stdout)?.[1];
    expect(await query(dbPath, 'SELECT load_id, status FROM beyondtrust_data._dlt_loads')).toEqual([[loadId, 0n]]);
    expect(await count(dbPath, 'managed_accounts')).toBe(sim.counts.managedAccounts);
    const tables = (await query(dbPath, "SELECT table_name FROM duckdb_tables() WHERE schema_name='beyondtrust_data'")).flat();
    expect(tables).not.toContain('credentials');

    const info = await runCli(['info'], { cwd: dir });
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('Pipelines: beyondtrust_pipeline');
    expect(info.stdout).toMatch(/completed\s+\d+ rows/);
    expect(info.stdout).toMatch(/secrets: ModifiedOn = "\d{4}-/);
    expect(info.stdout).toContain(`${loadId}  status 0`);
  });

  it('run with --resources and --dev-limit loads only those resources, at most P pages each', async () => {
    const result = await runCli(['run', '--resources', 'managed_accounts,platforms', '--dev-limit', '1', '--pipeline-name', 'limited', '--dataset-name', 'lim'], {
      cwd: dir,
      env: { ...simEnv(), SOURCES__BEYONDTRUST_SOURCE__PAGE_SIZE: '100' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Pipeline limited load step completed');
    expect(result.stdout).toContain('- managed_accounts: 100 row(s)');
    const tables = (await query(`${dir}/limited.duckdb`, "SELECT table_name FROM duckdb_tables() WHERE schema_name='lim' AND NOT starts_with(table_name, '_dlt') ORDER BY 1")).flat();
    expect(tables).toEqual(['managed_accounts', 'platforms']);
  });

  it('run fails with code, message and hint on stderr and exit 1 when settings are missing', async () => {
    const { dir: empty, cleanup: done } = await makeTempDir('bt-cli-empty-');
    try {
      const result = await runCli(['run'], { cwd: empty, env: { SOURCES__BEYONDTRUST_SOURCE__BASE_URL: '' } });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/CONFIG_MISSING: .*base_url/);
      expect(result.stderr).toContain('Hint:');
    } finally {
      await done();
    }
  });

  it('run reports an authentication failure with its HTTP code and leaves no database behind', async () => {
    const { dir: other, cleanup: done } = await makeTempDir('bt-cli-401-');
    try {
      const result = await runCli(['run'], { cwd: other, env: { ...simEnv(), SOURCES__BEYONDTRUST_SOURCE__API_KEY: 'wrong-key-1234' } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Error \(step: extract\): BT_AUTH_FAILED: .*HTTP 401/);
      expect(existsSync(`${other}/beyondtrust_pipeline.duckdb`)).toBe(false);
      expect(result.stderr).not.toContain('wrong-key-1234');
      const info = await runCli(['info'], { cwd: other });
      expect(info.stdout).toMatch(/failed .*BT_AUTH_FAILED/);
    } finally {
      await done();
    }
  });
});
