import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { RedisConnection } from './connection.js';

/**
 * Request counters that live in Redis while it answers (so a budget holds across replicas) and in
 * this process's memory while it does not: a Redis outage never stalls a request (the connection
 * refuses commands at once while down) and never switches a limit off. When Redis comes back the
 * counting script is loaded again (a Redis restart forgets it), then counting returns to Redis.
 */
export class FallbackRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private readonly shared: RedisStore;
  private readonly local = new MemoryStore();
  private options: Options | undefined;
  /** The counting script is loaded in the Redis we talk to now. */
  private scriptsLoaded = false;
  /** The script load under way, if any: a request that arrives meanwhile waits for it (one round trip). */
  private loading: Promise<void> | undefined;

  constructor(
    private readonly connection: RedisConnection,
    name: string,
  ) {
    this.prefix = `fmg:rl:${name}:`;
    this.shared = new RedisStore({
      prefix: this.prefix,
      sendCommand: (command: string, ...args: string[]) =>
        connection.run((redis) => redis.call(command, ...args) as Promise<RedisReply>),
    });
    connection.onReady(() => void this.loadScripts());
  }

  init(options: Options): void {
    this.options = options;
    this.local.init(options);
    if (this.connection.available) void this.loadScripts();
  }

  async increment(key: string): Promise<IncrementResponse> {
    // Right after start-up or a Redis restart the script is still loading: counting here meanwhile
    // would give each replica its own budget for that moment, so the request waits for the load (one
    // round trip; a hung Redis costs at most the command timeout, as counting in it would).
    if (!this.scriptsLoaded && this.loading && this.connection.available) await this.loading;
    if (this.connection.available && this.scriptsLoaded) {
      try {
        return await this.shared.increment(key);
      } catch {
        // Down or hung: the connection has logged it once; count here meanwhile.
      }
    }
    return this.local.increment(key);
  }

  async decrement(key: string): Promise<void> {
    await Promise.all([this.local.decrement(key), this.whenShared(() => this.shared.decrement(key))]);
  }

  async resetKey(key: string): Promise<void> {
    await Promise.all([this.local.resetKey(key), this.whenShared(() => this.shared.resetKey(key))]);
  }

  shutdown(): void {
    this.local.shutdown();
  }

  private async whenShared(op: () => Promise<void>): Promise<void> {
    if (!this.connection.available || !this.scriptsLoaded) return;
    await op().catch(() => undefined);
  }

  /** rate-limit-redis loads its scripts in init() only; a failed load would otherwise stay failed for good. */
  private loadScripts(): Promise<void> {
    const options = this.options;
    if (!options) return Promise.resolve();
    this.scriptsLoaded = false;
    const loading: Promise<void> = Promise.resolve()
      .then(() => this.shared.init(options))
      .then(
        () => {
          this.scriptsLoaded = true;
        },
        // Redis went away again; the next 'ready' tries once more.
        () => undefined,
      )
      .finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
    this.loading = loading;
    return loading;
  }
}

/**
 * Where request counters live: Redis (with the per-process fallback above) when the gateway shares
 * one, else this process's memory (express-rate-limit's default, signalled by undefined).
 */
export function rateLimitStore(connection: RedisConnection | undefined, name: string): Store | undefined {
  return connection ? new FallbackRateLimitStore(connection, name) : undefined;
}
