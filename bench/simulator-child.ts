/**
 * The simulator in its own process for the benchmark (so it never shares an event loop with the pipeline or the
 * floors). Besides serving, it records every request it answered (node:http diagnostics channel, no change to the
 * simulator) and obeys IPC commands: advance time, hand over the request log, stats, set/clear faults, stop.
 * argv[2] is a JSON SimulatorChildOptions. Prints the CLI's listening line on stdout.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startSimulator } from '../src/simulator/index.js';
import type { RunningSimulator } from '../src/simulator/index.js';
import type { RecordedRequest } from './request-log.js';
import { LISTENING_PREFIX } from './simulator-protocol.js';
import type { SimulatorChildOptions, SimulatorCommand, SimulatorReply } from './simulator-protocol.js';

let log: RecordedRequest[] = [];

subscribe('http.server.response.finish', (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  log.push({ method: request.method ?? 'GET', url: request.url ?? '/', status: response.statusCode });
});

let stopping: Promise<void> | undefined;

function stopOnce(simulator: RunningSimulator): Promise<void> {
  stopping ??= simulator.stop();
  return stopping;
}

function send(reply: SimulatorReply): void {
  process.send?.(reply);
}

function handle(simulator: RunningSimulator, command: SimulatorCommand): SimulatorReply | Promise<SimulatorReply> {
  switch (command.op) {
    case 'advance':
      simulator.advance({ changedFraction: command.changedFraction });
      return { kind: 'result', id: command.id, ok: true };
    case 'take-log': {
      const taken = log;
      log = [];
      return { kind: 'result', id: command.id, ok: true, log: taken };
    }
    case 'stats': {
      const { dataRequests, signIns, byStatus, faultsInjected } = simulator.stats;
      return { kind: 'result', id: command.id, ok: true, stats: { dataRequests, signIns, byStatus: { ...byStatus }, faultsInjected: { ...faultsInjected } } };
    }
    case 'set-faults':
      simulator.faults.set(command.spec);
      return { kind: 'result', id: command.id, ok: true };
    case 'clear-faults':
      simulator.faults.clear();
      return { kind: 'result', id: command.id, ok: true };
    case 'stop':
      return stopOnce(simulator).then(() => ({ kind: 'result', id: command.id, ok: true }) as const);
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorChildOptions;
  const simulator = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    scale: options.scale,
    seed: options.seed,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  process.on('message', (raw) => {
    const command = raw as SimulatorCommand;
    Promise.resolve()
      .then(() => handle(simulator, command))
      .then(
        (reply) => {
          if (command.op === 'stop') process.send?.(reply, () => process.exit(0));
          else send(reply);
        },
        (error: unknown) => send({ kind: 'result', id: command.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The parent going away (crash, Ctrl-C) must not leave a simulator behind.
  process.on('disconnect', () => {
    void stopOnce(simulator).finally(() => process.exit(0));
  });
  process.stdout.write(`${LISTENING_PREFIX}${simulator.baseUrl}\n`);
  send({ kind: 'ready', baseUrl: simulator.baseUrl, credentials: simulator.credentials, counts: simulator.counts });
}

await main();
