import { describe, expect, it } from 'vitest';
import { ConfirmationError, Confirmations } from '../../../src/chat/llm/confirm.js';
import { MemoryKvStore } from '../../../src/oauth/kv.js';

const sales = { user: 'sales@example.com', kind: 'api_key' } as const;
const call = {
  tool: 'update_document',
  arguments: { doctype: 'Customer', name: 'Acme Corp', values: { a: 1, b: [2] } },
};

async function refusal(fn: () => Promise<unknown>): Promise<ConfirmationError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ConfirmationError) return err;
    throw err;
  }
  throw new Error('expected a ConfirmationError');
}

describe('Confirmations', () => {
  it('gives back exactly the proposed call once, to the same user and credential kind', async () => {
    const c = new Confirmations({ ttlSeconds: 600 });
    const token = await c.issue(call, sales);
    expect(token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(token.length).toBeLessThan(300);
    expect(await c.redeem(token, sales)).toEqual(call);
    expect(await refusal(() => c.redeem(token, sales))).toMatchObject({ status: 400, code: 'confirmation_used' });
  });

  it('refuses another user or another credential kind with 403, leaving the token usable', async () => {
    const c = new Confirmations({ ttlSeconds: 600 });
    const token = await c.issue(call, sales);
    expect(await refusal(() => c.redeem(token, { ...sales, user: 'limited@example.com' }))).toMatchObject({
      status: 403,
    });
    expect(await refusal(() => c.redeem(token, { ...sales, kind: 'sid' }))).toMatchObject({ status: 403 });
    expect(await c.redeem(token, sales)).toEqual(call);
  });

  it('refuses an expired token', async () => {
    let now = 1_000_000;
    const c = new Confirmations({ ttlSeconds: 600, now: () => now });
    const token = await c.issue(call, sales);
    now += 600_000;
    expect(await refusal(() => c.redeem(token, sales))).toMatchObject({ status: 400, code: 'confirmation_expired' });
  });

  it('refuses a token signed with another key, or altered', async () => {
    const a = new Confirmations({ ttlSeconds: 600, key: 'key-one-0123456789' });
    const b = new Confirmations({ ttlSeconds: 600, key: 'key-two-0123456789' });
    const token = await a.issue(call, sales);
    expect(await refusal(() => b.redeem(token, sales))).toMatchObject({ status: 400, code: 'confirmation_invalid' });
    const altered = token.replace(/\.(.)/, (_m, ch: string) => `.${ch === 'e' ? 'f' : 'e'}`);
    expect(await refusal(() => a.redeem(altered, sales))).toMatchObject({ code: 'confirmation_invalid' });
  });

  it('knows a valid token only where its arguments wait: this process, or a store replicas share', async () => {
    const a = new Confirmations({ ttlSeconds: 600, key: 'shared-key-0123456789' });
    const b = new Confirmations({ ttlSeconds: 600, key: 'shared-key-0123456789' });
    const token = await a.issue(call, sales);
    expect(await refusal(() => b.redeem(token, sales))).toMatchObject({ status: 400, code: 'confirmation_unknown' });
    const shared = new MemoryKvStore();
    const r1 = new Confirmations({ ttlSeconds: 600, key: 'shared-key-0123456789', store: shared });
    const r2 = new Confirmations({ ttlSeconds: 600, key: 'shared-key-0123456789', store: shared });
    const t2 = await r1.issue(call, sales);
    const [x, y] = await Promise.allSettled([r2.redeem(t2, sales), r1.redeem(t2, sales)]);
    // Two replicas confirming at once: exactly one runs the call.
    expect([x.status, y.status].sort()).toEqual(['fulfilled', 'rejected']);
  });
});
