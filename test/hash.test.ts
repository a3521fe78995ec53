import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialFingerprint } from '../src/frappe/credential.js';
import { sha256 } from '../src/hash.js';

describe('sha256', () => {
  it('is SHA-256 of the UTF-8 text, base64url by default or hex', () => {
    // FIPS 180-2's test vector for "abc".
    expect(sha256('abc', 'hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('abc')).toBe(
      Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString('base64url'),
    );
    expect(sha256('café ✓', 'hex')).toBe(createHash('sha256').update('café ✓', 'utf8').digest('hex'));
  });

  it('keeps the credential cache key it had before (replicas share it through Redis)', () => {
    // The key was createHash('sha256').update(kind).update('\0').update(secret): a rolling deploy must not
    // make every cached identity miss at once.
    const before = (kind: string, secret: string) =>
      createHash('sha256').update(kind).update('\0').update(secret).digest('hex');
    expect(credentialFingerprint({ kind: 'sid', sid: 's1d' })).toBe(before('sid', 's1d'));
    expect(credentialFingerprint({ kind: 'bearer', token: 'tok' })).toBe(before('bearer', 'tok'));
    expect(credentialFingerprint({ kind: 'api_key', key: 'k', secret: 's' })).toBe(before('api_key', 'k:s'));
  });
});
