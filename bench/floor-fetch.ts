/**
 * Floor A, fetch: the run's own data requests replayed with the same concurrency (one sign-in, undici pool, bodies
 * read to the end and discarded). What the pipeline could not beat even if normalize and load cost nothing.
 */
import { performance } from 'node:perf_hooks';
import { BtError } from '../src/errors.js';
import type { SimulatorCredentials } from '../src/simulator/index.js';
import { forEachConcurrently, openApiSession } from './api-session.js';
import type { RecordedRequest } from './request-log.js';

export interface FetchFloorResult {
  seconds: number;
  requests: number;
  bytes: number;
}

export async function measureFetchFloor(options: {
  baseUrl: string;
  credentials: SimulatorCredentials;
  requests: readonly RecordedRequest[];
  concurrency: number;
}): Promise<FetchFloorResult> {
  const started = performance.now();
  const session = await openApiSession(options.baseUrl, options.credentials, options.concurrency);
  let bytes = 0;
  try {
    await forEachConcurrently(options.requests, options.concurrency, async (request) => {
      const response = await session.pool.request({ method: 'GET', path: request.url, headers: { cookie: session.cookie } });
      for await (const chunk of response.body) bytes += (chunk as Buffer).length;
      if (response.statusCode !== request.status) {
        throw new BtError('BENCH_FLOOR_FETCH', `GET ${request.url.split('?')[0]} answered ${response.statusCode} in floor A, ${request.status} in the run.`);
      }
    });
  } finally {
    await session.close();
  }
  return { seconds: (performance.now() - started) / 1000, requests: options.requests.length, bytes };
}
