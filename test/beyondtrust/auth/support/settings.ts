/** Builds BeyondTrustSettings the way src/config/resolve.ts would, for tests (values "from env"). */
import { Secret } from '../../../../src/config/secret.js';
import type { BeyondTrustSettings, Resolved } from '../../../../src/config/types.js';

const ENV = 'SOURCES__BEYONDTRUST_SOURCE__';

function fromEnv<T>(key: string, value: T): Resolved<T> {
  return { value, origin: { kind: 'env', name: `${ENV}${key.toUpperCase()}` } };
}

function fromDefault<T>(value: T): Resolved<T> {
  return { value, origin: { kind: 'default' } };
}

export interface SettingsInput {
  base_url?: string;
  api_key?: string;
  runas?: string;
  password?: string;
  client_id?: string;
  client_secret?: string;
  verify_tls?: boolean;
  ca_file?: string;
  request_timeout?: number;
  max_attempts?: number;
}

export function testSettings(input: SettingsInput, projectDir = '/tmp/project'): BeyondTrustSettings {
  const settings: BeyondTrustSettings = {
    project_dir: projectDir,
    verify_tls: fromDefault(input.verify_tls ?? true),
    page_size: fromDefault(1000),
    concurrency: fromDefault(4),
    request_timeout: fromDefault(input.request_timeout ?? 60),
    max_attempts: fromDefault(input.max_attempts ?? 5),
    credentials_enabled: fromDefault(false),
  };
  if (input.base_url !== undefined) settings.base_url = fromEnv('base_url', input.base_url);
  for (const key of ['api_key', 'runas', 'password', 'client_id', 'client_secret'] as const) {
    const value = input[key];
    if (value !== undefined) settings[key] = fromEnv(key, new Secret(value));
  }
  if (input.ca_file !== undefined) settings.ca_file = fromEnv('ca_file', input.ca_file);
  return settings;
}
