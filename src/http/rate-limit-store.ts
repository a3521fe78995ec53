import type { Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { PrefixedKvStore, type KvStore } from '../oauth/kv.js';
import { RedisKvStore } from '../oauth/redis-kv.js';

/**
 * Where request counters live: Redis when the gateway shares one (so a budget holds across replicas),
 * else this process's memory (express-rate-limit's default, signalled by undefined).
 */
export function rateLimitStore(kv: KvStore | undefined, name: string): Store | undefined {
  // One site of several counts under its own prefix in the store they share.
  const site = kv instanceof PrefixedKvStore ? kv.prefix : '';
  const base = kv instanceof PrefixedKvStore ? kv.inner : kv;
  if (!(base instanceof RedisKvStore)) return undefined;
  return new RedisStore({
    prefix: `fmg:rl:${site}${name}:`,
    sendCommand: (command: string, ...args: string[]) => base.redis.call(command, ...args) as Promise<RedisReply>,
  });
}
