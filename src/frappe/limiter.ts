import { frappeInFlight, frappeQueued, frappeShed } from '../metrics.js';
import { FrappeError } from './errors.js';

export interface FrappeLimiterOptions {
  /** Calls sent to Frappe at once; about twice the site's gunicorn workers. */
  maxInFlight: number;
  /** Calls that may wait for a free slot; the rest are refused at once. */
  maxQueued: number;
  /** Longest a call waits in the queue before it is refused (ms). */
  maxWaitMs: number;
}

/** How long a refused caller is asked to wait before trying again (seconds). */
const RETRY_AFTER_SECONDS = 2;

interface Waiter {
  grant(): void;
  fail(err: FrappeError): void;
}

/**
 * Backpressure towards one Frappe site. Frappe serves with a fixed pool of gunicorn workers; calls
 * beyond it only queue inside Frappe, where the gateway's timeout cannot reach them, so each slow
 * minute piles up work nobody is waiting for. Here at most `maxInFlight` calls are out at once, a
 * bounded number wait (first come, first served) and the rest are answered at once with an outage
 * error carrying Retry-After: 503 over HTTP, a tool error over MCP. A caller that goes away leaves
 * the queue (its signal), and a call the gateway gave up on frees its slot.
 */
export class FrappeLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly o: FrappeLimiterOptions) {}

  /** Waits for a slot; resolves to the function that gives it back (call it exactly once). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new FrappeError({ kind: 'upstream', cause: 'timeout' }));
    if (this.active < this.o.maxInFlight) {
      this.take();
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.o.maxQueued) return Promise.reject(this.overloaded());
    return new Promise<() => void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        frappeQueued.set(this.queue.length);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          this.take();
          resolve(this.releaser());
        },
        fail: (err) => {
          leave();
          reject(err);
        },
      };
      const onAbort = () => waiter.fail(new FrappeError({ kind: 'upstream', cause: 'timeout' }));
      const timer = setTimeout(() => waiter.fail(this.overloaded()), this.o.maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      frappeQueued.set(this.queue.length);
    });
  }

  /** Calls out now and waiting; for tests and diagnostics. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.active, queued: this.queue.length };
  }

  private take(): void {
    this.active++;
    frappeInFlight.set(this.active);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      frappeInFlight.set(this.active);
      this.queue[0]?.grant();
    };
  }

  private overloaded(): FrappeError {
    frappeShed.inc();
    return new FrappeError({ kind: 'upstream', cause: 'overloaded', retryAfterSeconds: RETRY_AFTER_SECONDS });
  }
}
