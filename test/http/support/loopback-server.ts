/** A tiny node:http(s) server on 127.0.0.1 for pure HTTP behaviours; counts the requests it saw. */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => void;

export interface LoopbackServer {
  url: string;
  /** Requests received so far (1-based index passed to the handler). */
  readonly count: number;
  readonly seen: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export async function startLoopbackServer(
  handler: Handler,
  tls?: { key: string; cert: string },
): Promise<LoopbackServer> {
  let count = 0;
  const seen: LoopbackServer['seen'] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    count++;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    // Drain the request body before answering, as a real server would.
    req.resume();
    const index = count;
    req.on('end', () => handler(req, res, index));
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    get count() {
      return count;
    },
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on which nothing listens (bound then released). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
