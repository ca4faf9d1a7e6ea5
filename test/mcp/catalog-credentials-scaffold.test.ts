/** list_endpoints, check_credentials and scaffold_pipeline through the protocol, against a real simulator. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { callError, callOk, configureProject, connect, startTestSimulator, tempProject } from './support/harness.js';

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startTestSimulator();
});

afterAll(async () => {
  await simulator.stop();
});

interface EndpointsResult {
  endpoints: { table: string; path: string; opt_in: boolean; primary_key: string[]; sensitive_fields: string[]; write_disposition: string }[];
  count: number;
  total: number;
  hint: string;
}

describe('list_endpoints', () => {
  it('lists the default endpoints, filters, and shows opt-in ones only on request', async () => {
    const project = await tempProject();
    const { client, close } = await connect({ projectDir: project.dir });
    try {
      const all = await callOk<EndpointsResult>(client, 'list_endpoints');
      const tables = all.endpoints.map((entry) => entry.table);
      expect(tables).toContain('managed_accounts');
      expect(tables).not.toContain('credentials');
      expect(all.endpoints.every((entry) => entry.opt_in === false)).toBe(true);
      const managedAccounts = all.endpoints.find((entry) => entry.table === 'managed_accounts');
      expect(managedAccounts).toMatchObject({ path: 'ManagedAccounts', write_disposition: expect.any(String) });
      expect(managedAccounts?.primary_key.length).toBeGreaterThan(0);

      const withOptIn = await callOk<EndpointsResult>(client, 'list_endpoints', { include_opt_in: true });
      expect(withOptIn.endpoints.map((entry) => entry.table)).toContain('credentials');
      expect(withOptIn.count).toBe(withOptIn.total);

      const filtered = await callOk<EndpointsResult>(client, 'list_endpoints', { filter: 'SESSION' });
      expect(filtered.endpoints.map((entry) => entry.table)).toEqual(expect.arrayContaining(['sessions']));
      expect(filtered.count).toBeLessThan(all.count);

      const none = await callOk<EndpointsResult>(client, 'list_endpoints', { filter: 'no-such-thing' });
      expect(none.count).toBe(0);
      expect(none.hint).toContain('No endpoint matches');
    } finally {
      await close();
      await project.remove();
    }
  });
});

interface CredentialsResult {
  auth_mode: string;
  settings: { key: string; present: boolean; secret: boolean; value?: string; origin?: string }[];
  missing: string[];
  live?: { ok: boolean; user_name?: string; latency_ms: number; code?: string; reason?: string };
  next_steps: string[];
}

describe('check_credentials', () => {
  it('reports presence and origin with secrets masked, and a live sign-in', async () => {
    const project = await tempProject();
    await configureProject(project.dir, simulator);
    const { client, close } = await connect({ projectDir: project.dir });
    try {
      const report = await callOk<CredentialsResult>(client, 'check_credentials');
      expect(report.auth_mode).toBe('ps_auth');
      expect(report.missing).toEqual([]);
      const apiKey = report.settings.find((setting) => setting.key === 'api_key');
      expect(apiKey).toMatchObject({ present: true, secret: true, value: '**********' });
      expect(apiKey?.origin).toContain('.dlt/secrets.toml');
      expect(report.settings.find((setting) => setting.key === 'base_url')).toMatchObject({ value: simulator.baseUrl });
      expect(report.live).toBeUndefined();

      const signInsBefore = simulator.stats.signIns;
      const live = await callOk<CredentialsResult>(client, 'check_credentials', { live: true });
      expect(live.live).toMatchObject({ ok: true });
      expect(live.live?.latency_ms).toBeGreaterThanOrEqual(0);
      expect(simulator.stats.signIns).toBe(signInsBefore + 1);
    } finally {
      await close();
      await project.remove();
    }
  });

  it('names what is missing and where it goes, and a failing live check gives code and reason', async () => {
    const project = await tempProject();
    const { client, close } = await connect({ projectDir: project.dir });
    try {
      const report = await callOk<CredentialsResult>(client, 'check_credentials', { live: true });
      expect(report.auth_mode).toBe('none');
      expect(report.missing).toEqual(expect.arrayContaining(['base_url']));
      expect(report.live).toMatchObject({ ok: false, code: expect.any(String), reason: expect.any(String) });
      expect(report.next_steps.join(' ')).toContain('.dlt/secrets.toml');
    } finally {
      await close();
      await project.remove();
    }
  });

  it('reports a wrong API key as a failed live check, from env overrides', async () => {
    const project = await tempProject();
    const env = {
      SOURCES__BEYONDTRUST_SOURCE__BASE_URL: simulator.baseUrl,
      SOURCES__BEYONDTRUST_SOURCE__API_KEY: 'wrong-key-0000',
      SOURCES__BEYONDTRUST_SOURCE__RUNAS: simulator.credentials.runas,
    };
    const { client, close } = await connect({ projectDir: project.dir, env });
    try {
      const report = await callOk<CredentialsResult>(client, 'check_credentials', { live: true });
      expect(report.settings.find((setting) => setting.key === 'api_key')?.origin).toContain('SOURCES__BEYONDTRUST_SOURCE__API_KEY');
      expect(report.live).toMatchObject({ ok: false });
      expect(report.live?.code).toMatch(/401|AUTH/);
    } finally {
      await close();
      await project.remove();
    }
  });
});

interface ScaffoldResult {
  directory: string;
  written: string[];
  skipped: { path: string; reason: string }[];
  next_steps: string[];
}

describe('scaffold_pipeline', () => {
  it('writes the pipeline files with placeholders, skips existing files, overwrites only when asked', async () => {
    const project = await tempProject();
    const { client, close } = await connect({ projectDir: project.dir });
    try {
      const first = await callOk<ScaffoldResult>(client, 'scaffold_pipeline', { resources: ['managed_accounts', 'assets'] });
      expect(first.written).toEqual(
        expect.arrayContaining(['beyondtrust_pipeline.ts', '.dlt/config.toml', '.dlt/secrets.toml', '.gitignore']),
      );
      expect(first.next_steps.length).toBeGreaterThan(0);
      const secrets = await readFile(join(project.dir, '.dlt', 'secrets.toml'), 'utf8');
      expect(secrets).toContain('[sources.beyondtrust_source]');
      const script = await readFile(join(project.dir, 'beyondtrust_pipeline.ts'), 'utf8');
      expect(script).toContain('managed_accounts');
      expect(await readFile(join(project.dir, '.gitignore'), 'utf8')).toContain('.dlt/secrets.toml');

      const second = await callOk<ScaffoldResult>(client, 'scaffold_pipeline', { resources: ['managed_accounts'] });
      expect(second.written).not.toContain('beyondtrust_pipeline.ts');
      expect(second.skipped.map((entry) => entry.path)).toEqual(expect.arrayContaining(['beyondtrust_pipeline.ts', '.dlt/secrets.toml']));

      const third = await callOk<ScaffoldResult>(client, 'scaffold_pipeline', { resources: ['managed_accounts'], overwrite: true });
      expect(third.written).toContain('beyondtrust_pipeline.ts');
      expect(await readFile(join(project.dir, 'beyondtrust_pipeline.ts'), 'utf8')).not.toContain("'assets'");
    } finally {
      await close();
      await project.remove();
    }
  });

  it('writes only where the other tools read: no directory argument, next steps for this project', async () => {
    const project = await tempProject();
    const { client, close } = await connect({ projectDir: project.dir });
    try {
      const refused = await callError(client, 'scaffold_pipeline', { directory: 'pipelines/bt' });
      expect(refused).toContain('"directory"');
      expect(existsSync(join(project.dir, 'pipelines'))).toBe(false);
      const result = await callOk<ScaffoldResult>(client, 'scaffold_pipeline', {});
      expect(result.directory).toBe('.');
      expect(result.next_steps.join(' ')).toContain('.dlt/secrets.toml');
      // The files are where check_credentials reads them: it now finds the placeholders of this project.
      const check = await callOk<{ missing: string[] }>(client, 'check_credentials');
      expect(check.missing.join(' ')).toMatch(/placeholder in \.dlt\/(secrets|config)\.toml/);
    } finally {
      await close();
      await project.remove();
    }
  });

  it('rejects unknown resources without writing anything', async () => {
    const project = await tempProject();
    const { client, close } = await connect({ projectDir: project.dir });
    try {
      const text = await callError(client, 'scaffold_pipeline', { resources: ['managed_acounts'] });
      expect(text).toMatch(/^UNKNOWN_(RESOURCE|ENDPOINT): /);
      expect(text).toContain('managed_acounts');
      expect(existsSync(join(project.dir, 'beyondtrust_pipeline.ts'))).toBe(false);
    } finally {
      await close();
      await project.remove();
    }
  });
});

describe('dataset tools before the first load', () => {
  it('say that nothing was loaded yet and how to fix it', async () => {
    const project = await tempProject();
    const { client, close } = await connect({ projectDir: project.dir });
    try {
      for (const [tool, args] of [
        ['list_tables', {}],
        ['describe_table', { table: 'managed_accounts' }],
        ['query', { sql: 'SELECT 1' }],
      ] as const) {
        const text = await callError(client, tool, args);
        expect(text, tool).toMatch(/^DATASET_NOT_FOUND: .*Hint: /);
      }
      expect(existsSync(join(project.dir, 'beyondtrust_pipeline.duckdb'))).toBe(false);
    } finally {
      await close();
      await project.remove();
    }
  });
});
