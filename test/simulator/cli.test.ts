import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/commands/simulator.js';

/** Waits until `predicate` holds, polling the event loop (no wall-clock assertions). */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!predicate()) throw new Error('condition not reached');
}

describe('beyondtrust-mcp simulator', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints the listening line and pasteable env lines, serves, and stops on SIGTERM', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = run(['--port', '0', '--seed', '4', '--scale', '1', '--api-key', 'k'.repeat(128), '--runas', 'cli_user', '--faults', 'latency:0']);
    await until(() => written.join('').includes('\n'));
    const lines = written.join('').trimEnd().split('\n');
    const match = /^BeyondTrust simulator listening on (http:\/\/127\.0\.0\.1:\d+\/BeyondTrust\/api\/public\/v3)$/.exec(lines[0] ?? '');
    expect(match).not.toBeNull();
    const baseUrl = match?.[1] ?? '';
    expect(lines.slice(1)).toEqual([
      `SOURCES__BEYONDTRUST_SOURCE__BASE_URL=${baseUrl}`,
      `SOURCES__BEYONDTRUST_SOURCE__API_KEY=${'k'.repeat(128)}`,
      'SOURCES__BEYONDTRUST_SOURCE__RUNAS=cli_user',
      expect.stringMatching(/^SOURCES__BEYONDTRUST_SOURCE__PASSWORD=.+/),
      expect.stringMatching(/^SOURCES__BEYONDTRUST_SOURCE__CLIENT_ID=[0-9a-f-]{36}$/),
      expect.stringMatching(/^SOURCES__BEYONDTRUST_SOURCE__CLIENT_SECRET=.+/),
    ]);
    const signIn = await fetch(`${baseUrl}/Auth/SignAppin`, {
      method: 'POST',
      headers: { Authorization: `PS-Auth key=${'k'.repeat(128)}; runas=cli_user;` },
    });
    expect(signIn.status).toBe(200);
    await signIn.arrayBuffer();
    process.emit('SIGTERM');
    await expect(exit).resolves.toBe(0);
    await expect(fetch(`${baseUrl}/Platforms`)).rejects.toThrow();
  });

  it('rejects unknown options and bad values with CLI_USAGE', async () => {
    await expect(run(['--nope'])).rejects.toMatchObject({ code: 'CLI_USAGE' });
    await expect(run(['--scale', '-2'])).rejects.toMatchObject({ code: 'CLI_USAGE' });
    await expect(run(['--port', '70000'])).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });
});
