import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as runInitCommand } from '../../src/cli/commands/init.js';
import { BtError } from '../../src/errors.js';
import { parseFrontmatter } from '../../src/scaffold/frontmatter.js';
import { detectAgent, initAgent, type AgentName } from '../../src/scaffold/init.js';
import { SECTION_END, SECTION_START } from '../../src/scaffold/marked-section.js';
import { withTempDir } from './temp-project.js';

const SKILLS = ['adjust-endpoint', 'create-pipeline', 'debug-pipeline', 'explore-data', 'find-source', 'new-endpoint', 'validate-data'];

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await withTempDir('init'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup();
});

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(root, path).split(sep).join('/'));
    }
  };
  await walk(root);
  return out.sort();
}

const read = (path: string): Promise<string> => readFile(join(dir, path), 'utf8');

/** Every file init wrote parses in its format; returns the parsed MCP server entry. */
async function checkAllFilesParse(): Promise<void> {
  for (const file of await listFiles(dir)) {
    const text = await read(file);
    if (file.endsWith('.json')) JSON.parse(text);
    else if (file.endsWith('.toml')) parseToml(text);
    else if (file.endsWith('SKILL.md') || file.endsWith('.mdc')) parseFrontmatter(text, file);
  }
}

function expectIgnoreEntries(text: string, entries: readonly string[]): void {
  const lines = text.split('\n');
  for (const entry of entries) expect(lines.filter((l) => l === entry)).toHaveLength(1);
}

describe.each<AgentName>(['claude', 'cursor', 'codex'])('init --agent %s', (agent) => {
  it('installs into an empty directory; every file parses; a second run changes nothing', async () => {
    const first = await initAgent({ dir, agent });
    expect(first.agent).toBe(agent);
    expect(first.merged).toEqual([]);
    expect(first.skipped).toEqual([]);
    expect(first.next_step).toMatch(/find-source skill/);
    await checkAllFilesParse();
    expect(first.written.sort()).toEqual(await listFiles(dir));

    const before = await Promise.all((await listFiles(dir)).map(async (f) => [f, await read(f)]));
    const second = await initAgent({ dir, agent });
    expect(second.written).toEqual([]);
    expect(second.merged).toEqual([]);
    expect(second.skipped).toEqual([]);
    expect(second.unchanged.sort()).toEqual(first.written.sort());
    const after = await Promise.all((await listFiles(dir)).map(async (f) => [f, await read(f)]));
    expect(after).toEqual(before);

    // Ignore files keep secrets away from the agent and out of git.
    const ignoreFile = { claude: '.claudeignore', cursor: '.cursorignore', codex: '.codexignore' }[agent];
    // The DuckDB files too: the agent reads the data through the MCP tools, which open the database server-side.
    expectIgnoreEntries(await read(ignoreFile), ['.dlt/secrets.toml', '*.secrets.toml', '*.duckdb', '*.duckdb.wal']);
    expectIgnoreEntries(await read('.gitignore'), ['.dlt/secrets.toml', '*.duckdb']);
  });

  it('refreshes our own files only with --overwrite', async () => {
    await initAgent({ dir, agent });
    const skillPath = { claude: '.claude/skills', cursor: '.cursor/skills', codex: '.agents/skills' }[agent] + '/find-source/SKILL.md';
    const original = await read(skillPath);
    await writeFile(join(dir, skillPath), `${original}\nMy local note.\n`);
    const kept = await initAgent({ dir, agent });
    expect(kept.skipped).toEqual([{ path: skillPath, reason: expect.stringMatching(/--overwrite/) }]);
    expect(await read(skillPath)).toContain('My local note.');
    const refreshed = await initAgent({ dir, agent, overwrite: true });
    expect(refreshed.written).toEqual([skillPath]);
    expect(await read(skillPath)).toBe(original);
  });
});

