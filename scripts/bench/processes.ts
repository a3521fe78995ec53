import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { DEMO_API_KEYS, DEMO_USERS } from '../../src/standin/demo.js';
import { MCP_HEADERS, toolCallBody, type LoadTarget } from './load.js';

/** The V8 flags `npm start` gives the gateway, so a benchmark measures what production runs. */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((a) => a.startsWith('--'));
}

/** GATEWAY_NODE_FLAGS when set (even empty, to measure without flags), else the start command's. */
export function gatewayFlags(): string[] {
  const env = process.env.GATEWAY_NODE_FLAGS;
  return env === undefined ? startFlags() : env.split(' ').filter(Boolean);
}

export type LoadModel = 'frappe-like' | 'sleep';

export interface BenchProcesses {
  /** The stand-in, in its own process (answers IPC "count", "reset", "delay:<ms>", {login}). */
  standin: ChildProcess;
  frappe: string;
  /** Processes doing Frappe's work (the frappe-like workers, or the one stand-in process). */
  frappePids: number[];
  /** The gateway as built for production (npm run build), not through a TypeScript loader. */
  gateway: ChildProcess;
  gw: string;
  stop: () => void;
}

export interface BenchOptions {
  model?: LoadModel;
  gatewayNodeFlags?: string[];
  /** Extra environment for the gateway. */
  gatewayEnv?: Record<string, string>;
  /** Skip the TypeScript build (already done in this run). */
  skipBuild?: boolean;
  /** A program and its arguments that run node (e.g. valgrind); the gateway gets longer to start under it. */
  wrap?: string[];
  /** A file descriptor for the gateway's stdout (V8's --trace-gc lines land there). */
  stdout?: number;
  /** How the gateway addresses the stand-in (its frappe.url host): 127.0.0.1 unless given, e.g. localhost. */
  frappeHost?: string;
}

/** fork()'s options that run node with `flags`, under `wrap` when given. */
function nodeUnder(flags: string[], wrap: string[] | undefined): { execPath?: string; execArgv: string[] } {
  return wrap?.length
    ? { execPath: wrap[0]!, execArgv: [...wrap.slice(1), process.execPath, ...flags] }
    : { execArgv: flags };
}

/**
 * The bare Node relay (floor-proxy.ts) in front of `frappe`, with the gateway's V8 flags: what any Node
 * gateway pays per call on this machine.
 */
export async function startFloor(
  frappe: string,
  wrap?: string[],
): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const child = fork('scripts/bench/floor-proxy.ts', [], {
    ...nodeUnder(['--import', 'tsx', ...gatewayFlags()], wrap),
    env: { ...process.env, FRAPPE_URL: frappe, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => child.once('message', resolve));
  return { url: `http://127.0.0.1:${port}/mcp`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Sends an IPC message to the stand-in process and waits for its answer. */
export function ask<T>(child: ChildProcess, msg: unknown): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg as string);
  });
}

/** A sid for `user`, known to every Frappe worker. */
export async function benchSid(standin: ChildProcess, user: string, password: string): Promise<string> {
  return (await ask<{ sid: string }>(standin, { login: [user, password] })).sid;
}

/** The demo sales user's two credential kinds as headers: a new sid (`sid`) and its API key (`api_key`). */
export async function salesCredentials(
  standin: ChildProcess,
): Promise<Record<'sid' | 'api_key', Record<string, string>>> {
  const sid = await benchSid(standin, DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  const { sales } = DEMO_API_KEYS;
  return { sid: { Cookie: `sid=${sid}` }, api_key: { Authorization: `token ${sales.key}:${sales.secret}` } };
}

/** The benchmarks' default tool arguments: a 20-row Customer list, as an agent asks for it. */
export const LIST_ARGS = '{"doctype":"Customer","fields":["name","customer_name"],"limit":20}';

/** A tools/call of `tool` as the demo sales user, signed in with a new sid, POSTed to `url` (the gateway's /mcp by default). */
export async function salesToolCall(
  procs: Pick<BenchProcesses, 'standin' | 'gw'>,
  tool = 'list_documents',
  args: unknown = JSON.parse(LIST_ARGS),
  url = `${procs.gw}/mcp`,
): Promise<LoadTarget> {
  const sid = await benchSid(procs.standin, DEMO_USERS.sales.user, DEMO_USERS.sales.password);
  return { url, method: 'POST', headers: { ...MCP_HEADERS, Cookie: `sid=${sid}` }, body: toolCallBody(tool, args) };
}

/** Starts the stand-in and the built gateway in front of it, each in its own process, and waits until both answer. */
export async function startBenchProcesses(options: BenchOptions = {}): Promise<BenchProcesses> {
  const model = options.model ?? 'frappe-like';
  const standin = fork('scripts/bench/standin-server.ts', ['0', model], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { url: frappe, pids: frappePids } = await new Promise<{ url: string; pids: number[] }>((resolve) =>
    standin.once('message', (m) => resolve(m as { url: string; pids: number[] })),
  );
  if (!options.skipBuild) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  const port = await freePort();
  const gateway = fork('dist/index.js', [], {
    ...nodeUnder(options.gatewayNodeFlags ?? gatewayFlags(), options.wrap),
    // Throughput is the point here, so the per-user request budget is off.
    env: {
      ...process.env,
      FRAPPE_URL: options.frappeHost ? frappe.replace('127.0.0.1', options.frappeHost) : frappe,
      PORT: String(port),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      RATE_LIMIT_PER_USER_PER_MINUTE: '0',
      ...options.gatewayEnv,
    },
    // GW_STDOUT=1 shows the gateway's stdout (logs, or V8's --trace-gc lines given in GATEWAY_NODE_FLAGS).
    stdio: ['ignore', options.stdout ?? (process.env.GW_STDOUT ? 'inherit' : 'ignore'), 'inherit', 'ipc'],
  });
  const gw = `http://127.0.0.1:${port}`;
  for (let i = 0; i < (options.wrap ? 3000 : 100); i++) {
    try {
      if ((await fetch(`${gw}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    standin,
    frappe,
    frappePids,
    gateway,
    gw,
    stop: () => {
      gateway.kill('SIGTERM');
      standin.kill('SIGTERM');
    },
  };
}
