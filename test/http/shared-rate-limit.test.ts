import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { startStack, tokenHeader, type Stack } from '../helpers/stack.js';

let redis: RedisServer;
let a: Stack;
let b: Stack;
const { sales } = DEMO_API_KEYS;

beforeAll(async () => {
  redis = await startRedis();
  const env = {
    RATE_LIMIT_PER_USER_PER_MINUTE: '4',
    REDIS_URL: redis.url,
    OAUTH_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  // Two replicas of one gateway in front of one site.
  a = await startStack(env);
  b = await startStack(env, {}, a.standin);
});
afterAll(async () => {
  await b.close();
  await a.close();
  await redis.stop();
});

const chat = (stack: Stack) =>
  fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...tokenHeader(sales.key, sales.secret) },
    body: JSON.stringify({ message: 'how many customers' }),
  }).then((r) => r.status);

describe('per-user budget with Redis', () => {
  it('holds across replicas: requests to either count against one budget', async () => {
    const statuses = [await chat(a), await chat(b), await chat(a), await chat(b)];
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(await chat(a)).toBe(429);
    expect(await chat(b)).toBe(429);
  });
});
