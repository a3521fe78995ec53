import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { RedisKvStore } from '../../src/oauth/redis-kv.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  stop(): void;
}

/** A throwaway redis-server on a random loopback port; fails (never skips) when redis-server is missing. */
export async function startRedis(): Promise<RedisServer> {
  const which = spawnSync('redis-server', ['--version']);
  if (which.error || which.status !== 0) {
    throw new Error('redis-server is not installed; run `apt-get install -y redis-server` (Debian/Ubuntu).');
  }
  const port = await freePort();
  const proc: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new RedisKvStore(url);
  for (let i = 0; i < 100; i++) {
    try {
      await probe.redis.ping();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await probe.close();
  return { url, stop: () => proc.kill('SIGTERM') };
}
