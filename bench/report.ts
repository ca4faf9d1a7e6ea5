/** Renders the figures as one aligned text table, the memory and query verdicts, and the final ratio line. */
import type { BenchFigures, RunFigures } from './figures.js';
import { judgeMemory, judgeRun } from './targets.js';

const MB = 1024 * 1024;

function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function ofFullText(run: RunFigures): string {
  if (run.ofFull === undefined) return '-';
  if (run.kind === 'faults') return `${run.ofFull >= 1 ? '+' : ''}${((run.ofFull - 1) * 100).toFixed(0)}%`;
  return `${(run.ofFull * 100).toFixed(1)}%`;
}

export function alignTable(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function runsTable(runs: readonly RunFigures[]): string {
  const header = ['workload', 'run', 'rows', 'pipeline s', 'rows/s', 'floor A s', 'floor B s', 'pipeline/max', 'pipeline/sum', 'peak RSS MB', 'vs full', 'target', 'result'];
  const rows = runs.map((run) => {
    const judged = judgeRun(run);
    return [
      `${count(run.managedAccounts)} accounts`,
      run.kind,
      count(run.rows),
      fixed(run.seconds, 2),
      count(run.rowsPerSecond),
      fixed(run.floors?.fetchSeconds, 2),
      fixed(run.floors?.loadSeconds, 2),
      fixed(run.ratioMax, 2),
      fixed(run.ratioSum, 2),
      run.peakRssBytes === undefined ? '-' : (run.peakRssBytes / MB).toFixed(0),
      ofFullText(run),
      judged.target,
      judged.verdict === 'info' ? '-' : judged.verdict,
    ];
  });
  return alignTable(header, rows, new Set([2, 3, 4, 5, 6, 7, 8, 9, 10]));
}

/** The run whose ratio is the headline: the full run at the largest scale. */
export function headlineRun(figures: BenchFigures): RunFigures | undefined {
  const full = figures.runs.filter((run) => run.kind === 'full');
  return full.reduce<RunFigures | undefined>((best, run) => (best === undefined || run.scale > best.scale ? run : best), undefined);
}

export function renderReport(figures: BenchFigures): string {
  const lines: string[] = [];
  const { machine } = figures;
  lines.push(
    `beyondtrust-mcp bench (${figures.mode}) — ${machine.cpus} CPU(s) ${machine.cpuModel}, ${machine.memoryGb.toFixed(0)} GB RAM, node ${machine.node}, ` +
      `concurrency ${figures.concurrency}, seed ${figures.seed}`,
  );
  lines.push('floor A = the same requests replayed (bodies read and discarded); floor B = the same pages loaded by DuckDB read_json');
  lines.push(`fault run: --faults ${figures.faultSpec}`);
  lines.push('');
  lines.push(runsTable(figures.runs));
  lines.push('');
  const memory = judgeMemory(figures);
  lines.push(alignTable(['memory', 'value', 'target', 'result'], memory.lines.map((line) => [line.label, line.value, line.target, line.verdict === 'info' ? '-' : line.verdict]), new Set([1])));
  if (figures.queries) {
    lines.push('');
    const { queries } = figures;
    lines.push(
      alignTable(
        [`query tool on ${count(queries.rows)} managed_accounts rows`, 'median ms', 'min ms', 'max ms', 'calls', 'target', 'result'],
        queries.latencies.map((latency) => [
          latency.name,
          fixed(latency.medianMs, 1),
          fixed(latency.minMs, 1),
          fixed(latency.maxMs, 1),
          String(latency.calls),
          `<= ${latency.targetMs} ms`,
          latency.medianMs <= latency.targetMs ? 'PASS' : 'MISS',
        ]),
        new Set([1, 2, 3, 4]),
      ),
    );
  }
  const misses = figures.runs.filter((run) => judgeRun(run).verdict === 'MISS').length + memory.lines.filter((line) => line.verdict === 'MISS').length +
    (figures.queries?.latencies.filter((latency) => latency.medianMs > latency.targetMs).length ?? 0);
  lines.push('');
  lines.push(`${misses === 0 ? 'all targets met' : `${misses} target(s) missed (MISS above)`}; bench took ${figures.totalSeconds.toFixed(0)} s`);
  const headline = headlineRun(figures);
  lines.push(`pipeline/max(floors) = ${fixed(headline?.ratioMax, 2)}`);
  return lines.join('\n');
}
