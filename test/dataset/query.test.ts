import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReadOnlyQuery } from '../../src/dataset/query.js';
import { ACCOUNT_ROWS, DATASET, REQUEST_ROWS, buildFixtureDb } from './fixture.js';

let fixture: Awaited<ReturnType<typeof buildFixtureDb>>;
beforeAll(async () => {
  fixture = await buildFixtureDb();
});
afterAll(async () => {
  await fixture.cleanup();
});

function query(sql: string, extra: Partial<Parameters<typeof runReadOnlyQuery>[0]> = {}) {
  return runReadOnlyQuery({ dbPath: fixture.dbPath, sql, datasetName: DATASET, ...extra });
}

describe('read-only query happy paths', () => {
  it('runs a SELECT with unqualified names resolved in the dataset', async () => {
    const result = await query('SELECT count(*) AS n, min(account_name) AS first FROM managed_accounts');
    expect(result).toEqual({
      columns: [
        { name: 'n', type: 'BIGINT' },
        { name: 'first', type: 'VARCHAR' },
      ],
      rows: [{ n: ACCOUNT_ROWS, first: 'account_0001' }],
      row_count: 1,
      truncated: false,
      next_cursor: null,
      statement_type: 'SELECT',
      warnings: [],
    });
  });

  it('runs qualified names without a dataset name', async () => {
    const result = await runReadOnlyQuery({ dbPath: fixture.dbPath, sql: `SELECT count(*) AS n FROM ${DATASET}.requests` });
    expect(result.rows).toEqual([{ n: REQUEST_ROWS }]);
  });

  it('runs WITH, FROM-first, SHOW, DESCRIBE and SUMMARIZE', async () => {
    const withResult = await query(
      `WITH enabled AS (SELECT * FROM managed_accounts WHERE is_enabled) SELECT count(*) AS n FROM enabled`,
    );
    expect(withResult.rows).toEqual([{ n: ACCOUNT_ROWS / 2 }]);
    const fromFirst = await query('FROM requests SELECT request_id ORDER BY request_id LIMIT 2');
    expect(fromFirst.rows).toEqual([{ request_id: 1 }, { request_id: 2 }]);
    const describeResult = await query('DESCRIBE managed_accounts');
    expect(describeResult.statement_type).toBe('SELECT');
    expect(describeResult.rows.map((r) => r['column_name'])).toContain('account_id');
    const summarize = await query('SUMMARIZE managed_accounts');
    expect(summarize.rows.find((r) => r['column_name'] === 'account_id')).toMatchObject({ min: '1', max: '1000' });
    const show = await query('SHOW TABLES');
    expect(show.rows.map((r) => r['name'])).toContain('managed_accounts');
  });

  it('runs EXPLAIN and keeps the whole plan text', async () => {
    const result = await query('EXPLAIN SELECT * FROM managed_accounts WHERE account_id > 10');
    expect(result.statement_type).toBe('EXPLAIN');
    expect(result.columns.map((c) => c.name)).toEqual(['explain_key', 'explain_value']);
    expect(String(result.rows[0]?.['explain_value'])).toContain('managed_accounts');
  });

  it('converts DuckDB values to JSON-safe values', async () => {
    const result = await query(`SELECT
        42::BIGINT AS small_bigint,
        9007199254740993::BIGINT AS big_bigint,
        170141183460469231731687303715884105727::HUGEINT AS huge,
        12.34::DECIMAL(10,2) AS dec_small,
        12345678901234567.891::DECIMAL(38,3) AS dec_wide,
        TIMESTAMPTZ '2024-01-02 03:04:05.123456+00' AS ts_tz,
        TIMESTAMP '2024-01-02 03:04:05' AS ts,
        DATE '2024-02-29' AS d,
        '\\xAA\\xBB\\xCC'::BLOB AS b,
        [1, 2, 3] AS l,
        {'a': 1, 'b': 'x', 'c': [true]} AS s,
        MAP {'k': 1} AS m,
        'in' || chr(8238) || 'visible' || chr(0) AS dirty,
        'nan'::DOUBLE AS nan,
        NULL AS nothing`);
    expect(result.rows[0]).toEqual({
      small_bigint: 42,
      big_bigint: '9007199254740993',
      huge: '170141183460469231731687303715884105727',
      dec_small: 12.34,
      dec_wide: '12345678901234567.891',
      ts_tz: '2024-01-02T03:04:05.123456Z',
      ts: '2024-01-02T03:04:05.000',
      d: '2024-02-29',
      b: '<blob 3 bytes>',
      l: [1, 2, 3],
      s: { a: 1, b: 'x', c: [true] },
      m: { k: 1 },
      dirty: 'in\\u202Evisible\\u0000',
      nan: 'NaN',
      nothing: null,
    });
    expect(JSON.parse(JSON.stringify(result.rows))).toEqual(result.rows);
  });
});

