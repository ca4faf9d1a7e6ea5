import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beyondtrustSource } from '../../src/beyondtrust/source.js';
import { Secret } from '../../src/config/secret.js';
import { openDatabase } from '../../src/destinations/duckdb/index.js';
import type { Source } from '../../src/rest/types.js';
import type { RunningSimulator } from '../../src/simulator/index.js';

export async function makeTempDir(prefix = 'bt-pipe-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function simulatorSource(
  sim: RunningSimulator,
  resources?: string[],
  options: { pageSize?: number; concurrency?: number; enableCredentials?: boolean; baseUrl?: string } = {},
): Source {
  const { baseUrl, ...rest } = options;
  return beyondtrustSource({
    ...rest,
    baseUrl: baseUrl ?? sim.baseUrl,
    credentials: { kind: 'ps_auth', apiKey: new Secret(sim.credentials.apiKey), runas: new Secret(sim.credentials.runas), password: new Secret(sim.credentials.password) },
    ...(resources ? { resources } : {}),
    httpOptions: { retry: { baseDelayMs: 5, maxDelayMs: 50 } },
  });
}

/** Runs one query on a short-lived read-only connection; BIGINTs come back as bigint. */
export async function query(dbPath: string, sql: string): Promise<unknown[][]> {
  const database = await openDatabase(dbPath, { readOnly: true });
  try {
    return (await database.connection.runAndReadAll(sql)).getRowsJS() as unknown[][];
  } finally {
    database.close();
  }
}

export async function count(dbPath: string, table: string, where = 'true'): Promise<number> {
  const rows = await query(dbPath, `SELECT count(*) FROM beyondtrust_data."${table}" WHERE ${where}`);
  return Number(rows[0]?.[0]);
}

/** Everything a load may change, to compare before/after a failed or killed run. */
export async function databaseSnapshot(dbPath: string): Promise<{ loads: unknown[][]; state: unknown[][]; versions: unknown[][]; tables: Record<string, { rows: number; columns: number }> }> {
  const tables: Record<string, { rows: number; columns: number }> = {};
  const names = (await query(dbPath, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'beyondtrust_data' ORDER BY 1")).flat() as string[];
  for (const name of names) {
    const columns = await query(dbPath, `SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'beyondtrust_data' AND table_name = '${name}'`);
    tables[name] = { rows: await count(dbPath, name), columns: Number(columns[0]?.[0]) };
  }
  return {
    loads: await query(dbPath, 'SELECT load_id, status FROM beyondtrust_data._dlt_loads ORDER BY load_id'),
    state: await query(dbPath, 'SELECT version, version_hash, _dlt_load_id FROM beyondtrust_data._dlt_pipeline_state ORDER BY version'),
    versions: await query(dbPath, 'SELECT version_hash FROM beyondtrust_data._dlt_version ORDER BY version'),
    tables,
  };
}

/** Root rows whose _dlt_load_id has no complete row in _dlt_loads (a partial load would show up here). */
export async function orphanLoadRows(dbPath: string): Promise<number> {
  const roots = (await query(dbPath, "SELECT DISTINCT table_name FROM duckdb_columns() WHERE schema_name = 'beyondtrust_data' AND column_name = '_dlt_load_id' AND NOT starts_with(table_name, '_dlt')")).flat() as string[];
  let orphans = 0;
  for (const table of roots) {
    orphans += await count(dbPath, table, "_dlt_load_id NOT IN (SELECT load_id FROM beyondtrust_data._dlt_loads WHERE status = 0)");
  }
  return orphans;
}

/** Runs one query in ANOTHER process on a read-only connection (a real cross-process reader); rows as JSON. */
export function queryInOtherProcess(dbPath: string, sql: string): Promise<unknown[][]> {
  const script = `
    const { DuckDBInstance } = await import(${JSON.stringify(import.meta.resolve('@duckdb/node-api'))});
    const instance = await DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(process.argv[2])).getRowsJS();
    process.stdout.write(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, dbPath, sql], (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as unknown[][]);
    });
  });
}

/** GETs `paths` straight from the simulator (own sign-in, cookie, sign-out): the simulator's view of the data. */
export async function simulatorJson(sim: RunningSimulator, paths: string[]): Promise<unknown[]> {
  const { apiKey, runas, password } = sim.credentials;
  const signIn = await fetch(`${sim.baseUrl}/Auth/SignAppin`, { method: 'POST', headers: { Authorization: `PS-Auth key=${apiKey}; runas=${runas}; pwd=[${password}];` } });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  try {
    const out: unknown[] = [];
    for (const item of paths) {
      const response = await fetch(`${sim.baseUrl}/${item}`, { headers: { Cookie: cookie } });
      if (!response.ok) throw new Error(`GET ${item}: ${response.status}`);
      out.push(await response.json());
    }
    return out;
  } finally {
    await fetch(`${sim.baseUrl}/Auth/Signout`, { method: 'POST', headers: { Cookie: cookie } });
  }
}

/** The same real source, with `resource` declared on another primary key (to load data that breaks the key). */
export function withPrimaryKey(source: Source, resource: string, primaryKey: string[]): Source {
  return {
    name: source.name,
    get resources() {
      return source.resources.map((info) => (info.name === resource ? { ...info, primary_key: primaryKey } : info));
    },
    withResources: (names) => withPrimaryKey(source.withResources(names), resource, primaryKey),
    extract: (options) => source.extract(options),
  };
}
