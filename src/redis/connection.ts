import { createRequire } from 'node:module';
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.js';
import { redisUp } from '../metrics.js';
import { StoreUnavailableError } from './errors.js';

/** ioredis costs ~20 MiB of RSS once loaded: only a gateway configured with REDIS_URL loads it. */
const load = createRequire(import.meta.url);

export interface RedisConnectionOptions {
  url: string;
  logger: Logger;
  /** Longest one command may take before Redis counts as down (ms). */
  commandTimeoutMs?: number;
  /** After a failed or slow command, how long commands are refused at once before Redis is tried again (ms). */
  coolDownMs?: number;
}

/**
 * The gateway's one Redis connection, and what it knows about Redis's health. Commands never wait for
 * a dead Redis: while the connection is down they fail at once with StoreUnavailableError (no offline
 * queue), a live but hung Redis costs at most `commandTimeoutMs`, and after such a failure Redis is
 * left alone for `coolDownMs`. Loss and recovery are logged once each, and callers that keep state
 * in Redis (e.g. rate-limit scripts) are told when it is back.
 */
export class RedisConnection {
  readonly redis: Redis;
  private readonly log: Logger;
  private readonly coolDownMs: number;
  /** Whether the last news was good; starts true so that a Redis down at start is reported (once). */
  private up = true;
  private everReady = false;
  private coolUntil = 0;
  private readonly readyListeners: Array<() => void> = [];
  private persistenceChecked = false;
  private closed = false;
  private connecting: Promise<boolean> | undefined;
  private readonly commandTimeoutMs: number;

  constructor(opts: RedisConnectionOptions) {
    this.log = opts.logger.child({ component: 'redis' });
    this.coolDownMs = opts.coolDownMs ?? 2_000;
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 1_000;
    const { Redis: RedisClient } = load('ioredis') as typeof IORedis;
    this.redis = new RedisClient(opts.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: this.commandTimeoutMs,
      connectTimeout: 2_000,
      // Keep trying for as long as the gateway runs: Redis coming back must need no restart.
      retryStrategy: (times) => Math.min(100 * times, 2_000),
    });
    // Without an 'error' listener ioredis reports connection errors as unhandled.
    this.redis.on('error', (err: Error) => this.down(err.message));
    this.redis.on('close', () => this.down('connection closed'));
    this.redis.on('ready', () => this.ready());
  }

  /** True when commands may be sent now. */
  get available(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.coolUntil;
  }

  /** Called (again) each time Redis becomes ready, e.g. to reload server-side scripts. */
  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  /**
   * Runs one Redis operation, or throws StoreUnavailableError at once when Redis is down. Any
   * connection-level failure becomes StoreUnavailableError; Redis's own replies (e.g. NOSCRIPT,
   * WRONGTYPE) pass through unchanged.
   */
  async run<T>(op: (redis: Redis) => Promise<T>): Promise<T> {
    if (!this.available && !(await this.firstConnection())) throw new StoreUnavailableError();
    try {
      const result = await op(this.redis);
      if (!this.up) this.ready();
      return result;
    } catch (err) {
      if (isReplyError(err)) throw err;
      this.coolUntil = Date.now() + this.coolDownMs;
      this.down((err as Error).message);
      throw new StoreUnavailableError();
    }
  }

  /**
   * Right after start the first connection may still be on its way: wait for it, bounded, rather
   * than refuse the first requests. Once Redis has failed or been ready, never wait.
   */
  private firstConnection(): Promise<boolean> {
    if (this.everReady || !this.up || this.closed) return Promise.resolve(false);
    this.connecting ??= new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), this.commandTimeoutMs);
      this.redis.once('ready', onReady);
    }).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Answers PING within the command timeout; for readiness. */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Idempotent: the store and the gateway may both close it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.readyListeners.length = 0;
    this.up = false;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private down(why: string): void {
    if (!this.up) return;
    this.up = false;
    redisUp.set(0);
    this.log.warn(
      { why },
      this.everReady
        ? 'Redis connection lost: OAuth sign-ins and cross-replica state answer 503, rate limits count per process until it returns'
        : 'Redis is not reachable: OAuth sign-ins and cross-replica state answer 503, rate limits count per process until it answers',
    );
  }

  private ready(): void {
    this.coolUntil = 0;
    if (!this.up) this.log.info(this.everReady ? 'Redis connection restored' : 'Redis connected');
    this.up = true;
    this.everReady = true;
    redisUp.set(1);
    for (const l of this.readyListeners) l();
    if (!this.persistenceChecked) {
      this.persistenceChecked = true;
      void this.checkPersistence();
    }
  }

  /**
   * OAuth clients, grants and tokens live only in Redis: a Redis that neither appends (AOF) nor
   * snapshots (RDB) loses every sign-in when it restarts. CONFIG may be disabled on managed Redis.
   */
  private async checkPersistence(): Promise<void> {
    try {
      const aof = (await this.redis.call('CONFIG', 'GET', 'appendonly')) as string[];
      const save = (await this.redis.call('CONFIG', 'GET', 'save')) as string[];
      const appendonly = aof[1] === 'yes';
      const snapshots = typeof save[1] === 'string' && save[1].trim() !== '';
      if (!appendonly && !snapshots) {
        this.log.warn(
          'Redis does not persist (appendonly no, no save points): OAuth clients, grants and tokens vanish when it restarts; run it with --appendonly yes',
        );
      }
    } catch (err) {
      this.log.info(
        { why: (err as Error).message },
        'could not check whether Redis persists (CONFIG is not allowed); make sure appendonly or save is on, or OAuth sign-ins vanish when it restarts',
      );
    }
  }
}

/** A reply from Redis itself (the server answered), as opposed to a connection failure. */
function isReplyError(err: unknown): boolean {
  return (err as { name?: string }).name === 'ReplyError';
}
