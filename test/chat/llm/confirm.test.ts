import { describe, expect, it } from 'vitest';
import { ConfirmationError, Confirmations } from '../../../src/chat/llm/confirm.js';

const sales = { user: 'sales@example.com', kind: 'api_key' } as const;
const call = {
  tool: 'update_document',
  arguments: { doctype: 'Customer', name: 'Acme Corp', values: { a: 1, b: [2] } },
};

function refusal(fn: () => unknown): ConfirmationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfirmationError) return err;
    throw err;
  }
  throw new Error('expected a ConfirmationError');
}

describe('Confirmations', () => {
  it('gives back exactly the proposed call once, to the same user and credential kind', () => {
    const c = new Confirmations({ ttlSeconds: 600 });
    const token = c.issue(call, sales);
    expect(token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(token.length).toBeLessThan(300);
    expect(c.redeem(token, sales)).toEqual(call);
    expect(refusal(() => c.redeem(token, sales))).toMatchObject({ status: 400, code: 'confirmation_used' });
  });

  it('refuses another user or another credential kind with 403, leaving the token usable', () => {
    const c = new Confirmations({ ttlSeconds: 600 });
    const token = c.issue(call, sales);
    expect(refusal(() => c.redeem(token, { ...sales, user: 'limited@example.com' }))).toMatchObject({ status: 403 });
    expect(refusal(() => c.redeem(token, { ...sales, kind: 'sid' }))).toMatchObject({ status: 403 });
    expect(c.redeem(token, sales)).toEqual(call);
  });

  it('refuses an expired token', () => {
    let now = 1_000_000;
    const c = new Confirmations({ ttlSeconds: 600, now: () => now });
    const token = c.issue(call, sales);
    now += 600_000;
    expect(refusal(() => c.redeem(token, sales))).toMatchObject({ status: 400, code: 'confirmation_expired' });
  });

  it('refuses a token signed with another key, or altered', () => {
    const a = new Confirmations({ ttlSeconds: 600, key: 'key-one-0123456789' });
    const b = new Confirmations({ ttlSeconds: 600, key: 'key-two-0123456789' });
    const token = a.issue(call, sales);
    expect(refusal(() => b.redeem(token, sales))).toMatchObject({ status: 400, code: 'confirmation_invalid' });
    const altered = token.replace(/\.(.)/, (_m, ch: string) => `.${ch === 'e' ? 'f' : 'e'}`);
    expect(refusal(() => a.redeem(altered, sales))).toMatchObject({ code: 'confirmation_invalid' });
  });

  it('knows a valid token only in the process that issued it (the arguments stay there)', () => {
    const a = new Confirmations({ ttlSeconds: 600, key: 'shared-key-0123456789' });
    const b = new Confirmations({ ttlSeconds: 600, key: 'shared-key-0123456789' });
    const token = a.issue(call, sales);
    expect(refusal(() => b.redeem(token, sales))).toMatchObject({ status: 400, code: 'confirmation_unknown' });
  });
});
