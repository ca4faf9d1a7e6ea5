/** Run traces on disk: one JSON file per run, written atomically, the newest 50 kept. */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunTrace } from './types.js';
import { runsDir, runTracePath } from './working-dir.js';

export const MAX_KEPT_RUNS = 50;
/** A running trace not rewritten for this long belongs to a process that died. */
export const STALE_RUNNING_MS = 15_000;

export async function writeTraceFile(workingDir: string, trace: RunTrace): Promise<void> {
  const file = runTracePath(workingDir, trace.run_id);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(trace, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}

/** `runs/<run_id>.pid` exists while the run's process works on it: tells a crashed run from a slow one. */
function pidFile(file: string): string {
  return file.replace(/\.json$/, '.pid');
}

export async function writeRunPid(workingDir: string, runId: string): Promise<void> {
  const file = runTracePath(workingDir, runId);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(pidFile(file), String(process.pid), 'utf8');
}

export async function removeRunPid(workingDir: string, runId: string): Promise<void> {
  await rm(pidFile(runTracePath(workingDir, runId)), { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A running trace whose process is gone (pid file names a dead pid) or that has not been rewritten for a while. */
async function isAbandoned(file: string, trace: RunTrace, mtimeMs: number, now: number): Promise<boolean> {
  if (trace.status !== 'running') return false;
  try {
    const pid = Number((await readFile(pidFile(file), 'utf8')).trim());
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) return true;
  } catch {
    // No pid file: judge by age alone.
  }
  return isStale(trace, mtimeMs, now);
}

/** Reads one trace; a running trace whose process died is reported as failed (RUN_INTERRUPTED). */
export async function readTrace(file: string, now: number = Date.now()): Promise<RunTrace | undefined> {
  const read = await readTraceFile(file);
  if (!read) return undefined;
  return (await isAbandoned(file, read.trace, read.mtimeMs, now)) ? asInterrupted(read.trace) : read.trace;
}

export async function readTraceFile(file: string): Promise<{ trace: RunTrace; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { trace: JSON.parse(text) as RunTrace, mtimeMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}

/** Every trace of the pipeline, newest first; a stale `running` trace is reported as failed (RUN_INTERRUPTED). */
export async function listTraces(workingDir: string, now: number = Date.now()): Promise<RunTrace[]> {
  let names: string[];
  try {
    names = (await readdir(runsDir(workingDir))).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const traces: RunTrace[] = [];
  for (const name of names) {
    const trace = await readTrace(path.join(runsDir(workingDir), name), now);
    if (trace) traces.push(trace);
  }
  return traces.sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
}

function isStale(trace: RunTrace, mtimeMs: number, now: number): boolean {
  return trace.status === 'running' && now - mtimeMs > STALE_RUNNING_MS;
}

export function asInterrupted(trace: RunTrace): RunTrace {
  return {
    ...trace,
    status: 'failed',
    error: trace.error ?? {
      code: 'RUN_INTERRUPTED',
      message: 'The run stopped without finishing (its process ended); nothing of it was committed.',
      hint: 'Run the pipeline again; it resumes from the last committed state.',
    },
  };
}

/** Rewrites stale `running` traces as failed, then deletes all but the newest MAX_KEPT_RUNS. */
export async function tidyTraces(workingDir: string, keep = MAX_KEPT_RUNS): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(runsDir(workingDir))).filter((name) => name.endsWith('.json'));
  } catch {
    return;
  }
  const entries: { file: string; trace: RunTrace; mtimeMs: number }[] = [];
  for (const name of names) {
    const file = path.join(runsDir(workingDir), name);
    const read = await readTraceFile(file);
    if (read) entries.push({ file, ...read });
  }
  const now = Date.now();
  for (const entry of entries) {
    if (await isAbandoned(entry.file, entry.trace, entry.mtimeMs, now)) {
      entry.trace = asInterrupted(entry.trace);
      await writeTraceFile(workingDir, entry.trace);
      await rm(pidFile(entry.file), { force: true });
    }
  }
  entries.sort((a, b) => (a.trace.started_at < b.trace.started_at ? 1 : -1));
  for (const entry of entries.slice(keep)) {
    if (entry.trace.status === 'running') continue;
    await rm(entry.file, { force: true });
    await rm(pidFile(entry.file), { force: true });
  }
}
