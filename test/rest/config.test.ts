import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { parseRestApiConfig } from '../../src/rest/config/parse.js';
import { resolveResources } from '../../src/rest/config/resolve.js';
import { restApiSource } from '../../src/rest/rest-api-source.js';

function configError(input: unknown): { code: string; message: string } {
  try {
    parseRestApiConfig(input);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseRestApiConfig validation', () => {
  it('names the exact path of a wrong type', () => {
    const error = configError({
      client: { base_url: 'http://x' },
      resources: ['a', 'b', { name: 'c', endpoint: { paginator: { type: 'offset', limit: '1000' } } }],
    });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('resources[2].endpoint.paginator.limit: expected a number');
  });

  it('reports misplaced keys like dlt ("params" outside endpoint)', () => {
    const error = configError({ client: { base_url: 'http://x' }, resources: [{ name: 'a', params: { x: 1 } }] });
    expect(error.message).toContain('resources[0]: unexpected field "params"');
  });

  it('reports a missing name, an unknown paginator type and a missing base_url', () => {
    expect(configError({ client: { base_url: 'http://x' }, resources: [{ endpoint: 'a' }] }).message).toContain('resources[0].name: required');
    expect(configError({ client: { base_url: 'http://x' }, resources: [{ name: 'a', endpoint: { paginator: { type: 'bogus' } } }] }).message).toContain(
      'resources[0].endpoint.paginator.type',
    );
    expect(configError({ client: {}, resources: ['a'] }).message).toContain('client.base_url: required');
  });

  it('rejects unknown placeholder contexts and duplicate names', () => {
    expect(configError({ client: { base_url: 'http://x' }, resources: [{ name: 'a', endpoint: { path: 'x/{foo.bar}' } }] }).message).toContain(
      'resources[0].endpoint.path: unknown placeholder "{foo.bar}"',
    );
    expect(configError({ client: { base_url: 'http://x' }, resources: ['a', 'a'] }).message).toContain('duplicate resource name "a"');
  });

  it('rejects a page_number paginator without a stop condition at parse time, naming its path', () => {
    const noStop = { type: 'page_number', base_page: 1, stop_after_empty_page: false };
    const atResource = configError({ client: { base_url: 'http://x' }, resources: ['a', 'b', { name: 'c', endpoint: { paginator: noStop } }] });
    expect(atResource.code).toBe('CONFIG_INVALID');
    expect(atResource.message).toContain('resources[2].endpoint.paginator: a page_number paginator needs a stop condition');
    expect(configError({ client: { base_url: 'http://x', paginator: noStop }, resources: ['a'] }).message).toContain('client.paginator: a page_number paginator needs a stop condition');
    expect(configError({ client: { base_url: 'http://x' }, resource_defaults: { endpoint: { paginator: noStop } }, resources: ['a'] }).message).toContain(
      'resource_defaults.endpoint.paginator: a page_number paginator needs a stop condition',
    );
    // Any one stop condition (or the default stop_after_empty_page) is enough.
    for (const ok of [{ type: 'page_number' }, 'page_number', { ...noStop, total_path: 'pages' }, { ...noStop, maximum_page: 9 }, { ...noStop, has_more_path: 'more' }]) {
      expect(() => parseRestApiConfig({ client: { base_url: 'http://x' }, resources: [{ name: 'a', endpoint: { paginator: ok } }] })).not.toThrow();
    }
  });

  it('requires client.base_url to be an absolute http(s) URL', () => {
    for (const bad of ['api.example.com/v1', '/v1', 'ftp://files.example.com', 'http//x', '']) {
      const error = configError({ client: { base_url: bad }, resources: ['a'] });
      expect({ bad, code: error.code }).toEqual({ bad, code: 'CONFIG_INVALID' });
      expect(error.message).toContain('client.base_url: expected an absolute http(s) URL');
    }
    expect(() => parseRestApiConfig({ client: { base_url: 'https://pam.example.com/BeyondTrust/api/public/v3' }, resources: ['a'] })).not.toThrow();
  });

  it('rejects unknown placeholder names at parse time, naming the path and the param', () => {
    const incremental = { cursor_path: 'updated', initial_value: '2024-01-01' };
    expect(configError({ client: { base_url: 'http://x' }, resources: [{ name: 'a', endpoint: { path: 'x/{incremental.lastvalue}', incremental } }] }).message).toContain(
      'resources[0].endpoint.path: unknown placeholder "{incremental.lastvalue}"',
    );
    expect(
      configError({ client: { base_url: 'http://x' }, resources: ['p', { name: 'a', endpoint: { path: 'x', params: { since: '{incremental.begin}' }, incremental } }] }).message,
    ).toContain('resources[1].endpoint.params.since: unknown placeholder "{incremental.begin}"');
    expect(configError({ client: { base_url: 'http://x' }, resources: [{ name: 'a', endpoint: { path: 'x', params: { since: '{incremental.last_value}' } } }] }).message).toContain(
      'resources[0].endpoint.params.since: placeholder "{incremental.last_value}" needs an incremental config',
    );
    expect(configError({ client: { base_url: 'http://x' }, resources: ['p', { name: 'a', endpoint: { path: 'p/{resources.nope.id}' } }] }).message).toContain(
      'resources[1].endpoint.path: placeholder "{resources.nope.id}" names unknown parent resource "nope" (known resources: p, a)',
    );
    expect(configError({ client: { base_url: 'http://x' }, resources: ['p', { name: 'a', endpoint: { path: 'x', headers: { 'x-p': '{resources.p}' } } }] }).message).toContain(
      'resources[1].endpoint.headers["x-p"]: placeholder "{resources.p}" must name a parent resource and a field',
    );
    // Known names pass.
    expect(() =>
      parseRestApiConfig({ client: { base_url: 'http://x' }, resources: ['p', { name: 'a', endpoint: { path: 'p/{resources.p.id}', params: { since: '{incremental.start_value}' }, incremental } }] }),
    ).not.toThrow();
  });

  it('names the path of multiple parents, an unknown custom parent and include_from_parent without a parent', () => {
    const multiple = configError({ client: { base_url: 'http://x' }, resources: ['p', 'q', { name: 'a', endpoint: { path: 'x/{resources.p.id}', params: { q: '{resources.q.id}' } } }] });
    expect(multiple.message).toContain('resources[2].endpoint: resource "a" depends on multiple parent resources "p" (resources[2].endpoint.path), "q" (resources[2].endpoint.params.q)');
    const custom = configError({ client: { base_url: 'http://x' }, resources: ['p', { name: 'c', parent: 'nope', generate: async function* () {} }] });
    expect(custom.message).toContain('resources[1].parent: unknown parent resource "nope"');
    const orphan = configError({ client: { base_url: 'http://x' }, resources: [{ name: 'a', include_from_parent: ['id'] }] });
    expect(orphan.message).toContain('resources[0].include_from_parent: resource "a" has no parent');
  });

  it('wraps auth secrets in Secret and masks them in errors', () => {
    const parsed = parseRestApiConfig({ client: { base_url: 'http://x', auth: { type: 'bearer', token: 'tok-123456' } }, resources: ['a'] });
    const auth = parsed.client.auth as { token: unknown };
    expect(auth.token).toBeInstanceOf(Secret);
    expect(JSON.stringify(parsed)).not.toContain('tok-123456');
    const error = configError({ client: { base_url: 'http://x', auth: { type: 'api_key', api_key: 'k-98765432', location: 'cookie' } }, resources: ['a'] });
    expect(error.message).toContain('client.auth.location');
    expect(error.message).not.toContain('k-98765432');
  });
});

