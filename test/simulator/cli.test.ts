import { afterEach, describe, expect, it, vi } from 'vitest';
import { run, simulatorOptionsFromArgs } from '../../src/cli/commands/simulator.js';
import { DEMO_CREDENTIALS, startSimulator } from '../../src/simulator/index.js';

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

  /** Runs the command in-process with stdout/stderr captured; resolves once the env lines are printed. */
  async function startCli(argv: string[]): Promise<{ baseUrl: string; lines: string[]; stderr: string[]; exit: Promise<number> }> {
    const written: string[] = [];
    const stderr: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const exit = run(['--port', '0', ...argv]);
    exit.catch(() => undefined);
    await until(() => written.join('').includes('CLIENT_SECRET='));
    const lines = written.join('').trimEnd().split('\n');
    const baseUrl = /listening on (\S+)$/.exec(lines[0] ?? '')?.[1] ?? '';
    return { baseUrl, lines, stderr, exit };
  }

  async function signInAt(baseUrl: string, runas = 'svc_loader'): Promise<string> {
    const response = await fetch(`${baseUrl}/Auth/SignAppin`, {
      method: 'POST',
      headers: { Authorization: `PS-Auth key=${DEMO_CREDENTIALS.apiKey}; runas=${runas};` },
    });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  it('--advance-every N moves simulated time on after every N data requests (incremental loads find changes)', async () => {
    const cli = await startCli(['--seed', '4', '--advance-every', '3']);
    try {
      expect(cli.stderr.join('')).toContain('every 3 data requests');
      const cookie = await signInAt(cli.baseUrl);
      const totals: number[] = [];
      for (let i = 0; i < 7; i++) {
        const response = await fetch(`${cli.baseUrl}/UserAudits?limit=1`, { headers: { Cookie: cookie } });
        totals.push(((await response.json()) as { TotalCount: number }).TotalCount);
      }
      // 500 audits at scale 1, 10 more per step: requests 1–3 see epoch 0, 4–6 epoch 1, 7 epoch 2.
      expect(totals).toEqual([500, 500, 500, 510, 510, 510, 520]);
      const since = '2025-01-15T12:00:00Z';
      const changed = await fetch(`${cli.baseUrl}/Secrets-Safe/Secrets?afterdate=${since}`, { headers: { Cookie: cookie } });
      expect(((await changed.json()) as unknown[]).length).toBeGreaterThan(0);
    } finally {
      process.emit('SIGTERM');
      await expect(cli.exit).resolves.toBe(0);
    }
  });

  it('--token-lifetime-seconds and --session-max-requests reach the running simulator', async () => {
    const cli = await startCli(['--token-lifetime-seconds', '42', '--session-max-requests', '2']);
    try {
      const clientId = /CLIENT_ID=(.+)$/.exec(cli.lines.find((l) => l.includes('CLIENT_ID=')) ?? '')?.[1] ?? '';
      const clientSecret = /CLIENT_SECRET=(.+)$/.exec(cli.lines.find((l) => l.includes('CLIENT_SECRET=')) ?? '')?.[1] ?? '';
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      const token = (await (await fetch(`${cli.baseUrl}/Auth/connect/token`, { method: 'POST', body: form })).json()) as { expires_in: number };
      expect(token.expires_in).toBe(42);
      const cookie = await signInAt(cli.baseUrl);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${cli.baseUrl}/Platforms`, { headers: { Cookie: cookie } });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      expect(statuses).toEqual([200, 200, 401]);
    } finally {
      process.emit('SIGTERM');
      await expect(cli.exit).resolves.toBe(0);
    }
  });

  it('maps the session, token, advance and non-API flags to simulator options', () => {
    expect(
      simulatorOptionsFromArgs([
        '--session-idle-seconds', '90', '--session-max-requests', '250', '--token-lifetime-seconds', '30', '--advance-every', '200', '--non-api-accounts', '5',
      ]),
    ).toMatchObject({ sessionIdleMs: 90_000, sessionMaxRequests: 250, tokenLifetimeSec: 30, advanceEvery: { requests: 200 }, nonApiAccounts: 5 });
    expect(simulatorOptionsFromArgs(['--advance-every', '30s']).advanceEvery).toEqual({ seconds: 30 });
    expect(simulatorOptionsFromArgs(['--advance-every=1.5s']).advanceEvery).toEqual({ seconds: 1.5 });
    const defaults = simulatorOptionsFromArgs([]);
    for (const key of ['sessionIdleMs', 'sessionMaxRequests', 'tokenLifetimeSec', 'advanceEvery', 'nonApiAccounts']) expect(defaults).not.toHaveProperty(key);
    for (const bad of [
      ['--advance-every', '0'], ['--advance-every', '2.5'], ['--advance-every', '10m'], ['--advance-every', '0s'],
      ['--session-idle-seconds', '0'], ['--session-max-requests', '0'], ['--session-max-requests', '1.5'], ['--token-lifetime-seconds', 'x'],
      ['--non-api-accounts', '-1'],
    ]) {
      expect(() => simulatorOptionsFromArgs(bad), bad.join(' ')).toThrow(expect.objectContaining({ code: 'CLI_USAGE', hint: expect.any(String) }));
    }
  });

  it('a port in use is a clear error with a hint, not INTERNAL', async () => {
    const other = await startSimulator();
    try {
      const port = new URL(other.baseUrl).port;
      const error = await run(['--port', port]).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string; hint?: string },
      );
      expect(error).toMatchObject({ code: 'SIMULATOR_PORT_IN_USE', message: `Cannot start the simulator: 127.0.0.1:${port} is already in use.` });
      expect(error?.hint).toContain('--port 0');
    } finally {
      await other.stop();
    }
  });

  it('rejects unknown options and bad values with CLI_USAGE', async () => {
    await expect(run(['--nope'])).rejects.toMatchObject({ code: 'CLI_USAGE' });
    await expect(run(['--scale', '-2'])).rejects.toMatchObject({ code: 'CLI_USAGE' });
    await expect(run(['--port', '70000'])).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });
});
