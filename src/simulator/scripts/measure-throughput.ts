/**
 * Measures how fast the simulator serves managed accounts. The simulator runs in its own process (the built CLI,
 * `beyondtrust-mcp simulator`), the client in this one, so client JSON parsing and server generation do not share one
 * event loop. One client, 1000-row pages of GET ManagedAccounts, loopback, keep-alive: first with client JSON.parse,
 * then with bodies read and discarded (what the simulator serves).
 * Also prints generation + serialization alone (in this process, no HTTP) and the machine's load average.
 * Not a test (timings vary by machine). Run after a build:
 *   node dist/src/simulator/scripts/measure-throughput.js [scale=100] [runs=3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { requestableAccountRow } from '../data/accounts.js';
import { SimWorld } from '../world.js';

const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
const PAGE = 1000;

interface Child {
  process: ChildProcess;
  baseUrl: string;
  env: Record<string, string>;
}

/** Starts the built CLI simulator and reads its listening line and env lines. */
async function startChild(scale: number): Promise<Child> {
  const child = spawn(process.execPath, [CLI, 'simulator', '--port', '0', '--seed', '7', '--scale', String(scale)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const env: Record<string, string> = {};
  let baseUrl = '';
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const listening = /^BeyondTrust simulator listening on (\S+)$/.exec(line);
    if (listening) baseUrl = listening[1] ?? '';
    const pair = /^SOURCES__BEYONDTRUST_SOURCE__([A-Z_]+)=(.*)$/.exec(line);
    if (pair) env[pair[1] ?? ''] = pair[2] ?? '';
    if (env['CLIENT_SECRET'] !== undefined) break;
  }
  if (!baseUrl) throw new Error('the simulator process did not print its listening line');
  return { process: child, baseUrl, env };
}

/** parse: JSON.parse every page (a client's view); else bodies are read and discarded (what the server serves). */
async function measureHttp(child: Child, total: number, parse: boolean): Promise<{ rows: number; seconds: number; bytes: number }> {
  const signIn = await fetch(`${child.baseUrl}/Auth/SignAppin`, {
    method: 'POST',
    headers: { Authorization: `PS-Auth key=${child.env['API_KEY'] ?? ''}; runas=${child.env['RUNAS'] ?? ''};` },
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  await signIn.arrayBuffer();
  let rows = 0;
  let bytes = 0;
  const started = performance.now();
  for (let offset = 0; ; offset += PAGE) {
    const response = await fetch(`${child.baseUrl}/ManagedAccounts?limit=${PAGE}&offset=${offset}`, { headers: { Cookie: cookie } });
    if (!parse) {
      bytes += (await response.arrayBuffer()).byteLength;
      rows += Math.min(PAGE, total - offset);
      if (offset + PAGE >= total) break;
      continue;
    }
    const text = await response.text();
    bytes += text.length;
    const page = JSON.parse(text) as unknown[];
    rows += page.length;
    if (page.length < PAGE) break;
  }
  const seconds = (performance.now() - started) / 1000;
  await (await fetch(`${child.baseUrl}/Auth/Signout`, { method: 'POST', headers: { Cookie: cookie } })).arrayBuffer();
  return { rows, seconds, bytes };
}

function measureGeneration(scale: number): { rows: number; seconds: number } {
  const world = new SimWorld(7, scale);
  const rows = world.counts.managedAccounts;
  let length = 0;
  const started = performance.now();
  for (let index = 0; index < rows; index++) length += JSON.stringify(requestableAccountRow(world, index)).length;
  const seconds = (performance.now() - started) / 1000;
  if (length === 0) throw new Error('nothing generated');
  return { rows, seconds };
}

const rate = (rows: number, seconds: number): string => Math.round(rows / seconds).toLocaleString('en-US');

async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 100);
  const runs = Number(process.argv[3] ?? 3);
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
  process.stdout.write(`machine: ${cpus().length} cores, load average ${load()} (1/5/15 min)\n`);
  const generation = measureGeneration(scale);
  process.stdout.write(`generation + JSON.stringify only: ${rate(generation.rows, generation.seconds)} rows/s\n`);
  const child = await startChild(scale);
  try {
    for (const parse of [true, false]) {
      for (let run = 1; run <= runs; run++) {
        const { rows, seconds, bytes } = await measureHttp(child, generation.rows, parse);
        process.stdout.write(
          `run ${run}: ${rows} managed-account rows in ${seconds.toFixed(2)} s = ${rate(rows, seconds)} rows/s ` +
            `(${(bytes / 1e6 / seconds).toFixed(1)} MB/s, simulator in a separate process, ${parse ? 'client parse included' : 'bodies read and discarded'})\n`,
        );
      }
    }
  } finally {
    child.process.kill('SIGTERM');
    if (child.process.exitCode === null) await once(child.process, 'exit');
  }
  process.stdout.write(`load average after: ${load()}\n`);
}

await main();
