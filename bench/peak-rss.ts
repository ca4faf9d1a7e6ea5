/** Peak resident memory of another process: VmHWM from /proc/<pid>/status (Linux), polled while it runs. */
import { readFile } from 'node:fs/promises';

async function readHighWaterMarkKb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // gone already, or not Linux
  }
}

export interface PeakRssSampler {
  /** Stops polling; the highest VmHWM seen, in bytes (undefined when /proc gave nothing). */
  stop(): Promise<number | undefined>;
}

export function samplePeakRss(pid: number, intervalMs = 50): PeakRssSampler {
  let peakKb: number | undefined;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const poll = (): void => {
    inFlight = readHighWaterMarkKb(pid).then((kb) => {
      if (kb !== undefined) peakKb = Math.max(peakKb ?? 0, kb);
    });
  };
  poll();
  const timer = setInterval(() => {
    if (!stopped) poll();
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
      return peakKb === undefined ? undefined : peakKb * 1024;
    },
  };
}
