import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_KEYS } from '../src/standin/demo.js';
import { startStandin, type Standin } from '../src/standin/index.js';
import { tokenHeader } from './helpers/stack.js';
import { tempDir } from './helpers/temp.js';
import { freePort } from './helpers/ports.js';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
// The V8 flags of `npm start` (package.json), so the process under test is the one production runs.
const startFlags = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));
const { sales } = DEMO_API_KEYS;

interface Running {
  proc: ChildProcess;
  url: string;
  out: string[];
  exited: Promise<number | null>;
}

/** The real gateway process (src/index.ts) with `npm start`'s V8 flags, in front of the stand-in. */
async function startProcess(frappeUrl: string, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const dir = tempDir('fmg-shutdown-');
  const proc = spawn(process.execPath, [...startFlags, '--import', tsx, 'src/index.ts'], {
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
  for (let i = 0; i < 900; i++) {
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

/**
 * A pass-through to the stand-in that holds the requests `held` picks until the test opens the gate,
 * so "still in flight" is a fact the test controls, not a race against a delay.
 */
async function gatedFrappe(standin: Standin, held: (req: IncomingMessage) => boolean) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  const target = new URL(standin.url);
  const server = createServer((req, res) => {
    const forward = () => {
      const up = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (held(req)) {
      arrived();
      void gate.then(forward);
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reached,
    open,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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

/** The caller's identity check (the start-up checks ask Frappe as a guest, without a credential). */
const callersCheck = (req: IncomingMessage) =>
  (req.url ?? '').includes('get_logged_user') && req.headers.authorization !== undefined;

/** Exit code 0, and the buffered JSON log reached stdout up to its very last line. */
async function expectDrainedExit(gw: Running): Promise<void> {
  expect(await gw.exited).toBe(0);
  expect(gw.out.some((l) => l.includes('"shutting down: accepting no new requests"'))).toBe(true);
  expect(gw.out.at(-1)).toContain('"shut down"');
}

describe('SIGTERM', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin();
  });
  afterAll(() => standin.close());

  it('stops accepting, lets the request in flight finish, flushes the log and exits 0', async () => {
    const frappe = await gatedFrappe(standin, callersCheck);
    try {
      const gw = await startProcess(frappe.url, { SHUTDOWN_TIMEOUT_SECONDS: '60' });
      const inFlight = fetch(`${gw.url}/api/v1/whoami`, { headers: tokenHeader(sales.key, sales.secret) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { user?: string } }),
      );
      await frappe.reached;
      gw.proc.kill('SIGTERM');
      // New connections are refused while the old request is still held in Frappe.
      expect(await refused(gw.url)).toBe(true);
      frappe.open();
      expect(await inFlight).toEqual({ status: 200, body: expect.objectContaining({ user: sales.user }) as unknown });
      await expectDrainedExit(gw);
    } finally {
      frappe.open();
      await frappe.close();
    }
  }, 60_000);

  it('cuts requests still running when the grace period ends, and still exits 0', async () => {
    const frappe = await gatedFrappe(standin, callersCheck);
    try {
      const gw = await startProcess(frappe.url, { SHUTDOWN_TIMEOUT_SECONDS: '1' });
      const inFlight = fetch(`${gw.url}/api/v1/whoami`, { headers: tokenHeader(sales.key, sales.secret) }).then(
        (r) => r.status,
        () => 'cut',
      );
      await frappe.reached;
      gw.proc.kill('SIGTERM');
      expect(await gw.exited).toBe(0);
      expect(await inFlight).toBe('cut');
    } finally {
      frappe.open();
      await frappe.close();
    }
  }, 60_000);

  it('drains and exits 0 when the signal comes while the start-up checks still wait on Frappe', async () => {
    // The gateway already listens and serves, but its start-up ping to Frappe is held.
    const frappe = await gatedFrappe(standin, (req) => (req.url ?? '').startsWith('/api/method/ping'));
    try {
      const gw = await startProcess(frappe.url, { SHUTDOWN_TIMEOUT_SECONDS: '60' });
      await frappe.reached;
      gw.proc.kill('SIGTERM');
      // Before the fix the signal's default action ended the process (exit code null, no log flushed).
      await expectDrainedExit(gw);
    } finally {
      frappe.open();
      await frappe.close();
    }
  }, 60_000);
});
