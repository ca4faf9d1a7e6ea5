/**
 * The configs `init` writes must start a real server: for each agent, read the server entry back from the file the
 * agent reads, spawn exactly that command over stdio (cwd = the project, as the agents do) and list its tools.
 * Uses the built CLI (dist/src/cli/main.js, produced by `npm run build`; built here when missing).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse as parseToml } from 'smol-toml';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initAgent, type AgentName } from '../../src/scaffold/init.js';
import { BUILT_CLI, ensureBuiltCli } from '../support/built-cli.js';
import { withTempDir } from './temp-project.js';

const run = promisify(execFile);
const DIST_MAIN = BUILT_CLI;
const TOOLS = ['check_credentials', 'describe_table', 'list_endpoints', 'list_tables', 'pipeline_info', 'preview_endpoint', 'query', 'run_pipeline', 'scaffold_pipeline'];

interface ServerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The launch an agent would perform, read from the file that agent reads. */
async function launchFromConfig(agent: AgentName, dir: string): Promise<ServerLaunch> {
  if (agent === 'codex') {
    const config = parseToml(await readFile(join(dir, '.codex/config.toml'), 'utf8')) as { mcp_servers: Record<string, { command: string; args: string[]; env_vars: string[] }> };
    const entry = config.mcp_servers['beyondtrust']!;
    const forwarded = Object.fromEntries(entry.env_vars.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]])));
    return { command: entry.command, args: entry.args, env: forwarded };
  }
  const file = agent === 'claude' ? '.mcp.json' : '.cursor/mcp.json';
  const config = JSON.parse(await readFile(join(dir, file), 'utf8')) as { mcpServers: Record<string, { type?: string; command: string; args: string[]; env?: Record<string, string> }> };
  const entry = config.mcpServers['beyondtrust']!;
  if (agent === 'claude') expect(entry.type).toBe('stdio');
  const env = Object.fromEntries(Object.entries(entry.env ?? {}).map(([k, v]) => [k, v.replaceAll('${workspaceFolder}', dir)]));
  return { command: entry.command, args: entry.args, env };
}

beforeAll(async () => {
  ensureBuiltCli();
}, 180_000);

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await withTempDir('init-server'));
});
afterEach(async () => {
  await cleanup();
});

/** Spawns the launch an agent would perform (cwd = the project) and returns the tool names the server lists. */
async function listToolsOf(agent: AgentName, launch: ServerLaunch): Promise<string[]> {
  const transport = new StdioClientTransport({
    command: launch.command,
    args: launch.args,
    cwd: dir,
    env: { ...getDefaultEnvironment(), ...launch.env },
    stderr: 'pipe',
  });
  const stderr: string[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const client = new Client({ name: `init-server-${agent}`, version: '1.0.0' });
  await client.connect(transport).catch((error: unknown) => {
    throw new Error(`The server from the ${agent} config did not start: ${String(error)}\nstderr: ${stderr.join('')}`);
  });
  try {
    return (await client.listTools()).tools.map((tool) => tool.name).sort();
  } finally {
    await client.close();
  }
}

/** What a user already has before running init: other servers, settings, comments, CRLF line endings. */
const EXISTING_FILES: Record<AgentName, Record<string, string>> = {
  claude: {
    '.mcp.json': '{\r\n  "mcpServers": {\r\n    "github": { "type": "stdio", "command": "gh-mcp", "args": [] }\r\n  },\r\n  "other": 1\r\n}\r\n',
    '.claude/settings.json': JSON.stringify({ permissions: { allow: ['Bash(npm test)'] }, model: 'x' }, null, 2),
    'CLAUDE.md': '# My project\n\nUse pnpm.\n',
    '.gitignore': 'node_modules/\n',
  },
  cursor: {
    '.cursor/mcp.json': JSON.stringify({ mcpServers: { postgres: { command: 'pg-mcp', env: { PGHOST: 'db' } } } }, null, 2),
    '.cursorignore': '.env\n',
  },
  codex: {
    '.codex/config.toml': '# my codex settings\r\nmodel = "o4"\r\n\r\n[mcp_servers.github]\r\ncommand = "gh-mcp"\r\nargs = ["stdio"] # inline\r\n\r\n[profiles.fast]\r\nmodel = "mini"\r\n',
    'AGENTS.md': '# AGENTS.md\n## Commands\n- npm test\n',
  },
};

const OTHER_SERVER: Record<AgentName, string> = { claude: 'github', cursor: 'postgres', codex: 'github' };

async function otherServerKept(agent: AgentName): Promise<boolean> {
  if (agent === 'codex') {
    const config = parseToml(await readFile(join(dir, '.codex/config.toml'), 'utf8')) as { mcp_servers: Record<string, unknown>; model?: string };
    return config.mcp_servers[OTHER_SERVER[agent]] !== undefined && config.model === 'o4';
  }
  const file = agent === 'claude' ? '.mcp.json' : '.cursor/mcp.json';
  const config = JSON.parse(await readFile(join(dir, file), 'utf8')) as { mcpServers: Record<string, unknown> };
  return config.mcpServers[OTHER_SERVER[agent]] !== undefined;
}

describe.each<AgentName>(['claude', 'cursor', 'codex'])('the %s config init merged into existing files', (agent) => {
  it('keeps the other servers and still starts ours, which lists the nine tools', async () => {
    for (const [path, text] of Object.entries(EXISTING_FILES[agent])) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const result = await initAgent({ dir, agent, serverCommand: { command: process.execPath, args: [DIST_MAIN, 'serve'] } });
    expect(result.merged).toEqual(expect.arrayContaining([agent === 'claude' ? '.mcp.json' : agent === 'cursor' ? '.cursor/mcp.json' : '.codex/config.toml']));
    expect(await otherServerKept(agent)).toBe(true);
    const launch = await launchFromConfig(agent, dir);
    expect(launch.command).toBe(process.execPath);
    expect(await listToolsOf(agent, launch)).toEqual(TOOLS);
  });
});

describe.each<AgentName>(['claude', 'cursor', 'codex'])('the %s config written by init', (agent) => {
  it('starts the server, which lists the nine tools', async () => {
    await initAgent({ dir, agent, serverCommand: { command: process.execPath, args: [DIST_MAIN, 'serve'] } });
    const launch = await launchFromConfig(agent, dir);
    expect(launch.command).toBe(process.execPath);
    expect(await listToolsOf(agent, launch)).toEqual(TOOLS);
  });
});

describe('beyondtrust-mcp init from the built package', () => {
  it('finds the packaged skills from dist and prints the next step', async () => {
    const { stdout } = await run(process.execPath, [DIST_MAIN, 'init', '--agent', 'codex', '--dir', dir, '--server-command', `${process.execPath} ${DIST_MAIN} serve`]);
    expect(stdout).toContain('wrote     .agents/skills/find-source/SKILL.md');
    expect(stdout).toContain('Next step: Restart Codex and ask it to load your BeyondTrust data — it starts with the find-source skill.');
    const again = await run(process.execPath, [DIST_MAIN, 'init', '--dir', dir]);
    expect(again.stdout).toContain('beyondtrust-mcp init for codex:');
    expect(again.stdout).not.toMatch(/^\s+(wrote|merged)/m);
  });
});