describe('resource_defaults merge and resolution', () => {
  const config = {
    client: { base_url: 'http://x', paginator: 'single_page' },
    resource_defaults: {
      primary_key: 'id',
      write_disposition: 'merge',
      columns: { created: { data_type: 'timestamp' } },
      endpoint: { params: { per_page: 50, state: 'open' }, json: { a: 1, b: 2 }, data_selector: 'items', paginator: { type: 'page_number', total_path: 'pages' } },
    },
    resources: [
      'issues',
      {
        name: 'comments',
        write_disposition: 'append',
        columns: { body: { data_type: 'text' } },
        endpoint: { path: 'issues/{resources.issues.id}/comments', params: { state: 'all' }, json: { b: 3 }, data_selector: 'data' },
        include_from_parent: ['id'],
      },
      { name: 'issue', endpoint: { path: 'issue/{resources.issues.id}' } },
    ],
  };

  it('deep-merges params/json one level, replaces other endpoint keys and merges columns', () => {
    const [issues, comments, issue] = resolveResources(parseRestApiConfig(config));
    expect(issues?.endpoint?.path).toBe('issues');
    expect(issues?.primary_key).toEqual(['id']);
    expect(comments?.write_disposition).toBe('append');
    expect(comments?.endpoint?.params).toEqual({ per_page: 50, state: 'all' });
    expect(comments?.endpoint?.json).toEqual({ a: 1, b: 3 });
    expect(comments?.endpoint?.data_selector).toBe('data');
    expect(comments?.endpoint?.paginator).toEqual({ type: 'page_number', total_path: 'pages' });
    expect(comments?.columns).toEqual({ created: { data_type: 'timestamp' }, body: { data_type: 'text' } });
    expect(comments?.parent).toBe('issues');
    // The defaults' paginator wins over single-entity detection (only unset values are filled in).
    expect(issue?.endpoint?.paginator).toEqual({ type: 'page_number', total_path: 'pages' });
  });

  it('uses single_page and "$" for a single-entity path when nothing else is configured', () => {
    const [, one] = resolveResources(
      parseRestApiConfig({ client: { base_url: 'http://x', paginator: { type: 'offset', limit: 10 } }, resources: ['items', { name: 'item', endpoint: { path: 'items/{resources.items.id}' } }] }),
    );
    expect(one?.endpoint?.paginator).toBe('single_page');
    expect(one?.endpoint?.data_selector).toBe('$');
  });

  it('rejects unknown parents and multiple parents', () => {
    expect(() => restApiSource({ client: { base_url: 'http://x' }, resources: [{ name: 'a', endpoint: 'x/{resources.nope.id}' }] })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('resources[0].endpoint: placeholder "{resources.nope.id}" names unknown parent resource "nope"') }),
    );
    expect(() =>
      restApiSource({ client: { base_url: 'http://x' }, resources: ['p', 'q', { name: 'a', endpoint: { path: 'x/{resources.p.id}', params: { q: '{resources.q.id}' } } }] }),
    ).toThrow(expect.objectContaining({ message: expect.stringContaining('resources[2].endpoint: resource "a" depends on multiple parent resources') }));
  });

  it('selects resources and rejects unknown names', () => {
    const source = restApiSource({ client: { base_url: 'http://x' }, resources: ['a', { name: 'b', selected: false }, { name: 'c', endpoint: 'c/{resources.a.id}' }] });
    expect(source.resources.map((r) => [r.name, r.selected, r.parent])).toEqual([
      ['a', true, undefined],
      ['b', false, undefined],
      ['c', true, 'a'],
    ]);
    expect(source.withResources(['c']).resources.filter((r) => r.selected).map((r) => r.name)).toEqual(['c']);
    expect(() => source.withResources(['zzz'])).toThrow(expect.objectContaining({ code: 'UNKNOWN_RESOURCE', message: expect.stringContaining('Valid names: a, b, c') }));
  });
});
