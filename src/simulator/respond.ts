/** Writes replies: JSON bodies with Content-Length, big row lists streamed in chunks, truncated pages on request. */
import type { ServerResponse } from 'node:http';
import type { Reply, RowSource } from './http-io.js';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Lists up to this many rows are built as one string (Content-Length); longer ones are streamed (chunked). */
const SINGLE_BODY_MAX_ROWS = 2000;
const CHUNK_ROWS = 1000;

function rowsJson(source: RowSource, from: number, to: number): string {
  let out = '';
  for (let k = from; k < to; k++) out += (k === 0 ? '' : ',') + JSON.stringify(source.row(k));
  return out;
}

function head(res: ServerResponse, status: number, headers: Record<string, string | number>): void {
  res.writeHead(status, headers);
}

/** Sends `reply`; `malformed` cuts a 200 JSON body in half (still status 200, consistent framing). */
export async function sendReply(res: ServerResponse, reply: Reply, malformed: boolean): Promise<void> {
  if (reply.kind === 'empty') {
    head(res, reply.status, { ...reply.headers, 'Content-Length': 0 });
    res.end();
    return;
  }
  if (reply.kind === 'json' || reply.kind === 'text') {
    let body = reply.kind === 'json' ? JSON.stringify(reply.value) : reply.body;
    if (malformed) body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    const contentType = reply.kind === 'json' ? JSON_TYPE : reply.contentType;
    head(res, reply.status, { ...reply.headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const prefix = reply.totalCount === undefined ? '[' : `{"TotalCount":${reply.totalCount},"Data":[`;
  const suffix = reply.totalCount === undefined ? ']' : ']}';
  const { rows } = reply;
  if (rows.count <= SINGLE_BODY_MAX_ROWS) {
    let body = prefix + rowsJson(rows, 0, rows.count) + suffix;
    if (malformed) body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    head(res, 200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  head(res, 200, { 'Content-Type': JSON_TYPE });
  // Streamed: memory stays at one chunk whatever the list size. A malformed page stops after half the rows.
  const stopAt = malformed ? Math.floor(rows.count / 2) : rows.count;
  let ok = res.write(prefix);
  for (let from = 0; from < stopAt && !res.destroyed; from += CHUNK_ROWS) {
    if (!ok) await drainOrClose(res);
    ok = res.write(rowsJson(rows, from, Math.min(stopAt, from + CHUNK_ROWS)));
  }
  res.end(malformed ? '' : suffix);
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
