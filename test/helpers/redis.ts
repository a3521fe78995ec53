import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

export interface RedisServer {
  url: string;
  port: number;
  /** SIGTERM; resolves once the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: no goodbye to the clients. Resolves once the process has exited. */
  kill(): Promise<void>;
  /** Starts redis-server again on the same port (after stop or kill) and waits until it answers. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that hangs with its connections open, as an overloaded or partitioned one does. */
  pause(): void;
  resume(): void;
}

export interface RedisOptions {
  /** Extra redis-server arguments; the default runs without persistence (a scratch server). */
  args?: string[];
  /** Reserve the port but do not start the server yet (a gateway starting while Redis is down). */
  startStopped?: boolean;
}

/** Waits until redis-server on `url` answers PING (at most ~5 s). */
async function answering(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if (probe.status !== 'ready') await probe.connect();
        await probe.ping();
        return;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server on ${url} did not answer`);
  } finally {
    probe.disconnect();
  }
}

/** A throwaway redis-server on a random loopback port; fails (never skips) when redis-server is missing. */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  const which = spawnSync('redis-server', ['--version']);
  if (which.error || which.status !== 0) {
    throw new Error('redis-server is not installed; run `apt-get install -y redis-server` (Debian/Ubuntu).');
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = ['--port', String(port), '--bind', '127.0.0.1', ...(opts.args ?? ['--save', '', '--appendonly', 'no'])];
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = spawn('redis-server', args, { stdio: 'ignore' });
    await answering(url);
  };
  const end = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const p = proc;
      proc = undefined;
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill(signal);
    });
  if (!opts.startStopped) await launch();
  return {
    url,
    port,
    stop: () => (proc?.kill('SIGCONT'), end('SIGTERM')),
    kill: () => end('SIGKILL'),
    restart: launch,
    pause: () => proc?.kill('SIGSTOP'),
    resume: () => proc?.kill('SIGCONT'),
  };
}
