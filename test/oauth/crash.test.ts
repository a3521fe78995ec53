import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandin, type Standin } from '../../src/standin/index.js';
import {
  addFrappeClient,
  FRAPPE_CLIENT,
  manualCode,
  postForm,
  register,
  whoamiWithToken,
  type ManualClient,
  type OAuthStack,
} from './helpers.js';

/**
 * The production entry point (src/index.ts) in a child process, killed with SIGKILL right after it
 * issued tokens: no chance to close the store. The next process on the same data dir honours them.
 */
const VERIFIER = 'k'.repeat(20) + '-verifier-0123456789abcdefghij';
let standin: Standin;
let port = 0;
let dataDir = '';
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const p = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return p;
}

async function startChild(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/index.ts')], {
    env: {
      ...process.env,
      FRAPPE_URL: standin.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      OAUTH_DATA_DIR: dataDir,
      OAUTH_FRAPPE_CLIENT_ID: FRAPPE_CLIENT.id,
      OAUTH_FRAPPE_CLIENT_SECRET: FRAPPE_CLIENT.secret,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return proc;
    if (proc.exitCode !== null) throw new Error(`gateway exited with ${proc.exitCode}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('gateway did not start');
}

async function kill(proc: ChildProcess): Promise<void> {
  const gone = new Promise<NodeJS.Signals | null>((r) => proc.once('exit', (_c, sig) => r(sig)));
  proc.kill('SIGKILL');
  expect(await gone).toBe('SIGKILL');
}

beforeAll(async () => {
  standin = await startStandin();
  port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'fmg-crash-'));
  addFrappeClient(standin, FRAPPE_CLIENT, `http://127.0.0.1:${port}/oauth/callback`);
}, 60_000);
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) await kill(child);
  await standin.close();
});

describe('the embedded store under SIGKILL', () => {
  it('a grant committed just before the process was killed survives: its tokens work and refresh after a restart', async () => {
    child = await startChild();
    const url = `http://127.0.0.1:${port}`;
    const s = { url, mcpUrl: new URL('/mcp', url), standin } as unknown as OAuthStack;
    const reg = await register(s, { client_name: 'Crash', redirect_uris: ['http://127.0.0.1:9999/cb'] });
    const client: ManualClient = { clientId: reg.body.client_id as string, redirect: 'http://127.0.0.1:9999/cb' };
    const code = await manualCode(s, client, VERIFIER);
    const t = await postForm(`${url}/token`, {
      grant_type: 'authorization_code',
      code,
      code_verifier: VERIFIER,
      redirect_uri: client.redirect,
      client_id: client.clientId,
    });
    expect(t.status).toBe(200);
    // Killed the moment the token response arrived.
    await kill(child);

    child = await startChild();
    expect((await whoamiWithToken(s, t.body.access_token as string)).status).toBe(200);
    const r = await postForm(`${url}/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.body.refresh_token as string,
      client_id: client.clientId,
    });
    expect(r.status).toBe(200);
    expect((await whoamiWithToken(s, r.body.access_token as string)).text).toContain('sales@example.com');
  }, 60_000);
});
