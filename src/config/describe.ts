/**
 * A report of the settings that is safe to show anyone (used by the MCP tool check_credentials): presence and
 * origin of every key, values only for non-secret keys, and never a secret's value or length.
 */
import { existsSync } from 'node:fs';
import { REDACTED, isSecret } from './secret.js';
import { originLabel } from './origin-label.js';
import { findMissingSettings } from './missing.js';
import { resolutionNotes } from './resolution-notes.js';
import { SETTING_KEYS } from './setting-keys.js';
import { CONFIG_FILE, SECRETS_FILE, authMode } from './resolve.js';
import type { AuthMode, BeyondTrustSettings, Resolved } from './types.js';

export interface SettingReport {
  key: string;
  present: boolean;
  secret: boolean;
  /** '**********' for secrets, the URL for base_url, the value for non-secret options. */
  value?: string;
  /** "env SOURCES__…" | ".dlt/secrets.toml [sources.beyondtrust_source] api_key" | "default" */
  origin?: string;
  /** Set when the only value found was a placeholder such as "<configure me>". */
  placeholder?: boolean;
}

export interface SettingsDescription {
  auth_mode: AuthMode;
  settings: SettingReport[];
  missing: string[];
  warnings: string[];
}

export function describeSettings(settings: BeyondTrustSettings): SettingsDescription {
  const notes = resolutionNotes(settings);
  const reports: SettingReport[] = SETTING_KEYS.map((spec) => {
    const resolved = settings[spec.key] as Resolved<unknown> | undefined;
    const secret = spec.kind === 'secret';
    if (!resolved) {
      return { key: spec.key, present: false, secret, ...(notes.placeholders.has(spec.key) ? { placeholder: true } : {}) };
    }
    const value = secret || isSecret(resolved.value) ? REDACTED : String(resolved.value);
    return { key: spec.key, present: true, secret, value, origin: originLabel(resolved.origin, settings.project_dir) };
  });
  const missing = findMissingSettings(settings).map((m) =>
    m.placeholder ? `${m.key} (placeholder in ${m.placeholder})` : m.key,
  );
  return { auth_mode: authMode(settings), settings: reports, missing, warnings: collectWarnings(settings) };
}

function collectWarnings(settings: BeyondTrustSettings): string[] {
  const warnings: string[] = [];
  const notes = resolutionNotes(settings);
  for (const spec of SETTING_KEYS) {
    if (spec.kind !== 'secret') continue;
    const resolved = settings[spec.key] as Resolved<unknown> | undefined;
    if (resolved?.origin.kind === 'file' && resolved.origin.path.endsWith(CONFIG_FILE)) {
      warnings.push(`${spec.key} is set in ${CONFIG_FILE}: move ${spec.key} to ${SECRETS_FILE} (config.toml is often committed to git).`);
    }
  }
  for (const [key, where] of notes.placeholders) {
    const resolved = settings[key as keyof BeyondTrustSettings];
    if (!resolved) warnings.push(`${key} in ${where} is a placeholder; replace it with the real value.`);
  }
  if (settings.verify_tls.value === false) {
    warnings.push('verify_tls is false: the server certificate is not checked. Prefer ca_file with your CA certificate.');
  }
  if (settings.base_url && isPlainHttpToRemoteHost(settings.base_url.value)) {
    warnings.push('base_url uses http:// to a non-local host: credentials would travel unencrypted. Use https://.');
  }
  if (settings.ca_file && !existsSync(settings.ca_file.value)) {
    warnings.push(`ca_file ${settings.ca_file.value} does not exist.`);
  }
  const mode = authMode(settings);
  if (mode === 'oauth2_client_credentials' && (settings.api_key || settings.runas)) {
    warnings.push('Both OAuth (client_id, client_secret) and PS-Auth (api_key, runas) are set; OAuth is used.');
  }
  if (mode === 'ps_auth' && (settings.client_id || settings.client_secret)) {
    warnings.push('OAuth is incomplete (needs both client_id and client_secret); PS-Auth (api_key, runas) is used.');
  }
  for (const where of notes.unknownKeys) warnings.push(`Unknown setting ${where} is ignored (check the spelling).`);
  return warnings;
}

function isPlainHttpToRemoteHost(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return url.protocol === 'http:' && !['localhost', '127.0.0.1', '::1'].includes(host) && !host.startsWith('127.');
  } catch {
    return false;
  }
}
