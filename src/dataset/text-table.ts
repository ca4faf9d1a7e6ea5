/** A query result as a plain-text table for terminals (the CLI `query` command). */
import type { QueryResult } from './query.js';

const MAX_TEXT_CELL = 60;

export function formatTextTable(result: QueryResult): string {
  // Plans are multi-line text that a table cell would cut; print them as they are.
  if (result.statement_type === 'EXPLAIN') {
    const plans = result.rows.flatMap((row) => Object.values(row).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
    return `${[...plans, ...result.warnings.map((w) => `warning: ${w}`)].join('\n')}\n`;
  }
  const headers = result.columns.map((c) => c.name);
  const body = result.rows.map((row) => headers.map((name) => cellText(row[name])));
  const widths = headers.map((header, i) => Math.max(header.length, ...body.map((cells) => cells[i]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const lines = [line(headers), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (const cells of body) lines.push(line(cells));
  lines.push(`(${result.row_count} row${result.row_count === 1 ? '' : 's'}${result.truncated ? ', more available' : ''})`);
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  if (result.next_cursor) lines.push(`next cursor: ${result.next_cursor}`);
  return `${lines.join('\n')}\n`;
}

function cellText(value: unknown): string {
  const text = value === null || value === undefined ? 'NULL' : typeof value === 'string' ? value : JSON.stringify(value);
  const oneLine = text.replace(/\r?\n/g, '⏎');
  return oneLine.length > MAX_TEXT_CELL ? `${oneLine.slice(0, MAX_TEXT_CELL - 1)}…` : oneLine;
}
