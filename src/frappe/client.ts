import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from '../log/logger.js';
import { boundMetric, frappeCalls } from '../metrics.js';
import { credentialHeaders, type Credential } from './credential.js';
import { decodeFrappeError, FrappeError, parseRetryAfter } from './errors.js';
import { siteVersion } from './version.js';
import { FrappeLimiter } from './limiter.js';
import { cachedLookup, type CachedLookup } from './dns-cache.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface FrappeRequest {
  method: HttpMethod;
  /** Path on the site, starting with `/`; never a full URL, so a credential cannot leave the site. */
  path: string;
  query?: Record<string, unknown>;
  /** JSON body (POST/PUT). */
  json?: Record<string, unknown>;
  /** Form body, for endpoints that accept only application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FrappeResponse<T = unknown> {
  status: number;
  data: T;
  /** Read by the gateway only (e.g. Frappe's full_name cookie); never passed on to a caller. */
  headers: Record<string, unknown>;
}

/** One answer as it came off the wire: status, lower-cased headers, the body as text. */
export interface RawResponse {
  status: number;
  data: string;
  headers: IncomingHttpHeaders;
}

/** What the auth layer learns from the Frappe calls a credential makes. */
export interface CredentialHooks {
  /** Frappe said the credential is dead (401, or session_expired); the cache entry must go. */
  onRejected?(err: FrappeError): void;
  /** The CSRF token Frappe wants for this sid's writes, when already known. */
  csrfToken?(): string | undefined;
  /** Remember a CSRF token read from /app, so later writes need no second fetch. */
  rememberCsrfToken?(token: string): void;
}

export interface FrappeSiteOptions {
  baseUrl: string;
  /** Sent as X-Frappe-Site-Name for multi-tenant benches. */
  siteName?: string;
  timeoutMs: number;
  retries: number;
  logger: Logger;
  /** Longest Retry-After honoured before giving up and reporting the rate limit. */
  maxRetryWaitSeconds?: number;
  /** Backpressure (src/frappe/limiter.ts): calls out at once, and calls that may wait; unlimited when absent. */
  maxInFlight?: number;
  maxQueued?: number;
  /** How long the address of a host name in baseUrl is reused (dns-cache.ts); 0 or absent: looked up per connection. */
  dnsCacheMs?: number;
}

const UNSAFE_PARAMS = ['sid'];
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const CSRF_RE = /frappe\.csrf_token\s*=\s*"([^"]+)"/;

/** Frappe accepts `sid` as a query or body parameter and lets it beat the cookie; never forward one. */
function withoutSid<T extends Record<string, unknown>>(params: T | undefined): T | undefined {
  if (!params) return params;
  if (!UNSAFE_PARAMS.some((k) => k in params)) return params;
  const copy = { ...params };
  for (const k of UNSAFE_PARAMS) delete copy[k];
  return copy;
}

function encodeQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    const text =
      typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new FrappeError({ kind: 'upstream', cause: 'timeout' }));
    };
    // The signal can outlive this call (one per client connection), so its listener goes with the wait.
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function networkCause(err: unknown): 'timeout' | 'refused' | 'network' {
  const code = (err as { code?: string }).code;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED' || code === 'ABORT_ERR')
    return 'timeout';
  if (code === 'ECONNREFUSED') return 'refused';
  return 'network';
}

