/**
 * A loopback HTTP proxy in front of the simulator that can stop forwarding: after `holdAfter` data requests (or
 * from hold() on) requests wait until release(). Lets a test freeze a real run at a known point of its extract
 * phase — e.g. before its first flush — without timing assumptions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GateProxy {
  /** The simulator's base URL, through the proxy. */
  readonly baseUrl: string;
  /** Requests waiting at the gate. */
  readonly held: number;
  /** Data requests forwarded so far (auth calls not counted). */
  readonly forwarded: number;
  hold(): void;
  release(): void;
  /** Resolves once at least one request waits at the gate. */
  waitForHeld(): Promise<void>;
  stop(): Promise<void>;
}

function isAuthCall(url: string): boolean {
  return /\/auth\//i.test(url);
}

export async function startGateProxy(targetBaseUrl: string, options: { holdAfter?: number } = {}): Promise<GateProxy> {
  const target = new URL(targetBaseUrl);
  const queue: (() => void)[] = [];
  const waiters: (() => void)[] = [];
  let holding = false;
  let holdAfter = options.holdAfter;
  let forwarded = 0;

  const forward = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const data = !isAuthCall(url);
    if (data && holdAfter !== undefined && forwarded >= holdAfter) holding = true;
    if (holding && data) {
      req.pause();
      queue.push(() => {
        req.resume();
        forwarded++;
        forward(req, res);
      });
      for (const wake of waiters.splice(0)) wake();
      return;
    }
    if (data) forwarded++;
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}${target.pathname}`;

  const release = (): void => {
    holding = false;
    holdAfter = undefined;
    for (const next of queue.splice(0)) next();
  };
  return {
    baseUrl,
    get held() {
      return queue.length;
    },
    get forwarded() {
      return forwarded;
    },
    hold() {
      holding = true;
    },
    release,
    waitForHeld() {
      if (queue.length > 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    async stop() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
