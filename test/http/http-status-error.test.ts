import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { bodyExcerpt, httpStatusError } from '../../src/http/errors.js';
import type { HttpResponse } from '../../src/http/types.js';

function response(status: number, text: string): HttpResponse {
  return { status, headers: { 'set-cookie': [] }, text, url: 'http://127.0.0.1/x', attempts: 1 };
}

describe('httpStatusError', () => {
  it('has code BT_HTTP_<status>, names endpoint and status, and carries details', () => {
    const error = httpStatusError('GET ManagedAccounts', response(404, '"Managed Account not found"'));
    expect(error.code).toBe('BT_HTTP_404');
    expect(error.message).toBe('GET ManagedAccounts failed with HTTP 404: Managed Account not found');
    expect(error.details).toEqual({ endpoint: 'GET ManagedAccounts', status: 404 });
    expect(error.hint).toMatch(/base_url/);
  });

  it('gives per-status hints, including the 403 subcodes', () => {
    expect(httpStatusError('GET X', response(401, '"User not authenticated"')).hint).toMatch(/api_key.*runas/);
    expect(httpStatusError('GET Requests', response(403, '4033')).hint).toMatch(/approver/i);
    expect(httpStatusError('POST Requests', response(403, '"4031"')).hint).toMatch(/4031.*permission/);
    expect(httpStatusError('GET X', response(403, '4034')).hint).toMatch(/not been approved/);
    expect(httpStatusError('GET X', response(403, 'denied')).hint).toMatch(/licence/);
    expect(httpStatusError('POST Requests', response(409, '')).hint).toMatch(/ConflictOption/);
    expect(httpStatusError('GET X', response(410, '')).hint).toMatch(/version/);
    expect(httpStatusError('GET X', response(429, '')).hint).toMatch(/Rate limited/);
    expect(httpStatusError('GET X', { ...response(503, 'busy'), attempts: 5 }).message).toBe(
      'GET X failed with HTTP 503 after 5 attempts: busy',
    );
  });

  it('never shows a body of a Credentials endpoint', () => {
    const error = httpStatusError('GET Credentials/<id>', response(403, '"Pa55w0rd-leak 4034"'));
    expect(error.message).toBe('GET Credentials/<id> failed with HTTP 403.');
    expect(JSON.stringify(error)).not.toContain('Pa55w0rd');
  });

  it('keeps the excerpt short, printable and free of secrets', () => {
    const secret = new Secret('EXCERPT-SECRET-41f2');
    const body = `bad\u0000\u001b[31m request ${secret.reveal()}\r\n${'x'.repeat(500)}`;
    const excerpt = bodyExcerpt(body);
    expect(excerpt.length).toBeLessThanOrEqual(200);
    expect(excerpt).not.toMatch(/[\u0000-\u001f]/);
    expect(excerpt).not.toContain(secret.reveal());
    expect(excerpt.startsWith('bad [31m request **********')).toBe(true);
  });
});

describe('bodyExcerpt', () => {
  it('keeps the text of an HTML error page, not its markup', () => {
    expect(bodyExcerpt('<html><style>p{}</style><h2>Service Unavailable</h2><p>HTTP Error 503.</p></html>')).toBe(
      'Service Unavailable HTTP Error 503.',
    );
  });
});
