/**
 * The HTTP requests a pipeline run made, as the simulator saw them, and how they map to catalog tables. The floors
 * replay exactly these requests, so they do the same work as the run without guessing URLs.
 */
import { BEYONDTRUST_CATALOG } from '../src/beyondtrust/catalog.js';

export interface RecordedRequest {
  method: string;
  /** Path and query as received, e.g. `/BeyondTrust/api/public/v3/ManagedAccounts?limit=1000&offset=0`. */
  url: string;
  status: number;
}

const API_PREFIX = '/beyondtrust/api/public/v3/';

function pathSegmentsOf(url: string): string[] {
  const path = url.split('?')[0] ?? '';
  const lower = path.toLowerCase();
  const relative = lower.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : path.replace(/^\//, '');
  return relative.split('/').filter((segment) => segment.length > 0);
}

const TEMPLATES = BEYONDTRUST_CATALOG.map((entry) => ({
  table: entry.table,
  segments: entry.path.split('/').map((segment) => (segment.startsWith('{') ? undefined : segment.toLowerCase())),
}));

/** The catalog table an API URL belongs to, or undefined (auth calls, unknown paths). */
export function tableOfUrl(url: string): string | undefined {
  const segments = pathSegmentsOf(url);
  for (const template of TEMPLATES) {
    if (template.segments.length !== segments.length) continue;
    if (template.segments.every((expected, i) => expected === undefined || expected === segments[i]?.toLowerCase())) return template.table;
  }
  return undefined;
}

/**
 * The data requests a floor replays: GETs of catalog endpoints that got an answer the run used. Fault answers
 * (401, 429, 5xx) are retries the run paid for, not work the floors should repeat.
 */
export function replayableRequests(log: readonly RecordedRequest[]): RecordedRequest[] {
  return log.filter(
    (entry) => entry.method === 'GET' && tableOfUrl(entry.url) !== undefined && entry.status !== 401 && entry.status !== 429 && entry.status < 500,
  );
}
