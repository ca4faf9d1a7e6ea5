/** Resolved settings of the BeyondTrust source: each value remembers where it was read from. */
import type { Secret } from './secret.js';

export type ValueOrigin =
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string; key: string }
  | { kind: 'default' }
  | { kind: 'argument' };

export interface Resolved<T> {
  value: T;
  origin: ValueOrigin;
}

export type AuthMode = 'oauth2_client_credentials' | 'ps_auth' | 'none';

/** `[sources.beyondtrust_source]` in .dlt/config.toml and .dlt/secrets.toml, overridden by SOURCES__BEYONDTRUST_SOURCE__*. */
export interface BeyondTrustSettings {
  /** Project directory the files were read from. */
  project_dir: string;
  base_url?: Resolved<string>;
  api_key?: Resolved<Secret>;
  runas?: Resolved<Secret>;
  password?: Resolved<Secret>;
  client_id?: Resolved<Secret>;
  client_secret?: Resolved<Secret>;
  /** Default true. false disables certificate checks (loudly warned). */
  verify_tls: Resolved<boolean>;
  /** PEM file with the CA that signed the server certificate. */
  ca_file?: Resolved<string>;
  /** Page size for limit/offset endpoints (default 1000). */
  page_size: Resolved<number>;
  /** Concurrent requests per run (default 4). */
  concurrency: Resolved<number>;
  /** Per-request timeout in seconds (default 60). */
  request_timeout: Resolved<number>;
  /** Attempts per request including the first (default 5). */
  max_attempts: Resolved<number>;
  /** Opt-in for the `credentials` resource (default false). */
  credentials_enabled: Resolved<boolean>;
}
