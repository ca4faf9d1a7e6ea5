/**
 * dlt-compatible resolution of the BeyondTrust source settings. Providers in dlt's order — environment, then
 * .dlt/secrets.toml, then .dlt/config.toml, then defaults — and inside each provider the specific section
 * `sources.beyondtrust_source` before the shared `sources` section (dlt's section lookup).
 */
import { statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { BtError } from '../errors.js';
import { originLabel, displayPath } from './origin-label.js';
import { isPlaceholder } from './placeholders.js';
import { Secret } from './secret.js';
import { SETTING_KEYS, isSecretKey, type SettingKeySpec } from './setting-keys.js';
import { readTomlFile, isTomlTable, type TomlTable } from './toml-file.js';
import { findMissingSettings, type MissingSetting } from './missing.js';
import { rememberResolutionNotes, type ResolutionNotes } from './resolution-notes.js';
import type { AuthMode, BeyondTrustSettings, Resolved, ValueOrigin } from './types.js';

export const SOURCE_SECTION = 'beyondtrust_source';
export const CONFIG_FILE = join('.dlt', 'config.toml');
export const SECRETS_FILE = join('.dlt', 'secrets.toml');

/** "api_key" → "SOURCES__BEYONDTRUST_SOURCE__API_KEY" (dlt: upper-case, sections joined by "__"). */
export function envVarName(key: string): string {
  return ['SOURCES', SOURCE_SECTION, key].join('__').toUpperCase();
}

interface FoundValue {
  raw: unknown;
  origin: ValueOrigin;
}

interface Provider {
  /** Values of `key` in lookup order (specific section first); empty when the provider has none. */
  lookup(key: string): FoundValue[];
}

function envProvider(env: NodeJS.ProcessEnv): Provider {
  return {
    lookup(key) {
      const found: FoundValue[] = [];
      for (const name of [envVarName(key), ['SOURCES', key].join('__').toUpperCase()]) {
        const raw = env[name];
        // An empty variable is treated as unset, as shells make "unset" and "empty" easy to confuse.
        if (raw !== undefined && raw !== '') found.push({ raw, origin: { kind: 'env', name } });
      }
      return found;
    },
  };
}

function fileProvider(path: string, document: TomlTable | undefined): Provider {
  const sources = document && isTomlTable(document['sources']) ? document['sources'] : undefined;
  const section = sources && isTomlTable(sources[SOURCE_SECTION]) ? sources[SOURCE_SECTION] : undefined;
  return {
    lookup(key) {
      const found: FoundValue[] = [];
      if (section && section[key] !== undefined) {
        found.push({ raw: section[key], origin: { kind: 'file', path, key: `sources.${SOURCE_SECTION}.${key}` } });
      }
      if (sources && sources[key] !== undefined && !isTomlTable(sources[key])) {
        found.push({ raw: sources[key], origin: { kind: 'file', path, key: `sources.${key}` } });
      }
      return found;
    },
  };
}

export function resolveSettings(options: { projectDir: string; env?: NodeJS.ProcessEnv }): BeyondTrustSettings {
  const projectDir = resolvePath(options.projectDir);
  const env = options.env ?? process.env;
  const secretsPath = join(projectDir, SECRETS_FILE);
  const configPath = join(projectDir, CONFIG_FILE);
  const secretsDoc = readTomlFile(secretsPath, displayPath(secretsPath, projectDir));
  const configDoc = readTomlFile(configPath, displayPath(configPath, projectDir));
  const providers = [envProvider(env), fileProvider(secretsPath, secretsDoc), fileProvider(configPath, configDoc)];

  const notes: ResolutionNotes = { placeholders: new Map(), unknownKeys: [] };
  const values: Record<string, Resolved<unknown>> = {};
  for (const spec of SETTING_KEYS) {
    const resolved = resolveOne(spec, providers, projectDir, notes);
    if (resolved) values[spec.key] = resolved;
  }
  notes.unknownKeys.push(...unknownKeys(secretsPath, secretsDoc, projectDir), ...unknownKeys(configPath, configDoc, projectDir));

  const settings = { project_dir: projectDir, ...values } as unknown as BeyondTrustSettings;
  rememberResolutionNotes(settings, notes);
  return settings;
}

function resolveOne(
  spec: SettingKeySpec,
  providers: readonly Provider[],
  projectDir: string,
  notes: ResolutionNotes,
): Resolved<unknown> | undefined {
  for (const provider of providers) {
    for (const found of provider.lookup(spec.key)) {
      const where = originLabel(found.origin, projectDir);
      if (typeof found.raw === 'string' && (found.raw.trim() === '' || isPlaceholder(found.raw))) {
        // Placeholders and blanks do not count; a lower-priority provider may still have the real value.
        if (found.raw.trim() !== '' && !notes.placeholders.has(spec.key)) notes.placeholders.set(spec.key, where);
        continue;
      }
      return { value: convertValue(spec, found.raw, where, projectDir), origin: found.origin };
    }
  }
  if (spec.default !== undefined) return { value: spec.default, origin: { kind: 'default' } };
  return undefined;
}

function convertValue(spec: SettingKeySpec, raw: unknown, where: string, projectDir: string): unknown {
  switch (spec.kind) {
    case 'secret': {
      const options = { scrubFromText: spec.key !== 'runas' };
      if (typeof raw === 'string') return new Secret(raw, options);
      // dlt coerces scalars to the declared type; a numeric run-as name or key is still usable.
      if (typeof raw === 'number' || typeof raw === 'bigint') return new Secret(String(raw), options);
      throw invalid(spec, where, 'must be a string (in TOML: key = "value")');
    }
    case 'url':
      return parseBaseUrl(spec, raw, where);
    case 'path':
      if (typeof raw !== 'string') throw invalid(spec, where, 'must be a file path string', raw);
      return resolvePath(projectDir, raw);
    case 'boolean':
      return parseBoolean(spec, raw, where);
    case 'integer':
    case 'number':
      return parseNumber(spec, raw, where);
  }
}

function parseBaseUrl(spec: SettingKeySpec, raw: unknown, where: string): string {
  if (typeof raw !== 'string') throw invalid(spec, where, 'must be a URL string like "https://host/BeyondTrust/api/public/v3"', raw);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid(spec, where, 'must be an absolute URL like "https://host/BeyondTrust/api/public/v3"');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(spec, where, 'must start with https:// (or http:// for a local simulator)');
  }
  if (url.username || url.password) {
    // Never echo the URL here: it carries credentials.
    throw invalid(spec, where, 'must not contain a user name or password; put credentials in .dlt/secrets.toml');
  }
  // Not echoed either: a query string may carry a token.
  if (url.search || url.hash) throw invalid(spec, where, 'must not contain a query string or fragment');
  return url.toString().replace(/\/+$/, '');
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'n']);

