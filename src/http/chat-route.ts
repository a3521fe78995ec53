import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { KvStore } from '../oauth/kv.js';
import { z } from 'zod';
import type { Authenticated } from '../auth/chain.js';
import { AuthError } from '../auth/errors.js';
import type { ChatAnswer, ChatContext, ChatEvent } from '../chat/engine.js';
import { ConfirmationError, type PendingCall } from '../chat/llm/confirm.js';
import { createChatRuntime, type ChatRuntime } from '../chat/llm/runtime.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { hasWriteScope } from '../oauth/index.js';
import type { ToolLimits } from '../tools/define.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { CallOutcome } from '../tools/run.js';
import { sendAuthError, type ChallengeOptions } from './authenticate.js';
import { sendError } from './errors.js';
import { StoreUnavailableError } from '../redis/errors.js';
import type { AuditLog } from '../audit/log.js';

export const ChatRequest = z
  .object({
    message: z.string().trim().min(1, 'message is empty').max(2000, 'message is longer than 2000 characters'),
    context: z
      .object({
        route: z.array(z.string().max(200)).max(10).optional(),
        doctype: z.string().max(140).optional(),
        docname: z.string().max(140).optional(),
      })
      .optional(),
    confirm: z.string().max(2000).optional(),
  })
  .strict();

export interface ChatRouteOptions {
  registry: ToolRegistry;
  limits: ToolLimits;
  challenge: ChallengeOptions;
  /** chat (mode, model, confirmations) and mcp.read_only; absent = planner only, no confirmations. */
  config?: Pick<Config, 'chat' | 'mcp'>;
  /** The gateway's shared store (Redis with several replicas) for pending confirmations. */
  store?: KvStore;
  now?: () => Date;
  /** The audit trail: one line per chat request (and one per tool call it makes); absent when off. */
  audit?: AuditLog;
}

/**
 * The planner, the LLM agent and their vocabularies load on the first question, not at start-up: a
 * gateway that only serves MCP never carries them (~1.3 MiB of idle RSS, issue #12). Node keeps each
 * module once loaded, so later questions pay a resolved import only.
 */
async function answerQuestion(
  message: string,
  ctx: ChatContext,
  chat: ChatRuntime,
  confirmed: PendingCall | undefined,
): Promise<ChatAnswer> {
  if (confirmed) return (await import('../chat/llm/confirmed.js')).runConfirmed(confirmed, ctx);
  if (chat.agent) return (await import('../chat/llm/agent.js')).answerWithLlm(message, ctx, chat.agent);
  return (await import('../chat/engine.js')).answerWithPlanner(message, ctx);
}

function sse(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** POST /api/v1/chat: a question in, an answer with blocks out, as JSON or as Server-Sent Events. */
export function chatRoute(opts: ChatRouteOptions): RequestHandler {
  const chat = createChatRuntime(opts.config, opts.store);
  const handle = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const outcome: CallOutcome = {};
    if (opts.audit) auditWhenDone(opts.audit, req, res, outcome);
    if (!req.is('application/json')) {
      return sendError(res, 415, 'unsupported_media_type', 'Send the question as JSON: {"message": "…"}.');
    }
    const parsed = ChatRequest.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      return sendError(res, 400, 'invalid_request', `${where}${issue.message}`);
    }
    const auth = res.locals.auth as Authenticated;
    // A confirmation is checked before anything streams, so every refusal is a plain 4xx and nothing runs.
    let confirmed: PendingCall | undefined;
    if (parsed.data.confirm !== undefined) {
      if (chat.readOnly) {
        return sendError(res, 403, 'read_only', 'This gateway is read-only: changes cannot be confirmed here.');
      }
      if (!hasWriteScope(auth)) {
        return sendError(res, 403, 'insufficient_scope', 'This sign-in may only read, so it cannot confirm a change.');
      }
      try {
        confirmed = await chat.confirmations.redeem(parsed.data.confirm, {
          user: auth.principal.user,
          kind: auth.credential.kind,
        });
      } catch (err) {
        if (err instanceof ConfirmationError) return sendError(res, err.status, err.code, err.message);
        if (err instanceof StoreUnavailableError) {
          res.setHeader('Retry-After', String(err.retryAfterSeconds));
          return sendError(res, 503, 'store_unavailable', `Nothing was run. ${err.message}`);
        }
        throw err;
      }
    }
    const stream = (req.headers.accept ?? '').includes('text/event-stream');
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    if (stream) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
    }
    const emit = (e: ChatEvent): void => {
      if (stream && !res.writableEnded) sse(res, e.event, e.data);
    };
    const ctx: ChatContext = {
      auth,
      registry: opts.registry,
      limits: opts.limits,
      log: res.locals.log as Logger,
      reqId: String(res.locals.reqId),
      outcome,
      today: opts.now?.() ?? new Date(),
      signal: abort.signal,
      ...(opts.audit ? { audit: opts.audit } : {}),
      emit,
    };
    answerQuestion(parsed.data.message, ctx, chat, confirmed).then(
      (answer: ChatAnswer) => {
        if (outcome.credentialRejected) {
          const err = new AuthError(
            401,
            'invalid_credentials',
            'Frappe no longer accepts this credential; sign in again.',
            auth.credential.kind !== 'sid',
          );
          if (!stream) return sendAuthError(res, err, opts.challenge);
          sse(res, 'error', { message: err.message, status: 401 });
          return res.end();
        }
        // Frappe was down, slow or busy: the sentence says so, and the status lets a program know too.
        const failure = outcome.upstreamFailure;
        const status = failure ? (failure.failure === 'timeout' ? 504 : 503) : undefined;
        const retryAfter = failure ? (failure.retryAfterSeconds ?? 5) : undefined;
        if (!stream && status) res.status(status).set('Retry-After', String(retryAfter));
        if (!stream) return res.json(answer);
        // A stream's HTTP status went out with its first event; the closing event carries it instead.
        sse(res, 'done', status ? { ...answer, status, retry_after: retryAfter } : answer);
        res.end();
      },
      (err: unknown) => {
        if (!stream) return next(err);
        (res.locals.log as Logger).error({ err }, 'chat failed');
        sse(res, 'error', { message: `Internal error (ref ${String(res.locals.reqId)}).` });
        res.end();
      },
    );
  };
  return (req, res, next) => {
    handle(req, res, next).catch(next);
  };
}

/** Exactly one audit line per chat request, however it ends (answered, refused, failed, or abandoned). */
function auditWhenDone(audit: AuditLog, req: Request, res: Response, outcome: CallOutcome): void {
  const started = performance.now();
  res.once('close', () => {
    const auth = res.locals.auth as Authenticated;
    const body = req.body as { message?: unknown; confirm?: unknown } | undefined;
    const status = res.statusCode;
    audit.write({
      event: 'chat',
      reqId: String(res.locals.reqId),
      site: auth.principal.site,
      user: auth.principal.user,
      credential: auth.principal.kind,
      ...(auth.principal.oauthClientId ? { client_id: auth.principal.oauthClientId } : {}),
      // The question, clipped; a confirmation token is a bearer of one write, so only its presence is kept.
      message: typeof body?.message === 'string' ? body.message.slice(0, 500) : undefined,
      confirm: typeof body?.confirm === 'string',
      outcome: outcome.credentialRejected
        ? 'credential_rejected'
        : outcome.upstreamFailure
          ? `frappe_${outcome.upstreamFailure.failure ?? 'unavailable'}`
          : !res.writableFinished
            ? 'abandoned'
            : status < 400
              ? 'ok'
              : `http_${status}`,
      status,
      ms: Math.round(performance.now() - started),
    });
  });
}
