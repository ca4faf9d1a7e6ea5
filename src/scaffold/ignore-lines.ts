/** Merging entries into .gitignore-style files: append only the lines that are missing, keep everything else. */
import { lineEndingOf } from './line-endings.js';

export const IGNORE_BLOCK_HEADER = '# beyondtrust-mcp: keep credentials and local data out of git and away from agents';

/** Returns the new file text, or the same text when every entry is already present. */
export function mergeIgnoreLines(existing: string | undefined, entries: readonly string[]): string {
  const text = existing ?? '';
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim()));
  const missing = entries.filter((entry) => !present.has(entry));
  if (missing.length === 0 && existing !== undefined) return text;
  const lines = [...(present.has(IGNORE_BLOCK_HEADER) || missing.length === 0 ? [] : [IGNORE_BLOCK_HEADER]), ...missing];
  if (text === '') return `${lines.join('\n')}\n`;
  const eol = lineEndingOf(text);
  const separator = text.endsWith('\n') ? eol : `${eol}${eol}`;
  return `${text}${separator}${lines.join(eol)}${eol}`;
}
