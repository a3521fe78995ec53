import type { RequestHandler, Response } from 'express';
import type { AuthChain } from '../auth/chain.js';
import { AuthError } from '../auth/errors.js';

export interface ChallengeOptions {
  realm: string;
  resourceMetadataUrl: string;
  /** Scopes a client should ask for, when OAuth is offered. */
  scope?: string;
}

/** RFC 6750 / RFC 9728 challenge. error="invalid_token" only when a token was actually sent. */
export function challengeHeader(opts: ChallengeOptions, err?: AuthError): string {
  const parts = [`realm="${opts.realm}"`, `resource_metadata="${opts.resourceMetadataUrl}"`];
  if (opts.scope) parts.push(`scope="${opts.scope}"`);
  if (err?.tokenPresented) parts.push('error="invalid_token"', `error_description="${err.message.replace(/"/g, "'")}"`);
  return `Bearer ${parts.join(', ')}`;
}

export function sendAuthError(res: Response, err: AuthError, challenge: ChallengeOptions): void {
  if (err.status === 401) res.setHeader('WWW-Authenticate', challengeHeader(challenge, err));
  if (err.status === 503) res.setHeader('Retry-After', String(err.retryAfterSeconds ?? 5));
  res.status(err.status).json({ error: { code: err.code, message: err.message } });
}

/** Runs the auth chain; on success `res.locals.auth` holds the caller and their Frappe client. */
export function authenticate(chain: AuthChain, challenge: ChallengeOptions): RequestHandler {
  return (req, res, next) => {
    chain.authenticate(req.headers).then(
      (auth) => {
        res.locals.auth = auth;
        next();
      },
      (err: unknown) => {
        if (err instanceof AuthError) return sendAuthError(res, err, challenge);
        next(err);
      },
    );
  };
}
