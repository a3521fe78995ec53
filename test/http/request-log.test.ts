import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { requestLog } from '../../src/http/request-log.js';
import { captureLogger } from '../helpers/logger.js';
import { hasFastProperties, sameHiddenClass } from '../helpers/v8.js';

/** Runs the middleware on a bare request and response, as the lane and express hand them over. */
function serve(mw: ReturnType<typeof requestLog>, headers: Record<string, string> = {}) {
  const sent: Record<string, string> = {};
  const res = Object.assign(new EventEmitter(), {
    locals: Object.create(null) as Record<string, unknown>,
    statusCode: 200,
    headers: sent,
    setHeader(name: string, value: string) {
      sent[name] = value;
    },
  });
  const req = { headers, method: 'POST', path: '/mcp', baseUrl: '' };
  const next = vi.fn();
  mw(req as unknown as Request, res as unknown as Response, next);
  expect(next).toHaveBeenCalledOnce();
  return res;
}

describe('requestLog', () => {
  it("gives each request's locals one hidden class, fast properties and its id (issue #12)", () => {
    const { logger } = captureLogger();
    const mw = requestLog(logger);
    const a = serve(mw, { 'x-request-id': 'one' });
    const b = serve(mw);
    // A getter defined on each request's locals put it in dictionary mode, and held the request in V8's
    // old space until a full collection.
    expect(hasFastProperties(a.locals)).toBe(true);
    expect(sameHiddenClass(a.locals, b.locals)).toBe(true);
    expect(a.locals.reqId).toBe('one');
    expect(a.headers['X-Request-Id']).toBe('one');
    expect(b.locals.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['X-Request-Id']).toBe(b.locals.reqId);
  });

  it('makes the child logger only when something logs, once, bound to the request id', () => {
    const { logger, lines } = captureLogger();
    const child = vi.spyOn(logger, 'child');
    const res = serve(requestLog(logger), { 'x-request-id': 'two' });
    expect(child).not.toHaveBeenCalled();
    const log = res.locals.log as typeof logger;
    expect(res.locals.log).toBe(log);
    expect(child).toHaveBeenCalledOnce();
    log.info('hello');
    // A failed request gets its own line, with the same id.
    res.statusCode = 500;
    res.emit('finish');
    const parsed = lines.map((l) => JSON.parse(l) as { reqId?: string; msg: string; status?: number });
    expect(parsed.find((l) => l.msg === 'hello')?.reqId).toBe('two');
    expect(parsed.find((l) => l.msg === 'request')).toMatchObject({ reqId: 'two', status: 500 });
  });
});
