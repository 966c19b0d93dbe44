/** Runs an async function over a list with bounded concurrency and yields the results in list order. */

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * At most `concurrency` calls run, and at most that many finished results wait for the consumer,
 * so memory stays bounded however slow the consumer is. When the consumer stops early (break,
 * throw), the calls still running are awaited first, so none outlives the caller's cleanup.
 */
export async function* mapOrdered<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): AsyncGenerator<R, void, undefined> {
  const width = Math.max(1, Math.floor(concurrency));
  const pending: Promise<Settled<R>>[] = [];
  let next = 0;
  const launch = (): void => {
    const index = next++;
    const item = items[index] as T;
    // Settled wrappers never reject, so a failure waiting in the queue is never an unhandled rejection.
    pending.push(
      Promise.resolve()
        .then(() => fn(item, index))
        .then(
          (value): Settled<R> => ({ ok: true, value }),
          (error: unknown): Settled<R> => ({ ok: false, error }),
        ),
    );
  };
  try {
    while (next < items.length && pending.length < width) launch();
    while (pending.length > 0) {
      const settled = await pending.shift()!;
      if (next < items.length) launch();
      if (!settled.ok) throw settled.error;
      yield settled.value;
    }
  } finally {
    await Promise.all(pending);
  }
}
