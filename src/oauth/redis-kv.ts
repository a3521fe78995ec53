import { createRequire } from 'node:module';
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import type { KvStore } from './kv.js';

/** ioredis costs ~20 MiB of RSS once loaded: only a gateway configured with REDIS_URL loads it. */
const load = createRequire(import.meta.url);

/**
 * The shared store for several replicas. `take` is GETDEL (atomic in Redis ≥ 6.2), `add` is SET NX,
 * so a code or a refresh token is consumed by exactly one replica.
 */
export class RedisKvStore implements KvStore {
  readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'fmg:oauth:',
    onError: (err: Error) => void = () => {},
  ) {
    const { Redis: RedisClient } = load('ioredis') as typeof IORedis;
    this.redis = new RedisClient(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    // Without a listener ioredis reports connection errors as unhandled; commands still fail and surface as 5xx.
    this.redis.on('error', onError);
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const v = await this.redis.get(this.k(key));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.k(key), JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async take<T>(key: string): Promise<T | undefined> {
    const v = await this.redis.getdel(this.k(key));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async add(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const r = await this.redis.set(this.k(key), JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX');
    return r === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
