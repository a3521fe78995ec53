import { afterEach, describe, expect, it } from 'vitest';
import { MemoryIdentityCache } from '../../src/auth/cache.js';

let cache: MemoryIdentityCache | undefined;
afterEach(() => cache?.close());

const principal = (user: string) => ({
  user,
  kind: 'sid' as const,
  site: 'http://frappe.test',
  validUntil: Date.now() + 60_000,
});

describe('MemoryIdentityCache', () => {
  it('stays within its bound, dropping the oldest entries first', () => {
    cache = new MemoryIdentityCache(10);
    for (let i = 0; i < 25; i++) cache.set(`k${i}`, { ok: true, principal: principal(`u${i}`) }, 60);
    expect(cache.size()).toBeLessThanOrEqual(10);
    expect(cache.get('k24')).toBeDefined();
    expect(cache.get('k0')).toBeUndefined();
  });

  it('never stores an entry with no lifetime, and forgets on delete', () => {
    cache = new MemoryIdentityCache(10);
    cache.set('a', { ok: false, reason: 'no', until: 0 }, 0);
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', { ok: true, principal: principal('b') }, 60);
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
  });
});
