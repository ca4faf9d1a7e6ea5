/** startSimulator: a node:http / node:https server answering like the BeyondTrust Password Safe API v3. */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BtError } from '../errors.js';
import { createLogger } from '../log.js';
import { SESSION_COOKIE, SessionStore, TokenStore, readCookie } from './auth.js';
import type { RequestContext, SimState } from './context.js';
import { resolveCredentials } from './credentials.js';
import { RequestStore } from './data/requests.js';
import { FaultState } from './faults.js';
import { ApiError, NOT_AUTHENTICATED, Query, json, type Reply } from './http-io.js';
import { sendReply } from './respond.js';
import { BASE_PATH, Router, pathSegments } from './router.js';
import { accountRoutes } from './routes/accounts.js';
import { activityRoutes } from './routes/activity.js';
import { auditRoutes } from './routes/audits.js';
import { authRoutes } from './routes/auth.js';
import { inventoryRoutes } from './routes/inventory.js';
import { peopleRoutes } from './routes/people.js';
import { secretRoutes } from './routes/secrets.js';
import { SimulatorStatsCounter } from './stats.js';
import { SIMULATOR_CA_CERT_PEM, SIMULATOR_SERVER_CERT_PEM, SIMULATOR_SERVER_KEY_PEM } from './tls/certs.js';
import type { RunningSimulator, SimulatorOptions } from './types.js';
import { SimWorld } from './world.js';

const DEFAULT_IDLE_MS = 20 * 60 * 1000;
const DEFAULT_TOKEN_LIFETIME_SEC = 600;
const NO_DRIFT = { newField: false, typeChange: false } as const;
const DRIFTING_ROUTES = new Set(['GET ManagedAccounts']);

const FAULT_REPLIES: Record<'500' | '502' | '503', Reply> = {
  '500': json({ Message: 'An error has occurred.' }, 500),
  '502': { status: 502, kind: 'text', contentType: 'text/html', body: '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>' },
  '503': { status: 503, kind: 'text', contentType: 'text/html; charset=us-ascii', body: '<h2>Service Unavailable</h2><hr><p>HTTP Error 503. The service is unavailable.</p>' },
};

function optionError(message: string, hint: string): BtError {
  return new BtError('SIMULATOR_OPTIONS', message, { hint });
}

