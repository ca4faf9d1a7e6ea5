/** A section of a user's Markdown file (CLAUDE.md, AGENTS.md) that we own, delimited by HTML comment markers. */
import { lineEndingOf, withLineEnding } from './line-endings.js';
import type { MergeChange } from './merge-change.js';

export const SECTION_START = '<!-- beyondtrust-mcp:start -->';
export const SECTION_END = '<!-- beyondtrust-mcp:end -->';

/**
 * Puts `body` between the markers: appended when absent, left alone when identical, replaced only with `overwrite`
 * (else reported as `differs`). Text outside the markers is never touched.
 */
export function upsertMarkedSection(existing: string | undefined, body: string, overwrite: boolean): MergeChange {
  const text = existing ?? '';
  const eol = lineEndingOf(text);
  const section = withLineEnding(`${SECTION_START}\n${body.trimEnd()}\n${SECTION_END}`, eol);
  const start = text.indexOf(SECTION_START);
  const end = start === -1 ? -1 : text.indexOf(SECTION_END, start);
  if (start === -1 || end === -1) {
    if (text.trim() === '') return { kind: 'added', text: `${section}${eol}` };
    const separator = text.endsWith(`${eol}${eol}`) ? '' : text.endsWith('\n') ? eol : `${eol}${eol}`;
    return { kind: 'added', text: `${text}${separator}${section}${eol}` };
  }
  const current = text.slice(start, end + SECTION_END.length);
  if (current === section) return { kind: 'unchanged' };
  if (!overwrite) return { kind: 'differs' };
  return { kind: 'replaced', text: `${text.slice(0, start)}${section}${text.slice(end + SECTION_END.length)}` };
}