describe('limits and paging', () => {
  it('defaults to 200 rows and signals truncation', async () => {
    const result = await query('SELECT account_id FROM managed_accounts ORDER BY account_id');
    expect(result.row_count).toBe(200);
    expect(result.truncated).toBe(true);
    expect(result.next_cursor).toEqual(expect.any(String));
    expect(result.warnings.join(' ')).toContain('next_cursor');
  });

  it('pages with cursors to the end without losing or repeating a row', async () => {
    const sql = 'SELECT account_id, account_name FROM managed_accounts ORDER BY account_id';
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const result = await query(sql, { maxRows: 150, ...(cursor ? { cursor } : {}) });
      seen.push(...result.rows.map((r) => r['account_id'] as number));
      cursor = result.next_cursor ?? undefined;
      pages++;
      if (cursor) expect(result.row_count).toBe(150);
    } while (cursor && pages < 50);
    expect(pages).toBe(Math.ceil(ACCOUNT_ROWS / 150));
    expect(seen).toEqual(Array.from({ length: ACCOUNT_ROWS }, (_, i) => i + 1));
  });

  it('is not truncated when the rows fit exactly', async () => {
    const result = await query('SELECT request_id FROM requests', { maxRows: REQUEST_ROWS });
    expect(result.row_count).toBe(REQUEST_ROWS);
    expect(result.truncated).toBe(false);
    expect(result.next_cursor).toBeNull();
  });

  it('caps max_rows at 1000', async () => {
    const result = await query('SELECT * FROM managed_accounts__tags', { maxRows: 5000, maxChars: 500_000 });
    expect(result.row_count).toBe(1000);
    expect(result.truncated).toBe(true);
    expect(result.warnings.join(' ')).toContain('1000');
  });

  it('stops at the character budget and continues from the cursor', async () => {
    const sql = 'SELECT request_id, reason FROM requests ORDER BY request_id';
    const first = await query(sql, { maxChars: 5000, maxRows: 1000 });
    expect(first.truncated).toBe(true);
    expect(JSON.stringify(first.rows).length).toBeLessThanOrEqual(5000);
    expect(first.row_count).toBeGreaterThan(1);
    expect(first.row_count).toBeLessThan(REQUEST_ROWS);
    const second = await query(sql, { maxChars: 5000, maxRows: 1000, cursor: first.next_cursor ?? '' });
    expect(second.rows[0]?.['request_id']).toBe(first.row_count + 1);
  });

  it('cuts long cells with a marker', async () => {
    const result = await query(`SELECT repeat('x', 5000) AS long_text`);
    const text = String(result.rows[0]?.['long_text']);
    expect(text.startsWith('x'.repeat(2000))).toBe(true);
    expect(text).toContain('truncated 3000 chars');
    expect(result.warnings.join(' ')).toContain('cut');
  });

  it('cuts the cells of a single row that alone is over the budget, with a marker and a warning', async () => {
    const columns = Array.from({ length: 300 }, (_, i) => `repeat(chr(${97 + (i % 26)}), 200) AS c${i}`).join(', ');
    const result = await query(`SELECT ${columns}`);
    expect(result.row_count).toBe(1);
    expect(result.truncated).toBe(false);
    expect(JSON.stringify(result.rows).length).toBeLessThanOrEqual(40_000);
    const row = result.rows[0]!;
    expect(Object.keys(row)).toHaveLength(300);
    expect(String(row['c0'])).toMatch(/^a+… \[truncated \d+ chars\]$/);
    expect(String(row['c299'])).toMatch(/^n+… \[truncated \d+ chars\]$/);
    const warning = result.warnings.find((text) => text.includes('alone was over the 40000-character budget'));
    expect(warning, result.warnings.join('\n')).toContain('Select fewer columns');
  });

  it('says so when a row cannot fit the budget even with the shortest cells', async () => {
    const result = await query(`SELECT ${Array.from({ length: 50 }, (_, i) => `repeat('x', 100) AS column_${i}`).join(', ')}`, { maxChars: 500 });
    expect(result.row_count).toBe(1);
    expect(result.warnings.join(' ')).toMatch(/over the 500-character budget even with every value cut to \d+ characters \(it has 50 columns\)/);
  });

  it('rejects a cursor of another query or a forged one with SQL_BAD_CURSOR', async () => {
    const page = await query('SELECT account_id FROM managed_accounts ORDER BY account_id', { maxRows: 10 });
    await expect(query('SELECT account_name FROM managed_accounts', { cursor: page.next_cursor ?? '' })).rejects.toMatchObject({
      code: 'SQL_BAD_CURSOR',
    });
    await expect(query('SELECT 1', { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'SQL_BAD_CURSOR' });
  });
});

