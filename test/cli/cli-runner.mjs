// Runs one CLI command from the TypeScript sources in a child process (Node 20 cannot run .ts itself):
//   node test/cli/cli-runner.mjs <command> [args…]
// Vite's SSR loader compiles src/ on the fly, so the child always runs the current code (no stale dist/).
// Behaves like dist/src/cli/main.js for one command: same exit codes, errors on stderr.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [command, ...argv] = process.argv.slice(2);
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'silent',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  optimizeDeps: { noDiscovery: true },
});
let code = 1;
try {
  const module = await server.ssrLoadModule(`/src/cli/commands/${command}.ts`);
  code = await module.run(argv);
} catch (error) {
  const described = typeof error?.describe === 'function' ? error.describe() : String(error);
  process.stderr.write(`Error: ${described}\n`);
  code = error?.code === 'CLI_USAGE' ? 2 : 1;
} finally {
  await server.close();
}
process.exitCode = code;
