/** The `query` CLI command against <cwd>/<pipeline_name>.duckdb: text table, --json, errors. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/query.js';
import { buildFixtureDb } from './fixture.js';

let fixture: Awaited<ReturnType<typeof buildFixtureDb>>;
const originalCwd = process.cwd();

beforeAll(async () => {
  fixture = await buildFixtureDb();
  process.chdir(fixture.dir);
});
afterAll(async () => {
  process.chdir(originalCwd);
  await fixture.cleanup();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function captureStdout(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  const code = await fn();
  vi.restoreAllMocks();
  return { code, out };
}

describe('beyondtrust-mcp query', () => {
  it('prints a readable table from the default pipeline file and dataset', async () => {
    const { code, out } = await captureStdout(() =>
      run(['SELECT account_id, account_name FROM managed_accounts ORDER BY account_id', '--max-rows', '3']),
    );
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^account_id \| account_name$/);
    expect(lines[2]).toMatch(/^1\s+\| account_0001$/);
    expect(out).toContain('(3 rows, more available)');
    expect(out).toContain('next cursor: ');
  });

  it('prints JSON with --json', async () => {
    const { out } = await captureStdout(() => run(['SELECT count(*) AS n FROM requests', '--json']));
    expect(JSON.parse(out)).toMatchObject({ rows: [{ n: 120 }], truncated: false, statement_type: 'SELECT' });
  });

  it('throws DATASET_NOT_FOUND for a pipeline that never ran', async () => {
    await expect(run(['SELECT 1', '--pipeline-name', 'other_pipeline'])).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
  });

  it('throws CLI_USAGE without SQL or with a path as pipeline name', async () => {
    await expect(run([])).rejects.toMatchObject({ code: 'CLI_USAGE' });
    await expect(run(['SELECT 1', '--pipeline-name', '../x'])).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });
});
