/** Starts bench/simulator-child.js as a child process and talks to it over IPC. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { BtError } from '../src/errors.js';
import type { EntityCounts, SimulatorCredentials } from '../src/simulator/index.js';
import { SIMULATOR_CHILD } from './paths.js';
import type { RecordedRequest } from './request-log.js';
import { LISTENING_PREFIX } from './simulator-protocol.js';
import type { SimulatorChildOptions, SimulatorCommand, SimulatorReply, SimulatorStatsSnapshot } from './simulator-protocol.js';

type CommandWithoutId = SimulatorCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

const START_TIMEOUT_MS = 30_000;

export class SimulatorProcess {
  readonly #child: ChildProcess;
  readonly baseUrl: string;
  readonly credentials: SimulatorCredentials;
  readonly counts: EntityCounts;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (reply: SimulatorReply) => void; reject: (error: Error) => void }>();

  private constructor(child: ChildProcess, ready: Extract<SimulatorReply, { kind: 'ready' }>) {
    this.#child = child;
    this.baseUrl = ready.baseUrl;
    this.credentials = ready.credentials;
    this.counts = ready.counts;
    child.on('message', (raw) => {
      const reply = raw as SimulatorReply;
      if (reply.kind !== 'result') return;
      const waiter = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    child.on('exit', (code) => {
      for (const waiter of this.#pending.values()) waiter.reject(new BtError('BENCH_SIMULATOR_EXITED', `The simulator child exited (code ${String(code)}).`));
      this.#pending.clear();
    });
  }

  static async start(options: SimulatorChildOptions): Promise<SimulatorProcess> {
    const child = fork(SIMULATOR_CHILD, [JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    let stdout = '';
    const listening = new Promise<string>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const line = stdout.split('\n').find((candidate) => candidate.startsWith(LISTENING_PREFIX));
        if (line) resolve(line.slice(LISTENING_PREFIX.length).trim());
      });
    });
    const ready = await new Promise<Extract<SimulatorReply, { kind: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        reject(new BtError('BENCH_SIMULATOR_START', `The simulator did not start within ${START_TIMEOUT_MS / 1000} s.`, { hint: stderr.trim() || 'Check that `npm run build` succeeded.' }));
      }, START_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new BtError('BENCH_SIMULATOR_START', `The simulator child exited during start (code ${String(code)}).`, { hint: stderr.trim() || 'Check that `npm run build` succeeded.' }));
      });
      child.on('message', (raw) => {
        const reply = raw as SimulatorReply;
        if (reply.kind === 'ready') {
          clearTimeout(timer);
          resolve(reply);
        }
      });
    });
    const printedUrl = await listening;
    if (printedUrl !== ready.baseUrl) {
      throw new BtError('BENCH_SIMULATOR_START', `The simulator printed ${printedUrl} but reported ${ready.baseUrl}.`);
    }
    child.removeAllListeners('exit');
    return new SimulatorProcess(child, ready);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  async #call(command: CommandWithoutId): Promise<Extract<SimulatorReply, { kind: 'result'; ok: true }>> {
    const id = this.#nextId++;
    const reply = await new Promise<SimulatorReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ ...command, id } as SimulatorCommand);
    });
    if (reply.kind !== 'result') throw new BtError('BENCH_SIMULATOR_PROTOCOL', `Unexpected reply to ${command.op}.`);
    if (!reply.ok) throw new BtError('BENCH_SIMULATOR_COMMAND', `The simulator failed to ${command.op}: ${reply.error}`);
    return reply;
  }

  async advance(changedFraction: number): Promise<void> {
    await this.#call({ op: 'advance', changedFraction });
  }

  /** The requests answered since the last call (the log is cleared). */
  async takeLog(): Promise<RecordedRequest[]> {
    return (await this.#call({ op: 'take-log' })).log ?? [];
  }

  async stats(): Promise<SimulatorStatsSnapshot> {
    const { stats } = await this.#call({ op: 'stats' });
    if (!stats) throw new BtError('BENCH_SIMULATOR_PROTOCOL', 'The simulator sent no stats.');
    return stats;
  }

  async setFaults(spec: string): Promise<void> {
    await this.#call({ op: 'set-faults', spec });
  }

  async clearFaults(): Promise<void> {
    await this.#call({ op: 'clear-faults' });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    try {
      await Promise.race([this.#call({ op: 'stop' }), exited]);
    } catch {
      this.#child.kill('SIGTERM');
    }
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
