import { afterEach, describe, expect, it } from 'vitest';
import { authMode, envVarName, requireRunSettings, resolveSettings } from '../../src/config/resolve.js';
import { captureError, makeProject } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function project(files: { config?: string; secrets?: string }): string {
  const made = makeProject(files);
  cleanups.push(made.cleanup);
  return made.dir;
}

const SECTION = '[sources.beyondtrust_source]';

describe('envVarName', () => {
  it('follows dlt: upper-case sections joined by __', () => {
    expect(envVarName('api_key')).toBe('SOURCES__BEYONDTRUST_SOURCE__API_KEY');
    expect(envVarName('base_url')).toBe('SOURCES__BEYONDTRUST_SOURCE__BASE_URL');
  });
});

describe('resolveSettings precedence', () => {
  it('takes env over secrets.toml over config.toml over defaults, and records each origin', () => {
    const dir = project({
      config: `${SECTION}\nbase_url = "https://config.example/BeyondTrust/api/public/v3"\npage_size = 200\nconcurrency = 2\napi_key = "from-config-key"\n`,
      secrets: `${SECTION}\napi_key = "from-secrets-key"\nrunas = "svc_reader"\npage_size = 300\n`,
    });
    const settings = resolveSettings({ projectDir: dir, env: { SOURCES__BEYONDTRUST_SOURCE__PAGE_SIZE: '400' } });
    expect(settings.page_size).toEqual({ value: 400, origin: { kind: 'env', name: 'SOURCES__BEYONDTRUST_SOURCE__PAGE_SIZE' } });
    expect(settings.api_key?.value.reveal()).toBe('from-secrets-key');
    expect(settings.api_key?.origin).toEqual({
      kind: 'file',
      path: `${dir}/.dlt/secrets.toml`,
      key: 'sources.beyondtrust_source.api_key',
    });
    expect(settings.concurrency.value).toBe(2);
    expect(settings.concurrency.origin).toMatchObject({ kind: 'file', path: `${dir}/.dlt/config.toml` });
    expect(settings.base_url?.value).toBe('https://config.example/BeyondTrust/api/public/v3');
    expect(settings.request_timeout).toEqual({ value: 60, origin: { kind: 'default' } });
    expect(settings.max_attempts.value).toBe(5);
    expect(settings.verify_tls.value).toBe(true);
    expect(settings.credentials_enabled.value).toBe(false);
    expect(settings.project_dir).toBe(dir);
  });

  it('lets env override a secret and parses env booleans and numbers', () => {
    const dir = project({ secrets: `${SECTION}\napi_key = "file-key-1234"\nrunas = "svc"\n` });
    const settings = resolveSettings({
      projectDir: dir,
      env: {
        SOURCES__BEYONDTRUST_SOURCE__API_KEY: 'env-key-5678',
        SOURCES__BEYONDTRUST_SOURCE__VERIFY_TLS: 'false',
        SOURCES__BEYONDTRUST_SOURCE__CREDENTIALS_ENABLED: 'yes',
        SOURCES__BEYONDTRUST_SOURCE__REQUEST_TIMEOUT: '2.5',
      },
    });
    expect(settings.api_key?.value.reveal()).toBe('env-key-5678');
    expect(settings.api_key?.origin).toEqual({ kind: 'env', name: 'SOURCES__BEYONDTRUST_SOURCE__API_KEY' });
    expect(settings.verify_tls.value).toBe(false);
    expect(settings.credentials_enabled.value).toBe(true);
    expect(settings.request_timeout.value).toBe(2.5);
  });

  it('falls back to the shared [sources] section, the specific section winning', () => {
    const dir = project({
      config: `[sources]\nbase_url = "https://shared.example/BeyondTrust/api/public/v3"\npage_size = 50\n\n${SECTION}\npage_size = 75\n`,
    });
    const settings = resolveSettings({ projectDir: dir, env: {} });
    expect(settings.base_url?.value).toBe('https://shared.example/BeyondTrust/api/public/v3');
    expect(settings.base_url?.origin).toMatchObject({ kind: 'file', key: 'sources.base_url' });
    expect(settings.page_size.value).toBe(75);
  });

  it('works with no .dlt files at all (defaults only)', () => {
    const dir = project({});
    const settings = resolveSettings({ projectDir: dir, env: {} });
    expect(settings.base_url).toBeUndefined();
    expect(settings.page_size.value).toBe(1000);
    expect(authMode(settings)).toBe('none');
  });

  it('ignores empty environment variables', () => {
    const dir = project({ secrets: `${SECTION}\nrunas = "svc_reader"\n` });
    const settings = resolveSettings({ projectDir: dir, env: { SOURCES__BEYONDTRUST_SOURCE__RUNAS: '' } });
    expect(settings.runas?.value.reveal()).toBe('svc_reader');
  });

  it('resolves ca_file relative to the project directory and trims a trailing slash of base_url', () => {
    const dir = project({ config: `${SECTION}\nca_file = "certs/ca.pem"\nbase_url = "https://h.example/BeyondTrust/api/public/v3/"\n` });
    const settings = resolveSettings({ projectDir: dir, env: {} });
    expect(settings.ca_file?.value).toBe(`${dir}/certs/ca.pem`);
    expect(settings.base_url?.value).toBe('https://h.example/BeyondTrust/api/public/v3');
  });
});

