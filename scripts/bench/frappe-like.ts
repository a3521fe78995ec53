/**
 * A Frappe-like load model around the stand-in, for benchmarks only.
 *
 * A real site is `gunicorn -w N` sync workers: each serves one request at a time, spends 4–6 ms of
 * Python CPU on it, waits a little for MariaDB, and closes the connection after the answer (issue #12,
 * measured on Frappe 15.75). The stand-in answers in ~0.3 ms from one keep-alive process, and a
 * stand-in that *sleeps* costs no CPU, so neither can show a gateway's CPU slowing a Frappe on the
 * same cores. This model can: N cluster workers (each with its own stand-in state, the same seed),
 * each request queued behind the one before it, `cpuMs` burnt busy, `dbMs` waited with the thread
 * blocked (Atomics.wait: no CPU, no other request served meanwhile, like a sync worker on a DB
 * socket), then the stand-in's own handler, and `Connection: close` on every answer.
 *
 * The stand-in's handlers are used unchanged; only sessions are shared between workers (Frappe keeps
 * them in Redis/MariaDB, so any worker knows any sid): see adoptSession.
 */
import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createStandinApp, type AppControl } from '../../src/standin/app.js';
import { StandinState } from '../../src/standin/state.js';
import { parseFrappeMajor, traitsOf } from '../../src/standin/version.js';

export interface FrappeLikeOptions {
  /** Worker processes, like gunicorn -w (default 2). */
  workers: number;
  /** CPU burnt per request, busy (default 5 ms, as measured on Frappe 15.75 for a 20-row list). */
  cpuMs: number;
  /** Blocked wait per request standing for the database (default 0.5 ms). */
  dbMs: number;
}

export const FRAPPE_LIKE_DEFAULTS: FrappeLikeOptions = { workers: 2, cpuMs: 5, dbMs: 0.5 };

/** Messages between the model's primary and its workers. */
type WorkerMsg =
  | { op: 'adopt'; sid: string; user: string }
  | { op: 'count' }
  | { op: 'reset' }
  | { op: 'ready'; pid: number }
  | { op: 'counted'; validations: number; requests: number };

function burn(ms: number): void {
  const until = performance.now() + ms;
  // Spinning on the clock is the point: the CPU must be busy, not idle.
  while (performance.now() < until);
}

const blocker = new Int32Array(new SharedArrayBuffer(4));
function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(blocker, 0, 0, ms);
}

/**
 * Frappe keeps sessions in a store every worker reads; each worker here holds its own stand-in state,
 * so a sid made by one is written into the others. The session store's map is private to the
 * stand-in, which is not changed for benchmarks: this reaches it at run time and says so if it moved.
 */
function adoptSession(state: StandinState, sid: string, user: string): void {
  const map = (state.sessions as unknown as { sessions?: unknown }).sessions;
  if (!(map instanceof Map))
    throw new Error('frappe-like: the stand-in session store changed shape; update adoptSession');
  map.set(sid, { sid, user, lastSeen: state.clock() });
}

/** One worker: the stand-in's express app behind a one-at-a-time queue. */
export async function runWorker(options: FrappeLikeOptions, port: number): Promise<void> {
  // FRAPPE_VERSION=16 imitates Frappe 16, as the demo does.
  const state = new StandinState(Date.now, 612_000, traitsOf(parseFrappeMajor(process.env.FRAPPE_VERSION)));
  const control: AppControl = { state, requests: [], fault: null };
  const app = createStandinApp(control);
  const queue: Array<[IncomingMessage, ServerResponse]> = [];
  let busy = false;
  const next = (): void => {
    if (busy) return;
    const item = queue.shift();
    if (!item) return;
    busy = true;
    const [req, res] = item;
    res.setHeader('Connection', 'close');
    res.once('close', () => {
      busy = false;
      next();
    });
    burn(options.cpuMs);
    blockFor(options.dbMs);
    app(req, res);
  };
  const server = createServer((req, res) => {
    queue.push([req, res]);
    next();
  });
  server.keepAliveTimeout = 0;
  process.on('message', (msg: WorkerMsg) => {
    if (msg.op === 'adopt') adoptSession(state, msg.sid, msg.user);
    if (msg.op === 'reset') {
      control.requests.length = 0;
      process.send?.({ op: 'reset' } satisfies WorkerMsg);
    }
    if (msg.op === 'count') {
      const validations = control.requests.filter((r) => r.path === '/api/method/frappe.auth.get_logged_user').length;
      process.send?.({ op: 'counted', validations, requests: control.requests.length } satisfies WorkerMsg);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.send?.({ op: 'ready', pid: process.pid } satisfies WorkerMsg);
}

export interface FrappeLikePrimary {
  url: string;
  /** Worker pids, for CPU accounting. */
  pids: number[];
  /** Makes a sid known to every worker (what Frappe's shared session store does). */
  adopt(sid: string, user: string): Promise<void>;
  /** Requests seen by all workers since the last reset, and how many were identity checks. */
  count(): Promise<{ validations: number; requests: number }>;
  reset(): Promise<void>;
  stop(): void;
}

/** The primary: forks the workers (this same script, via cluster) and waits until all listen. */
export async function startPrimary(options: FrappeLikeOptions, port: number): Promise<FrappeLikePrimary> {
  // Workers accept from the shared socket themselves: a worker busy with a request does not accept,
  // so the idle one takes the next connection, as gunicorn sync workers do (no round-robin queueing).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const workers = Array.from({ length: options.workers }, () =>
    cluster.fork({ FRAPPE_LIKE: JSON.stringify(options), FRAPPE_LIKE_PORT: String(port) }),
  );
  const pids = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve) =>
          w.on('message', (m: WorkerMsg) => {
            if (m.op === 'ready') resolve(m.pid);
          }),
        ),
    ),
  );
  const all = <T extends WorkerMsg>(msg: WorkerMsg, answer: WorkerMsg['op']): Promise<T[]> =>
    Promise.all(
      workers.map(
        (w) =>
          new Promise<T>((resolve) => {
            const on = (m: WorkerMsg) => {
              if (m.op !== answer) return;
              w.off('message', on);
              resolve(m as T);
            };
            w.on('message', on);
            w.send(msg);
          }),
      ),
    );
  return {
    url: `http://127.0.0.1:${port}`,
    pids,
    adopt: async (sid, user) => {
      for (const w of workers) w.send({ op: 'adopt', sid, user } satisfies WorkerMsg);
      // A count round-trip after the adopt proves every worker has processed it (IPC is ordered).
      await all({ op: 'count' }, 'counted');
    },
    count: async () => {
      const counts = await all<Extract<WorkerMsg, { op: 'counted' }>>({ op: 'count' }, 'counted');
      return {
        validations: counts.reduce((a, c) => a + c.validations, 0),
        requests: counts.reduce((a, c) => a + c.requests, 0),
      };
    },
    reset: async () => {
      await all({ op: 'reset' }, 'reset');
    },
    stop: () => {
      for (const w of workers) w.kill('SIGTERM');
    },
  };
}
