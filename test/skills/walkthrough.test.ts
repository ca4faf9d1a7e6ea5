/**
 * Plays an agent that follows the skills: it reads skills/find-source/SKILL.md, makes every tool call under
 * "## Steps" in order (placeholders filled the way an agent would), follows the "Next skill:" handovers, and must
 * end with a validated table — against the real simulator, a real DuckDB file and the real MCP server over an
 * in-memory MCP transport. A skill naming a tool or argument the server does not have fails this test (strict schemas).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createServer } from '../../src/mcp/server.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { TOOL_ARGUMENTS, parseNextSkills, parseSkillCalls, readSkill } from './skill-calls.js';

const CHOSEN_TABLE = 'managed_accounts';

interface Bindings {
  table: string;
  keyword: string;
  pipeline_name: string;
  run_id?: string;
  primary_key?: string;
}

/** Fills placeholders as an agent would: `["<tables>"]` becomes the chosen tables, `<x>` inside strings its value. */
function bind(value: unknown, bindings: Bindings): unknown {
  if (Array.isArray(value)) return value.flatMap((item) => (item === '<tables>' ? [bindings.table] : [bind(item, bindings)]));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bind(v, bindings)]));
  if (typeof value !== 'string') return value;
  return value.replace(/<([a-z_]+)>/g, (whole, name: string) => {
    const bound = name === 'tables' ? bindings.table : (bindings as unknown as Record<string, string | undefined>)[name];
    if (bound === undefined) throw new Error(`The agent cannot fill ${whole} yet`);
    return bound;
  });
}

function resultText(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

let simulator: RunningSimulator;
let projectDir: string;
let client: Client;
const transcript: { skill: string; tool: string; args: unknown; result: CallToolResult }[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, host: '127.0.0.1', seed: 42, scale: 2 });
  projectDir = await mkdtemp(join(tmpdir(), 'btmcp-walkthrough-'));
  // The user configured credentials in their environment; the agent never sees or handles them.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    SOURCES__BEYONDTRUST_SOURCE__BASE_URL: simulator.baseUrl,
    SOURCES__BEYONDTRUST_SOURCE__API_KEY: simulator.credentials.apiKey,
    SOURCES__BEYONDTRUST_SOURCE__RUNAS: simulator.credentials.runas,
    SOURCES__BEYONDTRUST_SOURCE__PASSWORD: simulator.credentials.password,
  };
  const server = createServer({ projectDir, env, logger: silentLogger });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: 'walkthrough-agent', version: '1.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
});

afterAll(async () => {
  await client?.close();
  await simulator?.stop();
  if (projectDir) await rm(projectDir, { recursive: true, force: true });
});

