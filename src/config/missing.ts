/** Which settings a run still needs, and where each one goes. */
import { join } from 'node:path';
import { resolutionNotes } from './resolution-notes.js';
import type { BeyondTrustSettings } from './types.js';

export interface MissingSetting {
  key: string;
  /** File the key belongs in: .dlt/config.toml for base_url, .dlt/secrets.toml for credentials. */
  file: string;
  /** Where a placeholder was found instead of a value, if any. */
  placeholder?: string;
}

export function findMissingSettings(settings: BeyondTrustSettings): MissingSetting[] {
  const keys: string[] = [];
  if (!settings.base_url) keys.push('base_url');
  const hasOauthPart = Boolean(settings.client_id || settings.client_secret);
  const hasPsAuthPart = Boolean(settings.api_key || settings.runas);
  if (settings.client_id && settings.client_secret) {
    // OAuth is complete; PS-Auth keys are not needed.
  } else if (hasOauthPart && !hasPsAuthPart) {
    if (!settings.client_id) keys.push('client_id');
    if (!settings.client_secret) keys.push('client_secret');
  } else {
    if (!settings.api_key) keys.push('api_key');
    if (!settings.runas) keys.push('runas');
  }
  const { placeholders } = resolutionNotes(settings);
  return keys.map((key) => {
    const placeholder = placeholders.get(key);
    return {
      key,
      file: join('.dlt', key === 'base_url' ? 'config.toml' : 'secrets.toml'),
      ...(placeholder === undefined ? {} : { placeholder }),
    };
  });
}
