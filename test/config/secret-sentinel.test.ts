/** A sentinel secret placed in every secret key must never come out in any error, report or serialization. */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { describeSettings } from '../../src/config/describe.js';
import { requireRunSettings, resolveSettings } from '../../src/config/resolve.js';
import { captureError, makeProject } from './helpers.js';

const SENTINEL = 'SENTINEL-7f3a9c-do-not-leak';
const ENV_SENTINEL = 'ENVSENTINEL-51b2e8-do-not-leak';
const SECTION = '[sources.beyondtrust_source]';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function project(files: { config?: string; secrets?: string }): string {
  const made = makeProject(files);
  cleanups.push(made.cleanup);
  return made.dir;
}

function expectNoSentinel(text: string): void {
  expect(text).not.toContain(SENTINEL);
  expect(text).not.toContain(ENV_SENTINEL);
  expect(text).not.toContain('do-not-leak');
}

function errorText(error: Error & { code?: string; hint?: string }): string {
  return [error.message, error.hint ?? '', String(error), JSON.stringify(error), inspect(error), String(error.stack)].join('\n');
}

describe('secrets never leak', () => {
  it('is absent from settings serializations and describeSettings', () => {
    const dir = project({
      config: `${SECTION}\nbase_url = "https://h.example/v3"\n`,
      secrets: `${SECTION}\napi_key = "${SENTINEL}-k"\nrunas = "${SENTINEL}-r"\npassword = "${SENTINEL}-p"\nclient_id = "${SENTINEL}-i"\n`,
    });
    const settings = resolveSettings({ projectDir: dir, env: { SOURCES__BEYONDTRUST_SOURCE__CLIENT_SECRET: ENV_SENTINEL } });
    expect(settings.api_key?.value.reveal()).toBe(`${SENTINEL}-k`);
    expect(settings.client_secret?.value.reveal()).toBe(ENV_SENTINEL);
    expectNoSentinel(JSON.stringify(settings));
    expectNoSentinel(String(settings.api_key?.value));
    expectNoSentinel(`${settings.client_secret?.value}`);
    expectNoSentinel(inspect(settings, { depth: 10 }));
    expectNoSentinel(JSON.stringify(describeSettings(settings)));
  });

  it('is absent from a TOML syntax error in secrets.toml', () => {
    const dir = project({ secrets: `${SECTION}\napi_key = "${SENTINEL}\nrunas = ${SENTINEL}\n` });
    const error = captureError(() => resolveSettings({ projectDir: dir, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('.dlt/secrets.toml');
    expect(error.message).toContain('line 2');
    expectNoSentinel(errorText(error));
    expect(error.cause).toBeUndefined();
  });

  it('is absent from a TOML syntax error in config.toml and from a bad-type error', () => {
    const dir = project({ config: `${SECTION}\napi_key = ${SENTINEL}\n` });
    expectNoSentinel(errorText(captureError(() => resolveSettings({ projectDir: dir, env: {} }))));
    const dir2 = project({ secrets: `${SECTION}\nrunas = { name = "${SENTINEL}" }\n` });
    const error = captureError(() => resolveSettings({ projectDir: dir2, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expectNoSentinel(errorText(error));
  });

  it('is absent from CONFIG_MISSING', () => {
    const dir = project({ secrets: `${SECTION}\napi_key = "${SENTINEL}"\n` });
    const settings = resolveSettings({ projectDir: dir, env: { SOURCES__BEYONDTRUST_SOURCE__CLIENT_ID: ENV_SENTINEL } });
    const error = captureError(() => requireRunSettings(settings));
    expect(error.code).toBe('CONFIG_MISSING');
    expectNoSentinel(errorText(error));
  });
});
