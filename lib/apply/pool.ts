/**
 * Bounded concurrency with ordered results: `netkit apply` sends the objects of one ordering
 * phase several at a time, but reports them in the order it would have sent them one by one, so
 * that progress lines, summaries and JSON reports do not depend on which answer came first.
 */

/**
 * Call `run` for every item, at most `limit` calls in flight, starting them in input order, and
 * hand each result to `emit` in input order: an item's result is emitted as soon as it and every
 * item before it are done (a slow item holds back the lines after it, never more than `limit`
 * items' worth of work). `run` should not throw; if it does, the returned promise rejects once
 * the calls in flight have settled, and nothing after the failed item is emitted.
 */
export async function forEachInOrder<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<R>,
  emit: (result: R, item: T, index: number) => void,
): Promise<void> {
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const done: { readonly value: R }[] = [];
  let next = 0;
  let emitted = 0;
  let failed = false;
  const flush = (): void => {
    while (!failed && emitted < items.length && done[emitted] !== undefined) {
      emit(done[emitted].value, items[emitted], emitted);
      emitted++;
    }
  };
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        done[i] = { value: await run(items[i], i) };
      } catch (e) {
        failed = true;
        throw e;
      }
      flush();
    }
  };
  const results = await Promise.allSettled(Array.from({ length: width }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
