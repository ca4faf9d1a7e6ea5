/**
 * Parser for the tool-call convention of skills/README.md: two adjacent code spans, `tool_name` `{json}`.
 * Shared by the lint test and the walk-through test.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SKILLS_DIR = fileURLToPath(new URL('../../skills/', import.meta.url));

/** The nine MCP tools and their argument names (the contract of design.md 2.4 and the MCP brief). */
export const TOOL_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  list_endpoints: ['filter', 'include_opt_in'],
  check_credentials: ['live'],
  scaffold_pipeline: ['resources', 'overwrite', 'directory'],
  preview_endpoint: ['table', 'pages', 'max_records'],
  run_pipeline: ['resources', 'dev_limit', 'wait_seconds'],
  pipeline_info: ['pipeline_name', 'run_id'],
  list_tables: ['include_system'],
  describe_table: ['table', 'stats'],
  query: ['sql', 'max_rows', 'cursor'],
};

/** Placeholders documented in skills/README.md. */
export const PLACEHOLDERS: readonly string[] = ['<table>', '<tables>', '<keyword>', '<run_id>', '<pipeline_name>', '<primary_key>'];

export interface SkillCall {
  tool: string;
  /** The JSON text as written. */
  json: string;
  /** Parsed arguments, or the JSON error. */
  args: Record<string, unknown> | { error: string };
  line: number;
  /** The "## " section the call is in. */
  section: string;
}

const CALL = /`([A-Za-z][A-Za-z0-9_]*)` `(\{[^`]*\})`/g;

export function parseSkillCalls(markdown: string): SkillCall[] {
  const calls: SkillCall[] = [];
  let section = '';
  let inFence = false;
  markdown.split('\n').forEach((text, index) => {
    if (text.trimStart().startsWith('```')) inFence = !inFence;
    if (inFence) return;
    const heading = /^##\s+(.*)$/.exec(text);
    if (heading) section = heading[1]!.trim();
    for (const match of text.matchAll(CALL)) {
      const json = match[2]!;
      let args: SkillCall['args'];
      try {
        const parsed: unknown = JSON.parse(json);
        args = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { error: 'not an object' };
      } catch (error) {
        args = { error: (error as Error).message };
      }
      calls.push({ tool: match[1]!, json, args, line: index + 1, section });
    }
  });
  return calls;
}

/** `Next skill: \`name\`` lines. */
export function parseNextSkills(markdown: string): string[] {
  return [...markdown.matchAll(/^Next skill: `([a-z0-9-]+)`\s*$/gm)].map((m) => m[1]!);
}

export function listSkillNames(): string[] {
  return readdirSync(SKILLS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(SKILLS_DIR, entry.name, 'SKILL.md')))
    .map((entry) => entry.name)
    .sort();
}

export function readSkill(name: string): string {
  return readFileSync(join(SKILLS_DIR, name, 'SKILL.md'), 'utf8');
}

/** Strings of a parsed value, recursively (to find placeholders). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
