import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The facade's storage: a small key/value contract both the embedded file store and Redis keep.
 * Values are JSON; every key has a time to live.
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

/**
 * The embedded default: an in-process map written through to one JSON file (0600, replaced atomically
 * by rename), so clients, grants and tokens survive a restart. One process only: replicas need Redis.
 * Without a file it is memory-only. The file is created on the first write, not at start.
 */
export class FileKvStore implements KvStore {
  private readonly map = new Map<string, Entry>();
  private writes = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    if (file && existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry>;
      const t = this.now();
      for (const [k, e] of Object.entries(data)) if (e.exp > t) this.map.set(k, e);
    }
  }

  private live(key: string): Entry | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.exp <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e;
  }

  private persist(): void {
    if (!this.file) return;
    // Expired entries are dropped now and then, so the file does not grow without bound.
    if (++this.writes % 100 === 0) {
      const t = this.now();
      for (const [k, e] of this.map) if (e.exp <= t) this.map.delete(k);
    }
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.map)), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(structuredClone(this.live(key)?.v) as T | undefined);
  }

  set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.map.set(key, { v: structuredClone(value), exp: this.now() + ttlSeconds * 1000 });
    this.persist();
    return Promise.resolve();
  }

  take<T>(key: string): Promise<T | undefined> {
    const e = this.live(key);
    if (!e) return Promise.resolve(undefined);
    this.map.delete(key);
    this.persist();
    return Promise.resolve(e.v as T);
  }

  add(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    if (this.live(key)) return Promise.resolve(false);
    this.map.set(key, { v: structuredClone(value), exp: this.now() + ttlSeconds * 1000 });
    this.persist();
    return Promise.resolve(true);
  }

  delete(key: string): Promise<void> {
    if (this.map.delete(key)) this.persist();
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
