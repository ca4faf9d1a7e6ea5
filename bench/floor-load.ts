/**
 * Floor B, load: the run's pages saved as JSON files beforehand (untimed), then loaded by DuckDB itself with
 * `read_json` into tables of the same names in a fresh database file, in one transaction (timed: open, load, commit,
 * close). What the pipeline could not beat even if fetching and normalizing cost nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { BtError } from '../src/errors.js';
import type { SimulatorCredentials } from '../src/simulator/index.js';
import { forEachConcurrently, openApiSession } from './api-session.js';
import { tableOfUrl } from './request-log.js';
import type { RecordedRequest } from './request-log.js';

export interface SavedPages {
  /** Table → page files (JSON arrays of records), in request order. */
  files: Map<string, string[]>;
  records: number;
}

export interface LoadFloorResult {
  seconds: number;
  tables: number;
  files: number;
  rows: number;
}

/** The records of one page body: a bare array, a `{TotalCount, Data}` container, or one object. */
export function recordsOfPage(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body !== null && typeof body === 'object') {
    const data = (body as Record<string, unknown>)['Data'];
    return Array.isArray(data) ? data : [body];
  }
  return [];
}

export async function savePages(options: {
  baseUrl: string;
  credentials: SimulatorCredentials;
  requests: readonly RecordedRequest[];
  concurrency: number;
  dir: string;
}): Promise<SavedPages> {
  const pages = options.requests.filter((request) => request.status === 200);
  const byIndex: Array<{ table: string; file: string } | undefined> = new Array(pages.length);
  let records = 0;
  const session = await openApiSession(options.baseUrl, options.credentials, options.concurrency);
  try {
    await forEachConcurrently(pages, options.concurrency, async (request, index) => {
      const table = tableOfUrl(request.url);
      const response = await session.pool.request({ method: 'GET', path: request.url, headers: { cookie: session.cookie } });
      const text = await response.body.text();
      if (!table || response.statusCode !== 200) return;
      const pageRecords = recordsOfPage(JSON.parse(text) as unknown);
      if (pageRecords.length === 0) return;
      records += pageRecords.length;
      const tableDir = join(options.dir, table);
      await mkdir(tableDir, { recursive: true });
      const file = join(tableDir, `${String(index).padStart(6, '0')}.json`);
      await writeFile(file, JSON.stringify(pageRecords));
      byIndex[index] = { table, file };
    });
  } finally {
    await session.close();
  }
  const files = new Map<string, string[]>();
  for (const saved of byIndex) {
    if (!saved) continue;
    const list = files.get(saved.table) ?? [];
    list.push(saved.file);
    files.set(saved.table, list);
  }
  return { files, records };
}

const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;
const sqlIdentifier = (value: string): string => `"${value.replaceAll('"', '""')}"`;

export async function measureLoadFloor(pages: SavedPages, dbPath: string, datasetName = 'beyondtrust_data'): Promise<LoadFloorResult> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  let fileCount = 0;
  try {
    await connection.run('BEGIN TRANSACTION');
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(datasetName)}`);
    for (const [table, files] of pages.files) {
      fileCount += files.length;
      const list = `[${files.map(sqlString).join(', ')}]`;
      await connection.run(
        `CREATE TABLE ${sqlIdentifier(datasetName)}.${sqlIdentifier(table)} AS SELECT * FROM read_json(${list}, format = 'array', union_by_name = true)`,
      );
    }
    await connection.run('COMMIT');
  } catch (error) {
    throw new BtError('BENCH_FLOOR_LOAD', `Floor B could not load the saved pages into ${dbPath}.`, { cause: error, hint: 'See the DuckDB error in cause.' });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { seconds: (performance.now() - started) / 1000, tables: pages.files.size, files: fileCount, rows: pages.records };
}
