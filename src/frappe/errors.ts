/**
 * Frappe's failures, decoded once into a typed error whose message is safe to show a user or a model:
 * taken from Frappe's own `_server_messages` (double-encoded JSON), HTML stripped, never a traceback.
 */
export type FrappeErrorKind =
  | 'auth' // 401, or a malformed Authorization header (400 InvalidAuthorizationToken)
  | 'permission' // 403 (also a dead session: see sessionExpired)
  | 'not_found' // 404
  | 'conflict' // 409 duplicate
  | 'validation' // 417 validation, link, mandatory, timestamp mismatch…
  | 'csrf' // 400 CSRFTokenError
  | 'bad_request' // other 4xx
  | 'rate_limit' // 429
  | 'upstream'; // 5xx, timeout, refused connection, HTML page, unreadable answer

export interface FrappeErrorInit {
  kind: FrappeErrorKind;
  status?: number;
  excType?: string;
  messages?: string[];
  sessionExpired?: boolean;
  retryAfterSeconds?: number;
  /** For upstream failures without an HTTP answer. */
  cause?: 'timeout' | 'refused' | 'network' | 'html' | 'unreadable' | 'redirect' | 'overloaded';
}

const DEFAULT_MESSAGES: Record<FrappeErrorKind, string> = {
  auth: 'Frappe did not accept the credential.',
  permission: 'Frappe refused: you do not have permission for this.',
  not_found: 'Frappe could not find it.',
  conflict: 'Frappe refused: it already exists.',
  validation: 'Frappe refused the data as invalid.',
  csrf: 'Frappe refused the write: the CSRF token is missing or wrong.',
  bad_request: 'Frappe refused the request as malformed.',
  rate_limit: 'Frappe is rate limiting these requests; try again later.',
  upstream: 'Frappe is unavailable or failed to answer.',
};

const CAUSE_MESSAGES: Record<NonNullable<FrappeErrorInit['cause']>, string> = {
  timeout: 'Frappe did not answer in time.',
  refused: 'Frappe could not be reached (connection refused).',
  network: 'Frappe could not be reached (network error).',
  html: 'Frappe answered with an HTML error page instead of JSON.',
  unreadable: 'Frappe answered with something that is not JSON.',
  redirect: 'Frappe answered with a redirect, which the gateway does not follow with a credential.',
  overloaded:
    'Frappe is busy: the gateway already has as many requests out to it as it allows; try again in a few seconds.',
};

export class FrappeError extends Error {
  readonly kind: FrappeErrorKind;
  readonly status: number | undefined;
  readonly excType: string | undefined;
  readonly messages: string[];
  readonly sessionExpired: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly failure: FrappeErrorInit['cause'];

  constructor(init: FrappeErrorInit) {
    const messages = init.messages?.filter(Boolean) ?? [];
    super(messages[0] ?? (init.cause ? CAUSE_MESSAGES[init.cause] : DEFAULT_MESSAGES[init.kind]));
    this.name = 'FrappeError';
    this.kind = init.kind;
    this.status = init.status;
    this.excType = init.excType;
    this.messages = messages;
    this.sessionExpired = init.sessionExpired ?? false;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.failure = init.cause;
  }

  /** The credential itself is dead: a 401, or a 403 that Frappe marked `session_expired`. */
  get credentialRejected(): boolean {
    return this.kind === 'auth' || this.sessionExpired;
  }

  /** Frappe could not give a definite answer; never a reason to reject a credential. */
  get isOutage(): boolean {
    return this.kind === 'upstream' || (this.kind === 'rate_limit' && this.status === 429);
  }

  /** One line for a person or a model: all of Frappe's messages, joined. */
  get summary(): string {
    return this.messages.length > 1 ? this.messages.join(' ') : this.message;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** Frappe messages carry <strong>, <br>, <details>, <a href>. Keep the text, drop the markup. */
export function stripHtml(s: string): string {
  return s
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/(p|div|li|summary|details)>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

const MAX_MESSAGE = 500;

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s;
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Decodes `_server_messages` (a JSON string holding JSON strings), v2 `errors[]`, and plain `message`. */
export function serverMessages(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  const out: string[] = [];
  if (typeof b._server_messages === 'string') {
    const outer = parseJson(b._server_messages);
    if (Array.isArray(outer)) {
      for (const item of outer as unknown[]) {
        const inner: unknown = typeof item === 'string' ? parseJson(item) : item;
        const msg = inner && typeof inner === 'object' ? (inner as Record<string, unknown>).message : (inner ?? item);
        if (typeof msg === 'string') out.push(msg);
      }
    }
  }
  if (Array.isArray(b.errors)) {
    for (const e of b.errors as unknown[]) {
      const msg = e && typeof e === 'object' ? (e as Record<string, unknown>).message : undefined;
      if (typeof msg === 'string') out.push(msg);
    }
  }
  if (!out.length && typeof b._error_message === 'string') out.push(b._error_message);
  if (!out.length && typeof b.message === 'string' && typeof b.exc_type === 'string') out.push(b.message);
  return out.map((m) => clip(stripHtml(m))).filter(Boolean);
}

function kindFor(status: number, excType: string | undefined): FrappeErrorKind {
  if (status === 401) return 'auth';
  if (status === 400) {
    if (excType === 'CSRFTokenError') return 'csrf';
    if (excType?.startsWith('InvalidAuthorization')) return 'auth';
    return 'bad_request';
  }
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 417) return 'validation';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'upstream';
  return 'bad_request';
}

export function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) return n;
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * THE decoder: one Frappe HTTP failure → FrappeError. `body` is the parsed JSON, or a string when
 * the answer was not JSON (an HTML page from Frappe or a proxy).
 */
export function decodeFrappeError(
  status: number,
  body: unknown,
  headers: { 'content-type'?: unknown; 'retry-after'?: unknown } = {},
): FrappeError {
  const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : '';
  const retryAfterSeconds = parseRetryAfter(headers['retry-after']);
  if (typeof body === 'string' || body === undefined || body === null) {
    const html = contentType.includes('html') || (typeof body === 'string' && /^\s*</.test(body));
    const kind = status >= 500 || html ? 'upstream' : kindFor(status, undefined);
    if (kind !== 'upstream') return new FrappeError({ kind, status, retryAfterSeconds });
    return new FrappeError({ kind, status, cause: html ? 'html' : 'unreadable', retryAfterSeconds });
  }
  const b = body as Record<string, unknown>;
  const v2Type = Array.isArray(b.errors) ? (b.errors[0] as Record<string, unknown> | undefined)?.type : undefined;
  const excType = typeof b.exc_type === 'string' ? b.exc_type : typeof v2Type === 'string' ? v2Type : undefined;
  const messages = serverMessages(b);
  if (status >= 500 && !messages.length && excType) {
    messages.push(`Frappe failed with ${excType} (HTTP ${status}).`);
  }
  return new FrappeError({
    kind: kindFor(status, excType),
    status,
    excType,
    messages,
    sessionExpired: b.session_expired === 1 || b.session_expired === true,
    retryAfterSeconds,
  });
}
