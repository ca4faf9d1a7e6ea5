/**
 * A minimal BeyondTrust session for the floors: one PS-Auth sign-in, the session cookie on every request, one
 * sign-out. Deliberately bare (no retry, no parsing): the floors measure the wire, not our client.
 */
import { Pool } from 'undici';
import { BtError } from '../src/errors.js';
import type { SimulatorCredentials } from '../src/simulator/index.js';

export interface ApiSession {
  pool: Pool;
  cookie: string;
  close(): Promise<void>;
}

function cookiesOf(header: string | string[] | undefined): string {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return values.map((value) => value.split(';')[0] ?? '').filter((pair) => pair.length > 0).join('; ');
}

export async function openApiSession(baseUrl: string, credentials: SimulatorCredentials, connections: number): Promise<ApiSession> {
  const url = new URL(baseUrl);
  const basePath = url.pathname.replace(/\/$/, '');
  const pool = new Pool(url.origin, { connections });
  const signIn = await pool.request({
    method: 'POST',
    path: `${basePath}/Auth/SignAppin`,
    headers: { authorization: `PS-Auth key=${credentials.apiKey}; runas=${credentials.runas}; pwd=[${credentials.password}];`, 'content-length': '0' },
  });
  await signIn.body.dump();
  const cookie = cookiesOf(signIn.headers['set-cookie']);
  if (signIn.statusCode !== 200 || cookie.length === 0) {
    await pool.close();
    throw new BtError('BENCH_SIGN_IN', `POST Auth/SignAppin answered ${signIn.statusCode} without a session cookie.`, { hint: 'The simulator credentials did not match.' });
  }
  return {
    pool,
    cookie,
    async close() {
      const signOut = await pool.request({ method: 'POST', path: `${basePath}/Auth/Signout`, headers: { cookie, 'content-length': '0' } });
      await signOut.body.dump();
      await pool.close();
    },
  };
}

/** Runs `work(item)` over `items` with at most `concurrency` in flight, in order of start. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
