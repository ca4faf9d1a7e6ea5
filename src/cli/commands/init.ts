/** `beyondtrust-mcp init [--agent claude|cursor|codex] [--dir D] [--overwrite] [--server-command "node path/main.js serve"]` */
import { BtError } from '../../errors.js';
import { parseArgs, stringFlag } from '../args.js';
import { AGENT_NAMES, initAgent, type AgentName, type InitResult } from '../../scaffold/init.js';
import type { ServerCommand } from '../../scaffold/mcp-registration.js';

const COMMAND = 'init';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { strings: ['agent', 'dir', 'server-command'], booleans: ['overwrite'] }, COMMAND);
  if (args.positionals.length > 0) {
    throw new BtError('CLI_USAGE', `Unexpected argument ${JSON.stringify(args.positionals[0])} for "init".`, {
      hint: 'Usage: beyondtrust-mcp init --agent claude|cursor|codex [--dir D] [--overwrite]',
    });
  }
  const agent = parseAgent(stringFlag(args, 'agent'));
  const serverCommand = parseServerCommand(stringFlag(args, 'server-command'));
  const result = await initAgent({
    dir: stringFlag(args, 'dir') ?? process.cwd(),
    ...(agent === undefined ? {} : { agent }),
    overwrite: args.flags['overwrite'] === true,
    ...(serverCommand === undefined ? {} : { serverCommand }),
  });
  process.stdout.write(formatInitResult(result));
  return 0;
}

function parseAgent(value: string | undefined): AgentName | undefined {
  if (value === undefined) return undefined;
  if ((AGENT_NAMES as readonly string[]).includes(value)) return value as AgentName;
  throw new BtError('CLI_USAGE', `Unknown agent ${JSON.stringify(value)}.`, { hint: `--agent takes one of: ${AGENT_NAMES.join(', ')}.` });
}

/** Whitespace-separated, no quoting: meant for local development ("node /abs/dist/src/cli/main.js serve"). */
function parseServerCommand(value: string | undefined): ServerCommand | undefined {
  if (value === undefined) return undefined;
  const [command, ...commandArgs] = value.trim().split(/\s+/);
  if (!command) throw new BtError('CLI_USAGE', '--server-command needs a command.', { hint: 'Example: --server-command "node /path/to/dist/src/cli/main.js serve"' });
  return { command, args: commandArgs };
}

export function formatInitResult(result: InitResult): string {
  const lines = [`beyondtrust-mcp init for ${result.agent}:`];
  const group = (label: string, paths: readonly string[]): void => {
    for (const path of paths) lines.push(`  ${label.padEnd(9)} ${path}`);
  };
  group('wrote', result.written);
  group('merged', result.merged);
  for (const { path, reason } of result.skipped) lines.push(`  ${'kept'.padEnd(9)} ${path} (${reason})`);
  if (result.unchanged.length > 0) lines.push(`  ${'unchanged'.padEnd(9)} ${result.unchanged.length} file(s) already up to date`);
  lines.push('', `Next step: ${result.next_step}`);
  return `${lines.join('\n')}\n`;
}
