import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEncryptionKey, Sealer } from '../../src/oauth/crypto.js';
import { FileKvStore, type KvStore } from '../../src/oauth/kv.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { RedisKvStore } from '../../src/oauth/redis-kv.js';
import { RedisConnection } from '../../src/redis/connection.js';
import { createLogger } from '../../src/log/logger.js';
import { tempDir } from '../helpers/temp.js';

/** The contract both stores keep. */
function contract(name: string, make: () => KvStore, advance?: (ms: number) => void) {
  describe(`${name} keeps the KvStore contract`, () => {
    let kv: KvStore;
    beforeAll(() => {
      kv = make();
    });

    it('sets, gets (a copy), deletes', async () => {
      const v = { a: 1, list: ['x'] };
      await kv.set('k1', v, 60);
      v.a = 2;
      expect(await kv.get('k1')).toEqual({ a: 1, list: ['x'] });
      await kv.delete('k1');
      expect(await kv.get('k1')).toBeUndefined();
    });

    it('take is atomic: of many concurrent takes exactly one gets the value', async () => {
      await kv.set('code:1', { grant: 'g' }, 60);
      const results = await Promise.all(Array.from({ length: 20 }, () => kv.take('code:1')));
      expect(results.filter(Boolean)).toEqual([{ grant: 'g' }]);
      expect(await kv.get('code:1')).toBeUndefined();
    });

    it('add sets only when absent', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => kv.add('lock:x', 1, 30)));
      expect(results.filter(Boolean)).toHaveLength(1);
      await kv.delete('lock:x');
      expect(await kv.add('lock:x', 1, 30)).toBe(true);
    });

    if (advance) {
      it('forgets a key after its time to live', async () => {
        await kv.set('short', 1, 5);
        advance(6000);
        expect(await kv.get('short')).toBeUndefined();
        expect(await kv.take('short')).toBeUndefined();
      });
    }
  });
}

let clock = Date.now();
const dir = tempDir('fmg-kv-');
contract(
  'FileKvStore',
  () => new FileKvStore(join(dir, 'store.json'), () => clock),
  (ms) => (clock += ms),
);

describe('FileKvStore on disk', () => {
  it('survives a restart, with 0600 permissions, and drops what expired meanwhile', async () => {
    const file = join(tempDir('fmg-kv-'), 'sub', 'store.json');
    let now = Date.now();
    const a = new FileKvStore(file, () => now);
    await a.set('grant:1', { user: 'u' }, 3600);
    await a.set('code:1', { c: 1 }, 60);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    now += 120_000;
    const b = new FileKvStore(file, () => now);
    expect(await b.get('grant:1')).toEqual({ user: 'u' });
    expect(await b.get('code:1')).toBeUndefined();
  });
});

describe('RedisKvStore against a real redis-server', () => {
  let redis: RedisServer | undefined;
  let url = '';
  beforeAll(async () => {
    redis = await startRedis();
    url = redis.url;
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const connect = () => new RedisConnection({ url, logger: createLogger({ level: 'silent', format: 'json' }) });
  let stores: RedisKvStore[] = [];
  contract('RedisKvStore', () => {
    const st = new RedisKvStore(connect(), `t${Date.now()}:`);
    stores.push(st);
    return st;
  });

  it('two replicas (two connections) share state and consume a code once', async () => {
    const prefix = `rep${Date.now()}:`;
    const a = new RedisKvStore(connect(), prefix);
    const b = new RedisKvStore(connect(), prefix);
    await a.set('code:z', { g: 1 }, 60);
    const [x, y] = await Promise.all([a.take('code:z'), b.take('code:z')]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    await a.set('ttl', 1, 1);
    expect(await b.connection.redis.ttl(`${prefix}ttl`)).toBeGreaterThan(0);
    await Promise.all([a.close(), b.close(), ...stores.map((st) => st.close())]);
    stores = [];
  });
});

describe('encryption at rest', () => {
  it('AES-256-GCM: opens only with the same key and the same record binding', () => {
    const d = tempDir('fmg-key-');
    const sealer = new Sealer(() => loadEncryptionKey(undefined, d));
    const sealed = sealer.seal('frappe-token', 'grant:1');
    expect(sealed).not.toContain('frappe-token');
    expect(sealer.open(sealed, 'grant:1')).toBe('frappe-token');
    expect(() => sealer.open(sealed, 'grant:2')).toThrow();
    const keyFile = join(d, 'oauth-encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // The persisted key is reused after a restart.
    const again = new Sealer(() => loadEncryptionKey(undefined, d));
    expect(again.open(sealed, 'grant:1')).toBe('frappe-token');
    const other = new Sealer(() => loadEncryptionKey(Buffer.alloc(32, 7).toString('base64'), d));
    expect(() => other.open(sealed, 'grant:1')).toThrow();
    expect(readFileSync(keyFile, 'utf8').trim()).toHaveLength(44);
  });

  it('refuses an OAUTH_ENCRYPTION_KEY that is not 32 bytes', () => {
    expect(() => loadEncryptionKey('short', tmpdir())).toThrow(/32 bytes/);
  });
});
