/** Opaque paging cursors: base64url of {sql hash, offset}. A cursor only continues the query it came from. */
import { createHash } from 'node:crypto';
import { BtError } from '../errors.js';

interface CursorPayload {
  v: 1;
  /** First 16 hex digits of sha256(sql). */
  h: string;
  /** Rows already returned. */
  o: number;
}

export function sqlHash(sql: string): string {
  return createHash('sha256').update(sql.trim()).digest('hex').slice(0, 16);
}

export function encodeCursor(sql: string, offset: number): string {
  const payload: CursorPayload = { v: 1, h: sqlHash(sql), o: offset };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The offset the cursor points at; SQL_BAD_CURSOR when it is malformed or belongs to another SQL text. */
export function decodeCursor(cursor: string, sql: string): number {
  let payload: Partial<CursorPayload> | undefined;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    payload = undefined;
  }
  if (!payload || payload.v !== 1 || typeof payload.h !== 'string' || !Number.isSafeInteger(payload.o) || (payload.o ?? -1) < 0) {
    throw new BtError('SQL_BAD_CURSOR', 'The cursor is not one this server issued.', {
      hint: 'Pass next_cursor exactly as returned by the previous query call, or omit it to start from the first row.',
      details: { step: 'query' },
    });
  }
  if (payload.h !== sqlHash(sql)) {
    throw new BtError('SQL_BAD_CURSOR', 'The cursor belongs to a different SQL statement.', {
      hint: 'Repeat the exact same SQL text with next_cursor, or omit the cursor for a new query.',
      details: { step: 'query' },
    });
  }
  return payload.o as number;
}
