/**
 * The scaffolded beyondtrust_pipeline.ts is a real program: it type-checks against the package's public API and,
 * transpiled the way `npx tsx` would run it, loads the chosen resources from the simulator into DuckDB.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffoldPipeline } from '../../src/scaffold/pipeline-files.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { REPO_ROOT, ensureBuiltCli } from '../support/built-cli.js';
import { withTempDir } from './temp-project.js';

const run = promisify(execFile);
const RESOURCES = ['managed_accounts', 'workgroups', 'assets'];

describe('scaffolded pipeline script', () => {
  let sim: RunningSimulator;
  let project: { dir: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    ensureBuiltCli();
    sim = await startSimulator({ port: 0, seed: 7, scale: 2 });
    project = await withTempDir('script');
    await scaffoldPipeline({ projectDir: project.dir, resources: RESOURCES, baseUrl: sim.baseUrl });
    // The project depends on this package as a user's would (npm install beyondtrust-mcp).
    await mkdir(join(project.dir, 'node_modules'), { recursive: true });
    await symlink(REPO_ROOT, join(project.dir, 'node_modules', 'beyondtrust-mcp'), 'dir');
  });

  afterAll(async () => {
    await sim?.stop();
    await project?.cleanup();
  });

  it('type-checks against the public API of the package', async () => {
    const script = join(project.dir, 'beyondtrust_pipeline.ts');
    const program = ts.createProgram([script], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
      skipLibCheck: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === script || d.file === undefined)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('loads the chosen resources with credentials from the environment only', async () => {
    const source = await readFile(join(project.dir, 'beyondtrust_pipeline.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(project.dir, 'beyondtrust_pipeline.mjs'), outputText);
    const secretsFile = await readFile(join(project.dir, '.dlt', 'secrets.toml'), 'utf8');
    expect(secretsFile).not.toContain(sim.credentials.apiKey);

    const { stdout } = await run(process.execPath, ['beyondtrust_pipeline.mjs'], {
      cwd: project.dir,
      env: {
        PATH: process.env['PATH'] ?? '',
        SOURCES__BEYONDTRUST_SOURCE__API_KEY: sim.credentials.apiKey,
        SOURCES__BEYONDTRUST_SOURCE__RUNAS: sim.credentials.runas,
        SOURCES__BEYONDTRUST_SOURCE__PASSWORD: sim.credentials.password,
      },
    });
    expect(stdout).toContain('1 load package(s) were loaded to destination duckdb and into dataset beyondtrust_data');
    expect(stdout).toMatch(/Load package \d+\.\d+ is LOADED and contains no failed jobs/);
    expect(stdout).not.toContain(sim.credentials.apiKey);

    const instance = await DuckDBInstance.create(join(project.dir, 'beyondtrust_pipeline.duckdb'), { access_mode: 'READ_ONLY' });
    try {
      const connection = await instance.connect();
      const reader = await connection.runAndReadAll(
        `SELECT (SELECT count(*) FROM beyondtrust_data.managed_accounts) AS accounts,
                (SELECT count(*) FROM beyondtrust_data.workgroups) AS workgroups,
                (SELECT count(*) FROM beyondtrust_data.assets) AS assets`,
      );
      const [accounts, workgroups, assets] = reader.getRows()[0]!.map(Number);
      expect({ accounts, workgroups, assets }).toEqual({
        accounts: sim.counts.managedAccounts,
        workgroups: sim.counts.workgroups,
        assets: sim.counts.assets,
      });
      connection.closeSync();
    } finally {
      instance.closeSync();
    }
  });
});
