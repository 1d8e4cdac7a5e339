import { forEachInOrder } from '../../lib/apply/pool';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('forEachInOrder', () => {
  test('at most `limit` calls in flight, started in order, results emitted in input order', async () => {
    const delays = [30, 5, 20, 1, 10, 1, 25, 2];
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const finished: number[] = [];
    const emitted: string[] = [];
    await forEachInOrder(delays, 3, async (ms, i) => {
      started.push(i);
      most = Math.max(most, ++inFlight);
      await sleep(ms);
      inFlight--;
      finished.push(i);
      return `#${i}`;
    }, (r, ms, i) => emitted.push(`${r}:${ms}:${i}`));
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(finished).not.toEqual(started); // they really did finish out of order
    expect(emitted).toEqual(delays.map((ms, i) => `#${i}:${ms}:${i}`));
  });

  test('a result is emitted as soon as everything before it is done', async () => {
    const log: string[] = [];
    await forEachInOrder([20, 1, 1], 3, async (ms, i) => { await sleep(ms); log.push(`done ${i}`); return i; }, (i) => log.push(`emit ${i}`));
    expect(log).toEqual(['done 1', 'done 2', 'done 0', 'emit 0', 'emit 1', 'emit 2']);
  });

  test('no items, a limit of 1 or less, and a limit above the item count', async () => {
    const out: number[] = [];
    await forEachInOrder([], 4, async () => 1, (r) => out.push(r));
    await forEachInOrder([1, 2], 0, async (x) => x, (r) => out.push(r));
    await forEachInOrder([3], 50, async (x) => x, (r) => out.push(r));
    expect(out).toEqual([1, 2, 3]);
  });

  test('a throwing call rejects once the others in flight settle; nothing after it is emitted', async () => {
    const emitted: number[] = [];
    const settled: number[] = [];
    const run = forEachInOrder([1, 2, 3, 4, 5, 6], 2, async (x) => {
      await sleep(x === 3 ? 1 : 10);
      if (x === 3) throw new Error('boom');
      settled.push(x);
      return x;
    }, (r) => emitted.push(r));
    await expect(run).rejects.toThrow('boom');
    expect(emitted).toEqual([1, 2]);
    expect(settled).toContain(4); // in flight when 3 failed: awaited, not abandoned
    expect(settled).not.toContain(6);
  });
});
