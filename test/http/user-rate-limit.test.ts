import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../../src/standin/demo.js';
import { startStack, tokenHeader, type Stack } from '../helpers/stack.js';

let stack: Stack;
const { sales, limited } = DEMO_API_KEYS;

beforeAll(async () => {
  stack = await startStack({ RATE_LIMIT_PER_USER_PER_MINUTE: '5' });
});
afterAll(async () => {
  await stack.close();
});

const chat = (headers: Record<string, string>) =>
  fetch(`${stack.url}/api/v1/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ message: 'how many customers' }),
  });

describe('per-user rate limit', () => {
  it('answers 429 with Retry-After once one user spends the budget, and leaves other users alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await chat(tokenHeader(sales.key, sales.secret))).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limitedOut = await chat(tokenHeader(sales.key, sales.secret));
    expect(limitedOut.status).toBe(429);
    expect(Number(limitedOut.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limitedOut.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another Frappe user behind the same address keeps its own budget.
    expect((await chat(tokenHeader(limited.key, limited.secret))).status).toBe(200);
  });
});
