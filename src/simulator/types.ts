/** Public types of the BeyondTrust API simulator (the contract others code against). */

export interface SimulatorCredentials {
  apiKey: string;
  runas: string;
  password: string;
  clientId: string;
  clientSecret: string;
}

export type RateFaultKind = '500' | '502' | '503' | '429' | 'reset';

export interface DriftConfig {
  afterRequests: number;
  kind: 'new_field' | 'type_change';
}

export interface FaultConfig {
  /** Probability per data request, 0..1. */
  rates?: Partial<Record<RateFaultKind, number>>;
  /** Added to each request (auth requests included). */
  latencyMs?: number;
  /** The session used by every Nth data request has expired: that request gets 401 "User not authenticated". */
  expireEvery?: number;
  /** Every Nth successful data page is broken JSON (truncated body), status 200. */
  malformedEvery?: number;
  /** After N data requests, ManagedAccounts rows gain `RiskScore` (new_field) / `ChangeState` turns into a string (type_change). */
  drift?: DriftConfig;
  /** Additive: more drifts at once (parseFaultSpec puts the second one here when a spec names both kinds). */
  drifts?: DriftConfig[];
  /** Retry-After sent with 429 (default 1). */
  retryAfterSeconds?: number;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  seed?: number;
  scale?: number;
  faults?: string | FaultConfig;
  tls?: boolean;
  credentials?: Partial<SimulatorCredentials>;
  /** Default 20 minutes. */
  sessionIdleMs?: number;
  /** A session ends after this many data requests (unlimited when absent). */
  sessionMaxRequests?: number;
  /** Lifetime of OAuth access tokens (default 600 s). */
  tokenLifetimeSec?: number;
  /** Additive: PS-Auth must carry `pwd=[…]` (default false: pwd is optional, but must match when given). */
  requirePassword?: boolean;
  /** Additive: `session` (default) ends only the caller's session on Signout; `user` ends every session of that user. */
  signoutScope?: 'session' | 'user';
  /** Additive: clock in ms for session idle and token expiry (tests pass a manual clock). Default Date.now. */
  clock?: () => number;
  /**
   * Additive: move simulated time on by itself, like `advance()`: after every `requests` data requests (counted when
   * they arrive, faulted ones included; deterministic), or every `seconds` of wall-clock time. Default: never.
   */
  advanceEvery?: { requests: number } | { seconds: number };
  /** Additive: changedFraction of each automatic advance (default 0.01). */
  advanceChangedFraction?: number;
  /**
   * Additive: this many extra managed accounts with `ApiEnabled: false` (default 0). They get AccountId
   * counts.managedAccounts + 1 …, sit on systems 1, 2, … (extra k on system (k mod systems) + 1), appear in the admin
   * views (`ManagedSystems/{id}/ManagedAccounts`, `ManagedAccounts/{id}`) but never in `GET ManagedAccounts`, and
   * `POST Requests` for them answers 403 `4031`. counts.managedAccounts stays the requestable total.
   */
  nonApiAccounts?: number;
}

export interface SimulatorStats {
  signIns: number;
  signOuts: number;
  tokenRequests: number;
  dataRequests: number;
  /** Route template, e.g. "GET ManagedAccounts": 12. */
  byRoute: Record<string, number>;
  /** "200": 10, "503": 2. */
  byStatus: Record<string, number>;
  /** "503": 1, "reset": 2, "expire": 1, "malformed": 1, "drift": 3. */
  faultsInjected: Record<string, number>;
  /** Additive: requests delayed by the latency fault, and the delay they were given in total (ms, as configured). */
  latencyApplied: number;
  latencyMsTotal: number;
  /** Additive: steps simulated time moved on (advance() calls and automatic advances). */
  advances: number;
  reset(): void;
}

export interface FaultController {
  set(faults: string | FaultConfig): void;
  clear(): void;
  expireAllSessions(): void;
}

export interface EntityCounts {
  managedAccounts: number;
  managedSystems: number;
  workgroups: number;
  assets: number;
  sessions: number;
  requests: number;
  users: number;
  userGroups: number;
  platforms: number;
  functionalAccounts: number;
  databases: number;
  secrets: number;
  folders: number;
  userAudits: number;
  attributeTypes: number;
}

export interface RunningSimulator {
  /** http(s)://127.0.0.1:<port>/BeyondTrust/api/public/v3 */
  baseUrl: string;
  credentials: SimulatorCredentials;
  /** With tls: the PEM a client must trust. */
  caCertPem?: string;
  counts: EntityCounts;
  stats: SimulatorStats;
  faults: FaultController;
  /**
   * Moves simulated time forward one step: a deterministic ~changedFraction (default 0.01) of managed accounts get a
   * later LastChangeDate, the same fraction of secrets a later ModifiedOn, and new UserAudits rows appear.
   */
  advance(options?: { changedFraction?: number }): void;
  stop(): Promise<void>;
}
