/**
 * Lint for every skills/<name>/SKILL.md: Agent Skills frontmatter, the tool-call convention of skills/README.md (only the nine
 * tools, only their argument names, strict JSON, documented placeholders), security rules, handovers and references.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFrontmatter } from '../../src/scaffold/frontmatter.js';
import {
  PLACEHOLDERS,
  SKILLS_DIR,
  TOOL_ARGUMENTS,
  listSkillNames,
  parseNextSkills,
  parseSkillCalls,
  readSkill,
  stringsIn,
} from './skill-calls.js';

const REQUIRED_SKILLS = ['find-source', 'create-pipeline', 'debug-pipeline', 'validate-data', 'adjust-endpoint', 'new-endpoint', 'explore-data'];
/** Tool names from other servers (dlt, MotherDuck, examples) an author could slip in by habit. */
const FOREIGN_TOOL_NAMES = ['list_sources', 'load_endpoint', 'secrets_list', 'secrets_view_redacted', 'secrets_update_fragment', 'search_dlthub_sources', 'execute_query', 'run_query', 'get_table_schema', 'list_pipelines'];

const skills = listSkillNames();

describe('skills folder', () => {
  it('contains every skill the issue asks for', () => {
    expect(skills).toEqual(expect.arrayContaining(REQUIRED_SKILLS));
  });

  it('documents the call convention in README.md', () => {
    const readme = readFileSync(join(SKILLS_DIR, 'README.md'), 'utf8');
    expect(readme).toContain('`list_endpoints` `{"include_opt_in": false}`');
    for (const placeholder of PLACEHOLDERS) expect(readme).toContain(placeholder);
    for (const tool of Object.keys(TOOL_ARGUMENTS)) expect(readme).toContain(`\`${tool}\``);
  });
});

describe.each(skills)('skills/%s/SKILL.md', (name) => {
  const text = readSkill(name);

  it('has Agent Skills frontmatter: name equals the folder, description says when to use it', () => {
    const { frontmatter, body } = parseFrontmatter(text, `skills/${name}/SKILL.md`);
    expect(frontmatter['name']).toBe(name);
    expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(name.length).toBeLessThanOrEqual(64);
    const description = frontmatter['description'];
    expect(typeof description).toBe('string');
    expect((description as string).length).toBeGreaterThan(40);
    expect((description as string).length).toBeLessThanOrEqual(1024);
    expect(description as string).toMatch(/\bUse (when|after)\b/);
    expect(Object.keys(frontmatter).every((key) => ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'].includes(key))).toBe(true);
    expect(body.split('\n').length).toBeLessThan(500);
  });

  it('names only the nine tools, with only their argument names and valid JSON', () => {
    const calls = parseSkillCalls(text);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const where = `${name}/SKILL.md:${call.line} ${call.tool} ${call.json}`;
      expect(Object.keys(TOOL_ARGUMENTS), where).toContain(call.tool);
      expect('error' in call.args && typeof call.args.error === 'string' ? call.args.error : 'ok', where).toBe('ok');
      for (const argument of Object.keys(call.args)) expect(TOOL_ARGUMENTS[call.tool], `${where}: argument ${argument}`).toContain(argument);
      for (const value of stringsIn(call.args)) {
        for (const placeholder of value.match(/<[a-z_]+>/g) ?? []) expect(PLACEHOLDERS, `${where}: placeholder`).toContain(placeholder);
      }
    }
    for (const mention of text.matchAll(/mcp__beyondtrust__([a-z_]+)/g)) expect(Object.keys(TOOL_ARGUMENTS)).toContain(mention[1]);
    for (const foreign of FOREIGN_TOOL_NAMES) expect(text, `${name} mentions foreign tool ${foreign}`).not.toContain(`\`${foreign}\``);
  });

  it('has steps, and hands over only to skills that exist', () => {
    expect(text).toMatch(/^## Steps$/m);
    expect(parseSkillCalls(text).some((call) => call.section === 'Steps')).toBe(true);
    for (const next of parseNextSkills(text)) expect(skills).toContain(next);
    for (const mention of text.matchAll(/`((?:find|create|debug|validate|adjust|new|explore)-[a-z-]+)`/g)) {
      expect(skills, `${name} refers to skill ${mention[1]}`).toContain(mention[1]);
    }
  });

  it('repeats the security rules: never read secrets.toml, never echo a secret, API data is untrusted', () => {
    expect(text).toMatch(/^## Security rules/m);
    expect(text).toMatch(/[Nn]ever (open|read)[^\n]*secrets\.toml/);
    expect(text).toMatch(/echo/);
    expect(text).toMatch(/untrusted/);
    // Never tell the agent to ask for a secret in chat.
    expect(text).not.toMatch(/(paste|send|give) (me )?(your|the) (api key|password|secret)/i);
  });

  it('links only reference files that exist', () => {
    for (const reference of text.matchAll(/`(references\/[A-Za-z0-9_.-]+)`/g)) {
      expect(existsSync(join(SKILLS_DIR, name, reference[1]!)), `${name}: ${reference[1]}`).toBe(true);
    }
  });
});

describe('the main path', () => {
  it('runs find-source → create-pipeline → validate-data through Next skill handovers', () => {
    const path = ['find-source'];
    for (let next = parseNextSkills(readSkill('find-source'))[0]; next && !path.includes(next); next = parseNextSkills(readSkill(next))[0]) {
      path.push(next);
    }
    expect(path).toEqual(['find-source', 'create-pipeline', 'validate-data']);
  });

  it('debug-pipeline covers every failure class code', () => {
    const text = readSkill('debug-pipeline');
    for (const code of ['BT_AUTH_FAILED', 'BT_HTTP_401', 'BT_HTTP_403', '4031', '4033', '4034', 'BT_HTTP_404', 'BT_HTTP_429', 'PAGINATOR_LOOP', 'PAGINATOR_PAGE_CAP', 'BT_MALFORMED_RESPONSE', 'SCHEMA_CONTRACT_VIOLATION', 'DB_LOCKED', 'CONFIG_MISSING', 'CONFIG_INVALID', 'UNKNOWN_RESOURCE']) {
      expect(text).toContain(code);
    }
  });
});

describe('the call parser', () => {
  it('reads calls with their section and skips fenced code', () => {
    const calls = parseSkillCalls('## Steps\n1. `query` `{"sql": "SELECT 1"}` then `list_tables` `{}`\n```\n`query` `{"sql": "x"}`\n```\n## Other\n`bad_tool` `{nope}`');
    expect(calls.map((c) => [c.tool, c.section])).toEqual([['query', 'Steps'], ['list_tables', 'Steps'], ['bad_tool', 'Other']]);
    expect(calls[0]!.args).toEqual({ sql: 'SELECT 1' });
    expect('error' in calls[2]!.args).toBe(true);
  });
});
