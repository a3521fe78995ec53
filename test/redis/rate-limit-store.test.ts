import { Redis } from 'ioredis';
import type { Options } from 'express-rate-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { RedisConnection } from '../../src/redis/connection.js';
import { FallbackRateLimitStore } from '../../src/redis/rate-limit-store.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

const logger = createLogger({ level: 'silent', format: 'json' });
const options = { windowMs: 60_000, limit: 4 } as Options;

async function readyConnection(): Promise<RedisConnection> {
  const conn = new RedisConnection({ url: redis.url, logger });
  for (let i = 0; i < 100 && !conn.available; i++) await new Promise((r) => setTimeout(r, 20));
  expect(conn.available).toBe(true);
  return conn;
}

describe('FallbackRateLimitStore', () => {
  it('counts a request that arrives while its script is still loading in Redis, not in this process', async () => {
    const conn = await readyConnection();
    const store = new FallbackRateLimitStore(conn, 'loading-test');
    // init() starts loading the counting script; the first requests come before Redis has answered.
    store.init(options);
    const counts = await Promise.all([store.increment('u1'), store.increment('u1')]);
    expect(counts.map((c) => c.totalHits).sort()).toEqual([1, 2]);
    // A second replica's store sees the same count: the budget is shared from the first request on.
    const other = new FallbackRateLimitStore(conn, 'loading-test');
    other.init(options);
    expect((await other.increment('u1')).totalHits).toBe(3);
    const check = new Redis(redis.url);
    expect(await check.get('fmg:rl:loading-test:u1')).toBe('3');
    check.disconnect();
    store.shutdown();
    other.shutdown();
    await conn.close();
  });
});
