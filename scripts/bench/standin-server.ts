/**
 * The stand-in in its own process for benchmarks, under one of two load models:
 *   frappe-like (default): N one-at-a-time workers burning CPU per request (see frappe-like.ts);
 *   sleep: the plain stand-in in one keep-alive process, optionally sleeping per request ("delay:<ms>").
 * argv: <port> [frappe-like|sleep]; the model's knobs come from FRAPPE_WORKERS, FRAPPE_CPU_MS, FRAPPE_DB_MS.
 * IPC: {login:[user,password]} → {sid}; "count" → {validations, requests}; "reset"; "delay:<ms>" (sleep model).
 */
import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { startStandin } from '../../src/standin/index.js';
import { FRAPPE_LIKE_DEFAULTS, runWorker, startPrimary, type FrappeLikeOptions } from './frappe-like.js';

type Msg = string | { login: [string, string] };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function login(url: string, user: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/method/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ usr: user, pwd: password }),
  });
  const sid = /sid=([^;]+)/.exec(res.headers.getSetCookie().join(';'))?.[1];
  if (res.status !== 200 || !sid) throw new Error(`login failed for ${user}: HTTP ${res.status}`);
  return sid;
}

const num = (v: string | undefined, d: number) => (v === undefined || v === '' ? d : Number(v));

if (cluster.isWorker) {
  await runWorker(JSON.parse(process.env.FRAPPE_LIKE!) as FrappeLikeOptions, Number(process.env.FRAPPE_LIKE_PORT));
} else if ((process.argv[3] ?? 'frappe-like') === 'frappe-like') {
  const options: FrappeLikeOptions = {
    workers: num(process.env.FRAPPE_WORKERS, FRAPPE_LIKE_DEFAULTS.workers),
    cpuMs: num(process.env.FRAPPE_CPU_MS, FRAPPE_LIKE_DEFAULTS.cpuMs),
    dbMs: num(process.env.FRAPPE_DB_MS, FRAPPE_LIKE_DEFAULTS.dbMs),
  };
  const port = Number(process.argv[2] ?? 0) || (await freePort());
  const frappe = await startPrimary(options, port);
  process.send?.({ url: frappe.url, pids: frappe.pids, model: options });
  process.on('message', (msg: Msg) => {
    void (async () => {
      if (typeof msg === 'object') {
        const sid = await login(frappe.url, ...msg.login);
        await frappe.adopt(sid, msg.login[0]);
        process.send?.({ sid });
      } else if (msg === 'count') process.send?.(await frappe.count());
      else if (msg === 'reset') {
        await frappe.reset();
        process.send?.({ reset: true });
      }
    })();
  });
  process.on('SIGTERM', () => {
    frappe.stop();
    process.exit(0);
  });
} else {
  const standin = await startStandin({ port: Number(process.argv[2] ?? 0) });
  process.send?.({ url: standin.url, pids: [process.pid], model: 'sleep' });
  process.on('message', (msg: Msg) => {
    void (async () => {
      if (typeof msg === 'object') process.send?.({ sid: await standin.login(...msg.login) });
      else if (msg === 'count') {
        const n = standin.requests.filter((r) => r.path === '/api/method/frappe.auth.get_logged_user').length;
        process.send?.({ validations: n, requests: standin.requests.length });
      } else if (msg.startsWith('delay:')) {
        const ms = Number(msg.slice(6));
        standin.setFault(ms > 0 ? 'slow' : null, { delayMs: ms });
        process.send?.({ delay: ms });
      } else if (msg === 'reset') {
        standin.resetRequests();
        process.send?.({ reset: true });
      }
    })();
  });
}
