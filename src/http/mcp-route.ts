import {
  createMcpHandler,
  isLegacyRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
  WebStandardStreamableHTTPServerTransport,
  type McpHandlerRequestOptions,
  type McpServerFactory,
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler, type Response as ExpressResponse } from 'express';
import type { Authenticated } from '../auth/chain.js';
import { AuthError } from '../auth/errors.js';
import type { Logger } from '../log/logger.js';
import {
  authInfoFor,
  mcpServerFactory,
  mcpToolRunner,
  type McpRequestState,
  type McpToolRunner,
} from '../mcp/server.js';
import type { ToolLimits } from '../tools/define.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { CallOutcome, ToolResult } from '../tools/run.js';
import { challengeHeader, sendAuthError, type ChallengeOptions } from './authenticate.js';
import type { AuditLog } from '../audit/log.js';

export interface McpRouteOptions {
  registry: ToolRegistry;
  limits: ToolLimits;
  challenge: ChallengeOptions;
  logger: Logger;
  maxBodyBytes: number;
  audit?: AuditLog;
}

/**
 * 2025-era requests (initialize handshake): a fresh server per request on a stateless transport that
 * answers with one JSON body. Unlike the SDK's default fallback (SSE), the answer is complete when
 * it is returned, so a credential Frappe rejected mid-call can still turn it into HTTP 401, and no
 * SSE framing is paid for single-result tool calls.
 */
function legacyJsonHandler(factory: McpServerFactory) {
  return async (request: Request, options: McpHandlerRequestOptions): Promise<Response> => {
    const server = await factory({ era: 'legacy', authInfo: options.authInfo, requestInfo: request });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    // Nothing outlives the answer (no session, no stream), so the pair is simply dropped: closing
    // it would only build a "connection closed" error per request.
    return transport.handleRequest(request, options);
  };
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** Body parsing for /mcp: once, here; failures answer as JSON-RPC errors, never as HTML or a 500. */
export function mcpBody(maxBodyBytes: number): [RequestHandler, ErrorRequestHandler] {
  const parse = express.json({ limit: maxBodyBytes, strict: false, type: () => true });
  const onError: ErrorRequestHandler = (err: { type?: string }, _req, res, next) => {
    if (res.headersSent) return next(err);
    const send = (status: number, code: number, message: string) =>
      res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
    if (err.type === 'entity.parse.failed') return send(400, -32700, 'Parse error: the body is not valid JSON.');
    if (err.type === 'entity.too.large') return send(413, -32600, 'Request body too large.');
    return send(400, -32600, 'Invalid request body.');
  };
  const parseAndBound: RequestHandler = (req, res, next) => {
    const bounded = (err?: unknown): void => {
      if (err) return next(err);
      if (nestsDeeperThan(req.body, MAX_DEPTH)) {
        return void res
          .status(400)
          .json({ jsonrpc: '2.0', error: { code: -32600, message: 'Request body nests too deeply.' }, id: null });
      }
      next();
    };
    const length = plainJsonLength(req.headers, maxBodyBytes);
    if (length === undefined) return parse(req, res, bounded);
    readPlainJson(req, (err, body) => {
      if (!err) req.body = body;
      bounded(err);
    });
  };
  return [parseAndBound, onError];
}

/** The Content-Type values MCP clients send (lower-cased), read without body-parser. */
const PLAIN_JSON: ReadonlySet<string> = new Set(['application/json', 'application/json; charset=utf-8']);

/**
 * The declared length of a body that is plain JSON: not compressed, not chunked, of a plain JSON type,
 * 1 byte to `limit` long; otherwise undefined, and body-parser reads it (and answers 413, 415 or 400
 * where it must). Nearly every MCP request is such a body, and for it body-parser's generality (media
 * type and charset parsing, inflation, raw-body's stream bookkeeping) cost ~68 K instructions per tool
 * call, 7 % of the gateway's (issue #12, scripts/bench/instructions.ts), to do what readPlainJson does.
 */
export function plainJsonLength(headers: IncomingHttpHeaders, limit: number): number | undefined {
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) return undefined;
  const type = headers['content-type'];
  if (type === undefined || !PLAIN_JSON.has(type.toLowerCase())) return undefined;
  const declared = headers['content-length'];
  if (declared === undefined || !/^[1-9][0-9]{0,9}$/.test(declared)) return undefined;
  const length = Number(declared);
  return length <= limit ? length : undefined;
}

/**
 * Reads a plain JSON body (plainJsonLength) as body-parser would: the bytes decoded as UTF-8 (invalid
 * sequences become U+FFFD and a byte-order mark is dropped, as iconv-lite does), then JSON.parse. Its
 * errors carry body-parser's types, so mcpBody's error handler answers both alike. Node's HTTP parser
 * stops at the declared length; a client that hangs up first gets "request.aborted".
 */