describe('placeholders', () => {
  it('counts placeholder values as missing', () => {
    const dir = project({
      config: `${SECTION}\nbase_url = "<configure me>"\n`,
      secrets: `${SECTION}\napi_key = "your-api-key-here"\nrunas = "<configure me>"\npassword = ""\n`,
    });
    const settings = resolveSettings({ projectDir: dir, env: {} });
    expect(settings.base_url).toBeUndefined();
    expect(settings.api_key).toBeUndefined();
    expect(settings.runas).toBeUndefined();
    expect(settings.password).toBeUndefined();
    expect(authMode(settings)).toBe('none');
  });

  it('uses the env value when the file holds only a placeholder', () => {
    const dir = project({ secrets: `${SECTION}\napi_key = "<configure me>"\n` });
    const settings = resolveSettings({ projectDir: dir, env: { SOURCES__BEYONDTRUST_SOURCE__API_KEY: 'real-key-0001' } });
    expect(settings.api_key?.value.reveal()).toBe('real-key-0001');
  });
});

describe('CONFIG_INVALID', () => {
  it('names the file and line of a TOML syntax error', () => {
    const dir = project({ config: `${SECTION}\nbase_url = "https://x.example"\npage_size = = 3\n` });
    const error = captureError(() => resolveSettings({ projectDir: dir, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('.dlt/config.toml');
    expect(error.message).toContain('line 3');
  });

  it('names the key and file+section of a wrong type', () => {
    const dir = project({ config: `${SECTION}\npage_size = "abc"\n` });
    const error = captureError(() => resolveSettings({ projectDir: dir, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('page_size');
    expect(error.message).toContain('.dlt/config.toml [sources.beyondtrust_source] page_size');
    expect(error.message).toContain('"abc"');
  });

  it('names the env var of a wrong type', () => {
    const dir = project({});
    const error = captureError(() =>
      resolveSettings({ projectDir: dir, env: { SOURCES__BEYONDTRUST_SOURCE__VERIFY_TLS: 'maybe' } }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('verify_tls');
    expect(error.message).toContain('SOURCES__BEYONDTRUST_SOURCE__VERIFY_TLS');
  });

  it.each([
    ['page_size = 0', 'page_size'],
    ['concurrency = 2.5', 'concurrency'],
    ['request_timeout = -1', 'request_timeout'],
    ['verify_tls = "maybe"', 'verify_tls'],
    ['base_url = "ftp://host/x"', 'base_url'],
    ['base_url = "not a url"', 'base_url'],
    ['ca_file = 3', 'ca_file'],
  ])('rejects %s', (line, key) => {
    const dir = project({ config: `${SECTION}\n${line}\n` });
    const error = captureError(() => resolveSettings({ projectDir: dir, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(key);
  });

  it('rejects credentials embedded in base_url without echoing them', () => {
    const dir = project({ config: `${SECTION}\nbase_url = "https://admin:hunter2-pass@h.example/v3"\n` });
    const error = captureError(() => resolveSettings({ projectDir: dir, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).not.toContain('hunter2-pass');
  });

  it('rejects a non-string secret without showing it', () => {
    const dir = project({ secrets: `${SECTION}\napi_key = ["x-list-secret-value"]\n` });
    const error = captureError(() => resolveSettings({ projectDir: dir, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('api_key');
    expect(error.message).toContain('.dlt/secrets.toml');
    expect(error.message).not.toContain('x-list-secret-value');
  });
});

describe('authMode', () => {
  const cases: [string, string, string][] = [
    ['client_id = "cid-1"\nclient_secret = "csec-1"\napi_key = "k-123"\nrunas = "r"', 'oauth2_client_credentials', 'both → OAuth'],
    ['api_key = "k-123"\nrunas = "r"', 'ps_auth', 'api_key + runas'],
    ['api_key = "k-123"\nrunas = "r"\nclient_id = "cid-1"', 'ps_auth', 'incomplete OAuth falls back to PS-Auth'],
    ['api_key = "k-123"', 'none', 'api_key alone'],
    ['client_secret = "csec-1"', 'none', 'client_secret alone'],
  ];
  it.each(cases)('%s → %s (%s)', (lines, mode) => {
    const dir = project({ secrets: `${SECTION}\n${lines}\n` });
    expect(authMode(resolveSettings({ projectDir: dir, env: {} }))).toBe(mode);
  });
});

describe('requireRunSettings', () => {
  it('names each missing key with its file, section and env var', () => {
    const dir = project({ secrets: `${SECTION}\napi_key = "your-api-key-here"\n` });
    const settings = resolveSettings({ projectDir: dir, env: {} });
    const error = captureError(() => requireRunSettings(settings));
    expect(error.code).toBe('CONFIG_MISSING');
    for (const text of [
      'base_url',
      '.dlt/config.toml [sources.beyondtrust_source]',
      'SOURCES__BEYONDTRUST_SOURCE__BASE_URL',
      'api_key',
      'runas',
      '.dlt/secrets.toml [sources.beyondtrust_source]',
      'SOURCES__BEYONDTRUST_SOURCE__API_KEY',
      'SOURCES__BEYONDTRUST_SOURCE__RUNAS',
      'placeholder',
    ]) {
      expect(error.message).toContain(text);
    }
    expect(error.hint).toContain('client_id');
  });

  it('asks for the other half of an incomplete OAuth pair', () => {
    const dir = project({ config: `${SECTION}\nbase_url = "https://h.example/v3"\n`, secrets: `${SECTION}\nclient_id = "cid-1"\n` });
    const error = captureError(() => requireRunSettings(resolveSettings({ projectDir: dir, env: {} })));
    expect(error.code).toBe('CONFIG_MISSING');
    expect(error.message).toContain('client_secret');
    expect(error.message).not.toContain('api_key');
  });

  it('passes when base_url and one complete auth method are set', () => {
    const dir = project({ config: `${SECTION}\nbase_url = "https://h.example/v3"\n`, secrets: `${SECTION}\napi_key = "k-123"\nrunas = "r"\n` });
    expect(() => requireRunSettings(resolveSettings({ projectDir: dir, env: {} }))).not.toThrow();
  });

  it('rejects a ca_file that does not exist', () => {
    const dir = project({
      config: `${SECTION}\nbase_url = "https://h.example/v3"\nca_file = "missing.pem"\n`,
      secrets: `${SECTION}\napi_key = "k-123"\nrunas = "r"\n`,
    });
    const error = captureError(() => requireRunSettings(resolveSettings({ projectDir: dir, env: {} })));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('ca_file');
  });
});
