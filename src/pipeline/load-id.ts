/** Load ids like dlt's: unix time in seconds with a 6-digit fraction, e.g. `1749667187.541553`. */
let lastMicros = 0n;

export function newLoadId(now: number = Date.now()): string {
  // performance.now() adds sub-millisecond digits; strictly increasing within a process.
  let micros = BigInt(now) * 1000n + BigInt(Math.floor((performance.now() % 1) * 1000));
  if (micros <= lastMicros) micros = lastMicros + 1n;
  lastMicros = micros;
  const seconds = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${seconds}.${fraction}`;
}
