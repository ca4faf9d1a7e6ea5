/**
 * Measures how fast the simulator serves managed accounts: one client, 1000-row pages, loopback, keep-alive.
 * Not a test (timings vary by machine). Run after a build:
 *   node dist/src/simulator/scripts/measure-throughput.js [scale=100]
 */
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../index.js';

async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 100);
  const simulator = await startSimulator({ scale, seed: 7 });
  try {
    const { apiKey, runas } = simulator.credentials;
    const signIn = await fetch(`${simulator.baseUrl}/Auth/SignAppin`, {
      method: 'POST',
      headers: { Authorization: `PS-Auth key=${apiKey}; runas=${runas};` },
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await signIn.arrayBuffer();
    let rows = 0;
    let bytes = 0;
    const started = performance.now();
    for (let offset = 0; ; offset += 1000) {
      const response = await fetch(`${simulator.baseUrl}/ManagedAccounts?limit=1000&offset=${offset}`, { headers: { Cookie: cookie } });
      const text = await response.text();
      bytes += text.length;
      const page = JSON.parse(text) as unknown[];
      rows += page.length;
      if (page.length < 1000) break;
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${rows} managed-account rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s ` +
        `(${(bytes / 1e6 / seconds).toFixed(1)} MB/s, client parse included)\n`,
    );
  } finally {
    await simulator.stop();
  }
}

await main();