describe('init writes each agent\'s layout', () => {
  it('claude: .mcp.json stdio entry, skills with references, CLAUDE.md section', async () => {
    await initAgent({ dir, agent: 'claude' });
    const config = JSON.parse(await read('.mcp.json')) as { mcpServers: Record<string, unknown> };
    expect(config.mcpServers['beyondtrust']).toEqual({ type: 'stdio', command: 'npx', args: ['-y', 'beyondtrust-mcp', 'serve'] });
    for (const skill of SKILLS) {
      const { frontmatter } = parseFrontmatter(await read(`.claude/skills/${skill}/SKILL.md`));
      expect(frontmatter['name']).toBe(skill);
    }
    expect(await read('.claude/skills/explore-data/references/queries.md')).toContain('beyondtrust_data.managed_accounts');
    const claudeMd = await read('CLAUDE.md');
    expect(claudeMd.startsWith(SECTION_START)).toBe(true);
    expect(claudeMd).toContain(SECTION_END);
    expect(claudeMd).toMatch(/never read[^\n]*secrets\.toml/i);
    expect(claudeMd).toContain('find-source');
  });

  it('cursor: .cursor/mcp.json without type, .mdc rules with description/alwaysApply, skills', async () => {
    await initAgent({ dir, agent: 'cursor' });
    const config = JSON.parse(await read('.cursor/mcp.json')) as { mcpServers: Record<string, Record<string, unknown>> };
    const entry = config.mcpServers['beyondtrust']!;
    expect(entry['type']).toBeUndefined();
    expect(entry).toMatchObject({ command: 'npx', args: ['-y', 'beyondtrust-mcp', 'serve'] });
    expect(entry['env']).toEqual({ BEYONDTRUST_MCP_PROJECT_DIR: '${workspaceFolder}' });
    const security = parseFrontmatter(await read('.cursor/rules/beyondtrust-security.mdc'));
    expect(security.frontmatter['alwaysApply']).toBe(true);
    expect(security.body).toMatch(/never read[^\n]*secrets\.toml/i);
    for (const skill of SKILLS) {
      const rule = parseFrontmatter(await read(`.cursor/rules/beyondtrust-${skill}.mdc`));
      expect(rule.frontmatter['alwaysApply']).toBe(false);
      expect(String(rule.frontmatter['description'])).toMatch(/Use (when|after)/);
      expect(rule.body).not.toMatch(/`references\//);
      await read(`.cursor/skills/${skill}/SKILL.md`);
    }
    expect(await read('.cursor/rules/beyondtrust-explore-data.mdc')).toContain('`.cursor/skills/explore-data/references/queries.md`');
  });

  it('codex: [mcp_servers.beyondtrust] with env_vars names and timeouts, .agents/skills, AGENTS.md section', async () => {
    await initAgent({ dir, agent: 'codex' });
    const config = parseToml(await read('.codex/config.toml')) as { mcp_servers: Record<string, Record<string, unknown>> };
    const entry = config.mcp_servers['beyondtrust']!;
    expect(entry).toMatchObject({ command: 'npx', args: ['-y', 'beyondtrust-mcp', 'serve'], tool_timeout_sec: 300, startup_timeout_sec: 20 });
    expect(entry['env_vars']).toEqual(expect.arrayContaining(['SOURCES__BEYONDTRUST_SOURCE__API_KEY', 'SOURCES__BEYONDTRUST_SOURCE__BASE_URL']));
    expect(entry['env']).toBeUndefined();
    for (const skill of SKILLS) await read(`.agents/skills/${skill}/SKILL.md`);
    expect(await read('AGENTS.md')).toContain(SECTION_START);
  });

  it('claude: denies reading the secrets file in .claude/settings.json, keeping the user\'s permissions', async () => {
    await mkdir(join(dir, '.claude'));
    await writeFile(join(dir, '.claude/settings.json'), JSON.stringify({ permissions: { allow: ['Bash(npm test)'], deny: ['Read(./.env)'] }, model: 'x' }));
    const first = await initAgent({ dir, agent: 'claude' });
    expect(first.merged).toContain('.claude/settings.json');
    const settings = JSON.parse(await read('.claude/settings.json')) as { permissions: { allow: string[]; deny: string[] }; model: string };
    expect(settings.model).toBe('x');
    expect(settings.permissions.allow).toEqual(['Bash(npm test)']);
    expect(settings.permissions.deny).toEqual(['Read(./.env)', 'Read(./.dlt/secrets.toml)', 'Read(./**/*.secrets.toml)']);
    expect((await initAgent({ dir, agent: 'claude' })).unchanged).toContain('.claude/settings.json');
  });

  it('uses a server command override', async () => {
    await initAgent({ dir, agent: 'claude', serverCommand: { command: 'node', args: ['/opt/bt/dist/src/cli/main.js', 'serve'] } });
    const config = JSON.parse(await read('.mcp.json')) as { mcpServers: Record<string, unknown> };
    expect(config.mcpServers['beyondtrust']).toEqual({ type: 'stdio', command: 'node', args: ['/opt/bt/dist/src/cli/main.js', 'serve'] });
  });
});

describe('init merges into existing configuration', () => {
  it('claude: keeps other servers, top-level keys, CLAUDE.md text and .gitignore lines', async () => {
    await writeFile(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { github: { command: 'gh-mcp', args: [] } }, other: 1 }));
    await writeFile(join(dir, 'CLAUDE.md'), '# My project\n\nUse pnpm.\n');
    await writeFile(join(dir, '.gitignore'), 'node_modules/\n');
    const result = await initAgent({ dir, agent: 'claude' });
    expect(result.merged.sort()).toEqual(['.gitignore', '.mcp.json', 'CLAUDE.md']);
    const config = JSON.parse(await read('.mcp.json')) as { mcpServers: Record<string, unknown>; other: number };
    expect(config.other).toBe(1);
    expect(config.mcpServers['github']).toEqual({ command: 'gh-mcp', args: [] });
    expect(config.mcpServers['beyondtrust']).toBeDefined();
    const claudeMd = await read('CLAUDE.md');
    expect(claudeMd.startsWith('# My project\n\nUse pnpm.\n')).toBe(true);
    expect(claudeMd).toContain(SECTION_START);
    expect((await read('.gitignore')).startsWith('node_modules/\n')).toBe(true);

    const again = await initAgent({ dir, agent: 'claude' });
    expect([...again.written, ...again.merged, ...again.skipped.map((s) => s.path)]).toEqual([]);
  });

  it('claude: an edited beyondtrust entry is kept, and replaced with --overwrite (other servers stay)', async () => {
    const custom = { type: 'stdio', command: 'node', args: ['/my/build/main.js', 'serve'] };
    await writeFile(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { beyondtrust: custom, github: { command: 'gh' } } }, null, 2));
    const kept = await initAgent({ dir, agent: 'claude' });
    expect(kept.skipped.map((s) => s.path)).toEqual(['.mcp.json']);
    expect((JSON.parse(await read('.mcp.json')) as { mcpServers: Record<string, unknown> }).mcpServers['beyondtrust']).toEqual(custom);
    const replaced = await initAgent({ dir, agent: 'claude', overwrite: true });
    expect(replaced.merged).toContain('.mcp.json');
    const config = JSON.parse(await read('.mcp.json')) as { mcpServers: Record<string, unknown> };
    expect(config.mcpServers['beyondtrust']).toEqual({ type: 'stdio', command: 'npx', args: ['-y', 'beyondtrust-mcp', 'serve'] });
    expect(config.mcpServers['github']).toEqual({ command: 'gh' });
  });

  it('cursor: keeps other servers in .cursor/mcp.json and other rules', async () => {
    await mkdir(join(dir, '.cursor/rules'), { recursive: true });
    await writeFile(join(dir, '.cursor/mcp.json'), JSON.stringify({ mcpServers: { postgres: { command: 'pg-mcp', env: { PGHOST: 'db' } } } }));
    await writeFile(join(dir, '.cursor/rules/team.mdc'), '---\ndescription: team rules\nalwaysApply: true\n---\nBe nice.\n');
    await initAgent({ dir, agent: 'cursor' });
    const config = JSON.parse(await read('.cursor/mcp.json')) as { mcpServers: Record<string, unknown> };
    expect(config.mcpServers['postgres']).toEqual({ command: 'pg-mcp', env: { PGHOST: 'db' } });
    expect(config.mcpServers['beyondtrust']).toBeDefined();
    expect(await read('.cursor/rules/team.mdc')).toContain('Be nice.');
  });

  it('codex: keeps other TOML tables and comments, AGENTS.md text; --overwrite refreshes only our table', async () => {
    const userToml = '# my codex settings\nmodel = "o4"\n\n[mcp_servers.github]\ncommand = "gh-mcp"\nargs = ["stdio"] # inline comment\n\n[profiles.fast]\nmodel = "mini"\n';
    await mkdir(join(dir, '.codex'));
    await writeFile(join(dir, '.codex/config.toml'), userToml);
    await writeFile(join(dir, 'AGENTS.md'), '# AGENTS.md\n## Commands\n- npm test\n');
    const first = await initAgent({ dir, agent: 'codex' });
    expect(first.merged.sort()).toEqual(['.codex/config.toml', 'AGENTS.md']);
    const text = await read('.codex/config.toml');
    expect(text.startsWith(userToml)).toBe(true);
    const config = parseToml(text) as Record<string, unknown> & { mcp_servers: Record<string, Record<string, unknown>> };
    expect(config['model']).toBe('o4');
    expect(config['profiles']).toEqual({ fast: { model: 'mini' } });
    expect(config.mcp_servers['github']).toEqual({ command: 'gh-mcp', args: ['stdio'] });
    expect((await read('AGENTS.md')).startsWith('# AGENTS.md\n## Commands\n- npm test\n')).toBe(true);

    // The user edits our table; without --overwrite it stays, with --overwrite only our table changes.
    await writeFile(join(dir, '.codex/config.toml'), text.replace('tool_timeout_sec = 300', 'tool_timeout_sec = 900'));
    expect((await initAgent({ dir, agent: 'codex' })).skipped.map((s) => s.path)).toEqual(['.codex/config.toml']);
    const refreshed = await initAgent({ dir, agent: 'codex', overwrite: true });
    expect(refreshed.merged).toEqual(['.codex/config.toml']);
    const after = await read('.codex/config.toml');
    expect(after.startsWith(userToml)).toBe(true);
    expect((parseToml(after) as { mcp_servers: Record<string, Record<string, unknown>> }).mcp_servers['beyondtrust']!['tool_timeout_sec']).toBe(300);
  });

  it('codex: an edited AGENTS.md section is replaced only with --overwrite, text around it kept', async () => {
    await initAgent({ dir, agent: 'codex' });
    const original = await read('AGENTS.md');
    await writeFile(join(dir, 'AGENTS.md'), `# Top\n\n${original.replace('find-source', 'my-skill')}\n## Bottom\n`);
    expect((await initAgent({ dir, agent: 'codex' })).skipped.map((s) => s.path)).toEqual(['AGENTS.md']);
    await initAgent({ dir, agent: 'codex', overwrite: true });
    const after = await read('AGENTS.md');
    expect(after.startsWith('# Top\n\n')).toBe(true);
    expect(after.endsWith('\n## Bottom\n')).toBe(true);
    expect(after).toContain('find-source');
    expect(after.split(SECTION_START)).toHaveLength(2);
  });

  it('appends to CRLF files with CRLF line endings', async () => {
    await writeFile(join(dir, '.gitignore'), 'node_modules/\r\ndist/\r\n');
    await writeFile(join(dir, 'CLAUDE.md'), '# My project\r\n\r\nUse pnpm.\r\n');
    await writeFile(join(dir, '.mcp.json'), '{\r\n  "mcpServers": {}\r\n}\r\n');
    await initAgent({ dir, agent: 'claude' });
    for (const file of ['.gitignore', 'CLAUDE.md', '.mcp.json']) {
      const text = await read(file);
      expect(text, file).toMatch(/\r\n/);
      expect(text.replaceAll('\r\n', ''), `${file} has a bare LF`).not.toContain('\n');
    }
    expect(await read('.gitignore')).toMatch(/^node_modules\/\r\ndist\/\r\n\r\n# beyondtrust-mcp/);
    expect(await read('CLAUDE.md')).toMatch(/^# My project\r\n\r\nUse pnpm\.\r\n\r\n<!-- beyondtrust-mcp:start -->\r\n/);
    // Idempotent on the CRLF files too.
    const again = await initAgent({ dir, agent: 'claude' });
    expect([...again.written, ...again.merged, ...again.skipped.map((entry) => entry.path)]).toEqual([]);

    await mkdir(join(dir, '.codex'));
    await writeFile(join(dir, '.codex/config.toml'), '# mine\r\nmodel = "o4"\r\n');
    await initAgent({ dir, agent: 'codex' });
    const toml = await read('.codex/config.toml');
    expect(toml.startsWith('# mine\r\nmodel = "o4"\r\n')).toBe(true);
    expect(toml.replaceAll('\r\n', '')).not.toContain('\n');
    expect((parseToml(toml) as { mcp_servers: Record<string, unknown> }).mcp_servers['beyondtrust']).toBeDefined();
  });

  it('refuses to touch anything when a config cannot be parsed', async () => {
    await mkdir(join(dir, '.codex'));
    await writeFile(join(dir, '.codex/config.toml'), '[mcp_servers.github\ncommand = "gh"\n');
    const error = await initAgent({ dir, agent: 'codex' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BtError);
    expect((error as BtError).code).toBe('INIT_CONFIG_UNPARSEABLE');
    expect((error as BtError).message).toContain('.codex/config.toml');
    expect(await listFiles(dir)).toEqual(['.codex/config.toml']);
    expect(await read('.codex/config.toml')).toBe('[mcp_servers.github\ncommand = "gh"\n');

    await writeFile(join(dir, '.mcp.json'), '{ "mcpServers": { // comment\n } }');
    const jsonError = await initAgent({ dir, agent: 'claude' }).catch((e: unknown) => e);
    expect((jsonError as BtError).code).toBe('INIT_CONFIG_UNPARSEABLE');
    expect(await listFiles(dir)).toEqual(['.codex/config.toml', '.mcp.json']);
  });
});

describe('detectAgent', () => {
  it('returns the one agent whose markers are present, else undefined', async () => {
    expect(detectAgent(dir)).toBeUndefined();
    await writeFile(join(dir, 'CLAUDE.md'), '# x\n');
    expect(detectAgent(dir)).toBe('claude');
    await mkdir(join(dir, '.cursor'));
    expect(detectAgent(dir)).toBeUndefined();
  });

  it('finds cursor and codex markers', async () => {
    await writeFile(join(dir, '.cursorrules'), 'x');
    expect(detectAgent(dir)).toBe('cursor');
    const { dir: other, cleanup: cleanupOther } = await withTempDir('detect');
    try {
      await mkdir(join(other, '.codex'));
      expect(detectAgent(other)).toBe('codex');
    } finally {
      await cleanupOther();
    }
  });

  it('counts .mcp.json as Claude Code, and neither AGENTS.md, .agents/ nor a .codex file as Codex', async () => {
    await writeFile(join(dir, '.mcp.json'), '{"mcpServers": {}}\n');
    expect(detectAgent(dir)).toBe('claude');
    const { dir: other, cleanup: cleanupOther } = await withTempDir('detect-shared');
    try {
      // AGENTS.md and .agents/ are read by several agents (Cursor among them): no agent is inferred from them.
      await writeFile(join(other, 'AGENTS.md'), '# a\n');
      await mkdir(join(other, '.agents'));
      await writeFile(join(other, '.codex'), 'not a folder');
      expect(detectAgent(other)).toBeUndefined();
      await mkdir(join(other, '.cursor'));
      expect(detectAgent(other)).toBe('cursor');
    } finally {
      await cleanupOther();
    }
  });

  it('lets init run without --agent when exactly one agent is detected, and fails clearly otherwise', async () => {
    await expect(initAgent({ dir })).rejects.toMatchObject({ code: 'INIT_AGENT_UNKNOWN' });
    await mkdir(join(dir, '.codex'));
    const result = await initAgent({ dir });
    expect(result.agent).toBe('codex');
  });
});

describe('beyondtrust-mcp init (CLI)', () => {
  it('prints what it wrote and the next step', async () => {
    const output: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    expect(await runInitCommand(['--agent', 'claude', '--dir', dir, '--server-command', 'node /x/main.js serve'])).toBe(0);
    const text = output.join('');
    expect(text).toContain('wrote     .mcp.json');
    expect(text).toContain('Next step: Restart Claude Code and ask it to load your BeyondTrust data — it starts with the find-source skill.');
    const config = JSON.parse(await read('.mcp.json')) as { mcpServers: Record<string, unknown> };
    expect(config.mcpServers['beyondtrust']).toEqual({ type: 'stdio', command: 'node', args: ['/x/main.js', 'serve'] });
  });

  it('rejects an unknown agent', async () => {
    await expect(runInitCommand(['--agent', 'vim', '--dir', dir])).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });
});
