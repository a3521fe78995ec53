import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../src/standin/demo.js';
import { startStandin, type Standin } from '../src/standin/index.js';
import { tokenHeader } from './helpers/stack.js';
import { tempDir } from './helpers/temp.js';
import { freePort } from './helpers/ports.js';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const { sales } = DEMO_API_KEYS;

interface Running {
  proc: ChildProcess;
  url: string;
  out: string[];
  exited: Promise<number | null>;
}

/** The real gateway process (src/index.ts), as `npm start` runs it, in front of the stand-in. */
async function startProcess(frappeUrl: string, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const dir = tempDir('fmg-shutdown-');
  const proc = spawn(process.execPath, [tsx, 'src/index.ts'], {
    env: {
      ...process.env,
      FRAPPE_URL: frappeUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_FORMAT: 'json',
      OAUTH_MODE: 'off',
      OAUTH_DATA_DIR: dir,
      AUDIT_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  proc.stdout.on('data', (d: Buffer) => out.push(...d.toString('utf8').split('\n').filter(Boolean)));
  proc.stderr.on('data', (d: Buffer) => out.push(...d.toString('utf8').split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { proc, url, out, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`the gateway did not start:\n${out.join('\n')}`);
}

/** Resolves once the stand-in has received a request on `path`: the gateway's call is then in flight. */
async function reached(standin: Standin, path: RegExp): Promise<void> {
  for (let i = 0; i < 200 && !standin.requests.some((r) => path.test(r.path)); i++)
    await new Promise((r) => setTimeout(r, 25));
}

async function refused(url: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`${url}/healthz`, { headers: { Connection: 'close' } });
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

describe('SIGTERM', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin();
  });
  afterAll(() => standin.close());

  it('stops accepting, lets the request in flight finish, flushes the log and exits 0', async () => {
    const gw = await startProcess(standin.url, { SHUTDOWN_TIMEOUT_SECONDS: '30' });
    standin.resetRequests();
    standin.setFault('slow', { delayMs: 4000, paths: /get_logged_user/ });
    let finished = false;
    const inFlight = fetch(`${gw.url}/api/v1/whoami`, { headers: tokenHeader(sales.key, sales.secret) }).then(
      async (r) => {
        finished = true;
        return { status: r.status, body: (await r.json()) as { user?: string } };
      },
    );
    await reached(standin, /get_logged_user/);
    gw.proc.kill('SIGTERM');
    expect(await refused(gw.url)).toBe(true);
    expect(finished, 'new connections are refused while the old request is still running').toBe(false);
    const answer = await inFlight;
    standin.setFault(null);
    expect(answer).toEqual({ status: 200, body: expect.objectContaining({ user: sales.user }) as unknown });
    expect(await gw.exited).toBe(0);
    // The buffered JSON log reached stdout, up to the very last line.
    expect(gw.out.some((l) => l.includes('"shutting down: accepting no new requests"'))).toBe(true);
    expect(gw.out.at(-1)).toContain('"shut down"');
  });

  it('cuts requests still running when the grace period ends, and still exits 0', async () => {
    const gw = await startProcess(standin.url, { SHUTDOWN_TIMEOUT_SECONDS: '1' });
    standin.resetRequests();
    standin.setFault('slow', { delayMs: 15_000, paths: /get_logged_user/ });
    const inFlight = fetch(`${gw.url}/api/v1/whoami`, { headers: tokenHeader(sales.key, sales.secret) }).then(
      (r) => r.status,
      () => 'cut',
    );
    await reached(standin, /get_logged_user/);
    gw.proc.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
    expect(await inFlight).toBe('cut');
    standin.setFault(null);
  });
});