describe('errors', () => {
  it('returns SQL_ERROR with a list_tables hint for an unknown table', async () => {
    const error = await query('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SQL_ERROR' });
    expect((error as Error).message).toContain('no_such_table');
    expect((error as { hint: string }).hint).toContain('list_tables');
  });

  it('returns SQL_ERROR for a syntax error and for an empty statement', async () => {
    await expect(query('SELEC 1')).rejects.toMatchObject({ code: 'SQL_ERROR' });
    await expect(query('SELECT FROM WHERE')).rejects.toMatchObject({ code: 'SQL_ERROR' });
    await expect(query('  -- nothing\n ')).rejects.toMatchObject({ code: 'SQL_ERROR' });
  });

  it('reports DATASET_NOT_FOUND when there is no database file yet', async () => {
    const error = await runReadOnlyQuery({ dbPath: `${fixture.dir}/missing.duckdb`, sql: 'SELECT 1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATASET_NOT_FOUND' });
    expect((error as { hint: string }).hint).toContain('Run the pipeline first');
  });

  it('interrupts a long query at the timeout with SQL_TIMEOUT', async () => {
    const error = await query('SELECT count(*) FROM range(100000000) a, range(100000000) b', { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'SQL_TIMEOUT' });
    // The hint names what the caller can change (there is no timeout argument to raise).
    const hint = (error as { hint: string }).hint;
    expect(hint).not.toMatch(/timeout_ms|raise/i);
    expect(hint).toMatch(/LIMIT/);
    expect(hint).toMatch(/aggregate/i);
    expect((await query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('explains accurately why duckdb_extensions() and file reads are refused', async () => {
    const extensions = await query('SELECT * FROM duckdb_extensions()').catch((e: unknown) => e);
    expect(extensions).toMatchObject({ code: 'SQL_NOT_READ_ONLY' });
    expect((extensions as Error).message).toMatch(/^DuckDB extensions are not available here/);
    expect((extensions as Error).message).not.toMatch(/Reading or writing files/);
    const file = await query("SELECT * FROM read_csv('/etc/hostname')").catch((e: unknown) => e);
    expect(file).toMatchObject({ code: 'SQL_NOT_READ_ONLY' });
    expect((file as Error).message).toMatch(/^Reading or writing files is not allowed/);
    expect((file as Error).message).not.toContain('statements are not allowed');
  });

  it('interrupts on an abort signal with CANCELLED', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const error = await query('SELECT count(*) FROM range(100000000) a, range(100000000) b', { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CANCELLED' });
  });
});
