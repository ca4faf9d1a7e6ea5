import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPlaceholder } from '../../src/config/placeholders.js';
import { resolveSettings } from '../../src/config/resolve.js';
import { BtError } from '../../src/errors.js';
import { scaffoldPipeline } from '../../src/scaffold/pipeline-files.js';
import { withTempDir } from './temp-project.js';

let project: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir: project, cleanup } = await withTempDir('scaffold'));
});
afterEach(async () => {
  await cleanup();
});

async function expectBtError(promise: Promise<unknown>, code: string): Promise<BtError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BtError);
  expect((error as BtError).code).toBe(code);
  return error as BtError;
}

describe('scaffoldPipeline into an empty project', () => {
  it('writes the script, config, placeholder secrets (0600) and .gitignore', async () => {
    const result = await scaffoldPipeline({ projectDir: project, resources: ['managed_accounts', 'sessions'] });
    expect(result.directory).toBe('.');
    expect(result.written).toEqual(['beyondtrust_pipeline.ts', '.dlt/config.toml', '.dlt/secrets.toml', '.gitignore']);
    expect(result.skipped).toEqual([]);
    expect(result.next_steps.join('\n')).toMatch(/secrets\.toml/);
    expect(result.next_steps.join('\n')).toMatch(/Never ask for the values in chat/);

    const secretsPath = join(project, '.dlt/secrets.toml');
    expect((await stat(secretsPath)).mode & 0o777).toBe(0o600);
    const secrets = parseToml(await readFile(secretsPath, 'utf8')) as { sources: { beyondtrust_source: Record<string, unknown> } };
    const section = secrets.sources.beyondtrust_source;
    expect(Object.keys(section).sort()).toEqual(['api_key', 'client_id', 'client_secret', 'password', 'runas']);
    for (const value of Object.values(section)) {
      expect(typeof value).toBe('string');
      expect(isPlaceholder(value as string)).toBe(true);
    }

    const config = parseToml(await readFile(join(project, '.dlt/config.toml'), 'utf8')) as { sources: { beyondtrust_source: Record<string, unknown> } };
    expect(isPlaceholder(config.sources.beyondtrust_source['base_url'] as string)).toBe(true);

    const gitignore = (await readFile(join(project, '.gitignore'), 'utf8')).split('\n');
    expect(gitignore).toEqual(expect.arrayContaining(['.dlt/secrets.toml', '*.duckdb', '.dlt/pipelines/']));
  });

  it('produces files the config resolver reads as "nothing set yet" (placeholders are not credentials)', async () => {
    await scaffoldPipeline({ projectDir: project });
    const settings = resolveSettings({ projectDir: project, env: {} });
    expect(settings.base_url).toBeUndefined();
    expect(settings.api_key).toBeUndefined();
    expect(settings.client_secret).toBeUndefined();
  });

  it('takes a given base URL into config.toml and the resolver accepts it', async () => {
    await scaffoldPipeline({ projectDir: project, baseUrl: 'https://bt.example.com/BeyondTrust/api/public/v3' });
    const settings = resolveSettings({ projectDir: project, env: {} });
    expect(settings.base_url?.value).toBe('https://bt.example.com/BeyondTrust/api/public/v3');
  });

  it('writes a syntactically valid script mirroring dlt\'s example with the chosen resources', async () => {
    await scaffoldPipeline({ projectDir: project, resources: ['managed_accounts', 'user_audits'] });
    const script = await readFile(join(project, 'beyondtrust_pipeline.ts'), 'utf8');
    const output = ts.transpileModule(script, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    expect(output.diagnostics ?? []).toEqual([]);
    expect(script).toContain("import { beyondtrustSource, pipeline, resolveSettings } from 'beyondtrust-mcp';");
    expect(script).toContain('pipelineName: "beyondtrust_pipeline"');
    expect(script).toContain("destination: 'duckdb'");
    expect(script).toContain('datasetName: "beyondtrust_data"');
    expect(script).toContain('"managed_accounts",\n  "user_audits",');
    expect(script).toContain('console.log(String(loadInfo))');
    // The names the script imports are exported by the package entry.
    const entry = await readFile(new URL('../../src/index.ts', import.meta.url), 'utf8');
    for (const name of ['pipeline', 'beyondtrustSource', 'resolveSettings']) expect(entry).toMatch(new RegExp(`export \\{[^}]*\\b${name}\\b`));
  });

  it('selects every non-opt-in table when no resources are given', async () => {
    await scaffoldPipeline({ projectDir: project });
    const script = await readFile(join(project, 'beyondtrust_pipeline.ts'), 'utf8');
    expect(script).toContain('"managed_accounts"');
    expect(script).toContain('"user_audits"');
    expect(script).not.toContain('"credentials"');
    expect(script).not.toContain('"managed_system_accounts"');
  });

  it('writes into a sub-directory of the project', async () => {
    const result = await scaffoldPipeline({ projectDir: project, directory: 'pipelines/bt' });
    expect(result.directory).toBe('pipelines/bt');
    expect(result.written).toContain('pipelines/bt/.dlt/secrets.toml');
    await stat(join(project, 'pipelines/bt/beyondtrust_pipeline.ts'));
  });
});

describe('scaffoldPipeline with existing files', () => {
  it('never overwrites without overwrite: true and reports why', async () => {
    await mkdir(join(project, '.dlt'));
    await writeFile(join(project, 'beyondtrust_pipeline.ts'), '// mine\n');
    await writeFile(join(project, '.dlt/config.toml'), '[sources.beyondtrust_source]\nbase_url = "https://mine/BeyondTrust/api/public/v3"\n');
    const result = await scaffoldPipeline({ projectDir: project });
    expect(result.written).toEqual(['.dlt/secrets.toml', '.gitignore']);
    expect(result.skipped.map((s) => s.path)).toEqual(['beyondtrust_pipeline.ts', '.dlt/config.toml']);
    expect(result.skipped[0]!.reason).toMatch(/overwrite: true/);
    expect(await readFile(join(project, 'beyondtrust_pipeline.ts'), 'utf8')).toBe('// mine\n');
  });

  it('replaces our files with overwrite: true but never touches an existing secrets.toml', async () => {
    await mkdir(join(project, '.dlt'));
    const realSecrets = '[sources.beyondtrust_source]\napi_key = "SENTINEL-real-key-4f1c"\nrunas = "svc"\n';
    await writeFile(join(project, '.dlt/secrets.toml'), realSecrets, { mode: 0o600 });
    await writeFile(join(project, 'beyondtrust_pipeline.ts'), '// old\n');
    const result = await scaffoldPipeline({ projectDir: project, overwrite: true, resources: ['assets'] });
    expect(result.written).toContain('beyondtrust_pipeline.ts');
    expect(result.skipped).toEqual([{ path: '.dlt/secrets.toml', reason: expect.stringMatching(/never overwritten/) }]);
    expect(await readFile(join(project, '.dlt/secrets.toml'), 'utf8')).toBe(realSecrets);
    expect(await readFile(join(project, 'beyondtrust_pipeline.ts'), 'utf8')).toContain('"assets"');
    expect(JSON.stringify(result)).not.toContain('SENTINEL');
  });

  it('is idempotent: a second run writes nothing', async () => {
    await scaffoldPipeline({ projectDir: project });
    const second = await scaffoldPipeline({ projectDir: project });
    expect(second.written).toEqual([]);
    expect(second.skipped.map((s) => s.path)).toEqual(['beyondtrust_pipeline.ts', '.dlt/config.toml', '.dlt/secrets.toml', '.gitignore']);
  });

  it('merges .gitignore entries without duplicates and keeps the user\'s lines', async () => {
    await writeFile(join(project, '.gitignore'), 'node_modules/\n*.duckdb\n');
    await scaffoldPipeline({ projectDir: project });
    await scaffoldPipeline({ projectDir: project, overwrite: true });
    const lines = (await readFile(join(project, '.gitignore'), 'utf8')).split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe('node_modules/');
    expect(lines.filter((l) => l === '*.duckdb')).toHaveLength(1);
    expect(lines.filter((l) => l === '.dlt/secrets.toml')).toHaveLength(1);
    expect(lines).toContain('.dlt/pipelines/');
  });
});

describe('scaffoldPipeline rejects bad input', () => {
  it('rejects directories escaping the project with ".." or an absolute path elsewhere', async () => {
    await expectBtError(scaffoldPipeline({ projectDir: project, directory: '../outside' }), 'SCAFFOLD_PATH_OUTSIDE_PROJECT');
    await expectBtError(scaffoldPipeline({ projectDir: project, directory: 'a/../../outside' }), 'SCAFFOLD_PATH_OUTSIDE_PROJECT');
    await expectBtError(scaffoldPipeline({ projectDir: project, directory: '/etc' }), 'SCAFFOLD_PATH_OUTSIDE_PROJECT');
    await expectBtError(scaffoldPipeline({ projectDir: project, directory: 'x\0y' }), 'SCAFFOLD_PATH_OUTSIDE_PROJECT');
  });

  it('rejects a symlinked directory and a symlinked file pointing outside, writing nothing there', async () => {
    const { dir: elsewhere, cleanup: cleanupElsewhere } = await withTempDir('elsewhere');
    try {
      await symlink(elsewhere, join(project, 'link'));
      await expectBtError(scaffoldPipeline({ projectDir: project, directory: 'link' }), 'SCAFFOLD_PATH_OUTSIDE_PROJECT');
      await expectBtError(scaffoldPipeline({ projectDir: project, directory: 'link/sub' }), 'SCAFFOLD_PATH_OUTSIDE_PROJECT');

      await mkdir(join(project, 'p'));
      await symlink(join(elsewhere, 'stolen.ts'), join(project, 'p', 'beyondtrust_pipeline.ts'));
      await expectBtError(scaffoldPipeline({ projectDir: project, directory: 'p', overwrite: true }), 'SCAFFOLD_PATH_OUTSIDE_PROJECT');

      await mkdir(join(project, 'q'));
      await symlink(elsewhere, join(project, 'q', '.dlt'));
      await expectBtError(scaffoldPipeline({ projectDir: project, directory: 'q' }), 'SCAFFOLD_PATH_OUTSIDE_PROJECT');
      const { readdir } = await import('node:fs/promises');
      expect(await readdir(elsewhere)).toEqual([]);
    } finally {
      await cleanupElsewhere();
    }
  });

  it('rejects unknown resources and lists the valid ones', async () => {
    const error = await expectBtError(scaffoldPipeline({ projectDir: project, resources: ['managed_accounts', 'passwords'] }), 'UNKNOWN_RESOURCE');
    expect(error.message).toContain('"passwords"');
    expect(error.hint).toContain('managed_accounts');
    expect(error.hint).toContain('user_audits');
  });

  it('rejects names and URLs that would inject into the generated files', async () => {
    await expectBtError(scaffoldPipeline({ projectDir: project, pipelineName: "x'; process.exit()" }), 'CONFIG_INVALID');
    await expectBtError(scaffoldPipeline({ projectDir: project, baseUrl: 'file:///etc/passwd' }), 'CONFIG_INVALID');
    await expectBtError(scaffoldPipeline({ projectDir: project, baseUrl: 'https://user:pw@host/x' }), 'CONFIG_INVALID');
  });
});
