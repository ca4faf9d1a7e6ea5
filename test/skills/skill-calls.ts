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
  scaffold_pipeline: ['resources', 'overwrite'],
  preview_endpoint: ['table', 'pages', 'max_records'],
  run_pipeline: ['resources', 'dev_limit', 'wait_seconds', 'cancel_run_id'],
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

/** UPPER_SNAKE error codes in a text (BT_HTTP_5xx included); environment variable names are not codes. */
export function errorCodesIn(text: string): string[] {
  const codes = new Set<string>();
  for (const match of text.matchAll(/\b[A-Z][A-Z0-9]*(?:_(?:[A-Z0-9]+|\dxx))+\b/g)) {
    const code = match[0];
    if (code.startsWith('SOURCES_') || code.startsWith('BEYONDTRUST_')) continue;
    codes.add(code);
  }
  return [...codes];
}

/** The JSON Schema subset the SDK advertises for tool output (zod → JSON Schema). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
}

export interface FieldMention {
  /** A result field as written, e.g. "status" or "error.code". */
  field: string;
  /** Set when the sentence reads the field "of `container`" (an array of objects in the result). */
  container?: string;
  /** Written as "the top-level `field`". */
  topLevel: boolean;
  /** The tools called in the same list item: the field must be in one of their results. */
  tools: string[];
  line: number;
}

const READ_SENTENCE = /^(Check|Read|Look at|Expect|In the newest entry of|In each entry of)\b/;
const FIELD_SPAN = /(top-level\s+)?`([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)`/g;
const CONTAINER = /\bof `([a-z_][a-z0-9_]*)`((?:\s*\/\s*`[a-z_][a-z0-9_]*`)*)/;

/**
 * Result fields a skill tells the agent to read: in a numbered list item that makes tool calls, the code spans of
 * sentences starting with Check / Read / Look at / Expect / "In the newest entry of". Text in parentheses
 * (examples, values) and names with "__" (child table names) are not fields.
 */
export function fieldMentions(markdown: string): FieldMention[] {
  const items: { line: number; text: string[] }[] = [];
  let current: { line: number; text: string[] } | undefined;
  let inFence = false;
  markdown.split('\n').forEach((text, index) => {
    if (text.trimStart().startsWith('```')) inFence = !inFence;
    if (inFence) return;
    if (/^\s*\d+\.\s/.test(text)) {
      // The bold step title is a heading, not the start of a sentence about fields.
      current = { line: index + 1, text: [text.replace(/^\s*\d+\.\s+(\*\*[^*]+\*\*[:.]?\s*)?/, '')] };
      items.push(current);
    } else if (current && /^\s+\S/.test(text)) current.text.push(text.trim());
    else current = undefined;
  });
  const mentions: FieldMention[] = [];
  for (const item of items) {
    const joined = item.text.join(' ');
    const tools = [...new Set([...joined.matchAll(CALL)].map((match) => match[1]!))];
    if (tools.length === 0) continue;
    const prose = joined.replace(CALL, ' ');
    for (const sentence of prose.split(/(?<!\b(?:e\.g|i\.e))(?:\.\s+(?=[A-Z`])|:\s+(?=[A-Z]))/)) {
      let text = sentence.trim();
      if (!READ_SENTENCE.test(text)) continue;
      while (/\([^()]*\)/.test(text)) text = text.replace(/\([^()]*\)/g, ' ');
      const container = CONTAINER.exec(text);
      const containers = container ? [container[1]!, ...[...container[2]!.matchAll(/`([a-z_][a-z0-9_]*)`/g)].map((m) => m[1]!)] : [];
      const scopedFrom = container ? container.index + container[0].length : Number.POSITIVE_INFINITY;
      for (const match of text.matchAll(FIELD_SPAN)) {
        const field = match[2]!;
        if (field.includes('__') || containers.includes(field)) continue;
        const topLevel = match[1] !== undefined;
        const scoped = !topLevel && match.index >= scopedFrom;
        for (const scope of scoped ? containers : [undefined]) {
          mentions.push({ field, ...(scope === undefined ? { container: undefined } : { container: scope }), topLevel, tools, line: item.line });
        }
      }
    }
  }
  return mentions;
}

/** The object schemas a schema stands for: itself, array items, anyOf/oneOf/allOf branches. */
function objectNodes(schema: JsonSchema | undefined): JsonSchema[] {
  if (!schema || typeof schema !== 'object') return [];
  const nodes: JsonSchema[] = schema.properties ? [schema] : [];
  if (schema.items) nodes.push(...objectNodes(schema.items));
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) nodes.push(...objectNodes(branch));
  return nodes;
}

function allObjectNodes(schema: JsonSchema): JsonSchema[] {
  const seen: JsonSchema[] = [];
  const visit = (node: JsonSchema): void => {
    for (const object of objectNodes(node)) {
      if (seen.includes(object)) continue;
      seen.push(object);
      for (const property of Object.values(object.properties ?? {})) visit(property);
    }
  };
  visit(schema);
  return seen;
}

function resolvesFrom(nodes: JsonSchema[], path: readonly string[]): boolean {
  if (path.length === 0) return true;
  return nodes.some((node) => {
    const property = node.properties?.[path[0]!];
    if (property === undefined) return false;
    return path.length === 1 || resolvesFrom(objectNodes(property), path.slice(1));
  });
}

/** Whether a mention names a field of this output schema (inside its container, at the top level, or anywhere). */
export function resolvesField(schema: JsonSchema, mention: Pick<FieldMention, 'field' | 'container' | 'topLevel'>): boolean {
  const path = mention.field.split('.');
  if (mention.container !== undefined) {
    const holders = allObjectNodes(schema).filter((node) => node.properties?.[mention.container!] !== undefined);
    return holders.length > 0 && holders.every((node) => resolvesFrom(objectNodes(node.properties![mention.container!]), path));
  }
  if (mention.topLevel) return resolvesFrom(objectNodes(schema), path);
  return allObjectNodes(schema).some((node) => resolvesFrom([node], path));
}