const frappeCallsBy = boundMetric((status) => frappeCalls.labels({ status }));
const STATUS_CLASS = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** As a URL would send it: a space or a non-ASCII character in a path (e.g. "OAuth Client") percent-encoded. */
function escapePath(path: string): string {
  return /[^\x21-\x7e]/.test(path) ? path.replace(/[^\x21-\x7e]+/g, (c) => encodeURIComponent(c)) : path;
}

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * One Frappe site: a pinned base URL and a keep-alive connection pool shared by every caller.
 * `as(credential)` gives a client that sends exactly that credential and nothing else.
 *
 * The wire is node:http(s) with one Agent, not a general-purpose HTTP library: a tool call makes one
 * request whose options are all known here, and per-request config merging, interceptors and
 * adapters cost more gateway CPU than the rest of the call (issue #12). Redirects are never followed
 * (a credential could travel to another origin with them) and every status is returned as is.
 */
export class FrappeSite {
  readonly origin: string;
  readonly limiter: FrappeLimiter | undefined;
  private readonly basePath: string;
  private readonly target: { protocol: string; hostname: string; port: string | number | undefined };
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;
  private readonly siteName: string | undefined;
  private readonly addresses: CachedLookup | undefined;

  constructor(readonly options: FrappeSiteOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.limiter = options.maxInFlight
      ? new FrappeLimiter({
          maxInFlight: options.maxInFlight,
          maxQueued: options.maxQueued ?? 0,
          maxWaitMs: options.timeoutMs,
        })
      : undefined;
    this.basePath = base.pathname.replace(/\/$/, '');
    const https = base.protocol === 'https:';
    this.target = {
      protocol: base.protocol,
      // URL keeps IPv6 literals in brackets; node:http wants them bare.
      hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: base.port || undefined,
    };
    this.addresses = options.dnsCacheMs ? cachedLookup(options.dnsCacheMs) : undefined;
    const agentOptions = {
      keepAlive: true,
      maxSockets: 64,
      maxFreeSockets: 16,
      ...(this.addresses ? { lookup: this.addresses.lookup } : {}),
    };
    this.agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.request = https ? httpsRequest : httpRequest;
    this.siteName = options.siteName;
  }

  /** A client bound to one caller's credential. */
  as(credential: Credential, hooks: CredentialHooks = {}): FrappeClient {
    return new FrappeClient(this, credential, hooks);
  }

  /** @internal Sends one request within the site's in-flight cap (backpressure); see dispatch. */
  async send(req: FrappeRequest, headers: Record<string, string>, accept?: string): Promise<RawResponse> {
    // No cap configured: no extra promise on the hot path.
    if (!this.limiter) return this.dispatch(req, headers, accept);
    const release = await this.limiter.acquire(req.signal);
    try {
      return await this.dispatch(req, headers, accept);
    } finally {
      release();
    }
  }

  /** Sends one request and returns the raw answer; failures to connect become FrappeError. */
  private async dispatch(
    req: FrappeRequest,
    headers: Record<string, string>,
    accept = 'application/json',
  ): Promise<RawResponse> {
    if (!req.path.startsWith('/') || req.path.startsWith('//')) {
      throw new Error(`Frappe path must be site-relative: ${req.path}`);
    }
    const path = escapePath(this.basePath + req.path) + encodeQuery(withoutSid(req.query));
    let data: string | undefined;
    // Copied, then added to: on Node 20's V8 an object spread gives the copy a hidden class (map) with no
    // place in the transition tree, so every property added after it made a new map per call, each kept
    // in the old space until a full GC (issue #12). Object.assign into {} keeps to shared maps.
    const h: Record<string, string> = Object.assign({}, headers);
    h.Accept = accept;
    if (this.siteName) h['X-Frappe-Site-Name'] = this.siteName;
    if (req.form) {
      data = new URLSearchParams(withoutSid(req.form)).toString();
      h['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (req.json) {
      data = JSON.stringify(withoutSid(req.json));
      h['Content-Type'] = 'application/json';
    }
    if (data !== undefined) h['Content-Length'] = String(Buffer.byteLength(data));
    const started = performance.now();
    try {
      const res = await this.exchange(req.method, path, h, data, req.signal);
      frappeCallsBy(STATUS_CLASS[Math.floor(res.status / 100)] ?? 'other').observe(
        (performance.now() - started) / 1000,
      );
      if (this.options.logger.isLevelEnabled('debug')) {
        this.options.logger.debug(
          {
            frappe: {
              method: req.method,
              path: req.path,
              status: res.status,
              ms: Math.round(performance.now() - started),
            },
          },
          'frappe call',
        );
      }
      return res;
    } catch (err) {
      const cause = networkCause(err);
      // The site may have moved (a container restarted with a new address): look it up again.
      this.addresses?.clear();
      frappeCallsBy(cause).observe((performance.now() - started) / 1000);
      this.options.logger.warn({ frappe: { method: req.method, path: req.path, cause } }, 'frappe unreachable');
      throw new FrappeError({ kind: 'upstream', cause });
    }
  }

  /** One HTTP exchange, bounded by the site's timeout and the caller's signal. */
  private exchange(
    method: HttpMethod,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(codedError('aborted', 'ERR_CANCELED'));
      // One literal, no spread (see dispatch): the options keep one hidden class across calls.
      const { protocol, hostname, port } = this.target;
      const req = this.request({ protocol, hostname, port, path, method, headers, agent: this.agent });
      const timer = setTimeout(
        () => req.destroy(codedError(`no answer within ${this.options.timeoutMs} ms`, 'ETIMEDOUT')),
        this.options.timeoutMs,
      );
      const onAbort = (): void => {
        req.destroy(codedError('aborted', 'ERR_CANCELED'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      req.once('error', (err) => {
        done();
        reject(err);
      });
      req.once('response', (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.once('end', () => {
          done();
          resolve({ status: res.statusCode ?? 0, data: text, headers: res.headers });
        });
        res.once('error', (err) => {
          done();
          reject(err);
        });
      });
      req.end(body);
    });
  }
}

function parseBody(res: RawResponse): unknown {
  const type = String(res.headers['content-type'] ?? '');
  const text = res.data;
  if (!text) return undefined;
  if (type.includes('json') || /^\s*[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Frappe calls made as one caller. Every method throws FrappeError on failure. */
export class FrappeClient {
  constructor(
    readonly site: FrappeSite,
    readonly credential: Credential,
    private readonly hooks: CredentialHooks,
  ) {}

  async request<T = unknown>(req: FrappeRequest): Promise<FrappeResponse<T>> {
    const write = req.method !== 'GET';
    const res = await this.sendWithRetry(req, write);
    const body = parseBody(res);
    if (res.status >= 200 && res.status < 300) {
      if (typeof body === 'string' || body === undefined) {
        if (res.status === 202 || res.status === 204 || body === undefined)
          return { status: res.status, data: undefined as T, headers: res.headers };
        throw new FrappeError({ kind: 'upstream', status: res.status, cause: 'unreadable' });
      }
      return { status: res.status, data: body as T, headers: res.headers };
    }
    if (res.status >= 300 && res.status < 400) {
      throw new FrappeError({ kind: 'upstream', status: res.status, cause: 'redirect' });
    }
    const err = decodeFrappeError(res.status, body, res.headers);
    if (err.credentialRejected) this.hooks.onRejected?.(err);
    throw err;
  }

  /** Retries idempotent GETs on 429/502/503/504 (honouring Retry-After), and a sid write once after CSRF. */
  private async sendWithRetry(req: FrappeRequest, write: boolean): Promise<RawResponse> {
    const { retries, maxRetryWaitSeconds = 5 } = this.site.options;
    const callerCsrf = this.credential.kind === 'sid' ? this.credential.csrfToken : undefined;
    let csrf = write ? (callerCsrf ?? this.hooks.csrfToken?.()) : undefined;
    let csrfRetried = false;
    for (let attempt = 0; ; attempt++) {
      const res = await this.site.send(req, credentialHeaders(this.credential, csrf));
      if (!write && RETRY_STATUSES.has(res.status) && attempt < retries) {
        const wait = parseRetryAfter(res.headers['retry-after']) ?? 0.2 * 2 ** attempt;
        if (wait <= maxRetryWaitSeconds) {
          await sleep(wait * 1000, req.signal);
          continue;
        }
      }
      if (
        write &&
        !csrfRetried &&
        !callerCsrf &&
        this.credential.kind === 'sid' &&
        res.status === 400 &&
        res.data.includes('CSRFTokenError')
      ) {
        csrfRetried = true;
        const token = await this.fetchCsrfToken(req.signal);
        if (token && token !== csrf) {
          csrf = token;
          this.hooks.rememberCsrfToken?.(token);
          continue;
        }
      }
      return res;
    }
  }

  /**
   * Reads the session's CSRF token from the desk page, the only place Frappe publishes it: /app on 15, /desk on 16
   * (where /app only redirects, and a redirect is never followed with a credential).
   */
  async fetchCsrfToken(signal?: AbortSignal): Promise<string | undefined> {
    const { csrfPage } = await siteVersion(this.site).behaviour(this);
    const res = await this.site.send(
      { method: 'GET', path: csrfPage, signal },
      credentialHeaders(this.credential),
      'text/html',
    );
    if (res.status !== 200) return undefined;
    const m = CSRF_RE.exec(res.data);
    return m?.[1];
  }

  /** GET or POST a whitelisted method and return its `message` (or the whole body where Frappe omits the wrapper). */
  async call<T = unknown>(
    method: string,
    params: Record<string, unknown> = {},
    options: { http?: 'GET' | 'POST'; signal?: AbortSignal } = {},
  ): Promise<T> {
    const path = `/api/method/${method}`;
    const http = options.http ?? 'GET';
    const res = await this.request<Record<string, unknown>>(
      http === 'GET'
        ? { method: 'GET', path, query: params, signal: options.signal }
        : { method: 'POST', path, json: params, signal: options.signal },
    );
    const data = res.data;
    return (data && typeof data === 'object' && 'message' in data ? data.message : data) as T;
  }

  async getDoc<T = Record<string, unknown>>(doctype: string, name: string, signal?: AbortSignal): Promise<T> {
    const res = await this.request<{ data: T }>({
      method: 'GET',
      path: resourcePath(doctype, name),
      signal,
    });
    return res.data.data;
  }

  async list<T = Record<string, unknown>>(
    doctype: string,
    params: {
      /** Field names; Frappe 16 also takes aggregate dicts (`{"SUM": "x", "as": "y"}`, see version.ts). */
      fields?: Array<string | Record<string, string>>;
      filters?: unknown;
      or_filters?: unknown;
      order_by?: string;
      group_by?: string;
      limit_start?: number;
      limit_page_length?: number;
    },
    signal?: AbortSignal,
  ): Promise<T[]> {
    const query: Record<string, unknown> = {};
    if (params.fields) query.fields = JSON.stringify(params.fields);
    if (params.filters !== undefined) query.filters = JSON.stringify(params.filters);
    if (params.or_filters !== undefined) query.or_filters = JSON.stringify(params.or_filters);
    if (params.order_by) query.order_by = params.order_by;
    if (params.group_by) query.group_by = params.group_by;
    if (params.limit_start !== undefined) query.limit_start = params.limit_start;
    if (params.limit_page_length !== undefined) query.limit_page_length = params.limit_page_length;
    const res = await this.request<{ data: T[] }>({
      method: 'GET',
      path: resourcePath(doctype),
      query,
      signal,
    });
    return res.data.data;
  }

  async insert<T = Record<string, unknown>>(
    doctype: string,
    doc: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await this.request<{ data: T }>({
      method: 'POST',
      path: resourcePath(doctype),
      json: doc,
      signal,
    });
    return res.data.data;
  }

  async update<T = Record<string, unknown>>(
    doctype: string,
    name: string,
    patch: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await this.request<{ data: T }>({
      method: 'PUT',
      path: resourcePath(doctype, name),
      json: patch,
      signal,
    });
    return res.data.data;
  }

  async remove(doctype: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.request({ method: 'DELETE', path: resourcePath(doctype, name), signal });
  }
}

export function resourcePath(doctype: string, name?: string): string {
  const base = `/api/resource/${encodeURIComponent(doctype)}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}
