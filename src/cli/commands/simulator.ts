/**
 * `beyondtrust-mcp simulator`: runs the BeyondTrust API simulator until SIGINT/SIGTERM. Prints the listening line
 * and the credentials as env lines a user can paste (they are demo values unless given as flags).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BtError } from '../../errors.js';
import { startSimulator } from '../../simulator/index.js';
import type { RunningSimulator, SimulatorCredentials, SimulatorOptions } from '../../simulator/index.js';
import { intFlag, parseArgs, stringFlag, type ParsedArgs } from '../args.js';

const COMMAND = 'simulator';

function positiveNumberFlag(value: string | undefined, name: string, example: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new BtError('CLI_USAGE', `--${name} must be a positive number, got "${value}".`, { hint: `Example: --${name} ${example}.` });
  }
  return parsed;
}

function positiveIntFlag(args: ParsedArgs, name: string, example: string): number | undefined {
  const value = intFlag(args, name, COMMAND);
  if (value !== undefined && value < 1) {
    throw new BtError('CLI_USAGE', `--${name} must be at least 1, got ${value}.`, { hint: `Example: --${name} ${example}.` });
  }
  return value;
}

/** `--advance-every 200` = after every 200 data requests; `--advance-every 30s` = every 30 seconds. */
export function parseAdvanceEvery(value: string | undefined): SimulatorOptions['advanceEvery'] {
  if (value === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s?)\s*$/i.exec(value);
  const amount = match ? Number(match[1]) : Number.NaN;
  const seconds = match?.[2] !== '';
  if (!match || !(amount > 0) || (!seconds && !Number.isInteger(amount))) {
    throw new BtError('CLI_USAGE', `--advance-every must be a request count (e.g. 200) or seconds (e.g. 30s), got "${value}".`, {
      hint: 'Use --advance-every 200 to move simulated time one hour on after every 200 data requests, or --advance-every 30s for every 30 seconds.',
    });
  }
  return seconds ? { seconds: amount } : { requests: amount };
}

async function start(options: SimulatorOptions): Promise<RunningSimulator> {
  try {
    return await startSimulator(options);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const where = `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`;
    if (code === 'EADDRINUSE') {
      throw new BtError('SIMULATOR_PORT_IN_USE', `Cannot start the simulator: ${where} is already in use.`, {
        hint: 'Stop the process that listens there (another simulator?), choose another --port, or use --port 0 for a free port.',
        details: { host: options.host, port: options.port },
        cause: error,
      });
    }
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new BtError('SIMULATOR_LISTEN_FAILED', `Cannot start the simulator on ${where} (${String(code)}).`, {
        hint: 'Use a port above 1023 and a local address such as 127.0.0.1 (--host), or --port 0 for a free port.',
        details: { host: options.host, port: options.port },
        cause: error,
      });
    }
    throw error;
  }
}

/** The simulator options the command line asks for (exported so the flag mapping can be tested without a server). */
export function simulatorOptionsFromArgs(argv: string[]): SimulatorOptions {
  const args = parseArgs(
    argv,
    {
      strings: [
        'port', 'host', 'seed', 'scale', 'faults', 'api-key', 'runas', 'password', 'client-id', 'client-secret',
        'advance-every', 'session-idle-seconds', 'session-max-requests', 'token-lifetime-seconds', 'non-api-accounts',
      ],
      booleans: ['tls', 'require-password'],
    },
    COMMAND,
  );
  const credentials: Partial<SimulatorCredentials> = {};
  const credentialFlags: Array<[keyof SimulatorCredentials, string]> = [
    ['apiKey', 'api-key'],
    ['runas', 'runas'],
    ['password', 'password'],
    ['clientId', 'client-id'],
    ['clientSecret', 'client-secret'],
  ];
  for (const [key, flag] of credentialFlags) {
    const value = stringFlag(args, flag);
    if (value !== undefined) credentials[key] = value;
  }
  const port = intFlag(args, 'port', COMMAND);
  if (port !== undefined && (port < 0 || port > 65535)) {
    throw new BtError('CLI_USAGE', `--port must be within 0..65535, got ${port}.`, { hint: 'Use --port 0 to pick a free port.' });
  }
  const nonApiAccounts = intFlag(args, 'non-api-accounts', COMMAND);
  if (nonApiAccounts !== undefined && nonApiAccounts < 0) {
    throw new BtError('CLI_USAGE', `--non-api-accounts must be 0 or more, got ${nonApiAccounts}.`, { hint: 'Example: --non-api-accounts 5.' });
  }
  const faults = stringFlag(args, 'faults');
  const idleSeconds = positiveNumberFlag(stringFlag(args, 'session-idle-seconds'), 'session-idle-seconds', '1200 (20 minutes, the default)');
  const maxRequests = positiveIntFlag(args, 'session-max-requests', '500');
  const tokenSeconds = positiveNumberFlag(stringFlag(args, 'token-lifetime-seconds'), 'token-lifetime-seconds', '600 (the default)');
  const advanceEvery = parseAdvanceEvery(stringFlag(args, 'advance-every'));
  return {
    port: port ?? 0,
    host: stringFlag(args, 'host') ?? '127.0.0.1',
    seed: intFlag(args, 'seed', COMMAND) ?? 1,
    scale: positiveNumberFlag(stringFlag(args, 'scale'), 'scale', '1 (1 = 1,000 managed accounts)') ?? 1,
    tls: args.flags['tls'] === true,
    requirePassword: args.flags['require-password'] === true,
    credentials,
    ...(faults === undefined ? {} : { faults }),
    ...(idleSeconds === undefined ? {} : { sessionIdleMs: idleSeconds * 1000 }),
    ...(maxRequests === undefined ? {} : { sessionMaxRequests: maxRequests }),
    ...(tokenSeconds === undefined ? {} : { tokenLifetimeSec: tokenSeconds }),
    ...(advanceEvery === undefined ? {} : { advanceEvery }),
    ...(nonApiAccounts === undefined ? {} : { nonApiAccounts }),
  };
}

export async function run(argv: string[]): Promise<number> {
  const options = simulatorOptionsFromArgs(argv);
  const simulator = await start(options);

  const env = 'SOURCES__BEYONDTRUST_SOURCE__';
  const lines = [
    `BeyondTrust simulator listening on ${simulator.baseUrl}`,
    `${env}BASE_URL=${simulator.baseUrl}`,
    `${env}API_KEY=${simulator.credentials.apiKey}`,
    `${env}RUNAS=${simulator.credentials.runas}`,
    `${env}PASSWORD=${simulator.credentials.password}`,
    `${env}CLIENT_ID=${simulator.credentials.clientId}`,
    `${env}CLIENT_SECRET=${simulator.credentials.clientSecret}`,
  ];
  if (simulator.caCertPem) {
    const caPath = join(tmpdir(), 'beyondtrust-simulator-ca.pem');
    await writeFile(caPath, simulator.caCertPem, 'utf8');
    lines.push(`NODE_EXTRA_CA_CERTS=${caPath}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const { advanceEvery } = options;
  if (advanceEvery) {
    const every = 'requests' in advanceEvery ? `${advanceEvery.requests} data requests` : `${advanceEvery.seconds} s`;
    process.stderr.write(`Simulated time moves one hour on every ${every} (about 1% of accounts and secrets change).\n`);
  }

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await simulator.stop();
  process.stderr.write('BeyondTrust simulator stopped.\n');
  return 0;
}