describe('an agent following the skills from find-source', () => {
  it('uses only tools the server lists, with argument names the server accepts', async () => {
    const { tools } = await client.listTools();
    const served = Object.fromEntries(tools.map((tool) => [tool.name, Object.keys(tool.inputSchema.properties ?? {}).sort()]));
    expect(Object.keys(served).sort()).toEqual(Object.keys(TOOL_ARGUMENTS).sort());
    for (const [tool, args] of Object.entries(TOOL_ARGUMENTS)) expect(served[tool]).toEqual([...args].sort());
  });

  it('goes find-source → create-pipeline → validate-data and ends with a validated table', async () => {
    const bindings: Bindings = { table: CHOSEN_TABLE, keyword: 'account', pipeline_name: 'beyondtrust_pipeline' };
    const visited: string[] = [];
    for (let skill: string | undefined = 'find-source'; skill && !visited.includes(skill); skill = parseNextSkills(readSkill(skill))[0]) {
      visited.push(skill);
      const steps = parseSkillCalls(readSkill(skill)).filter((call) => call.section === 'Steps');
      expect(steps.length, `${skill} has tool calls under ## Steps`).toBeGreaterThan(0);
      for (const call of steps) {
        expect('error' in call.args, `${skill}:${call.line} JSON`).toBe(false);
        const args = bind(call.args, bindings) as Record<string, unknown>;
        const result = (await client.callTool({ name: call.tool, arguments: args })) as CallToolResult;
        transcript.push({ skill, tool: call.tool, args, result });
        expect(result.isError ?? false, `${skill}:${call.line} ${call.tool} ${JSON.stringify(args)} → ${resultText(result)}`).toBe(false);
        const structured = result.structuredContent as Record<string, unknown> | undefined;
        if (call.tool === 'list_endpoints' && args['filter'] === undefined) {
          // The agent chooses the table with the user from what list_endpoints offers.
          const endpoints = (structured?.['endpoints'] ?? []) as { table: string }[];
          expect(endpoints.map((e) => e.table)).toContain(CHOSEN_TABLE);
        }
        if (call.tool === 'run_pipeline') {
          expect(structured?.['status']).toBe('completed');
          bindings.run_id = String(structured?.['run_id']);
        }
        if (call.tool === 'describe_table') bindings.primary_key = (structured?.['primary_key'] as string[]).join(', ');
      }
    }
    expect(visited).toEqual(['find-source', 'create-pipeline', 'validate-data']);

    // What the agent saw on the way.
    const first = (tool: string, skill?: string): Record<string, unknown> =>
      transcript.find((t) => t.tool === tool && (skill === undefined || t.skill === skill))!.result.structuredContent as Record<string, unknown>;
    const credentials = first('check_credentials');
    expect(credentials['auth_mode']).toBe('ps_auth');
    expect(credentials['missing']).toEqual([]);
    const live = transcript.find((t) => t.tool === 'check_credentials' && (t.args as { live?: boolean }).live === true)!;
    expect((live.result.structuredContent as { live?: { ok: boolean } }).live?.ok).toBe(true);
    const scaffold = first('scaffold_pipeline');
    expect(scaffold['written']).toEqual(expect.arrayContaining(['beyondtrust_pipeline.ts', '.dlt/secrets.toml']));
    expect(await readFile(join(projectDir, 'beyondtrust_pipeline.ts'), 'utf8')).toContain(`"${CHOSEN_TABLE}"`);
    const preview = first('preview_endpoint');
    expect(preview['record_count']).toBeGreaterThan(0);

    // Validated: the full run loaded every managed account exactly once, typed, with dlt columns.
    const tables = first('list_tables', 'validate-data')['tables'] as { name: string }[];
    expect(tables.map((t) => t.name)).toContain(CHOSEN_TABLE);
    const described = first('describe_table', 'validate-data');
    const columns = described['columns'] as { name: string; type: string }[];
    const typeOf = (name: string): string | undefined => columns.find((c) => c.name === name)?.type;
    expect(typeOf('_dlt_id')).toBeDefined();
    expect(typeOf('account_id')).toMatch(/INT/);
    expect(typeOf('last_change_date')).toMatch(/TIMESTAMP/);
    const counts = transcript
      .filter((t) => t.skill === 'validate-data' && t.tool === 'query' && String((t.args as { sql: string }).sql).includes('rows_loaded'))
      .map((t) => Number((t.result.structuredContent as { rows: { rows_loaded: number | string }[] }).rows[0]!.rows_loaded));
    // Scale 2 = 2,000 accounts = two pages of 1,000: the dev-limited run loaded one page, the full run all of them.
    expect(simulator.counts.managedAccounts).toBeGreaterThan(1000);
    expect(counts).toEqual([1000, simulator.counts.managedAccounts]);
    const duplicates = transcript.find((t) => t.tool === 'query' && String((t.args as { sql: string }).sql).includes('duplicate_keys'))!;
    expect(String((duplicates.args as { sql: string }).sql)).toContain('SELECT system_id, account_id, count(*)');
    expect(Number((duplicates.result.structuredContent as { rows: { duplicate_keys: number | string }[] }).rows[0]!.duplicate_keys)).toBe(0);
  });

  it('never shows a secret to the agent', () => {
    const everything = JSON.stringify(transcript.map((t) => t.result));
    for (const secret of [simulator.credentials.apiKey, simulator.credentials.password]) expect(everything).not.toContain(secret);
  });
});
