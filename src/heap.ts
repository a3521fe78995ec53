import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** When V8's memory reducer would first run after start-up (its own start delay). */
const SETTLE_AFTER_MS = 8000;

/**
 * A full garbage collection that also compacts the heap, so the pages it empties go back to the
 * system: what V8's memory reducer does when it runs. V8 exposes no call for it; a context made while
 * --expose-gc is set gets `gc`, and the flags are set back at once.
 */
export function compactHeap(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  setFlagsFromString('--compact-on-every-full-gc');
  try {
    gc();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

/** Below this share of the time busy since start-up, the gateway counts as idle (a quiet one reads ~0.1 %). */
const IDLE_UTILIZATION = 0.05;

/**
 * Compacts the heap once, a few seconds after start-up, when node runs with --no-memory-reducer (as
 * `npm start` and the image do) and the gateway has been idle since; otherwise V8's reducer does it, or
 * the collections of a gateway already serving clear start-up's garbage as they go, and this does nothing.
 *
 * Why the reducer is off: when a busy gateway goes quiet, the reducer's collections skip V8's keeping of
 * recently used hidden classes. No object of a tool call lives between calls, so their classes die, and
 * with them nearly all optimised code: ~170 functions deoptimised at once ("reason: weak objects" under
 * --trace-deopt) and ~1 s of CPU recompiling them, on the main thread, over the next calls. Every burst
 * after a pause paid it (issue #12). Without the reducer, the start-up garbage stayed and the idle gateway
 * held 84 MiB instead of 77; this one collection gives the 77 back. Like the reducer's, it lets hidden
 * classes no live object uses die, and with them the code optimised on them (~90 functions when calls
 * were flowing at 8 s, scripts/bench/pauses.ts): hence only when idle, when there is little of it.
 */
export function settleHeapAfterStartup(delayMs = SETTLE_AFTER_MS, compact = compactHeap): NodeJS.Timeout | undefined {
  if (!process.execArgv.includes('--no-memory-reducer')) return undefined;
  const since = performance.eventLoopUtilization();
  return setTimeout(() => {
    if (performance.eventLoopUtilization(since).utilization < IDLE_UTILIZATION) compact();
  }, delayMs).unref();
}
