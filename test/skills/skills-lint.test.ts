/**
 * Lint for every skills/<name>/SKILL.md: Agent Skills frontmatter, the tool-call convention of skills/README.md (only the nine
 * tools, only their argument names, strict JSON, documented placeholders), security rules, handovers and references.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrontmatter } from '../../src/scaffold/frontmatter.js';
import { connect, tempProject } from '../mcp/support/harness.js';
import type { Connected } from '../mcp/support/harness.js';
import {
  PLACEHOLDERS,
  SKILLS_DIR,
  TOOL_ARGUMENTS,
  type JsonSchema,
  errorCodesIn,
  fieldMentions,
  listSkillNames,
  resolvesField,
  parseNextSkills,
  parseSkillCalls,
  readSkill,
  stringsIn,
} from './skill-calls.js';

const REQUIRED_SKILLS = ['find-source', 'create-pipeline', 'debug-pipeline', 'validate-data', 'adjust-endpoint', 'new-endpoint', 'explore-data'];
/** Tool names from other servers (dlt, MotherDuck, examples) an author could slip in by habit. */
const FOREIGN_TOOL_NAMES = ['list_sources', 'load_endpoint', 'secrets_list', 'secrets_view_redacted', 'secrets_update_fragment', 'search_dlthub_sources', 'execute_query', 'run_query', 'get_table_schema', 'list_pipelines'];

const skills = listSkillNames();

/** Every src/**.ts file's text, to check that an error code a skill names is one the code can produce. */
function sourceText(): string {
  const root = fileURLToPath(new URL('../../src/', import.meta.url));
  const texts: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return texts.join('\n');
}
const SOURCE = sourceText();

/** A code is real when the source spells it as a string literal; BT_HTTP_<status> codes are built from the status. */
function codeExists(code: string): boolean {
  if (/^BT_HTTP_(\d{3}|\dxx)$/.test(code)) return SOURCE.includes('`BT_HTTP_${');
  return [`'${code}'`, `"${code}"`, `\`${code}\``].some((literal) => SOURCE.includes(literal));
}

/** Skill text plus its references/*.md. */
function skillTexts(name: string): string {
  const references = join(SKILLS_DIR, name, 'references');
  const extra = existsSync(references)
    ? readdirSync(references).filter((file) => file.endsWith('.md')).map((file) => readFileSync(join(references, file), 'utf8'))
    : [];
  return [readSkill(name), ...extra].join('\n');
}

