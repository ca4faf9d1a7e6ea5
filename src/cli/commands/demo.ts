/**
 * `beyondtrust-mcp demo`: the whole job in one command — starts the simulator in-process, loads every default
 * resource into `<dir>/beyondtrust_pipeline.duckdb`, prints the load info, a sample query and a count per table.
 */
import path from 'node:path';
import { beyondtrustSource } from '../../beyondtrust/source.js';
import { Secret } from '../../config/secret.js';
import { openDatabase, quoteIdent, SYSTEM_TABLES } from '../../destinations/duckdb/index.js';
import { BtError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { pipeline } from '../../pipeline/index.js';
import { startSimulator } from '../../simulator/index.js';
import { parseArgs, stringFlag } from '../args.js';

const SAMPLE_QUERY = 'SELECT * FROM beyondtrust_data.managed_accounts LIMIT 10';
const MAX_COLUMNS = 8;
const MAX_CELL = 24;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { strings: ['dir', 'scale'] }, 'demo');
  const dir = path.resolve(stringFlag(args, 'dir') ?? process.cwd());
  const scaleText = stringFlag(args, 'scale');
  const scale = scaleText === undefined ? 1 : Number(scaleText);
  if (!Number.isFinite(scale) || scale <= 0) throw new BtError('CLI_USAGE', `--scale must be a positive number, got "${scaleText}".`, { hint: 'E.g. --scale 1 (1,000 managed accounts).' });
  const logger = createLogger({ name: 'demo' });
  const simulator = await startSimulator({ port: 0, host: '127.0.0.1', scale });
  try {
    process.stdout.write(`BeyondTrust simulator listening on ${simulator.baseUrl}\n`);
    const { credentials } = simulator;
    const source = beyondtrustSource({
      baseUrl: simulator.baseUrl,
      credentials: { kind: 'ps_auth', apiKey: new Secret(credentials.apiKey), runas: new Secret(credentials.runas), password: new Secret(credentials.password) },
      logger,
    });
    const runner = pipeline({ projectDir: dir, logger });
    const info = await runner.run(source);
    process.stdout.write(`\n${String(info)}\n`);
    process.stdout.write(`\n${await sampleReport(runner.dbPath, runner.datasetName)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BtError && error.code !== 'CLI_USAGE') {
      process.stderr.write(`Error: ${error.describe()}\n`);
      return 1;
    }
    throw error;
  } finally {
    await simulator.stop();
  }
}

async function sampleReport(dbPath: string, dataset: string): Promise<string> {
  const database = await openDatabase(dbPath, { readOnly: true });
  try {
    const { connection } = database;
    const sample = await connection.runAndReadAll(SAMPLE_QUERY);
    const columns = sample.columnNames();
    const rows = sample.getRowsJS().map((row) => row.map(cell));
    // Data columns first (the _dlt_ bookkeeping columns say little in a sample), at most MAX_COLUMNS of them.
    const order = columns.map((name, index) => ({ name, index })).sort((a, b) => Number(a.name.startsWith('_dlt_')) - Number(b.name.startsWith('_dlt_')) || a.index - b.index);
    const shown = order.slice(0, MAX_COLUMNS);
    const hidden = order.slice(MAX_COLUMNS).map((column) => column.name);
    const lines = [`${SAMPLE_QUERY};`, renderTable(shown.map((column) => column.name), rows.map((row) => shown.map((column) => row[column.index] ?? '')))];
    if (hidden.length > 0) lines.push(`(${hidden.length} more columns not shown: ${hidden.join(', ')})`);
    const tables = await connection.runAndReadAll(
      `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $1 ORDER BY table_name`,
      [dataset],
    );
    const counts: string[][] = [];
    for (const [name] of tables.getRowsJS() as [string][]) {
      if (SYSTEM_TABLES.includes(name)) continue;
      const result = await connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(dataset)}.${quoteIdent(name)}`);
      counts.push([name, String(result.getRowsJS()[0]?.[0] ?? 0)]);
    }
    lines.push('', `Rows per table in ${dataset}:`, renderTable(['table', 'rows'], counts));
    return lines.join('\n');
  } finally {
    database.close();
  }
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : String(value);
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((name, i) => Math.max(name.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
