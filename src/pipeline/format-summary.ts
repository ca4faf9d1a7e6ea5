/** Plain-text rendering of a PipelineSummary for `beyondtrust-mcp info`. */
import { humanizeDuration } from './humanize.js';
import { displayLocation } from './load-info.js';
import type { PipelineSummary } from './info.js';
import type { RunTrace } from './types.js';

function totalRows(trace: RunTrace): number {
  return Object.values(trace.tables).reduce((sum, rows) => sum + rows, 0);
}

function runLine(trace: RunTrace): string {
  const duration = trace.duration_ms === undefined ? 'running' : humanizeDuration(trace.duration_ms);
  const error = trace.error ? ` — ${trace.error.code}: ${trace.error.message}` : '';
  return `  ${trace.started_at}  ${trace.status.padEnd(9)} ${String(totalRows(trace)).padStart(9)} rows  ${duration}  run ${trace.run_id}${error}`;
}

export function formatPipelineSummary(summary: PipelineSummary): string {
  const lines = [
    `Pipeline ${summary.pipeline_name}`,
    `  dataset:     ${summary.dataset_name}`,
    `  destination: ${displayLocation('duckdb', summary.db_path)}${summary.db_exists ? '' : ' (not created yet)'}`,
  ];
  if (summary.db_locked) lines.push('  note: a load is running and holds the DuckDB file; state is from the local copy.');
  if (summary.running) {
    const rows = totalRows(summary.running);
    lines.push(`  running now: run ${summary.running.run_id} since ${summary.running.started_at}, ${rows} rows so far`);
  }
  lines.push('Last runs:');
  if (summary.last_runs.length === 0) lines.push('  (none)');
  for (const trace of summary.last_runs) lines.push(runLine(trace));
  lines.push('State (incremental cursors):');
  const cursors = Object.entries(summary.state ?? {}).filter(([, state]) => state.incremental !== undefined);
  if (cursors.length === 0) lines.push('  (none)');
  for (const [resource, state] of cursors) {
    const incremental = state.incremental!;
    lines.push(`  ${resource}: ${incremental.cursor_path} = ${JSON.stringify(incremental.last_value ?? incremental.initial_value ?? null)}`);
  }
  if (summary.last_loads.length > 0) {
    lines.push('Last loads (_dlt_loads):');
    for (const load of summary.last_loads) lines.push(`  ${load.load_id}  status ${load.status}  ${load.inserted_at}`);
  }
  return lines.join('\n');
}
