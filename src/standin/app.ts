import express, { type Express, type Request, type Response } from 'express';
import { checkCsrf, resolveSession, validateAuthorization } from './auth.js';
import { baseUrlOf, str, type Reply, type RequestContext } from './context.js';
import { parseCookies, sessionCookies } from './cookies.js';
import {
  FrappeError,
  encodeServerMessages,
  errorPage,
  v1ErrorBody,
  v2ErrorBody,
  wantsHtml,
  withAsTable,
} from './errors.js';
import { applyFault, type Fault } from './faults.js';
import { login, logout } from './login.js';
import { callMethod } from './methods.js';
import { websitePage } from './pages.js';
import { insertOAuthClient, resource } from './resource.js';
import type { StandinState } from './state.js';
import { v2 } from './v2.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  /** Resolved Frappe user or 'Guest'. */
  user: string;
  auth: 'sid' | 'token' | 'basic' | 'bearer' | 'none';
  headers: Record<string, string | string[] | undefined>;
}

/** Mutable knobs the programmatic API reaches into. */
export interface AppControl {
  state: StandinState;
  requests: RecordedRequest[];
  fault: Fault | null;
}

function queryOf(url: string): Record<string, unknown> {
  const q = url.indexOf('?');
  const out: Record<string, unknown> = {};
  if (q < 0) return out;
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) out[k] = v;
  return out;
}

type Parsed = { ok: true; args: Record<string, unknown>; json: boolean } | { ok: false };

/** frappe.form_dict: a non-empty JSON body replaces the query; a form body is merged over it. */
function parseBody(req: Request, query: Record<string, unknown>): Parsed {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const type = String(req.headers['content-type'] ?? '');
  if (raw.trim() && type.includes('application/json')) {
    try {
      const value = JSON.parse(raw) as unknown;
      const args = Array.isArray(value)
        ? { data: value }
        : value && typeof value === 'object'
          ? (value as Record<string, unknown>)
          : {};
      return { ok: true, args, json: true };
    } catch {
      return { ok: false };
    }
  }
  const args = { ...query };
  if (raw && type.includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
  }
  return { ok: true, args, json: false };
}

function route(ctx: RequestContext, state: StandinState): Reply {
  const path = ctx.rawPath;
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  if (segments[0] !== 'api') return websitePage(ctx, state, decodeURIComponent(path));
  const rest = segments[1] === 'v1' ? segments.slice(2) : segments.slice(1);
  if (segments[1] === 'v2') {
    ctx.v2 = true;
    return v2(ctx, state, segments.slice(2));
  }
  if (rest[0] === 'method' && rest[1]) {
    const name = rest.slice(1).join('/');
    if (name === 'login') return login(ctx, state);
    if (name === 'logout') return logout(ctx, state);
    const out = callMethod(ctx, state, name);
    if ('reply' in out) return out.reply;
    return { body: out.value === undefined ? {} : { message: out.value } };
  }
  if (rest[0] === 'resource' && rest[1] === 'OAuth Client' && rest.length === 2 && ctx.method === 'POST') {
    return insertOAuthClient(ctx, state);
  }
  if (rest[0] === 'resource' && rest[1])
    return resource(ctx, state, rest[1], rest.length > 2 ? rest.slice(2).join('/') : undefined);
  throw new FrappeError('DoesNotExistError');
}

function errorReply(ctx: RequestContext, err: unknown): Reply {
  const e = err instanceof FrappeError ? err : new FrappeError('Exception');
  if (!ctx.v2 && wantsHtml(str(ctx.headers.accept), str(ctx.headers['x-requested-with']))) {
    return { status: e.status, html: errorPage(e.status, ctx.traits) };
  }
  return { status: e.status, body: ctx.v2 ? v2ErrorBody(e) : v1ErrorBody(e) };
}

function send(res: Response, ctx: RequestContext | undefined, reply: Reply, maxAge: number): void {
  res.status(reply.status ?? 200);
  if (ctx && !reply.noCookies) {
    const session = reply.cookieSession ?? ctx.session;
    res.setHeader(
      'Set-Cookie',
      sessionCookies({
        sid: session?.sid ?? 'Guest',
        user: session?.user ?? 'Guest',
        now: ctx.now,
        maxAge,
        clear: ctx.clearCookies,
        langCookie: ctx.traits.langCookie,
        sent: ctx.cookies,
      }),
    );
  }
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.location !== undefined) res.setHeader('Location', reply.location);
  if (reply.html !== undefined) {
    res.type('text/html; charset=utf-8').send(reply.html);
    return;
  }
  if (reply.text !== undefined) {
    res.type('text/plain; charset=utf-8').send(reply.text);
    return;
  }
  let body = reply.body ?? {};
  if (ctx?.brokenSession && body && typeof body === 'object' && !Array.isArray(body)) body = afterBrokenSession(body);
  if (ctx?.traits.modernMessages && body && typeof body === 'object' && !Array.isArray(body))
    body = withAsTable(body as Record<string, unknown>);
  if (ctx?.sessionExpired && !reply.raw && !ctx.v2 && body && typeof body === 'object' && !Array.isArray(body)) {
    body = { session_expired: 1, ...(body as Record<string, unknown>) };
  }
  res.type('application/json').send(JSON.stringify(body));
}

