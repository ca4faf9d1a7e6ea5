/**
 * Smoke test of `npm run bench`: the compiled entry at a tiny scale prints the table, the query latencies and the
 * final ratio line, and writes the JSON figures. Timings are not asserted (speed is what the bench reports).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchFigures } from '../../bench/figures.js';
import { REPO_ROOT } from '../../bench/paths.js';

const BENCH_ENTRY = join(REPO_ROOT, 'dist', 'bench', 'run.js');

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BENCH_ENTRY, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench (smoke, scale 1 = 1,000 accounts)', () => {
  let outDir: string;
  let result: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    if (!existsSync(BENCH_ENTRY)) throw new Error(`${BENCH_ENTRY} is missing: run \`npm run build\` first (npm test does).`);
    outDir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    result = await runBench(['--scale-override', '1', '--out', outDir]);
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('exits 0 and prints one table with every run kind and its floors', () => {
    expect(result.code, result.stderr).toBe(0);
    const header = result.stdout.split('\n').find((line) => line.startsWith('workload'));
    expect(header).toBeDefined();
    for (const column of ['rows', 'pipeline s', 'rows/s', 'floor A s', 'floor B s', 'pipeline/max', 'pipeline/sum', 'peak RSS MB', 'target', 'result']) {
      expect(header).toContain(column);
    }
    for (const kind of ['full', 'faults', 'full (filtered)', 'incremental (filtered)', 'incremental (all)']) {
      expect(result.stdout).toMatch(new RegExp(`^1,000 accounts\\s+${kind.replace(/[()]/g, '\\$&')}\\s+[\\d,]+\\s+\\d+\\.\\d{2}`, 'm'));
    }
    expect(result.stdout).toMatch(/^count\s+\d+\.\d\s/m);
    expect(result.stdout).toMatch(/^group-by\s+\d+\.\d\s/m);
  });

  it('ends with the pipeline/max(floors) ratio line', () => {
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^pipeline\/max\(floors\) = \d+\.\d{2}$/);
  });

  it('writes the raw figures as JSON without the simulator credentials', async () => {
    const files = (await readdir(outDir)).filter((name) => name.endsWith('.json'));
    expect(files).toHaveLength(1);
    const text = await readFile(join(outDir, files[0] as string), 'utf8');
    const figures = JSON.parse(text) as BenchFigures;
    const full = figures.runs.find((run) => run.kind === 'full');
    expect(full?.rows).toBeGreaterThan(1000);
    expect(full?.tables['managed_accounts']).toBe(1000);
    expect(full?.floors?.requests).toBeGreaterThan(0);
    expect(full?.floors?.records).toBeGreaterThan(1000);
    expect(figures.queries?.latencies.map((latency) => latency.name)).toEqual(['count', 'group-by']);
    expect(text).not.toMatch(/api_?key|password"\s*:/i);
  });
});
