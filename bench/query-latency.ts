/**
 * The query side as an agent sees it: the MCP `query` tool called through the SDK Client over InMemoryTransport
 * against the run's database; the median of N calls per statement.
 */
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { BtError } from '../src/errors.js';
import { silentLogger } from '../src/log.js';
import { createServer } from '../src/mcp/server.js';

export interface QueryCase {
  name: string;
  sql: string;
  targetMs: number;
}

export interface QueryLatency extends QueryCase {
  medianMs: number;
  minMs: number;
  maxMs: number;
  calls: number;
}

export const MANAGED_ACCOUNT_QUERIES: readonly QueryCase[] = [
  { name: 'count', sql: 'SELECT count(*) AS accounts FROM beyondtrust_data.managed_accounts', targetMs: 100 },
  {
    name: 'group-by',
    sql:
      'SELECT platform_id, change_state, count(*) AS accounts, max(last_change_date) AS last_change ' +
      'FROM beyondtrust_data.managed_accounts GROUP BY platform_id, change_state ORDER BY accounts DESC',
    targetMs: 300,
  },
];

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export async function measureQueryLatency(projectDir: string, cases: readonly QueryCase[] = MANAGED_ACCOUNT_QUERIES, calls = 20): Promise<QueryLatency[]> {
  const server = createServer({ projectDir, logger: silentLogger });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'beyondtrust-mcp-bench', version: '0.0.0' });
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  const results: QueryLatency[] = [];
  try {
    for (const queryCase of cases) {
      const times: number[] = [];
      for (let i = 0; i < calls; i++) {
        const started = performance.now();
        const result = await client.callTool({ name: 'query', arguments: { sql: queryCase.sql } });
        times.push(performance.now() - started);
        if (result.isError) {
          const text = JSON.stringify(result.content).slice(0, 400);
          throw new BtError('BENCH_QUERY_FAILED', `The query tool failed on "${queryCase.name}": ${text}`, { hint: 'Check the table and column names the run produced.' });
        }
      }
      results.push({ ...queryCase, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), calls });
    }
  } finally {
    await client.close();
    await server.close();
  }
  return results;
}
