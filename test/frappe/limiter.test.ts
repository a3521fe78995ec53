import { describe, expect, it } from 'vitest';
import { FrappeLimiter } from '../../src/frappe/limiter.js';
import { failure } from '../helpers/failure.js';

describe('FrappeLimiter', () => {
  it('lets max_in_flight out, queues max_queued in order, and refuses the rest at once with Retry-After', async () => {
    const limiter = new FrappeLimiter({ maxInFlight: 2, maxQueued: 2, maxWaitMs: 60_000 });
    const a = await limiter.acquire();
    await limiter.acquire();
    const order: string[] = [];
    const c = limiter.acquire().then((release) => (order.push('c'), release));
    const d = limiter.acquire().then((release) => (order.push('d'), release));
    expect(limiter.load).toEqual({ inFlight: 2, queued: 2 });
    const shed = await failure(limiter.acquire());
    expect(shed).toMatchObject({ kind: 'upstream', failure: 'overloaded', retryAfterSeconds: 2 });
    expect(shed.isOutage).toBe(true);
    expect(shed.message).toMatch(/busy/);
    a();
    a(); // a second release of one slot changes nothing
    const releaseC = await c;
    expect(order).toEqual(['c']);
    expect(limiter.load).toEqual({ inFlight: 2, queued: 1 });
    releaseC();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(limiter.load).toEqual({ inFlight: 1, queued: 0 });
  });

  it('drops a waiting call when its caller goes away, or when it waited too long', async () => {
    const limiter = new FrappeLimiter({ maxInFlight: 1, maxQueued: 5, maxWaitMs: 50 });
    const held = await limiter.acquire();
    const gone = new AbortController();
    const waiting = limiter.acquire(gone.signal);
    gone.abort();
    expect((await failure(waiting)).failure).toBe('timeout');
    expect((await failure(limiter.acquire())).failure).toBe('overloaded');
    expect(limiter.load).toEqual({ inFlight: 1, queued: 0 });
    held();
    expect(limiter.load.inFlight).toBe(0);
  });
});
