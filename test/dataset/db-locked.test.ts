/** While another process (a running load) holds the file read-write, the read side answers DB_LOCKED. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTables } from '../../src/dataset/tables.js';
import { runReadOnlyQuery } from '../../src/dataset/query.js';
import { DATASET, buildFixtureDb } from './fixture.js';

let fixture: Awaited<ReturnType<typeof buildFixtureDb>>;
let writer: ChildProcess | undefined;

const HOLD_WRITE_LOCK = `
const { DuckDBInstance } = require('@duckdb/node-api');
DuckDBInstance.create(process.argv[1]).then(async (instance) => {
  await instance.connect();
  process.stdout.write('ready\\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}, (error) => { process.stderr.write(String(error)); process.exit(1); });
`;

beforeAll(async () => {
  fixture = await buildFixtureDb();
  writer = spawn(process.execPath, ['-e', HOLD_WRITE_LOCK, fixture.dbPath], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = (await once(writer.stdout!, 'data')) as [Buffer];
  expect(chunk.toString()).toContain('ready');
});

afterAll(async () => {
  if (writer && writer.exitCode === null) {
    const exited = once(writer, 'exit');
    writer.stdin?.end();
    await exited;
  }
  await fixture.cleanup();
});

describe('DB_LOCKED', () => {
  it('is reported by query and listTables while a writer holds the file', async () => {
    const error = await runReadOnlyQuery({ dbPath: fixture.dbPath, sql: 'SELECT 1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DB_LOCKED' });
    expect((error as Error).message).toContain('a load is running; retry when it finishes');
    await expect(listTables({ dbPath: fixture.dbPath, datasetName: DATASET })).rejects.toMatchObject({ code: 'DB_LOCKED' });
  });

  it('works again once the writer is gone', async () => {
    const exited = once(writer!, 'exit');
    writer!.stdin?.end();
    await exited;
    const result = await runReadOnlyQuery({ dbPath: fixture.dbPath, sql: 'SELECT 1 AS ok' });
    expect(result.rows).toEqual([{ ok: 1 }]);
  });
});
