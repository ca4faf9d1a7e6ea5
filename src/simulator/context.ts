/** What route handlers get: the shared simulator state and the parsed request. */
import type { IncomingMessage } from 'node:http';
import type { Session, SessionStore, TokenStore } from './auth.js';
import type { RequestStore } from './data/requests.js';
import type { Query, Reply } from './http-io.js';
import type { SimulatorStatsCounter } from './stats.js';
import type { SimulatorCredentials } from './types.js';
import type { SimWorld } from './world.js';

export interface SimState {
  world: SimWorld;
  requests: RequestStore;
  sessions: SessionStore;
  tokens: TokenStore;
  stats: SimulatorStatsCounter;
  credentials: SimulatorCredentials;
  requirePassword: boolean;
  signoutScope: 'session' | 'user';
  /** Served over HTTPS (the session cookie carries `secure` only then). */
  tls: boolean;
}

export interface RequestContext {
  sim: SimState;
  req: IncomingMessage;
  /** Path parameters in template order, URL-decoded. */
  params: string[];
  query: Query;
  /** The live session (data routes only; auth routes get undefined). */
  session: Session | undefined;
  /** Schema drift in effect for this request (ManagedAccounts rows). */
  drift: { newField: boolean; typeChange: boolean };
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT';
  /** Path below the base path, e.g. "ManagedSystems/{id}/ManagedAccounts"; matched case-insensitively. */
  template: string;
  /** Auth routes need no session and are not subject to rate faults. */
  auth?: boolean;
  handler: Handler;
}
