import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../hash.js';

/** A random, URL-safe secret with a recognisable prefix (so minted tokens are told apart without I/O). */
export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** The only form in which a token is used as a store key. */
export { sha256 };

/** PKCE S256: BASE64URL(SHA256(ascii(code_verifier))). */
export const s256 = sha256;

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 7636 §4.1: 43..128 characters of [A-Z a-z 0-9 - . _ ~]. */
export function isValidVerifier(v: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(v);
}

/** 32 bytes from base64/base64url or hex text; undefined when the text is not exactly 32 bytes. */
export function parseKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return b.length === 32 ? b : undefined;
}

/** The key from OAUTH_ENCRYPTION_KEY, else one generated once and kept with 0600 permissions in the data dir. */
export function loadEncryptionKey(envKey: string | undefined, dataDir: string): Buffer {
  if (envKey) {
    const k = parseKey(envKey);
    if (!k) throw new Error('OAUTH_ENCRYPTION_KEY must be 32 bytes written as base64 or 64 hex digits');
    return k;
  }
  const file = join(dataDir, 'oauth-encryption.key');
  if (existsSync(file)) {
    const k = parseKey(readFileSync(file, 'utf8'));
    if (!k) throw new Error(`${file} does not hold a 32-byte key`);
    return k;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

/**
 * AES-256-GCM for the Frappe tokens held server-side. The associated data binds a ciphertext to the
 * record it belongs to, so a sealed value copied into another record does not open.
 */
export class Sealer {
  private key?: Buffer;

  constructor(private readonly loadKey: () => Buffer) {}

  private k(): Buffer {
    return (this.key ??= this.loadKey());
  }

  seal(plain: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.k(), iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
      '.',
    );
  }

  open(sealed: string, aad: string): string {
    const [v, iv, tag, ct] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.k(), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}
