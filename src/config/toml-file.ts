/** Reads one `.dlt/*.toml` file. Parse errors name the file, line and column but never quote the file's text. */
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { BtError } from '../errors.js';

export type TomlTable = Record<string, unknown>;

/** The parsed document, or undefined when the file does not exist. */
export function readTomlFile(path: string, displayPath: string): TomlTable | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BtError('CONFIG_INVALID', `Cannot read ${displayPath}: ${(error as NodeJS.ErrnoException).code ?? 'read error'}.`, {
      hint: `Check that ${displayPath} is a readable file.`,
      details: { step: 'config', file: displayPath },
    });
  }
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    // smol-toml quotes the offending lines in its message; those lines may hold a secret, so only the
    // first line of the message (the reason) and the position are kept, and the original error is dropped.
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '') : 'parse error';
    const line = error instanceof TomlError ? error.line : undefined;
    const column = error instanceof TomlError ? error.column : undefined;
    const where = line === undefined ? '' : ` at line ${line}${column === undefined ? '' : `, column ${column}`}`;
    throw new BtError('CONFIG_INVALID', `${displayPath} is not valid TOML${where}: ${reason}.`, {
      hint: `Fix the syntax of ${displayPath}${line === undefined ? '' : ` line ${line}`} (strings need double quotes, e.g. api_key = "…").`,
      details: { step: 'config', file: displayPath, ...(line === undefined ? {} : { line }) },
    });
  }
}

export function isTomlTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
