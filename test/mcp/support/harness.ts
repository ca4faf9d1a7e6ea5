/** Shared set-up of the MCP tests: temp projects, the simulator, an in-process server + Client pair. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '../../../src/log.js';
import type { Logger } from '../../../src/log.js';
import { createServer } from '../../../src/mcp/server.js';
import type { ServerDeps } from '../../../src/mcp/server.js';
import { startSimulator } from '../../../src/simulator/index.js';
import type { RunningSimulator, SimulatorCredentials } from '../../../src/simulator/index.js';

export async function tempProject(prefix = 'bt-mcp-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A small, deterministic simulator on a free loopback port (scale 0.05: 50 managed accounts). */
export function startTestSimulator(credentials?: Partial<SimulatorCredentials>, scale = 0.05): Promise<RunningSimulator> {
  return startSimulator({ port: 0, host: '127.0.0.1', seed: 7, scale, ...(credentials ? { credentials } : {}) });
}

/** Writes the simulator's URL to .dlt/config.toml and its PS-Auth credentials to .dlt/secrets.toml. */
export async function configureProject(projectDir: string, simulator: RunningSimulator): Promise<void> {
  await mkdir(join(projectDir, '.dlt'), { recursive: true });
  await writeFile(join(projectDir, '.dlt', 'config.toml'), `[sources.beyondtrust_source]\nbase_url = "${simulator.baseUrl}"\n`);
  const { apiKey, runas, password } = simulator.credentials;
  await writeFile(
    join(projectDir, '.dlt', 'secrets.toml'),
    `[sources.beyondtrust_source]\napi_key = "${apiKey}"\nrunas = "${runas}"\npassword = "${password}"\n`,
  );
}

export interface CapturedLog {
  logger: Logger;
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }), lines };
}

export interface Connected {
  client: Client;
  close(): Promise<void>;
}

export async function connect(deps: ServerDeps): Promise<Connected> {
  const server = createServer({ env: {}, logger: createLogger({ level: 'silent' }), ...deps });
  const client = new Client({ name: 'bt-mcp-test', version: '0.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  // Listing the tools makes the client validate every structuredContent against the advertised outputSchema.
  await client.listTools();
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured answer of a successful call; fails the test with the error text otherwise. */
export async function callOk<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = await callTool(client, name, args);
  if (result.isError) throw new Error(`${name} failed: ${errorText(result)}`);
  return result.structuredContent as T;
}

/** The text of an isError result; fails the test when the call succeeded. */
export async function callError(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await callTool(client, name, args);
  if (!result.isError) throw new Error(`${name} unexpectedly succeeded: ${JSON.stringify(result.structuredContent)}`);
  return errorText(result);
}

export function errorText(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}
