import { describe, expect, it } from 'vitest';
import { baseUrlFromSettings, credentialsFromSettings, httpOptionsFromSettings } from '../../../src/beyondtrust/auth/from-settings.js';
import { isBtError } from '../../../src/errors.js';
import type { BtError } from '../../../src/errors.js';
import { testSettings } from './support/settings.js';

function thrown(fn: () => unknown): BtError {
  try {
    fn();
  } catch (error) {
    if (isBtError(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('credentialsFromSettings', () => {
  it('prefers OAuth2 when client_id and client_secret are both set', () => {
    const credentials = credentialsFromSettings(
      testSettings({ client_id: 'id-1234', client_secret: 'sec-1234', api_key: 'key-1234', runas: 'svc' }),
    );
    expect(credentials.kind).toBe('oauth2_client_credentials');
  });

  it('falls back to PS-Auth with an optional password', () => {
    const withPassword = credentialsFromSettings(testSettings({ api_key: 'key-1234', runas: 'svc', password: 'pw-1234' }));
    expect(withPassword.kind === 'ps_auth' && withPassword.password?.reveal()).toBe('pw-1234');
    const without = credentialsFromSettings(testSettings({ api_key: 'key-1234', runas: 'svc', client_id: 'only-id' }));
    expect(without.kind === 'ps_auth' && without.password).toBeUndefined();
  });

  it('throws CONFIG_MISSING naming the keys, env vars and the file', () => {
    const error = thrown(() => credentialsFromSettings(testSettings({ api_key: 'key-1234', password: '' })));
    expect(error.code).toBe('CONFIG_MISSING');
    expect(error.message).toContain('api_key is set (from env SOURCES__BEYONDTRUST_SOURCE__API_KEY) but runas is not');
    expect(error.hint).toContain('SOURCES__BEYONDTRUST_SOURCE__RUNAS');
    expect(error.hint).toContain('SOURCES__BEYONDTRUST_SOURCE__CLIENT_SECRET');
    expect(error.hint).toContain('.dlt/secrets.toml [sources.beyondtrust_source]');
    expect(error.details['missing']).toEqual(['client_id', 'client_secret', 'runas']);
    expect(error.message + error.hint).not.toContain('key-1234');
  });
});

describe('baseUrlFromSettings', () => {
  it('accepts an absolute http(s) URL and rejects anything else with CONFIG_INVALID naming base_url and its origin', () => {
    expect(baseUrlFromSettings(testSettings({ base_url: ' https://pam.example.com/BeyondTrust/api/public/v3 ' }))).toBe('https://pam.example.com/BeyondTrust/api/public/v3');
    for (const bad of ['pam.example.com/BeyondTrust/api/public/v3', 'ftp://pam.example.com/x', 'https//pam', 'https://user:pw-9876@']) {
      const error = thrown(() => baseUrlFromSettings(testSettings({ base_url: bad })));
      expect({ bad, code: error.code }).toEqual({ bad, code: 'CONFIG_INVALID' });
      expect(error.message).toBe('BeyondTrust base_url (from env SOURCES__BEYONDTRUST_SOURCE__BASE_URL) is not an absolute http(s) URL.');
      expect(error.hint).toContain('https://<host>/BeyondTrust/api/public/v3');
      expect(error.message + error.hint).not.toContain('pw-9876');
    }
    expect(thrown(() => baseUrlFromSettings(testSettings({}))).code).toBe('CONFIG_MISSING');
  });
});

describe('httpOptionsFromSettings', () => {
  it('maps verify_tls, ca_file (relative to the project), request_timeout and max_attempts', () => {
    const options = httpOptionsFromSettings(
      testSettings({ verify_tls: false, ca_file: 'certs/ca.pem', request_timeout: 30, max_attempts: 3 }, '/srv/proj'),
    );
    expect(options.tls).toEqual({ verify: false, caFile: '/srv/proj/certs/ca.pem' });
    expect(options.timeouts).toEqual({ connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 });
    expect(options.retry).toEqual({ maxAttempts: 3 });
    expect(httpOptionsFromSettings(testSettings({ ca_file: '/abs/ca.pem' })).tls).toEqual({ verify: true, caFile: '/abs/ca.pem' });
  });
});
