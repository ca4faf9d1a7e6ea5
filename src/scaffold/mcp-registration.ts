/**
 * The `beyondtrust` MCP server entry for each agent, merged into the agent's config without touching other servers:
 * Claude `.mcp.json` and Cursor `.cursor/mcp.json` (`mcpServers.beyondtrust`), Codex `.codex/config.toml`
 * (`[mcp_servers.beyondtrust]`). No secret ever goes into these files: the server reads .dlt/secrets.toml or the
 * SOURCES__BEYONDTRUST_SOURCE__* variables itself.
 */
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { BtError } from '../errors.js';
import { lineEndingOf, withLineEnding } from './line-endings.js';
import { sameJson, type MergeChange } from './merge-change.js';

export interface ServerCommand {
  command: string;
  args: string[];
}

export const MCP_SERVER_NAME = 'beyondtrust';
export const DEFAULT_SERVER_COMMAND: ServerCommand = { command: 'npx', args: ['-y', 'beyondtrust-mcp', 'serve'] };
export const PROJECT_DIR_ENV = 'BEYONDTRUST_MCP_PROJECT_DIR';

/** Names (never values) Codex forwards from its environment to the server. */
export const FORWARDED_ENV_VARS: readonly string[] = [
  'SOURCES__BEYONDTRUST_SOURCE__BASE_URL',
  'SOURCES__BEYONDTRUST_SOURCE__API_KEY',
  'SOURCES__BEYONDTRUST_SOURCE__RUNAS',
  'SOURCES__BEYONDTRUST_SOURCE__PASSWORD',
  'SOURCES__BEYONDTRUST_SOURCE__CLIENT_ID',
  'SOURCES__BEYONDTRUST_SOURCE__CLIENT_SECRET',
  PROJECT_DIR_ENV,
];

export function claudeServerEntry(server: ServerCommand): Record<string, unknown> {
  return { type: 'stdio', command: server.command, args: [...server.args] };
}

/** Cursor has no `type`; it may start servers outside the workspace, so the project dir is passed explicitly. */
export function cursorServerEntry(server: ServerCommand): Record<string, unknown> {
  return { command: server.command, args: [...server.args], env: { [PROJECT_DIR_ENV]: '${workspaceFolder}' } };
}

export function codexServerEntry(server: ServerCommand): Record<string, unknown> {
  return {
    command: server.command,
    args: [...server.args],
    env_vars: [...FORWARDED_ENV_VARS],
    startup_timeout_sec: 20,
    tool_timeout_sec: 300,
  };
}

function unparseable(file: string, format: string, error: unknown): BtError {
  return new BtError('INIT_CONFIG_UNPARSEABLE', `${file} is not valid ${format}; it was left unchanged.`, {
    hint: `Fix the syntax of ${file} (or move it aside) and run init again.`,
    details: { step: 'init', file },
    cause: error,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `mcpServers.beyondtrust` into a JSON config (`existing` undefined: the file does not exist). */
export function mergeJsonServer(existing: string | undefined, file: string, entry: Record<string, unknown>, overwrite: boolean): MergeChange {
  let document: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (error) {
      throw unparseable(file, 'JSON', error);
    }
    if (!isPlainObject(parsed)) throw unparseable(file, 'JSON (an object at the top level)', undefined);
    document = parsed;
  }
  const servers = document['mcpServers'];
  if (servers !== undefined && !isPlainObject(servers)) throw unparseable(file, 'MCP config JSON ("mcpServers" must be an object)', undefined);
  const current = servers?.[MCP_SERVER_NAME];
  if (current !== undefined && sameJson(current, entry)) return { kind: 'unchanged' };
  if (current !== undefined && !overwrite) return { kind: 'differs' };
  const merged = { ...document, mcpServers: { ...(servers ?? {}), [MCP_SERVER_NAME]: entry } };
  return { kind: current === undefined ? 'added' : 'replaced', text: withLineEnding(`${JSON.stringify(merged, null, 2)}\n`, lineEndingOf(existing)) };
}

const OUR_TABLE_HEADER = /^\s*\[\s*mcp_servers\s*\.\s*(?:beyondtrust|"beyondtrust"|'beyondtrust')\s*(?:\.[^\]]*)?\]\s*(?:#.*)?$/;
const ANY_TABLE_HEADER = /^\s*\[/;

/**
 * Merges `[mcp_servers.beyondtrust]` into a Codex TOML config. Edits the text (so the user's comments and layout
 * survive) and proves the result parses to the old document plus our table; falls back to re-serialising the
 * parsed document when the text edit cannot be proven (e.g. inline tables).
 */
export function mergeTomlServer(existing: string | undefined, file: string, entry: Record<string, unknown>, overwrite: boolean): MergeChange {
  let document: Record<string, unknown> = {};
  if (existing !== undefined) {
    try {
      document = parseToml(existing) as Record<string, unknown>;
    } catch (error) {
      throw unparseable(file, 'TOML', error);
    }
  }
  const servers = document['mcp_servers'];
  if (servers !== undefined && !isPlainObject(servers)) throw unparseable(file, 'Codex config ("mcp_servers" must be a table)', undefined);
  const current = servers?.[MCP_SERVER_NAME];
  if (current !== undefined && sameJson(current, entry)) return { kind: 'unchanged' };
  if (current !== undefined && !overwrite) return { kind: 'differs' };

  const expected = { ...document, mcp_servers: { ...(servers ?? {}), [MCP_SERVER_NAME]: entry } };
  const eol = lineEndingOf(existing);
  const ourTable = withLineEnding(stringifyToml({ mcp_servers: { [MCP_SERVER_NAME]: entry } }).trimEnd(), eol);
  const kind = current === undefined ? 'added' : 'replaced';
  const base = current === undefined ? (existing ?? '') : removeOurTables(existing ?? '');
  const separator = base === '' ? '' : base.endsWith(`${eol}${eol}`) ? '' : base.endsWith('\n') ? eol : `${eol}${eol}`;
  const edited = `${base}${separator}${ourTable}${eol}`;
  if (parsesTo(edited, expected)) return { kind, text: edited };
  return { kind, text: withLineEnding(stringifyToml(expected), eol) };
}

function removeOurTables(text: string): string {
  const kept: string[] = [];
  let inOurs = false;
  for (const line of text.split('\n')) {
    if (OUR_TABLE_HEADER.test(line)) inOurs = true;
    else if (ANY_TABLE_HEADER.test(line)) inOurs = false;
    if (!inOurs) kept.push(line);
  }
  return kept.join('\n');
}

function parsesTo(text: string, expected: unknown): boolean {
  try {
    return sameJson(parseToml(text), expected);
  } catch {
    return false;
  }
}