function readPlainJson(req: IncomingMessage, done: (err: { type: string } | undefined, body?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let settled = false;
  const fail = (): void => {
    if (settled) return;
    settled = true;
    done({ type: 'request.aborted' });
  };
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('error', fail);
  req.once('close', fail);
  req.once('end', () => {
    if (settled) return;
    settled = true;
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const text = bytes.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return done({ type: 'entity.parse.failed' });
    }
    done(undefined, body);
  });
}

/** No MCP message nests anywhere near this deep; deeper bodies would overflow the stack when re-serialised. */
const MAX_DEPTH = 64;

function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (max <= 0) return true;
  // Recursion is bounded by max; iterating in place allocates nothing per request (issue #12).
  if (Array.isArray(value)) {
    for (const child of value) if (nestsDeeperThan(child, max - 1)) return true;
    return false;
  }
  for (const key in value) if (nestsDeeperThan((value as Record<string, unknown>)[key], max - 1)) return true;
  return false;
}

/** 2025-era revisions: a request naming one of these in MCP-Protocol-Version needs no session (we keep none). */
const LEGACY_VERSIONS: ReadonlySet<string> = new Set(SUPPORTED_PROTOCOL_VERSIONS);

interface ToolCallMessage {
  id: string | number;
  params: { name: string; arguments?: Record<string, unknown> };
}

/** JSON's objects, as the SDK's z.record accepts them: not null, not an array, no class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The one request that is nearly all of an MCP server's traffic: a 2025-era, stateless `tools/call`
 * answered with one JSON body. It needs none of a protocol server's machinery (no handshake state,
 * no notifications, no streams), and building a Server, a transport and web Request/Response objects
 * per call costs more CPU than the rest of the call (issue #12). So it is recognised here and answered
 * directly; anything else (initialize, tools/list, ping, notifications, batches, _meta, a 2026-07-28
 * request, a missing or unknown protocol version, an Accept header the SDK would refuse) goes to the
 * SDK unchanged, errors included.
 *
 * The test is the SDK's JSONRPCRequest (strict: no other top-level member, an integer or string id)
 * and CallToolRequest schemas spelt out, or stricter: whatever it lets through, the SDK accepts too,
 * and whatever else reaches the SDK. Running the zod schemas themselves cost ~0.04 ms per call.
 */
function fastToolCall(body: unknown, headers: IncomingHttpHeaders): ToolCallMessage | undefined {
  const version = headers['mcp-protocol-version'];
  if (typeof version !== 'string' || !LEGACY_VERSIONS.has(version)) return undefined;
  const accept = headers.accept;
  if (typeof accept !== 'string' || !accept.includes('application/json') || !accept.includes('text/event-stream'))
    return undefined;
  if (!isPlainObject(body) || body.method !== 'tools/call' || body.jsonrpc !== '2.0') return undefined;
  const { id, params } = body;
  if (typeof id !== 'string' && !Number.isSafeInteger(id)) return undefined;
  for (const key in body)
    if (key !== 'jsonrpc' && key !== 'id' && key !== 'method' && key !== 'params') return undefined;
  if (!isPlainObject(params) || typeof params.name !== 'string') return undefined;
  if (params.arguments !== undefined && !isPlainObject(params.arguments)) return undefined;
  for (const key in params) if (key !== 'name' && key !== 'arguments') return undefined;
  return body as unknown as ToolCallMessage;
}

/**
 * The JSON-RPC answer, serialising the tool's data once: runTool's text block IS the JSON of
 * structuredContent, so it is spliced in as is instead of being stringified a second time.
 */
function serializeAnswer(id: string | number, result: ToolResult): string {
  const text = result.content.length === 1 ? result.content[0]!.text : undefined;
  if (result.structuredContent && !result.isError && text !== undefined) {
    return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":${JSON.stringify(text)}}],"structuredContent":${text}}}`;
  }
  return JSON.stringify({ jsonrpc: '2.0', id, result });
}

/**
 * One HTTP request's MCP state. A class, not an object literal: a literal with a getter and a
 * conditional spread is built through V8's runtime on every call (issue #12).
 */
class HttpRequestState implements McpRequestState {
  readonly auth: Authenticated;
  readonly reqId: string;
  readonly outcome: CallOutcome = {};

  constructor(
    private readonly locals: Record<string, unknown>,
    readonly audit: AuditLog | undefined,
  ) {
    this.auth = locals.auth as Authenticated;
    this.reqId = String(locals.reqId);
  }

  /** Read when something logs, so the request's child logger is made only then (request-log.ts). */
  get log(): Logger {
    return this.locals.log as Logger;
  }
}