/** A broken session's request: Frappe logs it out ("No App") and raises "User None not found" before going on. */
function afterBrokenSession(body: object): Record<string, unknown> {
  const out: Record<string, unknown> = { message: 'No App', home_page: '/login', full_name: 'Guest', ...body };
  const lost = encodeServerMessages([
    { message: 'User None not found', title: 'Message', indicator: 'red', raise: true },
  ]);
  const earlier = typeof out._server_messages === 'string' ? (JSON.parse(out._server_messages) as string[]) : [];
  out._server_messages = JSON.stringify([...(JSON.parse(lost) as string[]), ...earlier]);
  return out;
}

async function handle(control: AppControl, req: Request, res: Response): Promise<void> {
  const state = control.state;
  const query = queryOf(req.originalUrl);
  const record: RecordedRequest = {
    method: req.method,
    path: req.path,
    query,
    user: 'Guest',
    auth: 'none',
    headers: { ...req.headers },
  };
  control.requests.push(record);
  // A demo left running for days must not grow without bound; tests look at far fewer than this.
  if (control.requests.length > MAX_RECORDED) control.requests.splice(0, control.requests.length - MAX_RECORDED / 2);
  if (await applyFault(control.fault, req, res)) return;
  const maxAge = state.sessions.idleSeconds;
  if (req.method === 'OPTIONS') return send(res, undefined, { text: '' }, maxAge);
  const parsed = parseBody(req, query);
  // Frappe fails while building form_dict, before any session or cookie work (recorded: no Set-Cookie).
  if (!parsed.ok) {
    const bad = state.traits.modernMessages
      ? {
          status: 417,
          body: withAsTable({
            exc_type: 'DataError',
            _server_messages: encodeServerMessages([
              { message: 'Invalid request body', title: 'Message', indicator: 'red', raise: true },
            ]),
          }),
        }
      : { status: 500, body: { exc_type: 'JSONDecodeError' } };
    return send(res, undefined, bad, maxAge);
  }
  const forwarded = str(req.headers['x-forwarded-for']);
  const ctx: RequestContext = {
    store: state.store,
    user: 'Guest',
    baseUrl: baseUrlOf(req.headers),
    method: req.method,
    rawPath: req.path,
    headers: req.headers,
    cookies: parseCookies(req.headers.cookie),
    query,
    rawQuery: req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '',
    args: parsed.args,
    jsonBody: parsed.json,
    session: undefined,
    sessionExpired: false,
    clearCookies: false,
    auth: 'none',
    v2: req.path.startsWith('/api/v2/'),
    ip: forwarded?.split(',')[0]?.trim() ?? req.socket.remoteAddress ?? '127.0.0.1',
    now: state.clock(),
    traits: state.traits,
  };
  let reply: Reply;
  try {
    resolveSession(ctx, state.sessions);
    checkCsrf(ctx);
    validateAuthorization(ctx, state.oauth, state.apiKeys);
    record.user = ctx.user;
    record.auth = ctx.auth;
    reply = route(ctx, state);
  } catch (err) {
    record.user = ctx.user;
    record.auth = ctx.auth;
    reply = errorReply(ctx, err);
  }
  // Frappe 16 points every refusal at its protected-resource metadata, unless OAuth Settings hide it.
  const status = reply.status ?? 200;
  if (
    state.traits.challengeOnRefusal &&
    state.oauthSettings.show_protected_resource_metadata &&
    (status === 401 || status === 403)
  ) {
    const challenge = `Bearer resource_metadata="${ctx.baseUrl}/.well-known/oauth-protected-resource"`;
    reply = { ...reply, headers: { ...reply.headers, 'WWW-Authenticate': challenge } };
  }
  send(res, ctx, reply, maxAge);
}

/** The stand-in as an express app; `control` is shared with the programmatic API. */
/** Requests kept in `requests`: the newest half survives each trim. */
const MAX_RECORDED = 20_000;

export function createStandinApp(control: AppControl): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(express.raw({ type: () => true, limit: '20mb' }));
  app.use((req, res, next) => {
    handle(control, req, res).catch(next);
  });
  return app;
}
