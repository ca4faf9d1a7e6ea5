/**
 * Reads an async iterable ahead into a bounded queue, so the source keeps fetching pages while the consumer
 * normalizes and loads earlier ones. Errors surface at the consumer in order; leaving early closes the source at once
 * (return() is called while a next() may still be pending — async generators queue it, extract runs abort first).
 */
export interface PrefetchStatus {
  /** Items read and waiting for the consumer. 0 means the consumer's next call would wait on the source. */
  queued: number;
}

export async function* prefetch<T>(source: AsyncIterable<T>, capacity: number, status: PrefetchStatus = { queued: 0 }): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: T[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;

  const pump = async (): Promise<void> => {
    try {
      while (!stopped) {
        if (queue.length >= capacity) {
          await new Promise<void>((resolve) => (wakeProducer = resolve));
          continue;
        }
        const next = await iterator.next();
        if (next.done) break;
        queue.push(next.value);
        status.queued = queue.length;
        wakeConsumer?.();
      }
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      wakeConsumer?.();
    }
  };
  const pumping = pump();

  try {
    while (true) {
      if (queue.length > 0) {
        const item = queue.shift() as T;
        status.queued = queue.length;
        wakeProducer?.();
        yield item;
        continue;
      }
      if (failure) throw failure.error;
      if (done) return;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
      wakeConsumer = undefined;
    }
  } finally {
    stopped = true;
    wakeProducer?.();
    if (!done) {
      // Leaving early: ask the source to finish FIRST — an extract run aborts its requests in flight on return(), so
      // the pending next() settles at once instead of after its request — then wait for both (it signs out after).
      const closing = (async () => iterator.return?.())();
      await Promise.allSettled([pumping, closing]);
      await closing;
    } else {
      await pumping;
    }
  }
}