/** Checks the additive options that take counts (the others are checked where they are used). */
function checkOptions(options: SimulatorOptions): void {
  const nonApi = options.nonApiAccounts;
  if (nonApi !== undefined && !(Number.isInteger(nonApi) && nonApi >= 0)) {
    throw optionError(`nonApiAccounts must be a non-negative integer, got ${nonApi}.`, 'Use 0 (the default) or a small count such as 5.');
  }
  const every = options.advanceEvery;
  if (every !== undefined) {
    const ok = 'requests' in every ? Number.isInteger(every.requests) && every.requests >= 1 : Number.isFinite(every.seconds) && every.seconds > 0;
    if (!ok) throw optionError(`advanceEvery needs requests >= 1 (integer) or seconds > 0, got ${JSON.stringify(every)}.`, 'Example: { requests: 100 } or { seconds: 30 }.');
  }
  const fraction = options.advanceChangedFraction;
  if (fraction !== undefined && !(fraction >= 0 && fraction <= 1)) {
    throw optionError(`advanceChangedFraction must be within 0..1, got ${fraction}.`, 'Example: 0.01 (1% of accounts and secrets change per step).');
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  checkOptions(options);
  const seed = options.seed ?? 1;
  const world = new SimWorld(seed, options.scale ?? 1, options.nonApiAccounts ?? 0);
  const clock = options.clock ?? Date.now;
  const tls = options.tls ?? false;
  const stats = new SimulatorStatsCounter();
  const faults = new FaultState(seed);
  faults.set(options.faults);
  const sessions = new SessionStore(clock, options.sessionIdleMs ?? DEFAULT_IDLE_MS, options.sessionMaxRequests);
  const state: SimState = {
    world,
    requests: new RequestStore(world, clock),
    sessions,
    tokens: new TokenStore(clock, options.tokenLifetimeSec ?? DEFAULT_TOKEN_LIFETIME_SEC),
    stats,
    credentials: resolveCredentials(options.credentials),
    requirePassword: options.requirePassword ?? false,
    signoutScope: options.signoutScope ?? 'session',
    tls,
  };
  const router = new Router([...authRoutes, ...accountRoutes, ...inventoryRoutes, ...activityRoutes, ...peopleRoutes, ...secretRoutes, ...auditRoutes]);
  const logger = createLogger({ name: 'simulator' });
  let dataRequestNumber = 0;
  const autoFraction = options.advanceChangedFraction ?? 0.01;
  const advanceEveryRequests = options.advanceEvery && 'requests' in options.advanceEvery ? options.advanceEvery.requests : undefined;

  function advance(changedFraction: number): void {
    world.advance(changedFraction);
    stats.advances++;
  }

  async function send(res: ServerResponse, reply: Reply, malformed = false): Promise<void> {
    stats.status(reply.status);
    await sendReply(res, reply, malformed);
  }

  /**
   * Faults and the session check for a data request. Rate faults act like a gateway in front of the API, so they come
   * before the session is looked at. Returns the refusal, or undefined when the request may proceed.
   */
  function admitDataRequest(ctx: RequestContext, label: string): Reply | 'reset' | undefined {
    stats.dataRequests++;
    const requestNumber = ++dataRequestNumber;
    // Requests 1..N see epoch 0, N+1..2N epoch 1, … (counted on arrival, so faulted requests count too).
    if (advanceEveryRequests !== undefined && requestNumber > 1 && (requestNumber - 1) % advanceEveryRequests === 0) advance(autoFraction);
    const sinceSet = faults.countRequest();
    const rateFault = faults.rateFault(requestNumber);
    if (rateFault !== undefined) {
      stats.fault(rateFault);
      if (rateFault === 'reset') return 'reset';
      if (rateFault === '429') {
        return { status: 429, kind: 'json', value: 'Too many requests', headers: { 'Retry-After': String(faults.retryAfterSeconds) } };
      }
      return FAULT_REPLIES[rateFault];
    }
    let session = sessions.use(readCookie(ctx.req.headers.cookie, SESSION_COOKIE));
    if (session && faults.expiresAt(sinceSet)) {
      stats.fault('expire');
      sessions.end(session.id);
      session = undefined;
    }
    if (!session) return json(NOT_AUTHENTICATED, 401);
    ctx.session = session;
    if (DRIFTING_ROUTES.has(label)) {
      ctx.drift = faults.activeDrifts(sinceSet);
      if (ctx.drift.newField || ctx.drift.typeChange) stats.fault('drift');
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const segments = pathSegments(queryAt === -1 ? url : url.slice(0, queryAt));
    const method = (req.method ?? 'GET').toUpperCase();
    const match = segments === undefined ? ({ kind: 'not-found' } as const) : router.match(method, segments);
    if (match.kind === 'not-found') {
      req.resume();
      return send(res, json({ Message: `No HTTP resource was found that matches the request URI '${url.split('?')[0]}'.` }, 404));
    }
    if (match.kind === 'method-not-allowed') {
      req.resume();
      return send(res, json({ Message: `The requested resource does not support http method '${method}'.` }, 405));
    }
    stats.route(match.label);
    const latencyMs = faults.latencyMs;
    if (latencyMs > 0) {
      stats.latency(latencyMs);
      await sleep(latencyMs);
    }
    const ctx: RequestContext = {
      sim: state,
      req,
      params: match.params,
      query: new Query(queryAt === -1 ? '' : url.slice(queryAt + 1)),
      session: undefined,
      drift: NO_DRIFT,
    };
    if (!match.route.auth) {
      const refusal = admitDataRequest(ctx, match.label);
      if (refusal !== undefined) {
        req.resume();
        if (refusal === 'reset') return resetSocket(req.socket);
        return send(res, refusal);
      }
    }
    let reply: Reply;
    try {
      reply = await match.route.handler(ctx);
    } catch (error) {
      if (!(error instanceof ApiError)) logger.error(`Simulator handler ${match.label} failed`, { error: String(error) });
      reply = error instanceof ApiError ? error.toReply() : json({ Message: 'An error has occurred.' }, 500);
    }
    req.resume();
    const malformed = !match.route.auth && reply.status === 200 && reply.kind !== 'empty' && faults.nextPageIsMalformed();
    if (malformed) stats.fault('malformed');
    await send(res, reply, malformed);
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      logger.error('Simulator request failed', { error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const server: Server = tls
    ? createHttpsServer({ key: SIMULATOR_SERVER_KEY_PEM, cert: SIMULATOR_SERVER_CERT_PEM }, listener)
    : createHttpServer(listener);
  server.keepAliveTimeout = 30_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const every = options.advanceEvery;
  const ticker = every && 'seconds' in every ? setInterval(() => advance(autoFraction), every.seconds * 1000) : undefined;
  ticker?.unref();
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  const running: RunningSimulator = {
    baseUrl: `${tls ? 'https' : 'http'}://${urlHost}:${port}${BASE_PATH}`,
    credentials: state.credentials,
    counts: world.counts,
    stats,
    faults: {
      set: (spec) => faults.set(spec),
      clear: () => faults.set(undefined),
      expireAllSessions: () => sessions.clear(),
    },
    advance: (advanceOptions) => advance(advanceOptions?.changedFraction ?? 0.01),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (ticker) clearInterval(ticker);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  if (tls) running.caCertPem = SIMULATOR_CA_CERT_PEM;
  return running;
}

/** Drops the connection without an answer (TCP RST where Node supports it). */
function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function' && !('encrypted' in socket)) socket.resetAndDestroy();
  else socket.destroy();
}
