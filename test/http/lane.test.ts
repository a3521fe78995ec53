import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { lane, LaneRequest, LaneResponse } from '../../src/http/lane.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(listener: RequestListener, laneClasses = false): Promise<string> {
  server = laneClasses
    ? createServer({ IncomingMessage: LaneRequest, ServerResponse: LaneResponse }, listener)
    : createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (url: string) => fetch(url, { method: 'POST', body: '{}' });

describe('lane: one route chain without the router', () => {
  it('runs the handlers in order on express request and response objects', async () => {
    const app = express();
    app.set('json spaces', 0);
    const seen: string[] = [];
    const handlers: RequestHandler[] = [
      (req, res, next) => {
        seen.push(`route ${(req.route as { path: string }).path}`);
        res.locals.who = 'first';
        next();
      },
      (req, res) => {
        seen.push(`query ${JSON.stringify(req.query)} path ${req.path}`);
        res.status(201).json({ who: res.locals.who as string, ip: req.ip !== undefined });
      },
      () => seen.push('never'),
    ];
    const url = await serve(lane(app, '/x', handlers, []));
    const res = await post(`${url}/x`);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ who: 'first', ip: true });
    expect(seen).toEqual(['route /x', 'query {} path /x']);
  });

  it('sends an error passed to next, thrown, or rejected to the error handlers in order', async () => {
    const app = express();
    const failures: RequestHandler[] = [
      (_req, _res, next) => next(new Error('passed')),
      () => {
        throw new Error('thrown');
      },
      () => Promise.reject(new Error('rejected')),
    ];
    const seen: string[] = [];
    const errorHandlers: ErrorRequestHandler[] = [
      (err: Error, _req, _res, next) => {
        seen.push(`first ${err.message}`);
        next(err);
      },
      (err: Error, _req, res, _next) => {
        res.status(418).json({ error: err.message });
      },
    ];
    for (const fail of failures) {
      const url = await serve(lane(app, '/x', [(_req, _res, next) => next(), fail], errorHandlers));
      const res = await post(`${url}/x`);
      expect(res.status).toBe(418);
      const { error } = (await res.json()) as { error: string };
      expect(seen.pop()).toBe(`first ${error}`);
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    }
  });

  it('still answers when a chain ends without answering: 404, or 500 after an unhandled error', async () => {
    const app = express();
    let url = await serve(lane(app, '/x', [(_req, _res, next) => next()], []));
    expect((await post(`${url}/x`)).status).toBe(404);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    url = await serve(lane(app, '/x', [(_req, _res, next) => next(new Error('lost'))], []));
    const res = await post(`${url}/x`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
  });
});

describe('lane: which requests take it', () => {
  it('takes only POST to exactly the route; every other request is the app’s', async () => {
    const app = express();
    app.all(/.*/, (req, res) => {
      res.send(`app ${req.method} ${req.url}`);
    });
    const url = await serve(lane(app, '/mcp', [(_req, res) => res.end('lane')], []));
    expect(await (await post(`${url}/mcp`)).text()).toBe('lane');
    expect(await (await fetch(`${url}/mcp`)).text()).toBe('app GET /mcp');
    expect(await (await post(`${url}/mcp?x=1`)).text()).toBe('app POST /mcp?x=1');
    expect(await (await post(`${url}/mcp/`)).text()).toBe('app POST /mcp/');
    expect(await (await post(`${url}/MCP`)).text()).toBe('app POST /MCP');
  });
});

describe('lane: on a server whose requests are born with express’s methods', () => {
  it('keeps their prototypes, gives them the app, and serves the router’s requests as before', async () => {
    const app = express();
    app.set('json spaces', 2);
    app.get('/other', (req, res) => {
      res.json({ app: req.app === app && res.app === app });
    });
    const seen: unknown[] = [];
    const handler: RequestHandler = (req, res) => {
      seen.push(
        Object.getPrototypeOf(req) === LaneRequest.prototype,
        Object.getPrototypeOf(res) === LaneResponse.prototype,
      );
      seen.push(req.app === app, res.app === app, req.get('x-probe'));
      // res.json reads 'json spaces' through res.app: the indentation proves it is this app.
      res.status(202).json({ ok: true });
    };
    const url = await serve(lane(app, '/x', [handler], []), true);
    const res = await fetch(`${url}/x`, { method: 'POST', body: '{}', headers: { 'x-probe': 'p' } });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('{\n  "ok": true\n}');
    expect(seen).toEqual([true, true, true, true, 'p']);
    const other = await fetch(`${url}/other`);
    expect(await other.text()).toBe('{\n  "app": true\n}');
  });
});
