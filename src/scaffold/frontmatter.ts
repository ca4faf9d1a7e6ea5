/**
 * The YAML frontmatter subset skills and Cursor rules use: `key: scalar` lines and one level of nested
 * `key:` maps indented by two spaces. Strict on purpose: anything real YAML would read differently (a plain scalar
 * containing ": " or " #", tabs, multi-line values) is rejected, so what passes here means the same to every agent.
 */
import { BtError } from '../errors.js';

export type FrontmatterValue = string | boolean | number | Record<string, string | boolean | number>;
export type Frontmatter = Record<string, FrontmatterValue>;

export interface ParsedDocument {
  frontmatter: Frontmatter;
  body: string;
}

const FENCE = '---';
const KEY = /^([A-Za-z][A-Za-z0-9_-]*):(?: (.*))?$/;

function invalid(file: string, line: number, problem: string): BtError {
  return new BtError('FRONTMATTER_INVALID', `${file}: frontmatter line ${line}: ${problem}.`, {
    hint: 'Use single-line "key: value" pairs; quote values that contain ": ", " #" or start with a special character.',
  });
}

export function parseFrontmatter(text: string, file = 'document'): ParsedDocument {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== FENCE) throw invalid(file, 1, 'the file must start with "---"');
  const end = lines.indexOf(FENCE, 1);
  if (end === -1) throw invalid(file, 1, 'no closing "---"');
  const frontmatter: Frontmatter = {};
  let openMap: { key: string; map: Record<string, string | boolean | number> } | undefined;
  for (let i = 1; i < end; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    if (raw.includes('\t')) throw invalid(file, lineNo, 'tabs are not allowed');
    const nested = raw.startsWith('  ');
    const match = KEY.exec(nested ? raw.slice(2) : raw);
    if (!match) throw invalid(file, lineNo, `expected "key: value", got ${JSON.stringify(raw)}`);
    const key = match[1]!;
    const rawValue = match[2];
    if (nested) {
      if (!openMap) throw invalid(file, lineNo, 'indented line outside a map');
      if (rawValue === undefined || rawValue.trim() === '') throw invalid(file, lineNo, 'nested maps go one level deep only');
      if (key in openMap.map) throw invalid(file, lineNo, `duplicate key "${key}"`);
      openMap.map[key] = parseScalar(rawValue, file, lineNo);
      continue;
    }
    if (key in frontmatter) throw invalid(file, lineNo, `duplicate key "${key}"`);
    if (rawValue === undefined || rawValue.trim() === '') {
      const map: Record<string, string | boolean | number> = {};
      frontmatter[key] = map;
      openMap = { key, map };
      continue;
    }
    openMap = undefined;
    frontmatter[key] = parseScalar(rawValue, file, lineNo);
  }
  return { frontmatter, body: lines.slice(end + 1).join('\n') };
}

function parseScalar(raw: string, file: string, line: number): string | boolean | number {
  const value = raw.trim();
  if (value.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // fall through
    }
    throw invalid(file, line, 'bad double-quoted string');
  }
  if (value.startsWith("'")) {
    if (!value.endsWith("'") || value.length < 2) throw invalid(file, line, 'bad single-quoted string');
    const inner = value.slice(1, -1);
    if (/'(?!')/.test(inner.replace(/''/g, ''))) throw invalid(file, line, 'unescaped quote in single-quoted string');
    return inner.replace(/''/g, "'");
  }
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (/^[[\]{}&*!|>%@`,?:-]/.test(value) && !/^-[^ ]/.test(value)) throw invalid(file, line, `plain value may not start with "${value[0]}"`);
  if (value.includes(': ') || value.endsWith(':')) throw invalid(file, line, 'plain value contains ": " (quote it)');
  if (value.includes(' #')) throw invalid(file, line, 'plain value contains " #" (quote it)');
  return value;
}

/** A value as a YAML scalar: plain when that reads back identically, else double-quoted (JSON strings are valid YAML). */
export function formatScalar(value: string | boolean | number): string {
  if (typeof value !== 'string') return String(value);
  try {
    if (value !== '' && value.trim() === value && !/[\n\r"']/.test(value) && parseScalar(value, '', 0) === value) return value;
  } catch {
    // needs quoting
  }
  return JSON.stringify(value);
}

export function formatFrontmatter(frontmatter: Frontmatter): string {
  const lines = [FENCE];
  for (const [key, value] of Object.entries(frontmatter)) {
    if (typeof value === 'object') {
      lines.push(`${key}:`);
      for (const [nestedKey, nestedValue] of Object.entries(value)) lines.push(`  ${nestedKey}: ${formatScalar(nestedValue)}`);
    } else {
      lines.push(`${key}: ${formatScalar(value)}`);
    }
  }
  lines.push(FENCE);
  return `${lines.join('\n')}\n`;
}
