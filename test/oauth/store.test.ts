import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEncryptionKey, Sealer } from '../../src/oauth/crypto.js';
import { MemoryKvStore, PrefixedKvStore, type KvStore } from '../../src/oauth/kv.js';
import { SqliteKvStore } from '../../src/oauth/sqlite-kv.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { RedisKvStore } from '../../src/oauth/redis-kv.js';

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
const dir = mkdtempSync(join(tmpdir(), 'fmg-kv-'));
contract(
  'SqliteKvStore',
  () => new SqliteKvStore(join(dir, 'store.sqlite'), { now: () => clock, maintainEveryMs: 0 }),
  (ms) => (clock += ms),
);
let memClock = Date.now();
contract(
  'MemoryKvStore',
  () => new MemoryKvStore(() => memClock),
  (ms) => (memClock += ms),
);

describe('PrefixedKvStore (one site of several)', () => {
  it('keeps each site to its own keys in the shared store, and leaves closing to the owner', async () => {
    const shared = new SqliteKvStore(undefined, { maintainEveryMs: 0 });
    const acme = new PrefixedKvStore(shared, 'site:acme:');
    const beta = new PrefixedKvStore(shared, 'site:beta:');
    await acme.set('at:h', { grantId: 'g' }, 60);
    expect(await beta.get('at:h')).toBeUndefined();
    expect(await beta.take('at:h')).toBeUndefined();
    expect(await beta.add('at:h', { grantId: 'other' }, 60)).toBe(true);
    expect(await acme.get('at:h')).toEqual({ grantId: 'g' });
    await acme.close();
    expect(await shared.get('site:acme:at:h')).toEqual({ grantId: 'g' });
    await shared.close();
  });
});

describe('SqliteKvStore on disk', () => {
  it('survives a restart, with 0600 permissions, and forgets what expired meanwhile', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fmg-kv-')), 'sub', 'store.sqlite');
    let now = Date.now();
    const a = new SqliteKvStore(file, { now: () => now, maintainEveryMs: 0 });
    await a.set('grant:1', { user: 'u' }, 3600);
    await a.set('code:1', { c: 1 }, 60);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await a.close();
    now += 120_000;
    const b = new SqliteKvStore(file, { now: () => now, maintainEveryMs: 0 });
    expect(await b.get('grant:1')).toEqual({ user: 'u' });
    expect(await b.get('code:1')).toBeUndefined();
    await b.close();
  });

  it('sweeps expired rows in batches through the expiry index', async () => {
    let now = Date.now();
    const kv = new SqliteKvStore(undefined, { now: () => now, maintainEveryMs: 0 });
    for (let i = 0; i < 1_200; i++) await kv.set(`authz:${i}`, { i }, i < 1_100 ? 60 : 3600);
    const plan = kv.db.prepare('EXPLAIN QUERY PLAN SELECT k FROM kv WHERE exp <= ? LIMIT 500').all(now) as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX kv_exp/);
    now += 120_000;
    expect(await kv.maintain()).toBe(1_100);
    expect(kv.db.prepare('SELECT count(*) AS n FROM kv').get()).toEqual({ n: 100 });
    await kv.close();
  });

  it('imports the former JSON store once, keeping live entries, and renames the file', async () => {
    const d = mkdtempSync(join(tmpdir(), 'fmg-kv-'));
    const now = Date.now();
    const json = join(d, 'oauth-store.json');
    writeFileSync(
      json,
      JSON.stringify({
        'grant:old': { v: { user: 'kept@example.com' }, exp: now + 3_600_000 },
        'code:gone': { v: { c: 1 }, exp: now - 1 },
      }),
    );
    const kv = new SqliteKvStore(join(d, 'oauth.sqlite'), { now: () => now, migrateFrom: json, maintainEveryMs: 0 });
    expect(await kv.get('grant:old')).toEqual({ user: 'kept@example.com' });
    expect(await kv.get('code:gone')).toBeUndefined();
    expect(existsSync(json)).toBe(false);
    expect(existsSync(`${json}.migrated`)).toBe(true);
    await kv.close();
  });

  it('a process killed with SIGKILL loses no write it had committed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fmg-kv-')), 'oauth.sqlite');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'kv-writer.ts'), file],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const committed: string[] = [];
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        const lines = buf.split('\n');
        buf = lines.pop()!;
        committed.push(...lines.filter(Boolean));
        // Killed in the middle of its writes, without any chance to close the database.
        if (committed.length >= 300 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error('writer ended early'))));
    });
    expect(existsSync(`${file}-wal`)).toBe(true);
    const kv = new SqliteKvStore(file, { maintainEveryMs: 0 });
    for (const id of committed) expect(await kv.get(`grant:${id}`)).toEqual({ id, user: 'sales@example.com' });
    await kv.close();
  });
});

describe('RedisKvStore against a real redis-server', () => {
  let redis: RedisServer | undefined;
  let url = '';
  beforeAll(async () => {
    redis = await startRedis();
    url = redis.url;
  });
  afterAll(() => {
    redis?.stop();
  });

  let stores: RedisKvStore[] = [];
  contract('RedisKvStore', () => {
    const st = new RedisKvStore(url, `t${Date.now()}:`);
    stores.push(st);
    return st;
  });

  it('two replicas (two connections) share state and consume a code once', async () => {
    const prefix = `rep${Date.now()}:`;
    const a = new RedisKvStore(url, prefix);
    const b = new RedisKvStore(url, prefix);
    await a.set('code:z', { g: 1 }, 60);
    const [x, y] = await Promise.all([a.take('code:z'), b.take('code:z')]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    await a.set('ttl', 1, 1);
    expect(await b.redis.ttl(`${prefix}ttl`)).toBeGreaterThan(0);
    await Promise.all([a.close(), b.close(), ...stores.map((st) => st.close())]);
    stores = [];
  });
});

describe('encryption at rest', () => {
  it('AES-256-GCM: opens only with the same key and the same record binding', () => {
    const d = mkdtempSync(join(tmpdir(), 'fmg-key-'));
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
