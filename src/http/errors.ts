import type { ErrorRequestHandler, Response } from 'express';

/** Every error this gateway answers itself has this body: a code a program can test and a sentence a person can act on. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message } });
}

/**
 * The last handler: body-parser failures become 4xx with a clear message; anything unexpected is a
 * 500 that names a reference id, never a stack trace.
 */
export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.parse.failed')
    return sendError(res, 400, 'invalid_json', 'The request body is not valid JSON.');
  if (e.type === 'entity.too.large') return sendError(res, 413, 'body_too_large', 'The request body is too large.');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return sendError(res, 415, 'unsupported_encoding', 'The request body encoding is not supported.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendError(res, status, 'bad_request', 'The request could not be read.');
  }
  const log = res.locals.log as { error(o: object, m: string): void } | undefined;
  log?.error({ err }, 'unhandled error');
  return sendError(res, 500, 'internal_error', `Internal error (ref ${String(res.locals.reqId ?? '-')}).`);
};
