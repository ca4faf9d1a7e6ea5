/** The keys of `[sources.beyondtrust_source]`: their kind, whether they are secret, and their defaults. */
import type { BeyondTrustSettings } from './types.js';

export type SettingKind = 'secret' | 'url' | 'path' | 'boolean' | 'integer' | 'number';

export interface SettingKeySpec {
  key: SettingKeyName;
  kind: SettingKind;
  /** Default used when no provider has a value; undefined means "optional, no default". */
  default?: boolean | number;
  /** Smallest accepted value for numbers. */
  min?: number;
  /** Largest accepted value for numbers. */
  max?: number;
  /** One line for people: what the key does. */
  description: string;
}

export type SettingKeyName = Exclude<keyof BeyondTrustSettings, 'project_dir'>;

export const SETTING_KEYS: readonly SettingKeySpec[] = [
  { key: 'base_url', kind: 'url', description: 'API base URL, ending in /BeyondTrust/api/public/v3' },
  { key: 'api_key', kind: 'secret', description: 'PS-Auth API key of the API registration' },
  { key: 'runas', kind: 'secret', description: 'user name the API key runs as (PS-Auth)' },
  { key: 'password', kind: 'secret', description: 'password of the run-as user, when the registration requires it' },
  { key: 'client_id', kind: 'secret', description: 'OAuth client id of the API registration' },
  { key: 'client_secret', kind: 'secret', description: 'OAuth client secret of the API registration' },
  { key: 'verify_tls', kind: 'boolean', default: true, description: 'check the server certificate' },
  { key: 'ca_file', kind: 'path', description: 'PEM file with the CA that signed the server certificate' },
  { key: 'page_size', kind: 'integer', default: 1000, min: 1, max: 100_000, description: 'page size for limit/offset endpoints' },
  { key: 'concurrency', kind: 'integer', default: 4, min: 1, max: 64, description: 'concurrent requests per run' },
  { key: 'request_timeout', kind: 'number', default: 60, min: 0.001, max: 86_400, description: 'per-request timeout in seconds' },
  { key: 'max_attempts', kind: 'integer', default: 5, min: 1, max: 100, description: 'attempts per request including the first' },
  { key: 'credentials_enabled', kind: 'boolean', default: false, description: 'opt in to the credentials resource' },
];

export const SECRET_KEYS: ReadonlySet<string> = new Set(SETTING_KEYS.filter((s) => s.kind === 'secret').map((s) => s.key));

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key);
}
