import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/destinations/duckdb/index.js';
import type { ColumnSchema, DataType, StoredSchema, TableSchema, WriteDisposition } from '../../src/normalize/types.js';

export async function makeTempDir(prefix = 'bt-dest-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function column(name: string, data_type: DataType, extra: Partial<ColumnSchema> = {}): ColumnSchema {
  return { name, data_type, nullable: true, ...extra };
}

export function table(name: string, resource: string, disposition: WriteDisposition, columns: ColumnSchema[], parent?: string): TableSchema {
  return {
    name,
    resource,
    write_disposition: disposition,
    columns: Object.fromEntries(columns.map((c) => [c.name, c])),
    ...(parent ? { parent } : {}),
  };
}

export function schemaOf(tables: TableSchema[], version = 1): StoredSchema {
  return { name: 'test_source', version, version_hash: `hash-${version}`, engine_version: 1, tables: Object.fromEntries(tables.map((t) => [t.name, t])) };
}

/** Runs one query on a short-lived read-only connection and returns plain JS rows. */
export async function query(dbPath: string, sql: string): Promise<unknown[][]> {
  const database = await openDatabase(dbPath, { readOnly: true });
  try {
    return (await database.connection.runAndReadAll(sql)).getRowsJS() as unknown[][];
  } finally {
    database.close();
  }
}

/** Another process that keeps `dbPath` open (read-only or read-write) until release(). */
export async function holdFile(dbPath: string, options: { readOnly: boolean }): Promise<{ pid: number; release(): Promise<void> }> {
  const script = `
    const { DuckDBInstance } = await import(${JSON.stringify(import.meta.resolve('@duckdb/node-api'))});
    const instance = await DuckDBInstance.create(process.argv[1], process.argv[2] === 'ro' ? { access_mode: 'READ_ONLY' } : {});
    await instance.connect();
    process.stdout.write('ready\\n');
    process.stdin.on('data', () => process.exit(0));
  `;
  const holder = spawn(process.execPath, ['--input-type=module', '-e', script, dbPath, options.readOnly ? 'ro' : 'rw'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  let releasing: Promise<void> | undefined;
  return {
    pid: holder.pid!,
    release() {
      releasing ??= (holder.stdin.write('bye\n'), exited);
      return releasing;
    },
  };
}
