import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { makeTempDir } from '../pipeline/helpers.js';
import { runCli } from './helpers.js';

it('demo starts the simulator, loads into <dir>/beyondtrust_pipeline.duckdb, prints the load info and a sample query', async () => {
  const { dir, cleanup } = await makeTempDir('bt-demo-');
  try {
    const result = await runCli(['demo', '--dir', dir, '--scale', '0.2'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^BeyondTrust simulator listening on http:\/\/127\.0\.0\.1:\d+\/BeyondTrust\/api\/public\/v3$/m);
    expect(result.stdout).toContain('1 load package(s) were loaded to destination duckdb and into dataset beyondtrust_data');
    expect(result.stdout).toContain(`The duckdb destination used duckdb:///${dir}/beyondtrust_pipeline.duckdb location to store data`);
    expect(result.stdout).toContain('SELECT * FROM beyondtrust_data.managed_accounts LIMIT 10;');
    // header + rule + 10 rows of the sample table
    const sample = result.stdout.split('SELECT * FROM beyondtrust_data.managed_accounts LIMIT 10;\n')[1]!.split('\n');
    expect(sample.slice(0, 12).every((line) => line.startsWith('|'))).toBe(true);
    expect(result.stdout).toMatch(/\| managed_accounts\s+\| 200\s+\|/);
    expect(existsSync(`${dir}/beyondtrust_pipeline.duckdb`)).toBe(true);
  } finally {
    await cleanup();
  }
});