function parseBoolean(spec: SettingKeySpec, raw: unknown, where: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const word = typeof raw === 'string' ? raw.trim().toLowerCase() : typeof raw === 'number' ? String(raw) : undefined;
  if (word !== undefined && TRUE_WORDS.has(word)) return true;
  if (word !== undefined && FALSE_WORDS.has(word)) return false;
  throw invalid(spec, where, 'must be true or false', raw);
}

function parseNumber(spec: SettingKeySpec, raw: unknown, where: string): number {
  const integer = spec.kind === 'integer';
  let parsed: number | undefined;
  if (typeof raw === 'number') parsed = raw;
  else if (typeof raw === 'bigint') parsed = Number(raw);
  else if (typeof raw === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw)) parsed = Number(raw);
  const range = `${spec.min ?? '-∞'} and ${spec.max ?? '∞'}`;
  const expected = integer ? `must be a whole number between ${range}` : `must be a number between ${range}`;
  if (parsed === undefined || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw invalid(spec, where, expected, raw);
  }
  if ((spec.min !== undefined && parsed < spec.min) || (spec.max !== undefined && parsed > spec.max)) {
    throw invalid(spec, where, expected, raw);
  }
  return parsed;
}

/** CONFIG_INVALID naming the key and where it was read; the value is shown only for non-secret keys. */
function invalid(spec: SettingKeySpec, where: string, expectation: string, raw?: unknown): BtError {
  const shown = raw !== undefined && !isSecretKey(spec.key) ? `, got ${describeRaw(raw)}` : '';
  return new BtError('CONFIG_INVALID', `${spec.key} (${where}) ${expectation}${shown}.`, {
    hint: `Fix ${spec.key} in ${where.startsWith('env ') ? `the environment variable ${where.slice(4)}` : where}: ${spec.description}.`,
    details: { step: 'config', key: spec.key, source: where },
  });
}

