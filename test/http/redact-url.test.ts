import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { endpointLabel, redactUrl } from '../../src/http/redact-url.js';

const BASE = 'https://pam.example.com/BeyondTrust/api/public/v3';

describe('redactUrl', () => {
  it('replaces credential and request ids in the path', () => {
    expect(redactUrl(`${BASE}/Credentials/48213`)).toBe(`${BASE}/Credentials/<id>`);
    expect(redactUrl(`${BASE}/Requests/77/Checkin`)).toBe(`${BASE}/Requests/<id>/Checkin`);
    expect(redactUrl(`${BASE}/Aliases/db-admin/Credentials/9`)).toBe(`${BASE}/Aliases/<id>/Credentials/<id>`);
    expect(redactUrl(`${BASE}/credentials/48213?type=password`)).toBe(`${BASE}/credentials/<id>?type=password`);
  });

  it('keeps list endpoints and other ids as they are', () => {
    expect(redactUrl(`${BASE}/Requests`)).toBe(`${BASE}/Requests`);
    expect(redactUrl(`${BASE}/ManagedSystems/12/ManagedAccounts?limit=1000&offset=2000`)).toBe(
      `${BASE}/ManagedSystems/12/ManagedAccounts?limit=1000&offset=2000`,
    );
  });

  it('masks sensitive query values whatever their case, keeping the others untouched', () => {
    const url = `${BASE}/Things?api_key=abc123&limit=5&Token=t0k&client_secret=s%20x&RunAs=bob&pwd=p&my_password=q&version=3.2`;
    expect(redactUrl(url)).toBe(
      `${BASE}/Things?api_key=***&limit=5&Token=***&client_secret=***&RunAs=***&pwd=***&my_password=***&version=3.2`,
    );
  });

  it('masks user info and scrubs registered secret values anywhere', () => {
    const secret = new Secret('REDACT-ME-7c1d');
    expect(redactUrl('https://user:pw@host/x')).toBe('https://***@host/x');
    expect(redactUrl(`https://host/x/${secret.reveal()}/y`)).toBe('https://host/x/**********/y');
  });

  it('never throws on text that is not a URL', () => {
    expect(redactUrl('not a url/Credentials/5')).toBe('not a url/Credentials/<id>');
    expect(redactUrl('')).toBe('');
  });
});

describe('endpointLabel', () => {
  it('names the method and the path under the API root without the query', () => {
    expect(endpointLabel('get', `${BASE}/ManagedAccounts?limit=1000&offset=0`)).toBe('GET ManagedAccounts');
    expect(endpointLabel('GET', `${BASE}/Credentials/123`)).toBe('GET Credentials/<id>');
    expect(endpointLabel('PUT', `${BASE}/Requests/123/Checkin`)).toBe('PUT Requests/<id>/Checkin');
  });

  it('is relative to a base URL when one is given', () => {
    expect(endpointLabel('GET', 'http://127.0.0.1:8080/api/items/5', 'http://127.0.0.1:8080/api/')).toBe('GET items/5');
    expect(endpointLabel('GET', 'http://127.0.0.1:8080/other', 'http://127.0.0.1:8080/api')).toBe('GET other');
  });
});
