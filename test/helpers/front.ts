// A front in front of the Frappe stand-in, as nginx and gunicorn are in front of Frappe on a bench:
// it serves some files itself (bench's /assets) and forwards every other request, keeping its Host,
// through at most `workers` requests at a time (gunicorn's sync workers: a request holds a worker until
// its answer is complete; the others queue).
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Front {
  url: string;
  /** Workers holding a request now, requests waiting for one, and requests answered so far. */
  busy: number;
  queued: number;
  served: number;
  close(): Promise<void>;
}

export interface FrontOptions {
  workers?: number;
  /** path → [content type, body], answered by the front itself. */
  files?: Record<string, [string, string]>;
}

export async function startFront(target: string, options: FrontOptions = {}): Promise<Front> {
  const upstream = new URL(target);
  const workers = options.workers ?? Infinity;
  const files = options.files ?? {};
  const waiting: Array<() => void> = [];
  const front: Front = { url: '', busy: 0, queued: 0, served: 0, close: () => Promise.resolve() };
  const acquire = (): Promise<void> => {
    if (front.busy < workers) {
      front.busy++;
      return Promise.resolve();
    }
    front.queued++;
    return new Promise<void>((resolve) =>
      waiting.push(() => {
        front.queued--;
        front.busy++;
        resolve();
      }),
    );
  };
  const release = (): void => {
    front.busy--;
    front.served++;
    waiting.shift()?.();
  };
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    void acquire().then(() => {
      let done = false;
      res.on('close', () => {
        if (!done) {
          done = true;
          release();
        }
      });
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.writeHead(502).end());
      req.pipe(out);
    });
  };
  const server: Server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://front').pathname];
    if (file && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  front.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return front;
}