function describeRaw(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
  if (raw instanceof Date) return 'a date';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object' && raw !== null) return 'a table';
  return String(raw);
}

function unknownKeys(path: string, document: TomlTable | undefined, projectDir: string): string[] {
  const sources = document && isTomlTable(document['sources']) ? document['sources'] : undefined;
  const section = sources && isTomlTable(sources[SOURCE_SECTION]) ? sources[SOURCE_SECTION] : undefined;
  if (!section) return [];
  const known = new Set(SETTING_KEYS.map((s) => s.key as string));
  return Object.entries(section)
    .filter(([key, value]) => !known.has(key) && !isTomlTable(value))
    .map(([key]) => `${displayPath(path, projectDir)} [sources.${SOURCE_SECTION}] ${key}`);
}

/** client_id + client_secret → OAuth2 client credentials; else api_key + runas → PS-Auth; else none. */
export function authMode(settings: BeyondTrustSettings): AuthMode {
  if (settings.client_id && settings.client_secret) return 'oauth2_client_credentials';
  if (settings.api_key && settings.runas) return 'ps_auth';
  return 'none';
}

/** Throws CONFIG_MISSING (naming each key, its file + section and env var) when a run cannot start. */
export function requireRunSettings(settings: BeyondTrustSettings): void {
  const missing = findMissingSettings(settings);
  if (missing.length > 0) {
    throw new BtError('CONFIG_MISSING', `BeyondTrust settings missing: ${missing.map(describeMissing).join('; ')}.`, {
      hint: missingHint(missing),
      details: { step: 'config', missing: missing.map((m) => m.key) },
    });
  }
  if (settings.ca_file && !fileExists(settings.ca_file.value)) {
    const where = originLabel(settings.ca_file.origin, settings.project_dir);
    throw new BtError('CONFIG_INVALID', `ca_file (${where}) points to ${settings.ca_file.value}, which does not exist.`, {
      hint: 'Set ca_file to the PEM file of the CA that signed the server certificate (relative to the project directory).',
      details: { step: 'config', key: 'ca_file', source: where },
    });
  }
}

function describeMissing(missing: MissingSetting): string {
  const place = `${missing.file} [sources.${SOURCE_SECTION}] or env ${envVarName(missing.key)}`;
  const why = missing.placeholder ? ` (still the placeholder in ${missing.placeholder})` : '';
  return `${missing.key}${why} — set it in ${place}`;
}

function missingHint(missing: readonly MissingSetting[]): string {
  const keys = new Set(missing.map((m) => m.key));
  const parts: string[] = [];
  if (keys.has('base_url')) parts.push(`add base_url = "https://<host>/BeyondTrust/api/public/v3" to ${CONFIG_FILE} [sources.${SOURCE_SECTION}]`);
  const authKeys = missing.filter((m) => m.key !== 'base_url').map((m) => m.key);
  if (authKeys.length > 0) {
    parts.push(
      `add ${authKeys.join(' and ')} to ${SECRETS_FILE} [sources.${SOURCE_SECTION}] (PS-Auth: api_key + runas [+ password]; OAuth: client_id + client_secret), or set the SOURCES__${SOURCE_SECTION.toUpperCase()}__* environment variables`,
    );
  }
  return `${parts.join('; ')}. Use the check_credentials tool to verify without revealing values.`;
}

function fileExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
