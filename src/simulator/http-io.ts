/** Small request/response helpers: case-insensitive query, bodies, replies and API errors. */
import type { IncomingMessage } from 'node:http';

/** Query parameters with case-insensitive names (first value wins), as the real API treats them. */
export class Query {
  readonly #values = new Map<string, string>();

  constructor(search: string) {
    for (const [name, value] of new URLSearchParams(search)) {
      const key = name.toLowerCase();
      if (!this.#values.has(key)) this.#values.set(key, value);
    }
  }

  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  /** Integer parameter; a non-integer or a value below `min` is a 400. */
  int(name: string, min = 0): number | undefined {
    const text = this.get(name);
    if (text === undefined || text.trim() === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new ApiError(400, `The value '${text}' is not valid for ${name}.`);
    }
    return value;
  }

  bool(name: string): boolean | undefined {
    const text = this.get(name)?.trim().toLowerCase();
    if (text === undefined || text === '') return undefined;
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw new ApiError(400, `The value '${text}' is not valid for ${name}.`);
  }
}

/** Rows of one response, generated as they are written. */
export interface RowSource {
  readonly count: number;
  row(k: number): unknown;
}

export type Reply =
  | { status: number; kind: 'json'; value: unknown; headers?: Record<string, string> }
  | { status: number; kind: 'text'; body: string; contentType: string; headers?: Record<string, string> }
  | { status: number; kind: 'empty'; headers?: Record<string, string> }
  /** A data page: a bare array, or `{TotalCount, Data}` when totalCount is set. */
  | { status: 200; kind: 'rows'; rows: RowSource; totalCount?: number };

export function json(value: unknown, status = 200): Reply {
  return { status, kind: 'json', value };
}

export function rows(source: RowSource, totalCount?: number): Reply {
  return totalCount === undefined ? { status: 200, kind: 'rows', rows: source } : { status: 200, kind: 'rows', rows: source, totalCount };
}

export function empty(status: number, headers?: Record<string, string>): Reply {
  return headers ? { status, kind: 'empty', headers } : { status, kind: 'empty' };
}

/** An error answer; its body is JSON (a string, a number subcode, or an object). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : `HTTP ${status}`);
  }

  toReply(): Reply {
    return json(this.body, this.status);
  }
}

export const NOT_AUTHENTICATED = 'User not authenticated';

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'Request body too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError(400, 'The request body is not a valid JSON object.');
}

/** Case-insensitive property lookup in a JSON body (the API binds model properties case-insensitively). */
export function bodyField(body: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(body)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** limit/offset paging: a window [offset, offset + limit) over `total` rows. */
export function pageWindow(total: number, limit: number, offset: number): { start: number; count: number } {
  const start = Math.min(offset, total);
  return { start, count: Math.max(0, Math.min(limit, total - start)) };
}
