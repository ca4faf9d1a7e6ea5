/** Shared helpers for the simulator tests: sign in and call the API with plain fetch. */
import type { RunningSimulator } from '../../src/simulator/index.js';

export function psAuthHeader(sim: RunningSimulator, extra = ''): string {
  return `PS-Auth key=${sim.credentials.apiKey}; runas=${sim.credentials.runas};${extra}`;
}

export async function signIn(sim: RunningSimulator, authorization = psAuthHeader(sim)): Promise<string> {
  const response = await fetch(`${sim.baseUrl}/Auth/SignAppin`, { method: 'POST', headers: { Authorization: authorization } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`SignAppin answered ${response.status}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export async function call(
  sim: RunningSimulator,
  path: string,
  options: { cookie?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers['Cookie'] = options.cookie;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${sim.baseUrl}/${path}`, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

export type Row = Record<string, unknown>;

export function asRows(value: unknown): Row[] {
  if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)?.slice(0, 200)}`);
  return value as Row[];
}

export function asContainer(value: unknown): { TotalCount: number; Data: Row[] } {
  const container = value as { TotalCount?: unknown; Data?: unknown };
  if (typeof container?.TotalCount !== 'number' || !Array.isArray(container.Data)) {
    throw new Error(`expected {TotalCount, Data}, got ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  return container as { TotalCount: number; Data: Row[] };
}