const hangUps = new WeakMap<Socket, AbortSignal>();

/**
 * Aborted when the client's connection closes. A connection carries one request at a time, so a
 * request still running when it closes has lost its client; one signal per connection, not per call,
 * because each of Node's AbortSignals gets a map of its own (V8), which sends every property access
 * on it through a runtime lookup (issue #12). Whoever listens removes its listener when done.
 */
function hangUpSignal(socket: Socket): AbortSignal {
  let signal = hangUps.get(socket);
  if (!signal) {
    const abort = new AbortController();
    socket.once('close', () => abort.abort());
    signal = abort.signal;
    hangUps.set(socket, signal);
  }
  return signal;
}

function answerToolCall(
  run: McpToolRunner,
  msg: ToolCallMessage,
  state: McpRequestState,
  req: IncomingMessage,
  res: ServerResponse,
  challenge: ChallengeOptions,
): Promise<void> {
  // A client that hangs up cancels the Frappe call made for it.
  return run(state, msg.params.name, msg.params.arguments, hangUpSignal(req.socket)).then((result) => {
    if (state.outcome.credentialRejected) return expiredCredentialNode(res as ExpressResponse, state.auth, challenge);
    const body = serializeAnswer(msg.id, result);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
}

/**
 * POST /mcp for both protocol eras: 2025-era stateless tools/call answered directly (fastToolCall),
 * 2026-07-28 requests on the SDK's modern path, every other 2025-era request on a JSON stateless leg.
 * Runs after the auth chain.
 */
export function mcpRoute(opts: McpRouteOptions): RequestHandler {
  const runner = mcpToolRunner(opts.registry, opts.limits);
  const factory = mcpServerFactory(opts.registry, runner);
  const modern = createMcpHandler(factory, {
    legacy: 'reject',
    maxRequestBodySize: opts.maxBodyBytes,
    onerror: (err) => opts.logger.debug({ err: err.message }, 'mcp request rejected'),
  });
  const legacy = legacyJsonHandler(factory);
  const node = toNodeHandler(
    {
      fetch: async (request, options = {}) => {
        if (!(request.headers.get('content-type') ?? '').includes('application/json') && request.method === 'POST') {
          return jsonRpcError(415, -32600, 'Content-Type must be application/json.');
        }
        const isLegacy = await isLegacyRequest(request, options.parsedBody, { maxRequestBodySize: opts.maxBodyBytes });
        const response = isLegacy ? await legacy(request, options) : await modern.fetch(request, options);
        const state = options.authInfo?.extra?.state as McpRequestState | undefined;
        // Frappe refused the caller's credential mid-call (its cache entry is already gone):
        // HTTP 401 makes the client re-authenticate instead of showing a tool error.
        if (state?.outcome.credentialRejected) {
          void response.body?.cancel();
          return expiredCredential(state.auth, opts.challenge);
        }
        return response;
      },
    },
    {
      maxRequestBodySize: opts.maxBodyBytes,
      onerror: (err) =>
        // A client that hangs up mid-body is not a gateway failure.
        err.message === 'aborted' || (err as { code?: string }).code === 'ECONNRESET'
          ? opts.logger.debug({ err: err.message }, 'mcp client went away')
          : opts.logger.error({ err }, 'mcp adapter failed'),
    },
  );
  return (req, res, next) => {
    const state = new HttpRequestState(res.locals, opts.audit);
    res.locals.outcome = state.outcome;
    const contentType = req.headers['content-type'];
    const call =
      typeof contentType === 'string' && contentType.includes('application/json')
        ? fastToolCall(req.body, req.headers)
        : undefined;
    if (call) {
      answerToolCall(runner, call, state, req, res, opts.challenge).catch(next);
      return;
    }
    // toNodeHandler passes req.auth through to the server factory as authInfo.
    (req as unknown as { auth: unknown }).auth = authInfoFor(state);
    node(req as never, res as never, req.body).catch(next);
  };
}

const EXPIRED = 'Frappe no longer accepts this credential; sign in again.';

function expiredCredentialNode(res: ExpressResponse, auth: Authenticated, challenge: ChallengeOptions): void {
  sendAuthError(res, new AuthError(401, 'invalid_credentials', EXPIRED, auth.credential.kind !== 'sid'), challenge);
}

function expiredCredential(auth: Authenticated, challenge: ChallengeOptions): Response {
  const err = new AuthError(401, 'invalid_credentials', EXPIRED, auth.credential.kind !== 'sid');
  return new Response(JSON.stringify({ error: { code: err.code, message: err.message } }), {
    status: 401,
    headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': challengeHeader(challenge, err) },
  });
}
