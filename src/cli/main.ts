#!/usr/bin/env node
/** The `beyondtrust-mcp` command: dispatches to one module per command, loaded lazily so start-up stays fast. */
import { isBtError, toBtError } from '../errors.js';

type CommandModule = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  serve: { summary: 'MCP server on stdio (the default)', load: () => import('./commands/serve.js') },
  run: {
    summary: 'run the BeyondTrust pipeline [--resources a,b] [--pipeline-name N] [--dataset-name D] [--destination duckdb] [--dev-limit P]',
    load: () => import('./commands/run.js'),
  },
  simulator: {
    summary: 'start the BeyondTrust API simulator [--port P] [--host H] [--seed S] [--scale K] [--faults SPEC] [--tls] [--api-key K] [--runas R] [--password W] [--client-id I] [--client-secret C] [--advance-every N|Ns] [--session-idle-seconds S] [--session-max-requests N] [--token-lifetime-seconds S] [--non-api-accounts N] (see src/simulator/README.md)',
    load: () => import('./commands/simulator.js'),
  },
  demo: { summary: 'simulator + full load into ./beyondtrust_pipeline.duckdb + sample query', load: () => import('./commands/demo.js') },
  init: { summary: 'install skills and MCP config for an agent: --agent claude|cursor|codex [--dir D] [--overwrite]', load: () => import('./commands/init.js') },
  scaffold: { summary: 'write beyondtrust_pipeline.ts and .dlt/ files [--resources a,b] [--dir D] [--overwrite]', load: () => import('./commands/scaffold.js') },
  info: { summary: 'pipelines, last runs, state [--pipeline-name N]', load: () => import('./commands/info.js') },
  query: { summary: 'run one read-only SQL statement: query "SELECT …" [--max-rows N]', load: () => import('./commands/query.js') },
};

function printHelp(): void {
  const lines = ['Usage: beyondtrust-mcp <command> [options]', '', 'Commands:'];
  for (const [name, { summary }] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${summary}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [name = 'serve', ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    printHelp();
    return 0;
  }
  if (name === '--version' || name === 'version') {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n`);
    printHelp();
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const btError = toBtError(error);
    process.stderr.write(`Error: ${isBtError(btError) ? btError.describe() : String(error)}\n`);
    process.exitCode = btError.code === 'CLI_USAGE' ? 2 : 1;
  },
);
