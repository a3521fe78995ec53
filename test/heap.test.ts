import { getHeapStatistics } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { compactHeap, settleHeapAfterStartup } from '../src/heap.js';

const MiB = 1024 * 1024;

describe('compactHeap', () => {
  it('collects garbage and gives its pages back', () => {
    // ~40 MiB that survives long enough to reach the old space, then becomes garbage.
    let keep: string[][] | undefined = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 16_384 }, (_, j) => `${i}:${j}:`.padEnd(40, 'x')),
    );
    expect(keep).toHaveLength(40);
    keep = undefined;
    const before = getHeapStatistics();
    compactHeap();
    const after = getHeapStatistics();
    expect(after.used_heap_size).toBeLessThan(before.used_heap_size - 20 * MiB);
    expect(after.total_heap_size).toBeLessThan(before.total_heap_size - 20 * MiB);
    // The flags it sets for its one collection are set back: no `gc` for any later context.
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });
});

describe('settleHeapAfterStartup', () => {
  const argv = [...process.execArgv];
  afterEach(() => {
    process.execArgv.splice(0, process.execArgv.length, ...argv);
  });

  it("leaves the heap to V8's memory reducer when it is on", () => {
    process.execArgv.splice(0, process.execArgv.length, ...argv.filter((a) => a !== '--no-memory-reducer'));
    expect(settleHeapAfterStartup()).toBeUndefined();
  });

  it('compacts once, later and without keeping the process alive, when node runs without the reducer', async () => {
    process.execArgv.push('--no-memory-reducer');
    let compactions = 0;
    const timer = settleHeapAfterStartup(100, () => compactions++);
    expect(timer).toBeDefined();
    expect(timer!.hasRef()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(compactions).toBe(1);
  });

  it('leaves a gateway that is already busy to its own collections', async () => {
    process.execArgv.push('--no-memory-reducer');
    let compactions = 0;
    settleHeapAfterStartup(100, () => compactions++);
    // The event loop busy for the whole delay, as under a stream of calls.
    const until = performance.now() + 150;
    while (performance.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(compactions).toBe(0);
  });
});
