/**
 * `beyondtrust-mcp simulator`: runs the BeyondTrust API simulator until SIGINT/SIGTERM. Prints the listening line
 * and the credentials as env lines a user can paste (they are demo values unless given as flags).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BtError } from '../../errors.js';
import { startSimulator } from '../../simulator/index.js';
import type { SimulatorCredentials } from '../../simulator/index.js';
import { intFlag, parseArgs, stringFlag } from '../args.js';

const COMMAND = 'simulator';

function positiveNumberFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new BtError('CLI_USAGE', `--${name} must be a positive number, got "${value}".`, {
      hint: `Example: --${name} 1 (1 = 1,000 managed accounts).`,
    });
  }
  return parsed;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    {
      strings: ['port', 'host', 'seed', 'scale', 'faults', 'api-key', 'runas', 'password', 'client-id', 'client-secret'],
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
  const faults = stringFlag(args, 'faults');
  const simulator = await startSimulator({
    port: port ?? 0,
    host: stringFlag(args, 'host') ?? '127.0.0.1',
    seed: intFlag(args, 'seed', COMMAND) ?? 1,
    scale: positiveNumberFlag(stringFlag(args, 'scale'), 'scale') ?? 1,
    tls: args.flags['tls'] === true,
    requirePassword: args.flags['require-password'] === true,
    credentials,
    ...(faults === undefined ? {} : { faults }),
  });

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
