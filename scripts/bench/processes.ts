import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface BenchProcesses {
  /** The stand-in, in its own process (answers IPC "count", "reset", "delay:<ms>"). */
  standin: ChildProcess;
  frappe: string;
  /** The gateway as built for production (npm run build), not through a TypeScript loader. */
  gateway: ChildProcess;
  gw: string;
  stop: () => void;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Sends an IPC message to the stand-in process and waits for its answer. */
export function ask<T>(child: ChildProcess, msg: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

/** Starts the stand-in and the built gateway in front of it, each in its own process, and waits until both answer. */
export async function startBenchProcesses(gatewayNodeFlags: string[] = []): Promise<BenchProcesses> {
  const standin = fork('scripts/bench/standin-server.ts', ['0'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { url: frappe } = await new Promise<{ url: string }>((resolve) =>
    standin.once('message', (m) => resolve(m as { url: string })),
  );
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  const port = await freePort();
  const gateway = fork('dist/index.js', [], {
    execArgv: gatewayNodeFlags,
    // Throughput is the point here, so the per-user request budget is off.
    env: {
      ...process.env,
      FRAPPE_URL: frappe,
      PORT: String(port),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const gw = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${gw}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    standin,
    frappe,
    gateway,
    gw,
    stop: () => {
      gateway.kill('SIGTERM');
      standin.kill('SIGTERM');
    },
  };
}
