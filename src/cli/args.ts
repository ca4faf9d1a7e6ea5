/** A small, strict flag parser: `--name value`, `--name=value`, boolean `--flag`; unknown flags are errors. */
import { BtError } from '../errors.js';

export interface FlagSpec {
  /** Flag names without dashes, e.g. "port", "dev-limit". */
  strings?: readonly string[];
  booleans?: readonly string[];
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], spec: FlagSpec, command: string): ParsedArgs {
  const strings = new Set(spec.strings ?? []);
  const booleans = new Set(spec.booleans ?? []);
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (booleans.has(name)) {
      flags[name] = eq === -1 ? true : !['false', '0', 'no'].includes(arg.slice(eq + 1));
    } else if (strings.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new BtError('CLI_USAGE', `--${name} needs a value.`, { hint: usageHint(command) });
      flags[name] = value;
    } else {
      const known = [...strings, ...booleans].map((f) => `--${f}`).join(', ') || 'none';
      throw new BtError('CLI_USAGE', `Unknown option ${arg} for "${command}".`, {
        hint: `Known options: ${known}. ${usageHint(command)}`,
      });
    }
  }
  return { flags, positionals };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function intFlag(args: ParsedArgs, name: string, command: string): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) {
    throw new BtError('CLI_USAGE', `--${name} must be an integer, got "${value}".`, { hint: usageHint(command) });
  }
  return parsed;
}

function usageHint(command: string): string {
  return `Run "beyondtrust-mcp help" for the usage of "${command}".`;
}
