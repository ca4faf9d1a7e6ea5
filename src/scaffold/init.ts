/**
 * `beyondtrust-mcp init --agent claude|cursor|codex`: installs the skills, rules, ignore entries and the MCP server
 * registration for one agent. Merges into the user's files without destroying anything, is idempotent (a second run
 * changes nothing), and refreshes our own files only with `overwrite`. All changes are computed before the first
 * write, so an unparseable config aborts the whole run with nothing written.
 */
import { statSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BtError } from '../errors.js';
import { AGENT_LABELS, AGENT_NAMES, plannedFiles, type AgentName } from './agent-files.js';
import { DEFAULT_SERVER_COMMAND, type ServerCommand } from './mcp-registration.js';
import { defaultSkillsDir, loadSkills } from './skills-source.js';
import { writeTextFile } from './write-file.js';

export type { AgentName } from './agent-files.js';
export { AGENT_NAMES } from './agent-files.js';

export interface InitOptions {
  dir: string;
  agent?: AgentName;
  overwrite?: boolean;
  /** Default `npx -y beyondtrust-mcp serve`. */
  serverCommand?: ServerCommand;
  /** Default: the package's skills/ folder, found from this module's location (works from src and dist). */
  skillsDir?: string;
}

export interface InitResult {
  agent: AgentName;
  /** Files created, or our own files replaced with `overwrite`. Paths relative to `dir`, "/"-separated. */
  written: string[];
  /** Files that already had exactly what we would write. */
  unchanged: string[];
  /** Existing user files we added our entries to (or refreshed our entry in, with `overwrite`). */
  merged: string[];
  /** Our files / entries that the user changed; kept as they are because `overwrite` was not given. */
  skipped: { path: string; reason: string }[];
  next_step: string;
}

/**
 * Files or folders only that agent creates. AGENTS.md and .agents/ are shared conventions read by several agents
 * (Cursor too), so they say nothing about which one is used; a folder marker must be a folder.
 */
const AGENT_MARKERS: Record<AgentName, readonly { path: string; folder?: true }[]> = {
  claude: [{ path: '.claude', folder: true }, { path: 'CLAUDE.md' }, { path: '.mcp.json' }],
  cursor: [{ path: '.cursor', folder: true }, { path: '.cursorrules' }, { path: '.cursorignore' }],
  codex: [{ path: '.codex', folder: true }],
};

function hasMarker(dir: string, marker: { path: string; folder?: true }): boolean {
  try {
    const info = statSync(join(dir, marker.path));
    return marker.folder ? info.isDirectory() : true;
  } catch {
    return false;
  }
}

/** The agent whose markers are in `dir`, when exactly one agent's are; otherwise undefined. */
export function detectAgent(dir: string): AgentName | undefined {
  const found = detectAgents(dir);
  return found.length === 1 ? found[0] : undefined;
}

export function detectAgents(dir: string): AgentName[] {
  return AGENT_NAMES.filter((agent) => AGENT_MARKERS[agent].some((marker) => hasMarker(dir, marker)));
}

export function nextStep(agent: AgentName): string {
  return `Restart ${AGENT_LABELS[agent]} and ask it to load your BeyondTrust data — it starts with the find-source skill.`;
}

export async function initAgent(options: InitOptions): Promise<InitResult> {
  const dir = resolve(options.dir);
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new BtError('INIT_DIR_NOT_FOUND', `Directory ${dir} does not exist.`, {
      hint: 'Create the project directory first, or pass --dir pointing at it.',
      details: { step: 'init' },
    });
  }
  const agent = options.agent ?? detectAgent(dir);
  if (agent === undefined) {
    const found = detectAgents(dir);
    throw new BtError(
      'INIT_AGENT_UNKNOWN',
      found.length === 0 ? `No agent detected in ${dir}.` : `Several agents detected in ${dir}: ${found.join(', ')}.`,
      { hint: 'Pass --agent claude, --agent cursor or --agent codex.', details: { step: 'init' } },
    );
  }
  if (!AGENT_NAMES.includes(agent)) {
    throw new BtError('INIT_AGENT_UNKNOWN', `Unknown agent ${JSON.stringify(agent)}.`, {
      hint: `Use one of: ${AGENT_NAMES.join(', ')}.`,
      details: { step: 'init' },
    });
  }
  const overwrite = options.overwrite === true;
  const skills = await loadSkills(options.skillsDir ?? defaultSkillsDir());
  const plan = plannedFiles(agent, skills, options.serverCommand ?? DEFAULT_SERVER_COMMAND);

  // Decide everything first: a parse error in any file must leave every file untouched.
  const result: InitResult = { agent, written: [], unchanged: [], merged: [], skipped: [], next_step: nextStep(agent) };
  const writes: { path: string; text: string; exclusive: boolean; mode?: number }[] = [];
  for (const planned of plan) {
    const target = join(dir, ...planned.path.split('/'));
    const existing = await readIfExists(target, planned.path);
    if (planned.kind === 'own') {
      if (existing === planned.content) result.unchanged.push(planned.path);
      else if (existing !== undefined && !overwrite) {
        result.skipped.push({ path: planned.path, reason: 'differs from the packaged version; run init with --overwrite to refresh it' });
      } else {
        writes.push({ path: planned.path, text: planned.content, exclusive: existing === undefined });
        result.written.push(planned.path);
      }
      continue;
    }
    const change = planned.merge(existing, overwrite);
    switch (change.kind) {
      case 'unchanged':
        result.unchanged.push(planned.path);
        break;
      case 'differs':
        result.skipped.push({ path: planned.path, reason: 'our beyondtrust entry there was edited; kept as is (run init with --overwrite to refresh it)' });
        break;
      default:
        writes.push({ path: planned.path, text: change.text, exclusive: existing === undefined });
        (existing === undefined ? result.written : result.merged).push(planned.path);
    }
  }
  for (const write of writes) {
    const target = join(dir, ...write.path.split('/'));
    const mode = write.exclusive ? undefined : (await lstat(target)).mode & 0o777;
    await writeTextFile(target, write.text, { exclusive: write.exclusive, ...(mode === undefined ? {} : { mode }) });
  }
  return result;
}

async function readIfExists(path: string, shown: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new BtError('INIT_FILE_UNREADABLE', `Cannot read ${shown} (${code ?? 'error'}).`, {
      hint: 'Check the permissions of the file, or move it aside and run init again.',
      details: { step: 'init', file: shown },
      cause: error,
    });
  }
}
