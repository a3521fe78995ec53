import type { Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { KvStore } from '../oauth/kv.js';
import { RedisKvStore } from '../oauth/redis-kv.js';

/**
 * Where request counters live: Redis when the gateway shares one (so a budget holds across replicas),
 * else this process's memory (express-rate-limit's default, signalled by undefined).
 */
export function rateLimitStore(kv: KvStore | undefined, name: string): Store | undefined {
  if (!(kv instanceof RedisKvStore)) return undefined;
  return new RedisStore({
    prefix: `fmg:rl:${name}:`,
    sendCommand: (command: string, ...args: string[]) => kv.redis.call(command, ...args) as Promise<RedisReply>,
  });
}
