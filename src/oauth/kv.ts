/**
 * The facade's storage: a small key/value contract the embedded SQLite store, Redis and the
 * in-memory store keep. Values are JSON; every key has a time to live.
 */
export interface KvStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Reads and deletes at once: of two concurrent takes of one key, at most one gets the value. */
  take<T>(key: string): Promise<T | undefined>;
  /** Sets only when the key is absent; true when this call set it. */
  add(key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

interface Entry {
  v: unknown;
  /** Epoch ms. */
  exp: number;
}

/** A process-local store with nothing on disk (chat confirmations without a shared store, tests). */
export class MemoryKvStore implements KvStore {
  private readonly map = new Map<string, Entry>();
  private writes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.exp <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e;
  }

  private put(key: string, value: unknown, ttlSeconds: number): void {
    // Expired entries are dropped now and then, so the map does not grow without bound.
    if (++this.writes % 1000 === 0) {
      const t = this.now();
      for (const [k, e] of this.map) if (e.exp <= t) this.map.delete(k);
    }
    this.map.set(key, { v: structuredClone(value), exp: this.now() + ttlSeconds * 1000 });
  }

  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(structuredClone(this.live(key)?.v) as T | undefined);
  }

  set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.put(key, value, ttlSeconds);
    return Promise.resolve();
  }

  take<T>(key: string): Promise<T | undefined> {
    const e = this.live(key);
    if (!e) return Promise.resolve(undefined);
    this.map.delete(key);
    return Promise.resolve(e.v as T);
  }

  add(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    if (this.live(key)) return Promise.resolve(false);
    this.put(key, value, ttlSeconds);
    return Promise.resolve(true);
  }

  delete(key: string): Promise<void> {
    this.map.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** One site's slice of a shared store: every key gets the site's prefix, and closing is the owner's job. */
export class PrefixedKvStore implements KvStore {
  constructor(
    readonly inner: KvStore,
    readonly prefix: string,
  ) {}

  get<T>(key: string): Promise<T | undefined> {
    return this.inner.get<T>(this.prefix + key);
  }
  set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    return this.inner.set(this.prefix + key, value, ttlSeconds);
  }
  take<T>(key: string): Promise<T | undefined> {
    return this.inner.take<T>(this.prefix + key);
  }
  add(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    return this.inner.add(this.prefix + key, value, ttlSeconds);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(this.prefix + key);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
