import { afterEach, describe, expect, it } from 'vitest';
import { describeSettings } from '../../src/config/describe.js';
import { resolveSettings } from '../../src/config/resolve.js';
import { makeProject } from './helpers.js';

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

describe('describeSettings', () => {
  it('reports presence, masked secrets, plain options and their origins', () => {
    const dir = project({
      config: `${SECTION}\nbase_url = "https://h.example/BeyondTrust/api/public/v3"\npage_size = 250\n`,
      secrets: `${SECTION}\napi_key = "key-abcdef-123"\n`,
    });
    const report = describeSettings(
      resolveSettings({ projectDir: dir, env: { SOURCES__BEYONDTRUST_SOURCE__RUNAS: 'svc_reader' } }),
    );
    const byKey = new Map(report.settings.map((s) => [s.key, s]));
    expect(report.auth_mode).toBe('ps_auth');
    expect(report.missing).toEqual([]);
    expect(byKey.get('api_key')).toEqual({
      key: 'api_key',
      present: true,
      secret: true,
      value: '**********',
      origin: '.dlt/secrets.toml [sources.beyondtrust_source] api_key',
    });
    expect(byKey.get('runas')).toMatchObject({ present: true, secret: true, value: '**********', origin: 'env SOURCES__BEYONDTRUST_SOURCE__RUNAS' });
    expect(byKey.get('base_url')).toMatchObject({
      value: 'https://h.example/BeyondTrust/api/public/v3',
      origin: '.dlt/config.toml [sources.beyondtrust_source] base_url',
    });
    expect(byKey.get('page_size')).toMatchObject({ value: '250', secret: false });
    expect(byKey.get('concurrency')).toMatchObject({ value: '4', origin: 'default' });
    expect(byKey.get('client_id')).toEqual({ key: 'client_id', present: false, secret: true });
    expect(report.warnings).toEqual([]);
  });

  it('warns about a secret in config.toml, reports placeholders, verify_tls=false and unknown keys', () => {
    const dir = project({
      config: `${SECTION}\nbase_url = "https://h.example/v3"\napi_key = "key-in-config-1"\nverify_tls = false\npage_sise = 10\n`,
      secrets: `${SECTION}\nrunas = "<configure me>"\n`,
    });
    const report = describeSettings(resolveSettings({ projectDir: dir, env: {} }));
    expect(report.auth_mode).toBe('none');
    expect(report.warnings.join('\n')).toContain('move api_key to .dlt/secrets.toml');
    expect(report.warnings.join('\n')).toContain('verify_tls');
    expect(report.warnings.join('\n')).toContain('page_sise');
    expect(report.warnings.join('\n')).toContain('runas in .dlt/secrets.toml [sources.beyondtrust_source] runas is a placeholder');
    expect(report.missing).toEqual(['runas (placeholder in .dlt/secrets.toml [sources.beyondtrust_source] runas)']);
    expect(report.settings.find((s) => s.key === 'runas')).toMatchObject({ present: false, placeholder: true });
  });

  it('lists base_url and both PS-Auth keys as missing for an empty project', () => {
    const report = describeSettings(resolveSettings({ projectDir: project({}), env: {} }));
    expect(report.missing).toEqual(['base_url', 'api_key', 'runas']);
    expect(report.auth_mode).toBe('none');
  });
});
