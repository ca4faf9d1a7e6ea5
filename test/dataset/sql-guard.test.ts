import { StatementType } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/dataset/cursor.js';
import {
  assertNotEmpty,
  assertReadOnlyKeyword,
  assertReadOnlyStatementType,
  leadingKeywords,
} from '../../src/dataset/sql-guard.js';

describe('leadingKeywords', () => {
  it('skips whitespace, comments and parentheses', () => {
    expect(leadingKeywords('  -- note\n /* block */ ((select 1))')).toEqual(['SELECT']);
    expect(leadingKeywords('explain analyze select 1', 3)).toEqual(['EXPLAIN', 'ANALYZE', 'SELECT']);
    expect(leadingKeywords('/* unterminated')).toEqual([]);
  });
});

describe('assertReadOnlyKeyword', () => {
  it.each(['SELECT 1', 'with a as (select 1) select * from a', 'EXPLAIN SELECT 1', 'EXPLAIN ANALYZE SELECT 1', 'DESCRIBE t', 'SUMMARIZE t', 'SHOW TABLES', 'FROM t', 'VALUES (1)', '(SELECT 1) UNION (SELECT 2)'])(
    'allows %s',
    (sql) => {
      expect(() => assertReadOnlyKeyword(sql)).not.toThrow();
    },
  );
  it.each(['PRAGMA version', 'EXPLAIN ANALYZE DELETE FROM t', 'EXPLAIN INSERT INTO t VALUES (1)', 'CALL f()', 'SET x = 1', 'DROP TABLE t', "'literal'"])(
    'refuses %s with SQL_NOT_READ_ONLY',
    (sql) => {
      expect(() => assertReadOnlyKeyword(sql)).toThrow(expect.objectContaining({ code: 'SQL_NOT_READ_ONLY' }));
    },
  );
  it('calls blank or comment-only text empty (SQL_ERROR)', () => {
    expect(() => assertNotEmpty(' ; -- x\n /* y */ ')).toThrow(expect.objectContaining({ code: 'SQL_ERROR' }));
    expect(() => assertNotEmpty('SELECT 1')).not.toThrow();
  });
});

describe('assertReadOnlyStatementType', () => {
  it('allows only SELECT and EXPLAIN', () => {
    expect(() => assertReadOnlyStatementType(StatementType.SELECT)).not.toThrow();
    expect(() => assertReadOnlyStatementType(StatementType.EXPLAIN)).not.toThrow();
    for (const type of [StatementType.INSERT, StatementType.CREATE, StatementType.PRAGMA, StatementType.SET, StatementType.CALL, StatementType.ATTACH, StatementType.COPY]) {
      expect(() => assertReadOnlyStatementType(type)).toThrow(expect.objectContaining({ code: 'SQL_NOT_READ_ONLY' }));
    }
  });
});

describe('cursors', () => {
  it('round-trip the offset for the same SQL only', () => {
    const cursor = encodeCursor('SELECT 1', 300);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'SELECT 1')).toBe(300);
    expect(() => decodeCursor(cursor, 'SELECT 2')).toThrow(expect.objectContaining({ code: 'SQL_BAD_CURSOR' }));
    const forged = Buffer.from(JSON.stringify({ v: 1, h: 'x', o: -5 })).toString('base64url');
    expect(() => decodeCursor(forged, 'SELECT 1')).toThrow(expect.objectContaining({ code: 'SQL_BAD_CURSOR' }));
  });
});
