/**
 * The built binary, as a user runs it: `node dist/src/cli/main.js simulator --port 0 --tls …` in its own process.
 * Checks the printed contract (listening line, env lines, CA hint), that exactly the given credentials sign in, and
 * that SIGTERM stops it cleanly. The process is killed in afterAll whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_CA_CERT_PEM } from '../../src/simulator/tls/certs.js';
import { ensureBuiltCli } from '../support/built-cli.js';

const GIVEN = {
  apiKey: 'b'.repeat(64) + '0123456789abcdef'.repeat(4),
  runas: 'bin_runner',
  password: 'Bin;Passw0rd]x',
  clientId: '0b1a2c3d-1111-4222-8333-444455556666',
  clientSecret: 'bin-client-secret-42',
};

let child: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<[number | null, NodeJS.Signals | null]>;
let lines: string[] = [];
let baseUrl = '';
let agent: Agent;

beforeAll(async () => {
  const cli = ensureBuiltCli();
  child = spawn(
    process.execPath,
    [
      cli, 'simulator', '--port', '0', '--tls', '--seed', '5',
      '--api-key', GIVEN.apiKey, '--runas', GIVEN.runas, '--password', GIVEN.password,
      '--client-id', GIVEN.clientId, '--client-secret', GIVEN.clientSecret,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (/NODE_EXTRA_CA_CERTS=.*\n/.test(stdout)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`simulator exited (${String(code)}) before printing: ${stderr}`)));
  });
  lines = stdout.trimEnd().split('\n');
  baseUrl = /^BeyondTrust simulator listening on (\S+)$/.exec(lines[0] ?? '')?.[1] ?? '';
  const caPath = /^NODE_EXTRA_CA_CERTS=(.+)$/.exec(lines.at(-1) ?? '')?.[1] ?? '';
  agent = new Agent({ connect: { ca: await readFile(caPath, 'utf8') } });
}, 60_000);

afterAll(async () => {
  await agent?.close();
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
});

async function signInStatus(authorization: string): Promise<number> {
  const response = await undiciFetch(`${baseUrl}/Auth/SignAppin`, { method: 'POST', headers: { Authorization: authorization }, dispatcher: agent });
  await response.arrayBuffer();
  return response.status;
}

async function token(clientId: string, clientSecret: string): Promise<{ status: number; accessToken?: string }> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const response = await undiciFetch(`${baseUrl}/Auth/connect/token`, { method: 'POST', body, dispatcher: agent });
  const json = (await response.json()) as { access_token?: string };
  return json.access_token === undefined ? { status: response.status } : { status: response.status, accessToken: json.access_token };
}

describe('node dist/src/cli/main.js simulator --tls (spawned)', () => {
  it('prints the listening line, the given credentials and the CA hint', async () => {
    expect(baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/BeyondTrust\/api\/public\/v3$/);
    const env = 'SOURCES__BEYONDTRUST_SOURCE__';
    expect(lines).toEqual([
      `BeyondTrust simulator listening on ${baseUrl}`,
      `${env}BASE_URL=${baseUrl}`,
      `${env}API_KEY=${GIVEN.apiKey}`,
      `${env}RUNAS=${GIVEN.runas}`,
      `${env}PASSWORD=${GIVEN.password}`,
      `${env}CLIENT_ID=${GIVEN.clientId}`,
      `${env}CLIENT_SECRET=${GIVEN.clientSecret}`,
      expect.stringMatching(/^NODE_EXTRA_CA_CERTS=.+beyondtrust-simulator-ca\.pem$/),
    ]);
    const caPath = (lines.at(-1) ?? '').slice('NODE_EXTRA_CA_CERTS='.length);
    expect(await readFile(caPath, 'utf8')).toBe(SIMULATOR_CA_CERT_PEM);
  });

  it('accepts exactly the given PS-Auth key, run-as and password', async () => {
    const { apiKey, runas, password } = GIVEN;
    expect(await signInStatus(`PS-Auth key=${apiKey}; runas=${runas}; pwd=[${password}];`)).toBe(200);
    expect(await signInStatus(`PS-Auth key=${apiKey}; runas=${runas};`)).toBe(200); // pwd optional without --require-password
    expect(await signInStatus(`PS-Auth key=${apiKey}; runas=${runas}; pwd=[${password}x];`)).toBe(401);
    expect(await signInStatus(`PS-Auth key=${apiKey.slice(0, -1)}c; runas=${runas}; pwd=[${password}];`)).toBe(401);
    expect(await signInStatus(`PS-Auth key=${apiKey}; runas=svc_loader; pwd=[${password}];`)).toBe(401);
    // The demo credentials are not accepted once others are given.
    expect(await signInStatus('PS-Auth key=2180976b8ece6bd43750d98efd90083b; runas=svc_loader;')).toBe(401);
  });

  it('accepts exactly the given OAuth client id and secret, and serves data with the session cookie', async () => {
    const good = await token(GIVEN.clientId, GIVEN.clientSecret);
    expect(good.status).toBe(200);
    expect((await token(GIVEN.clientId, `${GIVEN.clientSecret}x`)).status).toBe(401);
    expect((await token('4962f761-58f5-4391-8f5b-65386f12edfb', GIVEN.clientSecret)).status).toBe(401);
    const signIn = await undiciFetch(`${baseUrl}/Auth/SignAppin`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${good.accessToken ?? ''}` },
      dispatcher: agent,
    });
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { UserName: string }).UserName).toMatch(/^app_[0-9a-f]{8}$/);
    expect(signIn.headers.get('set-cookie')).toContain('; secure;');
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const platforms = await undiciFetch(`${baseUrl}/Platforms`, { headers: { Cookie: cookie }, dispatcher: agent });
    expect(platforms.status).toBe(200);
    expect(((await platforms.json()) as unknown[]).length).toBe(12);
  });

  it('a second binary on the same port prints SIMULATOR_PORT_IN_USE with a hint and exits 1', async () => {
    const port = new URL(baseUrl).port;
    const second = spawn(process.execPath, [ensureBuiltCli(), 'simulator', '--port', port], { stdio: ['ignore', 'pipe', 'pipe'] });
    let secondStderr = '';
    second.stderr.on('data', (chunk: Buffer) => (secondStderr += chunk.toString('utf8')));
    try {
      const [code] = (await once(second, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(secondStderr).toContain(`Error: SIMULATOR_PORT_IN_USE: Cannot start the simulator: 127.0.0.1:${port} is already in use.`);
      expect(secondStderr).toContain('Hint:');
      expect(secondStderr).not.toContain('INTERNAL');
    } finally {
      if (second.exitCode === null && second.signalCode === null) second.kill('SIGKILL');
    }
  });

  it('stops cleanly on SIGTERM (exit code 0, goodbye line, port closed)', async () => {
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('BeyondTrust simulator stopped.');
    await expect(undiciFetch(`${baseUrl}/Platforms`, { dispatcher: agent })).rejects.toThrow();
  });
});