let server: Connected;
let serverProject: Awaited<ReturnType<typeof tempProject>>;
const outputSchemas = new Map<string, JsonSchema>();
beforeAll(async () => {
  serverProject = await tempProject('bt-skills-lint-');
  server = await connect({ projectDir: serverProject.dir });
  for (const tool of (await server.client.listTools()).tools) outputSchemas.set(tool.name, tool.outputSchema as JsonSchema);
});
afterAll(async () => {
  await server.close();
  await serverProject.remove();
});

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
    // Agents load every skill's description up front; keep each one short.
    expect((description as string).length, `${name} description length`).toBeLessThanOrEqual(500);
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

  it('names only error codes the source can produce', () => {
    for (const code of errorCodesIn(skillTexts(name))) expect(codeExists(code), `${name} names error code ${code}, which src/ never produces`).toBe(true);
  });

  it('tells the agent to read only result fields the tools return', () => {
    for (const mention of fieldMentions(text)) {
      const where = `${name}/SKILL.md:${mention.line} ${mention.tools.join('/')} → \`${mention.field}\`${mention.container ? ` in ${mention.container}` : ''}`;
      const found = mention.tools.some((tool) => {
        const schema = outputSchemas.get(tool);
        return schema !== undefined && resolvesField(schema, mention);
      });
      expect(found, where).toBe(true);
    }
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
    for (const code of ['BT_AUTH_FAILED', 'BT_HTTP_401', 'BT_HTTP_403', '4031', '4033', '4034', 'BT_HTTP_404', 'BT_HTTP_429', 'PAGINATOR_LOOP', 'PAGINATOR_PAGE_CAP', 'BT_MALFORMED_RESPONSE', 'SCHEMA_CONTRACT_VIOLATION', 'DB_LOCKED', 'CONFIG_MISSING', 'CONFIG_INVALID', 'UNKNOWN_ENDPOINT']) {
      expect(text).toContain(code);
    }
  });

  it('debug-pipeline covers the codes the tools themselves answer with', () => {
    const text = readSkill('debug-pipeline');
    const codes = [
      'SQL_ERROR', 'SQL_NOT_READ_ONLY', 'SQL_MULTIPLE_STATEMENTS', 'SQL_TIMEOUT', 'SQL_BAD_CURSOR', 'TABLE_NOT_FOUND', 'DATASET_NOT_FOUND',
      'DB_OPEN_FAILED', 'RUN_NOT_FOUND', 'RUN_NOT_RUNNING', 'RUN_IN_PROGRESS', 'CANCELLED', 'INVALID_ARGUMENT', 'SCAFFOLD_PATH_OUTSIDE_PROJECT',
      'HTTP_NETWORK', 'HTTP_TIMEOUT', 'HTTP_TLS', 'INTERNAL',
    ];
    for (const code of codes) {
      expect(text, code).toContain(`\`${code}\``);
      expect(codeExists(code), code).toBe(true);
    }
  });
});

describe('the field-mention parser', () => {
  it('reads fields after Check/Read/Expect in list items with calls, scoped to "of `container`", skipping parentheses', () => {
    const markdown = [
      '## Steps',
      '1. **Look**:',
      '   `pipeline_info` `{}`',
      '   In the newest entry of `last_runs` check `status` (`completed`), `error.code`, and the top-level `state`.',
      '   Expect `db_exists` (e.g. `x_y`) and `parent__child` tables.',
      '2. Nothing to read: `query` `{"sql": "SELECT 1"}` then check `rows`.',
    ].join('\n');
    const mentions = fieldMentions(markdown).map(({ field, container, topLevel, tools }) => ({ field, container, topLevel, tools }));
    expect(mentions).toEqual([
      { field: 'status', container: 'last_runs', topLevel: false, tools: ['pipeline_info'] },
      { field: 'error.code', container: 'last_runs', topLevel: false, tools: ['pipeline_info'] },
      { field: 'state', container: undefined, topLevel: true, tools: ['pipeline_info'] },
      { field: 'db_exists', container: undefined, topLevel: false, tools: ['pipeline_info'] },
    ]);
  });

  it('resolves fields against a JSON schema: nested, inside arrays, top level only when asked', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        state: {},
        last_runs: { type: 'array', items: { type: 'object', properties: { status: {}, error: { anyOf: [{ type: 'object', properties: { code: {} } }] } } } },
      },
    };
    const mention = (field: string, extra: Partial<Parameters<typeof resolvesField>[1]> = {}) => ({ field, topLevel: false, ...extra });
    expect(resolvesField(schema, mention('error.code', { container: 'last_runs' }))).toBe(true);
    expect(resolvesField(schema, mention('schema_changes', { container: 'last_runs' }))).toBe(false);
    expect(resolvesField(schema, mention('code'))).toBe(true);
    expect(resolvesField(schema, mention('code', { topLevel: true }))).toBe(false);
    expect(resolvesField(schema, mention('state', { topLevel: true }))).toBe(true);
  });

  it('finds error codes but not env var names', () => {
    expect(errorCodesIn('`SQL_ERROR`, BT_HTTP_5xx and SOURCES__BEYONDTRUST_SOURCE__API_KEY, BEYONDTRUST_MCP_PROJECT_DIR')).toEqual(['SQL_ERROR', 'BT_HTTP_5xx']);
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
