import { describe, expect, it } from 'vitest';
import { prefetch } from '../../src/pipeline/prefetch.js';
import { TableBuffer } from '../../src/pipeline/table-buffer.js';

function source(count: number, options: { failAt?: number } = {}) {
  const state = { produced: 0, returned: false };
  const iterable: AsyncIterable<number> = {
    [Symbol.asyncIterator]() {
      return {
        async next() {
          await new Promise((resolve) => setImmediate(resolve));
          if (options.failAt !== undefined && state.produced === options.failAt) throw new Error('page failed');
          if (state.produced >= count) return { done: true, value: undefined };
          return { done: false, value: state.produced++ };
        },
        async return() {
          state.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, state };
}

describe('prefetch', () => {
  it('yields every item in order and reads at most `capacity` items ahead of the consumer', async () => {
    const { iterable, state } = source(20);
    const seen: number[] = [];
    for await (const item of prefetch(iterable, 3)) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      // consumed item + queue (≤ 3) + one request in flight
      expect(state.produced - item).toBeLessThanOrEqual(5);
      seen.push(item);
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('hands over the items read before a failure, then throws it', async () => {
    const { iterable } = source(10, { failAt: 4 });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of prefetch(iterable, 2)) seen.push(item);
      })(),
    ).rejects.toThrow('page failed');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('closes the source at once when the consumer leaves while a next() is pending (does not wait for it)', async () => {
    const calls: string[] = [];
    let abortPending: (() => void) | undefined;
    let produced = 0;
    const iterable: AsyncIterable<number> = {
      [Symbol.asyncIterator]() {
        return {
          next() {
            if (produced === 0) return Promise.resolve({ done: false, value: produced++ });
            calls.push('next pending');
            // Like a page request in flight: settles only when the source is told to stop (its requests abort).
            return new Promise<IteratorResult<number>>((_resolve, reject) => (abortPending = () => reject(new Error('aborted'))));
          },
          async return() {
            calls.push('return');
            abortPending?.();
            return { done: true, value: undefined };
          },
        };
      },
    };
    const safety = setTimeout(() => {
      calls.push('safety timer');
      abortPending?.();
    }, 10_000);
    for await (const item of prefetch(iterable, 1)) {
      expect(item).toBe(0);
      while (!calls.includes('next pending')) await new Promise((resolve) => setImmediate(resolve));
      break;
    }
    clearTimeout(safety);
    expect(calls).toEqual(['next pending', 'return']);
  });

  it('closes the source when the consumer leaves early', async () => {
    const { iterable, state } = source(100);
    for await (const item of prefetch(iterable, 4)) if (item === 2) break;
    expect(state.returned).toBe(true);
  });
});

describe('TableBuffer', () => {
  it('keeps rows of pages with different column sets in one union layout', () => {
    const buffer = new TableBuffer('t');
    buffer.add({ table: 't', columns: ['a', 'b'], rows: [[1, 2]] });
    buffer.add({ table: 't', columns: ['a', 'b'], rows: [[3, 4]] });
    buffer.add({ table: 't', columns: ['c', 'a'], rows: [[5, 6]] });
    expect(buffer.size).toBe(3);
    const taken = buffer.take();
    expect(taken.columns).toEqual(['a', 'b', 'c']);
    const at = (row: unknown[], name: string) => row[taken.columns.indexOf(name)] ?? null;
    expect(taken.rows.map((row) => ['a', 'b', 'c'].map((name) => at(row, name)))).toEqual([
      [1, 2, null],
      [3, 4, null],
      [6, null, 5],
    ]);
    expect(buffer.size).toBe(0);
  });
});
