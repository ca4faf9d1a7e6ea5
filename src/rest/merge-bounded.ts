export interface MergeBoundedOptions {
  /**
   * Called once, as soon as a source fails and BEFORE the other sources are awaited: abort their work here, so the
   * failure is not held up until a slow sibling's request finishes on its own.
   */
  onError?: (error: unknown) => void;
}

/**
 * Runs async iterables from `sources` with at most `limit` active at once and yields their items as they come.
 * Each active source has at most one pending `next()`, so buffering is bounded by `limit`. On early exit or
 * error every active source is returned (its finally blocks run) before this generator finishes.
 */
export async function* mergeBounded<T>(sources: Iterable<AsyncIterable<T>>, limit: number, options: MergeBoundedOptions = {}): AsyncGenerator<T> {
  type Pull = { id: number; result?: IteratorResult<T>; failed?: true; error?: unknown };
  const active = new Map<number, { iterator: AsyncIterator<T>; pending: Promise<Pull> }>();
  const feed = sources[Symbol.iterator]();
  let nextId = 0;
  let exhausted = false;

  const pull = (id: number, iterator: AsyncIterator<T>): Promise<Pull> =>
    iterator.next().then(
      (result) => ({ id, result }),
      (error: unknown) => ({ id, failed: true as const, error }),
    );

  const fill = (): void => {
    while (!exhausted && active.size < Math.max(1, limit)) {
      const item = feed.next();
      if (item.done) {
        exhausted = true;
        return;
      }
      const iterator = item.value[Symbol.asyncIterator]();
      const id = nextId++;
      active.set(id, { iterator, pending: pull(id, iterator) });
    }
  };

  try {
    fill();
    while (active.size > 0) {
      const settled = await Promise.race([...active.values()].map((entry) => entry.pending));
      const entry = active.get(settled.id);
      if (!entry) continue;
      if (settled.failed) {
        active.delete(settled.id);
        try {
          options.onError?.(settled.error);
        } catch {
          // the abort hook must not replace the real error
        }
        throw settled.error;
      }
      if (!settled.result || settled.result.done) {
        active.delete(settled.id);
        fill();
        continue;
      }
      entry.pending = pull(settled.id, entry.iterator);
      yield settled.result.value;
    }
  } finally {
    const remaining = [...active.values()];
    active.clear();
    // Let each pending next() settle (after an error, onError has aborted it), then close the iterator so its cleanup runs.
    await Promise.allSettled(remaining.map(async (entry) => {
      await entry.pending;
      await entry.iterator.return?.();
    }));
  }
}
