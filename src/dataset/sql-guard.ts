/**
 * Which statements the query tool runs. Defence in depth on top of the read-only instance: the statement must
 * be exactly one, prepare as SELECT or EXPLAIN in DuckDB, and start with a read-only keyword (DuckDB prepares
 * e.g. `PRAGMA version` as SELECT, and the tool promises no PRAGMA).
 */
import { StatementType } from '@duckdb/node-api';
import { BtError } from '../errors.js';

/** Leading keywords of read-only statements. FROM-first, VALUES, TABLE and SHOW are DuckDB's read-only shorthands. */
const READ_ONLY_KEYWORDS = new Set(['SELECT', 'WITH', 'EXPLAIN', 'DESCRIBE', 'DESC', 'SUMMARIZE', 'SHOW', 'FROM', 'VALUES', 'TABLE']);
const ALLOWED_STATEMENT_TYPES: ReadonlySet<StatementType> = new Set([StatementType.SELECT, StatementType.EXPLAIN]);

/** The first `count` keywords of `sql`, upper-cased, skipping whitespace, comments and opening parentheses. */
export function leadingKeywords(sql: string, count = 2): string[] {
  const keywords: string[] = [];
  let i = 0;
  while (i < sql.length && keywords.length < count) {
    const rest = sql.slice(i);
    const skip = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?(\*\/|$)|\()/.exec(rest);
    if (skip) {
      i += skip[0].length;
      continue;
    }
    const word = /^[A-Za-z_]+/.exec(rest);
    if (!word) break;
    keywords.push(word[0].toUpperCase());
    i += word[0].length;
  }
  return keywords;
}

export function assertNotEmpty(sql: string): void {
  if (!/[^\s;]/.test(stripComments(sql))) {
    throw new BtError('SQL_ERROR', 'The SQL text is empty.', {
      hint: 'Send one SELECT statement, e.g. SELECT * FROM managed_accounts LIMIT 10.',
      details: { step: 'query' },
    });
  }
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*(\n|$)/g, ' ').replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ');
}

/** Rejects a statement whose leading keyword is not read-only (checked before it is prepared). */
export function assertReadOnlyKeyword(sql: string): void {
  const [first, second] = leadingKeywords(sql);
  if (first === undefined) throw notReadOnly('Unrecognised');
  // EXPLAIN [ANALYZE] must explain a read-only statement too (EXPLAIN ANALYZE executes it).
  const effective = first === 'EXPLAIN' && second === 'ANALYZE' ? leadingKeywords(sql, 3)[2] : first === 'EXPLAIN' ? second : first;
  if (!READ_ONLY_KEYWORDS.has(first) || effective === undefined || !READ_ONLY_KEYWORDS.has(effective)) {
    throw notReadOnly(first === 'EXPLAIN' ? `EXPLAIN ${effective ?? ''}`.trim() : first);
  }
}

/** Rejects any prepared statement that is not a SELECT or EXPLAIN in DuckDB's own classification. */
export function assertReadOnlyStatementType(statementType: StatementType): void {
  if (!ALLOWED_STATEMENT_TYPES.has(statementType)) throw notReadOnly(statementTypeName(statementType));
}

export function statementTypeName(statementType: StatementType): string {
  return StatementType[statementType] ?? String(statementType);
}

export function notReadOnly(what: string): BtError {
  return new BtError('SQL_NOT_READ_ONLY', `${what} statements are not allowed: the query tool is read-only.`, {
    hint: 'Use one SELECT (or WITH, EXPLAIN, DESCRIBE, SUMMARIZE, SHOW) statement. Data changes, files, extensions and settings are not available.',
    details: { step: 'query', statement: what },
  });
}

/** SQL_MULTIPLE_STATEMENTS for anything but exactly one statement. */
export function assertSingleStatement(count: number): void {
  if (count !== 1) {
    throw new BtError('SQL_MULTIPLE_STATEMENTS', `Expected exactly one SQL statement, got ${count}.`, {
      hint: 'Send one statement per query call (no ";"-separated lists). Combine results with WITH, JOIN or UNION ALL.',
      details: { step: 'query', statements: count },
    });
  }
}
