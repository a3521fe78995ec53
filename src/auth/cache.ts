import NodeCache from 'node-cache';
import type { Principal } from './types.js';

/** A confirmed identity, or a definite rejection remembered briefly. */
export type CacheEntry =
  | { ok: true; principal: Principal; csrfToken?: string; csrfConfirmed?: string }
  | { ok: false; reason: string; until: number };

/**
 * Where confirmed identities live. Keys are `site|kind|sha256(secret)`, never a raw secret.
 * Small on purpose, so a shared store (Redis) can stand behind it without touching strategies.
 */
export interface IdentityCache {
  get(key: string): CacheEntry | undefined;
  set(key: string, entry: CacheEntry, ttlSeconds: number): void;
  delete(key: string): void;
  /** Entries held now (for metrics and tests). */
  size(): number;
}

/** The embedded default: node-cache, bounded; when full, the oldest entries make room. */
export class MemoryIdentityCache implements IdentityCache {
  private readonly cache: NodeCache;

  constructor(private readonly maxEntries: number) {
    this.cache = new NodeCache({ useClones: false, checkperiod: 60, deleteOnExpire: true });
  }

  get(key: string): CacheEntry | undefined {
    return this.cache.get<CacheEntry>(key);
  }

  set(key: string, entry: CacheEntry, ttlSeconds: number): void {
    if (ttlSeconds <= 0) return;
    if (!this.cache.has(key) && this.cache.keys().length >= this.maxEntries) {
      // node-cache keeps insertion order in keys(): drop the oldest tenth at once, not one per insert.
      this.cache.del(this.cache.keys().slice(0, Math.max(1, Math.ceil(this.maxEntries / 10))));
    }
    this.cache.set(key, entry, ttlSeconds);
  }

  delete(key: string): void {
    this.cache.del(key);
  }

  size(): number {
    return this.cache.getStats().keys;
  }

  close(): void {
    this.cache.close();
  }
}
