import { describe, expect, it } from 'vitest';
import { mergeBounded } from '../../src/rest/merge-bounded.js';

async function* numbers(from: number, count: number, active: { now: number; max: number }, closed: number[]): AsyncGenerator<number> {
  active.now += 1;
  active.max = Math.max(active.max, active.now);
  try {
    for (let i = 0; i < count; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      yield from + i;
    }
  } finally {
    active.now -= 1;
    closed.push(from);
  }
}

describe('mergeBounded', () => {
  it('yields every item with at most `limit` sources active', async () => {
    const active = { now: 0, max: 0 };
    const closed: number[] = [];
    const sources = [0, 100, 200, 300, 400].map((from) => numbers(from, 3, active, closed));
    const out: number[] = [];
    for await (const n of mergeBounded(sources, 2)) out.push(n);
    expect(out.sort((a, b) => a - b)).toEqual([0, 1, 2, 100, 101, 102, 200, 201, 202, 300, 301, 302, 400, 401, 402]);
    expect(active.max).toBe(2);
    expect(closed).toHaveLength(5);
  });

  it('closes active sources when the consumer stops early', async () => {
    const active = { now: 0, max: 0 };
    const closed: number[] = [];
    const sources = [0, 100, 200].map((from) => numbers(from, 50, active, closed));
    let seen = 0;
    for await (const _ of mergeBounded(sources, 2)) {
      seen += 1;
      if (seen === 3) break;
    }
    expect(active.now).toBe(0);
    expect(closed.sort()).toEqual([0, 100]);
  });

  it('propagates a source error', async () => {
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('boom');
    }
    const run = async (): Promise<void> => {
      for await (const _ of mergeBounded([failing()], 2)) {
        // consume
      }
    };
    await expect(run()).rejects.toThrow('boom');
  });

  it('calls onError before waiting for the other sources, so their pending work can be aborted first', async () => {
    const order: string[] = [];
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<number> {
      try {
        // Pending until aborted (a request in flight); a safety timer ends it if onError never comes.
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            order.push('safety timer');
            resolve();
          }, 10_000);
          controller.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            order.push('slow aborted');
            reject(new Error('aborted'));
          });
        });
        yield 1;
      } finally {
        order.push('slow closed');
      }
    }
    async function* failing(): AsyncGenerator<number> {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('boom');
    }
    const run = async (): Promise<void> => {
      for await (const _ of mergeBounded([slow(), failing()], 2, { onError: (error) => {
        order.push(`onError ${(error as Error).message}`);
        controller.abort();
      } })) {
        // consume
      }
    };
    await expect(run()).rejects.toThrow('boom');
    expect(order).toEqual(['onError boom', 'slow aborted', 'slow closed']);
  });
});
