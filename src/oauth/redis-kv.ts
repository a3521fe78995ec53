import type { RedisConnection } from '../redis/connection.js';
import type { KvStore } from './kv.js';

/**
 * The shared store for several replicas. `take` is GETDEL (atomic in Redis ≥ 6.2), `add` is SET NX,
 * so a code or a refresh token is consumed by exactly one replica. While Redis is down every method
 * throws StoreUnavailableError at once (the routes answer 503 with Retry-After), never a raw client error.
 */
export class RedisKvStore implements KvStore {
  constructor(
    readonly connection: RedisConnection,
    private readonly prefix = 'fmg:oauth:',
  ) {}

  private k(key: string): string {
    return this.prefix + key;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const v = await this.connection.run((r) => r.get(this.k(key)));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.connection.run((r) =>
      r.set(this.k(key), JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds))),
    );
  }

  async take<T>(key: string): Promise<T | undefined> {
    const v = await this.connection.run((r) => r.getdel(this.k(key)));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async add(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const r = await this.connection.run((redis) =>
      redis.set(this.k(key), JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX'),
    );
    return r === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.connection.run((r) => r.del(this.k(key)));
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
