/** Every hostile statement is refused with a clear code and leaves the database exactly as it was. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadOnly } from '../../src/dataset/read-only.js';
import { runReadOnlyQuery } from '../../src/dataset/query.js';
import { ACCOUNT_ROWS, DATASET, buildFixtureDb, snapshotDb } from './fixture.js';

let fixture: Awaited<ReturnType<typeof buildFixtureDb>>;
let before: Awaited<ReturnType<typeof snapshotDb>>;
beforeAll(async () => {
  fixture = await buildFixtureDb();
  before = await snapshotDb(fixture.dbPath);
});
afterAll(async () => {
  await fixture.cleanup();
});

const T = `${DATASET}.managed_accounts`;

function hostile(dir: string): [string, string][] {
  const out = join(dir, 'out.csv');
  return [
    [`SELECT 1; DROP TABLE ${T}`, 'SQL_MULTIPLE_STATEMENTS'],
    [`SELECT 1; SELECT 2`, 'SQL_MULTIPLE_STATEMENTS'],
    [`DROP TABLE ${T}; SELECT 1`, 'SQL_NOT_READ_ONLY'],
    [`INSERT INTO ${T} (account_id) VALUES (-1)`, 'SQL_NOT_READ_ONLY'],
    [`UPDATE ${T} SET account_name = 'x'`, 'SQL_NOT_READ_ONLY'],
    [`DELETE FROM ${T}`, 'SQL_NOT_READ_ONLY'],
    [`CREATE TABLE ${DATASET}.evil AS SELECT 1`, 'SQL_NOT_READ_ONLY'],
    [`CREATE VIEW ${DATASET}.evil AS SELECT 1`, 'SQL_NOT_READ_ONLY'],
    [`DROP TABLE ${T}`, 'SQL_NOT_READ_ONLY'],
    [`ALTER TABLE ${T} ADD COLUMN evil INTEGER`, 'SQL_NOT_READ_ONLY'],
    [`/* looks harmless */ DROP TABLE ${T}`, 'SQL_NOT_READ_ONLY'],
    [`WITH x AS (SELECT 1) DELETE FROM ${T}`, 'SQL_NOT_READ_ONLY'],
    [`EXPLAIN ANALYZE DELETE FROM ${T}`, 'SQL_NOT_READ_ONLY'],
    [`COPY ${T} TO '${out}'`, 'SQL_NOT_READ_ONLY'],
    [`COPY (SELECT 1) TO '${out}' (FORMAT csv)`, 'SQL_NOT_READ_ONLY'],
    [`ATTACH '${join(dir, 'other.duckdb')}' AS other`, 'SQL_NOT_READ_ONLY'],
    [`ATTACH ':memory:' AS scratch`, 'SQL_NOT_READ_ONLY'],
    [`DETACH beyondtrust_pipeline`, 'SQL_NOT_READ_ONLY'],
    [`INSTALL httpfs`, 'SQL_NOT_READ_ONLY'],
    [`LOAD httpfs`, 'SQL_NOT_READ_ONLY'],
    [`SET enable_external_access = true`, 'SQL_NOT_READ_ONLY'],
    [`SET lock_configuration = false`, 'SQL_NOT_READ_ONLY'],
    [`SET search_path = 'main'`, 'SQL_NOT_READ_ONLY'],
    [`RESET threads`, 'SQL_NOT_READ_ONLY'],
    [`PRAGMA version`, 'SQL_NOT_READ_ONLY'],
    [`PRAGMA threads = 1`, 'SQL_NOT_READ_ONLY'],
    [`CALL pragma_version()`, 'SQL_NOT_READ_ONLY'],
    [`EXPORT DATABASE '${join(dir, 'export')}'`, 'SQL_NOT_READ_ONLY'],
    [`IMPORT DATABASE '${join(dir, 'export')}'`, 'SQL_NOT_READ_ONLY'],
    [`CHECKPOINT`, 'SQL_NOT_READ_ONLY'],
    [`VACUUM`, 'SQL_NOT_READ_ONLY'],
    [`BEGIN TRANSACTION`, 'SQL_NOT_READ_ONLY'],
    [`USE main`, 'SQL_NOT_READ_ONLY'],
    [`PIVOT ${T} ON is_enabled USING count(*)`, 'SQL_NOT_READ_ONLY'],
    [`SELECT * FROM read_csv('/etc/passwd')`, 'SQL_NOT_READ_ONLY'],
    [`SELECT * FROM read_text('/etc/passwd')`, 'SQL_NOT_READ_ONLY'],
    [`SELECT * FROM read_json('/etc/passwd')`, 'SQL_NOT_READ_ONLY'],
    [`SELECT * FROM read_blob('/etc/passwd')`, 'SQL_NOT_READ_ONLY'],
    [`SELECT * FROM read_parquet('${join(dir, 'x.parquet')}')`, 'SQL_NOT_READ_ONLY'],
    [`SELECT * FROM glob('/etc/*')`, 'SQL_NOT_READ_ONLY'],
    // With external access off, DuckDB does not treat the string as a file at all: an unknown table.
    [`SELECT * FROM '/etc/passwd'`, 'SQL_ERROR'],
    [`WITH f AS (SELECT * FROM read_text('/etc/hostname')) SELECT * FROM f`, 'SQL_NOT_READ_ONLY'],
  ];
}

describe('hostile SQL', () => {
  it('refuses each statement with its code and changes nothing', async () => {
    const failures: string[] = [];
    const messages: string[] = [];
    for (const [sql, code] of hostile(fixture.dir)) {
      const outcome = await runReadOnlyQuery({ dbPath: fixture.dbPath, sql, datasetName: DATASET }).then(
        () => 'ran',
        (error: unknown) => {
          messages.push(`${(error as Error).message} ${(error as { hint?: string }).hint ?? ''}`);
          return (error as { code?: string }).code ?? 'no code';
        },
      );
      if (outcome !== code) failures.push(`${sql} → ${outcome} (expected ${code})`);
    }
    expect(failures).toEqual([]);
    expect(messages.filter((m) => m.includes('root:'))).toEqual([]); // no file content leaked through an error
    const after = await snapshotDb(fixture.dbPath);
    expect(after).toEqual(before);
    expect(after.accounts).toBe(ACCOUNT_ROWS);
    expect(existsSync(join(fixture.dir, 'out.csv'))).toBe(false);
    expect(existsSync(join(fixture.dir, 'other.duckdb'))).toBe(false);
    expect(existsSync(join(fixture.dir, 'export'))).toBe(false);
  });

  it('refuses a table function that tries to run another statement', async () => {
    const error = await runReadOnlyQuery({
      dbPath: fixture.dbPath,
      sql: `SELECT * FROM query('DROP TABLE ${T}')`,
    }).catch((e: unknown) => e);
    expect(['SQL_ERROR', 'SQL_NOT_READ_ONLY']).toContain((error as { code: string }).code);
    expect((await snapshotDb(fixture.dbPath)).accounts).toBe(ACCOUNT_ROWS);
  });

  it('has no getenv() to read the server environment', async () => {
    await expect(runReadOnlyQuery({ dbPath: fixture.dbPath, sql: `SELECT getenv('HOME')` })).rejects.toMatchObject({ code: 'SQL_ERROR' });
  });
});

describe('the read-only instance on its own (without the statement checks)', () => {
  it('refuses writes, file access and configuration changes', async () => {
    const db = await openReadOnly(fixture.dbPath);
    try {
      const attempts = [
        `INSERT INTO ${T} (account_id) VALUES (-1)`,
        `CREATE TABLE ${DATASET}.evil (a INTEGER)`,
        `SELECT * FROM read_csv('/etc/passwd')`,
        `COPY ${T} TO '${join(fixture.dir, 'direct.csv')}'`,
        `ATTACH ':memory:' AS scratch`,
        `SET enable_external_access = true`,
        `SET lock_configuration = false`,
        `SET access_mode = 'READ_WRITE'`,
        `INSTALL httpfs`,
      ];
      const ran: string[] = [];
      for (const sql of attempts) {
        try {
          await db.connection.run(sql);
          ran.push(sql);
        } catch {
          // refused, as it must be
        }
      }
      expect(ran).toEqual([]);
      const settings = await db.connection.runAndReadAll(
        `SELECT name, value FROM duckdb_settings() WHERE name IN ('access_mode', 'enable_external_access', 'lock_configuration', 'autoload_known_extensions', 'autoinstall_known_extensions') ORDER BY name`,
      );
      expect(settings.getRows()).toEqual([
        ['access_mode', 'read_only'],
        ['autoinstall_known_extensions', 'false'],
        ['autoload_known_extensions', 'false'],
        ['enable_external_access', 'false'],
        ['lock_configuration', 'true'],
      ]);
    } finally {
      db.close();
    }
    expect(await snapshotDb(fixture.dbPath)).toEqual(before);
    expect(existsSync(join(fixture.dir, 'direct.csv'))).toBe(false);
  });
});
